// The OCA application note "Using ISO 15118 Plug & Charge with OCPP 1.6" over real sockets against the built-in
// CSMS in 1.6 (its DataTransfer answers given per test), with certificates made at test time and a real SQLite
// file: the configuration keys (§2.1, §9), the wrapped certificate management (§4.1–4.4), the V2G certificate
// installation initiated by the Central System and by the Charge Point with its back-off (§3.1), the EV's
// certificate installation (§3.2) and the Plug & Charge authorization online and offline (§5).
// @timeout 120
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CertificateAuthority } from '../../../runtime/station/M-certificates/ca.js';
import { accepted, startPair16, tag, type Pair16 } from '../../support/pair16.js';

const VENDOR = 'org.openchargealliance.iso15118pnc';

async function pncPair(variables: Record<string, string | number | boolean> = { ISO15118PnCEnabled: true }) {
  const p = await startPair16({ station: { variables } });
  await accepted(p);
  await p.status(1, 'Available');
  return p;
}

/** The CSMS's wrapped request, and the wrapped answer unwrapped. */
async function wrapped(p: Pair16, messageId: string, payload: object) {
  const conf = await p.call('DataTransfer', { vendorId: VENDOR, messageId, data: JSON.stringify(payload) });
  return { status: conf.status as string, data: conf.data === undefined ? undefined : JSON.parse(conf.data) };
}

/** The CSMS answers the station's wrapped messages with `answers[messageId]` (a DataTransfer.conf Accepted). */
function answerWrapped(p: Pair16, answers: Record<string, (request: any) => object>) {
  p.csms.respond('DataTransfer', (req: { vendorId: string; messageId?: string; data?: string }) => {
    const answer = req.vendorId === VENDOR && req.messageId ? answers[req.messageId] : undefined;
    if (!answer) return { status: 'UnknownMessageId' };
    return { status: 'Accepted', data: JSON.stringify(answer(JSON.parse(req.data ?? '{}'))) };
  });
}

const signRequests = (p: Pair16) =>
  p.sent('DataTransfer').filter((m) => (m.request as { messageId?: string }).messageId === 'SignCertificate');

test('PnC16 §2.1 §9 the note’s configuration keys are reported; negative back-off values are Rejected', async () => {
  const p = await pncPair();
  try {
    const conf = await p.call('GetConfiguration', {
      key: [
        'ISO15118PnCEnabled',
        'CentralContractValidationAllowed',
        'ContractValidationOffline',
        'CertSigningWaitMinimum',
        'CertSigningRepeatTimes',
        'CertificateSignedMaxChainSize',
      ],
    });
    assert.is(conf.unknownKey, undefined);
    const value = (key: string) => conf.configurationKey.find((k: { key: string }) => k.key === key);
    assert.equal(value('ISO15118PnCEnabled'), { key: 'ISO15118PnCEnabled', readonly: false, value: 'true' });
    assert.is(value('CertificateSignedMaxChainSize').readonly, true);
    assert.equal(await p.call('ChangeConfiguration', { key: 'CertSigningWaitMinimum', value: '-1' }), {
      status: 'Rejected',
    });
    assert.equal(await p.call('ChangeConfiguration', { key: 'CertSigningRepeatTimes', value: '-3' }), {
      status: 'Rejected',
    });
    assert.equal(await p.call('ChangeConfiguration', { key: 'CertSigningRepeatTimes', value: '2' }), {
      status: 'Accepted',
    });
  } finally {
    await p.close();
  }
});

