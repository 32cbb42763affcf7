// What a fleet measures, in a form that crosses worker threads (plain objects) and adds up: counters by name and
// response-time histograms with logarithmic buckets (5 % wide), so that percentiles of many workers merge exactly
// as the buckets do and memory does not grow with the number of calls.

/** Counts by name. */
export type Counts = Record<string, number>;
/** A histogram: bucket index → calls; bucket i holds times up to GROWTH^i / 100 ms. */
export type Histogram = Record<number, number>;

const GROWTH = 1.05;
const LOG_GROWTH = Math.log(GROWTH);

export function bucketOf(ms: number): number {
  return ms <= 0.01 ? 0 : Math.ceil(Math.log(ms * 100) / LOG_GROWTH);
}

/** The upper bound of a bucket, ms. */
export function bucketLimit(bucket: number): number {
  return GROWTH ** bucket / 100;
}

export function record(h: Histogram, ms: number): void {
  const b = bucketOf(ms);
  h[b] = (h[b] ?? 0) + 1;
}

export function addCounts(into: Counts, from: Counts): Counts {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
  return into;
}

export function bump(into: Counts, key: string, n = 1): void {
  into[key] = (into[key] ?? 0) + n;
}

export function addHistogram(into: Histogram, from: Histogram): Histogram {
  for (const [k, n] of Object.entries(from)) into[Number(k)] = (into[Number(k)] ?? 0) + n;
  return into;
}

export function total(h: Histogram | Counts): number {
  let n = 0;
  for (const v of Object.values(h)) n += v;
  return n;
}

/** The q-quantile (0..1) of a histogram, ms (the bucket's upper bound: at most 5 % above the true value); undefined when empty. */
export function quantile(h: Histogram, q: number): number | undefined {
  const n = total(h);
  if (n === 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (const b of Object.keys(h)
    .map(Number)
    .sort((a, c) => a - c)) {
    seen += h[b]!;
    if (seen >= rank) return Math.round(bucketLimit(b) * 100) / 100;
  }
  return undefined;
}

/** What a worker's stations are doing now (gauges), sent with every tick. */
export interface FleetGauges {
  /** Started, never accepted by the CSMS yet (connecting, refused, booting, Pending/Rejected). */
  connecting: number;
  /** Connected and accepted (BootNotification Accepted). */
  accepted: number;
  /** Accepted before, not connected now. */
  offline: number;
  /** Transactions running. */
  transactions: number;
  /** Stations not started yet (the ramp). */
  waiting: number;
  /** Stations whose session generators are done (their sessions, or a failed start). */
  finished: number;
}

/** What happened since the previous tick (all counts are deltas). */
export interface FleetDelta {
  /** CALLs the stations sent, by action (TransactionEvent as `TransactionEvent(Started)` etc.). */
  sent: Counts;
  /** CALLs the CSMS answered with a CALLRESULT, by the same keys. */
  answered: Counts;
  /** CALLERRORs the CSMS answered, by error code. */
  callErrors: Counts;
  /** Response times of answered CALLs (CALLRESULT and CALLERROR), by action. */
  latency: Record<string, Histogram>;
  /**
   * Failures by kind: `refused <HTTP status>` (the handshake was refused), `connect failed` (no connection),
   * `dropped` (a connection closed by the other side or the network), `timed out` (a CALL never answered).
   */
  failures: Counts;
  /** Station events: transactionStarted, transactionEnded, sessionsCompleted, bootAccepted. */
  events: Counts;
}

export function emptyDelta(): FleetDelta {
  return { sent: {}, answered: {}, callErrors: {}, latency: {}, failures: {}, events: {} };
}

export function addDelta(into: FleetDelta, from: FleetDelta): FleetDelta {
  addCounts(into.sent, from.sent);
  addCounts(into.answered, from.answered);
  addCounts(into.callErrors, from.callErrors);
  addCounts(into.failures, from.failures);
  addCounts(into.events, from.events);
  for (const [action, h] of Object.entries(from.latency)) addHistogram((into.latency[action] ??= {}), h);
  return into;
}

/** Every action's histogram in one. */
export function allLatency(d: FleetDelta): Histogram {
  const h: Histogram = {};
  for (const one of Object.values(d.latency)) addHistogram(h, one);
  return h;
}
