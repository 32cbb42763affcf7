// OCTT 1.6 test cases of the Firmware Management profile (TC_044_*, TC_045_*) over real sockets against the built-in
// CSMS in 1.6, with a real HTTP file server and a real FTP server (ftp-srv) on 127.0.0.1 and a real SQLite file:
// UpdateFirmware (§5.19) with FirmwareStatusNotification, GetDiagnostics (§5.9) with DiagnosticsStatusNotification,
// and TriggerMessage (§5.17) of both with the status of the moment.
// @timeout 120
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startFileServer, startFtpServer } from '../../support/file-servers.js';
import { accepted, startPair16, type Pair16 } from '../../support/pair16.js';
import type { FirmwareFile, InstallResult } from '../../../runtime/station/L-firmware/firmware.js';

const fwStatuses = (p: Pair16) => p.sent('FirmwareStatusNotification').map((m) => (m.request as any).status);
const diagStatuses = (p: Pair16) => p.sent('DiagnosticsStatusNotification').map((m) => (m.request as any).status);
const waitFw = (p: Pair16, status: string, timeoutMs = 10000) =>
  p.waitFor('FirmwareStatusNotification', (m) => (m.request as any).status === status, timeoutMs);
const waitDiag = (p: Pair16, status: string, timeoutMs = 10000) =>
  p.waitFor('DiagnosticsStatusNotification', (m) => (m.request as any).status === status, timeoutMs);
const now = () => new Date().toISOString();

/** A 1.6 station that installs firmware with `result` (recording the files) and gives `diagnostics`. */
async function firmwareStation(result: () => InstallResult | Promise<InstallResult>, diagnostics = 'diagnostics\n') {
  const info = { model: 'TestModel', vendorName: 'ocppkit', firmwareVersion: '1.0.0' };
  const installs: Array<FirmwareFile & { content: Buffer }> = [];
  const windows: unknown[] = [];
  const p = await startPair16({
    station: {
      info,
      transfers: { timeoutMs: 2000, reconnects: 0 },
      hardware: {
        installFirmware: (file) => {
          installs.push({ ...file, content: readFileSync(file.path) });
          return result();
        },
        diagnosticsLog: (window) => {
          windows.push(window);
          return diagnostics;
        },
      },
    },
  });
  await accepted(p);
  await p.status(1, 'Available');
  return { p, info, installs, windows };
}

test('TC_044_1_CS download and install (§5.19, §4.5): Downloading, Downloaded, Installing, a reboot, Available, Installed', async () => {
  const files = await startFileServer();
  const firmware = randomBytes(32 * 1024);
  files.files.set('/fw.bin', firmware);
  let info: { firmwareVersion: string } | undefined;
  const s = await firmwareStation(() => {
    info!.firmwareVersion = '2.0.0';
    return 'RebootRequired';
  });
  info = s.info;
  const { p } = s;
  try {
    assert.equal(await p.call('UpdateFirmware', { location: `${files.url}/fw.bin`, retrieveDate: now() }), {});
    await waitFw(p, 'Installed');
    assert.equal(fwStatuses(p), ['Downloading', 'Downloaded', 'Installing', 'Installed']);
    assert.ok(s.installs[0]!.content.equals(firmware), 'the integrator installs the downloaded file, whole');
    const boots = p.sent('BootNotification');
    assert.is(boots.length, 2, 'the station rebooted into the new firmware');
    assert.is((boots[1]!.request as any).firmwareVersion, '2.0.0');
    const installed = p.sent('FirmwareStatusNotification').at(-1)!;
    assert.ok(installed.at >= boots[1]!.at, 'Installed comes from the new firmware, after its boot');
    // Available again after the update (TC_044_1_CS step 11).
    await p.waitFor(
      'StatusNotification',
      (m) => m.at >= boots[1]!.at && (m.request as any).connectorId === 1 && (m.request as any).status === 'Available',
    );
  } finally {
    await p.close();
    await files.close();
  }
});

test('TC_044_1_CS over FTP: the file fetched from an FTP server, Installed without a reboot', async () => {
  const ftp = await startFtpServer();
  const firmware = randomBytes(16 * 1024);
  ftp.put('fw.bin', firmware);
  const { p, installs } = await firmwareStation(() => 'Installed');
  try {
    await p.call('UpdateFirmware', { location: `${ftp.url}/fw.bin`, retrieveDate: now() });
    await waitFw(p, 'Installed');
    assert.equal(fwStatuses(p), ['Downloading', 'Downloaded', 'Installing', 'Installed']);
    assert.ok(installs[0]!.content.equals(firmware));
    assert.is(p.sent('BootNotification').length, 1);
  } finally {
    await p.close();
    await ftp.close();
  }
});

