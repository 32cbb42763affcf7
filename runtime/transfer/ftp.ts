// FTP and FTPS transfers with basic-ftp (passive mode, as L01/N01's remarks ask). ftps:// is explicit TLS (AUTH TLS)
// on the given port. A lost connection resumes where the file stopped: REST for a download, APPE of the rest for an
// upload (N01's error handling recommends resuming).
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { Client } from 'basic-ftp';
import { classify, retryable } from './errors.js';
import { TransferFailure, type TransferSettings } from './types.js';

async function connect(url: URL, settings: TransferSettings): Promise<Client> {
  const client = new Client(settings.timeoutMs);
  const extra = settings.ca === undefined ? [] : Array.isArray(settings.ca) ? settings.ca : [settings.ca];
  const abort = () => client.close();
  settings.signal?.addEventListener('abort', abort, { once: true });
  client.ftp.socket.once('close', () => settings.signal?.removeEventListener('abort', abort));
  await client.access({
    host: url.hostname,
    port: url.port ? Number(url.port) : 21,
    user: url.username ? decodeURIComponent(url.username) : 'anonymous',
    password: url.password ? decodeURIComponent(url.password) : 'anonymous@',
    secure: url.protocol === 'ftps:',
    ...(url.protocol === 'ftps:'
      ? {
          secureOptions: {
            servername: url.hostname,
            ...(extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {}),
          },
        }
      : {}),
  });
  return client;
}

/** Runs `work` with a connected client, closing it afterwards whatever happens. */
async function withClient<T>(url: URL, settings: TransferSettings, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await connect(url, settings);
  try {
    return await work(client);
  } finally {
    client.close();
  }
}

const remotePath = (url: URL) => decodeURIComponent(url.pathname);

/** Downloads `url` into `path`, resuming with REST after a lost connection, at most `settings.reconnects` times. */
export async function ftpDownload(
  url: URL,
  path: string,
  settings: TransferSettings,
): Promise<{ bytes: number; resumes: number }> {
  let resumes = 0;
  for (let attempt = 0; ; attempt++) {
    const have =
      attempt === 0
        ? 0
        : await stat(path).then(
            (s) => s.size,
            () => 0,
          );
    let over = false;
    try {
      await withClient(url, settings, async (client) => {
        // SIZE where the server knows it: refuse a file over the limit before fetching it.
        const size = await client.size(remotePath(url)).catch(() => undefined);
        if (size !== undefined && size > settings.maxBytes)
          throw new TransferFailure('tooLarge', `the file is ${size} bytes, more than ${settings.maxBytes}`);
        client.trackProgress((info) => {
          if (have + info.bytes > settings.maxBytes && !over) {
            over = true;
            client.close();
          }
        });
        await client.downloadTo(path, remotePath(url), have);
      });
      const bytes = (await stat(path)).size;
      return { bytes, resumes };
    } catch (err) {
      if (over) throw new TransferFailure('tooLarge', `the file is larger than ${settings.maxBytes} bytes`);
      const failure = classify(err, settings.signal);
      if (!retryable(failure) || attempt >= settings.reconnects) throw failure;
      resumes++;
    }
  }
}

/** Uploads `content` to `url` (a directory URL, ending in `/`, gets `name`), appending the rest after a lost connection. */
export async function ftpUpload(
  url: URL,
  name: string,
  content: Buffer,
  settings: TransferSettings,
): Promise<{ bytes: number; resumes: number }> {
  const target = url.pathname.endsWith('/') ? `${remotePath(url)}${name}` : remotePath(url);
  let resumes = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      await withClient(url, settings, async (client) => {
        const have = attempt === 0 ? 0 : await client.size(target).catch(() => 0);
        if (have > 0 && have <= content.length) await client.appendFrom(Readable.from(content.subarray(have)), target);
        else await client.uploadFrom(Readable.from(content), target);
      });
      return { bytes: content.length, resumes };
    } catch (err) {
      const failure = classify(err, settings.signal);
      if (!retryable(failure) || attempt >= settings.reconnects) throw failure;
      resumes++;
    }
  }
}
