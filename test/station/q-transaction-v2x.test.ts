// Block Q in the TransactionEvents (2.1), over real sockets against the built-in CSMS: evseSleep while an Idle
// period has the EVSE's electronics asleep (Q10.FR.04/05), through block K's query evseSleeping; the transaction
// ended when the CSMS rejects the EV's energy transfer and the stack does not renegotiate (Q01.FR.06).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../support/rpc-harness.js';
import { states, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

/** A 2.1 station; SmartChargingCtrlr.SupportsEvseSleep as given. */
function v21(supportsEvseSleep: boolean): TxPairOptions {
  return {
    csms: { versions: ['ocpp2.1'] },
    station: { versions: ['ocpp2.1'] },
    deviceModel: {
      components: [
        {
          name: 'SmartChargingCtrlr',
          variables: [{ name: 'SupportsEvseSleep', value: supportsEvseSleep, mutability: 'ReadOnly' }],
        },
      ],
    },
  };
}

const txProfile = (transactionId: string, period: Record<string, unknown>) => ({
  id: 1,
  stackLevel: 0,
  chargingProfilePurpose: 'TxProfile',
  chargingProfileKind: 'Relative',
  transactionId,
  chargingSchedule: [{ id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, ...period }] }],
});

const set = (p: TxPair, chargingProfile: object) => p.call('SetChargingProfile', { evseId: 1, chargingProfile });

const modeChanged = (p: TxPair, mode: string) =>
  p.waitTx((r) => r.triggerReason === 'OperationModeChanged' && r.transactionInfo.operationMode === mode);

test('Q10.FR.03 Q10.FR.04 an Idle period with evseSleep on a station that supports it: TransactionEvents report evseSleep true while it lasts, and no more after', async () => {
  await withTxPair(v21(true), async (p) => {
    const transactionId = await states.energyTransferStarted(p);
    assert.equal(await set(p, txProfile(transactionId, { operationMode: 'Idle', evseSleep: true })), {
      status: 'Accepted',
    });
    const asleep = await modeChanged(p, 'Idle');
    assert.is(asleep.evseSleep, true);
    // Another event while it sleeps reports it too.
    states.suspendByEv(p);
    const suspended = await p.waitTx((r) => r.transactionInfo.chargingState === 'SuspendedEV');
    assert.is(suspended.evseSleep, true);
    assert.equal(await set(p, txProfile(transactionId, { limit: 7000 })), { status: 'Accepted' });
    const awake = await modeChanged(p, 'ChargingOnly');
    assert.is(awake.evseSleep, undefined, 'absent: false');
  });
});

test('Q10.FR.05 K01.FR.126 a station without SupportsEvseSleep refuses a period with evseSleep, and its Idle periods report no evseSleep (false)', async () => {
  await withTxPair(v21(false), async (p) => {
    const transactionId = await states.energyTransferStarted(p);
    const refused = (await set(p, txProfile(transactionId, { operationMode: 'Idle', evseSleep: true }))) as any;
    assert.is(refused.status, 'Rejected');
    assert.is(refused.statusInfo?.reasonCode, 'InvalidSchedule');
    assert.equal(await set(p, txProfile(transactionId, { operationMode: 'Idle' })), { status: 'Accepted' });
    const idle = await modeChanged(p, 'Idle');
    assert.is(idle.evseSleep, undefined);
  });
});

const needs = {
  requestedEnergyTransfer: 'AC_BPT' as const,
  acChargingParameters: { energyAmount: 20_000, evMinCurrent: 6, evMaxCurrent: 32, evMaxVoltage: 400 },
};

/** The stack's answers to the EV's needs, as evChargingNeedsAnswered received them. */
const answered: unknown[] = [];

function rejecting(renegotiate: boolean): TxPairOptions {
  answered.length = 0;
  return {
    ...v21(false),
    csms: { versions: ['ocpp2.1'] },
    station: {
      versions: ['ocpp2.1'],
      hardware: {
        evChargingNeedsAnswered: (_evseId, response) => {
          answered.push(response?.status);
          return renegotiate && response?.status === 'Rejected' ? 'renegotiate' : undefined;
        },
      },
    },
  };
}

test("Q01.FR.04 Q01.FR.06 the CSMS rejects the EV's requested energy transfer and the stack does not renegotiate: the transaction ends (AbnormalCondition, ReqEnergyTransferRejected)", async () => {
  await withTxPair(rejecting(false), async (p) => {
    p.csms.respond('NotifyEVChargingNeeds', () => ({ status: 'Rejected' }));
    const transactionId = await states.energyTransferStarted(p);
    p.station.evChargingNeeds(1, needs);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.is(ended.transactionInfo.transactionId, transactionId);
    assert.is(ended.triggerReason, 'AbnormalCondition');
    assert.is(ended.transactionInfo.stoppedReason, 'ReqEnergyTransferRejected');
  });
});

