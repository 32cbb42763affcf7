// The 1.6 security whitepaper's certificate management (use cases M03–M05 of its edition 3): InstallCertificate,
// DeleteCertificate and GetInstalledCertificateIds over the same certificate store as 2.x block M
// (M-certificates/store.ts): a 1.6 CentralSystemRootCertificate is kept as 2.x's CSMSRootCertificate, so the rows
// mean the same to both runtimes. Pure: the answers read the store and return the rows to write as `commit`.
import type {
  CertificateHashDataType,
  CertificateUseEnumType,
  DeleteCertificateRequest,
  DeleteCertificateResponse,
  GetInstalledCertificateIdsResponse,
  InstallCertificateRequest,
  InstallCertificateResponse,
} from '../../../../generated/v16/types.js';
import type { Family16 } from '../../core/family.js';
import type { Answer, StationView } from '../../core/types.js';
import { rowHashData } from '../../M-certificates/chains.js';
import { issuedBy, parseChain, sameHashData, validAt } from '../../M-certificates/pki.js';
import {
  certificateKey,
  certificatesOf,
  deleteCertificate,
  listCertificates,
  putCertificate,
  type RootUse,
} from '../../M-certificates/store.js';
import { securityEvent16 } from './security-log.js';

/** How a 1.6 certificate type is stored. */
const STORED: Record<CertificateUseEnumType, RootUse> = {
  CentralSystemRootCertificate: 'CSMSRootCertificate',
  ManufacturerRootCertificate: 'ManufacturerRootCertificate',
};
const USES = Object.keys(STORED) as CertificateUseEnumType[];

export interface CertificateLimits16 {
  /** CertificateStoreMaxLength: CA certificates kept at most. */
  maxEntries: number;
}

/** The 1.6 CA rows of the store, with their 1.6 type. */
function rows16(view: StationView<Family16>) {
  return USES.flatMap((type) => listCertificates(view.store, STORED[type]).map((row) => ({ ...row, type })));
}

/** InstallCertificate: one CA certificate, valid now, into the store; Rejected (with its security event) otherwise. */
export function installCertificate16<S>(
  request: InstallCertificateRequest,
  view: StationView<Family16>,
  limits: CertificateLimits16,
): Answer<S, InstallCertificateResponse, Family16> {
  const type = request.certificateType;
  const rejected = (why: string): Answer<S, InstallCertificateResponse, Family16> => ({
    response: { status: 'Rejected' },
    // TC_078_CS: an invalid Central System root is a security event; an invalid manufacturer root is the
    // firmware signing chain's.
    after: securityEvent16(
      view,
      type === 'CentralSystemRootCertificate' ? 'InvalidCentralSystemCertificate' : 'InvalidFirmwareSigningCertificate',
      why,
    ),
  });
  const parsed = parseChain(request.certificate);
  if (!Array.isArray(parsed)) return rejected(parsed.invalid);
  if (parsed.length !== 1) return rejected('one certificate expected');
  const cert = parsed[0]!;
  if (!cert.ca) return rejected('not a CA certificate');
  if (cert.checkIssued(cert) && !issuedBy(cert, cert)) return rejected('its signature does not verify');
  if (!validAt(cert, view.now())) return rejected(`not valid now (${cert.validFrom} – ${cert.validTo})`);
  const key = certificateKey(STORED[type], cert);
  const rows = rows16(view);
  // CertificateStoreMaxLength: a new one beyond it fails (the same one again replaces itself).
  if (!rows.some((r) => r.key === key) && rows.length >= limits.maxEntries) return { response: { status: 'Failed' } };
  return {
    response: { status: 'Accepted' },
    commit: [
      putCertificate(key, {
        use: STORED[type],
        pem: request.certificate,
        installedAt: new Date(view.now()).toISOString(),
      }),
    ],
    // The store refused it.
    persistOrAnswer: { status: 'Failed' },
    after: securityEvent16(view, 'ReconfigurationOfSecurityParameters', `${type} installed`),
  };
}

/** The hash data of a stored CA certificate (its issuer: itself, or another installed CA). */
function hashOf(view: StationView<Family16>, algorithm: CertificateHashDataType['hashAlgorithm']) {
  const rows = rows16(view);
  const cas = rows.flatMap((r) => certificatesOf(r));
  return rows.flatMap((row) => {
    const cert = certificatesOf(row)[0];
    return cert ? [{ row, hash: rowHashData(cert, cas, algorithm) }] : [];
  });
}

/** DeleteCertificate: the CA certificate named by its hash data; NotFound when none is. */
export function deleteCertificate16<S>(
  request: DeleteCertificateRequest,
  view: StationView<Family16>,
): Answer<S, DeleteCertificateResponse, Family16> {
  const wanted = request.certificateHashData;
  const found = hashOf(view, wanted.hashAlgorithm).find((h) => sameHashData(h.hash, wanted));
  if (!found) return { response: { status: 'NotFound' } };
  return {
    response: { status: 'Accepted' },
    commit: [deleteCertificate(found.row.key)],
    persistOrAnswer: { status: 'Failed' },
    after: securityEvent16(view, 'ReconfigurationOfSecurityParameters', `${found.row.type} deleted`),
  };
}

/** GetInstalledCertificateIds: the hash data (SHA256) of the installed certificates of the type; NotFound: none. */
export function installedCertificateIds16(
  type: CertificateUseEnumType,
  view: StationView<Family16>,
): GetInstalledCertificateIdsResponse {
  const hashes = hashOf(view, 'SHA256')
    .filter((h) => h.row.type === type)
    .map((h) => h.hash);
  return hashes.length > 0 ? { status: 'Accepted', certificateHashData: hashes } : { status: 'NotFound' };
}
