// E01–E12 requirements shared by several use cases, as flows through the real Shell, dispatcher and durable queue
// (tx-driver.ts): chargingState reporting, seqNo per transaction, the cable unlocked at a normal end, the reason an
// Ended event gives, signed readings in every kind of event, the TxEndedMeasurands of the Ended event (also when it
// is created offline) and what is given up when there is too much: intermediate samples of the Ended event
// (MAX_ENDED_SAMPLES) and intermediate meter-value-only updates of the offline queue (its bound).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_ENDED_SAMPLES } from '../../runtime/station/E-transactions/messages.js';
import { kinds, txDriver, type TxDriver, type TxDriverOptions } from '../support/tx-driver.js';

const signed = {
  signedMeterData: 'c2lnbmVk',
  signingMethod: 'ECDSA-secp256r1-SHA256',
  encodingMethod: 'OCMF',
  publicKey: 'a2V5',
};
/** The CSMS refuses idToken A in TransactionEventResponse (E05). */
const refuseA = (p: any) =>
  p.idToken ? { idTokenInfo: { status: p.idToken.idToken === 'A' ? 'Invalid' : 'Accepted' } } : {};

function station(options: TxDriverOptions = {}): TxDriver {
  const d = txDriver(options);
  d.readings.set(1, [{ value: 1000 }]);
  return d;
}

/** The events per transaction, in the order sent, without retransmissions (the last transmission of each seqNo). */
function byTransaction(events: any[]): Map<string, any[]> {
  const out = new Map<string, Map<number, any>>();
  for (const e of events) {
    const id = e.transactionInfo.transactionId;
    if (!out.has(id)) out.set(id, new Map());
    out.get(id)!.set(e.seqNo, e);
  }
  return new Map([...out].map(([id, m]) => [id, [...m.values()]]));
}

test('E01.FR.18 E01.FR.19 E02.FR.13 every change of chargingState is reported (the EV suspends: SuspendedEV; resumes: Charging); an event without a change leaves it out', async () => {
  const d = station({ variables: { 'SampledDataCtrlr.TxUpdatedInterval': 10 } });
  await d.goOnline();
  d.plug();
  d.token('A');
  d.flow('Charging');
  d.flow('SuspendedEV');
  await d.deliver();
  await d.clock.advance(10_000); // a periodic sample: the chargingState did not change
  await d.deliver();
  d.flow('Charging');
  await d.deliver();
  const events = d.events();
  assert.equal(kinds(events), [
    'Started:Authorized',
    'Updated:ChargingStateChanged',
    'Updated:ChargingStateChanged',
    'Updated:MeterValuePeriodic',
    'Updated:ChargingStateChanged',
  ]);
  assert.equal(
    events.map((e) => e.transactionInfo.chargingState),
    ['EVConnected', 'Charging', 'SuspendedEV', undefined, 'Charging'],
  );
});

test('E05.FR.04 E06.FR.14 E07.FR.11 seqNo per transaction from 0, one more for every event, up to the Ended event: a transaction stopped by the driver, then one the CSMS deauthorizes', async () => {
  const d = station({ variables: { 'TxCtrlr.TxStopPoint': 'Authorized', 'SampledDataCtrlr.TxUpdatedInterval': 10 } });
  await d.goOnline();
  d.plug();
  d.token('B');
  d.flow('Charging');
  await d.clock.advance(10_000);
  d.token('B'); // E07: the driver stops it
  await d.deliver();
  d.unplug();
  d.plug();
  d.token('A'); // E05: refused by the CSMS in the TransactionEventResponse
  await d.deliver(refuseA);
  const txs = [...byTransaction(d.events()).values()];
  assert.is(txs.length, 2);
  assert.equal(kinds(txs[0]!), [
    'Started:Authorized',
    'Updated:ChargingStateChanged',
    'Updated:MeterValuePeriodic',
    'Ended:StopAuthorized',
  ]);
  assert.equal(kinds(txs[1]!), ['Started:Authorized', 'Ended:Deauthorized']);
  for (const tx of txs)
    assert.equal(
      tx.map((e) => e.seqNo),
      tx.map((_, i) => i),
    );
});

