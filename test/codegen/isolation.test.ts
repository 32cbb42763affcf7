// Importing one version loads no other, and validating a message loads only that action's validator chunk (and
// the shared definitions it uses): the cold-start budget depends on it. Runs against the committed generated/
// through tsx; test/codegen/consumer.test.ts checks the same on the installed package.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolve } from 'node:path';
import { lazyActionDescriptor } from '../../runtime/validation.js';
import { traceModules } from '../support/module-trace.js';

const root = resolve(import.meta.dirname, '../..');

test('importing generated/v201 and validating a BootNotification loads no v16/v21 module, not its enum lists, only its own chunks, no package', async () => {
  const trace = await traceModules(
    root,
    `const m = await import('./generated/v201/index.ts');
globalThis.result = m.validateRequest('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'X', vendorName: 'Y' } }).ok;`,
    ['--import', 'tsx'],
  );
  assert.is(trace.result, true);
  const ours = [...trace.esm, ...trace.cjs].filter((p) => p.includes('/generated/'));
  assert.ok(
    ours.some((p) => p.includes('/generated/v201/index.ts')),
    'the probe did load v201',
  );
  for (const p of ours) assert.ok(p.includes('/generated/v201/'), `loaded ${p}`);
  assert.not.ok(
    ours.some((p) => /\/generated\/v201\/(enums|device-model)\./.test(p)),
    'the enum lists and the device model are entries of their own',
  );
  const chunks = trace.cjs.filter((p) => p.includes('/generated/v201/validators/')).map((p) => p.split('/').pop()!);
  assert.ok(chunks.includes('BootNotification.cjs') && chunks.includes('_runtime.cjs'), chunks.join(', '));
  for (const c of chunks)
    assert.match(c, /^(BootNotification|_runtime|_shared-.*)\.cjs$/, `${c} loaded for a BootNotification`);
  assert.ok(chunks.length <= 6, `${chunks.length} chunks for one action: ${chunks.join(', ')}`);
  const packages = trace.cjs.filter((p) => p.includes('/node_modules/ajv'));
  assert.equal(packages, [], 'validation loads neither ajv nor ajv-formats');
});

test('a lazy descriptor loads its chunk once, on first read, then holds plain data properties', () => {
  let loads = 0;
  const request = Object.assign(() => true, { errors: null });
  const response = Object.assign(() => false, { errors: null });
  const d = lazyActionDescriptor('CS->CSMS', () => (loads++, { request, response }));
  assert.is(loads, 0, 'creating the descriptor loads nothing');
  assert.is(d.direction, 'CS->CSMS');
  assert.is(d.request, request);
  assert.is(d.response, response);
  assert.is(d.request, request);
  assert.is(loads, 1);
  assert.is(Object.getOwnPropertyDescriptor(d, 'request')!.value, request, 'the getter replaced itself');
  assert.equal(Object.keys(d), ['direction', 'request', 'response']);
});

test('a SEND descriptor answers response null without loading anything; a chunk missing its validator is an error', () => {
  let loads = 0;
  const d = lazyActionDescriptor('CS->CSMS', () => (loads++, { request: () => true }), { send: true });
  assert.is(d.send, true);
  assert.is(d.response, null);
  assert.is(loads, 0);
  const broken = lazyActionDescriptor('CSMS->CS', () => ({ request: () => true }));
  assert.throws(() => broken.response, /no response validator/);
});

test.run();
