// Block M (M03–M05) and A02/A03 on the station, through the real Shell with a ManualClock set to the real time (the
// certificates are made at test time by a real CA, runtime/station/M-certificates/ca.ts) and a real key folder.
// The hash data are checked against an independent computation with @peculiar/asn1-x509's parser.
import 'reflect-metadata';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { Pkcs10CertificateRequest } from '@peculiar/x509';
import { ManualClock } from '../../runtime/queue/clock.js';
import { readSecurityLog } from '../../runtime/station/A-security/security-log.js';
import { CertificateAuthority } from '../../runtime/station/M-certificates/ca.js';
import { certificatesUseCase } from '../../runtime/station/M-certificates/certificates.js';
import { currentOwnCertificate } from '../../runtime/station/M-certificates/chains.js';
import { KeyFolder, listCertificates } from '../../runtime/station/M-certificates/store.js';
import { parseChain } from '../../runtime/station/M-certificates/pki.js';
import { tlsWithInstalled } from '../../runtime/station/M-certificates/tls.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import { until } from '../support/rpc-harness.js';
import { drive, type Driver } from '../support/shell-driver.js';

const DAY = 86_400_000;
let messageId = 0;

/** The station's answer to a CSMS request, with what follows it performed (the CALLRESULT went out). */
function call(d: Driver, action: string, request: unknown): any {
  const id = `m${++messageId}`;
  const response = d.shell.answer(action, request, id);
  d.shell.answered(id);
  return response;
}

async function setup(options: { maxEntries?: number; variables?: Record<string, string | number | boolean> } = {}) {
  const folder = mkdtempSync(join(tmpdir(), 'ocppkit-certs-'));
  const keys = new KeyFolder(join(folder, 'keys'));
  const d = drive([certificatesUseCase({ keys, maxEntries: options.maxEntries ?? 50 })], {
    clock: new ManualClock(Date.now()),
    variables: { 'SecurityCtrlr.OrganizationName': 'Test CSO', ...options.variables },
  });
  d.dispatch({ type: 'started', reason: 'PowerUp' });
  return { d, keys, folder, close: () => (d.shell.stop(), rmSync(folder, { recursive: true, force: true })) };
}

/** An independent CertID (RFC 6960): hash of the issuer name's DER and of the issuer's subjectPublicKey bits. */
function expectedHashData(certPem: string, issuerPem: string) {
  const der = (pem: string) => new X509Certificate(pem).raw;
  const cert = AsnConvert.parse(der(certPem), Certificate);
  const issuer = AsnConvert.parse(der(issuerPem), Certificate);
  const sha = (b: ArrayBuffer | Buffer) =>
    createHash('sha256')
      .update(Buffer.from(b as ArrayBuffer))
      .digest('hex');
  return {
    hashAlgorithm: 'SHA256',
    issuerNameHash: sha(AsnConvert.serialize(cert.tbsCertificate.issuer)),
    issuerKeyHash: sha(issuer.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey),
    serialNumber: new X509Certificate(certPem).serialNumber.toLowerCase().replace(/^0+/, ''),
  };
}

test('M05.FR.01 M05.FR.02 M03.FR.01 M03.FR.03 M03.FR.04 TC_M_01_CS TC_M_12_CS: an installed CSMS root is reported with the hash data RFC 6960 defines', async () => {
  const s = await setup();
  try {
    const root = await CertificateAuthority.create({ commonName: 'CSMS Root', organization: 'Test CSO' });
    assert.equal(
      call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: root.certPem }),
      {
        status: 'Accepted',
      },
    );
    const res = call(s.d, 'GetInstalledCertificateIds', { certificateType: ['CSMSRootCertificate'] });
    assert.equal(res.status, 'Accepted');
    assert.equal(res.certificateHashDataChain, [
      { certificateType: 'CSMSRootCertificate', certificateHashData: expectedHashData(root.certPem, root.certPem) },
    ]);
    assert.equal(s.d.variables.int('SecurityCtrlr', 'CertificateEntries'), 1, 'CertificateEntries counts it');
  } finally {
    s.close();
  }
});

