// Reads the layout and the integrator's configuration: checks their shape field by field (every problem is
// collected with the path of the offending field), and merges ocppkit's defaults, the layout's components and the
// configuration into drafts — one per component, one per variable — that build.ts turns into the model.
import { DataEnumType, MutabilityEnumType } from '../../../generated/v21/enums.js';
import { componentKey, componentLabel, variableKey, type ComponentId, type VariableId } from './address.js';
import type { Catalogue } from './catalogue.js';
import type { ConfigProblem } from './errors.js';
import { configValueToString } from './values.js';
import type {
  AttributeType,
  ComponentConfig,
  DataType,
  DeviceModelConfig,
  Mutability,
  StationLayout,
} from './types.js';

export interface AttributeDraft {
  value?: string;
  mutability?: Mutability;
  persistent?: boolean;
  constant?: boolean;
  field: string;
}

export interface VariableDraft {
  id: VariableId;
  field: string;
  dataType?: DataType;
  unit?: string;
  minLimit?: number;
  maxLimit?: number;
  valuesList?: string[];
  maxElements?: number;
  supportsMonitoring?: boolean;
  rebootRequired?: boolean;
  attributes: Partial<Record<AttributeType, AttributeDraft>>;
  /** A field of this variable was refused (reported): the start-up check does not report the variable again. */
  faulty?: boolean;
}

export interface ComponentDraft {
  id: ComponentId;
  field: string;
  variables: Map<string, VariableDraft>;
}

/** DataEnumType and the appendices' two string types (types.ts, DataType). */
const DATA_TYPES: ReadonlySet<string> = new Set([...DataEnumType, 'passwordString', 'identifierString']);
const MUTABILITIES: ReadonlySet<string> = new Set(MutabilityEnumType);
const COMPONENT_KEYS = new Set(['name', 'instance', 'evse', 'remove', 'variables']);
const VARIABLE_KEYS = new Set([
  'name',
  'instance',
  'remove',
  'dataType',
  'unit',
  'minLimit',
  'maxLimit',
  'valuesList',
  'maxElements',
  'supportsMonitoring',
  'rebootRequired',
  'target',
  'minSet',
  'maxSet',
  'value',
  'mutability',
  'persistent',
  'constant',
]);
const ATTRIBUTE_KEYS = new Set(['value', 'mutability', 'persistent', 'constant']);
const EXTRA_ATTRIBUTES = [
  ['target', 'Target'],
  ['minSet', 'MinSet'],
  ['maxSet', 'MaxSet'],
] as const;
/** ComponentType.name/instance and VariableType.name/instance are string[0..50] in both versions. */
const NAME_MAX = 50;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/** Collects problems; `check` returns whether the condition held. */
export class Problems {
  readonly list: ConfigProblem[] = [];
  /** Variables (their draft fields) that already have a problem: the start-up check does not report them again. */
  readonly faulty = new Set<string>();
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
  check(ok: boolean, field: string, message: string): boolean {
    if (!ok) this.add(field, message);
    return ok;
  }
}

function unknownKeys(
  obj: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  field: string,
  problems: Problems,
): void {
  for (const k of Object.keys(obj))
    if (!allowed.has(k)) problems.add(`${field}.${k}`, `unknown field (allowed: ${[...allowed].join(', ')})`);
}

function checkName(v: unknown, field: string, problems: Problems, what: string): v is string {
  if (typeof v !== 'string' || v.length === 0)
    return problems.check(false, field, `${what} must be a non-empty string`);
  return problems.check(
    v.length <= NAME_MAX,
    field,
    `${what} has ${v.length} characters; OCPP allows at most ${NAME_MAX}`,
  );
}

function checkInstance(v: unknown, field: string, problems: Problems): boolean {
  if (v === undefined) return true;
  if (typeof v !== 'string') return problems.check(false, field, 'instance must be a string');
  return problems.check(
    v.length <= NAME_MAX,
    field,
    `instance has ${v.length} characters; OCPP allows at most ${NAME_MAX}`,
  );
}

