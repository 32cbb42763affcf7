// R01, R04, R05 as flows through the real Shell with a ManualClock: what SetDERControl, GetDERControl and
// ClearDERControl answer, what is stored and reported, what reaches the inverter (hardware.applyDERControls), the
// NotifyDERStartStop of scheduled controls, the kept controls after a restart, and NotifyDERAlarm.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DERControlEnumType, SetDERControlRequest } from '../../generated/v21/types.js';
import { ManualClock } from '../../runtime/queue/clock.js';
import { derCapability } from '../../runtime/station/R-der/controls.js';
import { derUseCase, type DerControlInForce } from '../../runtime/station/R-der/der.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import type { Store } from '../../runtime/store/types.js';
import { drive, type Driver } from '../support/shell-driver.js';

const SUPPORTED: DERControlEnumType[] = [
  'FreqDroop',
  'VoltVar',
  'LimitMaxDischarge',
  'EnterService',
  'Gradients',
  'HFMustTrip',
  'FixedPFInject',
];
const MIN = 60_000;

function station(o: { store?: Store; clock?: ManualClock } = {}): Driver {
  const d = drive([derUseCase], {
    version: 'ocpp2.1',
    deviceModel: { components: [derCapability(SUPPORTED)] },
    ...(o.store ? { store: o.store } : {}),
    ...(o.clock ? { clock: o.clock } : {}),
  });
  d.dispatch({ type: 'connected', version: 'ocpp2.1' });
  return d;
}

let n = 0;
/** A CSMS request answered; its after-effects run as once the CALLRESULT is out. */
function call(d: Driver, action: string, request: unknown): any {
  const id = `m${++n}`;
  const response = d.shell.answer(action, request, id);
  d.shell.answered(id);
  return response;
}

const droop = (priority: number, timing: { startTime?: string; duration?: number } = {}) => ({
  priority,
  overFreq: 50.2,
  underFreq: 49.8,
  overDroop: 4,
  underDroop: 4,
  responseTime: 2,
  ...timing,
});
const setDroop = (
  controlId: string,
  priority: number,
  isDefault = true,
  timing: { startTime?: string; duration?: number } = {},
): SetDERControlRequest => ({ isDefault, controlId, controlType: 'FreqDroop', freqDroop: droop(priority, timing) });

const applied = (d: Driver): DerControlInForce[][] =>
  d.hardware.filter((h) => h.op === 'applyDERControls').map((h) => h.args[0] as DerControlInForce[]);
const lastApplied = (d: Driver) =>
  applied(d)
    .at(-1)
    ?.map((c) => c.controlId);
const sentOf = (d: Driver, action: string) => d.sent.filter((s) => s.action === action).map((s) => s.payload);

test('R04.FR.02 R01.FR.03 a default control is accepted, stored and handed to the inverter', () => {
  const d = station();
  assert.equal(applied(d), [[]], 'the (empty) set in force is handed once at the start');
  assert.equal(call(d, 'SetDERControl', setDroop('D1', 5)), { status: 'Accepted' });
  assert.equal(applied(d).at(-1), [
    { controlId: 'D1', controlType: 'FreqDroop', isDefault: true, field: 'freqDroop', setting: droop(5) },
  ]);
  assert.equal(call(d, 'GetDERControl', { requestId: 1 }), { status: 'Accepted' });
});

test('R04.FR.03 a default with a lower priority value answers supersededIds and replaces the old one at the inverter', () => {
  const d = station();
  call(d, 'SetDERControl', setDroop('D1', 5));
  assert.equal(call(d, 'SetDERControl', setDroop('D2', 1)), { status: 'Accepted', supersededIds: ['D1'] });
  assert.equal(lastApplied(d), ['D2']);
  call(d, 'GetDERControl', { requestId: 7, controlType: 'FreqDroop' });
  const [report] = sentOf(d, 'ReportDERControl');
  assert.equal(
    report.freqDroop.map((f: any) => [f.id, f.isSuperseded]),
    [
      ['D1', true],
      ['D2', false],
    ],
  );
});

test('R04.FR.01 R04.FR.36 R04.FR.43 R03.FR.03 a control type the station does not declare in ACDERCtrlr.ModesSupported is NotSupported, nothing stored', () => {
  const d = station();
  const set = call(d, 'SetDERControl', {
    isDefault: true,
    controlId: 'W1',
    controlType: 'WattVar',
    curve: { priority: 1, yUnit: 'PctMaxVar', curveData: [{ x: 0, y: 0 }] },
  });
  assert.is(set.status, 'NotSupported');
  assert.equal(call(d, 'GetDERControl', { requestId: 2, controlType: 'WattVar' }), { status: 'NotSupported' });
  assert.equal(call(d, 'ClearDERControl', { isDefault: true, controlType: 'WattVar' }), { status: 'NotSupported' });
  assert.equal(call(d, 'GetDERControl', { requestId: 3 }), { status: 'NotFound' });
  assert.equal(applied(d).length, 1, 'nothing new for the inverter');
});

