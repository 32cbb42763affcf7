// The fleet template: the shipped JSON Schema is a valid schema, the TypeScript type is generated from it (this test
// regenerates and compares; UPDATE=1 rewrites it), every field has a default, and a bad field is named with what it
// must be. Also the seeded random numbers that make a run repeatable.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv } from 'ajv';
import { compile } from 'json-schema-to-typescript';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { identityOf, resolveTemplate, TemplateError, templateSchema } from '../../runtime/fleet/template.js';
import { draw, stationRandom } from '../../runtime/fleet/random.js';
import { probeTemplate } from '../../runtime/fleet/probe.js';
import { FLEET_FLAGS, FLEET_HELP } from '../../runtime/cli/fleet-command.js';
import { ocppkitRun, ROOT } from '../cli/cli-process.js';

const TYPES = join(ROOT, 'runtime/fleet/template-types.ts');
const BANNER =
  '// Generated from template.schema.json by json-schema-to-typescript (test/fleet/template.test.ts checks it; UPDATE=1\n// node scripts/test.mjs test/fleet/template rewrites it). Edit the schema, not this file.';

function problems(template: unknown): string[] {
  try {
    resolveTemplate(template);
  } catch (e) {
    assert.instance(e, TemplateError);
    return (e as TemplateError).problems;
  }
  assert.unreachable(`accepted ${JSON.stringify(template)}`);
  return [];
}

test('the shipped template schema is a valid JSON Schema (draft-07) and compiles in strict mode', () => {
  const schema = templateSchema();
  const ajv = new Ajv({ strict: true });
  ajv.addKeyword('tsType');
  assert.ok(ajv.validateSchema(schema), JSON.stringify(ajv.errors));
  ajv.compile(schema);
});

test('the TypeScript type of the template is the one generated from the schema', async () => {
  const generated = await compile(templateSchema() as never, 'FleetTemplate', {
    bannerComment: BANNER,
    ignoreMinAndMaxItems: true,
    unreachableDefinitions: true,
    format: false,
  });
  const formatted = await prettier.format(generated, {
    ...(await prettier.resolveConfig(TYPES)),
    filepath: TYPES,
  });
  if (process.env.UPDATE === '1') writeFileSync(TYPES, formatted);
  assert.fixture(readFileSync(TYPES, 'utf8'), formatted, 'runtime/fleet/template-types.ts is stale: run with UPDATE=1');
});

test('defaults for everything: an empty template gives a complete one (10 stations CS-1…, 2.0.1, sessions, ramp, duration)', () => {
  const t = resolveTemplate({});
  assert.is(t.stations.count, 10);
  assert.equal(t.stations.versions, ['ocpp2.0.1']);
  assert.is(identityOf(t, 7), 'CS-7');
  assert.ok(t.sessions.chargeSec.min > 0 && t.sessions.chargeSec.max >= t.sessions.chargeSec.min);
  assert.ok(t.sessions.idTags.length > 0);
  assert.ok(t.ramp.stationsPerSecond > 0);
  assert.ok(t.durationSec > 0);
  assert.equal(t.security, {});
  // Given fields stay, the others are filled in; the input is not changed.
  const given = { stations: { identity: 'FLEET-{n}', identityPad: 4 } };
  const padded = resolveTemplate(given);
  assert.is(identityOf(padded, 12), 'FLEET-0012');
  assert.is(padded.stations.evses, 1);
  assert.equal(given, { stations: { identity: 'FLEET-{n}', identityPad: 4 } });
});

