// Turns the RPC layer's trace (every frame in and out, secrets already masked: rpc/redact.ts) into the messages
// the web view streams: per station, numbered, with the action named on answers too, the latest kept for a page
// that opens a station later. Bounded everywhere: a station that sends megabytes, or a CSMS with many stations,
// costs at most MAX_STATIONS × (HISTORY_LIMIT messages, HISTORY_BYTES bytes).
import type { TraceEntry, TraceSink } from '../rpc/trace.js';
import type { UiMessage, UiTravel } from './types.js';

/** Messages kept per station for a page that opens it later (the page keeps as many). */
export const HISTORY_LIMIT = 200;
/** Bytes (of JSON) the kept messages of one station may take. */
export const HISTORY_BYTES = 512 * 1024;
/** A payload longer than this (as JSON) is replaced by a note saying so: the trace file has it whole. */
export const PAYLOAD_CHARS = 16 * 1024;
/** Stations whose messages are kept; the one heard from least recently is forgotten first. */
export const MAX_STATIONS = 1000;
/** CALLs remembered per station to name the action of their answer (one outstanding per direction suffices). */
const PENDING_LIMIT = 64;

interface StationFeed {
  seq: number;
  history: Array<{ message: UiMessage; bytes: number }>;
  bytes: number;
  /** Action of each CALL by `<direction it travelled>:<messageId>`. */
  pending: Map<string, string>;
}

export class MessageFeed {
  readonly #stations = new Map<string, StationFeed>();
  readonly #listeners = new Set<(identity: string, message: UiMessage) => void>();
  /** Which way `out` travels: from a station's trace, to the CSMS; from a CSMS's trace, to the station. */
  readonly #outTravel: UiTravel;
  readonly #maxStations: number;

  /** `maxStations`: fewer than MAX_STATIONS (a fleet worker keeps the latest messages of fewer stations). */
  constructor(side: 'station' | 'csms', options: { maxStations?: number } = {}) {
    this.#outTravel = side === 'station' ? 'toCsms' : 'toStation';
    this.#maxStations = Math.max(1, Math.min(options.maxStations ?? MAX_STATIONS, MAX_STATIONS));
  }

  /** The trace sink to give the station or CSMS (next to a --trace file, if any). */
  readonly sink: TraceSink = (entry) => {
    const message = this.#message(entry);
    if (!message) return;
    for (const l of this.#listeners) l(entry.station, message);
  };

  /** The station's kept messages, oldest first; undefined when none was ever seen. */
  history(identity: string): UiMessage[] | undefined {
    return this.#stations.get(identity)?.history.map((h) => h.message);
  }

  onMessage(listener: (identity: string, message: UiMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #feed(identity: string): StationFeed {
    let feed = this.#stations.get(identity);
    if (feed) {
      // Most recently heard from last: the first is the one to forget.
      this.#stations.delete(identity);
    } else {
      feed = { seq: 0, history: [], bytes: 0, pending: new Map() };
      if (this.#stations.size >= this.#maxStations) this.#stations.delete(this.#stations.keys().next().value!);
    }
    this.#stations.set(identity, feed);
    return feed;
  }

  #message(entry: TraceEntry): UiMessage | undefined {
    if (entry.direction === 'event') return undefined;
    const feed = this.#feed(entry.station);
    const travel: UiTravel =
      entry.direction === 'out' ? this.#outTravel : this.#outTravel === 'toCsms' ? 'toStation' : 'toCsms';
    const base = { seq: ++feed.seq, time: entry.time, travel };
    let message: UiMessage;
    const frame = entry.frame;
    if (entry.raw !== undefined || !Array.isArray(frame)) {
      message = { ...base, kind: 'unreadable', payload: cut(entry.raw ?? JSON.stringify(frame) ?? '') };
    } else {
      message = { ...base, ...readFrame(frame, entry.direction, feed.pending) };
    }
    const bytes = JSON.stringify(message).length;
    if (bytes > PAYLOAD_CHARS) {
      message = { ...message, payload: { omitted: `${bytes} characters: too long to show here (--trace keeps it)` } };
    }
    feed.history.push({ message, bytes: Math.min(bytes, PAYLOAD_CHARS) });
    feed.bytes += Math.min(bytes, PAYLOAD_CHARS);
    while (feed.history.length > HISTORY_LIMIT || feed.bytes > HISTORY_BYTES) feed.bytes -= feed.history.shift()!.bytes;
    return message;
  }
}

type Read = Pick<UiMessage, 'kind' | 'messageId' | 'action' | 'payload'>;

/** A parsed frame (its type and id were checked by the RPC layer) as kind, id, action and payload. */
function readFrame(frame: unknown[], direction: 'in' | 'out', pending: Map<string, string>): Read {
  const [type, id] = frame;
  const messageId = typeof id === 'string' ? id.slice(0, 100) : String(id);
  // CALL (2) and 2.1 SEND (6) carry an action; an answer travels the other way from its CALL.
  if (type === 2 || type === 6) {
    const action = String(frame[2]).slice(0, 100);
    if (type === 2) {
      pending.set(`${direction}:${messageId}`, action);
      if (pending.size > PENDING_LIMIT) pending.delete(pending.keys().next().value!);
    }
    return { kind: 'call', messageId, action, payload: frame[3] };
  }
  const key = `${direction === 'out' ? 'in' : 'out'}:${messageId}`;
  const action = pending.get(key);
  pending.delete(key);
  const named = action !== undefined ? { action } : {};
  if (type === 3) return { kind: 'result', messageId, ...named, payload: frame[2] };
  return {
    kind: 'error',
    messageId,
    ...named,
    payload: { errorCode: frame[2], errorDescription: frame[3], errorDetails: frame[4] },
  };
}

function cut(text: string): string {
  return text.length > PAYLOAD_CHARS ? `${text.slice(0, PAYLOAD_CHARS - 1)}…` : text;
}
