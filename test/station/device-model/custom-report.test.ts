// B08 Get Custom Report on the device model: component criteria, componentVariable filters with their evse,
// connector and instance wildcards, EmptyResultSet, NotSupported, CALLERRORs, and the report parts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DeviceModel, GetReportRequest, ReportDataType } from '../../../runtime/station/device-model/index.js';
import { assertValidRequest, assertValidResponse, makeModel, NOW, VERSIONS } from './fixture.js';

const label = (d: ReportDataType) =>
  `${d.component.name}${d.component.instance ? `[${d.component.instance}]` : ''}${d.component.evse ? `(${d.component.evse.id}${d.component.evse.connectorId !== undefined ? `,${d.component.evse.connectorId}` : ''})` : ''}.${d.variable.name}${d.variable.instance ? `[${d.variable.instance}]` : ''}`;

function custom(model: DeviceModel, request: Omit<GetReportRequest, 'requestId'>, requestId = 99) {
  const answer = model.getReport({ requestId, ...request });
  if (!answer.ok) throw new Error(`CALLERROR ${answer.callError.code}`);
  assertValidResponse(model.version, 'GetReport', answer.response);
  for (const p of answer.reports) assertValidRequest(model.version, 'NotifyReport', p);
  return {
    ...answer,
    data: answer.reports.flatMap((p) => p.reportData ?? []),
    labels: answer.reports.flatMap((p) => p.reportData ?? []).map(label),
  };
}

// Controllers with Enabled/Available/Active/Problem in different states, and components with instances.
const components = [
  {
    name: 'AuthCacheCtrlr',
    variables: [
      { name: 'Available', value: true },
      { name: 'Enabled', value: true, mutability: 'ReadWrite' as const },
      { name: 'LifeTime', value: 86400, mutability: 'ReadWrite' as const },
    ],
  },
  {
    name: 'ReservationCtrlr',
    variables: [
      { name: 'Available', value: true },
      { name: 'Enabled', value: false, mutability: 'ReadWrite' as const },
    ],
  },
  {
    name: 'LocalAuthListCtrlr',
    variables: [
      { name: 'Available', value: false },
      { name: 'Enabled', value: false },
      { name: 'Entries', value: 0, maxLimit: 1000 },
      { name: 'ItemsPerMessage', value: 50 },
      { name: 'BytesPerMessage', value: 8192 },
    ],
  },
  {
    name: 'Heater',
    variables: [
      { name: 'Active', value: false },
      { name: 'Problem', value: true },
    ],
  },
  {
    name: 'Fan',
    instance: 'left',
    variables: [
      { name: 'Active', value: true },
      { name: 'FanSpeed', value: 300 },
    ],
  },
  {
    name: 'Fan',
    instance: 'right',
    variables: [
      { name: 'Active', value: false },
      { name: 'FanSpeed', value: 0 },
    ],
  },
  { name: 'Fan', variables: [{ name: 'FanSpeed', value: 100 }] },
  {
    name: 'TemperatureSensor',
    evse: { id: 2, connectorId: 1 },
    variables: [
      { name: 'Temperature', instance: 'contact', value: 40 },
      { name: 'Temperature', instance: 'cable', value: 35 },
    ],
  },
];

test('B08.FR.01 B08.FR.03 B08.FR.04 B08.FR.14 Accepted; parts with the requestId, seqNo from 0, tbc, generatedAt', () => {
  for (const version of VERSIONS) {
    const { model } = makeModel({ version, components });
    const answer = model.getReport({ requestId: 31, componentCriteria: ['Available'] }, { maxItems: 5 });
    if (!answer.ok) throw new Error('CALLERROR');
    assert.equal(answer.response, { status: 'Accepted' });
    assert.ok(answer.reports.length > 2);
    answer.reports.forEach((p, i) => {
      assertValidRequest(version, 'NotifyReport', p);
      assert.equal(
        [p.requestId, p.seqNo, p.tbc, p.generatedAt],
        [31, i, i < answer.reports.length - 1, NOW.toISOString()],
      );
    });
  }
});

