// What the station's TLS connection uses from the certificate store: the CSMS roots installed by InstallCertificate
// verify the CSMS's certificate (A00.FR.411, next to the integrator's `tls.ca`), and for security profile 3 the
// newest valid ChargingStationCertificate with its key is the client certificate (A00.FR.401/402; A02.FR.08: read
// at every connection, so a reconnect switches to a new one).
//
// The fallbacks read block M's saved state: A02.FR.28 (the renewed client certificate could not connect: the old
// one, installed or the integrator's), M05.FR.12–16 (a new CSMS root replaced an old one signed by it: the old root
// is left out until the CSMS certificate failed to verify with the new one, and then trusted again only towards the
// CSMS of the last successful connection, not a CSMS the station is migrating to).
import type { StationTlsOptions } from '../../rpc/tls.js';
import type { Store } from '../../store/types.js';
import { savedState } from '../core/shell.js';
import type { CertificatesState } from './certificates.js';
import { currentOwnCertificate } from './chains.js';
import { certificatesOf, listCertificates, type KeyFolder } from './store.js';

type Pem = string | Buffer;
const asList = (value: StationTlsOptions['ca']): Pem[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The client certificate to connect with: the newest valid one, or the old one while falling back (A02.FR.28). */
function clientCertificate(
  store: Store,
  keys: KeyFolder,
  state: CertificatesState | undefined,
  now: number,
): { cert: string; key: string } | undefined {
  if (state?.renewed && state.useOld) {
    // Without an installed old one the integrator's `tls.cert` is the old one: nothing from the store then.
    const old = state.previous ? listCertificates(store).find((r) => r.key === state.previous) : undefined;
    const key = old?.keyId ? keys.read(old.keyId) : undefined;
    return old && key ? { cert: old.pem, key } : undefined;
  }
  const current = currentOwnCertificate(store, 'ChargingStationCertificate', now);
  const key = current?.keyId ? keys.read(current.keyId) : undefined;
  return current && key ? { cert: current.pem, key } : undefined;
}

/**
 * The TLS settings for a connection with `securityProfile`, the integrator's `given` completed from the store.
 * `lastConnected`: the profile is the one of the last successful connection (reconnecting, not migrating: M05.FR.14).
 */
export function tlsWithInstalled(
  given: StationTlsOptions | undefined,
  securityProfile: number | undefined,
  store: Store,
  keys: KeyFolder | undefined,
  now: number,
  lastConnected = true,
): StationTlsOptions | undefined {
  if (securityProfile !== 2 && securityProfile !== 3) return given;
  const state = savedState<CertificatesState>(store, 'certificates');
  // M05.FR.12/14/15/16: while a new CSMS root is on trial the old one it replaced is left out, so that the CSMS
  // certificate is verified with the new one; the old one verifies only once the new one failed, and only towards
  // the CSMS it verified before (reconnecting, not migrating to another CSMS).
  const fallback = state?.fallbackRoot;
  const oldTrusted = state?.rootFailed === true && lastConnected;
  const rows = listCertificates(store, 'CSMSRootCertificate').filter((row) => row.key !== fallback || oldTrusted);
  const ca = [...asList(given?.ca), ...rows.map((row) => row.pem)];
  // M05.FR.10: a new root is signed by the old one, so not self-signed: an anchor only as a partial chain.
  const partialChain = rows.some((row) => certificatesOf(row).some((c) => !c.checkIssued(c)));
  const own = securityProfile === 3 && keys ? clientCertificate(store, keys, state, now) : undefined;
  if (ca.length === 0 && !own) return given;
  const { passphrase, ...rest } = given ?? {};
  return {
    ...rest,
    ...(ca.length > 0 ? { ca } : {}),
    ...(partialChain ? { partialChain } : {}),
    // An installed certificate's key is ours and unencrypted: the integrator's passphrase is for their key. Without
    // one (none installed, or A02.FR.28 falling back to the integrator's), their cert and key stay as given.
    ...(own ?? (passphrase !== undefined ? { passphrase } : {})),
  };
}
