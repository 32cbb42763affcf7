// B06 Get Variables on the device model: statuses per item, values, instances, WriteOnly, unset attributes,
// ReportingValueSize, and the CALLERRORs beyond ItemsPerMessage/BytesPerMessage. Every response is schema-checked.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { GetVariablesRequest } from '../../../runtime/station/device-model/index.js';
import { assertValidResponse, item, makeModel, NOW, ok, VERSIONS } from './fixture.js';

function get(
  model: ReturnType<typeof makeModel>['model'],
  data: GetVariablesRequest['getVariableData'],
  version: 'ocpp2.0.1' | 'ocpp2.1' = 'ocpp2.0.1',
) {
  const res = ok(model.getVariables({ getVariableData: data }));
  assertValidResponse(version, 'GetVariables', res);
  return res.getVariableResult;
}

const fan = {
  name: 'Fan',
  instance: 'cabinet',
  variables: [{ name: 'FanSpeed', unit: 'RPM', maxLimit: 1000, value: 420, target: true, maxSet: { value: 500 } }],
};

test('B06.FR.01 B06.FR.02 B06.FR.04 B06.FR.10 one result per item in order, same component and variable, Accepted with the value', () => {
  for (const version of VERSIONS) {
    const { model } = makeModel({ version });
    // As TC_B_06_CS/TC_B_07_CS: OfflineThreshold 300 and LocalAuthorizeOffline true.
    const data = [
      item('OCPPCommCtrlr', 'OfflineThreshold', { attributeType: 'Actual' }),
      item('AuthCtrlr', 'LocalAuthorizeOffline', { attributeType: 'Actual' }),
      item({ name: 'EVSE', evse: { id: 2 } }, 'Power', { attributeType: 'Actual' }),
      item({ name: 'Connector', evse: { id: 2, connectorId: 2 } }, 'ConnectorType'),
    ];
    const results = get(model, data, version);
    assert.is(results.length, data.length);
    results.forEach((r, i) => {
      assert.equal(r.component, data[i]!.component);
      assert.equal(r.variable, data[i]!.variable);
      assert.is(r.attributeStatus, 'Accepted');
      assert.is(r.attributeStatusInfo, undefined);
    });
    assert.equal(
      results.map((r) => r.attributeValue),
      ['300', 'true', '0', 'cG105'],
    );
  }
});

test('B06.FR.03 the requested attributeType is in the result; B06.FR.11 without one the result says Actual', () => {
  const { model } = makeModel({ components: [fan] });
  const [maxSet, target, none] = get(model, [
    item({ name: 'Fan', instance: 'cabinet' }, 'FanSpeed', { attributeType: 'MaxSet' }),
    item({ name: 'Fan', instance: 'cabinet' }, 'FanSpeed', { attributeType: 'Target' }),
    item({ name: 'Fan', instance: 'cabinet' }, 'FanSpeed'),
  ]);
  assert.equal([maxSet!.attributeType, maxSet!.attributeValue], ['MaxSet', '500']);
  assert.equal([target!.attributeType, target!.attributeStatus], ['Target', 'Accepted']);
  assert.equal([none!.attributeType, none!.attributeValue], ['Actual', '420']);
});

test('B06.FR.06 an unknown component is UnknownComponent, without attributeValue', () => {
  const { model } = makeModel();
  const results = get(model, [
    item('UnknownComponent', 'OfflineThreshold'), // TC_B_32_CS
    item({ name: 'EVSE', evse: { id: 7 } }, 'AvailabilityState'),
    item({ name: 'Connector', evse: { id: 2 } }, 'ConnectorType'),
  ]);
  for (const r of results) {
    assert.is(r.attributeStatus, 'UnknownComponent');
    assert.is('attributeValue' in r, false);
  }
});

test('B06.FR.07 a variable unknown for the component is UnknownVariable, without attributeValue', () => {
  const { model } = makeModel();
  const results = get(model, [item('OCPPCommCtrlr', 'UnknownVariable'), item('AuthCtrlr', 'HeartbeatInterval')]); // TC_B_33_CS
  for (const r of results) {
    assert.is(r.attributeStatus, 'UnknownVariable');
    assert.is('attributeValue' in r, false);
  }
});

test('B06.FR.08 an attribute type the variable lacks is NotSupportedAttributeType, without attributeValue', () => {
  const { model } = makeModel();
  const [r] = get(model, [item('OCPPCommCtrlr', 'OfflineThreshold', { attributeType: 'Target' })]); // TC_B_34_CS
  assert.is(r!.attributeStatus, 'NotSupportedAttributeType');
  assert.is(r!.attributeType, 'Target');
  assert.is('attributeValue' in r!, false);
});

test('B06.FR.09 a WriteOnly variable is Rejected and its value is not disclosed', () => {
  const { model } = makeModel({
    components: [
      {
        name: 'SecurityCtrlr',
        variables: [
          { name: 'BasicAuthPassword', value: 'correct-horse-battery', mutability: 'WriteOnly', maxLimit: 40 },
        ],
      },
    ],
  });
  const [r] = get(model, [item('SecurityCtrlr', 'BasicAuthPassword')]);
  assert.is(r!.attributeStatus, 'Rejected');
  assert.is(r!.attributeStatusInfo?.reasonCode, 'WriteOnly');
  assert.ok(!JSON.stringify(r).includes('correct-horse'));
  assert.is(model.get('SecurityCtrlr', 'BasicAuthPassword'), 'correct-horse-battery', 'the runtime can read it');
});

