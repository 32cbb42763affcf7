// The durable outgoing-message queue. A message is written to the store before it is handed to the transport,
// sent strictly in queue order (one at a time), and deleted only when its CALLRESULT arrives (or when the retry
// rules give it up). The queue survives disconnects and restarts: it is rebuilt from the store when constructed.
// docs/store.md describes the semantics; requirement IDs are cited where they are implemented.
import type { ProtocolName } from '../protocol.js';
import type { OutboxMeta, Store } from '../store/types.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { chooseVictim } from './drop-policy.js';
import { Emitter } from './events.js';
import {
  classifyTransaction,
  is2x,
  isTransactionAction,
  takesSeqNo,
  wirePayload,
  type Classified,
  type EnqueueOptions,
} from './messages.js';
import type { CallOutcome, Transport } from './transport.js';

/** Store namespaces the queue owns. */
export const SEQ_NAMESPACE = 'queue.seqNo';
export const TXID_NAMESPACE = 'queue.transactionId';

export interface RetryPolicy {
  /** 2.x MessageAttemptsTransactionEvent, 1.6 TransactionMessageAttempts: transmissions in all (at least 1). */
  attempts: number;
  /** 2.x MessageAttemptIntervalTransactionEvent, 1.6 TransactionMessageRetryInterval, in seconds. */
  intervalSec: number;
}

export interface MessageQueueOptions {
  store: Store;
  transport: Transport;
  protocol: ProtocolName;
  clock?: Clock;
  /** Read at every failure, so a changed configuration value applies at once (E13.FR.01). Default 3 × 60 s. */
  retry?: () => RetryPolicy;
  /** The bound on queued messages (default 10,000). See the drop policy in drop-policy.ts. */
  maxMessages?: number;
  /**
   * How long the queue itself waits for an answer before counting a timeout (default: no limit of its own; the
   * transport's message timeout applies). An answer that comes later is handled as a late CALLRESULT.
   */
  attemptTimeoutMs?: number;
  /** After a `disconnected` outcome while the queue is still online, wait this long before sending (default 1 s). */
  reconnectPauseMs?: number;
  onListenerError?: (error: unknown, event: string) => void;
}

export type FailureKind = 'callError' | 'timeout' | 'error';

export interface QueueEvents {
  /** The CALLRESULT arrived; the message is deleted. `payload` is what went on the wire. */
  sent: {
    id: number;
    action: string;
    payload: Record<string, unknown>;
    response: unknown;
    transmissions: number;
    /** The transaction the message belonged to (2.x transactionId, 1.6 the station's local id); null for others. */
    txKey: string | null;
  };
  /** A transmission failed to be processed (E13); it will be retried at `retryAt`. */
  attemptFailed: {
    id: number;
    action: string;
    failure: FailureKind;
    code?: string;
    description?: string;
    error?: unknown;
    failures: number;
    retryAt: number;
  };
  /**
   * The message was given up: `attemptsExhausted` (E13.FR.04, the last attempt failed), `transactionUnknown`
   * (1.6: its StartTransaction was given up, so no CSMS transactionId exists to send it with), or `notImplemented`
   * (a non-transaction message the CSMS answered with CALLERROR NotImplemented).
   */
  discarded: {
    id: number;
    action: string;
    payload: unknown;
    reason: 'attemptsExhausted' | 'transactionUnknown' | 'notImplemented';
    failures: number;
    lastFailure?: FailureKind;
  };
  /** Dropped unsent because the queue was over its bound (drop policy). `id` is null for a message never stored. */
  dropped: { id: number | null; action: string; payload: unknown; reason: 'bound' };
  /** A message that is never dropped was stored although the queue is at its bound. */
  overBound: { size: number; max: number };
  /** The store failed while the queue was sending (the queue tries again after reconnectPauseMs). */
  error: { error: unknown; during: string };
}

export type EnqueueResult =
  { status: 'queued'; id: number; dropped: number[] } | { status: 'dropped'; reason: 'bound' };

interface Attempt {
  /** The queue entry it transmits (by identity: an answer can never be matched to another message). */
  rec: OutboxMeta;
  transmission: number;
  payload: Record<string, unknown>;
  timer?: TimerHandle;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 3, intervalSec: 60 };