test('E06.FR.10 E07.FR.07 E08.FR.03 a normal end unlocks the cable after the energy stopped: a local stop online, and one while offline', async () => {
  for (const offline of [false, true]) {
    const d = station();
    await d.goOnline();
    d.plug();
    d.token('A');
    d.flow('Charging');
    await d.deliver();
    if (offline) await d.goOffline(); // E08: stopped while offline
    d.token('A');
    await d.settle();
    assert.equal(
      d.hardware,
      [
        { op: 'startCharging', args: [1, 1] },
        { op: 'stopCharging', args: [1] },
        { op: 'unlockConnector', args: [1, 1] },
      ],
      offline ? 'offline' : 'online',
    );
    if (offline) await d.goOnline();
    await d.deliver();
    const ended = d.events().at(-1);
    assert.equal(
      [ended.eventType, ended.transactionInfo.stoppedReason, ended.offline],
      ['Ended', 'Local', offline ? true : undefined],
    );
  }
});

test('E07.FR.05 E07.FR.06 the stoppedReason of the Ended event: Local when the driver stops it, otherwise the cause (Remote, DeAuthorized, EVDisconnected, Timeout, the fault)', async () => {
  const cases: Array<[string, (d: TxDriver) => void, string, ((p: any) => unknown)?]> = [
    ['driver presents the idToken', (d) => d.token('A'), 'Local'],
    ['RequestStopTransaction', (d) => d.fire({ type: 'transactions.stop', evseId: 1, reason: 'Remote' }), 'Remote'],
    ['the CSMS refuses the idToken', () => {}, 'DeAuthorized', refuseA],
    ['the EV is unplugged', (d) => d.unplug(), 'EVDisconnected'],
    [
      'an emergency stop',
      (d) => d.fire({ type: 'transactions.stop', evseId: 1, reason: 'EmergencyStop' }),
      'EmergencyStop',
    ],
  ];
  for (const [what, act, reason, respond] of cases) {
    const d = station({ variables: { 'TxCtrlr.TxStopPoint': 'EVConnected,Authorized' } });
    await d.goOnline();
    d.plug();
    d.token('A');
    d.flow('Charging');
    act(d);
    await d.deliver(respond);
    const ended = d.events().at(-1);
    assert.equal([ended.eventType, ended.transactionInfo.stoppedReason], ['Ended', reason], what);
  }
  // EVConnectionTimeOut: authorized, the EV never plugged in (TxStartPoint Authorized).
  const d = station({ variables: { 'TxCtrlr.TxStartPoint': 'Authorized', 'TxCtrlr.EVConnectionTimeOut': 5 } });
  await d.goOnline();
  d.token('A');
  await d.clock.advance(5_000);
  await d.deliver();
  assert.equal([d.events().at(-1).eventType, d.events().at(-1).transactionInfo.stoppedReason], ['Ended', 'Timeout']);
});

test('E08.FR.09 E12.FR.07 an Ended event created offline carries the TxEndedMeasurands (Transaction.Begin … Transaction.End): stopped offline, and a transaction wholly offline', async () => {
  for (const wholly of [false, true]) {
    const d = station({
      variables: {
        'SampledDataCtrlr.TxEndedMeasurands': 'Energy.Active.Import.Register',
        'SampledDataCtrlr.TxEndedInterval': 0,
        'AuthCtrlr.OfflineTxForUnknownIdEnabled': true,
      },
    });
    if (!wholly) await d.goOnline();
    d.plug();
    d.token('A');
    d.flow('Charging');
    await d.deliver();
    if (!wholly) await d.goOffline();
    d.readings.set(1, [{ value: 1500 }]);
    d.token('A');
    await d.settle();
    await d.goOnline();
    await d.deliver();
    const ended = d.events().at(-1);
    assert.equal([ended.eventType, ended.offline], ['Ended', true]);
    assert.equal(
      ended.meterValue.map((m: any) => [m.sampledValue[0].context, m.sampledValue[0].value]),
      [
        ['Transaction.Begin', 1000],
        ['Transaction.End', 1500],
      ],
      wholly ? 'E12' : 'E08',
    );
  }
});

