// runTransfer over FTP against a real FTP server (ftp-srv) on 127.0.0.1: download, the size limit, a missing file,
// wrong credentials, an upload into a directory URL, and a download that resumes with REST after the server dropped
// the connection.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTransfer, type TransferSettings } from '../../runtime/transfer/index.js';
import { startFtpServer, type FtpServer } from '../support/file-servers.js';

const dir = mkdtempSync(join(tmpdir(), 'ocppkit-ftp-client-'));
const settings = (extra: Partial<TransferSettings> = {}): TransferSettings => ({
  directory: dir,
  maxBytes: 1024 * 1024,
  timeoutMs: 3000,
  reconnects: 2,
  ...extra,
});
const file = randomBytes(300_000);
let ftp: FtpServer;

test.before(async () => {
  ftp = await startFtpServer();
  ftp.put('fw.bin', file);
});
test.after(async () => {
  await ftp.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an FTP download (passive mode) brings the whole file', async () => {
  const out = await runTransfer({ kind: 'download', url: `${ftp.url}/fw.bin`, name: 'fw.bin' }, settings());
  assert.ok(out.ok, JSON.stringify(out));
  assert.ok(readFileSync(join(dir, 'fw.bin')).equals(file));
});

test('FTP: a file over the limit is tooLarge, a missing one notFound, wrong credentials permission', async () => {
  const big = await runTransfer(
    { kind: 'download', url: `${ftp.url}/fw.bin`, name: 'big.bin' },
    settings({ maxBytes: 1000 }),
  );
  assert.equal(!big.ok && big.error, 'tooLarge');
  const missing = await runTransfer({ kind: 'download', url: `${ftp.url}/none.bin`, name: 'n.bin' }, settings());
  assert.equal(!missing.ok && missing.error, 'notFound');
  const wrong = ftp.url.replace('secret', 'wrong');
  const denied = await runTransfer({ kind: 'download', url: `${wrong}/fw.bin`, name: 'd.bin' }, settings());
  assert.equal(!denied.ok && denied.error, 'permission');
});

test('N01 an FTP upload to a directory URL stores the file under its name', async () => {
  const out = await runTransfer(
    { kind: 'upload', url: `${ftp.url}/`, name: 'security.log', source: { text: 'event 1\nevent 2\n' } },
    settings(),
  );
  assert.ok(out.ok, JSON.stringify(out));
  assert.is(ftp.read('security.log').toString(), 'event 1\nevent 2\n');
});

test('an FTP download cut by the server resumes where it stopped (REST) and the file is whole', async () => {
  let dropped = false;
  // The server drops the client once, after the data transfer has started.
  ftp.onConnect((connection) => {
    connection.on('RETR', () => {
      if (dropped) return;
      dropped = true;
      setTimeout(() => void connection.close(421, 'going away' as never), 5);
    });
  });
  const big = randomBytes(900_000);
  ftp.put('big.bin', big);
  const out = await runTransfer({ kind: 'download', url: `${ftp.url}/big.bin`, name: 'big.bin' }, settings());
  assert.ok(out.ok, JSON.stringify(out));
  assert.ok(readFileSync(join(dir, 'big.bin')).equals(big));
  assert.ok(dropped, 'the server did drop the connection once');
});

test('FTPS (explicit TLS) with a CA made at test time: download and upload', async () => {
  const secure = await startFtpServer({ tls: true });
  try {
    secure.put('fw.bin', file);
    const out = await runTransfer(
      { kind: 'download', url: `${secure.url}/fw.bin`, name: 'ftps.bin' },
      settings({ ca: secure.ca! }),
    );
    assert.ok(out.ok, JSON.stringify(out));
    assert.ok(readFileSync(join(dir, 'ftps.bin')).equals(file));
    const up = await runTransfer(
      { kind: 'upload', url: `${secure.url}/`, name: 'log.txt', source: { text: 'secure log\n' } },
      settings({ ca: secure.ca! }),
    );
    assert.ok(up.ok, JSON.stringify(up));
    assert.is(secure.read('log.txt').toString(), 'secure log\n');
    const untrusted = await runTransfer(
      { kind: 'download', url: `${secure.url}/fw.bin`, name: 'x.bin' },
      settings({ reconnects: 0 }),
    );
    assert.equal(!untrusted.ok && untrusted.error, 'connection');
  } finally {
    await secure.close();
  }
});

test.run();