test('M03.FR.02 TC_M_19_CS TC_M_18_CS TC_M_03_CS: no certificate of the type asked for: NotFound; without a type, all', async () => {
  const s = await setup();
  try {
    const root = await CertificateAuthority.create({ commonName: 'V2G Root' });
    call(s.d, 'InstallCertificate', { certificateType: 'V2GRootCertificate', certificate: root.certPem });
    assert.equal(call(s.d, 'GetInstalledCertificateIds', { certificateType: ['MORootCertificate'] }), {
      status: 'NotFound',
    });
    const all = call(s.d, 'GetInstalledCertificateIds', {});
    assert.equal(
      all.certificateHashDataChain.map((c: any) => c.certificateType),
      ['V2GRootCertificate'],
      'without a type: every certificate',
    );
  } finally {
    s.close();
  }
});

test('M05.FR.07 TC_M_07_CS: malformed PEM, a damaged signature, a chain, a leaf, an expired root: Rejected, nothing installed', async () => {
  const s = await setup();
  try {
    const root = await CertificateAuthority.create({ commonName: 'Root' });
    const leaf = await root.issue({ commonName: 'leaf' });
    const expired = await CertificateAuthority.create(
      { commonName: 'Old' },
      { notBefore: Date.now() - 400 * DAY, days: 30 },
    );
    const lines = root.certPem.trim().split('\n');
    // Malformed: a line of the DER gone (it no longer parses); damaged: the signature's last bytes changed.
    const truncated = [...lines.slice(0, 3), ...lines.slice(4)].join('\n');
    const last = lines.length - 2;
    const damaged = [
      ...lines.slice(0, last),
      lines[last]!.replace(/[A-Za-z0-9+/]{4}(?==*$)/, (q) => (q === 'AAAA' ? 'BBBB' : 'AAAA')),
      ...lines.slice(last + 1),
    ].join('\n');
    const cases = ['not a certificate', truncated, damaged, root.certPem + root.certPem, leaf.cert, expired.certPem];
    for (const certificate of cases) {
      const res = call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate });
      assert.equal(res.status, 'Rejected', certificate.slice(0, 40));
    }
    assert.equal(listCertificates(s.d.store).length, 0);
  } finally {
    s.close();
  }
});

test('M05.FR.17 M05.FR.06: the same certificate again replaces it; beyond CertificateEntries maxLimit: Rejected', async () => {
  const s = await setup({ maxEntries: 2 });
  try {
    const [a, b, c] = await Promise.all([1, 2, 3].map((n) => CertificateAuthority.create({ commonName: `Root ${n}` })));
    for (const ca of [a!, b!, a!])
      assert.equal(
        call(s.d, 'InstallCertificate', { certificateType: 'MORootCertificate', certificate: ca.certPem }).status,
        'Accepted',
      );
    assert.equal(listCertificates(s.d.store).length, 2);
    const res = call(s.d, 'InstallCertificate', { certificateType: 'MORootCertificate', certificate: c!.certPem });
    assert.equal(res.status, 'Rejected');
    assert.equal(listCertificates(s.d.store).length, 2);
  } finally {
    s.close();
  }
});

test('M05.FR.09 M05.FR.10 M05.FR.11 M05.FR.12 M05.FR.13 TC_M_09_CS TC_M_30_CS: AdditionalRootCertificateCheck: a new CSMS root signed by the old one replaces it, the old kept until connected', async () => {
  const s = await setup({ variables: { 'SecurityCtrlr.AdditionalRootCertificateCheck': true } });
  try {
    const old = await CertificateAuthority.create({ commonName: 'Root 2025' });
    const stranger = await CertificateAuthority.create({ commonName: 'Stranger' });
    call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: old.certPem });
    assert.equal(
      call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: stranger.certPem }).status,
      'Rejected',
    );
    const successor = await old.issue({ commonName: 'Root 2026' }, { ca: true });
    assert.equal(
      call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: successor.cert }).status,
      'Accepted',
    );
    assert.equal(listCertificates(s.d.store, 'CSMSRootCertificate').length, 2, 'the old one stays as fallback');
    s.d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
    const left = listCertificates(s.d.store, 'CSMSRootCertificate');
    assert.equal(left.length, 1);
    assert.equal(left[0]!.pem, successor.cert);
  } finally {
    s.close();
  }
});

