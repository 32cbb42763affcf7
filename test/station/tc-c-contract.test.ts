// Part 6 TC_C_50–55: authorization with an ISO 15118 contract certificate (C07), driven as the integrator's ISO 15118
// stack does (certificates.contractPresented with the EV's eMAID and contract chain), over real TLS on 127.0.0.1
// (security profile 2) against the built-in CSMS, with the station's own blocks C and E. Every certificate (the
// CSMS's server certificate, the MO and V2G roots, the contract chains) is made at test time.
import 'reflect-metadata';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { X509Certificate } from 'node:crypto';
import type { HardwareCall } from '../../runtime/station/core/types.js';
import { CertificateAuthority } from '../../runtime/station/M-certificates/ca.js';
import { until } from '../support/rpc-harness.js';
import { startPair, type Pair } from '../support/station-harness.js';

const PASSWORD = 'a-long-enough-password-0001';
const EMAID = 'NLXYZC00012345';
const OCSP = 'http://127.0.0.1:9/ocsp';

interface PnC {
  pair: Pair;
  hw: HardwareCall[];
  /** The eMobility operator's root; installed as MORootCertificate unless `noRoots`. */
  mo: CertificateAuthority;
  /** The contract chain of the EV: leaf (CN the eMAID) and the MO sub-CA, each naming an OCSP responder. */
  chain: string;
  leaf: X509Certificate;
  sub: X509Certificate;
}

/**
 * A profile-2 pair (TLS, the CSMS's certificate from a CSO root the station trusts) with ISO15118Ctrlr configured as
 * the cases' preparations say, the V2G and MO roots installed by the CSMS (Memory State CertificateInstalled) unless
 * `noRoots`, and a contract chain issued under the MO root.
 */
async function pnc(
  variables: Record<string, string | boolean>,
  { noRoots = false, evses = 1, v21 = false } = {},
): Promise<PnC> {
  const [cso, v2g, mo] = await Promise.all([
    CertificateAuthority.create({ commonName: 'CSO Root' }),
    CertificateAuthority.create({ commonName: 'V2G Root' }),
    CertificateAuthority.create({ commonName: 'MO Root' }),
  ]);
  const server = await cso.issue({ commonName: '127.0.0.1' }, { ips: ['127.0.0.1'] });
  const moSub = await mo.subCa({ commonName: 'MO Sub-CA' }, { ocsp: OCSP });
  const contract = await moSub.issue({ commonName: EMAID }, { ocsp: OCSP });
  const hw: HardwareCall[] = [];
  const pair = await startPair({
    csms: {
      securityProfile: 2,
      password: PASSWORD,
      tls: { cert: server.cert, key: server.key! },
      ...(v21 ? { versions: ['ocpp2.1' as const] } : {}),
    },
    station: {
      ...(v21 ? { versions: ['ocpp2.1' as const] } : {}),
      evses: Array.from({ length: evses }, (_, i) => ({ id: i + 1, connectors: [{ id: 1 }] })),
      hardware: {
        startCharging: (evseId, connectorId) => void hw.push({ op: 'startCharging', args: [evseId, connectorId] }),
        stopCharging: (evseId) => void hw.push({ op: 'stopCharging', args: [evseId] }),
      },
    },
    start: false,
  });
  await pair.restart({
    csms: { url: pair.url, securityProfile: 2, password: PASSWORD, tls: { ca: cso.certPem } },
    variables: {
      'TxCtrlr.TxStartPoint': 'EVConnected',
      'ISO15118Ctrlr.PnCEnabled': true,
      'ISO15118Ctrlr.CentralContractValidationAllowed': false,
      'ISO15118Ctrlr.ContractValidationOffline': false,
      'ISO15118Ctrlr.ContractCertificateInstallationEnabled': true,
      'ISO15118Ctrlr.V2GCertificateInstallationEnabled': true,
      'ISO15118Ctrlr.SeccId': 'SECC-1',
      'ISO15118Ctrlr.CountryName': 'NL',
      'ISO15118Ctrlr.OrganizationName': 'ocppkit tests',
      'OCPPCommCtrlr.RetryBackOffWaitMinimum': 1,
      'OCPPCommCtrlr.RetryBackOffRandomRange': 0,
      ...variables,
    },
  });
  await until(() => pair.station.registration === 'Accepted', 5000, 'Accepted over TLS');
  if (!noRoots) {
    for (const [type, root] of [
      ['V2GRootCertificate', v2g],
      ['MORootCertificate', mo],
    ] as const)
      assert.equal(await pair.csms.installCertificate(pair.identity, type, root.certPem), { status: 'Accepted' });
  }
  return {
    pair,
    hw,
    mo,
    chain: `${contract.cert}${moSub.certPem}`,
    leaf: new X509Certificate(contract.cert),
    sub: new X509Certificate(moSub.certPem),
  };
}

