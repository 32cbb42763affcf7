// B05 Set Variables on the device model: statuses per item, value formats and ranges, mutability, reboot-required
// variables, length limits, atomic commit, change notification. Every response is checked against the schema.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { SetVariablesRequest, VariableChange } from '../../../runtime/station/device-model/index.js';
import { assertValidResponse, item, makeModel, ok, VERSIONS } from './fixture.js';

function set(
  model: ReturnType<typeof makeModel>['model'],
  data: SetVariablesRequest['setVariableData'],
  version: 'ocpp2.0.1' | 'ocpp2.1' = 'ocpp2.0.1',
) {
  const res = ok(model.setVariables({ setVariableData: data }));
  assertValidResponse(version, 'SetVariables', res);
  return res.setVariableResult;
}

const fan = {
  name: 'Fan',
  instance: 'cabinet',
  variables: [
    {
      name: 'FanSpeed',
      unit: 'RPM',
      minLimit: 0,
      maxLimit: 1000,
      value: 0,
      target: true,
      minSet: { value: 200 },
      maxSet: { value: 500 },
    },
  ],
};

test('B05.FR.01 B05.FR.02 one result per item, in request order, each with the requested component and variable', () => {
  const { model } = makeModel();
  const data = [
    item('OCPPCommCtrlr', 'OfflineThreshold', { attributeValue: '300' }),
    item('NoSuchComponent', 'OfflineThreshold', { attributeValue: '1' }),
    item({ name: 'EVSE', evse: { id: 2 } }, 'AvailabilityState', { attributeValue: 'Faulted' }),
    item('OCPPCommCtrlr', { name: 'MessageAttempts', instance: 'TransactionEvent' }, { attributeValue: '5' }),
    item('AuthCtrlr', 'LocalAuthorizeOffline', { attributeValue: 'false' }),
  ];
  const results = set(model, data);
  assert.is(results.length, data.length);
  results.forEach((r, i) => {
    assert.equal(r.component, data[i]!.component, `component of item ${i}`);
    assert.equal(r.variable, data[i]!.variable, `variable of item ${i}`);
  });
  assert.equal(
    results.map((r) => r.attributeStatus),
    ['Accepted', 'UnknownComponent', 'Rejected', 'Accepted', 'Accepted'],
  );
});

test('B05.FR.03 the attributeType of the request is in the result; B05.FR.12 without one the result says Actual', () => {
  const { model } = makeModel({ components: [fan] });
  const [target, actual] = set(model, [
    item({ name: 'Fan', instance: 'cabinet' }, 'FanSpeed', { attributeType: 'Target', attributeValue: '300' }),
    item('OCPPCommCtrlr', 'HeartbeatInterval', { attributeValue: '60' }),
  ]);
  assert.is(target!.attributeType, 'Target');
  assert.is(target!.attributeStatus, 'Accepted');
  assert.is(actual!.attributeType, 'Actual');
  assert.is(model.get({ name: 'Fan', instance: 'cabinet' }, 'FanSpeed', 'Target'), '300');
  assert.is(model.getInt('OCPPCommCtrlr', 'HeartbeatInterval'), 60);
});

test('B05.FR.04 an unknown component — name, instance, EVSE or connector that does not exist — is UnknownComponent', () => {
  const { model } = makeModel({ components: [fan] });
  const results = set(model, [
    item('UnknownComponent', 'OfflineThreshold', { attributeValue: '1' }),
    item({ name: 'Fan', instance: 'door' }, 'FanSpeed', { attributeValue: '1' }),
    item({ name: 'EVSE', evse: { id: 3 } }, 'AvailabilityState', { attributeValue: 'Available' }),
    item({ name: 'Connector', evse: { id: 1, connectorId: 2 } }, 'Available', { attributeValue: 'true' }),
    item('EVSE', 'Available', { attributeValue: 'true' }),
    // OCPPCommCtrlr exists at the station tier only.
    item({ name: 'OCPPCommCtrlr', evse: { id: 1 } }, 'OfflineThreshold', { attributeValue: '1' }),
  ]);
  for (const r of results) assert.is(r.attributeStatus, 'UnknownComponent', JSON.stringify(r.component));
});

test('B05.FR.05 a variable the component does not have is UnknownVariable, also a missing or wrong instance', () => {
  const { model } = makeModel();
  const results = set(model, [
    item('OCPPCommCtrlr', 'UnknownVariable', { attributeValue: '1' }),
    item('OCPPCommCtrlr', 'MessageAttempts', { attributeValue: '1' }), // exists only as MessageAttempts[TransactionEvent]
    item('OCPPCommCtrlr', { name: 'MessageAttempts', instance: 'Authorize' }, { attributeValue: '1' }),
    item('AuthCtrlr', 'OfflineThreshold', { attributeValue: '1' }),
  ]);
  for (const r of results) assert.is(r.attributeStatus, 'UnknownVariable', JSON.stringify(r.variable));
});

