// Block N monitoring flows without sockets: the monitoring use case in the real Shell with a ManualClock and the
// real device model (test/support/shell-driver.ts). The values change the way an integrator changes them
// (`DeviceModel.set`, which raises `variables.changed`), or by a CSMS SetVariables.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { monitoringComponents } from '../../runtime/station/N-diagnostics/monitoring/device-model.js';
import {
  monitoringUseCase,
  type MonitoringOptions,
} from '../../runtime/station/N-diagnostics/monitoring/monitoring.js';
import { withRuntimeDefaults } from '../../runtime/station/core/variables.js';
import { drive, type Driver, type DriveOptions } from '../support/shell-driver.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import type { Store } from '../../runtime/store/types.js';

const EVSES = [{ id: 1, connectors: [{ id: 1 }] }];
const EVSE1 = { name: 'EVSE', evse: { id: 1 } };
const POWER = { name: 'Power' };

function station(
  options: MonitoringOptions = {},
  more: Partial<DriveOptions> & { extra?: Array<{ name: string; instance?: string; variables: any[] }> } = {},
): Driver {
  let d: Driver | undefined;
  const uc = monitoringUseCase(() => d!.model, options);
  const version = more.version ?? 'ocpp2.0.1';
  const evses = more.evses ?? EVSES;
  d = drive([uc], {
    evses,
    ...more,
    // As the station does: ocppkit's monitoring components under the integrator's configuration.
    deviceModel: withRuntimeDefaults({ components: more.extra ?? [] }, monitoringComponents(version, evses)),
  });
  d.dispatch({ type: 'started', reason: 'PowerUp' });
  return d;
}

let messageId = 0;
/** A CSMS request answered by the shell, and its after-effects run (the CALLRESULT went out). */
function ask(d: Driver, action: string, request: unknown): any {
  const id = `m${++messageId}`;
  const response = d.shell.answer(action, request, id);
  d.shell.answered(id);
  return response;
}

const setPower = (d: Driver, watts: number) => d.model.set(EVSE1, POWER, watts);
const events = (d: Driver) => d.sent.filter((s) => s.action === 'NotifyEvent').flatMap((s) => s.payload.eventData);
const monitor = (type: string, value: number, severity = 5, more: object = {}) => ({
  type,
  value,
  severity,
  component: EVSE1,
  variable: POWER,
  ...more,
});
const monitorAt = (component: object, variable: string) => ({ component, variable: { name: variable } });
const set = (d: Driver, ...data: object[]) =>
  ask(d, 'SetVariableMonitoring', { setMonitoringData: data }).setMonitoringResult;

test('N04.FR.01 N04.FR.02 N04.FR.08 N04.FR.11 one result per element with its component and variable; the station gives the id', () => {
  const d = station();
  const [r] = set(d, monitor('UpperThreshold', 11000));
  assert.equal(r.status, 'Accepted');
  assert.equal([r.type, r.severity, r.component, r.variable], ['UpperThreshold', 5, EVSE1, POWER]);
  assert.type(r.id, 'number');
  const [r2] = set(d, monitor('LowerThreshold', 100));
  assert.is.not(r2.id, r.id);
});

test('N04.FR.03 N04.FR.04 unknown component or variable: UnknownComponent, UnknownVariable', () => {
  const d = station();
  const results = set(
    d,
    { ...monitor('Delta', 1), component: { name: 'Nonexistent' } },
    { ...monitor('Delta', 1), component: { name: 'EVSE', evse: { id: 7 } } },
    { ...monitor('Delta', 1), variable: { name: 'Nonexistent' } },
  );
  assert.equal(
    results.map((r: any) => r.status),
    ['UnknownComponent', 'UnknownComponent', 'UnknownVariable'],
  );
});

test('N04.FR.05 a threshold on a non-numeric variable: UnsupportedMonitorType; a delta on it is accepted (N04.FR.17)', () => {
  const d = station();
  const results = set(
    d,
    { ...monitor('UpperThreshold', 1), variable: { name: 'AvailabilityState' } },
    { ...monitor('Delta', 1), variable: { name: 'AvailabilityState' } },
  );
  assert.equal(
    results.map((r: any) => r.status),
    ['UnsupportedMonitorType', 'Accepted'],
  );
});

