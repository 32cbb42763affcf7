// Memory per idle connected station on the CSMS: 10,000 stations connect (from a separate process) and stay
// silent — once right after connecting, once after each sent one BootNotification (so that per-session state
// created by the first CALL is counted too); the server process's memory after full GCs, before and after,
// divided by the station count.
// "JS" = V8 heap used + external memory (Buffers); "RSS" = resident set size (includes native allocations such as
// sockets' libuv handles and the HTTP parser left after the upgrade). Client memory is not in either.
// Run: node --import tsx bench/rpc-memory.bench.ts   (or: make bench B=rpc-memory). About 1–2 min; needs
// `ulimit -n` above STATIONS + 100 in both processes.
//   env STATIONS (default 10000)
import { table } from './lib/measure.js';
import { spawnChild } from './lib/children.js';
import type { ServerKind } from './lib/rpc-contenders.js';

const STATIONS = Number(process.env.STATIONS ?? 10_000);
const KINDS: ServerKind[] = ['bare-ws', 'ocppkit', 'ocpp-rpc-strict'];

type Mem = {
  stations: number;
  rss: number;
  heapUsed: number;
  external: number;
};

async function measure(kind: ServerKind, mode: 'idle' | 'boot') {
  const server = spawnChild('rpc-server-child.ts', [kind]);
  const { port } = await server.next<{ port: number }>('listening');
  server.send('memory');
  const before = await server.next<Mem>('memory');
  const clients = spawnChild('rpc-load-child.ts', [String(port), mode, String(STATIONS)]);
  await clients.next('connected', 300_000);
  await new Promise((r) => setTimeout(r, 2000)); // let the last handshakes settle
  server.send('memory');
  const after = await server.next<Mem>('memory');
  await clients.kill();
  await server.kill();
  if (after.stations !== STATIONS) throw new Error(`${kind}: ${after.stations} of ${STATIONS} stations connected`);
  const js = (m: Mem) => m.heapUsed + m.external;
  return {
    jsPerStation: (js(after) - js(before)) / STATIONS,
    rssPerStation: (after.rss - before.rss) / STATIONS,
  };
}

const rows: Record<string, string | number>[] = [];
for (const mode of ['idle', 'boot'] as const) {
  const results = new Map<ServerKind, Awaited<ReturnType<typeof measure>>>();
  for (const kind of KINDS) results.set(kind, await measure(kind, mode));
  const bare = results.get('bare-ws')!;
  for (const [kind, r] of results) {
    rows.push({
      stations: mode === 'idle' ? 'connected, silent' : 'after one BootNotification each',
      server: kind,
      'JS heap + external, KB/station': Number((r.jsPerStation / 1024).toFixed(2)),
      'RSS, KB/station': Number((r.rssPerStation / 1024).toFixed(2)),
      'JS above bare ws, KB/station': Number(((r.jsPerStation - bare.jsPerStation) / 1024).toFixed(2)),
    });
  }
}
console.log(
  `Memory per idle connected station: ${STATIONS} stations, server process only, after full GCs (Node ${process.version})\n`,
);
console.log(table(rows));
