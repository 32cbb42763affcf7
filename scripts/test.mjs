#!/usr/bin/env node
// The test command behind `make test`: runs every test/**/*.test.ts in its own process (real sockets, real
// files, no shared state between files), plus `tsc --noEmit` over the whole tree (the type tests live there),
// and ends with the line `N passed, N failed` that CI reads.
//
// Why not plain `uvu`: uvu reports "Total 0" and exits 0 for an empty folder or a file that forgot
// `test.run()`. Here every test a file registers must run (or be skipped), or the file fails: the count is taken at
// run time by scripts/test-count/ (preloaded; it wraps uvu and reports the registrations when the process exits),
// so a file that stops early, never calls test.run() or registers a test after it, fails. A test registered under
// a condition counts only when registered. test.only fails the file (its other tests would not run).
//
// Usage: node scripts/test.mjs [path-or-substring ...]   (TEST_JOBS=n to change parallelism)
// Markers in the first lines of a test file:
//   // @requires-spec     needs the OCA inputs at OCPP_SPEC_DIR; reported as skipped when they are absent
//   // @serial            runs alone, after the parallel files (timing-sensitive or CPU-heavy)
//   // @beside-serial     long and on one core, not timing-sensitive: runs beside the serial files, which mostly wait
//   // @timeout <seconds> overrides the per-file limit (default 300)
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const specDir = resolve(root, process.env.OCPP_SPEC_DIR ?? '../shared/ocpp-spec');
const haveSpec = existsSync(join(specDir, 'schemas'));
const filters = process.argv.slice(2);
const jobs = Math.max(1, Number(process.env.TEST_JOBS) || availableParallelism());

function listTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const counter = join(root, 'scripts/test-count/register.mjs');

/** The counts scripts/test-count/uvu-counted.mjs prints when the file's process exits (undefined: it never did). */
function parseRegistered(output) {
  const m = [...output.matchAll(/^@@ocppkit-tests registered=(\d+) only=(\d+)$/gm)].at(-1);
  return m ? { registered: Number(m[1]), only: Number(m[2]) } : undefined;
}

function header(src) {
  const head = src.split('\n').slice(0, 15).join('\n');
  return {
    requiresSpec: /@requires-spec\b/.test(head),
    serial: /@serial\b/.test(head),
    besideSerial: /@beside-serial\b/.test(head),
    timeout: Number(head.match(/@timeout\s+(\d+)/)?.[1] ?? 300),
  };
}

function run(cmd, args, timeoutSec, env = {}) {
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(cmd, args, {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', OCPP_SPEC_DIR: specDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, timeoutSec * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // A test file must not leave processes behind (servers, spawned stations).
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      done({ code, signal, output, timedOut, ms: Date.now() - started });
    });
  });
}

function parseUvu(output) {
  const total = output.match(/Total:\s+(\d+)/g);
  if (!total) return null;
  // Sum over every summary block (a file may call run() for several suites).
  const sum = (re) => [...output.matchAll(re)].reduce((a, m) => a + Number(m[1]), 0);
  return { total: sum(/Total:\s+(\d+)/g), passed: sum(/Passed:\s+(\d+)/g), skipped: sum(/Skipped:\s+(\d+)/g) };
}

// TEST_DIR lets the runner's own test point it at fixtures.
const testDir = resolve(root, process.env.TEST_DIR ?? 'test');
const all = listTests(testDir)
  .map((p) => relative(root, p))
  .filter((p) => filters.length === 0 || filters.some((f) => p.includes(f)));

const files = all.map((path) => {
  const src = readFileSync(join(root, path), 'utf8');
  return { path, ...header(src) };
});

let passed = 0;
let failed = 0;
let skippedFiles = 0;
const failures = [];

async function runFile(f) {
  if (f.requiresSpec && !haveSpec) {
    skippedFiles++;
    console.log(`skip ${f.path} (needs the OCA inputs; none at ${specDir})`);
    return;
  }
  const r = await run(process.execPath, ['--import', 'tsx', '--import', counter, f.path], f.timeout);
  const s = parseUvu(r.output);
  const reg = parseRegistered(r.output);
  const expected = reg?.registered ?? 0;
  let p = 0,
    fl = 0,
    why = '';
  if (s) {
    p = s.passed;
    // uvu's Total counts the tests it ran (test.skip ones and those left out by test.only are Skipped, not in Total).
    fl = s.total - s.passed;
  }
  if (r.timedOut) why = `timed out after ${f.timeout}s`;
  else if (!s) why = `no uvu summary (exit ${r.code ?? r.signal}): the file crashed or never called test.run()`;
  else if (!reg) why = `no test count (exit ${r.code ?? r.signal}): the process did not exit normally`;
  else if (reg.only > 0) why = 'test.only left in the file: the rest of its tests would not run';
  else if (r.code !== 0 && fl === 0) why = `exit ${r.code ?? r.signal} after its tests (an error outside a test?)`;
  else if (s.total + s.skipped < expected)
    why = `registered ${expected} tests but ran ${s.total}${s.skipped ? ` and skipped ${s.skipped}` : ''}: it stopped early or registered a test after test.run()`;
  if (why && fl === 0) fl = Math.max(1, expected - (s?.total ?? 0) - (s?.skipped ?? 0));
  passed += p;
  failed += fl;
  const secs = (r.ms / 1000).toFixed(1);
  if (fl > 0 || why) {
    failures.push({ name: f.path, output: (why ? `${why}\n` : '') + r.output });
    console.log(`FAIL ${f.path}  ${p} passed, ${fl} failed (${secs}s)${why ? ` — ${why}` : ''}`);
  } else {
    console.log(`ok   ${f.path}  ${p} passed (${secs}s)`);
  }
}

async function typecheck() {
  const r = await run(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'],
    600,
  );
  if (r.code === 0) {
    passed++;
    console.log(`ok   typecheck (tsc --noEmit: sources, generated, tests, type tests)  (${(r.ms / 1000).toFixed(1)}s)`);
  } else {
    failed++;
    failures.push({ name: 'typecheck', output: r.output });
    console.log('FAIL typecheck (tsc --noEmit)');
  }
}

async function pool(items, n, fn) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(n, queue.length) }, async () => {
      while (queue.length) await fn(queue.shift());
    }),
  );
}

const started = Date.now();
if (files.length === 0) {
  console.log(filters.length ? `no test file matches ${filters.join(' ')}` : 'no test files under test/');
  failed++;
}
const parallel = files.filter((f) => !f.serial && !f.besideSerial);
const serial = files.filter((f) => f.serial);
const beside = files.filter((f) => f.besideSerial);
const tasks = [...parallel.map((f) => () => runFile(f))];
if (filters.length === 0 && !process.env.TEST_DIR) tasks.unshift(typecheck);
await pool(tasks, jobs, (t) => t());
// The serial files mostly wait (on processes, sockets, timers): a long one-core file beside them uses the idle core.
await Promise.all([
  (async () => {
    for (const f of serial) await runFile(f);
  })(),
  (async () => {
    for (const f of beside) await runFile(f);
  })(),
]);

for (const f of failures) {
  console.log(`\n──── ${f.name} ────\n${f.output.trim().split('\n').slice(-80).join('\n')}`);
}
console.log(`\n${files.length} files, ${skippedFiles} skipped, ${((Date.now() - started) / 1000).toFixed(0)}s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
