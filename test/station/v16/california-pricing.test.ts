// California pricing on the 1.6 station (the OCA note "OCPP & California Pricing Requirements", 1.6 part, as libocpp
// and MicroOcpp read it), over real sockets against the built-in CSMS in 1.6 with a real SQLite file: the keys,
// DefaultPrice, SetUserPrice, RunningCost with the cost growing between messages (exact: 0.1 + 0.2), its meter-value
// triggers, FinalCost, bad messages refused, and the TimeOffset transition — each screen as the integrator's
// `showDisplay` receives it.
// @timeout 90
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MeterReading } from '../../../runtime/station/core/types.js';
import type { DisplayScreen } from '../../../runtime/station/O-display/messages.js';
import type { PricingDriverScreen } from '../../../runtime/station/v16/pricing/pricing.js';
import { accepted, charge, settled, startPair16, type Pair16 } from '../../support/pair16.js';

const VENDOR = 'org.openchargealliance.costmsg';

interface Screens {
  all: DisplayScreen[];
  /** Resolves with the first screen (from now on, or already shown since `since`) that satisfies `match`. */
  until(match: (s: DisplayScreen) => boolean, timeoutMs?: number, since?: number): Promise<DisplayScreen>;
}

function recordScreens(): { screens: Screens; showDisplay: (s: DisplayScreen) => void } {
  const all: DisplayScreen[] = [];
  const waiters: { match: (s: DisplayScreen) => boolean; resolve: (s: DisplayScreen) => void }[] = [];
  return {
    showDisplay(screen) {
      all.push(screen);
      for (const w of [...waiters])
        if (w.match(screen)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(screen);
        }
    },
    screens: {
      all,
      until(match, timeoutMs = 5000, since = 0) {
        const found = all.slice(since).find(match);
        if (found) return Promise.resolve(found);
        return new Promise((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`no such screen within ${timeoutMs} ms: ${JSON.stringify(all.at(-1))}`)),
            timeoutMs,
          );
          waiters.push({ match, resolve: (s) => (clearTimeout(timer), resolve(s)) });
        });
      },
    },
  };
}

const energy = (wh: number): MeterReading[] => [{ measurand: 'Energy.Active.Import.Register', value: wh, unit: 'Wh' }];
const drivers = (s: DisplayScreen) => s.drivers as PricingDriverScreen[];
const at = (s: DisplayScreen, evseId: number) => drivers(s).find((d) => d.evseId === evseId);

async function pricingPair(
  variables: Record<string, string | number | boolean> = {},
  hardware: { readMeter?: (evseId: number) => MeterReading[] } = {},
) {
  const rec = recordScreens();
  const p = await startPair16({
    station: {
      variables: { CustomDisplayCostAndPrice: true, ...variables },
      hardware: { showDisplay: rec.showDisplay, ...hardware },
    },
  });
  p.station.meterValues(1, energy(1_000_000));
  await accepted(p);
  await p.status(1, 'Available');
  return { p, screens: rec.screens };
}

const send = (p: Pair16, messageId: string, data: object) =>
  p.call('DataTransfer', { vendorId: VENDOR, messageId, data: JSON.stringify(data) });

const runningCost = (transactionId: number, patch: object = {}) => ({
  transactionId,
  timestamp: new Date().toISOString(),
  meterValue: 1_000_000,
  cost: 0.1,
  state: 'Charging',
  chargingPrice: { kWhPrice: 0.2 },
  ...patch,
});

