// What an integrator's ISO 15118 stack asks the station for (station.certificates), over a real socket to the
// built-in CSMS: M01/M02 Get15118EVCertificate forwarded (TC_M_26–29), M06 GetCertificateStatus forwarded and its
// answer cached (M06.FR.06/10), C07/C08 Authorize with a contract certificate or its OCSP hash data.
import 'reflect-metadata';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CertificateAuthority } from '../../runtime/station/M-certificates/ca.js';
import { hashData, parseChain } from '../../runtime/station/M-certificates/pki.js';
import { until } from '../support/rpc-harness.js';
import { startPair } from '../support/station-harness.js';

const SCHEMA = 'urn:iso:15118:2:2013:MsgDef';

async function connected() {
  const pair = await startPair();
  await until(() => pair.station.registration === 'Accepted', 5000, 'Accepted');
  return pair;
}

test("TC_M_26_CS TC_M_28_CS M01.FR.01 M02.FR.01: the EV's certificate installation and update requests reach the CSMS, its answer the EV", async () => {
  const pair = await connected();
  try {
    pair.csms.respond('Get15118EVCertificate', (req) => ({
      status: 'Accepted',
      exiResponse: `answer-to-${req.action}`,
    }));
    for (const action of ['Install', 'Update'] as const) {
      const res = await pair.station.certificates.get15118EVCertificate({
        iso15118SchemaVersion: SCHEMA,
        action,
        exiRequest: 'gAEC',
      });
      assert.equal(res, { status: 'Accepted', exiResponse: `answer-to-${action}` });
    }
    assert.equal(
      pair.sent('Get15118EVCertificate').map((m) => (m.request as any).action),
      ['Install', 'Update'],
    );
    assert.equal((pair.sent('Get15118EVCertificate')[0]!.request as any).exiRequest, 'gAEC', 'forwarded unchanged');
  } finally {
    await pair.close();
  }
});

test("TC_M_27_CS TC_M_29_CS: the CSMS's Failed reaches the EV as Failed", async () => {
  const pair = await connected();
  try {
    const res = await pair.station.certificates.get15118EVCertificate({
      iso15118SchemaVersion: SCHEMA,
      action: 'Install',
      exiRequest: 'gAEC',
    });
    assert.is(res.status, 'Failed');
  } finally {
    await pair.close();
  }
});

test('M06.FR.06 M06.FR.10: an OCSP status is asked once and then answered from the cache; a Failed one is not kept', async () => {
  const pair = await connected();
  try {
    const root = await CertificateAuthority.create({ commonName: 'MO Root' });
    const contract = await root.issue({ commonName: 'EMAID123' });
    const [cert] = parseChain(contract.cert) as import('node:crypto').X509Certificate[];
    const [issuer] = parseChain(root.certPem) as import('node:crypto').X509Certificate[];
    const ocspRequestData = { ...hashData(cert!, issuer), responderURL: 'http://ocsp.example.com' };
    let answer: 'Accepted' | 'Failed' = 'Failed';
    pair.csms.respond('GetCertificateStatus', () =>
      answer === 'Accepted' ? { status: 'Accepted', ocspResult: 'MIIB' } : { status: 'Failed' },
    );
    assert.is((await pair.station.certificates.getCertificateStatus(ocspRequestData)).status, 'Failed');
    answer = 'Accepted';
    assert.equal(await pair.station.certificates.getCertificateStatus(ocspRequestData), {
      status: 'Accepted',
      ocspResult: 'MIIB',
    });
    answer = 'Failed';
    assert.equal(await pair.station.certificates.getCertificateStatus(ocspRequestData), {
      status: 'Accepted',
      ocspResult: 'MIIB',
    });
    assert.is(pair.sent('GetCertificateStatus').length, 2, 'the third came from the cache');
  } finally {
    await pair.close();
  }
});