test('M04.FR.01 M04.FR.02 M04.FR.04 TC_M_20_CS TC_M_22_CS TC_M_04_CS TC_M_16_CS: DeleteCertificate by its hash data; unknown hash data: NotFound', async () => {
  const s = await setup();
  try {
    const root = await CertificateAuthority.create({ commonName: 'MO Root' });
    call(s.d, 'InstallCertificate', { certificateType: 'MORootCertificate', certificate: root.certPem });
    const ids = call(s.d, 'GetInstalledCertificateIds', { certificateType: ['MORootCertificate'] });
    const hash = ids.certificateHashDataChain[0].certificateHashData;
    assert.equal(call(s.d, 'DeleteCertificate', { certificateHashData: { ...hash, serialNumber: 'abc' } }), {
      status: 'NotFound',
    });
    assert.equal(call(s.d, 'DeleteCertificate', { certificateHashData: hash }), { status: 'Accepted' });
    assert.equal(call(s.d, 'GetInstalledCertificateIds', { certificateType: ['MORootCertificate'] }), {
      status: 'NotFound',
    });
    assert.equal(call(s.d, 'DeleteCertificate', { certificateHashData: hash }), { status: 'NotFound' });
    assert.equal(s.d.variables.int('SecurityCtrlr', 'CertificateEntries'), 0);
  } finally {
    s.close();
  }
});

test('M04.FR.03: the only CSMS root while the connection uses TLS (security profile 2) is not deleted: Failed', async () => {
  const s = await setup({ variables: { 'SecurityCtrlr.SecurityProfile': 2 } });
  try {
    const root = await CertificateAuthority.create({ commonName: 'CSMS Root' });
    call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: root.certPem });
    const hash = call(s.d, 'GetInstalledCertificateIds', {}).certificateHashDataChain[0].certificateHashData;
    assert.equal(call(s.d, 'DeleteCertificate', { certificateHashData: hash }).status, 'Failed');
    assert.equal(listCertificates(s.d.store, 'CSMSRootCertificate').length, 1, 'still installed');
  } finally {
    s.close();
  }
});

/** Triggers a CSR for `message` and waits for the SignCertificate it leads to. */
async function csrFor(s: Awaited<ReturnType<typeof setup>>, message: string) {
  s.d.dispatch({ type: 'triggered', requestedMessage: message });
  await until(() => s.d.pending('SignCertificate').length > 0, 5000, 'a SignCertificate');
  const sent = s.d.pending('SignCertificate');
  assert.equal(sent.length, 1, 'one SignCertificate');
  return sent[0]!;
}

test('A02.FR.02 A02.FR.03 A02.FR.05 A02.FR.06 A02.FR.08 A02.FR.13 A03.FR.05 A03.FR.06 A03.FR.08 A03.FR.13 TC_A_11_CS: a triggered key update: CSR with O and CN, key 0600, the signed certificate installed and the connection switched', async () => {
  const s = await setup();
  try {
    const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: 'Test CSO' });
    call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: root.certPem });
    const sign = await csrFor(s, 'SignChargingStationCertificate');
    assert.equal(sign.payload.certificateType, 'ChargingStationCertificate');
    const csr = new Pkcs10CertificateRequest(sign.payload.csr);
    assert.equal(csr.subjectName.getField('O'), ['Test CSO']);
    assert.equal(csr.subjectName.getField('CN'), ['CS001']);
    assert.ok(await csr.verify(), 'the CSR is signed by its key');
    const files = readdirSync(s.keys.path);
    assert.equal(files.length, 1, 'one private key');
    assert.equal(statSync(join(s.keys.path, files[0]!)).mode & 0o777, 0o600);
    assert.equal(statSync(s.keys.path).mode & 0o777, 0o700);
    assert.not.match(JSON.stringify(sign.payload), /PRIVATE KEY/, 'A02.FR.05: the key never leaves');
    sign.answer({ status: 'Accepted' });
    await s.d.settle();
    const sub = await root.subCa({ commonName: 'CSO Sub', organization: 'Test CSO' });
    const cert = await sub.signCsr(sign.payload.csr);
    assert.equal(
      call(s.d, 'CertificateSigned', {
        certificateChain: cert + sub.certPem,
        certificateType: 'ChargingStationCertificate',
      }),
      {
        status: 'Accepted',
      },
    );
    const own = listCertificates(s.d.store, 'ChargingStationCertificate');
    assert.equal(own.length, 1);
    assert.equal(own[0]!.keyId + '.key', files[0]);
  } finally {
    s.close();
  }
});

