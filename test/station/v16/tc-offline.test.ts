// OCTT 1.6 offline and power-loss test cases (TC_034, TC_036–TC_039), and what 1.6 §3.7 / §4.8 / §4.10 demand of
// transactions the CSMS hears of late: the StartTransaction queued offline is delivered after the connection (and
// after any number of reboots), every later MeterValues and StopTransaction carries the transactionId of
// StartTransaction.conf — never a placeholder —, StopTransaction is delivered exactly once, a refused message is
// retried per TransactionMessageAttempts / TransactionMessageRetryInterval, and a delayed Invalid ends the
// transaction per StopTransactionOnInvalidId. Real sockets, the built-in CSMS in 1.6, a real SQLite file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CallError } from '../../../runtime/rpc/errors.js';
import { accepted, charge, settled, startPair16, tag, type Pair16 } from '../../support/pair16.js';

const req = (m: { request: unknown }) => m.request as Record<string, any>;

/** The CSMS goes away: the connection is closed and new ones are refused, until `online(p)`. */
async function offline(p: Pair16): Promise<void> {
  p.csms.refuseConnections(true);
  const lost = new Promise((resolve) => p.station.once('disconnected', resolve));
  await p.csms.disconnect(p.identity);
  await lost;
}

async function online(p: Pair16): Promise<void> {
  const back = new Promise((resolve) => p.station.once('connected', resolve));
  p.csms.refuseConnections(false);
  await back;
}

/** Every message of the transactions the CSMS saw: [action, transactionId]. */
const txMessages = (p: Pair16) =>
  p.csms
    .received(p.identity)
    .filter((m) => ['StartTransaction', 'StopTransaction', 'MeterValues'].includes(m.action) && m.error === undefined)
    .filter((m) => m.action !== 'MeterValues' || req(m).transactionId !== undefined)
    .map((m) => [m.action, m.action === 'StartTransaction' ? (m.response as any).transactionId : req(m).transactionId]);

test('TC_036_CS connection loss during a transaction (§3.7): the StopTransaction made offline arrives after the reconnect with the transactionId', async () => {
  const p = await startPair16();
  try {
    await accepted(p);
    const id = await charge(p);
    await offline(p);
    p.station.idTokenPresented(tag('TAG1'));
    await p.status(1, 'Finishing').catch(() => {}); // statuses made offline are sent after the reconnect
    assert.is(p.sent('StopTransaction').length, 0);
    await online(p);
    const stop = await p.waitFor('StopTransaction');
    assert.equal([req(stop).transactionId, req(stop).idTag], [id, 'TAG1']);
    assert.is(p.sent('BootNotification').length, 1, 'a reconnect is no boot');
  } finally {
    await p.close();
  }
});

test('TC_037_1_CS / TC_039_CS offline transaction with a cached idTag (§3.5.3 LocalAuthorizeOffline, §3.7): StartTransaction, MeterValues and StopTransaction after the reconnect, all with the new transactionId', async () => {
  let wh = 0;
  const p = await startPair16({
    station: {
      variables: { MeterValueSampleInterval: 1 },
      hardware: { readMeter: () => [{ measurand: 'Energy.Active.Import.Register', value: (wh += 5), unit: 'Wh' }] },
    },
  });
  try {
    await accepted(p);
    const first = await charge(p);
    p.station.idTokenPresented(tag('TAG1'));
    await p.waitFor('StopTransaction');
    await settled(p);
    p.station.cableUnplugged(1);
    await offline(p);
    p.station.cablePlugged(1);
    p.station.idTokenPresented(tag('TAG1'));
    // Meter values are sampled while offline (a second apart).
    await new Promise((r) => setTimeout(r, 2200));
    p.station.idTokenPresented(tag('TAG1'));
    await online(p);
    await p.waitFor('StopTransaction', (m) => req(m).transactionId !== first);
    const messages = txMessages(p).filter(([, id]) => id !== first);
    const second = messages[0]![1];
    assert.is(messages[0]![0], 'StartTransaction');
    assert.ok(second > first);
    assert.ok(messages.filter(([a]) => a === 'MeterValues').length >= 1, JSON.stringify(messages));
    assert.ok(
      messages.every(([, id]) => id === second),
      `every message carries ${second}: ${JSON.stringify(messages)}`,
    );
    assert.is(messages.filter(([a]) => a === 'StopTransaction').length, 1);
  } finally {
    await p.close();
  }
});

