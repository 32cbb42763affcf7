// Write before send, strict order one at a time, delete after CALLRESULT, kept across disconnects and restarts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { settle } from '../../runtime/queue/clock.js';
import { txEvent } from '../helpers/messages.js';
import { tempDir } from '../helpers/tmp.js';
import { eventsOf, harness, onlineWith } from './harness.js';

const T0 = Date.UTC(2025, 0, 1);

test('E04.FR.01 a TransactionEvent is committed to the store before it is handed to the transport', async () => {
  const h = harness();
  const storedAtCall: number[] = [];
  const call = h.transport.call.bind(h.transport);
  h.transport.call = (action, payload) => {
    storedAtCall.push(h.store.outbox.count());
    return call(action, payload);
  };
  h.queue.setOnline(true);
  h.queue.enqueue('TransactionEvent', txEvent('tx-1', 'Started', T0));
  assert.equal(storedAtCall, [1]);
  h.stop();
});

test('strict order, one CALL at a time: the next message goes out only after the previous CALLRESULT', async () => {
  const h = harness();
  await onlineWith(
    h,
    txEvent('tx-1', 'Started', T0),
    txEvent('tx-1', 'Updated', T0 + 10_000, 'MeterValuePeriodic', 10),
    txEvent('tx-1', 'Ended', T0 + 20_000),
  );
  for (const expected of ['Started', 'Updated', 'Ended']) {
    const c = h.transport.pending();
    assert.is(c.payload.eventType, expected);
    c.result({});
    await settle();
  }
  assert.is(h.transport.calls.length, 3);
  assert.is(h.queue.size, 0);
  h.stop();
});

test('deleted from the store only after its CALLRESULT, then reported as sent with the response', async () => {
  const h = harness();
  h.queue.setOnline(true);
  const r = h.queue.enqueue('TransactionEvent', txEvent('tx-1', 'Started', T0));
  assert.is(r.status, 'queued');
  await settle();
  assert.is(h.store.outbox.count(), 1, 'still stored while the CALL is open');
  h.transport.pending().result({ idTokenInfo: { status: 'Accepted' } });
  await settle();
  assert.is(h.store.outbox.count(), 0);
  const [sent] = eventsOf(h, 'sent');
  assert.is(sent!.id, r.status === 'queued' ? r.id : -1);
  assert.equal(sent!.response, { idTokenInfo: { status: 'Accepted' } });
  assert.is(sent!.payload.seqNo, 0);
  assert.is(sent!.transmissions, 1);
  h.stop();
});

test('E04.FR.02 kept while offline, sent in order after reconnecting, before messages created later', async () => {
  const h = harness();
  h.queue.enqueue('TransactionEvent', txEvent('tx-1', 'Started', T0));
  h.queue.enqueue('TransactionEvent', txEvent('tx-1', 'Updated', T0 + 1000, 'ChargingStateChanged'));
  await h.clock.advance(3_600_000);
  assert.is(h.transport.calls.length, 0, 'nothing sent while offline');
  h.transport.autoRespond = () => ({ kind: 'result', response: {} });
  await onlineWith(h, txEvent('tx-1', 'Ended', T0 + 2000));
  assert.equal(
    h.transport.calls.map((c) => c.payload.eventType),
    ['Started', 'Updated', 'Ended'],
  );
  h.stop();
});

test('a disconnect mid-CALL is not a failed attempt: resent after reconnecting as a new CALL with the same seqNo', async () => {
  const h = harness();
  await onlineWith(h, txEvent('tx-1', 'Started', T0));
  h.queue.setOnline(false);
  h.transport.pending().disconnect();
  await h.clock.advance(600_000);
  assert.is(h.transport.calls.length, 1);
  h.queue.setOnline(true);
  await settle();
  const again = h.transport.pending();
  assert.is(again.payload.seqNo, 0);
  again.result({});
  await settle();
  assert.equal(eventsOf(h, 'attemptFailed'), [], 'no failed attempt counted');
  assert.is(eventsOf(h, 'sent')[0]!.transmissions, 2);
  h.stop();
});

test('disconnected outcome while still marked online: no failure, resent after the reconnect pause', async () => {
  const h = harness({ reconnectPauseMs: 2000 });
  await onlineWith(h, txEvent('tx-1', 'Started', T0));
  h.transport.pending().disconnect();
  await h.clock.advance(1999);
  assert.is(h.transport.calls.length, 1);
  await h.clock.advance(1);
  assert.is(h.transport.calls.length, 2);
  assert.equal(eventsOf(h, 'attemptFailed'), []);
  h.stop();
});

