// The schema drift report on small hand-made schema sets: content is compared after parsing, each kind of change
// is reported as such, and identification (`id`/`$id`) is kept apart from content.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffSchemaSets, type SchemaChange } from '../../codegen/drift/schema-diff.js';
import { digestSchemaDir } from '../../codegen/drift/schema-digest.js';
import { renderSchemaReport } from '../../codegen/drift/report-text.js';

const base = {
  $schema: 'http://json-schema.org/draft-06/schema#',
  $id: 'urn:OCPP:Cp:2:2020:3:ThingRequest',
  comment: 'licence text',
  definitions: {
    ModeEnumType: { javaType: 'ModeEnum', type: 'string', additionalProperties: false, enum: ['Fast', 'Slow'] },
    PartType: {
      type: 'object',
      additionalProperties: false,
      properties: { name: { type: 'string', maxLength: 20 }, mode: { $ref: '#/definitions/ModeEnumType' } },
      required: ['name'],
    },
  },
  type: 'object',
  additionalProperties: false,
  properties: {
    when: { type: 'string', format: 'date-time', description: 'Time.' },
    parts: { type: 'array', minItems: 1, items: { $ref: '#/definitions/PartType' } },
    limit: { type: 'number', minimum: 0 },
  },
  required: ['when'],
};

type Schema = Record<string, unknown>;
const clone = (): Schema => JSON.parse(JSON.stringify(base)) as Schema;

function setOf(files: Record<string, { schema: Schema; text?: (s: Schema) => string }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-drift-'));
  for (const [name, f] of Object.entries(files))
    writeFileSync(join(dir, name), f.text ? f.text(f.schema) : JSON.stringify(f.schema, null, 2));
  return dir;
}

const dirs: string[] = [];
function compare(a: Schema, b: Schema, textB?: (s: Schema) => string): SchemaChange[] {
  const da = setOf({ 'ThingRequest.json': { schema: a }, 'ThingResponse.json': { schema: { type: 'object' } } });
  const db = setOf({
    'ThingRequest.json': { schema: b, ...(textB ? { text: textB } : {}) },
    'ThingResponse.json': { schema: { type: 'object' } },
  });
  dirs.push(da, db);
  return diffSchemaSets(digestSchemaDir(da), digestSchemaDir(db));
}

test.after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test('re-indentation, CRLF line endings, key order and a BOM are not differences', () => {
  const reordered = (s: Schema) =>
    `\uFEFF${JSON.stringify(Object.fromEntries(Object.entries(s).reverse()), null, '\t').replace(/\n/g, '\r\n')}`;
  assert.equal(compare(clone(), clone(), reordered), []);
});

test('enum values are compared as sets: reordering is no change, an added value is reported as added', () => {
  const b = clone();
  (b.definitions as any).ModeEnumType.enum = ['Slow', 'Fast'];
  assert.equal(compare(clone(), b), []);
  (b.definitions as any).ModeEnumType.enum = ['Slow', 'Fast', 'Eco'];
  assert.equal(compare(clone(), b), [
    {
      kind: 'field-changed',
      action: 'Thing',
      message: 'request',
      path: 'parts[].mode',
      keyword: 'enum',
      added: ['Eco'],
      removed: [],
    },
  ]);
});

