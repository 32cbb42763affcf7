// The web view's HTTP server (node:http, no framework): one page (page/), a JSON API over a UiSource, and two
// Server-Sent Event streams — the station list, and one station's messages. It binds 127.0.0.1 unless told
// otherwise, answers only requests addressed to it by that name (a web page elsewhere cannot reach it through DNS
// rebinding), takes commands only as JSON from its own origin, and answers any malformed request with a status and
// a JSON error instead of failing.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { messageOf } from '../error-text.js';
import { APP_JS } from './page/app-js.js';
import { INDEX_HTML } from './page/index-html.js';
import { STYLE_CSS } from './page/style-css.js';
import type { UiEvent, UiSource } from './types.js';

/** The largest command body accepted, bytes (a CSMS call's JSON payload included). */
export const MAX_BODY_BYTES = 64 * 1024;
/** Event streams open at once: a forgotten tab loop cannot take the process's memory. */
export const MAX_STREAMS = 64;
/** A comment line on every stream this often: a reader that went away unnoticed is found out and its place freed. */
const KEEPALIVE_MS = 15_000;
/** A stream whose reader lags this far behind (bytes not yet sent) is closed; the page reconnects and resumes. */
const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

export interface UiServerOptions {
  /** TCP port (0: any free port). */
  port: number;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** How often a comment line goes on every stream, ms; default 15 s. */
  keepaliveMs?: number;
}

export interface UiServer {
  /** The page's address, e.g. http://127.0.0.1:8080/ */
  readonly url: string;
  readonly address: AddressInfo;
  close(): Promise<void>;
}

const ASSETS: Record<string, { type: string; body: string }> = {
  '/': { type: 'text/html; charset=utf-8', body: INDEX_HTML },
  '/app.js': { type: 'text/javascript; charset=utf-8', body: APP_JS },
  '/style.css': { type: 'text/css; charset=utf-8', body: STYLE_CSS },
};

