// The README stays true: its integration example is the file the test suite compiles (test/cli/readme-example.ts)
// and runs here against the built-in CSMS; it documents every flag and command the CLI has; its links lead to files
// that exist; the package's `ocppkit` bin is the built CLI.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSMS_FLAGS } from '../../runtime/cli/csms-command.js';
import { STATION_FLAGS } from '../../runtime/cli/station-command.js';
import { SimpleCsms, type LoggedMessage } from '../../runtime/csms/simple-csms.js';
import { tempDir } from '../helpers/tmp.js';
import { ROOT } from './cli-process.js';
import { spawn } from 'node:child_process';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The README's version of the example file: the lines between the markers, imports as an integrator writes them. */
function exampleAsInReadme(): string {
  const source = readFileSync(join(ROOT, 'test/cli/readme-example.ts'), 'utf8');
  const region = /\/\/ README:begin\n([\s\S]*?)\/\/ README:end\n/.exec(source)?.[1];
  assert.ok(region, 'readme-example.ts has the README:begin / README:end markers');
  return region!
    .replace("from '../../runtime/station/index.js'", "from 'ocppkit/station'")
    .replace("from './readme-hardware.js'", "from './my-hardware.js'");
}

test('the integration example in the README is test/cli/readme-example.ts (which tsc checks with the suite)', () => {
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(
    blocks.includes(exampleAsInReadme()),
    'README.md shows the example exactly as test/cli/readme-example.ts has it (between the markers)',
  );
});

test('the README example runs: against the built-in CSMS it boots, and a plugged EV with an accepted card charges and ends its transaction', async () => {
  const tmp = tempDir('ocppkit-readme-');
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const url = csms.url(await csms.listen());
  try {
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), join(ROOT, 'test/cli/readme-example.ts')],
      {
        env: { ...process.env, CSMS_URL: url, STATION_DB: tmp.file('ocpp.db') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(
        () => (child.kill('SIGKILL'), reject(new Error(`the example did not finish: ${out}`))),
        15_000,
      );
      child.on('exit', (c) => (clearTimeout(timer), resolve(c)));
    });
    const status = (s: string) => (m: LoggedMessage) =>
      m.identity === 'CS-0001' &&
      m.action === 'StatusNotification' &&
      (m.request as { connectorStatus: string }).connectorStatus === s;
    const occupied = await csms.waitFor(status('Occupied'), 10_000);
    await csms.waitFor(
      (m) =>
        m.identity === 'CS-0001' &&
        m.action === 'TransactionEvent' &&
        (m.request as { eventType: string }).eventType === 'Ended',
      10_000,
    );
    // Available again after the EV left (sent directly, so it may overtake the queued Ended event).
    await csms.waitFor(status('Available'), 10_000, csms.log.indexOf(occupied));
    child.kill('SIGTERM');
    const code = await exited;
    assert.is(code, 0, out);
    assert.equal(JSON.parse(out.trim().split('\n').pop()!), [
      '1: Available',
      '1: Occupied',
      '1: charging',
      '1: done (EVDisconnected)',
      '1: Available',
    ]);
    assert.equal(
      csms.received('CS-0001', 'Authorize').map((m) => m.request),
      [{ idToken: { idToken: '04A2B3C4', type: 'ISO14443' } }],
    );
    const events = csms.received('CS-0001', 'TransactionEvent').map((m) => m.request as any);
    assert.equal([events[0].eventType, events.at(-1).eventType], ['Started', 'Ended']);
    assert.ok(
      events.some((e) => e.transactionInfo.chargingState === 'Charging'),
      "the relay's flow report reached the CSMS",
    );
    const endReading = events.at(-1).meterValue.at(-1).sampledValue[0];
    assert.equal(
      [endReading.measurand ?? 'Energy.Active.Import.Register', endReading.value],
      ['Energy.Active.Import.Register', 1234.5],
      'the meter was read through readMeter',
    );
  } finally {
    await csms.close();
    tmp.remove();
  }
});

