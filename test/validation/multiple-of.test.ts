// The multipleOf decimal policy (docs/validation.md): only 1.6 uses multipleOf (charging schedule `limit`, and
// `minChargingRate`, multipleOf 0.1). JSON 8.1 means the decimal 8.1, so an 8.1 A limit is valid even though
// 8.1 / 0.1 is 80.99999999999999 in binary floating point; 8.15 is not a multiple of 0.1 and stays invalid.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';
import * as v16 from '../../generated/v16/index.js';

const require = createRequire(import.meta.url);

const profile = (limit: number, minChargingRate?: number) => ({
  connectorId: 1,
  csChargingProfiles: {
    chargingProfileId: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    chargingSchedule: {
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit }],
      ...(minChargingRate === undefined ? {} : { minChargingRate }),
    },
  },
});
const limitPath = 'csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit';

test('an 8.1 A limit validates although 8.1 / 0.1 is not an integer in binary floating point', () => {
  assert.is(8.1 / 0.1, 80.99999999999999); // the trap: what a strict multipleOf check sees
  assert.ok(v16.validateRequest('SetChargingProfile', profile(8.1)).ok);
});

test('multiples of 0.1 produced by float arithmetic on a station validate (16 * 0.7, 0.1 + 0.2, 230.4)', () => {
  for (const limit of [16 * 0.7, 0.1 + 0.2, 230.4, 0, 32, 6.3, 1e6 + 0.1]) {
    const r = v16.validateRequest('SetChargingProfile', profile(limit));
    assert.ok(r.ok, `${limit}: ${r.ok ? '' : r.error.message}`);
  }
});

test('8.15, 8.1000001, 8.10000001 and 0.05 are not multiples of 0.1: PropertyConstraintViolation naming the limit', () => {
  for (const limit of [8.15, 8.1000001, 8.10000001, 0.05]) {
    const r = v16.validateRequest('SetChargingProfile', profile(limit));
    assert.equal(
      r.ok ? null : [r.error.code, r.error.keyword, r.error.path],
      ['PropertyConstraintViolation', 'multipleOf', limitPath],
      String(limit),
    );
  }
});

test('minChargingRate follows the same policy (7.7 valid, 7.75 invalid)', () => {
  assert.ok(v16.validateRequest('SetChargingProfile', profile(16, 7.7)).ok);
  const r = v16.validateRequest('SetChargingProfile', profile(16, 7.75));
  assert.equal(r.ok ? null : r.error.path, 'csChargingProfiles.chargingSchedule.minChargingRate');
});

test('plain ajv without the policy refuses 8.1: the bug the policy exists for', () => {
  const Ajv04 = require('ajv-draft-04') as new (o: object) => { compile(s: object): (d: unknown) => boolean };
  const strict = new Ajv04({}).compile({ type: 'number', multipleOf: 0.1 });
  assert.not.ok(strict(8.1));
});

test.run();