test('type, required, maxLength, format, minItems and minimum changes are reported per field path, through $ref', () => {
  const b = clone();
  const defs = b.definitions as any;
  const props = b.properties as any;
  defs.PartType.properties.name.maxLength = 25;
  defs.PartType.required = [];
  props.when.format = 'date';
  props.parts.minItems = 2;
  props.limit.type = 'integer';
  delete props.limit.minimum;
  assert.equal(compare(clone(), b), [
    {
      kind: 'field-changed',
      action: 'Thing',
      message: 'request',
      path: 'when',
      keyword: 'format',
      from: 'date-time',
      to: 'date',
    },
    { kind: 'field-changed', action: 'Thing', message: 'request', path: 'parts', keyword: 'minItems', from: 1, to: 2 },
    {
      kind: 'field-changed',
      action: 'Thing',
      message: 'request',
      path: 'parts[].name',
      keyword: 'maxLength',
      from: 20,
      to: 25,
    },
    {
      kind: 'field-changed',
      action: 'Thing',
      message: 'request',
      path: 'parts[].name',
      keyword: 'required',
      from: true,
      to: false,
    },
    {
      kind: 'field-changed',
      action: 'Thing',
      message: 'request',
      path: 'limit',
      keyword: 'type',
      from: 'number',
      to: 'integer',
    },
    { kind: 'field-changed', action: 'Thing', message: 'request', path: 'limit', keyword: 'minimum', from: 0 },
  ]);
});

test('an added object field is one change that counts its nested fields; a removed field likewise', () => {
  const b = clone();
  const props = b.properties as any;
  props.extra = { $ref: '#/definitions/PartType' };
  delete props.limit;
  const changes = compare(clone(), b);
  assert.equal(changes, [
    {
      kind: 'field-removed',
      action: 'Thing',
      message: 'request',
      path: 'limit',
      field: { type: 'number', minimum: 0, required: false },
      nested: 0,
    },
    {
      kind: 'field-added',
      action: 'Thing',
      message: 'request',
      path: 'extra',
      field: { type: 'object', additionalProperties: false, required: false },
      nested: 2,
    },
  ]);
  assert.match(renderSchemaReport(changes, 'A', 'B'), 'extra: field added (object, optional, with 2 nested fields)');
});

test('a missing $id is an identification change, not a content change; a changed description is reported as such', () => {
  const b = clone();
  delete b.$id;
  (b.properties as any).when.description = 'Another text.';
  const changes = compare(clone(), b);
  assert.equal(changes, [
    {
      kind: 'meta-changed',
      action: 'Thing',
      message: 'request',
      file: 'ThingRequest.json',
      key: '$id',
      from: 'urn:OCPP:Cp:2:2020:3:ThingRequest',
    },
    { kind: 'annotations-changed', action: 'Thing', message: 'request' },
  ]);
  const text = renderSchemaReport(changes, 'A', 'B');
  assert.match(text, '1 content change, 1 identification change');
  assert.match(text, '$id removed from 1 message: ThingRequest');
});

test('actions and messages added or removed; a file that is not JSON is reported as unreadable, not thrown', () => {
  const a = setOf({
    'OldRequest.json': { schema: clone() },
    'OldResponse.json': { schema: clone() },
    'KeepRequest.json': { schema: clone() },
  });
  const b = setOf({
    'NewRequest.json': { schema: clone() },
    'KeepRequest.json': { schema: clone() },
    'KeepResponse.json': { schema: clone() },
    'BrokenRequest.json': { schema: {}, text: () => '{ not json' },
  });
  dirs.push(a, b);
  const changes = diffSchemaSets(digestSchemaDir(a), digestSchemaDir(b));
  assert.equal(changes.find((c) => c.kind === 'unreadable')?.kind, 'unreadable');
  assert.equal(
    changes.filter((c) => c.kind !== 'unreadable'),
    [
      { kind: 'message-added', action: 'Keep', message: 'response' },
      { kind: 'action-added', action: 'New' },
      { kind: 'action-removed', action: 'Old' },
    ],
  );
});

test('1.6 file names (X.json / XResponse.json) map to request and response of action X', () => {
  const a = setOf({
    'Heartbeat.json': { schema: { type: 'object' } },
    'HeartbeatResponse.json': { schema: { type: 'object', properties: { currentTime: { type: 'string' } } } },
  });
  mkdirSync(join(a, 'sub'));
  dirs.push(a);
  const d = digestSchemaDir(a);
  assert.equal(Object.keys(d.actions), ['Heartbeat']);
  assert.ok(d.actions.Heartbeat?.request && d.actions.Heartbeat.response);
});

test.run();