test('B05.FR.06 an attribute type the variable does not support is NotSupportedAttributeType', () => {
  const { model } = makeModel({ components: [fan] });
  const results = set(model, [
    item('OCPPCommCtrlr', 'OfflineThreshold', { attributeType: 'Target', attributeValue: '300' }),
    item('OCPPCommCtrlr', 'OfflineThreshold', { attributeType: 'MaxSet', attributeValue: '300' }),
    item({ name: 'Fan', instance: 'cabinet' }, 'FanSpeed', { attributeType: 'Actual', attributeValue: '300' }),
  ]);
  assert.equal(
    results.map((r) => r.attributeStatus),
    ['NotSupportedAttributeType', 'NotSupportedAttributeType', 'Rejected'],
  );
  assert.equal(
    results.map((r) => r.attributeType),
    ['Target', 'MaxSet', 'Actual'],
  );
  assert.is(model.getInt('OCPPCommCtrlr', 'OfflineThreshold'), 300, 'unchanged');
});

test('B05.FR.07 incorrectly formatted values are Rejected (InvalidValue) for each data type, and change nothing', () => {
  const { model } = makeModel({
    components: [
      { name: 'ClockCtrlr', variables: [{ name: 'NextTimeOffsetTransitionDateTime', mutability: 'ReadWrite' }] },
      {
        name: 'SmartChargingCtrlr',
        variables: [
          { name: 'LimitChangeSignificance', value: 10, mutability: 'ReadWrite' },
          { name: 'Entries', instance: 'ChargingProfiles', value: 0 },
          { name: 'PeriodsPerSchedule', value: 24 },
          { name: 'ProfileStackLevel', value: 8 },
          { name: 'RateUnit', valuesList: ['A', 'W'], value: ['A', 'W'] },
        ],
      },
      {
        name: 'AuthCacheCtrlr',
        variables: [{ name: 'Policy', valuesList: ['LRU', 'LFU', 'FIFO'], value: 'LRU', mutability: 'ReadWrite' }],
      },
      {
        name: 'Gateway',
        variables: [{ name: 'Identity', dataType: 'identifierString', value: 'CS-001', mutability: 'ReadWrite' }],
      },
    ],
  });
  // The values TC_B_11_CS tries (configured offlineThreshold, +0.1, true, a date-time, "abc") and more.
  const cases: [string, string, string[], string[]][] = [
    [
      'OCPPCommCtrlr',
      'OfflineThreshold',
      ['300.1', 'true', '2025-03-01T12:00:00Z', 'abc', '', '3e2', '0x10', '1 2'],
      ['300', ' 301 ', '+302', '0300'],
    ],
    [
      'SmartChargingCtrlr',
      'LimitChangeSignificance',
      ['true', '2025-03-01T12:00:00Z', 'abc', '', '1.2.3', 'NaN', 'Infinity'],
      ['300', '300.1', '-0.5', '.5', '1e2'],
    ],
    [
      'AuthCtrlr',
      'AuthorizeRemoteStart',
      ['300', '300.1', '2025-03-01T12:00:00Z', 'abc', '', 'yes', '1'],
      ['true', 'false', 'TRUE'],
    ],
    [
      'ClockCtrlr',
      'NextTimeOffsetTransitionDateTime',
      ['300', 'true', 'abc', '2025-03-01', '2025-02-30T00:00:00Z', '2025-03-01T25:00:00Z', '2025-03-01T12:00:00'],
      ['2025-03-01T12:00:00Z', '2025-10-26T01:00:00.5+01:00'],
    ],
    ['AuthCacheCtrlr', 'Policy', ['MRU', 'LRU,LFU', '', 'lru'], ['LFU', ' FIFO ']],
    [
      'TxCtrlr',
      'TxStartPoint',
      ['Sometimes', 'Authorized,Authorized', 'Authorized,,EVConnected'],
      ['Authorized', 'EVConnected, Authorized', ''],
    ],
    ['OCPPCommCtrlr', 'NetworkConfigurationPriority', ['', '3', '1,1'], ['2,1', '1']],
    ['Gateway', 'Identity', ['CS 001', 'CS/001', 'ünïcode'], ['CS-002', 'a*-_=:+|@.Z9']],
  ];
  for (const [component, variable, badValues, goodValues] of cases) {
    for (const value of badValues) {
      const before = model.get(component, variable);
      const [r] = set(model, [item(component, variable, { attributeValue: value })]);
      assert.is(r!.attributeStatus, 'Rejected', `${component}.${variable} = ${JSON.stringify(value)}`);
      assert.is(
        r!.attributeStatusInfo?.reasonCode,
        'InvalidValue',
        `${component}.${variable} = ${JSON.stringify(value)}`,
      );
      assert.is(model.get(component, variable), before, 'unchanged');
    }
    for (const value of goodValues) {
      const [r] = set(model, [item(component, variable, { attributeValue: value })]);
      assert.is(r!.attributeStatus, 'Accepted', `${component}.${variable} = ${JSON.stringify(value)}`);
    }
  }
  // Stored in canonical form: integers without sign and leading zeros, booleans lower case, list members trimmed.
  assert.is(model.get('OCPPCommCtrlr', 'OfflineThreshold'), '300');
  assert.is(model.get('AuthCtrlr', 'AuthorizeRemoteStart'), 'true');
  assert.is(model.get('AuthCacheCtrlr', 'Policy'), 'FIFO');
  assert.is(model.get('TxCtrlr', 'TxStartPoint'), '', 'an empty MemberList is the empty set');
  assert.equal(model.getList('OCPPCommCtrlr', 'NetworkConfigurationPriority'), ['1']);
});

