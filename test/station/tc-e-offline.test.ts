// Part 6 test cases of E08 and E11–E14 (offline operation, retries, transaction status) against the built-in CSMS
// over real sockets, with a real SQLite store and a ManualClock for intervals, back-off and retries.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, TOKEN, txPair, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

const offlineVars = {
  'OCPPCommCtrlr.RetryBackOffWaitMinimum': 1,
  'OCPPCommCtrlr.RetryBackOffRandomRange': 0,
  'SampledDataCtrlr.TxUpdatedInterval': 10,
};
const offline = (more: TxPairOptions = {}): TxPairOptions => ({
  manualClock: true,
  ...more,
  variables: { ...offlineVars, ...more.variables },
});
const idle = (ms = 50) => new Promise((r) => setTimeout(r, ms));

/** Lets the station's back-off run (ManualClock) until it is connected again. */
async function reconnected(p: TxPair): Promise<void> {
  p.csmsUp();
  for (let i = 0; i < 120 && !p.csms.isConnected(p.identity); i++) {
    await p.advance(1_000);
    await idle(5);
  }
  assert.ok(p.csms.isConnected(p.identity), 'reconnected');
}

/** Reconnects and holds the first TransactionEvent unanswered until `release()`: the queue is not empty meanwhile. */
async function reconnectHolding(p: TxPair): Promise<() => void> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  p.csms.respond('TransactionEvent', async (req: any) => {
    await gate;
    return req.idToken ? { idTokenInfo: { status: 'Accepted' } } : {};
  });
  await reconnected(p);
  await p.waitTx((r) => r.offline === true);
  return release;
}

test('TC_E_28_CS E14.FR.01 GetTransactionStatus of an unknown transactionId: not ongoing, nothing queued', async () => {
  await withTxPair({}, async (p) => {
    assert.equal(await p.call('GetTransactionStatus', { transactionId: 'no-such-transaction' }), {
      ongoingIndicator: false,
      messagesInQueue: false,
    });
  });
});

/**
 * EnergyTransferStarted, the connection is lost while a periodic meter value falls due, the station reconnects and
 * its queue waits for the first answer: GetTransactionStatus `request` is answered; then the queued meter value
 * arrives, offline, with meter values.
 */
async function statusWhileQueued(p: TxPair, withId: boolean): Promise<unknown> {
  const id = await states.energyTransferStarted(p);
  await p.csmsDown();
  await idle();
  await p.advance(10_000); // a periodic meter value while offline
  const release = await reconnectHolding(p);
  const status = await p.call('GetTransactionStatus', withId ? { transactionId: id } : {});
  release();
  const queued = await p.waitTx((r) => r.triggerReason === 'MeterValuePeriodic');
  assert.equal([queued.eventType, queued.offline, queued.meterValue.length > 0], ['Updated', true, true]);
  return status;
}

test('TC_E_29_CS E14.FR.02 E14.FR.04 with the transactionId, messages of it queued: ongoing, messagesInQueue; then they arrive offline with meter values', async () => {
  await withTxPair(offline(), async (p) => {
    assert.equal(await statusWhileQueued(p, true), { ongoingIndicator: true, messagesInQueue: true });
  });
});

test('TC_E_33_CS E14.FR.06 E14.FR.07 without transactionId, messages queued: no ongoingIndicator, messagesInQueue; then they arrive offline with meter values', async () => {
  await withTxPair(offline(), async (p) => {
    assert.equal(await statusWhileQueued(p, false), { messagesInQueue: true });
  });
});

test('TC_E_30_CS E14.FR.02 E14.FR.05 ongoing, nothing queued: ongoing, messagesInQueue false', async () => {
  await withTxPair({}, async (p) => {
    const id = await states.energyTransferStarted(p);
    await idle(); // the CALLRESULT of the last event reaches the station
    assert.equal(await p.call('GetTransactionStatus', { transactionId: id }), {
      ongoingIndicator: true,
      messagesInQueue: false,
    });
  });
});

