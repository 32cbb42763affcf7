// The built-in CSMS's own PKI for security profile 3 without certificates prepared by hand: a folder holding a CA
// (which signs the stations' CSRs, A02) and the CSMS's server certificate issued by it (CN and subjectAltName the
// host stations connect to, A00.FR.510). Created on first use, reused afterwards; private keys owner-only (0600).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { CertificateAuthority } from '../station/M-certificates/ca.js';

export interface CsmsPki {
  folder: string;
  /** Whether the folder was created now (else loaded). */
  created: boolean;
  ca: CertificateAuthority;
  /** The CA certificate, PEM: what stations install as CSMSRootCertificate (or are given as their `tls.ca`). */
  caPem: string;
  /** The CSMS's server certificate and key, PEM. */
  cert: string;
  key: string;
}

const FILES = { caCert: 'ca.pem', caKey: 'ca.key', cert: 'csms.pem', key: 'csms.key' } as const;

function writePrivate(path: string, pem: string): void {
  writeFileSync(path, pem, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** The PKI in `folder`: loaded when its four files exist, else made for `host` (and localhost). */
export async function csmsPki(folder: string, host: string, organization = 'ocppkit'): Promise<CsmsPki> {
  const path = (name: string) => join(folder, name);
  if (Object.values(FILES).every((f) => existsSync(path(f)))) {
    const read = (name: string) => readFileSync(path(name), 'utf8');
    const ca = await CertificateAuthority.load(read(FILES.caCert), read(FILES.caKey));
    return { folder, created: false, ca, caPem: ca.certPem, cert: read(FILES.cert), key: read(FILES.key) };
  }
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const ca = await CertificateAuthority.create({ commonName: `${organization} CSMS Root`, organization });
  const names = [...new Set([host, 'localhost', '127.0.0.1'])];
  const server = await ca.issue(
    { commonName: host, organization },
    { days: 825, ips: names.filter((n) => isIP(n) !== 0), dns: names.filter((n) => isIP(n) === 0) },
  );
  writeFileSync(path(FILES.caCert), ca.certPem);
  writePrivate(path(FILES.caKey), ca.keyPem);
  writeFileSync(path(FILES.cert), server.cert);
  writePrivate(path(FILES.key), server.key!);
  return { folder, created: true, ca, caPem: ca.certPem, cert: server.cert, key: server.key! };
}
