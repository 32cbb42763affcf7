// The charging station an integrator builds: CSMS connection, layout, store, device model and hardware callbacks go
// in; the firmware reports what happens (plugged, faulted, a card presented …); ocppkit speaks OCPP 2.0.1 / 2.1.
// This file only wires the parts together: the RPC client, the outgoing dispatcher and queue, the shell that runs
// the use cases (one module per functional block), and the device model.
import { EventEmitter } from 'node:events';
import { protocol as v201 } from '../../generated/v201/index.js';
import { protocol as v21 } from '../../generated/v21/index.js';
import { systemClock, type Clock } from '../queue/clock.js';
import { OutgoingDispatcher, type SendResult } from '../queue/dispatcher.js';
import { MessageQueue } from '../queue/queue.js';
import { CallError } from '../rpc/errors.js';
import { StationClient } from '../rpc/client.js';
import type { Timers } from '../rpc/timers.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { bootUseCase, type BootState } from './B-provisioning/boot.js';
import { resetUseCase } from './B-provisioning/reset.js';
import { Shell } from './core/shell.js';
import { SessionTransport } from './core/transport.js';
import type { AnyUseCase, FirmwareEvent, HardwareCall, PublicEvent, StationAnswer, Version2x } from './core/types.js';
import { ModelVariables, withShorthand } from './core/variables.js';
import { DeviceModel } from './device-model/index.js';
import { deviceModelUseCase } from './B-provisioning/variables.js';
import { triggerUseCase } from './F-remote-control/trigger.js';
import { availabilityUseCase } from './G-availability.js';
import { checkOptions, type ChargingStationOptions } from './options.js';
import type { BootReasonEnumType, IdTokenType } from '../../generated/v201/types.js';

type Protocols = (typeof v21 | typeof v201)[];

type PublicEventMap = { [E in PublicEvent as E['type']]: [event: E] } & {
  connected: [info: { version: Version2x }];
  disconnected: [info: { code: number; reason: string }];
  /** A connection attempt failed; `retryInMs`: when the next starts. (Also reported as a `log` warning.) */
  connectFailed: [info: { error: Error; attempt: number; retryInMs: number | undefined }];
};

const PROTOCOLS = { 'ocpp2.1': v21, 'ocpp2.0.1': v201 } as const;

export class ChargingStation extends EventEmitter<PublicEventMap> {
  readonly identity: string;
  readonly #options: ChargingStationOptions;
  readonly #clock: Clock;
  readonly #store: Store;
  readonly #ownsStore: boolean;
  readonly #variables: ModelVariables;
  readonly #models = new Map<Version2x, DeviceModel>();
  readonly #versions: Version2x[];
  /** Versions whose model must be rebuilt before use: another version's model changed a value meanwhile. */
  readonly #stale = new Set<Version2x>();
  #client: StationClient<Protocols> | undefined;
  #transport: SessionTransport | undefined;
  #queue: MessageQueue | undefined;
  #dispatcher: OutgoingDispatcher | undefined;
  #shell: Shell | undefined;
  #running = false;
  #restarting: Promise<void> | undefined;

