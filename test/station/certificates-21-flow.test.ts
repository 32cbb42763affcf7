// The 2.1 additions of A02/A03 on the station, through the real Shell with a ManualClock set to the real time, a real
// key folder and certificates made at test time: the requestId that ties a SignCertificate to its CertificateSigned
// (A02.FR.24/26, A03.FR.20/22) and the hashRootCertificate of a V2G CSR (A02.FR.27, A03.FR.23).
import 'reflect-metadata';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../runtime/queue/clock.js';
import { CertificateAuthority } from '../../runtime/station/M-certificates/ca.js';
import { certificatesUseCase } from '../../runtime/station/M-certificates/certificates.js';
import { KeyFolder, listCertificates } from '../../runtime/station/M-certificates/store.js';
import { until } from '../support/rpc-harness.js';
import { drive, type Driver } from '../support/shell-driver.js';

let messageId = 0;
function call(d: Driver, action: string, request: unknown): any {
  const id = `m${++messageId}`;
  const response = d.shell.answer(action, request, id);
  d.shell.answered(id);
  return response;
}

/** A station connected with `version`, a CSO root installed as CSMSRootCertificate. */
async function connected(version: 'ocpp2.0.1' | 'ocpp2.1') {
  const folder = mkdtempSync(join(tmpdir(), 'ocppkit-certs21-'));
  const keys = new KeyFolder(join(folder, 'keys'));
  const d = drive([certificatesUseCase({ keys, maxEntries: 50 })], {
    clock: new ManualClock(Date.now()),
    version,
    variables: { 'SecurityCtrlr.OrganizationName': 'Test CSO' },
  });
  d.dispatch({ type: 'started', reason: 'PowerUp' });
  d.dispatch({ type: 'connected', version });
  const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: 'Test CSO' });
  call(d, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: root.certPem });
  return { d, root, close: () => (d.shell.stop(), rmSync(folder, { recursive: true, force: true })) };
}

async function signRequest(d: Driver, requestedMessage: string) {
  d.dispatch({ type: 'triggered', requestedMessage });
  await until(() => d.pending('SignCertificate').length > 0, 5000, 'a SignCertificate');
  const sign = d.pending('SignCertificate')[0]!;
  sign.answer({ status: 'Accepted' });
  await d.settle();
  return sign;
}

test('2.1 A02.FR.24 A02.FR.26 A03.FR.20 A03.FR.22: the SignCertificate carries a requestId; a CertificateSigned with another one is Rejected and the CSR stays outstanding; with its own it is Accepted', async () => {
  const s = await connected('ocpp2.1');
  try {
    const sign = await signRequest(s.d, 'SignChargingStationCertificate');
    const requestId = sign.payload.requestId;
    assert.type(requestId, 'number');
    const certificateChain = await s.root.signCsr(sign.payload.csr);
    const wrong = call(s.d, 'CertificateSigned', { certificateChain, requestId: requestId + 1 });
    assert.is(wrong.status, 'Rejected');
    assert.equal(listCertificates(s.d.store, 'ChargingStationCertificate'), [], 'nothing installed');
    const mismatched = call(s.d, 'CertificateSigned', {
      certificateChain,
      requestId,
      certificateType: 'V2GCertificate',
    });
    assert.is(mismatched.status, 'Rejected', 'the requestId of a ChargingStationCertificate CSR, for V2G');
    assert.equal(call(s.d, 'CertificateSigned', { certificateChain, requestId }), { status: 'Accepted' });
    assert.is(listCertificates(s.d.store, 'ChargingStationCertificate').length, 1);
    // The next CSR takes another requestId, after the reconnection with the new certificate too.
    s.d.dispatch({ type: 'disconnected' });
    s.d.dispatch({ type: 'connected', version: 'ocpp2.1' });
    const next = await signRequest(s.d, 'SignChargingStationCertificate');
    assert.is.not(next.payload.requestId, requestId);
  } finally {
    s.close();
  }
});

