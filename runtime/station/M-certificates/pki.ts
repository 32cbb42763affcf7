// The station's PKI operations, all through maintained libraries: Node's X509Certificate for parsing, signatures,
// validity and key match (synchronous, so the use cases' answers can decide with them), @peculiar/x509 for the DER
// of a name (hash data) and the PKCS#10 request (A02.FR.03). No openssl process, no hand-written ASN.1.
import 'reflect-metadata';
import { createHash, createPublicKey, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { CertificateHashDataType, HashAlgorithmEnumType } from '../../../generated/v201/types.js';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
/** A PEM chain may carry nothing but certificate blocks and white space. */
const PEM_ONLY = /^\s*(-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\s*)+$/;

/** The certificates of a PEM text (one or a chain, leaf first), or why it is not one (malformed PEM, bad DER). */
export function parseChain(pem: string): X509Certificate[] | { invalid: string } {
  if (typeof pem !== 'string' || !PEM_ONLY.test(pem)) return { invalid: 'not a PEM certificate (chain)' };
  const blocks = pem.match(PEM_BLOCK) ?? [];
  const certs: X509Certificate[] = [];
  for (const [i, block] of blocks.entries()) {
    try {
      certs.push(new X509Certificate(block));
    } catch {
      return { invalid: `certificate ${i + 1} of the PEM does not parse` };
    }
  }
  return certs.length > 0 ? certs : { invalid: 'no certificate in the PEM' };
}

const NODE_HASH: Record<HashAlgorithmEnumType, string> = { SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' };

const hex = (algorithm: HashAlgorithmEnumType, data: Uint8Array) =>
  createHash(NODE_HASH[algorithm]).update(data).digest('hex');

/**
 * The public key's bits as a certificate's subjectPublicKey BIT STRING holds them (what RFC 6960's issuerKeyHash
 * hashes): for EC the uncompressed point, for RSA the PKCS#1 RSAPublicKey, for EdDSA the raw key. Taken from Node's
 * key export, so no ASN.1 is parsed here.
 */
export function publicKeyBits(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === 'rsa') return key.export({ type: 'pkcs1', format: 'der' });
  const jwk = key.export({ format: 'jwk' });
  if (key.asymmetricKeyType === 'ec')
    return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  return Buffer.from(jwk.x!, 'base64url');
}

/**
 * The hash data that names `cert` in M03/M04 (CertificateHashDataType, as OCSP's CertID, RFC 6960): the hash of the
 * DER of its issuer's name, the hash of its issuer's public key, and its serial number in hexadecimal without
 * leading zeroes (the schema's note). `issuer` is the certificate that signed it; a root is its own issuer.
 */
export function hashData(
  cert: X509Certificate,
  issuer: X509Certificate = cert,
  hashAlgorithm: HashAlgorithmEnumType = 'SHA256',
): CertificateHashDataType {
  const issuerName = new Uint8Array(new x509.X509Certificate(cert.raw).issuerName.toArrayBuffer());
  return {
    hashAlgorithm,
    issuerNameHash: hex(hashAlgorithm, issuerName),
    issuerKeyHash: hex(hashAlgorithm, publicKeyBits(issuer.publicKey)),
    serialNumber: cert.serialNumber.replace(/^0+(?=.)/, '').toLowerCase(),
  };
}

/** Whether two hash data name the same certificate (hex compared case-insensitively, serial without leading zeroes). */
export function sameHashData(a: CertificateHashDataType, b: CertificateHashDataType): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/^0+(?=.)/, '');
  return (
    a.hashAlgorithm === b.hashAlgorithm &&
    a.issuerNameHash.toLowerCase() === b.issuerNameHash.toLowerCase() &&
    a.issuerKeyHash.toLowerCase() === b.issuerKeyHash.toLowerCase() &&
    norm(a.serialNumber) === norm(b.serialNumber)
  );
}

/** The OCSP responder a certificate names (Authority Information Access), if any. */
export function ocspUrl(cert: X509Certificate): string | undefined {
  return /OCSP - URI:(\S+)/.exec(cert.infoAccess ?? '')?.[1];
}

/** Whether `at` lies in the certificate's validity period. */
export function validAt(cert: X509Certificate, at: number): boolean {
  return Date.parse(cert.validFrom) <= at && at <= Date.parse(cert.validTo);
}

export function isCa(cert: X509Certificate): boolean {
  return cert.ca;
}

/** Whether `cert` was issued and signed by `issuer` (names match and the signature verifies). */
export function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * Why `chain` (leaf first, then intermediates) does not lead to one of `roots` at `at`, or undefined when it does
 * (A02.FR.06: validity period of every certificate, each signed by the next, the last by an installed root).
 */
export function chainProblem(
  chain: readonly X509Certificate[],
  roots: readonly X509Certificate[],
  at: number,
): string | undefined {
  for (const [i, cert] of chain.entries()) {
    if (!validAt(cert, at))
      return `certificate ${i + 1} of the chain is not valid now (${cert.validFrom} – ${cert.validTo})`;
    const next = chain[i + 1];
    if (next && !(next.ca && issuedBy(cert, next))) return `certificate ${i + 1} is not signed by certificate ${i + 2}`;
  }
  const last = chain[chain.length - 1]!;
  const root = roots.find((r) => validAt(r, at) && (r.fingerprint256 === last.fingerprint256 || issuedBy(last, r)));
  return root ? undefined : 'the chain does not lead to an installed root certificate';
}

/** Whether the certificate carries the public key of `privateKeyPem`. */
export function keyMatches(cert: X509Certificate, privateKeyPem: string): boolean {
  try {
    const fromKey = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' });
    return Buffer.compare(fromKey, cert.publicKey.export({ type: 'spki', format: 'der' })) === 0;
  } catch {
    return false;
  }
}

/** The organization (O) and common name (CN) of a certificate's subject. */
export function subjectOf(cert: X509Certificate): { organization?: string; commonName?: string } {
  const name = new x509.X509Certificate(cert.raw).subjectName;
  const first = (type: string) => name.getField(type)[0];
  const organization = first('O');
  const commonName = first('CN');
  return {
    ...(organization !== undefined ? { organization } : {}),
    ...(commonName !== undefined ? { commonName } : {}),
  };
}

export interface KeyAndCsr {
  /** The PKCS#10 request, PEM (A02.FR.03). */
  csr: string;
  /** The new private key, PKCS#8 PEM: it never leaves the station (A02.FR.05). */
  privateKey: string;
}

/** The subject of a CSR: CN, and O and C when known. */
export interface CsrSubject {
  commonName: string;
  organization?: string | undefined;
  country?: string;
}

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/**
 * A02.FR.02/03: a new key pair (ECDSA P-256: 128-bit security, above A00.FR.501/503's 112 bits, and the curve of
 * the ECDHE_ECDSA suites A00.FR.422 names) and a CSR for it with the subject A00.FR.509/511 ask for.
 */
export async function createKeyAndCsr(subject: CsrSubject): Promise<KeyAndCsr> {
  const keys = await webcrypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify']);
  const request = await x509.Pkcs10CertificateRequestGenerator.create(
    {
      // O and C only when configured: an empty O would be an odd name, not an absent one.
      name: [
        { CN: [subject.commonName] },
        ...(subject.organization ? [{ O: [subject.organization] }] : []),
        ...(subject.country ? [{ C: [subject.country] }] : []),
      ],
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    },
    webcrypto,
  );
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { csr: request.toString('pem'), privateKey: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}