test('PnC16 §2.2 the vendorId routes: another vendor UnknownVendorId, an unknown messageId UnknownMessageId, bad data Rejected, PnC disabled Rejected', async () => {
  const p = await pncPair();
  try {
    assert.equal(await p.call('DataTransfer', { vendorId: 'com.example', messageId: 'X' }), {
      status: 'UnknownVendorId',
    });
    assert.equal((await wrapped(p, 'Reset', {})).status, 'UnknownMessageId');
    assert.equal(
      (await p.call('DataTransfer', { vendorId: VENDOR, messageId: 'InstallCertificate', data: '{not json' })).status,
      'Rejected',
    );
    // A payload the 2.0.1 schema refuses (no certificate).
    assert.equal(
      (await wrapped(p, 'InstallCertificate', { certificateType: 'V2GRootCertificate' })).status,
      'Rejected',
    );
    assert.equal(await p.call('ChangeConfiguration', { key: 'ISO15118PnCEnabled', value: 'false' }), {
      status: 'Accepted',
    });
    assert.equal((await wrapped(p, 'GetInstalledCertificateIds', {})).status, 'Rejected');
  } finally {
    await p.close();
  }
});

test('PnC16 §4.3 §4.1 §4.2 (M05/M03/M04) wrapped InstallCertificate of V2G and MO roots, GetInstalledCertificateIds, DeleteCertificate', async () => {
  const p = await pncPair();
  try {
    assert.equal(await wrapped(p, 'GetInstalledCertificateIds', {}), {
      status: 'Accepted',
      data: { status: 'NotFound' },
    });
    const v2g = await CertificateAuthority.create({ commonName: 'V2G root', organization: 'V2G' });
    const mo = await CertificateAuthority.create({ commonName: 'MO root', organization: 'MO' });
    for (const [certificateType, ca] of [
      ['V2GRootCertificate', v2g],
      ['MORootCertificate', mo],
    ] as const)
      assert.equal(await wrapped(p, 'InstallCertificate', { certificateType, certificate: ca.certPem }), {
        status: 'Accepted',
        data: { status: 'Accepted' },
      });
    // The note's InstallCertificate knows V2G and MO roots only: the whitepaper's own types are not wrapped.
    assert.equal(
      (await wrapped(p, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: mo.certPem }))
        .status,
      'Rejected',
    );
    // A certificate that is not a CA: Rejected inside the wrapper.
    const leaf = await v2g.issue({ commonName: 'leaf' }, { days: 10 });
    assert.equal(
      (await wrapped(p, 'InstallCertificate', { certificateType: 'MORootCertificate', certificate: leaf.cert })).data,
      {
        status: 'Rejected',
      },
    );
    const all = await wrapped(p, 'GetInstalledCertificateIds', {});
    assert.is(all.data.status, 'Accepted');
    assert.equal(all.data.certificateHashDataChain.map((c: { certificateType: string }) => c.certificateType).sort(), [
      'MORootCertificate',
      'V2GRootCertificate',
    ]);
    const onlyMo = await wrapped(p, 'GetInstalledCertificateIds', { certificateType: ['MORootCertificate'] });
    assert.is(onlyMo.data.certificateHashDataChain.length, 1);
    const moHash = onlyMo.data.certificateHashDataChain[0].certificateHashData;
    // The whitepaper's own GetInstalledCertificateIds does not list the note's certificates.
    assert.equal(await p.call('GetInstalledCertificateIds', { certificateType: 'CentralSystemRootCertificate' }), {
      status: 'NotFound',
    });
    assert.equal(await wrapped(p, 'DeleteCertificate', { certificateHashData: moHash }), {
      status: 'Accepted',
      data: { status: 'Accepted' },
    });
    assert.equal((await wrapped(p, 'DeleteCertificate', { certificateHashData: moHash })).data, { status: 'NotFound' });
    const left = await wrapped(p, 'GetInstalledCertificateIds', {});
    assert.equal(
      left.data.certificateHashDataChain.map((c: { certificateType: string }) => c.certificateType),
      ['V2GRootCertificate'],
    );
  } finally {
    await p.close();
  }
});

