// Where the memory of one unstarted station goes: builds N of each part and prints the heap and RSS per part.
// Run: node --expose-gc --import tsx bench/lib/station-parts.ts [N]
import { ChargingStation } from '../../runtime/station/index.js';
import { openSqliteStore } from '../../runtime/store/index.js';

const N = Number(process.argv[2] ?? 300);
const gc = globalThis.gc!;
const mem = () => (gc(), gc(), process.memoryUsage());
const options = (i: number) => ({
  identity: `P${i}`,
  csms: { url: 'ws://127.0.0.1:1/ocpp' },
  versions: ['ocpp2.0.1' as const],
  info: { model: 'Bench', vendorName: 'ocppkit' },
  supplyPhases: 3,
  evses: [{ id: 1, maxPower: 22000, connectors: [{ id: 1, type: 'cType2' as const }] }],
  store: { path: ':memory:' },
  variables: { 'SecurityCtrlr.OrganizationName': 'x' },
});
new ChargingStation(options(-1));
const keep: unknown[] = [];
function part(name: string, make: (i: number) => unknown) {
  const a = mem();
  const t = performance.now();
  for (let i = 0; i < N; i++) keep.push(make(i));
  const ms = performance.now() - t;
  const b = mem();
  console.log(
    `${name}: heap ${((b.heapUsed - a.heapUsed) / N / 1024).toFixed(1)} KB, rss ${((b.rss - a.rss) / N / 1024).toFixed(1)} KB, ${(ms / N).toFixed(2)} ms each`,
  );
}
part('sqlite :memory: store', () => openSqliteStore(':memory:'));
part('station (unstarted)', (i) => new ChargingStation(options(i)));
{
  const s = keep.at(-1) as ChargingStation;
  const comps = (
    s.deviceModel as unknown as { components: { variables: Map<string, { attributes: Map<string, unknown> }> }[] }
  ).components;
  let vars = 0;
  let attrs = 0;
  for (const c of comps) for (const v of c.variables.values()) (vars++, (attrs += v.attributes.size));
  console.log(`device model: ${comps.length} components, ${vars} variables, ${attrs} attributes`);
}
