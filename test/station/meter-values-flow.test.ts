// J01 / J02 and F06 MeterValues / TransactionEvent as flows: sampled values in TransactionEvents (started, periodic,
// ended), clock-aligned values (MeterValues for idle EVSEs and the main meter, TransactionEvents for EVSEs with a
// transaction), per phase, signed, and triggered ones. Time is a ManualClock; readings are the test's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootUseCase } from '../../runtime/station/B-provisioning/boot.js';
import { triggerUseCase } from '../../runtime/station/F-remote-control/trigger.js';
import { meterValuesUseCase } from '../../runtime/station/J-meter-values/meter-values.js';
import { kinds, txDriver, type TxDriverOptions } from '../support/tx-driver.js';

const signed = {
  signedMeterData: 'c2ln',
  signingMethod: 'ECDSA-secp256r1-SHA256',
  encodingMethod: 'OCMF',
  publicKey: 'a2V5',
};
const twoEvses = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

function station(options: TxDriverOptions = {}) {
  const d = txDriver({ ...options, after: [meterValuesUseCase, ...(options.after ?? [])] });
  d.readings.set(1, [{ value: 1000 }, { measurand: 'Power.Active.Import', value: 7400, unit: 'W' }]);
  return d;
}

async function charging(d: ReturnType<typeof station>) {
  await d.goOnline();
  d.plug();
  d.token('A');
  d.flow('Charging');
  await d.deliver();
}

test('E02.FR.09 J02.FR.11 J02.FR.04 TxStartedMeasurands in Started (Transaction.Begin); TxUpdatedMeasurands every TxUpdatedInterval (MeterValuePeriodic, Sample.Periodic)', async () => {
  const d = station({
    variables: {
      'SampledDataCtrlr.TxStartedMeasurands': 'Energy.Active.Import.Register',
      'SampledDataCtrlr.TxUpdatedMeasurands': 'Energy.Active.Import.Register,Power.Active.Import',
      'SampledDataCtrlr.TxUpdatedInterval': 30,
    },
  });
  await charging(d);
  const started = d.events()[0];
  assert.equal(started.meterValue, [
    {
      timestamp: started.timestamp,
      sampledValue: [{ value: 1000, context: 'Transaction.Begin', measurand: 'Energy.Active.Import.Register' }],
    },
  ]);
  await d.clock.advance(29_999);
  await d.deliver();
  assert.is(d.events().length, 2, 'not before the interval');
  await d.clock.advance(1);
  d.readings.set(1, [{ value: 1100 }, { measurand: 'Power.Active.Import', value: 7300, unit: 'W' }]);
  await d.clock.advance(30_000);
  await d.deliver();
  const periodic = d.events().slice(2);
  assert.equal(kinds(periodic), ['Updated:MeterValuePeriodic', 'Updated:MeterValuePeriodic']);
  assert.equal(
    periodic.map((e) => Date.parse(e.timestamp) - Date.parse(started.timestamp)),
    [30_000, 60_000],
  );
  assert.equal(periodic[1].meterValue[0].sampledValue, [
    { value: 1100, context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register' },
    { value: 7300, context: 'Sample.Periodic', measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } },
  ]);
  assert.ok(!('chargingState' in periodic[0].transactionInfo), 'chargingState only when it changes');
});

test('E02.FR.10 TxUpdatedInterval 0 or an empty TxUpdatedMeasurands: no periodic events', async () => {
  for (const variables of [
    { 'SampledDataCtrlr.TxUpdatedInterval': 0 } as Record<string, number | string>,
    { 'SampledDataCtrlr.TxUpdatedInterval': 10, 'SampledDataCtrlr.TxUpdatedMeasurands': '' },
  ]) {
    const d = station({ variables });
    await charging(d);
    await d.clock.advance(600_000);
    await d.deliver();
    assert.equal(kinds(d.events()), ['Started:Authorized', 'Updated:ChargingStateChanged']);
  }
});

