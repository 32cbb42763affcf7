// Child process of the RPC throughput and memory benchmarks: runs one CSMS server kind (rpc-contenders.ts) and
// answers the parent over IPC, so that the numbers it reports are the server process's alone.
//   → { type: 'listening', port }
//   ← 'cpuStart' → { type: 'cpuStarted' }      ← 'cpuStop' → { type: 'cpu', userUs, systemUs, wallMs }
//   ← 'memory'   → { type: 'memory', stations, rss, heapUsed, external, arrayBuffers } (after two full GCs)
import { startServer, type ServerKind } from './rpc-contenders.js';

const kind = process.argv[2] as ServerKind;
const server = await startServer(kind);
let cpu0 = process.cpuUsage();
let t0 = performance.now();

function fullGc(): void {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  gc();
}

process.on('message', async (msg: string) => {
  if (msg === 'cpuStart') {
    cpu0 = process.cpuUsage();
    t0 = performance.now();
    process.send!({ type: 'cpuStarted' });
  } else if (msg === 'cpuStop') {
    const d = process.cpuUsage(cpu0);
    process.send!({ type: 'cpu', userUs: d.user, systemUs: d.system, wallMs: performance.now() - t0 });
  } else if (msg === 'memory') {
    fullGc();
    await new Promise((r) => setTimeout(r, 200));
    fullGc();
    const m = process.memoryUsage();
    process.send!({
      type: 'memory',
      stations: server.stations(),
      rss: m.rss,
      heapUsed: m.heapUsed,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
    });
  } else if (msg === 'exit') {
    await server.close();
    process.exit(0);
  }
});
process.send!({ type: 'listening', port: server.port });
