// The split of ajv standalone code into per-action chunks and shared chunks (codegen/validators/split.ts), on a
// small schema set compiled here: code used by one action stays in its chunk, code several actions use exists
// once, in the chunk of exactly that set of actions, and the chunks still validate when loaded from disk.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { AJV_OPTIONS } from '../../codegen/validators/compile.js';
import { splitStandalone } from '../../codegen/validators/split.js';

const require = createRequire(import.meta.url);
const standaloneCode = require('ajv/dist/standalone') as (ajv: Ajv, refs: Record<string, string>) => string;

// Evse is used by A and B, Connector by A, B and C (through Evse and directly), Price by C only; Tax is a leaf.
const defs = {
  'urn:t:Connector': {
    type: 'object',
    properties: { id: { type: 'integer' }, kind: { $ref: 'urn:t:Kind' } },
    required: ['id'],
    additionalProperties: false,
  },
  'urn:t:Kind': {
    type: 'object',
    properties: { name: { type: 'string', maxLength: 5 }, evseRef: { $ref: 'urn:t:Connector' } },
  },
  'urn:t:Evse': {
    type: 'object',
    properties: { id: { type: 'integer' }, connector: { $ref: 'urn:t:Connector' } },
    required: ['id'],
    additionalProperties: false,
  },
  'urn:t:Price': {
    type: 'object',
    properties: { amount: { type: 'number' }, at: { type: 'string', format: 'date-time' }, tax: { $ref: 'urn:t:Tax' } },
    required: ['amount'],
  },
  // A leaf (no refs of its own): inlined where used, like the OCA enums.
  'urn:t:Tax': { type: 'string', enum: ['VAT', 'None'] },
};
const roots = {
  ARequest: { type: 'object', properties: { evse: { $ref: 'urn:t:Evse' } }, required: ['evse'] },
  BRequest: { type: 'object', properties: { evse: { $ref: 'urn:t:Evse' }, note: { type: 'string', maxLength: 3 } } },
  CRequest: { type: 'object', properties: { connector: { $ref: 'urn:t:Connector' }, price: { $ref: 'urn:t:Price' } } },
};

const ajv = new Ajv({ ...AJV_OPTIONS, code: { ...AJV_OPTIONS.code, formats: undefined } });
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT/);
for (const [id, s] of Object.entries(defs)) ajv.addSchema({ $id: id, ...s });
for (const [id, s] of Object.entries(roots)) ajv.addSchema({ $id: `urn:t:${id}`, ...s });
const code = standaloneCode(ajv, Object.fromEntries(Object.keys(roots).map((r) => [r, `urn:t:${r}`])));
const { chunks } = splitStandalone({
  code,
  exports: new Map(Object.keys(roots).map((r) => [r, [r.slice(0, 1), 'request'] as [string, string]])),
});

const holding = (fn: string) =>
  [...chunks].filter(([, c]) => new RegExp(`^function ${fn}\\(`, 'm').test(c)).map(([n]) => n);
const fnOf = (id: string) => /function (validate\d+)\(data[^)]*\)\{\/\*# sourceURL="([^"]+)"/g;
const functions = new Map([...code.matchAll(fnOf(''))].map((m) => [m[2]!, m[1]!]));

test('code used by one action stays in its chunk; shared code exists exactly once, in the chunk of its user set', () => {
  const where = (id: string) => holding(functions.get(id)!);
  assert.equal(where('urn:t:ARequest'), ['A']);
  assert.equal(where('urn:t:Price'), ['C']);
  assert.not.ok(functions.has('urn:t:Tax'), 'a leaf definition is inlined, not a function');
  assert.is(where('urn:t:Evse').length, 1);
  assert.is(where('urn:t:Connector').length, 1);
  assert.match(where('urn:t:Evse')[0]!, /^_shared-/); // used by A and B
  assert.match(where('urn:t:Connector')[0]!, /^_shared-/); // used by A, B and C
  assert.is.not(where('urn:t:Evse')[0], where('urn:t:Connector')[0], 'different user sets, different chunks');
});

test('shared chunks never require an action chunk, and no two chunks require each other', () => {
  const requires = new Map(
    [...chunks].map(([n, c]) => [n, [...c.matchAll(/require\("\.\/([^"]+)\.cjs"\)/g)].map((m) => m[1]!)]),
  );
  for (const [n, deps] of requires) {
    if (n.startsWith('_shared-')) for (const d of deps) assert.match(d, /^_shared-/, `${n} requires ${d}`);
    for (const d of deps) assert.not.ok(requires.get(d)?.includes(n), `${n} <-> ${d}`);
  }
});

test('loaded from disk, the chunks validate like the unsplit code, including through the recursive refs', () => {
  // Inside the repository (.tmp/ is ignored), so that the unsplit code finds ajv's runtime in node_modules.
  mkdirSync(join(import.meta.dirname, '../../.tmp'), { recursive: true });
  const dir = mkdtempSync(join(import.meta.dirname, '../../.tmp', 'split-'));
  try {
    for (const [n, c] of chunks) writeFileSync(join(dir, `${n}.cjs`), c);
    writeFileSync(join(dir, 'whole.cjs'), code);
    const whole = require(join(dir, 'whole.cjs')) as Record<string, (d: unknown) => boolean>;
    const cases: Array<[string, unknown]> = [
      ['A', { evse: { id: 1, connector: { id: 2, kind: { name: 'ccs', evseRef: { id: 3 } } } } }],
      ['A', { evse: { id: 1, connector: { id: 2, kind: { name: 'toolong' } } } }],
      ['A', { evse: { connector: { id: 2 } } }],
      ['B', { evse: { id: 1 }, note: 'abcd' }],
      ['B', { note: 'ok' }],
      ['C', { connector: { id: 1, extra: true } }],
      ['C', { price: { amount: 1.5, at: '2025-01-01T00:00:00Z' } }],
      ['C', { price: { amount: 1.5, at: 'soon' } }],
      ['C', { price: { amount: 1.5, tax: 'VAT' } }],
      ['C', { price: { amount: 1.5, tax: 'GST' } }],
    ];
    for (const [chunk, payload] of cases) {
      const split = (require(join(dir, `${chunk}.cjs`)) as { request: (d: unknown) => boolean }).request;
      assert.is(split(payload), whole[`${chunk}Request`]!(payload), `${chunk} ${JSON.stringify(payload)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unexpected statement in the standalone code is an error, not silently dropped code', () => {
  assert.throws(
    () =>
      splitStandalone({
        code: `"use strict";exports.ARequest = validate1;function validate1(d){return true;}console.log("x");`,
        exports: new Map([['ARequest', ['A', 'request']]]),
      }),
    /unexpected top-level statement/,
  );
});

test.run();