/** Checks the layout: unique positive EVSE ids, unique positive connector ids per EVSE, numbers where numbers go. */
export function checkLayout(layout: StationLayout, problems: Problems): boolean {
  const before = problems.list.length;
  if (!isObject(layout)) {
    problems.add('layout', 'must be an object { supplyPhases, evses: [...] }');
    return false;
  }
  const phases = (v: unknown, field: string) =>
    v === undefined ||
    problems.check(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 3, field, 'must be 0 (DC), 1, 2 or 3');
  phases(layout.supplyPhases, 'layout.supplyPhases');
  if (!Array.isArray(layout.evses)) {
    problems.add('layout.evses', 'must be an array of { id, maxPower, connectors: [...] }');
    return false;
  }
  const evseIds = new Set<number>();
  layout.evses.forEach((evse, i) => {
    const f = `layout.evses[${i}]`;
    if (!isObject(evse)) return problems.add(f, 'must be an object { id, maxPower, connectors }');
    const id = evse.id;
    if (isPositiveInt(id)) {
      problems.check(!evseIds.has(id), `${f}.id`, `EVSE ${id} appears twice`);
      evseIds.add(id);
    } else problems.add(`${f}.id`, 'must be an integer ≥ 1');
    if (evse.maxPower !== undefined)
      problems.check(
        typeof evse.maxPower === 'number' && Number.isFinite(evse.maxPower) && evse.maxPower >= 0,
        `${f}.maxPower`,
        'must be a number of watts ≥ 0',
      );
    phases(evse.supplyPhases, `${f}.supplyPhases`);
    if (!Array.isArray(evse.connectors)) return problems.add(`${f}.connectors`, 'must be an array of { id, type }');
    const ids = new Set<number>();
    evse.connectors.forEach((c, j) => {
      const cf = `${f}.connectors[${j}]`;
      if (!isObject(c)) return problems.add(cf, 'must be an object { id, type }');
      const cid = c.id;
      if (isPositiveInt(cid)) {
        problems.check(!ids.has(cid), `${cf}.id`, `connector ${cid} appears twice on EVSE ${String(id)}`);
        ids.add(cid);
      } else problems.add(`${cf}.id`, 'must be an integer ≥ 1');
      if (c.type !== undefined)
        problems.check(
          typeof c.type === 'string' && c.type.length > 0,
          `${cf}.type`,
          'must be a ConnectorEnumType value such as "cType2"',
        );
      phases(c.supplyPhases, `${cf}.supplyPhases`);
    });
  });
  return problems.list.length === before;
}

/** Reads one attribute's settings (the Actual inline in the variable, or target/minSet/maxSet). */
function readAttribute(
  src: Record<string, unknown>,
  field: string,
  problems: Problems,
  into: AttributeDraft | undefined,
): AttributeDraft {
  const out: AttributeDraft = into ? { ...into, field } : { field };
  if ('value' in src && src.value !== undefined) {
    const s = configValueToString(src.value);
    if (
      problems.check(
        s !== undefined,
        `${field}.value`,
        'must be a string, a finite number, a boolean or a list of strings',
      )
    )
      out.value = s;
  }
  if (src.mutability !== undefined) {
    if (
      problems.check(
        typeof src.mutability === 'string' && MUTABILITIES.has(src.mutability),
        `${field}.mutability`,
        'must be ReadOnly, WriteOnly or ReadWrite',
      )
    )
      out.mutability = src.mutability as Mutability;
  }
  for (const flag of ['persistent', 'constant'] as const) {
    if (
      src[flag] !== undefined &&
      problems.check(typeof src[flag] === 'boolean', `${field}.${flag}`, 'must be true or false')
    )
      out[flag] = src[flag] as boolean;
  }
  return out;
}

function readCharacteristics(v: Record<string, unknown>, f: string, problems: Problems, d: VariableDraft): void {
  if (
    v.dataType !== undefined &&
    problems.check(
      typeof v.dataType === 'string' && DATA_TYPES.has(v.dataType),
      `${f}.dataType`,
      `must be one of ${[...DATA_TYPES].join(', ')}`,
    )
  ) {
    d.dataType = v.dataType as DataType;
  }
  if (
    v.unit !== undefined &&
    problems.check(
      typeof v.unit === 'string' && v.unit.length > 0 && v.unit.length <= 16,
      `${f}.unit`,
      'must be a string of 1–16 characters',
    )
  ) {
    d.unit = v.unit as string;
  }
  for (const k of ['minLimit', 'maxLimit'] as const) {
    if (
      v[k] !== undefined &&
      problems.check(typeof v[k] === 'number' && Number.isFinite(v[k]), `${f}.${k}`, 'must be a finite number')
    )
      d[k] = v[k] as number;
  }
  if (
    v.maxElements !== undefined &&
    problems.check(isPositiveInt(v.maxElements), `${f}.maxElements`, 'must be an integer ≥ 1')
  ) {
    d.maxElements = v.maxElements as number;
  }
  if (v.valuesList !== undefined) {
    const list = typeof v.valuesList === 'string' ? v.valuesList.split(',').map((s) => s.trim()) : v.valuesList;
    if (
      problems.check(
        Array.isArray(list) && list.every((m) => typeof m === 'string'),
        `${f}.valuesList`,
        'must be a list of strings (or a comma-separated string)',
      )
    ) {
      const members = list as string[];
      const bad = members.find((m) => m.trim() === '' || m.includes(',') || m !== m.trim());
      const dup = members.find((m, i) => members.indexOf(m) !== i);
      if (
        problems.check(
          bad === undefined,
          `${f}.valuesList`,
          `member ${JSON.stringify(bad)} is empty, has surrounding spaces or contains a comma`,
        ) &&
        problems.check(dup === undefined, `${f}.valuesList`, `member "${dup}" appears twice`)
      ) {
        d.valuesList = members;
      }
    }
  }
  for (const k of ['supportsMonitoring', 'rebootRequired'] as const) {
    if (v[k] !== undefined && problems.check(typeof v[k] === 'boolean', `${f}.${k}`, 'must be true or false'))
      d[k] = v[k] as boolean;
  }
}

