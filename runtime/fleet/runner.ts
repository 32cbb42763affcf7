// The fleet's main thread: spreads the stations over worker threads (round robin, so the ramp loads every worker
// alike), gathers their ticks into progress snapshots and time series, and ends the run at its duration, when every
// station is done with its sessions, or when asked to (Ctrl-C / SIGTERM through the signal), stopping the workers
// cleanly. Workers run worker.ts through tsx in a source checkout and worker.js in the built package.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ProtocolName } from '../protocol.js';
import {
  addCounts,
  addDelta,
  allLatency,
  emptyDelta,
  quantile,
  total,
  type Counts,
  type FleetDelta,
  type FleetGauges,
} from './metrics.js';
import type { ResolvedTemplate } from './template.js';
import { identityOf } from './template.js';
import type { FleetSource } from './ui-source.js';
import type { MainMessage, WorkerInput, WorkerMessage } from './worker.js';

export interface FleetOptions {
  csmsUrl: string;
  template: ResolvedTemplate;
  stations: number;
  workers: number;
  seed: number;
  /** Sessions per station; 0: until the run ends. */
  sessionsLimit: number;
  durationSec: number;
  rampPerSec: number;
  /** The folder of the workers' SQLite files (worker-<i>.db); undefined: in memory. */
  dbDir?: string;
  /** How often workers report and the series gets a point, ms. Default 1000. */
  tickMs?: number;
  /** CA certificate(s) for wss:// (security profile 2). */
  ca?: string;
  /** `--ui`: the web view's source; the workers keep message feeds and post station views to it. */
  ui?: FleetSource;
  /** Aborting it ends the run (Ctrl-C, SIGTERM). */
  signal?: AbortSignal;
  onProgress?: (p: FleetProgress) => void;
}

export interface LatencySummary {
  count: number;
  p50?: number;
  p90?: number;
  p99?: number;
}

export interface FleetProgress {
  elapsedSec: number;
  stations: number;
  gauges: FleetGauges;
  /** CALLs the stations sent per second over the last interval. */
  callsPerSec: number;
  /** Response times over the last interval, by action. */
  latency: Record<string, LatencySummary>;
  /** Totals so far. */
  callErrors: Counts;
  failures: Counts;
  events: Counts;
}

export interface SeriesPoint {
  /** Seconds since the start. */
  t: number;
  connecting: number;
  accepted: number;
  offline: number;
  transactions: number;
  callsPerSec: number;
  p50?: number;
  p90?: number;
  p99?: number;
}

export interface FleetReport {
  csms: string;
  startedAt: string;
  endedAt: string;
  durationSec: number;
  /** Why it ended: the duration, every station done with its sessions, or stopped (signal). */
  ended: 'duration' | 'sessions' | 'stopped';
  stations: number;
  workers: number;
  seed: number;
  versions: Record<string, number>;
  totals: {
    /** CALLs sent and answered (CALLRESULT), by action; TransactionEvent by eventType. */
    sent: Counts;
    answered: Counts;
    callErrors: Counts;
    failures: Counts;
    /** bootAccepted, transactionStarted, transactionEnded, sessionsCompleted, sessionsNotStarted. */
    events: Counts;
    latency: Record<string, LatencySummary & { max?: number }>;
  };
  series: SeriesPoint[];
}

/** A worker that does not finish within this after `stop` is terminated. */
const WORKER_STOP_MS = 15_000;

function startWorker(workerData: WorkerInput): Worker {
  // The parent's execArgv is not inherited: a test runner's preloads do not belong in the workers.
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./worker.js', import.meta.url), { workerData, execArgv: [] });
  // Running from the TypeScript sources (tsx): Node 20 does not apply an `--import tsx` of a worker's execArgv to
  // the worker's own entry file, so a small script loads worker.ts through tsx's API instead.
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(code, { eval: true, workerData, execArgv: [] });
}

function summarize(h: Record<number, number>): LatencySummary {
  const p50 = quantile(h, 0.5);
  const p90 = quantile(h, 0.9);
  const p99 = quantile(h, 0.99);
  return {
    count: total(h),
    ...(p50 !== undefined ? { p50 } : {}),
    ...(p90 !== undefined ? { p90 } : {}),
    ...(p99 !== undefined ? { p99 } : {}),
  };
}