test("E03.FR.10 E04.FR.10 E05.FR.06 E07.FR.12 E08.FR.12 E09.FR.08 E10.FR.07 E11.FR.08 E12.FR.10 SignReadings: every sampled value of every TransactionEvent carries the meter's signed data, whatever started, updated or ended the transaction", async () => {
  const variables = {
    'SampledDataCtrlr.SignReadings': true,
    'SampledDataCtrlr.TxUpdatedInterval': 10,
    'AuthCtrlr.OfflineTxForUnknownIdEnabled': true,
  };
  type Flow = (d: TxDriver) => Promise<void>;
  const flows: Array<[string, Flow, Record<string, string | boolean | number>?]> = [
    // E03: idToken first; E07: stopped by the driver.
    [
      'E03 E07',
      async (d) => {
        await d.goOnline();
        d.token('A');
        d.plug();
        d.flow('Charging');
        await d.clock.advance(10_000);
        d.token('A');
      },
    ],
    // E04 and E12: started and ended offline.
    [
      'E04 E12',
      async (d) => {
        d.plug();
        d.token('A');
        d.flow('Charging');
        await d.clock.advance(10_000);
        d.token('A');
        await d.settle();
        await d.goOnline();
      },
    ],
    // E05: the CSMS refuses the idToken (answered below with refuseA).
    [
      'E05',
      async (d) => {
        await d.goOnline();
        d.plug();
        d.token('A');
        d.flow('Charging');
      },
      { 'TxCtrlr.TxStopPoint': 'Authorized' },
    ],
    // E08, E11: the connection is lost during the transaction, it is stopped offline.
    [
      'E08 E11',
      async (d) => {
        await d.goOnline();
        d.plug();
        d.token('A');
        d.flow('Charging');
        await d.deliver();
        await d.goOffline();
        await d.clock.advance(10_000);
        d.token('A');
        await d.settle();
        await d.goOnline();
      },
    ],
    // E09: the EV side disconnects, StopTxOnEVSideDisconnect ends it.
    [
      'E09',
      async (d) => {
        await d.goOnline();
        d.plug();
        d.token('A');
        d.flow('Charging');
        await d.clock.advance(10_000);
        d.fire({ type: 'evDisconnected', evseId: 1 });
      },
      { 'TxCtrlr.TxStopPoint': 'Authorized' },
    ],
    // E10: suspended by an EV-side disconnect, then EVConnectionTimeOut ends it.
    [
      'E10',
      async (d) => {
        await d.goOnline();
        d.plug();
        d.token('A');
        d.flow('Charging');
        d.fire({ type: 'evDisconnected', evseId: 1 });
        await d.clock.advance(10_000);
        await d.clock.advance(10_000);
      },
      {
        'TxCtrlr.TxStopPoint': 'Authorized',
        'TxCtrlr.StopTxOnEVSideDisconnect': false,
        'TxCtrlr.EVConnectionTimeOut': 20,
      },
    ],
  ];
  for (const [name, flow, more] of flows) {
    const d = station({ variables: { ...variables, ...more } });
    d.readings.set(1, [
      { value: 1000, signedMeterValue: signed },
      { measurand: 'Power.Active.Import', value: 7000, signedMeterValue: signed },
    ]);
    await flow(d);
    await d.deliver(name === 'E05' ? refuseA : undefined);
    const events = d.events();
    assert.is(events.at(-1).eventType, 'Ended', name);
    const values = events.flatMap((e) => (e.meterValue ?? []).flatMap((m: any) => m.sampledValue));
    const contexts = new Set(values.map((v: any) => v.context));
    assert.ok(
      contexts.has('Transaction.Begin') && contexts.has('Transaction.End'),
      `${name}: ${[...contexts].join(', ')}`,
    );
    if (name !== 'E05') assert.ok(contexts.has('Sample.Periodic'), `${name}: periodic samples`);
    assert.ok(
      values.every((v: any) => JSON.stringify(v.signedMeterValue) === JSON.stringify(signed)),
      `${name}: every sampled value signed`,
    );
  }
});

