// OCTT 1.6 secure firmware update test cases of the security whitepaper (TC_080_CS, TC_081_CS) over real sockets
// against the built-in CSMS in 1.6, with a real HTTP file server, certificates made at test time and a real SQLite
// file: SignedUpdateFirmware with SignedFirmwareStatusNotification, the signing certificate checked against the
// ManufacturerRootCertificate installed with InstallCertificate, the signature over the downloaded file.
// @timeout 120
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createCa, issue } from '../../support/pki.js';
import { signFile } from '../../support/firmware-signing.js';
import { startFileServer, type FileServer } from '../../support/file-servers.js';
import { accepted, startPair16, type Pair16 } from '../../support/pair16.js';

const signedStatuses = (p: Pair16) =>
  p.sent('SignedFirmwareStatusNotification').map((m) => [(m.request as any).status, (m.request as any).requestId]);
const waitSigned = (p: Pair16, status: string) =>
  p.waitFor('SignedFirmwareStatusNotification', (m) => (m.request as any).status === status, 10000);

async function signedSetup(): Promise<{
  p: Pair16;
  files: FileServer;
  request: (id: number, signature?: string) => unknown;
  installs: Buffer[];
  firmware: Buffer;
}> {
  const files = await startFileServer();
  const firmware = randomBytes(32 * 1024);
  files.files.set('/fw.bin', firmware);
  const root = await createCa('ACME manufacturer root');
  const signer = await issue(root, { commonName: 'ACME firmware signing' });
  const installs: Buffer[] = [];
  const p = await startPair16({
    station: { hardware: { installFirmware: (file) => void installs.push(readFileSync(file.path)) } },
  });
  await accepted(p);
  await p.status(1, 'Available');
  assert.equal(
    await p.call('InstallCertificate', { certificateType: 'ManufacturerRootCertificate', certificate: root.cert }),
    { status: 'Accepted' },
  );
  const request = (requestId: number, signature = signFile(firmware, signer.key)) => ({
    requestId,
    retries: 0,
    firmware: {
      location: `${files.url}/fw.bin`,
      retrieveDateTime: new Date().toISOString(),
      signingCertificate: signer.cert,
      signature,
    },
  });
  return { p, files, request, installs, firmware };
}

test('TC_080_CS secure firmware update: Accepted, Downloading, Downloaded, SignatureVerified, Installing, Installed with the requestId; the FirmwareUpdated event', async () => {
  const { p, files, request, installs, firmware } = await signedSetup();
  try {
    assert.equal(await p.call('SignedUpdateFirmware', request(80)), { status: 'Accepted' });
    await waitSigned(p, 'Installed');
    assert.equal(signedStatuses(p), [
      ['Downloading', 80],
      ['Downloaded', 80],
      ['SignatureVerified', 80],
      ['Installing', 80],
      ['Installed', 80],
    ]);
    assert.ok(installs[0]!.equals(firmware));
    assert.equal(
      p.sent('FirmwareStatusNotification'),
      [],
      'a signed update reports only SignedFirmwareStatusNotification',
    );
    await p.waitFor('SecurityEventNotification', (m) => (m.request as any).type === 'FirmwareUpdated');
  } finally {
    await p.close();
    await files.close();
  }
});

test('TC_081_CS an invalid signature: Downloading, Downloaded, InvalidSignature; nothing installed, the InvalidFirmwareSignature event logged', async () => {
  const { p, files, request, installs } = await signedSetup();
  try {
    const wrong = signFile(Buffer.from('another file'), (await issue(await createCa('x'), { commonName: 'y' })).key);
    assert.equal(await p.call('SignedUpdateFirmware', request(81, wrong)), { status: 'Accepted' });
    await waitSigned(p, 'InvalidSignature');
    assert.equal(signedStatuses(p), [
      ['Downloading', 81],
      ['Downloaded', 81],
      ['InvalidSignature', 81],
    ]);
    assert.is(installs.length, 0);
    assert.ok(p.station.securityLog().some((e) => e.type === 'InvalidFirmwareSignature'));
  } finally {
    await p.close();
    await files.close();
  }
});

test('TC_080_CS a signing certificate no installed ManufacturerRootCertificate issued: InvalidCertificate, nothing downloaded', async () => {
  const { p, files, request } = await signedSetup();
  try {
    const other = await issue(await createCa('another manufacturer'), { commonName: 'foreign signer' });
    const req = request(82) as any;
    req.firmware.signingCertificate = other.cert;
    assert.equal(await p.call('SignedUpdateFirmware', req), { status: 'InvalidCertificate' });
    await until(() => p.station.securityLog().some((e) => e.type === 'InvalidFirmwareSigningCertificate'));
    assert.equal(files.requests, []);
    assert.equal(signedStatuses(p), []);
  } finally {
    await p.close();
    await files.close();
  }
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(check());
}

test.run();