// The scenario of TC_B_19_CS; the schema already refuses an unknown criterion, so only a non-validating peer gets here.
test('B08.FR.02 a criterion the station does not support is NotSupported', () => {
  const { model } = makeModel({ components });
  const answer = custom(model, { componentCriteria: ['Available', 'Broken' as 'Active'] });
  assert.is(answer.response.status, 'NotSupported');
  assert.is(answer.response.statusInfo?.reasonCode, 'UnsupportedParam');
  assert.equal(answer.reports, []);
});

test('B08.FR.07 Active: components with Active true or without an Active variable', () => {
  const { model } = makeModel({ components });
  const { labels } = custom(model, { componentCriteria: ['Active'] });
  assert.ok(labels.includes('Fan[left].FanSpeed') && labels.includes('Fan[left].Active'));
  assert.ok(labels.includes('Fan.FanSpeed'), 'no Active variable');
  assert.ok(labels.includes('OCPPCommCtrlr.OfflineThreshold'), 'no Active variable');
  assert.ok(!labels.some((l) => l.startsWith('Fan[right].') || l.startsWith('Heater.')), 'Active false');
});

test('B08.FR.08 Available: components with Available true or without an Available variable, all their variables', () => {
  const { model } = makeModel({ components });
  const { labels } = custom(model, { componentCriteria: ['Available'] });
  assert.ok(labels.includes('AuthCacheCtrlr.LifeTime') && labels.includes('ReservationCtrlr.Enabled'));
  assert.ok(labels.includes('EVSE(1).AvailabilityState'), 'EVSE has Available true');
  assert.ok(labels.includes('Heater.Problem'), 'no Available variable');
  assert.ok(!labels.some((l) => l.startsWith('LocalAuthListCtrlr.')), 'Available false');
});

// The scenario and post-scenario check of TC_B_16_CS.
test('B08.FR.09 Enabled: components with Enabled true or without an Enabled variable', () => {
  const { model } = makeModel({ components });
  const { data, labels } = custom(model, { componentCriteria: ['Enabled'] });
  assert.ok(labels.includes('AuthCacheCtrlr.Enabled'));
  assert.ok(!labels.some((l) => l.startsWith('ReservationCtrlr.') || l.startsWith('LocalAuthListCtrlr.')));
  // Every Enabled that is reported is "true", and every Enabled=true of the full inventory is reported.
  for (const d of data.filter((x) => x.variable.name === 'Enabled')) assert.is(d.variableAttribute[0]!.value, 'true');
  const full = model
    .getBaseReport({ requestId: 1, reportBase: 'FullInventory' })
    .reports.flatMap((p) => p.reportData ?? []);
  for (const d of full.filter((x) => x.variable.name === 'Enabled' && x.variableAttribute[0]!.value === 'true'))
    assert.ok(labels.includes(label(d)), label(d));
});

test('B08.FR.10 Problem: only components whose Problem is true', () => {
  const { model } = makeModel({ components });
  const { labels } = custom(model, { componentCriteria: ['Problem'] });
  assert.equal(labels, ['Heater.Active', 'Heater.Problem']);
});

test('B08.FR.13 several criteria: a component is reported when any of them holds', () => {
  const { model } = makeModel({ components });
  const { labels } = custom(model, { componentCriteria: ['Problem', 'Enabled'] });
  assert.ok(labels.includes('Heater.Problem'), 'by Problem');
  assert.ok(labels.includes('AuthCacheCtrlr.Enabled'), 'by Enabled');
  assert.ok(!labels.some((l) => l.startsWith('ReservationCtrlr.')), 'neither');
});

