// What the CLI makes of its input before anything runs: flags, versions, station commands and scripts, prompt
// lines. Every mistake gets a message that names what is wrong.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nearest, parseFlags, parseVersions, UsageError } from '../../runtime/cli/args.js';
import { csmsOptions } from '../../runtime/cli/csms-command.js';
import { parsePromptLine, PromptError } from '../../runtime/cli/csms-prompt.js';
import { CommandError, parseCommand, parseScript } from '../../runtime/cli/station-commands.js';
import { stationOptions } from '../../runtime/cli/station-command.js';

const usage = (fn: () => unknown, pattern: RegExp) => {
  try {
    fn();
  } catch (e) {
    assert.instance(e, UsageError);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`expected a UsageError matching ${pattern}`);
};

test('flags: --name value and --name=value; an unknown flag, a missing value and a repeated flag are named', () => {
  const spec = { port: { value: true }, deny: { value: true, multiple: true }, quiet: { value: false } } as const;
  assert.equal(parseFlags(['--port', '9000', '--deny=A,B', '--deny', 'C', '--quiet'], spec), {
    port: '9000',
    deny: ['A,B', 'C'],
    quiet: true,
  });
  usage(
    () => parseFlags(['--prot', '1'], spec),
    /unknown flag --prot; did you mean --port\? \(known: --port, --deny, --quiet\)/,
  );
  usage(() => parseFlags(['--verbose'], spec), /unknown flag --verbose \(known: --port, --deny, --quiet\)/);
  usage(() => parseFlags(['--port'], spec), /--port needs a value/);
  usage(() => parseFlags(['--port', '--quiet'], spec), /--port needs a value/);
  usage(() => parseFlags(['--port', '1', '--port', '2'], spec), /--port is given twice/);
  usage(() => parseFlags(['9000'], spec), /unexpected argument "9000"/);
  usage(() => parseFlags(['--quiet=yes'], spec), /--quiet takes no value/);
});

test('issue 19: an unknown flag suggests the near one (a prefix, a typo, a transposition), none when nothing is near', () => {
  const station = ['csms', 'id', 'ocpp', 'db', 'evses', 'security-profile', 'password', 'connect-timeout', 'power'];
  assert.equal(nearest('evse', station), ['evses']);
  assert.equal(nearest('evsees', station), ['evses']);
  assert.equal(nearest('pasword', station), ['password']);
  assert.equal(nearest('security-profil', station), ['security-profile']);
  assert.equal(nearest('csm', station), ['csms']);
  assert.equal(nearest('timeout', station), []);
  assert.equal(nearest('x', station), []);
});

test('--ocpp: one version or a comma list in preference order, with or without "ocpp"; unknown and repeated versions refused', () => {
  assert.equal(parseVersions('2.0.1'), ['ocpp2.0.1']);
  assert.equal(parseVersions('ocpp2.1, 2.0.1'), ['ocpp2.1', 'ocpp2.0.1']);
  assert.equal(parseVersions('1.6'), ['ocpp1.6']);
  usage(() => parseVersions('2.0'), /unknown OCPP version "2.0"/);
  usage(() => parseVersions('2.0.1,ocpp2.0.1'), /lists a version twice/);
  usage(() => parseVersions(','), /at least one version/);
});

test('issue 19: --db-engine picks the store engine (better-sqlite3 when absent); another value is a usage error', () => {
  const base = ['--csms', 'ws://127.0.0.1:9000', '--id', 'CS-1'];
  assert.is(stationOptions(base, {}).dbEngine, undefined);
  assert.is(stationOptions([...base, '--db-engine', 'node:sqlite'], {}).dbEngine, 'node:sqlite');
  assert.is(stationOptions([...base, '--db-engine=better-sqlite3'], {}).dbEngine, 'better-sqlite3');
  usage(
    () => stationOptions([...base, '--db-engine', 'sqlite3'], {}),
    /--db-engine must be better-sqlite3 or node:sqlite, got "sqlite3"/,
  );
});

