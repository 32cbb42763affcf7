// 2.0.1 and 2.1 share the device model; these tests cover where they differ: the catalogue, maxElements, the
// schema's value lengths, ConfigurationValueSize — and that the messages fit either version's types and schemas.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type * as V201 from '../../../generated/v201/types.js';
import { checkDeviceModelConfig } from '../../../runtime/station/device-model/index.js';
import {
  assertValidRequest,
  assertValidResponse,
  item,
  LAYOUT,
  makeModel,
  ok,
  VERSIONS,
  withSecurity,
} from './fixture.js';

const members = { name: 'TxCtrlr', variables: [{ name: 'TxStopPoint', maxElements: 2 }] };

test('B05.FR.07 maxElements (2.1) limits the members of a list value in both versions; only 2.1 reports it', () => {
  for (const version of VERSIONS) {
    const { model } = makeModel({ version, components: [members] });
    const res = ok(
      model.setVariables({
        setVariableData: [
          item('TxCtrlr', 'TxStopPoint', { attributeValue: 'EVConnected,Authorized,EnergyTransfer' }),
          item('TxCtrlr', 'TxStopPoint', { attributeValue: 'EVConnected,EnergyTransfer' }),
        ],
      }),
    );
    assertValidResponse(version, 'SetVariables', res);
    assert.equal(
      res.setVariableResult.map((r) => [r.attributeStatus, r.attributeStatusInfo?.reasonCode]),
      [
        ['Rejected', 'TooManyElements'],
        ['Accepted', undefined],
      ],
      version,
    );
    const answer = model.getReport({
      requestId: 2,
      componentVariable: [{ component: { name: 'TxCtrlr' }, variable: { name: 'TxStopPoint' } }],
    });
    if (!answer.ok) throw new Error('CALLERROR');
    for (const p of answer.reports) assertValidRequest(version, 'NotifyReport', p);
    const ch = answer.reports[0]!.reportData![0]!.variableCharacteristics!;
    assert.is(ch.maxElements, version === 'ocpp2.1' ? 2 : undefined, version);
  }
});

test("B05 the components of each version's catalogue are standardized: data types come from it", () => {
  const swap = {
    name: 'BatterySwapCtrlr',
    variables: [{ name: 'MaxSoc', value: 80, mutability: 'ReadWrite' as const }],
  };
  assert.equal(
    checkDeviceModelConfig({ version: 'ocpp2.1', layout: LAYOUT, config: withSecurity({ components: [swap] }) }),
    [],
  );
  assert.equal(
    checkDeviceModelConfig({ version: 'ocpp2.0.1', layout: LAYOUT, config: withSecurity({ components: [swap] }) }).map(
      (p) => p.message,
    ),
    ['MaxSoc is not a standardized variable of BatterySwapCtrlr; set its dataType'],
  );
  const { model } = makeModel({ version: 'ocpp2.1', components: [swap] });
  const [r] = ok(
    model.setVariables({ setVariableData: [item('BatterySwapCtrlr', 'MaxSoc', { attributeValue: '85.5' })] }),
  ).setVariableResult;
  assert.is(r!.attributeStatusInfo?.reasonCode, 'InvalidValue', 'integer per the 2.1 catalogue');
});

test("B05 ConfigurationValueSize is 1000 in 2.0.1 and 2500 in 2.1 by default, as each schema's SetVariableData allows", () => {
  assert.is(makeModel({ version: 'ocpp2.0.1' }).model.getInt('DeviceDataCtrlr', 'ConfigurationValueSize'), 1000);
  assert.is(makeModel({ version: 'ocpp2.1' }).model.getInt('DeviceDataCtrlr', 'ConfigurationValueSize'), 2500);
  // Even a larger configured value cannot lift 2.0.1 over its schema's 1000.
  const { model } = makeModel({
    version: 'ocpp2.0.1',
    components: [
      {
        name: 'DeviceDataCtrlr',
        variables: [
          { name: 'ConfigurationValueSize', value: 1000 },
          { name: 'ValueSize', value: 2500 },
        ],
      },
    ],
  });
  const [r] = ok(
    model.setVariables({
      setVariableData: [item('SecurityCtrlr', 'OrganizationName', { attributeValue: 'o'.repeat(1001) })],
    }),
  ).setVariableResult;
  assert.is(r!.attributeStatus, 'Rejected');
});

test("B06 B07 B08 the answers are valid for either version's types: one model serves a 2.0.1 or a 2.1 session", () => {
  const { model } = makeModel({ version: 'ocpp2.1', components: [members] });
  // Compile-time: the 2.1-typed results are assignable to the 2.0.1 types the other session expects.
  const gv: V201.GetVariablesResponse = ok(
    model.getVariables({ getVariableData: [item('OCPPCommCtrlr', 'OfflineThreshold')] }),
  );
  const sv: V201.SetVariablesResponse = ok(
    model.setVariables({ setVariableData: [item('OCPPCommCtrlr', 'OfflineThreshold', { attributeValue: '30' })] }),
  );
  const base = model.getBaseReport({ requestId: 1, reportBase: 'FullInventory' });
  const gb: V201.GetBaseReportResponse = base.response;
  const parts: V201.NotifyReportRequest[] = base.reports;
  const request: V201.GetReportRequest = { requestId: 3, componentCriteria: ['Enabled'] };
  const custom = model.getReport(request);
  assert.ok(custom.ok);
  // Run time: the same payloads against both schemas (maxElements aside, which only 2.1 has).
  for (const version of VERSIONS) {
    assertValidResponse(version, 'GetVariables', gv);
    assertValidResponse(version, 'SetVariables', sv);
    assertValidResponse(version, 'GetBaseReport', gb);
  }
  for (const p of parts) assertValidRequest('ocpp2.1', 'NotifyReport', p);
  const { model: m201 } = makeModel({ version: 'ocpp2.0.1', components: [members] });
  for (const p of m201.getBaseReport({ requestId: 1, reportBase: 'FullInventory' }).reports)
    assertValidRequest('ocpp2.0.1', 'NotifyReport', p);
});

test.run();
