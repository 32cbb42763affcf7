// Persistence of device-model values in a real SQLite file: values survive closing and reopening the file, only
// persistent attributes are kept, and a new firmware's configuration (changed characteristics, removed and added
// variables, changed defaults) is handled without losing data.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DeviceModel,
  PENDING_NS,
  VALUES_NS,
  type ComponentConfig,
} from '../../../runtime/station/device-model/index.js';
import { openSqliteStore } from '../../../runtime/store/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { item, LAYOUT, NOW, ok, withSecurity } from './fixture.js';

/** Runs `fn` with the path of a new SQLite file in a temporary folder, removed afterwards. */
function withFile(fn: (file: string) => void): void {
  const tmp = tempDir();
  try {
    fn(tmp.file('station.db'));
  } finally {
    tmp.remove();
  }
}

/** Opens the file, builds a model with `components`, runs `fn`, closes the file: one "boot" of the station. */
function boot<T>(
  file: string,
  components: ComponentConfig[],
  fn: (model: DeviceModel) => T,
  version: 'ocpp2.0.1' | 'ocpp2.1' = 'ocpp2.0.1',
): T {
  const store = openSqliteStore(file);
  try {
    const model = new DeviceModel({
      version,
      store,
      layout: LAYOUT,
      clock: () => NOW,
      config: withSecurity({ components }),
    });
    return fn(model);
  } finally {
    store.close();
  }
}

test('values set by the CSMS and by the station survive a restart; non-persistent ones start from the configuration', () => {
  withFile((file) => {
    const counter = [{ name: 'Controller', variables: [{ name: 'Count', value: 0, persistent: true }] }];
    boot(file, counter, (m) => {
      const res = ok(
        m.setVariables({
          setVariableData: [
            item('OCPPCommCtrlr', 'HeartbeatInterval', { attributeValue: '45' }),
            item('TxCtrlr', 'TxStopPoint', { attributeValue: 'EVConnected' }),
            item('SecurityCtrlr', 'OrganizationName', { attributeValue: 'Other CSO' }),
          ],
        }),
      );
      assert.ok(res.setVariableResult.every((r) => r.attributeStatus === 'Accepted'));
      m.set('Controller', 'Count', 17); // ReadOnly but declared persistent
      m.set({ name: 'EVSE', evse: { id: 1 } }, 'AvailabilityState', 'Unavailable'); // ReadOnly, not persistent
    });
    boot(file, counter, (m) => {
      assert.is(m.getInt('OCPPCommCtrlr', 'HeartbeatInterval'), 45);
      assert.equal(m.getList('TxCtrlr', 'TxStopPoint'), ['EVConnected']);
      assert.is(
        m.get('SecurityCtrlr', 'OrganizationName'),
        'Other CSO',
        'the stored value wins over the configured one',
      );
      assert.is(m.getInt('Controller', 'Count'), 17);
      assert.is(m.get({ name: 'EVSE', evse: { id: 1 } }, 'AvailabilityState'), 'Available');
      assert.equal(m.warnings, []);
    });
  });
});

test('only changed values are stored: a new firmware default applies unless the CSMS changed the value', () => {
  withFile((file) => {
    boot(file, [], (m) => {
      ok(m.setVariables({ setVariableData: [item('OCPPCommCtrlr', 'OfflineThreshold', { attributeValue: '120' })] }));
    });
    const store = openSqliteStore(file);
    assert.equal(store.list(VALUES_NS).length, 1, 'one value written');
    store.close();
    const newDefaults = [
      {
        name: 'OCPPCommCtrlr',
        variables: [
          { name: 'OfflineThreshold', value: 600 },
          { name: 'HeartbeatInterval', value: 900 },
        ],
      },
    ];
    boot(file, newDefaults, (m) => {
      assert.is(m.getInt('OCPPCommCtrlr', 'OfflineThreshold'), 120, 'changed in the field: kept');
      assert.is(m.getInt('OCPPCommCtrlr', 'HeartbeatInterval'), 900, 'never changed: the new default');
    });
  });
});

test('a stored value the new configuration no longer allows is not used, but kept; it comes back when valid again', () => {
  withFile((file) => {
    const v1 = [
      {
        name: 'SampledDataCtrlr',
        variables: [{ name: 'TxUpdatedMeasurands', valuesList: ['Energy.Active.Import.Register', 'Voltage'] }],
      },
    ];
    boot(file, v1, (m) => {
      ok(
        m.setVariables({
          setVariableData: [
            item('SampledDataCtrlr', 'TxUpdatedMeasurands', { attributeValue: 'Voltage' }),
            item('OCPPCommCtrlr', 'HeartbeatInterval', { attributeValue: '20' }),
          ],
        }),
      );
    });
    // Firmware 2: the meter no longer measures Voltage; HeartbeatInterval gets a higher minimum.
    const v2 = [{ name: 'OCPPCommCtrlr', variables: [{ name: 'HeartbeatInterval', minLimit: 30 }] }];
    boot(file, v2, (m) => {
      assert.equal(m.getList('SampledDataCtrlr', 'TxUpdatedMeasurands'), ['Energy.Active.Import.Register']);
      assert.is(m.getInt('OCPPCommCtrlr', 'HeartbeatInterval'), 300);
      assert.is(m.warnings.length, 2);
      assert.match(
        m.warnings.join('\n'),
        /SampledDataCtrlr\.TxUpdatedMeasurands \(Actual\) not used: "Voltage" is not one of the valuesList/,
      );
      assert.match(
        m.warnings.join('\n'),
        /OCPPCommCtrlr\.HeartbeatInterval \(Actual\) not used: 20 is below minLimit 30/,
      );
    });
    // A rollback to firmware 1 finds the values the CSMS set.
    boot(file, v1, (m) => {
      assert.equal(m.getList('SampledDataCtrlr', 'TxUpdatedMeasurands'), ['Voltage']);
      assert.is(m.getInt('OCPPCommCtrlr', 'HeartbeatInterval'), 20);
    });
  });
});

