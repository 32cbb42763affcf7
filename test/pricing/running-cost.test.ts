// The running cost of the California pricing note between two cost messages (runtime/pricing/running-cost.ts):
// cases worked out by hand from the note's RunningCost fields as libocpp and MicroOcpp read them (cost so far, kWh
// and hour prices, idle price after grace minutes, the next period and its flat fee), exact money (0.1 + 0.2), and
// a property: the cost never falls as energy or time grow.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fromNumber } from '../../runtime/cost/decimal.js';
import {
  parseCostUpdated201,
  parseDefaultPrice,
  parseFinalCost,
  parseRunningCost,
  textFor,
} from '../../runtime/pricing/messages.js';
import {
  defaultPriceBasis,
  fixed,
  rebase,
  restoreExact,
  runningCost,
  savedExact,
  type CostBasis,
} from '../../runtime/pricing/running-cost.js';

const T0 = Date.parse('2021-03-19T12:00:00Z');
const MIN = 60_000;
const d = fromNumber;

const basis = (b: Partial<CostBasis>): CostBasis => ({
  at: T0,
  meterWh: 1_234_000,
  cost: d(1),
  state: 'Charging',
  chargingPrice: {},
  ...b,
});

const cases: [name: string, basis: CostBasis, minutes: number, usedWh: number, expected: string][] = [
  ['nothing used since the message: the CSMS cost', basis({ chargingPrice: { kWhPrice: d(0.123) } }), 0, 0, '1.000'],
  ['energy at the kWh price', basis({ chargingPrice: { kWhPrice: d(0.123) } }), 10, 1000, '1.123'],
  [
    '0.1 + 0.2: a cost of 0.1 and 1 kWh at 0.2 is exactly 0.3',
    basis({ cost: d(0.1), chargingPrice: { kWhPrice: d(0.2) } }),
    5,
    1000,
    '0.300',
  ],
  ['half a Wh rounds to the Wh', basis({ chargingPrice: { kWhPrice: d(1) } }), 1, 1, '1.001'],
  ['time at the hour price while charging', basis({ chargingPrice: { hourPrice: d(1.2) } }), 30, 0, '1.600'],
  ['energy and time together', basis({ chargingPrice: { kWhPrice: d(0.25), hourPrice: d(0.6) } }), 90, 4000, '2.900'],
  [
    'idle: nothing within the grace minutes',
    basis({ state: 'Idle', idlePrice: { graceMinutes: 30, hourPrice: d(1) } }),
    20,
    0,
    '1.000',
  ],
  [
    'idle: the hour price after the grace minutes',
    basis({ state: 'Idle', idlePrice: { graceMinutes: 30, hourPrice: d(1) } }),
    90,
    0,
    '2.000',
  ],
  ['idle without grace', basis({ state: 'Idle', idlePrice: { hourPrice: d(3) } }), 20, 0, '2.000'],
  [
    'idle: grace counted from when it became idle',
    basis({ state: 'Idle', idleSince: T0 - 20 * MIN, idlePrice: { graceMinutes: 30, hourPrice: d(6) } }),
    20,
    0,
    '2.000',
  ],
  [
    'idle: the hour price of charging does not apply',
    basis({ state: 'Idle', chargingPrice: { hourPrice: d(5) } }),
    60,
    0,
    '1.000',
  ],
  [
    'next period not begun: the first prices',
    basis({
      chargingPrice: { hourPrice: d(1) },
      nextPeriod: { at: T0 + 60 * MIN, chargingPrice: { hourPrice: d(2) } },
    }),
    30,
    0,
    '1.500',
  ],
  [
    'next period begun: time split, its flat fee once; no register noted at the switch: energy at the first price',
    basis({
      chargingPrice: { kWhPrice: d(0.5), hourPrice: d(1) },
      nextPeriod: { at: T0 + 60 * MIN, chargingPrice: { kWhPrice: d(0.1), hourPrice: d(2), flatFee: d(0.75) } },
    }),
    90,
    2000,
    '4.750',
  ],
  [
    'next period begun with the register noted at the switch: energy split between the two kWh prices',
    basis({
      chargingPrice: { kWhPrice: d(0.5), hourPrice: d(1) },
      nextPeriod: {
        at: T0 + 60 * MIN,
        meterWh: 1_234_000 + 1500,
        chargingPrice: { kWhPrice: d(0.1), hourPrice: d(2), flatFee: d(0.75) },
      },
    }),
    90,
    2000,
    '4.550',
  ],
  [
    'next period in the past: its prices from the message on',
    basis({ chargingPrice: { hourPrice: d(9) }, nextPeriod: { at: T0 - MIN, chargingPrice: { hourPrice: d(1) } } }),
    60,
    0,
    '2.000',
  ],
  ['rounding half away from zero', basis({ cost: d(0), chargingPrice: { kWhPrice: d(0.0005) } }), 1, 1000, '0.001'],
  ['a meter that went backwards adds nothing', basis({ chargingPrice: { kWhPrice: d(1) } }), 1, -500, '1.000'],
];

