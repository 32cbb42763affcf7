// @serial
// `ocppkit station --script`: the same commands plus `sleep`, run unattended once the CSMS accepted the boot, against
// the built-in CSMS over a real socket. And the failures a user meets first: a wrong URL, an unknown command, a
// bad flag, a bad script, 1.6 with 2.x — each a clear message and a non-zero exit, and no store file left behind.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import { tempDir } from '../helpers/tmp.js';
import { ocppkitRun } from './cli-process.js';

test('a script runs after the boot was accepted: its commands reach the CSMS in order, with its sleeps, and quit ends it with exit 0', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const url = csms.url(await csms.listen());
  try {
    writeFileSync(
      tmp.file('session.txt'),
      '# unattended\nplug 1\nsleep 0.3\nfault 1\nclear 1\n\nunplug 1\nstatus\nquit\n',
    );
    const started = Date.now();
    const r = await ocppkitRun(
      ['station', '--csms', url, '--id', 'CLI-SCRIPT', '--db', tmp.file('s.db'), '--script', tmp.file('session.txt')],
      { cwd: tmp.dir },
    );
    assert.is(r.code, 0, r.output);
    assert.ok(Date.now() - started >= 300, 'the sleep was waited for');
    const statuses = csms
      .received('CLI-SCRIPT', 'StatusNotification')
      .map((m) => (m.request as { connectorStatus: string }).connectorStatus);
    assert.equal(statuses, ['Available', 'Occupied', 'Faulted', 'Occupied', 'Available']);
    const out = r.stdout;
    assert.ok(out.indexOf('boot accepted') < out.indexOf('running '), 'the script starts after the boot was accepted');
    assert.match(out, /running .*session\.txt \(7 commands\)/);
    assert.match(out, /^EVSE 1: Available, cable unplugged/m);
    assert.match(out, / stopped\n$/);
  } finally {
    await csms.close();
    tmp.remove();
  }
});

test('a charging session from a script: transaction started, meter values that grow with the charging power, a fault suspends charging, ended at unplug; quit waits for the last answers', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const url = csms.url(await csms.listen());
  try {
    writeFileSync(
      tmp.file('charge.txt'),
      'plug 1\nauth 04A2B3C4 1\nsleep 3.2\nstatus\nfault 1\nsleep 0.3\nclear 1\nsleep 0.3\nunplug 1\nquit\n',
    );
    const r = await ocppkitRun(
      [
        'station',
        '--csms',
        url,
        '--id',
        'CLI-CHARGE',
        '--db',
        tmp.file('s.db'),
        '--power',
        '7200',
        '--set',
        'SampledDataCtrlr.TxUpdatedInterval=1',
        '--script',
        tmp.file('charge.txt'),
      ],
      { cwd: tmp.dir },
    );
    assert.is(r.code, 0, r.output);
    const events = csms.received('CLI-CHARGE', 'TransactionEvent').map((m) => m.request as any);
    assert.equal([events[0].eventType, events[0].idToken], ['Started', { idToken: '04A2B3C4', type: 'ISO14443' }]);
    assert.is(events[events.length - 1].eventType, 'Ended', 'quit let the Ended event be answered first');
    assert.is(events[events.length - 1].transactionInfo.stoppedReason, 'EVDisconnected');
    const energy = events
      .filter((e) => e.triggerReason === 'MeterValuePeriodic')
      .map(
        (e) =>
          e.meterValue[0].sampledValue.find((v: any) => v.measurand === 'Energy.Active.Import.Register')
            .value as number,
      );
    assert.ok(energy.length >= 2, JSON.stringify(events));
    // 7.2 kW is 2 Wh a second: each periodic sample is about 2 Wh above the one before.
    energy.forEach(
      (wh, i) => i > 0 && assert.ok(Math.abs(wh - energy[i - 1]! - 2) < 0.6, `samples ${energy.join(', ')}`),
    );
    const power = events
      .find((e) => e.triggerReason === 'MeterValuePeriodic')
      .meterValue[0].sampledValue.find((v: any) => v.measurand === 'Power.Active.Import');
    assert.equal([power.value, power.unitOfMeasure?.unit ?? 'W'], [7200, 'W']);
    assert.match(r.stdout, /transaction \S+ started on EVSE 1 \(/);
    assert.match(
      r.stdout,
      /^EVSE 1: Occupied, cable plugged, relay closed, meter 0\.00\d kWh at 7200 W, transaction \S+$/m,
    );
    assert.match(r.stdout, /transaction \S+ ended \(EVDisconnected\)/);
    // The simulated EV draws power once the relay closed; a faulted connector delivers none until the fault clears.
    const states = events.map((e) => e.transactionInfo.chargingState).filter((c) => c !== undefined);
    assert.equal(
      states.filter((c, i) => c !== states[i - 1]),
      ['EVConnected', 'Charging', 'SuspendedEVSE', 'Charging', 'Idle'],
    );
  } finally {
    await csms.close();
    tmp.remove();
  }
});

