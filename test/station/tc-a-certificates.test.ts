// Part 6 TC_A_11–23 and TC_M_*_CS over real TLS on 127.0.0.1: the built-in CSMS with a CA made at test time signs
// the station's CSRs (SignCertificate → CertificateSigned), the station verifies, installs and reconnects with the
// new certificate (security profile 3, mutual TLS). Every certificate is made at test time (M-certificates/ca.ts).
import 'reflect-metadata';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { statSync, readdirSync } from 'node:fs';
import * as x509 from '@peculiar/x509';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import { CertificateAuthority } from '../../runtime/station/M-certificates/ca.js';
import { until } from '../support/rpc-harness.js';
import { startPair, type Pair } from '../support/station-harness.js';

const ORG = 'ocppkit tests';

interface Setup {
  pair: Pair;
  root: CertificateAuthority;
  server: { cert: string; key?: string };
  factory: CertificateAuthority;
}

/** A profile-3 pair: the CSMS accepts station certificates of the CSO root and (until told otherwise) the factory CA. */
async function profile3(variables: Record<string, string | boolean> = {}): Promise<Setup> {
  const [root, factory] = await Promise.all([
    CertificateAuthority.create({ commonName: 'CSO Root', organization: ORG }),
    CertificateAuthority.create({ commonName: 'Factory CA', organization: 'Manufacturer' }),
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
  // The certificate the station left the factory with (A02.FR.01: to be replaced after installation).
  const initial = await factory.issue({ commonName: pair.identity, organization: ORG });
  await pair.restart({
    csms: { url: pair.url, securityProfile: 3, tls: { ca: root.certPem, cert: initial.cert, key: initial.key! } },
    variables,
  });
  await pair.waitFor('BootNotification');
  await until(() => pair.station.connected, 5000, 'connected');
  return { pair, root, server, factory };
}

async function stationConnects(csms: SimpleCsms, identity: string, after: () => unknown): Promise<void> {
  const connected = new Promise<void>((resolve) => csms.on('station', (s) => s.identity === identity && resolve()));
  await after();
  await connected;
}

test('TC_A_11_CS A02.FR.02 A02.FR.03 A02.FR.06 A02.FR.08 A00.FR.401: the CSMS triggers a key update; the station reconnects with the certificate it signed', async () => {
  const { pair, root, server } = await profile3();
  try {
    const { csms, identity } = pair;
    const reconnected = new Promise<void>((resolve) => {
      let disconnected = false;
      csms.on('disconnect', (s) => s.identity === identity && (disconnected = true));
      csms.on('station', (s) => s.identity === identity && disconnected && resolve());
    });
    assert.equal(await csms.call(identity, 'TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' }), {
      status: 'Accepted',
    });
    const sign = await pair.waitFor('SignCertificate');
    assert.equal((sign.request as any).certificateType, 'ChargingStationCertificate');
    assert.equal(sign.response, { status: 'Accepted' });
    const signed = await csms.waitFor((m) => m.direction === 'out' && m.action === 'CertificateSigned');
    assert.equal(signed.response, { status: 'Accepted' });
    await reconnected;
    const own = pair.station.certificates.installed().filter((c) => c.use === 'ChargingStationCertificate');
    assert.equal(own.length, 1);
    assert.match(own[0]!.issuer, /CSO Root/);
    // The proof that the connection uses it: a CSMS that trusts the CSO root alone still lets the station in.
    const port = Number(new URL(pair.url).port);
    await csms.close();
    const strict = new SimpleCsms({
      versions: ['ocpp2.0.1'],
      securityProfile: 3,
      tls: { cert: server.cert, key: server.key!, ca: root.certPem },
    });
    try {
      await stationConnects(strict, identity, () => strict.listen(port));
    } finally {
      await strict.close();
    }
  } finally {
    await pair.close();
  }
});

test('A02.FR.01: with certificates.replaceInitialCertificate the station asks by itself for a certificate of the CSMS at its first connection with the factory one, and reconnects with it', async () => {
  const [root, factory] = await Promise.all([
    CertificateAuthority.create({ commonName: 'CSO Root', organization: ORG }),
    CertificateAuthority.create({ commonName: 'Factory CA', organization: 'Manufacturer' }),
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
  try {
    const initial = await factory.issue({ commonName: pair.identity, organization: ORG });
    const back = new Promise<void>((resolve) => {
      let dropped = false;
      pair.csms.on('disconnect', (s) => s.identity === pair.identity && (dropped = true));
      pair.csms.on('station', (s) => s.identity === pair.identity && dropped && resolve());
    });
    const triggers: string[] = [];
    pair.csms.on('message', (m) => m.direction === 'out' && m.action === 'TriggerMessage' && triggers.push(m.action));
    const station = await pair.restart({
      csms: { url: pair.url, securityProfile: 3, tls: { ca: root.certPem, cert: initial.cert, key: initial.key! } },
      certificates: { replaceInitialCertificate: true },
    });
    const sign = await pair.waitFor('SignCertificate');
    assert.is((sign.request as { certificateType?: string }).certificateType, 'ChargingStationCertificate');
    assert.equal(triggers, [], 'on the station’s initiative, not triggered');
    await back;
    const own = station.certificates.installed().filter((c) => c.use === 'ChargingStationCertificate');
    assert.is(own.length, 1);
    assert.match(own[0]!.issuer, /CSO Root/);
  } finally {
    await pair.close();
  }
});

test('TC_A_14_CS A02.FR.07 A02.FR.20: a CertificateSigned whose chain does not verify is Rejected, InvalidChargingStationCertificate is sent, the connection stays', async () => {
  const { pair } = await profile3();
  try {
    const { csms, identity } = pair;
    const stranger = await CertificateAuthority.create({ commonName: 'Stranger', organization: ORG });
    let dropped = false;
    csms.on('disconnect', (s) => s.identity === identity && (dropped = true));
    const foreign = await stranger.issue({ commonName: identity, organization: ORG });
    const answers = [
      await csms.call(identity, 'CertificateSigned', { certificateChain: foreign.cert }),
      await csms.call(identity, 'CertificateSigned', {
        certificateChain: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
      }),
    ];
    for (const a of answers) assert.equal((a as any).status, 'Rejected');
    const event = await pair.waitFor(
      'SecurityEventNotification',
      (m) => (m.request as any).type === 'InvalidChargingStationCertificate',
    );
    assert.ok(event);
    assert.equal(await csms.call(identity, 'GetInstalledCertificateIds', {}), { status: 'NotFound' });
    assert.not.ok(dropped, 'the connection was not touched');
    assert.ok(csms.isConnected(identity));
  } finally {
    await pair.close();
  }
});

test('TC_A_12_CS A02.FR.13 M03.FR.05 TC_M_15_CS: a V2G certificate by request of the CSMS, then reported with its chain', async () => {
  const { pair, root } = await profile3();
  try {
    const { csms, identity } = pair;
    // The V2G root the CSMS's CA chains to.
    assert.equal(await csms.installCertificate(identity, 'V2GRootCertificate', root.certPem), { status: 'Accepted' });
    let dropped = false;
    csms.on('disconnect', (s) => s.identity === identity && (dropped = true));
    assert.equal(await csms.call(identity, 'TriggerMessage', { requestedMessage: 'SignV2GCertificate' }), {
      status: 'Accepted',
    });
    const sign = await pair.waitFor('SignCertificate');
    assert.equal((sign.request as any).certificateType, 'V2GCertificate');
    const signed = await csms.waitFor(
      (m) => m.direction === 'out' && m.action === 'CertificateSigned' && m.response !== undefined,
    );
    assert.equal(signed.response, { status: 'Accepted' });
    const ids = (await csms.call(identity, 'GetInstalledCertificateIds', {
      certificateType: ['V2GCertificateChain'],
    })) as any;
    assert.equal(ids.status, 'Accepted');
    assert.equal(ids.certificateHashDataChain.length, 1);
    assert.equal(ids.certificateHashDataChain[0].certificateType, 'V2GCertificateChain');
    assert.not.ok(dropped, 'a V2G certificate does not touch the CSMS connection');
  } finally {
    await pair.close();
  }
});

test('TC_A_12_CS A02 SignV2GCertificate: the V2G CSR names the SECC (CN ISO15118Ctrlr.SeccId, O its OrganizationName, C its CountryName), not the station', async () => {
  const { pair, root } = await profile3({
    'ISO15118Ctrlr.SeccId': 'SECC-7',
    'ISO15118Ctrlr.OrganizationName': 'V2G Operator',
    'ISO15118Ctrlr.CountryName': 'NL',
    'ISO15118Ctrlr.ContractValidationOffline': false,
  });
  try {
    const { csms, identity } = pair;
    assert.equal(await csms.installCertificate(identity, 'V2GRootCertificate', root.certPem), { status: 'Accepted' });
    await csms.call(identity, 'TriggerMessage', { requestedMessage: 'SignV2GCertificate' });
    const sign = await pair.waitFor('SignCertificate');
    const csr = new x509.Pkcs10CertificateRequest((sign.request as { csr: string }).csr);
    const names = csr.subjectName.toJSON();
    const rdn = (type: string) => names.flatMap((n) => n[type] ?? []);
    assert.equal(rdn('CN'), ['SECC-7']);
    assert.equal(rdn('O'), ['V2G Operator']);
    assert.equal(rdn('C'), ['NL']);
    // The station takes the certificate the CA made from that CSR, and it is the V2G one.
    const signed = await csms.waitFor(
      (m) => m.direction === 'out' && m.action === 'CertificateSigned' && m.response !== undefined,
    );
    assert.equal(signed.response, { status: 'Accepted' });
    const v2g = pair.station.certificates.installed().filter((c) => c.use === 'V2GCertificate');
    assert.equal(v2g.length, 1);
    assert.match(v2g[0]!.subject, /CN=SECC-7/);
    // The station certificate keeps the station's name.
    await csms.call(identity, 'TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' });
    const own = await pair.waitFor(
      'SignCertificate',
      (m) => (m.request as any).certificateType === 'ChargingStationCertificate',
    );
    const ownNames = new x509.Pkcs10CertificateRequest((own.request as { csr: string }).csr).subjectName.toJSON();
    assert.equal(
      ownNames.flatMap((n) => n['CN'] ?? []),
      [identity],
    );
    assert.equal(
      ownNames.flatMap((n) => n['O'] ?? []),
      [ORG],
    );
  } finally {
    await pair.close();
  }
});

test('A02.FR.05: the private keys are files of their own, owner-only, next to the store', async () => {
  const { pair } = await profile3();
  try {
    await pair.csms.call(pair.identity, 'TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' });
    await pair.waitFor('SignCertificate');
    const folder = `${pair.dbPath}.keys`;
    await until(() => readdirSync(folder).length > 0, 5000, 'a key file');
    assert.equal(statSync(folder).mode & 0o777, 0o700);
    for (const f of readdirSync(folder)) assert.equal(statSync(`${folder}/${f}`).mode & 0o777, 0o600, f);
  } finally {
    await pair.close();
  }
});

test('TC_M_01_CS TC_M_03_CS TC_M_12_CS TC_M_14_CS TC_M_18_CS: install, list and delete CA certificates over the wire', async () => {
  const { pair } = await profile3();
  try {
    const { csms, identity } = pair;
    const mo = await CertificateAuthority.create({ commonName: 'MO Root' });
    const v2g = await CertificateAuthority.create({ commonName: 'V2G Root' });
    assert.equal(await csms.installCertificate(identity, 'MORootCertificate', mo.certPem), { status: 'Accepted' });
    assert.equal(await csms.installCertificate(identity, 'V2GRootCertificate', v2g.certPem), { status: 'Accepted' });
    const ids = (await csms.call(identity, 'GetInstalledCertificateIds', {
      certificateType: ['MORootCertificate'],
    })) as any;
    assert.equal(ids.status, 'Accepted');
    assert.equal(ids.certificateHashDataChain.length, 1);
    const hash = ids.certificateHashDataChain[0].certificateHashData;
    assert.equal(await csms.call(identity, 'DeleteCertificate', { certificateHashData: hash }), { status: 'Accepted' });
    assert.equal(await csms.call(identity, 'DeleteCertificate', { certificateHashData: hash }), { status: 'NotFound' });
    const left = (await csms.call(identity, 'GetInstalledCertificateIds', {})) as any;
    assert.equal(
      left.certificateHashDataChain.map((c: any) => c.certificateType),
      ['V2GRootCertificate'],
    );
    assert.equal((await csms.installCertificate(identity, 'CSMSRootCertificate', 'not a certificate')) as any, {
      status: 'Rejected',
      statusInfo: { reasonCode: 'InvalidCertificate', additionalInfo: 'not a PEM certificate (chain)' },
    });
    assert.ok(csms.isConnected(identity), 'bad input leaves the connection alone');
  } finally {
    await pair.close();
  }
});

test.run();
