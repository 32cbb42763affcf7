// Part 6 TC_N_*_CS of N01 (GetLog) and its requirements, over real sockets: the built-in CSMS, a real HTTP server and
// a real FTP server (ftp-srv) on 127.0.0.1 receiving the uploads, a real SQLite file (reboots on the same store).
// @timeout 180
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChargingStationOptions } from '../../runtime/station/options.js';
import type { SimpleCsmsOptions } from '../../runtime/csms/simple-csms.js';
import { accepted } from '../support/firmware-pair.js';
import { startFileServer, startFtpServer, type FileServer } from '../support/file-servers.js';
import { startPair, type Pair } from '../support/station-harness.js';

const DIAGNOSTICS = 'boot ok\nrelay 1 closed\nrelay 1 opened\n';

interface LogPair {
  pair: Pair;
  files: FileServer;
  statuses(): Array<[string, number | undefined]>;
  waitStatus(status: string, requestId?: number, timeoutMs?: number): Promise<void>;
  getLog(requestId: number, extra?: Record<string, unknown>, log?: Record<string, unknown>): Promise<any>;
  restart(extra?: Partial<ChargingStationOptions>): Promise<void>;
}

async function withLogs(
  station: Partial<ChargingStationOptions>,
  body: (p: LogPair) => Promise<void>,
  csms: SimpleCsmsOptions = {},
): Promise<void> {
  const files = await startFileServer();
  const pair = await startPair({
    csms,
    station: {
      transfers: { timeoutMs: 2000, reconnects: 0 },
      hardware: { diagnosticsLog: () => DIAGNOSTICS },
      ...station,
    },
  });
  try {
    await accepted(pair.station);
    const lp: LogPair = {
      pair,
      files,
      statuses: () =>
        pair
          .sent('LogStatusNotification')
          .map((m) => [(m.request as any).status, (m.request as any).requestId] as [string, number | undefined]),
      waitStatus: async (status, requestId, timeoutMs = 8000) => {
        await pair.waitFor(
          'LogStatusNotification',
          (m) =>
            (m.request as any).status === status &&
            (requestId === undefined || (m.request as any).requestId === requestId),
          timeoutMs,
        );
      },
      getLog: (requestId, extra = {}, log = {}) =>
        pair.csms.call(pair.identity, 'GetLog', {
          requestId,
          logType: 'DiagnosticsLog',
          ...extra,
          log: { remoteLocation: `${files.url}/upload`, ...log },
        }) as Promise<any>,
      restart: async (extra) => {
        await accepted(await pair.restart(extra));
      },
    };
    await body(lp);
  } finally {
    await pair.close();
    await files.close();
  }
}

test("TC_N_25_CS N01.FR.01 N01.FR.02 N01.FR.04 N01.FR.07 N01.FR.08 N01.FR.09 N01.FR.19 N01.FR.14 N01.FR.21 DiagnosticsLog: Accepted with a filename, Uploading, the integrator's log POSTed over HTTP to the location with the filename appended, Uploaded", async () => {
  await withLogs({}, async (lp) => {
    const arrived = lp.files.nextUpload();
    const res = await lp.getLog(25, {}, { remoteLocation: `${lp.files.url}/upload/` });
    assert.is(res.status, 'Accepted');
    assert.ok(typeof res.filename === 'string' && res.filename.length > 0);
    await lp.waitStatus('Uploaded', 25);
    assert.equal(lp.statuses(), [
      ['Uploading', 25],
      ['Uploaded', 25],
    ]);
    const up = await arrived;
    assert.is(up.method, 'POST');
    assert.is(up.path, `/upload/${res.filename}`, 'a location ending in / gets the file name');
    const text = up.body.toString();
    assert.ok(text.includes(`filename="${res.filename}"`), 'Content-Disposition names the file');
    assert.ok(text.includes(DIAGNOSTICS), 'the diagnostics the integrator gave');
  });
});