/** Merges one variable entry into the component's drafts. */
function mergeVariable(v: unknown, f: string, component: ComponentDraft, seen: Set<string>, problems: Problems): void {
  if (!isObject(v)) return problems.add(f, 'must be an object { name, value, mutability, … }');
  unknownKeys(v, VARIABLE_KEYS, f, problems);
  if (
    !checkName(v.name, `${f}.name`, problems, 'variable name') ||
    !checkInstance(v.instance, `${f}.instance`, problems)
  )
    return;
  const id: VariableId = v.instance ? { name: v.name, instance: v.instance as string } : { name: v.name };
  const key = variableKey(id);
  if (
    !problems.check(
      !seen.has(key),
      f,
      `variable ${id.name}${id.instance ? `[${id.instance}]` : ''} appears twice in this component`,
    )
  )
    return;
  seen.add(key);
  const existing = component.variables.get(key);
  if (v.remove !== undefined && !problems.check(typeof v.remove === 'boolean', `${f}.remove`, 'must be true or false'))
    return;
  if (v.remove === true) {
    problems.check(
      existing !== undefined,
      `${f}.remove`,
      `${componentLabel(component.id)} has no variable ${id.name}${id.instance ? `[${id.instance}]` : ''} to remove`,
    );
    component.variables.delete(key);
    return;
  }
  const d: VariableDraft = existing
    ? { ...existing, field: f, attributes: { ...existing.attributes } }
    : { id, field: f, attributes: {} };
  const before = problems.list.length;
  readCharacteristics(v, f, problems, d);
  d.attributes.Actual = readAttribute(v, f, problems, d.attributes.Actual);
  for (const [key2, type] of EXTRA_ATTRIBUTES) {
    const a = v[key2];
    if (a === undefined) continue;
    if (a === false) delete d.attributes[type];
    else if (a === true) d.attributes[type] = { ...(d.attributes[type] ?? {}), field: `${f}.${key2}` };
    else if (isObject(a)) {
      unknownKeys(a, ATTRIBUTE_KEYS, `${f}.${key2}`, problems);
      d.attributes[type] = readAttribute(a, `${f}.${key2}`, problems, d.attributes[type]);
    } else problems.add(`${f}.${key2}`, 'must be true, false or { value, mutability, persistent, constant }');
  }
  if (problems.list.length > before) d.faulty = true;
  component.variables.set(key, d);
}

/** Tiers the layout defines, to check that a configured EVSE/connector exists. */
function layoutTiers(layout: StationLayout): Set<string> {
  const tiers = new Set<string>();
  for (const e of layout.evses ?? []) {
    tiers.add(`${e.id}`);
    for (const c of e.connectors ?? []) tiers.add(`${e.id}/${c.id}`);
  }
  return tiers;
}

const LAYOUT_COMPONENTS = new Set(['chargingstation', 'evse', 'connector']);
/** Part 1 §4.6: the General section's variables are required of every implementation, and security (block A) too. */
const ESSENTIAL_COMPONENTS = new Set(['ocppcommctrlr', 'devicedatactrlr', 'clockctrlr', 'securityctrlr']);

/**
 * Merges `base` (ocppkit's defaults and the layout's components, trusted) and the integrator's `config`
 * (checked) into component drafts, in order: base components first, configured additions after.
 */