test('TC_044_2_CS download failed (retries 0): Downloading, DownloadFailed, nothing installed, still Available', async () => {
  const ftp = await startFtpServer();
  const { p, installs } = await firmwareStation(() => 'Installed');
  try {
    await p.call('UpdateFirmware', { location: `${ftp.url}/download_fail.fwi`, retrieveDate: now(), retries: 0 });
    await waitFw(p, 'DownloadFailed');
    assert.equal(fwStatuses(p), ['Downloading', 'DownloadFailed']);
    assert.is(installs.length, 0);
    assert.is(
      await p.station.configuration('SupportedFeatureProfiles'),
      'Core,LocalAuthListManagement,Reservation,RemoteTrigger,SmartCharging,FirmwareManagement',
    );
  } finally {
    await p.close();
    await ftp.close();
  }
});

test('TC_044_2_CS §5.19 retries and retryInterval: a failed download is tried again after retryInterval, then DownloadFailed', async () => {
  const files = await startFileServer();
  const { p } = await firmwareStation(() => 'Installed');
  try {
    const t0 = Date.now();
    await p.call('UpdateFirmware', {
      location: `${files.url}/missing.bin`,
      retrieveDate: now(),
      retries: 1,
      retryInterval: 1,
    });
    await waitFw(p, 'DownloadFailed');
    const gets = files.requests.filter((r) => r.path === '/missing.bin');
    assert.is(gets.length, 2, 'one retry');
    assert.ok(gets[1]!.at - gets[0]!.at >= 900, 'retryInterval apart');
    assert.ok(Date.now() - t0 >= 900);
    // Downloading is reported once per attempt; the failure once, at the end.
    assert.equal(fwStatuses(p), ['Downloading', 'Downloading', 'DownloadFailed']);
  } finally {
    await p.close();
    await files.close();
  }
});

test('TC_044_1_CS §5.19 retrieveDate in the future: nothing fetched before it', async () => {
  const files = await startFileServer();
  files.files.set('/fw.bin', randomBytes(1024));
  const { p } = await firmwareStation(() => 'Installed');
  try {
    const at = Date.now() + 1200;
    await p.call('UpdateFirmware', { location: `${files.url}/fw.bin`, retrieveDate: new Date(at).toISOString() });
    await waitFw(p, 'Installed');
    assert.ok(files.requests[0]!.at >= at - 50, 'fetched at retrieveDate');
    assert.ok(p.sent('FirmwareStatusNotification')[0]!.at >= at - 50);
  } finally {
    await p.close();
    await files.close();
  }
});

test('TC_044_3_CS installation failed: Downloading, Downloaded, Installing, InstallationFailed, still Available', async () => {
  const files = await startFileServer();
  files.files.set('/bad.fwi', Buffer.from('not a firmware'));
  const { p } = await firmwareStation(() => 'InstallationFailed');
  try {
    await p.call('UpdateFirmware', { location: `${files.url}/bad.fwi`, retrieveDate: now() });
    await waitFw(p, 'InstallationFailed');
    assert.equal(fwStatuses(p), ['Downloading', 'Downloaded', 'Installing', 'InstallationFailed']);
    assert.is(p.sent('BootNotification').length, 1);
    assert.is(p.station.connected, true);
  } finally {
    await p.close();
    await files.close();
  }
});

test('TC_045_1_CS get diagnostics (§5.9, §4.4): the file name, Uploading, Uploaded, the file on the FTP server', async () => {
  const ftp = await startFtpServer();
  const { p, windows } = await firmwareStation(() => 'Installed', 'the diagnostics of this station\n');
  try {
    const startTime = new Date(Date.now() - 3600_000).toISOString();
    const stopTime = now();
    const res = await p.call('GetDiagnostics', { location: `${ftp.url}/`, startTime, stopTime });
    assert.type(res.fileName, 'string');
    await waitDiag(p, 'Uploaded');
    assert.equal(diagStatuses(p), ['Uploading', 'Uploaded']);
    assert.is(ftp.read(res.fileName).toString(), 'the diagnostics of this station\n');
    assert.equal(windows, [{ oldestTimestamp: startTime, latestTimestamp: stopTime }]);
  } finally {
    await p.close();
    await ftp.close();
  }
});

test('TC_045_1_CS over HTTP: the diagnostics POSTed to the location', async () => {
  const files = await startFileServer();
  const { p } = await firmwareStation(() => 'Installed', 'http diagnostics\n');
  try {
    const uploaded = files.nextUpload();
    const res = await p.call('GetDiagnostics', { location: `${files.url}/logs` });
    const upload = await uploaded;
    await waitDiag(p, 'Uploaded');
    assert.ok(upload.body.toString().includes('http diagnostics'));
    assert.ok(upload.body.toString().includes(res.fileName), 'sent under the file name answered');
  } finally {
    await p.close();
    await files.close();
  }
});

