// @serial
// @timeout 600
// Issue 19: the package as an integrator installs it. Built and packed like a release, then unpacked into a fresh
// project whose node_modules holds ocppkit's dependencies only (symlinked from ours: no registry, no install
// scripts), so that what the package needs and does not declare shows up as a failure here:
// - every source map in the tarball resolves to a file in the tarball;
// - the installed ocppkit-codegen names the tools it needs in one install command, and with them regenerates
//   exactly the repository's generated/ (prettier optional for gen);
// - better-sqlite3 is an optional peer: without it ocppkit, ocppkit/station and ocppkit/csms load, opening a store
//   says what to install, and `ocppkit station` exits 1 with that line;
// - allowScripts declares every dependency with an install script.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CODEGEN_TOOLS } from '../../codegen/tools.js';
import { nodeSqliteAvailable } from '../../runtime/store/index.js';

const root = resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);
// Outside the repository: from inside it, Node would find our own node_modules above the project.
const work = mkdtempSync(join(tmpdir(), 'ocppkit-package-'));
const project = join(work, 'project');
const installed = join(project, 'node_modules', 'ocppkit');
const specDir = resolve(root, process.env.OCPP_SPEC_DIR ?? '../shared/ocpp-spec');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  allowScripts: Record<string, boolean>;
};

async function sh(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return exec(cmd, args, { cwd, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } })
    .then((r) => ({ code: 0, out: r.stdout + r.stderr }))
    .catch((e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: `${e.stdout}${e.stderr}` }));
}

/** Makes `name` (a package of ours) resolvable from the project, as npm would have installed it. */
function provide(name: string): void {
  const link = join(project, 'node_modules', name);
  if (existsSync(link)) return;
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(join(root, 'node_modules', name), link, 'dir');
}

const codegen = (args: string[]) => sh(process.execPath, [join(installed, 'dist/codegen/cli.js'), ...args], project);

let files: string[] = [];

