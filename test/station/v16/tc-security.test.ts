// OCTT 1.6 test cases of the security whitepaper (edition 3) this station covers so far, over real sockets against
// the built-in CSMS in 1.6, with certificates made at test time, a real FTP server for the log upload and a real
// SQLite file: InstallCertificate / GetInstalledCertificateIds / DeleteCertificate (TC_075_1/2, TC_076), the
// InvalidCentralSystemCertificate security event (TC_078), GetLog of the security log (TC_079), and
// ExtendedTriggerMessage.
// @timeout 120
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
// pki.js first: it loads the reflect polyfill @peculiar/x509 needs.
import { createCa, issue } from '../../support/pki.js';
import * as x509 from '@peculiar/x509';
import { startFtpServer } from '../../support/file-servers.js';
import { accepted, startPair16, type Pair16 } from '../../support/pair16.js';

async function securePair(station: Parameters<typeof startPair16>[0] = {}): Promise<Pair16> {
  const p = await startPair16(station);
  await accepted(p);
  await p.status(1, 'Available');
  return p;
}

/** The parts of the certificate hash data a CSMS computes from the certificate alone (the issuer is itself). */
function expectedHash(pem: string) {
  const cert = new x509.X509Certificate(pem);
  return {
    serialNumber: cert.serialNumber.replace(/^0+(?=.)/, '').toLowerCase(),
    issuerNameHash: createHash('sha256').update(new Uint8Array(cert.issuerName.toArrayBuffer())).digest('hex'),
  };
}

// The status table reads a test's name literally: one test per case, the same steps.
const installsRoot = (certificateType: 'ManufacturerRootCertificate' | 'CentralSystemRootCertificate') => async () => {
  const p = await securePair();
  try {
    assert.equal(await p.call('GetInstalledCertificateIds', { certificateType }), { status: 'NotFound' });
    const ca = await createCa(`${certificateType} test root`);
    assert.equal(await p.call('InstallCertificate', { certificateType, certificate: ca.cert }), {
      status: 'Accepted',
    });
    const ids = await p.call('GetInstalledCertificateIds', { certificateType });
    assert.is(ids.status, 'Accepted');
    assert.is(ids.certificateHashData.length, 1);
    const h = ids.certificateHashData[0];
    assert.is(h.hashAlgorithm, 'SHA256');
    assert.equal({ serialNumber: h.serialNumber, issuerNameHash: h.issuerNameHash }, expectedHash(ca.cert));
    // The other type is not mixed in.
    const other =
      certificateType === 'ManufacturerRootCertificate'
        ? 'CentralSystemRootCertificate'
        : 'ManufacturerRootCertificate';
    assert.equal(await p.call('GetInstalledCertificateIds', { certificateType: other }), { status: 'NotFound' });
    // Kept across a restart (the store is a file).
    const again = await p.restart();
    await accepted({ ...p, station: again });
    const after = await p.call('GetInstalledCertificateIds', { certificateType });
    assert.equal(after.certificateHashData, ids.certificateHashData);
  } finally {
    await p.close();
  }
};

test(
  'TC_075_1_CS install a ManufacturerRootCertificate: Accepted, then listed by GetInstalledCertificateIds',
  installsRoot('ManufacturerRootCertificate'),
);
test(
  'TC_075_2_CS install a CentralSystemRootCertificate: Accepted, then listed by GetInstalledCertificateIds',
  installsRoot('CentralSystemRootCertificate'),
);

test('TC_076_CS delete a specific certificate: Accepted, no longer listed; again: NotFound', async () => {
  const p = await securePair();
  try {
    const a = await createCa('root A');
    const b = await createCa('root B');
    for (const ca of [a, b])
      await p.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: ca.cert });
    const ids = await p.call('GetInstalledCertificateIds', { certificateType: 'CentralSystemRootCertificate' });
    assert.is(ids.certificateHashData.length, 2);
    const target = ids.certificateHashData.find((h: any) => h.serialNumber === expectedHash(a.cert).serialNumber);
    assert.equal(await p.call('DeleteCertificate', { certificateHashData: target }), { status: 'Accepted' });
    const left = await p.call('GetInstalledCertificateIds', { certificateType: 'CentralSystemRootCertificate' });
    assert.equal(
      left.certificateHashData.map((h: any) => h.serialNumber),
      [expectedHash(b.cert).serialNumber],
    );
    assert.equal(await p.call('DeleteCertificate', { certificateHashData: target }), { status: 'NotFound' });
  } finally {
    await p.close();
  }
});

test('TC_078_CS an invalid CentralSystemRootCertificate: Rejected and the InvalidCentralSystemCertificate security event', async () => {
  const p = await securePair();
  try {
    const ca = await createCa('issuing CA');
    const leaf = await issue(ca, { commonName: 'not a CA' });
    assert.equal(
      await p.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: leaf.cert }),
      { status: 'Rejected' },
    );
    const event = await p.waitFor(
      'SecurityEventNotification',
      (m) => (m.request as any).type === 'InvalidCentralSystemCertificate',
    );
    assert.type((event.request as any).timestamp, 'string');
    assert.equal(
      await p.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: 'garbage' }),
      { status: 'Rejected' },
    );
    assert.equal(await p.call('GetInstalledCertificateIds', { certificateType: 'CentralSystemRootCertificate' }), {
      status: 'NotFound',
    });
  } finally {
    await p.close();
  }
});

