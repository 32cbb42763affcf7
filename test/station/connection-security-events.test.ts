// The security events of failed TLS connections (A00.FR.310/413/414, 316/419, 323/426) end to end: the station's
// first network profile points at a TLS endpoint that must be refused (a certificate from an unknown CA, TLS 1.1
// only, a cipher suite unfit for use); after NetworkProfileConnectionAttempts failures it moves to the second
// profile, the built-in CSMS over TLS (security profile 2), where the queued SecurityEventNotification arrives
// (A04.FR.02) — once, however many attempts failed. Certificates are made at test time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCa, issue, type Ca, type Issued } from '../support/pki.js';
import { until } from '../support/rpc-harness.js';
import { startPair } from '../support/station-harness.js';

const PASSWORD = 'profile-two-password-0123';
let csmsCa: Ca, otherCa: Ca;
let serverCert: Issued, foreignServerCert: Issued;

test.before(async () => {
  [csmsCa, otherCa] = await Promise.all([createCa('CSMS Root'), createCa('Some Other CA')]);
  [serverCert, foreignServerCert] = await Promise.all([
    issue(csmsCa, { commonName: '127.0.0.1', ips: ['127.0.0.1'] }),
    issue(otherCa, { commonName: '127.0.0.1', ips: ['127.0.0.1'] }),
  ]);
});

/** A TLS endpoint that never gets as far as a WebSocket upgrade with the station; counts the TLS handshakes tried. */
async function badEndpoint(
  options: Record<string, unknown>,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer({ ...serverCert, ...options });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `wss://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Slot 1: a TLS endpoint with `badTls`; slot 2: the built-in CSMS. */
async function failOverFrom(badTls: Record<string, unknown>, expected: string) {
  const bad = await badEndpoint(badTls);
  const profile = (slot: number, url: string) => ({
    slot,
    url,
    securityProfile: 2 as const,
    password: PASSWORD,
    tls: { ca: csmsCa.cert },
  });
  const pair = await startPair({ csms: { password: PASSWORD, securityProfile: 2, tls: serverCert }, start: false });
  const failures: Error[] = [];
  try {
    const station = await pair.restart({
      csms: undefined,
      networkProfiles: [profile(1, bad.url), profile(2, pair.url)],
      variables: {
        'OCPPCommCtrlr.NetworkProfileConnectionAttempts': 3,
        'OCPPCommCtrlr.RetryBackOffWaitMinimum': 0,
        'OCPPCommCtrlr.RetryBackOffRandomRange': 0,
      },
    });
    station.on('connectFailed', (e) => e.slot === 1 && failures.push(e.error));
    const event = await pair.waitFor(
      'SecurityEventNotification',
      (m) => (m.request as { type: string }).type === expected,
      10_000,
    );
    const request = event.request as { type: string; timestamp: string; techInfo?: string };
    assert.ok(request.techInfo && request.techInfo.length <= 255);
    assert.not.ok(request.techInfo!.includes(PASSWORD));
    // A00.FR.414 / 316 / 323: the connection was terminated: the station runs on the second profile.
    await until(() => station.registration === 'Accepted', 5000, 'Accepted on slot 2');
    assert.is(station.deviceModel.get('OCPPCommCtrlr', 'ActiveNetworkProfile'), '2');
    assert.ok(failures.length >= 2, `slot 1 failed ${failures.length} times`);
    // Sent once for repeated failed attempts (A00.FR.316/419 note), and in the security log (A04.FR.04).
    assert.is(
      pair.sent('SecurityEventNotification').filter((m) => (m.request as { type: string }).type === expected).length,
      1,
    );
    assert.is(station.securityLog().filter((e) => e.type === expected).length, 1);
  } finally {
    await pair.close();
    await bad.close();
  }
}

test('TC_A_05_CS A00.FR.310 A00.FR.413 A00.FR.414 a CSMS certificate from an unknown CA: InvalidCsmsCertificate, connection terminated, notified once', () =>
  failOverFrom({ ...foreignServerCert }, 'InvalidCsmsCertificate'));

test('TC_A_06_CS A00.FR.316 A00.FR.419 a CSMS that only speaks TLS 1.1: InvalidTLSVersion, connection terminated, notified once', () =>
  failOverFrom({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1' }, 'InvalidTLSVersion'));

test('A00.FR.323 A00.FR.426 a CSMS that only allows a NULL-encryption cipher suite: InvalidTLSCipherSuite, connection terminated, notified once', () =>
  failOverFrom({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-NULL-SHA:@SECLEVEL=0' }, 'InvalidTLSCipherSuite'));

test('TC_A_22_CS B09.FR.04 a station on security profile 2 rejects a SetNetworkProfile that would downgrade it to profile 1', async () => {
  const pair = await startPair({ csms: { password: PASSWORD, securityProfile: 2, tls: serverCert }, start: false });
  try {
    const station = await pair.restart({
      csms: { url: pair.url, securityProfile: 2, password: PASSWORD, tls: { ca: csmsCa.cert } },
    });
    await until(() => station.registration === 'Accepted', 5000, 'Accepted');
    assert.is(station.deviceModel.get('SecurityCtrlr', 'SecurityProfile'), '2');
    const res = (await pair.csms.call(pair.identity, 'SetNetworkProfile', {
      configurationSlot: 2,
      connectionData: {
        ocppVersion: 'OCPP20',
        ocppTransport: 'JSON',
        ocppCsmsUrl: 'ws://127.0.0.1:9/ocpp',
        messageTimeout: 30,
        securityProfile: 1,
        ocppInterface: 'Wired0',
      },
    })) as { status: string };
    assert.is(res.status, 'Rejected');
  } finally {
    await pair.close();
  }
});

test.run();