test('station flags: defaults, the db named after the station id, --set, PEM files and their mistakes', () => {
  const o = stationOptions(['--csms', 'ws://127.0.0.1:9000/ocpp', '--id', 'CS/1'], {});
  assert.equal(
    [o.identity, o.csmsUrl, o.versions, o.dbPath, o.evses, o.powerW, o.connectTimeoutSec],
    ['CS/1', 'ws://127.0.0.1:9000/ocpp', ['ocpp2.0.1'], 'CS_1.db', 1, 11000, 30],
  );
  assert.equal(o.info, { model: 'ocppkit-sim', vendorName: 'ocppkit', firmwareVersion: '1.0.0' });
  const p = stationOptions(
    [
      '--csms',
      'ws://h',
      '--id',
      'A',
      '--set',
      'OCPPCommCtrlr.HeartbeatInterval=60',
      '--evses',
      '3',
      '--ocpp',
      '2.1,2.0.1',
    ],
    { OCPPKIT_PASSWORD: 'from-env' },
  );
  assert.equal(
    [p.variables, p.evses, p.versions, p.password],
    [
      { 'SecurityCtrlr.OrganizationName': 'ocppkit', 'OCPPCommCtrlr.HeartbeatInterval': '60' },
      3,
      ['ocpp2.1', 'ocpp2.0.1'],
      'from-env',
    ],
  );
  usage(() => stationOptions(['--id', 'A'], {}), /--csms is required/);
  usage(() => stationOptions(['--csms', 'ws://h'], {}), /--id is required/);
  usage(
    () => stationOptions(['--csms', 'ws://h', '--id', 'A', '--evses', '0'], {}),
    /--evses must be a whole number from 1 to 64, got "0"/,
  );
  usage(
    () => stationOptions(['--csms', 'ws://h', '--id', 'A', '--security-profile', '4'], {}),
    /--security-profile must be a whole number from 1 to 3/,
  );
  usage(
    () => stationOptions(['--csms', 'ws://h', '--id', 'A', '--set', 'HeartbeatInterval'], {}),
    /--set must be Component.Variable=value/,
  );
  usage(
    () => stationOptions(['--csms', 'ws://h', '--id', 'A', '--power', '-1'], {}),
    /--power must be a number of watts/,
  );
  usage(
    () => stationOptions(['--csms', 'ws://h', '--id', 'A', '--ca', '/nonexistent/ca.pem'], {}),
    /--ca: cannot read \/nonexistent\/ca.pem: ENOENT/,
  );
  // Issue 13: profile 3 without --cert uses the certificate the CSMS issued (in the store), or enrolls first.
  assert.is(stationOptions(['--csms', 'wss://h', '--id', 'A', '--security-profile', '3'], {}).securityProfile, 3);
  usage(
    () => stationOptions(['--csms', 'wss://h', '--id', 'A', '--security-profile', '3', '--enroll', 'wss://h:1'], {}),
    /--enroll needs --password/,
  );
  usage(
    () => stationOptions(['--csms', 'wss://h', '--id', 'A', '--enroll', 'wss://h:1', '--password', 'p'], {}),
    /--enroll is for --security-profile 3 without --cert and --key/,
  );
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-cli-'));
  try {
    writeFileSync(join(dir, 'not.pem'), 'hello');
    usage(
      () =>
        stationOptions(
          ['--csms', 'wss://h', '--id', 'A', '--cert', join(dir, 'not.pem'), '--key', join(dir, 'not.pem')],
          {},
        ),
      /--cert: .*not.pem is not a PEM file/,
    );
    writeFileSync(join(dir, 'bad.script'), 'plug 1\nsleep 1\nplug 2\n');
    usage(
      () => stationOptions(['--csms', 'ws://h', '--id', 'A', '--script', join(dir, 'bad.script')], {}),
      /--script .*bad.script:3: plug: EVSE "2" does not exist \(EVSEs 1 to 1\)/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('csms flags: deny list, boot status, versions; what a security profile needs is named', () => {
  const o = csmsOptions(['--port', '0', '--deny', 'A,B', '--deny', 'C', '--boot', 'Pending'], {});
  assert.equal(
    [o.port, o.host, [...(o.csms.denyTokens ?? [])], o.csms.bootStatus, o.csms.versions],
    [0, '127.0.0.1', ['A', 'B', 'C'], 'Pending', ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6']],
  );
  assert.is(csmsOptions([], {}).port, 9000);
  usage(() => csmsOptions(['--port', '70000'], {}), /--port must be a whole number from 0 to 65535/);
  usage(() => csmsOptions(['--boot', 'Maybe'], {}), /--boot must be Accepted, Pending, Rejected, got "Maybe"/);
  assert.equal(csmsOptions(['--ocpp', '1.6'], {}).csms.versions, ['ocpp1.6']);
  usage(() => csmsOptions(['--security-profile', '1'], {}), /--security-profile 1 needs --password/);
  usage(
    () => csmsOptions(['--security-profile', '2', '--password', 'p'], {}),
    /--security-profile 2 needs --cert and --key/,
  );
  // Issue 13: profile 3 with no certificates: the CSMS makes its own PKI, with an enrollment endpoint next door.
  assert.equal(
    (({ pki, enrollPort, port }) => ({ pki, enrollPort, port }))(
      csmsOptions(['--security-profile', '3', '--password', 'p'], {}),
    ),
    { pki: 'ocppkit-pki', enrollPort: 9001, port: 9000 },
  );
  usage(() => csmsOptions(['--pki', 'x'], {}), /--pki is for --security-profile 3 without --cert, --key and --ca/);
  usage(() => csmsOptions(['--security-profile', '3', '--enroll-port', '5'], {}), /--enroll-port needs/);
});

test('issue 12: --firmware-version and --firmware-root of the station; --files of the CSMS must be a directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-parse-fw-'));
  try {
    const root = join(dir, 'root.pem');
    writeFileSync(root, '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n');
    const o = stationOptions(
      ['--csms', 'ws://127.0.0.1:9000', '--id', 'CS', '--firmware-version', '4.2', '--firmware-root', root],
      {},
    );
    assert.is(o.info.firmwareVersion, '4.2');
    assert.equal(o.firmwareRoots, ['-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n']);
    usage(
      () => stationOptions(['--csms', 'ws://x', '--id', 'CS', '--firmware-root', join(dir, 'none.pem')], {}),
      /--firmware-root: cannot read/,
    );
    assert.equal(csmsOptions(['--files', dir, '--files-port', '0'], {}).files, { dir, port: 0 });
    usage(() => csmsOptions(['--files', join(dir, 'nothing')], {}), /--files: .* is not a directory/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('station commands: each command and its arguments; an unknown command and a bad argument are named', () => {
  assert.equal(parseCommand('plug 2', 2), { op: 'plug', evseId: 2 });
  assert.equal(parseCommand('  AUTH 04A2B3C4 1 ', 2), { op: 'auth', idToken: '04A2B3C4', evseId: 1 });
  assert.equal(parseCommand('auth 04A2B3C4', 2), { op: 'auth', idToken: '04A2B3C4' });
  assert.equal(parseCommand('swap SWAP-1', 1), { op: 'swap', idToken: 'SWAP-1' });
  assert.equal(parseCommand('sleep 0.5', 1), { op: 'sleep', seconds: 0.5 });
  assert.equal(parseCommand('status', 1), { op: 'status' });
  assert.is(parseCommand('# a comment', 1), undefined);
  assert.is(parseCommand('   ', 1), undefined);
  const bad: Array<[string, RegExp]> = [
    ['charge 1', /unknown command "charge" \(plug, unplug, auth/],
    ['plug', /plug needs <evse> \(1 to 2\)/],
    ['unplug 3', /unplug: EVSE "3" does not exist/],
    ['fault x', /fault: EVSE "x" does not exist/],
    ['auth', /auth needs <idToken>/],
    ['swap', /swap needs <idToken>/],
    [`auth ${'A'.repeat(37)}`, /at most 36 characters/],
    ['sleep -1', /sleep needs a number of seconds/],
    ['status now', /status: unexpected "now"/],
  ];
  for (const [line, pattern] of bad) {
    assert.throws(
      () => parseCommand(line, 2),
      (e: unknown) => e instanceof CommandError && pattern.test((e as Error).message),
      line,
    );
  }
});

test('station commands for monitors (N07): temperature <celsius>, set <component>[@<evse>[/<connector>]] <variable> <value>', () => {
  assert.equal(parseCommand('temperature 85.5', 1), { op: 'temperature', celsius: 85.5 });
  assert.equal(parseCommand('set EVSE@2 Power 7400', 2), {
    op: 'set',
    component: 'EVSE',
    evseId: 2,
    variable: 'Power',
    value: '7400',
  });
  assert.equal(parseCommand('set Connector@1/1 AvailabilityState Faulted', 2), {
    op: 'set',
    component: 'Connector',
    evseId: 1,
    connectorId: 1,
    variable: 'AvailabilityState',
    value: 'Faulted',
  });
  assert.equal(parseCommand('set ChargingStation Problem true', 1), {
    op: 'set',
    component: 'ChargingStation',
    variable: 'Problem',
    value: 'true',
  });
  const bad: Array<[string, RegExp]> = [
    ['temperature hot', /temperature needs a number of degrees Celsius/],
    ['set EVSE@1 Power', /set needs <component>/],
    ['set EVSE@9 Power 1', /set: EVSE "9" does not exist/],
    ['set EVSE@ Power 1', /is not <component>/],
  ];
  for (const [line, pattern] of bad)
    assert.throws(
      () => parseCommand(line, 2),
      (e: unknown) => e instanceof CommandError && pattern.test((e as Error).message),
      line,
    );
});

test('a script: comments and blank lines skipped, the first bad line named with its number', () => {
  assert.equal(parseScript('# demo\nplug 1\n\nsleep 2\nquit\n', 1), [
    { op: 'plug', evseId: 1 },
    { op: 'sleep', seconds: 2 },
    { op: 'quit' },
  ]);
  assert.throws(() => parseScript('plug 1\nplugg 1\n', 1, 'my.script'), /my\.script:2: unknown command "plugg"/);
});

test('prompt lines: <station id> <Action> <json payload>, the payload optional; bad JSON named', () => {
  assert.equal(parsePromptLine('CS-1 Reset {"type": "Immediate"}'), {
    op: 'call',
    identity: 'CS-1',
    action: 'Reset',
    payload: { type: 'Immediate' },
  });
  assert.equal(parsePromptLine('CS-1 ClearCache'), { op: 'call', identity: 'CS-1', action: 'ClearCache', payload: {} });
  assert.equal(parsePromptLine('stations'), { op: 'stations' });
  assert.is(parsePromptLine(''), undefined);
  assert.throws(
    () => parsePromptLine('CS-1 Reset {type: Immediate}'),
    (e: unknown) => e instanceof PromptError && /the payload of Reset is not JSON/.test((e as Error).message),
  );
  assert.throws(() => parsePromptLine('Reset'), /type <station id> <Action> <json payload>/);
});

test.run();
