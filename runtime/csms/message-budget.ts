// What the built-in CSMS's message log may hold: it runs for days in front of stations that may send anything, so
// its log is a window over the latest messages (the trace file keeps the history), bounded in count and in bytes.

/** Defaults of SimpleCsmsOptions.logLimit / logBytes / largeMessageBytes. */
export const DEFAULT_LOG_LIMIT = 10_000;
export const DEFAULT_LOG_BYTES = 32 * 1024 * 1024;
export const DEFAULT_LARGE_MESSAGE_BYTES = 64 * 1024;

/**
 * Roughly how many bytes `value` takes as JSON, counting at most up to `cap` (then returns a number above `cap`).
 * Iterative with an explicit stack and bounded by `cap`, so a hostile payload (nested a million levels deep, or
 * megabytes of strings) costs at most `cap / 2` steps and never overflows the call stack.
 */
export function approximateJsonBytes(value: unknown, cap: number): number {
  let bytes = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') bytes += v.length + 2;
    else if (Array.isArray(v)) {
      bytes += 2;
      for (let i = v.length - 1; i >= 0 && bytes + stack.length <= cap; i--) stack.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      bytes += 2;
      for (const k in v) {
        if (bytes + stack.length > cap) break;
        bytes += k.length + 3;
        stack.push((v as Record<string, unknown>)[k]);
      }
    } else bytes += 6;
    if (bytes + stack.length > cap) return cap + 1;
  }
  return bytes;
}

/** What replaces a request or response too large to keep in the log. */
export function omitted(bytes: number): { omitted: string } {
  return { omitted: `a message of more than ${bytes} bytes: not kept in the log (see the trace)` };
}
