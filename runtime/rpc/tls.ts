// TLS for security profiles 2 and 3 (A00.FR.3xx, A00.FR.4xx): TLS 1.2 or above (A00.FR.313/416), the CSMS's
// certificate checked against the configured CA (A00.FR.308/411) including its name (Node's RFC 6125 check of
// the host name: subjectAltName when present, else the commonName — A00.FR.309/412), and for profile 3 the
// station's client certificate (A00.FR.401–405); on both ends keys of 112-bit strength at least (A00.FR.501–503).
import nodeTls, { type SecureContextOptions, type TLSSocket } from 'node:tls';

type PemInput = string | Buffer | Array<string | Buffer>;

/** The station's TLS settings. */
export interface StationTlsOptions {
  /** CA certificate(s) that must have issued the CSMS certificate. When omitted, Node's built-in roots are used. */
  ca?: PemInput;
  /** Profile 3: the Charging Station certificate (PEM) and its private key. */
  cert?: PemInput;
  key?: PemInput;
  passphrase?: string;
  /** Lowest TLS version accepted; default TLSv1.2 (A00.FR.313). */
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /**
   * OpenSSL cipher list, when the default (which includes the A00.FR.319 suites) must be narrowed. Suites unfit for
   * legacy use are removed from it (A00.FR.320/423), and a security level below 2 is raised to 2 (A00.FR.501).
   */
  ciphers?: string;
  /**
   * Every certificate of `ca` is a trust anchor, self-signed or not (OpenSSL's partial chains). M05.FR.10: a new
   * CSMS root is signed by the old one it replaces; once the old one is gone (M05.FR.13) the new one must anchor
   * the chain alone. Needs Node 20.18 or later (`allowPartialTrustChain`).
   */
  partialChain?: boolean;
}

/** The CSMS's TLS settings when ocppkit creates the HTTPS server (listen()). */
export interface CsmsTlsOptions {
  /** The CSMS certificate (CN = the CSMS's FQDN, A00.FR.510) and key. */
  cert: PemInput;
  key: PemInput;
  passphrase?: string;
  /** Profile 3: CA certificate(s) that issue Charging Station certificates. */
  ca?: PemInput;
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  ciphers?: string;
}

/**
 * A00.FR.320/423: suites built on primitives the ENISA report (OCPP Security [1]) marks unfit even for legacy use
 * (no encryption, no authentication, export strength, DES, RC4, MD5) are never negotiated. Node's default list
 * already excludes them; an integrator's own list gets the exclusions appended, which OpenSSL applies whatever
 * came before them (`!` removes a suite for good, even after `@SECLEVEL=0`).
 */
export const UNFIT_CIPHERS = '!aNULL:!eNULL:!NULL:!EXPORT:!DES:!RC4:!MD5';

/**
 * A00.FR.501–503: every key of a TLS handshake (the peer's certificate, its CAs, this end's own certificate) gives at
 * least 112 bits of security: RSA/DSA/DH at least 2048 bits, elliptic curves at least 224 bits. That is OpenSSL's
 * security level 2; Node's default is 1 (80 bits, RSA 1024 accepted). An integrator's higher level is kept.
 */
const SECURITY_LEVEL = '@SECLEVEL=2';
const HIGHER_LEVEL = /@SECLEVEL=[3-5]/;

/** TLS versions below 1.2 are refused (A00.FR.313/416), even when a JavaScript caller passes one. */
const VERSIONS: ReadonlySet<string> = new Set(['TLSv1.2', 'TLSv1.3']);

/** The settings both ends pass to Node the same way; TLS 1.2 at least (A00.FR.313/416), keys of 112 bits at least. */
function commonTlsOptions(tls: StationTlsOptions | CsmsTlsOptions): SecureContextOptions {
  const { ca, cert, key, passphrase } = tls;
  const minVersion = tls.minVersion !== undefined && VERSIONS.has(tls.minVersion) ? tls.minVersion : 'TLSv1.2';
  const listed = tls.ciphers === undefined ? nodeTls.DEFAULT_CIPHERS : `${tls.ciphers}:${UNFIT_CIPHERS}`;
  const ciphers = HIGHER_LEVEL.test(listed) ? listed : `${listed}:${SECURITY_LEVEL}`;
  return { ca, cert, key, passphrase, ciphers, minVersion };
}

export function stationTlsOptions(tls: StationTlsOptions): SecureContextOptions & { rejectUnauthorized: true } {
  return {
    ...commonTlsOptions(tls),
    ...(tls.partialChain ? { allowPartialTrustChain: true } : {}),
    rejectUnauthorized: true,
  };
}

export function csmsTlsServerOptions(profile: number | undefined, tls: CsmsTlsOptions) {
  const mutual = profile === 3;
  if (mutual && !tls.ca)
    throw new TypeError('tls.ca is required for security profile 3: the CA that issues Charging Station certificates');
  // A00.FR.403/407: a station without a valid certificate from the configured CA never completes the handshake.
  return { ...commonTlsOptions(tls), requestCert: mutual, rejectUnauthorized: mutual };
}

export interface CertificateSubject {
  commonName: string | undefined;
  organization: string | undefined;
}

/** The subject of a verified client certificate, or undefined when the socket has none (or it was not verified). */
export function verifiedClientSubject(socket: TLSSocket): CertificateSubject | undefined {
  if (!socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.subject) return undefined;
  const pick = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return { commonName: pick(cert.subject.CN), organization: pick(cert.subject.O) };
}
