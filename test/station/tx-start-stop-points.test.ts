// E01 / E06 as flows: every supported TxStartPoint × TxStopPoint through one complete session (EV parks, plugs in,
// driver authorizes, the meter signs, energy flows, the driver stops, unplugs, leaves). Checks where the
// transaction starts and ends, with which triggerReason and stoppedReason, and what every event in between carries
// (seqNo from the real queue, idToken once, evse once with the connector, chargingState on change).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kinds, txDriver, type TxDriver } from '../support/tx-driver.js';

const START = [
  'ParkingBayOccupancy',
  'EVConnected',
  'Authorized',
  'DataSigned',
  'PowerPathClosed',
  'EnergyTransfer',
] as const;
const STOP = ['ParkingBayOccupancy', 'EVConnected', 'Authorized', 'PowerPathClosed', 'EnergyTransfer'] as const;

const signed = {
  signedMeterData: 'c2lnbmVk',
  signingMethod: 'ECDSA-secp256r1-SHA256',
  encodingMethod: 'OCMF',
  publicKey: '',
};

/** The session, step by step; returns the step names in order with the events each produced. */
async function session(d: TxDriver): Promise<Array<[string, any[]]>> {
  const steps: Array<[string, () => void]> = [
    ['park', () => d.fire({ type: 'parkingBay', evseId: 1, occupied: true })],
    ['plug', () => d.plug()],
    ['authorize', () => d.token('A')],
    ['signed', () => d.meter(1, [{ value: 1000, signedMeterValue: signed }])],
    ['charge', () => d.flow('Charging')],
    ['stop', () => d.token('A')],
    ['unplug', () => d.unplug()],
    ['leave', () => d.fire({ type: 'parkingBay', evseId: 1, occupied: false })],
  ];
  const out: Array<[string, any[]]> = [];
  for (const [name, act] of steps) {
    const before = d.events().length;
    act();
    await d.deliver();
    out.push([name, d.events().slice(before)]);
  }
  return out;
}

const startAt: Record<(typeof START)[number], [string, string]> = {
  ParkingBayOccupancy: ['park', 'EVDetected'], // E01.FR.01
  EVConnected: ['plug', 'CablePluggedIn'], // E01.FR.02, E02.FR.06
  Authorized: ['authorize', 'Authorized'], // E01.FR.03
  DataSigned: ['signed', 'SignedDataReceived'], // E01.FR.04
  PowerPathClosed: ['authorize', 'Authorized'], // E01.FR.05 (authorized and connected)
  EnergyTransfer: ['charge', 'ChargingStateChanged'], // E01.FR.06
};
const endAt: Record<(typeof STOP)[number], [string, string]> = {
  ParkingBayOccupancy: ['leave', 'EVDeparted'], // E06.FR.01
  EVConnected: ['unplug', 'EVCommunicationLost'], // E06.FR.02
  Authorized: ['stop', 'StopAuthorized'], // E06.FR.03
  PowerPathClosed: ['stop', 'StopAuthorized'], // E06.FR.06
  EnergyTransfer: ['stop', 'StopAuthorized'], // E06.FR.07: ending the authorization stops the energy transfer
};

for (const startPoint of START) {
  for (const stopPoint of STOP) {
    test(`E01.FR.01-06 E06.FR.01-07 E01.FR.15 E01.FR.16 E03.FR.01 TxStartPoint ${startPoint} × TxStopPoint ${stopPoint}: started and ended where configured, with the right triggers`, async () => {
      const d = txDriver({
        variables: {
          'TxCtrlr.TxStartPoint': startPoint,
          'TxCtrlr.TxStopPoint': stopPoint,
          'SampledDataCtrlr.SignReadings': true,
        },
      });
      d.readings.set(1, [{ value: 1000 }]);
      await d.goOnline();
      const steps = await session(d);
      const all = steps.flatMap(([, e]) => e);
      const started = steps.find(([, e]) => e.some((x) => x.eventType === 'Started'))!;
      const ended = steps.find(([, e]) => e.some((x) => x.eventType === 'Ended'))!;
      assert.is(started[0], startAt[startPoint][0], 'the step that starts it');
      assert.is(all.find((e) => e.eventType === 'Started').triggerReason, startAt[startPoint][1]);
      assert.is(ended[0], endAt[stopPoint][0], 'the step that ends it');
      const end = all.find((e) => e.eventType === 'Ended');
      assert.is(end.triggerReason, endAt[stopPoint][1]);
      // Stopped by the driver's idToken: Local (E06.FR.09 allows omitting it; the Part 6 test cases check Local).
      assert.is(end.transactionInfo.stoppedReason, 'Local');
      // One transaction: Started first, Ended last, Updated between; E01.FR.07 seqNo 0, 1, 2, … from the queue.
      const ofTx = all.filter((e) => e.transactionInfo.transactionId === all[0].transactionInfo.transactionId);
      assert.equal(ofTx, all, 'a single transaction');
      assert.is(all[0].eventType, 'Started');
      assert.is(all.at(-1).eventType, 'Ended');
      assert.ok(
        all.slice(1, -1).every((e) => e.eventType === 'Updated'),
        kinds(all).join(' '),
      );
      assert.equal(
        all.map((e) => e.seqNo),
        all.map((_, i) => i),
      );
      // E03.FR.01, E01.FR.10: the idToken once after authorization; E07.FR.02: the stopping one in the stop event.
      const withToken = all.filter((e) => e.idToken);
      assert.ok(withToken.length >= 1 && withToken.length <= 2, `idToken in ${withToken.length} events`);
      assert.is(all.filter((e) => e.idToken && e.triggerReason !== 'StopAuthorized').length, 1);
      // E01.FR.16: evse with connectorId once the EV is connected, never repeated.
      assert.is(all.filter((e) => e.evse?.connectorId !== undefined).length, 1);
      // E01.FR.18, E02.FR.13: every event that changes the chargingState reports it; Started and Ended always.
      assert.ok(all[0].transactionInfo.chargingState && end.transactionInfo.chargingState);
      assert.ok(
        all.every((e) => e.offline === undefined),
        'online all along',
      );
    });
  }
}

