// OCPP 2.1 over real TLS on 127.0.0.1 (security profile 3, every certificate made at test time): the key update the
// CSMS triggers, with 2.1's requestId from the station's SignCertificate echoed by the built-in CSMS in its
// CertificateSigned (A02.FR.24/25), and the station back with the certificate it was issued.
import 'reflect-metadata';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CertificateAuthority } from '../../runtime/station/M-certificates/ca.js';
import { until } from '../support/rpc-harness.js';
import { startPair } from '../support/station-harness.js';

const ORG = 'ocppkit tests';

test('2.1 TC_A_11_CS A02.FR.24 A02.FR.25 A03.FR.20 A03.FR.21: the CSMS echoes the requestId of the SignCertificate; the station accepts, installs and reconnects with the certificate', async () => {
  const [root, factory] = await Promise.all([
    CertificateAuthority.create({ commonName: 'CSO Root', organization: ORG }),
    CertificateAuthority.create({ commonName: 'Factory CA', organization: 'Manufacturer' }),
  ]);
  const server = await root.issue({ commonName: '127.0.0.1', organization: ORG }, { ips: ['127.0.0.1'] });
  const pair = await startPair({
    csms: {
      versions: ['ocpp2.1'],
      securityProfile: 3,
      tls: { cert: server.cert, key: server.key!, ca: [root.certPem, factory.certPem] },
      ca: root,
    },
    start: false,
  });
  try {
    const initial = await factory.issue({ commonName: pair.identity, organization: ORG });
    const station = await pair.restart({
      versions: ['ocpp2.1'],
      csms: { url: pair.url, securityProfile: 3, tls: { ca: root.certPem, cert: initial.cert, key: initial.key! } },
    });
    await until(() => station.connected, 5000, 'connected');
    const back = new Promise<void>((resolve) => {
      let dropped = false;
      pair.csms.on('disconnect', (s) => s.identity === pair.identity && (dropped = true));
      pair.csms.on('station', (s) => s.identity === pair.identity && dropped && resolve());
    });
    await pair.csms.call(pair.identity, 'TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' });
    const sign = await pair.waitFor('SignCertificate');
    const requestId = (sign.request as { requestId?: number }).requestId;
    assert.type(requestId, 'number');
    const signed = await pair.csms.waitFor((m) => m.direction === 'out' && m.action === 'CertificateSigned');
    assert.is((signed.request as { requestId?: number }).requestId, requestId);
    assert.equal(signed.response, { status: 'Accepted' });
    await back;
    const own = station.certificates.installed().filter((c) => c.use === 'ChargingStationCertificate');
    assert.is(own.length, 1);
    assert.match(own[0]!.issuer, /CSO Root/);
  } finally {
    await pair.close();
  }
});

test.run();
