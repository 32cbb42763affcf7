// What the built-in CSMS's message log may hold: it runs for days in front of stations that may send anything, so
// its log is a window over the latest messages (the trace file keeps the history), bounded in count and in bytes.

/** Defaults of SimpleCsmsOptions.logLimit / logBytes / largeMessageBytes. */
export const DEFAULT_LOG_LIMIT = 10_000;
export const DEFAULT_LOG_BYTES = 32 * 1024 * 1024;
/** Above a full NotifyReport part (a FullInventory of the default device model estimates at ~100 kB). */
export const DEFAULT_LARGE_MESSAGE_BYTES = 1024 * 1024;

/**
 * Roughly how many bytes of memory `value` (as JSON.parse returned it) takes, counting at most up to `cap` (then
 * returns a number above `cap`). A parsed object or array costs far more than its two JSON characters — a frame of
 * 10 kB nested 5,000 levels deep is 5,000 arrays — so each counts NODE_BYTES. Iterative with an explicit stack and
 * bounded by `cap`, so a hostile payload (nested a million levels deep, or megabytes of strings) costs at most
 * `cap / NODE_BYTES` steps and never overflows the call stack.
 */
export function approximateBytes(value: unknown, cap: number): number {
  let bytes = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') bytes += v.length + NODE_BYTES;
    else if (v !== null && typeof v === 'object') {
      bytes += NODE_BYTES;
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0 && bytes <= cap; i--) {
          bytes += SLOT_BYTES;
          stack.push(v[i]);
        }
      } else {
        for (const k in v) {
          if (bytes > cap) break;
          bytes += k.length + SLOT_BYTES;
          // Walking parsed JSON: `v` was checked to be a non-array object.
          stack.push((v as Record<string, unknown>)[k]);
        }
      }
    } else bytes += SLOT_BYTES;
    if (bytes > cap) return cap + 1;
  }
  return bytes;
}

/** What V8 spends, roughly, on an object or array (header, hidden class, backing store) and on a slot in one. */
const NODE_BYTES = 64;
const SLOT_BYTES = 16;

/** What replaces a request or response too large to keep in the log. */
export function omitted(bytes: number): { omitted: string } {
  return { omitted: `a message of more than ${bytes} bytes: not kept in the log (see the trace)` };
}