test('built and packed: every source map in the tarball resolves to a source in the tarball', async () => {
  const build = await sh(process.execPath, [join(root, 'scripts/build.mjs')], root);
  assert.is(build.code, 0, build.out);
  const pack = await sh('npm', ['pack', '--pack-destination', work, '--silent'], root);
  assert.is(pack.code, 0, pack.out);
  const tarball = readdirSync(work).find((n) => n.endsWith('.tgz'));
  assert.ok(tarball, pack.out);
  mkdirSync(installed, { recursive: true });
  const untar = await sh('tar', ['-xzf', join(work, tarball!), '-C', installed, '--strip-components=1'], work);
  assert.is(untar.code, 0, untar.out);
  const list = await sh('tar', ['-tzf', join(work, tarball!)], work);
  files = list.out
    .trim()
    .split('\n')
    .map((f) => f.replace(/^package\//, ''));
  const inTarball = new Set(files);
  const maps = files.filter((f) => f.endsWith('.map'));
  assert.ok(maps.length > 100, `${maps.length} maps`);
  const unresolved: string[] = [];
  for (const map of maps) {
    const m = JSON.parse(readFileSync(join(installed, map), 'utf8')) as { sources: string[]; sourceRoot?: string };
    for (const source of m.sources) {
      const path = posix.join(posix.dirname(map), m.sourceRoot ?? '', source);
      if (!inTarball.has(path)) unresolved.push(`${map} → ${path}`);
    }
  }
  assert.equal(unresolved.slice(0, 5), [], `${unresolved.length} sources missing`);
  // The dependencies npm would install with it, and nothing else.
  for (const name of Object.keys(pkg.dependencies)) provide(name);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
});

test('a strict consumer of the installed CsmsServer: one handler for 2.0.1 and 2.1, a catch-all, per-version stations and is() type-check without skipLibCheck', async () => {
  provide('@types/node'); // what npm hoists as a dependency of @types/ws
  writeFileSync(
    join(project, 'csms.ts'),
    `import { CsmsServer } from 'ocppkit';
import { protocol as v201 } from 'ocppkit/v201';
import { protocol as v21 } from 'ocppkit/v21';

const csms = new CsmsServer({ protocols: [v201, v21] });
csms.handle('BootNotification', (call) => ({
  currentTime: new Date().toISOString(),
  interval: call.protocol === 'ocpp2.1' ? 60 : 300,
  status: 'Accepted',
}));
csms.handleOther(({ action, protocol }) => {
  throw new Error(\`\${protocol} \${action}: not handled\`);
});
csms.onStation('ocpp2.1', (session) => void session.call('GetPeriodicEventStream', {}));
csms.on('station', (session) => {
  if (session.is('ocpp2.0.1')) void session.call('Reset', { type: 'OnIdle' });
});
csms.on('station', (session) => {
  // @ts-expect-error not narrowed to one version (TS2349): the types are real, not any
  void session.call('Reset', { type: 'OnIdle' });
});
export default csms;
`,
  );
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const strict = ['--strict', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022'];
  const check = await sh(process.execPath, [tsc, ...strict, '--noEmit', 'csms.ts'], project);
  assert.is(check.code, 0, `tsc --strict on the consumer:\n${check.out}`);
});

test('the declared peers: better-sqlite3 and the codegen tools are optional peers, not dependencies', () => {
  for (const name of ['better-sqlite3', ...Object.keys(CODEGEN_TOOLS)]) {
    assert.not.ok(name in pkg.dependencies, `${name} must not be a dependency`);
    assert.is(pkg.peerDependenciesMeta[name]?.optional, true, `${name} is an optional peer`);
    assert.ok(name in pkg.devDependencies, `${name} is installed for the repository itself`);
  }
  for (const [name, range] of Object.entries(CODEGEN_TOOLS)) assert.is(pkg.peerDependencies[name], range, name);
  assert.not.ok(existsSync(join(project, 'node_modules/better-sqlite3')));
});

test('allowScripts decides every dependency that has an install script (npm 11.16+ warns otherwise, npm 12 blocks)', () => {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { hasInstallScript?: boolean }>;
  };
  const withScripts = Object.entries(lock.packages)
    .filter(([, p]) => p.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  assert.ok(withScripts.includes('better-sqlite3'), withScripts.join());
  for (const name of withScripts)
    assert.type(pkg.allowScripts[name], 'boolean', `allowScripts has no entry for ${name}`);
  assert.is(pkg.allowScripts['better-sqlite3'], true);
});

test('without better-sqlite3: ocppkit, ocppkit/station and ocppkit/csms load; opening a store names what to install', async () => {
  writeFileSync(
    join(project, 'no-sqlite.mjs'),
    `import { openSqliteStore, StoreError } from 'ocppkit';
await import('ocppkit/station');
await import('ocppkit/csms');
try {
  openSqliteStore(':memory:');
  console.log(JSON.stringify({ opened: true }));
} catch (e) {
  console.log(JSON.stringify({ storeError: e instanceof StoreError, code: e.code, message: e.message }));
}
`,
  );
  const r = await sh(process.execPath, ['no-sqlite.mjs'], project);
  assert.is(r.code, 0, r.out);
  const result = JSON.parse(r.out.trim()) as { storeError: boolean; code: string; message: string };
  assert.is(result.storeError, true, r.out);
  assert.is(result.code, 'DRIVER_MISSING');
  assert.match(result.message, /npm install better-sqlite3@12/);

  const station = await sh(
    process.execPath,
    [join(installed, 'dist/runtime/cli/main.js'), 'station', '--csms', 'ws://127.0.0.1:9', '--id', 'CS-1'],
    project,
  );
  assert.is(station.code, 1, station.out);
  assert.match(station.out, /^ocppkit station: the SQLite store needs better-sqlite3.*npm install better-sqlite3@12/m);
  assert.not.match(station.out, /\n\s+at /, 'one line, no stack');
  assert.not.ok(existsSync(join(project, 'CS-1.db')), 'no store file was created');
  // The engine that needs no native module, where this Node has it; here (Node 20) the refusal names the version.
  const builtin = await sh(
    process.execPath,
    [
      join(installed, 'dist/runtime/cli/main.js'),
      'station',
      '--csms',
      'ws://127.0.0.1:9',
      '--id',
      'CS-1',
      '--db-engine',
      'node:sqlite',
      '--connect-timeout',
      '1',
    ],
    project,
  );
  if (nodeSqliteAvailable()) assert.not.match(builtin.out, /DRIVER_MISSING|needs Node/, builtin.out);
  else {
    assert.is(builtin.code, 1, builtin.out);
    assert.match(builtin.out, /^ocppkit station: engine "node:sqlite" needs Node ≥ 22\.13/m);
  }
});

test('with better-sqlite3 installed next to it, the store opens', async () => {
  provide('better-sqlite3');
  writeFileSync(
    join(project, 'sqlite.mjs'),
    `import { openSqliteStore } from 'ocppkit';
const store = openSqliteStore(':memory:');
store.put('ns', 'k', { v: 1 });
console.log(JSON.stringify(store.get('ns', 'k')));
store.close();
`,
  );
  const r = await sh(process.execPath, ['sqlite.mjs'], project);
  assert.is(r.code, 0, r.out);
  assert.equal(JSON.parse(r.out.trim()), { v: 1 });
});

test('the installed ocppkit-codegen without its tools: exit 1 and one install command naming them', async () => {
  const gen = await codegen(['gen', '--spec', specDir, '--out', join(work, 'gen-none')]);
  assert.is(gen.code, 1, gen.out);
  assert.match(gen.out, /needs typescript, handlebars, ajv-draft-04, which ocppkit does not install for everyone/);
  assert.match(
    gen.out,
    /npm install --save-dev typescript@'>=5\.0\.0 <7' handlebars@'\^4\.7\.0' ajv-draft-04@'\^1\.0\.0'/,
  );
  assert.not.match(gen.out, /prettier/, 'gen does not need prettier');
  assert.not.match(gen.out, /\n\s+at /, 'no stack trace');
  const check = await codegen(['check', '--spec', specDir, '--against', join(root, 'generated')]);
  assert.is(check.code, 1, check.out);
  assert.match(check.out, /needs typescript, handlebars, ajv-draft-04, prettier/);
  const help = await codegen(['--help']);
  assert.is(help.code, 0, help.out);
});

// Regenerating needs the OCA files (OCPP_SPEC_DIR); without them the two tests below are not registered, and the
// runner counts what is registered.
if (existsSync(join(specDir, 'schemas'))) {
  test('the installed ocppkit-codegen with typescript, handlebars and ajv-draft-04 but no prettier: gen writes unformatted files and says how to format', async () => {
    for (const name of ['typescript', 'handlebars', 'ajv-draft-04']) provide(name);
    const out = join(work, 'gen-unformatted');
    const gen = await codegen(['gen', '--spec', specDir, '--out', out]);
    assert.is(gen.code, 0, gen.out);
    assert.match(gen.out, /wrote \d+ files/);
    assert.match(gen.out, /prettier is not installed.*npm install --save-dev prettier@'\^3\.0\.0'/);
    const ours = readFileSync(join(root, 'generated/v201/index.ts'), 'utf8');
    const theirs = readFileSync(join(out, 'v201/index.ts'), 'utf8');
    assert.is.not(theirs, ours, 'not formatted');
    assert.is(theirs.split('\n')[0], ours.split('\n')[0], 'the same header');
  });

  test('the installed ocppkit-codegen with prettier too: check finds the repository generated/ exactly what it writes', async () => {
    provide('prettier');
    const check = await codegen(['check', '--spec', specDir, '--against', join(root, 'generated')]);
    assert.is(check.code, 0, check.out);
  });
}

test.after(() => rmSync(work, { recursive: true, force: true }));
test.run();
