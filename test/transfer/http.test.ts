// runTransfer over HTTP and HTTPS against real servers of Node's own on 127.0.0.1: downloads (whole, resumed after a
// cut, restarted where the server ignores ranges, over the size limit, 404/500, stalled), uploads by POST and PUT
// (N01.FR.18/19), HTTPS with a CA made at test time, and signatures over the downloaded file (L01.FR.04/12).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, randomBytes, sign, constants } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTransfer, type TransferSettings } from '../../runtime/transfer/index.js';
import { startFileServer, type FileServer } from '../support/file-servers.js';
import { createCa, issue } from '../support/pki.js';
import { signFile } from '../support/firmware-signing.js';

const dir = mkdtempSync(join(tmpdir(), 'ocppkit-transfer-'));
const settings = (extra: Partial<TransferSettings> = {}): TransferSettings => ({
  directory: dir,
  maxBytes: 1024 * 1024,
  timeoutMs: 2000,
  reconnects: 3,
  ...extra,
});
const file = randomBytes(200_000);
let server: FileServer;

test.before(async () => {
  server = await startFileServer();
  server.files.set('/fw.bin', file);
});
test.after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an HTTP download writes the whole file into the transfer directory', async () => {
  const out = await runTransfer({ kind: 'download', url: `${server.url}/fw.bin`, name: 'a.bin' }, settings());
  assert.equal(out, { ok: true, bytes: file.length, path: join(dir, 'a.bin') });
  assert.ok(readFileSync(join(dir, 'a.bin')).equals(file));
});

test('remove: a file of the transfer directory goes; a missing one is fine; no way out of the directory', async () => {
  const { existsSync } = await import('node:fs');
  await runTransfer({ kind: 'download', url: `${server.url}/fw.bin`, name: 'r.bin' }, settings());
  assert.ok(existsSync(join(dir, 'r.bin')));
  assert.equal(await runTransfer({ kind: 'remove', name: 'r.bin' }, settings()), { ok: true, bytes: 0 });
  assert.not.ok(existsSync(join(dir, 'r.bin')));
  assert.equal(await runTransfer({ kind: 'remove', name: 'r.bin' }, settings()), { ok: true, bytes: 0 });
  const out = await runTransfer({ kind: 'remove', name: '..' }, settings());
  assert.equal(!out.ok && out.error, 'local');
});

test('a download cut in the middle resumes with a Range request and the file is whole', async () => {
  server.cut.set('/fw.bin', { after: 70_000, times: 2 });
  const before = server.requests.length;
  const out = await runTransfer({ kind: 'download', url: `${server.url}/fw.bin`, name: 'b.bin' }, settings());
  assert.ok(out.ok, JSON.stringify(out));
  assert.is(out.ok && out.resumes, 2);
  assert.ok(readFileSync(join(dir, 'b.bin')).equals(file), 'the resumed file equals the original');
  const ranges = server.requests.slice(before).map((r) => r.range);
  assert.equal(ranges, [undefined, 'bytes=70000-', 'bytes=140000-']);
});

test('a server that ignores ranges: the download starts over and the file is whole', async () => {
  server.cut.set('/fw.bin', { after: 50_000, times: 1 });
  server.noRanges = true;
  try {
    const out = await runTransfer({ kind: 'download', url: `${server.url}/fw.bin`, name: 'c.bin' }, settings());
    assert.ok(out.ok && out.resumes === 1, JSON.stringify(out));
    assert.ok(readFileSync(join(dir, 'c.bin')).equals(file));
  } finally {
    server.noRanges = false;
  }
});

test('a connection cut more often than the reconnects allow fails as connection (a value, no rejection)', async () => {
  server.cut.set('/fw.bin', { after: 10_000, times: 5 });
  const out = await runTransfer(
    { kind: 'download', url: `${server.url}/fw.bin`, name: 'd.bin' },
    settings({ reconnects: 2 }),
  );
  server.cut.delete('/fw.bin');
  assert.is(out.ok, false);
  assert.is(!out.ok && out.error, 'connection');
});

test('404 and 500 are notFound and server, with the status', async () => {
  const missing = await runTransfer({ kind: 'download', url: `${server.url}/nope.bin`, name: 'e.bin' }, settings());
  assert.equal(!missing.ok && [missing.error, missing.status], ['notFound', 404]);
  server.status.set('/fw.bin', 500);
  const broken = await runTransfer({ kind: 'download', url: `${server.url}/fw.bin`, name: 'e.bin' }, settings());
  server.status.delete('/fw.bin');
  assert.equal(!broken.ok && [broken.error, broken.status], ['server', 500]);
});

test('a file over the size limit is refused as tooLarge', async () => {
  const out = await runTransfer(
    { kind: 'download', url: `${server.url}/fw.bin`, name: 'f.bin' },
    settings({ maxBytes: 100_000 }),
  );
  assert.equal(!out.ok && out.error, 'tooLarge');
});

test('a stalled server fails as timeout after timeoutMs', async () => {
  server.stall.add('/slow.bin');
  const out = await runTransfer(
    { kind: 'download', url: `${server.url}/slow.bin`, name: 'g.bin' },
    settings({ timeoutMs: 200, reconnects: 0 }),
  );
  assert.equal(!out.ok && out.error, 'timeout');
});

