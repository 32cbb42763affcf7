// A01 Update Charging Station Password for HTTP Basic Authentication (TC_A_09_CS, TC_A_10_CS), against the built-in
// CSMS over real sockets with security profile 1 and a real store file. The CSMS checks the password of every
// upgrade request and, once the station accepted a new one, accepts only that one (A01.FR.03): an accepted
// connection after the change is the proof that the station sent the new password.
import 'reflect-metadata';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TraceEntry } from '../../runtime/rpc/trace.js';
import { CertificateAuthority } from '../../runtime/station/M-certificates/ca.js';
import { until } from '../support/rpc-harness.js';
import { startPair, type Pair } from '../support/station-harness.js';

const OLD = 'factory-password-0123456789';
const NEW = 'csms-chosen-password-ABCDEF-42';
const SHORT = 'only15chars-abc';

async function pairWithPassword(traces: TraceEntry[] = [], logs: string[] = []): Promise<Pair> {
  const pair = await startPair({
    csms: { password: OLD, securityProfile: 1 },
    station: {
      variables: { 'OCPPCommCtrlr.RetryBackOffWaitMinimum': 0, 'OCPPCommCtrlr.RetryBackOffRandomRange': 0 },
      trace: (e) => traces.push(e),
    },
    start: false,
  });
  pair.station.on('log', (e) => logs.push(e.message));
  // The harness's station has no password: a reboot on the same store with one (security profile 1).
  await pair.restart({ csms: { url: pair.url, securityProfile: 1, password: OLD } });
  pair.station.on('log', (e) => logs.push(e.message));
  await pair.waitFor('BootNotification');
  await until(() => pair.station.registration === 'Accepted', 3000, 'registration');
  return pair;
}

const setPassword = (pair: Pair, value: string) =>
  pair.csms.call(pair.identity, 'SetVariables', {
    setVariableData: [
      { attributeValue: value, component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } },
    ],
  }) as Promise<{
    setVariableResult: Array<{ attributeStatus: string; attributeStatusInfo?: { reasonCode: string } }>;
  }>;

const acceptedAttempts = (pair: Pair) =>
  pair.csms.attempts.filter((a) => a.identity === pair.identity && a.accepted).length;
const refusedAttempts = (pair: Pair) =>
  pair.csms.attempts.filter((a) => a.identity === pair.identity && !a.accepted).length;

test('TC_A_09_CS A01.FR.01 A01.FR.02 A01.FR.11 A01.FR.12 a new BasicAuthPassword is Accepted, the station reconnects with it and logs the change without the password', async () => {
  const traces: TraceEntry[] = [];
  const logs: string[] = [];
  const pair = await pairWithPassword(traces, logs);
  try {
    const before = acceptedAttempts(pair);
    const boots = pair.sent('BootNotification').length;
    const res = await setPassword(pair, NEW);
    assert.is(res.setVariableResult[0]!.attributeStatus, 'Accepted');
    // Step 3: a new HTTP upgrade, accepted by a CSMS that now refuses the old password (A01.FR.03).
    await until(
      () => acceptedAttempts(pair) > before && pair.csms.isConnected(pair.identity) && pair.station.connected,
      5000,
      'the reconnection with the new password',
    );
    assert.is(refusedAttempts(pair), 0, 'no attempt with the old password');
    // Status Accepted (not RebootRequired): no BootNotification (steps 5–8 only after a reboot), still Accepted.
    assert.is(pair.sent('BootNotification').length, boots);
    assert.is(pair.station.registration, 'Accepted');
    // A01.FR.11: the change is in the security log; A01.FR.12: the password is in no log, trace or event.
    const entry = pair.station.securityLog().find((e) => e.type === 'ReconfigurationOfSecurityParameters');
    assert.ok(entry, 'the change is in the security log');
    assert.not.ok(JSON.stringify(pair.station.securityLog()).includes(NEW));
    assert.ok(traces.length > 0);
    assert.not.ok(
      traces.some((t) => JSON.stringify(t).includes(NEW)),
      'the new password is in no trace entry',
    );
    assert.not.ok(
      traces.some((t) => JSON.stringify(t).includes(OLD)),
      'the old password is in no trace entry',
    );
    assert.not.ok(logs.some((m) => m.includes(NEW)));
    // Non-critical (ReconfigurationOfSecurityParameters): logged, not sent (A04.FR.01 sends the critical ones).
    assert.not.ok(
      pair
        .sent('SecurityEventNotification')
        .some((m) => (m.request as { type: string }).type === 'ReconfigurationOfSecurityParameters'),
    );
  } finally {
    await pair.close();
  }
});

test('A01.FR.10 the new BasicAuthPassword is kept in the store: after a restart the station connects with it, not the configured one', async () => {
  const pair = await pairWithPassword();
  try {
    assert.is((await setPassword(pair, NEW)).setVariableResult[0]!.attributeStatus, 'Accepted');
    const before = acceptedAttempts(pair);
    await until(() => acceptedAttempts(pair) > before && pair.station.connected, 5000, 'the reconnection');
    // A reboot with the integrator's options unchanged (the factory password).
    const accepted = acceptedAttempts(pair);
    await pair.restart({ csms: { url: pair.url, securityProfile: 1, password: OLD } });
    await until(
      () => acceptedAttempts(pair) > accepted && pair.station.registration === 'Accepted',
      5000,
      'the boot after the restart',
    );
    assert.is(refusedAttempts(pair), 0, 'the station never fell back to the configured password');
    assert.is(pair.station.deviceModel.get('SecurityCtrlr', 'BasicAuthPassword'), NEW);
  } finally {
    await pair.close();
  }
});

