// Part 6 test cases of J01 / J02 (clock-aligned and sampled meter values) against the built-in CSMS over real
// sockets; the station's clock is a ManualClock, the meter is the test's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, withTxPair, type TxPair } from '../support/tx-pair.js';

const signed = {
  signedMeterData: 'c2lnbmVk',
  signingMethod: 'ECDSA-secp256r1-SHA256',
  encodingMethod: 'OCMF',
  publicKey: '',
};
const idle = (ms = 30) => new Promise((r) => setTimeout(r, ms));
const gaps = (times: string[]) => times.slice(1).map((t, i) => (Date.parse(t) - Date.parse(times[i]!)) / 1000);

async function step(p: TxPair, seconds: number, times = 1) {
  for (let i = 0; i < times; i++) {
    await p.advance(seconds * 1000);
    await idle(10);
  }
}

test('TC_J_01_CS J01.FR.01 J01.FR.02 J01.FR.03 J01.FR.06 J01.FR.07 J01.FR.08 J01.FR.14 no transaction: MeterValues every AlignedDataInterval, Sample.Clock, aligned timestamps, per EVSE and the main meter', async () => {
  await withTxPair(
    {
      manualClock: true,
      variables: {
        'AlignedDataCtrlr.Interval': 60,
        'AlignedDataCtrlr.Measurands': 'Energy.Active.Import.Register,Voltage',
      },
    },
    async (p) => {
      p.readings.set(0, [
        { value: 123_456, location: 'Inlet' },
        { measurand: 'Voltage', value: 230, phase: 'L1-N', location: 'Inlet' },
      ]);
      p.readings.set(1, [{ value: 1000 }, { measurand: 'Voltage', value: 229 }]);
      await step(p, 60, 3);
      await p.waitFor('MeterValues', (m: any) => m.request.evseId === 1 && p.sent('MeterValues').length >= 6);
      const sent = p.sent('MeterValues').map((m: any) => m.request);
      const ofEvse1 = sent.filter((r) => r.evseId === 1);
      assert.ok(ofEvse1.length >= 3);
      assert.ok(
        sent.some((r) => r.evseId === 0),
        'J01.FR.03: the main meter',
      );
      assert.ok(sent.every((r) => r.meterValue[0].sampledValue.every((v: any) => v.context === 'Sample.Clock')));
      assert.equal(
        ofEvse1[0].meterValue[0].sampledValue.map((v: any) => v.measurand),
        ['Energy.Active.Import.Register', 'Voltage'],
      );
      assert.equal(
        gaps(ofEvse1.map((r) => r.meterValue[0].timestamp)),
        ofEvse1.slice(1).map(() => 60),
      );
      assert.ok(
        ofEvse1.every((r) => Date.parse(r.meterValue[0].timestamp) % 60_000 === 0),
        'aligned to the minute',
      );
    },
  );
});

test('TC_J_02_CS J01.FR.22 a transaction on the EVSE: its clock-aligned values come as TransactionEvent MeterValueClock (Sample.Clock) every interval', async () => {
  await withTxPair(
    { manualClock: true, variables: { 'AlignedDataCtrlr.Interval': 60, 'AlignedDataCtrlr.SendDuringIdle': false } },
    async (p) => {
      await states.energyTransferStarted(p);
      await step(p, 60, 3);
      await p.waitTx(
        (r) =>
          r.triggerReason === 'MeterValueClock' &&
          p.tx().filter((x) => x.triggerReason === 'MeterValueClock').length >= 3,
      );
      const clock = p.tx().filter((r) => r.triggerReason === 'MeterValueClock');
      assert.ok(clock.every((r) => r.meterValue[0].sampledValue[0].context === 'Sample.Clock'));
      assert.equal(
        gaps(clock.map((r) => r.timestamp)),
        clock.slice(1).map(() => 60),
      );
      assert.ok(!p.sent('MeterValues').some((m: any) => m.request.evseId === 1), 'not also as MeterValues');
    },
  );
});