export function mergeConfig(
  base: readonly ComponentConfig[],
  config: DeviceModelConfig | undefined,
  layout: StationLayout,
  catalogue: Catalogue,
  problems: Problems,
): Map<string, ComponentDraft> {
  const drafts = new Map<string, ComponentDraft>();
  const ingest = (c: ComponentConfig, f: string) => {
    const name = catalogue.componentName(c.name) ?? c.name;
    const id: ComponentId = {
      name,
      ...(c.instance ? { instance: c.instance } : {}),
      ...(c.evse ? { evse: { ...c.evse } } : {}),
    };
    const key = componentKey(id);
    const draft = drafts.get(key) ?? { id, field: f, variables: new Map() };
    draft.field = f;
    drafts.set(key, draft);
    return { key, draft };
  };
  for (const c of base) {
    const { draft } = ingest(c, `ocppkit default ${componentLabel(c)}`);
    const seen = new Set<string>();
    for (const v of c.variables ?? [])
      mergeVariable(
        v,
        `ocppkit default ${componentLabel(c)}.${v.name}${v.instance ? `[${v.instance}]` : ''}`,
        draft,
        seen,
        problems,
      );
  }
  if (config === undefined) return drafts;
  if (!isObject(config)) {
    problems.add('config', 'must be an object { components: [...] }');
    return drafts;
  }
  unknownKeys(config, new Set(['components', 'summaryInventory']), 'config', problems);
  if (config.summaryInventory !== undefined)
    problems.check(typeof config.summaryInventory === 'boolean', 'config.summaryInventory', 'must be true or false');
  if (config.components === undefined) return drafts;
  if (!Array.isArray(config.components)) {
    problems.add('config.components', 'must be an array of { name, instance?, evse?, variables: [...] }');
    return drafts;
  }
  const tiers = layoutTiers(layout);
  const seenComponents = new Set<string>();
  config.components.forEach((c: unknown, i) => {
    const f = `config.components[${i}]`;
    if (!isObject(c)) return problems.add(f, 'must be an object { name, instance?, evse?, variables: [...] }');
    unknownKeys(c, COMPONENT_KEYS, f, problems);
    if (
      !checkName(c.name, `${f}.name`, problems, 'component name') ||
      !checkInstance(c.instance, `${f}.instance`, problems)
    )
      return;
    let evse: ComponentId['evse'];
    if (c.evse !== undefined) {
      if (
        !isObject(c.evse) ||
        !isPositiveInt(c.evse.id) ||
        (c.evse.connectorId !== undefined && !isPositiveInt(c.evse.connectorId))
      ) {
        return problems.add(`${f}.evse`, 'must be { id, connectorId? } with integers ≥ 1');
      }
      evse =
        c.evse.connectorId === undefined
          ? { id: c.evse.id }
          : { id: c.evse.id, connectorId: c.evse.connectorId as number };
      const tier = evse.connectorId === undefined ? `${evse.id}` : `${evse.id}/${evse.connectorId}`;
      if (
        !problems.check(
          tiers.has(tier),
          `${f}.evse`,
          `${evse.connectorId === undefined ? `EVSE ${evse.id}` : `connector ${evse.connectorId} of EVSE ${evse.id}`} is not in the layout`,
        )
      )
        return;
    }
    const lower = c.name.toLowerCase();
    if (lower === 'connector' && evse?.connectorId === undefined)
      return problems.add(`${f}.evse`, 'a Connector component needs evse: { id, connectorId }');
    if (lower === 'evse' && (evse === undefined || evse.connectorId !== undefined))
      return problems.add(`${f}.evse`, 'an EVSE component needs evse: { id } (without connectorId)');
    const cfg: ComponentConfig = {
      name: c.name,
      ...(c.instance ? { instance: c.instance as string } : {}),
      ...(evse ? { evse } : {}),
    };
    const key = componentKey(cfg);
    if (
      !problems.check(
        !seenComponents.has(key),
        f,
        `component ${componentLabel(cfg)} appears twice; put all its variables in one entry`,
      )
    )
      return;
    seenComponents.add(key);
    if (
      c.remove !== undefined &&
      !problems.check(typeof c.remove === 'boolean', `${f}.remove`, 'must be true or false')
    )
      return;
    if (c.remove === true) {
      if (LAYOUT_COMPONENTS.has(lower) && !c.instance)
        return problems.add(`${f}.remove`, `${componentLabel(cfg)} comes from the layout; change the layout instead`);
      if (ESSENTIAL_COMPONENTS.has(lower) && !c.instance && !evse)
        return problems.add(
          `${f}.remove`,
          `${componentLabel(cfg)} is required of every station (Part 1 §4.6); remove single variables instead`,
        );
      if (
        problems.check(drafts.has(key), `${f}.remove`, `there is no default component ${componentLabel(cfg)} to remove`)
      )
        drafts.delete(key);
      return;
    }
    const { draft } = ingest(cfg, f);
    if (c.variables === undefined) return;
    if (!Array.isArray(c.variables)) return problems.add(`${f}.variables`, 'must be an array of { name, value, … }');
    const seen = new Set<string>();
    c.variables.forEach((v: unknown, j) => mergeVariable(v, `${f}.variables[${j}]`, draft, seen, problems));
  });
  return drafts;
}