test('E02.FR.05 E02.FR.06 E06.FR.02 the 1.6-compatible defaults (PowerPathClosed / EVConnected,Authorized): started at authorization, ended at the stop token', async () => {
  const d = txDriver();
  await d.goOnline();
  d.plug();
  await d.deliver();
  assert.equal(d.events(), [], 'no transaction before authorization');
  d.token('A');
  d.flow('Charging');
  d.token('A');
  await d.deliver();
  assert.equal(kinds(d.events()), ['Started:Authorized', 'Updated:ChargingStateChanged', 'Ended:StopAuthorized']);
  assert.equal(
    d.events().map((e) => e.transactionInfo.chargingState),
    ['EVConnected', 'Charging', 'EVConnected'],
  );
});

test('E01.FR.14 at most one transaction per EVSE: a second idToken during a transaction starts nothing', async () => {
  const d = txDriver({ variables: { 'TxCtrlr.TxStartPoint': 'EVConnected' } });
  await d.goOnline();
  d.plug();
  d.token('A');
  d.token('B'); // another driver: not the owner, no shared group
  d.plug(1, 1);
  await d.deliver();
  assert.equal(kinds(d.events()), ['Started:CablePluggedIn', 'Updated:Authorized']);
});

test('E01.FR.14 a cable in a second connector of the same EVSE takes no part while the first is in use', async () => {
  const d = txDriver({
    evses: [{ id: 1, connectors: [{ id: 1 }, { id: 2 }] }],
    variables: { 'TxCtrlr.TxStartPoint': 'EVConnected' },
  });
  await d.goOnline();
  d.plug(1, 1);
  d.plug(1, 2);
  d.token('A');
  d.unplug(1, 2);
  await d.deliver();
  assert.equal(kinds(d.events()), ['Started:CablePluggedIn', 'Updated:Authorized']);
  assert.equal(d.events()[0].evse, { id: 1, connectorId: 1 });
  assert.equal(
    d.hardware.filter((h) => h.op === 'startCharging'),
    [{ op: 'startCharging', args: [1, 1] }],
  );
});

test('E02.FR.20 a refused idToken changes nothing of the running transaction', async () => {
  const d = txDriver({ variables: { 'TxCtrlr.TxStartPoint': 'EVConnected' }, deny: ['BAD'] });
  await d.goOnline();
  d.plug();
  d.token('BAD');
  await d.deliver();
  assert.equal(kinds(d.events()), ['Started:CablePluggedIn']);
  assert.equal(
    d.hardware.filter((h) => h.op === 'startCharging'),
    [],
    'no energy',
  );
});

test('E01.FR.17 E02.FR.21 E03.FR.11 an idToken at a shared reader before any EV: the transaction starts without evse, the Transaction.Begin values come when the EV connects', async () => {
  const d = txDriver({
    evses: [
      { id: 1, connectors: [{ id: 1 }] },
      { id: 2, connectors: [{ id: 1 }] },
    ],
    variables: { 'TxCtrlr.TxStartPoint': 'Authorized' },
  });
  d.readings.set(2, [{ value: 42 }]);
  await d.goOnline();
  d.token('A');
  await d.deliver();
  const [started] = d.events();
  assert.is(started.eventType, 'Started');
  assert.is(started.evse, undefined, 'EVSE not known');
  assert.is(started.meterValue, undefined);
  d.plug(2, 1);
  await d.deliver();
  const plugged = d.events()[1];
  assert.equal(plugged.evse, { id: 2, connectorId: 1 });
  assert.is(plugged.triggerReason, 'CablePluggedIn');
  assert.is(plugged.meterValue[0].sampledValue[0].context, 'Transaction.Begin');
  assert.ok(
    d.hardware.some((h) => h.op === 'startCharging' && h.args[0] === 2),
    'energy on the EVSE it went to',
  );
});

test('E04.FR.01-03 E11.FR.07 E12.FR.01 E12.FR.02 offline: every event is queued, sent after reconnecting in order with offline = true and contiguous seqNo', async () => {
  const d = txDriver();
  await d.goOnline();
  d.plug();
  d.token('A');
  d.flow('Charging');
  // The Started is on the wire when the connection drops: E11.FR.07 marks it offline too.
  await d.goOffline();
  d.flow('SuspendedEV');
  d.token('A');
  d.unplug();
  await d.settle();
  await d.goOnline();
  await d.deliver();
  const events = d.events();
  const final = new Map(events.map((e) => [e.seqNo, e]));
  assert.equal([...final.keys()].sort(), [0, 1, 2, 3]);
  assert.equal(kinds([...final.values()]), [
    'Started:Authorized',
    'Updated:ChargingStateChanged',
    'Updated:ChargingStateChanged',
    'Ended:StopAuthorized',
  ]);
  assert.ok(
    [...final.values()].slice(1).every((e) => e.offline === true),
    'created or still queued while offline',
  );
});

test.run();
