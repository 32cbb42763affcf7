// Property (issue 11): for random valid profile sets, the composite limit at every second of a one-hour window equals
// the minimum over the purposes of the limit of the highest-stack-level valid profile that has a period in force then
// (TxProfile before TxDefaultProfile), capped by the EVSE maximum: evaluated here by brute force, second by second,
// with its own reading of the schedule rules, not with the code under test. Seeded, so a failure is reproducible.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type * as v21 from '../../generated/v21/types.js';
import { compositeSchedule, type CompositeScheduleInput21 } from '../../runtime/smart-charging/index.js';
import { DAY, HOUR, NOW, at, station } from './builders.js';

const WINDOW = HOUR;
const VOLTS_3PH = 230 * 3;
const MAX_CURRENT = 32;

function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const PURPOSES = [
  'ChargingStationMaxProfile',
  'TxDefaultProfile',
  'TxProfile',
  'ChargingStationExternalConstraints',
] as const;

interface World {
  input: CompositeScheduleInput21;
  now: number;
  txStart?: number;
  offlineSince?: number;
}

function randomProfile(
  r: Rng,
  id: number,
  purpose: (typeof PURPOSES)[number],
  stackLevel: number,
): { evseId: number; chargingProfile: v21.ChargingProfileType } {
  const evseId = purpose === 'ChargingStationMaxProfile' ? 0 : purpose === 'TxProfile' ? 1 : r.pick([0, 1]);
  const kind =
    purpose === 'ChargingStationMaxProfile'
      ? r.pick(['Absolute', 'Recurring'] as const)
      : r.pick(['Absolute', 'Recurring', 'Relative'] as const);
  const unit = r.pick(['A', 'W'] as const);
  const periods: v21.ChargingSchedulePeriodType[] = [];
  for (let i = 0, start = 0; i < r.int(1, 4); i++, start += r.int(1, 1800)) {
    const amps = r.int(0, 40);
    periods.push({ startPeriod: start, limit: unit === 'A' ? amps : amps * VOLTS_3PH });
  }
  const schedule: v21.ChargingScheduleType = { id: 1, chargingRateUnit: unit, chargingSchedulePeriod: periods };
  if (kind === 'Absolute') schedule.startSchedule = at(r.int(-2 * HOUR, HOUR));
  if (kind === 'Recurring') schedule.startSchedule = at(-r.int(1, 30) * DAY + r.int(-HOUR, HOUR));
  if (r.chance(0.5)) schedule.duration = r.int(60, 2 * HOUR);
  const profile: v21.ChargingProfileType = {
    id,
    stackLevel,
    chargingProfilePurpose: purpose,
    chargingProfileKind: kind,
    chargingSchedule: [schedule],
  };
  if (kind === 'Recurring') profile.recurrencyKind = 'Daily';
  if (r.chance(0.3)) profile.validFrom = at(r.int(-HOUR, HOUR));
  if (r.chance(0.3)) profile.validTo = at(r.int(0, 2 * HOUR));
  if (purpose === 'TxProfile') profile.transactionId = r.chance(0.8) ? 'T1' : 'T-OTHER';
  if (r.chance(0.3)) profile.maxOfflineDuration = r.int(0, HOUR);
  return { evseId, chargingProfile: profile };
}

function randomWorld(seed: number): World {
  const r = rng(seed);
  const now = Date.parse(NOW) / 1000;
  const txStart = r.chance(0.6) ? now - r.int(0, HOUR) : undefined;
  const offlineSince = r.chance(0.4) ? now + r.int(-HOUR, HOUR) : undefined;
  // K01.FR.06/.52/.53: never two profiles of one purpose with the same stack level on EVSE 0 and EVSE 1.
  const levels = new Map(PURPOSES.map((p) => [p, [0, 1, 2, 3, 4, 5].sort(() => r.next() - 0.5)]));
  const profiles = Array.from({ length: r.int(0, 7) }, (_, i) => {
    const purpose = r.pick(PURPOSES);
    return randomProfile(r, i + 1, purpose, levels.get(purpose)!.pop() ?? 6 + i);
  });
  const input: CompositeScheduleInput21 = {
    version: 'ocpp2.1',
    now: NOW,
    station: station({
      evses: [
        {
          id: 1,
          ...(txStart !== undefined
            ? { transaction: { transactionId: 'T1', startTime: new Date(txStart * 1000).toISOString() } }
            : {}),
        },
      ],
      ...(offlineSince !== undefined ? { offlineSince: new Date(offlineSince * 1000).toISOString() } : {}),
    }),
    profiles,
    request: { evseId: 1, duration: WINDOW, chargingRateUnit: r.pick(['A', 'W'] as const) },
  };
  return { input, now, txStart, offlineSince };
}

