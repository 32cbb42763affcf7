// The security events of a failed connection attempt (A00): what Node/OpenSSL reported is mapped to the event the
// spec names. A00.FR.310/413: the CSMS certificate is not valid or its path cannot be verified → InvalidCsmsCertificate
// (the RPC layer has already refused the connection, A00.FR.414). A00.FR.316/419: the CSMS only speaks an older TLS
// → InvalidTLSVersion. A00.FR.323/426: no cipher suite in common (the station offers only suites fit for use,
// A00.FR.319/320) → InvalidTLSCipherSuite; OpenSSL reports this as a handshake-failure alert, which is the best
// evidence a client gets. A 401 on the upgrade request → FailedToAuthenticateAtCsms (non-critical: logged only).
import { ConnectFailedError, HandshakeRefusedError } from '../../rpc/errors.js';

const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME/;
const TLS_VERSION =
  /alert protocol version|unsupported protocol|wrong version number|WRONG_SSL_VERSION|TLSV1_ALERT_PROTOCOL_VERSION/i;
const CIPHER_SUITE =
  /alert handshake failure|no shared cipher|no ciphers available|NO_SHARED_CIPHER|NO_CIPHERS_AVAILABLE/i;

export interface ConnectionSecurityEvent {
  type: 'InvalidCsmsCertificate' | 'InvalidTLSVersion' | 'InvalidTLSCipherSuite' | 'FailedToAuthenticateAtCsms';
  techInfo: string;
}

/** The security event a failed connection attempt stands for, or undefined (network errors, timeouts, …). */
export function connectionSecurityEvent(error: Error): ConnectionSecurityEvent | undefined {
  if (error instanceof HandshakeRefusedError && error.status === 401)
    return { type: 'FailedToAuthenticateAtCsms', techInfo: 'HTTP 401 on the upgrade request' };
  if (!(error instanceof ConnectFailedError)) return undefined;
  // techInfo: the OpenSSL reason only (at most 255 characters in the message), never headers or credentials.
  const techInfo = `${error.reason}: ${error.message}`.slice(0, 255);
  if (CERTIFICATE.test(error.reason)) return { type: 'InvalidCsmsCertificate', techInfo };
  if (TLS_VERSION.test(error.reason) || TLS_VERSION.test(error.message)) return { type: 'InvalidTLSVersion', techInfo };
  if (CIPHER_SUITE.test(error.message)) return { type: 'InvalidTLSCipherSuite', techInfo };
  return undefined;
}