test('the README documents every flag of ocppkit station and ocppkit csms, and every station command', () => {
  const station = readme.slice(readme.indexOf('### `ocppkit station`'), readme.indexOf('### `ocppkit csms`'));
  const csms = readme.slice(readme.indexOf('### `ocppkit csms`'), readme.indexOf('### `ocppkit demo`'));
  for (const flag of Object.keys(STATION_FLAGS))
    assert.ok(station.includes(`| \`--${flag}`), `ocppkit station --${flag} is in the README's table`);
  for (const flag of Object.keys(CSMS_FLAGS))
    assert.ok(csms.includes(`| \`--${flag}`), `ocppkit csms --${flag} is in the README's table`);
  for (const command of [
    'plug <evse>',
    'unplug <evse>',
    'auth <idToken> [<evse>]',
    'fault <evse>',
    'clear <evse>',
    'temperature <celsius>',
    'set <component>[@<evse>[/<connector>]] <variable> <value>',
    'status',
    'sleep <seconds>',
    'help',
    'quit',
  ]) {
    assert.ok(station.includes(`| \`${command}\` |`), `the station command "${command}" is in the README`);
  }
  assert.ok(readme.includes('make demo') && readme.includes('make test'), 'the two quick-start commands');
});

test('issue 19: the README says how to install the unpublished package, which Node it is tested on, and what the first make demo spends its minute on', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
    engines: { node: string };
  };
  const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('## Quick start'));
  assert.ok(install.length > 0 && readme.indexOf('## Install') >= 0, 'an Install section before the Quick start');
  assert.match(install, /npm pack/);
  assert.ok(
    install.includes(`npm install ../ocppkit/ocppkit-${pkg.version}.tgz`),
    `the tarball npm pack writes for version ${pkg.version}`,
  );
  assert.match(install, /git URL/, 'says whether a git URL works');
  assert.ok(
    install.includes(`Node ≥ ${/^>=([\d.]+)$/.exec(pkg.engines.node)?.[1]}`),
    `the supported range is package.json's engines (${pkg.engines.node})`,
  );
  const major = process.versions.node.split('.')[0];
  assert.match(install, new RegExp(`Tested: Node ${major}\\b`), `names the Node the suite runs on (${major})`);
  // The LTS lines the suite also runs on are the ones `make test` fetches (Makefile NODE_LTS).
  const lts = /^NODE_LTS := (.+)$/m.exec(readFileSync(join(ROOT, 'Makefile'), 'utf8'))![1]!.split(' ');
  for (const v of lts) assert.ok(install.includes(`Node ${v.split('.')[0]} (${v})`), `names Node ${v}`);
  assert.not.match(readme, /It takes seconds/, 'the first run takes a minute: the README says so');
  assert.match(readme, /first `make demo`[\s\S]{0,200}better-sqlite3 from source/);
});

test('every file the README links to exists', () => {
  const links = [...readme.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
  for (const doc of ['docs/integration.md', 'docs/status/ocpp-2.x.md', 'docs/performance.md', 'docs/architecture.md'])
    assert.ok(links.includes(doc), `README links to ${doc}`);
  for (const link of links) assert.ok(existsSync(join(ROOT, link)), `${link} exists`);
});

test('the ocppkit bin is the built CLI, and the build makes it executable', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  assert.is(pkg.bin.ocppkit, 'dist/runtime/cli/main.js');
  assert.ok(readFileSync(join(ROOT, 'scripts/build.mjs'), 'utf8').includes("'dist/runtime/cli/main.js'"));
  assert.ok(
    readFileSync(join(ROOT, 'runtime/cli/main.ts'), 'utf8').startsWith('#!/usr/bin/env node\n'),
    'main.ts keeps its shebang (tsc copies it)',
  );
});

test.run();
