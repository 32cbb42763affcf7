// @serial
// `ocppkit station` driven through stdin against the built-in CSMS: a real process, a real socket on 127.0.0.1, a
// real store file in a temporary directory. What is typed becomes what the CSMS receives; the log shows the
// messages both ways; a typo does not stop the station; `quit` stops it cleanly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { SimpleCsms, type LoggedMessage } from '../../runtime/csms/simple-csms.js';
import { tempDir } from '../helpers/tmp.js';
import { ocppkit } from './cli-process.js';

const status = (s: string) => (m: LoggedMessage) =>
  m.action === 'StatusNotification' && (m.request as { connectorStatus: string }).connectorStatus === s;

test('plug, status, fault, clear, unplug and quit typed on stdin; a CSMS Reset and its answer in the log; the store file named after the station', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const url = csms.url(await csms.listen());
  const station = ocppkit(['station', '--csms', url, '--id', 'CLI-STDIN', '--evses', '2'], { cwd: tmp.dir });
  try {
    await station.waitFor(/boot accepted \(heartbeat every 300 s\)/);
    let at = csms.log.length - 1;
    const next = async (match: (m: LoggedMessage) => boolean, what: string) => {
      const m = await csms
        .waitFor((x) => x.identity === 'CLI-STDIN' && x.direction === 'in' && match(x), 5000, at)
        .catch(() => assert.unreachable(`${what}; output:\n${station.output()}`));
      at = csms.log.indexOf(m as LoggedMessage);
      return m as LoggedMessage;
    };
    await next(status('Available'), 'Available after the boot');

    station.send('plug 2');
    const occupied = await next(status('Occupied'), 'Occupied after plug 2');
    assert.equal([(occupied.request as any).evseId, (occupied.request as any).connectorId], [2, 1]);
    await station.waitFor(/EVSE 2 connector 1: Occupied/);

    station.send('status');
    await station.waitFor(/^EVSE 2: Occupied, cable plugged, relay open, meter 0\.000 kWh at 0 W$/);
    assert.match(
      station.stdout(),
      /station CLI-STDIN: connected \(ocpp2\.0\.1\), registration Accepted, \d+ queued message\(s\)/,
      station.output(),
    );

    station.send('charge 2');
    await station.waitFor(/error: unknown command "charge"/);
    assert.match(
      station.stderr(),
      /unknown command "charge" \(plug, unplug, auth, swap, fault, clear, temperature, set, status, sleep, help, quit\)/,
    );

    station.send('fault 2');
    await next(status('Faulted'), 'Faulted after fault 2');
    station.send('clear 2');
    await next(status('Occupied'), 'Occupied after clear 2');
    station.send('unplug 2');
    await next(status('Available'), 'Available after unplug 2');

    // A CSMS request and the station's answer, both in the station's log.
    assert.equal(await csms.call('CLI-STDIN', 'Reset', { type: 'Immediate' }), { status: 'Accepted' });
    await station.waitFor(/← Reset \{"type":"Immediate"\}/);
    await station.waitFor(/→ ResetResponse \{"status":"Accepted"\}/);
    const reboot = await next((m) => m.action === 'BootNotification', 'BootNotification after the reset');
    assert.is((reboot.request as { reason: string }).reason, 'RemoteReset');
    assert.match(station.stdout(), /→ BootNotification \{"reason":"PowerUp"/);
    assert.match(station.stdout(), /← BootNotificationResponse \{.*"status":"Accepted"\}/);

    station.send('quit');
    assert.is(await station.exited(), 0);
    assert.match(station.stdout(), / stopping\n(.*\n)*.* stopped\n/, station.output());
    assert.ok(
      existsSync(tmp.file('CLI-STDIN.db')),
      'without --db the state is in <station id>.db in the current directory',
    );
  } finally {
    station.kill('SIGKILL');
    await csms.close();
    tmp.remove();
  }
});

test('auth <idToken> [<evse>] is an ISO14443 card at the reader: the CSMS is asked, and its verdict (a deny-listed card is Invalid) is in the log', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'], denyTokens: ['BLOCKED-1'] });
  const url = csms.url(await csms.listen());
  const station = ocppkit(['station', '--csms', url, '--id', 'CLI-AUTH', '--db', tmp.file('s.db')], { cwd: tmp.dir });
  try {
    await station.waitFor(/boot accepted/);
    station.send('auth 04A2B3C4 1');
    await station.waitFor(/card 04A2B3C4 presented at EVSE 1/);
    const asked = await csms.waitFor((m) => m.action === 'Authorize');
    assert.equal(asked.request, { idToken: { idToken: '04A2B3C4', type: 'ISO14443' } });
    await station.waitFor(/idToken 04A2B3C4: Accepted \(csms\)/);
    station.send('auth BLOCKED-1');
    await station.waitFor(/idToken BLOCKED-1: Invalid \(csms\)/);
    station.send('auth 04A2B3C4 9');
    await station.waitFor(/error: auth: EVSE "9" does not exist \(EVSEs 1 to 1\)/);
    station.send('quit');
    assert.is(await station.exited(), 0);
  } finally {
    station.kill('SIGKILL');
    await csms.close();
    tmp.remove();
  }
});

test.run();
