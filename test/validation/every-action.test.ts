// @requires-spec
// Every action of every version: samples built from the OCA schema files must pass, and every invalid variant the
// schema makes possible (missing required field, wrong type, string over maxLength, unknown enum value, extra
// property, impossible date-time, a payload that is not an object) must fail with the CallError code of that
// version and a message naming the field. Each verdict is cross-checked against validators that share no code
// with the generator (ocpp-rpc for 1.6 and 2.0.1; plain ajv on the raw OCA files for all three).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as v16 from '../../generated/v16/index.js';
import * as v201 from '../../generated/v201/index.js';
import * as v21 from '../../generated/v21/index.js';
import { ocppRpcVerdict, plainAjvVerdict } from '../support/independent-validators.js';
import { type Json, SampleBuilder } from '../support/sample-builder.js';

const specDir = resolve(process.env.OCPP_SPEC_DIR ?? '../shared/ocpp-spec');

/** What each broken keyword must be answered with (docs/validation.md), per version family. */
const EXPECTED: Record<'1.6' | '2.x', Record<string, string>> = {
  '1.6': {
    type: 'TypeConstraintViolation',
    required: 'OccurenceConstraintViolation',
    maxLength: 'PropertyConstraintViolation',
    enum: 'PropertyConstraintViolation',
    format: 'PropertyConstraintViolation',
    additionalProperties: 'FormationViolation',
    $root: 'FormationViolation',
  },
  '2.x': {
    type: 'TypeConstraintViolation',
    required: 'OccurrenceConstraintViolation',
    maxLength: 'PropertyConstraintViolation',
    enum: 'PropertyConstraintViolation',
    format: 'PropertyConstraintViolation',
    additionalProperties: 'FormatViolation',
    $root: 'FormatViolation',
  },
};

type Version = {
  name: string;
  folder: string;
  family: '1.6' | '2.x';
  module: typeof v201 | typeof v16 | typeof v21;
  file: (action: string, kind: 'request' | 'response', send: boolean) => string;
};

const versions: Version[] = [
  {
    name: 'ocpp1.6',
    folder: 'schemas/ocpp1.6',
    family: '1.6',
    module: v16,
    file: (a, k) => (k === 'request' ? `${a}.json` : `${a}Response.json`),
  },
  {
    name: 'ocpp2.0.1',
    folder: 'schemas/ocpp2.0.1',
    family: '2.x',
    module: v201,
    file: (a, k) => `${a}${k === 'request' ? 'Request' : 'Response'}.json`,
  },
  {
    name: 'ocpp2.1',
    folder: 'schemas/ocpp2.1',
    family: '2.x',
    module: v21,
    file: (a, k, send) => (send ? `${a}.json` : `${a}${k === 'request' ? 'Request' : 'Response'}.json`),
  },
];

const directions = JSON.parse(readFileSync(join(specDir, 'directions.json'), 'utf8')) as Record<
  string,
  Record<string, string>
>;

for (const version of versions) {
  test(`${version.name}: the generated action map has exactly the actions of directions.json, with their directions`, () => {
    const actions = version.module.protocol.actions as Record<string, { direction: string }>;
    assert.equal(Object.keys(actions).sort(), Object.keys(directions[version.name]!).sort());
    for (const [a, d] of Object.entries(directions[version.name]!)) assert.is(actions[a]!.direction, d, a);
  });

  for (const action of Object.keys(directions[version.name]!).sort()) {
    test(`${version.name} ${action}: samples pass, each invalid variant fails with its CallError code naming the field, as independent validators agree`, () => {
      const descriptor = (version.module.protocol.actions as Record<string, { send?: true; response: unknown }>)[
        action
      ]!;
      const send = descriptor.send === true;
      const kinds = send ? (['request'] as const) : (['request', 'response'] as const);
      if (send) assert.is(descriptor.response, null, 'a SEND message has no response validator');
      for (const kind of kinds) {
        const file = `${version.folder}/${version.file(action, kind, send)}`;
        assert.ok(existsSync(join(specDir, file)), `${file} exists`);
        const builder = new SampleBuilder(JSON.parse(readFileSync(join(specDir, file), 'utf8')));
        const ours = (p: Json) =>
          kind === 'request'
            ? (version.module.validateRequest as (a: string, p: unknown) => ReturnType<typeof v201.validateRequest>)(
                action,
                p,
              )
            : (version.module.validateResponse as (a: string, p: unknown) => ReturnType<typeof v201.validateResponse>)(
                action,
                p,
              );
        const others = [
          ['plain ajv on the OCA file', plainAjvVerdict(specDir, file)],
          ['ocpp-rpc', ocppRpcVerdict(version.name, action, kind)],
        ].filter((o): o is [string, (p: unknown) => boolean] => o[1] !== null);
        const typeName = `${action}${kind === 'request' ? 'Request' : 'Response'}`;

        for (const [label, sample] of [
          ['full sample', builder.full()],
          ['minimal sample', builder.minimal()],
        ] as const) {
          const r = ours(sample);
          assert.ok(r.ok, `${typeName} ${label} must pass: ${r.ok ? '' : r.error.message}\n${JSON.stringify(sample)}`);
          for (const [name, verdict] of others)
            assert.ok(verdict(sample), `${name} accepts the ${label} of ${typeName}`);
        }
        for (const v of builder.variants()) {
          const r = ours(v.payload);
          const what = `${typeName} ${v.kind} (${v.path || 'payload'})`;
          if (r.ok) assert.unreachable(`${what} must fail\n${JSON.stringify(v.payload)}`);
          else {
            const expected = EXPECTED[version.family][v.path === '' && v.keyword === 'type' ? '$root' : v.keyword];
            assert.is(r.error.keyword, v.keyword, `${what}: keyword`);
            assert.is(r.error.code, expected, `${what}: CallError code`);
            assert.is(r.error.path, v.path, `${what}: path`);
            assert.ok(
              r.error.message.startsWith(v.path ? `${typeName}.${v.path}: ` : `${typeName}: `),
              `${what}: message names the field: ${r.error.message}`,
            );
          }
          for (const [name, verdict] of others) assert.not.ok(verdict(v.payload), `${name} also rejects ${what}`);
        }
      }
    });
  }
}

test.run();