/** The limit in amperes of one profile at second t, or undefined when it has no period in force. */
function limitAt(w: World, evseId: number, cp: v21.ChargingProfileType, t: number): number | undefined {
  const s = cp.chargingSchedule[0]!;
  if (cp.validFrom && t < Date.parse(cp.validFrom) / 1000) return undefined;
  if (cp.validTo && t >= Date.parse(cp.validTo) / 1000) return undefined;
  if (
    w.offlineSince !== undefined &&
    cp.maxOfflineDuration !== undefined &&
    t >= w.offlineSince + cp.maxOfflineDuration
  )
    return undefined;
  if (
    cp.chargingProfilePurpose === 'TxProfile' &&
    (w.txStart === undefined || cp.transactionId !== 'T1' || evseId !== 1)
  )
    return undefined;
  let start: number;
  if (cp.chargingProfileKind === 'Relative') start = w.txStart ?? w.now;
  else start = Date.parse(s.startSchedule!) / 1000;
  if (t < start) return undefined;
  let length = s.duration ?? Infinity;
  if (cp.chargingProfileKind === 'Recurring') {
    start += Math.floor((t - start) / DAY) * DAY;
    length = Math.min(length, DAY);
  }
  const offset = t - start;
  if (offset >= length) return undefined;
  const period = s.chargingSchedulePeriod.filter((p) => p.startPeriod <= offset).at(-1);
  if (!period) return undefined;
  return s.chargingRateUnit === 'A' ? period.limit! : period.limit! / VOLTS_3PH;
}

/** The leading limit of a purpose at t: highest stack level with a period in force. */
function leading(w: World, purpose: string, t: number): number | undefined {
  let best: { level: number; limit: number } | undefined;
  for (const { evseId, chargingProfile: cp } of w.input.profiles) {
    if (cp.chargingProfilePurpose !== purpose) continue;
    const limit = limitAt(w, evseId, cp, t);
    if (limit !== undefined && (!best || cp.stackLevel > best.level)) best = { level: cp.stackLevel, limit };
  }
  return best?.limit;
}

function expectedAmps(w: World, t: number): number {
  const tx = leading(w, 'TxProfile', t) ?? leading(w, 'TxDefaultProfile', t);
  const limits = [
    MAX_CURRENT,
    leading(w, 'ChargingStationMaxProfile', t),
    leading(w, 'ChargingStationExternalConstraints', t),
    tx,
  ];
  return Math.min(...limits.filter((l): l is number => l !== undefined));
}

const SEEDS = 400;

test('for random valid profile sets the composite equals, second by second, the min over purposes of the leading profiles', () => {
  let checked = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const w = randomWorld(seed);
    const res = compositeSchedule(w.input);
    assert.is(res.status, 'Accepted', `seed ${seed}`);
    const periods = res.schedule!.chargingSchedulePeriod;
    assert.is(periods[0]!.startPeriod, 0, `seed ${seed}: the first period starts at the request`);
    const unit = w.input.request.chargingRateUnit;
    for (let s = 0, i = 0; s < WINDOW; s++) {
      while (i + 1 < periods.length && periods[i + 1]!.startPeriod <= s) i++;
      const amps = expectedAmps(w, w.now + s);
      const expected = unit === 'A' ? amps : amps * VOLTS_3PH;
      const actual = periods[i]!.limit!;
      if (Math.abs(actual - expected) > 1e-9) {
        assert.unreachable(
          `seed ${seed}, second ${s}: expected ${expected} ${unit}, got ${actual}\n${JSON.stringify(w.input.profiles)}\n${JSON.stringify(periods)}`,
        );
      }
      checked++;
    }
    for (let i = 1; i < periods.length; i++)
      assert.ok(periods[i]!.limit !== periods[i - 1]!.limit, `seed ${seed}: equal neighbours are merged`);
  }
  assert.is(checked, SEEDS * WINDOW);
});

