// @beside-serial (one core: TEST_JOBS 1 below)
// @timeout 1500
// Issue 19: ocppkit runs on the current Node LTS lines too, not only on Node 20 where the rest of this suite runs.
// `make test` fetches the official Node 22 and 24 binaries (scripts/fetch-node.mjs, from the npm registry) and this
// file runs the RPC, queue and station suites under each, with the store on node:sqlite (OCPPKIT_SQLITE_ENGINE):
// better-sqlite3 in node_modules is built for the Node that installed it. The store's own suites are mostly about
// better-sqlite3 files and stay on Node 20, apart from test/store/engine.test.ts, which covers node:sqlite itself.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const dir = join(root, 'node_modules/.node');
// The same suites on both, chosen to keep CI short: the RPC layer, the queue, the node:sqlite store, the 1.6 station
// and the 2.x provisioning and transaction flows. (Run once by hand on Node 22.23: all of test/station/ passes on
// node:sqlite too.)
const LTS_SUITES = [
  'test/rpc/',
  'test/queue/',
  'test/store/engine',
  'test/station/v16/',
  'test/station/tc-e-',
  'test/station/tc-b-',
];

function runUnder(node: string, suites: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(node, ['scripts/test.mjs', ...suites], {
      cwd: root,
      env: { ...process.env, OCPPKIT_SQLITE_ENGINE: 'node:sqlite', TEST_JOBS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => done({ code, output }));
  });
}

const fetched = existsSync(dir) ? readdirSync(dir).filter((m) => existsSync(join(dir, m, 'bin/node'))) : [];
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64';

if (onLinuxX64)
  test('make test fetched Node 22 and Node 24 (scripts/fetch-node.mjs)', () => {
    assert.equal(
      fetched.sort(),
      ['22', '24'],
      `node_modules/.node holds ${fetched.join(', ') || 'nothing'}: run make test`,
    );
  });

for (const major of fetched.sort())
  test(`Node ${major}: ${LTS_SUITES.join(' ')} pass on node:sqlite`, async () => {
    const r = await runUnder(join(dir, major, 'bin/node'), LTS_SUITES);
    const summary = r.output.match(/^(\d+) passed, (\d+) failed$/m);
    const failing = r.output
      .split('\n')
      .filter((l) => l.startsWith('FAIL '))
      .join('\n');
    assert.ok(summary, `no summary line from Node ${major}:\n${r.output.slice(-3000)}`);
    assert.is(Number(summary![2]), 0, `failing under Node ${major}:\n${failing}\n${r.output.slice(-4000)}`);
    assert.ok(Number(summary![1]) > 300, `only ${summary![1]} tests ran under Node ${major}`);
    assert.is(r.code, 0);
  });

test.run();