test('restart recovery from a real file: closed mid-CALL and reopened, the queue resumes in order with the same seqNo', async () => {
  const t = tempDir();
  try {
    let h = harness({ file: t.file('q.db') });
    h.queue.setOnline(true);
    for (let i = 0; i < 4; i++)
      h.queue.enqueue(
        'TransactionEvent',
        txEvent('tx-1', i === 0 ? 'Started' : 'Updated', T0 + i * 1000, 'MeterValuePeriodic', i),
      );
    await settle();
    h.transport.pending().result({}); // seqNo 0 delivered
    await settle();
    assert.is(h.transport.pending().payload.seqNo, 1); // seqNo 1 on the wire, no answer yet: the process stops
    h = h.reopen();
    assert.is(h.queue.size, 3);
    h.transport.autoRespond = () => ({ kind: 'result', response: {} });
    h.queue.setOnline(true);
    h.queue.enqueue('TransactionEvent', txEvent('tx-1', 'Ended', T0 + 9000));
    await settle();
    assert.equal(
      h.transport.calls.map((c) => [c.payload.eventType, c.payload.seqNo]),
      [
        ['Updated', 1],
        ['Updated', 2],
        ['Updated', 3],
        ['Ended', 4],
      ],
    );
    assert.is(h.store.outbox.count(), 0);
    h.stop();
  } finally {
    t.remove();
  }
});

test('bad calls get clear errors naming the field, and store nothing', () => {
  const h = harness();
  const q = h.queue;
  assert.throws(() => q.enqueue('Heartbeat', {}), /Heartbeat is not a transaction-related message in ocpp2.0.1/);
  assert.throws(() => q.enqueue('TransactionEvent', null), /TransactionEventRequest: payload must be an object/);
  assert.throws(
    () => q.enqueue('TransactionEvent', { ...txEvent('x', 'Started', T0), transactionInfo: {} }),
    /transactionInfo\.transactionId: expected a non-empty string/,
  );
  assert.throws(
    () => q.enqueue('TransactionEvent', { ...txEvent('x', 'Started', T0), eventType: 'Begun' }),
    /eventType: expected "Started", "Updated" or "Ended", got "Begun"/,
  );
  assert.throws(
    () => q.enqueue('TransactionEvent', { ...txEvent('x', 'Started', T0), timestamp: 'yesterday' }),
    /TransactionEventRequest\.timestamp: expected an RFC 3339 date-time/,
  );
  assert.throws(
    () => q.enqueue('TransactionEvent', { ...txEvent('x', 'Started', T0), x: NaN }),
    /value is NaN|field "x" is NaN/,
  );
  assert.throws(
    () => q.enqueue('TransactionEvent', txEvent('x', 'Started', T0), { transaction: 'L' }),
    /options\.transaction: only for 1\.6/,
  );
  assert.throws(() => q.setOnline('yes' as never), /setOnline\(online\): expected a boolean/);
  assert.throws(() => q.enqueueOther('', {}, 'keep'), /action/);
  assert.throws(() => q.enqueueOther('NotifyEvent', {}, 'maybe' as never), /role/);
  assert.is(h.store.outbox.count(), 0);
  q.close();
  assert.throws(() => q.enqueue('TransactionEvent', txEvent('x', 'Started', T0)), /closed/);
  h.store.close();
});

test('constructor options are checked by name', () => {
  const h = harness();
  const base = { store: h.store, transport: h.transport, protocol: 'ocpp2.0.1' as const };
  const Q = h.queue.constructor as new (o: unknown) => unknown;
  assert.throws(() => new Q({ ...base, store: {} }), /options\.store/);
  assert.throws(() => new Q({ ...base, transport: {} }), /options\.transport/);
  assert.throws(() => new Q({ ...base, protocol: 'ocpp2.0' }), /options\.protocol/);
  assert.throws(() => new Q({ ...base, maxMessages: 0 }), /options\.maxMessages/);
  assert.throws(() => new Q({ ...base, attemptTimeoutMs: 1.5 }), /options\.attemptTimeoutMs/);
  h.stop();
});

test.run();
