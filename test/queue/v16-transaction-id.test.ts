// 1.6: StopTransaction and transaction MeterValues wait for the CSMS's transactionId from StartTransaction.conf and
// are sent with it; the local↔CSMS mapping survives restarts; no placeholder ever reaches the wire.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { settle } from '../../runtime/queue/clock.js';
import { meterValues16, startTx16, stopTx16 } from '../helpers/messages.js';
import { tempDir } from '../helpers/tmp.js';
import { eventsOf, harness } from './harness.js';

const T0 = Date.UTC(2025, 0, 1);

test('1.6 §3.7 a StopTransaction queued behind its StartTransaction is sent with the transactionId from StartTransaction.conf', async () => {
  const h = harness({ protocol: 'ocpp1.6' });
  h.queue.enqueue('StartTransaction', startTx16(T0), { transaction: 'local-1' });
  h.queue.enqueue('MeterValues', meterValues16(T0 + 10_000, 100), { transaction: 'local-1' });
  h.queue.enqueue('StopTransaction', stopTx16(T0 + 20_000, 200), { transaction: 'local-1' });
  h.queue.setOnline(true);
  await settle();
  const start = h.transport.pending();
  assert.is(start.action, 'StartTransaction');
  assert.not.ok('transactionId' in start.payload);
  start.result({ transactionId: 4711, idTagInfo: { status: 'Accepted' } });
  await settle();
  assert.is(h.queue.csmsTransactionId('local-1'), 4711);
  h.transport.pending().result({});
  await settle();
  h.transport.pending().result({});
  await settle();
  assert.equal(
    h.transport.calls.map((c) => [c.action, c.payload.transactionId]),
    [
      ['StartTransaction', undefined],
      ['MeterValues', 4711],
      ['StopTransaction', 4711],
    ],
  );
  assert.ok(
    h.transport.calls.every((c) => c.payload.transactionId !== -1),
    'never -1 on the wire',
  );
  h.stop();
});

test('1.6 restart before StartTransaction.conf: Start resent, then Stop carries the new transactionId', async () => {
  const t = tempDir();
  try {
    let h = harness({ protocol: 'ocpp1.6', file: t.file('q.db') });
    h.queue.setOnline(true);
    h.queue.enqueue('StartTransaction', startTx16(T0), { transaction: 'L' });
    h.queue.enqueue('StopTransaction', stopTx16(T0 + 1000, 10), { transaction: 'L' });
    await settle();
    assert.is(h.transport.pending().action, 'StartTransaction'); // no answer: the process dies
    h = h.reopen();
    h.queue.setOnline(true);
    await settle();
    h.transport.pending().result({ transactionId: 9, idTagInfo: { status: 'Accepted' } });
    await settle();
    const stop = h.transport.pending();
    assert.equal([stop.action, stop.payload.transactionId], ['StopTransaction', 9]);
    h.stop();
  } finally {
    t.remove();
  }
});

test('1.6 restart between StartTransaction.conf and StopTransaction: the persisted mapping is used', async () => {
  const t = tempDir();
  try {
    let h = harness({ protocol: 'ocpp1.6', file: t.file('q.db') });
    h.queue.setOnline(true);
    h.queue.enqueue('StartTransaction', startTx16(T0), { transaction: 'L' });
    await settle();
    h.transport.pending().result({ transactionId: 31337, idTagInfo: { status: 'Accepted' } });
    await settle();
    h = h.reopen();
    // The station restarts offline and ends the transaction; the Stop is enqueued after the restart.
    h.queue.enqueue('MeterValues', meterValues16(T0 + 500, 5), { transaction: 'L' });
    h.queue.enqueue('StopTransaction', stopTx16(T0 + 1000, 10), { transaction: 'L' });
    h.transport.autoRespond = () => ({ kind: 'result', response: {} });
    h.queue.setOnline(true);
    await settle();
    assert.equal(
      h.transport.calls.map((c) => [c.action, c.payload.transactionId]),
      [
        ['MeterValues', 31337],
        ['StopTransaction', 31337],
      ],
    );
    assert.is(h.queue.csmsTransactionId('L'), undefined, 'mapping forgotten after the Stop was delivered');
    h.stop();
  } finally {
    t.remove();
  }
});

