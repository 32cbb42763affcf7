// The built-in CSMS's readable log: each message it received or sent, with the station it came from or went to,
// in the arrows of output.ts; secrets masked as in the trace.
import type { LoggedMessage, SimpleCsms } from '../csms/simple-csms.js';
import { redactSecrets } from '../rpc/redact.js';
import { describe, messageLine, type Log } from './output.js';

/** The lines of one logged exchange: the CALL (for those the station sent), its answer, and a line in words. */
export function csmsMessageLines(m: LoggedMessage, withRequest = true): string[] {
  // A station's CALL travels to the CSMS and its answer back; a CSMS-initiated CALL the other way.
  const call = m.direction === 'in' ? 'toCsms' : 'toStation';
  const answer = m.direction === 'in' ? 'toStation' : 'toCsms';
  const lines: string[] = [];
  if (withRequest) lines.push(`${m.identity} ${messageLine(call, m.action, 'request', redactSecrets(m.request))}`);
  if (m.error !== undefined) lines.push(`${m.identity} ${messageLine(answer, m.action, 'error', m.error)}`);
  else lines.push(`${m.identity} ${messageLine(answer, m.action, 'response', redactSecrets(m.response))}`);
  const words = m.direction === 'in' ? describe(m.action, m.request) : undefined;
  if (words) lines.push(`${m.identity} ${words}`);
  return lines;
}

/** Prints everything the CSMS sees; CSMS-initiated requests are printed by whoever sends them, when sent. */
export function logCsms(csms: SimpleCsms, log: Log): void {
  csms.on('station', ({ identity, version }) => log.info(`${identity} connected (${version})`));
  csms.on('disconnect', ({ identity }) => log.info(`${identity} disconnected`));
  csms.on('refused', ({ identity, status, reason }) =>
    log.warn(`refused a connection${identity ? ` of ${identity}` : ''}: HTTP ${status}, ${reason}`),
  );
  csms.on('message', (m) => {
    for (const line of csmsMessageLines(m, m.direction === 'in')) log.info(line);
  });
}
