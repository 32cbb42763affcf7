// The enrollment endpoint of `ocppkit csms --security-profile 3` without certificates prepared by hand: a profile-2
// CSMS (TLS + Basic auth) beside the profile-3 one, sharing its CA. A station that has no certificate yet connects
// here (its second network profile), is asked for a key update (A02: TriggerMessage SignChargingStationCertificate →
// SignCertificate → CertificateSigned), and once it came back with the new certificate is reset, so that after the
// reboot it connects to its first network profile, the profile-3 endpoint (A05.FR.05).
import type { TraceSink } from '../rpc/trace.js';
import { SimpleCsms, type SimpleCsmsOptions } from './simple-csms.js';

export function enrollmentCsms(options: SimpleCsmsOptions, trace?: TraceSink): SimpleCsms {
  if (!options.tls || !options.ca) throw new TypeError('enrollment needs the CSMS certificate and its CA');
  const { cert, key } = options.tls;
  const csms = new SimpleCsms({
    ...options,
    securityProfile: 2,
    tls: { cert, key },
    ...(trace ? { trace } : {}),
  });
  /** Stations that accepted their certificate here: their next connection here ends with a Reset. */
  const enrolled = new Set<string>();
  const ignore = () => {};
  // A02.FR.08: with its new certificate the station reconnects (no new BootNotification): then the Reset.
  csms.on('station', ({ identity }) => {
    if (enrolled.delete(identity))
      setTimeout(() => void csms.call(identity, 'Reset', { type: 'Immediate' }).catch(ignore), 0);
  });
  csms.on('message', (m) => {
    if (m.direction === 'in' && m.action === 'BootNotification' && !enrolled.has(m.identity)) {
      setTimeout(
        () =>
          void csms
            .call(m.identity, 'TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' })
            .catch(ignore),
        0,
      );
    }
    if (
      m.direction === 'out' &&
      m.action === 'CertificateSigned' &&
      (m.response as { status?: string } | undefined)?.status === 'Accepted'
    )
      enrolled.add(m.identity);
  });
  return csms;
}