  constructor(options: ChargingStationOptions) {
    super();
    checkOptions(options);
    this.#options = options;
    this.identity = options.identity;
    this.#clock = options.clock ?? systemClock;
    const given = options.store as Store;
    this.#ownsStore = typeof given.get !== 'function';
    this.#store = this.#ownsStore ? openSqliteStore((options.store as { path: string }).path) : given;
    this.#versions = (options.versions ?? ['ocpp2.1', 'ocpp2.0.1']) as Version2x[];
    // Built now for every offered version: a missing required variable fails here, naming it (issue 5 start-up check).
    try {
      for (const v of this.#versions) this.#buildModel(v);
    } catch (err) {
      if (this.#ownsStore) this.#store.close();
      throw err;
    }
    this.#variables = new ModelVariables(
      () => this.#model(this.#shell?.version ?? this.#versions[0]!),
      (message) => this.emit('log', { type: 'log', level: 'warn', message }),
    );
  }

  /** The device model of the version in use (the preferred one while not connected). */
  get deviceModel(): DeviceModel {
    return this.#model(this.#shell?.version ?? this.#versions[0]!);
  }

  #buildModel(version: Version2x): DeviceModel {
    const o = this.#options;
    const config = withShorthand(o.deviceModel, {
      // What the connection settings already say (SecurityCtrlr.SecurityProfile is required, A00).
      'SecurityCtrlr.SecurityProfile': o.csms.securityProfile ?? 1,
      ...o.variables,
    });
    const model = new DeviceModel({
      version,
      store: this.#store,
      layout: { supplyPhases: o.supplyPhases, evses: o.evses },
      config,
      clock: () => new Date(this.#shell?.now() ?? this.#clock.now()),
      onError: (error, context) => this.emit('log', { type: 'log', level: 'error', message: `device model (${context}): ${(error as Error).message}` }),
    });
    model.onChange((change) => {
      for (const other of this.#versions) if (other !== version) this.#stale.add(other);
      this.#shell?.dispatch({
        type: 'variables.changed',
        changes: [{ component: change.component.name, variable: change.variable.name, ...(change.component.evse ? { evseId: change.component.evse.id, ...(change.component.evse.connectorId !== undefined ? { connectorId: change.component.evse.connectorId } : {}) } : {}), ...(change.variable.instance ? { instance: change.variable.instance } : {}) }],
      });
    });
    this.#models.set(version, model);
    this.#stale.delete(version);
    return model;
  }

