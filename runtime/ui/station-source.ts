// The web view of `ocppkit station`: the one simulated station of the process, its frames (from its trace), and
// the commands of its stdin (station-commands.ts) sent from the page, run in turn with the commands typed there.
import type { Log } from '../cli/output.js';
import { COMMAND_HELP, CommandError, parseCommand, type StationCommand } from '../cli/station-commands.js';
import type { StationRun } from '../cli/station-run.js';
import type { TraceSink } from '../rpc/trace.js';
import { LogTap } from './log-tap.js';
import { MessageFeed } from './message-feed.js';
import type { UiCommandResult, UiEvent, UiMessage, UiSource, UiSourceInfo, UiStation } from './types.js';

/** Runs a task after the commands queued before it (stdin's and the script's). */
export type Serialize = (task: () => Promise<void>) => Promise<void>;

/**
 * What `ocppkit station --ui` builds before the station: the log to give it (so that a command's warnings reach
 * the page) and the trace sink (so that its frames do); `source(run, serialize)` once the station exists.
 */
export function stationWebView(log: Log): {
  log: Log;
  trace: TraceSink;
  source(run: StationRun, serialize: Serialize): StationSource;
} {
  const tap = new LogTap(log);
  const feed = new MessageFeed('station');
  return { log: tap.log, trace: feed.sink, source: (run, serialize) => new StationSource(run, feed, tap, serialize) };
}

/** Commands that would stop or stall the station: typed at its terminal, not sent from a browser tab. */
const NOT_FROM_THE_PAGE: ReadonlySet<StationCommand['op']> = new Set(['quit', 'sleep']);

export class StationSource implements UiSource {
  readonly #run: StationRun;
  readonly #feed: MessageFeed;
  readonly #tap: LogTap;
  readonly #serialize: Serialize;
  readonly #listeners = new Set<(event: UiEvent) => void>();
  readonly #statuses = new Map<number, Map<number, string>>();
  readonly #transactions = new Map<number, string>();
  #version: string | undefined;
  /** The last view sent, as JSON: a change is announced once. */
  #shown = '';
  #meter = new Map<number, { energyWh: number; powerW: number }>();

  constructor(run: StationRun, feed: MessageFeed, tap: LogTap, serialize: Serialize) {
    this.#run = run;
    this.#feed = feed;
    this.#tap = tap;
    this.#serialize = serialize;
    const s = run.station;
    s.on('connected', ({ version }) => ((this.#version = version), this.#changed()));
    s.on('disconnected', () => this.#changed());
    s.on('registration', () => this.#changed());
    s.on('connectorStatus', ({ evseId, connectorId, status }) => {
      let connectors = this.#statuses.get(evseId);
      if (!connectors) this.#statuses.set(evseId, (connectors = new Map()));
      connectors.set(connectorId, status);
      this.#changed();
    });
    s.on(
      'transactionStarted',
      ({ evseId, transactionId }) => (this.#transactions.set(evseId, transactionId), this.#changed()),
    );
    s.on('transactionEnded', ({ evseId, transactionId }) => {
      for (const [id, tx] of this.#transactions)
        if (id === evseId || tx === transactionId) this.#transactions.delete(id);
      this.#changed();
    });
    // Every frame may carry a new meter value or status: the view is compared and sent when it changed.
    feed.onMessage((identity, message) => {
      this.#emit({ type: 'message', identity, message });
      this.#changed();
    });
  }

  info(): UiSourceInfo {
    return { kind: 'station', capabilities: ['hardware'] };
  }

  stations(): UiStation[] {
    return [this.#view()];
  }

  station(identity: string): UiStation | undefined {
    return identity === this.#run.station.identity ? this.#view() : undefined;
  }

  messages(identity: string): UiMessage[] | undefined {
    if (identity !== this.#run.station.identity) return undefined;
    return this.#feed.history(identity) ?? [];
  }

  subscribe(listener: (event: UiEvent) => void): () => void {
    // The new listener starts from stations(): the next change is announced even if it returns to the last view sent.
    this.#shown = '';
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async execute(identity: string, line: string): Promise<UiCommandResult | undefined> {
    if (identity !== this.#run.station.identity) return undefined;
    let command: StationCommand | undefined;
    try {
      command = parseCommand(line, this.#run.hardware.evseCount);
    } catch (e) {
      // The same words the terminal prints (station-command.ts), without its pointer to "help" on stdin.
      if (e instanceof CommandError) return { ok: false, reason: 'bad', error: e.message };
      throw e;
    }
    if (command === undefined)
      return { ok: false, reason: 'bad', error: 'type a command (plug <evse>, auth <idToken> [<evse>], …)' };
    if (NOT_FROM_THE_PAGE.has(command.op))
      return { ok: false, reason: 'bad', error: `${command.op} is for the station's terminal, not the web view` };
    if (command.op === 'help') return { ok: true, output: COMMAND_HELP, warnings: [] };
    if (command.op === 'status') return { ok: true, output: this.#run.statusText(), warnings: [] };
    if (this.#run.stopping) return { ok: false, reason: 'failed', error: 'the station is stopping' };
    const run = command;
    let outcome: { lines: string[]; error?: string } = { lines: [] };
    await this.#serialize(async () => {
      outcome = await this.#tap.collect(() => this.#run.run(run));
    });
    this.#changed();
    return outcome.error === undefined
      ? { ok: true, output: `${line.trim()}: done`, warnings: outcome.lines }
      : { ok: false, reason: 'failed', error: outcome.error };
  }

  #view(): UiStation {
    const run = this.#run;
    const s = run.station;
    const evses = [];
    for (let id = 1; id <= run.hardware.evseCount; id++) {
      const hw = run.hardware.state(id);
      // Reading the meter writes its register to the store, which is closed once the station stopped.
      if (!run.stopping) this.#meter.set(id, run.hardware.read(id));
      const meter = this.#meter.get(id);
      const statuses = this.#statuses.get(id);
      const tx = this.#transactions.get(id);
      evses.push({
        id,
        connectors: statuses ? [...statuses].map(([c, status]) => ({ id: c, status })) : [{ id: 1 }],
        ...(tx !== undefined ? { transactionId: tx } : {}),
        ...(meter ? { energyWh: Math.round(meter.energyWh * 10) / 10, powerW: meter.powerW } : {}),
        cable: hw.plugged ? ('plugged' as const) : ('unplugged' as const),
        faulted: hw.faulted,
      });
    }
    return {
      identity: s.identity,
      ...(this.#version !== undefined ? { version: this.#version } : {}),
      connected: s.connected,
      ...(s.registration !== undefined ? { registration: s.registration } : {}),
      evses,
    };
  }

  #changed(): void {
    if (this.#listeners.size === 0) return;
    const station = this.#view();
    const json = JSON.stringify(station);
    if (json === this.#shown) return;
    this.#shown = json;
    this.#emit({ type: 'station', station });
  }

  #emit(event: UiEvent): void {
    for (const l of this.#listeners) l(event);
  }
}
