// The readable log both commands print: one line per thing that happened, with the time, and OCPP messages
// written the same way on both ends — `→` travels from the station to the CSMS, `←` from the CSMS to the station.
// Payloads are shown compact and cut; the full frames go to --trace.
import type { Writable } from 'node:stream';

export interface Log {
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
}

export interface LogOptions {
  out?: Writable;
  err?: Writable;
  now?: () => number;
  /** Text put before every line (e.g. `[csms] `). */
  prefix?: string;
}

export function streamLog(options: LogOptions = {}): Log {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const now = options.now ?? Date.now;
  const prefix = options.prefix ?? '';
  const write = (stream: Writable, text: string) => stream.write(`${clock(now())} ${prefix}${text}\n`);
  return {
    info: (text) => write(out, text),
    warn: (text) => write(out, `warning: ${text}`),
    error: (text) => write(err, `error: ${text}`),
  };
}

/** `HH:MM:SS.mmm` in local time. */
export function clock(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** Where a message travels: from the station to the CSMS, or the other way. */
export type Travel = 'toCsms' | 'toStation';

export const arrow = (travel: Travel) => (travel === 'toCsms' ? '→' : '←');

/** Compact JSON, cut to `max` characters. */
export function compact(value: unknown, max = 300): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `→ BootNotification {…}`, `← BootNotificationResponse {…}`, `← BootNotification CALLERROR …`. */
export function messageLine(
  travel: Travel,
  action: string,
  kind: 'request' | 'response' | 'error',
  body: unknown,
): string {
  const a = arrow(travel);
  if (kind === 'request') return `${a} ${action} ${compact(body)}`;
  if (kind === 'response') return `${a} ${action}Response ${compact(body)}`;
  return `${a} ${action} CALLERROR ${typeof body === 'string' ? body : compact(body)}`;
}

interface SampledValue {
  value: number;
  measurand?: string;
  phase?: string;
  unitOfMeasure?: { unit?: string; multiplier?: number };
}

/** `Energy.Active.Import.Register 1234.5 Wh, Power.Active.Import 11000 W` of the last meter value in a message. */
export function meterSummary(meterValue: unknown): string | undefined {
  if (!Array.isArray(meterValue) || meterValue.length === 0) return undefined;
  // The last SampledValue of a MeterValue the station itself built (validated on the way out).
  const last = meterValue[meterValue.length - 1] as {
    sampledValue?: SampledValue[];
  };
  const parts = (last.sampledValue ?? []).map((s) => {
    const unit =
      s.unitOfMeasure?.unit ??
      (s.measurand?.startsWith('Power')
        ? 'W'
        : s.measurand === undefined || s.measurand.startsWith('Energy')
          ? 'Wh'
          : '');
    const scale = s.unitOfMeasure?.multiplier ? `e${s.unitOfMeasure.multiplier} ` : ' ';
    return `${s.measurand ?? 'Energy.Active.Import.Register'}${s.phase ? `.${s.phase}` : ''} ${s.value}${unit ? `${scale}${unit}` : ''}`;
  });
  return parts.length ? parts.join(', ') : undefined;
}

/** A line in words for the messages that matter to a reader of the log (transactions and meter values). */
export function describe(action: string, payload: unknown): string | undefined {
  // A payload the RPC layer validated; the log line picks a few fields by name.
  const p = (payload ?? {}) as Record<string, any>;
  if (action === 'TransactionEvent') {
    const tx = p.transactionInfo?.transactionId ?? '?';
    const where = p.evse?.id !== undefined ? ` on EVSE ${p.evse.id}` : '';
    const meter = meterSummary(p.meterValue);
    const withMeter = meter ? `; meter: ${meter}` : '';
    if (p.eventType === 'Started') return `transaction ${tx} started${where} (${p.triggerReason})${withMeter}`;
    if (p.eventType === 'Ended')
      return `transaction ${tx} ended (${p.transactionInfo?.stoppedReason ?? 'Local'})${withMeter}`;
    return `transaction ${tx} updated (${p.triggerReason}${p.transactionInfo?.chargingState ? `, ${p.transactionInfo.chargingState}` : ''})${withMeter}`;
  }
  if (action === 'NotifyEvent' && Array.isArray(p.eventData)) {
    // N07/N08: what the monitors saw, one clause per event.
    return p.eventData
      .map((e: any) => {
        const c = e.component ?? {};
        const where = c.evse ? `(${c.evse.id}${c.evse.connectorId !== undefined ? `,${c.evse.connectorId}` : ''})` : '';
        const monitor = e.variableMonitoringId !== undefined ? ` monitor ${e.variableMonitoringId}` : '';
        return `event ${e.eventId}: ${c.name}${where}.${e.variable?.name} = ${JSON.stringify(e.actualValue)} (${e.trigger}${e.cleared ? ', cleared' : ''}, ${e.eventNotificationType}${monitor})`;
      })
      .join('; ');
  }
  if (action === 'MeterValues') {
    const meter = meterSummary(p.meterValue);
    return meter
      ? `meter values of ${p.evseId !== undefined ? `EVSE ${p.evseId}` : `connector ${p.connectorId}`}: ${meter}`
      : undefined;
  }
  return undefined;
}
