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

/**
 * How many CALLs awaiting an answer the log remembers. Part 4 §4.1.1 allows one outstanding CALL per direction, so
 * a handful suffice; a peer that sends CALLs it never gets answered, or answers to nothing, cannot grow it further.
 */
export const PENDING_LIMIT = 64;

/** A trace sink that writes the readable log; `pendingCount()` tells how many CALLs it remembers (tests). */
export type StationFrameLog = ((entry: TraceEntry) => void) & { pendingCount(): number };

export function stationFrameLog(log: Log): StationFrameLog {
  // CALLs waiting for their answer, by message id: what they were, so the answer can be named. Only CALLs with a
  // readable MessageId (1–36 characters, Part 4 §4.1.4) can be answered under their id: others are not kept (an
  // overlong id is answered "-1" and would otherwise stay here for good). Oldest first, at most PENDING_LIMIT.
  const pending = new Map<string, string>();
  const sink = (entry: TraceEntry) => {
    if (entry.direction === 'event') {
      const why = entry.event ? WARNINGS[entry.event] : undefined;
      if (why) log.warn(`${why}${entry.detail ? ` ${JSON.stringify(entry.detail)}` : ''}`);
      return;
    }
    if (entry.raw !== undefined) return log.warn(`an unreadable frame from the CSMS: ${entry.raw}`);
    const frame = entry.frame;
    if (!Array.isArray(frame)) return;
    const travel: Travel = entry.direction === 'out' ? 'toCsms' : 'toStation';
    // The frame was parsed and its type id and message id checked by the RPC layer before it was traced.
    const [type, id] = frame as [number, string];
    if (type === CALL) {
      const action = String(frame[2]).slice(0, 100);
      if (typeof id === 'string' && id.length >= 1 && id.length <= 36) {
        pending.set(`${entry.direction}:${id}`, action);
        if (pending.size > PENDING_LIMIT) pending.delete(pending.keys().next().value!);
      }
      log.info(messageLine(travel, action, 'request', frame[3]));
      const words = entry.direction === 'out' ? describe(action, frame[3]) : undefined;
      if (words) log.info(words);
      return;
    }
    // An answer travels the other way from its CALL.
    const key = `${entry.direction === 'out' ? 'in' : 'out'}:${id}`;
    const action = pending.get(key) ?? `(message ${cut(String(id), 40)})`;
    pending.delete(key);
    if (type === CALLRESULT) log.info(messageLine(travel, action, 'response', frame[2]));
    else if (type === CALLERROR)
      log.info(
        messageLine(travel, action, 'error', cut(`${String(frame[2])}${frame[3] ? `: ${String(frame[3])}` : ''}`, 300)),
      );
  };
  return Object.assign(sink, { pendingCount: () => pending.size });
}

/** A peer's text cut for a log line (a hostile MessageId or description may be megabytes long). */
function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
