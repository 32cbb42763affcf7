// A fleet worker thread: runs its share of the stations on one SQLite database (a file, or in memory), starts each
// at its moment of the ramp, and reports to the main thread every tick: what its stations are doing (gauges) and
// what happened since the last tick (counts, response times). On `stop` it stops the stations cleanly, sends a
// last tick and `done`.
import { parentPort, workerData } from 'node:worker_threads';
import { messageOf } from '../error-text.js';
import { FleetStation } from './fleet-station.js';
import { bump, emptyDelta, type FleetDelta, type FleetGauges } from './metrics.js';
import { stationRandom } from './random.js';
import { SharedFleetStore } from './shared-store.js';
import type { ResolvedTemplate } from './template.js';
import type { ProtocolName } from '../protocol.js';
import { WorkerUi, type UiPost, type UiRequest } from './worker-ui.js';

export interface WorkerInput {
  index: number;
  csmsUrl: string;
  template: ResolvedTemplate;
  /** The stations of this worker, with when each starts (ms after the run's start). */
  stations: Array<{ n: number; identity: string; version: ProtocolName; startAfterMs: number }>;
  /** The SQLite file of this worker, or `:memory:`. */
  db: string;
  seed: number;
  sessionsLimit: number;
  tickMs: number;
  ca?: string;
  /** `--ui`: keep a message feed and station views for the web view (worker-ui.ts). */
  ui?: boolean;
}

export type WorkerMessage =
  | { type: 'tick'; worker: number; gauges: FleetGauges; delta: FleetDelta }
  | { type: 'ready'; worker: number }
  | { type: 'done'; worker: number }
  | { type: 'error'; worker: number; message: string }
  | UiPost;

/** `start`: every worker is ready, the ramp begins; `stop`: the run is over; the web view's requests (--ui). */
export type MainMessage = { type: 'start' } | { type: 'stop' } | UiRequest;

function main(): void {
  const port = parentPort;
  if (!port) throw new Error('runtime/fleet/worker.ts runs as a worker thread (ocppkit fleet starts it)');
  // The main thread built and checked it.
  const input = workerData as WorkerInput;
  let delta = emptyDelta();
  let store: SharedFleetStore;
  try {
    store = new SharedFleetStore(input.db);
  } catch (e) {
    port.postMessage({ type: 'error', worker: input.index, message: messageOf(e) } satisfies WorkerMessage);
    return;
  }
  const ui = input.ui
    ? new WorkerUi(input.index, input.template.stations.evses, (m) => port.postMessage(m satisfies WorkerMessage))
    : undefined;
  const stations = input.stations.map(
    (s) =>
      new FleetStation({
        ...s,
        ...(ui ? { trace: ui.trace, built: (station) => ui.built(s.identity, station) } : {}),
        csmsUrl: input.csmsUrl,
        template: input.template,
        store: store.station(s.identity),
        random: stationRandom(input.seed, s.n),
        delta: () => delta,
        sessionsLimit: input.sessionsLimit,
        ...(input.ca !== undefined ? { ca: input.ca } : {}),
      }),
  );
  for (const s of stations) ui?.add(s);
  // Every station is listed from the start, even those the ramp has not reached.
  ui?.flush();
  let stopping = false;
  let timers: NodeJS.Timeout[] = [];
  // The ramp starts when the main thread says so: loading a worker (and, from the sources, compiling it) takes a
  // while, and the run's clock must not tick meanwhile.
  const start = () =>
    (timers = input.stations.map((s, i) =>
      setTimeout(() => {
        if (stopping) return;
        stations[i]!.start().catch((e: unknown) => {
          bump(delta.failures, `start: ${messageOf(e).slice(0, 80)}`);
          stations[i]!.state = 'stopped';
          stations[i]!.generatorDone = true;
        });
      }, s.startAfterMs),
    ));
  const tick = () => {
    const gauges: FleetGauges = { connecting: 0, accepted: 0, offline: 0, transactions: 0, waiting: 0, finished: 0 };
    for (const s of stations) {
      if (s.state === 'connecting') gauges.connecting++;
      else if (s.state === 'accepted') gauges.accepted++;
      else if (s.state === 'offline') gauges.offline++;
      else if (s.state === 'waiting') gauges.waiting++;
      gauges.transactions += s.transactions.size;
      if (s.generatorDone) gauges.finished++;
    }
    const sent = delta;
    delta = emptyDelta();
    port.postMessage({ type: 'tick', worker: input.index, gauges, delta: sent } satisfies WorkerMessage);
  };
  const ticker = setInterval(tick, input.tickMs);
  port.on('message', (m: MainMessage) => {
    if (m.type === 'start') return void (stopping || start());
    if (m.type !== 'stop') return ui?.handle(m);
    if (stopping) return;
    stopping = true;
    for (const t of timers) clearTimeout(t);
    void Promise.allSettled(stations.map((s) => s.stop())).then(() => {
      clearInterval(ticker);
      tick();
      ui?.close();
      store.close();
      port.postMessage({ type: 'done', worker: input.index } satisfies WorkerMessage);
      port.close();
    });
  });
  port.postMessage({ type: 'ready', worker: input.index } satisfies WorkerMessage);
}

main();
