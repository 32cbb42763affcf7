// Part 6 test cases of B05 Set Variables and B06 Get Variables against the built-in CSMS over a real socket: the
// station answers from its device model (real SQLite file), and what the CSMS reads back afterwards is what was set.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startPair, type Pair } from '../support/station-harness.js';
import type { ChargingStationOptions } from '../../runtime/station/options.js';

/** A booted station (its StatusNotifications are out), with the given options. */
async function booted(station: Partial<ChargingStationOptions> = {}): Promise<Pair> {
  const pair = await startPair({ station });
  await pair.waitFor('StatusNotification');
  return pair;
}

async function withStation(station: Partial<ChargingStationOptions>, fn: (pair: Pair) => Promise<void>): Promise<void> {
  const pair = await booted(station);
  try {
    await fn(pair);
  } finally {
    await pair.close();
  }
}

type Data = {
  component: Record<string, unknown>;
  variable: Record<string, unknown>;
  attributeType?: string;
  attributeValue?: string;
};
const item = (component: string, variable: string, extra: Partial<Data> = {}): Data => ({
  component: { name: component },
  variable: { name: variable },
  ...extra,
});

const get = async (pair: Pair, data: Data[]) =>
  ((await pair.csms.call(pair.identity, 'GetVariables', { getVariableData: data })) as any).getVariableResult as any[];
const set = async (pair: Pair, data: Data[]) =>
  ((await pair.csms.call(pair.identity, 'SetVariables', { setVariableData: data })) as any).setVariableResult as any[];

/** "attributeStatusInfo is absent or attributeStatusInfo.reasonCode = NoError" (Part 6). */
const noError = (r: any) => r.attributeStatusInfo === undefined || r.attributeStatusInfo.reasonCode === 'NoError';

/** The result for a component/variable: Part 6 lets the results come in any order. */
const resultFor = (results: any[], component: string, variable: string) => {
  const found = results.filter((r) => r.component.name === component && r.variable.name === variable);
  assert.is(found.length, 1, `one result for ${component}.${variable}`);
  return found[0];
};

test('TC_B_07_CS B06.FR.01 B06.FR.02 B06.FR.03 B06.FR.04 B06.FR.10 GetVariables of two variables: both Accepted with their values', () =>
  withStation(
    { variables: { 'OCPPCommCtrlr.OfflineThreshold': 300, 'AuthCtrlr.LocalAuthorizeOffline': true } },
    async (pair) => {
      const results = await get(pair, [
        item('OCPPCommCtrlr', 'OfflineThreshold', { attributeType: 'Actual' }),
        item('AuthCtrlr', 'LocalAuthorizeOffline', { attributeType: 'Actual' }),
      ]);
      assert.is(results.length, 2);
      const offline = resultFor(results, 'OCPPCommCtrlr', 'OfflineThreshold');
      const local = resultFor(results, 'AuthCtrlr', 'LocalAuthorizeOffline');
      assert.equal(
        [offline.attributeStatus, offline.attributeType, offline.attributeValue],
        ['Accepted', 'Actual', '300'],
      );
      assert.equal([local.attributeStatus, local.attributeType, local.attributeValue], ['Accepted', 'Actual', 'true']);
      assert.ok(noError(offline) && noError(local));
    },
  ));

