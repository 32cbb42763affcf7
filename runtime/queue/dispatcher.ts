// The outgoing-message policy the station uses for everything it sends to the CSMS: which messages go through the
// durable queue, which are sent directly, what happens to each kind while offline, and what is re-sent after a
// reconnect. The table is in docs/store.md ("Offline policy").
import type { ProtocolName } from '../protocol.js';
import type { Store } from '../store/types.js';
import { systemClock, type Clock } from './clock.js';
import { is2x, isTransactionAction, type EnqueueOptions } from './messages.js';
import type { MessageQueue } from './queue.js';
import type { CallOutcome, Transport } from './transport.js';

export const STATUS_NAMESPACE = 'dispatcher.status';
export const LINK_NAMESPACE = 'dispatcher.link';

export interface DispatcherOptions {
  queue: MessageQueue;
  transport: Transport;
  store: Store;
  clock?: Clock;
  /**
   * 2.x OCPPCommCtrlr.QueueAllMessages: queue every message while offline. 1.6 has no such key; there it is an
   * ocppkit option. Default false: only what the spec requires is queued.
   */
  queueAllMessages?: () => boolean;
  /**
   * 2.x OCPPCommCtrlr.OfflineThreshold in seconds (B04). Undefined (1.6): after a reconnect only the connectors whose
   * status changed while offline are reported (1.6 §4.9).
   */
  offlineThresholdSec?: () => number | undefined;
}

export interface SendOptions extends EnqueueOptions {
  /** Queue this message durably if offline (e.g. a NotifyEvent within OfflineMonitoringEventQueuingSeverity, N07.FR.04). */
  queue?: boolean;
}

/** `R`: the response type of the action sent (the RPC layer validated it against the action's schema). */
export type SendResult<R = unknown> =
  /** Sent directly; the CALLRESULT's payload. */
  | { status: 'sent'; response: R }
  /** Sent directly, not answered with a CALLRESULT. */
  | { status: 'failed'; outcome: Exclude<CallOutcome, { kind: 'result' }> | { kind: 'error'; error: unknown } }
  /** Committed to the durable queue; its fate is reported by the queue's events. */
  | { status: 'queued'; id: number }
  /** A StatusNotification while offline: kept as the connector's latest status and sent after reconnecting. */
  | { status: 'deferred' }
  /** Not sent and not kept: the offline policy drops this message (e.g. a Heartbeat while offline). */
  | { status: 'notSent'; reason: 'offline' }
  /** The queue was over its bound and the drop policy chose this message. */
  | { status: 'dropped'; reason: 'bound' };

interface StatusSlot {
  payload: Record<string, unknown>;
  /** Order of the change among all status changes, so that re-sent statuses keep event order (1.6 §4.9 rule 4). */
  order: number;
  /** Not yet reported to the CSMS. */
  dirty: boolean;
}

/** The durable queue's lane for non-transaction messages: security events must be delivered (A04.FR.02). */
const GUARANTEED = new Set(['SecurityEventNotification']);

export class OutgoingDispatcher {
  readonly protocol: ProtocolName;
  readonly #queue: MessageQueue;
  readonly #transport: Transport;
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #queueAll: () => boolean;
  readonly #threshold: () => number | undefined;
  #online = false;
  /** Increases at every change of connectivity, so that a flush started before going offline stops. */
  #epoch = 0;

