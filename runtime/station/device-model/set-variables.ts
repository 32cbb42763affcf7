// B05 Set Variables: one SetVariableResult per SetVariableData, in request order (B05.FR.01), echoing component,
// variable (B05.FR.02) and attributeType, Actual when absent (B05.FR.03, B05.FR.12).
//
// Atomicity: every item is judged on its own (the statuses are per item), in request order, each seeing the
// items accepted before it in the same request (a MaxSet lowered by item 1 bounds a Target in item 2). The
// accepted items are then committed in one store transaction: either all of them are stored, or — when the store
// fails — none is, and each of them is answered Rejected (InternalError) instead. Listeners hear about accepted
// changes only after the commit.
import { AttributeEnumType } from '../../../generated/v21/enums.js';
import { cleanComponent, cleanVariable, variableKey } from './address.js';
import { requestLimitError, statusInfo } from './limits.js';
import { type AttributeNode, type VariableNode } from './nodes.js';
import type { AcceptedWrite, DeviceModel } from './model.js';
import { checkBounds, checkFormat, length, NUMERIC_TYPES, type Bounds, type ValueProblem } from './values.js';
import type { AttributeType, RequestOutcome, SetVariablesRequest, SetVariablesResponse } from './types.js';

type SetVariableData = SetVariablesRequest['setVariableData'][number];
type SetVariableResult = SetVariablesResponse['setVariableResult'][number];

const ATTRIBUTE_TYPES: ReadonlySet<string> = new Set(AttributeEnumType);

/** Values as they stand within this request: committed values overlaid with the items accepted so far. */
type Staged = Map<AttributeNode, string>;

const valueOf = (model: DeviceModel, a: AttributeNode | undefined, staged: Staged) =>
  a ? (staged.get(a) ?? model.current(a)) : undefined;

/**
 * B05.FR.08 bounds: minLimit/maxLimit; for Actual and Target also the MinSet/MaxSet values (Part 1 §4.3: a target
 * outside them is refused); MinSet and MaxSet must not cross each other.
 */
function boundsFor(model: DeviceModel, v: VariableNode, type: AttributeType, staged: Staged): Bounds {
  const b: Bounds = {};
  const tighten = (kind: 'min' | 'max', value: number | undefined, label: string) => {
    if (value === undefined) return;
    const current = b[kind];
    if (current === undefined || (kind === 'min' ? value > current : value < current)) {
      b[kind] = value;
      b[kind === 'min' ? 'minLabel' : 'maxLabel'] = label;
    }
  };
  const num = (t: AttributeType) => {
    const s = valueOf(model, v.attributes.get(t), staged);
    return s === undefined || s === '' ? undefined : Number(s);
  };
  tighten('min', v.characteristics.minLimit, 'minLimit');
  tighten('max', v.characteristics.maxLimit, 'maxLimit');
  if (type !== 'MinSet') tighten('min', num('MinSet'), 'MinSet');
  if (type !== 'MaxSet') tighten('max', num('MaxSet'), 'MaxSet');
  return b;
}

type Judgement =
  | { status: 'UnknownComponent' | 'UnknownVariable' | 'NotSupportedAttributeType' }
  | { status: 'Rejected'; problem: ValueProblem | { reasonCode: 'ReadOnly'; detail: string } }
  | { status: 'Accepted' | 'RebootRequired'; write: AcceptedWrite };

