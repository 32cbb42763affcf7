// B07 Get Base Report on the device model: which component-variables each base report holds, how they are
// reported (attributes, characteristics, WriteOnly, unset values), and the NotifyReportRequest parts. Every
// response and every part is schema-checked in the version it was made for.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type {
  DeviceModel,
  GetBaseReportRequest,
  NotifyReportRequest,
  ReportDataType,
} from '../../../runtime/station/device-model/index.js';
import { assertValidRequest, assertValidResponse, makeModel, NOW, VERSIONS } from './fixture.js';

function report(model: DeviceModel, reportBase: GetBaseReportRequest['reportBase'], requestId = 7) {
  const answer = model.getBaseReport({ requestId, reportBase });
  assertValidResponse(model.version, 'GetBaseReport', answer.response);
  for (const part of answer.reports) assertValidRequest(model.version, 'NotifyReport', part);
  return answer;
}

const all = (parts: NotifyReportRequest[]) => parts.flatMap((p) => p.reportData ?? []);
const label = (d: ReportDataType) =>
  `${d.component.name}${d.component.instance ? `[${d.component.instance}]` : ''}${d.component.evse ? `(${d.component.evse.id}${d.component.evse.connectorId !== undefined ? `,${d.component.evse.connectorId}` : ''})` : ''}.${d.variable.name}${d.variable.instance ? `[${d.variable.instance}]` : ''}`;
const find = (data: ReportDataType[], l: string) => data.find((d) => label(d) === l);

const extras = [
  {
    name: 'SecurityCtrlr',
    variables: [{ name: 'BasicAuthPassword', value: 'correct-horse-battery', mutability: 'WriteOnly' as const }],
  },
  {
    name: 'Fan',
    instance: 'cabinet',
    variables: [
      {
        name: 'FanSpeed',
        unit: 'RPM',
        maxLimit: 1000,
        value: 420,
        supportsMonitoring: true,
        target: true,
        minSet: true,
        maxSet: { value: 500 },
      },
    ],
  },
];

test('B07.FR.01 B07.FR.12 ConfigurationInventory and FullInventory are supported (Accepted) in both versions', () => {
  for (const version of VERSIONS) {
    const { model } = makeModel({ version });
    for (const base of ['ConfigurationInventory', 'FullInventory'] as const) {
      const answer = report(model, base);
      assert.equal(answer.response, { status: 'Accepted' }, `${version} ${base}`);
      assert.ok(answer.reports.length >= 1);
    }
  }
});

test('B07.FR.02 B07.FR.05 a base the station does not support is NotSupported and no NotifyReport follows', () => {
  const { model } = makeModel({ config: { summaryInventory: false } });
  const answer = report(model, 'SummaryInventory');
  assert.is(answer.response.status, 'NotSupported');
  assert.is(answer.response.statusInfo?.reasonCode, 'UnsupportedParam');
  assert.equal(answer.reports, []);
  const odd = model.getBaseReport({
    requestId: 1,
    reportBase: 'EverythingInventory' as GetBaseReportRequest['reportBase'],
  });
  assert.equal([odd.response.status, odd.reports.length], ['NotSupported', 0]);
});

test('B07.FR.03 B07.FR.04 B07.FR.10 parts carry the requestId, seqNo from 0 and tbc on all but the last; generatedAt is the clock', () => {
  const { model } = makeModel();
  const answer = model.getBaseReport({ requestId: 4711, reportBase: 'FullInventory' }, { maxItems: 7 });
  assert.ok(answer.reports.length > 3, `several parts (${answer.reports.length})`);
  answer.reports.forEach((p, i) => {
    assertValidRequest('ocpp2.0.1', 'NotifyReport', p);
    assert.is(p.requestId, 4711);
    assert.is(p.seqNo, i);
    assert.is(p.tbc, i < answer.reports.length - 1);
    assert.is(p.generatedAt, NOW.toISOString());
    assert.ok((p.reportData?.length ?? 0) <= 7);
  });
  // The parts together are the whole report, each component-variable once.
  const whole = all(
    model.getBaseReport({ requestId: 1, reportBase: 'FullInventory' }, { maxItems: 10_000, maxBytes: 10_000_000 })
      .reports,
  );
  assert.equal(all(answer.reports), whole);
});