const badControls: Array<[string, SetDERControlRequest]> = [
  ['R04.FR.13 a default with a startTime', setDroop('B1', 1, true, { startTime: '2025-01-01T01:00:00Z' })],
  ['R04.FR.13 a default with a duration', setDroop('B2', 1, true, { duration: 60 })],
  [
    'R04.FR.15 a scheduled EnterService',
    {
      isDefault: false,
      controlId: 'B3',
      controlType: 'EnterService',
      enterService: { priority: 1, highVoltage: 253, lowVoltage: 207, highFreq: 50.1, lowFreq: 49.9 },
    },
  ],
  [
    'R04.FR.15 a scheduled Gradients',
    {
      isDefault: false,
      controlId: 'B4',
      controlType: 'Gradients',
      gradient: { priority: 1, gradient: 10, softGradient: 5 },
    },
  ],
  ['R04.FR.17 a control without its field', { isDefault: true, controlId: 'B5', controlType: 'FreqDroop' }],
  [
    'R04.FR.17 a control with the field of another type',
    {
      isDefault: true,
      controlId: 'B6',
      controlType: 'FreqDroop',
      limitMaxDischarge: { priority: 1, pctMaxDischargePower: 50 },
    },
  ],
  [
    'R04.FR.17 a control with two fields',
    {
      isDefault: true,
      controlId: 'B7',
      controlType: 'LimitMaxDischarge',
      limitMaxDischarge: { priority: 1, pctMaxDischargePower: 50 },
      freqDroop: droop(1),
    },
  ],
  [
    'R04.FR.16 a curve type given a freqDroop',
    { isDefault: true, controlId: 'B8', controlType: 'HFMustTrip', freqDroop: droop(1) },
  ],
];

test('R04.FR.13 R04.FR.15 R04.FR.16 R04.FR.17 bad controls are Rejected and nothing is stored', () => {
  const d = station();
  for (const [name, request] of badControls) {
    const r = call(d, 'SetDERControl', request);
    assert.is(r.status, 'Rejected', name);
    assert.is(r.statusInfo.reasonCode, 'InvalidValue', name);
  }
  assert.equal(call(d, 'GetDERControl', { requestId: 4 }), { status: 'NotFound' });
  assert.equal(applied(d).length, 1);
});

test('R04.FR.30 R04.FR.31 R04.FR.33 R04.FR.34 R04.FR.35 R04.FR.37 GetDERControl filters and reports with the requestId', () => {
  const d = station();
  call(d, 'SetDERControl', setDroop('D1', 5));
  call(d, 'SetDERControl', {
    isDefault: true,
    controlId: 'L1',
    controlType: 'LimitMaxDischarge',
    limitMaxDischarge: { priority: 3, pctMaxDischargePower: 50 },
  });
  call(d, 'SetDERControl', setDroop('S1', 1, false, { startTime: '2025-01-01T06:00:00Z', duration: 600 }));
  const ids = (request: object) => {
    d.sent.length = 0;
    const r = call(d, 'GetDERControl', { requestId: 42, ...request });
    if (r.status !== 'Accepted') return r.status;
    const parts = sentOf(d, 'ReportDERControl');
    assert.ok(
      parts.every((p) => p.requestId === 42),
      'R04.FR.31',
    );
    return parts
      .flatMap((p) => [...(p.freqDroop ?? []), ...(p.limitMaxDischarge ?? [])])
      .map((c: any) => c.id)
      .sort();
  };
  assert.equal(ids({}), ['D1', 'L1', 'S1'], 'R04.FR.33');
  assert.equal(ids({ controlType: 'FreqDroop' }), ['D1', 'S1'], 'R04.FR.34');
  assert.equal(ids({ controlType: 'FreqDroop', isDefault: false }), ['S1'], 'R04.FR.34 with isDefault');
  assert.equal(ids({ controlId: 'L1' }), ['L1'], 'R04.FR.35');
  assert.equal(ids({ isDefault: true }), ['D1', 'L1'], 'R04.FR.37');
  assert.equal(ids({ controlId: 'nope' }), 'NotFound', 'R04.FR.30');
  assert.equal(ids({ controlType: 'VoltVar' }), 'NotFound', 'R04.FR.30 a supported type not set');
});

