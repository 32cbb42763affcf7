// 2.x: seqNo contiguous per transaction (also across restarts and retransmissions) and the offline flag.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { settle } from '../../runtime/queue/clock.js';
import { txEvent } from '../helpers/messages.js';
import { tempDir } from '../helpers/tmp.js';
import { harness, onlineWith } from './harness.js';

const T0 = Date.UTC(2025, 0, 1);
const ok = () => ({ kind: 'result' as const, response: {} });

test('E04.FR.04 seqNo starts at 0 and increases by 1 per message, separately per transaction', async () => {
  const h = harness({ protocol: 'ocpp2.1' });
  h.transport.autoRespond = ok;
  await onlineWith(
    h,
    txEvent('A', 'Started', T0),
    txEvent('B', 'Started', T0 + 1),
    txEvent('A', 'Updated', T0 + 2, 'ChargingStateChanged'),
    txEvent('A', 'Ended', T0 + 3),
    txEvent('B', 'Updated', T0 + 4, 'MeterValuePeriodic', 3),
  );
  assert.equal(
    h.transport.calls.map((c) => [
      (c.payload.transactionInfo as { transactionId: string }).transactionId,
      c.payload.seqNo,
    ]),
    [
      ['A', 0],
      ['B', 0],
      ['A', 1],
      ['A', 2],
      ['B', 1],
    ],
  );
  h.stop();
});

test('E04.FR.03 E12.FR.02 created while offline: sent with offline = true; created online: no offline flag', async () => {
  const h = harness();
  h.transport.autoRespond = ok;
  h.queue.enqueue('TransactionEvent', txEvent('A', 'Started', T0));
  h.queue.enqueue('TransactionEvent', txEvent('A', 'Updated', T0 + 1, 'Authorized'));
  await onlineWith(h, txEvent('A', 'Ended', T0 + 2));
  assert.equal(
    h.transport.calls.map((c) => c.payload.offline),
    [true, true, undefined],
  );
  h.stop();
});

test('E11.FR.07 every TransactionEvent still queued when the station goes offline is sent with offline = true', async () => {
  const h = harness();
  await onlineWith(h, txEvent('A', 'Started', T0), txEvent('A', 'Updated', T0 + 1, 'ChargingStateChanged'));
  assert.is(h.transport.pending().payload.offline, undefined, 'sent online without the flag');
  h.queue.setOnline(false); // the answer never came
  h.transport.pending().disconnect();
  h.transport.autoRespond = ok;
  h.queue.setOnline(true);
  await settle();
  assert.equal(
    h.transport.calls.slice(1).map((c) => [c.payload.seqNo, c.payload.offline]),
    [
      [0, true],
      [1, true],
    ],
  );
  h.stop();
});

test('E04.FR.04 seqNo contiguous across restarts: a message sent before the crash keeps its seqNo, later ones follow', async () => {
  const t = tempDir();
  try {
    let h = harness({ file: t.file('q.db') });
    h.queue.setOnline(true);
    h.queue.enqueue('TransactionEvent', txEvent('A', 'Started', T0));
    await settle();
    h.transport.pending().result({});
    await settle();
    h.queue.enqueue('TransactionEvent', txEvent('A', 'Updated', T0 + 1, 'MeterValuePeriodic', 1));
    await settle();
    const lost = h.transport.pending(); // seqNo 1 is on the wire when the process dies
    assert.is(lost.payload.seqNo, 1);
    h = h.reopen();
    h.queue.enqueue('TransactionEvent', txEvent('A', 'Updated', T0 + 2, 'MeterValuePeriodic', 2)); // created offline, after the restart
    h = h.reopen();
    h.transport.autoRespond = ok;
    h.queue.setOnline(true);
    h.queue.enqueue('TransactionEvent', txEvent('A', 'Ended', T0 + 3));
    await settle();
    assert.equal(
      h.transport.calls.map((c) => [c.payload.eventType, c.payload.seqNo, c.payload.offline]),
      [
        ['Updated', 1, true],
        ['Updated', 2, true],
        ['Ended', 3, undefined],
      ],
    );
    h.stop();
  } finally {
    t.remove();
  }
});

test('the queue owns seqNo and offline: values the caller put in the payload are replaced', async () => {
  const h = harness();
  h.transport.autoRespond = ok;
  await onlineWith(h, { ...txEvent('A', 'Started', T0), seqNo: 17 });
  assert.is(h.transport.calls[0]!.payload.seqNo, 0);
  h.stop();
});

test("a transaction's seqNo counter is forgotten once its Ended message is delivered", async () => {
  const h = harness();
  h.transport.autoRespond = ok;
  await onlineWith(h, txEvent('A', 'Started', T0));
  assert.is(h.store.get('queue.seqNo', 'A'), 1);
  h.queue.enqueue('TransactionEvent', txEvent('A', 'Ended', T0 + 1));
  await settle();
  assert.is(h.store.get('queue.seqNo', 'A'), undefined);
  h.stop();
});

test.run();