test('B07.FR.07 ConfigurationInventory: every variable the operator can set, only its writable attributes, with characteristics', () => {
  for (const version of VERSIONS) {
    const { model } = makeModel({ version, components: extras });
    const data = all(report(model, 'ConfigurationInventory').reports);
    for (const d of data) {
      assert.ok(d.variableCharacteristics, `${label(d)} has variableCharacteristics`);
      for (const a of d.variableAttribute)
        assert.ok(a.mutability === 'ReadWrite' || a.mutability === 'WriteOnly', `${label(d)} ${a.type} is writable`);
      const ch = d.variableCharacteristics!;
      if (['OptionList', 'MemberList', 'SequenceList'].includes(ch.dataType))
        assert.ok(ch.valuesList, `${label(d)} has its valuesList`);
    }
    const labels = data.map(label);
    for (const expected of [
      'OCPPCommCtrlr.OfflineThreshold',
      'OCPPCommCtrlr.HeartbeatInterval',
      'OCPPCommCtrlr.NetworkConfigurationPriority',
      'AuthCtrlr.LocalAuthorizeOffline',
      'TxCtrlr.TxStartPoint',
      'SecurityCtrlr.OrganizationName',
      'SecurityCtrlr.BasicAuthPassword',
      'Fan[cabinet].FanSpeed',
    ]) {
      assert.ok(labels.includes(expected), `${version}: ${expected} reported`);
    }
    for (const readOnly of [
      'OCPPCommCtrlr.MessageTimeout[Default]',
      'DeviceDataCtrlr.ItemsPerMessage[GetReport]',
      'ChargingStation.AvailabilityState',
      'ClockCtrlr.DateTime',
    ]) {
      assert.ok(!labels.includes(readOnly), `${version}: ${readOnly} not reported`);
    }
    // Fan: Actual is ReadOnly, Target/MinSet/MaxSet writable — only those three.
    assert.equal(
      find(data, 'Fan[cabinet].FanSpeed')!.variableAttribute.map((a) => a.type),
      ['Target', 'MinSet', 'MaxSet'],
    );
  }
});

test('B07.FR.08 FullInventory: every component-variable with characteristics, including all Charging Infrastructure variables', () => {
  for (const version of VERSIONS) {
    const { model } = makeModel({ version, components: extras });
    const data = all(report(model, 'FullInventory').reports);
    const count = model.componentNodes().reduce((n, c) => n + c.variables.size, 0);
    assert.is(data.length, count, 'each variable once');
    assert.is(new Set(data.map(label)).size, count);
    for (const d of data) assert.ok(d.variableCharacteristics, label(d));
    const expected = [
      'ChargingStation.Available',
      'ChargingStation.AvailabilityState',
      'ChargingStation.SupplyPhases',
      'EVSE(1).Available',
      'EVSE(1).AvailabilityState',
      'EVSE(1).Power',
      'EVSE(1).SupplyPhases',
      'Connector(1,1).Available',
      'Connector(1,1).ConnectorType',
      'Connector(1,1).SupplyPhases',
      'EVSE(2).Power',
      'Connector(2,1).ConnectorType',
      'Connector(2,2).ConnectorType',
      'OCPPCommCtrlr.MessageTimeout[Default]',
      'DeviceDataCtrlr.BytesPerMessage[GetReport]',
      'ClockCtrlr.DateTime',
      'SecurityCtrlr.SecurityProfile',
      'SampledDataCtrlr.TxUpdatedMeasurands',
      'AlignedDataCtrlr.Interval',
    ];
    for (const l of expected) assert.ok(find(data, l), `${version}: ${l}`);
    assert.equal(find(data, 'EVSE(2).Power')!.variableCharacteristics, {
      unit: 'W',
      dataType: 'decimal',
      minLimit: 0,
      maxLimit: 50000,
      supportsMonitoring: false,
    });
    assert.equal(find(data, 'Connector(2,1).SupplyPhases')!.variableAttribute[0]!.value, '0', 'inherits the DC EVSE');
    assert.equal(find(data, 'ClockCtrlr.DateTime')!.variableAttribute[0]!.value, NOW.toISOString());
    // Components come in tier order: station, then each EVSE followed by its connectors.
    const tiers = data.map((d) => `${d.component.evse?.id ?? 0}.${d.component.evse?.connectorId ?? 0}`);
    assert.equal(tiers, [...tiers].sort());
  }
});

