// docs/integration.md's example, run: imported and driven against the built-in CSMS, and started as a program the
// way the doc says. The doc shows the file as it is (only the import path differs), so the two cannot drift.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SimpleCsms } from '../runtime/csms/simple-csms.js';
import { createStation } from '../examples/charging-station.js';
import { until } from './support/rpc-harness.js';

const root = resolve(import.meta.dirname, '..');
const example = readFileSync(join(root, 'examples/charging-station.ts'), 'utf8');

test('docs/integration.md shows examples/charging-station.ts as it is', () => {
  const doc = readFileSync(join(root, 'docs/integration.md'), 'utf8');
  const block = /<!-- example: examples\/charging-station.ts -->\s*```ts\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block, 'the doc has the example block');
  assert.is(block, example.replace("from '../runtime/station/index.js'", "from 'ocppkit/station'"));
});

test('the example station boots, reports its connectors, follows ChangeAvailability and a Reset', async () => {
  const csms = new SimpleCsms({ versions: ['ocpp2.1', 'ocpp2.0.1'] });
  const url = csms.url(await csms.listen());
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-example-'));
  const log = console.log;
  const lines: string[] = [];
  console.log = (line: string) => void lines.push(line);
  const station = createStation(url, join(dir, 'station.db'));
  const from = (action: string) => csms.received('CS-EXAMPLE-01', action);
  try {
    await station.start();
    await until(() => station.registration === 'Accepted' && from('StatusNotification').length === 2, 3000, 'booted');
    station.cablePlugged(1, 1);
    await until(
      () => from('StatusNotification').some((m) => (m.request as any).connectorStatus === 'Occupied'),
      3000,
      'Occupied',
    );
    assert.equal(
      await csms.call('CS-EXAMPLE-01', 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } }),
      { status: 'Accepted' },
    );
    await until(() => lines.includes('[hw] connector 2/1 disabled'), 3000, 'the hardware callback');
    assert.equal(await csms.call('CS-EXAMPLE-01', 'Reset', { type: 'OnIdle' }), { status: 'Accepted' });
    await until(() => from('BootNotification').length === 2, 3000, 'booted again');
    assert.is((from('BootNotification')[1]!.request as any).reason, 'RemoteReset');
    assert.ok(lines.includes('[hw] reset the station (OnIdle)'));
    assert.ok(lines.includes('[ocpp] connector 1/1: Occupied'));
  } finally {
    console.log = log;
    await station.stop();
    await csms.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the example runs as a program: node --import tsx examples/charging-station.ts <url> <store>', async () => {
  const csms = new SimpleCsms({ versions: ['ocpp2.1', 'ocpp2.0.1'] });
  const url = csms.url(await csms.listen());
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-example-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'examples/charging-station.ts', url, join(dir, 'station.db')],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    await until(
      () => csms.received('CS-EXAMPLE-01', 'StatusNotification').length === 2,
      10_000,
      `the program's boot (output: ${output})`,
    );
    assert.match(output, /BootNotification Accepted/);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    await csms.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
