// 2.1 I07, I09, I10, I11 on a station that installs tariffs (`options.tariffs`), over real sockets against the
// built-in CSMS: SetDefaultTariff checked and kept (also across a reboot), replaced by validFrom, GetTariffs,
// ClearTariffs, and ChangeTransactionTariff for a running transaction. (Part 6 of 2.1 is not among the spec inputs:
// the tests are named by requirement.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';
import type { TariffOptions } from '../../runtime/station/I-tariff/tariffs.js';
import type { DisplayScreen } from '../../runtime/station/O-display/messages.js';

const TWO = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

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

test('I07.FR.10 I07.FR.12 I07.FR.13 I09.FR.01 I09.FR.04 a default tariff for EVSE 0 is installed on each EVSE and survives a reboot', async () => {
  await with21({ evses: TWO }, async (p) => {
    assert.equal(await setDefault(p, 0, tariff('T1')), { status: 'Accepted' });
    const expected = [{ tariffId: 'T1', tariffKind: 'DefaultTariff', evseIds: [1, 2] }];
    assert.equal(await assignments(p), expected);
    const reported = p.sent('StatusNotification').length;
    await p.restart();
    for (let i = 0; i < 300 && p.sent('StatusNotification').length <= reported; i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.equal(await assignments(p), expected);
  });
});

test('I07.FR.11 I07.FR.22 I09.FR.02 I09.FR.05 a tariff for EVSE 2 replaces the default there only', async () => {
  await with21({ evses: TWO }, async (p) => {
    await setDefault(p, 0, tariff('T1'));
    assert.equal(await setDefault(p, 2, tariff('T2')), { status: 'Accepted' });
    assert.equal(await assignments(p), [
      { tariffId: 'T1', tariffKind: 'DefaultTariff', evseIds: [1] },
      { tariffId: 'T2', tariffKind: 'DefaultTariff', evseIds: [2] },
    ]);
    assert.equal(await assignments(p, 2), [{ tariffId: 'T2', tariffKind: 'DefaultTariff', evseIds: [2] }]);
  });
});

test('I07.FR.04 I07.FR.05 I07.FR.06 a duplicate tariffId, an invalid tariff, an unknown EVSE: refused with their status, nothing stored', async () => {
  await with21({}, async (p) => {
    await setDefault(p, 1, tariff('T1'));
    assert.equal(await setDefault(p, 1, tariff('T1', { currency: 'USD' })), { status: 'DuplicateTariffId' });
    for (const bad of [
      tariff('B1', { currency: 'eu' }),
      tariff('B2', { energy: { prices: [{ priceKwh: -0.1 }] } }),
      tariff('B3', { energy: { prices: [{ priceKwh: 0.2, conditions: { minPower: 11000, maxPower: 7000 } }] } }),
      tariff('B4', { energy: { prices: [{ priceKwh: 0.2, conditions: { startTimeOfDay: '25:00' } }] } }),
    ]) {
      const r = await setDefault(p, 1, bad);
      assert.equal([r.status, r.statusInfo?.reasonCode], ['Rejected', 'InvalidValue'], JSON.stringify(bad));
    }
    const unknown = await setDefault(p, 9, tariff('B5'));
    assert.equal([unknown.status, unknown.statusInfo?.reasonCode], ['Rejected', 'UnknownEVSE']);
    assert.equal(await assignments(p), [{ tariffId: 'T1', tariffKind: 'DefaultTariff', evseIds: [1] }]);
  });
});

test('I07.FR.02 I07.FR.03 I11.FR.02 I11.FR.03 more price elements than MaxElements: TooManyElements; conditions where not supported: ConditionNotSupported', async () => {
  await with21({ tariffs: { maxElements: 2, conditions: false } }, async (p) => {
    const three = { prices: [{ priceKwh: 0.1 }, { priceKwh: 0.2 }, { priceKwh: 0.3 }] };
    assert.equal(await setDefault(p, 0, tariff('T1', { energy: three })), { status: 'TooManyElements' });
    const conditioned = { prices: [{ priceKwh: 0.4, conditions: { dayOfWeek: ['Monday'] } }, { priceKwh: 0.3 }] };
    assert.equal(await setDefault(p, 0, tariff('T2', { energy: conditioned })), { status: 'ConditionNotSupported' });
    assert.is(await assignments(p), 'NoTariff');
    const transactionId = await states.energyTransferStarted(p);
    const change = (t: object) => p.call('ChangeTransactionTariff', { transactionId, tariff: t });
    assert.equal(await change(tariff('T3', { energy: three })), { status: 'TooManyElements' });
    assert.equal(await change(tariff('T4', { energy: conditioned })), { status: 'ConditionNotSupported' });
  });
});

test('I07.FR.19 I07.FR.20 I09.FR.07 a tariff with validFrom waits, is listed with it, and replaces the old one once valid', async () => {
  await with21({ manualClock: true }, async (p) => {
    await setDefault(p, 1, tariff('OLD'));
    const validFrom = new Date(p.clock!.now() + 60_000).toISOString();
    assert.equal(await setDefault(p, 1, tariff('NEW', { validFrom })), { status: 'Accepted' });
    assert.equal(await assignments(p), [
      { tariffId: 'OLD', tariffKind: 'DefaultTariff', evseIds: [1] },
      { tariffId: 'NEW', tariffKind: 'DefaultTariff', validFrom, evseIds: [1] },
    ]);
    await p.advance(61_000);
    assert.equal(await assignments(p), [{ tariffId: 'NEW', tariffKind: 'DefaultTariff', validFrom, evseIds: [1] }]);
  });
});

test('I09.FR.03 I10.FR.01 I10.FR.02 I10.FR.03 I10.FR.05 I10.FR.06 ClearTariffs by EVSE, by id and EVSE, then all; with nothing to clear: NoTariff', async () => {
  await with21({ evses: TWO }, async (p) => {
    assert.is(await assignments(p), 'NoTariff');
    assert.equal(await p.call('ClearTariffs', {}), { clearTariffsResult: [{ status: 'NoTariff' }] });
    await setDefault(p, 0, tariff('T1'));
    await setDefault(p, 2, tariff('T2'));
    assert.equal(await p.call('ClearTariffs', { evseId: 2 }), {
      clearTariffsResult: [{ tariffId: 'T2', status: 'Accepted' }],
    });
    assert.equal(await p.call('ClearTariffs', { tariffIds: ['T2'] }), { clearTariffsResult: [{ status: 'NoTariff' }] });
    // Both parameters must match: T1 is not on EVSE 2 (T2 replaced it there, then went), so nothing is cleared.
    assert.equal(await p.call('ClearTariffs', { tariffIds: ['T1'], evseId: 2 }), {
      clearTariffsResult: [{ status: 'NoTariff' }],
    });
    assert.equal(await assignments(p), [{ tariffId: 'T1', tariffKind: 'DefaultTariff', evseIds: [1] }]);
    assert.equal(await p.call('ClearTariffs', {}), { clearTariffsResult: [{ tariffId: 'T1', status: 'Accepted' }] });
    assert.is(await assignments(p), 'NoTariff');
  });
});

test('I07.FR.32 I11.FR.04 I11.FR.05 I11.FR.06 I11.FR.07 I11.FR.08 ChangeTransactionTariff: TxNotFound, NoCurrencyChange, then Accepted', async () => {
  await with21({}, async (p) => {
    await setDefault(p, 0, tariff('EUR-1'));
    const change = (transactionId: string, t: object) =>
      p.call('ChangeTransactionTariff', { transactionId, tariff: t });
    assert.equal(await change('no-such-tx', tariff('EUR-2')), { status: 'TxNotFound' });
    const transactionId = await states.energyTransferStarted(p);
    // I07.FR.32: the tariff the transaction started under goes once in the next event (here: the EV suspends).
    states.suspendByEv(p);
    const next = await p.waitTx((r) => r.eventType === 'Updated');
    assert.is(next.transactionInfo.tariffId, 'EUR-1');
    assert.equal(await change(transactionId, tariff('USD-1', { currency: 'USD' })), { status: 'NoCurrencyChange' });
    assert.equal(await change(transactionId, tariff('EUR-2')), { status: 'Accepted' });
    // I11.FR.07: an Updated event says so, with the new tariffId.
    const changed = await p.waitTx((r) => r.triggerReason === 'TariffChanged');
    assert.equal([changed.eventType, changed.transactionInfo.tariffId], ['Updated', 'EUR-2']);
    // Each once.
    const reported = p
      .tx()
      .filter((r) => r.transactionInfo.tariffId !== undefined)
      .map((r) => r.transactionInfo.tariffId);
    assert.equal(reported, ['EUR-1', 'EUR-2']);
    // The transaction's tariffs are taken: a default tariff may not reuse the id (I07.FR.04).
    assert.equal(await setDefault(p, 0, tariff('EUR-2')), { status: 'DuplicateTariffId' });
  });
});

test('I07.FR.01 with TariffCostCtrlr.Enabled[Tariff] false, SetDefaultTariff is CALLERROR NotSupported', async () => {
  await with21({}, async (p) => {
    const set = await p.call('SetVariables', {
      setVariableData: [
        {
          component: { name: 'TariffCostCtrlr' },
          variable: { name: 'Enabled', instance: 'Tariff' },
          attributeValue: 'false',
        },
      ],
    });
    assert.is(set.setVariableResult[0].attributeStatus, 'Accepted');
    const code = await setDefault(p, 0, tariff('T1')).then(
      () => 'answered',
      (e: { code?: string }) => e.code,
    );
    assert.is(code, 'NotSupported');
  });
});

test('I12.FR.01 I12.FR.04 I12.FR.05 I12.FR.09 the running cost the station calculates under the default tariff reaches the display, and the Ended event carries the breakdown', async () => {
  const screens: DisplayScreen[] = [];
  await with21(
    { station: { versions: ['ocpp2.1'], tariffs: {}, hardware: { showDisplay: (x) => void screens.push(x) } } },
    async (p) => {
      const t = tariff('T1', { fixedFee: { prices: [{ priceFixed: 1.5 }] }, energy: { prices: [{ priceKwh: 0.5 }] } });
      assert.equal(await setDefault(p, 0, t), { status: 'Accepted' });
      p.readings.set(1, [{ value: 1000 }]);
      await states.energyTransferStarted(p);
      const cost = () => screens.at(-1)?.drivers.find((d) => d.evseId === 1)?.runningCost;
      for (let i = 0; i < 300 && cost() !== 1.5; i++) await new Promise((r) => setTimeout(r, 10));
      assert.is(cost(), 1.5, 'the start fee');
      // 2 kWh later the EV suspends (an event that makes the display look again): 1.50 + 2 × 0.50.
      p.readings.set(1, [{ value: 3000 }]);
      states.suspendByEv(p);
      for (let i = 0; i < 300 && cost() !== 2.5; i++) await new Promise((r) => setTimeout(r, 10));
      assert.is(cost(), 2.5);
      assert.is(screens.at(-1)?.drivers[0]?.currency, 'EUR');
      p.station.stopTransaction(1);
      const ended = await p.waitTx((r) => r.eventType === 'Ended');
      assert.equal(ended.costDetails.totalCost, {
        currency: 'EUR',
        typeOfCost: 'NormalCost',
        fixed: { exclTax: 1.5, inclTax: 1.5 },
        energy: { exclTax: 1, inclTax: 1 },
        total: { exclTax: 2.5, inclTax: 2.5 },
      });
      assert.equal(ended.costDetails.totalUsage, {
        energy: 2000,
        chargingTime: ended.costDetails.totalUsage.chargingTime,
        idleTime: ended.costDetails.totalUsage.idleTime,
      });
      assert.equal(
        ended.costDetails.chargingPeriods.map((x: any) => x.tariffId),
        ['T1'],
      );
    },
  );
});

test('I12.FR.01 a 2.1 transaction that ends while the station is offline: the queued Ended event still carries the cost breakdown (the view keeps the version of the last connection)', async () => {
  await with21({}, async (p) => {
    const t = tariff('T1', { fixedFee: { prices: [{ priceFixed: 2 }] } });
    assert.equal(await setDefault(p, 0, t), { status: 'Accepted' });
    p.readings.set(1, [{ value: 0 }]);
    await states.energyTransferStarted(p);
    await p.csmsDown();
    for (let i = 0; i < 300 && p.station.connected; i++) await new Promise((r) => setTimeout(r, 10));
    assert.is(p.station.connected, false);
    p.station.stopTransaction(1);
    p.csmsUp();
    const ended = await p.waitTx((r) => r.eventType === 'Ended', 15_000);
    assert.is(ended.offline, true);
    assert.equal(ended.costDetails?.totalCost?.total, { exclTax: 2, inclTax: 2 });
  });
});

test("I08.FR.04 I08.FR.10 a driver tariff in the AuthorizeResponse is the one of the driver's transaction (its validFrom ignored)", async () => {
  const screens: DisplayScreen[] = [];
  await with21(
    { station: { versions: ['ocpp2.1'], tariffs: {}, hardware: { showDisplay: (x) => void screens.push(x) } } },
    async (p) => {
      await setDefault(p, 0, tariff('DEFAULT', { energy: { prices: [{ priceKwh: 0.5 }] } }));
      const driver = tariff('DRIVER', { energy: { prices: [{ priceKwh: 0.8 }] }, validFrom: '2099-01-01T00:00:00Z' });
      p.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Accepted' }, tariff: driver }));
      p.csms.respond('TransactionEvent', (req: any) => (req.idToken ? { idTokenInfo: { status: 'Accepted' } } : {}));
      p.readings.set(1, [{ value: 0 }]);
      await states.energyTransferStarted(p);
      p.readings.set(1, [{ value: 2000 }]);
      states.suspendByEv(p);
      const cost = () => screens.at(-1)?.drivers.find((d) => d.evseId === 1)?.runningCost;
      for (let i = 0; i < 300 && cost() !== 1.6; i++) await new Promise((r) => setTimeout(r, 10));
      assert.is(cost(), 1.6, '2 kWh at the driver tariff 0.80, not the default 0.50');
    },
  );
});

test('I12.FR.02 I12.FR.03 with Enabled[RunningCost], an Updated event (triggerReason RunningCost) every Interval[Cost] seconds carries the running costDetails without chargingPeriods', async () => {
  await with21({ manualClock: true }, async (p) => {
    const set = await p.call('SetVariables', {
      setVariableData: [
        {
          component: { name: 'TariffCostCtrlr' },
          variable: { name: 'Enabled', instance: 'RunningCost' },
          attributeValue: 'true',
        },
        {
          component: { name: 'TariffCostCtrlr' },
          variable: { name: 'Interval', instance: 'Cost' },
          attributeValue: '30',
        },
      ],
    });
    assert.equal(
      set.setVariableResult.map((r: any) => r.attributeStatus),
      ['Accepted', 'Accepted'],
    );
    await setDefault(p, 0, tariff('T1', { fixedFee: { prices: [{ priceFixed: 2 }] } }));
    await states.energyTransferStarted(p);
    await p.advance(31_000);
    const update = await p.waitTx((r) => r.triggerReason === 'RunningCost');
    assert.is(update.eventType, 'Updated');
    assert.is(update.costDetails.chargingPeriods, undefined);
    assert.equal(update.costDetails.totalCost.fixed, { exclTax: 2, inclTax: 2 });
    await p.advance(30_000);
    await p.waitTx((r) => r.triggerReason === 'RunningCost' && r !== update);
  });
});

test.run();