test('N04.FR.06 N04.FR.14 a threshold beyond the range and a negative delta: Rejected', () => {
  const d = station();
  const results = set(d, monitor('UpperThreshold', 50000), monitor('LowerThreshold', -1), monitor('Delta', -5));
  assert.equal(
    results.map((r: any) => [r.status, r.statusInfo?.reasonCode]),
    [
      ['Rejected', 'ValueOutOfRange'],
      ['Rejected', 'ValueOutOfRange'],
      ['Rejected', 'ValueOutOfRange'],
    ],
  );
});

test('N04.FR.10 same type and severity on the same variable: Duplicate; another severity is fine', () => {
  const d = station();
  const results = set(
    d,
    monitor('UpperThreshold', 1000, 4),
    monitor('UpperThreshold', 2000, 4),
    monitor('UpperThreshold', 2000, 3),
  );
  assert.equal(
    results.map((r: any) => r.status),
    ['Accepted', 'Duplicate', 'Accepted'],
  );
});

test('N04.FR.12 N04.FR.13 N04.FR.16 replace by id; an unknown id and another variable: Rejected', () => {
  const d = station();
  const [r] = set(d, monitor('UpperThreshold', 1000));
  const results = set(
    d,
    monitor('UpperThreshold', 3000, 5, { id: r.id }),
    monitor('UpperThreshold', 3000, 5, { id: 999 }),
    { ...monitor('Delta', 1, 5, { id: r.id }), variable: { name: 'AvailabilityState' } },
  );
  assert.equal(
    results.map((x: any) => x.status),
    ['Accepted', 'Rejected', 'Rejected'],
  );
  const report = ask(d, 'GetMonitoringReport', { requestId: 1 });
  assert.equal(report.status, 'Accepted');
  const part = d.sent.find((s) => s.action === 'NotifyMonitoringReport')!.payload;
  assert.equal(part.monitor[0].variableMonitoring, [
    { id: r.id, transaction: false, value: 3000, type: 'UpperThreshold', severity: 5 },
  ]);
});

test('N04.FR.15 N04.FR.18 N06.FR.03 preconfigured monitors become custom when replaced; hard-wired ones are neither replaced nor cleared', () => {
  const d = station({
    hardWired: [{ component: EVSE1, variable: POWER, type: 'UpperThreshold', value: 21000, severity: 0 }],
    preconfigured: [{ component: EVSE1, variable: POWER, type: 'UpperThreshold', value: 15000, severity: 3 }],
  });
  assert.equal(set(d, monitor('UpperThreshold', 20000, 0, { id: 1 }))[0].status, 'Rejected');
  assert.equal(set(d, monitor('UpperThreshold', 16000, 3, { id: 2 }))[0].status, 'Accepted');
  ask(d, 'GetMonitoringReport', { requestId: 2 });
  setPower(d, 17000);
  const [e] = events(d);
  assert.equal([e.variableMonitoringId, e.eventNotificationType], [2, 'CustomMonitor']);
  const cleared = ask(d, 'ClearVariableMonitoring', { id: [1, 2, 42] }).clearMonitoringResult;
  assert.equal(
    cleared.map((r: any) => [r.id, r.status]),
    [
      [1, 'Rejected'],
      [2, 'Accepted'],
      [42, 'NotFound'],
    ],
  );
});

test('N06.FR.01 N06.FR.02 N06.FR.05 clear: Accepted, then NotFound for the same id', () => {
  const d = station();
  const [r] = set(d, monitor('Delta', 100));
  assert.equal(ask(d, 'ClearVariableMonitoring', { id: [r.id] }).clearMonitoringResult, [
    { id: r.id, status: 'Accepted' },
  ]);
  assert.equal(ask(d, 'ClearVariableMonitoring', { id: [r.id] }).clearMonitoringResult[0].status, 'NotFound');
  setPower(d, 5000);
  assert.equal(events(d), [], 'a cleared monitor reports nothing');
});