test('TC_E_31_CS E14.FR.03 E14.FR.04 ended while offline, its messages queued: not ongoing, messagesInQueue; then every event of it arrives', async () => {
  await withTxPair(offline(), async (p) => {
    const id = await states.energyTransferStarted(p);
    await p.csmsDown();
    await idle();
    states.authorizeLocal(p, 1);
    states.evDisconnected(p);
    const release = await reconnectHolding(p);
    assert.equal(await p.call('GetTransactionStatus', { transactionId: id }), {
      ongoingIndicator: false,
      messagesInQueue: true,
    });
    release();
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal([ended.offline, ended.transactionInfo.transactionId], [true, id]);
  });
});

test('TC_E_32_CS E14.FR.03 E14.FR.05 ended and delivered: not ongoing, nothing queued', async () => {
  await withTxPair({}, async (p) => {
    const id = await states.energyTransferStarted(p);
    states.authorizeLocal(p, 1);
    await p.waitTx((r) => r.eventType === 'Ended');
    await idle();
    assert.equal(await p.call('GetTransactionStatus', { transactionId: id }), {
      ongoingIndicator: false,
      messagesInQueue: false,
    });
  });
});

test('TC_E_34_CS E14.FR.06 E14.FR.08 without transactionId, nothing queued: no ongoingIndicator, messagesInQueue false', async () => {
  await withTxPair({}, async (p) => {
    assert.equal(await p.call('GetTransactionStatus', {}), { messagesInQueue: false });
  });
});

test('TC_E_40_CS E11.FR.01 E11.FR.02 connection lost during a transaction: the periodic events are queued and sent after reconnecting, offline, with meter values', async () => {
  await withTxPair(offline(), async (p) => {
    await states.energyTransferStarted(p);
    await p.csmsDown();
    await idle();
    await p.advance(10_000);
    await p.advance(10_000);
    await p.advance(10_000);
    const before = p.tx().length;
    await reconnected(p);
    await p.waitTx((r) => r.seqNo === before + 2);
    const queued = p.tx().slice(before, before + 3);
    assert.ok(
      queued.every((r) => r.eventType === 'Updated' && r.offline === true && r.meterValue?.length),
      JSON.stringify(queued),
    );
    assert.equal(
      queued.map((r) => r.seqNo),
      [before, before + 1, before + 2],
    );
  });
});

test('TC_E_43_CS E12.FR.01 E12.FR.02 a whole transaction while offline: every event offline, Started and Ended among them', async () => {
  // C15: the idToken is unknown to the station, which may then accept it offline (TC_E_43 prerequisite).
  await withTxPair(offline({ variables: { 'AuthCtrlr.OfflineTxForUnknownIdEnabled': true } }), async (p) => {
    await p.csmsDown();
    await idle();
    await states.evConnected(p).catch(() => undefined); // the status is sent after reconnecting
    states.authorizeLocal(p, 1);
    p.station.chargingStateChanged(1, 'Charging');
    states.authorizeLocal(p, 1);
    states.evDisconnected(p);
    await reconnected(p);
    await p.waitTx((r) => r.eventType === 'Ended');
    const events = p.tx();
    assert.ok(events.every((r) => r.offline === true));
    assert.equal([events[0].eventType, events.at(-1).eventType], ['Started', 'Ended']);
  });
});

test('TC_E_44_CS E08.FR.01 E08.FR.04 E08.FR.05 E08.FR.06 E08.FR.07 E08.FR.08 stopped by the same idToken while offline: energy stops, Ended queued and sent offline after reconnecting', async () => {
  await withTxPair(offline(), async (p) => {
    await states.energyTransferStarted(p);
    await p.csmsDown();
    await idle();
    states.authorizeLocal(p, 1);
    assert.equal(p.hw.at(-2), { op: 'stopCharging', args: [1] }, 'E08.FR.01: the energy offering stops');
    assert.equal(p.hw.at(-1), { op: 'unlockConnector', args: [1, 1] }, 'E08.FR.03');
    states.evDisconnected(p);
    await reconnected(p);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal([ended.offline, ended.triggerReason], [true, 'StopAuthorized']);
    assert.equal(
      p.tx().map((r) => r.seqNo),
      p.tx().map((_, i) => i),
      'E08.FR.08',
    );
  });
});

