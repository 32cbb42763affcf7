// variables.changed carries the variables ocppkit knows by name (typed, device-model/keys.ts) under `changes`, and
// those only the integrator's configuration names under `unlisted`; use cases compare typed names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { variablesChanged } from '../../runtime/station/core/variables.js';
import { isDmAddress } from '../../runtime/station/device-model/keys.js';
import { securityDeviceModel } from '../../runtime/station/A-security/security.js';
import { networkDeviceModel } from '../../runtime/station/B-provisioning/network-profile.js';
import { authorizationBounds } from '../../runtime/station/C-authorization/device-model.js';
import { defaultComponents, layoutComponents } from '../../runtime/station/device-model/defaults.js';
import type { ComponentConfig } from '../../runtime/station/device-model/types.js';

const change = (
  component: { name: string; evse?: { id: number; connectorId?: number } },
  variable: { name: string; instance?: string },
) => ({ component, variable, attribute: 'Actual', value: '1', previous: undefined, source: 'csms' }) as const;

test('a catalogue variable is a typed change, with its EVSE, connector and instance', () => {
  assert.equal(variablesChanged(change({ name: 'OCPPCommCtrlr' }, { name: 'HeartbeatInterval' })), {
    type: 'variables.changed',
    changes: [{ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }],
  });
  assert.equal(
    variablesChanged(change({ name: 'Connector', evse: { id: 1, connectorId: 2 } }, { name: 'AvailabilityState' }))
      .changes,
    [{ component: 'Connector', variable: 'AvailabilityState', evseId: 1, connectorId: 2 }],
  );
  assert.equal(
    variablesChanged(change({ name: 'OCPPCommCtrlr' }, { name: 'MessageAttempts', instance: 'TransactionEvent' }))
      .changes,
    [{ component: 'OCPPCommCtrlr', variable: 'MessageAttempts', instance: 'TransactionEvent' }],
  );
});

test("the integrator's own component or variable is reported apart, as unlisted", () => {
  assert.equal(variablesChanged(change({ name: 'AcmeFanCtrlr' }, { name: 'Speed' })), {
    type: 'variables.changed',
    changes: [],
    unlisted: [{ component: 'AcmeFanCtrlr', variable: 'Speed' }],
  });
  assert.equal(variablesChanged(change({ name: 'OCPPCommCtrlr' }, { name: 'AcmeSetting' })).unlisted, [
    { component: 'OCPPCommCtrlr', variable: 'AcmeSetting' },
  ]);
});

test('isDmAddress: own variables of either version, generic variables on standardized components, exact spelling', () => {
  assert.ok(isDmAddress({ component: 'TxCtrlr', variable: 'TxStartPoint' }));
  assert.ok(isDmAddress({ component: 'BatterySwapCtrlr', variable: 'Enabled' }), 'a 2.1-only component');
  assert.ok(isDmAddress({ component: 'ConnectorPlugRetentionLock', variable: 'Problem' }), 'a generic variable');
  assert.not.ok(
    isDmAddress({ component: 'AcmeFanCtrlr', variable: 'Enabled' }),
    'a generic variable of a custom component',
  );
  assert.not.ok(isDmAddress({ component: 'txctrlr', variable: 'TxStartPoint' }));
  assert.not.ok(isDmAddress({ component: 'TxCtrlr', variable: 'HeartbeatInterval' }), "another component's variable");
  assert.not.ok(isDmAddress({ component: 'constructor', variable: 'toString' }));
});

test("ocppkit's own device-model defaults (written as configuration, not typed) use catalogue names only: no vendor variable", () => {
  const layout = {
    supplyPhases: 3,
    evses: [{ id: 1, maxPower: 22000, connectors: [{ id: 1, type: 'sType2' as const }] }],
  };
  const ours: ComponentConfig[] = [
    ...defaultComponents('ocpp2.0.1'),
    ...defaultComponents('ocpp2.1'),
    ...layoutComponents(layout).components,
    networkDeviceModel({ slots: [1, 2], configured: [] }),
    ...securityDeviceModel('secret-password-16'),
    ...authorizationBounds({ cacheMaxBytes: 1000, localListMaxEntries: 10 }),
  ];
  const names = ours.flatMap((c) => (c.variables ?? []).map((v) => ({ component: c.name, variable: v.name })));
  assert.ok(names.length > 60, `${names.length} variables`);
  assert.equal(
    names.filter((n) => !isDmAddress(n)),
    [],
  );
});

test.run();