/** EVSE 0 (docs "EVSE 0"): at every second, the sum of what each EVSE's own composite reports, no more than the
 * leading ChargingStationMaxProfile and EVSE 0's leading ChargingStationExternalConstraints. Limits in A only. */
function randomTwoEvseWorld(seed: number): World {
  const w = randomWorld(seed + 100_000);
  const r = rng(seed);
  const profiles = w.input.profiles.map(({ evseId, chargingProfile }) => {
    const s = chargingProfile.chargingSchedule[0]!;
    const amps = s.chargingSchedulePeriod.map((p) => ({
      ...p,
      limit: s.chargingRateUnit === 'A' ? p.limit : p.limit! / VOLTS_3PH,
    }));
    return {
      evseId: evseId === 1 ? r.pick([1, 2]) : evseId,
      chargingProfile: {
        ...chargingProfile,
        chargingSchedule: [{ ...s, chargingRateUnit: 'A' as const, chargingSchedulePeriod: amps }],
      },
    };
  });
  const evses = [...w.input.station.evses, { id: 2 }];
  return {
    ...w,
    input: {
      ...w.input,
      station: { ...w.input.station, evses },
      profiles,
      request: { evseId: 0, duration: WINDOW, chargingRateUnit: 'A' },
    },
  };
}

function limitAtSecond(periods: v21.ChargingSchedulePeriodType[], s: number): number {
  return periods.filter((p) => p.startPeriod <= s).at(-1)!.limit!;
}

test('for random valid profile sets EVSE 0 reports, second by second, the sum of the EVSEs capped by the station-wide limits', () => {
  for (let seed = 1; seed <= SEEDS / 4; seed++) {
    const w = randomTwoEvseWorld(seed);
    const ask = (evseId: number) =>
      compositeSchedule({ ...w.input, request: { ...w.input.request, evseId } }).schedule!.chargingSchedulePeriod;
    const [total, one, two] = [ask(0), ask(1), ask(2)];
    // The station-wide cap has no transaction of its own: its Relative schedules count from the request (docs).
    const stationOnly = {
      ...w,
      txStart: undefined,
      input: { ...w.input, profiles: w.input.profiles.filter((p) => p.evseId === 0) },
    };
    for (let s = 0; s < WINDOW; s++) {
      const caps = [
        leading(stationOnly, 'ChargingStationMaxProfile', w.now + s),
        leading(stationOnly, 'ChargingStationExternalConstraints', w.now + s),
      ];
      const expected = Math.min(
        limitAtSecond(one, s) + limitAtSecond(two, s),
        ...caps.filter((c): c is number => c !== undefined),
      );
      const actual = limitAtSecond(total, s);
      if (Math.abs(actual - expected) > 1e-9)
        assert.unreachable(
          `seed ${seed}, second ${s}: expected ${expected} A, got ${actual}\n${JSON.stringify(w.input.profiles)}`,
        );
    }
  }
});

test('the brute-force reference itself sees the cases it must: stacking, every kind, validity and offline edges occur', () => {
  const seen = new Set<string>();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const w = randomWorld(seed);
    for (const { chargingProfile: cp } of w.input.profiles) {
      seen.add(cp.chargingProfileKind);
      if (cp.validTo) seen.add('validTo');
      if (cp.maxOfflineDuration !== undefined && w.offlineSince !== undefined) seen.add('offline');
    }
    const levels = w.input.profiles.filter((p) => p.chargingProfile.chargingProfilePurpose === 'TxDefaultProfile');
    if (levels.length > 1) seen.add('stacked');
  }
  assert.equal([...seen].sort(), ['Absolute', 'Recurring', 'Relative', 'offline', 'stacked', 'validTo']);
});

test.run();
