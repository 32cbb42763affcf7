// `ocppkit csms --files <dir>`: a small HTTP file server next to the built-in CSMS, so that UpdateFirmware and GetLog
// can be tried with two commands. GET serves the files of <dir> (with Range, so that a cut download resumes); PUT and
// POST (multipart/form-data, as stations upload logs: N01.FR.18/19) write what arrives to <dir>/uploads/.
import { createReadStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join, resolve, sep } from 'node:path';

export interface FileServerInfo {
  /** e.g. http://127.0.0.1:9001 */
  url: string;
  close(): Promise<void>;
}

/** The largest upload taken, bytes. */
const MAX_UPLOAD = 64 * 1024 * 1024;

/** A name without a directory part; never empty. */
function safeName(name: string, fallback: string): string {
  const base = basename(name.replace(/\\/g, '/'));
  return base && base !== '.' && base !== '..' ? base : fallback;
}

/** The file part of a multipart/form-data body: its filename and content (the first part with a filename). */
export function multipartFile(body: Buffer, contentType: string): { filename: string; content: Buffer } | undefined {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      if (filename !== undefined) {
        // The part's content ends before the CRLF that precedes the next delimiter.
        let content = part.subarray(headerEnd + 4);
        if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
        return { filename, content };
      }
    }
    at = next;
  }
  return undefined;
}

export async function serveFiles(
  dir: string,
  host: string,
  port: number,
  onEvent: (line: string) => void,
): Promise<FileServerInfo> {
  const root = resolve(dir);
  const uploads = join(root, 'uploads');
  const server = http.createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method === 'PUT' || req.method === 'POST') {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_UPLOAD) req.destroy();
        else chunks.push(c);
      });
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const type = req.headers['content-type'] ?? '';
        const part = req.method === 'POST' && type.startsWith('multipart/') ? multipartFile(body, type) : undefined;
        const name = safeName(part?.filename ?? path, 'upload.bin');
        try {
          mkdirSync(uploads, { recursive: true });
          writeFileSync(join(uploads, name), part?.content ?? body);
          onEvent(`files: received ${name} (${(part?.content ?? body).length} bytes) by ${req.method} into ${uploads}`);
          res.writeHead(201).end();
        } catch (e) {
          onEvent(`files: could not store ${name}: ${(e as Error).message}`);
          res.writeHead(500).end();
        }
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const file = resolve(root, `.${path}`);
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      onEvent(`files: ${path} not found (404)`);
      res.writeHead(404).end('not found');
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const from = range ? Math.min(Number(range[1]), size) : 0;
    res.writeHead(from > 0 ? 206 : 200, {
      'Content-Length': String(size - from),
      'Accept-Ranges': 'bytes',
      'Content-Type': 'application/octet-stream',
      ...(from > 0 ? { 'Content-Range': `bytes ${from}-${size - 1}/${size}` } : {}),
    });
    onEvent(`files: serving ${path} (${size - from} bytes${from ? ` from byte ${from}` : ''})`);
    if (req.method === 'HEAD' || size === from) {
      res.end();
      return;
    }
    createReadStream(file, { start: from }).pipe(res);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
