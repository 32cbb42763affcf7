// K04.FR.05 (2.1), K12.FR.01: EVSEs charging at once share the station-wide limit. The split (balance.ts) as a table
// of cases worked out by hand from its documented rule (max-min fair, lowest own limit first, tenths rounded down),
// and the station over real sockets with two EVSEs charging under a ChargingStationMaxProfile and an external limit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { balancedLimits, type EvseDemand } from '../../runtime/station/K-smart-charging/balance.js';
import { until } from '../support/rpc-harness.js';
import { TOKEN, withTxPair, type TxPair } from '../support/tx-pair.js';

const on = (evseId: number, limit: number): EvseDemand => ({ evseId, limit, charging: true });
const idle = (evseId: number, limit: number): EvseDemand => ({ evseId, limit, charging: false });

const cases: Array<[string, number | undefined, EvseDemand[], Array<[number, number]>]> = [
  [
    'no budget known: own limits',
    undefined,
    [on(1, 32), on(2, 32)],
    [
      [1, 32],
      [2, 32],
    ],
  ],
  [
    'the charging EVSEs fit: own limits',
    64,
    [on(1, 32), on(2, 32)],
    [
      [1, 32],
      [2, 32],
    ],
  ],
  [
    'equal demands over the budget: equal halves',
    32,
    [on(1, 32), on(2, 32)],
    [
      [1, 16],
      [2, 16],
    ],
  ],
  [
    'one needs less than its share: the other gets the rest',
    32,
    [on(1, 10), on(2, 32)],
    [
      [1, 10],
      [2, 22],
    ],
  ],
  [
    'the order given does not matter',
    32,
    [on(2, 32), on(1, 10)],
    [
      [2, 22],
      [1, 10],
    ],
  ],
  [
    'three EVSEs, rounded down to tenths: what the first leave goes to the last',
    10,
    [on(1, 16), on(2, 16), on(3, 16)],
    [
      [1, 3.3],
      [2, 3.3],
      [3, 3.4],
    ],
  ],
  [
    'three EVSEs, water filling',
    40,
    [on(1, 6), on(2, 20), on(3, 32)],
    [
      [1, 6],
      [2, 17],
      [3, 17],
    ],
  ],
  [
    'an idle EVSE keeps its own limit and takes nothing',
    32,
    [on(1, 32), idle(2, 32), on(3, 32)],
    [
      [1, 16],
      [2, 32],
      [3, 16],
    ],
  ],
  [
    'a budget of 0: nothing for anyone charging',
    0,
    [on(1, 16), on(2, 16)],
    [
      [1, 0],
      [2, 0],
    ],
  ],
  [
    'watts add up as totals',
    22000,
    [on(1, 22000), on(2, 11000)],
    [
      [1, 11000],
      [2, 11000],
    ],
  ],
  [
    'a discharge-only limit asks nothing of the budget',
    10,
    [on(1, -5), on(2, 16), on(3, 16)],
    [
      [1, -5],
      [2, 5],
      [3, 5],
    ],
  ],
];

for (const [name, budget, evses, expected] of cases) {
  test(`K04.FR.05 K12.FR.01 balancedLimits: ${name}`, () => {
    const got = balancedLimits(budget, evses);
    assert.equal([...got.entries()], expected);
    // The invariant the requirements state: the EVSEs that may draw together draw no more than the budget.
    if (budget !== undefined) {
      const total = evses.filter((e) => e.charging).reduce((sum, e) => sum + Math.max(0, got.get(e.evseId)!), 0);
      assert.ok(total <= budget + 1e-9, `${total} within ${budget}`);
    }
    for (const e of evses) assert.ok(got.get(e.evseId)! <= e.limit, 'never more than its own composite');
  });
}

const twoEvses = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

const lastLimit = (p: TxPair, evseId: number) => p.limits.filter(([e]) => e === evseId).at(-1)?.[1].limit;

async function charge(p: TxPair, evseId: number, idToken: string): Promise<string> {
  p.station.cablePlugged(evseId, 1);
  p.station.idTokenPresented({ ...TOKEN, idToken }, evseId);
  p.station.chargingStateChanged(evseId, 'Charging');
  const e = await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging' && r.evse?.id === evseId);
  return e.transactionInfo.transactionId;
}

const maxProfile = (limit: number) => ({
  id: 1,
  stackLevel: 0,
  chargingProfilePurpose: 'ChargingStationMaxProfile',
  chargingProfileKind: 'Absolute',
  chargingSchedule: [
    {
      id: 1,
      startSchedule: new Date(Date.now() - 60_000).toISOString(),
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit }],
    },
  ],
});

test('K04.FR.05 two EVSEs charging under a ChargingStationMaxProfile of 32 A share it: 16 A each, the rest to the other when one needs less, all to the one left', async () => {
  await withTxPair({ evses: twoEvses }, async (p) => {
    assert.equal(await p.call('SetChargingProfile', { evseId: 0, chargingProfile: maxProfile(32) }), {
      status: 'Accepted',
    });
    const tx1 = await charge(p, 1, 'TOKEN-1');
    await until(() => lastLimit(p, 1) === 31.8);
    await charge(p, 2, 'TOKEN-2');
    await until(() => lastLimit(p, 1) === 16 && lastLimit(p, 2) === 16);
    // A TxProfile of 10 A on EVSE 1: EVSE 2 gets what EVSE 1 leaves.
    const txProfile = {
      id: 2,
      stackLevel: 0,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Relative',
      transactionId: tx1,
      chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] }],
    };
    assert.equal(await p.call('SetChargingProfile', { evseId: 1, chargingProfile: txProfile }), {
      status: 'Accepted',
    });
    await until(() => lastLimit(p, 1) === 10 && lastLimit(p, 2) === 22);
    // The station-wide composite is unchanged: the limit of the station as a whole.
    const r = await p.call('GetCompositeSchedule', { evseId: 0, duration: 60, chargingRateUnit: 'A' });
    assert.is(r.schedule.chargingSchedulePeriod[0].limit, 32);
    p.station.cableUnplugged(1, 1);
    await p.waitTx((t) => t.eventType === 'Ended' && t.transactionInfo.transactionId === tx1);
    await until(() => lastLimit(p, 2) === 31.8);
  });
});

test('K12.FR.01 an external limit on EVSE 0 of 20 A: two EVSEs charging together get 10 A each; released, each its own maximum again', async () => {
  await withTxPair({ evses: twoEvses }, async (p) => {
    p.station.externalChargingLimit(0, {
      source: 'EMS',
      chargingSchedule: { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 20 }] },
    });
    await until(() => lastLimit(p, 1) === 20 && lastLimit(p, 2) === 20);
    await charge(p, 1, 'TOKEN-1');
    await charge(p, 2, 'TOKEN-2');
    await until(() => lastLimit(p, 1) === 10 && lastLimit(p, 2) === 10);
    p.station.externalChargingLimitCleared(0, 'EMS');
    await until(() => lastLimit(p, 1) === 31.8 && lastLimit(p, 2) === 31.8);
  });
});

test.run();