test('N07.FR.16 N07.FR.02 N07.FR.06 N07.FR.07 an upper threshold: Alerting when exceeded (not on it), cleared when back', () => {
  const d = station();
  const [r] = set(d, monitor('UpperThreshold', 10000));
  setPower(d, 10000);
  assert.equal(events(d), [], 'on the threshold is not beyond it');
  setPower(d, 10001);
  setPower(d, 12000);
  setPower(d, 9000);
  const sent = d.sent.filter((s) => s.action === 'NotifyEvent');
  assert.equal(
    sent.map((s) => s.payload.seqNo),
    [0, 0],
  );
  const [up, down] = events(d);
  assert.equal(
    [
      up.trigger,
      up.actualValue,
      up.cleared,
      up.variableMonitoringId,
      up.component,
      up.variable,
      up.eventNotificationType,
    ],
    ['Alerting', '10001', undefined, r.id, EVSE1, POWER, 'CustomMonitor'],
  );
  assert.equal([down.trigger, down.actualValue, down.cleared], ['Alerting', '9000', true]);
  assert.ok(down.eventId > up.eventId);
});

test('N07.FR.17 a lower threshold: Alerting when the value drops below it, cleared when it rises again', () => {
  const d = station();
  setPower(d, 5000);
  set(d, monitor('LowerThreshold', 1000));
  setPower(d, 1000);
  setPower(d, 999);
  setPower(d, 1001);
  assert.equal(
    events(d).map((e: any) => [e.actualValue, e.cleared ?? false]),
    [
      ['999', false],
      ['1001', true],
    ],
  );
});

test('N07.FR.11 a new threshold is checked against the value now; N07.FR.12 removing a tripped one sends no cleared event', () => {
  const d = station();
  setPower(d, 8000);
  const [r] = set(d, monitor('UpperThreshold', 5000));
  assert.equal(
    events(d).map((e: any) => e.actualValue),
    ['8000'],
    'already beyond: Alerting at once',
  );
  // Raising the threshold above the value clears it.
  set(d, monitor('UpperThreshold', 9000, 5, { id: r.id }));
  assert.equal(
    events(d).map((e: any) => e.cleared ?? false),
    [false, true],
  );
  set(d, monitor('UpperThreshold', 7000, 5, { id: r.id }));
  assert.equal(events(d).length, 3);
  ask(d, 'ClearVariableMonitoring', { id: [r.id] });
  setPower(d, 0);
  assert.equal(events(d).length, 3, 'no cleared event for a removed monitor');
});

test('N07.FR.18 a numeric delta: triggers when the value moved more than the delta from the last report, either way', () => {
  const d = station();
  setPower(d, 1000);
  set(d, monitor('Delta', 500));
  for (const w of [1400, 1500, 1501, 1100, 1000, 999]) setPower(d, w);
  assert.equal(
    events(d).map((e: any) => [e.trigger, e.actualValue]),
    [
      ['Delta', '1501'],
      ['Delta', '1000'],
    ],
  );
});

test('N07.FR.19 a delta on a non-numeric variable triggers on every change', () => {
  const d = station();
  set(d, { ...monitor('Delta', 1), variable: { name: 'AvailabilityState' } });
  d.model.set(EVSE1, 'AvailabilityState', 'Occupied');
  d.model.set(EVSE1, 'AvailabilityState', 'Available');
  assert.equal(
    events(d).map((e: any) => e.actualValue),
    ['Occupied', 'Available'],
  );
});

test('N07.FR.10 a monitor on a write-only variable reports an empty actualValue', () => {
  const d = station(
    {},
    {
      extra: [
        {
          name: 'SecretCtrlr',
          variables: [
            { name: 'Code', dataType: 'string', mutability: 'WriteOnly', value: 'a', supportsMonitoring: true },
          ],
        },
      ],
    },
  );
  set(d, { type: 'Delta', value: 1, severity: 5, component: { name: 'SecretCtrlr' }, variable: { name: 'Code' } });
  d.model.set('SecretCtrlr', 'Code', 'b');
  assert.equal(
    events(d).map((e: any) => e.actualValue),
    [''],
  );
});

