// B09 Setting a new NetworkConnectionProfile, B10 Migrate to new CSMS: over real sockets with two built-in CSMS
// instances (no TLS: security profile 0/1), SetVariables answered by the device model.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import { ManualClock } from '../../runtime/queue/clock.js';
import { ChargingStation } from '../../runtime/station/charging-station.js';
import { sleep, until } from '../support/rpc-harness.js';
import { startPair, testLayout, TEST_VARIABLES, type Pair } from '../support/station-harness.js';

const profile = (url: string, extra: Record<string, unknown> = {}) => ({
  ocppVersion: 'OCPP20',
  ocppTransport: 'JSON',
  ocppCsmsUrl: url,
  messageTimeout: 30,
  securityProfile: 0,
  ocppInterface: 'Wired0',
  ...extra,
});

async function withSecondCsms(variables: Record<string, number> = {}) {
  const clock = new ManualClock(Date.now());
  const second = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const url2 = second.url(await second.listen());
  const pair = await startPair({ station: { clock, random: () => 0, variables } });
  await until(() => pair.station.registration === 'Accepted', 3000, 'Accepted by CSMS 1');
  return { pair, second, url2, clock };
}

/** TC_B_45/46/49 steps 1–6: profile in slot 2, slot 2 first, Reset OnIdle. */
async function migrate(pair: Pair, url2: string): Promise<void> {
  const { csms, identity } = pair;
  assert.equal(
    await csms.call(identity, 'SetNetworkProfile', { configurationSlot: 2, connectionData: profile(url2) }),
    { status: 'Accepted' },
  );
  const set = (await csms.call(identity, 'SetVariables', {
    setVariableData: [
      {
        component: { name: 'OCPPCommCtrlr' },
        variable: { name: 'NetworkConfigurationPriority' },
        attributeValue: '2,1',
      },
    ],
  })) as any;
  assert.is(set.setVariableResult[0].attributeStatus, 'Accepted');
  assert.equal(await csms.call(identity, 'Reset', { type: 'OnIdle' }), { status: 'Accepted' });
}

test('TC_B_43_CS B09.FR.02 B09.FR.05 SetNetworkProfile for a slot that does not exist is Rejected', async () => {
  const pair = await startPair();
  try {
    await until(() => pair.station.registration === 'Accepted', 3000, 'Accepted');
    const res = (await pair.csms.call(pair.identity, 'SetNetworkProfile', {
      configurationSlot: 999,
      connectionData: profile(pair.url),
    })) as any;
    assert.is(res.status, 'Rejected');
  } finally {
    await pair.close();
  }
});

test('B10.FR.02 SetVariables NetworkConfigurationPriority naming an empty slot is Rejected; the other items of the request are judged as usual', async () => {
  const pair = await startPair();
  try {
    await until(() => pair.station.registration === 'Accepted', 3000, 'Accepted');
    const res = (await pair.csms.call(pair.identity, 'SetVariables', {
      setVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '120' },
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'NetworkConfigurationPriority' },
          attributeValue: '2,1',
        },
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'NetworkConfigurationPriority' },
          attributeValue: '3',
        },
      ],
    })) as any;
    assert.equal(
      res.setVariableResult.map((r: any) => [r.variable.name, r.attributeStatus, r.attributeStatusInfo?.reasonCode]),
      [
        ['HeartbeatInterval', 'Accepted', undefined],
        ['NetworkConfigurationPriority', 'Rejected', 'InvalidValue'],
        ['NetworkConfigurationPriority', 'Rejected', 'InvalidValue'],
      ],
    );
    assert.is(pair.station.deviceModel.get('OCPPCommCtrlr', 'NetworkConfigurationPriority'), '1');
    assert.is(pair.station.deviceModel.get('OCPPCommCtrlr', 'ActiveNetworkProfile'), '1', 'the slot in use');
  } finally {
    await pair.close();
  }
});

test('TC_B_45_CS B09.FR.01 B09.FR.06 B10.FR.01 B10.FR.04 B10.FR.06 migrate: after the reset the station leaves CSMS 1 and boots at CSMS 2', async () => {
  const { pair, second, url2 } = await withSecondCsms();
  const order: string[] = [];
  pair.csms.on('disconnect', () => order.push('left CSMS 1'));
  second.on('station', () => order.push('joined CSMS 2'));
  try {
    await migrate(pair, url2);
    const boot = await second.waitFor((m) => m.identity === pair.identity && m.action === 'BootNotification');
    assert.is((boot.request as any).reason, 'RemoteReset');
    await second.waitFor((m) => m.identity === pair.identity && m.action === 'StatusNotification');
    assert.equal(order, ['left CSMS 1', 'joined CSMS 2'], 'B10.FR.06: disconnect first');
    assert.not.ok(pair.csms.isConnected(pair.identity));
  } finally {
    await pair.close();
    await second.close();
  }
});

test('TC_B_46_CS B10.FR.03 B10.FR.04 NetworkProfileConnectionAttempts failures on the first profile, then the next one', async () => {
  const { pair, second, url2, clock } = await withSecondCsms({
    'OCPPCommCtrlr.NetworkProfileConnectionAttempts': 2,
    'OCPPCommCtrlr.RetryBackOffWaitMinimum': 5,
    'OCPPCommCtrlr.RetryBackOffRandomRange': 0,
  });
  second.refuseConnections(true);
  const at2 = () => second.attempts.filter((a) => a.identity === pair.identity).length;
  try {
    const bootsAt1 = pair.sent('BootNotification').length;
    await migrate(pair, url2);
    await until(() => at2() === 1, 3000, 'first attempt at slot 2');
    await sleep(100);
    assert.is(pair.sent('BootNotification').length, bootsAt1, 'still trying slot 2');
    await clock.advance(5_000);
    await until(() => at2() === 2, 3000, 'second attempt at slot 2');
    // B10.FR.03: two attempts spent: slot 1 at once.
    await until(() => pair.sent('BootNotification').length === bootsAt1 + 1, 3000, 'boot at CSMS 1');
    assert.is(at2(), 2);
  } finally {
    await pair.close();
    await second.close();
  }
});

