// A small certificate authority: a self-signed root and the certificates it issues (for a CSR, or a key it makes
// itself). The built-in CSMS signs its stations' CSRs with it (A02/A03 seen from the CSMS), and the tests make all
// their certificates with it at test time. ECDSA P-256 with SHA-256 throughout (A00.FR.503/505/506).
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from '@peculiar/x509';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface Issued {
  /** The certificate, PEM. */
  cert: string;
  /** Its private key, PKCS#8 PEM (absent when the certificate was issued for a CSR: the key stays with its owner). */
  key?: string;
}

export interface IssueOptions {
  /** Validity start, ms since the epoch (default: one hour ago, for clock skew, A02.FR.06 note). */
  notBefore?: number;
  /** Validity in days (default 365). */
  days?: number;
  /** A CA certificate (sub-CA) rather than an end-entity one. */
  ca?: boolean;
  /** DNS names and IP addresses for a server certificate's subjectAltName. */
  dns?: string[];
  ips?: string[];
  /** The OCSP responder URL to name in the certificate (Authority Information Access, RFC 5280 §4.2.2.1). */
  ocsp?: string;
  /** signCsr: the subject to certify instead of the CSR's (tests of a station that must refuse it). */
  subject?: { commonName: string; organization?: string };
}

const serial = () => {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f; // a positive INTEGER (RFC 5280 §4.1.2.2)
  return bytes.toString('hex');
};

const pemKey = async (key: CryptoKey) =>
  x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');

/** Names as JSON for @peculiar/x509, never as an escaped string (an organization may contain a comma). */
const nameOf = (subject: { commonName: string; organization?: string }): x509.JsonName => [
  { CN: [subject.commonName] },
  ...(subject.organization !== undefined ? [{ O: [subject.organization] }] : []),
];

export class CertificateAuthority {
  private constructor(
    readonly cert: x509.X509Certificate,
    private readonly keys: CryptoKeyPair,
    /** The private key, PKCS#8 PEM, to keep the CA across restarts. */
    readonly keyPem: string,
  ) {}

  /** The CA certificate, PEM. */
  get certPem(): string {
    return this.cert.toString('pem');
  }

  /** A new self-signed root. */
  static async create(
    subject: { commonName: string; organization?: string },
    options: IssueOptions = {},
  ): Promise<CertificateAuthority> {
    const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
    const notBefore = new Date(options.notBefore ?? Date.now() - 3_600_000);
    const cert = await x509.X509CertificateGenerator.createSelfSigned(
      {
        serialNumber: serial(),
        name: nameOf(subject),
        notBefore,
        notAfter: new Date(notBefore.getTime() + (options.days ?? 3650) * DAY),
        keys,
        signingAlgorithm: ALG,
        extensions: [
          new x509.BasicConstraintsExtension(true, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
          await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
        ],
      },
      webcrypto,
    );
    return new CertificateAuthority(cert, keys, await pemKey(keys.privateKey));
  }

  /** A CA kept before (its certificate and PKCS#8 key, PEM). */
  static async load(certPem: string, keyPem: string): Promise<CertificateAuthority> {
    const cert = new x509.X509Certificate(certPem);
    const privateKey = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(keyPem), ALG, true, [
      'sign',
    ]);
    const publicKey = await cert.publicKey.export(ALG, ['verify'], webcrypto);
    return new CertificateAuthority(cert, { privateKey, publicKey }, keyPem);
  }

  /** Signs the public key of a PKCS#10 request (its signature checked first) with the request's subject. */
  async signCsr(csrPem: string, options: IssueOptions = {}): Promise<string> {
    const csr = new x509.Pkcs10CertificateRequest(csrPem);
    if (!(await csr.verify(webcrypto))) throw new Error('the CSR signature does not verify');
    const publicKey = await csr.publicKey.export(webcrypto);
    const subject = options.subject ? new x509.Name(nameOf(options.subject)) : csr.subjectName;
    return (await this.#issue(subject, publicKey, options)).toString('pem');
  }

  /** A certificate for a new key made here (a server certificate, a sub-CA, a test's station certificate). */
  async issue(subject: { commonName: string; organization?: string }, options: IssueOptions = {}): Promise<Issued> {
    const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
    const cert = await this.#issue(new x509.Name(nameOf(subject)), keys.publicKey, options);
    return { cert: cert.toString('pem'), key: await pemKey(keys.privateKey) };
  }

  /** A sub-CA signed by this CA, usable to issue in turn. */
  async subCa(subject: { commonName: string; organization?: string }, options: IssueOptions = {}) {
    const issued = await this.issue(subject, { ...options, ca: true });
    return CertificateAuthority.load(issued.cert, issued.key!);
  }

  async #issue(subject: x509.Name, publicKey: CryptoKey, options: IssueOptions): Promise<x509.X509Certificate> {
    const notBefore = new Date(options.notBefore ?? Date.now() - 3_600_000);
    const ca = options.ca === true;
    const names = [
      ...(options.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
      ...(options.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
    ];
    return x509.X509CertificateGenerator.create(
      {
        serialNumber: serial(),
        subject,
        issuer: this.cert.subjectName,
        notBefore,
        notAfter: new Date(notBefore.getTime() + (options.days ?? 365) * DAY),
        publicKey,
        signingKey: this.keys.privateKey,
        signingAlgorithm: ALG,
        extensions: [
          new x509.BasicConstraintsExtension(ca, undefined, true),
          new x509.KeyUsagesExtension(
            ca
              ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
              : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement,
            true,
          ),
          ...(ca
            ? []
            : [
                new x509.ExtendedKeyUsageExtension([
                  x509.ExtendedKeyUsage.serverAuth,
                  x509.ExtendedKeyUsage.clientAuth,
                ]),
              ]),
          ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
          ...(options.ocsp ? [new x509.AuthorityInfoAccessExtension({ ocsp: options.ocsp })] : []),
          await x509.AuthorityKeyIdentifierExtension.create(this.cert, false, webcrypto),
        ],
      },
      webcrypto,
    );
  }
}
