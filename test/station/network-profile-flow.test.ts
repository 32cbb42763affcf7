// B09/B10 as pure flows: SetNetworkProfile's checks, NetworkConfigurationPriority's check, the order of profiles at
// start and the profile-switching policy.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  connectionOrder,
  networkProfileUseCase,
  ProfileCycle,
  type ConnectionProfile,
  type NetworkProfileOptions,
} from '../../runtime/station/B-provisioning/network-profile.js';
import { savedState } from '../../runtime/station/core/shell.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import type { Store } from '../../runtime/store/types.js';
import { drive } from '../support/shell-driver.js';

const slot1: ConnectionProfile = { slot: 1, url: 'ws://127.0.0.1:9001', source: 'options' };
const options: NetworkProfileOptions = { slots: [1, 2, 3], configured: [slot1] };
const data = (extra: Record<string, unknown> = {}) => ({
  ocppVersion: 'OCPP20',
  ocppTransport: 'JSON',
  ocppCsmsUrl: 'ws://127.0.0.1:9002',
  messageTimeout: 30,
  securityProfile: 0,
  ocppInterface: 'Wired0',
  ...extra,
});

/** A station connected without an OCPP security profile (development), so that profile 0 is not a downgrade. */
const unsecured = { variables: { 'SecurityCtrlr.SecurityProfile': 0 } };

function answer(d: ReturnType<typeof drive>, configurationSlot: number, connectionData: Record<string, unknown>) {
  return d.shell.answer(
    'SetNetworkProfile',
    { configurationSlot, connectionData } as never,
    `m${configurationSlot}`,
  ) as { status: string; statusInfo?: { reasonCode: string } };
}

test('B09.FR.01 a valid profile is stored before the answer (kept across restarts) and announced', () => {
  const d = drive([networkProfileUseCase(options)], unsecured);
  assert.equal(answer(d, 2, data()), { status: 'Accepted' });
  assert.equal(savedState<any>(d.store, 'network').stored[2].ocppCsmsUrl, 'ws://127.0.0.1:9002');
  d.shell.answered('m2');
  assert.equal(d.emitted, [{ type: 'networkProfile', slot: 2 }]);
});

test('B09.FR.02 invalid content is Rejected: URL, transport, OCPP version, message timeout, missing password', () => {
  const d = drive([networkProfileUseCase(options)], unsecured);
  for (const [bad, reasonCode] of [
    [{ ocppCsmsUrl: 'not a url' }, 'InvalidURL'],
    [{ ocppCsmsUrl: 'http://csms.example/ocpp' }, 'InvalidURL'],
    [{ securityProfile: 2 }, 'InvalidURL'],
    [{ ocppTransport: 'SOAP' }, 'UnsupportedParam'],
    [{ ocppVersion: 'OCPP16' }, 'UnsupportedParam'],
    [{ messageTimeout: 0 }, 'InvalidValue'],
    [{ securityProfile: 1 }, 'MissingDevModelInfo'],
    [{ securityProfile: 7 }, 'InvalidValue'],
  ] as const) {
    const res = answer(d, 2, data(bad));
    assert.is(res.status, 'Rejected', JSON.stringify(bad));
    assert.is(res.statusInfo?.reasonCode, reasonCode, JSON.stringify(bad));
  }
  assert.is(savedState(d.store, 'network'), undefined, 'nothing stored');
});

test('B09.FR.03 Failed when the profile cannot be stored', () => {
  const real = openSqliteStore(':memory:');
  // The store fails for this one write, as a full disk would.
  const put = (ns: string, key: string, value: unknown) => {
    if (ns === 'station.state' && key === 'network') throw new Error('disk full');
    return real.put(ns, key, value);
  };
  const failing = new Proxy(real, {
    get: (target, k) =>
      k === 'put'
        ? put
        : typeof Reflect.get(target, k) === 'function'
          ? Reflect.get(target, k).bind(target)
          : Reflect.get(target, k),
  }) as Store;
  const d = drive([networkProfileUseCase(options)], { ...unsecured, store: failing });
  const res = answer(d, 2, data());
  assert.is(res.status, 'Failed');
  assert.equal(d.shell.stateOf<any>('network').stored, {}, 'the old state stays');
});

test('B09.FR.04 a lower security profile than SecurityCtrlr.SecurityProfile is Rejected', () => {
  const d = drive([networkProfileUseCase({ ...options, password: 'pw' })], {
    variables: { 'SecurityCtrlr.SecurityProfile': 1 },
  });
  assert.is(answer(d, 2, data({ securityProfile: 0 })).status, 'Rejected');
  assert.is(answer(d, 2, data({ securityProfile: 1 })).status, 'Accepted');
});

test('B09.FR.31 B09.FR.32 2.1 with AllowSecurityProfileDowngrade true, profile 3 may go down to 2, never to 1; without it, not at all', () => {
  // A profile-3 station: it has its certificate (the TLS material itself is not used by the check) and a password.
  const secured: NetworkProfileOptions = {
    ...options,
    password: 'pw',
    tls: { cert: 'station-cert', key: 'station-key' },
  };
  const station = (allow: boolean) => {
    const d = drive([networkProfileUseCase(secured)], {
      version: 'ocpp2.1',
      variables: { 'SecurityCtrlr.SecurityProfile': 3 },
      deviceModel: {
        components: [
          {
            name: 'SecurityCtrlr',
            variables: [{ name: 'AllowSecurityProfileDowngrade', value: allow, mutability: 'ReadWrite' }],
          },
        ],
      },
    });
    d.dispatch({ type: 'connected', version: 'ocpp2.1' });
    return d;
  };
  const to2 = data({ securityProfile: 2, ocppCsmsUrl: 'wss://127.0.0.1:9002' });
  const to1 = data({ securityProfile: 1, ocppCsmsUrl: 'ws://127.0.0.1:9002' });
  const allowing = station(true);
  assert.is(answer(allowing, 2, to2).status, 'Accepted', 'B09.FR.31: 3 → 2');
  const down1 = answer(allowing, 3, to1);
  assert.equal([down1.status, down1.statusInfo?.reasonCode], ['Rejected', 'InvalidValue'], 'B09.FR.32: 3 → 1');
  const strict = station(false);
  assert.is(answer(strict, 2, to2).status, 'Rejected', 'B09.FR.04: no downgrade without the variable set');
});