test('N07.FR.15 N05.FR.01 N05.FR.03 SetMonitoringLevel: only monitors of that severity or lower report', () => {
  const d = station();
  const [low] = set(d, monitor('UpperThreshold', 1000, 2), monitor('UpperThreshold', 1000, 6));
  assert.equal(ask(d, 'SetMonitoringLevel', { severity: 4 }), { status: 'Accepted' });
  setPower(d, 2000);
  assert.equal(
    events(d).map((e: any) => e.variableMonitoringId),
    [low.id],
    'severity 6 is above the level 4',
  );
  assert.equal(d.variables.int('MonitoringCtrlr', 'ActiveMonitoringLevel'), 4);
  assert.equal(d.variables.int('MonitoringCtrlr', 'MonitoringLevel'), 4);
});

test('N05.FR.02 a severity out of range: Rejected', () => {
  const d = station();
  assert.equal(ask(d, 'SetMonitoringLevel', { severity: 10 }).status, 'Rejected');
  assert.equal(ask(d, 'SetMonitoringLevel', { severity: -1 }).status, 'Rejected');
});

test('N08.FR.06 N08.FR.05 N08.FR.04 a periodic monitor reports its value every interval from when it was set', async () => {
  const d = station();
  setPower(d, 700);
  await d.clock.advance(10_000);
  set(d, monitor('Periodic', 60));
  await d.clock.advance(59_000);
  assert.equal(events(d), []);
  await d.clock.advance(1_000);
  setPower(d, 800);
  await d.clock.advance(60_000);
  const sent = d.sent.filter((s) => s.action === 'NotifyEvent');
  assert.equal(
    sent.map((s) => s.payload.seqNo),
    [0, 0],
  );
  assert.equal(
    events(d).map((e: any) => [e.trigger, e.actualValue]),
    [
      ['Periodic', '700'],
      ['Periodic', '800'],
    ],
  );
});

test('N08.FR.07 a clock-aligned periodic monitor reports on the aligned times', async () => {
  const d = station();
  await d.clock.advance(7 * 60_000); // 00:07
  set(d, monitor('PeriodicClockAligned', 900));
  await d.clock.advance(8 * 60_000 - 1);
  assert.equal(events(d), []);
  await d.clock.advance(1); // 00:15
  await d.clock.advance(15 * 60_000); // 00:30
  assert.equal(
    events(d).map((e: any) => e.timestamp),
    ['2025-01-01T00:15:00.000Z', '2025-01-01T00:30:00.000Z'],
  );
});

test('N03.FR.01 N03.FR.03 N03.FR.04 N03.FR.05 monitoring bases: All keeps custom monitors, FactoryDefault drops them, HardWiredOnly keeps only hard-wired', () => {
  const d = station({
    hardWired: [{ component: EVSE1, variable: POWER, type: 'UpperThreshold', value: 21000, severity: 0 }],
    preconfigured: [{ component: EVSE1, variable: POWER, type: 'Delta', value: 1000, severity: 7 }],
  });
  set(d, monitor('LowerThreshold', 10, 5));
  const ids = () => {
    d.sent.length = 0;
    const r = ask(d, 'GetMonitoringReport', { requestId: 9 });
    if (r.status !== 'Accepted') return [];
    return d.sent
      .filter((s) => s.action === 'NotifyMonitoringReport')
      .flatMap((s) => s.payload.monitor.flatMap((m: any) => m.variableMonitoring.map((v: any) => v.id)))
      .sort();
  };
  assert.equal(ids(), [1, 2, 3]);
  assert.equal(ask(d, 'SetMonitoringBase', { monitoringBase: 'HardWiredOnly' }), { status: 'Accepted' });
  assert.equal(ids(), [1]);
  assert.equal(d.variables.string('MonitoringCtrlr', 'ActiveMonitoringBase'), 'HardWiredOnly');
  ask(d, 'SetMonitoringBase', { monitoringBase: 'All' });
  assert.equal(ids(), [1, 2]);
  set(d, monitor('LowerThreshold', 10, 5));
  ask(d, 'SetMonitoringBase', { monitoringBase: 'All' });
  assert.equal(ids().length, 3, 'All keeps the custom monitor');
  ask(d, 'SetMonitoringBase', { monitoringBase: 'FactoryDefault' });
  assert.equal(ids(), [1, 2]);
});

