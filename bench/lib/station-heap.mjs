// Where the heap of a booted full station goes: boots N stations (dist/, `node scripts/build.mjs` first) against the
// fleet server child, writes heap snapshots before and after (<tmpdir>/ocppkit-before|after.heapsnapshot) and prints
// the difference by (type, name) per station. Run: node --expose-gc bench/lib/station-heap.mjs [N] [rows]
import { benchStationOptions, fleetServer } from './bench-station.mjs';
import { writeHeapSnapshot } from 'node:v8';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
const root = new URL('../..', import.meta.url).pathname;
const { ChargingStation } = await import(`${root}/dist/runtime/station/index.js`);
const N = Number(process.argv[2] ?? 300);
const { server, url } = await fleetServer(root, '127.0.0.9', 10);
const boot = (i) =>
  new Promise((resolve) => {
    const station = new ChargingStation(benchStationOptions(`ST${i}`, url, 10));
    station.on('registration', (e) => e.status === 'Accepted' && resolve(station));
    void station.start();
  });
const keep = [await boot(-1)];
const gc = () => {
  globalThis.gc();
  globalThis.gc();
};
gc();
await new Promise((r) => setTimeout(r, 300));
gc();
const snap = (name) => writeHeapSnapshot(`${tmpdir()}/ocppkit-${name}.heapsnapshot`);
const m0 = process.memoryUsage();
const a = snap('before');
for (let i = 0; i < N; i += 50)
  keep.push(...(await Promise.all(Array.from({ length: Math.min(50, N - i) }, (_, j) => boot(i + j)))));
await new Promise((r) => setTimeout(r, 1500));
gc();
await new Promise((r) => setTimeout(r, 300));
gc();
const m1 = process.memoryUsage();
console.log(
  `heap ${((m1.heapUsed - m0.heapUsed) / N / 1024).toFixed(1)} KB/station, rss ${((m1.rss - m0.rss) / N / 1024).toFixed(1)} KB/station`,
);
const b = snap('after');
function agg(file) {
  const s = JSON.parse(readFileSync(file, 'utf8'));
  const f = s.snapshot.meta.node_fields,
    types = s.snapshot.meta.node_types[0],
    strings = s.strings;
  const w = f.length,
    ti = f.indexOf('type'),
    ni = f.indexOf('name'),
    si = f.indexOf('self_size');
  const m = new Map();
  for (let i = 0; i < s.nodes.length; i += w) {
    const t = types[s.nodes[i + ti]];
    let name = strings[s.nodes[i + ni]];
    if (t === 'string' || t === 'concatenated string' || t === 'sliced string') name = '';
    if (t === 'code') name = name.slice(0, 30);
    const k = `${t}:${name.slice(0, 60)}`;
    const e = m.get(k) ?? [0, 0];
    e[0]++;
    e[1] += s.nodes[i + si];
    m.set(k, e);
  }
  return m;
}
const A = agg(a),
  B = agg(b);
const rows = [];
for (const [k, [c, sz]] of B) {
  const [c0, s0] = A.get(k) ?? [0, 0];
  rows.push([k, (c - c0) / N, (sz - s0) / N]);
}
rows.sort((x, y) => y[2] - x[2]);
let tot = 0;
for (const r of rows) tot += r[2];
console.log(`snapshot diff total ${(tot / 1024).toFixed(1)} KB/station`);
for (const [k, c, sz] of rows.slice(0, Number(process.argv[3] ?? 60)))
  console.log(`${sz.toFixed(0).padStart(7)} B ${c.toFixed(1).padStart(6)}x  ${k}`);
for (const s of keep) void s.stop();
server.kill();
process.exit(0);
