// Live progress on the terminal: on a TTY one line rewritten in place every tick, otherwise (a pipe, a CI log) a line
// every few seconds. Short action names keep the response times of the busiest actions on one line.
import type { Counts } from './metrics.js';
import type { FleetProgress, FleetReport } from './runner.js';

const SHORT: Record<string, string> = {
  BootNotification: 'Boot',
  StatusNotification: 'Status',
  Authorize: 'Auth',
  TransactionEvent: 'TxEvent',
  StartTransaction: 'Start',
  StopTransaction: 'Stop',
  MeterValues: 'Meter',
  Heartbeat: 'Heartbeat',
};

const counts = (c: Counts) =>
  Object.entries(c)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

/** One line describing the fleet now. */
export function progressLine(p: FleetProgress): string {
  const g = p.gauges;
  const parts = [
    `${p.elapsedSec.toFixed(1).padStart(6)} s`,
    `stations ${p.stations}: ${g.waiting ? `${g.waiting} waiting, ` : ''}${g.connecting} connecting, ${g.accepted} accepted, ${g.offline} offline`,
    `${g.transactions} tx`,
    `${p.callsPerSec.toFixed(1)} calls/s`,
  ];
  const busiest = Object.entries(p.latency)
    .sort((a, b) => b[1].count - a[1].count)
    .slice(0, 4)
    .map(([action, l]) => `${SHORT[action] ?? action} ${l.p50 ?? '-'}/${l.p99 ?? '-'}`);
  if (busiest.length) parts.push(`p50/p99 ms ${busiest.join(' ')}`);
  if (Object.keys(p.callErrors).length) parts.push(`CALLERROR ${counts(p.callErrors)}`);
  if (Object.keys(p.failures).length) parts.push(`failures ${counts(p.failures)}`);
  return parts.join(' | ');
}

export interface ProgressPrinter {
  update(p: FleetProgress): void;
  /** Ends the rewritten line (before the summary is printed). */
  finish(): void;
}

export function progressPrinter(
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  everyMs = 5000,
): ProgressPrinter {
  let lastPrinted = -Infinity;
  let open = false;
  return {
    update(p) {
      const line = progressLine(p);
      if (out.isTTY) {
        const width = out.columns ?? 200;
        out.write(`\r${line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line}\x1b[K`);
        open = true;
      } else if (p.elapsedSec * 1000 - lastPrinted >= everyMs) {
        lastPrinted = p.elapsedSec * 1000;
        out.write(`${line}\n`);
      }
    },
    finish() {
      if (open) out.write('\n');
      open = false;
    },
  };
}

/** The summary printed at the end. */
export function summaryText(r: FleetReport): string {
  const t = r.totals;
  const lines = [
    `fleet ended (${r.ended}) after ${r.durationSec} s: ${r.stations} stations (${Object.entries(r.versions)
      .map(([v, n]) => `${n} ${v}`)
      .join(', ')}) on ${r.workers} worker(s), seed ${r.seed}`,
    `events: ${counts(t.events) || 'none'}`,
    `CALLs answered: ${counts(t.answered) || 'none'}`,
  ];
  for (const [action, l] of Object.entries(t.latency).sort((a, b) => b[1].count - a[1].count))
    lines.push(`  ${action}: ${l.count} answered, p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms`);
  lines.push(`CALLERRORs: ${counts(t.callErrors) || 'none'}`);
  lines.push(`failures: ${counts(t.failures) || 'none'}`);
  return lines.join('\n');
}
