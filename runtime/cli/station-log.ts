// The station's readable log, made from its message trace: every CALL, answer and CALLERROR in either direction
// (answers are matched to their CALL by message id), transactions and meter values in words, and the RPC layer's
// warnings. Built on the trace because that is the one place that sees every frame, already redacted.
import type { TraceEntry } from '../rpc/trace.js';
import { describe, messageLine, type Log, type Travel } from './output.js';

const CALL = 2;
const CALLRESULT = 3;
const CALLERROR = 4;

/** Trace events worth a line; connection events come from the station's own events. */
const WARNINGS: Record<string, string> = {
  callTimeout: 'no answer in time',
  unknownResponse: 'an answer to no CALL of ours',
  answerDropped: 'an answer could not be sent: the connection closed',
  keepaliveTimeout: 'the CSMS stopped answering pings',
  callResultError: 'the CSMS said our answer was invalid',
};

export function stationFrameLog(log: Log): (entry: TraceEntry) => void {
  // CALLs waiting for their answer, by message id: what they were, so the answer can be named.
  const pending = new Map<string, string>();
  return (entry) => {
    if (entry.direction === 'event') {
      const why = entry.event ? WARNINGS[entry.event] : undefined;
      if (why) log.warn(`${why}${entry.detail ? ` ${JSON.stringify(entry.detail)}` : ''}`);
      return;
    }
    if (entry.raw !== undefined) return log.warn(`an unreadable frame from the CSMS: ${entry.raw}`);
    const frame = entry.frame;
    if (!Array.isArray(frame)) return;
    const travel: Travel = entry.direction === 'out' ? 'toCsms' : 'toStation';
    const [type, id] = frame as [number, string];
    if (type === CALL) {
      const action = String(frame[2]);
      pending.set(`${entry.direction}:${id}`, action);
      log.info(messageLine(travel, action, 'request', frame[3]));
      const words = entry.direction === 'out' ? describe(action, frame[3]) : undefined;
      if (words) log.info(words);
      return;
    }
    // An answer travels the other way from its CALL.
    const key = `${entry.direction === 'out' ? 'in' : 'out'}:${id}`;
    const action = pending.get(key) ?? `(message ${id})`;
    pending.delete(key);
    if (type === CALLRESULT) log.info(messageLine(travel, action, 'response', frame[2]));
    else if (type === CALLERROR) log.info(messageLine(travel, action, 'error', `${String(frame[2])}${frame[3] ? `: ${String(frame[3])}` : ''}`));
  };
}
