// generated/<v>/enums.ts proves at compile time that each list equals its type in types.ts: a value outside the
// type fails (`satisfies`), and so does a missing one (`EnumsComplete`). Checked by compiling an edited copy.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { typecheck } from './typecheck.js';

const root = resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'ocppkit-enums-'));
const original = readFileSync(join(root, 'generated/v201/enums.ts'), 'utf8');
const list = /export const IdTokenEnumType = \[[^\]]*\]/.exec(original)![0];

function compileWith(edit: (list: string) => string): string[] {
  writeFileSync(join(tmp, 'enums.ts'), original.replace(list, edit(list)));
  return typecheck([join(tmp, 'enums.ts')]);
}

copyFileSync(join(root, 'generated/v201/types.ts'), join(tmp, 'types.ts'));
writeFileSync(join(tmp, 'package.json'), JSON.stringify({ type: 'module' }));

test('the committed lists compile against types.ts', () => {
  assert.equal(
    compileWith((l) => l),
    [],
  );
});

test('a list missing a member of its type does not compile', () => {
  assert.ok(list.includes("'KeyCode',"));
  const errors = compileWith((l) => l.replace("'KeyCode',", ''));
  assert.ok(
    errors.some((e) => /IdTokenEnumType/.test(e) && /not assignable to type 'true'/.test(e)),
    errors.join('\n'),
  );
});

test('a list holding a value outside its type does not compile', () => {
  const errors = compileWith((l) => l.replace("'KeyCode',", "'KeyCode', 'Typo',"));
  assert.ok(
    errors.some((e) => /"Typo"/.test(e)),
    errors.join('\n'),
  );
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