test('TC_N_26_CS N01.FR.10 the upload fails: Uploading once, retries retryInterval apart, then UploadFailure; the station keeps running', async () => {
  await withLogs({}, async (lp) => {
    lp.files.status.set('/upload', 500);
    await lp.getLog(26, { retries: 3, retryInterval: 1 });
    await lp.waitStatus('Uploading', 26);
    await lp.waitStatus('UploadFailure', 26);
    // The attempts as the upload server saw them: the first, then three retries one retryInterval apart.
    const attempts = lp.files.requests.filter((r) => r.path === '/upload').map((r) => r.at);
    assert.is(attempts.length, 4);
    for (let i = 1; i < 4; i++)
      assert.ok(
        attempts[i]! - attempts[i - 1]! >= 950,
        `retry ${i} waited retryInterval (${attempts[i]! - attempts[i - 1]!} ms)`,
      );
    assert.equal(lp.statuses(), [
      ['Uploading', 26],
      ['UploadFailure', 26],
    ]);
    lp.files.status.delete('/upload');
    assert.is((await lp.getLog(27)).status, 'Accepted');
    await lp.waitStatus('Uploaded', 27);
  });
});

test('N01.FR.10 a server refusing the upload (403) gives PermissionDenied', async () => {
  await withLogs({}, async (lp) => {
    lp.files.status.set('/upload', 403);
    await lp.getLog(28);
    await lp.waitStatus('PermissionDenied', 28);
  });
});

test('TC_N_34_CS N01.FR.05 no log available: DiagnosticsLog without a diagnostics source, SecurityLog with no event in the window, are Rejected', async () => {
  await withLogs({ hardware: {} }, async (lp) => {
    assert.equal(await lp.getLog(34), { status: 'Rejected' });
    // The station logs security events from its start on; none lies in a window of tomorrow.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    assert.equal(await lp.getLog(35, { logType: 'SecurityLog' }, { oldestTimestamp: tomorrow }), {
      status: 'Rejected',
    });
    assert.equal(lp.statuses(), []);
  });
});

test('TC_N_35_CS N01.FR.03 SecurityLog uploaded by FTP: the security events block A logged', async () => {
  const ftp = await startFtpServer();
  try {
    // A security event to log: an UpdateFirmware whose signing certificate is not PEM.
    await withLogs({ hardware: { installFirmware: () => 'Installed' } }, async (lp) => {
      const fw = await lp.pair.csms.call(lp.pair.identity, 'UpdateFirmware', {
        requestId: 1,
        firmware: {
          location: `${lp.files.url}/fw.bin`,
          retrieveDateTime: new Date().toISOString(),
          signingCertificate: 'not a certificate',
          signature: 'AAAA',
        },
      });
      assert.is((fw as any).status, 'InvalidCertificate');
      const res = await lp.getLog(35, { logType: 'SecurityLog' }, { remoteLocation: `${ftp.url}/` });
      assert.is(res.status, 'Accepted');
      await lp.waitStatus('Uploaded', 35);
      const text = ftp.read(res.filename).toString();
      assert.match(text, /InvalidFirmwareSigningCertificate/);
      assert.equal(lp.statuses(), [
        ['Uploading', 35],
        ['Uploaded', 35],
      ]);
    });
  } finally {
    await ftp.close();
  }
});

test('TC_N_36_CS N01.FR.12 N01.FR.20 a second GetLog during an upload: AcceptedCanceled for the first, then the second uploads', async () => {
  await withLogs({}, async (lp) => {
    lp.files.stall.add('/slow');
    await lp.getLog(360, {}, { remoteLocation: `${lp.files.url}/slow` });
    await lp.waitStatus('Uploading', 360);
    const res = await lp.getLog(361);
    assert.is(res.status, 'AcceptedCanceled');
    await lp.waitStatus('Uploaded', 361);
    assert.equal(lp.statuses(), [
      ['Uploading', 360],
      ['AcceptedCanceled', 360],
      ['Uploading', 361],
      ['Uploaded', 361],
    ]);
  });
});