test('PnC16 §3.1.1 (A02) TriggerMessage for the V2G certificate: a wrapped SignCertificate, CertificateSigned Accepted, the chain listed as V2GCertificateChain', async () => {
  const p = await pncPair();
  try {
    const v2g = await CertificateAuthority.create({ commonName: 'V2G root', organization: 'V2G' });
    assert.equal(
      (await wrapped(p, 'InstallCertificate', { certificateType: 'V2GRootCertificate', certificate: v2g.certPem }))
        .data,
      {
        status: 'Accepted',
      },
    );
    answerWrapped(p, { SignCertificate: () => ({ status: 'Accepted' }) });
    assert.equal(await wrapped(p, 'TriggerMessage', {}), { status: 'Accepted', data: { status: 'Accepted' } });
    const sign = await p.waitFor(
      'DataTransfer',
      (m) => (m.request as { messageId?: string }).messageId === 'SignCertificate',
    );
    const req = JSON.parse((sign.request as { data: string }).data);
    assert.is(req.certificateType, 'V2GCertificate');
    assert.match(req.csr, /BEGIN CERTIFICATE REQUEST/);
    // A certificate for another key: Rejected, with the InvalidChargePointCertificate security event.
    const other = await v2g.issue({ commonName: 'not ours' }, { days: 30 });
    assert.equal((await wrapped(p, 'CertificateSigned', { certificateChain: other.cert })).data, {
      status: 'Rejected',
    });
    const event = await p.waitFor(
      'SecurityEventNotification',
      (m) => (m.request as { type: string }).type === 'InvalidChargePointCertificate',
    );
    assert.match((event.request as { techInfo: string }).techInfo, /V2G/);
    const signed = await v2g.signCsr(req.csr, { days: 30 });
    assert.equal((await wrapped(p, 'CertificateSigned', { certificateChain: signed })).data, { status: 'Accepted' });
    const ids = await wrapped(p, 'GetInstalledCertificateIds', { certificateType: ['V2GCertificateChain'] });
    assert.is(ids.data.status, 'Accepted');
    assert.is(ids.data.certificateHashDataChain[0].certificateType, 'V2GCertificateChain');
    // Installed once: the same chain again has no CSR outstanding.
    assert.equal((await wrapped(p, 'CertificateSigned', { certificateChain: signed })).data, { status: 'Rejected' });
    // The V2G certificate is for the integrator's ISO 15118 stack, as in 2.x.
    assert.ok(p.station.certificates.installed().some((c) => c.use === 'V2GCertificate'));
  } finally {
    await p.close();
  }
});

test('PnC16 §3.1.2 §9.3 §9.4 (A03) the Charge Point asks for a V2G certificate itself; unanswered, it makes another CSR after CertSigningWaitMinimum', async () => {
  const p = await pncPair({ ISO15118PnCEnabled: true, CertSigningWaitMinimum: 1, CertSigningRepeatTimes: 1 });
  try {
    answerWrapped(p, { SignCertificate: () => ({ status: 'Accepted' }) });
    p.station.certificates.renew('V2GCertificate');
    const first = await p.waitFor(
      'DataTransfer',
      (m) => (m.request as { messageId?: string }).messageId === 'SignCertificate',
    );
    const started = Date.now();
    const second = await p.waitFor(
      'DataTransfer',
      (m) => m !== first && (m.request as { messageId?: string }).messageId === 'SignCertificate',
      5000,
    );
    assert.ok(Date.now() - started >= 900, 'the back-off is CertSigningWaitMinimum seconds');
    const csr = (m: typeof first) => JSON.parse((m.request as { data: string }).data).csr;
    assert.is.not(csr(second), csr(first), 'a new CSR, made after the wait');
    assert.is(signRequests(p).length, 2);
  } finally {
    await p.close();
  }
});

test('PnC16 §3.1.2 §9.3 a back-off cut by a restart starts again: another CSR after the restart', async () => {
  const p = await pncPair({ ISO15118PnCEnabled: true, CertSigningWaitMinimum: 1, CertSigningRepeatTimes: 2 });
  try {
    answerWrapped(p, { SignCertificate: () => ({ status: 'Accepted' }) });
    p.station.certificates.renew('V2GCertificate');
    const first = await p.waitFor(
      'DataTransfer',
      (m) => (m.request as { messageId?: string }).messageId === 'SignCertificate',
    );
    // The answer is in (and the back-off stored) once a later CALL of the CSMS has been answered.
    await p.call('GetConfiguration', { key: ['CertSigningWaitMinimum'] });
    const station = await p.restart({
      variables: { ISO15118PnCEnabled: true, CertSigningWaitMinimum: 1, CertSigningRepeatTimes: 2 },
    });
    await accepted({ ...p, station });
    const again = await p.waitFor(
      'DataTransfer',
      (m) => m !== first && (m.request as { messageId?: string }).messageId === 'SignCertificate',
      5000,
    );
    assert.is.not(
      JSON.parse((again.request as { data: string }).data).csr,
      JSON.parse((first.request as { data: string }).data).csr,
    );
  } finally {
    await p.close();
  }
});

