// OCTT 1.6 security profile test cases (security whitepaper edition 3) over real sockets against the built-in CSMS in
// 1.6 with a real store file: Basic authentication (TC_085_CS) and a new AuthorizationKey from the CSMS (TC_073_CS).
// The CSMS checks the password of every upgrade request and, once the station accepted a new AuthorizationKey,
// accepts only that one: an accepted connection after the change is the proof that the station sent it.
// @timeout 60
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TraceEntry } from '../../../runtime/rpc/trace.js';
import { until } from '../../support/rpc-harness.js';
import { startPair16, type Pair16 } from '../../support/pair16.js';

const OLD = 'factory-password-0123456789';
/** "OCA_OCTT_admin_test", hexadecimal (the value TC_073_CS sends). */
const NEW_KEY = '4F43415F4F4354545F61646D696E5F74657374';

const acceptedAttempts = (p: Pair16) => p.csms.attempts.filter((a) => a.identity === p.identity && a.accepted).length;
const refusedAttempts = (p: Pair16) => p.csms.attempts.filter((a) => a.identity === p.identity && !a.accepted).length;

async function profile1(traces: TraceEntry[] = []): Promise<Pair16> {
  const p = await startPair16({
    csms: { password: OLD, securityProfile: 1 },
    station: { trace: (e) => traces.push(e) },
    start: false,
  });
  await p.restart({ csms: { url: p.url, securityProfile: 1, password: OLD } });
  await until(() => p.station.registration === 'Accepted', 5000, 'registration');
  return p;
}

test('TC_085_CS Basic authentication with a valid password: the CSMS accepts the connection, the station boots', async () => {
  const p = await profile1();
  try {
    assert.ok(acceptedAttempts(p) >= 1);
    assert.is(refusedAttempts(p), 0);
    assert.is((await p.call('GetConfiguration', { key: ['SecurityProfile'] })).configurationKey[0].value, '1');
  } finally {
    await p.close();
  }
});

test('TC_073_CS a new AuthorizationKey: Accepted, the station reconnects with it; never reported, never traced', async () => {
  const traces: TraceEntry[] = [];
  const p = await profile1(traces);
  try {
    const before = acceptedAttempts(p);
    const boots = p.sent('BootNotification').length;
    assert.equal(await p.call('ChangeConfiguration', { key: 'AuthorizationKey', value: NEW_KEY }), {
      status: 'Accepted',
    });
    await until(
      () => acceptedAttempts(p) > before && p.csms.isConnected(p.identity) && p.station.connected,
      5000,
      'the reconnection with the new key',
    );
    assert.is(refusedAttempts(p), 0, 'no attempt with the old password');
    // A reconnection, not a reboot.
    assert.is(p.sent('BootNotification').length, boots);
    // Write-only: GetConfiguration names the key without its value.
    const got = await p.call('GetConfiguration', { key: ['AuthorizationKey'] });
    assert.equal(got.configurationKey, [{ key: 'AuthorizationKey', readonly: false }]);
    assert.not.ok(traces.some((t) => JSON.stringify(t).includes('OCA_OCTT_admin_test')));
    // Kept across a restart: the station connects with the CSMS's key, not the integrator's password.
    const accepted = acceptedAttempts(p);
    await p.restart({ csms: { url: p.url, securityProfile: 1, password: OLD } });
    await until(() => acceptedAttempts(p) > accepted && p.station.connected, 5000, 'the connection after the restart');
    assert.is(refusedAttempts(p), 0);
  } finally {
    await p.close();
  }
});

test('TC_073_CS an AuthorizationKey that is not hexadecimal digits: Rejected, the connection stays', async () => {
  const p = await profile1();
  try {
    const before = acceptedAttempts(p);
    assert.equal(await p.call('ChangeConfiguration', { key: 'AuthorizationKey', value: 'not-hex!' }), {
      status: 'Rejected',
    });
    // A CALL answered after the change: the same connection still serves.
    await p.call('GetConfiguration', { key: ['SecurityProfile'] });
    assert.is(acceptedAttempts(p), before);
  } finally {
    await p.close();
  }
});

test.run();
