// E13 (2.x) and 1.6 §3.7.1: failed transaction-related messages are retried with a growing interval and discarded
// after the configured number of attempts; the queue then continues.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { settle } from '../../runtime/queue/clock.js';
import { meterValues16, startTx16, stopTx16, txEvent } from '../helpers/messages.js';
import { tempDir } from '../helpers/tmp.js';
import { eventsOf, harness, onlineWith, type Harness } from './harness.js';

const T0 = Date.UTC(2025, 0, 1);

/** Advances the clock in 1 s steps and returns the time (ms since `from`) at which a new CALL appeared. */
async function nextCallAfter(h: Harness, from: number, limitSec = 1000): Promise<number> {
  const before = h.transport.calls.length;
  for (let s = 0; s < limitSec; s++) {
    if (h.transport.calls.length > before) return h.clock.now() - from;
    await h.clock.advance(1000);
  }
  throw new Error(`no new CALL within ${limitSec} s`);
}

test('E13.FR.02 E13.FR.03 after a CALLERROR the message is sent again after interval × preceding transmissions (60 s, then 120 s)', async () => {
  const h = harness({ retry: { attempts: 3, intervalSec: 60 } });
  await onlineWith(h, txEvent('tx-1', 'Started', T0));
  let t = h.clock.now();
  h.transport.pending().callError('InternalError', 'db down');
  await settle();
  assert.is(await nextCallAfter(h, t), 60_000);
  t = h.clock.now();
  h.transport.pending().callError('InternalError');
  await settle();
  assert.is(await nextCallAfter(h, t), 120_000);
  const failed = eventsOf(h, 'attemptFailed');
  assert.equal(
    failed.map((f) => [f.failure, f.code, f.failures]),
    [
      ['callError', 'InternalError', 1],
      ['callError', 'InternalError', 2],
    ],
  );
  assert.equal(
    h.transport.calls.map((c) => c.payload.seqNo),
    [0, 0, 0],
    'every retransmission carries the same seqNo',
  );
  h.transport.pending().result({});
  await settle();
  assert.is(h.store.outbox.count(), 0);
  h.stop();
});

test('E13.FR.04 when the final attempt fails the message is discarded and the queue continues with the next', async () => {
  const h = harness({ retry: { attempts: 3, intervalSec: 10 } });
  await onlineWith(h, txEvent('tx-1', 'Updated', T0, 'ChargingStateChanged'), txEvent('tx-1', 'Ended', T0 + 1000));
  for (let i = 0; i < 3; i++) {
    assert.is(h.transport.pending().payload.eventType, 'Updated');
    h.transport.pending().callError('GenericError');
    await h.clock.advance(10_000 * (i + 1));
  }
  const [d] = eventsOf(h, 'discarded');
  assert.is(d!.reason, 'attemptsExhausted');
  assert.is(d!.failures, 3);
  assert.is(d!.lastFailure, 'callError');
  assert.is((d!.payload as { eventType: string }).eventType, 'Updated');
  assert.is(h.transport.pending().payload.eventType, 'Ended', 'the next message goes out at once');
  assert.is(h.transport.calls.length, 4, 'exactly 3 transmissions of the discarded message');
  h.stop();
});

test('a non-transaction message the CSMS does not implement (CALLERROR NotImplemented) is given up at once; a transaction message is still retried', async () => {
  const h = harness({ protocol: 'ocpp1.6', retry: { attempts: 3, intervalSec: 60 } });
  h.queue.setOnline(true);
  // A 1.6 Central System without the security whitepaper, and a transaction behind the security event.
  h.queue.enqueueOther(
    'SecurityEventNotification',
    { type: 'StartupOfTheDevice', timestamp: new Date(T0).toISOString() },
    'keep',
  );
  h.queue.enqueue('StartTransaction', startTx16(T0), { transaction: 'tx-1' });
  await settle();
  assert.is(h.transport.pending().action, 'SecurityEventNotification');
  h.transport.pending().callError('NotImplemented');
  await settle();
  const [d] = eventsOf(h, 'discarded');
  assert.is(d!.reason, 'notImplemented');
  assert.is(d!.failures, 1);
  assert.is(h.transport.pending().action, 'StartTransaction', 'the transaction goes out at once, not after retries');
  h.transport.pending().callError('NotImplemented');
  await settle();
  assert.is(eventsOf(h, 'discarded').length, 1, 'a transaction message keeps its retries');
  assert.is(eventsOf(h, 'attemptFailed').at(-1)!.action, 'StartTransaction');
  h.stop();
});

test('E13.FR.01 attempts and interval are read from the configuration at every failure', async () => {
  const h = harness({ retry: { attempts: 5, intervalSec: 30 } });
  await onlineWith(h, txEvent('tx-1', 'Started', T0));
  let t = h.clock.now();
  h.transport.pending().callError();
  await settle();
  assert.is(await nextCallAfter(h, t), 30_000);
  h.retry = { attempts: 2, intervalSec: 5 };
  h.transport.pending().callError();
  await settle();
  assert.is(eventsOf(h, 'discarded').length, 1, 'the lowered attempts apply to the second failure');
  h.stop();
});