test('E06.FR.12 E07.FR.09 E07.FR.10 E08.FR.10 E08.FR.11 E09.FR.06 E09.FR.07 E10.FR.05 E10.FR.06 E12.FR.08 E12.FR.09 too many samples for the Ended event: the intermediate ones go first (1st, 3rd, 5th …), never the first or the latest', async () => {
  const ends: Array<[string, (d: TxDriver) => Promise<void>, Record<string, string | boolean | number>?]> = [
    [
      'E07 driver stop',
      async (d) => {
        d.token('A');
      },
    ],
    [
      'E08 stopped offline',
      async (d) => {
        await d.goOffline();
        d.token('A');
        await d.settle();
        await d.goOnline();
      },
    ],
    [
      'E09 EV-side disconnect',
      async (d) => {
        d.fire({ type: 'evDisconnected', evseId: 1 });
      },
      { 'TxCtrlr.TxStopPoint': 'Authorized' },
    ],
    [
      'E10 not back within EVConnectionTimeOut',
      async (d) => {
        d.fire({ type: 'evDisconnected', evseId: 1 });
        await d.clock.advance(5_000);
      },
      {
        'TxCtrlr.TxStopPoint': 'Authorized',
        'TxCtrlr.StopTxOnEVSideDisconnect': false,
        'TxCtrlr.EVConnectionTimeOut': 5,
      },
    ],
    [
      'E12 wholly offline',
      async (d) => {
        d.token('A');
        await d.settle();
        await d.goOnline();
      },
    ],
  ];
  for (const [name, finish, more] of ends) {
    const d = station({
      variables: { 'SampledDataCtrlr.TxEndedInterval': 10, 'AuthCtrlr.OfflineTxForUnknownIdEnabled': true, ...more },
    });
    if (!name.startsWith('E12')) await d.goOnline();
    d.plug();
    d.token('A');
    d.flow('Charging');
    await d.deliver();
    // The start value and MAX_ENDED_SAMPLES periodic ones: one more than the Ended event keeps.
    for (let i = 1; i <= MAX_ENDED_SAMPLES; i++) {
      d.readings.set(1, [{ value: 1000 + i }]);
      await d.clock.advance(10_000);
    }
    d.readings.set(1, [{ value: 5000 }]);
    await finish(d);
    await d.deliver();
    const ended = d.events().at(-1);
    assert.is(ended.eventType, 'Ended', name);
    const values = ended.meterValue.map((m: any) => m.sampledValue[0].value);
    // Kept: the start, every second intermediate one (1002, 1004, …: the 1st, 3rd, … intermediate went), the latest.
    const kept = [1000, ...Array.from({ length: MAX_ENDED_SAMPLES / 2 }, (_, i) => 1002 + 2 * i)];
    assert.equal(values, [...kept, 5000], name);
  }
});

/** Samples every 10 s while offline, more than the queue's bound holds; returns the delivered events of the transaction. */
async function overTheBound(d: TxDriver, startOnline: boolean): Promise<any[]> {
  if (startOnline) await d.goOnline();
  d.plug();
  d.token('A');
  d.flow('Charging');
  await d.deliver();
  if (startOnline) await d.goOffline();
  for (let i = 1; i <= 12; i++) await d.clock.advance(10_000);
  d.token('A');
  await d.settle();
  await d.goOnline();
  await d.deliver();
  return [...byTransaction(d.events()).values()][0]!;
}

const periodicAt = (events: any[], start: number) =>
  events.filter((e) => e.triggerReason === 'MeterValuePeriodic').map((e) => (Date.parse(e.timestamp) - start) / 10_000);

test('E04.FR.07 E04.FR.08 E12.FR.04 J02.FR.12 J02.FR.13 a transaction started offline, more periodic updates than the queue holds: the intermediate ones are dropped (1st, 3rd, 5th …); Started and Ended (with the Transaction.End values) are delivered with contiguous seqNo', async () => {
  const d = station({
    maxMessages: 8,
    variables: { 'SampledDataCtrlr.TxUpdatedInterval': 10, 'AuthCtrlr.OfflineTxForUnknownIdEnabled': true },
  });
  const start = d.clock.now();
  const events = await overTheBound(d, false);
  assert.equal(
    events.slice(0, 2).map((e) => e.triggerReason),
    ['Authorized', 'ChargingStateChanged'],
  );
  assert.is(events.at(-1).eventType, 'Ended');
  // Dropped 1, 3, 5, 7, 9, 11 — and 12, next to the Ended event of the same moment that carries its values.
  assert.equal(periodicAt(events, start), [2, 4, 6, 8, 10]);
  assert.is(events.at(-1).meterValue.at(-1).sampledValue[0].context, 'Transaction.End');
  assert.equal(
    events.map((e) => e.seqNo),
    events.map((_, i) => i),
  );
  assert.ok(events.every((e) => e.offline === true));
});