for (const [name, b, minutes, usedWh, expected] of cases)
  test(`California pricing running cost: ${name}`, () => {
    assert.is(fixed(runningCost(b, T0 + minutes * MIN, b.meterWh + usedWh), 3), expected);
  });

test('California pricing running cost: never falls as energy or time grow (property, 500 random cases)', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const price = () => d(Math.round(rnd() * 1000) / 1000);
  for (let i = 0; i < 500; i++) {
    const b = basis({
      state: rnd() < 0.5 ? 'Charging' : 'Idle',
      chargingPrice: { kWhPrice: price(), hourPrice: price(), flatFee: price() },
      idlePrice: { graceMinutes: Math.floor(rnd() * 60), hourPrice: price() },
      ...(rnd() < 0.5
        ? {
            nextPeriod: {
              at: T0 + Math.floor(rnd() * 120) * MIN,
              chargingPrice: { kWhPrice: price(), hourPrice: price(), flatFee: price() },
            },
          }
        : {}),
    });
    const t = T0 + Math.floor(rnd() * 180) * MIN;
    const wh = b.meterWh + Math.floor(rnd() * 50_000);
    const now = runningCost(b, t, wh);
    const later = runningCost(b, t + Math.floor(rnd() * 60) * MIN, wh + Math.floor(rnd() * 5000));
    assert.ok(Number(fixed(later, 9)) >= Number(fixed(now, 9)), `case ${i}`);
  }
});

test('California pricing messages: RunningCost checked field by field; a malformed one is refused', () => {
  const ok = parseRunningCost({
    transactionId: 12345,
    timestamp: '2021-03-19T12:00:00Z',
    meterValue: 1234000,
    cost: 1.0,
    state: 'Charging',
    chargingPrice: { kWhPrice: 0.123, hourPrice: 0.0, flatFee: 0.0 },
    idlePrice: { graceMinutes: 30, hourPrice: 1.0 },
    nextPeriod: { atTime: '2021-03-19T19:00:00Z', chargingPrice: { kWhPrice: 0.1 } },
    triggerMeterValue: {
      atTime: '2021-03-19T23:00:00Z',
      atEnergykWh: 50.0,
      atPowerkW: 0.1,
      atCPStatus: ['SuspendedEV'],
    },
    priceText: '0.123 $/kWh',
    priceTextExtra: [{ format: 'UTF8', language: 'nl', content: '0,123 $/kWh' }],
  });
  assert.ok(ok);
  assert.is(ok!.basis.nextPeriod!.at, Date.parse('2021-03-19T19:00:00Z'));
  assert.equal(ok!.triggers!.atCPStatus, ['SuspendedEV']);
  assert.is(textFor(ok!.texts, ['nl-BE'])!.content, '0,123 $/kWh');
  const bad = (patch: object) =>
    parseRunningCost({
      transactionId: 1,
      timestamp: '2021-03-19T12:00:00Z',
      meterValue: 0,
      cost: 0,
      state: 'Charging',
      chargingPrice: {},
      ...patch,
    });
  assert.ok(bad({}));
  assert.is(bad({ state: 'Parking' }), undefined);
  assert.is(bad({ chargingPrice: { kWhPrice: -0.1 } }), undefined);
  assert.is(bad({ cost: '1.00' }), undefined);
  assert.is(bad({ transactionId: 1.5 }), undefined);
  assert.is(bad({ triggerMeterValue: { atCPStatus: ['Faulted'] } }), undefined);
  assert.is(bad({ priceTextExtra: [{ format: 'PDF', content: 'x' }] }), undefined);
  assert.ok(
    parseFinalCost({
      transactionId: 98765,
      cost: 3.31,
      priceText: 'TOTAL $3.31',
      qrCodeText: 'https://example.com/i/1',
    }),
  );
  assert.is(parseFinalCost({ transactionId: 98765 }), undefined);
  assert.equal(
    parseDefaultPrice(
      '{"priceText":"0.15 $/kWh","priceTextOffline":"offline: 0.15 $/kWh","chargingPrice":{"kWhPrice":0.15}}',
    )?.priceText,
    '0.15 $/kWh',
  );
  assert.is(parseDefaultPrice('{"priceTextOffline":"x"}'), undefined);
  assert.is(parseDefaultPrice('not json'), undefined);
});

