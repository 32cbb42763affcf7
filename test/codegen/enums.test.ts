// @requires-spec
// generated/<v>/enums.ts: every enum definition of every version is a run-time list holding exactly the schema's
// values in the schema's order, and nothing else is exported as a value.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolve } from 'node:path';
import { enumDefinitions } from '../../codegen/enums/render.js';
import type { VersionKey } from '../../codegen/emit.js';
import { loadVersion } from '../../codegen/schemas/load.js';

const specDir = resolve(process.env.OCPP_SPEC_DIR ?? '../shared/ocpp-spec');
const root = resolve(import.meta.dirname, '../..');

for (const key of ['v16', 'v201', 'v21'] as const satisfies readonly VersionKey[]) {
  test(`${key}/enums.ts lists every enum of the ${key} schemas with its values in schema order, and nothing else`, async () => {
    const model = loadVersion(specDir, key);
    const expected = Object.fromEntries(
      [...model.definitions.values()].filter((d) => Array.isArray(d.schema.enum)).map((d) => [d.name, d.schema.enum]),
    );
    const module = (await import(resolve(root, `generated/${key}/enums.ts`))) as Record<string, unknown>;
    assert.equal({ ...module }, expected);
    assert.equal(
      enumDefinitions(model).map((e) => e.name),
      Object.keys(expected),
    );
  });
}

test('1.6 inline enums are listed under their 1.6 specification names; 2.x keep the schema definition names', async () => {
  const v16 = await import('../../generated/v16/enums.js');
  assert.equal(v16.ChargePointStatus, [
    'Available',
    'Preparing',
    'Charging',
    'SuspendedEVSE',
    'SuspendedEV',
    'Finishing',
    'Reserved',
    'Unavailable',
    'Faulted',
  ]);
  assert.ok(v16.Measurand.includes('Energy.Active.Import.Register'));
  const v21 = await import('../../generated/v21/enums.js');
  assert.ok(v21.ReasonEnumType.includes('ReqEnergyTransferRejected'), 'a 2.1-only stoppedReason');
});

test.run();
