// The security whitepaper's security profile upgrade (its use case A05, TC_083_CS; TC_084_CS the downgrade): the
// Central System sets SecurityProfile one level higher, the Charge Point checks that it can use it, answers, then
// reconnects with it; if it cannot connect so, it falls back to the profile it had (Station16).
//
// 1.6 has no key for the URL of the new profile: the station takes the first of the integrator's `networkProfiles`
// with that securityProfile (its URL, password and TLS options), else the `csms` connection with its scheme turned
// to wss:// for profiles 2 and 3 (the same host, port and path; libocpp does the same with its scheme-less URI).
import type { Family16 } from '../../core/family.js';
import type { StationView } from '../../core/types.js';
import { certificatesOf, listCertificates } from '../../M-certificates/store.js';
import { validAt } from '../../M-certificates/pki.js';
import type { ChargingStationOptions, CsmsConnection } from '../../options.js';

type Connections = Pick<ChargingStationOptions, 'csms' | 'networkProfiles'>;

/** The connection the station uses at `profile` (0: none), or undefined when the integrator configured none. */
export function connectionFor(options: Connections, profile: number): CsmsConnection | undefined {
  const first = options.csms ?? options.networkProfiles?.[0];
  if (!first) return undefined;
  const current = first.securityProfile ?? 0;
  if (profile <= current) return first;
  const listed = options.networkProfiles?.find((p) => (p.securityProfile ?? 0) === profile);
  if (listed) return listed;
  if (!options.csms || (profile !== 1 && profile !== 2 && profile !== 3)) return undefined;
  const url = profile >= 2 ? options.csms.url.replace(/^ws:\/\//i, 'wss://') : options.csms.url;
  return { ...options.csms, url, securityProfile: profile };
}

const validRows = (view: StationView<Family16>, use: 'CSMSRootCertificate' | 'ChargingStationCertificate') =>
  listCertificates(view.store, use).some((row) => {
    const cert = certificatesOf(row)[0];
    return cert !== undefined && validAt(cert, view.now());
  });

/**
 * Why the Charge Point cannot move to SecurityProfile `value` now, or undefined when it can (A05.FR.01–05): only
 * upwards; profiles 1 and 2 need a password (AuthorizationKey or the connection's), 2 and 3 a valid Central System
 * root (installed, or the connection's `tls.ca`), 3 a valid Charge Point certificate (installed, or `tls.cert`).
 */
export function upgradeProblem(value: string, view: StationView<Family16>, options: Connections): string | undefined {
  const next = Number(value);
  const current = Number(view.query.config16?.('SecurityProfile') ?? 0);
  if (!Number.isInteger(next) || next <= current) return 'not higher than the profile in use (A05.FR.01)';
  if (next > 3) return 'there is no such profile';
  const target = connectionFor(options, next);
  if (!target) return 'no connection configured for that profile';
  if ((next === 1 || next === 2) && !view.query.config16?.('AuthorizationKey') && target.password === undefined)
    return 'no AuthorizationKey (A05.FR.02)';
  if (next >= 2 && !validRows(view, 'CSMSRootCertificate') && target.tls?.ca === undefined)
    return 'no valid CentralSystemRootCertificate (A05.FR.03)';
  if (next === 3 && !validRows(view, 'ChargingStationCertificate') && target.tls?.cert === undefined)
    return 'no valid ChargePointCertificate (A05.FR.04)';
  return undefined;
}
