// What the station's TLS connection uses from the certificate store: the CSMS roots installed by InstallCertificate
// verify the CSMS's certificate (A00.FR.411, next to the integrator's `tls.ca`), and for security profile 3 the
// newest valid ChargingStationCertificate with its key is the client certificate (A00.FR.401/402; A02.FR.08: read
// at every connection, so a reconnect switches to a new one).
import type { StationTlsOptions } from '../../rpc/tls.js';
import type { Store } from '../../store/types.js';
import { currentOwnCertificate } from './chains.js';
import { listCertificates, type KeyFolder } from './store.js';

type Pem = string | Buffer;
const asList = (value: StationTlsOptions['ca']): Pem[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The TLS settings for a connection with `securityProfile`, the integrator's `given` completed from the store. */
export function tlsWithInstalled(
  given: StationTlsOptions | undefined,
  securityProfile: number | undefined,
  store: Store,
  keys: KeyFolder | undefined,
  now: number,
): StationTlsOptions | undefined {
  if (securityProfile !== 2 && securityProfile !== 3) return given;
  const roots = listCertificates(store, 'CSMSRootCertificate').map((row) => row.pem);
  const ca = [...asList(given?.ca), ...roots];
  let own: { cert: string; key: string } | undefined;
  if (securityProfile === 3 && keys) {
    const current = currentOwnCertificate(store, 'ChargingStationCertificate', now);
    const key = current?.keyId ? keys.read(current.keyId) : undefined;
    if (current && key) own = { cert: current.pem, key };
  }
  if (ca.length === 0 && !own) return given;
  const { passphrase, ...rest } = given ?? {};
  return {
    ...rest,
    ...(ca.length > 0 ? { ca } : {}),
    // An installed certificate's key is ours and unencrypted: the integrator's passphrase is for their key.
    ...(own ?? (passphrase !== undefined ? { passphrase } : {})),
  };
}