test('A02.FR.07 A02.FR.16 A02.FR.20 A03.FR.07 A03.FR.16 TC_A_14_CS: a chain that does not verify, another key, an expired certificate, malformed PEM, too large: Rejected with InvalidChargingStationCertificate', async () => {
  const s = await setup({ variables: { 'SecurityCtrlr.MaxCertificateChainSize': 4000 } });
  try {
    const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: 'Test CSO' });
    const stranger = await CertificateAuthority.create({ commonName: 'Elsewhere', organization: 'Test CSO' });
    call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: root.certPem });
    const other = await root.issue({ commonName: 'CS001', organization: 'Test CSO' });
    const cases: [string, (csr: string) => Promise<string>][] = [
      ['chain to an unknown root', (csr) => stranger.signCsr(csr)],
      ['another key', async () => other.cert],
      ['expired', (csr) => root.signCsr(csr, { notBefore: Date.now() - 10 * DAY, days: 1 })],
      ['malformed', async () => '-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----'],
      ['too large', async (csr) => (await root.signCsr(csr)).repeat(8)],
    ];
    for (const [what, make] of cases) {
      const sign = await csrFor(s, 'SignChargingStationCertificate');
      sign.answer({ status: 'Accepted' });
      await s.d.settle();
      const res = call(s.d, 'CertificateSigned', { certificateChain: await make(sign.payload.csr) });
      assert.equal(res.status, 'Rejected', what);
      assert.equal(listCertificates(s.d.store, 'ChargingStationCertificate').length, 0, what);
      const log = readSecurityLog(s.d.store);
      assert.equal(log[log.length - 1]!.type, 'InvalidChargingStationCertificate', what);
      const notice = s.d.pending('SecurityEventNotification');
      assert.equal(notice[notice.length - 1]!.payload.type, 'InvalidChargingStationCertificate', 'critical: sent');
    }
    await s.d.settle();
    assert.equal(readdirSync(s.keys.path), [], 'the keys of the refused CSRs are discarded');
  } finally {
    s.close();
  }
});

test('A02.FR.17 A02.FR.18 A02.FR.19 A03.FR.17 A03.FR.18 A03.FR.19 TC_A_23_CS: no CertificateSigned: the CSR again after CertSigningWaitMinimum, doubling, CertSigningRepeatTimes times', async () => {
  const s = await setup({
    variables: { 'SecurityCtrlr.CertSigningWaitMinimum': 10, 'SecurityCtrlr.CertSigningRepeatTimes': 2 },
  });
  try {
    const first = await csrFor(s, 'SignChargingStationCertificate');
    first.answer({ status: 'Accepted' });
    await s.d.settle();
    const at: number[] = [];
    const start = s.d.clock.now();
    for (let i = 0; i < 100; i++) {
      await s.d.clock.advance(1000);
      const again = s.d.pending('SignCertificate');
      if (again.length > 0) {
        at.push((s.d.clock.now() - start) / 1000);
        assert.equal(again[0]!.payload.csr, first.payload.csr, 'the same CSR');
        again[0]!.answer({ status: 'Accepted' });
        await s.d.settle();
      }
    }
    assert.equal(at, [10, 30], 'after 10 s, then 20 s more; then no more');
  } finally {
    s.close();
  }
});

test('A03.FR.02 A03.FR.03: a station certificate that expires within a month is renewed, with a new key pair', async () => {
  const s = await setup();
  try {
    const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: 'Test CSO' });
    call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: root.certPem });
    const sign = await csrFor(s, 'SignChargingStationCertificate');
    sign.answer({ status: 'Accepted' });
    await s.d.settle();
    call(s.d, 'CertificateSigned', {
      certificateChain: await root.signCsr(sign.payload.csr, { notBefore: s.d.clock.now(), days: 90 }),
    });
    s.d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
    await s.d.clock.advance(59 * DAY);
    await s.d.settle();
    assert.equal(s.d.pending('SignCertificate').length, 0, 'not yet: 31 days left');
    await s.d.clock.advance(2 * DAY);
    await until(() => s.d.pending('SignCertificate').length > 0, 5000, 'a renewal');
    const renewal = s.d.pending('SignCertificate');
    assert.equal(renewal.length, 1, 'a CSR for the renewal');
    assert.equal(renewal[0]!.payload.certificateType, 'ChargingStationCertificate');
    assert.is.not(renewal[0]!.payload.csr, sign.payload.csr, 'for a new key pair');
  } finally {
    s.close();
  }
});

