// When a profile's schedule has a period in force, and at which seconds that can change. `anchor` is where a
// Relative schedule starts: the moment the EVSE became ready to deliver energy (K01.FR.42), or the request time
// when no transaction runs (K08.FR.06, docs "Relative without transaction").
import type { Period, Profile } from './model.js';

/** Where the schedule cycle that covers `t` started, or undefined before the schedule's first start (K01.FR.30). */
function cycleStart(p: Profile, anchor: number, t: number): number | undefined {
  const base = p.start ?? anchor;
  if (t < base) return undefined;
  if (p.recurrence === undefined) return base;
  return base + Math.floor((t - base) / p.recurrence) * p.recurrence;
}

/** How long one cycle runs: duration (K01.FR.11/.12), never past the next recurrence (K01.FR.13). */
function cycleLength(p: Profile): number {
  if (p.recurrence === undefined) return p.duration ?? Infinity;
  return Math.min(p.duration ?? p.recurrence, p.recurrence);
}

function isValidAt(p: Profile, t: number): boolean {
  return t >= p.validFrom && t < p.validTo && t < p.offlineInvalidFrom && !Number.isNaN(p.recurrence);
}

/** The period of `p` in force at second `t`, if any. */
export function periodAt(p: Profile, anchor: number, t: number): Period | undefined {
  if (!isValidAt(p, t)) return undefined;
  const start = cycleStart(p, anchor, t);
  if (start === undefined) return undefined;
  const offset = t - start;
  if (offset >= cycleLength(p)) return undefined;
  // K01.FR.12: a period lasts until the next one starts (the list is ordered, K01.FR.35).
  let found: Period | undefined;
  for (const period of p.periods) {
    if (period.startPeriod > offset) break;
    found = period;
  }
  return found;
}

/** Every second in (from, to) at which periodAt(p, anchor, ·) may change. */
export function changePoints(p: Profile, anchor: number, from: number, to: number, out: number[]): void {
  const add = (t: number) => {
    if (t > from && t < to) out.push(t);
  };
  add(p.validFrom);
  add(p.validTo);
  add(p.offlineInvalidFrom);
  if (Number.isNaN(p.recurrence)) return;
  const base = p.start ?? anchor;
  const length = cycleLength(p);
  const addCycle = (cycle: number) => {
    for (const period of p.periods) if (period.startPeriod < length) add(cycle + period.startPeriod);
    add(cycle + length);
  };
  if (p.recurrence === undefined) return addCycle(base);
  for (let k = Math.max(0, Math.floor((from - base) / p.recurrence)); base + k * p.recurrence < to; k++)
    addCycle(base + k * p.recurrence);
}