test('N02.FR.10 N02.FR.12 N02.FR.13 N02.FR.14 N02.FR.16 report criteria: threshold, delta, periodic; nothing matching is EmptyResultSet', () => {
  const d = station();
  set(d, monitor('UpperThreshold', 1000), monitor('Delta', 10), monitor('Periodic', 60), {
    ...monitor('Delta', 1),
    variable: { name: 'AvailabilityState' },
  });
  const types = (request: object) => {
    d.sent.length = 0;
    const r = ask(d, 'GetMonitoringReport', { requestId: 3, ...request });
    if (r.status !== 'Accepted') return r.status;
    return d.sent.flatMap((s) =>
      s.payload.monitor.flatMap((m: any) => m.variableMonitoring.map((v: any) => `${m.variable.name}:${v.type}`)),
    );
  };
  assert.equal(types({ monitoringCriteria: ['ThresholdMonitoring'] }), ['Power:UpperThreshold']);
  assert.equal(types({ monitoringCriteria: ['DeltaMonitoring'] }), ['Power:Delta', 'AvailabilityState:Delta']);
  assert.equal(types({ monitoringCriteria: ['PeriodicMonitoring'] }), ['Power:Periodic']);
  assert.equal(types({ componentVariable: [{ component: EVSE1, variable: { name: 'AvailabilityState' } }] }), [
    'AvailabilityState:Delta',
  ]);
  assert.equal(
    types({ componentVariable: [{ component: { name: 'EVSE' } }] }).length,
    4,
    'N02.FR.16 every variable, N02.FR.19 every EVSE',
  );
  assert.equal(types({ componentVariable: [{ component: { name: 'OCPPCommCtrlr' } }] }), 'EmptyResultSet');
  assert.equal(
    types({
      monitoringCriteria: ['PeriodicMonitoring'],
      componentVariable: [{ component: EVSE1, variable: { name: 'AvailabilityState' } }],
    }),
    'EmptyResultSet',
  );
});

test('N02.FR.03 N02.FR.04 N02.FR.09 a report in parts: the requestId in each, seqNo from 0, tbc on all but the last', () => {
  const d = station({}, { variables: { 'DeviceDataCtrlr.ItemsPerMessage': 1 } });
  // ItemsPerMessage[GetReport] is the instance the report reads; the shorthand sets the one without instance.
  d.model.set('DeviceDataCtrlr', { name: 'ItemsPerMessage', instance: 'GetReport' }, 1);
  set(d, monitor('UpperThreshold', 1000), { ...monitor('Delta', 1), variable: { name: 'AvailabilityState' } });
  ask(d, 'GetMonitoringReport', { requestId: 77 });
  const parts = d.sent.filter((s) => s.action === 'NotifyMonitoringReport').map((s) => s.payload);
  assert.equal(
    parts.map((p) => [p.requestId, p.seqNo, p.tbc, p.monitor.length]),
    [
      [77, 0, true, 1],
      [77, 1, false, 1],
    ],
  );
});

test('N04.FR.09 N06.FR.06 more elements than ItemsPerMessage: CALLERROR OccurrenceConstraintViolation', () => {
  const d = station();
  d.model.set('MonitoringCtrlr', { name: 'ItemsPerMessage', instance: 'SetVariableMonitoring' }, 2);
  d.model.set('MonitoringCtrlr', { name: 'ItemsPerMessage', instance: 'ClearVariableMonitoring' }, 2);
  assert.throws(
    () => set(d, monitor('Delta', 1, 1), monitor('Delta', 1, 2), monitor('Delta', 1, 3)),
    (e: any) => e.code === 'OccurrenceConstraintViolation',
  );
  assert.throws(
    () => ask(d, 'ClearVariableMonitoring', { id: [1, 2, 3] }),
    (e: any) => e.code === 'OccurrenceConstraintViolation',
  );
});

test('N07.FR.13 N04 remark: monitors and their state survive a restart; N07.FR.14 a tripped threshold back within after the reboot is cleared', () => {
  const store: Store = openSqliteStore(':memory:');
  const d = station({}, { store });
  const [r] = set(d, monitor('UpperThreshold', 5000, 5));
  setPower(d, 6000);
  assert.equal(events(d).length, 1);
  d.shell.stop();
  // The reboot: Power (not persistent) starts at 0 again.
  const again = station({}, { store });
  const e = events(again);
  assert.equal([e.length, e[0]?.variableMonitoringId, e[0]?.cleared], [1, r.id, true]);
  const [next] = set(again, monitor('Delta', 5));
  assert.ok(next.id > r.id, 'ids are not reused');
});