/** The integrator's 15118 stack hands over the EV's contract (the test chain, eMAID EMAID) at EVSE 1. */
const present = (p: Awaited<ReturnType<typeof pnc>>) =>
  p.pair.station.certificates.contractPresented({ eMAID: EMAID, certificate: p.chain, evseId: 1 });

/** Reusable State EVConnectedPreSession: the EV is plugged in (StatusNotification Occupied). */
async function evConnected(pair: Pair): Promise<void> {
  const since = pair.csms.log.length;
  pair.station.cablePlugged(1, 1);
  await pair.csms.waitFor(
    (m) =>
      m.identity === pair.identity &&
      m.action === 'StatusNotification' &&
      (m.request as any).connectorStatus === 'Occupied',
    5000,
    since - 1,
  );
}

const txEvents = (pair: Pair) => pair.sent('TransactionEvent').map((m) => m.request as any);

/** Post scenario validation of the refused cases: no Authorized TransactionEvent, never Charging, no energy. */
async function notCharging(p: PnC): Promise<void> {
  // Something the station reports after the verdict had every consequence: the EV leaves (E's Ended or Available).
  const since = p.pair.csms.log.length;
  p.pair.station.cableUnplugged(1, 1);
  await p.pair.csms.waitFor(
    (m) =>
      m.identity === p.pair.identity &&
      m.action === 'StatusNotification' &&
      (m.request as any).connectorStatus === 'Available',
    5000,
    since - 1,
  );
  const tx = txEvents(p.pair);
  assert.not.ok(
    tx.some((r) => r.triggerReason === 'Authorized' || r.transactionInfo.chargingState === 'Charging'),
    'no TransactionEvent with triggerReason Authorized or chargingState Charging',
  );
  assert.not.ok(
    p.hw.some((h) => h.op === 'startCharging'),
    'no energy offered',
  );
}

/** After an accepted verdict: TransactionEvent Authorized with the eMAID, energy offered, then Charging. */
async function charges(p: PnC): Promise<void> {
  const authorized = (
    await p.pair.waitFor('TransactionEvent', (m) => (m.request as any).triggerReason === 'Authorized')
  ).request as any;
  assert.equal(authorized.idToken, { idToken: EMAID, type: 'eMAID' });
  await until(() => p.hw.some((h) => h.op === 'startCharging'), 5000, 'energy offered');
  // Reusable State EnergyTransferStarted.
  p.pair.station.chargingStateChanged(1, 'Charging');
  await p.pair.waitFor('TransactionEvent', (m) => (m.request as any).transactionInfo.chargingState === 'Charging');
}

const serial = (c: X509Certificate) => c.serialNumber.replace(/^0+(?=.)/, '').toLowerCase();

test('TC_C_50_CS C07.FR.01 C07.FR.02: online, a contract the installed MO root validates: Authorize with the eMAID and the OCSP data of its chain, Accepted, then charging', async () => {
  const p = await pnc({});
  try {
    p.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Accepted' }, certificateStatus: 'Accepted' }));
    await evConnected(p.pair);
    const verdict = await present(p);
    assert.equal([verdict.idTokenInfo.status, verdict.certificateStatus, verdict.evseId], ['Accepted', 'Accepted', 1]);
    const [authorize] = p.pair.sent('Authorize').map((m) => m.request as any);
    assert.equal(authorize.idToken, { idToken: EMAID, type: 'eMAID' });
    assert.is(authorize.certificate, undefined, 'validated locally: the chain itself is not sent');
    // Leaf by the sub-CA, sub-CA by the installed MO root: both named as OCSP's CertID, with their responder.
    assert.equal(
      authorize.iso15118CertificateHashData.map((d: any) => [d.serialNumber, d.responderURL, d.hashAlgorithm]),
      [
        [serial(p.leaf), OCSP, 'SHA256'],
        [serial(p.sub), OCSP, 'SHA256'],
      ],
    );
    await charges(p);
  } finally {
    await p.pair.close();
  }
});

