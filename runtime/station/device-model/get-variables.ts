// B06 Get Variables: one GetVariableResult per GetVariableData, in request order (B06.FR.01), echoing the
// requested component and variable (B06.FR.02) and attributeType, Actual when absent (B06.FR.03, B06.FR.11).
import { AttributeEnumType } from '../../../generated/v21/enums.js';
import { cleanComponent, cleanVariable, variableKey } from './address.js';
import { requestLimitError, statusInfo, truncate } from './limits.js';
import type { DeviceModel } from './model.js';
import type { AttributeType, GetVariablesRequest, GetVariablesResponse, RequestOutcome } from './types.js';

type GetVariableData = GetVariablesRequest['getVariableData'][number];
type GetVariableResult = GetVariablesResponse['getVariableResult'][number];

const ATTRIBUTE_TYPES: ReadonlySet<string> = new Set(AttributeEnumType);

function result(model: DeviceModel, data: GetVariableData, valueLimit: number): GetVariableResult {
  const attributeType: AttributeType = data?.attributeType ?? 'Actual';
  const base = { attributeType, component: data?.component, variable: data?.variable };
  const wellFormed = typeof data?.component?.name === 'string' && typeof data?.variable?.name === 'string';
  // Exact address: an absent or empty instance means "the one without instance" (B06.FR.14, B06.FR.15).
  const component = wellFormed ? model.findComponent(cleanComponent(data.component)) : undefined;
  if (!component) return { attributeStatus: 'UnknownComponent', ...base }; // B06.FR.06
  const variable = component.variables.get(variableKey(cleanVariable(data.variable)));
  if (!variable) return { attributeStatus: 'UnknownVariable', ...base }; // B06.FR.07
  const attribute = ATTRIBUTE_TYPES.has(attributeType) ? variable.attributes.get(attributeType) : undefined;
  if (!attribute) return { attributeStatus: 'NotSupportedAttributeType', ...base }; // B06.FR.08
  if (attribute.mutability === 'WriteOnly') {
    return {
      attributeStatus: 'Rejected',
      attributeStatusInfo: statusInfo('WriteOnly', 'the variable is write-only'),
      ...base,
    }; // B06.FR.09
  }
  // B06.FR.10; B06.FR.13: a supported attribute without a value is ''; ReportingValueSize caps the length.
  return { attributeStatus: 'Accepted', attributeValue: truncate(model.current(attribute) ?? '', valueLimit), ...base };
}

export function getVariables(model: DeviceModel, request: GetVariablesRequest): RequestOutcome<GetVariablesResponse> {
  const data = Array.isArray(request?.getVariableData) ? request.getVariableData : undefined;
  if (!data || data.length === 0)
    return {
      ok: false,
      callError: { code: 'FormatViolation', description: 'getVariableData must be a non-empty array' },
    };
  const tooLarge = requestLimitError(model, 'GetVariables', data.length, request); // B06.FR.16, B06.FR.17
  if (tooLarge) return { ok: false, callError: tooLarge };
  const limit = model.reportValueLimit();
  return { ok: true, response: { getVariableResult: data.map((d) => result(model, d, limit)) } };
}
