// Real file servers on 127.0.0.1 for the transfer tests: an HTTP/HTTPS server of Node's own that serves files
// (with Range), receives uploads, answers a chosen status or cuts a response in the middle; and a real FTP server
// (ftp-srv) on a temporary directory.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FtpSrv, type FtpConnection } from 'ftp-srv';
import type { EventEmitter } from 'node:events';
import { createCa, issue, type Ca } from './pki.js';

export interface Upload {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface FileServer {
  /** Base URL, e.g. http://127.0.0.1:34567 (no trailing slash). */
  url: string;
  files: Map<string, Buffer>;
  uploads: Upload[];
  /** Every request seen: its path, the URL as sent (path and query), its Range and Authorization headers. */
  requests: Array<{ method: string; path: string; url: string; at: number; range?: string; authorization?: string }>;
  /** Answer this path with a redirect to this location (302). */
  redirect: Map<string, string>;
  /** Answer this path with this status (404, 500 …) instead of the file. */
  status: Map<string, number>;
  /** Cut the next N responses of this path after this many body bytes (closing the socket). */
  cut: Map<string, { after: number; times: number }>;
  /** Ignore Range headers (answer 200 with the whole file). */
  noRanges: boolean;
  /** Hold responses of this path without a byte (a stalled server). */
  stall: Set<string>;
  /** Resolves when the next upload has arrived. */
  nextUpload(): Promise<Upload>;
  close(): Promise<void>;
  /** The CA an HTTPS server's certificate was issued by (PEM). */
  ca?: string;
}

export async function startFileServer(options: { tls?: boolean; ca?: Ca } = {}): Promise<FileServer> {
  const files = new Map<string, Buffer>();
  const uploads: Upload[] = [];
  const waiting: Array<(u: Upload) => void> = [];
  const sockets = new Set<import('node:net').Socket>();
  const fs: FileServer = {
    url: '',
    files,
    uploads,
    requests: [],
    status: new Map(),
    cut: new Map(),
    redirect: new Map(),
    noRanges: false,
    stall: new Set(),
    nextUpload: () => new Promise((resolve) => waiting.push(resolve)),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const handler: http.RequestListener = (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    fs.requests.push({
      method: req.method ?? '',
      path,
      url: req.url ?? '',
      at: Date.now(),
      ...(typeof req.headers.range === 'string' ? { range: req.headers.range } : {}),
      ...(typeof req.headers.authorization === 'string' ? { authorization: req.headers.authorization } : {}),
    });
    const status = fs.status.get(path);
    const location = fs.redirect.get(path);
    if (location) {
      req.resume();
      res.writeHead(302, { Location: location }).end();
      return;
    }
    if (req.method === 'PUT' || req.method === 'POST') {
      if (fs.stall.has(path)) return;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (status) {
          res.writeHead(status).end();
          return;
        }
        const upload = { method: req.method!, path, headers: req.headers, body: Buffer.concat(chunks) };
        uploads.push(upload);
        res.writeHead(201).end();
        waiting.shift()?.(upload);
      });
      return;
    }
    if (fs.stall.has(path)) return;
    if (status) {
      res.writeHead(status).end(`status ${status}`);
      return;
    }
    const file = files.get(path);
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    let from = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && !fs.noRanges) from = Number(range[1]);
    const body = file.subarray(from);
    const headers = {
      'Content-Length': String(body.length),
      'Accept-Ranges': fs.noRanges ? 'none' : 'bytes',
      ...(from > 0 ? { 'Content-Range': `bytes ${from}-${file.length - 1}/${file.length}` } : {}),
    };
    res.writeHead(from > 0 ? 206 : 200, headers);
    const cut = fs.cut.get(path);
    if (cut && cut.times > 0) {
      cut.times--;
      res.write(body.subarray(0, cut.after), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(body);
  };
  let ca: Ca | undefined;
  let server: http.Server;
  if (options.tls) {
    ca = options.ca ?? (await createCa('ocppkit file server CA'));
    const leaf = await issue(ca, { commonName: '127.0.0.1', ips: ['127.0.0.1'] });
    server = https.createServer({ cert: leaf.cert, key: leaf.key }, handler);
  } else {
    server = http.createServer(handler);
  }
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  fs.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  if (ca) fs.ca = ca.cert;
  return fs;
}

/** A logger that says nothing (ftp-srv logs through bunyan by default). */
const quiet = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  fatal() {},
  child() {
    return quiet;
  },
};

export interface FtpServer {
  url: string;
  /** The directory the server serves and writes uploads into. */
  root: string;
  put(name: string, content: Buffer | string): void;
  read(name: string): Buffer;
  server: FtpSrv;
  /** Each new client connection (ftp-srv's 'connect' event, which its typings leave out). */
  onConnect(listener: (connection: FtpConnection) => void): void;
  close(): Promise<void>;
}

let pasvBase = 30000 + ((process.pid * 97) % 20000);

/**
 * ftp-srv on 127.0.0.1, any free port; user `ocpp`, password `secret` (anything else is refused). With `tls`: explicit
 * FTPS (AUTH TLS) with a certificate for 127.0.0.1 issued by a CA made here (`ca`), URL `ftps://…`.
 */
export async function startFtpServer(options: { tls?: boolean } = {}): Promise<FtpServer & { ca?: string }> {
  const root = mkdtempSync(join(tmpdir(), 'ocppkit-ftp-'));
  pasvBase += 50;
  let tls: { cert: string; key: string } | undefined;
  let ca: Ca | undefined;
  if (options.tls) {
    ca = await createCa('ocppkit FTPS CA');
    tls = await issue(ca, { commonName: '127.0.0.1', ips: ['127.0.0.1'] });
  }
  const server = new FtpSrv({
    ...(tls ? { tls } : {}),
    url: 'ftp://127.0.0.1:0',
    pasv_url: '127.0.0.1',
    pasv_min: pasvBase,
    pasv_max: pasvBase + 49,
    anonymous: false,
    log: quiet,
  });
  server.on('login', ({ username, password }, resolve, reject) => {
    if (username === 'ocpp' && password === 'secret') resolve({ root });
    else reject(new Error('bad credentials'));
  });
  await server.listen();
  const port = ((server as unknown as { server: import('node:net').Server }).server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'ftps' : 'ftp'}://ocpp:secret@127.0.0.1:${port}`,
    ...(ca ? { ca: ca.cert } : {}),
    root,
    server,
    onConnect: (listener) =>
      void (server as unknown as EventEmitter).on('connect', ({ connection }: { connection: FtpConnection }) =>
        listener(connection),
      ),
    put: (name, content) => writeFileSync(join(root, name), content),
    read: (name) => readFileSync(join(root, name)),
    close: async () => {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