test('TC_J_03_CS J01.FR.01 E06.FR.11 E07.FR.08 AlignedDataCtrlr.TxEndedMeasurands every TxEndedInterval in the Ended event (Sample.Clock, aligned timestamps)', async () => {
  await withTxPair(
    {
      manualClock: true,
      variables: {
        'AlignedDataCtrlr.TxEndedInterval': 60,
        'AlignedDataCtrlr.TxEndedMeasurands': 'Energy.Active.Import.Register',
        'SampledDataCtrlr.TxEndedMeasurands': '',
      },
    },
    async (p) => {
      await states.energyTransferStarted(p);
      await step(p, 60, 4);
      states.authorizeLocal(p, 1);
      const ended = await p.waitTx((r) => r.eventType === 'Ended');
      const times = ended.meterValue.map((m: any) => m.timestamp);
      assert.ok(times.length >= 3, `${times.length} samples`);
      assert.equal(
        gaps(times),
        times.slice(1).map(() => 60),
      );
      assert.ok(ended.meterValue.every((m: any) => m.sampledValue[0].context === 'Sample.Clock'));
    },
  );
});

test('TC_J_04_CS J01.FR.21 AlignedDataCtrlr.SignReadings: the clock-aligned values in the Ended event carry the signed data', async () => {
  await withTxPair(
    {
      manualClock: true,
      variables: {
        'AlignedDataCtrlr.TxEndedInterval': 60,
        'AlignedDataCtrlr.TxEndedMeasurands': 'Energy.Active.Import.Register',
        'AlignedDataCtrlr.SignReadings': true,
        'SampledDataCtrlr.TxEndedMeasurands': '',
      },
    },
    async (p) => {
      p.readings.set(1, [{ value: 1000, signedMeterValue: signed }]);
      await states.energyTransferStarted(p);
      await step(p, 60, 2);
      states.authorizeLocal(p, 1);
      const ended = await p.waitTx((r) => r.eventType === 'Ended');
      assert.ok(
        ended.meterValue.length >= 1 &&
          ended.meterValue.every((m: any) => m.sampledValue[0].signedMeterValue?.publicKey === ''),
      );
    },
  );
});

test('TC_J_06_CS J01.FR.20 AlignedDataCtrlr.SendDuringIdle: clock-aligned values while idle, none at all during the transaction, again afterwards', async () => {
  await withTxPair(
    { manualClock: true, variables: { 'AlignedDataCtrlr.Interval': 60, 'AlignedDataCtrlr.SendDuringIdle': true } },
    async (p) => {
      await step(p, 60);
      await p.waitFor('MeterValues');
      const id = await states.energyTransferStarted(p);
      const before = { mv: p.sent('MeterValues').length, tx: p.tx().length };
      await step(p, 60, 3);
      assert.is(p.sent('MeterValues').length, before.mv);
      assert.ok(
        !p
          .tx()
          .slice(before.tx)
          .some((r) => r.meterValue),
        'no TransactionEvent with meter values either',
      );
      states.authorizeLocal(p, 1);
      await p.waitTx((r) => r.eventType === 'Ended' && r.transactionInfo.transactionId === id);
      await step(p, 60);
      await p.waitFor('MeterValues', () => p.sent('MeterValues').length > before.mv);
    },
  );
});

test('TC_J_07_CS J02.FR.01 J02.FR.02 J02.FR.03 J02.FR.04 J02.FR.10 E01.FR.09 E02.FR.09 E03.FR.07 E04.FR.05 E05.FR.05 EVSE known: the Started event carries TxStartedMeasurands with context Transaction.Begin', async () => {
  await withTxPair(
    {
      variables: {
        'TxCtrlr.TxStartPoint': 'EVConnected',
        'SampledDataCtrlr.TxStartedMeasurands': 'Energy.Active.Import.Register,Power.Active.Import',
      },
    },
    async (p) => {
      p.readings.set(1, [{ value: 1000 }, { measurand: 'Power.Active.Import', value: 0, unit: 'W' }]);
      await states.evConnected(p);
      const started = await p.waitTx((r) => r.eventType === 'Started');
      assert.equal(
        started.meterValue[0].sampledValue.map((v: any) => [v.context, v.measurand]),
        [
          ['Transaction.Begin', 'Energy.Active.Import.Register'],
          ['Transaction.Begin', 'Power.Active.Import'],
        ],
      );
    },
  );
});

