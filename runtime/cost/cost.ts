// The 2.1 local cost calculation (Part 2 block I, I12): a pure function of a tariff (TariffType), the usage of a
// transaction (meter samples) and times → CostDetailsType, with the fields named as in the 2.1 schemas.
//
// How it works: the transaction is cut into slices within which nothing a price depends on changes — at the
// samples, at every local minute a time-of-day condition names and at local midnight (days of week, dates), where
// the elapsed, charging or idle time or the energy crosses a condition's bound, and where another tariff takes over
// (ChangeTransactionTariff, I11.FR.08, never retroactively). In each slice the first applicable price element of
// each kind applies (Part 2 I §1.2); a change of the applicable elements starts a new charging period (I12.FR.35/36).
// The fixed fee and the reservation cost are evaluated once, at the start (I12.FR.30, I12.FR.06–08). Money is exact
// (rationals, decimal.ts); each amount is rounded once, half away from zero, and the totals are the sums of the
// rounded parts (I12.FR.17).
import type {
  ChargingPeriodType,
  CostDetailsType,
  CostDimensionType,
  PriceType,
  TariffConditionsFixedType,
  TariffConditionsType,
  TariffType,
  TaxRateType,
  TotalCostType,
} from '../../generated/v21/types.js';
import {
  add,
  cmp,
  div,
  fromDecimal,
  fromNumber,
  mul,
  ONE,
  rat,
  sub,
  sum,
  toDecimal,
  toNumber,
  ZERO,
  type Rational,
} from './decimal.js';
import { localTime, minuteOfDay } from './local-time.js';

/** A reading of the transaction's meter. */
export interface UsageSample {
  /** When: ms since the epoch, or RFC 3339. */
  at: number | string;
  /** The energy register, Wh (only differences count). */
  energyWh: number;
  /** From this sample to the next: whether the EV charges. Default: whether the register rises until the next. */
  charging?: boolean;
  /** From this sample to the next: the power, W, for minPower/maxPower conditions. */
  powerW?: number;
  /** From this sample to the next: the current summed over the phases, A, for minCurrent/maxCurrent conditions. */
  currentA?: number;
}

export interface CostInput {
  /** The tariff of the transaction at its start. */
  tariff: TariffType;
  /** Tariffs that replaced it during the transaction (I11 ChangeTransactionTariff), each from `at` on. */
  changes?: Array<{ at: number | string; tariff: TariffType }>;
  /** The transaction's start and the moment the cost is asked for (its end, or now for a running cost). */
  start: number | string;
  end: number | string;
  samples: UsageSample[];
  /** The transaction has ended: minCost applies (I12.FR.38). */
  final?: boolean;
  /** IANA time zone of the tariff's local times (I07.FR.17). Default UTC. */
  timeZone?: string;
  /** For evseKind conditions. */
  evseKind?: 'AC' | 'DC';
  /** For the fixed fee's paymentBrand / paymentRecognition conditions (ad hoc payment). */
  paymentBrand?: string;
  paymentRecognition?: string;
  /** The transaction used a reservation received at this time (I12.FR.06–08). */
  reservation?: { receivedAt: number | string };
  /** Decimals the amounts are rounded to. Default 6 (the resolution of prices sent to a station). */
  decimals?: number;
}

type Component = 'fixed' | 'energy' | 'chargingTime' | 'idleTime' | 'reservationTime' | 'reservationFixed';
const COMPONENTS: readonly Component[] = [
  'fixed',
  'energy',
  'chargingTime',
  'idleTime',
  'reservationTime',
  'reservationFixed',
];

export interface CostResult {
  costDetails: CostDetailsType;
  /** The same amounts as exact decimal strings (what the numbers in costDetails were made from). */
  amounts: Partial<Record<Component | 'total', { exclTax: string; inclTax: string }>>;
}