test('TC_C_50_CS over OCPP 2.1: the same AuthorizeRequest with the OCSP data of the chain, then charging', async () => {
  const p = await pnc({}, { v21: true });
  try {
    p.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Accepted' }, certificateStatus: 'Accepted' }));
    await evConnected(p.pair);
    const verdict = await present(p);
    assert.equal([verdict.idTokenInfo.status, verdict.certificateStatus], ['Accepted', 'Accepted']);
    const [authorize] = p.pair.sent('Authorize').map((m) => m.request as any);
    assert.equal(authorize.idToken, { idToken: EMAID, type: 'eMAID' });
    assert.is(authorize.iso15118CertificateHashData.length, 2);
    await charges(p);
  } finally {
    await p.pair.close();
  }
});

test('TC_C_51_CS C07.FR.01 C07.FR.02: online, the CSMS refuses the eMAID of a valid contract (Invalid, ContractCancelled): no transaction authorized, no charging', async () => {
  const p = await pnc({});
  try {
    p.pair.csms.respond('Authorize', () => ({
      idTokenInfo: { status: 'Invalid' },
      certificateStatus: 'ContractCancelled',
    }));
    await evConnected(p.pair);
    const verdict = await present(p);
    assert.equal([verdict.idTokenInfo.status, verdict.certificateStatus], ['Invalid', 'ContractCancelled']);
    const [authorize] = p.pair.sent('Authorize').map((m) => m.request as any);
    assert.is(authorize.idToken.type, 'eMAID');
    assert.ok(authorize.iso15118CertificateHashData.length > 0, 'iso15118CertificateHashData is provided');
    await notCharging(p);
  } finally {
    await p.pair.close();
  }
});

test('TC_C_52_CS C07.FR.01 C07.FR.02 C07.FR.06: online, no root to validate the contract and CentralContractValidationAllowed: the chain goes to the CSMS in certificate (PEM); Accepted, then charging', async () => {
  const p = await pnc({ 'ISO15118Ctrlr.CentralContractValidationAllowed': true }, { noRoots: true });
  try {
    p.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Accepted' }, certificateStatus: 'Accepted' }));
    await evConnected(p.pair);
    const verdict = await present(p);
    assert.is(verdict.idTokenInfo.status, 'Accepted');
    const [authorize] = p.pair.sent('Authorize').map((m) => m.request as any);
    assert.equal(authorize.idToken, { idToken: EMAID, type: 'eMAID' });
    assert.is(authorize.certificate, p.chain, 'the contract certificate chain, PEM');
    // What can be named without the root: the leaf, by the sub-CA of the chain.
    assert.equal(
      authorize.iso15118CertificateHashData.map((d: any) => d.serialNumber),
      [serial(p.leaf)],
    );
    await charges(p);
  } finally {
    await p.pair.close();
  }
});

test('TC_C_53_CS C07.FR.06: online, central contract validation fails (Invalid, CertificateRevoked): no transaction authorized, no charging', async () => {
  const p = await pnc({ 'ISO15118Ctrlr.CentralContractValidationAllowed': true }, { noRoots: true });
  try {
    p.pair.csms.respond('Authorize', () => ({
      idTokenInfo: { status: 'Invalid' },
      certificateStatus: 'CertificateRevoked',
    }));
    await evConnected(p.pair);
    const verdict = await present(p);
    assert.equal([verdict.idTokenInfo.status, verdict.certificateStatus], ['Invalid', 'CertificateRevoked']);
    const [authorize] = p.pair.sent('Authorize').map((m) => m.request as any);
    assert.is(authorize.certificate, p.chain);
    await notCharging(p);
  } finally {
    await p.pair.close();
  }
});

test('C07.FR.06: no root to validate the contract and CentralContractValidationAllowed false: refused by the station (CertChainError) without charging', async () => {
  const p = await pnc({}, { noRoots: true });
  try {
    await evConnected(p.pair);
    const verdict = await present(p);
    assert.equal([verdict.idTokenInfo.status, verdict.certificateStatus], ['Invalid', 'CertChainError']);
    assert.is(p.pair.sent('Authorize').length, 0);
    await notCharging(p);
  } finally {
    await p.pair.close();
  }
});

