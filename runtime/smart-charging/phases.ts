// Limits as per-phase vectors [L1, L2, L3] in the unit of the composite schedule, so that amperes (per phase,
// K01.FR.51), watts (the sum of all phases, K01.FR.50) and 2.1's per-phase values (limit_L2/_L3) can be compared
// and added. A phase the schedule does not use holds 0. DC is one "phase" whose A <-> W factor is the DC voltage.
import type { Period, RateUnit } from './model.js';

export type Vec = [number, number, number];

export interface Phasing {
  /** numberPhases in force (1..3; 1 for DC). */
  n: number;
  /** The phases in use, 1 where used. */
  mask: Vec;
  phaseToUse?: number;
}

export interface Electrical {
  dc: boolean;
  supplyPhases: number;
  defaultPhases: number;
  voltage: number;
  unit: RateUnit;
}

/** §3.8 (2.1) "Avoiding phase conflicts": the lowest numberPhases of the periods in force is used; never more than
 * the station is supplied with (K01.FR.45); a period without numberPhases counts as the default (K01.FR.49). */
export function phasingOf(periods: Period[], e: Electrical): Phasing {
  if (e.dc) return { n: 1, mask: [1, 0, 0] };
  let n = Math.min(e.defaultPhases, e.supplyPhases);
  let phaseToUse: number | undefined;
  for (const p of periods) {
    if (p.numberPhases !== undefined && p.numberPhases > 0) n = Math.min(n, p.numberPhases);
  }
  n = Math.max(1, Math.min(3, n));
  if (n === 1) phaseToUse = periods.find((p) => p.phaseToUse !== undefined && p.phaseToUse > 0)?.phaseToUse;
  const mask: Vec =
    n === 3 ? [1, 1, 1] : n === 2 ? [1, 1, 0] : phaseToUse === 2 ? [0, 1, 0] : phaseToUse === 3 ? [0, 0, 1] : [1, 0, 0];
  return phaseToUse === undefined ? { n, mask } : { n, mask, phaseToUse };
}

/** A value (with optional L2/L3 values) of a schedule in `unit`, as per-phase values in the composite's unit. */
export function toVec(
  value: number | undefined,
  l2: number | undefined,
  l3: number | undefined,
  unit: RateUnit,
  ph: Phasing,
  e: Electrical,
): Vec | undefined {
  if (value === undefined) return undefined;
  const split = l2 !== undefined || l3 !== undefined;
  // 2.1: L1, L2, L3 given separately; K01.FR.51: amperes per phase; watts: the sum over the phases in use.
  const each = split || unit === 'A' ? value : value / ph.n;
  const factor = unit === e.unit ? 1 : unit === 'A' ? e.voltage : 1 / e.voltage;
  // Called for every quantity at every cut point: one array, no intermediate one.
  return [
    each * factor * ph.mask[0],
    (split ? (l2 ?? value) : each) * factor * ph.mask[1],
    (split ? (l3 ?? value) : each) * factor * ph.mask[2],
  ];
}

export function minVec(a: Vec | undefined, b: Vec | undefined): Vec | undefined {
  if (!a) return b;
  if (!b) return a;
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.min(a[2], b[2])];
}

export function maxVec(a: Vec | undefined, b: Vec | undefined): Vec | undefined {
  if (!a) return b;
  if (!b) return a;
  return [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.max(a[2], b[2])];
}

export function addVec(a: Vec | undefined, b: Vec | undefined): Vec | undefined {
  if (!a) return b;
  if (!b) return a;
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

const EPS = 1e-6;
/** Rounding to one decimal, in the direction that never reports more than is allowed (K08.FR.04). */
export const roundDown = (v: number) => Math.floor(v * 10 + EPS) / 10 + 0;
export const roundUp = (v: number) => Math.ceil(v * 10 - EPS) / 10 + 0;
export const roundToZero = (v: number) => (v < 0 ? roundUp(v) : roundDown(v));
export const roundNear = (v: number) => Math.round(v * 10) / 10 + 0;

/**
 * The fields of one quantity (limit, dischargeLimit, setpoint, setpointReactive) for a composite period: one value
 * when the phases in use carry the same value (per phase in A, summed in W); otherwise, in 2.1, the value of each
 * phase (name, name_L2, name_L3); in 2.0.1, which has no per-phase fields, the highest phase current in A or the
 * sum in W (docs "Unequal phases").
 */
export function vecFields(
  name: string,
  v: Vec,
  mask: Vec,
  unit: RateUnit,
  perPhase: boolean,
  round: (x: number) => number,
): Record<string, number> {
  const used = v.filter((_, i) => mask[i]);
  const equal = used.every((x) => Math.abs(x - used[0]!) < EPS);
  if (!equal && perPhase) return { [name]: round(v[0]), [`${name}_L2`]: round(v[1]), [`${name}_L3`]: round(v[2]) };
  if (unit === 'W') return { [name]: round(used.reduce((s, x) => s + x, 0)) };
  const highest = used.reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), used[0]!);
  return { [name]: round(equal ? used[0]! : highest) };
}
