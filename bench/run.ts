// make bench [B=name]: runs bench/*.bench.ts (or those whose name contains B), one process each, one after the
// other, so that benchmarks never compete with each other for the 2 cores. Each bench prints its own table.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const filter = process.argv[2];
const benches = readdirSync(dir)
  .filter((n) => n.endsWith('.bench.ts') && (!filter || n.includes(filter)))
  .sort();
if (benches.length === 0) {
  console.error(filter ? `no bench matches "${filter}"` : 'no benches in bench/');
  process.exit(2);
}
let failed = 0;
for (const name of benches) {
  console.log(`\n=== ${name}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(dir, name)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
