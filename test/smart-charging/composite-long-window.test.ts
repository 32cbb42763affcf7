// K08.FR.02 with a long window (issue 11): a GetCompositeSchedule over a year and many recurring profiles must not
// stall the station. compositeSchedule evaluates at most MAX_COMPOSITE_CHANGES changes; past them the schedule
// ends at the first change left out and reports the duration it covers (docs/smart-charging.md "Long windows").
// The assertions count periods and check values, never time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type * as v21 from '../../generated/v21/types.js';
import { MAX_COMPOSITE_CHANGES } from '../../runtime/smart-charging/composite.js';
import { compositeSchedule, type CompositeScheduleInput21 } from '../../runtime/smart-charging/index.js';
import { DAY, HOUR, NOW, charging, profile, station } from './builders.js';

const YEAR = 365 * DAY;

/** `count` daily TxDefaultProfiles on EVSE 0 with a period every `step` seconds, on disjoint validity windows. */
function dailyProfiles(count: number, step: number): CompositeScheduleInput21['profiles'] {
  return Array.from({ length: count }, (_, i) =>
    profile({
      evseId: 0,
      purpose: 'TxDefaultProfile',
      stackLevel: i % 10,
      kind: 'Recurring',
      recurrencyKind: 'Daily',
      startSchedule: -DAY,
      // Stack levels repeat every 10 profiles: each group of 10 is valid in its own year, so none overlap (K01.FR.06).
      validFrom: Math.floor(i / 10) * YEAR,
      validTo: (Math.floor(i / 10) + 1) * YEAR,
      periods: Array.from({ length: DAY / step }, (_, k) => [k * step, 6 + ((k + i) % 20)] as [number, number]),
    }),
  );
}

function input(profiles: CompositeScheduleInput21['profiles'], duration: number, evseId = 1): CompositeScheduleInput21 {
  return {
    version: 'ocpp2.1',
    now: NOW,
    station: station({ evses: [charging(1, 'T1', HOUR), { id: 2 }] }),
    profiles,
    request: { evseId, duration, chargingRateUnit: 'A' },
  };
}

const schedule = (r: v21.GetCompositeScheduleResponse) => {
  assert.is(r.status, 'Accepted');
  return r.schedule!;
};

const cases: Array<{ name: string; profiles: CompositeScheduleInput21['profiles']; evseId: number }> = [
  { name: '50 daily profiles with half-hourly periods, EVSE 1', profiles: dailyProfiles(50, 1800), evseId: 1 },
  { name: '50 daily profiles with half-hourly periods, EVSE 0', profiles: dailyProfiles(50, 1800), evseId: 0 },
  { name: '10 daily profiles with 5-minute periods, EVSE 0', profiles: dailyProfiles(10, 300), evseId: 0 },
];

for (const c of cases) {
  test(`K08.FR.02 a year-long GetCompositeSchedule over ${c.name}: at most ${MAX_COMPOSITE_CHANGES} periods, the duration covered reported, the periods those of the full calculation`, () => {
    const long = schedule(compositeSchedule(input(c.profiles, YEAR, c.evseId)));
    assert.ok(long.chargingSchedulePeriod.length <= MAX_COMPOSITE_CHANGES);
    assert.ok(
      long.duration < YEAR,
      `a year has more changes than the cap, so the schedule ends early (${long.duration} s)`,
    );
    // The limit changes at least every day in these mixes: a capped schedule still covers at least a day.
    assert.ok(long.duration >= DAY);
    // What is reported is exactly the composite over the window it covers, as if that window had been asked for.
    const exact = schedule(compositeSchedule(input(c.profiles, long.duration, c.evseId)));
    assert.is(exact.duration, long.duration);
    assert.equal(long.chargingSchedulePeriod, exact.chargingSchedulePeriod);
  });
}

test('K08.FR.02 a window with fewer changes than the cap is reported whole: a week over 50 daily profiles with hourly periods', () => {
  const week = schedule(compositeSchedule(input(dailyProfiles(50, HOUR), 7 * DAY, 0)));
  assert.is(week.duration, 7 * DAY);
  // Each day the leading profile (stack level 9) changes its limit every hour: 24 × 7 periods.
  assert.is(week.chargingSchedulePeriod.length, 24 * 7);
});

test('K08.FR.02 a profile whose validity ended long before the window contributes no changes (the window is walked only where it is valid)', () => {
  const old = profile({
    evseId: 0,
    purpose: 'TxDefaultProfile',
    stackLevel: 3,
    kind: 'Recurring',
    recurrencyKind: 'Daily',
    startSchedule: -10 * YEAR,
    validTo: -5 * YEAR,
    periods: Array.from({ length: 96 }, (_, k) => [k * 900, 10 + (k % 5)] as [number, number]),
  });
  const current = profile({ evseId: 1, purpose: 'TxDefaultProfile', stackLevel: 1, periods: [[0, 16]] });
  const s = schedule(compositeSchedule(input([old, current], YEAR)));
  assert.is(s.duration, YEAR);
  assert.equal(s.chargingSchedulePeriod, [{ startPeriod: 0, limit: 16, numberPhases: 3 }]);
});

test.run();