test('C07.FR.01 C07.FR.08: a contract that fails against its installed MO root (expired) is refused by the station, online (Expired, CertificateExpired, the CSMS could only say the same) and offline', async () => {
  const p = await pnc({
    'ISO15118Ctrlr.ContractValidationOffline': true,
    'AuthCtrlr.OfflineTxForUnknownIdEnabled': true,
  });
  try {
    const day = 86_400_000;
    const expired = await p.mo.issue({ commonName: EMAID }, { notBefore: Date.now() - 10 * day, days: 1, ocsp: OCSP });
    await evConnected(p.pair);
    const online = await p.pair.station.certificates.contractPresented({
      eMAID: EMAID,
      certificate: expired.cert,
      evseId: 1,
    });
    assert.equal([online.idTokenInfo.status, online.certificateStatus], ['Expired', 'CertificateExpired']);
    await csmsGone(p.pair);
    const offline = await p.pair.station.certificates.contractPresented({
      eMAID: EMAID,
      certificate: expired.cert,
      evseId: 1,
    });
    assert.equal([offline.idTokenInfo.status, offline.certificateStatus], ['Expired', 'CertificateExpired']);
    await csmsBack(p.pair);
    await notCharging(p);
    assert.is(p.pair.sent('Authorize').length, 0);
  } finally {
    await p.pair.close();
  }
});

test('ISO15118Ctrlr.PnCEnabled false: Plug & Charge is off, a contract authorizes nothing and nothing is asked', async () => {
  const p = await pnc({ 'ISO15118Ctrlr.PnCEnabled': false });
  try {
    await evConnected(p.pair);
    const verdict = await present(p);
    assert.is(verdict.idTokenInfo.status, 'Invalid');
    await notCharging(p);
    assert.is(p.pair.sent('Authorize').length, 0);
  } finally {
    await p.pair.close();
  }
});

test('C07.FR.01: a CSMS that accepts the eMAID of a certificate it reports revoked is taken at the certificate’s word: no charging', async () => {
  const p = await pnc({});
  try {
    p.pair.csms.respond('Authorize', () => ({
      idTokenInfo: { status: 'Accepted' },
      certificateStatus: 'CertificateRevoked',
    }));
    await evConnected(p.pair);
    const verdict = await present(p);
    assert.equal([verdict.idTokenInfo.status, verdict.certificateStatus], ['Invalid', 'CertificateRevoked']);
    await notCharging(p);
  } finally {
    await p.pair.close();
  }
});

test('C08.FR.01: EIM with an ISO 15118 EV: the driver’s card goes to the CSMS for validation (the identifier only), then charging', async () => {
  const p = await pnc({});
  try {
    await evConnected(p.pair);
    const card = { idToken: 'EIM-CARD-1', type: 'ISO14443' as const };
    p.pair.station.idTokenPresented(card, 1);
    const authorize = (await p.pair.waitFor('Authorize')).request as any;
    assert.equal(authorize, { idToken: card });
    const authorized = (
      await p.pair.waitFor('TransactionEvent', (m) => (m.request as any).triggerReason === 'Authorized')
    ).request as any;
    assert.equal(authorized.idToken, card);
    await until(() => p.hw.some((h) => h.op === 'startCharging'), 5000, 'energy offered');
  } finally {
    await p.pair.close();
  }
});

/** The CSMS closes the connection and refuses reconnections (step 1 of TC_C_54/55). */
async function csmsGone(pair: Pair): Promise<void> {
  pair.csms.refuseConnections(true);
  await pair.csms.disconnect(pair.identity);
  await until(() => !pair.station.connected, 5000, 'offline');
}

/** The CSMS accepts the station again; resolves once it is back (RetryBackOffWaitMinimum 1 s). */
async function csmsBack(pair: Pair): Promise<number> {
  const since = pair.csms.log.length;
  pair.csms.refuseConnections(false);
  await until(() => pair.station.connected, 10_000, 'back online');
  return since;
}

test('TC_C_54_CS C07.FR.08 C07.FR.09 C07.FR.12: offline with ContractValidationOffline, a contract the installed roots validate and an unknown eMAID (OfflineTxForUnknownIdEnabled): charging; the queued events arrive marked offline', async () => {
  const p = await pnc({
    'ISO15118Ctrlr.ContractValidationOffline': true,
    'AuthCtrlr.OfflineTxForUnknownIdEnabled': true,
  });
  try {
    await csmsGone(p.pair);
    p.pair.station.cablePlugged(1, 1);
    const verdict = await present(p);
    assert.equal(
      [verdict.idTokenInfo.status, verdict.certificateStatus, verdict.source],
      ['Accepted', 'Accepted', 'offline'],
    );
    await until(() => p.hw.some((h) => h.op === 'startCharging'), 5000, 'energy offered offline');
    p.pair.station.chargingStateChanged(1, 'Charging');
    const since = await csmsBack(p.pair);
    // Step 3: the connector's status after the offline period.
    await p.pair.csms.waitFor(
      (m) =>
        m.identity === p.pair.identity &&
        m.action === 'StatusNotification' &&
        (m.request as any).connectorStatus === 'Occupied',
      5000,
      since - 1,
    );
    const after = (match: (r: any) => boolean) =>
      p.pair.csms.waitFor(
        (m) => m.identity === p.pair.identity && m.action === 'TransactionEvent' && match(m.request),
        5000,
        since - 1,
      );
    const plugged = (await after((r) => r.triggerReason === 'CablePluggedIn')).request as any;
    assert.equal([plugged.transactionInfo.chargingState, plugged.offline], ['EVConnected', true]);
    const authorized = (await after((r) => r.triggerReason === 'Authorized')).request as any;
    assert.equal([authorized.idToken, authorized.offline], [{ idToken: EMAID, type: 'eMAID' }, true]);
    await after((r) => r.transactionInfo.chargingState === 'Charging');
    assert.is(p.pair.sent('Authorize').length, 0, 'nothing asked while offline');
  } finally {
    await p.pair.close();
  }
});

