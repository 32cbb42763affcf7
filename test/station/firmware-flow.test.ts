// L01/L02 flows on a ManualClock (test/support/shell-driver.ts): the firmware use case in the real Shell with the
// transfer-status owner, its transfers performed by runTransfer against a real HTTP server on 127.0.0.1 — hours of
// schedules and the station's own retry defaults without waiting for them, and a restart on the same store.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transferStatusUseCase } from '../../runtime/station/F-remote-control/transfer-status.js';
import {
  DEFAULT_RETRIES,
  DEFAULT_RETRY_INTERVAL_SEC,
  firmwareUseCase,
  type FirmwareOptions,
} from '../../runtime/station/L-firmware/firmware.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import type { Store } from '../../runtime/store/types.js';
import { runTransfer } from '../../runtime/transfer/index.js';
import { startFileServer, type FileServer } from '../support/file-servers.js';
import { until } from '../support/rpc-harness.js';
import { drive, type Driver } from '../support/shell-driver.js';

const dir = mkdtempSync(join(tmpdir(), 'ocppkit-fw-flow-'));
let files: FileServer;
const FIRMWARE = Buffer.from('firmware image\n'.repeat(100));

test.before(async () => {
  files = await startFileServer();
  files.files.set('/fw.bin', FIRMWARE);
});
test.after(async () => {
  await files.close();
  rmSync(dir, { recursive: true, force: true });
});

const options: FirmwareOptions = { canInstall: true, rootCertificates: [], requireSigned: false, firmwareVersion: '1' };

function station(store?: Store): Driver {
  return drive([firmwareUseCase(options), transferStatusUseCase], {
    ...(store ? { store } : {}),
    transfer: (request, signal) =>
      runTransfer(request, { directory: dir, maxBytes: 1 << 20, timeoutMs: 2000, reconnects: 0, signal }),
  });
}

const statuses = (d: Driver) =>
  d.sent.filter((s) => s.action === 'FirmwareStatusNotification').map((s) => s.payload.status as string);

let messageId = 0;
async function updateFirmware(d: Driver, request: Record<string, unknown>): Promise<unknown> {
  const id = `u${++messageId}`;
  const response = d.shell.answer('UpdateFirmware', request, id);
  d.shell.answered(id);
  await d.settle();
  return response;
}

const at = (d: Driver, ms: number) => new Date(d.clock.now() + ms).toISOString();

test(`L01.FR.30 L02.FR.19 retries and retryInterval left to the station: ${DEFAULT_RETRIES} retries ${DEFAULT_RETRY_INTERVAL_SEC} s apart, then DownloadFailed`, async () => {
  const d = station();
  const before = files.requests.length;
  const missing = () => files.requests.slice(before).filter((r) => r.path === '/missing.bin').length;
  await updateFirmware(d, {
    requestId: 1,
    firmware: { location: `${files.url}/missing.bin`, retrieveDateTime: at(d, 0) },
  });
  await until(() => missing() === 1, 3000, 'the first attempt');
  await d.settle();
  for (let retry = 1; retry <= DEFAULT_RETRIES; retry++) {
    await d.clock.advance(DEFAULT_RETRY_INTERVAL_SEC * 1000 - 1000);
    await d.settle();
    assert.is(missing(), retry, `no retry before retryInterval (retry ${retry})`);
    await d.clock.advance(1000);
    await until(() => missing() === retry + 1, 3000, `retry ${retry}`);
  }
  await until(() => statuses(d).includes('DownloadFailed'), 3000, 'DownloadFailed');
  assert.equal(statuses(d), ['Downloading', 'DownloadFailed']);
});

test('L01.FR.16 L02.FR.10 installDateTime three hours ahead: InstallScheduled, installFirmware exactly then', async () => {
  const d = station();
  await updateFirmware(d, {
    requestId: 2,
    firmware: { location: `${files.url}/fw.bin`, retrieveDateTime: at(d, 0), installDateTime: at(d, 3 * 3600_000) },
  });
  await until(() => statuses(d).includes('InstallScheduled'), 3000, 'InstallScheduled');
  await d.clock.advance(3 * 3600_000 - 1000);
  await d.settle();
  assert.equal(
    d.hardware.filter((h) => h.op === 'installFirmware'),
    [],
    'not before installDateTime',
  );
  await d.clock.advance(1000);
  await d.settle();
  assert.equal(statuses(d), ['Downloading', 'Downloaded', 'InstallScheduled', 'Installing', 'Installed']);
  const call = d.hardware.find((h) => h.op === 'installFirmware');
  assert.equal(call?.op === 'installFirmware' && [call.args[0].requestId, call.args[0].bytes], [2, FIRMWARE.length]);
});

test('L01.FR.13 a DownloadScheduled update survives a restart: armed again once the boot is accepted, downloaded at retrieveDateTime', async () => {
  const store = openSqliteStore(':memory:');
  const first = station(store);
  await updateFirmware(first, {
    requestId: 3,
    firmware: { location: `${files.url}/fw.bin`, retrieveDateTime: at(first, 3600_000) },
  });
  assert.equal(statuses(first), ['DownloadScheduled']);
  const retrieveAt = first.clock.now() + 3600_000;
  first.shell.stop();

  const d = station(store);
  await d.clock.advance(retrieveAt - d.clock.now() - 60_000);
  d.dispatch({ type: 'started', reason: 'PowerUp' });
  d.dispatch({
    type: 'reply',
    tag: 'boot',
    action: 'BootNotification',
    result: {
      status: 'sent',
      response: { status: 'Accepted', currentTime: new Date(d.clock.now()).toISOString(), interval: 300 },
    },
  });
  await d.settle();
  assert.equal(statuses(d), [], 'nothing new before retrieveDateTime');
  await d.clock.advance(60_000);
  await until(() => statuses(d).includes('Installed'), 3000, 'Installed');
  assert.equal(statuses(d), ['Downloading', 'Downloaded', 'Installing', 'Installed']);
});

test('a schedule beyond what one timer can hold (~24.8 days): a timer that fires early waits again for the rest', async () => {
  const d = station();
  const days40 = 40 * 86_400_000;
  await updateFirmware(d, {
    requestId: 4,
    firmware: { location: `${files.url}/fw.bin`, retrieveDateTime: at(d, days40) },
  });
  assert.equal(statuses(d), ['DownloadScheduled']);
  // What the system clock does with a timer over 2^31-1 ms: it fires after that long, too early.
  await d.clock.advance(2 ** 31 - 1);
  d.dispatch({ type: 'firmware.retrieve', requestId: 4 });
  await d.settle();
  assert.equal(statuses(d), ['DownloadScheduled'], 'not downloaded before retrieveDateTime');
  await d.clock.advance(days40 - (2 ** 31 - 1));
  await until(() => statuses(d).includes('Installed'), 3000, 'Installed');
  assert.equal(statuses(d), ['DownloadScheduled', 'Downloading', 'Downloaded', 'Installing', 'Installed']);
});

test.run();
