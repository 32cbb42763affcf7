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

// K03.FR.04–.06: the higher chargingPriority is given its full limit first; the lower ones get what is left (0:
// suspended); no priority known is 0.
const ranked = (evseId: number, limit: number, chargingPriority?: number): EvseDemand => ({
  evseId,
  limit,
  charging: true,
  ...(chargingPriority !== undefined ? { chargingPriority } : {}),
});

const priorityCases: Array<[string, number, EvseDemand[], Array<[number, number]>]> = [
  [
    'K03.FR.04 the higher priority gets its full limit, the lower nothing (suspended)',
    32,
    [ranked(1, 32, 0), ranked(2, 32, 1)],
    [
      [1, 0],
      [2, 32],
    ],
  ],
  [
    'K03.FR.04 what the higher priority leaves is shared among the lower ones',
    40,
    [ranked(1, 32, 0), ranked(2, 10, 2), ranked(3, 32, 0)],
    [
      [1, 15],
      [2, 10],
      [3, 15],
    ],
  ],
  [
    'K03.FR.04 equal high priorities share a budget too small for them; the lowest gets nothing',
    30,
    [ranked(1, 32, 5), ranked(2, 32, 5), ranked(3, 32, -1)],
    [
      [1, 15],
      [2, 15],
      [3, 0],
    ],
  ],
  [
    'K03.FR.04 three priorities: each in turn as long as the budget lasts',
    50,
    [ranked(1, 20, -9), ranked(2, 20, 9), ranked(3, 20, 3)],
    [
      [1, 10],
      [2, 20],
      [3, 20],
    ],
  ],
  [
    'K03.FR.06 no known priority is 0: above -1, below 1',
    40,
    [ranked(1, 32), ranked(2, 32, -1), ranked(3, 16, 1)],
    [
      [1, 24],
      [2, 0],
      [3, 16],
    ],
  ],
  [
    'K03.FR.06 priorities all unknown or 0: shared as without priorities',
    32,
    [ranked(1, 32), ranked(2, 32, 0)],
    [
      [1, 16],
      [2, 16],
    ],
  ],
];

for (const [name, budget, evses, expected] of priorityCases) {
  test(`${name} (balancedLimits)`, () => {
    const got = balancedLimits(budget, evses);
    assert.equal([...got.entries()], expected);
    const total = evses.reduce((sum, e) => sum + Math.max(0, got.get(e.evseId)!), 0);
    assert.ok(total <= budget + 1e-9, `${total} within ${budget}`);
  });
}

const twoEvses = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

const lastLimit = (p: TxPair, evseId: number) => p.limits.filter(([e]) => e === evseId).at(-1)?.[1].limit;

async function charge(p: TxPair, evseId: number, idToken: string, before?: string): Promise<string> {
  p.station.cablePlugged(evseId, 1);
  p.station.idTokenPresented({ ...TOKEN, idToken }, evseId);
  p.station.chargingStateChanged(evseId, 'Charging');
  const e = await p.waitTx(
    (r) =>
      r.transactionInfo.chargingState === 'Charging' &&
      r.evse?.id === evseId &&
      r.transactionInfo.transactionId !== before,
  );
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

test("K03.FR.04 K03.FR.05 K03.FR.06 chargingPriority under a 32 A station maximum: a TransactionEventResponse's priority overrides the idToken's for its transaction only; none known is 0", async () => {
  // The CSMS: TOKEN-1's IdTokenInfo says -1, TOKEN-2 has none (0); while `boost`, TransactionEventResponses about
  // TOKEN-1's transaction say 5.
  let boost = true;
  let boosted: string | undefined;
  const info = (idToken: { idToken: string }) => ({
    status: 'Accepted',
    ...(idToken.idToken === 'TOKEN-1' ? { chargingPriority: -1 } : {}),
  });
  await withTxPair({ evses: twoEvses }, async (p) => {
    p.csms.respond('Authorize', (req: any) => ({ idTokenInfo: info(req.idToken) }));
    p.csms.respond('TransactionEvent', (req: any) => {
      if (boost && req.idToken?.idToken === 'TOKEN-1') boosted = req.transactionInfo.transactionId;
      const mine = boost && req.transactionInfo.transactionId === boosted;
      return { ...(req.idToken ? { idTokenInfo: info(req.idToken) } : {}), ...(mine ? { chargingPriority: 5 } : {}) };
    });
    assert.equal(await p.call('SetChargingProfile', { evseId: 0, chargingProfile: maxProfile(32) }), {
      status: 'Accepted',
    });
    // K03.FR.05: 5 for TOKEN-1's transaction, against 0 for TOKEN-2's (K03.FR.06): EVSE 1 is fulfilled.
    const tx1 = await charge(p, 1, 'TOKEN-1');
    await charge(p, 2, 'TOKEN-2');
    await until(() => lastLimit(p, 1) === 31.8 && lastLimit(p, 2) === 0.2);
    // Ended: EVSE 2 alone has the station maximum (its own limit).
    p.station.cableUnplugged(1, 1);
    await p.waitTx((t) => t.eventType === 'Ended' && t.transactionInfo.transactionId === tx1);
    await until(() => lastLimit(p, 2) === 31.8);
    // K03.FR.05: the 5 was that transaction's only: TOKEN-1's next one has its IdTokenInfo's -1, below 0.
    boost = false;
    const again = await charge(p, 1, 'TOKEN-1', tx1);
    await until(() => lastLimit(p, 1) === 0.2 && lastLimit(p, 2) === 31.8);
    // K03.FR.04: a priority given during the transaction counts from then on: 5 again in an answer for it.
    boost = true;
    boosted = again;
    p.station.chargingStateChanged(1, 'SuspendedEV');
    await p.waitTx(
      (t) => t.transactionInfo.transactionId === again && t.transactionInfo.chargingState === 'SuspendedEV',
    );
    await until(() => lastLimit(p, 1) === 31.8 && lastLimit(p, 2) === 0.2);
  });
});

test.run();
