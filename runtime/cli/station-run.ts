// One running simulated charging station: a ChargingStation (the same public API an integrator uses) on a real
// store file, wired to the simulated hardware, printing a readable log, optionally tracing every frame, and
// executing the commands of stdin and --script. `ocppkit station` and the demo both run one of these.
import type { Writable } from 'node:stream';
import type { ConnectorStatusEnumType } from '../../generated/v201/types.js';
import type { ProtocolName } from '../protocol.js';
import { ConnectFailedError, HandshakeRefusedError, ProtocolNegotiationError } from '../rpc/errors.js';
import type { StationTlsOptions } from '../rpc/tls.js';
import { jsonLinesTrace, type JsonLinesTrace, type TraceEntry, type TraceSink } from '../rpc/trace.js';
import type { BootInfo } from '../station/B-provisioning/boot.js';
import { ChargingStation } from '../station/charging-station.js';
import { checkOptions, type ChargingStationOptions } from '../station/options.js';
import type { SqliteEngine } from '../store/engine.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import type { Log } from './output.js';
import { messageOf } from '../error-text.js';
import { FIRMWARE_NS, SimulatedFirmware, SIMULATED_METER } from './simulated-firmware.js';
import { SimulatedHardware } from './simulator.js';
import { COMMAND_HELP, type StationCommand } from './station-commands.js';
import { stationFrameLog } from './station-log.js';

export interface StationRunOptions {
  identity: string;
  /** The CSMS base URL; the station connects to `<url>/<identity>`. */
  csmsUrl: string;
  versions: ProtocolName[];
  dbPath: string;
  /** The store's SQLite engine (default better-sqlite3). */
  dbEngine?: SqliteEngine;
  evses: number;
  /** What a charging EV draws, W. */
  powerW: number;
  info: BootInfo;
  securityProfile?: 1 | 2 | 3;
  password?: string;
  tls?: StationTlsOptions;
  /**
   * Profile 3 without a certificate: the CSMS's enrollment endpoint (profile 2), the second network profile, where
   * the station gets its first certificate (A02) before it reconnects to `csmsUrl` with profile 3.
   */
  enrollUrl?: string;
  /** Initial device-model values (`Component.Variable` → value). */
  variables?: Record<string, string>;
  /** Append every frame as JSON lines to this file. */
  tracePath?: string;
  /** Also give every trace entry (frames secrets masked, connection events) to this sink: the web view (--ui). */
  extraTrace?: TraceSink;
  /** ManufacturerRootCertificates (PEM): firmware must then be signed by a certificate one of them issued (L01). */
  firmwareRoots?: string[];
  /** Give up when no connection was made within this many seconds (0: keep trying). */
  connectTimeoutSec: number;
  log: Log;
  /** Where `status` and `help` print (no timestamps). */
  out: Writable;
}

/**
 * A graceful stop first lets the messages in flight be answered — the RPC layer sends one CALL at a time, so
 * messages the last commands caused may still be waiting — for at most this long. Queued transaction messages stay
 * in the store either way.
 */
const STOP_GRACE_MS = 2000;
/** No frame for this long, and nothing unanswered: the station has nothing more to say for now. */
const QUIET_MS = 150;
/** Lines of the station's log kept for GetLog's DiagnosticsLog. */
const RECENT_LOG_LINES = 500;

/** The log, keeping its latest lines (with their time) for the diagnostics log. */
function recording(log: Log, lines: string[]): Log {
  const keep = (level: string, text: string) => {
    lines.push(`${new Date().toISOString()} ${level} ${text}`);
    if (lines.length > RECENT_LOG_LINES) lines.splice(0, lines.length - RECENT_LOG_LINES);
  };
  return {
    info: (text) => (keep('info', text), log.info(text)),
    warn: (text) => (keep('warn', text), log.warn(text)),
    error: (text) => (keep('error', text), log.error(text)),
  };
}

