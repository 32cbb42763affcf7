// Where one full station's boot spends its CPU in the use cases: boots N stations (dist/) against the fleet server
// child with every use case's `on` and answers timed, and prints per station the events each use case handled and
// the time it took. usage: node bench/lib/station-boot-events.mjs [N]
import { benchStationOptions, fleetServer } from './bench-station.mjs';
const root = new URL('../..', import.meta.url).pathname;
const { ChargingStation } = await import(`${root}/dist/runtime/station/index.js`);
const blocks = await import(`${root}/dist/runtime/station/blocks.js`);
const N = Number(process.argv[2] ?? 1000);
const time = new Map();
const count = (k, ms) => {
  const e = time.get(k) ?? [0, 0];
  e[0]++;
  e[1] += ms;
  time.set(k, e);
};
const wrapped = new WeakMap();
const wrap = (uc) => {
  if (!uc) return uc;
  if (wrapped.has(uc)) return wrapped.get(uc);
  const w = { ...uc };
  if (uc.on)
    w.on = (s, e, v) => {
      const t = performance.now();
      const r = uc.on(s, e, v);
      count(`on ${e.type.padEnd(20)} ${uc.name}`, performance.now() - t);
      return r;
    };
  if (uc.init)
    w.init = (v, saved) => {
      const t = performance.now();
      const r = uc.init(v, saved);
      count(`init ${uc.name}`, performance.now() - t);
      return r;
    };
  wrapped.set(uc, w);
  return w;
};
for (const list of [blocks.blocks2x, blocks.lastBlocks2x])
  for (let i = 0; i < list.length; i++) {
    const b = list[i];
    list[i] = (ctx) => {
      const t = performance.now();
      const uc = b(ctx);
      count(`build ${uc?.name}`, performance.now() - t);
      return wrap(uc);
    };
  }
const { server, url } = await fleetServer(root, '127.0.0.9', 10);
const boot = (i) =>
  new Promise((resolve) => {
    const station = new ChargingStation(benchStationOptions(`ST${i}`, url, 10));
    station.on('registration', (e) => e.status === 'Accepted' && resolve(station));
    void station.start();
  });
const keep = [await boot(-1)];
time.clear();
const t0 = performance.now();
for (let i = 0; i < N; i += 50)
  keep.push(...(await Promise.all(Array.from({ length: Math.min(50, N - i) }, (_, j) => boot(i + j)))));
const wall = performance.now() - t0;
await new Promise((r) => setTimeout(r, 500));
let total = 0;
for (const [, [, ms]] of time) total += ms;
console.log(
  `${N} boots in ${wall.toFixed(0)} ms (${(wall / N).toFixed(2)} ms each); use cases ${(total / N).toFixed(3)} ms per station`,
);
for (const [k, [c, ms]] of [...time].sort((a, b) => b[1][1] - a[1][1]).slice(0, Number(process.argv[3] ?? 50)))
  console.log(`${((1000 * ms) / N).toFixed(1).padStart(7)} µs ${(c / N).toFixed(1).padStart(5)}x  ${k}`);
for (const s of keep) void s.stop();
server.kill();
process.exit(0);