test('N01.FR.04 a diagnostics source that gives a file: the file is uploaded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-diag-'));
  const file = join(dir, 'station.log');
  writeFileSync(file, 'from a file\n');
  await withLogs({ hardware: { diagnosticsLog: async () => ({ path: file }) } }, async (lp) => {
    const arrived = lp.files.nextUpload();
    await lp.getLog(40);
    await lp.waitStatus('Uploaded', 40);
    assert.ok((await arrived).body.toString().includes('from a file\n'));
  });
});

test('TC_F_16_CS F06.FR.14 N01.FR.07 N01.FR.13 TriggerMessage LogStatusNotification: Accepted, Uploading with the requestId during the upload, Idle without one after', async () => {
  await withLogs({}, async (lp) => {
    lp.files.stall.add('/slow');
    await lp.getLog(50, {}, { remoteLocation: `${lp.files.url}/slow` });
    await lp.waitStatus('Uploading', 50);
    const n = lp.statuses().length;
    assert.equal(
      await lp.pair.csms.call(lp.pair.identity, 'TriggerMessage', { requestedMessage: 'LogStatusNotification' }),
      { status: 'Accepted' },
    );
    await lp.pair.waitFor('LogStatusNotification', () => lp.statuses().length > n);
    assert.equal(lp.statuses().at(-1), ['Uploading', 50]);
    await lp.getLog(51);
    await lp.waitStatus('Uploaded', 51);
    const m = lp.statuses().length;
    await lp.pair.csms.call(lp.pair.identity, 'TriggerMessage', { requestedMessage: 'LogStatusNotification' });
    await lp.pair.waitFor('LogStatusNotification', () => lp.statuses().length > m);
    assert.equal(lp.statuses().at(-1), ['Idle', undefined]);
  });
});

test('a reboot in the middle of an upload: after the boot Uploading again and Uploaded', async () => {
  await withLogs({}, async (lp) => {
    lp.files.stall.add('/upload');
    await lp.getLog(60, { retries: 1 });
    await lp.waitStatus('Uploading', 60);
    lp.files.stall.delete('/upload');
    await lp.restart();
    await lp.waitStatus('Uploaded', 60);
    assert.equal(lp.statuses(), [
      ['Uploading', 60],
      ['Uploading', 60],
      ['Uploaded', 60],
    ]);
  });
});

test('N01 over OCPP 2.1: DiagnosticsLog uploaded; DataCollectorLog (no data collector) Rejected', async () => {
  await withLogs(
    { versions: ['ocpp2.1'] },
    async (lp) => {
      assert.is((await lp.getLog(80)).status, 'Accepted');
      await lp.waitStatus('Uploaded', 80);
      assert.equal(await lp.getLog(81, { logType: 'DataCollectorLog' }), { status: 'Rejected' });
    },
    { versions: ['ocpp2.1'] },
  );
});

test('N01.FR.25 N01.FR.29 userinfo in the location is HTTP Basic authentication; the location is used as received (query kept)', async () => {
  await withLogs({}, async (lp) => {
    const withUser = lp.files.url.replace('http://', 'http://logger:s%3Dcret@');
    await lp.getLog(90, {}, { remoteLocation: `${withUser}/upload?token=abc&x=1` });
    await lp.waitStatus('Uploaded', 90);
    const request = lp.files.requests.find((r) => r.method === 'POST')!;
    assert.is(request.url, '/upload?token=abc&x=1');
    assert.is(request.authorization, `Basic ${Buffer.from('logger:s=cret').toString('base64')}`);
  });
});

test('N01.FR.30 an upload answered with a redirect is not followed: UploadFailure', async () => {
  await withLogs({}, async (lp) => {
    lp.files.redirect.set('/upload', '/elsewhere');
    await lp.getLog(91);
    await lp.waitStatus('UploadFailure', 91);
    assert.ok(!lp.files.requests.some((r) => r.path === '/elsewhere'), 'the redirect was not followed');
  });
});

test('GetLog to a location of a protocol the station does not speak is Rejected (InvalidURL)', async () => {
  await withLogs({}, async (lp) => {
    const res = await lp.getLog(70, {}, { remoteLocation: 'sftp://127.0.0.1/logs' });
    assert.equal(res, { status: 'Rejected', statusInfo: { reasonCode: 'InvalidURL' } });
  });
});

test.run();