test('TC_J_08_CS J02.FR.01 E01.FR.16 E01.FR.17 E03.FR.11 E04.FR.11 E05.FR.08 the transaction started before the EVSE was known: the first event with evse carries the Transaction.Begin values', async () => {
  const twoEvses = [
    { id: 1, connectors: [{ id: 1 }] },
    { id: 2, connectors: [{ id: 1 }] },
  ];
  await withTxPair({ evses: twoEvses, variables: { 'TxCtrlr.TxStartPoint': 'Authorized' } }, async (p) => {
    p.readings.set(2, [{ value: 2000 }]);
    states.authorizeLocal(p); // a reader for the whole station
    const started = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal([started.evse, started.meterValue], [undefined, undefined]);
    await states.evConnected(p, 2);
    const first = await p.waitTx((r) => r.evse !== undefined);
    assert.equal(
      [first.evse, first.meterValue[0].sampledValue[0].context, first.meterValue[0].sampledValue[0].value],
      [{ id: 2, connectorId: 1 }, 'Transaction.Begin', 2000],
    );
  });
});

test('TC_J_09_CS J02.FR.11 E02.FR.10 E03.FR.08 E04.FR.06 E11.FR.03 E12.FR.03 Updated MeterValuePeriodic every TxUpdatedInterval with TxUpdatedMeasurands (Sample.Periodic)', async () => {
  await withTxPair(
    {
      manualClock: true,
      variables: {
        'SampledDataCtrlr.TxUpdatedInterval': 30,
        'SampledDataCtrlr.TxUpdatedMeasurands': 'Energy.Active.Import.Register',
      },
    },
    async (p) => {
      await states.energyTransferStarted(p);
      for (let i = 1; i <= 3; i++) {
        p.readings.set(1, [{ value: 1000 + i * 10 }]);
        await step(p, 30);
      }
      await p.waitTx(() => p.tx().filter((x) => x.triggerReason === 'MeterValuePeriodic').length >= 3);
      const periodic = p.tx().filter((r) => r.triggerReason === 'MeterValuePeriodic');
      assert.equal(
        periodic.map((r) => r.meterValue[0].sampledValue[0].value),
        [1010, 1020, 1030],
      );
      assert.ok(periodic.every((r) => r.meterValue[0].sampledValue[0].context === 'Sample.Periodic'));
      assert.equal(gaps(periodic.map((r) => r.timestamp)), [30, 30]);
    },
  );
});

test('TC_J_10_CS J02.FR.01 E06.FR.11 E07.FR.08 E09.FR.05 E10.FR.04 the Ended event carries TxEndedMeasurands every TxEndedInterval (Sample.Periodic) and one Transaction.End', async () => {
  await withTxPair(
    {
      manualClock: true,
      variables: {
        'SampledDataCtrlr.TxEndedInterval': 60,
        'SampledDataCtrlr.TxEndedMeasurands': 'Energy.Active.Import.Register',
        'AlignedDataCtrlr.TxEndedMeasurands': '',
      },
    },
    async (p) => {
      await states.energyTransferStarted(p);
      await step(p, 60, 3);
      states.authorizeLocal(p, 1);
      const ended = await p.waitTx((r) => r.eventType === 'Ended');
      const contexts = ended.meterValue.map((m: any) => m.sampledValue[0].context);
      assert.is(contexts[0], 'Sample.Periodic');
      assert.equal(contexts.filter((c: string) => c === 'Transaction.End').length, 1);
      assert.equal(gaps(ended.meterValue.slice(0, -1).map((m: any) => m.timestamp)), [60, 60, 60]);
    },
  );
});

test('TC_J_11_CS J02.FR.21 SampledDataCtrlr.SignReadings: the sampled values in the Ended event carry the signed data', async () => {
  await withTxPair(
    { manualClock: true, variables: { 'SampledDataCtrlr.TxEndedInterval': 60, 'SampledDataCtrlr.SignReadings': true } },
    async (p) => {
      p.readings.set(1, [{ value: 1000, signedMeterValue: signed }]);
      await states.energyTransferStarted(p);
      await step(p, 60);
      states.authorizeLocal(p, 1);
      const ended = await p.waitTx((r) => r.eventType === 'Ended');
      assert.ok(ended.meterValue.every((m: any) => m.sampledValue[0].signedMeterValue?.signedMeterData === 'c2lnbmVk'));
      assert.ok(ended.meterValue.some((m: any) => m.sampledValue[0].context === 'Transaction.End'));
    },
  );
});

test.run();
