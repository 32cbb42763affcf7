// The OCPP 1.6J station behind `ChargingStation` (versions ['ocpp1.6']): the same shell, store, durable queue and
// dispatcher as 2.x, with the 1.6 blocks (blocks.ts `blocks16`) and an RPC client offering ocpp1.6. The facade
// (charging-station.ts) keeps the public API — options, hardware callbacks, firmware methods, events — and hands
// the events to this runtime.
//
// 1.6 has no network connection profiles: the station connects to `csms` (or the first of `networkProfiles`),
// reconnecting with the RPC client's back-off — unless the CSMS raised SecurityProfile (TC_083_CS), which picks the
// connection of that profile (security/profile.ts).
import { protocol as v16 } from '../../../generated/v16/index.js';
import type { BootReasonEnumType } from '../../../generated/v201/types.js';
import type { Clock } from '../../queue/clock.js';
import { OutgoingDispatcher } from '../../queue/dispatcher.js';
import { MessageQueue } from '../../queue/queue.js';
import { CallError } from '../../rpc/errors.js';
import { StationClient } from '../../rpc/client.js';
import { authorizationKeyPassword } from '../../rpc/auth.js';
import { tlsWithInstalled } from '../M-certificates/tls.js';
import { keyFolderOf } from '../M-certificates/store.js';
import type { BackoffConfig } from '../../rpc/backoff.js';
import type { Store } from '../../store/types.js';
import type { TransferOutcome, TransferRequest } from '../../transfer/types.js';
import { timersOf } from '../core/connection.js';
import { Shell } from '../core/shell.js';
import { SessionTransport } from '../core/transport.js';
import type { Family16 } from '../core/family.js';
import type {
  HardwareCall,
  MeterReading,
  PublicEvent,
  QueueSentEvent,
  StationEvent,
  VariableReader,
} from '../core/types.js';
import type { ChargingStationOptions } from '../options.js';
import { useCases16 } from '../blocks.js';
import { int16 } from './configuration/read.js';
import { messageOf } from '../../error-text.js';
import type { CertificatePorts } from '../M-certificates/api.js';
import { pncPorts16 } from './iso15118/api.js';
import { connectionFor } from './security/profile.js';

type Client16 = StationClient<[typeof v16]>;

/**
 * 1.6 has no reconnection keys: the 2.x variables OCPPCommCtrlr.RetryBackOffWaitMinimum / RandomRange / RepeatTimes
 * given in `variables` set the client's back-off (Part 4 of 2.x describes the same algorithm); else its defaults.
 */
function backoff16(variables: ChargingStationOptions['variables']): Partial<BackoffConfig> {
  const out: Partial<BackoffConfig> = {};
  for (const key of ['retryBackOffWaitMinimum', 'retryBackOffRandomRange', 'retryBackOffRepeatTimes'] as const) {
    const name = `OCPPCommCtrlr.${key[0]!.toUpperCase()}${key.slice(1)}`;
    const n = Number(variables?.[name]);
    if (variables?.[name] !== undefined && Number.isInteger(n) && n >= 0) out[key] = n;
  }
  return out;
}

/** 1.6 reads its configuration keys through the configuration block; the 2.x device model is not there. */
const NO_DEVICE_MODEL: VariableReader = { int: () => undefined, bool: () => undefined, string: () => undefined };

export interface Station16Ports {
  emit(name: string, ...args: unknown[]): void;
  hardware(call: HardwareCall): Promise<unknown>;
  meter(evseId: number): readonly MeterReading[];
  /** File transfers (Firmware Management: firmware downloads, diagnostics uploads). */
  transfer(request: TransferRequest, signal: AbortSignal): Promise<TransferOutcome>;
}

/** A request the station answers only once Accepted (1.6 §4.2: Pending admits configuration, not charging). */
/** How long a Reset waits for its StopTransactions to be answered before the station restarts. */
const RESET_DRAIN_MS = 5000;

const ACCEPTED_ONLY: ReadonlySet<string> = new Set(['RemoteStartTransaction', 'RemoteStopTransaction', 'ReserveNow']);

export class Station16 {
  readonly #options: ChargingStationOptions;
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #ports: Station16Ports;
  #client: Client16 | undefined;
  #queue: MessageQueue | undefined;
  #shell: Shell<Family16> | undefined;
  #transport: SessionTransport | undefined;
  /** The SecurityProfile of the last connection that succeeded (A05.FR.08's fallback). */
  #connectedProfile: number | undefined;
  #running = false;
  #restarting: Promise<void> | undefined;

  constructor(options: ChargingStationOptions, store: Store, clock: Clock, ports: Station16Ports) {
    this.#options = options;
    this.#store = store;
    this.#clock = clock;
    this.#ports = ports;
  }

  get shell(): Shell<Family16> | undefined {
    return this.#shell;
  }

  get connected(): boolean {
    return this.#shell?.connected ?? false;
  }