test('R04.FR.32 more than 24 controls are reported in parts, tbc on all but the last', () => {
  const d = station();
  for (let i = 0; i < 30; i++)
    call(d, 'SetDERControl', setDroop(`S${i}`, 1, false, { startTime: '2025-02-01T00:00:00Z', duration: 60 }));
  d.sent.length = 0;
  assert.equal(call(d, 'GetDERControl', { requestId: 9 }), { status: 'Accepted' });
  const parts = sentOf(d, 'ReportDERControl');
  assert.equal(
    parts.map((p) => [p.freqDroop.length, p.tbc]),
    [
      [24, true],
      [6, undefined],
    ],
  );
});

test('R04.FR.41 R04.FR.42 R04.FR.44 R04.FR.45 R04.FR.46 ClearDERControl', () => {
  const d = station();
  call(d, 'SetDERControl', setDroop('D1', 5));
  call(d, 'SetDERControl', {
    isDefault: true,
    controlId: 'L1',
    controlType: 'LimitMaxDischarge',
    limitMaxDischarge: { priority: 3, pctMaxDischargePower: 50 },
  });
  call(d, 'SetDERControl', setDroop('S1', 1, false, { startTime: '2025-01-01T06:00:00Z', duration: 600 }));
  assert.equal(
    call(d, 'ClearDERControl', { isDefault: true, controlType: 'VoltVar' }),
    { status: 'NotFound' },
    'FR.41',
  );
  assert.equal(call(d, 'ClearDERControl', { isDefault: true, controlId: 'S1' }), { status: 'NotFound' }, 'FR.42');
  assert.equal(call(d, 'ClearDERControl', { isDefault: false, controlId: 'S1' }), { status: 'Accepted' }, 'FR.46');
  assert.equal(
    call(d, 'ClearDERControl', { isDefault: true, controlType: 'FreqDroop' }),
    { status: 'Accepted' },
    'FR.45',
  );
  assert.equal(lastApplied(d), ['L1']);
  assert.equal(call(d, 'ClearDERControl', { isDefault: true }), { status: 'Accepted' }, 'FR.44');
  assert.equal(lastApplied(d), []);
  assert.equal(call(d, 'ClearDERControl', { isDefault: false }), { status: 'Accepted' }, 'FR.44 with nothing to clear');
  assert.equal(call(d, 'GetDERControl', { requestId: 1 }), { status: 'NotFound' });
});

test('R04.FR.20 R04.FR.22 R04.FR.10 R04.FR.11 R04.FR.04 a scheduled control starts and ends on time, the default comes back', async () => {
  const clock = new ManualClock(Date.UTC(2025, 0, 1));
  const d = station({ clock });
  call(d, 'SetDERControl', setDroop('D1', 5));
  const start = new Date(clock.now() + 10 * MIN).toISOString();
  call(d, 'SetDERControl', setDroop('S1', 5, false, { startTime: start, duration: 600 }));
  // R04.FR.04: a new default while S1 waits changes the default only.
  call(d, 'SetDERControl', setDroop('D2', 5));
  assert.equal(lastApplied(d), ['D2']);
  assert.equal(sentOf(d, 'NotifyDERStartStop'), []);
  await clock.advance(10 * MIN);
  assert.equal(sentOf(d, 'NotifyDERStartStop'), [{ controlId: 'S1', started: true, timestamp: start }]);
  assert.equal(lastApplied(d), ['S1']);
  call(d, 'SetDERControl', setDroop('D3', 5));
  assert.equal(lastApplied(d), ['S1'], 'R04.FR.04 the scheduled control goes on');
  await clock.advance(10 * MIN);
  assert.equal(sentOf(d, 'NotifyDERStartStop').at(-1), {
    controlId: 'S1',
    started: false,
    timestamp: new Date(clock.now()).toISOString(),
  });
  assert.equal(lastApplied(d), ['D3']);
  assert.equal(call(d, 'GetDERControl', { requestId: 1, controlId: 'S1' }), { status: 'NotFound' }, 'R04.FR.10');
});

test('R04.FR.21 a scheduled control that supersedes an active one reports it in NotifyDERStartStop', async () => {
  const clock = new ManualClock(Date.UTC(2025, 0, 1));
  const d = station({ clock });
  call(d, 'SetDERControl', setDroop('A', 5, false, { startTime: new Date(clock.now()).toISOString(), duration: 3600 }));
  const startB = new Date(clock.now() + 5 * MIN).toISOString();
  // R04.FR.07: accepted without supersededIds; A runs on until B starts.
  assert.equal(call(d, 'SetDERControl', setDroop('B', 1, false, { startTime: startB, duration: 600 })), {
    status: 'Accepted',
  });
  assert.equal(lastApplied(d), ['A']);
  await clock.advance(5 * MIN);
  assert.equal(sentOf(d, 'NotifyDERStartStop').at(-1), {
    controlId: 'B',
    started: true,
    timestamp: startB,
    supersededIds: ['A'],
  });
  assert.equal(lastApplied(d), ['B']);
});