  constructor(options: DispatcherOptions) {
    const { queue, transport, store } = options;
    if (!queue || typeof queue.enqueue !== 'function') throw new TypeError('options.queue: expected a MessageQueue');
    if (!transport || typeof transport.call !== 'function')
      throw new TypeError('options.transport: expected an object with call(action, payload)');
    if (!store || typeof store.get !== 'function') throw new TypeError('options.store: expected a Store');
    this.protocol = queue.protocol;
    this.#queue = queue;
    this.#transport = transport;
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
    this.#queueAll = options.queueAllMessages ?? (() => false);
    this.#threshold = options.offlineThresholdSec ?? (() => undefined);
    // A process starts offline; a stored offlineSince from before a restart is kept (the station was offline
    // across the restart too).
    if (this.#store.get(LINK_NAMESPACE, 'offlineSince') === undefined)
      this.#store.put(LINK_NAMESPACE, 'offlineSince', this.#clock.now());
  }

  get online(): boolean {
    return this.#online;
  }

  /**
   * Sends one station→CSMS message according to the offline policy. Transaction-related messages and security
   * events are committed to the durable queue before this returns; others are sent directly when online.
   */
  async send(action: string, payload: unknown, options: SendOptions = {}): Promise<SendResult> {
    if (typeof action !== 'string' || action === '')
      throw new TypeError('send(action, payload): action must be a non-empty string');
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
      throw new TypeError(`send(${action}): payload must be an object`);
    if (isTransactionAction(this.protocol, action)) return queued(this.#queue.enqueue(action, payload, options)); // E04.FR.01, E12.FR.01, 1.6 §3.7
    if (GUARANTEED.has(action)) return queued(this.#queue.enqueueOther(action, payload, 'keep')); // A04.FR.02
    // send() checked the payload to be a non-array object above.
    if (action === 'StatusNotification') return this.#status(payload as Record<string, unknown>);
    if (this.#online) return this.#direct(action, payload);
    if (action === 'Heartbeat' || action === 'BootNotification') return { status: 'notSent', reason: 'offline' };
    if (options.queue || this.#queueAll()) return queued(this.#queue.enqueueOther(action, payload, 'loose'));
    return { status: 'notSent', reason: 'offline' };
  }

  /**
   * Connectivity as the station sees it: online once connected and BootNotification is Accepted (B01.FR.08: nothing
   * else before). Going online re-sends connector statuses first, then resumes the queue. `afterBoot`: the
   * connection follows a (re)boot, so every connector's status is sent (B01.FR.05); otherwise B04.FR.01/02 decide.
   */
  async setOnline(online: boolean, options: { afterBoot?: boolean } = {}): Promise<void> {
    if (typeof online !== 'boolean')
      throw new TypeError(`setOnline(online): expected a boolean, got ${JSON.stringify(online)}`);
    if (online === this.#online) return;
    this.#online = online;
    const epoch = ++this.#epoch;
    if (!online) {
      this.#store.put(LINK_NAMESPACE, 'offlineSince', this.#clock.now());
      this.#queue.setOnline(false);
      return;
    }
    // Online for the queue at once (what is created from now on is not offline), but held until the statuses
    // are out.
    this.#queue.hold();
    this.#queue.setOnline(true);
    const since = this.#store.get<number>(LINK_NAMESPACE, 'offlineSince') ?? this.#clock.now();
    this.#store.delete(LINK_NAMESPACE, 'offlineSince');
    const threshold = this.#threshold();
    const all = options.afterBoot === true || (threshold !== undefined && this.#clock.now() - since > threshold * 1000);
    // Current state first: the CSMS learns what each connector is doing now, then the (possibly long) backlog of
    // transaction messages follows. 1.6 §3.7 lets non-transaction messages go ahead of the queue.
    await this.#flushStatuses(all, epoch);
    if (epoch === this.#epoch) this.#queue.release();
  }

  /** The latest status kept for each connector (key `evseId/connectorId` in 2.x, `connectorId` in 1.6). */
  statuses(): { key: string; payload: Record<string, unknown>; dirty: boolean }[] {
    return this.#store
      .list<StatusSlot>(STATUS_NAMESPACE)
      .map((e) => ({ key: e.key, payload: e.value.payload, dirty: e.value.dirty }));
  }

  async #status(payload: Record<string, unknown>): Promise<SendResult> {
    const key = this.#statusKey(payload);
    const order = (this.#store.get<number>(LINK_NAMESPACE, 'statusOrder') ?? 0) + 1;
    this.#store.transaction(() => {
      this.#store.put(LINK_NAMESPACE, 'statusOrder', order);
      this.#store.put(STATUS_NAMESPACE, key, { payload, order, dirty: true } satisfies StatusSlot);
    });
    if (!this.#online) return { status: 'deferred' };
    return this.#sendStatus(key, { payload, order, dirty: true });
  }

  async #sendStatus(key: string, slot: StatusSlot): Promise<SendResult> {
    const result = await this.#direct('StatusNotification', slot.payload);
    // Reported, or refused by the CSMS (sending it again would not help). A newer status of the same connector
    // stays dirty: only this change is done.
    const done = result.status === 'sent' || (result.status === 'failed' && result.outcome.kind === 'callError');
    if (done) {
      const now = this.#store.get<StatusSlot>(STATUS_NAMESPACE, key);
      if (now && now.order === slot.order) this.#store.put(STATUS_NAMESPACE, key, { ...now, dirty: false });
    }
    return result;
  }

  /** B04.FR.01: all connectors after an offline period beyond OfflineThreshold; B04.FR.02 / 1.6: only changed ones. */
  async #flushStatuses(all: boolean, epoch: number): Promise<void> {
    const slots = this.#store
      .list<StatusSlot>(STATUS_NAMESPACE)
      .filter((e) => all || e.value.dirty)
      .sort((a, b) => a.value.order - b.value.order);
    for (const { key, value } of slots) {
      if (epoch !== this.#epoch) return;
      const r = await this.#sendStatus(key, value);
      if (r.status === 'failed' && r.outcome.kind === 'disconnected') return;
    }
  }

  #statusKey(p: Record<string, unknown>): string {
    const connectorId = p.connectorId;
    if (!Number.isInteger(connectorId))
      throw new TypeError(
        `StatusNotificationRequest.connectorId: expected an integer, got ${JSON.stringify(connectorId)}`,
      );
    if (!is2x(this.protocol)) return String(connectorId);
    const evseId = p.evseId;
    if (!Number.isInteger(evseId))
      throw new TypeError(`StatusNotificationRequest.evseId: expected an integer, got ${JSON.stringify(evseId)}`);
    return `${evseId}/${connectorId}`;
  }

  async #direct(action: string, payload: unknown): Promise<SendResult> {
    try {
      const outcome = await this.#transport.call(action, payload);
      return outcome.kind === 'result' ? { status: 'sent', response: outcome.response } : { status: 'failed', outcome };
    } catch (error) {
      // A transport that throws (a bug, a payload the RPC layer refuses) must not stop a reconnect flush.
      return { status: 'failed', outcome: { kind: 'error', error } };
    }
  }
}

function queued(r: ReturnType<MessageQueue['enqueue']>): SendResult {
  return r.status === 'queued' ? { status: 'queued', id: r.id } : { status: 'dropped', reason: 'bound' };
}