const BAD: Array<[string, unknown, RegExp]> = [
  [
    'a string for an integer',
    { stations: { evses: 'two' } },
    /^stations\.evses: must be an integer ≥ 1 and ≤ 8, got "two"$/,
  ],
  ['an integer out of range', { stations: { evses: 0 } }, /^stations\.evses: must be an integer ≥ 1 and ≤ 8, got 0$/],
  ['a misspelt field', { stations: { evse: 2 } }, /^stations\.evse: unknown field \(known: count, identity,/],
  [
    'an unknown version',
    { stations: { versions: ['ocpp1.6', 'ocpp3'] } },
    /^stations\.versions\[1\]: must be one of "ocpp1\.6", "ocpp2\.0\.1", "ocpp2\.1", got "ocpp3"$/,
  ],
  [
    'an identity without {n}',
    { stations: { identity: 'CS-1' } },
    /^stations\.identity: must be a string .*containing \{n\}, got "CS-1"$/,
  ],
  [
    'a probability above 1',
    { sessions: { cardFirstProbability: 1.5 } },
    /^sessions\.cardFirstProbability: must be a number ≥ 0 and ≤ 1, got 1\.5$/,
  ],
  ['a range without max', { sessions: { chargeSec: { min: 5 } } }, /^sessions\.chargeSec\.max: is required$/],
  [
    'a range given as a number',
    { sessions: { powerW: 7000 } },
    /^sessions\.powerW: must be an object \{ "min": <number ≥ 0>, "max": <number ≥ 0> \}, got 7000$/,
  ],
  [
    'a range upside down',
    { sessions: { pauseSec: { min: 9, max: 2 } } },
    /^sessions\.pauseSec: min must not be above max, got 9 > 2$/,
  ],
  ['an empty idTag list', { sessions: { idTags: [] } }, /^sessions\.idTags: must be a list of at least 1 of a string/],
  [
    'security profile 3',
    { security: { profile: 3, password: 'x'.repeat(20) } },
    /^security\.profile: must be one of 1, 2, got 3$/,
  ],
  [
    'a profile without a password',
    { security: { profile: 1 } },
    /^security\.password: needed with security profile 1$/,
  ],
  [
    'a password too short',
    { security: { profile: 1, password: 'pw-{n}' } },
    /^security\.password: must give passwords of 16 to 40 characters/,
  ],
  ['a zero ramp', { ramp: { stationsPerSecond: 0 } }, /^ramp\.stationsPerSecond: must be a number > 0/],
  ['a negative duration', { durationSec: -5 }, /^durationSec: must be a number > 0 and ≤ 604800, got -5$/],
  [
    'a device-model value that is not a string',
    { stations: { deviceModel: { 'OCPPCommCtrlr.HeartbeatInterval': 60 } } },
    /^stations\.deviceModel\.OCPPCommCtrlr\.HeartbeatInterval: must be a string, got 60$/,
  ],
  ['not an object', [], /^\(template\): must be an object, got \[\]$/],
];

for (const [what, template, expected] of BAD) {
  test(`a bad template (${what}) is refused with an error naming the field`, () => {
    const p = problems(template);
    assert.ok(
      p.some((line) => expected.test(line)),
      `${expected} in ${JSON.stringify(p)}`,
    );
  });
}

const RUNTIME_BAD: Array<[string, object, RegExp]> = [
  [
    'an unknown device-model variable',
    { stations: { deviceModel: { 'Nope.Nothing': '1' } } },
    /^stations\.deviceModel: .*Nothing is not a standardized variable of Nope/,
  ],
  [
    'a device-model value of the wrong type',
    { stations: { deviceModel: { 'OCPPCommCtrlr.HeartbeatInterval': 'abc' } } },
    /^stations\.deviceModel: .*HeartbeatInterval: "abc" is not an integer/,
  ],
  [
    'an unknown 1.6 configuration key',
    { stations: { versions: ['ocpp1.6'], configuration16: { NoSuchKey: '1' } } },
    /^stations\.configuration16: .*NoSuchKey.*not a configuration key/,
  ],
  [
    'an identity the runtime refuses',
    { stations: { identity: 'C:S-{n}' } },
    /^stations\.identity: .*must not contain ":"/,
  ],
];

for (const [what, template, expected] of RUNTIME_BAD) {
  test(`a template the schema allows but the station runtime refuses (${what}) is refused before the run, naming the field`, () => {
    let problems: string[] = [];
    try {
      probeTemplate(resolveTemplate(template), 'ws://127.0.0.1:9');
    } catch (e) {
      assert.instance(e, TemplateError);
      problems = (e as TemplateError).problems;
    }
    assert.ok(
      problems.some((p) => expected.test(p)),
      `${expected} in ${JSON.stringify(problems)}`,
    );
  });
}

test('the default template passes the runtime check, for every version', () => {
  probeTemplate(resolveTemplate({ stations: { versions: ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] } }), 'ws://127.0.0.1:9');
});

test('every bad field is named at once', () => {
  const p = problems({ stations: { evses: 'two', model: '' }, durationSec: 'long' });
  assert.is(p.length, 3, JSON.stringify(p));
});

test("ocppkit fleet with a bad template exits 2 naming the field (the schema's checks, the runtime's); a file that is not JSON too", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-fleet-template-'));
  try {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ stations: { evses: 'two' } }));
    const r = await ocppkitRun(['fleet', '--csms', 'ws://127.0.0.1:9', '--template', bad], { ms: 30_000 });
    assert.is(r.code, 2, r.output);
    assert.match(r.output, 'stations.evses: must be an integer ≥ 1 and ≤ 8, got "two"');
    writeFileSync(bad, JSON.stringify({ stations: { deviceModel: { 'OCPPCommCtrlr.HeartbeatInterval': 'abc' } } }));
    const r3 = await ocppkitRun(['fleet', '--csms', 'ws://127.0.0.1:9', '--template', bad], { ms: 30_000 });
    assert.is(r3.code, 2, r3.output);
    assert.match(r3.output, /stations\.deviceModel: .*"abc" is not an integer/);
    writeFileSync(bad, '{ "stations": ');
    const r2 = await ocppkitRun(['fleet', '--csms', 'ws://127.0.0.1:9', '--template', bad], { ms: 30_000 });
    assert.is(r2.code, 2, r2.output);
    assert.match(r2.output, /is not JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--seed: a station draws the same numbers in every run; other stations and other seeds draw others', () => {
  const draws = (seed: number, n: number) => {
    const r = stationRandom(seed, n);
    return Array.from({ length: 5 }, () => draw(r, { min: 0, max: 100 }));
  };
  assert.equal(draws(42, 1), draws(42, 1));
  assert.not.equal(draws(42, 1), draws(42, 2));
  assert.not.equal(draws(42, 1), draws(43, 1));
  for (const v of draws(7, 3)) assert.ok(v >= 0 && v < 100);
});

test('ocppkit fleet: --help and the README document every flag', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### `ocppkit fleet`'), readme.indexOf('## Documentation'));
  for (const flag of Object.keys(FLEET_FLAGS)) {
    assert.ok(section.includes(`| \`--${flag}`), `--${flag} is in the README's table`);
    assert.ok(FLEET_HELP.includes(`  --${flag}`), `--${flag} is in --help`);
  }
  // The README's example template is a valid one.
  const example = /A template, every field optional:\s*```json\n([\s\S]*?)\n```/.exec(section);
  assert.ok(example, 'the example template');
  const t = resolveTemplate(JSON.parse(example![1]!));
  assert.is(identityOf(t, 3), 'CS-0003');
});

test.run();