test('PnC16 §2.1 a CSMS without the note (UnknownVendorId) is not sent the SignCertificate again until it triggers', async () => {
  const p = await pncPair({ ISO15118PnCEnabled: true, CertSigningWaitMinimum: 1, CertSigningRepeatTimes: 3 });
  try {
    // The built-in CSMS answers UnknownVendorId: the station gives up on this CSR (no back-off armed) and says so.
    const gaveUp = new Promise<string>((resolve) =>
      p.station.on('log', (e: { message: string }) => {
        if (e.message.includes('SignCertificate (V2G) not accepted')) resolve(e.message);
      }),
    );
    p.station.certificates.renew('V2GCertificate');
    assert.match(await gaveUp, /UnknownVendorId/);
    assert.is(signRequests(p).length, 1);
    // Only a trigger brings the next one.
    answerWrapped(p, { SignCertificate: () => ({ status: 'Accepted' }) });
    assert.equal((await wrapped(p, 'TriggerMessage', {})).data, { status: 'Accepted' });
    await p.waitFor(
      'DataTransfer',
      (m) => m !== signRequests(p)[0] && (m.request as { messageId?: string }).messageId === 'SignCertificate',
    );
    assert.is(signRequests(p).length, 2);
  } finally {
    await p.close();
  }
});

test('PnC16 §3.2 §4.4 (M01/M02, M06) Get15118EVCertificate and GetCertificateStatus through the wrapper, the OCSP answer cached', async () => {
  const p = await pncPair();
  try {
    let ocspAsked = 0;
    answerWrapped(p, {
      Get15118EVCertificate: (r) => ({ status: 'Accepted', exiResponse: `re:${r.exiRequest}` }),
      GetCertificateStatus: () => (ocspAsked++, { status: 'Accepted', ocspResult: 'b2NzcA==' }),
    });
    const ev = await p.station.certificates.get15118EVCertificate({
      iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef',
      action: 'Install',
      exiRequest: 'AAEC',
    });
    assert.equal(ev, { status: 'Accepted', exiResponse: 're:AAEC' });
    const sent = p
      .sent('DataTransfer')
      .find((m) => (m.request as { messageId?: string }).messageId === 'Get15118EVCertificate');
    assert.is((sent!.request as { vendorId: string }).vendorId, VENDOR);
    const ocspRequestData = {
      hashAlgorithm: 'SHA256' as const,
      issuerNameHash: 'aa',
      issuerKeyHash: 'bb',
      serialNumber: '01',
      responderURL: 'http://127.0.0.1:1/ocsp',
    };
    assert.equal(await p.station.certificates.getCertificateStatus(ocspRequestData), {
      status: 'Accepted',
      ocspResult: 'b2NzcA==',
    });
    await p.station.certificates.getCertificateStatus(ocspRequestData);
    assert.is(ocspAsked, 1, 'the second answer comes from the cache');
  } finally {
    await p.close();
  }
});