test('E13 a timeout (no answer within the message timeout) counts as a failed attempt', async () => {
  const h = harness({ retry: { attempts: 2, intervalSec: 20 } });
  await onlineWith(h, txEvent('tx-1', 'Started', T0));
  const t = h.clock.now();
  h.transport.pending().timeout();
  await settle();
  assert.is(eventsOf(h, 'attemptFailed')[0]!.failure, 'timeout');
  assert.is(await nextCallAfter(h, t), 20_000);
  h.transport.pending().timeout();
  await settle();
  assert.is(eventsOf(h, 'discarded')[0]!.lastFailure, 'timeout');
  h.stop();
});

test("the queue's own attempt timeout counts as a failed attempt when the transport never answers", async () => {
  const h = harness({ retry: { attempts: 3, intervalSec: 10 }, attemptTimeoutMs: 30_000 });
  await onlineWith(h, txEvent('tx-1', 'Started', T0));
  await h.clock.advance(29_999);
  assert.equal(eventsOf(h, 'attemptFailed'), []);
  await h.clock.advance(1);
  assert.is(eventsOf(h, 'attemptFailed')[0]!.failure, 'timeout');
  await h.clock.advance(10_000);
  assert.is(h.transport.calls.length, 2);
  h.stop();
});

test('a transport that throws or rejects counts as a failed attempt, not a crash', async () => {
  const h = harness({ retry: { attempts: 2, intervalSec: 1 } });
  let n = 0;
  h.transport.call = () => {
    n++;
    if (n === 1) throw new Error('outgoing payload refused');
    return Promise.reject(new Error('socket exploded'));
  };
  await onlineWith(h, txEvent('tx-1', 'Started', T0));
  await h.clock.advance(1000);
  const failed = eventsOf(h, 'attemptFailed');
  assert.is(failed.length, 1);
  assert.is(failed[0]!.failure, 'error');
  assert.match(String(failed[0]!.error), /outgoing payload refused/);
  assert.is(eventsOf(h, 'discarded')[0]!.lastFailure, 'error');
  assert.is(n, 2);
  h.stop();
});

test('E13 the retry wait and the failure count survive a restart (real file)', async () => {
  const t = tempDir();
  try {
    let h = harness({ file: t.file('q.db'), retry: { attempts: 3, intervalSec: 100 } });
    h.queue.setOnline(true);
    h.queue.enqueue('TransactionEvent', txEvent('tx-1', 'Started', T0));
    await settle();
    const failedAt = h.clock.now();
    h.transport.pending().callError();
    await settle();
    await h.clock.advance(40_000);
    h = h.reopen();
    h.queue.setOnline(true);
    assert.is(await nextCallAfter(h, failedAt), 100_000, 'waits out the rest of the interval');
    h.transport.pending().callError();
    await settle();
    assert.is(eventsOf(h, 'attemptFailed')[0]!.failures, 2, 'counts on from before the restart');
    h.stop();
  } finally {
    t.remove();
  }
});

test('attempts below 1 still send the message once', async () => {
  const h = harness({ retry: { attempts: 0, intervalSec: 60 } });
  await onlineWith(h, txEvent('tx-1', 'Started', T0));
  h.transport.pending().callError();
  await settle();
  assert.is(h.transport.calls.length, 1);
  assert.is(eventsOf(h, 'discarded').length, 1);
  h.stop();
});

test('1.6 §3.7.1 TransactionMessageAttempts / TransactionMessageRetryInterval: StopTransaction retried at 60 s, 120 s, then discarded', async () => {
  const h = harness({ protocol: 'ocpp1.6', retry: { attempts: 3, intervalSec: 60 } });
  h.queue.setOnline(true);
  h.queue.enqueue('StartTransaction', startTx16(T0), { transaction: 'L1' });
  h.queue.enqueue('StopTransaction', stopTx16(T0 + 5000, 500), { transaction: 'L1' });
  h.queue.enqueue('MeterValues', meterValues16(T0 + 6000, 1), {});
  await settle();
  h.transport.pending().result({ transactionId: 42, idTagInfo: { status: 'Accepted' } });
  await settle();
  let t = h.clock.now();
  h.transport.pending().callError('InternalError');
  await settle();
  assert.is(await nextCallAfter(h, t), 60_000);
  t = h.clock.now();
  h.transport.pending().callError('InternalError');
  await settle();
  assert.is(await nextCallAfter(h, t), 120_000);
  h.transport.pending().callError('InternalError');
  await settle();
  assert.equal(
    eventsOf(h, 'discarded').map((d) => [d.action, d.reason]),
    [['StopTransaction', 'attemptsExhausted']],
  );
  assert.is(h.transport.pending().action, 'MeterValues', 'continues with the next transaction-related message');
  assert.equal(
    h.transport.calls.filter((c) => c.action === 'StopTransaction').map((c) => c.payload.transactionId),
    [42, 42, 42],
  );
  h.stop();
});

test.run();
