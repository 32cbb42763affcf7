// When a profile's schedule has a period in force, and at which seconds that can change. `anchor` is where a
// Relative schedule starts: the moment the EVSE became ready to deliver energy (K01.FR.42), or the request time
// when no transaction runs (K08.FR.06, docs "Relative without transaction").
import type { LocalClock } from './local-time.js';
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
  // K01.FR.90/.91: a useLocalTime schedule follows the wall clock (skipping or repeating at a daylight saving change).
  const s = p.clock ? p.clock.toLocal(t) : t;
  const start = cycleStart(p, anchor, s);
  if (start === undefined) return undefined;
  const offset = s - start;
  if (offset >= cycleLength(p)) return undefined;
  // K01.FR.12: a period lasts until the next one starts (the list is ordered, K01.FR.35): the last period that
  // starts at or before `offset`, found by bisection (a schedule may hold many periods).
  const periods = p.periods;
  let lo = 0;
  let hi = periods.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (periods[mid]!.startPeriod <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? periods[lo - 1] : undefined;
}

/**
 * The seconds in (from, to) at which periodAt(p, anchor, ·) may change, in increasing order, at most `max` of them
 * (a caller that keeps only the earliest `max` points of all profiles loses none it needs). Only the part of the
 * window where the profile is valid is walked, so a year-long window costs a profile's cycles within its validity.
 */
export function changePoints(p: Profile, anchor: number, from: number, to: number, out: number[], max: number): void {
  if (p.clock) return localChangePoints(p, p.clock, anchor, from, to, out, max);
  let added = 0;
  const add = (t: number) => {
    if (t > from && t < to && added < max) {
      out.push(t);
      added++;
    }
  };
  // Never valid (a Recurring profile without recurrencyKind, an empty validity): it changes nothing.
  if (Number.isNaN(p.recurrence) || p.validFrom >= p.validTo) return;
  add(p.validFrom);
  // Inside the validity, where the schedule's own changes matter.
  const start = Math.max(from, p.validFrom);
  const end = Math.min(to, p.validTo, p.offlineInvalidFrom);
  const base = p.start ?? anchor;
  const length = cycleLength(p);
  const addCycle = (cycle: number) => {
    for (const period of p.periods) {
      if (period.startPeriod >= length || added >= max) break;
      const t = cycle + period.startPeriod;
      if (t >= start && t < end) add(t);
    }
    if (cycle + length >= start && cycle + length < end) add(cycle + length);
  };
  if (p.recurrence === undefined) addCycle(base);
  else
    for (
      let k = Math.max(0, Math.floor((start - base) / p.recurrence));
      base + k * p.recurrence < end && added < max;
      k++
    )
      addCycle(base + k * p.recurrence);
  // The end of validity comes after every change inside it.
  add(Math.min(p.validTo, p.offlineInvalidFrom));
}

/**
 * K01.FR.90/.91: the changes of a useLocalTime schedule: its own on the wall clock (a day either side covers any
 * offset), at every UTC second the clock reads them (none in a skipped hour, two in a repeated one), plus the
 * moments the offset changes (where a skipped part begins), plus its validity in UTC.
 */
function localChangePoints(
  p: Profile,
  clock: LocalClock,
  anchor: number,
  from: number,
  to: number,
  out: number[],
  max: number,
): void {
  if (Number.isNaN(p.recurrence) || p.validFrom >= p.validTo) return;
  const local: number[] = [];
  const always = { ...p, validFrom: -Infinity, validTo: Infinity, offlineInvalidFrom: Infinity, clock: undefined };
  changePoints(always, anchor, clock.toLocal(from) - DAY_S, clock.toLocal(to) + DAY_S, local, max);
  const inside = (t: number) => t > from && t < to;
  const points = [
    ...local.flatMap((l) => clock.toUtc(l)),
    ...clock.transitions,
    p.validFrom,
    Math.min(p.validTo, p.offlineInvalidFrom),
  ]
    .filter(inside)
    .sort((a, b) => a - b);
  out.push(...points.slice(0, max));
}

const DAY_S = 86_400;
