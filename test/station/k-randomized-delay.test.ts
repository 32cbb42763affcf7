// 2.1 K01.FR.92–.94, table-driven: the delays block K gives the periods of a schedule with randomizedDelay for a
// transaction (runtime/station/K-smart-charging/profiles.ts `delayed`).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { delayed, type Installed } from '../../runtime/station/K-smart-charging/profiles.js';

function installed(randomizedDelay: number | undefined, starts: number[], duration?: number): Installed {
  return {
    evseId: 1,
    chargingProfile: {
      id: 4,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: [
        {
          id: 1,
          chargingRateUnit: 'A',
          ...(duration !== undefined ? { duration } : {}),
          ...(randomizedDelay !== undefined ? { randomizedDelay } : {}),
          chargingSchedulePeriod: starts.map((startPeriod, i) => ({ startPeriod, limit: 10 + i })),
        },
      ],
    },
  };
}

const startsOf = (p: Installed) =>
  p.chargingProfile.chargingSchedule[0]!.chargingSchedulePeriod.map((q) => q.startPeriod);
const transactions = Array.from({ length: 50 }, (_, i) => `tx-${i}`);

const cases: Array<{ name: string; delay: number; starts: number[] }> = [
  { name: 'hourly periods, up to 10 minutes', delay: 600, starts: [0, 3600, 7200, 10800] },
  { name: 'periods closer than the delay keep their order', delay: 900, starts: [0, 60, 120, 180] },
  { name: 'a delay of 1 s', delay: 1, starts: [0, 30, 60] },
];

for (const c of cases) {
  test(`K01.FR.92 K01.FR.93 ${c.name}: the first period stays at 0, every other starts 0–${c.delay} s later, in order, the same for the same transaction`, () => {
    const seen = new Set<number>();
    for (const tx of transactions) {
      const p = installed(c.delay, c.starts);
      const starts = startsOf(delayed(p, tx));
      assert.is(starts[0], 0);
      for (let i = 1; i < starts.length; i++) {
        assert.ok(starts[i]! > starts[i - 1]!, `${tx}: in order`);
        assert.ok(starts[i]! >= c.starts[i]!, `${tx}: never earlier`);
        // Ordering may push a period on by one second per period before it.
        assert.ok(starts[i]! <= c.starts[i]! + c.delay + i, `${tx}: at most randomizedDelay later`);
      }
      seen.add(starts[1]!);
      assert.equal(startsOf(delayed(p, tx)), starts, 'K01.FR.93: fixed for the transaction');
      // The profile itself is what the CSMS sent (GetChargingProfiles reports it unchanged).
      assert.equal(startsOf(p), c.starts);
    }
    assert.ok(seen.size > 1, 'the delays differ between transactions');
  });
}

test('K01.FR.94 K01.FR.92 duration and startSchedule are not delayed; no randomizedDelay (or 0): unchanged', () => {
  const p = installed(300, [0, 600], 1800);
  const d = delayed(p, 'T1').chargingProfile.chargingSchedule[0]!;
  assert.is(d.duration, 1800);
  assert.is(
    delayed(installed(undefined, [0, 600]), 'T1').chargingProfile.chargingSchedule[0]!.chargingSchedulePeriod[1]!
      .startPeriod,
    600,
  );
  assert.is(
    delayed(installed(0, [0, 600]), 'T1').chargingProfile.chargingSchedule[0]!.chargingSchedulePeriod[1]!.startPeriod,
    600,
  );
});

test.run();