test("C07.FR.01 C07.FR.02: Authorize with a contract certificate or its hash data; the CSMS's verdict is the answer", async () => {
  const pair = await connected();
  try {
    const root = await CertificateAuthority.create({ commonName: 'MO Root' });
    const contract = await root.issue({ commonName: 'EMAID123' });
    const [cert] = parseChain(contract.cert) as import('node:crypto').X509Certificate[];
    const [issuer] = parseChain(root.certPem) as import('node:crypto').X509Certificate[];
    const idToken = { idToken: 'NLXYZ123456789', type: 'eMAID' as const };
    pair.csms.respond('Authorize', (req) => ({
      idTokenInfo: { status: req.idToken.idToken === idToken.idToken ? 'Accepted' : 'Invalid' },
      certificateStatus: 'Accepted',
    }));
    const byHash = await pair.station.certificates.authorizeContract({
      idToken,
      iso15118CertificateHashData: [{ ...hashData(cert!, issuer), responderURL: 'http://ocsp.example.com' }],
    });
    assert.equal(byHash, { idTokenInfo: { status: 'Accepted' }, certificateStatus: 'Accepted' });
    const byCertificate = await pair.station.certificates.authorizeContract({ idToken, certificate: contract.cert });
    assert.is(byCertificate.idTokenInfo.status, 'Accepted');
    const sent = pair.sent('Authorize').map((m) => m.request as any);
    assert.is(sent[0].iso15118CertificateHashData[0].serialNumber, hashData(cert!, issuer).serialNumber);
    assert.is(sent[1].certificate, contract.cert);
    const refused = await pair.station.certificates.authorizeContract({ idToken, certificate: 'garbage' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.instance(refused, TypeError, 'malformed PEM: refused before anything is sent');
    assert.is(pair.sent('Authorize').length, 2);
  } finally {
    await pair.close();
  }
});

test('2.1 M07.FR.09 M07.FR.10 M07.FR.11: GetCertificateChainStatus asks only for what the cache does not hold, answers in order', async () => {
  const pair = await startPair({ csms: { versions: ['ocpp2.1'] }, station: { versions: ['ocpp2.1'] } });
  try {
    await until(() => pair.station.registration === 'Accepted', 5000, 'Accepted');
    const root = await CertificateAuthority.create({ commonName: 'MO Root' });
    const [issuer] = parseChain(root.certPem) as import('node:crypto').X509Certificate[];
    const hashes = await Promise.all(
      ['A', 'B', 'C'].map(async (cn) => {
        const [cert] = parseChain(
          (await root.issue({ commonName: cn })).cert,
        ) as import('node:crypto').X509Certificate[];
        return hashData(cert!, issuer);
      }),
    );
    const request = (h: (typeof hashes)[number]) => ({
      certificateHashData: h,
      source: 'OCSP' as const,
      urls: ['http://ocsp.example.com'],
    });
    const nextUpdate = new Date(Date.now() + 3600_000).toISOString();
    pair.csms.respond('GetCertificateChainStatus', (req) => ({
      certificateStatus: req.certificateStatusRequests.map((r: any) => ({
        certificateHashData: r.certificateHashData,
        source: r.source,
        status: 'Good',
        nextUpdate,
      })),
    }));
    const first = await pair.station.certificates.getCertificateChainStatus([request(hashes[0]!), request(hashes[1]!)]);
    assert.equal(
      first.map((s) => s.certificateHashData.serialNumber),
      [hashes[0]!.serialNumber, hashes[1]!.serialNumber],
    );
    const second = await pair.station.certificates.getCertificateChainStatus(hashes.map(request));
    assert.equal(
      second.map((s) => [s.certificateHashData.serialNumber, s.status]),
      hashes.map((h) => [h.serialNumber, 'Good']),
    );
    const asked = pair
      .sent('GetCertificateChainStatus')
      .map((m) => (m.request as any).certificateStatusRequests.map((r: any) => r.certificateHashData.serialNumber));
    assert.equal(asked, [[hashes[0]!.serialNumber, hashes[1]!.serialNumber], [hashes[2]!.serialNumber]]);
  } finally {
    await pair.close();
  }
});

test('2.1: a CertificateSigned for a V2G20Certificate (not made by this station) is Rejected, the connection kept', async () => {
  const pair = await startPair({ csms: { versions: ['ocpp2.1'] }, station: { versions: ['ocpp2.1'] } });
  try {
    await until(() => pair.station.registration === 'Accepted', 5000, 'Accepted');
    const root = await CertificateAuthority.create({ commonName: 'V2G Root' });
    const res = (await pair.csms.call(pair.identity, 'CertificateSigned', {
      certificateChain: root.certPem,
      certificateType: 'V2G20Certificate',
    })) as any;
    assert.equal(res.status, 'Rejected');
    assert.equal(res.statusInfo.reasonCode, 'InvalidCertificate');
    assert.ok(pair.csms.isConnected(pair.identity));
  } finally {
    await pair.close();
  }
});

test('offline: an ISO 15118 request fails at once rather than waiting in a queue', async () => {
  const pair = await connected();
  try {
    pair.csms.refuseConnections(true);
    await pair.csms.disconnect(pair.identity);
    await until(() => !pair.station.connected, 5000, 'offline');
    let failed: unknown;
    try {
      await pair.station.certificates.get15118EVCertificate({
        iso15118SchemaVersion: SCHEMA,
        action: 'Install',
        exiRequest: 'gAEC',
      });
    } catch (err) {
      failed = err;
    }
    assert.instance(failed, Error);
  } finally {
    await pair.close();
  }
});

test('C07.FR.07 C07.FR.08: offline, a contract is refused unless ContractValidationOffline; then its chain is checked against the installed MO roots', async () => {
  for (const allowed of [false, true]) {
    const pair = await startPair({ station: { variables: { 'ISO15118Ctrlr.ContractValidationOffline': allowed } } });
    try {
      await until(() => pair.station.registration === 'Accepted', 5000, 'Accepted');
      const mo = await CertificateAuthority.create({ commonName: 'MO Root' });
      const other = await CertificateAuthority.create({ commonName: 'Other MO' });
      assert.equal(await pair.csms.installCertificate(pair.identity, 'MORootCertificate', mo.certPem), {
        status: 'Accepted',
      });
      const contract = await mo.issue({ commonName: 'EMAID123' });
      const foreign = await other.issue({ commonName: 'EMAID123' });
      pair.csms.refuseConnections(true);
      await pair.csms.disconnect(pair.identity);
      await until(() => !pair.station.connected, 5000, 'offline');
      const idToken = { idToken: 'NLXYZ123456789', type: 'eMAID' as const };
      const valid = await pair.station.certificates.authorizeContract({ idToken, certificate: contract.cert });
      const invalid = await pair.station.certificates.authorizeContract({ idToken, certificate: foreign.cert });
      if (!allowed) {
        assert.equal(valid.idTokenInfo.status, 'Invalid', 'C07.FR.07: no charging');
        assert.equal(valid.offline, true);
      } else {
        assert.equal(
          [valid.idTokenInfo.status, valid.certificateStatus],
          ['Unknown', 'Accepted'],
          'C07.FR.08: valid; the eMAID is for block C',
        );
        assert.equal([invalid.idTokenInfo.status, invalid.certificateStatus], ['Invalid', 'CertChainError']);
      }
      assert.is(pair.sent('Authorize').length, 0, 'nothing sent while offline');
    } finally {
      await pair.close();
    }
  }
});

const SCHEMA_20 = 'urn:iso:std:iso:15118:-20:CommonMessages';

async function connected21() {
  const pair = await startPair({ csms: { versions: ['ocpp2.1'] }, station: { versions: ['ocpp2.1'] } });
  await until(() => pair.station.registration === 'Accepted', 5000, 'Accepted');
  return pair;
}

test('M01.FR.02 (2.1) ISO 15118-2: maximumContractCertificateChains (and prioritizedEMAIDs) are not sent, and one exchange only', async () => {
  const pair = await connected21();
  try {
    pair.csms.respond('Get15118EVCertificate', () => ({ status: 'Accepted', exiResponse: 'x', remainingContracts: 3 }));
    const answers = await pair.station.certificates.get15118EVCertificates({
      iso15118SchemaVersion: SCHEMA,
      action: 'Install',
      exiRequest: 'gAEC',
      maximumContractCertificateChains: 4,
      prioritizedEMAIDs: ['DE8ACC12E46L89'],
    });
    assert.is(answers.length, 1);
    const sent = pair.sent('Get15118EVCertificate').map((m) => m.request as Record<string, unknown>);
    assert.equal(sent, [{ iso15118SchemaVersion: SCHEMA, action: 'Install', exiRequest: 'gAEC' }]);
  } finally {
    await pair.close();
  }
});

test('M01.FR.03 M01.FR.05 M01.FR.06 M02.FR.02 (2.1) ISO 15118-20: maximumContractCertificateChains sent, the same request repeated while contracts remain', async () => {
  const pair = await connected21();
  try {
    for (const action of ['Install', 'Update'] as const) {
      let remaining = 3;
      pair.csms.respond('Get15118EVCertificate', () => ({
        status: 'Accepted',
        exiResponse: `contract-${remaining}`,
        remainingContracts: --remaining,
      }));
      const before = pair.sent('Get15118EVCertificate').length;
      const request = {
        iso15118SchemaVersion: SCHEMA_20,
        action,
        exiRequest: `gAEC-${action}`,
        maximumContractCertificateChains: 5,
        prioritizedEMAIDs: ['DE8ACC12E46L89'],
      };
      const answers = await pair.station.certificates.get15118EVCertificates(request);
      // M01.FR.05: every answer's remainingContracts is handed to the ISO 15118 stack for the EV's message.
      assert.equal(
        answers.map((a) => [a.exiResponse, a.remainingContracts]),
        [
          ['contract-3', 2],
          ['contract-2', 1],
          ['contract-1', 0],
        ],
        action,
      );
      const sent = pair.sent('Get15118EVCertificate').slice(before);
      assert.equal(
        sent.map((m) => m.request),
        [request, request, request],
        `${action}: the same request each time, with maximumContractCertificateChains`,
      );
    }
  } finally {
    await pair.close();
  }
});

test('M01.FR.06 (2.1) ISO 15118-20: never more requests than the chains the EV accepts, and none after a Failed answer', async () => {
  const pair = await connected21();
  try {
    pair.csms.respond('Get15118EVCertificate', () => ({ status: 'Accepted', exiResponse: 'x', remainingContracts: 9 }));
    const request = { iso15118SchemaVersion: SCHEMA_20, action: 'Install' as const, exiRequest: 'gAEC' };
    const capped = await pair.station.certificates.get15118EVCertificates({
      ...request,
      maximumContractCertificateChains: 2,
    });
    assert.is(capped.length, 2);
    pair.csms.respond('Get15118EVCertificate', () => ({ status: 'Failed', exiResponse: '', remainingContracts: 9 }));
    const failed = await pair.station.certificates.get15118EVCertificates({
      ...request,
      maximumContractCertificateChains: 5,
    });
    assert.equal(
      failed.map((a) => a.status),
      ['Failed'],
    );
  } finally {
    await pair.close();
  }
});

test.run();
