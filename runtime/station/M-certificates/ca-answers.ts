// Block M's answers about the CA certificates: M05 InstallCertificate, M04 DeleteCertificate, M03
// GetInstalledCertificateIds. Pure: they read the store and return the rows to write as `commit`.
import type {
  CertificateHashDataChainType,
  DeleteCertificateRequest,
  DeleteCertificateResponse,
  GetCertificateIdUseEnumType,
  GetInstalledCertificateIdsRequest,
  GetInstalledCertificateIdsResponse,
  InstallCertificateRequest,
  InstallCertificateResponse,
} from '../../../generated/v201/types.js';
import type {
  GetInstalledCertificateIdsRequest as GetInstalledCertificateIdsRequest21,
  InstallCertificateRequest as InstallCertificateRequest21,
} from '../../../generated/v21/types.js';
import type { Answer, StationView } from '../core/types.js';
import { securityEvent } from '../A-security/security-log.js';
import type { CertificatesOptions, CertificatesState } from './certificates.js';
import { ANCHORS, caRows, chainHashData, rootsOf, rowHashData, V2G_USES } from './chains.js';
import { issuedBy, parseChain, sameHashData, validAt } from './pki.js';
import {
  certificateKey,
  certificatesOf,
  deleteCertificate,
  listCertificates,
  putCertificate,
  type OwnUse,
  type RootUse,
  type StoredCertificate,
} from './store.js';

/** M05: one CA certificate into the store. */
export function installCertificate(
  state: CertificatesState,
  req: InstallCertificateRequest | InstallCertificateRequest21,
  view: StationView,
  options: CertificatesOptions,
): Answer<CertificatesState, InstallCertificateResponse> {
  const use: RootUse = req.certificateType;
  const reject = (additionalInfo: string): InstallCertificateResponse => ({
    status: 'Rejected',
    statusInfo: { reasonCode: 'InvalidCertificate', additionalInfo: additionalInfo.slice(0, 512) },
  });
  const parsed = parseChain(req.certificate);
  // M05.FR.07: not a certificate, more than one, not a CA, or not valid now.
  if (!Array.isArray(parsed)) return { response: reject(parsed.invalid) };
  if (parsed.length !== 1) return { response: reject('one certificate expected') };
  const cert = parsed[0]!;
  if (!cert.ca) return { response: reject('not a CA certificate') };
  // A root (self-issued) must carry its own valid signature: a damaged one is not a root.
  if (cert.checkIssued(cert) && !issuedBy(cert, cert)) return { response: reject('its signature does not verify') };
  if (!validAt(cert, view.now())) return { response: reject(`not valid now (${cert.validFrom} – ${cert.validTo})`) };
  const key = certificateKey(use, cert);
  const rows = caRows(view);
  const replacing = rows.some((r) => r.key === key);
  // M05.FR.06: CertificateEntries' maxLimit (M05.FR.17: replacing the same one adds none).
  if (!replacing && rows.length >= options.maxEntries)
    return {
      response: {
        status: 'Rejected',
        statusInfo: { reasonCode: 'OutOfStorage', additionalInfo: `at most ${options.maxEntries} certificates` },
      },
    };
  const ops = [putCertificate(key, { use, pem: req.certificate, installedAt: new Date(view.now()).toISOString() })];
  let next = state;
  // M05.FR.09–12: with AdditionalRootCertificateCheck, a new CSMS root must be signed by the one it replaces,
  // which stays as fallback until a connection with the new one succeeds.
  if (
    use === 'CSMSRootCertificate' &&
    !replacing &&
    view.variables.bool('SecurityCtrlr', 'AdditionalRootCertificateCheck')
  ) {
    const old = listCertificates(view.store, 'CSMSRootCertificate').filter((r) => r.key !== state.fallbackRoot);
    const current = old[0];
    if (current) {
      const oldCert = certificatesOf(current)[0];
      if (!oldCert || !issuedBy(cert, oldCert))
        return { response: reject('not signed by the CSMS root it replaces (M05.FR.11)') };
      if (state.fallbackRoot) ops.push(deleteCertificate(state.fallbackRoot));
      next = { ...state, fallbackRoot: current.key };
    }
  }
  const count =
    rows.length + (replacing ? 0 : 1) - (next.fallbackRoot !== state.fallbackRoot && state.fallbackRoot ? 1 : 0);
  return {
    state: next,
    response: { status: 'Accepted' },
    commit: ops,
    // M05.FR.03: the store refused it.
    persistOrAnswer: { status: 'Failed' },
    after: [
      { type: 'setVariable', component: 'SecurityCtrlr', variable: 'CertificateEntries', value: String(count) },
      ...securityEvent(view, 'ReconfigurationOfSecurityParameters', `${use} installed`),
    ],
  };
}