test('California pricing 1.6: the note’s keys; DefaultPrice shown, checked, offline text while offline', async () => {
  const { p, screens } = await pricingPair();
  try {
    const conf = await p.call('GetConfiguration', {
      key: [
        'CustomDisplayCostAndPrice',
        'DefaultPrice',
        'NumberOfDecimalsForCostValues',
        'CustomIdleFeeAfterStop',
        'Language',
        'SupportedLanguages',
        'TimeOffset',
        'NextTimeOffsetTransitionDateTime',
        'TimeOffsetNextTransition',
        'CustomMultiLanguageMessages',
      ],
    });
    assert.is(conf.unknownKey, undefined);
    assert.equal(
      conf.configurationKey.find((k: { key: string }) => k.key === 'CustomDisplayCostAndPrice'),
      {
        key: 'CustomDisplayCostAndPrice',
        readonly: true,
        value: 'true',
      },
    );
    assert.equal(
      await p.call('ChangeConfiguration', { key: 'DefaultPrice', value: '{"priceTextOffline":"no main text"}' }),
      { status: 'Rejected' },
    );
    assert.equal(await p.call('ChangeConfiguration', { key: 'TimeOffset', value: '5 hours' }), { status: 'Rejected' });
    assert.equal(await p.call('ChangeConfiguration', { key: 'CustomDisplayCostAndPrice', value: 'false' }), {
      status: 'Rejected',
    });
    const price = {
      priceText: '0.15 $/kWh, idle fee after charging: 1 $/hr',
      priceTextOffline: 'Offline: 0.15 $/kWh',
      chargingPrice: { kWhPrice: 0.15 },
    };
    assert.equal(await p.call('ChangeConfiguration', { key: 'DefaultPrice', value: JSON.stringify(price) }), {
      status: 'Accepted',
    });
    await screens.until((s) => at(s, 0)?.tariffFallback === price.priceText);
    p.csms.refuseConnections(true);
    await p.csms.disconnect(p.identity);
    await screens.until((s) => at(s, 0)?.tariffFallback === price.priceTextOffline);
  } finally {
    await p.close();
  }
});

test('California pricing 1.6: DefaultPriceText per language (CustomMultiLanguageMessages): shown in Language, other languages Rejected', async () => {
  const { p, screens } = await pricingPair({
    CustomMultiLanguageMessages: true,
    SupportedLanguages: 'en,nl',
    Language: 'nl',
  });
  try {
    assert.equal(
      await p.call('ChangeConfiguration', { key: 'DefaultPrice', value: JSON.stringify({ priceText: '0.15 $/kWh' }) }),
      { status: 'Accepted' },
    );
    await screens.until((s) => at(s, 0)?.tariffFallback === '0.15 $/kWh');
    const nl = { priceText: '€0,15/kWh', priceTextOffline: 'Offline: €0,15/kWh' };
    assert.equal(await p.call('ChangeConfiguration', { key: 'DefaultPriceText,nl', value: JSON.stringify(nl) }), {
      status: 'Accepted',
    });
    await screens.until((s) => at(s, 0)?.tariffFallback === '€0,15/kWh');
    assert.equal(await p.call('ChangeConfiguration', { key: 'DefaultPriceText,fr', value: JSON.stringify(nl) }), {
      status: 'Rejected',
    });
    assert.equal(
      await p.call('ChangeConfiguration', { key: 'DefaultPriceText,nl', value: '{"priceTextOffline":"x"}' }),
      { status: 'Rejected' },
    );
    const conf = await p.call('GetConfiguration', { key: ['DefaultPriceText'] });
    assert.equal(JSON.parse(conf.configurationKey[0].value), { priceTexts: [{ ...nl, language: 'nl' }] });
  } finally {
    await p.close();
  }
});

test('California pricing 1.6: SetUserPrice before the transaction, then on its connector; RunningCost grows exactly with the energy (0.1 + 0.2 = 0.3)', async () => {
  const { p, screens } = await pricingPair();
  try {
    assert.equal(
      await send(p, 'SetUserPrice', {
        idToken: 'TAG1',
        priceText: '$0.20/kWh',
        priceTextExtra: [{ format: 'UTF8', language: 'nl', content: '€0,20/kWh' }],
      }),
      { status: 'Accepted' },
    );
    await screens.until((s) => at(s, 0)?.personalMessage?.content === '$0.20/kWh');
    const txId = await charge(p, 'TAG1');
    await screens.until((s) => at(s, 1)?.personalMessage?.content === '$0.20/kWh' && at(s, 0) === undefined);
    assert.equal(await send(p, 'RunningCost', runningCost(txId, { priceText: 'so far' })), { status: 'Accepted' });
    const first = await screens.until((s) => at(s, 1)?.cost !== undefined);
    assert.is(at(first, 1)!.cost, '0.100');
    assert.is(at(first, 1)!.costText?.content, 'so far');
    // One more kWh at 0.2 on a cost of 0.1: exactly 0.3, not 0.30000000000000004.
    p.station.meterValues(1, energy(1_001_000));
    const grown = await screens.until((s) => at(s, 1)?.cost === '0.300');
    assert.is(at(grown, 1)!.runningCost, 0.3);
    assert.is(at(grown, 1)!.transactionId, String(txId));
  } finally {
    await p.close();
  }
});