test('B06.FR.13 a supported attribute without a value gives an empty string', () => {
  const { model } = makeModel({
    components: [fan, { name: 'ClockCtrlr', variables: [{ name: 'TimeZone', mutability: 'ReadWrite' }] }],
  });
  const [target, zone] = get(model, [
    item({ name: 'Fan', instance: 'cabinet' }, 'FanSpeed', { attributeType: 'Target' }),
    item('ClockCtrlr', 'TimeZone'),
  ]);
  assert.equal([target!.attributeStatus, target!.attributeValue], ['Accepted', '']);
  assert.equal([zone!.attributeStatus, zone!.attributeValue], ['Accepted', '']);
});

test('B06.FR.14 a given instance of a component or variable returns exactly that instance', () => {
  const { model } = makeModel({
    components: [
      { name: 'DeviceDataCtrlr', variables: [{ name: 'ItemsPerMessage', instance: 'GetVariables', value: 40 }] },
      { name: 'TemperatureSensor', instance: 'cabinet', variables: [{ name: 'Temperature', value: 31.5 }] },
      { name: 'TemperatureSensor', instance: 'outside', variables: [{ name: 'Temperature', value: -4 }] },
    ],
  });
  const results = get(model, [
    item('DeviceDataCtrlr', { name: 'ItemsPerMessage', instance: 'GetReport' }),
    item('DeviceDataCtrlr', { name: 'ItemsPerMessage', instance: 'GetVariables' }),
    item({ name: 'TemperatureSensor', instance: 'outside' }, 'Temperature'),
    item({ name: 'temperaturesensor', instance: 'CABINET' }, 'temperature'),
  ]);
  assert.equal(
    results.map((r) => r.attributeValue),
    ['100', '40', '-4', '31.5'],
  );
  assert.equal(results[3]!.component, { name: 'temperaturesensor', instance: 'CABINET' });
});

test('B06.FR.15 without an instance (absent or empty) only the instance-less component/variable matches', () => {
  const { model } = makeModel({
    components: [{ name: 'TemperatureSensor', instance: 'cabinet', variables: [{ name: 'Temperature', value: 31.5 }] }],
  });
  const results = get(model, [
    item('OCPPCommCtrlr', 'MessageTimeout'),
    item('OCPPCommCtrlr', { name: 'MessageTimeout', instance: '' }),
    item('TemperatureSensor', 'Temperature'),
    item({ name: 'TemperatureSensor', instance: '' }, 'Temperature'),
    item({ name: 'OCPPCommCtrlr', instance: '' }, 'OfflineThreshold'),
  ]);
  assert.equal(
    results.map((r) => r.attributeStatus),
    ['UnknownVariable', 'UnknownVariable', 'UnknownComponent', 'UnknownComponent', 'Accepted'],
  );
});

test('B06.FR.16 more items than ItemsPerMessageGetVariables: CALLERROR OccurrenceConstraintViolation', () => {
  const { model } = makeModel({
    components: [
      { name: 'DeviceDataCtrlr', variables: [{ name: 'ItemsPerMessage', instance: 'GetVariables', value: 3 }] },
    ],
  });
  const four = [1, 2, 3, 4].map(() => item('OCPPCommCtrlr', 'OfflineThreshold'));
  const r = model.getVariables({ getVariableData: four });
  assert.is(r.ok, false);
  assert.is(r.ok ? '' : r.callError.code, 'OccurrenceConstraintViolation');
  assert.ok(model.getVariables({ getVariableData: four.slice(1) }).ok);
});

test('B06.FR.17 more bytes than BytesPerMessageGetVariables: CALLERROR FormatViolation', () => {
  const { model } = makeModel({
    components: [
      { name: 'DeviceDataCtrlr', variables: [{ name: 'BytesPerMessage', instance: 'GetVariables', value: 200 }] },
    ],
  });
  const request = { getVariableData: [1, 2, 3].map(() => item('OCPPCommCtrlr', 'OfflineThreshold')) };
  assert.ok(Buffer.byteLength(JSON.stringify(request)) > 200);
  const r = model.getVariables(request);
  assert.is(r.ok ? '' : r.callError.code, 'FormatViolation');
  assert.ok(model.getVariables({ getVariableData: request.getVariableData.slice(0, 1) }).ok);
});

test('B06 ReportingValueSize cuts long values (counting characters); ClockCtrlr.DateTime is the injected clock', () => {
  const { model } = makeModel({
    components: [
      { name: 'DeviceDataCtrlr', variables: [{ name: 'ReportingValueSize', value: 10 }] },
      { name: 'Display', variables: [{ name: 'Message', dataType: 'string', value: '⚡'.repeat(12) }] },
    ],
  });
  const [msg, org] = get(model, [item('Display', 'Message'), item('SecurityCtrlr', 'OrganizationName')]);
  assert.is(msg!.attributeValue, '⚡'.repeat(10));
  assert.is(org!.attributeValue, 'ACME Charg');
  const [time] = get(makeModel().model, [item('ClockCtrlr', 'DateTime')]);
  assert.is(time!.attributeValue, NOW.toISOString());
});

test('B06 malformed requests are refused, never thrown: an empty or missing getVariableData is a FormatViolation', () => {
  const { model } = makeModel();
  for (const bad of [{ getVariableData: [] }, {}, null]) {
    const r = model.getVariables(bad as unknown as GetVariablesRequest);
    assert.is(r.ok ? '' : r.callError.code, 'FormatViolation');
  }
});

test.run();
