// Which CallError code a validation failure is answered with, per JSON-schema keyword — decided once from the
// OCPP-J definitions (1.6J section 4.2.3; 2.0.1/2.1 Part 4 "RPC Framework Error Codes"). The reasoning, and where
// this differs from ocpp-rpc, is in docs/validation.md.
import type { CallErrorCode16, CallErrorCode2x, ProtocolName } from '../runtime/protocol.js';

export function validationErrorCodes(protocol: ProtocolName): Record<string, CallErrorCode16 | CallErrorCode2x> {
  const v16 = protocol === 'ocpp1.6';
  // 1.6 keeps its own spellings: its errata sheet lists both as "known issues that will not be fixed".
  const format = v16 ? 'FormationViolation' : 'FormatViolation';
  const occurrence = v16 ? 'OccurenceConstraintViolation' : 'OccurrenceConstraintViolation';
  const codes: Record<string, CallErrorCode16 | CallErrorCode2x> = {
    // The payload is not an object at all, or has a property the message does not define: it does not have the
    // shape (the "PDU structure") of the message.
    $root: format,
    additionalProperties: format,
    // Cardinality: a required field that is absent, or a list with too few or too many elements.
    required: occurrence,
    minItems: occurrence,
    maxItems: occurrence,
    // A field of the wrong JSON type ("somestring": 12 is the specs' own example).
    type: 'TypeConstraintViolation',
    // The right type, but a value the field does not allow.
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
    // Any keyword the OCA schemas might start using: the payload does not conform to the schema.
    $default: format,
  };
  return codes;
}