/** How often the simulated meter registers are written to the store while energy flows (at most this much is lost to a kill). */
const METER_SAVE_MS = 1000;

export class StationRun {
  readonly station: ChargingStation;
  readonly hardware: SimulatedHardware;
  readonly #options: StationRunOptions;
  readonly #store: Store;
  readonly #trace: JsonLinesTrace | undefined;
  readonly #statuses = new Map<number, ConnectorStatusEnumType>();
  /** The transaction running on each EVSE, from the station's events. */
  readonly #transactions = new Map<number, string>();
  readonly #firmware: SimulatedFirmware;
  #version: string | undefined;
  #everConnected = false;
  #connectTimer: NodeJS.Timeout | undefined;
  #keepAlive: NodeJS.Timeout | undefined;
  #meterSaver: NodeJS.Timeout | undefined;
  #stopping: Promise<void> | undefined;
  #failure: string | undefined;
  /** Our CALLs not answered yet, and when the last frame passed: what a graceful stop waits for. */
  readonly #unanswered = new Set<string>();
  #lastFrameAt = 0;
  #settle!: (outcome: { code: number; reason?: string }) => void;
  #accepted!: () => void;
  /** Resolves when the run is over: code 0 after stop(), 1 when it could not go on. */
  readonly finished: Promise<{ code: number; reason?: string }>;
  /** Resolves when the CSMS first accepted the BootNotification. */
  readonly accepted: Promise<void>;