test('B05.FR.08 values below or above the range are Rejected: minLimit/maxLimit, and MinSet/MaxSet for a Target', () => {
  const { model } = makeModel({ components: [fan] });
  const fanC = { name: 'Fan', instance: 'cabinet' };
  const cases: [SetVariablesRequest['setVariableData'][number], string, string][] = [
    [item('OCPPCommCtrlr', 'HeartbeatInterval', { attributeValue: '0' }), 'ValueTooLow', 'minLimit 1'],
    [item('OCPPCommCtrlr', 'OfflineThreshold', { attributeValue: '-1' }), 'ValueTooLow', 'minLimit 0'],
    [
      item('OCPPCommCtrlr', 'OfflineThreshold', { attributeValue: '99999999999999999' }),
      'ValueTooHigh',
      'beyond safe integers',
    ],
    [item(fanC, 'FanSpeed', { attributeType: 'Target', attributeValue: '600' }), 'ValueTooHigh', 'MaxSet 500'],
    [item(fanC, 'FanSpeed', { attributeType: 'Target', attributeValue: '100' }), 'ValueTooLow', 'MinSet 200'],
    [item(fanC, 'FanSpeed', { attributeType: 'MaxSet', attributeValue: '1001' }), 'ValueTooHigh', 'maxLimit 1000'],
    [item(fanC, 'FanSpeed', { attributeType: 'MaxSet', attributeValue: '150' }), 'ValueTooLow', 'below MinSet 200'],
    [item(fanC, 'FanSpeed', { attributeType: 'MinSet', attributeValue: '501' }), 'ValueTooHigh', 'above MaxSet 500'],
  ];
  for (const [data, reason, why] of cases) {
    const [r] = set(model, [data]);
    assert.is(r!.attributeStatus, 'Rejected', why);
    assert.is(r!.attributeStatusInfo?.reasonCode, reason, why);
  }
  assert.is(model.get(fanC, 'FanSpeed', 'MaxSet'), '500');
  // The bounds are the ones in effect at that point of the request: lowering MaxSet bounds a later Target.
  const results = set(model, [
    item(fanC, 'FanSpeed', { attributeType: 'MaxSet', attributeValue: '400' }),
    item(fanC, 'FanSpeed', { attributeType: 'Target', attributeValue: '450' }),
    item(fanC, 'FanSpeed', { attributeType: 'Target', attributeValue: '400' }),
  ]);
  assert.equal(
    results.map((r) => r.attributeStatus),
    ['Accepted', 'Rejected', 'Accepted'],
  );
  assert.is(model.get(fanC, 'FanSpeed', 'Target'), '400');
});

