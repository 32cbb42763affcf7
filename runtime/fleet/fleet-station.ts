// One simulated station of a fleet: a ChargingStation (the public API) with the simulated hardware and firmware of
// `ocppkit station`, a trace sink that times every CALL it sends until the CSMS answers, and the automatic session
// generator of each EVSE: plug, card, charge for a random time at a random power, unplug, pause.
import type { ProtocolName } from '../protocol.js';
import { HandshakeRefusedError } from '../rpc/errors.js';
import type { TraceEntry, TraceSink } from '../rpc/trace.js';
import { ChargingStation } from '../station/charging-station.js';
import type { ChargingStationOptions } from '../station/options.js';
import type { Store } from '../store/types.js';
import type { Log } from '../cli/output.js';
import { SIMULATED_METER, SimulatedFirmware } from '../cli/simulated-firmware.js';
import { SimulatedHardware } from '../cli/simulator.js';
import { messageOf } from '../error-text.js';
import { bump, record, type FleetDelta } from './metrics.js';
import { draw, pick } from './random.js';
import { expandPassword, type ResolvedTemplate } from './template.js';

export interface FleetStationSpec {
  n: number;
  identity: string;
  version: ProtocolName;
  csmsUrl: string;
  template: ResolvedTemplate;
  store: Store;
  random: () => number;
  /** Where the station's counts go (the worker's delta, reset at every tick). */
  delta: () => FleetDelta;
  /** Sessions per station (over all its EVSEs) before its generators stop; 0: no limit. */
  sessionsLimit: number;
  /** CA certificate(s) for wss:// (security profile 2). */
  ca?: string;
  /** Also gets every trace entry (frames secrets masked): the web view's message feed (`--ui`). */
  trace?: TraceSink;
  /** Called once the station is built, before it connects: the web view follows its events from there. */
  built?: (station: ChargingStation) => void;
}

export type FleetStationState = 'waiting' | 'connecting' | 'accepted' | 'offline' | 'stopped';

/** How long a stopping station waits for its last messages (the Ended of running transactions) to be answered. */
const STOP_GRACE_MS = 2000;
/** How long the generator waits for a transaction to start after plug and card. */
const START_WAIT_MS = 15_000;
/** How long it waits for the transaction to end after the unplug. */
const END_WAIT_MS = 10_000;

const silent: Log = { info: () => {}, warn: () => {}, error: () => {} };

/** The ChargingStation options a fleet station is built with, from the template (without its hooks). */
export function stationOptions(
  spec: Pick<FleetStationSpec, 'n' | 'identity' | 'version' | 'csmsUrl' | 'template' | 'store' | 'ca'>,
): ChargingStationOptions {
  const { template: t, identity, version } = spec;
  const s = t.stations;
  const sec = t.security;
  return {
    identity,
    csms: {
      url: spec.csmsUrl,
      ...(sec.profile !== undefined ? { securityProfile: sec.profile } : {}),
      ...(sec.password !== undefined ? { password: expandPassword(sec.password, spec.n, identity) } : {}),
      ...(spec.ca !== undefined ? { tls: { ca: spec.ca } } : {}),
    },
    versions: [version],
    info: { model: s.model, vendorName: s.vendor, firmwareVersion: s.firmwareVersion },
    supplyPhases: 3,
    evses: Array.from({ length: s.evses }, (_, i) => ({
      id: i + 1,
      maxPower: s.maxPowerW,
      connectors: [{ id: 1, type: 'sType2' }],
    })),
    store: spec.store,
    deviceModel: SIMULATED_METER,
    // The device model needs an organization name ocppkit cannot default (as `ocppkit station` gives it).
    variables:
      version === 'ocpp1.6'
        ? { 'SecurityCtrlr.OrganizationName': 'ocppkit', ...s.configuration16 }
        : { 'SecurityCtrlr.OrganizationName': 'ocppkit', ...s.deviceModel },
    messageTimeoutMs: s.messageTimeoutSec * 1000,
  };
}