test('TC_B_49_CS B10.FR.07 every profile failed: back to the last successful one, reconnecting there with back-off', async () => {
  const { pair, second, url2, clock } = await withSecondCsms({
    'OCPPCommCtrlr.NetworkProfileConnectionAttempts': 1,
    'OCPPCommCtrlr.RetryBackOffRepeatTimes': 0,
    'OCPPCommCtrlr.RetryBackOffRandomRange': 0,
    'OCPPCommCtrlr.RetryBackOffWaitMinimum': 5,
  });
  second.refuseConnections(true);
  const at = (csms: SimpleCsms) => csms.attempts.filter((a) => a.identity === pair.identity);
  try {
    const at1 = at(pair.csms).length;
    await migrate(pair, url2);
    pair.csms.refuseConnections(true);
    // Steps 7–10: slot 2 refused, slot 1 refused.
    await until(() => at(second).length === 1 && at(pair.csms).length === at1 + 1, 3000, 'one attempt at each');
    // Steps 11–12: after RetryBackOffWaitMinimum the station tries slot 1 again (not slot 2), and gets in.
    pair.csms.refuseConnections(false);
    await clock.advance(4_999);
    await sleep(100);
    assert.is(at(pair.csms).length, at1 + 1, 'waits RetryBackOffWaitMinimum');
    await clock.advance(1);
    await until(
      () => pair.station.registration === 'Accepted' && pair.csms.isConnected(pair.identity),
      3000,
      'booted at CSMS 1',
    );
    assert.is(at(second).length, 1, 'slot 2 is not tried again');
  } finally {
    await pair.close();
    await second.close();
  }
});

test('B09.FR.04 B09 2.1: a profile with its own Basic-auth password; a lower security profile is Rejected', async () => {
  const second = new SimpleCsms({ versions: ['ocpp2.1'], password: 'secret-of-csms-2' });
  const url2 = second.url(await second.listen());
  // A station on profile 1 (ws + Basic auth) at CSMS 1.
  const first = new SimpleCsms({ versions: ['ocpp2.1'], password: 'pw-1-pw-1-pw-1-pw' });
  const url1 = first.url(await first.listen());
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-np-'));
  const station = new ChargingStation({
    identity: 'CS-NP-21',
    csms: { url: url1, securityProfile: 1, password: 'pw-1-pw-1-pw-1-pw' },
    versions: ['ocpp2.1'],
    info: { model: 'M', vendorName: 'V' },
    supplyPhases: 3,
    evses: testLayout([{ id: 1, connectors: [{ id: 1 }] }]),
    variables: TEST_VARIABLES,
    store: { path: join(dir, 's.db') },
  });
  try {
    await station.start();
    await until(() => station.registration === 'Accepted', 3000, 'Accepted');
    const lower = (await first.call('CS-NP-21', 'SetNetworkProfile', {
      configurationSlot: 2,
      connectionData: profile(url2, { securityProfile: 0, ocppVersion: undefined }),
    })) as any;
    assert.is(lower.status, 'Rejected', 'B09.FR.04');
    const ok = await first.call('CS-NP-21', 'SetNetworkProfile', {
      configurationSlot: 2,
      connectionData: profile(url2, {
        securityProfile: 1,
        basicAuthPassword: 'secret-of-csms-2',
        ocppVersion: undefined,
      }),
    });
    assert.equal(ok, { status: 'Accepted' });
    await first.call('CS-NP-21', 'SetVariables', {
      setVariableData: [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'NetworkConfigurationPriority' },
          attributeValue: '2',
        },
      ],
    });
    await first.call('CS-NP-21', 'Reset', { type: 'Immediate' });
    const boot = await second.waitFor((m) => m.identity === 'CS-NP-21' && m.action === 'BootNotification');
    assert.is((boot.request as any).reason, 'RemoteReset');
    assert.ok(
      second.attempts.every((a) => a.accepted),
      'connected with the profile password',
    );
  } finally {
    await station.stop();
    await first.close();
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('B09.FR.20 2.1 SetVariables NetworkConfigurationPriority that only drops slots from the current value is Accepted', async () => {
  const pair = await startPair({
    csms: { versions: ['ocpp2.1'] },
    station: { versions: ['ocpp2.1'], variables: { 'SecurityCtrlr.SecurityProfile': 0 } },
  });
  try {
    await until(() => pair.station.registration === 'Accepted', 3000, 'Accepted');
    const { csms, identity } = pair;
    assert.equal(
      await csms.call(identity, 'SetNetworkProfile', {
        configurationSlot: 2,
        connectionData: profile('ws://127.0.0.1:9/ocpp', { ocppVersion: undefined }),
      }),
      { status: 'Accepted' },
    );
    const setPriority = async (value: string) =>
      (
        (await csms.call(identity, 'SetVariables', {
          setVariableData: [
            {
              component: { name: 'OCPPCommCtrlr' },
              variable: { name: 'NetworkConfigurationPriority' },
              attributeValue: value,
            },
          ],
        })) as any
      ).setVariableResult[0].attributeStatus;
    assert.is(await setPriority('1,2'), 'Accepted', 'slot 2 added behind slot 1');
    assert.is(await setPriority('1'), 'Accepted', 'slot 2 dropped again');
    assert.is(pair.station.deviceModel.get('OCPPCommCtrlr', 'NetworkConfigurationPriority'), '1');
  } finally {
    await pair.close();
  }
});

test.run();
