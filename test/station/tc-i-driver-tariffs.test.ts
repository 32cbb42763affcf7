// 2.1 block I beyond the default tariff, over real sockets against the built-in CSMS: the driver's tariff from the
// AuthorizeResponse (I08) kept, listed (I09.FR.05/06) and removed after use; a tariff the station cannot process
// (TariffCostCtrlr.Problem, HandleFailedTariff); the driver refusing the tariff (I07.FR.30/31, declineTariff); the
// default tariff staying with its transaction when replaced or cleared (I07.FR.24, I10.FR.07); validFrom ordering
// (I07.FR.18/21/23); a cost the station cannot calculate (I12.FR.14/18/19, I12.FR.42–44).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';
import type { TariffOptions } from '../../runtime/station/I-tariff/tariffs.js';

function with21(options: TxPairOptions & { tariffs?: TariffOptions }, body: (p: TxPair) => Promise<void>) {
  return withTxPair(
    {
      ...options,
      csms: { versions: ['ocpp2.1'] },
      station: { versions: ['ocpp2.1'], tariffs: options.tariffs ?? {}, ...options.station },
    },
    body,
  );
}

const tariff = (tariffId: string, extra: object = {}) => ({
  tariffId,
  currency: 'EUR',
  energy: { prices: [{ priceKwh: 0.3 }] },
  ...extra,
});
const setDefault = (p: TxPair, evseId: number, t: object) => p.call('SetDefaultTariff', { evseId, tariff: t });
const assignments = async (p: TxPair, evseId = 0) => {
  const r = await p.call('GetTariffs', { evseId });
  return r.status === 'Accepted' ? r.tariffAssignments : r.status;
};
const setVariable = async (p: TxPair, name: string, instance: string | undefined, value: string) => {
  const r = await p.call('SetVariables', {
    setVariableData: [
      {
        component: { name: name.split('.')[0] },
        variable: { name: name.split('.')[1], ...(instance ? { instance } : {}) },
        attributeValue: value,
      },
    ],
  });
  assert.is(r.setVariableResult[0].attributeStatus, 'Accepted', name);
};
const problemValue = async (p: TxPair) => {
  const r = await p.call('GetVariables', {
    getVariableData: [{ component: { name: 'TariffCostCtrlr' }, variable: { name: 'Problem' } }],
  });
  return r.getVariableResult[0].attributeValue;
};
const problemEvents = (p: TxPair) =>
  p
    .sent('NotifyEvent')
    .flatMap((m: any) => m.request.eventData)
    .filter((e: any) => e.component.name === 'TariffCostCtrlr' && e.variable.name === 'Problem');
