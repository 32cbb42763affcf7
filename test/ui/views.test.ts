// The pure parts of the web view: the station as the CSMS saw it (csms-view.ts), built from what 2.0.1 and 1.6
// stations send, defensive against odd input; and the message feed (message-feed.ts): answers named after their
// CALL, CALLERRORs and unreadable frames, and every bound (messages and bytes per station, payload size, stations).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LoggedMessage } from '../../runtime/csms/simple-csms.js';
import { frameEntry, rawEntry } from '../../runtime/rpc/trace.js';
import { CsmsStationView, MAX_EVSES } from '../../runtime/ui/csms-view.js';
import {
  HISTORY_BYTES,
  HISTORY_LIMIT,
  MAX_STATIONS,
  MessageFeed,
  PAYLOAD_CHARS,
} from '../../runtime/ui/message-feed.js';
import type { UiMessage } from '../../runtime/ui/types.js';
import { browserTest } from './support.js';

const from = (identity: string, action: string, request: unknown, response: unknown = {}): LoggedMessage => ({
  at: 0,
  identity,
  direction: 'in',
  action,
  request,
  response,
});

test('csms view, 2.0.1: registration, connector status per EVSE and connector, a transaction whose later events name no EVSE, its meter in Wh and W, and its end', () => {
  const v = new CsmsStationView('CS-2');
  v.apply(from('CS-2', 'BootNotification', { reason: 'PowerUp' }, { status: 'Accepted', interval: 300 }));
  v.apply(from('CS-2', 'StatusNotification', { evseId: 2, connectorId: 1, connectorStatus: 'Available' }));
  v.apply(from('CS-2', 'StatusNotification', { evseId: 1, connectorId: 2, connectorStatus: 'Occupied' }));
  v.apply(from('CS-2', 'StatusNotification', { evseId: 1, connectorId: 1, connectorStatus: 'Available' }));
  const meter = (kWh: number, kW: number) => [
    {
      timestamp: '2026-01-01T00:00:00Z',
      sampledValue: [
        { value: kWh, unitOfMeasure: { unit: 'kWh' } },
        { value: kWh * 1000 + 999, phase: 'L1' },
        { value: kW, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W', multiplier: 3 } },
      ],
    },
  ];
  const tx = (eventType: string, extra: object) =>
    from('CS-2', 'TransactionEvent', { eventType, transactionInfo: { transactionId: 'T-1' }, ...extra });
  v.apply(tx('Started', { evse: { id: 1, connectorId: 2 }, meterValue: meter(0, 11) }));
  v.apply(tx('Updated', { meterValue: meter(1.5, 7.4) }));
  assert.equal(v.view(), {
    identity: 'CS-2',
    connected: false,
    registration: 'Accepted',
    evses: [
      {
        id: 1,
        connectors: [
          { id: 1, status: 'Available' },
          { id: 2, status: 'Occupied' },
        ],
        transactionId: 'T-1',
        energyWh: 1500,
        powerW: 7400,
      },
      { id: 2, connectors: [{ id: 1, status: 'Available' }] },
    ],
  });
  v.apply(tx('Ended', { meterValue: meter(2, 0) }));
  const evse1 = v.view().evses[0]!;
  assert.is(evse1.transactionId, undefined);
  assert.is(evse1.powerW, undefined);
  assert.is(evse1.energyWh, 2000);
});

test('csms view, 1.6: connector n is EVSE n, connector 0 (the station) is not an EVSE, StartTransaction with its meterStart, MeterValues, StopTransaction', () => {
  const v = new CsmsStationView('CS-16');
  v.apply(from('CS-16', 'StatusNotification', { connectorId: 0, status: 'Available', errorCode: 'NoError' }));
  v.apply(from('CS-16', 'StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' }));
  v.apply(
    from(
      'CS-16',
      'StartTransaction',
      { connectorId: 1, idTag: 'A', meterStart: 1200, timestamp: '2026-01-01T00:00:00Z' },
      { transactionId: 42, idTagInfo: { status: 'Accepted' } },
    ),
  );
  v.apply(
    from('CS-16', 'MeterValues', {
      connectorId: 1,
      transactionId: 42,
      meterValue: [{ timestamp: '2026-01-01T00:00:01Z', sampledValue: [{ value: '1.5', unit: 'kWh' }] }],
    }),
  );
  assert.equal(v.view().evses, [
    { id: 1, connectors: [{ id: 1, status: 'Preparing' }], transactionId: '42', energyWh: 1500 },
  ]);
  v.apply(from('CS-16', 'StopTransaction', { transactionId: 42, meterStop: 1600, timestamp: '2026-01-01T00:01:00Z' }));
  assert.is(v.view().evses[0]!.transactionId, undefined);
});

test('csms view: odd input changes nothing and never throws (EVSE ids out of range, wrong types, CSMS-initiated calls)', () => {
  const v = new CsmsStationView('CS-X');
  const before = JSON.stringify(v.view());
  for (const m of [
    from('CS-X', 'StatusNotification', { evseId: MAX_EVSES + 1, connectorId: 1, connectorStatus: 'Available' }),
    from('CS-X', 'StatusNotification', { evseId: -1, connectorId: 1, connectorStatus: 'Available' }),
    from('CS-X', 'StatusNotification', { evseId: 1.5, connectorId: 1, connectorStatus: 'Available' }),
    from('CS-X', 'StatusNotification', null),
    from('CS-X', 'TransactionEvent', { eventType: 'Updated', transactionInfo: { transactionId: 'NO-EVSE' } }),
    from('CS-X', 'MeterValues', { evseId: 1, meterValue: 'not a list' }),
    from('CS-X', 'StartTransaction', { connectorId: 1 }, { transactionId: 'x' }),
    {
      ...from('CS-X', 'StatusNotification', { evseId: 1, connectorId: 1, connectorStatus: 'Faulted' }),
      direction: 'out' as const,
    },
  ]) {
    v.apply(m);
  }
  const after = v.view();
  // MeterValues for EVSE 1 makes it known, with no reading.
  assert.equal(
    after.evses.filter((e) => e.energyWh !== undefined || e.connectors.length > 0 || e.transactionId !== undefined),
    [],
    `${before} → ${JSON.stringify(after)}`,
  );
});