test('B07.FR.11 all supported attribute types are reported, unset ones with an empty value', () => {
  const { model } = makeModel({ components: extras });
  const fan = find(all(report(model, 'FullInventory').reports), 'Fan[cabinet].FanSpeed')!;
  assert.equal(fan.variableAttribute, [
    { type: 'Actual', value: '420', mutability: 'ReadOnly', persistent: false, constant: false },
    { type: 'Target', value: '', mutability: 'ReadWrite', persistent: true, constant: false },
    { type: 'MinSet', value: '', mutability: 'ReadWrite', persistent: true, constant: false },
    { type: 'MaxSet', value: '500', mutability: 'ReadWrite', persistent: true, constant: false },
  ]);
  assert.equal(fan.variableCharacteristics, {
    unit: 'RPM',
    dataType: 'decimal',
    maxLimit: 1000,
    supportsMonitoring: true,
  });
});

test('B07.FR.03 the value of a WriteOnly variable is never reported (errata 2025-09; 2.1 B07.FR.15)', () => {
  for (const version of VERSIONS) {
    const { model } = makeModel({ version, components: extras });
    for (const base of ['FullInventory', 'ConfigurationInventory'] as const) {
      const answer = report(model, base);
      const pw = find(all(answer.reports), 'SecurityCtrlr.BasicAuthPassword')!;
      assert.equal(pw.variableAttribute, [
        { type: 'Actual', mutability: 'WriteOnly', persistent: true, constant: false },
      ]);
      assert.ok(!JSON.stringify(answer.reports).includes('correct-horse'), `${version} ${base}`);
    }
  }
});

test('B07.FR.09 SummaryInventory: availability of station and EVSEs, connectors only when different, active problems', () => {
  const { model } = makeModel({
    components: [
      {
        name: 'RCD',
        evse: { id: 2 },
        variables: [
          { name: 'Tripped', value: false },
          { name: 'Problem', value: false },
        ],
      },
      {
        name: 'Heater',
        variables: [
          { name: 'Problem', value: false },
          { name: 'Fallback', value: false },
        ],
      },
    ],
  });
  const labels = () => all(report(model, 'SummaryInventory').reports).map(label);
  assert.equal(labels(), [
    'ChargingStation.AvailabilityState',
    'EVSE(1).AvailabilityState',
    'EVSE(2).AvailabilityState',
  ]);
  model.set({ name: 'EVSE', evse: { id: 2 } }, 'AvailabilityState', 'Occupied');
  model.set({ name: 'Connector', evse: { id: 2, connectorId: 1 } }, 'AvailabilityState', 'Occupied');
  model.set({ name: 'Connector', evse: { id: 2, connectorId: 2 } }, 'AvailabilityState', 'Unavailable');
  model.set({ name: 'RCD', evse: { id: 2 } }, 'Tripped', true);
  model.set('Heater', 'Problem', true);
  assert.equal(labels(), [
    'ChargingStation.AvailabilityState',
    'Heater.Problem',
    'EVSE(1).AvailabilityState',
    'EVSE(2).AvailabilityState',
    'RCD(2).Tripped',
    'Connector(2,2).AvailabilityState',
  ]);
  const data = all(report(model, 'SummaryInventory').reports);
  assert.is(find(data, 'Connector(2,2).AvailabilityState')!.variableAttribute[0]!.value, 'Unavailable');
  assert.is(find(data, 'RCD(2).Tripped')!.variableAttribute[0]!.value, 'true');
});

test('B07 values in reports are cut to ReportingValueSize', () => {
  const { model } = makeModel({
    components: [
      { name: 'DeviceDataCtrlr', variables: [{ name: 'ReportingValueSize', value: 50 }] },
      { name: 'Display', variables: [{ name: 'Message', dataType: 'string', value: 'm'.repeat(80) }] },
    ],
  });
  const msg = find(all(report(model, 'FullInventory').reports), 'Display.Message')!;
  assert.is(msg.variableAttribute[0]!.value, 'm'.repeat(50));
});

test('B07 a ReadOnly-only station variable set by the station shows its new value in the next report', () => {
  const { model } = makeModel();
  model.set({ name: 'EVSE', evse: { id: 1 } }, 'Power', 7400.5);
  const power = find(all(report(model, 'FullInventory').reports), 'EVSE(1).Power')!;
  assert.is(power.variableAttribute[0]!.value, '7400.5');
});

test.run();
