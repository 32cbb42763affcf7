// California pricing on the 2.0.1 station (the OCA note "OCPP & California Pricing Requirements", 2.0.1 part, as
// libocpp reads it), over real sockets against the built-in CSMS with a real SQLite file: block I keeps CostUpdated's
// customData (vendorId org.openchargealliance.costmsg) as the basis of a running cost that grows between messages in
// exact decimals, sends MeterValues for its triggers, shows the idle fee, the QR code and the multi-language personal
// messages of the responses' customData, and honours CustomizationCtrlr and TariffCostCtrlr.Enabled — each as the
// integrator's `showDisplay` receives it.
// @timeout 90
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MeterReading } from '../../runtime/station/core/types.js';
import type { DriverScreen } from '../../runtime/station/I-tariff/driver-cost.js';
import type { DisplayScreen } from '../../runtime/station/O-display/messages.js';
import { states, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

const COSTMSG = 'org.openchargealliance.costmsg';
const MULTILANGUAGE = 'org.openchargealliance.multilanguage';

type P = TxPair & { screens: DisplayScreen[] };

async function withPricing(options: TxPairOptions, body: (p: P) => Promise<void>) {
  const screens: DisplayScreen[] = [];
  await withTxPair(
    { ...options, station: { ...options.station, hardware: { showDisplay: (s) => void screens.push(s) } } },
    async (p) => body(Object.assign(p, { screens })),
  );
}

/** The driver at EVSE 1 on the first screen from `since` on that satisfies `match` (polled, bounded). */
async function driverSees(p: P, match: (d: DriverScreen) => boolean, what: string, since = 0) {
  for (let i = 0; i < 500; i++) {
    for (const s of p.screens.slice(since)) {
      const d = s.drivers.find((x) => x.evseId === 1);
      if (d && match(d)) return d;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.unreachable(`the display never showed ${what}; last: ${JSON.stringify(p.screens.at(-1)?.drivers)}`);
  throw new Error('unreachable');
}

const energy = (wh: number): MeterReading[] => [{ measurand: 'Energy.Active.Import.Register', value: wh, unit: 'Wh' }];
const text = (content: string, language?: string) => ({ format: 'UTF8', content, ...(language ? { language } : {}) });

/** The note's running cost fields in CostUpdated's customData. */
const costData = (patch: object = {}) => ({
  vendorId: COSTMSG,
  timestamp: new Date().toISOString(),
  meterValue: 1_000_000,
  state: 'Charging',
  chargingPrice: { kWhPrice: 0.2 },
  ...patch,
});

async function charging(p: P, responses: { authorize?: object; updated?: object; ended?: object } = {}) {
  p.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Accepted' }, ...responses.authorize }));
  p.csms.respond('TransactionEvent', (req: any) => ({
    ...(req.idToken ? { idTokenInfo: { status: 'Accepted' } } : {}),
    ...(req.eventType === 'Updated' ? responses.updated : {}),
    ...(req.eventType === 'Ended' ? responses.ended : {}),
  }));
  p.readings.set(1, energy(1_000_000));
  return states.energyTransferStarted(p);
}

test('California pricing 2.0.1 — Running cost (CostUpdated customData): the cost grows exactly with the energy (0.1 + 0.2 = 0.3), with its text in every language and the QR code', async () => {
  await withPricing({}, async (p) => {
    const transactionId = await charging(p);
    const customData = costData({
      priceText: 'so far',
      priceTextExtra: [{ format: 'UTF8', language: 'nl', content: 'tot nu toe' }],
      qrCodeText: 'https://cpo.example/tx/1',
    });
    assert.equal(await p.call('CostUpdated', { totalCost: 0.1, transactionId, customData }), {});
    const first = await driverSees(p, (d) => d.cost === '0.100', 'the cost 0.100');
    assert.equal(
      [first.transactionId, first.costText?.content, first.qrCodeText, first.costState, first.texts?.[1]?.language],
      [transactionId, 'so far', 'https://cpo.example/tx/1', 'Charging', 'nl'],
    );
    // One more kWh at 0.2: exactly 0.3, not 0.30000000000000004.
    p.readings.set(1, energy(1_001_000));
    p.station.meterValues(1, energy(1_001_000));
    const grown = await driverSees(p, (d) => d.cost === '0.300', 'the cost 0.300');
    assert.is(grown.runningCost, 0.3);
    // The transaction ends (no total in the answer): the cost stops where it did.
    p.station.stopTransaction(1);
    await p.waitTx((r) => r.eventType === 'Ended');
    await driverSees(p, (d) => d.ended === true, 'the ended transaction');
    const since = p.screens.length;
    p.readings.set(1, energy(1_005_000));
    p.station.meterValues(1, energy(1_005_000));
    await p.call('GetVariables', {
      getVariableData: [{ component: { name: 'TariffCostCtrlr' }, variable: { name: 'Currency' } }],
    });
    assert.ok(
      p.screens.slice(since).every((s) => s.drivers.every((d) => d.cost === '0.300')),
      JSON.stringify(p.screens.slice(since).map((s) => s.drivers)),
    );
  });
});

test('California pricing 2.0.1 — Running cost, triggerMeterValue: atEnergykWh read from the meter (readMeter) makes the station send MeterValues, once; atTime at that moment', async () => {
  await withPricing({}, async (p) => {
    const transactionId = await charging(p);
    const customData = costData({ triggerMeterValue: { atEnergykWh: 0.5 } });
    assert.equal(await p.call('CostUpdated', { totalCost: 0.1, transactionId, customData }), {});
    await driverSees(p, (d) => d.cost === '0.100', 'the cost 0.100');
    const before = p.sent('MeterValues').length;
    // No push: the station reads the meter itself while the trigger waits.
    p.readings.set(1, energy(1_000_600));
    const mv = await p.waitFor('MeterValues', () => p.sent('MeterValues').length > before);
    const request = mv.request as { evseId: number; meterValue: { sampledValue: { context?: string }[] }[] };
    assert.equal([request.evseId, request.meterValue[0]!.sampledValue[0]!.context], [1, 'Trigger']);
    await driverSees(p, (d) => d.cost === '0.220', 'the cost 0.1 + 0.6 kWh × 0.2');
    // Spent: more energy sends nothing more on its account (a CostUpdated round trip shows the station went on).
    const count = p.sent('MeterValues').length;
    p.readings.set(1, energy(1_002_000));
    p.station.meterValues(1, energy(1_002_000));
    await driverSees(p, (d) => d.cost === '0.500', 'the cost after 2 kWh');
    assert.equal(await p.call('CostUpdated', { totalCost: 0.5, transactionId }), {});
    assert.is(p.sent('MeterValues').length, count);
    // atTime: MeterValues at that moment.
    const atTime = new Date(Date.now() + 300).toISOString();
    const timed = costData({ meterValue: 1_002_000, triggerMeterValue: { atTime } });
    assert.equal(await p.call('CostUpdated', { totalCost: 0.5, transactionId, customData: timed }), {});
    const at = await p.waitFor('MeterValues', () => p.sent('MeterValues').length > count);
    assert.ok(at.at >= Date.parse(atTime) - 50, `${new Date(at.at).toISOString()} before ${atTime}`);
  });
});

test('California pricing 2.0.1 — Idle fee (state Idle, idlePrice after graceMinutes): the cost grows with the idle time; the Ended event’s total is the final cost', async () => {
  await withPricing({}, async (p) => {
    const transactionId = await charging(p, { ended: { totalCost: 7.5 } });
    // 3600 per hour: 1 per second, no grace minutes, since a meter value of 3 seconds ago: about 0.1 + 3, at least
    // 0.1 + 2.5 with room for the station's clock, which follows the CSMS's (a count from the message's arrival instead
    // of its timestamp would show about 0.1).
    const customData = costData({
      timestamp: new Date(Date.now() - 3000).toISOString(),
      state: 'Idle',
      idlePrice: { graceMinutes: 0, hourPrice: 3600 },
    });
    assert.equal(await p.call('CostUpdated', { totalCost: 0.1, transactionId, customData }), {});
    const idle = await driverSees(p, (d) => d.costState === 'Idle' && d.cost !== undefined, 'the idle fee');
    assert.ok(Number(idle.cost) >= 2.6 && Number(idle.cost) < 60, idle.cost);
    p.station.stopTransaction(1);
    await p.waitTx((r) => r.eventType === 'Ended');
    const final = await driverSees(p, (d) => d.finalCost === 7.5, 'the final cost');
    assert.equal([final.cost, final.ended], ['7.500', true]);
  });
});

test('California pricing 2.0.1 — Multi-language personal message and QR code: personalMessageExtra of the idTokenInfo, updatedPersonalMessageExtra and qrCodeText of the TransactionEventResponse', async () => {
  await withPricing({}, async (p) => {
    await charging(p, {
      authorize: {
        idTokenInfo: {
          status: 'Accepted',
          language1: 'nl',
          personalMessage: text('$0.30/kWh', 'en'),
          customData: { vendorId: MULTILANGUAGE, personalMessageExtra: [text('€0,30/kWh', 'nl')] },
        },
      },
      updated: {
        updatedPersonalMessage: text('$0.25/kWh from now', 'en'),
        customData: {
          vendorId: COSTMSG,
          qrCodeText: 'https://cpo.example/tx/2',
          updatedPersonalMessageExtra: [text('€0,25/kWh vanaf nu', 'nl'), { format: 'UTF8', content: 'no language' }],
        },
      },
    });
    // The driver's language (language1) is shown; every language is given.
    const tariff = await driverSees(p, (d) => d.personalMessage?.content === '€0,30/kWh', 'the Dutch tariff');
    assert.equal(
      tariff.texts?.map((t) => t.language),
      ['en', 'nl'],
    );
    states.suspendByEv(p);
    const updated = await driverSees(p, (d) => d.qrCodeText === 'https://cpo.example/tx/2', 'the QR code');
    // A text without a language cannot be chosen by language: left out.
    assert.equal(
      updated.texts?.map((t) => t.content),
      ['$0.25/kWh from now', '€0,25/kWh vanaf nu'],
    );
  });
});

test('California pricing 2.0.1 — CustomizationCtrlr and TariffCostCtrlr: without CustomImplementationEnabled[costmsg] the customData is not read; Enabled[Cost] false shows no cost', async () => {
  await withPricing({}, async (p) => {
    const transactionId = await charging(p);
    const set = async (component: string, name: string, instance: string, value: string) =>
      (
        await p.call('SetVariables', {
          setVariableData: [{ component: { name: component }, variable: { name, instance }, attributeValue: value }],
        })
      ).setVariableResult[0].attributeStatus;
    const report = await p.call('GetVariables', {
      getVariableData: [
        {
          component: { name: 'CustomizationCtrlr' },
          variable: { name: 'CustomImplementationEnabled', instance: COSTMSG },
        },
      ],
    });
    assert.equal(
      [report.getVariableResult[0].attributeStatus, report.getVariableResult[0].attributeValue],
      ['Accepted', 'true'],
    );
    assert.is(await set('CustomizationCtrlr', 'CustomImplementationEnabled', COSTMSG, 'false'), 'Accepted');
    assert.equal(await p.call('CostUpdated', { totalCost: 4.2, transactionId, customData: costData() }), {});
    const plain = await driverSees(p, (d) => d.runningCost === 4.2, 'the total alone');
    assert.is(plain.cost, undefined);
    // No unit prices were taken: more energy leaves the total as it is.
    const since = p.screens.length;
    p.readings.set(1, energy(1_010_000));
    p.station.meterValues(1, energy(1_010_000));
    assert.equal(await p.call('CostUpdated', { totalCost: 4.3, transactionId }), {});
    const next = await driverSees(p, (d) => d.runningCost === 4.3, 'the next total', since);
    assert.is(next.cost, undefined);
    assert.ok(
      p.screens.slice(since).every((s) => s.drivers.every((d) => d.runningCost === 4.2 || d.runningCost === 4.3)),
      'no cost grew from the customData',
    );
    assert.is(await set('TariffCostCtrlr', 'Enabled', 'Cost', 'false'), 'Accepted');
    const before = p.screens.length;
    assert.equal(await p.call('CostUpdated', { totalCost: 9, transactionId }), {});
    // The display refreshes on the next event (a pushed reading): the running cost stays the last shown.
    p.station.meterValues(1, energy(1_010_000));
    await p.call('GetVariables', {
      getVariableData: [{ component: { name: 'TariffCostCtrlr' }, variable: { name: 'Currency' } }],
    });
    assert.ok(p.screens.slice(before).every((s) => s.drivers.every((d) => d.runningCost !== 9)));
  });
});

test('California pricing 2.0.1 — Offline: without a driver tariff the display shows OfflineTariffFallbackMessage while offline, TariffFallbackMessage online', async () => {
  await withPricing({}, async (p) => {
    const set = (name: string, value: string) =>
      p.call('SetVariables', {
        setVariableData: [{ component: { name: 'TariffCostCtrlr' }, variable: { name }, attributeValue: value }],
      });
    assert.is((await set('TariffFallbackMessage', '0.35 USD/kWh')).setVariableResult[0].attributeStatus, 'Accepted');
    assert.is(
      (await set('OfflineTariffFallbackMessage', 'Offline: 0.40 USD/kWh')).setVariableResult[0].attributeStatus,
      'Accepted',
    );
    await charging(p);
    await driverSees(p, (d) => d.tariffFallback === '0.35 USD/kWh', 'the online fallback');
    await p.csmsDown();
    p.station.meterValues(1, energy(1_000_000));
    await driverSees(p, (d) => d.tariffFallback === 'Offline: 0.40 USD/kWh', 'the offline fallback');
  });
});

test('California pricing 2.0.1 — NumberOfDecimalsForCostValues and QRCodeDisplayCapable: the CSO sets 2 decimals and the cost shows "0.30"; a display that cannot show QR codes is not handed qrCodeText', async () => {
  await withPricing({ station: { display: { qrCode: false } } }, async (p) => {
    const got = await p.call('GetVariables', {
      getVariableData: [
        { component: { name: 'DisplayMessageCtrlr' }, variable: { name: 'QRCodeDisplayCapable' } },
        { component: { name: 'TariffCostCtrlr' }, variable: { name: 'NumberOfDecimalsForCostValues' } },
      ],
    });
    assert.equal(
      got.getVariableResult.map((r: { attributeValue?: string }) => r.attributeValue),
      ['false', '3'],
    );
    const set = await p.call('SetVariables', {
      setVariableData: [
        {
          component: { name: 'TariffCostCtrlr' },
          variable: { name: 'NumberOfDecimalsForCostValues' },
          attributeValue: '2',
        },
      ],
    });
    assert.is(set.setVariableResult[0].attributeStatus, 'Accepted');
    const tooMany = await p.call('SetVariables', {
      setVariableData: [
        {
          component: { name: 'TariffCostCtrlr' },
          variable: { name: 'NumberOfDecimalsForCostValues' },
          attributeValue: '9',
        },
      ],
    });
    assert.is(tooMany.setVariableResult[0].attributeStatus, 'Rejected');
    const transactionId = await charging(p);
    const customData = costData({ qrCodeText: 'https://cpo.example/tx/2' });
    assert.equal(await p.call('CostUpdated', { totalCost: 0.1, transactionId, customData }), {});
    await driverSees(p, (d) => d.cost === '0.10', 'the cost 0.10');
    p.readings.set(1, energy(1_001_000));
    p.station.meterValues(1, energy(1_001_000));
    const grown = await driverSees(p, (d) => d.cost === '0.30', 'the cost 0.30');
    assert.is(grown.runningCost, 0.3);
    assert.ok(
      p.screens.every((s) => s.drivers.every((d) => d.qrCodeText === undefined)),
      'no QR code for a display without one',
    );
  });
});

test('California pricing 2.0.1 — Offline: a transaction started offline shows the station’s own cost at OfflineChargingPrice (exact), until the CSMS’s first CostUpdated', async () => {
  const variables = {
    'OCPPCommCtrlr.RetryBackOffWaitMinimum': 1,
    'OCPPCommCtrlr.RetryBackOffRandomRange': 0,
    'AuthCtrlr.OfflineTxForUnknownIdEnabled': true,
  };
  await withPricing({ variables }, async (p) => {
    const set = await p.call('SetVariables', {
      setVariableData: [
        {
          component: { name: 'TariffCostCtrlr' },
          variable: { name: 'OfflineChargingPrice', instance: 'kWhPrice' },
          attributeValue: '0.25',
        },
      ],
    });
    assert.is(set.setVariableResult[0].attributeStatus, 'Accepted');
    p.readings.set(1, energy(1_000_000));
    await p.csmsDown();
    p.station.cablePlugged(1, 1);
    p.station.idTokenPresented({ idToken: 'OFFLINE-1', type: 'ISO14443' }, 1);
    p.station.chargingStateChanged(1, 'Charging');
    const own = await driverSees(p, (d) => d.costByStation === true && d.cost === '0.000', 'the station’s own cost');
    // Two kWh at 0.25: exactly 0.5.
    p.readings.set(1, energy(1_002_000));
    p.station.meterValues(1, energy(1_002_000));
    await driverSees(p, (d) => d.costByStation === true && d.cost === '0.500', 'the own cost 0.500');
    // Online again, the CSMS's first CostUpdated takes over.
    p.csmsUp();
    await p.waitTx((r) => r.eventType === 'Started', 10_000);
    const customData = costData({ meterValue: 1_002_000, chargingPrice: { kWhPrice: 0.3 } });
    assert.equal(await p.call('CostUpdated', { totalCost: 0.45, transactionId: own.transactionId, customData }), {});
    const csms = await driverSees(p, (d) => d.cost === '0.450', 'the CSMS’s cost');
    assert.is(csms.costByStation, undefined);
  });
});

test('California pricing 2.0.1 — Restart: the running cost is kept in the store; after a restart the display shows it again, exact, with its prices going on', async () => {
  await withPricing({}, async (p) => {
    const transactionId = await charging(p);
    const customData = costData({ qrCodeText: 'https://cpo.example/tx/3' });
    assert.equal(await p.call('CostUpdated', { totalCost: 0.1, transactionId, customData }), {});
    p.readings.set(1, energy(1_001_000));
    p.station.meterValues(1, energy(1_001_000));
    await driverSees(p, (d) => d.cost === '0.300', 'the cost 0.300');
    const since = p.screens.length;
    await p.restart();
    const again = await driverSees(p, (d) => d.cost !== undefined, 'the kept cost after the restart', since);
    assert.equal([again.transactionId, again.qrCodeText], [transactionId, 'https://cpo.example/tx/3']);
    assert.ok(Number(again.cost) >= 0.3, again.cost);
  });
});

test.run();