test('wrong URLs: not a ws:// URL (exit 2), a path the CSMS does not serve (exit 1 at once), nothing listening (exit 1 after --connect-timeout)', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const url = csms.url(await csms.listen());
  try {
    const http = await ocppkitRun(['station', '--csms', 'http://127.0.0.1:9/ocpp', '--id', 'A'], { cwd: tmp.dir });
    assert.is(http.code, 2);
    assert.match(
      http.stderr,
      /ocppkit station: --csms: must start with ws:\/\/ or wss:\/\/, got "http:\/\/127\.0\.0\.1:9\/ocpp"/,
    );
    // Issue 19: a URL without a scheme is quoted as given (not "got localhost://"), with the likely fix.
    const bare = await ocppkitRun(['station', '--csms', 'localhost:9000', '--id', 'A'], { cwd: tmp.dir });
    assert.is(bare.code, 2);
    assert.match(
      bare.stderr,
      /--csms: must start with ws:\/\/ or wss:\/\/, got "localhost:9000" \(did you mean "ws:\/\/localhost:9000"\?\)/,
    );
    const garbage = await ocppkitRun(['station', '--csms', 'localhost 9000', '--id', 'A'], { cwd: tmp.dir });
    assert.is(garbage.code, 2);
    assert.match(garbage.stderr, /--csms: is not a URL: "localhost 9000"/);

    const path = await ocppkitRun(['station', '--csms', `${url}/not/here`, '--id', 'A'], { cwd: tmp.dir });
    assert.is(path.code, 1, path.output);
    assert.match(
      path.stderr,
      /cannot connect to the CSMS: the CSMS refused the connection to \/not\/here\/A with HTTP 404 \(unknown station identity, or no OCPP endpoint at that path\) — check --csms/,
    );

    const closed = new SimpleCsms();
    const deadUrl = closed.url(await closed.listen());
    await closed.close();
    const started = Date.now();
    const dead = await ocppkitRun(['station', '--csms', deadUrl, '--id', 'A', '--connect-timeout', '1'], {
      cwd: tmp.dir,
    });
    assert.is(dead.code, 1, dead.output);
    assert.match(dead.stdout, /warning: connecting failed \(attempt 1\): connection failed: .*ECONNREFUSED/);
    assert.match(dead.stderr, /could not connect to the CSMS within 1 s/);
    assert.ok(Date.now() - started < 8000);
  } finally {
    await csms.close();
    tmp.remove();
  }
});

test('an unknown command, a bad flag, a missing flag, a bad script line and OCPP 1.6 with 2.x: a clear message, exit 2, no store file', async () => {
  const tmp = tempDir('ocppkit-cli-');
  try {
    const cases: Array<[string[], RegExp]> = [
      [['charge'], /^ocppkit: unknown command "charge" \(commands: station, csms, demo, fleet; see ocppkit --help\)/],
      [
        ['station', '--csms', 'ws://127.0.0.1:9', '--id', 'A', '--evse', '2'],
        /^ocppkit station: unknown flag --evse; did you mean --evses\? \(known: --csms, --id, /,
      ],
      [['station', '--csms', 'ws://127.0.0.1:9'], /^ocppkit station: --id is required\n\(see ocppkit station --help\)/],
      [
        ['station', '--csms', 'ws://127.0.0.1:9', '--id', 'A', '--script', 'bad.txt'],
        /^ocppkit station: --script bad\.txt:2: unknown command "wait"/,
      ],
      [
        ['station', '--csms', 'ws://127.0.0.1:9', '--id', 'A', '--ocpp', '1.6,2.0.1'],
        /^ocppkit station: --ocpp: offers ocpp1\.6 together with ocpp2\.0\.1: not supported yet/,
      ],
      [['station', '--csms', 'ws://127.0.0.1:9', '--id', 'A:B'], /^ocppkit station: --id: must not contain ":"/],
      [
        ['station', '--csms', 'ws://127.0.0.1:9', '--id', 'A', '--db', 'no/such/dir/x.db'],
        /^ocppkit station: --db: cannot open store file .*no\/such\/dir\/x\.db: directory .*no\/such\/dir does not exist/,
      ],
      [['csms', '--port', 'x'], /^ocppkit csms: --port must be a whole number from 0 to 65535, got "x"/],
    ];
    writeFileSync(tmp.file('bad.txt'), 'plug 1\nwait 5\n');
    const results = await Promise.all(cases.map(([args]) => ocppkitRun(args, { cwd: tmp.dir })));
    cases.forEach(([args, pattern], i) => {
      assert.is(results[i]!.code, 2, `${args.join(' ')}: ${results[i]!.output}`);
      assert.match(results[i]!.stderr, pattern, args.join(' '));
    });
    assert.equal(readdirSync(tmp.dir), ['bad.txt'], 'nothing was created');
    const help = await ocppkitRun(['station', '--help']);
    assert.is(help.code, 0);
    assert.match(help.stdout, /--connect-timeout <s>/);
    assert.not.ok(existsSync(tmp.file('A.db')));
  } finally {
    tmp.remove();
  }
});

test.run();