test('N07.FR.13 a damaged saved state: the well-formed monitors are kept, the others dropped, new ids come after them', () => {
  const store: Store = openSqliteStore(':memory:');
  const good = { id: 7, kind: 'CustomMonitor', transaction: false, ...monitor('Delta', 10) };
  store.put('station.state', 'monitoring', { monitors: [{ id: 'x' }, null, good], nextId: 'three' });
  const d = station({}, { store });
  ask(d, 'GetMonitoringReport', { requestId: 1 });
  const reported = d.sent.find((s) => s.action === 'NotifyMonitoringReport')!.payload.monitor;
  assert.equal(
    reported.flatMap((m: any) => m.variableMonitoring.map((v: any) => v.id)),
    [7],
  );
  assert.is(set(d, monitor('UpperThreshold', 100))[0].id, 8);
});

test('N07.FR.04 N08.FR.03 offline: events within OfflineQueuingSeverity are queued and delivered online, the others dropped', async () => {
  const d = station({}, { queue: true, variables: { 'MonitoringCtrlr.OfflineQueuingSeverity': 3 } });
  set(d, monitor('UpperThreshold', 1000, 2), monitor('UpperThreshold', 1000, 7));
  setPower(d, 2000);
  await d.settle();
  assert.equal(
    d.sent.filter((s) => s.action === 'NotifyEvent'),
    [],
    'nothing goes out while offline',
  );
  assert.equal(
    d.queue!.entries().map((m) => m.action),
    ['NotifyEvent'],
  );
  await d.dispatcher!.setOnline(true);
  await d.settle();
  const out = d.pending('NotifyEvent');
  assert.equal(out.length, 1);
  assert.equal(
    out[0]!.payload.eventData.map((e: any) => e.variableMonitoringId),
    [1],
  );
  out[0]!.answer({});
  await d.settle();
  setPower(d, 500);
  await d.settle();
  assert.equal(
    d
      .pending('NotifyEvent')
      .flatMap((s) => s.payload.eventData.map((e: any) => e.variableMonitoringId))
      .sort(),
    [1, 2],
    'online, both report',
  );
});

test('N07 a SetVariables from the CSMS fires a monitor on the variable it changed', () => {
  const d = station(
    {},
    {
      extra: [{ name: 'OCPPCommCtrlr', variables: [{ name: 'HeartbeatInterval', supportsMonitoring: true }] }],
    },
  );
  set(d, {
    type: 'Delta',
    value: 10,
    severity: 5,
    component: { name: 'OCPPCommCtrlr' },
    variable: { name: 'HeartbeatInterval' },
  });
  d.model.apply([
    {
      component: { name: 'OCPPCommCtrlr' },
      variable: { name: 'HeartbeatInterval' },
      attributeType: 'Actual',
      value: '600',
      pending: false,
    },
  ]);
  assert.equal(
    events(d).map((e: any) => [e.trigger, e.actualValue]),
    [['Delta', '600']],
  );
});

test('N07 hard-wired notification: an event the station raises goes out as HardWiredNotification, filtered by the level', () => {
  const d = station();
  d.dispatch({
    type: 'monitoring.raised',
    event: {
      component: { name: 'ChargingStation' },
      variable: { name: 'Problem' },
      actualValue: 'true',
      severity: 1,
      techCode: 'RCD',
    },
  });
  ask(d, 'SetMonitoringLevel', { severity: 0 });
  d.dispatch({
    type: 'monitoring.raised',
    event: { component: { name: 'ChargingStation' }, variable: { name: 'Problem' }, actualValue: 'true', severity: 1 },
  });
  const [e, more] = events(d);
  assert.equal(
    [e.eventNotificationType, e.trigger, e.techCode, e.variableMonitoringId, more],
    ['HardWiredNotification', 'Alerting', 'RCD', undefined, undefined],
  );
});

