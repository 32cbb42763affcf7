// Helpers for RPC tests: a scripted raw WebSocket peer (to send exactly the frames a test needs and see exactly
// what our side sends), fake timers, and small waiting utilities. Real sockets on 127.0.0.1, port 0.
import type { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { TimerHandle, Timers } from '../../runtime/rpc/timers.js';

/** Resolves with the arguments of the next `event`, or rejects after `ms`. */
export function once<T extends unknown[] = unknown[]>(
  emitter: EventEmitter | { once(e: string, f: (...a: never[]) => void): unknown },
  event: string,
  ms = 3000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for "${event}"`)), ms);
    (emitter as EventEmitter).once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args as T);
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 5 ms until true, or fails after `ms`. */
export async function until(cond: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** A WebSocket whose incoming text frames are queued and read with next(). */
export class FramePipe {
  readonly ws: WebSocket;
  readonly received: string[] = [];
  #waiters: Array<(s: string) => void> = [];
  #read = 0;

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const text = data.toString();
      this.received.push(text);
      const w = this.#waiters.shift();
      if (w) w(text);
    });
  }

  /** Sends a frame: arrays/objects as JSON, strings and Buffers as they are. */
  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
  }

  /** Sends bytes as a text frame (opcode 1), whether or not they are valid UTF-8. */
  sendTextBytes(bytes: Buffer): void {
    this.ws.send(bytes, { binary: false });
  }

  /** Sends a binary frame (opcode 2). */
  sendBinary(bytes: Buffer | string): void {
    this.ws.send(Buffer.from(bytes), { binary: true });
  }

  /** The next frame not yet read, parsed as JSON. */
  async next(ms = 2000): Promise<unknown[]> {
    if (this.#read < this.received.length) return JSON.parse(this.received[this.#read++]!) as unknown[];
    const text = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no frame within ${ms} ms`)), ms);
      this.#waiters.push((s) => {
        clearTimeout(timer);
        resolve(s);
      });
    });
    this.#read++;
    return JSON.parse(text) as unknown[];
  }

  /** Asserts that nothing arrives within `ms`. */
  async nothingWithin(ms: number): Promise<boolean> {
    const before = this.received.length;
    await sleep(ms);
    return this.received.length === before;
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** Connects a raw WebSocket client (e.g. to our CSMS server) offering `protocols`. */
export async function rawClient(
  url: string,
  protocols: string[],
  headers?: Record<string, string>,
): Promise<FramePipe> {
  const ws = new WebSocket(url, protocols, { headers, perMessageDeflate: false });
  const pipe = new FramePipe(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return pipe;
}

export interface RawCsms {
  url: string;
  port: number;
  http: Server;
  wss: WebSocketServer;
  /** Connections in arrival order. */
  connections: FramePipe[];
  requests: IncomingMessage[];
  nextConnection(ms?: number): Promise<FramePipe>;
  close(): Promise<void>;
}

/**
 * A scripted CSMS: accepts every upgrade, selecting a subprotocol with `select` (default: the first offered).
 * `refuse` can answer an upgrade with an HTTP status instead (counted per attempt).
 */
export async function rawCsms(
  options: {
    select?: (offered: string[]) => string | false;
    refuse?: (attempt: number, req: IncomingMessage) => number | undefined;
    /** Takes over an upgrade request (returns true): writes what it likes to the raw socket, or nothing. */
    hijack?: (req: IncomingMessage, socket: Duplex) => boolean;
    autoPong?: boolean;
  } = {},
): Promise<RawCsms> {
  const http = createServer();
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    autoPong: options.autoPong ?? true,
    handleProtocols: (set) => (options.select ? options.select([...set]) : ([...set][0] ?? false)),
  });
  const connections: FramePipe[] = [];
  const requests: IncomingMessage[] = [];
  const waiters: Array<(p: FramePipe) => void> = [];
  let attempts = 0;
  http.on('upgrade', (req, socket, head) => {
    requests.push(req);
    if (options.hijack?.(req, socket)) return void socket.on('error', () => {}); // the peer may reset it
    const status = options.refuse?.(attempts++, req);
    if (status) {
      socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const pipe = new FramePipe(ws);
      connections.push(pipe);
      waiters.shift()?.(pipe);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/ocpp`,
    port,
    http,
    wss,
    connections,
    requests,
    nextConnection(ms = 3000) {
      const seen = connections.length;
      return new Promise<FramePipe>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no connection')), ms);
        const check = () => {
          clearTimeout(timer);
        };
        if (connections.length > seen) return resolve(connections[seen]!);
        waiters.push((p) => {
          check();
          resolve(p);
        });
      });
    },
    async close() {
      for (const c of connections) c.ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Timers driven by advance(): no test waits for real time to pass. */
export class FakeTimers implements Timers {
  #now = 1_700_000_000_000;
  #seq = 0;
  #timers = new Map<number, { at: number; fn: (a: unknown) => void; arg: unknown; every?: number }>();
  /** Every delay passed to setTimeout, in order (for back-off assertions). */
  readonly timeouts: number[] = [];

  now(): number {
    return this.#now;
  }
  setTimeout<T>(fn: (arg: T) => void, ms: number, arg: T): TimerHandle {
    this.timeouts.push(ms);
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#now + ms, fn: fn as (a: unknown) => void, arg });
    return id;
  }
  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle as number);
  }
  setInterval<T>(fn: (arg: T) => void, ms: number, arg: T): TimerHandle {
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#now + ms, fn: fn as (a: unknown) => void, arg, every: ms });
    return id;
  }
  clearInterval(handle: TimerHandle): void {
    this.#timers.delete(handle as number);
  }
  get pending(): number {
    return this.#timers.size;
  }
  /** Moves the clock forward, firing due timers in time order. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let nextId: number | undefined;
      let next: { at: number } | undefined;
      for (const [id, t] of this.#timers) if (t.at <= end && (!next || t.at < next.at)) ((nextId = id), (next = t));
      if (nextId === undefined) break;
      const t = this.#timers.get(nextId)!;
      this.#now = t.at;
      if (t.every) t.at += t.every;
      else this.#timers.delete(nextId);
      t.fn(t.arg);
    }
    this.#now = end;
  }
}
