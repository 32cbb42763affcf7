// The store's two SQLite engines side by side (issue 19: measure node:sqlite against better-sqlite3 before choosing
// a default): the same store and queue code, in one process per Node, each process measuring both engines it can
// load. Node 20 has better-sqlite3 only; on Node 22 and 24 (the LTS binaries `make test` fetches into
// node_modules/.node) better-sqlite3 is compiled once for that Node (bench/lib/better-sqlite3-build.ts).
// Run: make bench B=sqlite-engines   (about 1 min, plus 1–2 min per Node the first time for the compile).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { betterSqlite3For } from './lib/better-sqlite3-build.js';
import { table } from './lib/measure.js';

const root = join(import.meta.dirname, '..');
const lts = join(root, 'node_modules', '.node');
const nodes = [
  process.execPath,
  ...(existsSync(lts)
    ? readdirSync(lts)
        .sort((a, b) => Number(a) - Number(b))
        .map((major) => join(lts, major, 'bin', 'node'))
        .filter(existsSync)
    : []),
];

interface Line {
  node: string;
  engine: string;
  metric?: string;
  value?: number;
  unavailable?: boolean;
}
const lines: Line[] = [];
for (const bin of nodes) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_NO_WARNINGS: '1' };
  if (bin !== process.execPath) env.OCPPKIT_BENCH_BETTER_SQLITE3 = betterSqlite3For(bin);
  const run = (...args: string[]) => {
    const r = spawnSync(
      bin,
      [
        '--expose-gc',
        '--require',
        join(import.meta.dirname, 'lib', 'use-better-sqlite3.cjs'),
        '--import',
        'tsx',
        join(import.meta.dirname, 'lib', 'sqlite-engines-child.ts'),
        ...args,
      ],
      { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 },
    );
    if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')}: the engine bench failed (exit ${r.status})`);
    for (const l of r.stdout.split('\n')) if (l.startsWith('{')) lines.push(JSON.parse(l) as Line);
  };
  run('speed');
  // Memory in a fresh process per engine (see the child).
  run('memory', 'better-sqlite3');
  run('memory', 'node:sqlite');
}

const columns = [
  ...new Set(lines.filter((l) => !l.unavailable).map((l) => `node ${l.node.split('.')[0]} ${l.engine}`)),
];
const metrics = [...new Set(lines.flatMap((l) => (l.metric ? [l.metric] : [])))];
const rows = metrics.map((metric) => {
  const row: Record<string, string | number> = { metric };
  for (const c of columns) {
    const hit = lines.find((l) => l.metric === metric && `node ${l.node.split('.')[0]} ${l.engine}` === c);
    row[c] = hit?.value === undefined ? '' : hit.value;
  }
  return row;
});
console.log(table(rows));
console.log(
  `\nNode versions: ${[...new Set(lines.map((l) => l.node))].join(', ')}; ${process.platform}/${process.arch}`,
);
for (const l of lines.filter(
  (x, i) => x.unavailable && lines.findIndex((y) => y.unavailable && y.node === x.node && y.engine === x.engine) === i,
))
  console.log(`node ${l.node}: ${l.engine} not available`);