export class FleetStation {
  readonly spec: FleetStationSpec;
  state: FleetStationState = 'waiting';
  /** Transactions running, by EVSE. */
  readonly transactions = new Map<number, string>();
  /** Sessions completed (unplugged and ended). */
  sessions = 0;
  /** Whether every EVSE's generator is done (its sessions, or the run's end). */
  generatorDone = false;
  #station: ChargingStation | undefined;
  #hardware: SimulatedHardware | undefined;
  #firmware: SimulatedFirmware | undefined;
  /** Our CALLs waiting for their answer: message id → what to count it as, and when it left. */
  readonly #pending = new Map<string, { key: string; action: string; at: number }>();
  readonly #abort = new AbortController();
  #stopping = false;
  #generators: Promise<void>[] = [];
  /** Wakes the generators waiting for a transaction event. */
  readonly #waiters = new Set<() => void>();

  constructor(spec: FleetStationSpec) {
    this.spec = spec;
  }

  /** Builds and connects the station and starts its session generators. */
  async start(): Promise<void> {
    const { template: t, store } = this.spec;
    const s = t.stations;
    this.#hardware = new SimulatedHardware({ evses: s.evses, powerW: s.maxPowerW, store });
    this.#firmware = new SimulatedFirmware(this.#hardware, silent);
    const options: ChargingStationOptions = {
      ...stationOptions(this.spec),
      random: this.spec.random,
      trace: this.spec.trace ? (entry) => (this.#trace(entry), this.spec.trace!(entry)) : (entry) => this.#trace(entry),
      hardware: this.#firmware.callbacks,
    };
    const station = new ChargingStation(options);
    this.#station = station;
    this.#firmware.attach(station);
    this.#listen(station);
    this.spec.built?.(station);
    this.state = 'connecting';
    await station.start();
    this.#generators = Array.from({ length: s.evses }, (_, i) => this.#generate(i + 1));
    void Promise.all(this.#generators).then(() => (this.generatorDone = true));
  }

  /** Stops cleanly: drivers unplug, the last messages get (a bounded time) to be answered, the connection closes. */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#abort.abort();
    for (const w of this.#waiters) w();
    const station = this.#station;
    const hw = this.#hardware;
    if (!station || !hw) return void (this.state = 'stopped');
    for (let id = 1; id <= hw.evseCount; id++) {
      if (hw.unplug(id)) station.cableUnplugged(id);
    }
    this.#firmware?.silence();
    const end = Date.now() + STOP_GRACE_MS;
    while (Date.now() < end && station.connected && (this.#pending.size > 0 || this.#queued() > 0)) {
      await new Promise((r) => setTimeout(r, 25));
    }
    try {
      await station.stop();
    } catch {
      /* stopping a station whose connection failed: nothing more to do */
    }
    this.state = 'stopped';
  }

  /** The station once started (the web view's commands run on it). */
  get station(): ChargingStation | undefined {
    return this.#station;
  }

  get hardware(): SimulatedHardware | undefined {
    return this.#hardware;
  }

  /** Whether stop() was called. */
  get stopping(): boolean {
    return this.#stopping;
  }

  /** After a fault or its clearing: the firmware tells the station whether energy flows now (as `ocppkit station`). */
  reportFlow(evseId: number): void {
    this.#firmware?.reportFlow(evseId);
  }

  #queued(): number {
    try {
      return this.spec.store.outbox.count();
    } catch {
      return 0;
    }
  }

  #listen(station: ChargingStation): void {
    const d = () => this.spec.delta();
    station.on('registration', ({ status }) => {
      if (status === 'Accepted' && station.connected) {
        this.state = 'accepted';
        bump(d().events, 'bootAccepted');
      }
    });
    station.on('connected', () => {
      // B04: a reconnect to the CSMS that accepted the station is no new boot: it is accepted again at once.
      if (this.state === 'offline') this.state = station.registration === 'Accepted' ? 'accepted' : 'connecting';
    });
    station.on('disconnected', () => {
      this.#pending.clear();
      if (this.#stopping) return;
      bump(d().failures, 'dropped');
      if (this.state === 'accepted') this.state = 'offline';
    });
    station.on('connectFailed', ({ error }) => {
      if (this.#stopping) return;
      bump(d().failures, error instanceof HandshakeRefusedError ? `refused ${error.status}` : 'connect failed');
    });
    station.on('transactionStarted', ({ evseId, transactionId }) => {
      this.transactions.set(evseId, transactionId);
      bump(d().events, 'transactionStarted');
      this.#wake();
    });
    station.on('transactionEnded', ({ evseId, transactionId }) => {
      for (const [id, tx] of this.transactions) if (id === evseId || tx === transactionId) this.transactions.delete(id);
      bump(d().events, 'transactionEnded');
      this.#wake();
    });
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }

  /** Counts our CALLs and times them until the CSMS's CALLRESULT or CALLERROR. */
  #trace(entry: TraceEntry): void {
    const d = this.spec.delta();
    if (entry.direction === 'event') {
      if (entry.event === 'callTimeout') {
        const id = String(entry.detail?.messageId);
        if (this.#pending.delete(id)) bump(d.failures, 'timed out');
      }
      return;
    }
    const frame = entry.frame;
    if (!Array.isArray(frame)) return;
    if (entry.direction === 'out' && frame[0] === 2) {
      const action = String(frame[2]);
      const payload = frame[3] as { eventType?: unknown } | undefined;
      // TransactionEvents are counted by eventType: Started / Updated / Ended are what a load test compares.
      const key = action === 'TransactionEvent' ? `TransactionEvent(${String(payload?.eventType)})` : action;
      bump(d.sent, key);
      this.#pending.set(String(frame[1]), { key, action, at: performance.now() });
    } else if (entry.direction === 'in' && (frame[0] === 3 || frame[0] === 4)) {
      const call = this.#pending.get(String(frame[1]));
      if (!call) return;
      this.#pending.delete(String(frame[1]));
      record((d.latency[call.action] ??= {}), performance.now() - call.at);
      if (frame[0] === 3) bump(d.answered, call.key);
      else bump(d.callErrors, String(frame[2]));
    }
  }

  /** Sleeps, or returns false at once when the station stops. */
  #sleep(seconds: number): Promise<boolean> {
    if (this.#stopping) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#abort.signal.removeEventListener('abort', done);
        resolve(!this.#stopping);
      };
      const timer = setTimeout(done, Math.max(0, seconds * 1000));
      this.#abort.signal.addEventListener('abort', done);
    });
  }

  /** Waits until `ready()` holds (checked on every transaction event), at most `ms`; false when it did not. */
  #until(ready: () => boolean, ms: number): Promise<boolean> {
    if (ready()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!ready() && !this.#stopping) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(ready());
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        resolve(ready());
      }, ms);
      this.#waiters.add(check);
    });
  }

  /** The session generator of one EVSE; ends at the session limit or when the station stops. */
  async #generate(evseId: number): Promise<void> {
    const { template: t, random, sessionsLimit } = this.spec;
    const cfg = t.sessions;
    const station = this.#station!;
    const hw = this.#hardware!;
    try {
      while (!this.#stopping && (sessionsLimit === 0 || this.sessions < sessionsLimit)) {
        if (!(await this.#sleep(draw(random, cfg.plugDelaySec)))) return;
        // A driver only comes to a station the CSMS accepted (one that is offline keeps waiting).
        if (this.state !== 'accepted') continue;
        const card = { idToken: pick(random, cfg.idTags), type: 'ISO14443' as const };
        // The EV draws the session's power, at most what the EVSE delivers (a CSMS charging limit replaces it).
        hw.setLimit(evseId, Math.min(t.stations.maxPowerW, Math.round(draw(random, cfg.powerW))));
        const plug = () => {
          if (hw.plug(evseId)) station.cablePlugged(evseId);
        };
        const present = () => station.idTokenPresented(card, evseId);
        if (random() < cfg.cardFirstProbability) {
          present();
          if (!(await this.#sleep(draw(random, cfg.cardDelaySec)))) return;
          plug();
        } else {
          plug();
          if (!(await this.#sleep(draw(random, cfg.cardDelaySec)))) return;
          present();
        }
        const started = await this.#until(() => this.transactions.has(evseId), START_WAIT_MS);
        if (started && !(await this.#sleep(draw(random, cfg.chargeSec)))) return;
        if (hw.unplug(evseId)) station.cableUnplugged(evseId);
        if (started) {
          const ended = await this.#until(() => !this.transactions.has(evseId), END_WAIT_MS);
          if (ended) {
            this.sessions++;
            bump(this.spec.delta().events, 'sessionsCompleted');
          }
        } else bump(this.spec.delta().events, 'sessionsNotStarted');
        if (sessionsLimit !== 0 && this.sessions >= sessionsLimit) return;
        if (!(await this.#sleep(draw(random, cfg.pauseSec)))) return;
      }
    } catch (e) {
      // A generator never takes the worker down: its error is counted and it stops.
      bump(this.spec.delta().failures, `generator: ${messageOf(e).slice(0, 60)}`);
    }
  }
}