/** M04: one certificate out of the store, named by its hash data. */
export function deleteCertificateAnswer(
  state: CertificatesState,
  req: DeleteCertificateRequest,
  view: StationView,
  options: CertificatesOptions,
): Answer<CertificatesState, DeleteCertificateResponse> {
  const wanted = req.certificateHashData;
  const names = (row: StoredCertificate, use: OwnUse) =>
    chainHashData(certificatesOf(row), rootsOf(view, ANCHORS[use]), wanted.hashAlgorithm).some((h) =>
      sameHashData(h, wanted),
    );
  // M04.FR.06: the station's own certificate (or a sub-CA of its chain) is never deleted this way.
  if (
    listCertificates(view.store, 'ChargingStationCertificate').some((row) => names(row, 'ChargingStationCertificate'))
  )
    return { response: fail('the Charging Station certificate cannot be deleted (M04.FR.06)') };
  // The V2G certificate GetInstalledCertificateIds reports (M03.FR.05; ISO 15118-2 or, 2.1, -20): deleted with its
  // chain and key.
  const v2g = V2G_USES.flatMap((use) => listCertificates(view.store, use).filter((row) => names(row, use)))[0];
  if (v2g) {
    const keys = options.keys;
    const keyId = v2g.keyId;
    return {
      response: { status: 'Accepted' },
      commit: [deleteCertificate(v2g.key)],
      persistOrAnswer: { status: 'Failed' },
      after: [
        ...(keys && keyId
          ? [
              {
                type: 'task' as const,
                name: 'discard the V2G key',
                run: async () => (keys.remove(keyId), undefined),
              },
            ]
          : []),
        ...securityEvent(view, 'ReconfigurationOfSecurityParameters', `${v2g.use} deleted`),
      ],
    };
  }
  const rows = caRows(view);
  const cas = rows.flatMap((r) => certificatesOf(r));
  const found = rows.find((r) => {
    const cert = certificatesOf(r)[0];
    return cert !== undefined && sameHashData(rowHashData(cert, cas, wanted.hashAlgorithm), wanted);
  });
  // M04.FR.04
  if (!found) return { response: { status: 'NotFound' } };
  // M04.FR.03: the root the secured connection depends on is not deleted while it is the only one.
  const csmsRoots = rows.filter((r) => r.use === 'CSMSRootCertificate');
  if (
    found.use === 'CSMSRootCertificate' &&
    csmsRoots.length === 1 &&
    (view.variables.int('SecurityCtrlr', 'SecurityProfile') ?? 0) >= 2
  )
    return { response: fail('the only CSMS root certificate is in use by the connection') };
  const { fallbackRoot: _deleted, ...withoutFallback } = state;
  const next = found.key === state.fallbackRoot ? withoutFallback : state;
  return {
    state: next,
    response: { status: 'Accepted' },
    commit: [deleteCertificate(found.key)],
    persistOrAnswer: { status: 'Failed' },
    after: [
      {
        type: 'setVariable',
        component: 'SecurityCtrlr',
        variable: 'CertificateEntries',
        value: String(rows.length - 1),
      },
      ...securityEvent(view, 'ReconfigurationOfSecurityParameters', `${found.use} deleted`),
    ],
  };
}

/** M03: the hash data of the installed certificates of the types asked (all without a type). */
export function installedCertificateIds(
  req: GetInstalledCertificateIdsRequest | GetInstalledCertificateIdsRequest21,
  view: StationView,
): Answer<CertificatesState, GetInstalledCertificateIdsResponse> {
  const types = req.certificateType;
  const wanted = (t: GetCertificateIdUseEnumType) => !types || types.length === 0 || types.includes(t);
  const rows = caRows(view);
  const cas = rows.flatMap((r) => certificatesOf(r));
  const chains: CertificateHashDataChainType[] = [];
  for (const row of rows) {
    const cert = certificatesOf(row)[0];
    const type = row.use as GetCertificateIdUseEnumType;
    if (cert && wanted(type))
      chains.push({ certificateType: type, certificateHashData: rowHashData(cert, cas, 'SHA256') });
  }
  // M03.FR.05: the V2G certificates (ISO 15118-2 and -20) with their sub-CAs as children.
  if (wanted('V2GCertificateChain'))
    for (const row of V2G_USES.flatMap((use) => listCertificates(view.store, use))) {
      const [leaf, ...children] = chainHashData(certificatesOf(row), rootsOf(view, 'V2GRootCertificate'), 'SHA256');
      if (!leaf) continue;
      chains.push({
        certificateType: 'V2GCertificateChain',
        certificateHashData: leaf,
        ...(children.length > 0 ? { childCertificateHashData: children } : {}),
      });
    }
  // M03.FR.02/03/04
  if (chains.length === 0) return { response: { status: 'NotFound' } };
  return { response: { status: 'Accepted', certificateHashDataChain: chains } };
}

function fail(additionalInfo: string): DeleteCertificateResponse {
  return {
    status: 'Failed',
    statusInfo: { reasonCode: 'InvalidCertificate', additionalInfo: additionalInfo.slice(0, 512) },
  };
}