test('TC_037_3_CS offline start, Invalid in the delayed StartTransaction.conf, StopTransactionOnInvalidId true (§9.1.24): StopTransaction DeAuthorized', async () => {
  const p = await startPair16({
    csms: { denyTokens: ['STRANGER'] },
    station: { variables: { AllowOfflineTxForUnknownId: true } },
  });
  try {
    await accepted(p);
    await offline(p);
    p.station.cablePlugged(1);
    p.station.idTokenPresented(tag('STRANGER'));
    await online(p);
    const start = await p.waitFor('StartTransaction');
    assert.is((start.response as any).idTagInfo.status, 'Invalid');
    const stop = await p.waitFor('StopTransaction');
    assert.equal([req(stop).transactionId, req(stop).reason], [(start.response as any).transactionId, 'DeAuthorized']);
  } finally {
    await p.close();
  }
});

test('TC_037_2_CS offline start, Invalid in the delayed StartTransaction.conf, StopTransactionOnInvalidId false (§9.1.24): no StopTransaction, energy stopped (SuspendedEVSE)', async () => {
  const stops: number[] = [];
  const p = await startPair16({
    csms: { denyTokens: ['STRANGER'] },
    station: {
      variables: { AllowOfflineTxForUnknownId: true, StopTransactionOnInvalidId: false },
      hardware: { stopCharging: (evseId) => void stops.push(evseId) },
    },
  });
  try {
    await accepted(p);
    await offline(p);
    p.station.cablePlugged(1);
    p.station.idTokenPresented(tag('STRANGER'));
    await online(p);
    await p.waitFor('StartTransaction');
    await p.status(1, 'SuspendedEVSE');
    assert.equal(stops, [1]);
    assert.is(p.sent('StopTransaction').length, 0);
  } finally {
    await p.close();
  }
});

test('TC_038_CS offline stop, unknown idTag refused offline without AllowOfflineTxForUnknownId (§3.5.4)', async () => {
  const p = await startPair16();
  try {
    await accepted(p);
    const id = await charge(p);
    await offline(p);
    p.station.cablePlugged(1);
    const verdict = new Promise<{ idTokenInfo: { status: string }; source: string }>((resolve) =>
      p.station.once('authorization', resolve),
    );
    p.station.idTokenPresented(tag('UNKNOWN'), 1);
    p.station.idTokenPresented(tag('TAG1'));
    await online(p);
    const stop = await p.waitFor('StopTransaction');
    assert.is(req(stop).transactionId, id);
    const v = await verdict;
    assert.equal([v.idTokenInfo.status, v.source], ['Invalid', 'offline']);
  } finally {
    await p.close();
  }
});

test('1.6 §4.10 power loss during a transaction (no back-up power; the transaction is not resumed): after the restart StopTransaction PowerLoss, exactly once across two more reboots', async () => {
  const p = await startPair16();
  try {
    await accepted(p);
    const id = await charge(p);
    // The station dies without ending the transaction (stop() persists nothing more).
    await p.restart();
    const stop = await p.waitFor('StopTransaction');
    assert.equal([req(stop).transactionId, req(stop).reason], [id, 'PowerLoss']);
    await settled(p);
    await p.restart();
    await accepted(p);
    await p.restart();
    await accepted(p);
    await settled(p);
    assert.is(p.sent('StopTransaction').length, 1);
  } finally {
    await p.close();
  }
});

test('1.6 §3.7 an offline transaction survives two reboots before the reconnect: one StartTransaction, one StopTransaction, both with the CSMS transactionId', async () => {
  const p = await startPair16();
  try {
    await accepted(p);
    await p.status(1, 'Available');
    await offline(p);
    p.station.cablePlugged(1);
    p.station.idTokenPresented(tag('TAG9'), 1); // unknown offline, but the cache … is empty: use the local rules
    await p.restart({ variables: { AllowOfflineTxForUnknownId: true } });
    p.station.cablePlugged(1);
    p.station.idTokenPresented(tag('TAG9'), 1);
    await p.restart({ variables: { AllowOfflineTxForUnknownId: true } }); // power loss: the transaction ends with PowerLoss
    await online(p);
    const stop = await p.waitFor('StopTransaction');
    const starts = p.sent('StartTransaction');
    assert.is(starts.length, 1);
    assert.is(req(stop).transactionId, (starts[0]!.response as any).transactionId);
    assert.is(req(stop).reason, 'PowerLoss');
    await settled(p);
    assert.is(p.sent('StopTransaction').length, 1);
  } finally {
    await p.close();
  }
});