test('TC_079_CS get the security log: Accepted with a file name, Uploading, Uploaded, the log on the FTP server', async () => {
  const ftp = await startFtpServer();
  const p = await securePair();
  try {
    // Something in the security log: a certificate installed (ReconfigurationOfSecurityParameters).
    const ca = await createCa('logged root');
    await p.call('InstallCertificate', { certificateType: 'ManufacturerRootCertificate', certificate: ca.cert });
    const res = await p.call('GetLog', {
      logType: 'SecurityLog',
      requestId: 79,
      log: { remoteLocation: `${ftp.url}/` },
    });
    assert.is(res.status, 'Accepted');
    assert.type(res.filename, 'string');
    await p.waitFor('LogStatusNotification', (m) => (m.request as any).status === 'Uploaded', 10000);
    assert.equal(
      p.sent('LogStatusNotification').map((m) => [(m.request as any).status, (m.request as any).requestId]),
      [
        ['Uploading', 79],
        ['Uploaded', 79],
      ],
    );
    assert.ok(ftp.read(res.filename).toString().includes('ReconfigurationOfSecurityParameters'));
  } finally {
    await p.close();
    await ftp.close();
  }
});

test('TC_079_CS GetLog: a location the station cannot use, or an empty window, is Rejected', async () => {
  const p = await securePair();
  try {
    assert.equal(
      await p.call('GetLog', { logType: 'SecurityLog', requestId: 1, log: { remoteLocation: 'sftp://127.0.0.1/x' } }),
      { status: 'Rejected' },
    );
    assert.equal(
      await p.call('GetLog', {
        logType: 'SecurityLog',
        requestId: 2,
        log: { remoteLocation: 'ftp://127.0.0.1/', latestTimestamp: '2000-01-01T00:00:00Z' },
      }),
      { status: 'Rejected' },
    );
    // No diagnostics source (no diagnosticsLog callback).
    assert.equal(
      await p.call('GetLog', { logType: 'DiagnosticsLog', requestId: 3, log: { remoteLocation: 'ftp://127.0.0.1/' } }),
      { status: 'Rejected' },
    );
  } finally {
    await p.close();
  }
});

test('ExtendedTriggerMessage (security whitepaper): the messages it lists, the log and firmware status of the moment, Rejected for a connector that does not exist', async () => {
  const p = await securePair();
  try {
    for (const [requestedMessage, action] of [
      ['BootNotification', 'BootNotification'],
      ['Heartbeat', 'Heartbeat'],
      ['StatusNotification', 'StatusNotification'],
      ['LogStatusNotification', 'LogStatusNotification'],
      ['FirmwareStatusNotification', 'SignedFirmwareStatusNotification'],
    ] as const) {
      const since = p.csms.log.length - 1;
      assert.equal(await p.call('ExtendedTriggerMessage', { requestedMessage, connectorId: 1 }), {
        status: 'Accepted',
      });
      const m = await p.csms.waitFor((x) => x.direction === 'in' && x.action === action, 5000, since);
      if (action === 'LogStatusNotification' || action === 'SignedFirmwareStatusNotification')
        assert.is((m.request as any).status, 'Idle');
    }
    assert.equal(await p.call('ExtendedTriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 9 }), {
      status: 'Rejected',
    });
  } finally {
    await p.close();
  }
});

test('security whitepaper keys: SecurityProfile, CertificateStoreMaxLength and CpoName are reported; SecurityProfile is not raised without a password (whitepaper A05, its FR.02)', async () => {
  const p = await securePair({ station: { certificates: { maxEntries: 7 } } });
  try {
    const res = await p.call('GetConfiguration', { key: ['SecurityProfile', 'CertificateStoreMaxLength', 'CpoName'] });
    const values = Object.fromEntries(res.configurationKey.map((k: any) => [k.key, k.value]));
    assert.equal(values, { SecurityProfile: '0', CertificateStoreMaxLength: '7', CpoName: '' });
    assert.equal(await p.call('ChangeConfiguration', { key: 'SecurityProfile', value: '1' }), { status: 'Rejected' });
    assert.equal(await p.call('ChangeConfiguration', { key: 'CpoName', value: 'ACME CPO' }), { status: 'Accepted' });
  } finally {
    await p.close();
  }
});

test('security whitepaper renewal initiated by the Charge Point (its A03): certificates.renew() sends SignCertificate with a CSR for the identity', async () => {
  const p = await securePair({ station: { variables: { CpoName: 'ACME CPO' } } });
  try {
    p.station.certificates.renew();
    const sign = await p.waitFor('SignCertificate');
    const csr = new x509.Pkcs10CertificateRequest((sign.request as { csr: string }).csr);
    assert.match(csr.subject, new RegExp(`CN=${p.identity}`));
    assert.match(csr.subject, /O=ACME CPO/);
  } finally {
    await p.close();
  }
});

test.run();
