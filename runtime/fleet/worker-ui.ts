// The worker side of `ocppkit fleet --ui` (runtime/ui/README.md): for the stations of one worker, a message feed
// (every station's trace, the latest messages of the stations heard from last kept, bounded) and the views the page
// lists. Views go to the main thread coalesced — the stations that changed, at most every VIEW_FLUSH_MS — and
// frames only for the stations a page is watching. The page's commands are parsed by the station CLI's parser and
// run on the station, one at a time per station.
import type { Log } from '../cli/output.js';
import { COMMAND_HELP, CommandError, parseCommand, type StationCommand } from '../cli/station-commands.js';
import type { ChargingStation } from '../station/charging-station.js';
import { LogTap } from '../ui/log-tap.js';
import { MessageFeed } from '../ui/message-feed.js';
import type { UiCommandResult, UiMessage, UiStation } from '../ui/types.js';
import type { FleetStation } from './fleet-station.js';

/** Views of changed stations go to the main thread at most this often (10,000 metering stations would flood it). */
export const VIEW_FLUSH_MS = 500;
/** Stations per worker whose latest messages are kept for a page that opens one later. */
export const FEED_STATIONS = 200;

/** What the main thread asks of a worker for the web view. */
export type UiRequest =
  | { type: 'watch'; identity: string }
  | { type: 'unwatch'; identity: string }
  | { type: 'messages'; req: number; identity: string }
  | { type: 'execute'; req: number; identity: string; line: string };

/** What a worker posts for the web view. */
export type UiPost =
  | { type: 'views'; worker: number; stations: UiStation[] }
  | { type: 'message'; identity: string; message: UiMessage }
  | { type: 'answer'; req: number; messages?: UiMessage[]; result?: UiCommandResult };

/** Commands that would stop or stall a station of the fleet: not from the page. */
const NOT_FROM_THE_PAGE: ReadonlySet<StationCommand['op']> = new Set(['quit', 'sleep']);

const silent: Log = { info: () => {}, warn: () => {}, error: () => {} };

interface Followed {
  statuses: Map<number, Map<number, string>>;
  version?: string;
  /** The last view posted, as JSON: an unchanged view is not posted again. */
  shown: string;
  /** The commands of the page for this station run in turn. */
  chain: Promise<void>;
}

export class WorkerUi {
  readonly #worker: number;
  readonly #post: (m: UiPost) => void;
  readonly #evses: number;
  readonly #feed = new MessageFeed('station', { maxStations: FEED_STATIONS });
  readonly #stations = new Map<string, FleetStation>();
  readonly #followed = new Map<string, Followed>();
  readonly #watched = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #timer: NodeJS.Timeout;

