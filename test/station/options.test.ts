// Bad options never start a station: each gets a StationOptionsError naming the field (the project's rule).
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

function fails(patch: Record<string, unknown>, field: string) {
  try {
    new ChargingStation({ ...good, ...patch } as ChargingStationOptions);
  } catch (e) {
    assert.instance(e, StationOptionsError, field);
    assert.match((e as Error).message, `options.${field}:`);
    return;
  }
  assert.unreachable(`${field}: no error`);
}

test('the connection: csms or networkProfiles, URLs, security profiles, slots', () => {
  fails({ csms: undefined }, 'csms');
  fails({ networkProfiles: [{ slot: 1, url: 'ws://a' }] }, 'networkProfiles');
  fails({ csms: { url: 'http://x' } }, 'csms.url');
  fails({ csms: { url: 'ws://x', securityProfile: 2 } }, 'csms.url');
  fails({ csms: { url: 'ws://x', securityProfile: 1 } }, 'csms.password');
  fails({ csms: { url: 'wss://x', securityProfile: 3 } }, 'csms.tls');
  fails({ csms: undefined, networkProfiles: [] }, 'networkProfiles');
  fails({ csms: undefined, networkProfiles: [{ slot: -1, url: 'ws://a' }] }, 'networkProfiles[0].slot');
  fails(
    {
      csms: undefined,
      networkProfiles: [
        { slot: 1, url: 'ws://a' },
        { slot: 1, url: 'ws://b' },
      ],
    },
    'networkProfiles[1].slot',
  );
  fails(
    { csms: undefined, networkProfiles: [{ slot: 1, url: 'ws://a', messageTimeout: 0 }] },
    'networkProfiles[0].messageTimeout',
  );
  fails({ csms: undefined, networkProfiles: [{ slot: 1, url: 'ftp://a' }] }, 'networkProfiles[0].url');
  fails({ networkSlots: [1] }, 'networkSlots');
  fails({ networkSlots: [1, 1] }, 'networkSlots');
  fails({ csms: undefined, networkProfiles: [{ slot: 5, url: 'ws://a' }], networkSlots: [1, 2] }, 'networkSlots');
});

test('identity, versions, info, layout, hardware, use cases', () => {
  fails({ identity: 'a:b' }, 'identity');
  fails({ identity: 'x'.repeat(49) }, 'identity');
  // 1.6 alone runs the 1.6 station; together with 2.x it is refused, naming `versions`.
  fails({ versions: ['ocpp1.6', 'ocpp2.0.1'] }, 'versions');
  fails({ versions: ['ocpp1.6'], info: { model: 'M', vendorName: 'v'.repeat(21) } }, 'info.vendorName');
  fails({ versions: ['ocpp1.6'], useCases: [{ name: 'mine', init: () => ({}) }] }, 'useCases');
  fails({ info: { model: '', vendorName: 'V' } }, 'info.model');
  fails({ evses: [{ id: 2, connectors: [{ id: 1 }] }] }, 'evses[0].id');
  fails({ supplyPhases: 4 }, 'supplyPhases');
  fails({ hardware: { reset: 'yes' } }, 'hardware.reset');
  fails({ useCases: [{ name: '' }] }, 'useCases[0].name');
  fails({ useCases: [{ name: 'x' }] }, 'useCases[0].init');
  fails({ variables: { HeartbeatInterval: 1 } }, 'variables.HeartbeatInterval');
});

test('good options build a station (nothing connects before start)', async () => {
  const station = new ChargingStation({
    ...good,
    csms: undefined,
    networkProfiles: [
      { slot: 0, url: 'ws://a' },
      { slot: 3, url: 'ws://b', messageTimeout: 10 },
    ],
  });
  assert.is(station.connected, false);
  assert.is(station.registration, undefined);
  assert.throws(() => station.cablePlugged(1), /not started/);
  await station.stop();
});

test('authorization bounds that are not positive integers are refused, naming the field', () => {
  for (const [key, value] of [
    ['cacheMaxEntries', 0],
    ['cacheMaxBytes', 1.5],
    ['localListMaxEntries', -3],
    ['cacheMaxEntries', '10'],
  ] as const) {
    assert.throws(
      () => new ChargingStation({ ...good, authorization: { [key]: value } } as ChargingStationOptions),
      (e: Error) => e instanceof StationOptionsError && e.message.includes(`options.authorization.${key}:`),
      key,
    );
  }
});

test('D01.FR.12 the bounds are the maxLimits of AuthCacheCtrlr.Storage and LocalAuthListCtrlr.Entries', () => {
  const station = new ChargingStation({ ...good, authorization: { cacheMaxBytes: 4096, localListMaxEntries: 20 } });
  const report = station.deviceModel.getReport({
    requestId: 1,
    componentVariable: [
      { component: { name: 'AuthCacheCtrlr' }, variable: { name: 'Storage' } },
      { component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Entries' } },
    ],
  });
  assert.ok(report.ok);
  const limits = report.ok
    ? report.reports
        .flatMap((r) => r.reportData ?? [])
        .map((d) => [d.component.name, d.variable.name, d.variableCharacteristics?.maxLimit])
    : [];
  assert.equal(limits, [
    ['AuthCacheCtrlr', 'Storage', 4096],
    ['LocalAuthListCtrlr', 'Entries', 20],
  ]);
  const defaults = new ChargingStation({ ...good, identity: 'CS2' });
  const d = defaults.deviceModel.getReport({
    requestId: 2,
    componentVariable: [{ component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Entries' } }],
  });
  assert.is(d.ok ? d.reports[0]?.reportData?.[0]?.variableCharacteristics?.maxLimit : undefined, 5000);
});

test.run();