test('N07.FR.22 N07.FR.23 N07.FR.02 2.1 TargetDelta and TargetDeltaRelative: Alerting when the Actual value strays from the Target, cleared when back', () => {
  const d = station(
    {},
    {
      version: 'ocpp2.1',
      extra: [
        {
          name: 'Fan',
          variables: [
            {
              name: 'FanSpeed',
              unit: 'RPM',
              dataType: 'integer',
              value: 1000,
              target: { value: 1000 },
              supportsMonitoring: true,
            },
          ],
        },
      ],
    },
  );
  const fan = { component: { name: 'Fan' }, variable: { name: 'FanSpeed' } };
  const [absolute, relative] = set(
    d,
    { type: 'TargetDelta', value: 100, severity: 5, ...fan },
    { type: 'TargetDeltaRelative', value: 0.2, severity: 5, ...fan },
  );
  assert.equal([absolute.status, relative.status], ['Accepted', 'Accepted']);
  for (const rpm of [1050, 1150, 1250, 1000]) d.model.set('Fan', 'FanSpeed', rpm);
  assert.equal(
    events(d).map((e: any) => [e.variableMonitoringId, e.trigger, e.actualValue, e.cleared ?? false]),
    [
      [absolute.id, 'Alerting', '1150', false],
      [relative.id, 'Alerting', '1250', false],
      [absolute.id, 'Alerting', '1000', true],
      [relative.id, 'Alerting', '1000', true],
    ],
  );
  assert.equal(
    set(d, { type: 'TargetDelta', value: 1, severity: 5, ...monitorAt(EVSE1, 'AvailabilityState') })[0].status,
    'UnsupportedMonitorType',
  );
});

test('N02.FR.22 N07.FR.20 N07.FR.21 2.1: the report gives each monitor its eventNotificationType, events carry their severity', () => {
  const d = station(
    { hardWired: [{ component: EVSE1, variable: POWER, type: 'UpperThreshold', value: 20000, severity: 1 }] },
    { version: 'ocpp2.1' },
  );
  d.dispatch({ type: 'connected', version: 'ocpp2.1' });
  set(d, monitor('Delta', 100, 6));
  ask(d, 'GetMonitoringReport', { requestId: 4 });
  const part = d.sent.find((s) => s.action === 'NotifyMonitoringReport')!.payload;
  assert.equal(
    part.monitor[0].variableMonitoring.map((v: any) => [v.id, v.eventNotificationType]),
    [
      [1, 'HardWiredMonitor'],
      [2, 'CustomMonitor'],
    ],
  );
  setPower(d, 21000);
  d.dispatch({
    type: 'monitoring.raised',
    event: { component: { name: 'ChargingStation' }, variable: { name: 'Problem' }, actualValue: 'true', severity: 3 },
  });
  assert.equal(
    events(d).map((e: any) => [e.eventNotificationType, e.severity]),
    [
      ['HardWiredMonitor', 1],
      ['CustomMonitor', 6],
      ['HardWiredNotification', 3],
    ],
  );
});