const SECURITY_HEADERS = {
  // Only this server's own script and style; no framing (clickjacking), no referrer, nothing cached.
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const STREAM_HEADERS = {
  ...SECURITY_HEADERS,
  'content-type': 'text/event-stream; charset=utf-8',
  connection: 'keep-alive',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Starts the web view of `source`; resolves once it listens. */
export async function startUiServer(source: UiSource, options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  const streams = new Set<ServerResponse>();
  let allowedHosts: Set<string> | undefined;
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const error = e instanceof HttpError ? e : new HttpError(500, `internal error: ${messageOf(e)}`);
      if (res.headersSent) return void res.destroy();
      sendJson(res, error.status, { error: error.message }, error.headers);
    });
  });
  server.on('clientError', (_err, socket) => {
    // A request node:http cannot parse: 400, and the connection closed.
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const keepalive = setInterval(() => {
    for (const res of streams) if (res.headersSent) res.write(': keep-alive\n\n');
  }, options.keepaliveMs ?? KEEPALIVE_MS).unref();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a loopback server answers only the names that mean this machine.
    if (allowedHosts && !allowedHosts.has((req.headers.host ?? '').toLowerCase()))
      throw new HttpError(403, 'this server answers requests to 127.0.0.1, localhost or [::1] only');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://ui.invalid');
    } catch {
      throw new HttpError(400, 'malformed request target');
    }
    const path = url.pathname;
    const asset = Object.hasOwn(ASSETS, path) ? ASSETS[path] : undefined;
    if (asset) {
      only(req, 'GET');
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.type });
      return void res.end(req.method === 'HEAD' ? undefined : asset.body);
    }
    if (path === '/api/info') return (only(req, 'GET'), sendJson(res, 200, source.info()));
    if (path === '/api/stations') return (only(req, 'GET'), sendJson(res, 200, await source.stations()));
    if (path === '/api/events') return (only(req, 'GET'), await openStream(req, res, 'stations'));
    const m = /^\/api\/stations\/([^/]+)(?:\/(messages|stream|commands))?$/.exec(path);
    if (!m) throw new HttpError(404, `no such page: ${path.slice(0, 200)}`);
    let identity: string;
    try {
      identity = decodeURIComponent(m[1]!);
    } catch {
      throw new HttpError(400, 'malformed station identity in the path');
    }
    const unknown = () => new HttpError(404, `no station ${JSON.stringify(identity.slice(0, 100))}`);
    switch (m[2]) {
      case undefined: {
        only(req, 'GET');
        const station = await source.station(identity);
        if (!station) throw unknown();
        return sendJson(res, 200, station);
      }
      case 'messages': {
        only(req, 'GET');
        const messages = await source.messages(identity);
        if (!messages) throw unknown();
        return sendJson(res, 200, messages);
      }
      case 'stream':
        only(req, 'GET');
        if (!(await source.station(identity))) throw unknown();
        return openStream(req, res, identity);
      default: {
        only(req, 'POST');
        const line = await commandLine(req);
        const result = await source.execute(identity, line);
        if (!result) throw unknown();
        if (result.ok) return sendJson(res, 200, result);
        return sendJson(res, result.reason === 'bad' ? 400 : 502, result);
      }
    }
  }

  /** `stations`: the list, then every change; a station identity: its kept messages, then every new one. */
  async function openStream(req: IncomingMessage, res: ServerResponse, what: string): Promise<void> {
    if (streams.size >= MAX_STREAMS)
      throw new HttpError(503, `too many open streams (${MAX_STREAMS}); close other tabs of this page`);
    streams.add(res);
    // Subscribed before the snapshot is asked for (it may take a message round trip): what happens meanwhile is
    // held, then sent after it; messages already in the snapshot are told apart by their sequence number.
    let held: UiEvent[] | undefined = [];
    let sent = 0;
    const send = (event: string, data: unknown, id?: number) => {
      if (res.writableLength > MAX_BACKLOG_BYTES) return void res.destroy();
      res.write(`event: ${event}\n${id !== undefined ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
    };
    const forward = (e: UiEvent) => {
      if (what === 'stations') {
        if (e.type === 'station') send('station', e.station);
        else if (e.type === 'removed') send('removed', { identity: e.identity });
      } else if (e.type === 'message' && e.identity === what) {
        if (e.message.seq > sent) send('message', e.message, (sent = e.message.seq));
      } else if (e.type === 'station' && e.station.identity === what) send('station', e.station);
    };
    const unsubscribe = source.subscribe((e) => (held ? held.push(e) : forward(e)));
    const unwatch = what === 'stations' ? undefined : source.watch?.(what);
    const closed = () => {
      unsubscribe();
      unwatch?.();
      streams.delete(res);
    };
    res.on('close', closed);
    try {
      if (what === 'stations') {
        const list = await source.stations();
        res.writeHead(200, STREAM_HEADERS).write('retry: 2000\n\n');
        send('stations', list);
      } else {
        // A page that reconnects resumes after the last message it got.
        const last = Number(req.headers['last-event-id']);
        sent = Number.isSafeInteger(last) && last > 0 ? last : 0;
        const [messages, station] = await Promise.all([source.messages(what), source.station(what)]);
        // An id from before a restart of the command (numbers start again at 1): everything kept is new.
        if (sent > (messages?.at(-1)?.seq ?? 0)) sent = 0;
        res.writeHead(200, STREAM_HEADERS).write('retry: 2000\n\n');
        for (const message of messages ?? []) if (message.seq > sent) send('message', message, (sent = message.seq));
        send('station', station);
      }
    } catch (e) {
      closed();
      throw e;
    }
    const pending = held;
    held = undefined;
    for (const e of pending) forward(e);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => (clearInterval(keepalive), reject(e)));
    server.listen(options.port, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  server.on('error', () => {});
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  if (isLoopback(address.address))
    allowedHosts = new Set(['127.0.0.1', 'localhost', '[::1]', shown].map((h) => `${h}:${address.port}`));
  return {
    url: `http://${shown}:${address.port}/`,
    address,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(keepalive);
        for (const res of streams) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function only(req: IncomingMessage, method: 'GET' | 'POST'): void {
  if (req.method === method || (method === 'GET' && req.method === 'HEAD')) return;
  throw new HttpError(405, `${req.method ?? 'this method'} is not allowed here (${method})`, {
    allow: method === 'GET' ? 'GET, HEAD' : 'POST',
  });
}

/**
 * A command's body: `{"line": "<command>"}` as application/json, from a page of this server. (A form of another
 * site cannot send that type without asking first, which this server never allows; a browser names the origin.)
 */
async function commandLine(req: IncomingMessage): Promise<string> {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`)
    throw new HttpError(403, `commands are taken from this server's own page only, not from ${origin.slice(0, 100)}`);
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, 'send the command as application/json: {"line": "plug 1"}');
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `the command is longer than ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the command is longer than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw new HttpError(400, `the body is not JSON: ${messageOf(e)}`);
  }
  const line = body !== null && typeof body === 'object' && 'line' in body ? body.line : undefined;
  if (typeof line !== 'string') throw new HttpError(400, 'the body must be {"line": "<command>"} with a string line');
  return line;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** 127.0.0.0/8 and ::1: addresses no other host can reach. */
export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