  /**
   * The ports of `station.certificates` (2.x block M's API) on 1.6: its messages wrapped in the DataTransfers of the
   * Plug & Charge application note (iso15118/api.ts); undefined while the station is not running.
   */
  certificatePorts(): CertificatePorts | undefined {
    const shell = this.#shell;
    const transport = this.#transport;
    if (!shell || !transport) return undefined;
    return pncPorts16({
      store: this.#store,
      now: () => shell.now(),
      connected: () => shell.connected,
      config: (key) => shell.query.config16?.(key),
      send: (action, payload) => transport.send(action, payload),
      dispatch: (event) => shell.dispatch(event),
    });
  }

  /** A 1.6 configuration key's value (GetConfiguration's), for the integrator and the CLI. */
  configuration(key: Parameters<typeof int16>[1]): string | undefined {
    return this.#shell?.query.config16?.(key);
  }

  async start(reason: BootReasonEnumType): Promise<void> {
    if (this.#running) throw new Error('the station is already running');
    this.#running = true;
    const o = this.#options;
    const target = o.csms ?? o.networkProfiles?.[0];
    if (!target) throw new TypeError('csms: a 1.6 station needs the CSMS URL');
    const transport = new SessionTransport(() => this.#client?.current);
    this.#transport = transport;
    let shell: Shell<Family16> | undefined;
    const config = () => shell;
    const queue = new MessageQueue({
      store: this.#store,
      transport,
      protocol: 'ocpp1.6',
      clock: this.#clock,
      // §9.1.31/32: how often a transaction message is tried, and the wait (× the attempt number) between tries.
      retry: () => {
        const s = config();
        return s
          ? {
              attempts: Math.max(1, int16(s, 'TransactionMessageAttempts')),
              intervalSec: int16(s, 'TransactionMessageRetryInterval'),
            }
          : { attempts: 3, intervalSec: 60 };
      },
    });
    const dispatcher = new OutgoingDispatcher({ queue, transport, store: this.#store, clock: this.#clock });
    shell = new Shell<Family16>(o.identity, o.evses, useCases16(o), {
      clock: this.#clock,
      store: this.#store,
      variables: NO_DEVICE_MODEL,
      send: (action, payload, options) => dispatcher.send(action, payload, options ?? {}),
      sendDirect: (action, payload) => transport.send(action, payload),
      setOnline: (online, afterBoot) => dispatcher.setOnline(online, { afterBoot }),
      hardware: (call) => this.#ports.hardware(call),
      setVariable: () => {},
      applyVariables: () => {},
      emit: (event: PublicEvent) => this.#ports.emit(event.type, event),
      restart: (why) => void this.#restart(why),
      reconnect: (why) => {
        this.#ports.emit('log', { type: 'log', level: 'info', message: `reconnecting to the CSMS: ${why}` });
        void this.#reconnect();
      },
      meter: (evseId) => this.#ports.meter(evseId),
      transfer: (request, signal) => this.#ports.transfer(request, signal),
      // 1.6: whether the StopTransaction of this local transaction waits in the queue (exactly once, §3.7).
      queued: (localId) =>
        queue.entries().some((m) => m.action === 'StopTransaction' && (localId === undefined || m.txKey === localId)),
    });
    const running = shell;
    queue.on('sent', (e) =>
      // The queue gives back what a use case sent for this action, and the response validated against its schema.
      running.dispatch({
        type: 'queueSent',
        action: e.action,
        payload: e.payload,
        response: e.response,
        ...(e.txKey !== null ? { transaction: e.txKey } : {}),
      } as QueueSentEvent<Family16>),
    );
    queue.on('discarded', (e) =>
      this.#ports.emit('log', {
        type: 'log',
        level: 'error',
        message: `${e.action} given up (${e.reason}) after ${e.failures} failed attempts`,
      }),
    );
    this.#queue = queue;
    this.#shell = running;
    running.dispatch({ type: 'started', reason });
    try {
      this.#ports.emit('started', { reason });
    } catch (err) {
      this.#ports.emit('log', {
        type: 'log',
        level: 'error',
        message: `a 'started' listener failed: ${messageOf(err)}`,
      });
    }
    this.#connect(running);
  }