test('message feed: travel by side, answers named after their CALL, CALLERROR and unreadable frames, numbered per station', () => {
  const feed = new MessageFeed('csms');
  const seen: Array<[string, UiMessage]> = [];
  feed.onMessage((id, m) => seen.push([id, m]));
  feed.sink(frameEntry(0, 'A', 'ocpp2.0.1', 'in', [2, 'm1', 'Heartbeat', {}]));
  feed.sink(frameEntry(1, 'A', 'ocpp2.0.1', 'out', [3, 'm1', { currentTime: 'x' }]));
  feed.sink(frameEntry(2, 'B', 'ocpp2.0.1', 'out', [2, 'c1', 'Reset', { type: 'Immediate' }]));
  feed.sink(frameEntry(3, 'B', 'ocpp2.0.1', 'in', [4, 'c1', 'NotSupported', 'no', {}]));
  feed.sink(rawEntry(4, 'B', 'ocpp2.0.1', '[2,"x",'));
  feed.sink({ time: new Date(5).toISOString(), station: 'B', direction: 'event', event: 'connected' });
  assert.equal(
    seen.map(([id, m]) => [id, m.seq, m.travel, m.kind, m.action]),
    [
      ['A', 1, 'toCsms', 'call', 'Heartbeat'],
      ['A', 2, 'toStation', 'result', 'Heartbeat'],
      ['B', 1, 'toStation', 'call', 'Reset'],
      ['B', 2, 'toCsms', 'error', 'Reset'],
      ['B', 3, 'toCsms', 'unreadable', undefined],
    ],
  );
  assert.equal(seen[3]![1].payload, { errorCode: 'NotSupported', errorDescription: 'no', errorDetails: {} });
  assert.is(feed.history('B')!.length, 3);
  assert.is(feed.history('C'), undefined);
  // A station's trace: `out` travels to the CSMS.
  const own = new MessageFeed('station');
  own.sink(frameEntry(0, 'S', 'ocpp2.0.1', 'out', [2, 'b', 'BootNotification', {}]));
  assert.is(own.history('S')![0]!.travel, 'toCsms');
});

test('message feed bounds: the last HISTORY_LIMIT messages, HISTORY_BYTES per station, long payloads replaced, MAX_STATIONS stations', () => {
  const feed = new MessageFeed('csms');
  for (let i = 1; i <= HISTORY_LIMIT + 10; i++)
    feed.sink(frameEntry(i, 'A', undefined, 'in', [2, `m${i}`, 'Heartbeat', {}]));
  const kept = feed.history('A')!;
  assert.is(kept.length, HISTORY_LIMIT);
  assert.is(kept[0]!.seq, 11);
  assert.is(kept.at(-1)!.seq, HISTORY_LIMIT + 10);

  feed.sink(
    frameEntry(0, 'BIG', undefined, 'in', [
      2,
      'big',
      'DataTransfer',
      { vendorId: 'v', data: 'x'.repeat(PAYLOAD_CHARS * 4) },
    ]),
  );
  const big = feed.history('BIG')![0]!;
  assert.equal(Object.keys(big.payload as object), ['omitted']);
  assert.ok(JSON.stringify(big).length < 1000);

  const chunk = 'y'.repeat(PAYLOAD_CHARS - 400);
  for (let i = 0; i < 100; i++)
    feed.sink(frameEntry(i, 'FAT', undefined, 'in', [2, `f${i}`, 'DataTransfer', { vendorId: 'v', data: chunk }]));
  const fat = feed.history('FAT')!;
  const bytes = fat.reduce((n, m) => n + JSON.stringify(m).length, 0);
  assert.ok(bytes <= HISTORY_BYTES, `${bytes} bytes kept`);
  assert.ok(fat.length < 100 && fat.at(-1)!.seq === 100);

  for (let i = 0; i < MAX_STATIONS + 5; i++)
    feed.sink(frameEntry(i, `S-${i}`, undefined, 'in', [2, 'h', 'Heartbeat', {}]));
  assert.is(feed.history('A'), undefined, 'the station heard from least recently is forgotten first');
  assert.ok(feed.history(`S-${MAX_STATIONS + 4}`));
});

test('without Chromium a browser test is skipped with a message, and fails under CI=true naming what is missing', async () => {
  const calls: string[] = [];
  let registered: (() => Promise<void>) | undefined;
  const register = Object.assign(
    (name: string, fn: () => Promise<void>) => {
      calls.push(`test ${name}`);
      registered = fn;
    },
    { skip: (name: string) => void calls.push(`skip ${name}`) },
  );
  const body = async () => {};
  const missing = '/nonexistent/chromium';
  browserTest(register, 'page', body, {}, missing);
  assert.equal(calls, ['skip page']);
  browserTest(register, 'page', body, { CI: 'true' }, missing);
  assert.equal(calls, ['skip page', 'test page']);
  try {
    await registered!();
    assert.unreachable('a missing browser passed under CI');
  } catch (e) {
    assert.match((e as Error).message, /\/nonexistent\/chromium is missing \(Debian: apt-get install chromium\)/);
  }
  browserTest(register, 'page', body, { CI: 'true' }, process.execPath);
  assert.is(registered, body, 'with the browser present, the test itself is registered');
});

test.run();
