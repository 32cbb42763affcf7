#!/usr/bin/env node
// Builds dist/: tsc for the TypeScript sources, then copies the files tsc does not emit — the precompiled
// ajv validators (generated/*/**.js, plain JavaScript that must stay byte-for-byte what the generator wrote)
// and their declaration files.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
for (const file of walk(join(root, 'generated'))) {
  if (!/\.(c?js|d\.ts|d\.cts)$/.test(file)) continue;
  const out = join(root, 'dist', relative(root, file));
  mkdirSync(dirname(out), { recursive: true });
  copyFileSync(file, out);
}
for (const bin of ['dist/runtime/cli/main.js', 'dist/codegen/cli.js']) {
  const p = join(root, bin);
  if (existsSync(p)) chmodSync(p, 0o755);
}