test('TC_E_45_CS E08.FR.02 E08.FR.04 stopped while offline by another idToken of the same GroupIdToken', async () => {
  await withTxPair(offline({ groupOf: { 'VALID-1': 'GROUP', 'VALID-2': 'GROUP' } }), async (p) => {
    // Memory state of TC_E_45: the second idToken is in the authorization cache with the GroupIdToken. (Its
    // authorization is replaced by the first idToken's before any EV connects.)
    for (const idToken of ['VALID-2', 'VALID-1']) await states.authorizeAndWait(p, 1, { idToken, type: 'ISO14443' });
    await states.evConnected(p);
    p.station.chargingStateChanged(1, 'Charging');
    const started = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal(started.idToken, TOKEN);
    await p.csmsDown();
    await idle();
    states.authorizeLocal(p, 1, { idToken: 'VALID-2', type: 'ISO14443' });
    states.evDisconnected(p);
    await reconnected(p);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal(
      [ended.offline, ended.triggerReason, ended.idToken],
      [true, 'StopAuthorized', { idToken: 'VALID-2', type: 'ISO14443' }],
    );
  });
});

/** E13 over the wire: the CSMS answers the Started with `fail` on the attempts listed; returns the send times. */
async function retries(
  fail: (attempt: number) => 'ignore' | 'error' | 'ok',
  attempts: number,
  intervalS: number,
  timeoutS = 5,
) {
  const p = await txPair({
    manualClock: true,
    variables: { 'TxCtrlr.TxStartPoint': 'EVConnected' },
    deviceModel: {
      components: [
        {
          name: 'OCPPCommCtrlr',
          variables: [
            { name: 'MessageAttempts', instance: 'TransactionEvent', value: attempts },
            { name: 'MessageAttemptInterval', instance: 'TransactionEvent', value: intervalS },
            { name: 'MessageTimeout', instance: 'Default', value: timeoutS },
          ],
        },
      ],
    },
    station: { messageTimeoutMs: timeoutS * 1000 },
  });
  const times: number[] = [];
  p.csms.respond('TransactionEvent', (req: any) => {
    times.push(p.clock!.now());
    const what = fail(times.length);
    if (what === 'ignore') return new Promise(() => undefined);
    if (what === 'error') throw new Error('InternalError');
    return {};
  });
  p.station.cablePlugged(1, 1);
  await p.waitFor('TransactionEvent');
  for (let i = 0; i < 20; i++) {
    await p.advance(1_000);
    await idle(5);
  }
  await p.close();
  return times.map((t) => Math.round((t - times[0]!) / 1000));
}

test('TC_E_41_CS E13.FR.01 E13.FR.02 E13.FR.03 E13.FR.04 no answer: sent MessageAttemptsTransactionEvent times, waiting the interval × preceding transmissions (plus the message timeout), then given up', async () => {
  assert.equal(await retries(() => 'ignore', 3, 2), [0, 5 + 2, 5 + 2 + 5 + 4]);
});

test('TC_E_50_CS E13.FR.01 E13.FR.02 E13.FR.03 E13.FR.04 CALLERROR InternalError every time: sent MessageAttemptsTransactionEvent times, then given up', async () => {
  assert.equal(await retries(() => 'error', 3, 2), [0, 2, 2 + 4]);
});

test('TC_E_42_CS E13.FR.01 E13.FR.02 E13.FR.03 the second attempt is answered: no more attempts', async () => {
  assert.equal(await retries((n) => (n === 1 ? 'ignore' : 'ok'), 4, 2), [0, 5 + 2]);
});

test('TC_E_51_CS E13.FR.01 E13.FR.02 E13.FR.03 CALLERROR, then a CALLRESULT on the second attempt: no more attempts', async () => {
  assert.equal(await retries((n) => (n === 1 ? 'error' : 'ok'), 4, 2), [0, 2]);
});

test.run();