test('California pricing 1.6: bad cost messages are Rejected and change nothing; other messageIds UnknownMessageId; disabled: UnknownVendorId', async () => {
  const { p, screens } = await pricingPair();
  try {
    const txId = await charge(p, 'TAG1');
    assert.equal(await send(p, 'RunningCost', runningCost(txId + 100)), { status: 'Rejected' }, 'unknown transaction');
    assert.equal(await send(p, 'RunningCost', runningCost(txId, { state: 'Parking' })), { status: 'Rejected' });
    assert.equal(await send(p, 'RunningCost', runningCost(txId, { chargingPrice: { kWhPrice: -1 } })), {
      status: 'Rejected',
    });
    assert.equal(await p.call('DataTransfer', { vendorId: VENDOR, messageId: 'RunningCost', data: '{' }), {
      status: 'Rejected',
    });
    assert.equal(await send(p, 'SetUserPrice', { priceText: 'no token' }), { status: 'Rejected' });
    assert.equal(await send(p, 'FinalCost', { transactionId: txId }), { status: 'Rejected' });
    assert.equal(await send(p, 'Tariff', {}), { status: 'UnknownMessageId' });
    await settled(p);
    assert.ok(
      screens.all.every((s) => drivers(s).every((d) => d.cost === undefined)),
      'no cost shown',
    );
  } finally {
    await p.close();
  }
  const off = await startPair16({ station: { variables: { CustomDisplayCostAndPrice: false } } });
  try {
    await accepted(off);
    assert.equal((await send(off, 'SetUserPrice', { idToken: 'A', priceText: 'x' })).status, 'UnknownVendorId');
  } finally {
    await off.close();
  }
});

test('California pricing 1.6: triggerMeterValue atEnergykWh and atCPStatus make the station send MeterValues', async () => {
  const { p } = await pricingPair();
  try {
    const txId = await charge(p, 'TAG1');
    const before = p.sent('MeterValues').length;
    assert.equal(
      await send(
        p,
        'RunningCost',
        runningCost(txId, { triggerMeterValue: { atEnergykWh: 0.5, atCPStatus: ['SuspendedEV'] } }),
      ),
      { status: 'Accepted' },
    );
    p.station.meterValues(1, energy(1_000_400));
    p.station.meterValues(1, energy(1_000_600));
    const mv = await p.waitFor('MeterValues', () => p.sent('MeterValues').length > before);
    assert.is((mv.request as { transactionId: number }).transactionId, txId);
    assert.is(
      (mv.request as { meterValue: { sampledValue: { context?: string }[] }[] }).meterValue[0]!.sampledValue[0]!
        .context,
      'Trigger',
    );
    // Once only: the energy trigger is spent; the next one comes from the status.
    const count = p.sent('MeterValues').length;
    p.station.chargingStateChanged(1, 'SuspendedEV');
    await p.status(1, 'SuspendedEV');
    await p.waitFor('MeterValues', () => p.sent('MeterValues').length > count);
  } finally {
    await p.close();
  }
});

test('California pricing 1.6: FinalCost after the transaction: the total, its text and QR code until the next transaction', async () => {
  const { p, screens } = await pricingPair();
  try {
    const txId = await charge(p, 'TAG1');
    p.station.idTokenPresented({ idToken: 'TAG1', type: 'ISO14443' });
    await p.waitFor('StopTransaction');
    assert.equal(
      await send(p, 'FinalCost', {
        transactionId: txId,
        cost: 3.31,
        priceText: 'TOTAL $3.31',
        qrCodeText: 'https://cpo.example/invoices/13546',
      }),
      { status: 'Accepted' },
    );
    const final = await screens.until((s) => at(s, 1)?.cost === '3.310');
    const d = at(final, 1)!;
    assert.equal(
      [d.finalCost, d.ended, d.costText?.content, d.qrCodeText],
      [3.31, true, 'TOTAL $3.31', 'https://cpo.example/invoices/13546'],
    );
  } finally {
    await p.close();
  }
});