/** Runs the fleet to its end; resolves with the report. */
export async function runFleet(o: FleetOptions): Promise<FleetReport> {
  const tickMs = o.tickMs ?? 1000;
  const workerCount = Math.max(1, Math.min(o.workers, o.stations));
  const versions = o.template.stations.versions;
  const plans: WorkerInput['stations'][] = Array.from({ length: workerCount }, () => []);
  const versionCount: Record<string, number> = {};
  for (let i = 0; i < o.stations; i++) {
    const n = o.template.stations.firstNumber + i;
    const version: ProtocolName = versions[i % versions.length]!;
    versionCount[version] = (versionCount[version] ?? 0) + 1;
    plans[i % workerCount]!.push({
      n,
      identity: identityOf(o.template, n),
      version,
      startAfterMs: (i / o.rampPerSec) * 1000,
    });
  }
  let started = Date.now();
  const totals = emptyDelta();
  let interval = emptyDelta();
  const gauges = new Map<number, FleetGauges>();
  const series: SeriesPoint[] = [];
  const done = new Set<number>();
  let ended: FleetReport['ended'] = 'duration';
  let stop!: (why: FleetReport['ended']) => void;
  const stopped = new Promise<FleetReport['ended']>((resolve) => (stop = resolve));
  let allDone!: () => void;
  const finished = new Promise<void>((resolve) => (allDone = resolve));
  const ready = new Set<number>();
  let allReady!: () => void;
  const readiness = new Promise<void>((resolve) => (allReady = resolve));
  const markReady = (i: number) => {
    ready.add(i);
    if (ready.size === workerCount) allReady();
  };
  const markDone = (i: number) => {
    // A worker that failed counts as ready: the others must not wait for it.
    markReady(i);
    done.add(i);
    if (done.size === workerCount) allDone();
  };

  const workers = plans.map((stations, index) => {
    const input: WorkerInput = {
      index,
      csmsUrl: o.csmsUrl,
      template: o.template,
      stations,
      db: o.dbDir === undefined ? ':memory:' : join(o.dbDir, `worker-${index}.db`),
      seed: o.seed,
      sessionsLimit: o.sessionsLimit,
      tickMs,
      ...(o.ca !== undefined ? { ca: o.ca } : {}),
      ...(o.ui ? { ui: true } : {}),
    };
    const w = startWorker(input);
    o.ui?.attach(
      index,
      w,
      stations.map((s) => s.identity),
      o.template.stations.evses,
    );
    w.on('message', (m: WorkerMessage) => {
      if (o.ui?.receive(m)) return;
      if (m.type === 'tick') {
        gauges.set(m.worker, m.gauges);
        addDelta(totals, m.delta);
        addDelta(interval, m.delta);
      } else if (m.type === 'ready') markReady(m.worker);
      else if (m.type === 'done') markDone(m.worker);
      else if (m.type === 'error') {
        addCounts(totals.failures, { [`worker ${m.worker}: ${m.message}`]: 1 });
        markDone(m.worker);
      }
    });
    w.on('error', (e) => {
      addCounts(totals.failures, { [`worker ${index} crashed: ${e.message}`]: 1 });
      markDone(index);
    });
    w.on('exit', () => markDone(index));
    return w;
  });

  const sum = (): FleetGauges => {
    const g: FleetGauges = { connecting: 0, accepted: 0, offline: 0, transactions: 0, waiting: 0, finished: 0 };
    for (const one of gauges.values()) for (const k of Object.keys(g) as (keyof FleetGauges)[]) g[k] += one[k];
    return g;
  };
  let last = started;
  const sample = () => {
    const now = Date.now();
    const seconds = Math.max(0.001, (now - last) / 1000);
    last = now;
    const g = sum();
    const all = summarize(allLatency(interval));
    const callsPerSec = Math.round((total(interval.sent) / seconds) * 10) / 10;
    series.push({
      t: Math.round((now - started) / 100) / 10,
      connecting: g.connecting,
      accepted: g.accepted,
      offline: g.offline,
      transactions: g.transactions,
      callsPerSec,
      ...(all.p50 !== undefined ? { p50: all.p50, p90: all.p90!, p99: all.p99! } : {}),
    });
    o.onProgress?.({
      elapsedSec: (now - started) / 1000,
      stations: o.stations,
      gauges: g,
      callsPerSec,
      latency: Object.fromEntries(Object.entries(interval.latency).map(([a, h]) => [a, summarize(h)])),
      callErrors: totals.callErrors,
      failures: totals.failures,
      events: totals.events,
    });
    interval = emptyDelta();
    // Every station finished its sessions (only with a session limit): nothing more will happen.
    if (o.sessionsLimit > 0 && gauges.size === workerCount && g.finished === o.stations) stop('sessions');
  };
  // The run starts when every worker is loaded and has built its stations.
  await Promise.race([readiness, new Promise((r) => o.signal?.addEventListener('abort', r, { once: true }))]);
  started = Date.now();
  last = started;
  for (const w of workers) w.postMessage({ type: 'start' } satisfies MainMessage);
  const sampler = setInterval(sample, tickMs);
  const deadline = setTimeout(() => stop('duration'), o.durationSec * 1000);
  const onAbort = () => stop('stopped');
  o.signal?.addEventListener('abort', onAbort);
  if (o.signal?.aborted) stop('stopped');
  // Workers that all died end the run too.
  ended = await Promise.race([stopped, finished.then(() => 'stopped' as const)]);
  clearTimeout(deadline);
  o.signal?.removeEventListener('abort', onAbort);
  for (const w of workers) w.postMessage({ type: 'stop' } satisfies MainMessage);
  const kill = setTimeout(() => {
    for (const w of workers) void w.terminate();
  }, WORKER_STOP_MS);
  await finished;
  clearTimeout(kill);
  clearInterval(sampler);
  sample();
  o.ui?.stopped();
  await Promise.all(workers.map((w) => w.terminate()));
  const endedAt = Date.now();
  const latency: FleetReport['totals']['latency'] = {};
  for (const [action, h] of Object.entries(totals.latency)) {
    const buckets = Object.keys(h).map(Number);
    latency[action] = {
      ...summarize(h),
      ...(buckets.length ? { max: quantile(h, 1)! } : {}),
    };
  }
  return {
    csms: o.csmsUrl,
    startedAt: new Date(started).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    durationSec: Math.round((endedAt - started) / 100) / 10,
    ended,
    stations: o.stations,
    workers: workerCount,
    seed: o.seed,
    versions: versionCount,
    totals: { ...totals, latency },
    series,
  };
}

export type { FleetDelta };