test('E11.FR.04 the connection is lost during a transaction, more periodic updates than the queue holds: the intermediate ones are dropped (1st, 3rd, 5th …), contiguous seqNo', async () => {
  const d = station({ maxMessages: 8, variables: { 'SampledDataCtrlr.TxUpdatedInterval': 10 } });
  const start = d.clock.now();
  const events = await overTheBound(d, true);
  assert.is(events.at(-1).eventType, 'Ended');
  // The oldest queued update (1) stays; the 1st, 3rd, 5th, 7th intermediate ones (2, 4, 6, 8) go, then 12 next to
  // the Ended event of the same moment.
  assert.equal(periodicAt(events, start), [1, 3, 5, 7, 9, 10, 11]);
  assert.is(events[0].offline, undefined, 'Started was delivered before the connection was lost');
  assert.equal(
    events.map((e) => e.seqNo),
    events.map((_, i) => i),
  );
});

test('E06.FR.12 J02.FR.20 a long session (400 samples, four times the limit): the Ended samples stay evenly spread over the whole session — the first, then every 8th, then the end value — not crowded at its end', async () => {
  const d = station({ variables: { 'SampledDataCtrlr.TxEndedInterval': 10 } });
  d.readings.set(1, [{ value: 0 }]);
  await d.goOnline();
  d.plug();
  d.token('A');
  d.flow('Charging');
  await d.deliver();
  const offered = 4 * MAX_ENDED_SAMPLES;
  for (let i = 1; i < offered; i++) {
    d.readings.set(1, [{ value: i }]);
    await d.clock.advance(10_000);
  }
  d.readings.set(1, [{ value: 99_999 }]);
  d.token('A');
  await d.deliver();
  const ended = d.events().at(-1);
  assert.is(ended.eventType, 'Ended');
  const values: number[] = ended.meterValue.map((m: any) => m.sampledValue[0].value);
  assert.ok(values.length <= MAX_ENDED_SAMPLES, `at most ${MAX_ENDED_SAMPLES} samples (got ${values.length})`);
  assert.is(values.at(-1), 99_999, 'the Transaction.End value is last');
  const periodic = values.slice(0, -1);
  assert.is(periodic[0], 0, 'the value at the start stays');
  const gaps = new Set(periodic.slice(1).map((v, i) => v - periodic[i]!));
  assert.equal([...gaps], [8], 'equal steps between kept samples, from the start of the session to its end');
  assert.ok(periodic.length >= MAX_ENDED_SAMPLES / 2, 'at least half the limit is used');
  assert.ok(periodic.at(-1)! >= offered - 8, 'the latest samples are still represented');
});

test('C01.FR.23 a transaction still running after its authorization ended is not re-authorized by a different idToken; its own idToken authorizes it again', async () => {
  const d = station({ variables: { 'TxCtrlr.TxStopPoint': 'EVConnected' } });
  await d.goOnline();
  d.plug();
  d.token('A');
  d.flow('Charging');
  await d.deliver();
  d.token('A'); // ends the authorization; the transaction runs on until the cable is out (TxStopPoint EVConnected)
  await d.deliver();
  assert.equal(kinds(d.events()).at(-1), 'Updated:StopAuthorized');
  const before = d.events().length;
  d.token('B');
  await d.deliver();
  assert.is(d.events().length, before, 'idToken B is not authorized into the transaction of A: nothing is reported');
  d.token('A');
  await d.deliver();
  const last = d.events().at(-1);
  assert.equal(
    [last.eventType, last.triggerReason, last.idToken?.idToken],
    ['Updated', 'Authorized', 'A'],
    'A authorizes its own transaction again',
  );
  assert.is(new Set(d.events().map((e) => e.transactionInfo.transactionId)).size, 1);
});

test.run();