test('TC_B_10_CS B05.FR.01 B05.FR.02 B05.FR.03 B05.FR.10 B05.FR.12 SetVariables of two variables: both Accepted, and the values are in effect', () =>
  // Other values before, so that the SetVariables changes something the GetVariables afterwards can see.
  withStation(
    { variables: { 'OCPPCommCtrlr.OfflineThreshold': 120, 'AuthCtrlr.LocalAuthorizeOffline': false } },
    async (pair) => {
      const results = await set(pair, [
        item('OCPPCommCtrlr', 'OfflineThreshold', { attributeValue: '300', attributeType: 'Actual' }),
        item('AuthCtrlr', 'LocalAuthorizeOffline', { attributeValue: 'true', attributeType: 'Actual' }),
      ]);
      assert.is(results.length, 2);
      for (const [c, v] of [
        ['OCPPCommCtrlr', 'OfflineThreshold'],
        ['AuthCtrlr', 'LocalAuthorizeOffline'],
      ] as const) {
        const r = resultFor(results, c, v);
        assert.equal([r.attributeStatus, r.attributeType], ['Accepted', 'Actual'], `${c}.${v}`);
        assert.ok(noError(r));
      }
      const now = await get(pair, [
        item('OCPPCommCtrlr', 'OfflineThreshold'),
        item('AuthCtrlr', 'LocalAuthorizeOffline'),
      ]);
      assert.equal(
        now.map((r) => r.attributeValue),
        ['300', 'true'],
      );
    },
  ));

test("TC_B_11_CS B05.FR.07 SetVariables with invalidly formatted values: Rejected (InvalidValue); only a value of the variable's type is Accepted", () =>
  withStation(
    {
      variables: { 'OCPPCommCtrlr.OfflineThreshold': 300 },
      // The prerequisite: ClockCtrlr.NextTimeOffsetTransitionDateTime (a dateTime) is in the device model.
      deviceModel: {
        components: [
          { name: 'ClockCtrlr', variables: [{ name: 'NextTimeOffsetTransitionDateTime', mutability: 'ReadWrite' }] },
        ],
      },
    },
    async (pair) => {
      const currentTime = new Date().toISOString();
      const values = ['300', '300.1', 'true', currentTime, 'abc'];
      // Which of the five values each variable takes: integer, boolean, dateTime.
      const cases = [
        { c: 'OCPPCommCtrlr', v: 'OfflineThreshold', valid: '300' },
        { c: 'AuthCtrlr', v: 'AuthorizeRemoteStart', valid: 'true' },
        { c: 'ClockCtrlr', v: 'NextTimeOffsetTransitionDateTime', valid: currentTime },
      ];
      for (const { c, v, valid } of cases) {
        for (const value of values) {
          const [r] = await set(pair, [item(c, v, { attributeValue: value })]);
          assert.equal([r.component.name, r.variable.name, r.attributeType], [c, v, 'Actual']);
          if (value === valid) {
            assert.is(r.attributeStatus, 'Accepted', `${c}.${v} = ${value}`);
          } else {
            assert.is(r.attributeStatus, 'Rejected', `${c}.${v} = ${value}`);
            assert.is(r.attributeStatusInfo?.reasonCode, 'InvalidValue', `${c}.${v} = ${value}`);
          }
        }
      }
      // Steps 3–4 run where SmartChargingCtrlr.LimitChangeSignificance exists (block K declares it): a decimal.
      for (const value of values) {
        const [r] = await set(pair, [item('SmartChargingCtrlr', 'LimitChangeSignificance', { attributeValue: value })]);
        const decimal = value === '300' || value === '300.1';
        assert.is(r.attributeStatus, decimal ? 'Accepted' : 'Rejected', `LimitChangeSignificance = ${value}`);
        if (!decimal) assert.is(r.attributeStatusInfo?.reasonCode, 'InvalidValue');
      }
      // The rejected values left the accepted ones in place.
      const now = await get(pair, [
        item('OCPPCommCtrlr', 'OfflineThreshold'),
        item('AuthCtrlr', 'AuthorizeRemoteStart'),
        item('ClockCtrlr', 'NextTimeOffsetTransitionDateTime'),
      ]);
      assert.equal(
        now.map((r) => r.attributeValue),
        ['300', 'true', currentTime],
      );
    },
  ));

test('TC_B_32_CS B06.FR.06 GetVariables of an unknown component: UnknownComponent, echoing component and variable', () =>
  withStation({}, async (pair) => {
    const [r] = await get(pair, [item('UnknownComponent', 'OfflineThreshold')]);
    assert.equal(
      [r.attributeStatus, r.component.name, r.variable.name],
      ['UnknownComponent', 'UnknownComponent', 'OfflineThreshold'],
    );
    assert.is(r.attributeValue, undefined);
  }));

