// The block registration (runtime/station/blocks.ts): what the blocks declare in core/registry.ts reaches a package
// consumer only through blocks.ts's side-effect imports (kept in the .d.ts), so every declaring module is listed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const station = join(import.meta.dirname, '../../runtime/station');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every module that declares events, queries or hardware operations is imported for its side effect by blocks.ts', () => {
  const declaring = files(station)
    .filter((f) => /^declare module '/m.test(readFileSync(f, 'utf8')))
    .map((f) => `./${relative(station, f).replace(/\.ts$/, '.js')}`)
    .sort();
  const blocks = readFileSync(join(station, 'blocks.ts'), 'utf8');
  const imported = [...blocks.matchAll(/^import '([^']+)';$/gm)].map((m) => m[1]).sort();
  assert.ok(declaring.length >= 8, `found ${declaring.length} declaring modules`);
  assert.equal(imported, declaring);
});

test.run();