test('E06.FR.11 J02.FR.10 TxEndedMeasurands every TxEndedInterval from the start (Sample.Periodic) and at the end (Transaction.End) in the Ended event only', async () => {
  const d = station({
    variables: {
      'SampledDataCtrlr.TxEndedMeasurands': 'Energy.Active.Import.Register',
      'SampledDataCtrlr.TxEndedInterval': 60,
    },
  });
  await charging(d);
  for (let wh = 1100; wh <= 1300; wh += 100) {
    d.readings.set(1, [{ value: wh }]);
    await d.clock.advance(60_000);
  }
  d.readings.set(1, [{ value: 1350 }]);
  await d.clock.advance(10_000);
  d.token('A');
  await d.deliver();
  const ended = d.events().at(-1);
  assert.is(d.events().length, 3, 'nothing sent for the samples until the end');
  assert.equal(
    ended.meterValue.map((m: any) => [m.sampledValue[0].context, m.sampledValue[0].value]),
    [
      ['Sample.Periodic', 1000],
      ['Sample.Periodic', 1100],
      ['Sample.Periodic', 1200],
      ['Sample.Periodic', 1300],
      ['Transaction.End', 1350],
    ],
  );
  const times = ended.meterValue.map((m: any) => Date.parse(m.timestamp));
  assert.equal(
    times.slice(1, 4).map((t: number, i: number) => t - times[i]),
    [60_000, 60_000, 60_000],
    'TC_J_10_CS: the interval between samples',
  );
});

test('E06.FR.11 TxEndedInterval 0: only the values at the start (Transaction.Begin) and the end (Transaction.End)', async () => {
  const d = station({ variables: { 'SampledDataCtrlr.TxEndedInterval': 0 } });
  await charging(d);
  d.readings.set(1, [{ value: 1234 }]);
  await d.clock.advance(3_600_000);
  d.token('A');
  await d.deliver();
  assert.equal(
    d
      .events()
      .at(-1)
      .meterValue.map((m: any) => [m.sampledValue[0].context, m.sampledValue[0].value]),
    [
      ['Transaction.Begin', 1000],
      ['Transaction.End', 1234],
    ],
  );
});

test('E06.FR.13 J02.FR.20 a long transaction: the Ended samples are thinned from the middle (2nd, 4th, …), the first and last stay', async () => {
  const d = station({ variables: { 'SampledDataCtrlr.TxEndedInterval': 10 } });
  await charging(d);
  for (let i = 1; i <= 300; i++) {
    d.readings.set(1, [{ value: 1000 + i }]);
    await d.clock.advance(10_000);
  }
  d.token('A');
  await d.deliver();
  const values = d
    .events()
    .at(-1)
    .meterValue.map((m: any) => m.sampledValue[0].value);
  assert.ok(values.length <= 101, `${values.length} samples`);
  assert.is(values[0], 1000, 'the start stays');
  assert.is(values.at(-1), 1300, 'the end stays');
  assert.ok(
    values.every((v: number, i: number) => i === 0 || v >= values[i - 1]),
    'in order',
  );
  assert.ok(values.length >= 50, 'thinned, not emptied');
});

test('J01 "Multiple Locations/Phases" J01.FR.10 every phase the meter reports; RegisterValuesWithoutPhases keeps only the register total', async () => {
  const phased = [
    { value: 3000 },
    { value: 1000, phase: 'L1' as const },
    { value: 1000, phase: 'L2' as const },
    { value: 1000, phase: 'L3' as const },
    { measurand: 'Current.Import' as const, value: 16, phase: 'L1' as const, location: 'Outlet' as const },
  ];
  for (const without of [false, true]) {
    const d = station({
      variables: {
        'SampledDataCtrlr.TxStartedMeasurands': 'Energy.Active.Import.Register,Current.Import',
        'SampledDataCtrlr.RegisterValuesWithoutPhases': without,
      },
    });
    d.readings.set(1, phased);
    await charging(d);
    const sv = d.events()[0].meterValue[0].sampledValue;
    assert.equal(
      sv.map((v: any) => `${v.measurand}/${v.phase ?? '-'}`),
      without
        ? ['Energy.Active.Import.Register/-', 'Current.Import/L1']
        : [
            'Energy.Active.Import.Register/-',
            'Energy.Active.Import.Register/L1',
            'Energy.Active.Import.Register/L2',
            'Energy.Active.Import.Register/L3',
            'Current.Import/L1',
          ],
    );
    assert.is(sv.at(-1).location, 'Outlet');
  }
});

test("J02.FR.21 E02.FR.14 SignReadings: the meter's signed data goes into signedMeterValue; without it, it is left out", async () => {
  for (const sign of [true, false]) {
    const d = station({ variables: { 'SampledDataCtrlr.SignReadings': sign } });
    d.readings.set(1, [{ value: 1000, signedMeterValue: signed }]);
    await charging(d);
    assert.equal(d.events()[0].meterValue[0].sampledValue[0].signedMeterValue, sign ? signed : undefined);
  }
});