test('1.6 a StartTransaction given up after its attempts takes its dependent messages with it: nothing sent with a placeholder', async () => {
  const h = harness({ protocol: 'ocpp1.6', retry: { attempts: 1, intervalSec: 1 } });
  h.queue.enqueue('StartTransaction', startTx16(T0), { transaction: 'L' });
  h.queue.enqueue('MeterValues', meterValues16(T0 + 1, 1), { transaction: 'L' });
  h.queue.enqueue('StopTransaction', stopTx16(T0 + 2, 2), { transaction: 'L' });
  h.queue.enqueue('StartTransaction', startTx16(T0 + 3), { transaction: 'M' });
  h.queue.setOnline(true);
  await settle();
  h.transport.pending().callError('InternalError');
  await settle();
  assert.equal(
    eventsOf(h, 'discarded').map((d) => [d.action, d.reason]),
    [
      ['StartTransaction', 'attemptsExhausted'],
      ['MeterValues', 'transactionUnknown'],
      ['StopTransaction', 'transactionUnknown'],
    ],
  );
  assert.equal(
    h.transport.calls.map((c) => c.action),
    ['StartTransaction', 'StartTransaction'],
  );
  assert.is(h.transport.pending().payload.timestamp, new Date(T0 + 3).toISOString(), 'the next transaction goes on');
  h.stop();
});

test('1.6 a StartTransaction.conf without an integer transactionId is a failed attempt, not a mapping', async () => {
  const h = harness({ protocol: 'ocpp1.6', retry: { attempts: 2, intervalSec: 1 } });
  h.queue.setOnline(true);
  h.queue.enqueue('StartTransaction', startTx16(T0), { transaction: 'L' });
  await settle();
  h.transport.pending().result({ idTagInfo: { status: 'Accepted' } });
  await settle();
  const [f] = eventsOf(h, 'attemptFailed');
  assert.is(f!.failure, 'error');
  assert.match(String(f!.error), /StartTransactionResponse\.transactionId: expected an integer/);
  assert.is(h.queue.csmsTransactionId('L'), undefined);
  await h.clock.advance(1000);
  h.transport.pending().result({ transactionId: 5, idTagInfo: { status: 'Accepted' } });
  await settle();
  assert.is(h.queue.csmsTransactionId('L'), 5);
  h.stop();
});

test('1.6 bad calls: a Stop without options.transaction, or for a transaction never started, is refused by name', () => {
  const h = harness({ protocol: 'ocpp1.6' });
  assert.throws(
    () => h.queue.enqueue('StopTransaction', stopTx16(T0, 1)),
    /options\.transaction: required for a 1\.6 StopTransaction/,
  );
  assert.throws(
    () => h.queue.enqueue('StopTransaction', stopTx16(T0, 1), { transaction: 'nobody' }),
    /no StartTransaction of local transaction "nobody"/,
  );
  assert.throws(
    () => h.queue.enqueue('StartTransaction', startTx16(T0), { transaction: 7 as never }),
    /options\.transaction: expected a non-empty string/,
  );
  assert.throws(
    () => h.queue.enqueue('MeterValues', { connectorId: 1, meterValue: [] }, {}),
    /MeterValuesRequest\.meterValue: expected a non-empty array/,
  );
  assert.throws(
    () => h.queue.enqueue('TransactionEvent', {}),
    /TransactionEvent is not a transaction-related message in ocpp1\.6/,
  );
  assert.is(h.store.outbox.count(), 0);
  h.stop();
});

test('1.6 MeterValues outside a transaction are queued and sent as they are', async () => {
  const h = harness({ protocol: 'ocpp1.6' });
  h.queue.enqueue('MeterValues', { ...meterValues16(T0, 7), connectorId: 0 });
  h.transport.autoRespond = () => ({ kind: 'result', response: {} });
  h.queue.setOnline(true);
  await settle();
  assert.equal(h.transport.calls[0]!.payload, { ...meterValues16(T0, 7), connectorId: 0 });
  h.stop();
});

test.run();