  /** Opens the store and builds the station; throws StationOptionsError / StoreError for bad settings. */
  constructor(given: StationRunOptions) {
    const recent: string[] = [];
    // A copy of info: the simulated firmware changes its firmwareVersion when it installs one.
    const options = { ...given, log: recording(given.log, recent), info: { ...given.info } };
    this.#options = options;
    this.finished = new Promise((resolve) => (this.#settle = resolve));
    this.accepted = new Promise((resolve) => (this.#accepted = resolve));
    const frames = stationFrameLog(options.log);
    const trace = (entry: TraceEntry) => {
      this.#trace?.(entry);
      this.#watch(entry);
      frames(entry);
      options.extraTrace?.(entry);
    };
    const stationOptions: ChargingStationOptions = {
      identity: options.identity,
      ...(options.enrollUrl === undefined
        ? {
            csms: {
              url: options.csmsUrl,
              ...(options.securityProfile ? { securityProfile: options.securityProfile } : {}),
              ...(options.password !== undefined ? { password: options.password } : {}),
              ...(options.tls ? { tls: options.tls } : {}),
            },
          }
        : {
            // Tried in this order (B10): profile 3 once a certificate is installed, else enrollment with profile 2.
            networkProfiles: [
              { slot: 1, url: options.csmsUrl, securityProfile: 3, ...(options.tls ? { tls: options.tls } : {}) },
              {
                slot: 2,
                url: options.enrollUrl,
                securityProfile: 2,
                ...(options.password !== undefined ? { password: options.password } : {}),
                ...(options.tls?.ca ? { tls: { ca: options.tls.ca } } : {}),
              },
            ],
          }),
      versions: options.versions,
      info: options.info,
      // A three-phase AC station; each EVSE can deliver what the simulated EV draws, through a Type 2 socket.
      supplyPhases: 3,
      evses: Array.from({ length: options.evses }, (_, i) => ({
        id: i + 1,
        maxPower: options.powerW,
        connectors: [{ id: 1, type: 'sType2' }],
      })),
      store: { path: options.dbPath, ...(options.dbEngine ? { engine: options.dbEngine } : {}) },
      deviceModel: SIMULATED_METER,
      variables: options.variables ?? {},
      // 2.1: the CSMS's default tariffs are kept and the simulated display shows the cost calculated under them.
      tariffs: {},
      trace,
      ...(options.firmwareRoots ? { firmware: { rootCertificates: options.firmwareRoots, requireSigned: true } } : {}),
    };
    // Bad settings are reported before the store file is created.
    checkOptions(stationOptions);
    this.#store = openSqliteStore(options.dbPath, options.dbEngine ? { engine: options.dbEngine } : {});
    try {
      this.hardware = new SimulatedHardware({ evses: options.evses, powerW: options.powerW, store: this.#store });
      // The firmware a previous run installed is what this one runs.
      const installed = this.#store.get<string>(FIRMWARE_NS, 'version');
      if (typeof installed === 'string') options.info.firmwareVersion = installed;
      this.#firmware = new SimulatedFirmware(this.hardware, options.log, {
        info: options.info,
        store: this.#store,
        recentLog: () => [...recent],
      });
      this.station = new ChargingStation({ ...stationOptions, store: this.#store, hardware: this.#firmware.callbacks });
      this.#firmware.attach(this.station);
      this.#trace = options.tracePath ? jsonLinesTrace(options.tracePath) : undefined;
    } catch (e) {
      this.#store.close();
      throw e;
    }
    this.#listen();
  }

  /** What the simulated hardware measures now: the variable's Actual value (the monitors of block N watch it). */
  #measure(component: string, evse: { id: number; connectorId?: number } | undefined, variable: string, value: string) {
    const { log } = this.#options;
    try {
      this.station.deviceModel.set(evse ? { name: component, evse } : component, variable, value);
      log.info(
        `${component}${evse ? `(${evse.id}${evse.connectorId !== undefined ? `,${evse.connectorId}` : ''})` : ''}.${variable} reads ${value}`,
      );
    } catch (e) {
      log.warn(`set ${component}.${variable}: ${messageOf(e)}`);
    }
  }

  /** Connects and boots; failures to connect are reported through `finished`. */
  async start(): Promise<void> {
    const { log, csmsUrl, identity, versions, connectTimeoutSec } = this.#options;
    // The station's own timers do not keep the process alive (a library must not); a simulator must stay up.
    this.#keepAlive = setInterval(() => {}, 1 << 30);
    // A real meter keeps its register through a power loss: written every second while energy flows (simulator.ts).
    this.#meterSaver = setInterval(() => this.hardware.save(), METER_SAVE_MS).unref();
    log.info(
      `station ${identity}: connecting to ${csmsUrl.replace(/\/+$/, '')}/${encodeURIComponent(identity)} (${versions.join(', ')})`,
    );
    if (connectTimeoutSec > 0) {
      this.#connectTimer = setTimeout(() => {
        if (!this.#everConnected)
          this.#fail(
            `could not connect to the CSMS within ${connectTimeoutSec} s (see the warnings above; --connect-timeout 0 keeps trying)`,
          );
      }, connectTimeoutSec * 1000);
    }
    await this.station.start();
  }

  /** Executes one command; `quit` stops the run. */
  async run(command: StationCommand): Promise<void> {
    const { log } = this.#options;
    const s = this.station;
    const hw = this.hardware;
    switch (command.op) {
      case 'plug':
        if (!hw.plug(command.evseId)) return log.warn(`EVSE ${command.evseId}: the cable is already plugged in`);
        log.info(`EVSE ${command.evseId}: cable plugged in`);
        return s.cablePlugged(command.evseId);
      case 'unplug':
        if (!hw.unplug(command.evseId)) return log.warn(`EVSE ${command.evseId}: no cable is plugged in`);
        log.info(`EVSE ${command.evseId}: cable unplugged`);
        return s.cableUnplugged(command.evseId);
      case 'fault':
        if (!hw.fault(command.evseId)) return log.warn(`EVSE ${command.evseId}: already faulted`);
        log.info(`EVSE ${command.evseId}: connector fault`);
        s.connectorFaulted(command.evseId);
        return this.#firmware.reportFlow(command.evseId);
      case 'clear':
        if (!hw.clear(command.evseId)) return log.warn(`EVSE ${command.evseId}: has no fault`);
        log.info(`EVSE ${command.evseId}: fault cleared`);
        s.connectorRecovered(command.evseId);
        return this.#firmware.reportFlow(command.evseId);
      case 'auth':
        log.info(
          `card ${command.idToken} presented${command.evseId !== undefined ? ` at EVSE ${command.evseId}` : ''}`,
        );
        return s.idTokenPresented({ idToken: command.idToken, type: 'ISO14443' }, command.evseId);
      case 'swap':
        if (this.#version !== 'ocpp2.1') return log.warn('swap: battery swapping needs an OCPP 2.1 connection');
        log.info(`battery swap requested with ${command.idToken}`);
        return s.batterySwapRequested({ idToken: command.idToken, type: 'ISO14443' });
      case 'status':
        return void this.#options.out.write(`${this.statusText()}\n`);
      case 'help':
        return void this.#options.out.write(`${COMMAND_HELP}\n`);
      case 'sleep':
        return new Promise((resolve) => setTimeout(resolve, command.seconds * 1000));
      case 'temperature':
        return this.#measure('TemperatureSensor', undefined, 'Temperature', String(command.celsius));
      case 'set': {
        const evse =
          command.evseId === undefined
            ? undefined
            : {
                id: command.evseId,
                ...(command.connectorId !== undefined ? { connectorId: command.connectorId } : {}),
              };
        return this.#measure(command.component, evse, command.variable, command.value);
      }
      case 'quit':
        return this.stop();
    }
  }

  statusText(): string {
    const s = this.station;
    const lines = [
      `station ${s.identity}: ${s.connected ? `connected (${this.#version})` : 'not connected'}, registration ${s.registration ?? 'none yet'}, ${this.#store.outbox.count()} queued message(s)`,
    ];
    for (let id = 1; id <= this.hardware.evseCount; id++) {
      const hw = this.hardware.state(id);
      const meter = this.hardware.read(id);
      const tx = this.#transactions.get(id);
      lines.push(
        `EVSE ${id}: ${this.#statuses.get(id) ?? 'status not reported yet'}, cable ${hw.plugged ? 'plugged' : 'unplugged'}${hw.faulted ? ', faulted' : ''}, relay ${hw.relayClosed ? 'closed' : 'open'}, meter ${(meter.energyWh / 1000).toFixed(3)} kWh at ${meter.powerW} W${tx ? `, transaction ${tx}` : ''}`,
      );
    }
    return lines.join('\n');
  }

  /** Whether stop() was called (by a command, a signal or a failure). */
  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  /** Stops cleanly: the connection is closed, queued messages stay in the store, the trace is flushed. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      clearTimeout(this.#connectTimer);
      clearInterval(this.#meterSaver);
      this.#options.log.info('stopping');
      this.#firmware.silence();
      try {
        this.hardware.save();
        if (this.station.connected) await this.#quiet(STOP_GRACE_MS);
        await this.station.stop();
      } finally {
        this.#store.close();
        await this.#trace?.close();
        clearInterval(this.#keepAlive);
        this.#options.log.info('stopped');
        this.#settle(this.#failure === undefined ? { code: 0 } : { code: 1, reason: this.#failure });
      }
    })();
    return this.#stopping;
  }

  /** Waits (at most `maxMs`) until our CALLs are answered and no frame has passed for a moment. */
  async #quiet(maxMs: number): Promise<void> {
    const end = Date.now() + maxMs;
    while (Date.now() < end && (this.#unanswered.size > 0 || Date.now() - this.#lastFrameAt < QUIET_MS)) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  #watch(entry: TraceEntry): void {
    if (entry.direction === 'event') {
      if (entry.event === 'disconnected') this.#unanswered.clear();
      return;
    }
    this.#lastFrameAt = Date.now();
    const frame = entry.frame;
    if (!Array.isArray(frame)) return;
    if (entry.direction === 'out' && frame[0] === 2) this.#unanswered.add(String(frame[1]));
    else if (entry.direction === 'in' && frame[0] !== 2) this.#unanswered.delete(String(frame[1]));
  }

  #fail(reason: string): void {
    if (this.#stopping) return;
    this.#failure = reason;
    this.#options.log.error(reason);
    void this.stop();
  }

  #listen(): void {
    const { log } = this.#options;
    const s = this.station;
    s.on('connected', ({ version }) => {
      this.#everConnected = true;
      this.#version = version;
      clearTimeout(this.#connectTimer);
      log.info(`connected (${version})`);
    });
    s.on('disconnected', ({ code, reason }) => {
      const why = `${code}${reason ? ` ${reason}` : ''}`;
      if (this.stopping) log.info(`disconnected (${why})`);
      else log.warn(`disconnected (${why}); reconnecting`);
    });
    s.on('connectFailed', ({ error, attempt }) => {
      log.warn(`connecting failed (attempt ${attempt}): ${error.message}`);
      // Before the first connection, what retrying cannot fix ends the run: the URL, credentials, version or
      // certificates are wrong. (Once connected, the station keeps reconnecting, as a real one does.)
      if (!this.#everConnected && isPermanent(error))
        this.#fail(`cannot connect to the CSMS: ${error.message}${hint(error)}`);
    });
    // A restarted station (after a Reset) knows nothing of the hardware: the firmware reports what is still there,
    // as a real one reads its sensors at boot — a cable left plugged is Occupied, not Available (issue 19).
    s.on('started', () => {
      for (let id = 1; id <= this.hardware.evseCount; id++) {
        const hw = this.hardware.state(id);
        if (hw.faulted) s.connectorFaulted(id);
        if (hw.plugged) {
          log.info(`EVSE ${id}: the cable is still plugged in`);
          s.cablePlugged(id);
        }
      }
    });
    s.on('registration', ({ status, interval }) => {
      if (status === 'Accepted') {
        log.info(`boot accepted (heartbeat every ${interval} s)`);
        this.#accepted();
      } else log.warn(`boot ${status}: BootNotification again in ${interval || 'a few'} s`);
    });
    s.on('transactionStarted', ({ evseId, transactionId }) => this.#transactions.set(evseId, transactionId));
    s.on('transactionEnded', ({ evseId, transactionId }) => {
      for (const [id, tx] of this.#transactions)
        if (id === evseId || tx === transactionId) this.#transactions.delete(id);
    });
    s.on('authorization', ({ idToken, idTokenInfo, source, refusal }) =>
      log.info(`idToken ${idToken.idToken}: ${idTokenInfo.status} (${source}${refusal ? `, ${refusal}` : ''})`),
    );
    s.on('connectorStatus', ({ evseId, connectorId, status }) => {
      this.#statuses.set(evseId, status);
      log.info(`EVSE ${evseId} connector ${connectorId}: ${status}`);
    });
    s.on('log', ({ level, message }) => {
      // Connection failures have their own line above.
      if (message.startsWith('connecting to the CSMS')) return;
      if (level === 'info') log.info(message);
      else if (level === 'warn') log.warn(message);
      else log.error(message);
    });
  }
}

function isPermanent(error: Error): boolean {
  if (error instanceof HandshakeRefusedError || error instanceof ProtocolNegotiationError) return true;
  return (
    error instanceof ConnectFailedError &&
    /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO|HOSTNAME|ALTNAME|ENOTFOUND/.test(error.reason)
  );
}

function hint(error: Error): string {
  if (error instanceof HandshakeRefusedError && error.status === 404)
    return ' — check --csms (the station connects to <url>/<id>) and --id';
  if (error instanceof HandshakeRefusedError && error.status === 401)
    return ' — check --password / --security-profile, or the certificate';
  if (error instanceof ProtocolNegotiationError) return ' — the CSMS speaks none of the --ocpp versions';
  if (error instanceof ConnectFailedError && error.reason === 'ENOTFOUND') return ' — check the host name in --csms';
  if (error instanceof ConnectFailedError) return ' — check --ca, --cert, --key and the CSMS certificate';
  return '';
}