test('A02.FR.10 A03.FR.10: once connected with the new certificate, the old one and its key are discarded', async () => {
  const s = await setup();
  try {
    const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: 'Test CSO' });
    call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: root.certPem });
    for (let round = 0; round < 2; round++) {
      const sign = await csrFor(s, 'SignChargingStationCertificate');
      sign.answer({ status: 'Accepted' });
      await s.d.settle();
      assert.equal(
        call(s.d, 'CertificateSigned', { certificateChain: await root.signCsr(sign.payload.csr) }).status,
        'Accepted',
      );
    }
    assert.equal(listCertificates(s.d.store, 'ChargingStationCertificate').length, 2, 'both until connected');
    s.d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
    await s.d.settle();
    const left = listCertificates(s.d.store, 'ChargingStationCertificate');
    assert.equal(left.length, 1);
    assert.equal(readdirSync(s.keys.path), [`${left[0]!.keyId}.key`]);
  } finally {
    s.close();
  }
});

test('M03.FR.05 M04.FR.06 M04.FR.02 TC_M_15_CS TC_M_23_CS TC_A_12_CS A02.FR.13: the V2G certificate with its sub-CA as child; the Charging Station certificate cannot be deleted', async () => {
  const s = await setup();
  try {
    const v2gRoot = await CertificateAuthority.create({ commonName: 'V2G Root', organization: 'Test CSO' });
    const cso = await CertificateAuthority.create({ commonName: 'CSO Root', organization: 'Test CSO' });
    call(s.d, 'InstallCertificate', { certificateType: 'V2GRootCertificate', certificate: v2gRoot.certPem });
    call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: cso.certPem });
    const v2g = await csrFor(s, 'SignV2GCertificate');
    assert.equal(v2g.payload.certificateType, 'V2GCertificate');
    v2g.answer({ status: 'Accepted' });
    await s.d.settle();
    const sub = await v2gRoot.subCa({ commonName: 'CPO Sub-CA', organization: 'Test CSO' });
    const leaf = await sub.signCsr(v2g.payload.csr);
    assert.equal(
      call(s.d, 'CertificateSigned', { certificateChain: leaf + sub.certPem, certificateType: 'V2GCertificate' })
        .status,
      'Accepted',
    );
    const res = call(s.d, 'GetInstalledCertificateIds', { certificateType: ['V2GCertificateChain'] });
    assert.equal(res.certificateHashDataChain, [
      {
        certificateType: 'V2GCertificateChain',
        certificateHashData: expectedHashData(leaf, sub.certPem),
        childCertificateHashData: [expectedHashData(sub.certPem, v2gRoot.certPem)],
      },
    ]);
    const cs = await csrFor(s, 'SignChargingStationCertificate');
    cs.answer({ status: 'Accepted' });
    await s.d.settle();
    const csCert = await cso.signCsr(cs.payload.csr);
    call(s.d, 'CertificateSigned', { certificateChain: csCert, certificateType: 'ChargingStationCertificate' });
    const res2 = call(s.d, 'DeleteCertificate', { certificateHashData: expectedHashData(csCert, cso.certPem) });
    assert.equal(res2.status, 'Failed');
    assert.equal(listCertificates(s.d.store, 'ChargingStationCertificate').length, 1);
    // The V2G certificate the report names can be deleted, with its key.
    const v2gKey = listCertificates(s.d.store, 'V2GCertificate')[0]!.keyId!;
    assert.equal(call(s.d, 'DeleteCertificate', { certificateHashData: expectedHashData(leaf, sub.certPem) }), {
      status: 'Accepted',
    });
    await s.d.settle();
    assert.equal(listCertificates(s.d.store, 'V2GCertificate').length, 0);
    assert.not.ok(readdirSync(s.keys.path).includes(`${v2gKey}.key`), 'its key is gone');
    assert.equal(call(s.d, 'GetInstalledCertificateIds', { certificateType: ['V2GCertificateChain'] }), {
      status: 'NotFound',
    });
  } finally {
    s.close();
  }
});

