// The security whitepaper's security profile upgrade (its A05; OCTT TC_083_CS) on the 1.6 station, over real
// sockets and real TLS on 127.0.0.1 with certificates made at test time: the Central System raises SecurityProfile
// from 1 to 2, the Charge Point answers Accepted and reconnects over TLS to the connection configured for profile 2;
// a profile it cannot use is Rejected (A05.FR.01/03/04); a raised profile it cannot connect with falls back
// (A05.FR.08).
// @timeout 90
import 'reflect-metadata';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimpleCsms } from '../../../runtime/csms/simple-csms.js';
import { CertificateAuthority } from '../../../runtime/station/M-certificates/ca.js';
import { until } from '../../support/rpc-harness.js';
import { startPair16 } from '../../support/pair16.js';

const ORG = 'ocppkit tests';
const PASSWORD = 'profile-upgrade-password-01';

test('TC_083_CS upgrade security profile 1 → 2 (whitepaper A05, its FR.05–07): Accepted, the Charge Point reconnects over TLS with profile 2', async () => {
  const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: ORG });
  const server = await root.issue({ commonName: '127.0.0.1', organization: ORG }, { ips: ['127.0.0.1'] });
  const p = await startPair16({ csms: { securityProfile: 1, password: PASSWORD }, start: false });
  const tls = new SimpleCsms({
    versions: ['ocpp1.6'],
    securityProfile: 2,
    password: PASSWORD,
    tls: { cert: server.cert, key: server.key! },
  });
  const tlsUrl = tls.url(await tls.listen());
  try {
    const station = await p.restart({
      csms: undefined,
      networkProfiles: [
        { slot: 1, url: p.url, securityProfile: 1, password: PASSWORD },
        { slot: 2, url: tlsUrl, securityProfile: 2, password: PASSWORD, tls: { ca: root.certPem } },
      ],
    });
    await until(() => station.registration === 'Accepted', 5000, 'registered with profile 1');
    assert.is(station.configuration('SecurityProfile'), '1');
    const reconnected = new Promise<string>((resolve) =>
      station.on('connected', (e: { url: string }) => {
        if (e.url === tlsUrl) resolve(e.url);
      }),
    );
    // A05.FR.01: not downwards, not to the same level.
    assert.equal(await p.call('ChangeConfiguration', { key: 'SecurityProfile', value: '1' }), { status: 'Rejected' });
    // A05.FR.04: profile 3 needs a Charge Point certificate the station does not have.
    assert.equal(await p.call('ChangeConfiguration', { key: 'SecurityProfile', value: '3' }), { status: 'Rejected' });
    assert.equal(await p.call('ChangeConfiguration', { key: 'SecurityProfile', value: '2' }), { status: 'Accepted' });
    assert.ok((await reconnected).startsWith('wss://'));
    await until(() => tls.isConnected(p.identity), 5000, 'connected to the TLS CSMS');
    const conf: any = await tls.call(p.identity, 'GetConfiguration', { key: ['SecurityProfile'] });
    assert.equal(conf.configurationKey, [{ key: 'SecurityProfile', readonly: false, value: '2' }]);
    assert.ok(station.securityLog().some((e) => e.type === 'ReconfigurationOfSecurityParameters'));
  } finally {
    await p.close();
    await tls.close();
  }
});

test('TC_083_CS without a Central System root the upgrade to profile 2 is Rejected (whitepaper A05, its FR.03); a raised profile the Charge Point cannot connect with falls back (its FR.08)', async () => {
  const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: ORG });
  const p = await startPair16({ csms: { securityProfile: 1, password: PASSWORD }, start: false });
  try {
    let station = await p.restart({ csms: { url: p.url, securityProfile: 1, password: PASSWORD } });
    await until(() => station.registration === 'Accepted', 5000, 'registered');
    assert.equal(await p.call('ChangeConfiguration', { key: 'SecurityProfile', value: '2' }), { status: 'Rejected' });
    // With a root: Accepted, but this CSMS speaks no TLS on its port (wss:// of the same URL fails): back to 1.
    station = await p.restart({
      csms: { url: p.url, securityProfile: 1, password: PASSWORD, tls: { ca: root.certPem } },
    });
    await until(() => station.registration === 'Accepted' && station.connected, 5000, 'registered again');
    const failed = new Promise<void>((resolve) => station.once('connectFailed', () => resolve()));
    assert.equal(await p.call('ChangeConfiguration', { key: 'SecurityProfile', value: '2' }), { status: 'Accepted' });
    await failed;
    await until(
      () => station.connected && station.configuration('SecurityProfile') === '1',
      10_000,
      'back on profile 1',
    );
    const conf = await p.call('GetConfiguration', { key: ['SecurityProfile'] });
    assert.is(conf.configurationKey[0].value, '1');
  } finally {
    await p.close();
  }
});

test.run();