test('R04.FR.08 a control with a higher priority value than the active one: Accepted with its own id superseded', () => {
  const d = station();
  call(d, 'SetDERControl', setDroop('A', 1, false, { startTime: '2024-12-31T23:00:00Z', duration: 7200 }));
  assert.equal(call(d, 'SetDERControl', setDroop('B', 5, false, { startTime: '2025-01-01T00:00:00Z', duration: 60 })), {
    status: 'Accepted',
    supersededIds: ['B'],
  });
  assert.equal(lastApplied(d), ['A']);
});

test('R01.FR.03 R02.FR.02 R03.FR.02 the controls survive a restart and are handed to the inverter again', () => {
  const store = openSqliteStore(':memory:');
  const d = station({ store });
  call(d, 'SetDERControl', setDroop('D1', 5));
  call(d, 'SetDERControl', setDroop('S1', 1, false, { startTime: '2025-03-01T00:00:00Z', duration: 60 }));
  d.shell.stop();
  const again = station({ store });
  assert.equal(lastApplied(again), ['D1']);
  call(again, 'GetDERControl', { requestId: 5 });
  assert.equal(
    sentOf(again, 'ReportDERControl')[0].freqDroop.map((c: any) => c.id),
    ['D1', 'S1'],
  );
});

test('R05.FR.01 R05.FR.02 R05.FR.03 R05.FR.04 NotifyDERAlarm once per occurrence, taken over, ended once', () => {
  const d = station();
  const alarm = (a: object) => d.dispatch({ type: 'der.alarm', alarm: a as never });
  alarm({ controlType: 'HFMustTrip', gridEventFault: 'OverFrequency' });
  alarm({ controlType: 'HFMustTrip', gridEventFault: 'OverFrequency' });
  assert.equal(
    sentOf(d, 'NotifyDERAlarm').map((p) => [p.controlType, p.gridEventFault, p.alarmEnded, typeof p.timestamp]),
    [['HFMustTrip', 'OverFrequency', undefined, 'string']],
    'R05.FR.01 once per occurrence',
  );
  alarm({ controlType: 'LimitMaxDischarge', gridEventFault: 'UnderVoltage' });
  alarm({ controlType: 'HFMustTrip', gridEventFault: 'OverFrequency', alarmEnded: true });
  alarm({ controlType: 'LimitMaxDischarge', gridEventFault: 'UnderVoltage', alarmEnded: true });
  assert.equal(
    sentOf(d, 'NotifyDERAlarm')
      .slice(1)
      .map((p) => [p.controlType, p.alarmEnded]),
    [
      ['LimitMaxDischarge', undefined],
      ['LimitMaxDischarge', true],
    ],
    'R05.FR.03 taken over; R05.FR.04 the first alarm does not end on its own; R05.FR.02 the end',
  );
});

test('R04.FR.22 R04.FR.10 a scheduled control that ended while the station was off is reported ended and deleted at the next start', async () => {
  const store = openSqliteStore(':memory:');
  const clock = new ManualClock(Date.UTC(2025, 0, 1));
  const d = station({ store, clock });
  call(d, 'SetDERControl', setDroop('S1', 1, false, { startTime: new Date(clock.now()).toISOString(), duration: 600 }));
  assert.equal(
    sentOf(d, 'NotifyDERStartStop').map((n) => n.started),
    [true],
  );
  d.shell.stop();
  await clock.advance(30 * MIN);
  const again = station({ store, clock });
  assert.equal(sentOf(again, 'NotifyDERStartStop'), [
    { controlId: 'S1', started: false, timestamp: new Date(clock.now()).toISOString() },
  ]);
  assert.equal(lastApplied(again), []);
  assert.equal(call(again, 'GetDERControl', { requestId: 1 }), { status: 'NotFound' });
});

test('R01.FR.03 a control whose CALLRESULT was lost with the connection is stored and reaches the inverter at the reconnection', () => {
  const d = station();
  // Answered, but the connection closed before the CALLRESULT went out: its after-effects are dropped.
  assert.equal(d.shell.answer('SetDERControl', setDroop('D1', 5), 'lost'), { status: 'Accepted' });
  d.shell.discardAnswer('lost');
  assert.equal(lastApplied(d), []);
  d.dispatch({ type: 'disconnected' });
  d.dispatch({ type: 'connected', version: 'ocpp2.1' });
  assert.equal(lastApplied(d), ['D1']);
});

test.run();
