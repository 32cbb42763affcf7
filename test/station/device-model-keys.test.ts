// variables.changed carries the variables ocppkit knows by name (typed, device-model/keys.ts) under `changes`, and
// those only the integrator's configuration names under `unlisted`; use cases compare typed names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { variablesChanged } from '../../runtime/station/core/variables.js';
import { isDmAddress } from '../../runtime/station/device-model/keys.js';

const change = (component: { name: string; evse?: { id: number; connectorId?: number } }, variable: { name: string; instance?: string }) =>
  ({ component, variable, attribute: 'Actual', value: '1', previous: undefined, source: 'csms' }) as const;

test('a catalogue variable is a typed change, with its EVSE, connector and instance', () => {
  assert.equal(variablesChanged(change({ name: 'OCPPCommCtrlr' }, { name: 'HeartbeatInterval' })), {
    type: 'variables.changed',
    changes: [{ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }],
  });
  assert.equal(variablesChanged(change({ name: 'Connector', evse: { id: 1, connectorId: 2 } }, { name: 'AvailabilityState' })).changes, [
    { component: 'Connector', variable: 'AvailabilityState', evseId: 1, connectorId: 2 },
  ]);
  assert.equal(variablesChanged(change({ name: 'OCPPCommCtrlr' }, { name: 'MessageAttempts', instance: 'TransactionEvent' })).changes, [
    { component: 'OCPPCommCtrlr', variable: 'MessageAttempts', instance: 'TransactionEvent' },
  ]);
});

test("the integrator's own component or variable is reported apart, as unlisted", () => {
  assert.equal(variablesChanged(change({ name: 'AcmeFanCtrlr' }, { name: 'Speed' })), {
    type: 'variables.changed',
    changes: [],
    unlisted: [{ component: 'AcmeFanCtrlr', variable: 'Speed' }],
  });
  assert.equal(variablesChanged(change({ name: 'OCPPCommCtrlr' }, { name: 'AcmeSetting' })).unlisted, [{ component: 'OCPPCommCtrlr', variable: 'AcmeSetting' }]);
});

test('isDmAddress: own variables of either version, generic variables on standardized components, exact spelling', () => {
  assert.ok(isDmAddress({ component: 'TxCtrlr', variable: 'TxStartPoint' }));
  assert.ok(isDmAddress({ component: 'BatterySwapCtrlr', variable: 'Enabled' }), 'a 2.1-only component');
  assert.ok(isDmAddress({ component: 'ConnectorPlugRetentionLock', variable: 'Problem' }), 'a generic variable');
  assert.not.ok(isDmAddress({ component: 'AcmeFanCtrlr', variable: 'Enabled' }), 'a generic variable of a custom component');
  assert.not.ok(isDmAddress({ component: 'txctrlr', variable: 'TxStartPoint' }));
  assert.not.ok(isDmAddress({ component: 'TxCtrlr', variable: 'HeartbeatInterval' }), "another component's variable");
  assert.not.ok(isDmAddress({ component: 'constructor', variable: 'toString' }));
});

test.run();
