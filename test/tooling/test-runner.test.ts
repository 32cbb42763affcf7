// The test command must never report success for tests that did not run: CI trusts its last line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Copies the named fixtures into a fresh folder as *.test.ts and runs the test command on it. */
async function runOn(fixtures: string[]): Promise<{ code: number; out: string; last: string }> {
  // Inside the repository (.tmp/ is ignored) so that the fixtures resolve uvu from node_modules.
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(root, '.tmp', 'runner-'));
  try {
    for (const name of fixtures)
      cpSync(join(root, 'test/fixtures/runner', `${name}.fixture.ts`), join(dir, `${name}.test.ts`));
    const res = await run(process.execPath, [join(root, 'scripts/test.mjs')], {
      cwd: root,
      env: { ...process.env, TEST_DIR: dir },
    })
      .then((r) => ({ code: 0, out: r.stdout }))
      .catch((e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }));
    const lines = res.out.trim().split('\n');
    return { ...res, last: lines[lines.length - 1] ?? '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a passing file: exit 0 and the last line counts its tests', async () => {
  const r = await runOn(['good']);
  assert.is(r.code, 0);
  assert.is(r.last, '2 passed, 0 failed');
});

test('a failing test: exit 1 and counted as failed', async () => {
  const r = await runOn(['good', 'fails']);
  assert.is(r.code, 1);
  assert.is(r.last, '3 passed, 1 failed');
});

test('a file that never calls test.run() fails instead of reporting nothing', async () => {
  const r = await runOn(['forgot-run']);
  assert.is(r.code, 1);
  assert.is(r.last, '0 passed, 1 failed');
});

test('a file that stops in the middle of its tests fails, although its process exits 0', async () => {
  const r = await runOn(['exits-early']);
  assert.is(r.code, 1);
  assert.is(r.last, '0 passed, 3 failed');
});

test('a test registered after test.run() never runs: the file fails and says so', async () => {
  const r = await runOn(['late']);
  assert.is(r.code, 1);
  assert.match(r.out, /registered 2 tests but ran 1: it stopped early or registered a test after test\.run\(\)/);
  assert.is(r.last, '1 passed, 1 failed');
});

test('tests are counted at run time: one registered under a condition counts only when registered', async () => {
  const r = await runOn(['conditional']);
  assert.is(r.code, 0, r.out);
  assert.is(r.last, '1 passed, 0 failed');
});

test('suites and test.skip are counted: a skipped test is registered and does not fail the file', async () => {
  const r = await runOn(['suites']);
  assert.is(r.code, 0, r.out);
  assert.is(r.last, '2 passed, 0 failed');
});

test('test.only fails the file: the tests it leaves out would not run', async () => {
  const r = await runOn(['only']);
  assert.is(r.code, 1);
  assert.match(r.out, /test\.only left in the file/);
});

test('an empty test folder is a failure, not a pass', async () => {
  const r = await runOn([]);
  assert.is(r.code, 1);
  assert.is(r.last, '0 passed, 1 failed');
});

test.run();
