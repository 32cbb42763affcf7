// The message trace: every frame in and out, with time, direction and station identity, secrets masked
// (redact.ts), plus connection events. A sink is a plain function; `jsonLinesTrace` writes JSON lines.
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { redactRawFrame, redactSecrets } from './redact.js';

export interface TraceEntry {
  /** ISO 8601 time the frame was sent or received. */
  time: string;
  /** The station identity of the connection. */
  station: string;
  direction: 'in' | 'out' | 'event';
  /** The negotiated subprotocol, once known. */
  protocol?: string;
  /** The frame as a JSON value, secrets masked. */
  frame?: unknown;
  /** An incoming frame that is not valid JSON (cut, or withheld when it may contain a secret). */
  raw?: string;
  /** For direction "event": connected, disconnected, connectFailed, unknownResponse, badFrame, dropped, … */
  event?: string;
  detail?: Record<string, unknown>;
}

export type TraceSink = (entry: TraceEntry) => void;

/** Builds a trace entry for a frame; the only place frames are redacted. */
export function frameEntry(
  time: number,
  station: string,
  protocol: string | undefined,
  direction: 'in' | 'out',
  frame: unknown,
): TraceEntry {
  return { time: new Date(time).toISOString(), station, protocol, direction, frame: redactSecrets(frame) };
}

export function rawEntry(time: number, station: string, protocol: string | undefined, text: string): TraceEntry {
  return { time: new Date(time).toISOString(), station, protocol, direction: 'in', raw: redactRawFrame(text) };
}

export function eventEntry(
  time: number,
  station: string,
  protocol: string | undefined,
  event: string,
  detail?: Record<string, unknown>,
): TraceEntry {
  return {
    time: new Date(time).toISOString(),
    station,
    protocol,
    direction: 'event',
    event,
    // redactSecrets returns its input's shape with secrets masked.
    detail: detail && (redactSecrets(detail) as Record<string, unknown>),
  };
}

export interface JsonLinesTrace extends TraceSink {
  /** Flushes and, for a file opened here, closes it. */
  close(): Promise<void>;
}

/** A sink writing one JSON object per line to a stream, or appending to the file at `target`. */
export function jsonLinesTrace(target: Writable | string): JsonLinesTrace {
  const stream = typeof target === 'string' ? createWriteStream(target, { flags: 'a' }) : target;
  const sink = ((entry: TraceEntry) => {
    stream.write(`${JSON.stringify(entry)}\n`);
    // The sink function with its flush/close methods attached.
  }) as JsonLinesTrace;
  sink.close = () =>
    new Promise<void>((resolve, reject) => {
      if (typeof target !== 'string') return resolve();
      stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
  return sink;
}
