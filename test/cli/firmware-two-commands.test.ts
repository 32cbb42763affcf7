// @serial
// Issue 12: the whole firmware and log flow with two commands, as a user tries it — `ocppkit csms --files <dir>`
// serving a firmware file and receiving uploads, `ocppkit station` downloading it, "installing" it with a reboot that
// brings the station back with the new firmwareVersion in its BootNotification, and uploading a real log on GetLog.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tempDir } from '../helpers/tmp.js';
import { ocppkit } from './cli-process.js';

test('TC_L_01_CS (non-secure, L02) and TC_N_25_CS with the CLI: csms --files serves the firmware, the station reboots into 2.3.4, GetLog uploads its log', async () => {
  const tmp = tempDir('ocppkit-cli-fw-');
  writeFileSync(tmp.file('fw.bin'), 'ocppkit-firmware 2.3.4\nthe new firmware\n');
  const csms = ocppkit(['csms', '--port', '0', '--ocpp', '2.0.1', '--files', tmp.dir], { cwd: tmp.dir });
  const url = /listening on (ws:\/\/\S+)/.exec(await csms.waitFor(/CSMS listening on ws:\/\//))![1]!;
  const files = /served at (http:\/\/\S+)\/<name>/.exec(await csms.waitFor(/served at http:/))![1]!;
  const station = ocppkit(['station', '--csms', url, '--id', 'CS-1', '--db', tmp.file('cs-1.db')], { cwd: tmp.dir });
  try {
    await station.waitFor(/boot accepted/);
    await csms.waitFor(/CS-1 → BootNotification .*"firmwareVersion":"1.0.0"/);
    const update = {
      requestId: 5,
      firmware: { location: `${files}/fw.bin`, retrieveDateTime: new Date().toISOString() },
    };
    csms.send(`CS-1 UpdateFirmware ${JSON.stringify(update)}`);
    await csms.waitFor(/CS-1 → FirmwareStatusNotification \{"status":"Downloading","requestId":5\}/);
    await csms.waitFor(/CS-1 → FirmwareStatusNotification \{"status":"Downloaded","requestId":5\}/);
    await csms.waitFor(/CS-1 → FirmwareStatusNotification \{"status":"InstallRebooting","requestId":5\}/);
    await csms.waitFor(/CS-1 → BootNotification \{"reason":"FirmwareUpdate".*"firmwareVersion":"2.3.4"/, 15_000);
    await csms.waitFor(/CS-1 → FirmwareStatusNotification \{"status":"Installed","requestId":5\}/);

    const getLog = { requestId: 9, logType: 'DiagnosticsLog', log: { remoteLocation: `${files}/upload/` } };
    csms.send(`CS-1 GetLog ${JSON.stringify(getLog)}`);
    await csms.waitFor(/CS-1 → LogStatusNotification \{"status":"Uploaded","requestId":9\}/);
    const uploaded = readdirSync(tmp.file('uploads'));
    assert.is(uploaded.length, 1);
    const log = readFileSync(tmp.file(`uploads/${uploaded[0]}`), 'utf8');
    assert.match(log, /installing firmware of request 5/, "the station's own log, as it printed it");

    station.send('quit');
    assert.is(await station.exited(), 0, station.output());
    // A new process on the same store runs the installed firmware.
    const again = ocppkit(['station', '--csms', url, '--id', 'CS-1', '--db', tmp.file('cs-1.db')], { cwd: tmp.dir });
    try {
      await csms.waitFor(/CS-1 → BootNotification \{"reason":"PowerUp".*"firmwareVersion":"2.3.4"/);
      again.send('quit');
      assert.is(await again.exited(), 0, again.output());
    } finally {
      again.kill('SIGKILL');
    }
    csms.send('quit');
    assert.is(await csms.exited(), 0, csms.output());
    assert.ok(existsSync(tmp.file('fw.bin')));
  } finally {
    station.kill('SIGKILL');
    csms.kill('SIGKILL');
    tmp.remove();
  }
});

test.run();