async function until(what: () => boolean | Promise<boolean>, message: string) {
  for (let i = 0; i < 300 && !(await what()); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(await what(), message);
}

/** The CSMS answers Authorize with `driverTariff`, and accepts the idToken in TransactionEvents. */
function driverCsms(p: TxPair, driverTariff: object) {
  p.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Accepted' }, tariff: driverTariff }));
  p.csms.respond('TransactionEvent', (req: any) => (req.idToken ? { idTokenInfo: { status: 'Accepted' } } : {}));
}

/** Authorized before the EV connects, then the EV plugs in and charges: the transaction starts (PowerPathClosed). */
async function chargeAfterAuthorizing(p: TxPair): Promise<string> {
  await states.authorizeAndWait(p, 1);
  await states.evConnected(p, 1);
  p.station.chargingStateChanged(1, 'Charging');
  const e = await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging');
  return e.transactionInfo.transactionId;
}

test('I08.FR.04 I08.FR.06 I08.FR.22 I09.FR.05 I09.FR.06 a driver tariff is listed for its EVSE while in use, reported once as transactionInfo.tariffId, and removed after its transaction', async () => {
  await with21({}, async (p) => {
    await setDefault(p, 0, tariff('DEFAULT'));
    driverCsms(p, tariff('DRIVER', { energy: { prices: [{ priceKwh: 0.8 }] } }));
    p.readings.set(1, [{ value: 0 }]);
    await states.authorizeAndWait(p, 1);
    // I08.FR.07: in use from the AuthorizeResponse on.
    assert.equal(await assignments(p, 1), [
      { tariffId: 'DEFAULT', tariffKind: 'DefaultTariff', evseIds: [1] },
      { tariffId: 'DRIVER', tariffKind: 'DriverTariff', evseIds: [1] },
    ]);
    await states.evConnected(p, 1);
    p.station.chargingStateChanged(1, 'Charging');
    await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging');
    // I08.FR.22: the driver's tariff is the transaction's, said once.
    await until(() => p.tx().some((r) => r.transactionInfo.tariffId !== undefined), 'a tariffId was reported');
    states.suspendByEv(p);
    await p.waitTx((r) => r.transactionInfo.chargingState === 'SuspendedEV');
    assert.equal(
      p
        .tx()
        .map((r) => r.transactionInfo.tariffId)
        .filter((x) => x !== undefined),
      ['DRIVER'],
    );
    // I09.FR.06: listed with the EVSE of the transaction.
    assert.equal(await assignments(p), [
      { tariffId: 'DEFAULT', tariffKind: 'DefaultTariff', evseIds: [1] },
      { tariffId: 'DRIVER', tariffKind: 'DriverTariff', evseIds: [1] },
    ]);
    p.readings.set(1, [{ value: 1000 }]);
    p.station.stopTransaction(1);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal(ended.costDetails.totalCost.total, { exclTax: 0.8, inclTax: 0.8 });
    // I08.FR.06: no longer in use, so gone.
    assert.equal(await assignments(p), [{ tariffId: 'DEFAULT', tariffKind: 'DefaultTariff', evseIds: [1] }]);
  });
});

test('I08.FR.05 with the Authorization Cache, the driver tariff is kept with the idToken: authorized again from the cache, the driver has it', async () => {
  await with21({ variables: { 'AuthCtrlr.LocalPreAuthorize': true, 'AuthCacheCtrlr.Enabled': true } }, async (p) => {
    await setDefault(p, 0, tariff('DEFAULT'));
    driverCsms(p, tariff('DRIVER'));
    await chargeAfterAuthorizing(p);
    p.station.stopTransaction(1);
    await p.waitTx((r) => r.eventType === 'Ended');
    states.evDisconnected(p);
    assert.equal(await assignments(p), [{ tariffId: 'DEFAULT', tariffKind: 'DefaultTariff', evseIds: [1] }]);
    // The same idToken again: C accepts it from its cache, the CSMS is not asked.
    await states.authorizeAndWait(p, 1);
    assert.is(p.sent('Authorize').length, 1, 'from the cache');
    assert.equal(await assignments(p), [
      { tariffId: 'DEFAULT', tariffKind: 'DefaultTariff', evseIds: [1] },
      { tariffId: 'DRIVER', tariffKind: 'DriverTariff', evseIds: [1] },
    ]);
  });
});

test('I08.FR.07 an authorization that expires (EVConnectionTimeOut) before a transaction: its driver tariff is no longer in use', async () => {
  await with21({ manualClock: true, variables: { 'TxCtrlr.EVConnectionTimeOut': 30 } }, async (p) => {
    driverCsms(p, tariff('DRIVER'));
    await states.authorizeAndWait(p, 1);
    assert.equal(await assignments(p), [{ tariffId: 'DRIVER', tariffKind: 'DriverTariff', evseIds: [1] }]);
    await p.advance(31_000);
    await until(async () => (await assignments(p)) === 'NoTariff', 'the driver tariff went with the authorization');
  });
});

test('I10.FR.07 ClearTariffs of the tariff a transaction uses: Accepted and no longer listed, but the transaction is priced by it to the end', async () => {
  await with21({}, async (p) => {
    await setDefault(p, 0, tariff('T1', { energy: { prices: [{ priceKwh: 0.5 }] } }));
    driverCsms(p, tariff('DRIVER', { energy: { prices: [{ priceKwh: 0.8 }] } }));
    p.readings.set(1, [{ value: 0 }]);
    await chargeAfterAuthorizing(p);
    assert.equal(await p.call('ClearTariffs', {}), {
      clearTariffsResult: [
        { tariffId: 'T1', status: 'Accepted' },
        { tariffId: 'DRIVER', status: 'Accepted' },
      ],
    });
    assert.is(await assignments(p), 'NoTariff');
    p.readings.set(1, [{ value: 2000 }]);
    p.station.stopTransaction(1);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal(
      ended.costDetails.chargingPeriods.map((x: any) => x.tariffId),
      ['DRIVER'],
    );
    assert.equal(ended.costDetails.totalCost.total, { exclTax: 1.6, inclTax: 1.6 });
  });
});

test('I07.FR.14 I07.FR.24 the default tariff in force is the transaction’s (its tariffId in the next event); replaced during the transaction, it still prices it', async () => {
  await with21({}, async (p) => {
    await setDefault(p, 0, tariff('T1', { energy: { prices: [{ priceKwh: 0.5 }] } }));
    p.readings.set(1, [{ value: 0 }]);
    await states.energyTransferStarted(p);
    states.suspendByEv(p);
    const next = await p.waitTx((r) => r.transactionInfo.chargingState === 'SuspendedEV');
    assert.is(next.transactionInfo.tariffId, 'T1');
    // I07.FR.22: T2 replaces T1 on the EVSE; I07.FR.24: not for the running transaction.
    assert.equal(await setDefault(p, 1, tariff('T2', { energy: { prices: [{ priceKwh: 0.9 }] } })), {
      status: 'Accepted',
    });
    assert.equal(await assignments(p, 1), [{ tariffId: 'T2', tariffKind: 'DefaultTariff', evseIds: [1] }]);
    p.readings.set(1, [{ value: 2000 }]);
    p.station.stopTransaction(1);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal(ended.costDetails.totalCost.energy, { exclTax: 1, inclTax: 1 });
    assert.equal(
      ended.costDetails.chargingPeriods.map((x: any) => x.tariffId),
      ['T1'],
    );
  });
});

test('I07.FR.18 I07.FR.21 I07.FR.23 validFrom in system time (any offset): a later validFrom replaces an earlier one once valid; a tariff not yet valid is not replaced by an earlier one', async () => {
  await with21({ manualClock: true }, async (p) => {
    const now = p.clock!.now();
    // I07.FR.18: the same instant written with an offset of +02:00.
    const at = (ms: number) => new Date(ms).toISOString();
    const withOffset = (ms: number) => new Date(ms + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    const inA = withOffset(now + 60_000);
    const inB = at(now + 120_000);
    // I07.FR.23: B (later) is set first, then A (earlier): A does not replace B, both wait.
    assert.equal(await setDefault(p, 1, tariff('B', { validFrom: inB })), { status: 'Accepted' });
    assert.equal(await setDefault(p, 1, tariff('A', { validFrom: inA })), { status: 'Accepted' });
    const listed = async () => ((await assignments(p)) as Array<{ tariffId: string }>).map((a) => a.tariffId).sort();
    assert.equal(await listed(), ['A', 'B']);
    // Were the offset ignored, A would be valid two hours later and, at 121 s, not be replaced by B.
    await p.advance(59_000);
    assert.equal(await listed(), ['A', 'B']);
    await p.advance(2_000);
    // A is valid now and B not yet: both stay (I07.FR.23).
    assert.equal(await listed(), ['A', 'B']);
    // I07.FR.21: B becomes valid, A.validFrom <= B.validFrom: A is replaced.
    await p.advance(60_000);
    assert.equal(await listed(), ['B']);
  });
});

test('I07.FR.30 I08.FR.20 declineTariff during a transaction: deauthorized, TariffNotAccepted, no tariff and no cost (TxStopPoint Authorized: it ends DeAuthorized)', async () => {
  await with21({}, async (p) => {
    await setDefault(p, 0, tariff('T1', { fixedFee: { prices: [{ priceFixed: 2 }] } }));
    await states.energyTransferStarted(p);
    p.station.declineTariff(1);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal([ended.triggerReason, ended.transactionInfo.stoppedReason], ['TariffNotAccepted', 'DeAuthorized']);
    assert.is(ended.costDetails, undefined, 'no cost');
    assert.is(ended.transactionInfo.tariffId, undefined, 'no tariffId');
  });
});

test('I07.FR.30 I08.FR.20 declineTariff with TxStopPoint EVConnected: an Updated event TariffNotAccepted, energy stops, the transaction goes on without cost', async () => {
  await with21({ variables: { 'TxCtrlr.TxStopPoint': 'EVConnected' } }, async (p) => {
    await setDefault(p, 0, tariff('T1', { fixedFee: { prices: [{ priceFixed: 2 }] } }));
    driverCsms(p, tariff('DRIVER'));
    await chargeAfterAuthorizing(p);
    p.station.declineTariff(1);
    const declined = await p.waitTx((r) => r.triggerReason === 'TariffNotAccepted');
    assert.is(declined.eventType, 'Updated');
    assert.ok(
      p.hw.some((c) => c.op === 'stopCharging'),
      'energy stopped',
    );
    assert.equal(
      ((await assignments(p)) as Array<{ tariffId: string }>).map((a) => a.tariffId),
      ['T1'],
      'the driver tariff is not in use any more',
    );
    states.evDisconnected(p);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.is(ended.costDetails, undefined);
  });
});

test('I07.FR.31 I08.FR.21 declineTariff before a transaction: the authorization goes; the EV then connects and no energy flows', async () => {
  await with21({}, async (p) => {
    driverCsms(p, tariff('DRIVER'));
    await states.authorizeAndWait(p, 1);
    p.station.declineTariff(1);
    await until(async () => (await assignments(p)) === 'NoTariff', 'the driver tariff is dropped');
    await states.evConnected(p, 1);
    // TxStartPoint PowerPathClosed: without authorization no transaction starts and the power path stays open.
    await p.call('TriggerMessage', { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } });
    await p.waitFor('StatusNotification', (m: any) => m.request.connectorStatus === 'Occupied');
    assert.equal(p.tx(), []);
    assert.not.ok(p.hw.some((c) => c.op === 'startCharging'));
  });
});

test('I08.FR.30 I08.FR.31 I08.FR.32 I08.FR.35 I08.FR.36 a driver tariff the station cannot process: Problem true and a NotifyEvent (techCode), the default tariff used; a good one later sets Problem false again', async () => {
  await with21({ tariffs: { maxElements: 1 } }, async (p) => {
    await setDefault(p, 0, tariff('DEFAULT'));
    const tooMany = tariff('BIG', { energy: { prices: [{ priceKwh: 0.1 }, { priceKwh: 0.2 }] } });
    driverCsms(p, tooMany);
    await chargeAfterAuthorizing(p);
    await until(() => problemEvents(p).length === 1, 'a NotifyEvent for TariffCostCtrlr.Problem');
    const [raised] = problemEvents(p);
    assert.equal(
      [raised.trigger, raised.eventNotificationType, raised.actualValue, raised.techCode],
      ['Alerting', 'HardWiredNotification', 'true', 'TooManyElements'],
    );
    assert.is(await problemValue(p), 'true');
    // I08.FR.32 (UseDefaultTariff, the default): the default tariff is the transaction's.
    states.suspendByEv(p);
    await p.waitTx((r) => r.transactionInfo.chargingState === 'SuspendedEV');
    assert.equal(
      p
        .tx()
        .map((r) => r.transactionInfo.tariffId)
        .filter((x) => x !== undefined),
      ['DEFAULT'],
    );
    p.station.stopTransaction(1);
    await p.waitTx((r) => r.eventType === 'Ended');
    states.evDisconnected(p);
    // I08.FR.35/36: the next driver tariff is processed: Problem false, said once.
    driverCsms(p, tariff('SMALL'));
    await states.authorizeAndWait(p, 1);
    await until(() => problemEvents(p).length === 2, 'a second NotifyEvent');
    assert.equal(problemEvents(p)[1].actualValue, 'false');
    assert.is(await problemValue(p), 'false');
  });
});

test('I08.FR.33 HandleFailedTariff CentralCost: the driver is authorized and the transaction has no local cost (no tariffId, no costDetails)', async () => {
  await with21({ tariffs: { conditions: false } }, async (p) => {
    await setVariable(p, 'TariffCostCtrlr.HandleFailedTariff', 'Tariff', 'CentralCost');
    await setDefault(p, 0, tariff('DEFAULT'));
    driverCsms(p, tariff('COND', { energy: { prices: [{ priceKwh: 0.1, conditions: { dayOfWeek: ['Monday'] } }] } }));
    await chargeAfterAuthorizing(p);
    assert.is(await problemValue(p), 'true');
    p.station.stopTransaction(1);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.is(ended.costDetails, undefined);
    assert.ok(p.tx().every((r) => r.transactionInfo.tariffId === undefined));
  });
});

test('I08.FR.31 HandleFailedTariff Deauthorize: the driver whose tariff cannot be processed is not authorized to charge', async () => {
  await with21({ tariffs: { maxElements: 1 }, variables: { 'TxCtrlr.TxStartPoint': 'EVConnected' } }, async (p) => {
    await setVariable(p, 'TariffCostCtrlr.HandleFailedTariff', 'Tariff', 'Deauthorize');
    driverCsms(p, tariff('BIG', { energy: { prices: [{ priceKwh: 0.1 }, { priceKwh: 0.2 }] } }));
    await states.evConnected(p, 1);
    const started = await p.waitTx((r) => r.eventType === 'Started');
    await states.authorizeAndWait(p, 1);
    const declined = await p.waitTx((r) => r.triggerReason === 'TariffNotAccepted');
    assert.ok(started);
    assert.is(await problemValue(p), 'true');
    // TxStopPoint EVConnected,Authorized: the deauthorization ends the transaction.
    assert.equal([declined.eventType, declined.transactionInfo.stoppedReason], ['Ended', 'DeAuthorized']);
  });
});

test('I12.FR.14 I12.FR.18 I12.FR.19 I12.FR.42 I12.FR.43 I12.FR.44 a tariff condition on power the meter does not report: failureToCalculate, Problem true; the next transaction calculated in full sets it false', async () => {
  await with21({}, async (p) => {
    const byPower = { prices: [{ priceKwh: 0.2, conditions: { maxPower: 11000 } }, { priceKwh: 0.4 }] };
    await setDefault(p, 0, tariff('P', { energy: byPower }));
    p.readings.set(1, [{ value: 0 }]);
    await states.energyTransferStarted(p);
    p.readings.set(1, [{ value: 1000 }]);
    p.station.stopTransaction(1);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.is(ended.costDetails.failureToCalculate, true);
    assert.match(ended.costDetails.failureReason, /power/);
    await until(() => problemEvents(p).length === 1, 'a NotifyEvent for TariffCostCtrlr.Problem');
    assert.is(problemEvents(p)[0].actualValue, 'true');
    assert.is(await problemValue(p), 'true');
    states.evDisconnected(p);
    // With the power measured (7 kW) the condition is decided: 1 kWh at 0.20.
    p.readings.set(1, [{ value: 1000 }, { measurand: 'Power.Active.Import', value: 7000, unit: 'W' }]);
    const before = p.tx().length;
    const later = (r: unknown) => p.tx().indexOf(r) >= before;
    p.station.cablePlugged(1, 1);
    states.authorizeLocal(p, 1);
    p.station.chargingStateChanged(1, 'Charging');
    await p.waitTx((r) => later(r) && r.transactionInfo.chargingState === 'Charging');
    p.readings.set(1, [{ value: 2000 }, { measurand: 'Power.Active.Import', value: 7000, unit: 'W' }]);
    p.station.stopTransaction(1);
    const second = await p.waitTx((r) => later(r) && r.eventType === 'Ended');
    assert.is(second.costDetails.failureToCalculate, undefined);
    assert.equal(second.costDetails.totalCost.total, { exclTax: 0.2, inclTax: 0.2 });
    await until(() => problemEvents(p).length === 2, 'a second NotifyEvent');
    assert.is(problemEvents(p)[1].actualValue, 'false');
    assert.is(await problemValue(p), 'false');
  });
});

/** A per-minute price by power: 1/min below 11 kW, 2/min from 11 kW (Part 2 I §1.2.3). */
const byPower = {
  chargingTime: {
    prices: [
      { priceMinute: 1, conditions: { maxPower: 11000 } },
      { priceMinute: 2, conditions: { minPower: 11000 } },
    ],
  },
};
const power = (w: number) => ({ measurand: 'Power.Active.Import' as const, value: w, unit: 'W' });

test('I12.FR.31 with Interval[Tariff] 30 s the power is looked at every 30 s: 90 s at 7 kW (1/min), then 30 s at 22 kW (2/min) → 2.50', async () => {
  await with21({ manualClock: true }, async (p) => {
    await setVariable(p, 'TariffCostCtrlr.Interval', 'Tariff', '30');
    await setDefault(p, 0, tariff('P', { energy: undefined, ...byPower }));
    p.readings.set(1, [{ value: 0 }, power(7000)]);
    await states.energyTransferStarted(p);
    await p.advance(60_000);
    // The EV draws more without any event of the station: only the 30 s look finds it (at 90 s).
    p.readings.set(1, [{ value: 150 }, power(22000)]);
    await p.advance(60_000);
    p.station.stopTransaction(1);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal(ended.costDetails.totalCost.chargingTime, { exclTax: 2.5, inclTax: 2.5 });
    assert.is(ended.costDetails.chargingPeriods.length, 2, 'a new period where the price element changed');
  });
});

test('I12.FR.32 with Interval[Tariff] 0 the power is looked at with every reading the firmware reports: 60 s at 7 kW, 60 s at 22 kW → 3', async () => {
  await with21({ manualClock: true }, async (p) => {
    await setVariable(p, 'TariffCostCtrlr.Interval', 'Tariff', '0');
    await setDefault(p, 0, tariff('P', { energy: undefined, ...byPower }));
    p.readings.set(1, [{ value: 0 }, power(7000)]);
    await states.energyTransferStarted(p);
    await p.advance(60_000);
    p.readings.set(1, [{ value: 117 }, power(22000)]);
    p.station.meterValues(1, [{ value: 117 }, power(22000)]);
    await p.advance(60_000);
    p.station.stopTransaction(1);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal(ended.costDetails.totalCost.chargingTime, { exclTax: 3, inclTax: 3 });
  });
});

test('I11.FR.01 ChangeTransactionTariff where the station does not calculate cost: CALLERROR NotSupported, without options.tariffs and with TariffCostCtrlr.Enabled[Tariff] false', async () => {
  const code = (p: TxPair, transactionId: string) =>
    p.call('ChangeTransactionTariff', { transactionId, tariff: tariff('T2') }).then(
      () => 'answered',
      (e: { code?: string }) => e.code,
    );
  await withTxPair({ csms: { versions: ['ocpp2.1'] }, station: { versions: ['ocpp2.1'] } }, async (p) => {
    assert.is(await code(p, await states.energyTransferStarted(p)), 'NotSupported');
  });
  await with21({}, async (p) => {
    await setDefault(p, 0, tariff('T1'));
    const transactionId = await states.energyTransferStarted(p);
    await setVariable(p, 'TariffCostCtrlr.Enabled', 'Tariff', 'false');
    assert.is(await code(p, transactionId), 'NotSupported');
  });
});

test.run();