// MessageTimeout[Default] is the variable of TC_B_39_CS.
test('B05.FR.09 ReadOnly variables are Rejected (MessageTimeout[Default]), constant and live ones too', () => {
  const { model } = makeModel({
    components: [{ name: 'ChargingStation', variables: [{ name: 'Model', value: 'X1', constant: true }] }],
  });
  const results = set(model, [
    item('OCPPCommCtrlr', { name: 'MessageTimeout', instance: 'Default' }, { attributeValue: '30' }),
    item({ name: 'EVSE', evse: { id: 1 } }, 'AvailabilityState', { attributeValue: 'Unavailable' }),
    item('ChargingStation', 'Model', { attributeValue: 'X2' }),
    item('ClockCtrlr', 'DateTime', { attributeValue: '2025-03-01T12:00:00Z' }),
  ]);
  for (const r of results) {
    assert.is(r.attributeStatus, 'Rejected', r.variable.name);
    assert.is(r.attributeStatusInfo?.reasonCode, 'ReadOnly', r.variable.name);
  }
  assert.equal(results[0]!.variable, { name: 'MessageTimeout', instance: 'Default' });
  assert.is(model.getInt('OCPPCommCtrlr', { name: 'MessageTimeout', instance: 'Default' }), 30);
  assert.is(model.get({ name: 'EVSE', evse: { id: 1 } }, 'AvailabilityState'), 'Available');
});

test('B05.FR.10 a value the station could set is Accepted and in effect at once, for names in any letter case', () => {
  const { model } = makeModel();
  const [r1, r2] = set(model, [
    item('OCPPCommCtrlr', 'OfflineThreshold', { attributeValue: '600' }),
    item('ocppcommctrlr', { name: 'messageattempts', instance: 'transactionevent' }, { attributeValue: '7' }),
  ]);
  assert.is(r1!.attributeStatus, 'Accepted');
  assert.is(r1!.attributeStatusInfo, undefined);
  assert.is(r2!.attributeStatus, 'Accepted');
  assert.equal(r2!.component, { name: 'ocppcommctrlr' }, 'the request spelling is echoed');
  assert.is(model.getInt('OCPPCommCtrlr', 'OfflineThreshold'), 600);
  assert.is(model.getInt('OCPPCommCtrlr', { name: 'MessageAttempts', instance: 'TransactionEvent' }), 7);
  const got = ok(model.getVariables({ getVariableData: [item('OCPPCommCtrlr', 'OfflineThreshold')] }));
  assert.is(got.getVariableResult[0]!.attributeValue, '600');
});

test('B05 RebootRequired: a variable declared so answers RebootRequired; the value waits for the next start', () => {
  const { model, store } = makeModel({
    components: [{ name: 'OCPPCommCtrlr', variables: [{ name: 'WebSocketPingInterval', rebootRequired: true }] }],
  });
  const [r] = set(model, [item('OCPPCommCtrlr', 'WebSocketPingInterval', { attributeValue: '120' })]);
  assert.is(r!.attributeStatus, 'RebootRequired');
  assert.is(model.getInt('OCPPCommCtrlr', 'WebSocketPingInterval'), 60, 'still the value in effect');
  assert.is(model.pendingValue('OCPPCommCtrlr', 'WebSocketPingInterval'), '120');
  const [bad] = set(model, [item('OCPPCommCtrlr', 'WebSocketPingInterval', { attributeValue: 'soon' })]);
  assert.is(bad!.attributeStatus, 'Rejected', 'a bad value is still Rejected');
  const restarted = makeModel({
    store,
    components: [{ name: 'OCPPCommCtrlr', variables: [{ name: 'WebSocketPingInterval', rebootRequired: true }] }],
  }).model;
  assert.is(restarted.getInt('OCPPCommCtrlr', 'WebSocketPingInterval'), 120);
  assert.is(restarted.pendingValue('OCPPCommCtrlr', 'WebSocketPingInterval'), undefined);
});

test('B05 values longer than ConfigurationValueSize/ValueSize or a string maxLimit are Rejected (TooLargeElement)', () => {
  const { model } = makeModel({
    components: [
      // 100: ocppkit's longest default valuesList (TxCtrlr.TxStartPoint, 84 characters) must still fit.
      { name: 'DeviceDataCtrlr', variables: [{ name: 'ConfigurationValueSize', value: 100 }] },
      { name: 'Display', variables: [{ name: 'Message', dataType: 'string', maxLimit: 8, mutability: 'ReadWrite' }] },
    ],
  });
  const [tooLong, okLen, overMax, emoji] = set(model, [
    item('SecurityCtrlr', 'OrganizationName', { attributeValue: 'x'.repeat(101) }),
    item('SecurityCtrlr', 'OrganizationName', { attributeValue: 'y'.repeat(100) }),
    item('Display', 'Message', { attributeValue: 'nine char' }),
    item('Display', 'Message', { attributeValue: '⚡'.repeat(8) }), // 8 characters, 16 UTF-16 units
  ]);
  assert.is(tooLong!.attributeStatus, 'Rejected');
  assert.is(tooLong!.attributeStatusInfo?.reasonCode, 'TooLargeElement');
  assert.is(okLen!.attributeStatus, 'Accepted');
  assert.is(overMax!.attributeStatus, 'Rejected');
  assert.is(overMax!.attributeStatusInfo?.reasonCode, 'TooLargeElement');
  assert.is(emoji!.attributeStatus, 'Accepted', 'lengths count characters as the schemas do');
});

