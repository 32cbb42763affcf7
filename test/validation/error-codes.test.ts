// The mapping from a failed JSON-schema keyword to the CallError code of each version (docs/validation.md), and
// how runtime/validation.ts applies it: 1.6 spells FormationViolation / OccurenceConstraintViolation as OCPP-J
// 1.6 section 4.2.3 does; 2.0.1 and 2.1 use FormatViolation / OccurrenceConstraintViolation (Part 4).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as v16 from '../../generated/v16/index.js';
import * as v201 from '../../generated/v201/index.js';
import * as v21 from '../../generated/v21/index.js';
import type { CallErrorCode16, CallErrorCode2x } from '../../runtime/protocol.js';
import { describeFailure } from '../../runtime/validation.js';

const common = {
  type: 'TypeConstraintViolation',
  enum: 'PropertyConstraintViolation',
  const: 'PropertyConstraintViolation',
  format: 'PropertyConstraintViolation',
  pattern: 'PropertyConstraintViolation',
  minLength: 'PropertyConstraintViolation',
  maxLength: 'PropertyConstraintViolation',
  minimum: 'PropertyConstraintViolation',
  maximum: 'PropertyConstraintViolation',
  exclusiveMinimum: 'PropertyConstraintViolation',
  exclusiveMaximum: 'PropertyConstraintViolation',
  multipleOf: 'PropertyConstraintViolation',
} as const;

test('ocpp1.6 maps keywords to the 1.6 spellings FormationViolation and OccurenceConstraintViolation', () => {
  const expected: Record<string, CallErrorCode16> = {
    ...common,
    $root: 'FormationViolation',
    $default: 'FormationViolation',
    additionalProperties: 'FormationViolation',
    required: 'OccurenceConstraintViolation',
    minItems: 'OccurenceConstraintViolation',
    maxItems: 'OccurenceConstraintViolation',
  };
  assert.equal({ ...v16.validationErrorCodes }, expected);
  assert.is(v16.protocol.validationErrorCodes, v16.validationErrorCodes);
});

test('ocpp2.0.1 and ocpp2.1 map keywords to FormatViolation and OccurrenceConstraintViolation', () => {
  const expected: Record<string, CallErrorCode2x> = {
    ...common,
    $root: 'FormatViolation',
    $default: 'FormatViolation',
    additionalProperties: 'FormatViolation',
    required: 'OccurrenceConstraintViolation',
    minItems: 'OccurrenceConstraintViolation',
    maxItems: 'OccurrenceConstraintViolation',
  };
  assert.equal({ ...v201.validationErrorCodes }, expected);
  assert.equal({ ...v21.validationErrorCodes }, expected);
});

test('minItems and maxItems are occurrence violations: an empty GetVariables list is OccurrenceConstraintViolation', () => {
  const r = v201.validateRequest('GetVariables', { getVariableData: [] });
  assert.equal(r.ok ? null : [r.error.code, r.error.keyword, r.error.path, r.error.message], [
    'OccurrenceConstraintViolation',
    'minItems',
    'getVariableData',
    'GetVariablesRequest.getVariableData: must have at least 1 items',
  ]);
});

test('a payload that is not an object (null, an array, a string) is the version format code, path empty', () => {
  for (const payload of [null, [], 'BootNotification', 42]) {
    const r201 = v201.validateRequest('Heartbeat', payload);
    assert.equal(r201.ok ? null : [r201.error.code, r201.error.path], ['FormatViolation', ''], JSON.stringify(payload));
    const r16 = v16.validateRequest('Heartbeat', payload);
    assert.equal(r16.ok ? null : [r16.error.code, r16.error.path], ['FormationViolation', '']);
  }
});

test('a nested value of the wrong type is TypeConstraintViolation, not the root format code', () => {
  const r = v201.validateRequest('BootNotification', { reason: 'PowerUp', chargingStation: 'AC22' });
  assert.equal(r.ok ? null : [r.error.code, r.error.path], ['TypeConstraintViolation', 'chargingStation']);
});

test('an unknown keyword falls back to $default; no issue at all still gives a code and names the type', () => {
  const issue = { keyword: 'dependentSchemas', instancePath: '/a/0/b~1c', schemaPath: '#', params: {} };
  const f = describeFailure(v201.protocol, 'FooRequest', issue);
  assert.equal(
    [f.code, f.path, f.message],
    ['FormatViolation', 'a[0].b/c', 'FooRequest.a[0].b/c: fails dependentSchemas'],
  );
  const none = describeFailure(v16.protocol, 'FooRequest', undefined);
  assert.equal([none.code, none.message], ['FormationViolation', 'FooRequest: invalid payload']);
});

test.run();
