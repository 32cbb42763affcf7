// Issue 18: models built from the same version, layout and configuration share one tree of nodes (built and checked
// once per process); each keeps only the values it changed. Structural checks, no timing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DeviceModel } from '../../../runtime/station/device-model/index.js';
import { MemoryStore } from '../../../runtime/store/index.js';
import { ChargingStation } from '../../../runtime/station/charging-station.js';
import { TEST_VARIABLES, testLayout } from '../../support/station-harness.js';
import { LAYOUT, NOW, withSecurity } from './fixture.js';

const make = (clock = () => NOW) =>
  new DeviceModel({ version: 'ocpp2.0.1', store: new MemoryStore(), layout: LAYOUT, config: withSecurity(), clock });

test('two models of one configuration share their nodes; a value one of them sets stays its own', () => {
  const a = make();
  const b = make();
  const initial = a.getInt('OCPPCommCtrlr', 'HeartbeatInterval');
  assert.ok(a.componentNodes() === b.componentNodes(), 'the same tree, not a copy');
  a.set('OCPPCommCtrlr', 'HeartbeatInterval', 17);
  b.set('OCPPCommCtrlr', 'HeartbeatInterval', 99);
  assert.is(a.getInt('OCPPCommCtrlr', 'HeartbeatInterval'), 17);
  assert.is(b.getInt('OCPPCommCtrlr', 'HeartbeatInterval'), 99);
  assert.is(make().getInt('OCPPCommCtrlr', 'HeartbeatInterval'), initial, 'a new model starts from the shared values');
  // CSMS writes go through the same copy on write (B05).
  const answer = a.setVariables({
    setVariableData: [
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '42' },
    ],
  });
  assert.ok(answer.ok && answer.response.setVariableResult[0]!.attributeStatus === 'Accepted');
  assert.is(a.getInt('OCPPCommCtrlr', 'HeartbeatInterval'), 42);
  assert.is(b.getInt('OCPPCommCtrlr', 'HeartbeatInterval'), 99);
});

test("ClockCtrlr.DateTime reads each model's own clock although the node is shared", () => {
  const later = new Date('2030-01-01T00:00:00.000Z');
  const a = make(() => NOW);
  const b = make(() => later);
  assert.is(a.getString('ClockCtrlr', 'DateTime'), NOW.toISOString());
  assert.is(b.getString('ClockCtrlr', 'DateTime'), later.toISOString());
});

test('another configuration gets its own tree', () => {
  const other = new DeviceModel({
    version: 'ocpp2.0.1',
    store: new MemoryStore(),
    layout: { ...LAYOUT, evses: LAYOUT.evses.slice(0, 1) },
    config: withSecurity(),
  });
  assert.ok(other.componentNodes() !== make().componentNodes());
});

test('stations of one configuration share the device-model tree; their in-memory stores are not SQLite', () => {
  const station = (identity: string) =>
    new ChargingStation({
      identity,
      csms: { url: 'ws://127.0.0.1:9/ocpp' },
      versions: ['ocpp2.0.1'],
      info: { model: 'M', vendorName: 'V' },
      supplyPhases: 3,
      evses: testLayout([{ id: 1, connectors: [{ id: 1 }] }]),
      store: { path: ':memory:' },
      variables: { ...TEST_VARIABLES },
    });
  const a = station('A');
  const b = station('B');
  assert.ok(a.deviceModel.componentNodes() === b.deviceModel.componentNodes());
  a.deviceModel.set('OCPPCommCtrlr', 'HeartbeatInterval', 5);
  assert.is.not(b.deviceModel.getInt('OCPPCommCtrlr', 'HeartbeatInterval'), 5);
});

test.run();
