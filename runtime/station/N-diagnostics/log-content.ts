// What GetLog (N01) uploads: the security log block A keeps (N01.FR.03), as text, or the diagnostics the integrator's
// `diagnosticsLog` operation gives (N01.FR.04). The format of a log file is not prescribed (N01 remark): one line per
// security event, oldest first.
import type { SecurityLogEntry } from '../A-security/security-log.js';
import type { TransferRequest, UploadRequest } from '../../transfer/types.js';

/** The time window of a GetLog (log.oldestTimestamp / latestTimestamp), ms since the epoch. */
export interface LogWindow {
  oldest?: number;
  latest?: number;
}

export function inWindow(timestamp: string, window: LogWindow): boolean {
  const t = Date.parse(timestamp);
  if (!Number.isFinite(t)) return true;
  return (window.oldest === undefined || t >= window.oldest) && (window.latest === undefined || t <= window.latest);
}

/** The security log entries in the window, one line each: timestamp, type, whether it was critical, techInfo. */
export function securityLogText(entries: readonly SecurityLogEntry[], window: LogWindow): string | undefined {
  const lines = entries
    .filter((e) => inWindow(e.timestamp, window))
    .map((e) => [e.timestamp, e.type, e.critical ? 'critical' : 'info', e.techInfo ?? ''].join('\t').trimEnd());
  return lines.length === 0 ? undefined : `${lines.join('\n')}\n`;
}

/**
 * What the integrator's diagnostics source gives, as an upload source: text, bytes, or a file of the station's.
 * Undefined when it gave nothing usable.
 */
export function diagnosticsSource(given: unknown): UploadRequest['source'] | undefined {
  if (typeof given === 'string') return given.length > 0 ? { text: given } : undefined;
  if (given instanceof Uint8Array) return given.length > 0 ? { data: given } : undefined;
  if (given !== null && typeof given === 'object' && typeof (given as { path?: unknown }).path === 'string')
    return { path: (given as { path: string }).path };
  return undefined;
}

export type { TransferRequest };