test('an aborted transfer is canceled', async () => {
  server.stall.add('/slow.bin');
  const ac = new AbortController();
  const pending = runTransfer(
    { kind: 'download', url: `${server.url}/slow.bin`, name: 'h.bin' },
    settings({ signal: ac.signal }),
  );
  setTimeout(() => ac.abort(), 50);
  const out = await pending;
  assert.equal(!out.ok && out.error, 'canceled');
});

test('bad URLs and other protocols are values too: badUrl, unsupported', async () => {
  const bad = await runTransfer({ kind: 'download', url: 'not a url', name: 'x' }, settings());
  assert.equal(!bad.ok && bad.error, 'badUrl');
  const sftp = await runTransfer({ kind: 'download', url: 'sftp://127.0.0.1/x', name: 'x' }, settings());
  assert.equal(!sftp.ok && sftp.error, 'unsupported');
  const refused = await runTransfer(
    { kind: 'download', url: 'http://127.0.0.1:1/x', name: 'x' },
    settings({ reconnects: 0 }),
  );
  assert.equal(!refused.ok && refused.error, 'connection');
});

test('N01.FR.19 a POST upload is multipart with Content-Type and a Content-Disposition naming the file', async () => {
  const arrived = server.nextUpload();
  const out = await runTransfer(
    { kind: 'upload', url: `${server.url}/logs/`, name: 'diag.log', source: { text: 'line 1\nline 2\n' } },
    settings(),
  );
  assert.ok(out.ok);
  const up = await arrived;
  assert.is(up.method, 'POST');
  assert.match(String(up.headers['content-type']), /^multipart\/form-data; boundary=/);
  const text = up.body.toString();
  assert.match(text, /Content-Disposition: form-data; name="uploadfile"; filename="diag.log"/);
  assert.match(text, /Content-Type: application\/octet-stream\r\n\r\nline 1\nline 2\n\r\n--/);
});

test('N01.FR.18 a PUT upload sends the file as it is; a refusing server is permission / server', async () => {
  const arrived = server.nextUpload();
  const out = await runTransfer(
    { kind: 'upload', url: `${server.url}/logs/put.log`, name: 'put.log', source: { text: 'abc' }, method: 'PUT' },
    settings(),
  );
  assert.ok(out.ok);
  const up = await arrived;
  assert.equal([up.method, up.body.toString()], ['PUT', 'abc']);
  server.status.set('/denied', 403);
  const denied = await runTransfer(
    { kind: 'upload', url: `${server.url}/denied`, name: 'x', source: { text: 'x' } },
    settings(),
  );
  assert.equal(!denied.ok && denied.error, 'permission');
});

test('HTTPS with a CA made at test time: trusted when given, refused (not retried) when not', async () => {
  const secure = await startFileServer({ tls: true });
  try {
    secure.files.set('/fw.bin', file);
    const out = await runTransfer(
      { kind: 'download', url: `${secure.url}/fw.bin`, name: 'tls.bin' },
      settings({ ca: secure.ca! }),
    );
    assert.ok(out.ok, JSON.stringify(out));
    assert.ok(readFileSync(join(dir, 'tls.bin')).equals(file));
    const before = secure.requests.length;
    const untrusted = await runTransfer({ kind: 'download', url: `${secure.url}/fw.bin`, name: 'x.bin' }, settings());
    assert.equal(!untrusted.ok && untrusted.error, 'connection');
    assert.match(!untrusted.ok ? untrusted.message : '', /TLS/);
    assert.is(secure.requests.length, before, 'no request reached a server the station does not trust');
  } finally {
    await secure.close();
  }
});

test('L01.FR.04 L01.FR.12 the signature over the downloaded file is checked with the signing certificate', async () => {
  const ca = await createCa('manufacturer root');
  const signer = await issue(ca, { commonName: 'firmware signer' });
  server.files.set('/signed.bin', file);
  const signature = signFile(file, signer.key);
  const good = await runTransfer(
    {
      kind: 'download',
      url: `${server.url}/signed.bin`,
      name: 's.bin',
      verify: { certificate: signer.cert, signature },
    },
    settings(),
  );
  assert.equal(good.ok && good.signature, 'valid');
  const tampered = Buffer.from(file);
  tampered[1000] ^= 0xff;
  server.files.set('/tampered.bin', tampered);
  const bad = await runTransfer(
    {
      kind: 'download',
      url: `${server.url}/tampered.bin`,
      name: 't.bin',
      verify: { certificate: signer.cert, signature },
    },
    settings(),
  );
  assert.equal(bad.ok && bad.signature, 'invalid');
});

test('a signature by another key, a malformed signature or certificate never holds', async () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ca = await createCa('rsa holder');
  // The certificate's key is ECDSA: an RSA signature over the same data does not hold with it.
  const ec = await issue(ca, { commonName: 'ec signer' });
  const pss = sign('sha256', file, {
    key: privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32,
  }).toString('base64');
  const { signatureHolds } = await import('../../runtime/transfer/index.js');
  assert.is(signatureHolds(file, ec.cert, pss), false);
  assert.is(signatureHolds(file, ec.cert, 'not base64 at all'), false);
  assert.is(signatureHolds(file, 'not a certificate', signFile(file, ec.key)), false);
  assert.is(signatureHolds(file, ec.cert, signFile(file, ec.key)), true);
});

test.run();
