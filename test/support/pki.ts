// Certificates made at test time (pure JS, @peculiar/x509, ECDSA P-256): a CA, CSMS server certificates and
// Charging Station client certificates, valid or deliberately broken (expired, wrong name, other CA).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { generateKeyPairSync, webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 3600 * 1000;

export interface Issued {
  cert: string;
  key: string;
}

export interface Ca extends Issued {
  name: string;
  keys: CryptoKeyPair;
  x509: x509.X509Certificate;
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END PRIVATE KEY-----\n`;
}

async function newKeys(rsaBits?: number): Promise<CryptoKeyPair> {
  const keyAlg =
    rsaBits === undefined
      ? alg
      : {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: rsaBits,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        };
  return (await webcrypto.subtle.generateKey(keyAlg, true, ['sign', 'verify'])) as CryptoKeyPair;
}

export async function createCa(commonName: string, organization = 'ocppkit test CSO'): Promise<Ca> {
  const keys = await newKeys();
  const name = `CN=${commonName}, O=${organization}`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name,
    keys,
    signingAlgorithm: alg,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 30 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { name, keys, x509: cert, cert: cert.toString('pem'), key: await keyPem(keys.privateKey) };
}

export interface IssueOptions {
  commonName: string;
  organization?: string;
  /** Subject alternative names: IP addresses and DNS names. */
  ips?: string[];
  dns?: string[];
  /** Validity window; default: yesterday until in 30 days. */
  notBefore?: Date;
  notAfter?: Date;
  /** An RSA key of this many bits instead of the default ECDSA P-256 one (the CA still signs with P-256). */
  rsaBits?: number;
  /** An EC key on this OpenSSL curve (e.g. `prime192v1`, `secp224r1`, which Web Crypto does not offer) instead. */
  curve?: string;
}

export async function issue(ca: Ca, options: IssueOptions): Promise<Issued> {
  const keys = options.curve === undefined ? await newKeys(options.rsaBits) : undefined;
  const other = options.curve === undefined ? undefined : generateKeyPairSync('ec', { namedCurve: options.curve });
  const san = [
    ...(options.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(options.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
  ];
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${options.commonName}, O=${options.organization ?? 'ocppkit test CSO'}`,
    issuer: ca.x509.subject,
    publicKey: keys ? keys.publicKey : other!.publicKey.export({ type: 'spki', format: 'der' }),
    signingKey: ca.keys.privateKey,
    signingAlgorithm: alg,
    notBefore: options.notBefore ?? new Date(Date.now() - DAY),
    notAfter: options.notAfter ?? new Date(Date.now() + 30 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
      ...(san.length ? [new x509.SubjectAlternativeNameExtension(san)] : []),
    ],
  });
  const key = keys
    ? await keyPem(keys.privateKey)
    : (other!.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  return { cert: cert.toString('pem'), key };
}

/** A certificate whose validity ended yesterday. */
export function expired(): Pick<IssueOptions, 'notBefore' | 'notAfter'> {
  return { notBefore: new Date(Date.now() - 30 * DAY), notAfter: new Date(Date.now() - DAY) };
}
