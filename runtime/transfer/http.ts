// HTTP and HTTPS transfers with node:http/https: a download that resumes with a Range request after a lost
// connection (or starts over when the server ignores ranges), within a size limit; uploads by PUT or by a
// multipart POST with the file name in Content-Disposition (N01.FR.18/19).
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { rootCertificates } from 'node:tls';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { classify, retryable } from './errors.js';
import { TransferFailure, type TransferSettings } from './types.js';

const MAX_REDIRECTS = 5;

function requestOptions(url: URL, settings: TransferSettings): http.RequestOptions & https.RequestOptions {
  const auth =
    url.username || url.password
      ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }
      : {};
  // Extra CAs are trusted besides the system's (N01.FR.15/16), not instead of them.
  const extra = settings.ca === undefined ? [] : Array.isArray(settings.ca) ? settings.ca : [settings.ca];
  const ca = url.protocol === 'https:' && extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {};
  // agent: false — a connection of its own for every request: a resume after a cut never reuses a pooled socket,
  // and no timeout listener stays behind on one.
  return { agent: false, ...auth, ...ca, ...(settings.signal ? { signal: settings.signal } : {}) };
}

/** The error a status answer means. */
function statusFailure(status: number, url: URL): TransferFailure {
  const where = `${url.protocol}//${url.host}${url.pathname}`;
  if (status === 404 || status === 410) return new TransferFailure('notFound', `${where}: HTTP ${status}`, status);
  if (status === 401 || status === 403) return new TransferFailure('permission', `${where}: HTTP ${status}`, status);
  return new TransferFailure('server', `${where}: HTTP ${status}`, status);
}

/** One GET: resolves with the response once its status is known, following redirects. */
function get(url: URL, headers: Record<string, string>, settings: TransferSettings, hops = 0) {
  return new Promise<{ res: http.IncomingMessage; url: URL }>((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method: 'GET', headers, ...requestOptions(url, settings) }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location && status !== 304) {
        res.resume();
        if (hops >= MAX_REDIRECTS) return reject(new TransferFailure('server', 'too many redirects', status));
        let next: URL;
        try {
          next = new URL(res.headers.location, url);
        } catch {
          return reject(new TransferFailure('server', `bad redirect to ${res.headers.location}`, status));
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:')
          return reject(new TransferFailure('unsupported', `redirect to ${next.protocol}`, status));
        get(next, headers, settings, hops + 1).then(resolve, reject);
        return;
      }
      resolve({ res, url });
    });
    req.setTimeout(settings.timeoutMs, () =>
      req.destroy(new TransferFailure('timeout', `no progress for ${settings.timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end();
  });
}

/** Counts the bytes flowing through and stops the stream beyond `max` in all. */
function limiter(already: number, max: number, onBytes: (n: number) => void): Transform {
  let total = already;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      total += chunk.length;
      if (total > max) return done(new TransferFailure('tooLarge', `the file is larger than ${max} bytes`));
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
}

/** One attempt from byte `have` on: the file's size afterwards when the body arrived whole. */
async function downloadOnce(url: URL, path: string, have: number, settings: TransferSettings): Promise<number> {
  const headers: Record<string, string> = have > 0 ? { Range: `bytes=${have}-` } : {};
  const { res, url: at } = await get(url, headers, settings);
  const status = res.statusCode ?? 0;
  if (status !== 200 && status !== 206) {
    res.resume();
    throw statusFailure(status, at);
  }
  // 206: the rest, appended; 200: the server sends the whole file again — start over.
  const from = status === 206 ? have : 0;
  const length = Number(res.headers['content-length']);
  if (Number.isFinite(length) && from + length > settings.maxBytes) {
    res.destroy();
    throw new TransferFailure('tooLarge', `the file is ${from + length} bytes, more than ${settings.maxBytes}`);
  }
  let received = 0;
  res.socket?.setTimeout(settings.timeoutMs, () =>
    res.destroy(new TransferFailure('timeout', `no progress for ${settings.timeoutMs} ms`)),
  );
  await pipeline(
    res,
    limiter(from, settings.maxBytes, (n) => (received += n)),
    createWriteStream(path, status === 206 ? { flags: 'r+', start: from } : { flags: 'w' }),
  );
  // A body cut short without an error (the server closed a response of known length early).
  if (!res.complete || (Number.isFinite(length) && received < length))
    throw new TransferFailure('connection', `the connection closed after ${from + received} bytes`);
  return from + received;
}

/** Downloads `url` into `path`: resumes (or restarts) after a lost connection, at most `settings.reconnects` times. */
export async function httpDownload(
  url: URL,
  path: string,
  settings: TransferSettings,
): Promise<{ bytes: number; resumes: number }> {
  let resumes = 0;
  for (let attempt = 0; ; attempt++) {
    let have = 0;
    if (attempt > 0)
      have = await stat(path).then(
        (s) => s.size,
        () => 0,
      );
    try {
      return { bytes: await downloadOnce(url, path, have, settings), resumes };
    } catch (err) {
      const failure = classify(err, settings.signal);
      if (!retryable(failure) || attempt >= settings.reconnects) throw failure;
      resumes++;
    }
  }
}

/** The body of an upload: raw for PUT, one multipart/form-data part for POST (N01.FR.19). */
function body(
  method: 'POST' | 'PUT',
  name: string,
  content: Buffer,
): { headers: Record<string, string>; data: Buffer } {
  if (method === 'PUT')
    return {
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(content.length) },
      data: content,
    };
  const boundary = `ocppkit-${randomBytes(12).toString('hex')}`;
  const safe = name.replace(/["\r\n\\]/g, '_');
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="uploadfile"; filename="${safe}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const data = Buffer.concat([head, content, tail]);
  return {
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(data.length) },
    data,
  };
}

function uploadOnce(url: URL, method: 'POST' | 'PUT', payload: ReturnType<typeof body>, settings: TransferSettings) {
  return new Promise<void>((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method, headers: payload.headers, ...requestOptions(url, settings) }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      res.on('end', () => (status >= 200 && status < 300 ? resolve() : reject(statusFailure(status, url))));
      res.on('error', reject);
    });
    req.setTimeout(settings.timeoutMs, () =>
      req.destroy(new TransferFailure('timeout', `no progress for ${settings.timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(payload.data);
  });
}

/** Uploads `content` by PUT or POST; an HTTP upload cannot resume, so a lost connection sends it again. */
export async function httpUpload(
  url: URL,
  method: 'POST' | 'PUT',
  name: string,
  content: Buffer,
  settings: TransferSettings,
): Promise<{ bytes: number; resumes: number }> {
  const payload = body(method, name, content);
  let resumes = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      await uploadOnce(url, method, payload, settings);
      return { bytes: content.length, resumes };
    } catch (err) {
      const failure = classify(err, settings.signal);
      if (!retryable(failure) || attempt >= settings.reconnects) throw failure;
      resumes++;
    }
  }
}