export class MessageQueue {
  readonly protocol: ProtocolName;
  readonly #store: Store;
  readonly #transport: Transport;
  readonly #clock: Clock;
  readonly #retry: () => RetryPolicy;
  readonly #max: number;
  readonly #attemptTimeoutMs: number | undefined;
  readonly #reconnectPauseMs: number;
  readonly #events: Emitter<QueueEvents>;
  /** The queue's metadata, in order; payloads stay in the store. */
  #items: OutboxMeta[];
  #online = false;
  #closed = false;
  #pumping = false;
  #held = false;
  #inflight: Attempt | null = null;
  #timer: TimerHandle | null = null;

  constructor(options: MessageQueueOptions) {
    const { store, transport, protocol } = options;
    if (!store || typeof store.transaction !== 'function' || !store.outbox)
      throw new TypeError('options.store: expected a Store');
    if (!transport || typeof transport.call !== 'function')
      throw new TypeError('options.transport: expected an object with call(action, payload)');
    if (protocol !== 'ocpp1.6' && protocol !== 'ocpp2.0.1' && protocol !== 'ocpp2.1')
      throw new TypeError(
        `options.protocol: expected "ocpp1.6", "ocpp2.0.1" or "ocpp2.1", got ${JSON.stringify(protocol)}`,
      );
    this.#max = positiveInt(options.maxMessages ?? 10_000, 'options.maxMessages');
    this.#attemptTimeoutMs =
      options.attemptTimeoutMs === undefined
        ? undefined
        : positiveInt(options.attemptTimeoutMs, 'options.attemptTimeoutMs');
    this.#reconnectPauseMs = positiveInt(options.reconnectPauseMs ?? 1000, 'options.reconnectPauseMs');
    this.protocol = protocol;
    this.#store = store;
    this.#transport = transport;
    this.#clock = options.clock ?? systemClock;
    this.#retry = options.retry ?? (() => DEFAULT_RETRY);
    // The option's listener takes the event name as a string; the emitter names the queue's events.
    this.#events = new Emitter<QueueEvents>(options.onListenerError as (e: unknown, ev: keyof QueueEvents) => void);
    // Restart recovery: everything still in the store is still to be sent, in the same order, with the seqNo and
    // attempt counts it had. A restart is a loss of connection, so queued TransactionEvents count as offline
    // (E11.FR.07), as they would had the station noticed going offline before it stopped.
    this.#items = store.outbox.list();
    this.#markOffline();
  }

  on<K extends keyof QueueEvents>(event: K, fn: (e: QueueEvents[K]) => void): () => void {
    return this.#events.on(event, fn);
  }

  get online(): boolean {
    return this.#online;
  }
  get size(): number {
    return this.#items.length;
  }
  get maxMessages(): number {
    return this.#max;
  }

  /** Whether messages are still to be delivered, for one transaction or any (E14.FR.04/05/07/08 messagesInQueue). */
  hasMessages(txKey?: string): boolean {
    return txKey === undefined ? this.#items.length > 0 : this.#items.some((m) => m.txKey === txKey);
  }

  /** 1.6: the CSMS's transactionId for the station's own transaction id, once StartTransaction.conf gave it. */
  csmsTransactionId(localId: string): number | undefined {
    return this.#store.get<number>(TXID_NAMESPACE, localId);
  }

  /** A snapshot of the queue (metadata only, in order). */
  entries(): readonly Readonly<OutboxMeta>[] {
    return this.#items.map((m) => ({ ...m }));
  }

  /**
   * Stores a transaction-related message (2.x TransactionEvent; 1.6 StartTransaction, StopTransaction, MeterValues)
   * and sends it when its turn comes. Returns after the message is committed to the store.
   */
  enqueue(action: string, payload: unknown, options: EnqueueOptions = {}): EnqueueResult {
    this.#assertOpen();
    if (!isTransactionAction(this.protocol, action))
      throw new TypeError(
        `enqueue: ${action} is not a transaction-related message in ${this.protocol}; use the dispatcher for other messages`,
      );
    const c = classifyTransaction(this.protocol, action, payload, options ?? {});
    if (!is2x(this.protocol) && c.txKey !== null && c.role !== 'start' && !this.#knowsTransaction(c.txKey)) {
      throw new RangeError(
        `options.transaction: no StartTransaction of local transaction "${c.txKey}" is queued or acknowledged; enqueue its StartTransaction first`,
      );
    }
    return this.#append(action, payload, c);
  }

