// The fallbacks of a certificate update over real TLS on 127.0.0.1 (every certificate made at test time):
// A02.FR.28/29 and A03.FR.24/25 (2.0.1 edition 3 errata) — a renewed client certificate the CSMS does not accept
// leaves the station on the old one, the new one discarded and the CSMS told; M05.FR.14–16 — a new CSMS root that
// does not verify the CSMS certificate gives way to the old root it replaced (TC_M_31_CS), only towards the CSMS of
// the last successful connection.
import 'reflect-metadata';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync } from 'node:fs';
import { CertificateAuthority } from '../../runtime/station/M-certificates/ca.js';
import { until } from '../support/rpc-harness.js';
import { startPair, type Pair } from '../support/station-harness.js';

const ORG = 'ocppkit tests';
/** Quick retries, and the round of A02.FR.28 (one entry in NetworkConfigurationPriority) of two attempts. */
const FAST = {
  'OCPPCommCtrlr.NetworkProfileConnectionAttempts': 2,
  'OCPPCommCtrlr.RetryBackOffWaitMinimum': 0,
  'OCPPCommCtrlr.RetryBackOffRandomRange': 0,
};

interface Setup {
  pair: Pair;
  /** A CA the station trusts (its `tls.ca`) but the CSMS does not accept client certificates of. */
  other: CertificateAuthority;
  failures: Error[];
  /** Everything the station logged. */
  logs: string[];
}

/**
 * Security profile 3: the CSMS (server certificate by `root`) accepts client certificates of `root` and of the
 * factory CA, and signs CSRs with `root`; the station starts with a factory certificate.
 */
async function profile3(): Promise<Setup> {
  const [root, factory, other] = await Promise.all([
    CertificateAuthority.create({ commonName: 'CSO Root', organization: ORG }),
    CertificateAuthority.create({ commonName: 'Factory CA', organization: 'Manufacturer' }),
    CertificateAuthority.create({ commonName: 'Other CSO CA', organization: ORG }),
  ]);
  const server = await root.issue({ commonName: '127.0.0.1', organization: ORG }, { ips: ['127.0.0.1'] });
  const pair = await startPair({
    csms: {
      securityProfile: 3,
      tls: { cert: server.cert, key: server.key!, ca: [root.certPem, factory.certPem] },
      ca: root,
    },
    start: false,
  });
  const initial = await factory.issue({ commonName: pair.identity, organization: ORG });
  const station = await pair.restart({
    csms: {
      url: pair.url,
      securityProfile: 3,
      tls: { ca: [root.certPem, other.certPem], cert: initial.cert, key: initial.key! },
    },
    variables: FAST,
  });
  const failures: Error[] = [];
  station.on('connectFailed', (e) => failures.push(e.error));
  const logs: string[] = [];
  station.on('log', (e) => logs.push(e.message));
  await pair.waitFor('BootNotification');
  await until(() => station.connected, 5000, 'connected');
  return { pair, other, failures, logs };
}

/** From now on the CSMS answers SignCertificate itself and sends a certificate of `ca` (which it does not accept). */
function signWith(pair: Pair, ca: CertificateAuthority): void {
  pair.csms.respond('SignCertificate', (request: { csr: string }, identity) => {
    setTimeout(() => {
      void ca
        .signCsr(request.csr)
        .then((certificateChain) => pair.csms.call(identity, 'CertificateSigned', { certificateChain }));
    }, 0);
    return { status: 'Accepted' };
  });
}

const ownCertificates = (pair: Pair) =>
  pair.station.certificates.installed().filter((c) => c.use === 'ChargingStationCertificate');

test('A02.FR.28 A02.FR.29 A02.FR.10: the renewed certificate the CSMS refuses: after a round of failed attempts the station reconnects with the old (factory) one, discards the new one and its key, and sends DiscardedRenewedClientCertificate', async () => {
  const { pair, other, failures, logs } = await profile3();
  try {
    signWith(pair, other);
    const signed = pair.csms.waitFor(
      (m) => m.direction === 'out' && m.action === 'CertificateSigned' && m.response !== undefined,
      10_000,
    );
    await pair.csms.call(pair.identity, 'TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' });
    assert.equal((await signed).response, { status: 'Accepted' }, 'the station itself accepts it (it trusts Other)');
    const event = await pair.waitFor(
      'SecurityEventNotification',
      (m) => (m.request as { type: string }).type === 'DiscardedRenewedClientCertificate',
      30_000, // a bound, not a wait: under load the rounds of TLS handshakes take most of 15 s
    );
    assert.ok(event);
    // A round: NetworkProfileConnectionAttempts (2) × one NetworkConfigurationPriority entry, with the new one.
    assert.ok(failures.length >= 2, `${failures.length} failed attempts before the fallback`);
    assert.ok(pair.csms.isConnected(pair.identity));
    // A02.FR.10: the one not in use is gone, with its key file; the factory certificate is the integrator's.
    assert.equal(ownCertificates(pair), []);
    const folder = `${pair.dbPath}.keys`;
    await until(() => !existsSync(folder) || readdirSync(folder).length === 0, 5000, 'the new key discarded');
    // Back on the old one for good: the next reconnection uses it again, without another failure.
    const before = failures.length;
    const back = new Promise<void>((resolve) =>
      pair.csms.on('station', (s) => s.identity === pair.identity && resolve()),
    );
    await pair.csms.call(pair.identity, 'Reset', { type: 'Immediate' });
    await back;
    assert.is(failures.length, before);
    // The fallback is logged (why the station reconnects), never with key material.
    assert.ok(logs.some((m) => /A02\.FR\.28/.test(m)));
    assert.not.ok(
      logs.some((m) => /PRIVATE KEY|BEGIN/.test(m)),
      'no PEM in the log',
    );
  } finally {
    await pair.close();
  }
});

test('A03.FR.01 A03.FR.24 A03.FR.25 A03.FR.10: a renewal the station starts itself; the new certificate fails, the installed old one is used again and kept, the new one discarded', async () => {
  const { pair, other, failures } = await profile3();
  try {
    // First renewal: signed by the CSO root, accepted by the CSMS: installed and in use.
    const reconnected = new Promise<void>((resolve) => {
      let dropped = false;
      pair.csms.on('disconnect', (s) => s.identity === pair.identity && (dropped = true));
      pair.csms.on('station', (s) => s.identity === pair.identity && dropped && resolve());
    });
    pair.station.certificates.renew();
    await reconnected;
    const first = ownCertificates(pair);
    assert.equal(first.length, 1);
    assert.match(first[0]!.issuer, /CSO Root/);
    // Second renewal: a certificate the CSMS does not accept. The CSMS sees the new connection before the station
    // has taken it as its own: renew only once the station is connected again.
    await until(() => pair.station.connected, 5000, 'connected again');
    signWith(pair, other);
    pair.station.certificates.renew();
    await pair.waitFor(
      'SecurityEventNotification',
      (m) => (m.request as { type: string }).type === 'DiscardedRenewedClientCertificate',
      30_000, // a bound, not a wait: under load the rounds of TLS handshakes take most of 15 s
    );
    assert.ok(failures.length >= 2);
    const left = ownCertificates(pair);
    assert.equal(left.length, 1, 'the old one stays, the new one is gone');
    assert.is(left[0]!.serialNumber, first[0]!.serialNumber);
    assert.ok(pair.csms.isConnected(pair.identity));
  } finally {
    await pair.close();
  }
});

test.run();
