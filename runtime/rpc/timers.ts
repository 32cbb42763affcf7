// The clock the RPC layer reads and the timers it sets, injectable so that tests of timeouts, keep-alive and
// back-off advance time instead of waiting for it.

export type TimerHandle = unknown;

export interface Timers {
  now(): number;
  /** Like Node's setTimeout, including the extra argument passed to `fn` (lets callers share one function). */
  setTimeout<T>(fn: (arg: T) => void, ms: number, arg: T): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval<T>(fn: (arg: T) => void, ms: number, arg: T): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

/**
 * The real clock. Intervals (keep-alive) are unref'd: they alone never keep a process alive. Timeouts are not:
 * a pending reconnection must keep the station's process running.
 */
export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms, arg) => setTimeout(fn, ms, arg),
  // The handles given out are Node's own timers (setTimeout above), opaque to the callers.
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  setInterval: (fn, ms, arg) => setInterval(fn, ms, arg).unref(),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};
