// The 1.6 security whitepaper's security events (its "Security events/logging" chapter): every event goes into the
// same rolling security log as 2.x block A (A-security/security-log.ts, one store namespace), and the events the
// whitepaper marks critical are pushed to the Central System with SecurityEventNotification. The certificate events
// the OCTT expects to be told of (TC_077_CS InvalidChargePointCertificate, TC_078_CS InvalidCentralSystemCertificate)
// are pushed too. The names are 1.6's (InvalidCentralSystemCertificate, not 2.x's InvalidCsmsCertificate).
import type { Family16 } from '../../core/family.js';
import type { Effect, StationView } from '../../core/types.js';
import { SECURITY_LOG_NS, SECURITY_LOG_SIZE, type SecurityLogEntry } from '../../A-security/security-log.js';

/** The whitepaper's critical events, and the certificate events the OCTT expects. */
const PUSHED: ReadonlySet<string> = new Set([
  'FirmwareUpdated',
  'SettingSystemTime',
  'StartupOfTheDevice',
  'ResetOrReboot',
  'SecurityLogWasCleared',
  'MemoryExhaustion',
  'TamperDetectionActivated',
  'InvalidCentralSystemCertificate',
  'InvalidChargePointCertificate',
]);

export const pushed16 = (type: string) => PUSHED.has(type);

/** The effects of one security event: the log entry (the oldest dropped beyond the log's size) and the push. */
export function securityEvent16(view: StationView<Family16>, type: string, techInfo?: string): Effect<Family16>[] {
  const timestamp = new Date(view.now()).toISOString();
  const critical = pushed16(type);
  const keys = view.store.list(SECURITY_LOG_NS).map((e) => e.key);
  const next = keys.length === 0 ? 1 : Number(keys[keys.length - 1]) + 1;
  const info = techInfo?.slice(0, 255);
  const entry: SecurityLogEntry = { type, timestamp, ...(info !== undefined ? { techInfo: info } : {}), critical };
  const excess = keys.slice(0, Math.max(0, keys.length + 1 - SECURITY_LOG_SIZE));
  return [
    {
      type: 'storeWrite',
      ops: [
        { op: 'put', namespace: SECURITY_LOG_NS, key: String(next).padStart(12, '0'), value: entry },
        ...excess.map((key) => ({ op: 'delete' as const, namespace: SECURITY_LOG_NS, key })),
      ],
    },
    ...(critical
      ? [
          {
            type: 'send' as const,
            action: 'SecurityEventNotification' as const,
            payload: { type, timestamp, ...(info !== undefined ? { techInfo: info } : {}) },
          },
        ]
      : []),
  ];
}
