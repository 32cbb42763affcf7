// A04 Security Event Notification. Every security event goes into the station's security log, a rolling list in the
// store (A04.FR.04); the critical ones are also sent as SecurityEventNotification through the dispatcher, which
// queues them durably while offline (A04.FR.01/02). techInfo never carries key material (A01.FR.12).
import * as v201 from '../../../generated/v201/device-model.js';
import * as v21 from '../../../generated/v21/device-model.js';
import type { Effect, StationView } from '../core/types.js';

export const SECURITY_LOG_NS = 'station.securityLog';
/** Entries kept; the oldest go first (A04.FR.04 recommends a rolling log). */
export const SECURITY_LOG_SIZE = 1000;

/** The Critical column of the security events list (Part 2 appendices; 2.1 adds DiscardedRenewedClientCertificate). */
const CRITICAL: ReadonlySet<string> = new Set(
  [v201.securityEvents, v21.securityEvents].flatMap((events) =>
    Object.entries(events)
      .filter(([, e]) => e.critical)
      .map(([type]) => type),
  ),
);

export interface SecurityLogEntry {
  type: string;
  timestamp: string;
  techInfo?: string;
  /** Whether it was sent to the CSMS (critical, A04.FR.01). */
  critical: boolean;
}

export function isCritical(type: string): boolean {
  return CRITICAL.has(type);
}

/** The security log, oldest first. */
export function readSecurityLog(store: StationView['store']): SecurityLogEntry[] {
  return store.list<SecurityLogEntry>(SECURITY_LOG_NS).map((e) => e.value);
}

/**
 * The effects of one security event: the log entry (dropping the oldest beyond SECURITY_LOG_SIZE) and, when it is
 * critical, the notification. Keys are a zero-padded sequence so that the store lists them in order.
 */
export function securityEvent(view: StationView, type: string, techInfo?: string): Effect[] {
  const timestamp = new Date(view.now()).toISOString();
  const critical = isCritical(type);
  const keys = view.store.list(SECURITY_LOG_NS).map((e) => e.key);
  const next = keys.length === 0 ? 1 : Number(keys[keys.length - 1]) + 1;
  const entry: SecurityLogEntry = { type, timestamp, ...(techInfo !== undefined ? { techInfo } : {}), critical };
  const excess = keys.slice(0, Math.max(0, keys.length + 1 - SECURITY_LOG_SIZE));
  const effects: Effect[] = [
    {
      type: 'storeWrite',
      ops: [
        { op: 'put', namespace: SECURITY_LOG_NS, key: String(next).padStart(12, '0'), value: entry },
        ...excess.map((key) => ({ op: 'delete' as const, namespace: SECURITY_LOG_NS, key })),
      ],
    },
  ];
  if (critical)
    effects.push({
      type: 'send',
      action: 'SecurityEventNotification',
      payload: { type, timestamp, ...(techInfo !== undefined ? { techInfo } : {}) },
    });
  return effects;
}