test('TC_A_10_CS A00.FR.205 a BasicAuthPassword shorter than 16 characters is Rejected; the station reconnects with the old one', async () => {
  const pair = await pairWithPassword();
  try {
    const res = await setPassword(pair, SHORT);
    assert.is(res.setVariableResult[0]!.attributeStatus, 'Rejected');
    assert.is(res.setVariableResult[0]!.attributeStatusInfo?.reasonCode, 'TooShort');
    // Post scenario: BasicAuthPassword is still the configured one; nothing was logged as a change.
    assert.is(pair.station.deviceModel.get('SecurityCtrlr', 'BasicAuthPassword'), OLD);
    assert.not.ok(pair.station.securityLog().some((e) => e.type === 'ReconfigurationOfSecurityParameters'));
    // Step 3: the next upgrade request carries the old password (the CSMS still accepts only that one, A01.FR.04).
    const before = acceptedAttempts(pair);
    await pair.csms.disconnect(pair.identity);
    await until(
      () => acceptedAttempts(pair) > before && pair.station.connected,
      5000,
      'the reconnection with the old password',
    );
    assert.is(refusedAttempts(pair), 0);
    assert.is(pair.station.registration, 'Accepted');
  } finally {
    await pair.close();
  }
});

test('A00.FR.205 a BasicAuthPassword longer than its maxLimit (40) is Rejected and not used', async () => {
  const pair = await pairWithPassword();
  try {
    const res = await setPassword(pair, 'x'.repeat(41));
    assert.is(res.setVariableResult[0]!.attributeStatus, 'Rejected');
    assert.is(pair.station.deviceModel.get('SecurityCtrlr', 'BasicAuthPassword'), OLD);
  } finally {
    await pair.close();
  }
});

test('A00.FR.005 the security profile cannot be lowered over OCPP: SetVariables SecurityProfile and a SetNetworkProfile with a lower profile are Rejected', async () => {
  const pair = await pairWithPassword();
  try {
    const set = (await pair.csms.call(pair.identity, 'SetVariables', {
      setVariableData: [
        { attributeValue: '0', component: { name: 'SecurityCtrlr' }, variable: { name: 'SecurityProfile' } },
      ],
    })) as {
      setVariableResult: Array<{ attributeStatus: string }>;
    };
    assert.is(set.setVariableResult[0]!.attributeStatus, 'Rejected');
    assert.is(pair.station.deviceModel.get('SecurityCtrlr', 'SecurityProfile'), '1');
    const profile = {
      ocppVersion: 'OCPP20',
      ocppTransport: 'JSON',
      ocppCsmsUrl: pair.url,
      messageTimeout: 30,
      securityProfile: 0,
      ocppInterface: 'Wired0',
    };
    const res = (await pair.csms.call(pair.identity, 'SetNetworkProfile', {
      configurationSlot: 2,
      connectionData: profile,
    })) as { status: string };
    assert.is(res.status, 'Rejected');
    // The same profile at the current level is accepted: the refusal is about the lower profile only.
    const same = (await pair.csms.call(pair.identity, 'SetNetworkProfile', {
      configurationSlot: 2,
      connectionData: { ...profile, securityProfile: 1 },
    })) as { status: string };
    assert.is(same.status, 'Accepted');
  } finally {
    await pair.close();
  }
});

test('A00.FR.304 profile 2: BasicAuthPassword of 16 to 40 passwordString characters; a 40-character one with every allowed symbol is Accepted and sent over TLS as its plain UTF-8 bytes; 15 and 41 are Rejected', async () => {
  const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: 'ocppkit tests' });
  const server = await root.issue({ commonName: '127.0.0.1' }, { ips: ['127.0.0.1'] });
  const tlsCsms = { password: OLD, securityProfile: 2 as const, tls: { cert: server.cert, key: server.key! } };
  const pair = await startPair({
    csms: tlsCsms,
    station: { variables: { 'OCPPCommCtrlr.RetryBackOffWaitMinimum': 0, 'OCPPCommCtrlr.RetryBackOffRandomRange': 0 } },
    start: false,
  });
  try {
    assert.match(pair.url, /^wss:/);
    await pair.restart({ csms: { url: pair.url, securityProfile: 2, password: OLD, tls: { ca: root.certPem } } });
    await until(() => pair.station.registration === 'Accepted', 5000, 'registration over TLS');
    for (const tooShortOrLong of ['Ab1*-_=:+|@.xyz', `${'Ab1*-_=:+|@.'.repeat(3)}Ab1*-`]) {
      const res = await setPassword(pair, tooShortOrLong);
      assert.is(res.setVariableResult[0]!.attributeStatus, 'Rejected', `${tooShortOrLong.length} characters`);
    }
    assert.is(pair.station.deviceModel.get('SecurityCtrlr', 'BasicAuthPassword'), OLD);
    // 40 characters: letters, digits and all nine symbols of passwordString (* - _ = : + | @ .). The CSMS now takes
    // only these bytes (UTF-8, not base64- or hex-encoded once more) as the password part of the Basic header.
    const full = `${'Ab1*-_=:+|@.'.repeat(3)}Ab1*`;
    assert.is(full.length, 40);
    const before = acceptedAttempts(pair);
    assert.is((await setPassword(pair, full)).setVariableResult[0]!.attributeStatus, 'Accepted');
    await until(
      () => acceptedAttempts(pair) > before && pair.csms.isConnected(pair.identity) && pair.station.connected,
      5000,
      'the reconnection over TLS with the new password',
    );
    assert.is(refusedAttempts(pair), 0, 'no attempt with another password');
    assert.is(pair.station.deviceModel.get('SecurityCtrlr', 'BasicAuthPassword'), full, 'kept in BasicAuthPassword');
  } finally {
    await pair.close();
  }
});

test.run();
