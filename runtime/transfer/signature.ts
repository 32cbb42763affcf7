// A signature over a whole file, checked with the public key of an X.509 certificate (L01.FR.04/12): SHA-256 with
// RSA-PSS (L01.FR.04), RSA PKCS#1 v1.5 (what `openssl dgst -sha256 -sign` makes with an RSA key) or ECDSA (DER or
// IEEE P1363 encoding).
import { constants, verify, X509Certificate, type KeyObject } from 'node:crypto';

function attempts(key: KeyObject): Array<Parameters<typeof verify>[2]> {
  if (key.asymmetricKeyType === 'rsa')
    return [
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
      { key, padding: constants.RSA_PKCS1_PADDING },
    ];
  if (key.asymmetricKeyType === 'rsa-pss') return [key];
  if (key.asymmetricKeyType === 'ec') return [key, { key, dsaEncoding: 'ieee-p1363' }];
  return [key];
}

/** Whether `signature` (base64) is a signature of `data` by the key of `certificate` (PEM). False on any malformed input. */
export function signatureHolds(data: Buffer, certificate: string, signature: string): boolean {
  try {
    const key = new X509Certificate(certificate).publicKey;
    const sig = Buffer.from(signature, 'base64');
    if (sig.length === 0) return false;
    const algorithm = key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448' ? null : 'sha256';
    return attempts(key).some((k) => {
      try {
        return verify(algorithm, data, k, sig);
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}