  #model(version: Version2x): DeviceModel {
    const model = this.#models.get(version);
    return model && !this.#stale.has(version) ? model : this.#buildModel(version);
  }

  /** Starts the station: connects (retrying with back-off) and boots. Resolves once the first attempt is under way. */
  async start(reason: BootReasonEnumType = 'PowerUp'): Promise<void> {
    if (this.#running) throw new Error('the station is already running');
    this.#running = true;
    const o = this.#options;
    const versions = this.#versions;
    const protocols: Protocols = versions.map((v) => PROTOCOLS[v]);
    const client = new StationClient({
      url: o.csms.url,
      identity: o.identity,
      protocols,
      ...(o.csms.securityProfile ? { securityProfile: o.csms.securityProfile } : {}),
      ...(o.csms.password !== undefined ? { password: o.csms.password } : {}),
      ...(o.csms.tls ? { tls: o.csms.tls } : {}),
      callTimeoutMs: o.messageTimeoutMs ?? (this.#variables.int('OCPPCommCtrlr', 'MessageTimeout') ?? 30) * 1000,
      ...(o.trace ? { trace: o.trace } : {}),
      ...(o.random ? { random: o.random } : {}),
      ...(o.clock ? { timers: timersOf(o.clock) } : {}),
      backoff: {
        ...optional('retryBackOffWaitMinimum', this.#variables.int('OCPPCommCtrlr', 'RetryBackOffWaitMinimum')),
        ...optional('retryBackOffRandomRange', this.#variables.int('OCPPCommCtrlr', 'RetryBackOffRandomRange')),
        ...optional('retryBackOffRepeatTimes', this.#variables.int('OCPPCommCtrlr', 'RetryBackOffRepeatTimes')),
      },
    });
    const transport = new SessionTransport(() => client.current);
    const queue = new MessageQueue({
      store: this.#store,
      transport,
      protocol: versions[0]!,
      clock: this.#clock,
      retry: () => ({
        attempts: this.#variables.int('OCPPCommCtrlr', 'MessageAttemptsTransactionEvent') ?? 3,
        intervalSec: this.#variables.int('OCPPCommCtrlr', 'MessageAttemptIntervalTransactionEvent') ?? 60,
      }),
    });
    const dispatcher = new OutgoingDispatcher({
      queue,
      transport,
      store: this.#store,
      clock: this.#clock,
      queueAllMessages: () => this.#variables.bool('OCPPCommCtrlr', 'QueueAllMessages') ?? false,
      offlineThresholdSec: () => this.#variables.int('OCPPCommCtrlr', 'OfflineThreshold'),
    });
    const useCases: AnyUseCase[] = [
      bootUseCase(o.info),
      resetUseCase({ evseReset: typeof o.hardware?.reset === 'function' }),
      deviceModelUseCase(() => this.deviceModel),
      triggerUseCase(() => shell.triggerable()),
      // Last: connector statuses are derived from what the use cases before it decided for the same event.
      availabilityUseCase,
    ];
    const shell: Shell = new Shell(o.identity, o.evses, useCases, {
      clock: this.#clock,
      store: this.#store,
      variables: this.#variables,
      send: (action, payload) => dispatcher.send(action, payload),
      sendDirect: (action, payload) => transport.send(action, payload),
      setOnline: (online, afterBoot) => dispatcher.setOnline(online, { afterBoot }),
      hardware: (call) => this.#hardware(call),
      setVariable: (e) => this.#variables.set(e.component, e.variable, e.value, e),
      emit: (event) => this.emit(event.type, event as never),
      restart: (reason) => void this.#restart(reason),
    });
    queue.on('sent', (e) => shell.dispatch({ type: 'queueSent', action: e.action, payload: e.payload, response: e.response }));

    for (const version of versions) this.#registerHandlers(client, version, shell);
    client.on('connected', (session) => {
      const version = session.protocol as Version2x;
      this.emit('connected', { version });
      shell.dispatch({ type: 'connected', version });
    });
    client.on('disconnected', (info) => {
      this.emit('disconnected', { code: info.code, reason: info.reason });
      shell.dispatch({ type: 'disconnected' });
    });
    client.on('connectFailed', (info) => {
      this.emit('connectFailed', info);
      this.emit('log', { type: 'log', level: 'warn', message: `connecting to the CSMS failed (attempt ${info.attempt}): ${info.error.message}` });
    });

    this.#client = client;
    this.#transport = transport;
    this.#queue = queue;
    this.#dispatcher = dispatcher;
    this.#shell = shell;
    shell.dispatch({ type: 'started', reason });
    client.connect().catch(() => {
      /* reported through connectFailed; the client keeps retrying */
    });
  }

  /** Stops the station: closes the connection; queued messages stay in the store for the next start. */
  async stop(): Promise<void> {
    await this.#teardown();
    if (this.#ownsStore) this.#store.close();
  }

  /** The CSMS's verdict on the last BootNotification (undefined before the first answer). */
  get registration(): BootState['registration'] {
    return this.#shell?.stateOf<BootState>('boot')?.registration;
  }

  /** Whether a connection to the CSMS is open. */
  get connected(): boolean {
    return this.#shell?.connected ?? false;
  }

  // --- What the firmware reports ------------------------------------------------------------------------------

  /** An EV's cable was plugged into the connector. */
  cablePlugged(evseId: number, connectorId = 1): void {
    this.#firmware({ type: 'cablePlugged', ...this.#connector('cablePlugged', evseId, connectorId) });
  }

  /** The EV's cable was unplugged from the connector. */
  cableUnplugged(evseId: number, connectorId = 1): void {
    this.#firmware({ type: 'cableUnplugged', ...this.#connector('cableUnplugged', evseId, connectorId) });
  }

  /** The connector has a fault: it shows Faulted until `connectorRecovered`. */
  connectorFaulted(evseId: number, connectorId = 1): void {
    this.#firmware({ type: 'connectorFaulted', ...this.#connector('connectorFaulted', evseId, connectorId) });
  }

  connectorRecovered(evseId: number, connectorId = 1): void {
    this.#firmware({ type: 'connectorRecovered', ...this.#connector('connectorRecovered', evseId, connectorId) });
  }

  /** An idToken was presented (card reader, app, …), optionally at an EVSE. */
  idTokenPresented(idToken: IdTokenType, evseId?: number): void {
    if (!idToken || typeof idToken.idToken !== 'string' || typeof idToken.type !== 'string') throw new TypeError('idTokenPresented(idToken): idToken must be { idToken: string, type: IdTokenEnumType }');
    if (evseId !== undefined && !this.#options.evses.some((e) => e.id === evseId)) throw new RangeError(`idTokenPresented: evseId ${evseId} does not exist`);
    this.#firmware({ type: 'idTokenPresented', idToken, ...(evseId !== undefined ? { evseId } : {}) });
  }

  // --- Internals --------------------------------------------------------------------------------------------

  #firmware(event: FirmwareEvent): void {
    if (!this.#shell) throw new Error('the station is not started');
    this.#shell.dispatch(event);
  }

  #connector(method: string, evseId: number, connectorId: number): { evseId: number; connectorId: number } {
    const evse = this.#options.evses.find((e) => e.id === evseId);
    if (!evse) throw new RangeError(`${method}: evseId ${evseId} does not exist (EVSEs: ${this.#options.evses.map((e) => e.id).join(', ')})`);
    if (!evse.connectors.some((c) => c.id === connectorId)) throw new RangeError(`${method}: EVSE ${evseId} has no connector ${connectorId}`);
    return { evseId, connectorId };
  }

  #registerHandlers(client: StationClient<Protocols>, version: Version2x, shell: Shell): void {
    const session = client.session(version);
    for (const action of shell.answeredActions()) {
      const handle = session.handle as unknown as (a: string, fn: (req: unknown, ctx: { messageId: string }) => unknown) => void;
      const after = session.after as unknown as (a: string, fn: (req: unknown, res: unknown, ctx: { messageId: string }) => void) => void;
      handle.call(session, action, (request, ctx) => {
        // B03.FR.08: while Rejected, the CSMS gets a SecurityError for anything it sends.
        if (shell.stateOf<BootState>('boot')?.registration === 'Rejected') throw new CallError('SecurityError', 'the CSMS rejected this station\'s BootNotification');
        return shell.answer(action as StationAnswer, request as never, ctx.messageId);
      });
      after.call(session, action, (_req, _res, ctx) => shell.answered(ctx.messageId, action));
    }
  }

  async #hardware(call: HardwareCall): Promise<unknown> {
    const hw = this.#options.hardware ?? {};
    switch (call.op) {
      case 'reset':
        return hw.reset?.(call.kind, call.evseId);
      case 'setConnectorAvailability':
        return hw.setConnectorAvailability?.(call.evseId, call.connectorId, call.operative);
      case 'unlockConnector':
        return undefined;
    }
  }

  #restart(reason: BootReasonEnumType): Promise<void> {
    this.#restarting ??= (async () => {
      await this.#teardown();
      await this.start(reason);
    })().finally(() => (this.#restarting = undefined));
    return this.#restarting;
  }

  async #teardown(): Promise<void> {
    this.#running = false;
    this.#shell?.stop();
    this.#queue?.close();
    await this.#client?.close();
    this.#client = undefined;
    this.#shell = undefined;
  }
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/** The RPC layer's timers on the station's clock, so tests move one clock for everything. */
function timersOf(clock: Clock): Timers {
  const intervals = new Map<object, unknown>();
  return {
    now: () => clock.now(),
    setTimeout: (fn, ms, arg) => clock.setTimeout(() => fn(arg), ms),
    clearTimeout: (h) => clock.clearTimeout(h as never),
    setInterval: (fn, ms, arg) => {
      const key = {};
      const tick = () => {
        intervals.set(key, clock.setTimeout(tick, ms));
        fn(arg);
      };
      intervals.set(key, clock.setTimeout(tick, ms));
      return key;
    },
    clearInterval: (key) => {
      const h = intervals.get(key as object);
      if (h) clock.clearTimeout(h as never);
      intervals.delete(key as object);
    },
  };
}

export type { SendResult };
