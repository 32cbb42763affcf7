// Reconnect back-off, Part 4 §5.3 (2.0.1) / §5.4 (2.1, errata 2025-06 "reset after a successful connection"):
//   the first reconnection attempt waits RetryBackOffWaitMinimum plus a random value of at most
//   RetryBackOffRandomRange; after every failed attempt the wait doubles, at most RetryBackOffRepeatTimes times,
//   with a new random value added to every attempt; after that it stays at the last value; a successful
//   connection resets it to RetryBackOffWaitMinimum.
// "Double the previous back-off time" is read as doubling the deterministic part (WaitMinimum · 2^n): the random
// part is drawn anew for every attempt and never compounds. OCTT TC_B_57_CS checks the RandomRange = 0 case.
// 1.6 defines no such variables; OCPP-J 1.6 errata 2025-04 §3.4 only asks for "an appropriate back-off
// mechanism" (after an HTTP 404). ocppkit uses the same algorithm for 1.6, configured the same way.

/** The three OCPPCommCtrlr variables (Part 4 §8.1–8.3), in seconds. Fractions are allowed (tests use them). */
export interface BackoffConfig {
  /** RetryBackOffWaitMinimum, s. */
  retryBackOffWaitMinimum: number;
  /** RetryBackOffRandomRange, s: the maximum of the random part. */
  retryBackOffRandomRange: number;
  /** RetryBackOffRepeatTimes: how many times the wait is doubled. */
  retryBackOffRepeatTimes: number;
}

/** ocppkit's defaults (the specification leaves the values to the CSO). */
export const DEFAULT_BACKOFF: BackoffConfig = {
  retryBackOffWaitMinimum: 5,
  retryBackOffRandomRange: 10,
  retryBackOffRepeatTimes: 5,
};

/**
 * The wait before reconnection attempt `attempt` (0 = the first attempt after losing the connection), in ms.
 * `random` returns a value in [0, 1).
 */
export function backoffDelayMs(config: BackoffConfig, attempt: number, random: () => number): number {
  const doublings = Math.min(Math.max(0, attempt), Math.max(0, Math.floor(config.retryBackOffRepeatTimes)));
  const base = config.retryBackOffWaitMinimum * 2 ** doublings;
  const jitter = random() * Math.max(0, config.retryBackOffRandomRange);
  return Math.round((base + jitter) * 1000);
}

/** Checks a configuration and names the offending field. */
export function checkBackoffConfig(config: BackoffConfig): void {
  for (const key of ['retryBackOffWaitMinimum', 'retryBackOffRandomRange', 'retryBackOffRepeatTimes'] as const) {
    const v = config[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`backoff.${key} must be a number ≥ 0, got ${String(v)}`);
    }
  }
}