test('C07.FR.09 C07.FR.10 C07.FR.11: offline with ContractValidationOffline, a valid contract whose eMAID the local list (or the cache) refuses or accepts is judged by it', async () => {
  const p = await pnc(
    {
      'ISO15118Ctrlr.ContractValidationOffline': true,
      'AuthCtrlr.OfflineTxForUnknownIdEnabled': true,
      'AuthCtrlr.LocalAuthorizeOffline': true,
    },
    { evses: 3 },
  );
  try {
    const blocked = 'NLXYZC00099999';
    assert.equal(
      await p.pair.csms.call(p.pair.identity, 'SendLocalList', {
        versionNumber: 1,
        updateType: 'Full',
        localAuthorizationList: [{ idToken: { idToken: blocked, type: 'eMAID' }, idTokenInfo: { status: 'Blocked' } }],
      }),
      { status: 'Accepted' },
    );
    // The cache learns the eMAID of the chain from an online authorization first (C10).
    p.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Accepted' }, certificateStatus: 'Accepted' }));
    const online = await present(p);
    assert.is(online.source, 'csms');
    await csmsGone(p.pair);
    const cached = await p.pair.station.certificates.contractPresented({
      eMAID: EMAID,
      certificate: p.chain,
      evseId: 2,
    });
    assert.equal([cached.idTokenInfo.status, cached.source], ['Accepted', 'cache'], 'C07.FR.11: the cache decides');
    const listed = await p.pair.station.certificates.contractPresented({
      eMAID: blocked,
      certificate: p.chain,
      evseId: 3,
    });
    assert.equal([listed.idTokenInfo.status, listed.source], ['Blocked', 'localList'], 'C07.FR.10: the list decides');
  } finally {
    await p.pair.close();
  }
});

test('TC_C_55_CS C07.FR.07: offline with ContractValidationOffline false: a contract is refused, the transaction is not authorized and does not charge', async () => {
  const p = await pnc({ 'AuthCtrlr.OfflineTxForUnknownIdEnabled': true });
  try {
    await csmsGone(p.pair);
    p.pair.station.cablePlugged(1, 1);
    const verdict = await present(p);
    assert.is(verdict.idTokenInfo.status, 'Invalid');
    const since = await csmsBack(p.pair);
    // Step 3: the connector's status after the offline period.
    await p.pair.csms.waitFor(
      (m) =>
        m.identity === p.pair.identity &&
        m.action === 'StatusNotification' &&
        (m.request as any).connectorStatus === 'Occupied',
      5000,
      since - 1,
    );
    const plugged = (
      await p.pair.csms.waitFor(
        (m) =>
          m.identity === p.pair.identity &&
          m.action === 'TransactionEvent' &&
          (m.request as any).triggerReason === 'CablePluggedIn',
        5000,
        since - 1,
      )
    ).request as any;
    assert.equal([plugged.transactionInfo.chargingState, plugged.offline], ['EVConnected', true]);
    await notCharging(p);
  } finally {
    await p.pair.close();
  }
});

test('certificates.contractPresented: a malformed chain or an EVSE that does not exist is refused at the call, nothing is sent', async () => {
  const p = await pnc({});
  try {
    const present = p.pair.station.certificates;
    assert.throws(
      () => present.contractPresented({ eMAID: EMAID, certificate: 'not a PEM', evseId: 1 }),
      /certificate/,
    );
    let refused: unknown;
    try {
      await present.contractPresented({ eMAID: EMAID, certificate: p.chain, evseId: 9 });
    } catch (error) {
      refused = error;
    }
    assert.instance(refused, RangeError);
    assert.is(p.pair.sent('Authorize').length, 0);
  } finally {
    await p.pair.close();
  }
});

test.run();
