// OCTT 1.6 security whitepaper test cases over real TLS on 127.0.0.1 (certificates made at test time,
// M-certificates/ca.ts): TLS with the server's certificate (TC_086_CS, profile 2), with the Charge Point's certificate
// (TC_087_CS, profile 3), the Charge Point certificate renewed through ExtendedTriggerMessage → SignCertificate →
// CertificateSigned, the built-in CSMS in 1.6 signing (TC_074_CS), and a CertificateSigned that does not verify
// (TC_077_CS).
// @timeout 120
import 'reflect-metadata';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimpleCsms } from '../../../runtime/csms/simple-csms.js';
import { CertificateAuthority } from '../../../runtime/station/M-certificates/ca.js';
import { until } from '../../support/rpc-harness.js';
import { startPair16, type Pair16 } from '../../support/pair16.js';

const ORG = 'ocppkit tests';

interface Setup {
  p: Pair16;
  root: CertificateAuthority;
  server: { cert: string; key?: string };
}

/** A profile-3 pair in 1.6: the CSMS accepts station certificates of the CSO root and of the factory CA. */
async function profile3(): Promise<Setup> {
  const [root, factory] = await Promise.all([
    CertificateAuthority.create({ commonName: 'CSO Root', organization: ORG }),
    CertificateAuthority.create({ commonName: 'Factory CA', organization: 'Manufacturer' }),
  ]);
  const server = await root.issue({ commonName: '127.0.0.1', organization: ORG }, { ips: ['127.0.0.1'] });
  const p = await startPair16({
    csms: {
      securityProfile: 3,
      tls: { cert: server.cert, key: server.key!, ca: [root.certPem, factory.certPem] },
      ca: root,
    },
    start: false,
  });
  const initial = await factory.issue({ commonName: p.identity, organization: ORG });
  await p.restart({
    csms: { url: p.url, securityProfile: 3, tls: { ca: root.certPem, cert: initial.cert, key: initial.key! } },
  });
  await until(() => p.station.registration === 'Accepted' && p.station.connected, 5000, 'registered');
  return { p, root, server };
}

test('TC_086_CS TLS with the server certificate (profile 2): the station verifies the CSMS certificate, Basic auth, boots', async () => {
  const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: ORG });
  const server = await root.issue({ commonName: '127.0.0.1', organization: ORG }, { ips: ['127.0.0.1'] });
  const password = 'profile-two-password-0123';
  const p = await startPair16({
    csms: { securityProfile: 2, password, tls: { cert: server.cert, key: server.key! } },
    start: false,
  });
  try {
    await p.restart({ csms: { url: p.url, securityProfile: 2, password, tls: { ca: root.certPem } } });
    await until(() => p.station.registration === 'Accepted', 5000, 'registered over TLS');
    assert.ok(p.url.startsWith('wss://'));
    assert.is(p.station.configuration('SecurityProfile'), '2');
  } finally {
    await p.close();
  }
});

test('TC_086_CS a CSMS certificate from another CA: no connection', async () => {
  const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: ORG });
  const stranger = await CertificateAuthority.create({ commonName: 'Stranger', organization: ORG });
  const server = await stranger.issue({ commonName: '127.0.0.1', organization: ORG }, { ips: ['127.0.0.1'] });
  const password = 'profile-two-password-0123';
  const p = await startPair16({
    csms: { securityProfile: 2, password, tls: { cert: server.cert, key: server.key! } },
    start: false,
  });
  try {
    const station = await p.restart({ csms: { url: p.url, securityProfile: 2, password, tls: { ca: root.certPem } } });
    // The client retries every second: a failed attempt follows.
    await new Promise<void>((resolve) => station.once('connectFailed', () => resolve()));
    assert.is(p.station.connected, false);
    assert.equal(p.sent('BootNotification'), []);
  } finally {
    await p.close();
  }
});

test('TC_087_CS TC_084_CS TLS with the Charge Point certificate (profile 3): the CSMS lets the station in by its certificate; a downgrade is Rejected', async () => {
  const { p } = await profile3();
  try {
    assert.is(p.station.configuration('SecurityProfile'), '3');
    assert.ok(p.sent('BootNotification').length >= 1);
    // TC_084_CS: a downgrade is Rejected, the connection stays.
    assert.equal(await p.call('ChangeConfiguration', { key: 'SecurityProfile', value: '2' }), { status: 'Rejected' });
    assert.is(p.station.configuration('SecurityProfile'), '3');
  } finally {
    await p.close();
  }
});

test('TC_074_CS ExtendedTriggerMessage SignChargePointCertificate: SignCertificate, CertificateSigned Accepted, the station reconnects with the new certificate', async () => {
  const { p, root, server } = await profile3();
  try {
    const { csms, identity } = p;
    assert.equal(await p.call('ChangeConfiguration', { key: 'CpoName', value: ORG }), { status: 'Accepted' });
    // The CSMS root the signed chain leads to (the station checks the chain against its installed roots).
    assert.equal(
      await p.call('InstallCertificate', {
        certificateType: 'CentralSystemRootCertificate',
        certificate: root.certPem,
      }),
      { status: 'Accepted' },
    );
    const reconnected = new Promise<void>((resolve) => {
      let disconnected = false;
      csms.on('disconnect', (s) => s.identity === identity && (disconnected = true));
      csms.on('station', (s) => s.identity === identity && disconnected && resolve());
    });
    assert.equal(await p.call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }), {
      status: 'Accepted',
    });
    const sign = await p.waitFor('SignCertificate');
    assert.match((sign.request as any).csr, /CERTIFICATE REQUEST/);
    assert.equal(sign.response, { status: 'Accepted' });
    const signed = await csms.waitFor((m) => m.direction === 'out' && m.action === 'CertificateSigned');
    assert.equal(signed.response, { status: 'Accepted' });
    await reconnected;
    // The proof that the connection uses it: a CSMS that trusts the CSO root alone still lets the station in.
    const port = Number(new URL(p.url).port);
    await csms.close();
    const strict = new SimpleCsms({
      versions: ['ocpp1.6'],
      securityProfile: 3,
      tls: { cert: server.cert, key: server.key!, ca: root.certPem },
    });
    try {
      const connected = new Promise<void>((resolve) =>
        strict.on('station', (s) => s.identity === identity && resolve()),
      );
      await strict.listen(port);
      await connected;
    } finally {
      await strict.close();
    }
  } finally {
    await p.close();
  }
});

test('TC_077_CS a CertificateSigned that does not verify: Rejected, the InvalidChargePointCertificate security event, the connection stays', async () => {
  const { p } = await profile3();
  try {
    const stranger = await CertificateAuthority.create({ commonName: 'Stranger', organization: ORG });
    const cert = await stranger.issue({ commonName: p.identity, organization: ORG });
    assert.equal(await p.call('CertificateSigned', { certificateChain: cert.cert + stranger.certPem }), {
      status: 'Rejected',
    });
    await p.waitFor('SecurityEventNotification', (m) => (m.request as any).type === 'InvalidChargePointCertificate');
    assert.is(p.station.connected, true);
  } finally {
    await p.close();
  }
});

test.run();