const timeOf = (t: number | string): number => {
  const ms = typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${String(t)}`);
  return ms;
};

interface Slice {
  a: number;
  b: number;
  energy: Rational;
  charging: boolean;
  powerW?: number;
  currentA?: number;
}

/** The transaction's usage as slices between the samples, clipped to [start, end]. */
function slicesOf(samples: readonly UsageSample[], start: number, end: number): Slice[] {
  const points = samples.map((s) => ({ ...s, t: timeOf(s.at), e: fromNumber(s.energyWh) })).sort((x, y) => x.t - y.t);
  if (points.length === 0) return end > start ? [{ a: start, b: end, energy: ZERO, charging: false }] : [];
  const out: Slice[] = [];
  const first = points[0]!;
  if (first.t > start) out.push({ a: start, b: Math.min(first.t, end), energy: ZERO, charging: false });
  points.forEach((p, i) => {
    const next = points[i + 1];
    const a = Math.max(p.t, start);
    const b = Math.min(next?.t ?? end, end);
    if (b <= a) return;
    // The energy of the part of [p.t, next.t) inside [start, end], in proportion to time.
    let energy = ZERO;
    if (next && next.t > p.t) {
      const rise = sub(next.e, p.e);
      energy = cmp(rise, ZERO) > 0 ? mul(rise, rat(BigInt(b - a), BigInt(next.t - p.t))) : ZERO;
    }
    const charging = p.charging ?? cmp(energy, ZERO) > 0;
    out.push({
      a,
      b,
      energy,
      charging,
      ...(p.powerW !== undefined ? { powerW: p.powerW } : {}),
      ...(p.currentA !== undefined ? { currentA: p.currentA } : {}),
    });
  });
  return out;
}

/** Cuts a slice at `t` (a < t < b), the energy in proportion to time unless `energyBefore` is given. */
function cut(s: Slice, t: number, energyBefore?: Rational): [Slice, Slice] {
  const before = energyBefore ?? mul(s.energy, rat(BigInt(t - s.a), BigInt(s.b - s.a)));
  return [
    { ...s, b: t, energy: before },
    { ...s, a: t, energy: sub(s.energy, before) },
  ];
}

function splitAt(slices: Slice[], times: readonly number[]): Slice[] {
  const sorted = [...new Set(times)].sort((x, y) => x - y);
  const out: Slice[] = [];
  for (let s of slices) {
    for (const t of sorted) {
      if (t <= s.a || t >= s.b) continue;
      const [x, y] = cut(s, t);
      out.push(x);
      s = y;
    }
    out.push(s);
  }
  return out;
}

/** Cuts where a running total (charging s, idle s, energy Wh) crosses one of `bounds`. */
function splitWhere(slices: Slice[], bounds: readonly number[], kind: 'charging' | 'idle' | 'energy'): Slice[] {
  if (bounds.length === 0) return slices;
  const sorted = [...new Set(bounds)].map(fromNumber).sort(cmp);
  const out: Slice[] = [];
  let total = ZERO;
  for (let s of slices) {
    for (const bound of sorted) {
      const amount = amountOf(s, kind);
      const end = add(total, amount);
      if (cmp(bound, total) <= 0 || cmp(bound, end) >= 0) continue;
      const part = div(sub(bound, total), amount);
      const t = s.a + Math.round(Number(toDecimal(mul(part, rat(BigInt(s.b - s.a))), 3)));
      if (t <= s.a || t >= s.b) continue;
      const [x, y] = cut(s, t, kind === 'energy' ? sub(bound, total) : undefined);
      out.push(x);
      total = add(total, amountOf(x, kind));
      s = y;
    }
    out.push(s);
    total = add(total, amountOf(s, kind));
  }
  return out;
}

const seconds = (s: Slice) => rat(BigInt(s.b - s.a), 1000n);
function amountOf(s: Slice, kind: 'charging' | 'idle' | 'energy'): Rational {
  if (kind === 'energy') return s.energy;
  return (kind === 'charging') === s.charging ? seconds(s) : ZERO;
}

/** What the conditions are evaluated against, at the start of a slice. */
interface Context {
  at: number;
  timeZone: string;
  elapsedS: Rational;
  chargingS: Rational;
  idleS: Rational;
  energyWh: Rational;
  powerW?: number;
  currentA?: number;
  evseKind?: 'AC' | 'DC';
  paymentBrand?: string;
  paymentRecognition?: string;
  /** I12.FR.14: what a condition needed that the samples did not tell (power, current). */
  missing: Set<string>;
}

function holds(c: TariffConditionsType | TariffConditionsFixedType | undefined, ctx: Context): boolean {
  if (!c) return true;
  const local = localTime(ctx.at, ctx.timeZone);
  const from = minuteOfDay(c.startTimeOfDay);
  const until = c.endTimeOfDay === '00:00' ? 1440 : minuteOfDay(c.endTimeOfDay);
  if (from !== undefined || until !== undefined) {
    const s = from ?? 0;
    const e = until ?? 1440;
    // An end before the start wraps around midnight (TariffConditionsType.endTimeOfDay).
    const inside = s < e ? local.minute >= s && local.minute < e : s === e || local.minute >= s || local.minute < e;
    if (!inside) return false;
  }
  if (c.dayOfWeek && !c.dayOfWeek.includes(local.weekday)) return false;
  if (c.validFromDate !== undefined && local.date < c.validFromDate) return false;
  if (c.validToDate !== undefined && local.date >= c.validToDate) return false;
  if (c.evseKind !== undefined && c.evseKind !== ctx.evseKind) return false;
  if ('paymentBrand' in c && c.paymentBrand !== undefined && c.paymentBrand !== ctx.paymentBrand) return false;
  if (
    'paymentRecognition' in c &&
    c.paymentRecognition !== undefined &&
    c.paymentRecognition !== ctx.paymentRecognition
  )
    return false;
  // The bounds of usage (absent in the fixed fee's conditions, which are evaluated at the start only).
  const t: Partial<TariffConditionsType> = c;
  const within = (value: Rational | number | undefined, lo: number | undefined, hi: number | undefined, what = '') => {
    if (lo === undefined && hi === undefined) return true;
    if (value === undefined) {
      // The condition cannot be decided: counted as not holding, and the cost as not fully calculated.
      ctx.missing.add(what);
      return false;
    }
    const v = typeof value === 'number' ? fromNumber(value) : value;
    return (lo === undefined || cmp(v, fromNumber(lo)) >= 0) && (hi === undefined || cmp(v, fromNumber(hi)) < 0);
  };
  if (!within(ctx.energyWh, t.minEnergy, t.maxEnergy)) return false;
  if (!within(ctx.currentA, t.minCurrent, t.maxCurrent, 'current')) return false;
  if (!within(ctx.powerW, t.minPower, t.maxPower, 'power')) return false;
  if (!within(ctx.elapsedS, t.minTime, t.maxTime)) return false;
  if (!within(ctx.chargingS, t.minChargingTime, t.maxChargingTime)) return false;
  if (!within(ctx.idleS, t.minIdleTime, t.maxIdleTime)) return false;
  return true;
}

/** The index of the first price element whose conditions hold (I §1.2), or -1. */
const firstApplicable = (prices: ReadonlyArray<{ conditions?: TariffConditionsType }> | undefined, ctx: Context) =>
  prices ? prices.findIndex((p) => holds(p.conditions, ctx)) : -1;

/** I12.FR.13: the taxes of each stack apply to the result of the stack below; equal stacks add up. */
function taxFactor(rates: readonly TaxRateType[] | undefined): Rational {
  if (!rates?.length) return ONE;
  const stacks = new Map<number, Rational>();
  for (const r of rates) stacks.set(r.stack ?? 0, add(stacks.get(r.stack ?? 0) ?? ZERO, fromNumber(r.tax)));
  return [...stacks.entries()]
    .sort(([x], [y]) => x - y)
    .reduce((f, [, pct]) => mul(f, add(ONE, div(pct, rat(100n)))), ONE);
}

const TIME_CONDITIONS = ['startTimeOfDay', 'endTimeOfDay'] as const;

/** The local minutes at which some time-of-day condition of the tariffs begins or ends, and midnight. */
function minutesNamed(tariffs: readonly TariffType[]): { minutes: Set<number>; days: boolean } {
  const minutes = new Set<number>();
  let days = false;
  for (const t of tariffs)
    for (const part of [t.energy, t.chargingTime, t.idleTime])
      for (const p of part?.prices ?? []) {
        const c = p.conditions;
        if (!c) continue;
        for (const k of TIME_CONDITIONS) {
          const m = minuteOfDay(c[k]);
          if (m !== undefined) minutes.add(m % 1440);
        }
        if (c.dayOfWeek || c.validFromDate || c.validToDate || c.endTimeOfDay === '00:00') days = true;
      }
  if (days) minutes.add(0);
  return { minutes, days };
}

/** Bounds of one kind named by the conditions of the tariffs' energy and time prices. */
function boundsOf(tariffs: readonly TariffType[], lo: keyof TariffConditionsType, hi: keyof TariffConditionsType) {
  const out: number[] = [];
  for (const t of tariffs)
    for (const part of [t.energy, t.chargingTime, t.idleTime])
      for (const p of part?.prices ?? [])
        for (const k of [lo, hi]) {
          const v = p.conditions?.[k];
          if (typeof v === 'number') out.push(v);
        }
  return out;
}

/** The longest transaction cut at every local minute (about 86 400 steps): longer ones are cut hourly. */
const MINUTE_SCAN_LIMIT_MS = 60 * 24 * 3600 * 1000;

function localBoundaries(start: number, end: number, minutes: ReadonlySet<number>, timeZone: string): number[] {
  if (minutes.size === 0) return [];
  const step = end - start > MINUTE_SCAN_LIMIT_MS ? 3600_000 : 60_000;
  const out: number[] = [];
  // Every zone's offset is a whole number of minutes: local minute boundaries are UTC minute boundaries.
  for (let t = Math.ceil(start / step) * step; t < end; t += step)
    if (minutes.has(localTime(t, timeZone).minute)) out.push(t);
  return out;
}

interface Accrued {
  excl: Rational;
  incl: Rational;
}
const NONE: Accrued = { excl: ZERO, incl: ZERO };

/** The cost details of a transaction under its tariff(s). Throws a RangeError on input it cannot read. */
export function costDetails(input: CostInput): CostResult {
  const start = timeOf(input.start);
  const end = Math.max(start, timeOf(input.end));
  const timeZone = input.timeZone ?? 'UTC';
  const decimals = input.decimals ?? 6;
  const changes = (input.changes ?? [])
    .map((c) => ({ at: timeOf(c.at), tariff: c.tariff }))
    .filter((c) => c.at > start && c.at < end)
    .sort((x, y) => x.at - y.at);
  const tariffs = [input.tariff, ...changes.map((c) => c.tariff)];
  const tariffAt = (t: number) => changes.filter((c) => c.at <= t).pop()?.tariff ?? input.tariff;

  let slices = slicesOf(input.samples, start, end);
  const named = minutesNamed(tariffs);
  slices = splitAt(slices, [
    ...changes.map((c) => c.at),
    ...localBoundaries(start, end, named.minutes, timeZone),
    ...boundsOf(tariffs, 'minTime', 'maxTime').map((s) => start + s * 1000),
  ]);
  slices = splitWhere(slices, boundsOf(tariffs, 'minChargingTime', 'maxChargingTime'), 'charging');
  slices = splitWhere(slices, boundsOf(tariffs, 'minIdleTime', 'maxIdleTime'), 'idle');
  slices = splitWhere(slices, boundsOf(tariffs, 'minEnergy', 'maxEnergy'), 'energy');

  const missing = new Set<string>();
  const base = {
    timeZone,
    missing,
    ...(input.evseKind ? { evseKind: input.evseKind } : {}),
    ...(input.paymentBrand ? { paymentBrand: input.paymentBrand } : {}),
    ...(input.paymentRecognition ? { paymentRecognition: input.paymentRecognition } : {}),
  };
  const startCtx: Context = { ...base, at: start, elapsedS: ZERO, chargingS: ZERO, idleS: ZERO, energyWh: ZERO };

  const accrued: Record<Component, Accrued> = {
    fixed: NONE,
    energy: NONE,
    chargingTime: NONE,
    idleTime: NONE,
    reservationTime: NONE,
    reservationFixed: NONE,
  };
  let frozen = false;
  /** Adds costs in time order; I12.FR.39: the total stops at maxCost (excl or incl), no cost is added after. */
  const accrue = (parts: Partial<Record<Component, Accrued>>, tariff: TariffType) => {
    if (frozen) return;
    const entries = Object.entries(parts) as Array<[Component, Accrued]>;
    let f = ONE;
    const cap = tariff.maxCost;
    if (cap) {
      const total = sumAccrued(Object.values(accrued));
      const adding = sumAccrued(entries.map(([, a]) => a));
      for (const [limit, now, more] of [
        [cap.exclTax, total.excl, adding.excl],
        [cap.inclTax, total.incl, adding.incl],
      ] as const) {
        if (limit === undefined) continue;
        const room = sub(fromNumber(limit), now);
        if (cmp(room, ZERO) <= 0) f = ZERO;
        else if (cmp(more, room) >= 0 && cmp(more, ZERO) > 0) {
          const g = div(room, more);
          if (cmp(g, f) < 0) f = g;
        }
        if (cmp(more, room) >= 0) frozen = true;
      }
    }
    for (const [k, a] of entries)
      accrued[k] = { excl: add(accrued[k].excl, mul(a.excl, f)), incl: add(accrued[k].incl, mul(a.incl, f)) };
  };
  const priced = (amount: Rational, rates: readonly TaxRateType[] | undefined): Accrued => ({
    excl: amount,
    incl: mul(amount, taxFactor(rates)),
  });

  // I12.FR.30: the fixed fee once, at the start; I12.FR.06–08: the reservation too.
  const t0 = input.tariff;
  const fixedIdx = firstApplicable(t0.fixedFee?.prices, startCtx);
  const startParts: Partial<Record<Component, Accrued>> = {};
  if (t0.fixedFee && fixedIdx >= 0)
    startParts.fixed = priced(fromNumber(t0.fixedFee.prices[fixedIdx]!.priceFixed), t0.fixedFee.taxRates);
  let reservationS: Rational | undefined;
  if (input.reservation) {
    reservationS = rat(BigInt(Math.max(0, start - timeOf(input.reservation.receivedAt))), 1000n);
    const rf = firstApplicable(t0.reservationFixed?.prices, startCtx);
    if (t0.reservationFixed && rf >= 0)
      startParts.reservationFixed = priced(
        fromNumber(t0.reservationFixed.prices[rf]!.priceFixed),
        t0.reservationFixed.taxRates,
      );
    const rt = firstApplicable(t0.reservationTime?.prices, startCtx);
    if (t0.reservationTime && rt >= 0)
      startParts.reservationTime = priced(
        mul(fromNumber(t0.reservationTime.prices[rt]!.priceMinute), div(reservationS, rat(60n))),
        t0.reservationTime.taxRates,
      );
  }
  accrue(startParts, t0);

  // The slices, in time order: usage, periods and costs.
  const periods: Array<{ key: string; period: ChargingPeriodType; volumes: Record<string, Rational> }> = [];
  let chargingS = ZERO;
  let idleS = ZERO;
  let energyWh = ZERO;
  for (const s of slices) {
    const tariff = tariffAt(s.a);
    const ctx: Context = {
      ...base,
      at: s.a,
      elapsedS: rat(BigInt(s.a - start), 1000n),
      chargingS,
      idleS,
      energyWh,
      ...(s.powerW !== undefined ? { powerW: s.powerW } : {}),
      ...(s.currentA !== undefined ? { currentA: s.currentA } : {}),
    };
    const e = firstApplicable(tariff.energy?.prices, ctx);
    const c = firstApplicable(tariff.chargingTime?.prices, ctx);
    const i = firstApplicable(tariff.idleTime?.prices, ctx);
    const minutes = div(seconds(s), rat(60n));
    const parts: Partial<Record<Component, Accrued>> = {};
    if (tariff.energy && e >= 0)
      parts.energy = priced(
        mul(fromNumber(tariff.energy.prices[e]!.priceKwh), div(s.energy, rat(1000n))),
        tariff.energy.taxRates,
      );
    if (s.charging && tariff.chargingTime && c >= 0)
      parts.chargingTime = priced(
        mul(fromNumber(tariff.chargingTime.prices[c]!.priceMinute), minutes),
        tariff.chargingTime.taxRates,
      );
    if (!s.charging && tariff.idleTime && i >= 0)
      parts.idleTime = priced(
        mul(fromNumber(tariff.idleTime.prices[i]!.priceMinute), minutes),
        tariff.idleTime.taxRates,
      );
    accrue(parts, tariff);

    // I12.FR.35/36: a new charging period where another tariff or other price elements apply.
    const key = `${tariff.tariffId}|${e}|${c}|${i}`;
    if (periods[periods.length - 1]?.key !== key)
      periods.push({
        key,
        period: { tariffId: tariff.tariffId, startPeriod: new Date(s.a).toISOString() },
        volumes: { Energy: ZERO, ChargingTime: ZERO, IdleTIme: ZERO },
      });
    const v = periods[periods.length - 1]!.volumes;
    v.Energy = add(v.Energy!, s.energy);
    if (s.charging) v.ChargingTime = add(v.ChargingTime!, seconds(s));
    else v.IdleTIme = add(v.IdleTIme!, seconds(s));
    energyWh = add(energyWh, s.energy);
    if (s.charging) chargingS = add(chargingS, seconds(s));
    else idleS = add(idleS, seconds(s));
  }

  // The components the tariff has, each rounded once; the total is the sum of the rounded parts (I12.FR.17).
  const current = tariffAt(end);
  const has: Record<Component, boolean> = {
    fixed: t0.fixedFee !== undefined,
    energy: tariffs.some((t) => t.energy),
    chargingTime: tariffs.some((t) => t.chargingTime),
    idleTime: tariffs.some((t) => t.idleTime),
    reservationTime: input.reservation !== undefined && t0.reservationTime !== undefined,
    reservationFixed: input.reservation !== undefined && t0.reservationFixed !== undefined,
  };
  const ratesOf: Record<Component, TaxRateType[] | undefined> = {
    fixed: t0.fixedFee?.taxRates,
    energy: current.energy?.taxRates,
    chargingTime: current.chargingTime?.taxRates,
    idleTime: current.idleTime?.taxRates,
    reservationTime: t0.reservationTime?.taxRates,
    reservationFixed: t0.reservationFixed?.taxRates,
  };
  const amounts: CostResult['amounts'] = {};
  const totalCost: TotalCostType = {
    currency: current.currency,
    typeOfCost: frozen ? 'MaxCost' : 'NormalCost',
    total: {},
  };
  let totalExcl = ZERO;
  let totalIncl = ZERO;
  for (const k of COMPONENTS) {
    if (!has[k]) continue;
    const excl = toDecimal(accrued[k].excl, decimals);
    const incl = toDecimal(accrued[k].incl, decimals);
    amounts[k] = { exclTax: excl, inclTax: incl };
    totalCost[k] = priceType(excl, incl, ratesOf[k]);
    totalExcl = add(totalExcl, fromDecimal(excl));
    totalIncl = add(totalIncl, fromDecimal(incl));
  }
  amounts.total = { exclTax: toDecimal(totalExcl, decimals), inclTax: toDecimal(totalIncl, decimals) };
  totalCost.total = { exclTax: toNumber(totalExcl, decimals), inclTax: toNumber(totalIncl, decimals) };

  // I12.FR.38: at the end, less than minCost is charged as minCost.
  const floor = current.minCost;
  let finalCost = totalCost;
  if (input.final && floor) {
    const floorIncl =
      floor.inclTax !== undefined
        ? fromNumber(floor.inclTax)
        : floor.exclTax !== undefined
          ? mul(fromNumber(floor.exclTax), taxFactor(floor.taxRates))
          : undefined;
    const below =
      (floor.exclTax !== undefined && cmp(totalExcl, fromNumber(floor.exclTax)) < 0) ||
      (floorIncl !== undefined && cmp(totalIncl, floorIncl) < 0);
    if (below) {
      const fixed: PriceType = withoutCustom({
        ...floor,
        ...(floorIncl !== undefined ? { inclTax: toNumber(floorIncl, decimals) } : {}),
      });
      finalCost = {
        currency: current.currency,
        typeOfCost: 'MinCost',
        fixed,
        total: {
          ...(fixed.exclTax !== undefined ? { exclTax: fixed.exclTax } : {}),
          ...(fixed.inclTax !== undefined ? { inclTax: fixed.inclTax } : {}),
        },
      };
      for (const k of COMPONENTS) delete amounts[k];
      const floorExcl = floor.exclTax !== undefined ? fromNumber(floor.exclTax) : undefined;
      amounts.fixed = amounts.total = {
        exclTax: toDecimal(floorExcl ?? floorIncl ?? ZERO, decimals),
        inclTax: toDecimal(floorIncl ?? floorExcl ?? ZERO, decimals),
      };
    }
  }

  const chargingPeriods = periods.map(({ period, volumes }) => {
    const dimensions: CostDimensionType[] = [];
    const add = (type: CostDimensionType['type'], v: Rational, wanted: boolean) => {
      if (wanted) dimensions.push({ type, volume: toNumber(v, 3) });
    };
    const t = tariffs.find((x) => x.tariffId === period.tariffId) ?? current;
    add('Energy', volumes.Energy!, t.energy !== undefined || cmp(volumes.Energy!, ZERO) > 0);
    add('ChargingTime', volumes.ChargingTime!, t.chargingTime !== undefined);
    add('IdleTIme', volumes.IdleTIme!, t.idleTime !== undefined);
    return dimensions.length ? { ...period, dimensions } : period;
  });
  return {
    costDetails: {
      // I12.FR.14: a price condition on a quantity the samples lack: what could be calculated, flagged.
      ...(missing.size
        ? {
            failureToCalculate: true,
            failureReason: `no ${[...missing].sort().join(' or ')} measurement to evaluate a tariff condition on it`,
          }
        : {}),
      ...(chargingPeriods.length ? { chargingPeriods } : {}),
      totalCost: finalCost,
      totalUsage: {
        energy: toNumber(energyWh, 3),
        // Whole seconds: the schema's TotalUsageType has integers for the times.
        chargingTime: toNumber(chargingS, 0),
        idleTime: toNumber(idleS, 0),
        ...(reservationS !== undefined ? { reservationTime: toNumber(reservationS, 0) } : {}),
      },
    },
    amounts,
  };
}

function sumAccrued(xs: readonly Accrued[]): Accrued {
  return { excl: sum(xs.map((x) => x.excl)), incl: sum(xs.map((x) => x.incl)) };
}

function priceType(excl: string, incl: string, rates: readonly TaxRateType[] | undefined): PriceType {
  return {
    exclTax: Number(excl),
    inclTax: Number(incl),
    ...(rates?.length ? { taxRates: rates.map((r) => withoutCustom(r)) } : {}),
  };
}

function withoutCustom<T extends { customData?: unknown }>(x: T): Omit<T, 'customData'> {
  const { customData: _, ...rest } = x;
  return rest;
}