  /**
   * A client for the CSMS, with the credentials of now: the AuthorizationKey the CSMS set (security whitepaper, its
   * hexadecimal digits are the password's bytes), else the integrator's password.
   */
  #connect(running: Shell<Family16>): void {
    const o = this.#options;
    // The SecurityProfile in force (the CSMS may have raised it, TC_083_CS) picks the connection.
    const profile = Number(running.query.config16?.('SecurityProfile') ?? 0);
    const target = connectionFor(o, profile) ?? (o.csms ?? o.networkProfiles?.[0])!;
    const key = running.query.config16?.('AuthorizationKey');
    const password = key ? authorizationKeyPassword(key) : target.password;
    // Profiles 2/3: the CSMS roots InstallCertificate added, and under 3 the ChargePointCertificate the CSMS signed.
    const tls = tlsWithInstalled(target.tls, target.securityProfile, this.#store, keyFolderOf(o), this.#clock.now());
    const ping = int16(running, 'WebSocketPingInterval');
    const client: Client16 = new StationClient({
      url: target.url,
      identity: o.identity,
      protocols: [v16],
      ...(target.securityProfile ? { securityProfile: target.securityProfile } : {}),
      ...(password !== undefined ? { password } : {}),
      ...(tls ? { tls } : {}),
      ...(o.messageTimeoutMs ? { callTimeoutMs: o.messageTimeoutMs } : {}),
      ...(o.trace ? { trace: o.trace } : {}),
      ...(o.random ? { random: o.random } : {}),
      ...(o.clock ? { timers: timersOf(o.clock) } : {}),
      ...(ping > 0 ? { pingIntervalSeconds: ping } : {}),
      backoff: backoff16(o.variables),
    });
    this.#install(client, running);
    client.on('connected', () => {
      this.#connectedProfile = profile;
      this.#ports.emit('connected', { version: 'ocpp1.6', slot: 0, url: target.url });
      running.dispatch({ type: 'connected', version: 'ocpp1.6' });
    });
    client.on('disconnected', (info) => {
      this.#ports.emit('disconnected', { code: info.code, reason: info.reason });
      running.dispatch({ type: 'disconnected' });
    });
    client.on('connectFailed', (info) => {
      // A05.FR.08: a raised SecurityProfile the station cannot connect with falls back to the one it connected with.
      const previous = this.#connectedProfile;
      if (previous !== undefined && profile > previous && this.#client === client)
        running.dispatch({ type: 'v16.config.set', key: 'SecurityProfile', value: String(previous) });
      this.#ports.emit('connectFailed', { error: info.error, attempt: info.attempt, slot: 0 });
      this.#ports.emit('log', {
        type: 'log',
        level: 'warn',
        message: `connecting to the CSMS failed (attempt ${info.attempt}): ${info.error.message}`,
      });
    });
    this.#client = client;
    client.connect().catch(() => {
      /* reported through connectFailed; the client keeps retrying */
    });
  }

  /** TC_073_CS: the connection closes and opens again with the credentials of now (a new AuthorizationKey). */
  async #reconnect(): Promise<void> {
    const old = this.#client;
    const running = this.#shell;
    if (!old || !running || !this.#running) return;
    await old.close();
    if (this.#client !== old || this.#shell !== running) return;
    this.#connect(running);
  }

  dispatch(event: StationEvent<Family16>): void {
    if (!this.#shell) throw new Error('the station is not started');
    this.#shell.dispatch(event);
  }

  /**
   * The power is failing and the back-up power lasts a little (TC_032_1_CS): every transaction ends now with reason
   * PowerLoss (§4.10), and the StopTransactions are given a bounded time to reach the CSMS. What is not delivered
   * stays queued for after the restart, and a transaction ended here is not ended again then.
   */
  async powerFailing(ms = RESET_DRAIN_MS): Promise<void> {
    this.dispatch({ type: 'v16.stop', connectorId: 0, reason: 'PowerLoss' });
    await this.#drained(ms);
  }

  async stop(): Promise<void> {
    await this.#restarting;
    await this.#teardown();
  }

  /**
   * Answers every CSMS→CP action of 1.6: Rejected registration → CALLERROR SecurityError; charging requests before
   * Accepted → Rejected; then the block that answers it; DataTransfer without one UnknownVendorId (§5.6); any other
   * action (a profile left out of SupportedFeatureProfiles, or one the station lacks the hardware for) CALLERROR
   * NotSupported.
   */
  #install(client: Client16, shell: Shell<Family16>): void {
    const session = client.session('ocpp1.6');
    const answered = new Set(shell.answeredActions());
    for (const [action, d] of Object.entries(v16.actions)) {
      if (d.direction === 'CS->CSMS') continue;
      session.handleByName(action, (request, ctx) => {
        const registration = shell.query.registration?.();
        if (registration === 'Rejected')
          throw new CallError('SecurityError', 'the Central System has not accepted this Charge Point');
        if (registration !== 'Accepted' && ACCEPTED_ONLY.has(action)) return { status: 'Rejected' };
        if (answered.has(action)) return shell.answer(action, request, ctx.messageId);
        if (action === 'DataTransfer') return { status: 'UnknownVendorId' };
        throw new CallError('NotSupported', `${action} is not supported by this Charge Point`);
      });
      if (answered.has(action)) session.afterByName(action, (_req, _res, ctx) => shell.answered(ctx.messageId));
    }
    session.on('answerLost', ({ messageId }) => shell.discardAnswer(messageId));
  }

  #restart(reason: BootReasonEnumType): Promise<void> {
    this.#restarting ??= (async () => {
      // §5.13: the StopTransactions of the reset go out before the connection closes, if they can (bounded): a
      // StopTransaction cut off before its answer would be sent again after the restart.
      await this.#drained(RESET_DRAIN_MS);
      await this.#teardown();
      await this.start(reason);
    })().finally(() => (this.#restarting = undefined));
    return this.#restarting;
  }

  /** Waits until the queue is empty, the connection is lost, or `ms` passed. */
  async #drained(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until && this.connected && (this.#queue?.size ?? 0) > 0)
      await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async #teardown(): Promise<void> {
    this.#running = false;
    this.#shell?.stop();
    this.#queue?.close();
    await this.#client?.close();
    this.#shell = undefined;
  }
}