function judge(
  model: DeviceModel,
  data: SetVariableData,
  type: AttributeType,
  staged: Staged,
  valueLimit: number,
): Judgement {
  const wellFormed = typeof data?.component?.name === 'string' && typeof data?.variable?.name === 'string';
  const component = wellFormed ? model.findComponent(cleanComponent(data.component)) : undefined;
  if (!component) return { status: 'UnknownComponent' }; // B05.FR.04
  const variable = component.variables.get(variableKey(cleanVariable(data.variable)));
  if (!variable) return { status: 'UnknownVariable' }; // B05.FR.05
  const attribute = ATTRIBUTE_TYPES.has(type) ? variable.attributes.get(type) : undefined;
  if (!attribute) return { status: 'NotSupportedAttributeType' }; // B05.FR.06
  const raw = data.attributeValue;
  if (typeof raw !== 'string')
    return { status: 'Rejected', problem: { reasonCode: 'InvalidValue', detail: 'attributeValue must be a string' } };
  // ConfigurationValueSize / ValueSize limit SetVariableData.attributeValue.
  if (length(raw) > valueLimit) {
    return {
      status: 'Rejected',
      problem: {
        reasonCode: 'TooLargeElement',
        detail: `${length(raw)} characters; ConfigurationValueSize/ValueSize allow ${valueLimit}`,
      },
    };
  }
  const checked = checkFormat(raw, variable.characteristics); // B05.FR.07
  if (!checked.ok) return { status: 'Rejected', problem: checked.problem };
  if (NUMERIC_TYPES.has(variable.characteristics.dataType)) {
    const range = checkBounds(
      checked.value,
      variable.characteristics.dataType,
      boundsFor(model, variable, type, staged),
    ); // B05.FR.08
    if (range) return { status: 'Rejected', problem: range };
  }
  // B05.FR.09: ReadOnly (a constant or live value is read-only too).
  if (attribute.mutability === 'ReadOnly' || attribute.constant || model.state(attribute).provider) {
    return { status: 'Rejected', problem: { reasonCode: 'ReadOnly', detail: 'the variable is read-only' } };
  }
  const pending = variable.rebootRequired;
  return {
    status: pending ? 'RebootRequired' : 'Accepted',
    write: { variable, attribute, value: checked.value, pending },
  }; // B05.FR.10
}

/**
 * B05 without side effects: the response, the accepted writes (to be stored with `model.storeOps` and put into
 * effect with `model.apply`), and the response to send instead when storing them fails (each accepted item
 * Rejected with InternalError: nothing was stored or applied).
 */
export interface SetVariablesPlan {
  response: SetVariablesResponse;
  writes: AcceptedWrite[];
  ifStoreFails: SetVariablesResponse;
}

export function planSetVariables(model: DeviceModel, request: SetVariablesRequest): RequestOutcome<SetVariablesPlan> {
  const data = Array.isArray(request?.setVariableData) ? request.setVariableData : undefined;
  if (!data || data.length === 0)
    return {
      ok: false,
      callError: { code: 'FormatViolation', description: 'setVariableData must be a non-empty array' },
    };
  const tooLarge = requestLimitError(model, 'SetVariables', data.length, request);
  if (tooLarge) return { ok: false, callError: tooLarge };
  const valueLimit = model.setValueLimit();
  const staged: Staged = new Map();
  const writes: { index: number; write: AcceptedWrite }[] = [];
  const results: SetVariableResult[] = data.map((d, index) => {
    const attributeType: AttributeType = d?.attributeType ?? 'Actual';
    const base = { attributeType, component: d?.component, variable: d?.variable };
    const j = judge(model, d, attributeType, staged, valueLimit);
    if (j.status === 'Rejected')
      return {
        attributeStatus: 'Rejected',
        attributeStatusInfo: statusInfo(j.problem.reasonCode, j.problem.detail),
        ...base,
      };
    if (j.status === 'Accepted' || j.status === 'RebootRequired') {
      // A pending value does not bound later items: it is not in effect before the restart.
      if (!j.write.pending) staged.set(j.write.attribute, j.write.value);
      writes.push({ index, write: j.write });
    }
    return { attributeStatus: j.status, ...base };
  });
  // Nothing was stored or applied: the accepted items are answered truthfully.
  const failed = [...results];
  for (const w of writes)
    failed[w.index] = {
      ...results[w.index]!,
      attributeStatus: 'Rejected',
      attributeStatusInfo: statusInfo('InternalError', 'the value could not be stored'),
    };
  return {
    ok: true,
    response: {
      response: { setVariableResult: results },
      writes: writes.map((w) => w.write),
      ifStoreFails: { setVariableResult: failed },
    },
  };
}

/** B05 at once: judged, stored and put into effect (the device model's own API; the station answers with the plan). */
export function setVariables(model: DeviceModel, request: SetVariablesRequest): RequestOutcome<SetVariablesResponse> {
  const plan = planSetVariables(model, request);
  if (!plan.ok) return plan;
  const { response, writes, ifStoreFails } = plan.response;
  if (writes.length === 0) return { ok: true, response };
  try {
    model.commit(writes);
  } catch {
    return { ok: true, response: ifStoreFails };
  }
  return { ok: true, response };
}