test('J01.FR.14 J01.FR.02 J01.FR.03 J01.FR.22 clock-aligned: MeterValues (Sample.Clock) for idle EVSEs and the main meter at the aligned times; a TransactionEvent MeterValueClock for the EVSE with a transaction', async () => {
  const d = station({
    evses: twoEvses,
    variables: { 'AlignedDataCtrlr.Interval': 900, 'AlignedDataCtrlr.Measurands': 'Energy.Active.Import.Register' },
  });
  d.readings.set(0, [{ value: 99_000, location: 'Inlet' }]);
  d.readings.set(2, [{ value: 5 }]);
  await charging(d);
  await d.clock.advance(7 * 60_000); // 00:07
  assert.is(d.pending('MeterValues').length, 0);
  await d.clock.advance(8 * 60_000); // 00:15
  await d.deliver();
  const meterValues = d.sent.filter((s) => s.action === 'MeterValues').map((s) => s.payload);
  assert.equal(
    meterValues.map((m) => m.evseId),
    [0, 2],
    'the main meter and the idle EVSE',
  );
  assert.ok(
    meterValues.every(
      (m) =>
        m.meterValue[0].timestamp === '2025-01-01T00:15:00.000Z' &&
        m.meterValue[0].sampledValue[0].context === 'Sample.Clock',
    ),
  );
  const clock = d.events().at(-1);
  assert.equal(
    [clock.triggerReason, clock.timestamp, clock.meterValue[0].sampledValue[0].context],
    ['MeterValueClock', '2025-01-01T00:15:00.000Z', 'Sample.Clock'],
  );
  await d.clock.advance(15 * 60_000);
  await d.deliver();
  assert.is(d.sent.filter((s) => s.action === 'MeterValues').length, 4, 'every interval');
});

test('J01.FR.20 AlignedDataCtrlr.SendDuringIdle: no clock-aligned values at all while a transaction runs', async () => {
  const d = station({
    evses: twoEvses,
    variables: { 'AlignedDataCtrlr.Interval': 60, 'AlignedDataCtrlr.SendDuringIdle': true },
  });
  d.readings.set(2, [{ value: 5 }]);
  await d.goOnline();
  await d.clock.advance(60_000);
  assert.equal(
    d.sent.filter((s) => s.action === 'MeterValues').map((s) => s.payload.evseId),
    [1, 2],
    'idle: sent',
  );
  d.plug();
  d.token('A');
  await d.deliver();
  const before = d.sent.length;
  await d.clock.advance(300_000);
  await d.deliver();
  assert.equal(
    d.sent.slice(before).filter((s) => s.action === 'MeterValues' || s.payload.meterValue),
    [],
    'TC_J_06_CS',
  );
});

test('J01 AlignedDataCtrlr.TxEndedMeasurands every TxEndedInterval (clock-aligned, Sample.Clock) in the Ended event', async () => {
  const d = station({
    variables: {
      'AlignedDataCtrlr.TxEndedInterval': 300,
      'AlignedDataCtrlr.TxEndedMeasurands': 'Energy.Active.Import.Register',
      'SampledDataCtrlr.TxEndedMeasurands': '',
    },
  });
  await d.clock.advance(100_000); // start off the grid: 00:01:40
  await charging(d);
  await d.clock.advance(900_000);
  d.token('A');
  await d.deliver();
  const ended = d.events().at(-1);
  assert.equal(
    ended.meterValue.map((m: any) => [m.timestamp.slice(11, 19), m.sampledValue[0].context]),
    [
      ['00:05:00', 'Sample.Clock'],
      ['00:10:00', 'Sample.Clock'],
      ['00:15:00', 'Sample.Clock'],
    ],
  );
});