test('N02.FR.17 N02.FR.18 N02.FR.19 N02.FR.20 N02.FR.21 selecting by component and variable: every instance, every connector of an EVSE', () => {
  const speed = (instance: string) => ({
    name: 'Speed',
    instance,
    dataType: 'integer',
    value: 0,
    supportsMonitoring: true,
  });
  const d = station(
    {},
    {
      evses: [{ id: 1, connectors: [{ id: 1 }, { id: 2 }] }],
      extra: [
        { name: 'Fan', instance: 'left', variables: [speed('actual'), speed('max')] },
        { name: 'Fan', instance: 'right', variables: [speed('actual')] },
      ],
    },
  );
  const fan = (instance: string, variableInstance: string) => ({
    type: 'Delta',
    value: 1,
    severity: 5,
    component: { name: 'Fan', instance },
    variable: { name: 'Speed', instance: variableInstance },
  });
  const connector = (connectorId: number) => ({
    type: 'Delta',
    value: 1,
    severity: 5,
    component: { name: 'Connector', evse: { id: 1, connectorId } },
    variable: { name: 'AvailabilityState' },
  });
  const results = set(
    d,
    fan('left', 'actual'),
    fan('left', 'max'),
    fan('right', 'actual'),
    connector(1),
    connector(2),
    {
      ...monitor('Delta', 1),
      variable: { name: 'AvailabilityState' },
    },
  );
  assert.ok(results.every((r: any) => r.status === 'Accepted'));
  const selected = (componentVariable: object[]) => {
    d.sent.length = 0;
    const r = ask(d, 'GetMonitoringReport', { requestId: 5, componentVariable });
    if (r.status !== 'Accepted') return r.status;
    return d.sent.flatMap((x) =>
      x.payload.monitor.map(
        (m: any) =>
          `${m.component.name}${m.component.instance ? `[${m.component.instance}]` : ''}${m.component.evse ? `(${m.component.evse.id}${m.component.evse.connectorId !== undefined ? `,${m.component.evse.connectorId}` : ''})` : ''}.${m.variable.name}${m.variable.instance ? `[${m.variable.instance}]` : ''}`,
      ),
    );
  };
  // N02.FR.17: a variable without instance: every instance of it.
  assert.equal(selected([{ component: { name: 'Fan', instance: 'left' }, variable: { name: 'Speed' } }]), [
    'Fan[left].Speed[actual]',
    'Fan[left].Speed[max]',
  ]);
  // N02.FR.20: with a component instance, that instance only.
  assert.equal(selected([{ component: { name: 'Fan', instance: 'right' } }]), ['Fan[right].Speed[actual]']);
  // N02.FR.21: without a component instance, every instance.
  assert.equal(selected([{ component: { name: 'Fan' }, variable: { name: 'Speed', instance: 'actual' } }]), [
    'Fan[left].Speed[actual]',
    'Fan[right].Speed[actual]',
  ]);
  // N02.FR.18: evse.id without connectorId: every connector of the EVSE.
  assert.equal(selected([{ component: { name: 'Connector', evse: { id: 1 } } }]), [
    'Connector(1,1).AvailabilityState',
    'Connector(1,2).AvailabilityState',
  ]);
  // N02.FR.19: with evse (and connector), that component only.
  assert.equal(selected([{ component: { name: 'Connector', evse: { id: 1, connectorId: 2 } } }]), [
    'Connector(1,2).AvailabilityState',
  ]);
  assert.equal(selected([{ component: { name: 'Connector', evse: { id: 2 } } }]), 'EmptyResultSet');
});

test('N02.FR.07 more componentVariable entries than ItemsPerMessage[GetReport]: CALLERROR OccurrenceConstraintViolation', () => {
  const d = station();
  d.model.set('DeviceDataCtrlr', { name: 'ItemsPerMessage', instance: 'GetReport' }, 2);
  const cv = { component: EVSE1 };
  assert.throws(
    () => ask(d, 'GetMonitoringReport', { requestId: 1, componentVariable: [cv, cv, cv] }),
    (e: any) => e.code === 'OccurrenceConstraintViolation',
  );
});

test('N04.FR.09 N06.FR.07 a request larger than BytesPerMessage: CALLERROR FormatViolation', () => {
  const d = station();
  d.model.set('MonitoringCtrlr', { name: 'BytesPerMessage', instance: 'SetVariableMonitoring' }, 100);
  d.model.set('MonitoringCtrlr', { name: 'BytesPerMessage', instance: 'ClearVariableMonitoring' }, 20);
  assert.throws(
    () => set(d, monitor('Delta', 1, 1), monitor('Delta', 1, 2)),
    (e: any) => e.code === 'FormatViolation',
  );
  assert.throws(
    () => ask(d, 'ClearVariableMonitoring', { id: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }),
    (e: any) => e.code === 'FormatViolation',
  );
});

test('N07.FR.05 an event the station raises may name the event that caused it', () => {
  const d = station();
  d.dispatch({
    type: 'monitoring.raised',
    event: { component: { name: 'ChargingStation' }, variable: { name: 'Problem' }, actualValue: 'true' },
  });
  const [first] = events(d);
  d.dispatch({
    type: 'monitoring.raised',
    event: {
      component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
      variable: { name: 'AvailabilityState' },
      actualValue: 'Faulted',
      cause: first.eventId,
    },
  });
  assert.is(events(d)[1].cause, first.eventId);
});

test.run();