test('TC_B_33_CS B06.FR.07 GetVariables of an unknown variable of a known component: UnknownVariable', () =>
  withStation({}, async (pair) => {
    const [r] = await get(pair, [item('OCPPCommCtrlr', 'UnknownVariable')]);
    assert.equal(
      [r.attributeStatus, r.component.name, r.variable.name],
      ['UnknownVariable', 'OCPPCommCtrlr', 'UnknownVariable'],
    );
    assert.is(r.attributeValue, undefined);
  }));

test('TC_B_34_CS B06.FR.08 GetVariables of an attribute type the variable does not have (Target): NotSupportedAttributeType', () =>
  withStation({}, async (pair) => {
    const [r] = await get(pair, [item('OCPPCommCtrlr', 'OfflineThreshold', { attributeType: 'Target' })]);
    assert.equal(
      [r.attributeStatus, r.attributeType, r.component.name, r.variable.name],
      ['NotSupportedAttributeType', 'Target', 'OCPPCommCtrlr', 'OfflineThreshold'],
    );
    assert.is(r.attributeValue, undefined);
  }));

test('TC_B_35_CS B05.FR.04 SetVariables of an unknown component: UnknownComponent, echoing component and variable', () =>
  withStation({}, async (pair) => {
    const [r] = await set(pair, [item('UnknownComponent', 'OfflineThreshold', { attributeValue: '123' })]);
    assert.equal(
      [r.attributeStatus, r.component.name, r.variable.name],
      ['UnknownComponent', 'UnknownComponent', 'OfflineThreshold'],
    );
  }));

test('TC_B_36_CS B05.FR.05 SetVariables of an unknown variable of a known component: UnknownVariable', () =>
  withStation({}, async (pair) => {
    const [r] = await set(pair, [item('OCPPCommCtrlr', 'UnknownVariable', { attributeValue: '123' })]);
    assert.equal(
      [r.attributeStatus, r.component.name, r.variable.name],
      ['UnknownVariable', 'OCPPCommCtrlr', 'UnknownVariable'],
    );
  }));

test('TC_B_37_CS B05.FR.06 SetVariables of an attribute type the variable does not have (Target): NotSupportedAttributeType, nothing changes', () =>
  withStation({ variables: { 'OCPPCommCtrlr.OfflineThreshold': 300 } }, async (pair) => {
    const [r] = await set(pair, [
      item('OCPPCommCtrlr', 'OfflineThreshold', { attributeValue: '600', attributeType: 'Target' }),
    ]);
    assert.equal(
      [r.attributeStatus, r.attributeType, r.component.name, r.variable.name],
      ['NotSupportedAttributeType', 'Target', 'OCPPCommCtrlr', 'OfflineThreshold'],
    );
    assert.is((await get(pair, [item('OCPPCommCtrlr', 'OfflineThreshold')]))[0].attributeValue, '300');
  }));

test('TC_B_39_CS B05.FR.09 SetVariables of a read-only variable (OCPPCommCtrlr.MessageTimeout[Default]): Rejected, the value stays', () =>
  withStation({}, async (pair) => {
    const target = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'MessageTimeout', instance: 'Default' } };
    const before = (await get(pair, [target]))[0].attributeValue;
    const changed = String(Number(before) + 5);
    const [r] = await set(pair, [{ ...target, attributeValue: changed }]);
    assert.equal(
      [r.attributeStatus, r.component.name, r.variable.name, r.variable.instance],
      ['Rejected', 'OCPPCommCtrlr', 'MessageTimeout', 'Default'],
    );
    assert.is(r.attributeStatusInfo?.reasonCode, 'ReadOnly');
    assert.is((await get(pair, [target]))[0].attributeValue, before);
  }));

test.run();