test('PnC16 §5 (C07) Plug and Charge authorization: the wrapped Authorize with the eMAID, then StartTransaction with the eMAID as idTag and no plain Authorize', async () => {
  const p = await pncPair();
  try {
    let authorize: any;
    answerWrapped(p, {
      Authorize: (r) => ((authorize = r), { idTokenInfo: { status: 'Accepted' }, certificateStatus: 'Accepted' }),
    });
    const emaid = 'DEABCC1234567';
    const mo = await CertificateAuthority.create({ commonName: 'MO root', organization: 'MO' });
    const answer = await p.station.certificates.authorizeContract({
      idToken: { idToken: emaid, type: 'eMAID' },
      certificate: mo.certPem,
    });
    assert.is(answer.idTokenInfo.status, 'Accepted');
    // 1.6's IdTokenType is the string alone; without CentralContractValidationAllowed no certificate goes out.
    assert.equal(authorize, { idToken: { idToken: emaid } });
    p.station.cablePlugged(1);
    p.station.idTokenPresented(tag(emaid));
    await p.waitFor('StartTransaction', (m) => (m.request as { idTag: string }).idTag === emaid);
    assert.is(p.sent('Authorize').length, 0, 'no plain Authorize for a Plug & Charge session');
  } finally {
    await p.close();
  }
});

test('PnC16 §5 §9.1 with CentralContractValidationAllowed the contract certificate goes to the CSMS; a revoked certificate does not authorize the eMAID', async () => {
  const p = await pncPair({ ISO15118PnCEnabled: true, CentralContractValidationAllowed: true });
  try {
    let authorize: any;
    answerWrapped(p, {
      Authorize: (r) => (
        (authorize = r),
        { idTokenInfo: { status: 'Accepted' }, certificateStatus: 'CertificateRevoked' }
      ),
      // The plain 1.6 Authorize that follows is answered by the built-in CSMS (Accepted for any idTag).
    });
    const mo = await CertificateAuthority.create({ commonName: 'MO root', organization: 'MO' });
    const answer = await p.station.certificates.authorizeContract({
      idToken: { idToken: 'DEABC0000001', type: 'eMAID' },
      certificate: mo.certPem,
    });
    assert.is(answer.certificateStatus, 'CertificateRevoked');
    assert.is(authorize.certificate, mo.certPem);
    p.station.cablePlugged(1);
    p.station.idTokenPresented(tag('DEABC0000001'));
    // Not taken as authorized by the contract: the station asks with a plain Authorize.
    await p.waitFor('Authorize', (m) => (m.request as { idTag: string }).idTag === 'DEABC0000001');
  } finally {
    await p.close();
  }
});

test('PnC16 §5 offline: with ContractValidationOffline the contract chain is checked against the MO roots; without it no charging', async () => {
  const p = await pncPair({ ISO15118PnCEnabled: true, ContractValidationOffline: true });
  try {
    const mo = await CertificateAuthority.create({ commonName: 'MO root', organization: 'MO' });
    const stranger = await CertificateAuthority.create({ commonName: 'other MO root', organization: 'X' });
    assert.equal(
      (await wrapped(p, 'InstallCertificate', { certificateType: 'MORootCertificate', certificate: mo.certPem })).data,
      {
        status: 'Accepted',
      },
    );
    const contract = await mo.issue({ commonName: 'DEABC0000002' }, { days: 30 });
    const foreign = await stranger.issue({ commonName: 'DEABC0000003' }, { days: 30 });
    const offline = new Promise<void>((resolve) => p.station.once('disconnected', () => resolve()));
    p.csms.refuseConnections(true);
    await p.csms.disconnect(p.identity);
    await offline;
    const ask = (idToken: string, certificate: string) =>
      p.station.certificates.authorizeContract({ idToken: { idToken, type: 'eMAID' }, certificate });
    // Valid: the eMAID goes on to the regular 1.6 offline rules (local list, cache, AllowOfflineTxForUnknownId).
    const valid = await ask('DEABC0000002', contract.cert);
    assert.equal(valid, { idTokenInfo: { status: 'Unknown' }, certificateStatus: 'Accepted', offline: true });
    const invalid = await ask('DEABC0000003', foreign.cert);
    assert.equal(invalid.idTokenInfo.status, 'Invalid');
    assert.is(invalid.certificateStatus, 'CertChainError');
    await p.restart({ variables: { ISO15118PnCEnabled: true, ContractValidationOffline: false } });
    const refused = await ask('DEABC0000002', contract.cert);
    assert.equal(refused.idTokenInfo.status, 'Invalid');
    assert.is(refused.offline, true);
  } finally {
    await p.close();
  }
});

test.run();
