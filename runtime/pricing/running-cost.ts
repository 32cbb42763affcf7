// The running cost of a transaction between two cost messages of the California pricing note (1.6 RunningCost; the
// same fields in 2.0.1's customData): the CSMS sends the cost up to a meter value and the unit prices; the station
// adds what was used since, so the driver sees the cost grow between messages. Pure and exact (decimal.ts).
//
// Since the message: the energy used is priced at the kWh price in force now; time is priced per period — the
// message's prices until `nextPeriod.atTime`, the next period's after, whose flat fee is added once it begins. In
// state Charging the hour price applies; in state Idle the idle hour price applies once the grace minutes (counted
// from when the transaction became idle) are over. Prices are never negative, so the cost never falls as energy or
// time grow.
import { add, compare, decimal, divide, mul, round, ZERO, type Decimal } from './decimal.js';

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
  nextPeriod?: { at: number; chargingPrice: ChargingPrice; idlePrice?: IdlePrice };
  /** When the transaction became idle (ms), for the grace minutes; the basis time when not known. */
  idleSince?: number;
}

const HOUR_MS = 3_600_000;
/** Digits kept while computing; the result is rounded once, to the digits asked. */
const WORK_SCALE = 9;

/** hourPrice × the time from `from` to `to` (ms). */
function timeCost(hourPrice: Decimal | undefined, from: number, to: number): Decimal {
  if (!hourPrice || to <= from) return ZERO;
  return divide(mul(hourPrice, { units: BigInt(Math.round(to - from)), scale: 0 }), HOUR_MS, WORK_SCALE);
}

/** The cost now, with `meterWh` the meter's energy register now, rounded to `digits` (NumberOfDecimalsForCostValues). */
export function runningCost(basis: CostBasis, now: number, meterWh: number, digits: number): Decimal {
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
  if (current.charging.kWhPrice) cost = add(cost, mul(current.charging.kWhPrice, { units: BigInt(usedWh), scale: 3 }));
  if (periods.length > 1 && current.charging.flatFee) cost = add(cost, current.charging.flatFee);
  for (const p of periods) {
    if (basis.state === 'Charging') cost = add(cost, timeCost(p.charging.hourPrice, p.from, p.to));
    else {
      const graceEnds = (basis.idleSince ?? basis.at) + (p.idle?.graceMinutes ?? 0) * 60_000;
      cost = add(cost, timeCost(p.idle?.hourPrice, Math.max(p.from, graceEnds), p.to));
    }
  }
  return round(cost, digits);
}

/** A price field of the message: a JSON number ≥ 0, as a decimal; `invalid` for anything else. */
export function priceOf(value: unknown): Decimal | undefined | 'invalid' {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') return 'invalid';
  const d = decimal(value);
  return d && compare(d, ZERO) >= 0 ? d : 'invalid';
}
