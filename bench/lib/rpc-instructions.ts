// Server user-space instructions per answered CALL, counted by valgrind's callgrind: a number the machine's load
// does not change (unlike calls/s and CPU µs/call of bench/rpc-throughput.bench.ts), for before/after comparisons
// on a shared machine. Kernel time (socket reads and writes) is not counted. Needs valgrind; ~40 s per run.
//   node --import tsx bench/lib/rpc-instructions.ts <kind> [action] [stations] [seconds]
//   kind: a server of rpc-contenders.ts; action: Heartbeat (default) | TransactionEvent
// The server runs under callgrind with `node --predictable` (single-threaded V8, so counts repeat to ~0.1 %) and
// instrumentation off until the load has warmed it up for 8 s; then it counts for `seconds` (default 10).
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [kind = 'ocppkit', action = 'Heartbeat', stations = '50', seconds = '10'] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'rpc-instructions-'));
const out = join(dir, 'callgrind.out');
const valgrindArgs = ['--tool=callgrind', `--callgrind-out-file=${out}`, '--instr-atstart=no'];
const server = spawn(
  'valgrind',
  [
    ...valgrindArgs,
    process.execPath,
    '--predictable',
    '--import',
    'tsx',
    join(import.meta.dirname, 'rpc-instructions-child.ts'),
    kind,
  ],
  {
    stdio: ['ignore', 'pipe', 'ignore'],
  },
);
try {
  let printed = '';
  const port = await new Promise<number>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`server exited (${code}); is valgrind installed?`)));
    server.stdout!.on('data', (d) => {
      printed += d;
      const m = /PORT (\d+)/.exec(printed);
      if (m) resolve(Number(m[1]));
    });
  });
  const load = fork(join(import.meta.dirname, 'rpc-load-child.ts'), [String(port), 'load', stations, action], {
    execArgv: ['--import', 'tsx'],
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type !== type) return;
        load.off('message', on);
        resolve(m as T);
      };
      load.on('message', on);
    });
  await next('connected');
  const answers = async () => (load.send('count'), (await next<{ answers: number }>('count')).answers);
  await new Promise((r) => setTimeout(r, 8000)); // warm-up: the JIT reaches its steady state
  const a0 = await answers();
  execFileSync('callgrind_control', ['--instr=on', String(server.pid)], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
  execFileSync('callgrind_control', ['--instr=off', String(server.pid)], { stdio: 'ignore' });
  const calls = (await answers()) - a0;
  load.send('exit');
  server.kill('SIGINT');
  await new Promise((r) => server.once('exit', r));
  const annotated = execFileSync('callgrind_annotate', [out], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const total = Number(/([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS/.exec(annotated)?.[1]?.replace(/,/g, ''));
  console.log(`${kind} ${action}: ${calls} calls counted, ${Math.round(total / calls)} server instructions per call`);
} finally {
  server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
