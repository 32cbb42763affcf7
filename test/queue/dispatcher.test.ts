// The outgoing-message policy: what is queued, sent directly, kept as latest status, or dropped while offline, and
// what is re-sent after reconnecting.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock, settle } from '../../runtime/queue/clock.js';
import { OutgoingDispatcher } from '../../runtime/queue/dispatcher.js';
import { MessageQueue } from '../../runtime/queue/queue.js';
import type { ProtocolName } from '../../runtime/protocol.js';
import { openSqliteStore, type SqliteStore } from '../../runtime/store/index.js';
import { startTx16, txEvent } from '../helpers/messages.js';
import { tempDir } from '../helpers/tmp.js';
import { TransportDouble } from '../helpers/transport-double.js';

const T0 = Date.UTC(2025, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();
const status2x = (evseId: number, connectorId: number, connectorStatus: string, at = T0) => ({
  timestamp: iso(at),
  connectorStatus,
  evseId,
  connectorId,
});
const status16 = (connectorId: number, status: string) => ({ connectorId, errorCode: 'NoError', status });

interface Setup {
  store: SqliteStore;
  clock: ManualClock;
  transport: TransportDouble;
  queue: MessageQueue;
  d: OutgoingDispatcher;
  config: { queueAll: boolean; threshold: number | undefined };
  stop(): void;
}

function setup(protocol: ProtocolName = 'ocpp2.0.1', file = ':memory:', clock = new ManualClock()): Setup {
  const store = openSqliteStore(file);
  const transport = new TransportDouble();
  const config = { queueAll: false, threshold: protocol === 'ocpp1.6' ? undefined : (60 as number | undefined) };
  const queue = new MessageQueue({ store, transport, clock, protocol });
  const d = new OutgoingDispatcher({
    queue,
    transport,
    store,
    clock,
    queueAllMessages: () => config.queueAll,
    offlineThresholdSec: () => config.threshold,
  });
  return { store, clock, transport, queue, d, config, stop: () => (queue.close(), store.close()) };
}

const answerAll = (s: Setup) => (s.transport.autoRespond = () => ({ kind: 'result', response: {} }));

test('E04.FR.01 E12.FR.01 transaction messages go through the durable queue, online or offline', async () => {
  const s = setup();
  assert.equal(await s.d.send('TransactionEvent', txEvent('A', 'Started', T0)), { status: 'queued', id: 1 });
  assert.is(s.store.outbox.count(), 1);
  answerAll(s);
  await s.d.setOnline(true);
  await settle();
  assert.equal(await s.d.send('TransactionEvent', txEvent('A', 'Ended', T0 + 1)), { status: 'queued', id: 2 });
  await settle();
  assert.equal(
    s.transport.calls.map((c) => c.payload.eventType),
    ['Started', 'Ended'],
  );
  s.stop();
});

test('A04.FR.02 SecurityEventNotification is queued durably while offline and delivered after reconnecting', async () => {
  const s = setup();
  const ev = { type: 'FirmwareUpdated', timestamp: iso(T0) };
  assert.is((await s.d.send('SecurityEventNotification', ev)).status, 'queued');
  answerAll(s);
  await s.d.setOnline(true);
  await settle();
  assert.equal(
    s.transport.calls.map((c) => [c.action, c.payload]),
    [['SecurityEventNotification', ev]],
  );
  s.stop();
});

test('Heartbeat while offline is dropped, not queued; online it is sent directly with its answer returned', async () => {
  const s = setup();
  assert.equal(await s.d.send('Heartbeat', {}), { status: 'notSent', reason: 'offline' });
  assert.is(s.store.outbox.count(), 0);
  answerAll(s);
  await s.d.setOnline(true);
  const r = await s.d.send('Heartbeat', {});
  assert.is(r.status, 'sent');
  assert.equal(
    s.transport.calls.map((c) => c.action),
    ['Heartbeat'],
  );
  s.stop();
});

test('other messages while offline: not queued by default; QueueAllMessages or options.queue queue them for after the reconnect', async () => {
  const s = setup();
  const n = (seqNo: number) => ({ generatedAt: iso(T0), seqNo, eventData: [] });
  assert.equal(await s.d.send('NotifyEvent', n(0)), { status: 'notSent', reason: 'offline' });
  assert.is((await s.d.send('NotifyEvent', n(1), { queue: true })).status, 'queued');
  s.config.queueAll = true;
  assert.is((await s.d.send('NotifyEvent', n(2))).status, 'queued');
  assert.equal(await s.d.send('Heartbeat', {}), { status: 'notSent', reason: 'offline' }, 'heartbeats never queued');
  answerAll(s);
  await s.d.setOnline(true);
  await settle();
  assert.equal(
    s.transport.calls.map((c) => [c.action, c.payload.seqNo]),
    [
      ['NotifyEvent', 1],
      ['NotifyEvent', 2],
    ],
  );
  s.stop();
});

test('direct sends report the outcome: a CALLERROR is "failed", a throwing transport does not reject', async () => {
  const s = setup();
  await s.d.setOnline(true);
  const p = s.d.send('Authorize', { idToken: { idToken: 'X', type: 'ISO14443' } });
  await settle();
  s.transport.pending().callError('SecurityError', 'nope');
  assert.equal(await p, {
    status: 'failed',
    outcome: { kind: 'callError', code: 'SecurityError', description: 'nope' },
  });
  s.transport.call = () => {
    throw new Error('bug');
  };
  const r = await s.d.send('Authorize', { idToken: { idToken: 'X', type: 'ISO14443' } });
  assert.is(r.status, 'failed');
  s.stop();
});

test('B04.FR.02 short offline period: only connectors whose status changed are reported, latest status each, in event order, before the queue resumes', async () => {
  const s = setup();
  answerAll(s);
  await s.d.setOnline(true, { afterBoot: true });
  for (const [e, c] of [
    [1, 1],
    [2, 1],
    [3, 1],
  ] as const)
    await s.d.send('StatusNotification', status2x(e, c, 'Available'));
  await settle();
  s.transport.calls.length = 0;
  await s.d.setOnline(false);
  assert.equal(await s.d.send('StatusNotification', status2x(2, 1, 'Occupied', T0 + 1)), { status: 'deferred' });
  await s.d.send('TransactionEvent', txEvent('A', 'Started', T0 + 2));
  await s.d.send('StatusNotification', status2x(1, 1, 'Faulted', T0 + 3));
  await s.d.send('StatusNotification', status2x(2, 1, 'Available', T0 + 4));
  assert.is(s.transport.calls.length, 0);
  await s.clock.advance(30_000); // below OfflineThreshold (60 s)
  await s.d.setOnline(true);
  await settle();
  assert.equal(
    s.transport.calls.map((c) => [c.action, c.payload.evseId ?? c.payload.eventType, c.payload.connectorStatus]),
    [
      ['StatusNotification', 1, 'Faulted'],
      ['StatusNotification', 2, 'Available'],
      ['TransactionEvent', 'Started', undefined],
    ],
  );
  s.stop();
});

test('B04.FR.01 offline longer than OfflineThreshold: the status of every connector is reported', async () => {
  const s = setup();
  answerAll(s);
  await s.d.setOnline(true, { afterBoot: true });
  for (const e of [1, 2, 3]) await s.d.send('StatusNotification', status2x(e, 1, 'Available'));
  s.transport.calls.length = 0;
  await s.d.setOnline(false);
  await s.d.send('StatusNotification', status2x(2, 1, 'Unavailable'));
  await s.clock.advance(61_000);
  await s.d.setOnline(true);
  assert.equal(
    s.transport.calls.map((c) => [c.payload.evseId, c.payload.connectorStatus]),
    [
      [1, 'Available'],
      [3, 'Available'],
      [2, 'Unavailable'],
    ],
  );
  s.stop();
});

test('after a reboot (afterBoot) the status of every connector is reported, from statuses kept in the store file', async () => {
  const t = tempDir();
  try {
    const clock = new ManualClock();
    let s = setup('ocpp2.0.1', t.file('s.db'), clock);
    answerAll(s);
    await s.d.setOnline(true, { afterBoot: true });
    await s.d.send('StatusNotification', status2x(1, 1, 'Available'));
    await s.d.send('StatusNotification', status2x(1, 2, 'Occupied'));
    s.stop();
    s = setup('ocpp2.0.1', t.file('s.db'), clock); // restart
    answerAll(s);
    await s.d.setOnline(true, { afterBoot: true });
    assert.equal(
      s.transport.calls.map((c) => [c.payload.evseId, c.payload.connectorId, c.payload.connectorStatus]),
      [
        [1, 1, 'Available'],
        [1, 2, 'Occupied'],
      ],
    );
    s.stop();
  } finally {
    t.remove();
  }
});

test('1.6 §4.9 after reconnecting only statuses that changed while offline are sent (no OfflineThreshold in 1.6)', async () => {
  const s = setup('ocpp1.6');
  answerAll(s);
  await s.d.setOnline(true, { afterBoot: true });
  await s.d.send('StatusNotification', status16(1, 'Available'));
  await s.d.send('StatusNotification', status16(2, 'Available'));
  s.transport.calls.length = 0;
  await s.d.setOnline(false);
  await s.d.send('StatusNotification', status16(2, 'Preparing'));
  await s.d.send('StartTransaction', startTx16(T0), { transaction: 'L' });
  await s.clock.advance(86_400_000);
  await s.d.setOnline(true);
  await settle();
  assert.equal(
    s.transport.calls.map((c) => [c.action, c.payload.status]),
    [
      ['StatusNotification', 'Preparing'],
      ['StartTransaction', undefined],
    ],
  );
  s.stop();
});

test('a status whose send was cut off by a disconnect is reported after the next reconnect', async () => {
  const s = setup();
  await s.d.setOnline(true, { afterBoot: true });
  const p = s.d.send('StatusNotification', status2x(1, 1, 'Occupied'));
  await settle();
  s.transport.pending().disconnect();
  assert.is((await p).status, 'failed');
  await s.d.setOnline(false);
  answerAll(s);
  await s.d.setOnline(true);
  assert.equal(
    s.transport.calls.slice(1).map((c) => c.payload.connectorStatus),
    ['Occupied'],
  );
  assert.equal(
    s.d.statuses().map((x) => x.dirty),
    [false],
  );
  s.stop();
});

test('E04.FR.03 a TransactionEvent created during the status flush after reconnecting is online (no offline flag) and follows the statuses', async () => {
  const s = setup();
  await s.d.send('StatusNotification', status2x(1, 1, 'Occupied'));
  await s.d.send('TransactionEvent', txEvent('A', 'Started', T0));
  const online = s.d.setOnline(true);
  await settle();
  assert.is(s.transport.pending().action, 'StatusNotification');
  await s.d.send('TransactionEvent', txEvent('A', 'Updated', T0 + 1, 'ChargingStateChanged'));
  await settle();
  assert.is(s.transport.calls.length, 1, 'the queue waits for the statuses');
  answerAll(s);
  s.transport.pending().result({});
  await online;
  await settle();
  assert.equal(
    s.transport.calls.map((c) => [c.action, c.payload.offline]),
    [
      ['StatusNotification', undefined],
      ['TransactionEvent', true],
      ['TransactionEvent', undefined],
    ],
  );
  s.stop();
});

test('going offline during the status flush stops it and holds the queue', async () => {
  const s = setup();
  await s.d.setOnline(false);
  await s.d.send('StatusNotification', status2x(1, 1, 'Occupied'));
  await s.d.send('StatusNotification', status2x(2, 1, 'Occupied'));
  await s.d.send('TransactionEvent', txEvent('A', 'Started', T0));
  const online = s.d.setOnline(true);
  await settle();
  await s.d.setOnline(false);
  s.transport.pending().disconnect();
  await online;
  await settle();
  assert.equal(
    s.transport.calls.map((c) => c.action),
    ['StatusNotification'],
    'neither the second status nor the queue went out',
  );
  assert.is(s.queue.online, false);
  s.stop();
});

test('bad calls get clear errors', async () => {
  const s = setup();
  let err: unknown;
  err = await s.d.send('', {}).catch((e) => e);
  assert.match(String(err), /action must be a non-empty string/);
  err = await s.d.send('Heartbeat', null).catch((e) => e);
  assert.match(String(err), /send\(Heartbeat\): payload must be an object/);
  err = await s.d.send('StatusNotification', { connectorStatus: 'Available', connectorId: 1 }).catch((e) => e);
  assert.match(String(err), /StatusNotificationRequest\.evseId: expected an integer/);
  err = await s.d.setOnline(1 as never).catch((e) => e);
  assert.match(String(err), /setOnline\(online\): expected a boolean/);
  s.stop();
});

test.run();
