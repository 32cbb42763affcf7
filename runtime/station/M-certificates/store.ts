// The station's certificate store. Certificates are rows of the station's own store (the SQLite file), so that an
// answer can vouch for an installation with `commit` (written before the response, in one transaction with the
// state). Private keys are never in that file: each is a PEM file of its own in a key folder next to it, written
// with owner-only permission (0600, folder 0700), named by the hash of its public key, never sent anywhere
// (A02.FR.05). Reading is synchronous and cheap (a few rows, a few small files), so the pure answers can read.
import { createHash, createPublicKey, type X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../store/types.js';
import type { StoreOp } from '../core/types.js';
import type {
  CertificateSigningUseEnumType,
  GetCertificateStatusResponse,
  InstallCertificateUseEnumType as InstallUse201,
} from '../../../generated/v201/types.js';
import type {
  CertificateSigningUseEnumType as SigningUse21,
  InstallCertificateUseEnumType as InstallUse21,
} from '../../../generated/v21/types.js';
import { parseChain } from './pki.js';

export const CERTIFICATES_NS = 'station.certificates';

/** A CA certificate's use (InstallCertificate, 2.1 adds OEMRootCertificate). */
export type RootUse = InstallUse201 | InstallUse21;
/** The station's own certificates (A02/A03), each with its private key (2.1 adds V2G20Certificate, ISO 15118-20). */
export type OwnUse = CertificateSigningUseEnumType | SigningUse21;

export interface StoredCertificate {
  use: RootUse | OwnUse;
  /** The PEM as installed: one CA certificate, or the station's certificate followed by its sub-CAs. */
  pem: string;
  /** When it was installed, ISO 8601. */
  installedAt: string;
  /** The station's certificates: the id of the private key file (keyId of its public key). */
  keyId?: string;
}

/** A store row: `<use>/<SHA-256 fingerprint of the (leaf) certificate>`. */
export function certificateKey(use: StoredCertificate['use'], cert: X509Certificate): string {
  return `${use}/${cert.fingerprint256.replaceAll(':', '').toLowerCase()}`;
}

export function listCertificates(
  store: Store,
  use?: StoredCertificate['use'],
): (StoredCertificate & { key: string })[] {
  return store.list<StoredCertificate>(CERTIFICATES_NS, use === undefined ? undefined : `${use}/`).map((e) => ({
    ...e.value,
    key: e.key,
  }));
}

/** The parsed certificates of a row (its PEM was checked when installed). */
export function certificatesOf(row: StoredCertificate): X509Certificate[] {
  const parsed = parseChain(row.pem);
  return Array.isArray(parsed) ? parsed : [];
}

export const putCertificate = (key: string, value: StoredCertificate): StoreOp => ({
  op: 'put',
  namespace: CERTIFICATES_NS,
  key,
  value,
});
export const deleteCertificate = (key: string): StoreOp => ({ op: 'delete', namespace: CERTIFICATES_NS, key });

/** The id a private key file is named by: the SHA-256 of its public key (SPKI DER), hex. */
export function keyIdOf(keyPem: string): string {
  const spki = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex');
}

/** The folder of private keys: owner-only. */
export class KeyFolder {
  constructor(readonly path: string) {}

  /** Writes a private key (0600 from creation on, written to a temporary file and renamed); returns its id. */
  write(keyPem: string): string {
    const id = keyIdOf(keyPem);
    mkdirSync(this.path, { recursive: true, mode: 0o700 });
    chmodSync(this.path, 0o700);
    const file = join(this.path, `${id}.key`);
    const temp = `${file}.tmp`;
    writeFileSync(temp, keyPem, { mode: 0o600 });
    chmodSync(temp, 0o600); // the umask may not narrow it, but a pre-existing temp file keeps its mode
    renameSync(temp, file);
    return id;
  }

  read(id: string): string | undefined {
    if (!/^[0-9a-f]{64}$/.test(id)) return undefined;
    const file = join(this.path, `${id}.key`);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }

  remove(id: string): void {
    if (/^[0-9a-f]{64}$/.test(id)) rmSync(join(this.path, `${id}.key`), { force: true });
  }
}

/** The key folder next to the station's store file, or undefined for a store without a file (`:memory:`). */
export function defaultKeyFolder(store: Store | { path: string }): string | undefined {
  const location = 'path' in store && typeof store.path === 'string' ? store.path : (store as Store).location;
  return location && location !== ':memory:' && !location.startsWith('file::memory:') ? `${location}.keys` : undefined;
}

/** The station's key folder: the integrator's, else next to the store file (none for a store in memory). */
export function keyFolderOf(options: { store: Store | { path: string }; certificates?: { keyFolder?: string } }) {
  const path = options.certificates?.keyFolder ?? defaultKeyFolder(options.store);
  return path === undefined ? undefined : new KeyFolder(path);
}

/** M06: cached OCSP answers, by the hash data of the certificate they are about. */
export const OCSP_NS = 'station.ocsp';
/** M06.FR.10: cached OCSP data is refreshed at least once a week. */
export const OCSP_CACHE_MS = 7 * 86_400_000;

export interface CachedOcsp {
  /** When it was received, ms since the epoch. */
  at: number;
  response: GetCertificateStatusResponse;
}

/** The cache key of a certificate's OCSP data. */
export const ocspKey = (d: {
  hashAlgorithm: string;
  issuerNameHash: string;
  issuerKeyHash: string;
  serialNumber: string;
}) => [d.hashAlgorithm, d.issuerNameHash, d.issuerKeyHash, d.serialNumber].join('/').toLowerCase();
