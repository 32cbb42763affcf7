// runTransfer: one download or upload by the URL's protocol, its outcome as a value. This is what the station's shell
// performs for a use case's `transfer` effect (docs/station.md); usable on its own too.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { classify } from './errors.js';
import { ftpDownload, ftpUpload } from './ftp.js';
import { httpDownload, httpUpload } from './http.js';
import { signatureHolds } from './signature.js';
import { TransferFailure, type TransferOutcome, type TransferRequest, type TransferSettings } from './types.js';

export * from './types.js';
export { signatureHolds } from './signature.js';

/** The protocols runTransfer speaks, as OCPPCommCtrlr.FileTransferProtocols names them. */
export const TRANSFER_PROTOCOLS = ['HTTP', 'HTTPS', 'FTP', 'FTPS'] as const;

function parse(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TransferFailure('badUrl', `not a URL: ${JSON.stringify(url)}`);
  }
  if (!['http:', 'https:', 'ftp:', 'ftps:'].includes(u.protocol))
    throw new TransferFailure(
      'unsupported',
      `${u.protocol.replace(/:$/, '')} is not a protocol this station transfers files with`,
    );
  return u;
}

/** A file name without a directory part (what the CSMS or a use case names cannot leave the directory). */
function safeName(name: string): string {
  const base = basename(name.replace(/\\/g, '/'));
  if (base === '' || base === '.' || base === '..')
    throw new TransferFailure('local', `bad file name ${JSON.stringify(name)}`);
  return base;
}

async function perform(request: TransferRequest, settings: TransferSettings): Promise<TransferOutcome> {
  if (request.kind === 'remove') {
    await rm(join(settings.directory, safeName(request.name)), { force: true });
    return { ok: true, bytes: 0 };
  }
  const url = parse(request.url);
  const ftp = url.protocol === 'ftp:' || url.protocol === 'ftps:';
  if (request.kind === 'download') {
    await mkdir(settings.directory, { recursive: true });
    const path = join(settings.directory, safeName(request.name));
    const done = ftp ? await ftpDownload(url, path, settings) : await httpDownload(url, path, settings);
    const signature = request.verify
      ? signatureHolds(await readFile(path), request.verify.certificate, request.verify.signature)
        ? ('valid' as const)
        : ('invalid' as const)
      : undefined;
    return {
      ok: true,
      bytes: done.bytes,
      path,
      ...(signature ? { signature } : {}),
      ...(done.resumes ? { resumes: done.resumes } : {}),
    };
  }
  const source = request.source;
  const content =
    'text' in source
      ? Buffer.from(source.text)
      : 'data' in source
        ? Buffer.from(source.data)
        : await readFile(source.path);
  const name = safeName(request.name);
  // 2.1 N01.FR.21: a location ending in `/` is a directory: the file goes under its name (FTP alike).
  if (!ftp && url.pathname.endsWith('/')) url.pathname += encodeURIComponent(name);
  const done = ftp
    ? await ftpUpload(url, name, content, settings)
    : await httpUpload(url, request.method ?? 'POST', name, content, settings);
  return { ok: true, bytes: done.bytes, ...(done.resumes ? { resumes: done.resumes } : {}) };
}

/** Performs the transfer; every failure is an outcome `{ ok: false, error, message }`, never a rejection. */
export async function runTransfer(request: TransferRequest, settings: TransferSettings): Promise<TransferOutcome> {
  try {
    if (settings.signal?.aborted) throw new TransferFailure('canceled', 'the transfer was canceled');
    return await perform(request, settings);
  } catch (err) {
    const f = classify(err, settings.signal);
    return { ok: false, error: f.kind, message: f.message, ...(f.status !== undefined ? { status: f.status } : {}) };
  }
}
