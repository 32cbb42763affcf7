// A CALLRESULT that arrives late (after the attempt was counted as failed or abandoned) causes neither a duplicate
// delivery nor a crash. A retry is a new CALL with a new message id (OCPP-J 2.x Part 4 §4.1.4), so the RPC layer
// itself drops answers to ids it no longer waits for; these tests cover answers that do reach the queue late.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { settle } from '../../runtime/queue/clock.js';
import { startTx16, stopTx16, txEvent } from '../helpers/messages.js';
import { eventsOf, harness, onlineWith } from './harness.js';

const T0 = Date.UTC(2025, 0, 1);

test('late CALLRESULT after the queue timed out, before the retry: delivered once, never retransmitted', async () => {
  const h = harness({ attemptTimeoutMs: 30_000, retry: { attempts: 3, intervalSec: 60 } });
  await onlineWith(h, txEvent('A', 'Started', T0), txEvent('A', 'Ended', T0 + 1));
  const first = h.transport.calls[0]!;
  await h.clock.advance(30_000);
  assert.is(eventsOf(h, 'attemptFailed')[0]!.failure, 'timeout');
  await h.clock.advance(10_000);
  first.result({ idTokenInfo: { status: 'Accepted' } }); // the CSMS did process it
  await settle();
  assert.equal(
    eventsOf(h, 'sent').map((s) => s.payload.eventType),
    ['Started'],
  );
  assert.is(h.transport.pending().payload.eventType, 'Ended', 'the queue moved on');
  await h.clock.advance(120_000);
  assert.is(h.transport.calls.filter((c) => c.payload.eventType === 'Started').length, 1, 'no second Started');
  h.stop();
});

test("late CALLRESULT for a transmission superseded by a retry in flight: ignored; the retry's answer completes it once", async () => {
  const h = harness({ attemptTimeoutMs: 30_000, retry: { attempts: 3, intervalSec: 10 } });
  await onlineWith(h, txEvent('A', 'Started', T0));
  const first = h.transport.calls[0]!;
  await h.clock.advance(30_000 + 10_000);
  assert.is(h.transport.calls.length, 2, 'retransmitted after timeout + interval');
  const second = h.transport.calls[1]!;
  first.result({}); // arrives while the retry is out
  await settle();
  assert.equal(eventsOf(h, 'sent'), [], 'not counted: the retry is outstanding');
  assert.is(h.store.outbox.count(), 1);
  second.result({});
  await settle();
  assert.is(eventsOf(h, 'sent').length, 1);
  assert.is(h.store.outbox.count(), 0);
  h.stop();
});

test('answers after the message was discarded, or after close, change nothing and throw nothing', async () => {
  const h = harness({ attemptTimeoutMs: 1000, retry: { attempts: 1, intervalSec: 1 } });
  await onlineWith(h, txEvent('A', 'Updated', T0, 'ChargingStateChanged'), txEvent('A', 'Ended', T0 + 1));
  const first = h.transport.calls[0]!;
  await h.clock.advance(1000);
  assert.is(eventsOf(h, 'discarded').length, 1);
  first.result({});
  await settle();
  assert.equal(eventsOf(h, 'sent'), []);
  const second = h.transport.pending();
  h.queue.close();
  second.result({});
  await settle();
  assert.equal(eventsOf(h, 'sent'), []);
  assert.is(h.store.outbox.count(), 1, 'the Ended message stays stored for the next start');
  h.store.close();
});

test('an answer to a transmission abandoned by going offline still counts when nothing was resent since', async () => {
  const h = harness();
  await onlineWith(h, txEvent('A', 'Started', T0));
  const c = h.transport.pending();
  h.queue.setOnline(false);
  c.result({});
  await settle();
  assert.is(eventsOf(h, 'sent').length, 1);
  h.queue.setOnline(true);
  await settle();
  assert.is(h.transport.calls.length, 1, 'not sent again');
  h.stop();
});

test('1.6 late StartTransaction.conf during the retry wait: its transactionId is used, the Start is not sent again', async () => {
  const h = harness({ protocol: 'ocpp1.6', attemptTimeoutMs: 5000, retry: { attempts: 3, intervalSec: 60 } });
  h.queue.setOnline(true);
  h.queue.enqueue('StartTransaction', startTx16(T0), { transaction: 'L' });
  h.queue.enqueue('StopTransaction', stopTx16(T0 + 1, 1), { transaction: 'L' });
  await settle();
  const start = h.transport.calls[0]!;
  await h.clock.advance(5000);
  start.result({ transactionId: 77, idTagInfo: { status: 'Accepted' } });
  await settle();
  assert.equal(
    h.transport.calls.map((c) => [c.action, c.payload.transactionId]),
    [
      ['StartTransaction', undefined],
      ['StopTransaction', 77],
    ],
  );
  h.stop();
});

test.run();
