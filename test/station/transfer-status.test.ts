// F06 TriggerMessage of FirmwareStatusNotification / LogStatusNotification as flows: what a trigger reports after the
// (future) firmware update and log upload use cases raised `firmware.status` / `log.status`. ocppkit has neither
// yet, so these events are raised by the test in their place; the Part 6 cases without them (Idle) run over sockets
// in trigger.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { triggerUseCase } from '../../runtime/station/F-remote-control/trigger.js';
import { transferStatusUseCase } from '../../runtime/station/F-remote-control/transfer-status.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import type { Store } from '../../runtime/store/types.js';
import { drive, type Driver } from '../support/shell-driver.js';

function station(store?: Store): Driver {
  let d: Driver;
  d = drive(
    [
      triggerUseCase(
        () => d.shell.triggerable(),
        (m, e) => d.shell.canTrigger(m, e),
      ),
      transferStatusUseCase,
    ],
    store ? { store } : {},
  );
  return d;
}

let messageId = 0;
/** A TriggerMessage as the RPC layer runs it: the answer, then (once it is written) what follows. */
async function trigger(d: Driver, requestedMessage: string): Promise<{ response: unknown; sent: unknown[] }> {
  const id = `m${++messageId}`;
  const before = d.sent.length;
  const response = d.shell.answer('TriggerMessage', { requestedMessage } as never, id);
  assert.is(d.sent.length, before, 'F06.FR.04: nothing is sent before the response');
  d.shell.answered(id);
  await d.settle();
  return { response, sent: d.sent.slice(before).map((s) => [s.action, s.payload]) };
}

test('F06.FR.14 F06.FR.15 LogStatusNotification: Uploading with the GetLog requestId while an upload runs; Idle (no requestId) before and after', async () => {
  const d = station();
  assert.equal(await trigger(d, 'LogStatusNotification'), {
    response: { status: 'Accepted' },
    sent: [['LogStatusNotification', { status: 'Idle' }]],
  });
  d.dispatch({ type: 'log.status', status: 'Uploading', requestId: 42 });
  assert.equal(
    d.sent.at(-1)!.payload,
    { status: 'Uploading', requestId: 42 },
    "the upload's own notification goes out",
  );
  assert.equal((await trigger(d, 'LogStatusNotification')).sent, [
    ['LogStatusNotification', { status: 'Uploading', requestId: 42 }],
  ]);
  d.dispatch({ type: 'log.status', status: 'Uploaded', requestId: 42 });
  assert.equal(
    (await trigger(d, 'LogStatusNotification')).sent,
    [['LogStatusNotification', { status: 'Idle' }]],
    'no upload runs any more',
  );
  d.dispatch({ type: 'log.status', status: 'Uploading', requestId: 43 });
  d.dispatch({ type: 'log.status', status: 'UploadFailure', requestId: 43 });
  assert.equal((await trigger(d, 'LogStatusNotification')).sent, [['LogStatusNotification', { status: 'Idle' }]]);
});

test('F06.FR.16 L01.FR.25 L01.FR.26 FirmwareStatusNotification: Idle with nothing reported or after Installed; otherwise the last status sent, with its requestId', async () => {
  const d = station();
  assert.equal((await trigger(d, 'FirmwareStatusNotification')).sent, [
    ['FirmwareStatusNotification', { status: 'Idle' }],
  ]);
  d.dispatch({ type: 'firmware.status', status: 'Downloading', requestId: 7 });
  assert.equal(d.sent.at(-1)!.payload, { status: 'Downloading', requestId: 7 });
  assert.equal((await trigger(d, 'FirmwareStatusNotification')).sent, [
    ['FirmwareStatusNotification', { status: 'Downloading', requestId: 7 }],
  ]);
  d.dispatch({ type: 'firmware.status', status: 'DownloadFailed', requestId: 7 });
  assert.equal(
    (await trigger(d, 'FirmwareStatusNotification')).sent,
    [['FirmwareStatusNotification', { status: 'DownloadFailed', requestId: 7 }]],
    'L01.FR.26: not Installed: the last status',
  );
  d.dispatch({ type: 'firmware.status', status: 'Installed', requestId: 8 });
  assert.equal(
    (await trigger(d, 'FirmwareStatusNotification')).sent,
    [['FirmwareStatusNotification', { status: 'Idle' }]],
    'L01.FR.25',
  );
});

test('L01.FR.26 the last firmware status survives a restart (an installation usually reboots the station)', async () => {
  const store = openSqliteStore(':memory:');
  const first = station(store);
  first.dispatch({ type: 'firmware.status', status: 'InstallRebooting', requestId: 9 });
  first.shell.stop();
  const second = station(store);
  assert.equal((await trigger(second, 'FirmwareStatusNotification')).sent, [
    ['FirmwareStatusNotification', { status: 'InstallRebooting', requestId: 9 }],
  ]);
});

test.run();