test('B05 a value up to the schema maximum is accepted: 1000 characters in 2.0.1, 2500 in 2.1', () => {
  for (const version of VERSIONS) {
    const max = version === 'ocpp2.0.1' ? 1000 : 2500;
    const { model } = makeModel({ version });
    const [r] = set(model, [item('SecurityCtrlr', 'OrganizationName', { attributeValue: 'o'.repeat(max) })], version);
    assert.is(r!.attributeStatus, 'Accepted', version);
  }
});

test('B05 more items than ItemsPerMessageSetVariables or more bytes than BytesPerMessageSetVariables: CALLERROR', () => {
  const { model } = makeModel({
    components: [
      {
        name: 'DeviceDataCtrlr',
        variables: [
          { name: 'ItemsPerMessage', instance: 'SetVariables', value: 2 },
          { name: 'BytesPerMessage', instance: 'SetVariables', value: 400 },
        ],
      },
    ],
  });
  const three = [1, 2, 3].map((n) => item('OCPPCommCtrlr', 'OfflineThreshold', { attributeValue: String(n) }));
  const r1 = model.setVariables({ setVariableData: three });
  assert.equal(r1.ok ? null : r1.callError.code, 'OccurrenceConstraintViolation');
  const big = model.setVariables({
    setVariableData: [item('SecurityCtrlr', 'OrganizationName', { attributeValue: 'z'.repeat(400) })],
  });
  assert.equal(big.ok ? null : big.callError.code, 'FormatViolation');
  assert.is(model.get('OCPPCommCtrlr', 'OfflineThreshold'), '300', 'nothing applied');
  assert.ok(model.setVariables({ setVariableData: three.slice(0, 2) }).ok);
});

test('B05 several items commit together: a store failure rejects every accepted item and changes nothing', () => {
  const { model, store } = makeModel();
  const changes: VariableChange[] = [];
  model.onChange((c) => changes.push(c));
  store.close(); // the disk is gone: every write fails
  const results = set(model, [
    item('OCPPCommCtrlr', 'OfflineThreshold', { attributeValue: '900' }),
    item('OCPPCommCtrlr', 'NoSuchVariable', { attributeValue: '1' }),
    item('OCPPCommCtrlr', 'HeartbeatInterval', { attributeValue: '45' }),
  ]);
  assert.equal(
    results.map((r) => r.attributeStatus),
    ['Rejected', 'UnknownVariable', 'Rejected'],
  );
  assert.is(results[0]!.attributeStatusInfo?.reasonCode, 'InternalError');
  assert.is(model.getInt('OCPPCommCtrlr', 'OfflineThreshold'), 300);
  assert.is(model.getInt('OCPPCommCtrlr', 'HeartbeatInterval'), 300);
  assert.equal(changes, []);
});

test('B05 listeners hear each accepted change after the commit, with source csms; unchanged and rejected values are silent', () => {
  const { model } = makeModel();
  const heard: VariableChange[] = [];
  const heartbeat: number[] = [];
  model.onChange((c) => heard.push(c));
  const stop = model.watch('OCPPCommCtrlr', 'HeartbeatInterval', () =>
    heartbeat.push(model.getInt('OCPPCommCtrlr', 'HeartbeatInterval')!),
  );
  set(model, [
    item('OCPPCommCtrlr', 'HeartbeatInterval', { attributeValue: '120' }),
    item('OCPPCommCtrlr', 'OfflineThreshold', { attributeValue: '300' }), // same value as before
    item('OCPPCommCtrlr', 'OfflineThreshold', { attributeValue: 'x' }),
    item('TxCtrlr', 'TxStartPoint', { attributeValue: 'EVConnected' }),
  ]);
  assert.equal(heard, [
    {
      component: { name: 'OCPPCommCtrlr' },
      variable: { name: 'HeartbeatInterval' },
      attribute: 'Actual',
      value: '120',
      previous: '300',
      source: 'csms',
    },
    {
      component: { name: 'TxCtrlr' },
      variable: { name: 'TxStartPoint' },
      attribute: 'Actual',
      value: 'EVConnected',
      previous: 'PowerPathClosed',
      source: 'csms',
    },
  ]);
  assert.equal(heartbeat, [120], 'the watcher reads the new value');
  stop();
  set(model, [item('OCPPCommCtrlr', 'HeartbeatInterval', { attributeValue: '90' })]);
  assert.equal(heartbeat, [120], 'unsubscribed');
});

test.run();
