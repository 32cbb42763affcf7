// Turns the merged drafts into the model's nodes: resolves data types and units from the catalogue, applies the
// attribute defaults, checks every characteristic and initial value, and (checkRequired) finds the variables the
// specification requires that are missing or have no value.
import { componentKey, componentLabel, variableKey, variableLabel } from './address.js';
import type { Catalogue } from './catalogue.js';
import type { ComponentDraft, Problems, VariableDraft } from './config.js';
import type { LayoutHint } from './defaults.js';
import {
  ATTRIBUTE_ORDER,
  compareComponents,
  compareNames,
  currentValue,
  type AttributeNode,
  type ComponentNode,
  type VariableNode,
} from './nodes.js';
import { checkBounds, checkFormat, length, LIST_TYPES, NUMERIC_TYPES, type Characteristics } from './values.js';
import type { AttributeType } from './types.js';

function characteristicsOf(
  d: VariableDraft,
  component: string,
  catalogue: Catalogue,
  problems: Problems,
): { name: string; ch: Characteristics } | undefined {
  const std = catalogue.variable(component, d.id.name);
  const dataType = d.dataType ?? std?.dataType ?? undefined;
  if (!dataType) {
    // A refused dataType field was reported already.
    if (!d.faulty)
      problems.add(
        `${d.field}.dataType`,
        std
          ? `the catalogue gives ${component}.${std.name} no data type; set dataType`
          : `${d.id.name} is not a standardized variable of ${component}; set its dataType`,
      );
    return undefined;
  }
  const ch: Characteristics = { dataType, supportsMonitoring: d.supportsMonitoring ?? false };
  const unit = d.unit ?? std?.units[0];
  if (unit !== undefined) ch.unit = unit;
  if (d.minLimit !== undefined) ch.minLimit = d.minLimit;
  if (d.maxLimit !== undefined) ch.maxLimit = d.maxLimit;
  if (d.valuesList !== undefined) ch.valuesList = d.valuesList;
  if (d.maxElements !== undefined) ch.maxElements = d.maxElements;
  const f = d.field;
  if (ch.minLimit !== undefined && ch.maxLimit !== undefined)
    problems.check(
      ch.minLimit <= ch.maxLimit,
      `${f}.minLimit`,
      `minLimit ${ch.minLimit} is above maxLimit ${ch.maxLimit}`,
    );
  if (!NUMERIC_TYPES.has(dataType) && ch.maxLimit !== undefined) {
    problems.check(
      Number.isInteger(ch.maxLimit) && ch.maxLimit >= 0,
      `${f}.maxLimit`,
      `for ${dataType} maxLimit is a maximum length: an integer ≥ 0`,
    );
  }
  if (LIST_TYPES.has(dataType)) {
    problems.check(
      (ch.valuesList?.length ?? 0) > 0,
      `${f}.valuesList`,
      `a ${dataType} needs its valuesList (VariableCharacteristicsType: mandatory for OptionList, MemberList, SequenceList)`,
    );
  }
  if (ch.maxElements !== undefined)
    problems.check(
      dataType === 'MemberList' || dataType === 'SequenceList',
      `${f}.maxElements`,
      'applies to MemberList and SequenceList only',
    );
  return { name: std?.name ?? d.id.name, ch };
}

function attributeOf(
  type: AttributeType,
  d: VariableDraft,
  label: string,
  ch: Characteristics,
  problems: Problems,
): AttributeNode | undefined {
  const a = d.attributes[type];
  if (!a) return undefined;
  // The Actual of a variable nobody declared writable stays ReadOnly; Target/MinSet/MaxSet exist to be set.
  const mutability = a.mutability ?? (type === 'Actual' ? 'ReadOnly' : 'ReadWrite');
  const constant = a.constant ?? false;
  problems.check(
    !constant || mutability === 'ReadOnly',
    `${a.field}.constant`,
    `a constant attribute must be ReadOnly (${label} is ${mutability})`,
  );
  let value: string | undefined;
  if (a.value !== undefined) {
    const checked = checkFormat(a.value, ch);
    if (!checked.ok) problems.add(`${a.field}.value`, `${label}: ${checked.problem.detail}`);
    else {
      const range = checkBounds(checked.value, ch.dataType, { min: ch.minLimit, max: ch.maxLimit });
      if (range) problems.add(`${a.field}.value`, `${label}: ${range.detail}`);
      else value = checked.value;
    }
  }
  return { type, value, mutability, persistent: a.persistent ?? mutability !== 'ReadOnly', constant };
}