test('removed variables keep their stored values (reported), added variables start from their configuration', () => {
  withFile((file) => {
    const withCache = [
      {
        name: 'AuthCacheCtrlr',
        variables: [{ name: 'LifeTime', value: 3600, mutability: 'ReadWrite' as const, unit: 's' }],
      },
    ];
    boot(file, withCache, (m) => {
      ok(m.setVariables({ setVariableData: [item('AuthCacheCtrlr', 'LifeTime', { attributeValue: '7200' })] }));
    });
    const withoutCache = [
      { name: 'AuthCacheCtrlr', remove: true },
      { name: 'ReservationCtrlr', variables: [{ name: 'Enabled', value: true, mutability: 'ReadWrite' as const }] },
    ];
    boot(file, withoutCache, (m) => {
      assert.is(m.has('AuthCacheCtrlr', 'LifeTime'), false);
      assert.is(m.getBool('ReservationCtrlr', 'Enabled'), true);
      assert.match(m.warnings.join('\n'), /belongs to no variable of this configuration; kept, not used/);
    });
    boot(file, withCache, (m) => assert.is(m.getInt('AuthCacheCtrlr', 'LifeTime'), 7200));
  });
});

test('a variable made constant or non-persistent by a new configuration ignores its stored value', () => {
  withFile((file) => {
    boot(file, [], (m) => {
      ok(
        m.setVariables({
          setVariableData: [
            item('OCPPCommCtrlr', 'ResetRetries', { attributeValue: '9' }),
            item('OCPPCommCtrlr', 'QueueAllMessages', { attributeValue: 'true' }),
          ],
        }),
      );
    });
    const locked = [
      {
        name: 'OCPPCommCtrlr',
        variables: [
          { name: 'ResetRetries', mutability: 'ReadOnly' as const, constant: true, value: 1 },
          { name: 'QueueAllMessages', persistent: false },
        ],
      },
    ];
    boot(file, locked, (m) => {
      assert.is(m.getInt('OCPPCommCtrlr', 'ResetRetries'), 1);
      assert.is(m.getBool('OCPPCommCtrlr', 'QueueAllMessages'), false);
      assert.match(m.warnings.join('\n'), /ResetRetries \(Actual\) not used: the attribute is constant now/);
      assert.match(
        m.warnings.join('\n'),
        /QueueAllMessages \(Actual\) not used: the attribute is not persistent any more/,
      );
    });
  });
});

test('RebootRequired values are stored as pending and take effect at the next start, then leave the pending list', () => {
  withFile((file) => {
    const config = [
      { name: 'OCPPCommCtrlr', variables: [{ name: 'NetworkConfigurationPriority', rebootRequired: true }] },
    ];
    boot(file, config, (m) => {
      const [r] = ok(
        m.setVariables({
          setVariableData: [item('OCPPCommCtrlr', 'NetworkConfigurationPriority', { attributeValue: '2,1' })],
        }),
      ).setVariableResult;
      assert.is(r!.attributeStatus, 'RebootRequired');
      assert.equal(m.getList('OCPPCommCtrlr', 'NetworkConfigurationPriority'), ['1']);
    });
    const store = openSqliteStore(file);
    assert.is(store.list(PENDING_NS).length, 1);
    store.close();
    boot(file, config, (m) => assert.equal(m.getList('OCPPCommCtrlr', 'NetworkConfigurationPriority'), ['2', '1']));
    const after = openSqliteStore(file);
    assert.equal([after.list(PENDING_NS).length, after.list(VALUES_NS).length], [0, 1]);
    after.close();
  });
});

test('stored values written by a 2.0.1 model are read by a 2.1 model of the same station', () => {
  withFile((file) => {
    boot(
      file,
      [],
      (m) => ok(m.setVariables({ setVariableData: [item('AlignedDataCtrlr', 'Interval', { attributeValue: '300' })] })),
      'ocpp2.0.1',
    );
    boot(file, [], (m) => assert.is(m.getInt('AlignedDataCtrlr', 'Interval'), 300), 'ocpp2.1');
  });
});

test('a damaged stored entry is reported and ignored, never thrown', () => {
  withFile((file) => {
    boot(file, [], (m) =>
      ok(m.setVariables({ setVariableData: [item('OCPPCommCtrlr', 'OfflineThreshold', { attributeValue: '120' })] })),
    );
    const store = openSqliteStore(file);
    const [entry] = store.list(VALUES_NS);
    store.put(VALUES_NS, entry!.key, { v: 120 });
    store.close();
    boot(file, [], (m) => {
      assert.is(m.getInt('OCPPCommCtrlr', 'OfflineThreshold'), 300);
      assert.match(m.warnings.join('\n'), /not a device-model value/);
    });
  });
});

test.run();