test('California pricing 1.6: at NextTimeOffsetTransitionDateTime, TimeOffsetNextTransition becomes TimeOffset', async () => {
  const { p } = await pricingPair();
  try {
    assert.equal(await p.call('ChangeConfiguration', { key: 'TimeOffset', value: '-05:00' }), { status: 'Accepted' });
    assert.equal(await p.call('ChangeConfiguration', { key: 'TimeOffsetNextTransition', value: '-04:00' }), {
      status: 'Accepted',
    });
    const when = new Date(Date.now() + 1000).toISOString();
    assert.equal(await p.call('ChangeConfiguration', { key: 'NextTimeOffsetTransitionDateTime', value: when }), {
      status: 'Accepted',
    });
    const read = async () =>
      (
        await p.call('GetConfiguration', { key: ['TimeOffset', 'NextTimeOffsetTransitionDateTime'] })
      ).configurationKey.map((k: { value: string }) => k.value);
    assert.equal(await read(), ['-05:00', when]);
    let values: string[] = [];
    for (let i = 0; i < 40; i++) {
      values = await read();
      if (values[0] === '-04:00') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(values, ['-04:00', '']);
  } finally {
    await p.close();
  }
});

test('California pricing 1.6 — Idle fee after stop (CustomIdleFeeAfterStop): the cost runs on as idle time after StopTransaction until the cable is unplugged, then ConnectorUnplugged, then FinalCost', async () => {
  const { p, screens } = await pricingPair({ CustomIdleFeeAfterStop: true });
  try {
    const txId = await charge(p, 'TAG1');
    // Idle time at 3600 per hour (1 per second), no grace: the idle fee shows within a second.
    const price = { chargingPrice: { kWhPrice: 0.2 }, idlePrice: { graceMinutes: 0, hourPrice: 3600 } };
    assert.equal(await send(p, 'RunningCost', runningCost(txId, price)), { status: 'Accepted' });
    await screens.until((s) => at(s, 1)?.cost === '0.100');
    p.station.idTokenPresented({ idToken: 'TAG1', type: 'ISO14443' });
    await p.waitFor('StopTransaction');
    await p.status(1, 'Finishing');
    // Stopped with the cable in: the time after the stop is idle time, and the cost keeps growing. Each pushed reading
    // shows the screen again (bounded: a round trip to the station between two).
    const growing = (s: DisplayScreen) =>
      at(s, 1)?.ended === true && at(s, 1)?.costState === 'Idle' && Number(at(s, 1)!.cost) > 0.1;
    for (let i = 0; i < 50 && !screens.all.some(growing); i++) {
      p.station.meterValues(1, energy(1_000_000));
      await settled(p);
    }
    const idle = await screens.until(growing);
    assert.is(at(idle, 1)!.transactionId, String(txId));
    // The Central System may still send RunningCost for the stopped transaction (its idle fee).
    assert.equal(
      await send(p, 'RunningCost', runningCost(txId, { ...price, cost: 5, state: 'Idle', meterValue: 1_000_000 })),
      { status: 'Accepted' },
    );
    await screens.until((s) => Number(at(s, 1)?.cost) >= 5);
    p.station.cableUnplugged(1);
    const dt = await p.waitFor(
      'DataTransfer',
      (m) => (m.request as { messageId?: string }).messageId === 'ConnectorUnplugged',
    );
    const request = dt.request as { vendorId: string; data: string };
    assert.is(request.vendorId, VENDOR);
    const data = JSON.parse(request.data) as { transactionId: number; timestamp: string };
    assert.is(data.transactionId, txId);
    assert.ok(Math.abs(Date.parse(data.timestamp) - Date.now()) < 5000, data.timestamp);
    // From the unplug on the cost stands still: a later screen (another driver's price) shows the same amount.
    await settled(p);
    const frozen = at(screens.all.at(-1)!, 1)!.cost;
    const before = screens.all.length;
    assert.equal(await send(p, 'SetUserPrice', { idToken: 'TAG2', priceText: '$0.25/kWh' }), { status: 'Accepted' });
    const later = await screens.until((s) => at(s, 0)?.personalMessage?.content === '$0.25/kWh', 5000, before);
    assert.is(at(later, 1)!.cost, frozen);
    assert.equal(await send(p, 'FinalCost', { transactionId: txId, cost: 6.5, priceText: 'TOTAL $6.50' }), {
      status: 'Accepted',
    });
    await screens.until((s) => at(s, 1)?.cost === '6.500' && at(s, 1)?.finalCost === 6.5);
  } finally {
    await p.close();
  }
});

test('California pricing 1.6 — Idle fee after stop: a transaction that ends with the cable out sends ConnectorUnplugged at once; without CustomIdleFeeAfterStop none is sent', async () => {
  const { p } = await pricingPair({ CustomIdleFeeAfterStop: true });
  try {
    const txId = await charge(p, 'TAG1');
    p.station.cableUnplugged(1);
    await p.waitFor('StopTransaction');
    const dt = await p.waitFor(
      'DataTransfer',
      (m) => (m.request as { messageId?: string }).messageId === 'ConnectorUnplugged',
    );
    assert.is((JSON.parse((dt.request as { data: string }).data) as { transactionId: number }).transactionId, txId);
  } finally {
    await p.close();
  }
  const off = await pricingPair();
  try {
    await charge(off.p, 'TAG1');
    off.p.station.idTokenPresented({ idToken: 'TAG1', type: 'ISO14443' });
    await off.p.waitFor('StopTransaction');
    off.p.station.cableUnplugged(1);
    await off.p.status(1, 'Available');
    await settled(off.p);
    assert.is(off.p.sent('DataTransfer').length, 0);
  } finally {
    await off.p.close();
  }
});

test('California pricing 1.6 — Offline behaviour: while offline the station shows its own cost at DefaultPrice’s chargingPrice (exact), and the CSMS’s again once online', async () => {
  const { p, screens } = await pricingPair();
  try {
    const price = { priceText: '0.25 $/kWh + 1 $', priceTextOffline: 'Offline: 0.25 $/kWh + 1 $' };
    const defaultPrice = { ...price, chargingPrice: { kWhPrice: 0.25, flatFee: 1 } };
    assert.equal(await p.call('ChangeConfiguration', { key: 'DefaultPrice', value: JSON.stringify(defaultPrice) }), {
      status: 'Accepted',
    });
    await charge(p, 'TAG1');
    await settled(p);
    assert.ok(
      screens.all.every((s) => at(s, 1)?.cost === undefined),
      'online, the CSMS gives the cost',
    );
    p.csms.refuseConnections(true);
    await p.csms.disconnect(p.identity);
    // The flat fee at the start, then 0.25 per kWh used since: 1 + 2 kWh × 0.25 = 1.5 exactly.
    const own = await screens.until((s) => at(s, 1)?.costByStation === true);
    assert.equal([at(own, 1)!.cost, at(own, 1)!.tariffFallback], ['1.000', price.priceTextOffline]);
    p.station.meterValues(1, energy(1_002_000));
    await screens.until((s) => at(s, 1)?.cost === '1.500' && at(s, 1)?.costByStation === true);
    p.csms.refuseConnections(false);
    await accepted(p);
    await screens.until((s) => at(s, 1)?.cost === undefined && at(s, 1)?.tariffFallback === price.priceText);
  } finally {
    await p.close();
  }
});

test('California pricing 1.6 — Offline behaviour: a transaction started offline shows the station’s own cost from its start, online too, until the first RunningCost', async () => {
  const { p, screens } = await pricingPair({ AllowOfflineTxForUnknownId: true });
  try {
    const defaultPrice = { priceText: '0.25 $/kWh + 1 $', chargingPrice: { kWhPrice: 0.25, flatFee: 1 } };
    assert.equal(await p.call('ChangeConfiguration', { key: 'DefaultPrice', value: JSON.stringify(defaultPrice) }), {
      status: 'Accepted',
    });
    p.csms.refuseConnections(true);
    await p.csms.disconnect(p.identity);
    for (let i = 0; i < 200 && p.station.connected; i++) await new Promise((r) => setTimeout(r, 10));
    assert.is(p.station.connected, false);
    p.station.cablePlugged(1);
    p.station.idTokenPresented({ idToken: 'OFFLINE1', type: 'ISO14443' });
    await screens.until((s) => at(s, 1)?.costByStation === true && at(s, 1)?.cost === '1.000');
    p.station.meterValues(1, energy(1_004_000));
    await screens.until((s) => at(s, 1)?.cost === '2.000' && at(s, 1)?.costByStation === true);
    p.csms.refuseConnections(false);
    const start = await p.waitFor('StartTransaction', () => true, 10_000);
    const txId = (start.response as { transactionId: number }).transactionId;
    await settled(p);
    // Online again, the transaction still shows the station's cost: the Central System has sent none yet.
    const since = screens.all.length;
    p.station.meterValues(1, energy(1_004_000));
    await settled(p);
    assert.ok(screens.all.slice(since).every((s) => at(s, 1)?.costByStation === true));
    assert.is(at(screens.all.at(-1)!, 1)?.cost, '2.000');
    assert.equal(await send(p, 'RunningCost', runningCost(txId, { cost: 1.5, meterValue: 1_004_000 })), {
      status: 'Accepted',
    });
    const csms = await screens.until((s) => at(s, 1)?.cost === '1.500');
    assert.is(at(csms, 1)?.costByStation, undefined);
  } finally {
    await p.close();
  }
});

test('California pricing 1.6 — Display after a reboot: what is shown is kept in the store and shown again at start; the FinalCost still finds its transaction', async () => {
  const { p, screens } = await pricingPair();
  try {
    assert.equal(await send(p, 'SetUserPrice', { idToken: 'TAG2', priceText: '$0.30/kWh' }), { status: 'Accepted' });
    const txId = await charge(p, 'TAG1');
    assert.equal(await send(p, 'RunningCost', runningCost(txId, { priceText: 'so far', qrCodeText: 'https://q/1' })), {
      status: 'Accepted',
    });
    await screens.until((s) => at(s, 1)?.cost === '0.100' && at(s, 0)?.personalMessage?.content === '$0.30/kWh');
    const since = screens.all.length;
    await p.restart();
    // The first screen after the start, before any message of the Central System.
    const first = await screens.until(() => true, 5000, since);
    assert.equal(
      [at(first, 1)?.cost, at(first, 1)?.costText?.content, at(first, 1)?.qrCodeText, at(first, 1)?.transactionId],
      ['0.100', 'so far', 'https://q/1', String(txId)],
    );
    assert.is(at(first, 0)?.personalMessage?.content, '$0.30/kWh');
    await accepted(p);
    assert.equal(await send(p, 'FinalCost', { transactionId: txId, cost: 2.2 }), { status: 'Accepted' });
    await screens.until((s) => at(s, 1)?.cost === '2.200' && at(s, 1)?.ended === true, 5000, since);
  } finally {
    await p.close();
  }
});

test('California pricing 1.6 — Running cost, triggerMeterValue with hardware.readMeter: the station reads the meter itself for atEnergykWh and the cost shown', async () => {
  let wh = 2_000_000;
  const { p, screens } = await pricingPair({}, { readMeter: () => energy(wh) });
  try {
    const txId = await charge(p, 'TAG1');
    assert.equal(
      await send(
        p,
        'RunningCost',
        runningCost(txId, { meterValue: 2_000_000, triggerMeterValue: { atEnergykWh: 0.5 } }),
      ),
      { status: 'Accepted' },
    );
    await screens.until((s) => at(s, 1)?.cost === '0.100');
    const before = p.sent('MeterValues').length;
    wh = 2_000_600;
    // No meterValues push: the station reads 0.6 kWh used, past the trigger, and 0.1 + 0.6 × 0.2 = 0.22.
    const mv = await p.waitFor('MeterValues', () => p.sent('MeterValues').length > before);
    const sampled = (mv.request as { meterValue: { sampledValue: { context?: string; value: string }[] }[] })
      .meterValue[0]!.sampledValue[0]!;
    assert.equal([sampled.context, sampled.value], ['Trigger', '2000600']);
    await screens.until((s) => at(s, 1)?.cost === '0.220');
  } finally {
    await p.close();
  }
});

test.run();