test('TC_A_15_CS A02.FR.12: a SignCertificate the CSMS Rejects is not repeated', async () => {
  const s = await setup({
    variables: { 'SecurityCtrlr.CertSigningWaitMinimum': 5, 'SecurityCtrlr.CertSigningRepeatTimes': 3 },
  });
  try {
    const sign = await csrFor(s, 'SignChargingStationCertificate');
    sign.answer({ status: 'Rejected' });
    await s.d.settle();
    await s.d.clock.advance(3600_000);
    assert.equal(s.d.pending('SignCertificate').length, 0);
    assert.equal(s.d.sent.filter((m) => m.action === 'SignCertificate').length, 1);
    assert.equal(readdirSync(s.keys.path), [], 'its key is discarded');
  } finally {
    s.close();
  }
});

test('TC_A_13_CS A02.FR.13: a combined certificate: the CSR carries no certificateType, the CertificateSigned without one is the station certificate', async () => {
  const s = await setup();
  try {
    const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: 'Test CSO' });
    call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: root.certPem });
    const sign = await csrFor(s, 'SignCombinedCertificate');
    assert.equal(sign.payload.certificateType, undefined);
    sign.answer({ status: 'Accepted' });
    await s.d.settle();
    assert.equal(call(s.d, 'CertificateSigned', { certificateChain: await root.signCsr(sign.payload.csr) }), {
      status: 'Accepted',
    });
    assert.equal(listCertificates(s.d.store, 'ChargingStationCertificate').length, 1);
  } finally {
    s.close();
  }
});

test("A02.FR.06 A00.FR.509: a certificate for the station's key but another CN or O is Rejected", async () => {
  const s = await setup();
  try {
    const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: 'Test CSO' });
    call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: root.certPem });
    for (const subject of [
      { commonName: 'CS999', organization: 'Test CSO' },
      { commonName: 'CS001', organization: 'Another CSO' },
    ]) {
      const sign = await csrFor(s, 'SignChargingStationCertificate');
      sign.answer({ status: 'Accepted' });
      await s.d.settle();
      const cert = await root.signCsr(sign.payload.csr, { subject });
      assert.equal(call(s.d, 'CertificateSigned', { certificateChain: cert }).status, 'Rejected', subject.commonName);
    }
    assert.equal(listCertificates(s.d.store, 'ChargingStationCertificate').length, 0);
  } finally {
    s.close();
  }
});

test('M06.FR.06 M06.FR.07 M06.FR.10 TC_M_24_CS TC_M_25_CS: after an update the station asks the OCSP status of its certificate and sub-CA, keeps it a week, not a Failed one', async () => {
  const s = await setup();
  try {
    const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: 'Test CSO' });
    const sub = await root.subCa(
      { commonName: 'CSO Sub', organization: 'Test CSO' },
      { ocsp: 'http://ocsp.root.example' },
    );
    call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: root.certPem });
    const sign = await csrFor(s, 'SignChargingStationCertificate');
    sign.answer({ status: 'Accepted' });
    await s.d.settle();
    const leaf = await sub.signCsr(sign.payload.csr, { ocsp: 'http://ocsp.sub.example' });
    call(s.d, 'CertificateSigned', { certificateChain: leaf + sub.certPem });
    s.d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
    const asked = s.d.pending('GetCertificateStatus');
    assert.equal(
      asked.map((m) => [m.payload.ocspRequestData.serialNumber, m.payload.ocspRequestData.responderURL]),
      [
        [expectedHashData(leaf, sub.certPem).serialNumber, 'http://ocsp.sub.example'],
        [expectedHashData(sub.certPem, root.certPem).serialNumber, 'http://ocsp.root.example'],
      ],
    );
    assert.equal(asked[0]!.payload.ocspRequestData.issuerKeyHash, expectedHashData(leaf, sub.certPem).issuerKeyHash);
    asked[0]!.answer({ status: 'Accepted', ocspResult: 'MIIB' });
    asked[1]!.answer({ status: 'Failed' });
    await s.d.settle();
    s.d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
    const again = s.d.pending('GetCertificateStatus');
    assert.equal(
      again.map((m) => m.payload.ocspRequestData.serialNumber),
      [expectedHashData(sub.certPem, root.certPem).serialNumber],
      'the cached one is not asked again; the Failed one is',
    );
    again[0]!.answer({ status: 'Accepted', ocspResult: 'MIIC' });
    await s.d.settle();
    await s.d.clock.advance(7 * DAY);
    await s.d.settle();
    assert.equal(s.d.pending('GetCertificateStatus').length, 2, 'M06.FR.10: refreshed after a week');
  } finally {
    s.close();
  }
});

