// L01.FR.21/22: the firmware signing certificate of an UpdateFirmwareRequest is checked before the request is
// accepted, against the ManufacturerRootCertificate(s) the station holds (X.509 rules, L01.FR.12). The manufacturer
// uses no intermediate certificate for firmware signing (L01 remark), so the signing certificate must be issued by a
// root directly. The roots are those installed in block M's store and the station option `firmware.rootCertificates`
// (firmware.ts, manufacturerRoots). Pure: parsing and checking certificates needs no I/O.
import { X509Certificate } from 'node:crypto';

/** Why the signing certificate is not acceptable, or undefined when it is. */
export function signingCertificateProblem(pem: string, roots: readonly string[], now: number): string | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return 'not a PEM X.509 certificate';
  }
  if (Date.parse(cert.validFrom) > now) return `not valid before ${cert.validFrom}`;
  if (Date.parse(cert.validTo) < now) return `expired on ${cert.validTo}`;
  if (roots.length === 0) return 'the station holds no ManufacturerRootCertificate';
  for (const pemRoot of roots) {
    let root: X509Certificate;
    try {
      root = new X509Certificate(pemRoot);
    } catch {
      continue;
    }
    if (Date.parse(root.validTo) < now || Date.parse(root.validFrom) > now) continue;
    if (cert.checkIssued(root) && cert.verify(root.publicKey)) return undefined;
  }
  return 'not issued by a ManufacturerRootCertificate of the station';
}