test('TC_045_2_CS upload failed (retries 0): Uploading, UploadFailed, the station carries on', async () => {
  const ftp = await startFtpServer();
  const { p } = await firmwareStation(() => 'Installed');
  try {
    // Wrong credentials: the FTP server refuses the login.
    const location = ftp.url.replace('secret', 'wrong') + '/files/failedLocation';
    await p.call('GetDiagnostics', { location, retries: 0 });
    await waitDiag(p, 'UploadFailed');
    assert.equal(diagStatuses(p), ['Uploading', 'UploadFailed']);
    assert.equal(await p.call('TriggerMessage', { requestedMessage: 'Heartbeat' }), { status: 'Accepted' });
  } finally {
    await p.close();
    await ftp.close();
  }
});

test('TC_054_CS §5.17 TriggerMessage of FirmwareStatusNotification and DiagnosticsStatusNotification: the status of the moment, Idle after', async () => {
  const files = await startFileServer();
  files.files.set('/fw.bin', randomBytes(1024));
  files.stall.add('/fw.bin');
  files.stall.add('/logs');
  const { p } = await firmwareStation(() => 'Installed');
  try {
    await p.call('UpdateFirmware', { location: `${files.url}/fw.bin`, retrieveDate: now(), retries: 0 });
    await waitFw(p, 'Downloading');
    await p.call('GetDiagnostics', { location: `${files.url}/logs`, retries: 0 });
    await waitDiag(p, 'Uploading');
    let since = p.csms.log.length - 1;
    await p.call('TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
    let m = await p.csms.waitFor((x) => x.direction === 'in' && x.action === 'FirmwareStatusNotification', 5000, since);
    assert.is((m.request as any).status, 'Downloading');
    since = p.csms.log.length - 1;
    await p.call('TriggerMessage', { requestedMessage: 'DiagnosticsStatusNotification' });
    m = await p.csms.waitFor((x) => x.direction === 'in' && x.action === 'DiagnosticsStatusNotification', 5000, since);
    assert.is((m.request as any).status, 'Uploading');
    // The stalled transfers time out (transfers.timeoutMs): both fail, then the trigger reports Idle.
    await waitFw(p, 'DownloadFailed');
    await waitDiag(p, 'UploadFailed');
    since = p.csms.log.length - 1;
    await p.call('TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
    m = await p.csms.waitFor((x) => x.direction === 'in' && x.action === 'FirmwareStatusNotification', 5000, since);
    assert.is((m.request as any).status, 'Idle');
  } finally {
    await p.close();
    await files.close();
  }
});

test('TC_044_1_CS §5.19 a download cut by a restart: the update is persisted and tried again after the boot, then installed', async () => {
  const files = await startFileServer();
  const firmware = randomBytes(8 * 1024);
  files.files.set('/fw.bin', firmware);
  files.stall.add('/fw.bin');
  const installs: Buffer[] = [];
  const { p } = await firmwareStation(() => 'Installed');
  try {
    await p.call('UpdateFirmware', {
      location: `${files.url}/fw.bin`,
      retrieveDate: now(),
      retries: 1,
      retryInterval: 1,
    });
    await waitFw(p, 'Downloading');
    files.stall.delete('/fw.bin');
    // A reboot on the same store, with an installFirmware of the new station.
    await p.restart({ hardware: { installFirmware: (file) => void installs.push(readFileSync(file.path)) } });
    await waitFw(p, 'Installed');
    assert.equal(fwStatuses(p), ['Downloading', 'Downloading', 'Downloaded', 'Installing', 'Installed']);
    assert.ok(installs[0]!.equals(firmware));
  } finally {
    await p.close();
    await files.close();
  }
});

test('§5.9 GetDiagnostics without a diagnostics source: no file name, nothing uploaded', async () => {
  const p = await startPair16();
  try {
    await accepted(p);
    assert.equal(await p.call('GetDiagnostics', { location: 'ftp://127.0.0.1:1/' }), {});
    // UpdateFirmware without installFirmware: the conf, then DownloadFailed (1.6 has no way to refuse).
    assert.equal(await p.call('UpdateFirmware', { location: 'http://127.0.0.1:1/fw.bin', retrieveDate: now() }), {});
    await waitFw(p, 'DownloadFailed');
    assert.equal(diagStatuses(p), []);
  } finally {
    await p.close();
  }
});

test.run();