test('A02.FR.09 A02.FR.15 A03.FR.09 A03.FR.15: of several valid certificates, the newest by the start of its validity is the one in use', async () => {
  const s = await setup();
  try {
    const cso = await CertificateAuthority.create({ commonName: 'CSO Root', organization: 'Test CSO' });
    const v2g = await CertificateAuthority.create({ commonName: 'V2G Root', organization: 'Test CSO' });
    call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: cso.certPem });
    call(s.d, 'InstallCertificate', { certificateType: 'V2GRootCertificate', certificate: v2g.certPem });
    const now = s.d.clock.now();
    for (const [message, ca, type] of [
      ['SignChargingStationCertificate', cso, 'ChargingStationCertificate'],
      ['SignV2GCertificate', v2g, 'V2GCertificate'],
    ] as const) {
      const issued: string[] = [];
      // The newer one first, so that the order of installation cannot decide.
      for (const notBefore of [now - 3600_000, now - 7200_000]) {
        const sign = await csrFor(s, message);
        sign.answer({ status: 'Accepted' });
        await s.d.settle();
        const cert = await ca.signCsr(sign.payload.csr, { notBefore });
        issued.push(cert);
        assert.equal(
          call(s.d, 'CertificateSigned', { certificateChain: cert, certificateType: type }).status,
          'Accepted',
        );
      }
      assert.equal(currentOwnCertificate(s.d.store, type, now)?.pem, issued[0], type);
    }
    const tls = tlsWithInstalled(undefined, 3, s.d.store, s.keys, now);
    assert.equal(tls?.cert, currentOwnCertificate(s.d.store, 'ChargingStationCertificate', now)?.pem);
    assert.equal(tls?.ca, [cso.certPem], 'the installed CSMS root verifies the CSMS');
  } finally {
    s.close();
  }
});