test('F06.FR.06 F06.FR.07 F06.FR.11 F06.FR.10 triggered MeterValues (context Trigger, every EVSE) and TransactionEvent (Trigger, chargingState, evse); Rejected where nothing could be sent', async () => {
  let d!: ReturnType<typeof station>;
  d = station({
    evses: twoEvses,
    after: [
      triggerUseCase(
        () => d.shell.triggerable(),
        (m, e) => d.shell.canTrigger(m, e),
      ),
    ],
    before: [bootUseCase({ model: 'M', vendorName: 'V' })],
  });
  d.readings.set(2, [{ value: 5 }]);
  await charging(d);
  const trigger = async (request: any) => {
    const id = `t${d.sent.length}`;
    const response = d.shell.answer('TriggerMessage', request, id) as any;
    d.shell.answered(id);
    await d.deliver();
    await d.settle();
    return response.status;
  };
  assert.is(await trigger({ requestedMessage: 'MeterValues' }), 'Accepted');
  const mv = d.sent.filter((s) => s.action === 'MeterValues');
  assert.equal(
    mv.map((s) => s.payload.evseId),
    [1, 2],
  );
  assert.ok(mv.every((s) => s.payload.meterValue[0].sampledValue[0].context === 'Trigger' && s.direct));
  assert.is(await trigger({ requestedMessage: 'TransactionEvent', evse: { id: 1 } }), 'Accepted');
  const t = d.events().at(-1);
  assert.equal(
    [t.triggerReason, t.transactionInfo.chargingState, t.evse, t.meterValue[0].sampledValue[0].context],
    ['Trigger', 'Charging', { id: 1 }, 'Trigger'],
  );
  assert.is(
    await trigger({ requestedMessage: 'TransactionEvent', evse: { id: 2 } }),
    'Rejected',
    'no transaction there: F06.FR.10 could not be honoured',
  );
  d.readings.clear();
  assert.is(await trigger({ requestedMessage: 'MeterValues' }), 'Rejected', 'no meter readings');
});

test("J01.FR.04 J01.FR.05 J01.FR.17 clock-aligned values of the main meter (evseId 0) are its own energy readings, not an EVSE's; each MeterValue has one timestamp for all its sampled values", async () => {
  const d = station({
    evses: twoEvses,
    variables: {
      'AlignedDataCtrlr.Interval': 60,
      'AlignedDataCtrlr.Measurands': 'Energy.Active.Import.Register,Power.Active.Import',
    },
  });
  d.readings.set(0, [
    { value: 250_000, location: 'Inlet' },
    { measurand: 'Power.Active.Import', value: 11_000, location: 'Inlet' },
  ]);
  d.readings.set(2, [{ value: 7 }]);
  await d.goOnline();
  await d.clock.advance(60_000);
  d.readings.set(0, [
    { value: 250_100, location: 'Inlet' },
    { measurand: 'Power.Active.Import', value: 10_000, location: 'Inlet' },
  ]);
  await d.clock.advance(60_000);
  await d.deliver();
  const main = d.sent
    .filter((s) => s.action === 'MeterValues' && s.payload.evseId === 0)
    .map((s) => s.payload.meterValue);
  assert.is(main.length, 2);
  assert.equal(
    main.map((mv) => mv.length),
    [1, 1],
    'one MeterValue per sampling moment',
  );
  assert.equal(
    main.map((mv) => [mv[0].timestamp.slice(11, 19), mv[0].sampledValue.map((v: any) => v.value)]),
    [
      ['00:01:00', [250_000, 11_000]],
      ['00:02:00', [250_100, 10_000]],
    ],
    'the readings of that moment, together',
  );
  assert.ok(main.every((mv) => mv[0].sampledValue.every((v: any) => v.location === 'Inlet' && !('timestamp' in v))));
});

test('J01.FR.09 J02.FR.05 J02.FR.06 the location and phase of each reading go into its sampled value (MeterValues and TransactionEvents)', async () => {
  const d = station({
    variables: {
      'AlignedDataCtrlr.Interval': 60,
      'AlignedDataCtrlr.Measurands': 'Current.Import',
      'SampledDataCtrlr.TxStartedMeasurands': 'Current.Import,Voltage',
    },
  });
  const readings = [
    { measurand: 'Current.Import' as const, value: 16, phase: 'L1' as const, location: 'Outlet' as const },
    { measurand: 'Current.Import' as const, value: 15, phase: 'L2' as const, location: 'Outlet' as const },
    { measurand: 'Voltage' as const, value: 231, phase: 'L1-N' as const, location: 'Inlet' as const },
  ];
  d.readings.set(1, readings);
  await d.goOnline();
  await d.clock.advance(60_000); // idle: MeterValues
  await d.deliver();
  const idle = d.sent.find((s) => s.action === 'MeterValues' && s.payload.evseId === 1)!.payload.meterValue[0]
    .sampledValue;
  assert.equal(
    idle.map((v: any) => [v.measurand, v.phase, v.location]),
    [
      ['Current.Import', 'L1', 'Outlet'],
      ['Current.Import', 'L2', 'Outlet'],
    ],
  );
  d.plug();
  d.token('A');
  await d.deliver();
  const begin = d.events()[0].meterValue[0].sampledValue;
  assert.equal(
    begin.map((v: any) => [v.measurand, v.value, v.phase, v.location]),
    [
      ['Current.Import', 16, 'L1', 'Outlet'],
      ['Current.Import', 15, 'L2', 'Outlet'],
      ['Voltage', 231, 'L1-N', 'Inlet'],
    ],
  );
});

