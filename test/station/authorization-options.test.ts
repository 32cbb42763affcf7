// options.authorization: bad bounds are refused naming the field; good ones become the maxLimits the device model
// reports (C10.FR.07, D01.FR.12).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChargingStation } from '../../runtime/station/charging-station.js';
import { StationOptionsError, type ChargingStationOptions } from '../../runtime/station/options.js';
import { testLayout, TEST_VARIABLES } from '../support/station-harness.js';

const good: ChargingStationOptions = {
  identity: 'CS1',
  csms: { url: 'ws://127.0.0.1:9' },
  info: { model: 'M', vendorName: 'V' },
  supplyPhases: 3,
  evses: testLayout([{ id: 1, connectors: [{ id: 1 }] }]),
  variables: TEST_VARIABLES,
  store: { path: ':memory:' },
};

test('authorization bounds that are not positive integers are refused, naming the field', () => {
  for (const [key, value] of [['cacheMaxEntries', 0], ['cacheMaxBytes', 1.5], ['localListMaxEntries', -3], ['cacheMaxEntries', '10']] as const) {
    assert.throws(
      () => new ChargingStation({ ...good, authorization: { [key]: value } } as ChargingStationOptions),
      (e: Error) => e instanceof StationOptionsError && e.message.includes(`options.authorization.${key}:`),
      key,
    );
  }
});

test('D01.FR.12 the bounds are the maxLimits of AuthCacheCtrlr.Storage and LocalAuthListCtrlr.Entries', () => {
  const station = new ChargingStation({ ...good, authorization: { cacheMaxBytes: 4096, localListMaxEntries: 20 } });
  const report = station.deviceModel.getReport({ requestId: 1, componentVariable: [{ component: { name: 'AuthCacheCtrlr' }, variable: { name: 'Storage' } }, { component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Entries' } }] });
  assert.ok(report.ok);
  const limits = report.ok ? report.reports.flatMap((r) => r.reportData ?? []).map((d) => [d.component.name, d.variable.name, d.variableCharacteristics?.maxLimit]) : [];
  assert.equal(limits, [['AuthCacheCtrlr', 'Storage', 4096], ['LocalAuthListCtrlr', 'Entries', 20]]);
  const defaults = new ChargingStation({ ...good, identity: 'CS2' });
  const d = defaults.deviceModel.getReport({ requestId: 2, componentVariable: [{ component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Entries' } }] });
  assert.is(d.ok ? d.reports[0]?.reportData?.[0]?.variableCharacteristics?.maxLimit : undefined, 5000);
});

test.run();
