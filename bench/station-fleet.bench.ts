// A fleet in one process: N clients of each kind (bare ws, ocpp-rpc, ocppkit's RPC client, ocppkit's full 2.0.1
// ChargingStation with an in-memory store) connect and boot against a CSMS in another process
// (lib/fleet-server-child.ts); per kind, measured in the client process:
//   - memory per client: RSS and V8 heap used after full GCs, all booted, minus the same before the first one
//     (after the modules were loaded and one warm-up client booted);
//   - time to connect + boot all (every BootNotification accepted), with at most CONCURRENCY boots under way;
//     p50/p99 of one client's time from creation to its accepted boot;
//   - CPU (user + system) per client per minute in steady state: heartbeats every HEARTBEAT_S and MeterValues
//     every METER_S, over WINDOW_S seconds after one interval of settling.
// Each kind talks to its own server process on its own loopback address (127.0.0.2, .3, …), so that the sockets
// one kind leaves in TIME_WAIT never take the ports the next kind needs.
// Run: node --expose-gc --import tsx bench/station-fleet.bench.ts   (or: make bench B=station-fleet); needs
// `ulimit -n` above STATIONS + 50 (19,900 fits the default hard limit of 20,000 here).
//   env STATIONS (default 19900), KINDS (comma-separated), CONCURRENCY (default 500), HEARTBEAT_S (10),
//   METER_S (10), WINDOW_S (30), PROFILE=1 (writes a CPU profile of the client process to <tmpdir>/ocppkit-fleet-profiles/),
//   NO_BUILD=1 (use dist/ as it is instead of building it first), TRACE_GC=1 (--trace-gc in the client process),
//   CLIENT_NODE_ARGS (more node flags for the client process)
import { spawnChild } from './lib/children.js';
import { percentile, table } from './lib/measure.js';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STATIONS = Number(process.env.STATIONS ?? 19_900);
const KINDS = process.env.KINDS?.split(',') ?? ['bare-ws', 'ocpp-rpc', 'ocppkit-rpc', 'ocppkit-station'];
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 500);
const HEARTBEAT_S = Number(process.env.HEARTBEAT_S ?? 10);
const METER_S = Number(process.env.METER_S ?? 10);
const WINDOW_S = Number(process.env.WINDOW_S ?? 30);

// The clients run on the built package (lib/fleet-client-child.mjs says why); NO_BUILD=1 uses dist/ as it is.
if (!process.env.NO_BUILD) {
  console.error('building dist/ (scripts/build.mjs) …');
  const root = join(import.meta.dirname, '..');
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
}

type Mem = { rss: number; heapUsed: number; external: number };
type Booted = { totalMs: number; bootMs: number[]; failed: number; retries?: number };
type Cpu = { userUs: number; systemUs: number; wallMs: number };

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(kind: string, host: string) {
  const server = spawnChild('fleet-server-child.ts', [host, String(HEARTBEAT_S)]);
  const { port } = await server.next<{ port: number }>('listening');
  const profile = [
    ...(process.env.PROFILE ? ['--cpu-prof', '--cpu-prof-dir', join(tmpdir(), 'ocppkit-fleet-profiles')] : []),
    // One line per GC of the client process on its stdout (how often full GCs mark the growing heap).
    ...(process.env.TRACE_GC ? ['--trace-gc'] : []),
    // V8 flags for the client process, e.g. CLIENT_NODE_ARGS=--max-semi-space-size=64.
    ...(process.env.CLIENT_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
  ];
  const url = `ws://${host}:${port}/ocpp`;
  const args = [kind, url, String(STATIONS), String(CONCURRENCY), String(METER_S), String(HEARTBEAT_S)];
  const client = spawnChild('fleet-client-child.mjs', args, profile);
  try {
    await client.next('ready');
    client.send('memory');
    const before = await client.next<Mem>('memory');
    const load = loadavg();
    server.send('cpu');
    const serverCpu0 = await server.next<{ us: number }>('cpu');
    client.send('boot');
    const booted = await client.next<Booted>('booted', 1_800_000);
    server.send('cpu');
    const serverCpu1 = await server.next<{ us: number }>('cpu');
    await sleep(1000);
    client.send('memory');
    const after = await client.next<Mem>('memory');
    await sleep(Math.max(HEARTBEAT_S, METER_S) * 1000); // every client into its steady rhythm
    client.send('cpuStart');
    await client.next('cpuStarted');
    await sleep(WINDOW_S * 1000);
    client.send('cpuStop');
    const cpu = await client.next<Cpu>('cpu');
    server.send('count');
    const counted = await server.next<{ connected: number; boots: number; calls: number }>('count');
    const n = booted.bootMs.length;
    return {
      kind,
      n,
      failed: booted.failed,
      retries: booted.retries,
      connectedAtServer: counted.connected,
      rssKb: (after.rss - before.rss) / n / 1024,
      heapKb: (after.heapUsed - before.heapUsed) / n / 1024,
      bootS: booted.totalMs / 1000,
      // The CSMS child's CPU while the clients connected and booted: its share of the 2 cores.
      csmsBootCpuS: (serverCpu1.us - serverCpu0.us) / 1e6,
      p50: percentile(booted.bootMs, 50),
      p99: percentile(booted.bootMs, 99),
      cpuMsPerMin: ((cpu.userUs + cpu.systemUs) / 1000 / n) * (60_000 / cpu.wallMs),
      load,
    };
  } finally {
    await client.kill();
    await server.kill();
  }
}

const rows: Record<string, string | number>[] = [];
for (const [i, kind] of KINDS.entries()) {
  const r = await measure(kind, `127.0.0.${2 + i}`);
  console.error(`${kind}: ${JSON.stringify(r)}`);
  rows.push({
    kind: r.kind,
    booted: `${r.n}${r.failed ? ` (${r.failed} failed)` : ''}${r.retries ? ` (${r.retries} connect retries)` : ''}`,
    'RSS KB/client': Number(r.rssKb.toFixed(1)),
    'heap KB/client': Number(r.heapKb.toFixed(1)),
    'connect + boot all, s': Number(r.bootS.toFixed(1)),
    'CSMS CPU during boot, s': Number(r.csmsBootCpuS.toFixed(1)),
    'boot p50 ms': Math.round(r.p50),
    'boot p99 ms': Math.round(r.p99),
    'CPU ms/client/min': Number(r.cpuMsPerMin.toFixed(2)),
    'load before': r.load ?? '',
  });
}
console.log(
  `\n${STATIONS} clients per kind, ${CONCURRENCY} boots at a time; heartbeat ${HEARTBEAT_S} s, MeterValues ${METER_S} s, CPU over ${WINDOW_S} s (Node ${process.version})\n`,
);
console.log(table(rows));
