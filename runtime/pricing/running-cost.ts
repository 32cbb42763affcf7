// The running cost of a transaction between two cost messages of the California pricing note (1.6 RunningCost; the
// same fields in 2.0.1's customData): the CSMS sends the cost up to a meter value and the unit prices; the station
// adds what was used since, so the driver sees the cost grow between messages. Pure and exact: the money is the
// rationals of runtime/cost/decimal.ts (the 2.1 cost function's), rounded once at the end.
//
// Since the message: time is priced per period — the message's prices until `nextPeriod.atTime`, the next period's
// after, whose flat fee is added once it begins; the energy at the kWh price of the period it was used in, split at
// the register the station noted when the next period began (all of it at the message's price until it noted one). In
// state Charging the hour price applies; in state Idle the idle hour price applies once the grace minutes (counted
// from when the transaction became idle) are over. Prices are never negative, so the cost never falls as energy or
// time grow.
import { add, cmp, fromNumber, mul, rat, toDecimal, ZERO, type Rational } from '../cost/decimal.js';

export type Decimal = Rational;

export interface ChargingPrice {
  kWhPrice?: Decimal;
  hourPrice?: Decimal;
  flatFee?: Decimal;
}

export interface IdlePrice {
  graceMinutes?: number;
  hourPrice?: Decimal;
}

export interface CostBasis {
  /** The time of the meter value the CSMS's cost is based on, ms since the epoch. */
  at: number;
  /** That meter value, Wh. */
  meterWh: number;
  /** The CSMS's cost up to it. */
  cost: Decimal;
  state: 'Charging' | 'Idle';
  chargingPrice: ChargingPrice;
  idlePrice?: IdlePrice;
  nextPeriod?: {
    at: number;
    chargingPrice: ChargingPrice;
    idlePrice?: IdlePrice;
    /** The energy register when the next period began (the station notes it then), Wh. */
    meterWh?: number;
  };
  /** When the transaction became idle (ms), for the grace minutes; the basis time when not known. */
  idleSince?: number;
}

const HOUR_MS = 3_600_000n;

/** hourPrice × the time from `from` to `to` (ms). */
function timeCost(hourPrice: Decimal | undefined, from: number, to: number): Decimal {
  if (!hourPrice || to <= from) return ZERO;
  return mul(hourPrice, rat(BigInt(Math.round(to - from)), HOUR_MS));
}

/** The cost now, exact, with `meterWh` the meter's energy register now. */
export function runningCost(basis: CostBasis, now: number, meterWh: number): Decimal {
  const switchAt = basis.nextPeriod && basis.nextPeriod.at < now ? Math.max(basis.nextPeriod.at, basis.at) : now;
  const periods = [
    { from: basis.at, to: switchAt, charging: basis.chargingPrice, idle: basis.idlePrice },
    ...(switchAt < now && basis.nextPeriod
      ? [{ from: switchAt, to: now, charging: basis.nextPeriod.chargingPrice, idle: basis.nextPeriod.idlePrice }]
      : []),
  ];
  const current = periods[periods.length - 1]!;
  let cost = basis.cost;
  const usedWh = Math.max(0, Math.round(meterWh - basis.meterWh));
  const noted = periods.length > 1 ? basis.nextPeriod?.meterWh : undefined;
  const laterWh = noted === undefined ? 0 : Math.min(usedWh, Math.max(0, Math.round(meterWh - noted)));
  const energy = [usedWh - laterWh, laterWh];
  periods.forEach((p, i) => {
    const wh = energy[i === 0 ? 0 : 1]!;
    if (p.charging.kWhPrice && wh > 0) cost = add(cost, mul(p.charging.kWhPrice, rat(BigInt(wh), 1000n)));
  });
  if (periods.length > 1 && current.charging.flatFee) cost = add(cost, current.charging.flatFee);
  for (const p of periods) {
    if (basis.state === 'Charging') cost = add(cost, timeCost(p.charging.hourPrice, p.from, p.to));
    else {
      const graceEnds = (basis.idleSince ?? basis.at) + (p.idle?.graceMinutes ?? 0) * 60_000;
      cost = add(cost, timeCost(p.idle?.hourPrice, Math.max(p.from, graceEnds), p.to));
    }
  }
  return cost;
}

/** The amount as text with exactly `digits` decimals ("3.310"), rounded half away from zero. */
export function fixed(amount: Decimal, digits: number): string {
  const text = toDecimal(amount, digits);
  if (digits === 0) return text;
  const [int, frac = ''] = text.split('.');
  return `${int}.${frac.padEnd(digits, '0')}`;
}

/** A JSON number as an exact amount; undefined for NaN or Infinity. */
export function amountOf(value: number): Decimal | undefined {
  return Number.isFinite(value) ? fromNumber(value) : undefined;
}

/** A price field of the message: a JSON number ≥ 0, as a decimal; `invalid` for anything else. */
export function priceOf(value: unknown): Decimal | undefined | 'invalid' {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') return 'invalid';
  const d = amountOf(value);
  return d && cmp(d, ZERO) >= 0 ? d : 'invalid';
}

/**
 * The basis as of `at` (ms, not before the basis) with the meter at `meterWh`: the cost up to then becomes the
 * CSMS's cost, a next period that has begun becomes the prices in force, and from then on the time is priced in
 * `state`. The 1.6 station uses it when a transaction stops with the cable still in and CustomIdleFeeAfterStop: no
 * energy flows any more, so the time after the stop is idle time (the grace minutes count from when it became idle:
 * from `at` unless the basis was idle already).
 */
export function rebase(basis: CostBasis, at: number, meterWh: number, state: CostBasis['state']): CostBasis {
  const when = Math.max(at, basis.at);
  const cost = runningCost(basis, when, meterWh);
  const next = basis.nextPeriod;
  const begun = next !== undefined && next.at < when;
  const idleSince = state === 'Idle' ? (basis.state === 'Idle' ? (basis.idleSince ?? basis.at) : when) : undefined;
  const idlePrice = begun ? next.idlePrice : basis.idlePrice;
  return {
    at: when,
    meterWh,
    cost,
    state,
    chargingPrice: begun ? next.chargingPrice : basis.chargingPrice,
    ...(idlePrice ? { idlePrice } : {}),
    ...(next && !begun ? { nextPeriod: next } : {}),
    ...(idleSince !== undefined ? { idleSince } : {}),
  };
}

/**
 * The station's own basis for a transaction the CSMS gave no cost for (1.6 DefaultPrice's chargingPrice, used while
 * offline): from its start, at the default prices, with their flat fee at the start.
 */
export function defaultPriceBasis(chargingPrice: ChargingPrice, startedAt: number, startWh: number): CostBasis {
  return { at: startedAt, meterWh: startWh, cost: chargingPrice.flatFee ?? ZERO, state: 'Charging', chargingPrice };
}

/** A state holding exact amounts, as JSON the store can keep (bigints as `{ $bigint: "…" }`); `restoreExact` undoes it. */
export function savedExact(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? { $bigint: String(v) } : v)));
}

const isBigintBox = (v: unknown): v is { $bigint: string } =>
  v !== null &&
  typeof v === 'object' &&
  Object.keys(v).length === 1 &&
  '$bigint' in v &&
  typeof v.$bigint === 'string' &&
  /^-?\d+$/.test(v.$bigint);

export function restoreExact(saved: unknown): unknown {
  if (saved === undefined) return undefined;
  return JSON.parse(JSON.stringify(saved), (_k, v: unknown) => (isBigintBox(v) ? BigInt(v.$bigint) : v));
}