test('A02.FR.13: over 2.0.1 the SignCertificate has no requestId (not in its schema), and a CertificateSigned is matched by certificateType', async () => {
  const s = await connected('ocpp2.0.1');
  try {
    const sign = await signRequest(s.d, 'SignChargingStationCertificate');
    assert.equal(Object.keys(sign.payload).sort(), ['certificateType', 'csr']);
    const certificateChain = await s.root.signCsr(sign.payload.csr);
    assert.equal(call(s.d, 'CertificateSigned', { certificateChain }), { status: 'Accepted' });
  } finally {
    s.close();
  }
});

test('2.1 A02.FR.22 A02.FR.27 A03.FR.23: a V2G CSR names the installed V2G root in hashRootCertificate, with the hash data GetInstalledCertificateIds reports for it', async () => {
  const s = await connected('ocpp2.1');
  try {
    const v2gRoot = await CertificateAuthority.create({ commonName: 'V2G Root', organization: 'Test CSO' });
    call(s.d, 'InstallCertificate', { certificateType: 'V2GRootCertificate', certificate: v2gRoot.certPem });
    const reported = call(s.d, 'GetInstalledCertificateIds', { certificateType: ['V2GRootCertificate'] });
    const sign = await signRequest(s.d, 'SignV2GCertificate');
    assert.is(sign.payload.certificateType, 'V2GCertificate');
    assert.equal(sign.payload.hashRootCertificate, reported.certificateHashDataChain[0].certificateHashData);
    // Not for the station's certificate, which the CSMS's own CA signs.
    const own = await signRequest(s.d, 'SignChargingStationCertificate');
    assert.is(own.payload.hashRootCertificate, undefined);
  } finally {
    s.close();
  }
});

test('2.1 A02.FR.23 A02.FR.27 M03.FR.05 M04.FR.02: SignV2G20Certificate: a CSR for an ISO 15118-20 certificate naming the V2G root; the signed one is installed, reported as a V2GCertificateChain with its sub-CA, and deleted with its key', async () => {
  const s = await connected('ocpp2.1');
  try {
    const v2gRoot = await CertificateAuthority.create({ commonName: 'V2G Root', organization: 'Test CSO' });
    call(s.d, 'InstallCertificate', { certificateType: 'V2GRootCertificate', certificate: v2gRoot.certPem });
    const sign = await signRequest(s.d, 'SignV2G20Certificate');
    assert.is(sign.payload.certificateType, 'V2G20Certificate');
    assert.ok(sign.payload.hashRootCertificate, 'A02.FR.27');
    const sub = await v2gRoot.subCa({ commonName: 'V2G Sub', organization: 'Test CSO' });
    const certificateChain = `${await sub.signCsr(sign.payload.csr)}${sub.certPem}`;
    assert.equal(
      call(s.d, 'CertificateSigned', {
        certificateChain,
        certificateType: 'V2G20Certificate',
        requestId: sign.payload.requestId,
      }),
      { status: 'Accepted' },
    );
    assert.is(listCertificates(s.d.store, 'V2G20Certificate').length, 1);
    const ids = call(s.d, 'GetInstalledCertificateIds', { certificateType: ['V2GCertificateChain'] });
    assert.is(ids.certificateHashDataChain.length, 1);
    const chain = ids.certificateHashDataChain[0];
    assert.is(chain.certificateType, 'V2GCertificateChain');
    assert.is(chain.childCertificateHashData.length, 1, 'the sub-CA');
    assert.equal(call(s.d, 'DeleteCertificate', { certificateHashData: chain.certificateHashData }), {
      status: 'Accepted',
    });
    assert.equal(listCertificates(s.d.store, 'V2G20Certificate'), []);
  } finally {
    s.close();
  }
});

test('A02.FR.13: a V2G20Certificate renewal asked on a 2.0.1 connection sends nothing (2.0.1 cannot name it)', async () => {
  const s = await connected('ocpp2.0.1');
  try {
    s.d.dispatch({ type: 'certificates.sign', use: 'V2G20Certificate' });
    await s.d.settle();
    assert.equal(s.d.pending('SignCertificate'), []);
    assert.ok(s.d.emitted.some((e) => e.type === 'log' && /OCPP 2\.1/.test(e.message)));
  } finally {
    s.close();
  }
});

test.run();
