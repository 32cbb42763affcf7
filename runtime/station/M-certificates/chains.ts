// The chains of the certificate store: which rows are CA certificates, which of the station's own certificates is in
// use, what anchors each chains to, and the hash data (M03/M04) of each certificate of a chain.
import type { X509Certificate } from 'node:crypto';
import type { CertificateHashDataType } from '../../../generated/v201/types.js';
import type { StationView } from '../core/types.js';
import { hashData, issuedBy, validAt } from './pki.js';
import { certificatesOf, listCertificates, type OwnUse, type RootUse, type StoredCertificate } from './store.js';

export const OWN_USES: readonly OwnUse[] = ['ChargingStationCertificate', 'V2GCertificate', 'V2G20Certificate'];

/** The station's ISO 15118 certificates: -2 (V2GCertificate) and, 2.1, -20 (V2G20Certificate). */
export const V2G_USES = ['V2GCertificate', 'V2G20Certificate'] as const satisfies readonly OwnUse[];

/** Which trust anchors a certificate of the station's own chains to (A02.FR.06, Certificate Hierarchy). */
export const ANCHORS: Record<OwnUse, RootUse> = {
  ChargingStationCertificate: 'CSMSRootCertificate',
  V2GCertificate: 'V2GRootCertificate',
  V2G20Certificate: 'V2GRootCertificate',
};

/** The CA certificates' rows (every use but the station's own certificates). */
export const caRows = (view: StationView) =>
  listCertificates(view.store).filter((row) => !OWN_USES.includes(row.use as OwnUse));

/** The newest valid certificate row of the station's own for `use` (A02.FR.09 in 2.0.1 edition 2). */
export function currentOwnCertificate(
  store: StationView['store'],
  use: OwnUse,
  at: number,
): (StoredCertificate & { key: string; chain: X509Certificate[] }) | undefined {
  return (
    listCertificates(store, use)
      .map((row) => ({ ...row, chain: certificatesOf(row) }))
      .filter((row) => row.chain[0] !== undefined && validAt(row.chain[0], at))
      // validFrom has whole seconds: of two issued within one second, the one installed last is the newer.
      .sort(
        (a, b) =>
          Date.parse(b.chain[0]!.validFrom) - Date.parse(a.chain[0]!.validFrom) ||
          Date.parse(b.installedAt) - Date.parse(a.installedAt),
      )[0]
  );
}

/** The certificates of one use, parsed. */
export const rootsOf = (view: StationView, use: RootUse) =>
  listCertificates(view.store, use).flatMap((row) => certificatesOf(row));

/** The hash data of a CA row: its issuer is itself, or another installed CA that signed it. */
export function rowHashData(
  cert: X509Certificate,
  cas: readonly X509Certificate[],
  algorithm: CertificateHashDataType['hashAlgorithm'],
) {
  const issuer = issuedBy(cert, cert) ? cert : (cas.find((ca) => ca !== cert && issuedBy(cert, ca)) ?? cert);
  return hashData(cert, issuer, algorithm);
}

/** The hash data of each certificate of a chain (leaf first): each issued by the next, the last by an anchor. */
export function chainHashData(
  chain: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  algorithm: CertificateHashDataType['hashAlgorithm'],
): CertificateHashDataType[] {
  return chain.map((cert, i) => {
    const issuer = chain[i + 1] ?? anchors.find((r) => issuedBy(cert, r)) ?? cert;
    return hashData(cert, issuer, algorithm);
  });
}