test('California pricing 2.0.1: CostUpdated with the note’s customData gives the same running cost; without it the total alone', () => {
  const now = T0 + 30 * MIN;
  const withData = parseCostUpdated201(
    {
      totalCost: 0.1,
      transactionId: 'tx-201',
      customData: {
        vendorId: 'org.openchargealliance.costmsg',
        state: 'Charging',
        chargingPrice: { kWhPrice: 0.2 },
        triggerMeterValue: { atEnergykWh: 5 },
        priceText: '$0.20/kWh',
      },
    },
    now,
    2_000_000,
  );
  assert.ok(withData);
  assert.is(withData!.transactionId, 'tx-201');
  assert.is(withData!.texts[0]!.content, '$0.20/kWh');
  assert.ok(withData!.triggers?.atEnergykWh);
  // 1 kWh later at 0.2 on 0.1: 0.3 exactly.
  assert.is(fixed(runningCost(withData!.basis, now + MIN, 2_001_000), 2), '0.30');
  const plain = parseCostUpdated201({ totalCost: 4.2, transactionId: 'tx-2' }, now, 10);
  assert.is(fixed(runningCost(plain!.basis, now + 60 * MIN, 99_999), 2), '4.20');
  assert.is(
    parseCostUpdated201(
      { totalCost: 1, transactionId: 't', customData: { vendorId: 'org.openchargealliance.costmsg', state: 'Asleep' } },
      now,
      0,
    ),
    undefined,
  );
});

test('California pricing running cost: rebased as idle at the stop (idle fee after stop), the cost is continuous and the time after it is idle time', () => {
  const b = basis({
    cost: d(1),
    chargingPrice: { kWhPrice: d(0.2), hourPrice: d(6) },
    idlePrice: { graceMinutes: 10, hourPrice: d(3) },
    nextPeriod: {
      at: T0 + 30 * MIN,
      chargingPrice: { kWhPrice: d(0.3), flatFee: d(2) },
      idlePrice: { hourPrice: d(12) },
    },
  });
  // Stopped 20 minutes in after 1 kWh: 1 + 0.2 + 6 × 20/60 = 3.2; then idle with 10 grace minutes from the stop.
  const stop = T0 + 20 * MIN;
  const r = rebase(b, stop, 1_235_000, 'Idle');
  assert.is(fixed(r.cost, 3), '3.200');
  assert.is(fixed(runningCost(r, stop, 1_235_000), 3), fixed(runningCost(b, stop, 1_235_000), 3));
  assert.equal([r.state, r.idleSince], ['Idle', stop]);
  // Grace until 30 min, then the next period's idle price (12/h) and its flat fee: 3.2 + 2 + 12 × 10/60 = 7.2.
  assert.is(fixed(runningCost(r, T0 + 40 * MIN, 1_235_000), 3), '7.200');
  // Rebased after the next period began: its prices are in force, its flat fee is counted once.
  const late = rebase(b, T0 + 40 * MIN, 1_235_000, 'Idle');
  assert.equal([late.nextPeriod, late.idlePrice?.hourPrice], [undefined, d(12)]);
  assert.is(fixed(runningCost(late, T0 + 40 * MIN, 1_235_000), 3), fixed(runningCost(b, T0 + 40 * MIN, 1_235_000), 3));
});

test('California pricing running cost: the station’s own basis at DefaultPrice’s chargingPrice (offline), and exact amounts kept as JSON', () => {
  const own = defaultPriceBasis({ kWhPrice: d(0.25), hourPrice: d(1.2), flatFee: d(1) }, T0, 0);
  // 1 + 2 kWh × 0.25 + 1.2 × 30/60 = 2.1
  assert.is(fixed(runningCost(own, T0 + 30 * MIN, 2000), 3), '2.100');
  const kept = savedExact({ basis: own });
  assert.not.throws(() => JSON.stringify(kept));
  assert.equal(restoreExact(kept), { basis: own });
  assert.equal(restoreExact({ x: { $bigint: '1.5' } }), { x: { $bigint: '1.5' } }, 'not an integer: left as it is');
});

test.run();
