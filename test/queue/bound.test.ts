// The bound on queued messages and the drop policy: intermediate meter-value-only updates are thinned out
// (E11.FR.05 / E12.FR.05), loose non-transaction messages go first, a transaction's start and end never, and the
// seqNo sequence on the wire stays contiguous.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { settle } from '../../runtime/queue/clock.js';
import { chooseVictim } from '../../runtime/queue/drop-policy.js';
import { txEvent } from '../helpers/messages.js';
import { eventsOf, harness, onlineWith, type Harness } from './harness.js';

const T0 = Date.UTC(2025, 0, 1);
const ok = () => ({ kind: 'result' as const, response: {} });
const meter = (tx: string, sec: number) => txEvent(tx, 'Updated', T0 + sec * 1000, 'MeterValuePeriodic', sec);
const secOf = (p: unknown) => (Date.parse((p as { timestamp: string }).timestamp) - T0) / 1000;

async function deliverAll(h: Harness) {
  h.transport.autoRespond = ok;
  h.queue.setOnline(true);
  await settle();
}

test('E11.FR.05 E12.FR.05 over the bound the intermediate updates go 1st, 3rd, 5th …; Started is never dropped', () => {
  const h = harness({ maxMessages: 7 });
  h.queue.enqueue('TransactionEvent', txEvent('A', 'Started', T0));
  for (let i = 1; i <= 6; i++) h.queue.enqueue('TransactionEvent', meter('A', i * 10));
  for (let i = 7; i <= 11; i++) h.queue.enqueue('TransactionEvent', meter('A', i * 10));
  assert.equal(
    eventsOf(h, 'dropped').map((d) => secOf(d.payload) / 10),
    [1, 3, 5, 7, 9],
  );
  assert.is(h.queue.size, 7);
  h.stop();
});

test("E11.FR.05 the bound never drops a transaction's Started or Ended, nor non-meter updates: they are kept beyond it", () => {
  const h = harness({ maxMessages: 3 });
  h.queue.enqueue('TransactionEvent', txEvent('A', 'Started', T0));
  h.queue.enqueue('TransactionEvent', txEvent('A', 'Updated', T0 + 1, 'Authorized'));
  h.queue.enqueue('TransactionEvent', txEvent('A', 'Updated', T0 + 2, 'ChargingStateChanged'));
  h.queue.enqueue('TransactionEvent', txEvent('A', 'Ended', T0 + 3));
  h.queue.enqueue('TransactionEvent', txEvent('B', 'Started', T0 + 4));
  assert.equal(eventsOf(h, 'dropped'), []);
  assert.is(h.queue.size, 5);
  assert.equal(
    eventsOf(h, 'overBound').map((e) => e.size),
    [4, 5],
  );
  h.stop();
});

test('loose messages (queued by policy) are dropped before any transaction message, oldest first', () => {
  const h = harness({ maxMessages: 4 });
  h.queue.enqueueOther('NotifyEvent', { generatedAt: new Date(T0).toISOString(), seqNo: 0, eventData: [] }, 'loose');
  h.queue.enqueue('TransactionEvent', txEvent('A', 'Started', T0));
  h.queue.enqueueOther(
    'NotifyEvent',
    { generatedAt: new Date(T0 + 1).toISOString(), seqNo: 1, eventData: [] },
    'loose',
  );
  h.queue.enqueueOther(
    'SecurityEventNotification',
    { type: 'StartupOfTheDevice', timestamp: new Date(T0).toISOString() },
    'keep',
  );
  for (let s = 10; s <= 30; s += 10) h.queue.enqueue('TransactionEvent', meter('A', s));
  assert.equal(
    eventsOf(h, 'dropped').map((d) => [d.action, (d.payload as { seqNo?: number }).seqNo]),
    [
      ['NotifyEvent', 0],
      ['NotifyEvent', 1],
      ['TransactionEvent', 0],
    ],
  );
  assert.equal(
    h.queue.entries().map((e) => e.action),
    ['TransactionEvent', 'SecurityEventNotification', 'TransactionEvent', 'TransactionEvent'],
  );
  h.stop();
});

