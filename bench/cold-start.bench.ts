// Cold start: a fresh Node process that imports the BUILT ocppkit/v201 — through the package's exports, as an
// integrator's code would — and validates one BootNotification. Measured against ocpp-rpc doing the same (require
// the library, validate with its bundled 2.0.1 schemas) and against a bare `node -e 0` / empty module.
//   make bench B=cold-start        (builds dist/ first with scripts/build.mjs)
// Two numbers per probe, median of RUNS fresh processes, run interleaved so that load from other work on the
// machine hits every probe alike:
//   wall: spawn → exit, as a shell would time it (includes Node's own start-up and exit)
//   in-process: performance.now() when the message is validated, i.e. ms since the process started
// The probes run without NODE_EXTRA_CA_CERTS: when it is set (as on the shared development VMs, to the whole
// system bundle), every node process parses those certificates before running a line — about three quarters of
// an empty process's instructions there (measured with callgrind) — which is neither Node's nor a library's cost.
// A `node -e 0` row with the variable as set in this shell shows what it adds. KEEP_ENV=1 keeps it for every probe.
// INSTRUCTIONS=1 adds a column that does not depend on the machine's load: the instructions each probe executes,
// counted once under valgrind's callgrind with `node --predictable` (single-threaded V8, so the count repeats to
// within 0.01 %); about 20 s per probe.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, percentile, table } from './lib/measure.js';

const root = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS) || 21;
const boot = JSON.stringify({ reason: 'PowerUp', chargingStation: { model: 'AC22-Wallbox', vendorName: 'ocppkit' } });

console.log('building dist/ (scripts/build.mjs) …');
execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });

// Probes live inside the package folder, so that `import 'ocppkit/v201'` resolves through package.json
// "exports" to dist/ exactly as it does for an installed package.
mkdirSync(join(root, '.tmp'), { recursive: true });
const dir = mkdtempSync(join(root, '.tmp', 'cold-start-'));
const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
const probeEnv = { ...process.env };
if (!process.env.KEEP_ENV) delete probeEnv.NODE_EXTRA_CA_CERTS;
const probes: Array<{ name: string; file: string; args?: string[]; env?: NodeJS.ProcessEnv }> = [
  ...(extraCaCerts && !process.env.KEEP_ENV
    ? [{ name: `node -e 0 with NODE_EXTRA_CA_CERTS=${extraCaCerts}`, file: '', args: ['-e', '0'], env: process.env }]
    : []),
  { name: 'node -e 0 (baseline)', file: '', args: ['-e', '0'] },
  { name: 'empty ES module (baseline)', file: 'empty.mjs' },
  { name: 'ocppkit/v201: import + validate', file: 'ocppkit.mjs' },
  { name: 'ocpp-rpc: require + validate', file: 'ocpp-rpc.cjs' },
];
const report = 'process.stdout.write(String(performance.now()));';
writeFileSync(join(dir, 'empty.mjs'), report);
writeFileSync(
  join(dir, 'ocppkit.mjs'),
  `import { validateRequest } from 'ocppkit/v201';
if (!validateRequest('BootNotification', ${boot}).ok) process.exit(3);
${report}`,
);
writeFileSync(
  join(dir, 'ocpp-rpc.cjs'),
  `const { createValidator } = require('ocpp-rpc');
const v = createValidator('ocpp2.0.1', require('ocpp-rpc/lib/schemas/ocpp2_0_1.json'));
if (!v.validate('urn:BootNotification.req', ${boot})) process.exit(3);
${report}`,
);

const wall = new Map<string, number[]>(probes.map((p) => [p.name, []]));
const inProcess = new Map<string, number[]>(probes.map((p) => [p.name, []]));
const instructions = new Map<string, number>();
try {
  for (let i = 0; i < RUNS; i++) {
    for (const p of probes) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, p.args ?? [join(dir, p.file)], {
        cwd: dir,
        encoding: 'utf8',
        env: p.env ?? probeEnv,
      });
      const ms = performance.now() - t0;
      if (r.status !== 0) throw new Error(`${p.name} exited ${r.status}: ${r.stderr}`);
      wall.get(p.name)!.push(ms);
      if (r.stdout) inProcess.get(p.name)!.push(Number(r.stdout));
    }
  }
  if (process.env.INSTRUCTIONS) {
    for (const p of probes) {
      const args = [
        '--tool=callgrind',
        '--callgrind-out-file=/dev/null',
        process.execPath,
        '--predictable',
        ...(p.args ?? [join(dir, p.file)]),
      ];
      const r = spawnSync('valgrind', args, { cwd: dir, encoding: 'utf8', env: p.env ?? probeEnv });
      const collected = /Collected : (\d+)/.exec(r.stderr ?? '');
      if (!collected) throw new Error(`valgrind on ${p.name}: ${r.error?.message ?? r.stderr}`);
      instructions.set(p.name, Number(collected[1]));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const fmt = (xs: number[]) => (xs.length ? median(xs).toFixed(1) : '–');
console.log(
  `\nCold start, median of ${RUNS} fresh processes each (${cpus()[0]?.model ?? 'cpu'}, Node ${process.version})\n`,
);
console.log(
  table(
    probes.map((p) => ({
      probe: p.name,
      'wall ms (median)': fmt(wall.get(p.name)!),
      'wall ms (p90)': percentile(wall.get(p.name)!, 90).toFixed(1),
      'in-process ms (median)': fmt(inProcess.get(p.name)!),
      ...(instructions.size ? { 'instructions (millions)': ((instructions.get(p.name) ?? NaN) / 1e6).toFixed(1) } : {}),
    })),
  ),
);
const ours = median(inProcess.get('ocppkit/v201: import + validate')!);
const base = median(inProcess.get('empty ES module (baseline)')!);
console.log(
  `\nocppkit/v201 import + first validation: ${ours.toFixed(1)} ms after process start (target ≤ 80 ms: ${ours <= 80 ? 'met' : 'NOT met'}); ` +
    `${(ours - base).toFixed(1)} ms more than an empty module.`,
);
if (instructions.size) {
  const extra = instructions.get('ocppkit/v201: import + validate')! - instructions.get('empty ES module (baseline)')!;
  console.log(
    `ocppkit/v201 import + first validation executes ${(extra / 1e6).toFixed(1)} million instructions more than an empty module.`,
  );
}