// The scenario of TC_B_17_CS.
test('B08.FR.11 B08.FR.12 componentVariable alone limits the report to it, with variableCharacteristics', () => {
  for (const version of VERSIONS) {
    const { model } = makeModel({ version, components });
    const { data } = custom(model, {
      componentVariable: [{ component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'AvailabilityState' } }],
    });
    assert.equal(data, [
      {
        component: { name: 'EVSE', evse: { id: 1 } },
        variable: { name: 'AvailabilityState' },
        variableAttribute: [
          { type: 'Actual', value: 'Available', mutability: 'ReadOnly', persistent: false, constant: false },
        ],
        variableCharacteristics: {
          dataType: 'OptionList',
          valuesList: 'Available,Occupied,Reserved,Unavailable,Faulted',
          supportsMonitoring: false,
        },
      },
    ]);
  }
});

// The scenario of TC_B_18_CS.
test('B08.FR.05 B08.FR.15 criteria and componentVariable together restrict both ways; nothing left is EmptyResultSet', () => {
  const { model } = makeModel({ components });
  const evse1 = [{ component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'AvailabilityState' } }];
  const available = custom(model, { componentCriteria: ['Available'], componentVariable: evse1 });
  assert.equal([available.response.status, available.labels], ['Accepted', ['EVSE(1).AvailabilityState']]);
  const problem = custom(model, { componentCriteria: ['Problem'], componentVariable: evse1 });
  assert.is(problem.response.status, 'EmptyResultSet');
  assert.is(problem.response.statusInfo?.reasonCode, 'NotFound');
  assert.equal(problem.reports, [], 'no NotifyReport');
  const nothing = custom(model, { componentVariable: [{ component: { name: 'NoSuchThing' } }] });
  assert.is(nothing.response.status, 'EmptyResultSet');
});

test('B08.FR.20 a componentVariable without variable reports every variable of the component', () => {
  const { model } = makeModel({ components });
  const { labels } = custom(model, { componentVariable: [{ component: { name: 'AuthCtrlr' } }] });
  assert.equal(labels, [
    'AuthCtrlr.AuthorizeRemoteStart',
    'AuthCtrlr.DisableRemoteAuthorization',
    'AuthCtrlr.Enabled',
    'AuthCtrlr.LocalAuthorizeOffline',
    'AuthCtrlr.LocalPreAuthorize',
    'AuthCtrlr.MasterPassGroupId',
    'AuthCtrlr.OfflineTxForUnknownIdEnabled',
  ]);
});

// The scenarios of TC_B_54_CS and TC_B_55_CS.
test('B08.FR.21 a variable without instance reports every instance of it; with one, only that', () => {
  const { model } = makeModel({ components });
  const every = custom(model, {
    componentVariable: [{ component: { name: 'DeviceDataCtrlr' }, variable: { name: 'ItemsPerMessage' } }],
  });
  assert.equal(every.labels, [
    'DeviceDataCtrlr.ItemsPerMessage[GetReport]',
    'DeviceDataCtrlr.ItemsPerMessage[GetVariables]',
    'DeviceDataCtrlr.ItemsPerMessage[SetVariables]',
  ]);
  const one = custom(model, {
    componentVariable: [
      { component: { name: 'DeviceDataCtrlr' }, variable: { name: 'ItemsPerMessage', instance: 'GetReport' } },
    ],
  });
  assert.equal(one.labels, ['DeviceDataCtrlr.ItemsPerMessage[GetReport]']);
});

test('B08.FR.22 an evse.id without connectorId reports the component on that EVSE and on each of its connectors', () => {
  const { model } = makeModel({ components });
  const connectors = custom(model, {
    componentVariable: [{ component: { name: 'Connector', evse: { id: 2 } }, variable: { name: 'ConnectorType' } }],
  });
  assert.equal(connectors.labels, ['Connector(2,1).ConnectorType', 'Connector(2,2).ConnectorType']);
  const sensors = custom(model, { componentVariable: [{ component: { name: 'TemperatureSensor', evse: { id: 2 } } }] });
  assert.equal(sensors.labels, [
    'TemperatureSensor(2,1).Temperature[cable]',
    'TemperatureSensor(2,1).Temperature[contact]',
  ]);
  const exact = custom(model, {
    componentVariable: [
      { component: { name: 'Connector', evse: { id: 2, connectorId: 2 } }, variable: { name: 'ConnectorType' } },
    ],
  });
  assert.equal(exact.labels, ['Connector(2,2).ConnectorType']);
});

