// CSMS throughput: many stations, each with exactly one CALL in flight (it sends the next as soon as the answer
// arrives). The server runs alone in one process and a raw-ws load generator in another, so each gets a core;
// reported: answered CALLs per second and the server process's CPU time per CALL (user + system).
// Run: node --import tsx bench/rpc-throughput.bench.ts   (or: make bench B=rpc-throughput). About 40 s.
//   env STATIONS (default 500), SECONDS (default 4), ACTION (Heartbeat | TransactionEvent; default both)
import { table } from './lib/measure.js';
import { spawnChild } from './lib/children.js';
import type { ServerKind } from './lib/rpc-contenders.js';

const STATIONS = Number(process.env.STATIONS ?? 500);
const SECONDS = Number(process.env.SECONDS ?? 4);
const ACTIONS = process.env.ACTION ? [process.env.ACTION] : ['Heartbeat', 'TransactionEvent'];
const KINDS: ServerKind[] = ['bare-ws', 'ocppkit', 'ocpp-rpc-strict', 'ocpp-rpc'];

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
  const [cpu, { answers: a1 }] = await Promise.all([server.next<{ userUs: number; systemUs: number; wallMs: number }>('cpu'), load.next<{ answers: number }>('count')]);
  const wall = (performance.now() - t0) / 1000;
  await load.kill();
  await server.kill();
  const calls = a1 - a0;
  return { calls, callsPerSec: calls / wall, cpuUsPerCall: (cpu.userUs + cpu.systemUs) / calls, cpuShare: (cpu.userUs + cpu.systemUs) / 1000 / cpu.wallMs };
}

const rows: Record<string, string | number>[] = [];
for (const action of ACTIONS) {
  const results = new Map<ServerKind, Awaited<ReturnType<typeof measure>>>();
  for (const kind of KINDS) results.set(kind, await measure(kind, action));
  const rpc = results.get('ocpp-rpc-strict')!;
  for (const [kind, r] of results) {
    rows.push({
      message: action,
      server: kind,
      'calls/s': Math.round(r.callsPerSec),
      'server CPU µs/call': Number(r.cpuUsPerCall.toFixed(1)),
      'server CPU use': `${Math.round(r.cpuShare * 100)}%`,
      'calls/s vs ocpp-rpc strict': `${(r.callsPerSec / rpc.callsPerSec).toFixed(2)}×`,
      'CPU/call: ocpp-rpc strict ÷ this': `${(rpc.cpuUsPerCall / r.cpuUsPerCall).toFixed(2)}×`,
    });
  }
}
console.log(`CSMS throughput: ${STATIONS} stations, one CALL in flight each, ${SECONDS} s per row after 1 s warm-up (Node ${process.version})\n`);
console.log(table(rows));
