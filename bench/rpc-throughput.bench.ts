// CSMS throughput: many stations, each with exactly one CALL in flight (it sends the next as soon as the answer
// arrives). The server runs alone in one process and a raw-ws load generator in another, so each gets a core;
// reported: answered CALLs per second and the server process's CPU time per CALL (user + system).
// Each server is measured in ROUNDS rounds, interleaved with the others (order rotated), and the median round is
// reported, so that a burst of other load on the machine does not decide a row.
// Run: node --import tsx bench/rpc-throughput.bench.ts   (or: make bench B=rpc-throughput). About 2.5 min.
//   env STATIONS (default 500), SECONDS (default 2.5), ROUNDS (default 3), ACTION (Heartbeat | TransactionEvent),
//   KINDS (comma-separated subset of the servers in lib/rpc-contenders.ts)
import { median, table } from './lib/measure.js';
import { spawnChild } from './lib/children.js';
import type { ServerKind } from './lib/rpc-contenders.js';

const STATIONS = Number(process.env.STATIONS ?? 500);
const SECONDS = Number(process.env.SECONDS ?? 2.5);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const ACTIONS = process.env.ACTION ? [process.env.ACTION] : ['Heartbeat', 'TransactionEvent'];
const KINDS = (process.env.KINDS?.split(',') ?? [
  'bare-ws',
  'ocppkit',
  'ocppkit-novalidate',
  'ocpp-rpc-strict',
  'ocpp-rpc',
]) as ServerKind[];

async function measure(kind: ServerKind, action: string) {
  const server = spawnChild('rpc-server-child.ts', [kind]);
  const { port } = await server.next<{ port: number }>('listening');
  const load = spawnChild('rpc-load-child.ts', [String(port), 'load', String(STATIONS), action]);
  await load.next('connected');
  await new Promise((r) => setTimeout(r, 1000)); // warm-up under load
  load.send('count');
  const { answers: a0 } = await load.next<{ answers: number }>('count');
  server.send('cpuStart');
  await server.next('cpuStarted');
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  server.send('cpuStop');
  load.send('count');
  const [cpu, { answers: a1 }] = await Promise.all([
    server.next<{ userUs: number; systemUs: number; wallMs: number }>('cpu'),
    load.next<{ answers: number }>('count'),
  ]);
  const wall = (performance.now() - t0) / 1000;
  await load.kill();
  await server.kill();
  const calls = a1 - a0;
  return {
    calls,
    callsPerSec: calls / wall,
    cpuUsPerCall: (cpu.userUs + cpu.systemUs) / calls,
    cpuShare: (cpu.userUs + cpu.systemUs) / 1000 / cpu.wallMs,
  };
}

type Result = Awaited<ReturnType<typeof measure>>;
const rows: Record<string, string | number>[] = [];
for (const action of ACTIONS) {
  const rounds = new Map<ServerKind, Result[]>(KINDS.map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...KINDS.slice(round % KINDS.length), ...KINDS.slice(0, round % KINDS.length)];
    for (const kind of order) rounds.get(kind)!.push(await measure(kind, action));
  }
  const med = (kind: ServerKind, key: keyof Result) => median(rounds.get(kind)?.map((r) => r[key]) ?? [NaN]);
  for (const kind of KINDS) {
    const callsPerSec = med(kind, 'callsPerSec');
    const cpu = med(kind, 'cpuUsPerCall');
    rows.push({
      message: action,
      server: kind,
      'calls/s': Math.round(callsPerSec),
      'server CPU µs/call': Number(cpu.toFixed(1)),
      'server CPU use': `${Math.round(med(kind, 'cpuShare') * 100)}%`,
      'calls/s vs ocpp-rpc strict': `${(callsPerSec / med('ocpp-rpc-strict', 'callsPerSec')).toFixed(2)}×`,
      'CPU/call: ocpp-rpc strict ÷ this': `${(med('ocpp-rpc-strict', 'cpuUsPerCall') / cpu).toFixed(2)}×`,
    });
  }
}
console.log(
  `CSMS throughput: ${STATIONS} stations, one CALL in flight each; median of ${ROUNDS} interleaved rounds of ${SECONDS} s after 1 s warm-up (Node ${process.version})\n`,
);
console.log(table(rows));