  constructor(worker: number, evses: number, post: (m: UiPost) => void) {
    this.#worker = worker;
    this.#evses = evses;
    this.#post = post;
    this.#feed.onMessage((identity, message) => {
      if (this.#watched.has(identity)) post({ type: 'message', identity, message });
      // A frame may carry a new meter value or status.
      this.#dirty.add(identity);
    });
    this.#timer = setInterval(() => this.flush(), VIEW_FLUSH_MS);
  }

  /** The trace sink every station of the worker gets. */
  get trace() {
    return this.#feed.sink;
  }

  /** Follows a station from its construction: its views are posted from now on. */
  add(fleetStation: FleetStation): void {
    const identity = fleetStation.spec.identity;
    this.#stations.set(identity, fleetStation);
    this.#followed.set(identity, { statuses: new Map(), shown: '', chain: Promise.resolve() });
    this.#dirty.add(identity);
  }

  /** The station was built (FleetStationSpec.built): its events change its view. */
  built(identity: string, station: ChargingStation): void {
    const f = this.#followed.get(identity);
    if (!f) return;
    const dirty = () => void this.#dirty.add(identity);
    station.on('connected', ({ version }) => ((f.version = version), dirty()));
    station.on('disconnected', dirty);
    station.on('registration', dirty);
    station.on('transactionStarted', dirty);
    station.on('transactionEnded', dirty);
    station.on('connectorStatus', ({ evseId, connectorId, status }) => {
      let connectors = f.statuses.get(evseId);
      if (!connectors) f.statuses.set(evseId, (connectors = new Map()));
      connectors.set(connectorId, status);
      dirty();
    });
  }

  /** Posts the views of the stations that changed since the last flush. */
  flush(): void {
    const stations: UiStation[] = [];
    for (const identity of this.#dirty) {
      const f = this.#followed.get(identity);
      const fs = this.#stations.get(identity);
      if (!f || !fs) continue;
      const view = this.#view(fs, f);
      const json = JSON.stringify(view);
      if (json === f.shown) continue;
      f.shown = json;
      stations.push(view);
    }
    this.#dirty.clear();
    if (stations.length > 0) this.#post({ type: 'views', worker: this.#worker, stations });
  }

  close(): void {
    clearInterval(this.#timer);
    this.flush();
  }

  /** A request of the main thread; answers go back by `req`. */
  handle(m: UiRequest): void {
    if (m.type === 'watch') return void this.#watched.add(m.identity);
    if (m.type === 'unwatch') return void this.#watched.delete(m.identity);
    if (m.type === 'messages') {
      const messages = this.#stations.has(m.identity) ? (this.#feed.history(m.identity) ?? []) : undefined;
      return this.#post({ type: 'answer', req: m.req, ...(messages ? { messages } : {}) });
    }
    void this.execute(m.identity, m.line).then(
      (result) => this.#post({ type: 'answer', req: m.req, ...(result ? { result } : {}) }),
      (e: unknown) =>
        this.#post({ type: 'answer', req: m.req, result: { ok: false, reason: 'failed', error: String(e) } }),
    );
  }

  /** Runs one command line of the station CLI on the station, as `ocppkit station --ui` does; undefined: unknown. */
  async execute(identity: string, line: string): Promise<UiCommandResult | undefined> {
    const fs = this.#stations.get(identity);
    const f = this.#followed.get(identity);
    if (!fs || !f) return undefined;
    let command: StationCommand | undefined;
    try {
      command = parseCommand(line, this.#evses);
    } catch (e) {
      if (e instanceof CommandError) return { ok: false, reason: 'bad', error: e.message };
      throw e;
    }
    if (command === undefined)
      return { ok: false, reason: 'bad', error: 'type a command (plug <evse>, auth <idToken> [<evse>], …)' };
    if (NOT_FROM_THE_PAGE.has(command.op))
      return { ok: false, reason: 'bad', error: `${command.op} is for a single station's terminal, not a fleet` };
    if (command.op === 'help') return { ok: true, output: COMMAND_HELP, warnings: [] };
    if (command.op === 'status') return { ok: true, output: statusText(this.#view(fs, f)), warnings: [] };
    if (fs.stopping) return { ok: false, reason: 'failed', error: 'the station is stopping' };
    if (!fs.station || !fs.hardware) return { ok: false, reason: 'failed', error: 'the station has not started yet' };
    const run = command;
    const tap = new LogTap(silent);
    let outcome: { lines: string[]; error?: string } = { lines: [] };
    const task = f.chain.then(async () => {
      outcome = await tap.collect(() => runOnStation(fs, run, tap.log));
    });
    f.chain = task;
    await task;
    this.#dirty.add(identity);
    return outcome.error === undefined
      ? { ok: true, output: `${line.trim()}: done`, warnings: outcome.lines }
      : { ok: false, reason: 'failed', error: outcome.error };
  }

  #view(fs: FleetStation, f: Followed): UiStation {
    const station = fs.station;
    const hw = fs.hardware;
    const evses = [];
    for (let id = 1; id <= this.#evses; id++) {
      const statuses = f.statuses.get(id);
      const tx = fs.transactions.get(id);
      const state = hw?.state(id);
      // Reading the meter writes its register to the store, which is closed once the station stopped.
      const meter = hw && !fs.stopping ? hw.read(id) : undefined;
      evses.push({
        id,
        connectors: statuses ? [...statuses].map(([c, status]) => ({ id: c, status })) : [{ id: 1 }],
        ...(tx !== undefined ? { transactionId: tx } : {}),
        ...(meter ? { energyWh: Math.round(meter.energyWh * 10) / 10, powerW: meter.powerW } : {}),
        ...(state
          ? { cable: state.plugged ? ('plugged' as const) : ('unplugged' as const), faulted: state.faulted }
          : {}),
      });
    }
    return {
      identity: fs.spec.identity,
      ...(f.version !== undefined ? { version: f.version } : {}),
      connected: station?.connected ?? false,
      ...(station?.registration !== undefined ? { registration: station.registration } : {}),
      evses,
    };
  }
}

/** The hardware commands of `ocppkit station` (StationRun.run), on a station of the fleet. */
function runOnStation(fs: FleetStation, command: StationCommand, log: Log): void {
  const s = fs.station!;
  const hw = fs.hardware!;
  switch (command.op) {
    case 'plug':
      if (!hw.plug(command.evseId)) return log.warn(`EVSE ${command.evseId}: the cable is already plugged in`);
      return s.cablePlugged(command.evseId);
    case 'unplug':
      if (!hw.unplug(command.evseId)) return log.warn(`EVSE ${command.evseId}: no cable is plugged in`);
      return s.cableUnplugged(command.evseId);
    case 'fault':
      if (!hw.fault(command.evseId)) return log.warn(`EVSE ${command.evseId}: already faulted`);
      s.connectorFaulted(command.evseId);
      return fs.reportFlow(command.evseId);
    case 'clear':
      if (!hw.clear(command.evseId)) return log.warn(`EVSE ${command.evseId}: has no fault`);
      s.connectorRecovered(command.evseId);
      return fs.reportFlow(command.evseId);
    case 'auth':
      return s.idTokenPresented({ idToken: command.idToken, type: 'ISO14443' }, command.evseId);
    case 'swap':
      if (fs.spec.version !== 'ocpp2.1') return log.warn('swap: battery swapping needs an OCPP 2.1 connection');
      return s.batterySwapRequested({ idToken: command.idToken, type: 'ISO14443' });
    case 'temperature':
      s.deviceModel.set('TemperatureSensor', 'Temperature', String(command.celsius));
      return;
    case 'set': {
      const evse =
        command.evseId === undefined
          ? undefined
          : { id: command.evseId, ...(command.connectorId !== undefined ? { connectorId: command.connectorId } : {}) };
      s.deviceModel.set(evse ? { name: command.component, evse } : command.component, command.variable, command.value);
      return;
    }
    // help, status, quit and sleep are answered before a command gets here.
    default:
      return;
  }
}

/** `status` from the page: the station's view in the words of `ocppkit station`'s status. */
function statusText(view: UiStation): string {
  const lines = [
    `station ${view.identity}: ${view.connected ? `connected (${view.version ?? '?'})` : 'not connected'}, registration ${view.registration ?? 'none yet'}`,
  ];
  for (const e of view.evses) {
    const status = e.connectors.map((c) => c.status ?? 'status not reported yet').join(', ');
    lines.push(
      `EVSE ${e.id}: ${status}${e.cable ? `, cable ${e.cable}` : ''}${e.faulted ? ', faulted' : ''}${e.energyWh !== undefined ? `, meter ${(e.energyWh / 1000).toFixed(3)} kWh at ${e.powerW ?? 0} W` : ''}${e.transactionId ? `, transaction ${e.transactionId}` : ''}`,
    );
  }
  return lines.join('\n');
}