test('a message already transmitted is never dropped, and seqNo on the wire stays contiguous across drops', async () => {
  const h = harness({ maxMessages: 4 });
  await onlineWith(h, txEvent('A', 'Started', T0), meter('A', 10));
  h.transport.pending().result({});
  await settle();
  const inflight = h.transport.pending(); // the meter value at 10 s, seqNo 1, unanswered
  assert.is(inflight.payload.seqNo, 1);
  h.queue.setOnline(false);
  inflight.disconnect();
  for (let s = 20; s <= 100; s += 10) h.queue.enqueue('TransactionEvent', meter('A', s));
  h.queue.enqueue('TransactionEvent', txEvent('A', 'Ended', T0 + 101_000));
  assert.not.ok(
    eventsOf(h, 'dropped').some((d) => secOf(d.payload) === 10),
    'the transmitted one stays',
  );
  await deliverAll(h);
  const resent = h.transport.calls.slice(2);
  assert.is(secOf(resent[0]!.payload), 10);
  assert.equal(
    resent.map((c) => c.payload.seqNo),
    resent.map((_, i) => i + 1),
    'contiguous from 1',
  );
  assert.is(resent[resent.length - 1]!.payload.eventType, 'Ended');
  h.stop();
});

test('chooseVictim: nothing to drop when only anchors remain; the newest reading of a transaction is kept', () => {
  const e = (id: number, role: string, t: number, txKey: string | null = 'A', sends = 0) => ({
    id,
    role,
    txKey,
    eventTime: t,
    sends,
  });
  assert.is(chooseVictim([e(1, 'start', 0), e(2, 'meter', 10)]), undefined, 'the last message of a transaction stays');
  assert.is(chooseVictim([e(1, 'meter', 0), e(2, 'meter', 10)]), undefined, 'the first queued one stays too');
  assert.is(chooseVictim([e(1, 'start', 0), e(2, 'meter', 10), e(3, 'meter', 20)])?.id, 2);
  assert.is(chooseVictim([e(1, 'start', 0), e(2, 'meter', 10), e(3, 'meter', 20), e(4, 'end', 30)])?.id, 2);
  assert.is(
    chooseVictim([e(1, 'start', 0), e(2, 'meter', 10, 'A', 1), e(3, 'meter', 20), e(4, 'end', 30)])?.id,
    3,
    'sent ones are not candidates',
  );
  // Two transactions: the denser one is thinned first.
  const mixed = [
    e(1, 'start', 0, 'A'),
    e(2, 'start', 0, 'B'),
    e(3, 'meter', 60, 'A'),
    e(4, 'meter', 10, 'B'),
    e(5, 'meter', 120, 'A'),
    e(6, 'meter', 20, 'B'),
  ];
  assert.is(chooseVictim(mixed)?.id, 4);
});

/** One hour offline, a meter value every 10 s, then the connection returns: what reaches the CSMS. */
async function offlineHour(maxMessages: number) {
  const h = harness({ maxMessages });
  h.queue.enqueue('TransactionEvent', txEvent('A', 'Started', T0));
  for (let s = 10; s <= 3600; s += 10) {
    await h.clock.advance(10_000);
    h.queue.enqueue('TransactionEvent', meter('A', s));
  }
  h.queue.enqueue('TransactionEvent', txEvent('A', 'Ended', T0 + 3_601_000));
  await deliverAll(h);
  const wire = h.transport.calls.map((c) => c.payload);
  // Every wire property the CSMS relies on, whatever was dropped:
  assert.is(wire[0]!.eventType, 'Started');
  assert.is(wire[wire.length - 1]!.eventType, 'Ended');
  assert.equal(
    wire.map((p) => p.seqNo),
    wire.map((_, i) => i),
    'seqNo contiguous 0…n-1',
  );
  assert.ok(
    wire.every((p) => p.offline === true),
    'all marked offline',
  );
  const times = wire.map(secOf);
  assert.equal(
    times,
    [...times].sort((a, b) => a - b),
    'in chronological order',
  );
  assert.is(h.store.outbox.count(), 0);
  return { h, wire, times, dropped: eventsOf(h, 'dropped').length };
}

test('E12.FR.01 an hour offline with meter values every 10 s, bound above 362: nothing lost', async () => {
  const { h, wire, dropped } = await offlineHour(400);
  assert.is(wire.length, 362);
  assert.is(dropped, 0);
  h.stop();
});

test('E12.FR.05 an hour offline with meter values every 10 s, bound 100: exactly the bound delivered, evenly thinned', async () => {
  const { h, wire, times, dropped } = await offlineHour(100);
  assert.is(wire.length, 100);
  assert.is(dropped, 262);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const even = (times[times.length - 1]! - times[0]!) / (times.length - 1);
  assert.ok(Math.max(...gaps) <= 2 * even, `largest gap ${Math.max(...gaps)} s, even spacing ${even.toFixed(1)} s`);
  h.stop();
});

test.run();