// The scenario of TC_B_56_CS.
test('B08.FR.23 without evse the component is reported on every tier, the station tier included', () => {
  const readers = [
    { name: 'TokenReader', variables: [{ name: 'Enabled', value: true }] },
    { name: 'TokenReader', evse: { id: 2 }, variables: [{ name: 'Enabled', value: true }] },
  ];
  const { model } = makeModel({ components: [...components, ...readers] });
  const evses = custom(model, {
    componentVariable: [{ component: { name: 'EVSE' }, variable: { name: 'AvailabilityState' } }],
  });
  assert.equal(evses.labels, ['EVSE(1).AvailabilityState', 'EVSE(2).AvailabilityState'], 'one per configured EVSE');
  const tokenReaders = custom(model, { componentVariable: [{ component: { name: 'TokenReader' } }] });
  assert.equal(tokenReaders.labels, ['TokenReader.Enabled', 'TokenReader(2).Enabled']);
  const available = custom(model, {
    componentVariable: [{ component: { name: 'Connector' }, variable: { name: 'Available' } }],
  });
  assert.equal(available.labels, ['Connector(1,1).Available', 'Connector(2,1).Available', 'Connector(2,2).Available']);
});

test('B08.FR.24 a component instance reports only that instance; B08.FR.25 without one, every instance and the one without', () => {
  const { model } = makeModel({ components });
  const left = custom(model, {
    componentVariable: [{ component: { name: 'Fan', instance: 'left' }, variable: { name: 'FanSpeed' } }],
  });
  assert.equal(left.labels, ['Fan[left].FanSpeed']);
  const fans = custom(model, { componentVariable: [{ component: { name: 'fan' }, variable: { name: 'fanspeed' } }] });
  assert.equal(fans.labels, ['Fan.FanSpeed', 'Fan[left].FanSpeed', 'Fan[right].FanSpeed']);
});

test('B08 several componentVariable entries report their union, each component-variable once', () => {
  const { model } = makeModel({ components });
  const { labels } = custom(model, {
    componentVariable: [
      { component: { name: 'Fan' }, variable: { name: 'FanSpeed' } },
      { component: { name: 'Fan', instance: 'left' } },
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' } },
    ],
  });
  assert.equal(labels, [
    'Fan.FanSpeed',
    'Fan[left].Active',
    'Fan[left].FanSpeed',
    'Fan[right].FanSpeed',
    'OCPPCommCtrlr.OfflineThreshold',
  ]);
});

test('B08.FR.17 more componentVariable entries than ItemsPerMessageGetReport: CALLERROR OccurrenceConstraintViolation', () => {
  const { model } = makeModel({
    components: [
      { name: 'DeviceDataCtrlr', variables: [{ name: 'ItemsPerMessage', instance: 'GetReport', value: 2 }] },
    ],
  });
  const cv = [
    { component: { name: 'AuthCtrlr' } },
    { component: { name: 'TxCtrlr' } },
    { component: { name: 'ClockCtrlr' } },
  ];
  const r = model.getReport({ requestId: 1, componentVariable: cv });
  assert.is(r.ok ? '' : r.callError.code, 'OccurrenceConstraintViolation');
  assert.ok(model.getReport({ requestId: 1, componentVariable: cv.slice(0, 2) }).ok);
});

test('B08.FR.18 a GetReportRequest of more bytes than BytesPerMessageGetReport: CALLERROR FormatViolation', () => {
  const { model } = makeModel({
    components: [
      { name: 'DeviceDataCtrlr', variables: [{ name: 'BytesPerMessage', instance: 'GetReport', value: 120 }] },
    ],
  });
  const cv = [
    { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' } },
    { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
  ];
  const r = model.getReport({ requestId: 1, componentVariable: cv });
  assert.is(r.ok ? '' : r.callError.code, 'FormatViolation');
});

test.run();
