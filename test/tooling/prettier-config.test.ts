// One style for the whole tree: the hand-written code is formatted with .prettierrc.json (`make lint` checks it in
// CI), the generated code with codegen/format.ts's options. They must be the same options.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PRETTIER_OPTIONS } from '../../codegen/format.js';

test('.prettierrc.json and the generator format with the same options', () => {
  const config = JSON.parse(readFileSync(join(import.meta.dirname, '../../.prettierrc.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const { parser: _parser, ...generator } = PRETTIER_OPTIONS;
  assert.equal(config, generator);
});

test.run();