test('Q01.FR.05 Q01.FR.06 the stack renegotiates after the Rejected: the transaction goes on', async () => {
  await withTxPair(rejecting(true), async (p) => {
    p.csms.respond('NotifyEVChargingNeeds', () => ({ status: 'Rejected' }));
    await states.energyTransferStarted(p);
    p.station.evChargingNeeds(1, needs);
    await until(() => answered.length === 1);
    // A later event of the same transaction: an Ended would have been sent before it.
    states.suspendByEv(p);
    await p.waitTx((r) => r.transactionInfo.chargingState === 'SuspendedEV');
    assert.equal(
      p.tx().filter((r) => r.eventType === 'Ended'),
      [],
    );
  });
});

const MEASURANDS = ['Energy.Active.Import.Register', 'SoC', 'Power.Active.Export'];

/** A 2.1 station whose V2XChargingCtrlr adds measurands per operationMode (instances named after the modes). */
function v2xMeasurandStation(): TxPairOptions {
  const list = (name: string, instance: string, value: string) => ({ name, instance, valuesList: MEASURANDS, value });
  return {
    csms: { versions: ['ocpp2.1'] },
    station: { versions: ['ocpp2.1'] },
    deviceModel: {
      components: [
        {
          name: 'V2XChargingCtrlr',
          variables: [
            { name: 'Enabled', value: true },
            {
              name: 'SupportedEnergyTransferModes',
              valuesList: ['AC_three_phase', 'AC_BPT'],
              value: ['AC_BPT'],
              mutability: 'ReadOnly',
            },
            {
              name: 'SupportedOperationModes',
              valuesList: ['ChargingOnly', 'CentralSetpoint'],
              value: ['ChargingOnly', 'CentralSetpoint'],
              mutability: 'ReadOnly',
            },
            list('TxStartedMeasurands', 'ChargingOnly', 'SoC'),
            list('TxUpdatedMeasurands', 'CentralSetpoint', 'Power.Active.Export'),
            list('TxEndedMeasurands', 'CentralSetpoint', 'Power.Active.Export'),
          ],
        },
      ],
    },
  };
}

const measurandsOf = (r: any): string[] =>
  (r.meterValue ?? []).flatMap((m: any) =>
    m.sampledValue.map((v: any) => v.measurand ?? 'Energy.Active.Import.Register'),
  );

test('Q01.FR.33 Q01.FR.34 Q01.FR.35 the V2XChargingCtrlr measurands of the operationMode in force join those of SampledDataCtrlr in the TransactionEvents', async () => {
  await withTxPair(v2xMeasurandStation(), async (p) => {
    p.readings.set(1, [
      { value: 1000 },
      { measurand: 'SoC', value: 40, unit: 'Percent' },
      { measurand: 'Power.Active.Export', value: 3000, unit: 'W' },
    ]);
    // No profile: ChargingOnly. Q01.FR.33: TxStartedMeasurands[ChargingOnly] in the Started event.
    const transactionId = await states.energyTransferStarted(p);
    const started = p.tx().find((r) => r.eventType === 'Started');
    assert.equal(measurandsOf(started).sort(), ['Energy.Active.Import.Register', 'SoC']);
    // A CentralSetpoint period (discharging): its TxUpdatedMeasurands in a triggered event (Q01.FR.35).
    assert.equal(
      await set(
        p,
        txProfile(transactionId, {
          operationMode: 'CentralSetpoint',
          limit: 7000,
          setpoint: -3000,
          dischargeLimit: -7000,
        }),
      ),
      { status: 'Accepted' },
    );
    await modeChanged(p, 'CentralSetpoint');
    assert.equal(await p.call('TriggerMessage', { requestedMessage: 'TransactionEvent', evse: { id: 1 } }), {
      status: 'Accepted',
    });
    const triggered = await p.waitTx((r) => r.triggerReason === 'Trigger');
    assert.equal(measurandsOf(triggered).sort(), ['Energy.Active.Import.Register', 'Power.Active.Export']);
    // Q01.FR.34: TxEndedMeasurands[CentralSetpoint] in the Ended event's end sample.
    states.evDisconnected(p);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    const end = ended.meterValue.filter((m: any) => m.sampledValue[0].context === 'Transaction.End');
    assert.equal(measurandsOf({ meterValue: end }).sort(), ['Energy.Active.Import.Register', 'Power.Active.Export']);
  });
});

test.run();