test('B09.FR.05 a slot outside NetworkConfigurationPriority valuesList is Rejected', () => {
  const d = drive([networkProfileUseCase(options)], unsecured);
  assert.is(answer(d, 4, data()).status, 'Rejected');
  assert.is(answer(d, 3, data()).status, 'Accepted');
});

test('B09 2.1: ocppVersion is ignored, identity and basicAuthPassword belong to the profile', () => {
  const d = drive([networkProfileUseCase(options)], unsecured);
  d.dispatch({ type: 'connected', version: 'ocpp2.1' });
  assert.is(
    answer(d, 2, data({ ocppVersion: 'OCPP12', securityProfile: 1, identity: 'CS-B', basicAuthPassword: 'pw-of-b' }))
      .status,
    'Accepted',
  );
  const [second] = connectionOrder(options, d.shell.stateOf<any>('network'), '2');
  assert.equal(
    [second!.identity, second!.password, second!.securityProfile, second!.source],
    ['CS-B', 'pw-of-b', 1, 'csms'],
  );
});

test('B10.FR.01 B10.FR.02 NetworkConfigurationPriority may only name slots that hold a valid profile', () => {
  const d = drive([networkProfileUseCase(options)], unsecured);
  const check = (value: string) => d.shell.validateVariable('OCPPCommCtrlr', 'NetworkConfigurationPriority', value);
  assert.is(check('1'), undefined);
  assert.is(check('2,1'), 'InvalidValue', 'slot 2 is empty');
  answer(d, 2, data());
  assert.is(check('2,1'), undefined);
  for (const bad of ['', '1,1', 'a,b', '1,4', '-1']) assert.is(check(bad), 'InvalidValue', bad);
  assert.is(
    d.shell.validateVariable('OCPPCommCtrlr', 'HeartbeatInterval', 'x'),
    undefined,
    'not a variable this use case checks',
  );
});

test('B10.FR.04 the station starts with the first entry of NetworkConfigurationPriority, skipping empty slots', () => {
  const stored = { stored: { 2: data({ ocppCsmsUrl: 'ws://b' }) } } as never;
  assert.equal(
    connectionOrder(options, stored, '2,1').map((p) => p.slot),
    [2, 1],
  );
  assert.equal(
    connectionOrder(options, stored, '3,1').map((p) => p.slot),
    [1],
  );
  assert.equal(
    connectionOrder(options, stored, undefined).map((p) => p.slot),
    [1],
    'the integrator order until the CSMS sets one',
  );
  assert.equal(
    connectionOrder(options, stored, 'garbage').map((p) => p.slot),
    [1],
  );
});

const p = (slot: number): ConnectionProfile => ({ slot, url: `ws://host/${slot}`, source: 'options' });

test('B10.FR.03 NetworkProfileConnectionAttempts failed attempts per entry, then the next entry', () => {
  const cycle = new ProfileCycle([p(2), p(1)]);
  assert.is(cycle.current.slot, 2);
  assert.is(cycle.failed(3), undefined);
  assert.is(cycle.failed(3), undefined);
  assert.is(cycle.failed(3)?.slot, 1);
  assert.is(cycle.current.slot, 1);
});

test('B10.FR.07 every entry failed: the last successful profile, kept from then on', () => {
  const cycle = new ProfileCycle([p(2), p(3)], p(1));
  assert.is(cycle.failed(1)?.slot, 3);
  assert.is(cycle.failed(1)?.slot, 1);
  for (let i = 0; i < 5; i++) assert.is(cycle.failed(1), undefined, 'reconnecting there');
  cycle.connected();
  assert.is(cycle.current.slot, 1);
});

test('B10.FR.08 never connected with any entry: the list starts again', () => {
  const cycle = new ProfileCycle([p(2), p(1)]);
  assert.is(cycle.failed(1)?.slot, 1);
  assert.is(cycle.failed(1)?.slot, 2);
  cycle.connected();
  assert.is(cycle.failed(1)?.slot, 1);
  assert.is(cycle.failed(1)?.slot, 2, 'slot 2 connected last: the fallback');
  assert.is(cycle.failed(1), undefined);
});

test('B10.FR.09 2.1 every entry failed, many times over: the station never stops trying (fallback, or the list again)', () => {
  const hundredFailures = (cycle: ProfileCycle) => {
    const tried: number[] = [];
    for (let i = 0; i < 100; i++) {
      cycle.failed(2);
      tried.push(cycle.current.slot);
    }
    return new Set(tried.slice(10));
  };
  // B10.FR.07: pinned to the last successful profile, reconnecting there.
  const withFallback = new ProfileCycle([p(2), p(3)], p(1));
  assert.equal(hundredFailures(withFallback), new Set([1]));
  // B10.FR.08: never connected: the whole list, round and round.
  const without = new ProfileCycle([p(2), p(3)]);
  assert.equal(hundredFailures(without), new Set([2, 3]));
  // Either way a later success is taken, and counting starts afresh.
  without.connected();
  assert.is(without.failed(2), undefined);
});

test.run();
