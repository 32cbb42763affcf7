// @serial
// Issue 19: a CSMS's `Reset {"type":"Immediate"}` during a transaction, with `ocppkit station` and `ocppkit csms` as
// real processes on 127.0.0.1. The transaction ends (ImmediateReset), the station reboots (RemoteReset) — and the
// EV's cable is still in the socket: the simulated firmware reports it to the restarted station, which tells the
// CSMS `Occupied` (as its own `status` command says), not `Available`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../helpers/tmp.js';
import { ocppkit } from './cli-process.js';

test('issue 19: after an Immediate Reset during a transaction, the rebooted station reports the plugged cable as Occupied', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const csms = ocppkit(['csms', '--port', '0', '--ocpp', '2.0.1'], { cwd: tmp.dir });
  const url = /listening on (ws:\/\/\S+)/.exec(await csms.waitFor(/CSMS listening on ws:\/\//))![1]!;
  const station = ocppkit(['station', '--csms', url, '--id', 'CS-1', '--db', tmp.file('cs-1.db')], { cwd: tmp.dir });
  try {
    await station.waitFor(/boot accepted/);
    await csms.waitFor(/CS-1 → StatusNotification \{.*"connectorStatus":"Available"/);
    station.send('plug 1');
    station.send('auth CARD-1 1');
    await csms.waitFor(/CS-1 → TransactionEvent \{"eventType":"Started"/);

    csms.send('CS-1 Reset {"type":"Immediate"}');
    await csms.waitFor(/CS-1 → TransactionEvent \{"eventType":"Ended".*"stoppedReason":"ImmediateReset"/);
    await csms.waitFor(/CS-1 → BootNotification \{"reason":"RemoteReset"/);
    // The first StatusNotification after the reboot is the connector's status as the restarted station sees it.
    const afterReboot = () => csms.output().split(/CS-1 → BootNotification \{"reason":"RemoteReset"/)[1] ?? '';
    const deadline = Date.now() + 10_000;
    while (!/→ StatusNotification /.test(afterReboot()) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const first = /→ StatusNotification (\{.*\})/.exec(afterReboot());
    assert.ok(first, `no StatusNotification after the reboot; CSMS output:\n${csms.output()}`);
    assert.is(JSON.parse(first[1]!).connectorStatus, 'Occupied', `CSMS output:\n${csms.output()}`);
    assert.not.match(afterReboot(), /"connectorStatus":"Available"/, 'never Available while the cable is plugged');

    station.send('status');
    await station.waitFor(/^EVSE 1: Occupied, cable plugged, relay open/);
    station.send('quit');
    assert.is(await station.exited(), 0, station.output());
    csms.send('quit');
    assert.is(await csms.exited(), 0, csms.output());
  } finally {
    station.kill('SIGKILL');
    csms.kill('SIGKILL');
    tmp.remove();
  }
});

test.run();