/** Builds the nodes; every problem goes to `problems`. Components and variables come out in report order. */
export function buildNodes(
  drafts: Map<string, ComponentDraft>,
  catalogue: Catalogue,
  problems: Problems,
): ComponentNode[] {
  const components: ComponentNode[] = [];
  for (const draft of drafts.values()) {
    const component: ComponentNode = { id: draft.id, key: componentKey(draft.id), variables: new Map() };
    const variables: VariableNode[] = [];
    for (const d of draft.variables.values()) {
      const faultyKey = `${componentKey(draft.id)}${variableKey(d.id)}`;
      if (d.faulty) problems.faulty.add(faultyKey);
      const before = problems.list.length;
      const resolved = characteristicsOf(d, draft.id.name, catalogue, problems);
      if (!resolved) continue;
      const id = d.id.instance ? { name: resolved.name, instance: d.id.instance } : { name: resolved.name };
      const label = variableLabel(draft.id, id);
      const attributes = new Map<AttributeType, AttributeNode>();
      for (const type of ATTRIBUTE_ORDER) {
        const a = attributeOf(type, d, label, resolved.ch, problems);
        if (a) attributes.set(type, a);
      }
      const min = attributes.get('MinSet')?.value;
      const max = attributes.get('MaxSet')?.value;
      if (min !== undefined && max !== undefined && NUMERIC_TYPES.has(resolved.ch.dataType)) {
        problems.check(
          Number(min) <= Number(max),
          `${d.field}.minSet.value`,
          `${label}: MinSet ${min} is above MaxSet ${max}`,
        );
      }
      if (problems.list.length > before) problems.faulty.add(faultyKey);
      variables.push({
        component,
        id,
        key: variableKey(id),
        characteristics: resolved.ch,
        attributes,
        rebootRequired: d.rebootRequired ?? false,
      });
    }
    variables.sort(
      (a, b) => compareNames(a.id.name, b.id.name) || compareNames(a.id.instance ?? '', b.id.instance ?? ''),
    );
    for (const v of variables) component.variables.set(v.key, v);
    components.push(component);
  }
  return components.sort((a, b) => compareComponents(a.id, b.id));
}

/** The longest valuesList the station accepts in SetVariableData and reports (ConfigurationValueSize, ValueSize, schema). */
export function checkValuesListSizes(components: readonly ComponentNode[], limit: number, problems: Problems): void {
  for (const c of components) {
    for (const v of c.variables.values()) {
      const list = v.characteristics.valuesList?.join(',');
      if (list !== undefined && length(list) > limit) {
        problems.add(
          `valuesList of ${variableLabel(c.id, v.id)}`,
          `${length(list)} characters; ConfigurationValueSize/ValueSize allow ${limit}`,
        );
      }
    }
  }
}

/**
 * The start-up check: for every standardized component present, the variables the specification requires must
 * exist and have a value (or a live provider). EVSE.Power is required for its maxLimit (Part 2 2.13.7).
 * Controllers are checked at the station tier.
 */
export function checkRequired(
  components: readonly ComponentNode[],
  catalogue: Catalogue,
  hints: readonly LayoutHint[],
  problems: Problems,
): void {
  const hintFor = (c: ComponentNode, variable: string) =>
    hints.find(
      (h) =>
        h.component === c.id.name &&
        h.variable === variable &&
        h.evse === c.id.evse?.id &&
        h.connector === c.id.evse?.connectorId &&
        !c.id.instance,
    );
  for (const c of components) {
    // A controller's required variables belong to its station-level instance; one placed on an EVSE (e.g. for a
    // per-EVSE SeccId) only adds to it.
    if (c.id.evse && /Ctrlr$/.test(c.id.name)) continue;
    for (const req of catalogue.requiredVariables(c.id.name)) {
      if (problems.faulty.has(`${c.key}${variableKey(req)}`)) continue; // already reported with its own problem
      const v = c.variables.get(variableKey(req));
      const label = variableLabel(c.id, req);
      const hint = hintFor(c, req.name);
      const where = hint?.field ?? 'config.components';
      const how = hint
        ? `set ${hint.field}`
        : `add { name: '${req.name}'${req.instance ? `, instance: '${req.instance}'` : ''}, value: … } to the variables of ${componentLabel(c.id)} in config.components`;
      if (c.id.name === 'EVSE' && req.name === 'Power') {
        if (v?.characteristics.maxLimit === undefined)
          problems.add(where, `${label} is required with its maxLimit (the EVSE's maximum power in W); ${how}`);
        continue;
      }
      if (!v) {
        problems.add(
          where,
          `${label} is required by the specification when ${componentLabel(c.id)} is present, and is missing; ${how}`,
        );
        continue;
      }
      const actual = v.attributes.get('Actual');
      if (!actual || (actual.provider === undefined && currentValue(actual) === undefined)) {
        problems.add(where, `${label} is required by the specification and has no value; ${how}`);
      }
    }
  }
}