test('J02.FR.17 J02.FR.18 register values as the meter reads them, not re-based to zero at the start; every MeterValue of a transaction holds the readings of its one moment', async () => {
  const d = station({
    variables: {
      'SampledDataCtrlr.TxUpdatedMeasurands': 'Energy.Active.Import.Register,Power.Active.Import',
      'SampledDataCtrlr.TxUpdatedInterval': 30,
      'SampledDataCtrlr.TxEndedInterval': 30,
    },
  });
  d.readings.set(1, [{ value: 123_456 }, { measurand: 'Power.Active.Import', value: 7000 }]);
  await charging(d);
  d.readings.set(1, [{ value: 123_500 }, { measurand: 'Power.Active.Import', value: 6900 }]);
  await d.clock.advance(30_000);
  d.readings.set(1, [{ value: 123_600 }, { measurand: 'Power.Active.Import', value: 6800 }]);
  await d.clock.advance(30_000);
  d.token('A');
  await d.deliver();
  const events = d.events();
  assert.is(events[0].meterValue[0].sampledValue[0].value, 123_456, 'Transaction.Begin: the register itself');
  const periodic = events.filter((e) => e.triggerReason === 'MeterValuePeriodic').map((e) => e.meterValue[0]);
  assert.equal(
    periodic.map((m) => m.sampledValue.map((v: any) => v.value)),
    [
      [123_500, 6900],
      [123_600, 6800],
    ],
  );
  assert.equal(
    periodic.map((m) => Date.parse(m.timestamp) - Date.parse(events[0].timestamp)),
    [30_000, 60_000],
  );
  assert.equal(
    events.at(-1).meterValue.map((m: any) => m.sampledValue[0].value),
    [123_456, 123_500, 123_600, 123_600],
    'Ended: the same registers',
  );
});

test('J02.FR.22 two transactions at once: the meter values of each TransactionEvent are of its own EVSE only (started, periodic, clock-aligned, ended)', async () => {
  const d = station({
    evses: twoEvses,
    variables: {
      'SampledDataCtrlr.TxUpdatedInterval': 60,
      'AlignedDataCtrlr.Interval': 900,
      'SampledDataCtrlr.TxEndedInterval': 60,
    },
  });
  d.readings.set(0, [{ value: 900_000 }]);
  d.readings.set(1, [{ value: 1000 }]);
  d.readings.set(2, [{ value: 2000 }]);
  await d.goOnline();
  d.plug(1, 1);
  d.token('A', 1);
  d.plug(2, 1);
  d.token('B', 2);
  await d.deliver();
  await d.clock.advance(900_000);
  d.token('A', 1);
  d.token('B', 2);
  await d.deliver();
  const txs = new Map<string, any[]>();
  for (const e of d.events())
    txs.set(e.transactionInfo.transactionId, [...(txs.get(e.transactionInfo.transactionId) ?? []), e]);
  assert.is(txs.size, 2);
  for (const events of txs.values()) {
    const evseId = events.find((e) => e.evse)!.evse.id;
    const values = events.flatMap((e) =>
      (e.meterValue ?? []).flatMap((m: any) => m.sampledValue.map((v: any) => v.value)),
    );
    assert.ok(values.length > 20, `${values.length} values`);
    assert.ok(
      values.every((v: number) => v === evseId * 1000),
      `EVSE ${evseId}: ${[...new Set(values)].join(', ')}`,
    );
    assert.ok(
      events.some((e) => e.triggerReason === 'MeterValueClock') &&
        events.some((e) => e.triggerReason === 'MeterValuePeriodic'),
    );
  }
});

test.run();