test('1.6 §9.1.31/32 TransactionMessageAttempts / RetryInterval: a StartTransaction refused with a CALLERROR is sent again; its StopTransaction follows with the id', async () => {
  const p = await startPair16({
    station: { variables: { TransactionMessageAttempts: 3, TransactionMessageRetryInterval: 1 } },
  });
  try {
    await accepted(p);
    let refusals = 1;
    p.csms.respond('StartTransaction', () => {
      if (refusals-- > 0) throw new CallError('InternalError', 'not now');
      return { transactionId: 4242, idTagInfo: { status: 'Accepted' } };
    });
    p.station.cablePlugged(1);
    p.station.idTokenPresented(tag('TAG1'));
    await p.waitFor('StartTransaction', (m) => m.error !== undefined);
    p.station.idTokenPresented(tag('TAG1'));
    const stop = await p.waitFor('StopTransaction');
    assert.is(req(stop).transactionId, 4242);
    assert.is(p.sent('StartTransaction').length, 2);
  } finally {
    await p.close();
  }
});

/** After the reboot: the connector that charged reports one of `allowed`, connector 0 Available (TC_032_x step 7). */
async function statusAfterReboot(p: Pair16, allowed: string[]): Promise<void> {
  const rebooted = () => p.sent('BootNotification').length === 2;
  await p.waitFor(
    'StatusNotification',
    (m) => rebooted() && req(m).connectorId === 1 && allowed.includes(req(m).status),
  );
  await p.waitFor('StatusNotification', (m) => rebooted() && req(m).connectorId === 0 && req(m).status === 'Available');
}

test('TC_032_1_CS power failure with back-up power (§4.10): powerFailing() ends the transaction with PowerLoss before going down, Finishing; after the reboot Finishing or Preparing, no second StopTransaction', async () => {
  const p = await startPair16();
  try {
    await accepted(p);
    const id = await charge(p);
    await p.station.powerFailing();
    const stop = await p.waitFor('StopTransaction');
    assert.equal([req(stop).transactionId, req(stop).reason], [id, 'PowerLoss']);
    await p.status(1, 'Finishing');
    await p.restart();
    // The firmware reports the cable it finds still plugged after the power came back.
    p.station.cablePlugged(1);
    await accepted(p);
    await statusAfterReboot(p, ['Finishing', 'Preparing']);
    await settled(p);
    assert.is(p.sent('StopTransaction').length, 1);
  } finally {
    await p.close();
  }
});

test('TC_032_2_CS power failure without back-up power (§4.10): after the reboot the transaction is ended with PowerLoss (not resumed), the connector Preparing or Finishing', async () => {
  const p = await startPair16();
  try {
    await accepted(p);
    const id = await charge(p);
    await p.restart(); // the power is cut: nothing more is sent or persisted
    p.station.cablePlugged(1);
    await accepted(p);
    const stop = await p.waitFor('StopTransaction');
    assert.equal([req(stop).transactionId, req(stop).reason], [id, 'PowerLoss']);
    await statusAfterReboot(p, ['Preparing', 'Finishing']);
    await settled(p);
    assert.is(p.sent('StopTransaction').length, 1);
  } finally {
    await p.close();
  }
});

test('TC_034_CS power failure with an Unavailable connector (§5.2): after the restart it is still Unavailable', async () => {
  const p = await startPair16();
  try {
    await accepted(p);
    assert.equal(await p.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' }), { status: 'Accepted' });
    await p.status(1, 'Unavailable');
    await p.restart();
    await accepted(p);
    await p.waitFor(
      'StatusNotification',
      (m) => req(m).connectorId === 1 && req(m).status === 'Unavailable' && p.sent('BootNotification').length === 2,
    );
    await settled(p);
    const after = p.csms
      .received(p.identity)
      .slice(p.csms.received(p.identity).indexOf(p.sent('BootNotification')[1]!));
    assert.ok(
      !after.some(
        (m) => m.action === 'StatusNotification' && req(m).connectorId === 1 && req(m).status === 'Available',
      ),
    );
  } finally {
    await p.close();
  }
});

test.run();