test('M05.FR.03 M04.FR.03: when the store cannot keep the change, InstallCertificate and DeleteCertificate answer Failed and nothing changes', async () => {
  const base = openSqliteStore(':memory:');
  let failing = false;
  const store = new Proxy(base, {
    get(target, key) {
      if (key === 'transaction' && failing)
        return () => {
          throw new Error('disk full');
        };
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const folder = mkdtempSync(join(tmpdir(), 'ocppkit-certs-'));
  const d = drive([certificatesUseCase({ keys: new KeyFolder(join(folder, 'keys')), maxEntries: 10 })], {
    clock: new ManualClock(Date.now()),
    store,
  });
  try {
    const root = await CertificateAuthority.create({ commonName: 'MO Root' });
    failing = true;
    assert.equal(call(d, 'InstallCertificate', { certificateType: 'MORootCertificate', certificate: root.certPem }), {
      status: 'Failed',
    });
    failing = false;
    assert.equal(listCertificates(store).length, 0);
    call(d, 'InstallCertificate', { certificateType: 'MORootCertificate', certificate: root.certPem });
    const hash = call(d, 'GetInstalledCertificateIds', {}).certificateHashDataChain[0].certificateHashData;
    failing = true;
    assert.equal(call(d, 'DeleteCertificate', { certificateHashData: hash }), { status: 'Failed' });
    failing = false;
    assert.equal(listCertificates(store).length, 1, 'still installed');
  } finally {
    d.shell.stop();
    base.close();
    rmSync(folder, { recursive: true, force: true });
  }
});

test('TC_M_02_CS TC_M_13_CS TC_M_17_CS: a ManufacturerRootCertificate is installed and reported, alone or with the CSMS root', async () => {
  const s = await setup();
  try {
    const [maker, csms] = await Promise.all([
      CertificateAuthority.create({ commonName: 'Manufacturer Root' }),
      CertificateAuthority.create({ commonName: 'CSMS Root' }),
    ]);
    for (const [type, ca] of [
      ['ManufacturerRootCertificate', maker],
      ['CSMSRootCertificate', csms],
    ] as const)
      assert.equal(call(s.d, 'InstallCertificate', { certificateType: type, certificate: ca.certPem }), {
        status: 'Accepted',
      });
    const one = call(s.d, 'GetInstalledCertificateIds', { certificateType: ['ManufacturerRootCertificate'] });
    assert.equal(one.certificateHashDataChain, [
      {
        certificateType: 'ManufacturerRootCertificate',
        certificateHashData: expectedHashData(maker.certPem, maker.certPem),
      },
    ]);
    const both = call(s.d, 'GetInstalledCertificateIds', {
      certificateType: ['CSMSRootCertificate', 'ManufacturerRootCertificate'],
    });
    assert.equal(both.certificateHashDataChain.map((c: any) => c.certificateType).sort(), [
      'CSMSRootCertificate',
      'ManufacturerRootCertificate',
    ]);
  } finally {
    s.close();
  }
});

test("A00.FR.501 A00.FR.503 A00.FR.506: the station's own key is EC P-256 (128-bit strength), its CSR is signed with ECDSA over SHA-256, its hash data use SHA256", async () => {
  const s = await setup();
  try {
    const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: 'Test CSO' });
    call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: root.certPem });
    const sign = await csrFor(s, 'SignChargingStationCertificate');
    const csr = new Pkcs10CertificateRequest(sign.payload.csr);
    assert.equal(csr.publicKey.algorithm, { name: 'ECDSA', namedCurve: 'P-256' });
    assert.equal(csr.signatureAlgorithm, { name: 'ECDSA', hash: { name: 'SHA-256' } });
    const [file] = readdirSync(s.keys.path);
    const key = createPrivateKey(readFileSync(join(s.keys.path, file!)));
    assert.equal([key.asymmetricKeyType, key.asymmetricKeyDetails?.namedCurve], ['ec', 'prime256v1']);
    const ids = call(s.d, 'GetInstalledCertificateIds', { certificateType: ['CSMSRootCertificate'] });
    assert.equal(
      ids.certificateHashDataChain.map((c: any) => c.certificateHashData.hashAlgorithm),
      ['SHA256'],
    );
    sign.answer({ status: 'Accepted' });
    await s.d.settle();
  } finally {
    s.close();
  }
});

test('A00.FR.507: certificates are taken in PEM only (the same certificate as bare base64 DER is Rejected) and stored as the PEM given', async () => {
  const s = await setup();
  try {
    const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: 'Test CSO' });
    const der = new X509Certificate(root.certPem).raw.toString('base64');
    assert.equal(
      call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: der }).status,
      'Rejected',
    );
    assert.equal(listCertificates(s.d.store).length, 0);
    assert.equal(
      call(s.d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: root.certPem }).status,
      'Accepted',
    );
    assert.equal(
      listCertificates(s.d.store).map((c) => c.pem),
      [root.certPem],
    );
    // The station's own certificate from a CertificateSigned: as bare DER refused (which gives its CSR up), the
    // chain of the next CSR in PEM kept as that PEM.
    const sub = await root.subCa({ commonName: 'CSO Sub', organization: 'Test CSO' });
    const signed = (certificateChain: string) =>
      call(s.d, 'CertificateSigned', { certificateChain, certificateType: 'ChargingStationCertificate' }).status;
    const first = await csrFor(s, 'SignChargingStationCertificate');
    first.answer({ status: 'Accepted' });
    await s.d.settle();
    const bare = parseChain((await sub.signCsr(first.payload.csr)) + sub.certPem) as X509Certificate[];
    assert.equal(signed(bare.map((c) => c.raw.toString('base64')).join('\n')), 'Rejected');
    const second = await csrFor(s, 'SignChargingStationCertificate');
    second.answer({ status: 'Accepted' });
    await s.d.settle();
    const chain = (await sub.signCsr(second.payload.csr)) + sub.certPem;
    assert.equal(signed(chain), 'Accepted');
    assert.equal(
      listCertificates(s.d.store, 'ChargingStationCertificate').map((c) => c.pem),
      [chain],
    );
  } finally {
    s.close();
  }
});

test.run();