  /**
   * Stores a non-transaction message queued by policy (the dispatcher's "other" lane): `keep` is never dropped
   * (security events, A04.FR.02), `loose` is dropped first.
   */
  enqueueOther(action: string, payload: unknown, role: 'keep' | 'loose'): EnqueueResult {
    this.#assertOpen();
    if (typeof action !== 'string' || action === '') throw new TypeError('action: expected a non-empty string');
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
      throw new TypeError(`${action}Request: payload must be an object`);
    if (role !== 'keep' && role !== 'loose')
      throw new TypeError(`role: expected "keep" or "loose", got ${JSON.stringify(role)}`);
    // A queued payload is the station's own message object; its timestamp, when it has one, is read as text.
    const ts = Date.parse(String((payload as { timestamp?: unknown }).timestamp));
    return this.#append(action, payload, {
      lane: 'other',
      txKey: null,
      role,
      eventTime: Number.isNaN(ts) ? this.#clock.now() : ts,
    });
  }

  /**
   * Tells the queue whether the station is connected (and accepted by the CSMS). Offline: nothing is sent, an
   * answer still outstanding is abandoned, and every queued TransactionEvent is marked offline (E11.FR.07).
   * Online: sending resumes with the oldest message (E04.FR.02, E12.FR.02).
   */
  setOnline(online: boolean): void {
    this.#assertOpen();
    if (typeof online !== 'boolean')
      throw new TypeError(`setOnline(online): expected a boolean, got ${JSON.stringify(online)}`);
    if (online === this.#online) return;
    this.#online = online;
    if (online) {
      this.#pump();
      return;
    }
    this.#abandonInflight();
    this.#clearTimer();
    this.#markOffline();
  }

  /**
   * Pauses sending while staying online (new messages are not offline). The dispatcher holds the queue while it
   * re-sends connector statuses after a reconnect, then releases it.
   */
  hold(): void {
    this.#assertOpen();
    this.#held = true;
  }

  release(): void {
    this.#assertOpen();
    if (!this.#held) return;
    this.#held = false;
    this.#pump();
  }

  /** E11.FR.07: every TransactionEvent still queued when the station goes offline is sent with offline = true. */
  #markOffline(): void {
    const marks = this.#items.filter((m) => takesSeqNo(this.protocol, m.action) && !m.offline);
    if (marks.length === 0) return;
    this.#store.transaction(() => {
      for (const m of marks) this.#store.outbox.update(m.id, { offline: true });
    });
    for (const m of marks) m.offline = true;
  }

  /** Stops sending and timers; the store stays open (the caller owns it) and keeps everything queued. */
  close(): void {
    if (this.#closed) return;
    this.#abandonInflight();
    this.#clearTimer();
    this.#closed = true;
  }

  // ───────────────────────────── appending and the bound ─────────────────────────────

  #append(action: string, payload: unknown, c: Classified): EnqueueResult {
    const now = this.#clock.now();
    // The new message takes part in the choice: it may be the one to drop (a loose message when only loose ones can go).
    const newcomer: OutboxMeta = {
      id: Infinity,
      action,
      ...c,
      createdAt: now,
      sends: 0,
      failures: 0,
      notBefore: 0,
      seqNo: null,
      offline: false,
    };
    const victims: OutboxMeta[] = [];
    let overBound = false;
    while (this.#items.length - victims.length + 1 > this.#max) {
      const pool = (victims.length === 0 ? this.#items : this.#items.filter((m) => !victims.includes(m))).concat(
        newcomer,
      );
      const v = chooseVictim(pool);
      if (v === newcomer) {
        this.#events.emit('dropped', { id: null, action, payload, reason: 'bound' });
        this.#dropVictims(victims);
        return { status: 'dropped', reason: 'bound' };
      }
      if (!v) {
        overBound = true;
        break;
      }
      victims.push(v);
    }
    const offline = takesSeqNo(this.protocol, action) && !this.#online; // E04.FR.03, E12.FR.02
    const meta: Omit<OutboxMeta, 'id'> = {
      action,
      ...c,
      createdAt: now,
      sends: 0,
      failures: 0,
      notBefore: 0,
      seqNo: null,
      offline,
    };
    // Nothing ahead of it and online: record its first transmission in the same commit as the message itself, so
    // the common online case costs one durable write before the message is on its way, not two.
    const remaining = this.#items.length - victims.length;
    const needsCsmsId = !is2x(this.protocol) && c.txKey !== null && c.role !== 'start';
    const csmsId = needsCsmsId ? this.csmsTransactionId(c.txKey!) : undefined;
    const sendNow =
      this.#online &&
      !this.#held &&
      !this.#inflight &&
      !this.#pumping &&
      remaining === 0 &&
      (!needsCsmsId || csmsId !== undefined);
    const droppedPayloads = victims.map((v) => this.#store.outbox.payload(v.id));
    const id = this.#store.transaction(() => {
      for (const v of victims) this.#store.outbox.remove(v.id);
      if (sendNow) {
        meta.seqNo = this.#takeSeqNo(meta);
        meta.sends = 1;
      }
      return this.#store.outbox.append({ ...meta, payload });
    });
    if (victims.length > 0) this.#items = this.#items.filter((m) => !victims.includes(m));
    const entry: OutboxMeta = { id, ...meta };
    this.#items.push(entry);
    // Handed over before any listener runs: a listener may change what the queue does next, not this message.
    if (sendNow) this.#hand(entry, structuredClone(payload), csmsId);
    victims.forEach((v, i) =>
      this.#events.emit('dropped', { id: v.id, action: v.action, payload: droppedPayloads[i], reason: 'bound' }),
    );
    if (overBound) this.#events.emit('overBound', { size: this.#items.length, max: this.#max });
    if (!sendNow) this.#pump();
    return { status: 'queued', id, dropped: victims.map((v) => v.id) };
  }

  #dropVictims(victims: OutboxMeta[]): void {
    if (victims.length === 0) return;
    const payloads = victims.map((v) => this.#store.outbox.payload(v.id));
    this.#store.transaction(() => {
      for (const v of victims) this.#store.outbox.remove(v.id);
    });
    this.#items = this.#items.filter((m) => !victims.includes(m));
    victims.forEach((v, i) =>
      this.#events.emit('dropped', { id: v.id, action: v.action, payload: payloads[i], reason: 'bound' }),
    );
  }

  #knowsTransaction(localId: string): boolean {
    return (
      this.csmsTransactionId(localId) !== undefined ||
      this.#items.some((m) => m.txKey === localId && m.role === 'start')
    );
  }

  // ───────────────────────────── sending ─────────────────────────────

  #pump(): void {
    if (this.#closed || !this.#online || this.#held || this.#inflight || this.#pumping) return;
    this.#pumping = true;
    try {
      for (;;) {
        const head = this.#items[0];
        if (!head) return;
        const wait = head.notBefore - this.#clock.now();
        if (wait > 0) {
          this.#setTimer(wait);
          return;
        }
        let csmsId: number | undefined;
        if (!is2x(this.protocol) && head.txKey !== null && head.role !== 'start') {
          csmsId = this.csmsTransactionId(head.txKey);
          if (csmsId === undefined) {
            this.#discard(head, 'transactionUnknown');
            continue;
          }
        }
        this.#transmit(head, csmsId);
        return;
      }
    } catch (error) {
      // A store failure (disk full, I/O error): report it and try again later rather than lose track.
      this.#events.emit('error', { error, during: 'sending' });
      this.#setTimer(this.#reconnectPauseMs);
    } finally {
      this.#pumping = false;
    }
  }

  #transmit(head: OutboxMeta, csmsId: number | undefined): void {
    const stored = this.#store.outbox.payload(head.id);
    const seqNo = this.#store.transaction(() => {
      const seq = this.#takeSeqNo(head);
      this.#store.outbox.update(head.id, { sends: head.sends + 1, seqNo: seq });
      return seq;
    });
    head.sends += 1;
    head.seqNo = seqNo;
    this.#hand(head, stored, csmsId);
  }

  /**
   * The seqNo of a message's first transmission (and the counter moved on), or the one it already has. Called
   * inside the transaction that records the transmission, so a message dropped before it was ever sent leaves no
   * gap, and every resend (after a failure, a disconnect or a restart) carries the same seqNo (E04.FR.04).
   */
  #takeSeqNo(m: Pick<OutboxMeta, 'action' | 'txKey' | 'seqNo'>): number | null {
    if (m.seqNo !== null || !takesSeqNo(this.protocol, m.action) || m.txKey === null) return m.seqNo;
    const seq = this.#store.get<number>(SEQ_NAMESPACE, m.txKey) ?? 0;
    this.#store.put(SEQ_NAMESPACE, m.txKey, seq + 1);
    return seq;
  }

  /** Hands a transmission already recorded in the store to the transport. */
  #hand(head: OutboxMeta, stored: unknown, csmsId: number | undefined): void {
    const attempt: Attempt = {
      rec: head,
      transmission: head.sends,
      payload: wirePayload(this.protocol, head, stored, csmsId),
    };
    this.#inflight = attempt;
    if (this.#attemptTimeoutMs !== undefined) {
      attempt.timer = this.#clock.setTimeout(() => this.#settle(attempt, { kind: 'timeout' }), this.#attemptTimeoutMs);
    }
    let pending: Promise<CallOutcome>;
    try {
      pending = Promise.resolve(this.#transport.call(head.action, attempt.payload));
    } catch (e) {
      pending = Promise.reject(e);
    }
    pending.then(
      (outcome) => this.#settle(attempt, outcome),
      (error: unknown) => this.#settle(attempt, { kind: 'error', error }),
    );
  }

  /**
   * Handles the outcome of one transmission. A CALLRESULT counts as delivery when it answers the current
   * transmission, or an earlier one while no newer transmission has gone out (a late CALLRESULT during the retry
   * wait: sending again would deliver the message twice). A failure counts only for the current transmission.
   */
  #settle(attempt: Attempt, outcome: CallOutcome | { kind: 'error'; error: unknown }): void {
    if (this.#closed) return;
    const current = this.#inflight === attempt;
    if (current && attempt.timer) this.#clock.clearTimeout(attempt.timer);
    const rec = attempt.rec;
    if (!this.#items.includes(rec)) return; // delivered or given up already: a late answer changes nothing
    try {
      if (outcome?.kind === 'result') {
        if (!current && rec.sends !== attempt.transmission) return; // a newer transmission is out; wait for it
        const invalid = this.#invalidResponse(rec, outcome.response);
        if (invalid === undefined) {
          if (current) this.#inflight = null;
          this.#deliver(rec, attempt, outcome.response);
        } else if (current) {
          this.#inflight = null;
          this.#fail(rec, { kind: 'error', error: new Error(invalid) });
        }
      } else if (current) {
        this.#inflight = null;
        if (outcome?.kind === 'disconnected') {
          // Not a failure to process (E13 remark: being offline is another case): resend once online again.
          if (this.#online) this.#setTimer(this.#reconnectPauseMs);
          return;
        }
        this.#fail(rec, outcome);
      } else {
        return; // a failure of an abandoned or superseded transmission counts for nothing
      }
    } catch (error) {
      this.#events.emit('error', { error, during: 'settling' });
      this.#setTimer(this.#reconnectPauseMs);
      return;
    }
    this.#pump();
  }

  /** 1.6: a StartTransaction.conf must carry the transactionId the rest of the transaction is sent with. */
  #invalidResponse(rec: OutboxMeta, response: unknown): string | undefined {
    if (is2x(this.protocol) || rec.role !== 'start' || rec.txKey === null) return undefined;
    // A StartTransaction.conf (1.6), validated by the RPC layer: transactionId is a number there.
    const id = (response as { transactionId?: unknown } | null)?.transactionId;
    return Number.isInteger(id)
      ? undefined
      : `StartTransactionResponse.transactionId: expected an integer, got ${JSON.stringify(id)}`;
  }

  #fail(rec: OutboxMeta, outcome: CallOutcome | { kind: 'error'; error: unknown }): void {
    const failure: FailureKind =
      outcome && (outcome.kind === 'callError' || outcome.kind === 'timeout') ? outcome.kind : 'error';
    const failures = rec.failures + 1;
    // A non-transaction message the CSMS does not know at all (CALLERROR NotImplemented: a 1.6 SecurityEventNotification
    // to a Central System without the security whitepaper) is never accepted by trying again: it is given up at once
    // rather than holding the messages behind it for all its retries.
    if (rec.lane === 'other' && outcome?.kind === 'callError' && outcome.code === 'NotImplemented') {
      this.#discard(rec, 'notImplemented', failures, failure);
      return;
    }
    const policy = this.#policy();
    if (failures >= policy.attempts) {
      // E13.FR.04: the final attempt failed: discard and continue with the next message.
      this.#discard(rec, 'attemptsExhausted', failures, failure);
      return;
    }
    // E13.FR.03: wait the interval times the number of preceding transmissions of this message (60 s, 120 s, …).
    const retryAt = this.#clock.now() + policy.intervalSec * 1000 * failures;
    this.#store.outbox.update(rec.id, { failures, notBefore: retryAt });
    rec.failures = failures;
    rec.notBefore = retryAt;
    const detail =
      outcome?.kind === 'callError'
        ? { code: outcome.code, description: outcome.description }
        : outcome?.kind === 'error'
          ? { error: outcome.error }
          : outcome?.kind === 'timeout'
            ? {}
            : { error: new Error(`transport returned an unknown outcome: ${JSON.stringify(outcome)}`) };
    this.#events.emit('attemptFailed', { id: rec.id, action: rec.action, failure, ...detail, failures, retryAt });
  }

  #policy(): RetryPolicy {
    const p = this.#retry();
    // E13.FR.02: at least the first transmission; an interval below 0 makes no sense.
    const attempts = Math.max(1, Math.trunc(Number(p?.attempts)) || 1);
    const intervalSec = Math.max(0, Number(p?.intervalSec) || 0);
    return { attempts, intervalSec };
  }

  #deliver(rec: OutboxMeta, attempt: Attempt, response: unknown): void {
    this.#store.transaction(() => {
      this.#store.outbox.remove(rec.id);
      if (!is2x(this.protocol) && rec.role === 'start' && rec.txKey !== null) {
        // Persisted with the deletion: after a crash either the Start is still queued or the mapping exists.
        this.#store.put(TXID_NAMESPACE, rec.txKey, (response as { transactionId: number }).transactionId);
      }
      this.#forgetEndedTransaction(rec);
    });
    this.#remove(rec);
    this.#events.emit('sent', {
      id: rec.id,
      action: rec.action,
      payload: attempt.payload,
      response,
      transmissions: rec.sends,
      txKey: rec.txKey,
    });
  }

  #discard(
    rec: OutboxMeta,
    reason: 'attemptsExhausted' | 'transactionUnknown' | 'notImplemented',
    failures = rec.failures,
    lastFailure?: FailureKind,
  ): void {
    const payload = this.#store.outbox.payload(rec.id);
    this.#store.transaction(() => {
      this.#store.outbox.remove(rec.id);
      this.#forgetEndedTransaction(rec);
    });
    this.#remove(rec);
    this.#events.emit('discarded', {
      id: rec.id,
      action: rec.action,
      payload,
      reason,
      failures,
      ...(lastFailure ? { lastFailure } : {}),
    });
  }

  /** After a transaction's last message leaves the queue, its seqNo counter and 1.6 id mapping are not needed. */
  #forgetEndedTransaction(rec: OutboxMeta): void {
    if (rec.role !== 'end' || rec.txKey === null) return;
    if (this.#items.some((m) => m !== rec && m.txKey === rec.txKey)) return;
    this.#store.delete(SEQ_NAMESPACE, rec.txKey);
    this.#store.delete(TXID_NAMESPACE, rec.txKey);
  }

  #remove(rec: OutboxMeta): void {
    const i = this.#items.indexOf(rec);
    if (i >= 0) this.#items.splice(i, 1);
    if (i === 0) this.#clearTimer(); // a retry timer belonged to the old head
  }

  #abandonInflight(): void {
    const a = this.#inflight;
    if (!a) return;
    if (a.timer) this.#clock.clearTimeout(a.timer);
    this.#inflight = null;
  }

  #setTimer(ms: number): void {
    this.#clearTimer();
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      this.#pump();
    }, ms);
  }

  #clearTimer(): void {
    if (this.#timer) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('the queue is closed');
  }
}

function positiveInt(v: number, name: string): number {
  if (!Number.isInteger(v) || v <= 0)
    throw new TypeError(`${name}: expected a positive integer, got ${JSON.stringify(v)}`);
  return v;
}
