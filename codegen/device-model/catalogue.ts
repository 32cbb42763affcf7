// The device-model catalogue of one edition: every standardized component and variable as the runtime needs it
// (data type, units, required, instances), plus the warnings for rows the OCA files get wrong. A malformed row is
// kept under its literal name and marked with its issue, never dropped: the catalogue must not silently disagree
// with the files it claims to represent.
//
// What counts as malformed (documented in docs/spec-drift.md, pinned by test/codegen/device-model-*.test.ts):
//  - a component in dm_components_vars.csv that components.csv does not list (e.g. `TxCtlrl`, sic);
//  - a variable whose name matches a variables.csv name only when case is ignored (`VehicleID` vs `VehicleId`);
//  - a `<generic>` variable absent from variables.csv (that file is the appendix's list of standardized variables;
//    component-specific configuration variables are defined only in dm_components_vars.csv, which is normal);
//  - duplicate names (components.csv, variables.csv) or duplicate component/variable/instance rows;
//  - an empty or unknown `Required?`, an empty or misspelled `DataType` (`DateTime` for `dateTime`);
//  - a data type that differs between dm_components_vars.csv and variables.csv on the wire;
//  - a unit not in units_of_measure.csv, or units that the two files give differently (both non-empty, disjoint);
//  - lines that are not valid UTF-8 (decoded as Windows-1252 by csv.ts).
import type { ComponentVariableRow, DeviceModelEdition, VariableRow } from './edition.js';

/** DataEnumType of the 2.x schemas: what VariableCharacteristics.dataType carries on the wire. */
export const WIRE_DATA_TYPES = [
  'string',
  'decimal',
  'integer',
  'dateTime',
  'boolean',
  'OptionList',
  'SequenceList',
  'MemberList',
] as const;
export type WireDataType = (typeof WIRE_DATA_TYPES)[number];
/** The appendix also uses two refinements of `string` defined in Part 2 (primitive datatypes). */
export const DATA_TYPES = [...WIRE_DATA_TYPES, 'passwordString', 'identifierString'] as const;
export type DataType = (typeof DATA_TYPES)[number];

export function wireDataType(t: DataType): WireDataType {
  return t === 'passwordString' || t === 'identifierString' ? 'string' : t;
}

export interface Warning {
  /** File name inside the edition folder. */
  file: string;
  line: number;
  message: string;
}

export interface InstanceEntry {
  /** The instance name; null for the row without instance. A placeholder (`<vendorId>`) stands for any value. */
  instance: string | null;
  anyInstance?: true;
  required: boolean;
  requiredWhen?: string;
}

export interface VariableEntry {
  dataType: DataType | null;
  units: string[];
  /** True when the row without instance, or any of the named instances, is required. */
  required: boolean;
  /** `Required?` gave a condition (2.1 uses `V2X`) instead of yes/no. */
  requiredWhen?: string;
  /** Present when the CSV names instances; each carries its own required flag. */
  instances?: InstanceEntry[];
  summary: string;
  issues?: string[];
}

export interface ComponentEntry {
  /** False when components.csv does not list it (the row is kept under its literal name). */
  listed: boolean;
  summary: string;
  variables: Record<string, VariableEntry>;
  issues?: string[];
}

export interface DeviceModelCatalogue {
  components: Record<string, ComponentEntry>;
  /** `<generic>` rows: variables that apply to any component. */
  genericVariables: Record<string, VariableEntry>;
  /** variables.csv: the standardized variables, with their data type and units. */
  standardizedVariables: Record<string, { dataType: DataType | null; units: string[]; issues?: string[] }>;
  reasonCodes: string[];
  securityEvents: Record<string, { critical: boolean }>;
  unitsOfMeasure: string[];
  /** The other value lists (2.1: connector types, id token types, payment brands, …), by file name. */
  valueLists: Record<string, string[]>;
  warnings: Warning[];
}

const GENERIC = '<generic>';

/** First sentence of a description, at most 80 characters: enough for a tooltip, not a copy of the appendix. */
export function summarize(description: string): string {
  const flat = description.replace(/\s+/g, ' ').trim();
  const sentence = flat.match(/^.*?[.!?](?=\s|$)/)?.[0] ?? flat;
  return sentence.length <= 80 ? sentence : `${sentence.slice(0, 77).replace(/\s+\S*$/, '')}…`;
}

/** `W, kW` → ['W', 'kW']. */
export function splitUnits(unit: string): string[] {
  return unit
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
}

/** `1, 2 .. 20` → 1…20; `<vendorId>` → any; `GetReport` → itself. */
export function parseInstances(cell: string): Array<{ instance: string; anyInstance?: true }> | { error: string } {
  const out: Array<{ instance: string; anyInstance?: true }> = [];
  for (const part of cell
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const range = part.match(/^(\d+)\s*\.\.\s*(\d+)$/);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (to < from || to - from > 1000) return { error: `instance range "${part}" is empty or too large` };
      for (let i = from; i <= to; i++) out.push({ instance: String(i) });
    } else if (/^<[^<>]+>$/.test(part)) out.push({ instance: part, anyInstance: true });
    else out.push({ instance: part });
  }
  return out;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

export function buildCatalogue(edition: DeviceModelEdition): DeviceModelCatalogue {
  const warnings: Warning[] = edition.warnings.map((message) => {
    const file = message.match(/\/([^/]+\.csv)[: ]/)?.[1] ?? '';
    return { file, line: 0, message };
  });
  const warn = (file: string, line: number, message: string) => warnings.push({ file, line, message });

  // ---- value lists
  const unitsOfMeasure = (edition.lists['units_of_measure.csv'] ?? []).map((r) => r.key);
  const knownUnits = new Set(unitsOfMeasure);
  const reasonCodes: string[] = [];
  for (const r of edition.lists['reason_codes.csv'] ?? []) {
    if (reasonCodes.includes(r.key)) warn('reason_codes.csv', r.line, `duplicate reason code "${r.key}"`);
    else reasonCodes.push(r.key);
  }
  const securityEvents: Record<string, { critical: boolean }> = {};
  for (const r of edition.lists['security_events.csv'] ?? []) {
    const c = (r.props['Critical'] ?? '').toLowerCase();
    if (c !== 'yes' && c !== 'no')
      warn(
        'security_events.csv',
        r.line,
        `security event "${r.key}": Critical is "${r.props['Critical'] ?? ''}", expected Yes or No`,
      );
    if (r.key in securityEvents) warn('security_events.csv', r.line, `duplicate security event "${r.key}"`);
    else securityEvents[r.key] = { critical: c === 'yes' };
  }
  const valueLists: Record<string, string[]> = {};
  for (const [file, rows] of Object.entries(edition.lists)) {
    if (['units_of_measure.csv', 'reason_codes.csv', 'security_events.csv'].includes(file)) continue;
    valueLists[file] = [...new Set(rows.map((r) => r.key))];
  }

  // ---- data types
  const dataTypeOf = (file: string, line: number, name: string, cell: string): DataType | null => {
    if (cell === '') return null;
    if ((DATA_TYPES as readonly string[]).includes(cell)) return cell as DataType;
    const fixed = DATA_TYPES.find((t) => t.toLowerCase() === cell.toLowerCase());
    if (fixed) {
      warn(file, line, `${name}: DataType "${cell}" is not the spec spelling; read as "${fixed}"`);
      return fixed;
    }
    warn(file, line, `${name}: unknown DataType "${cell}"`);
    return null;
  };

  // ---- variables.csv (the standardized variables)
  const standardizedVariables: DeviceModelCatalogue['standardizedVariables'] = {};
  const byName = new Map<string, VariableRow[]>();
  const std = new Map<string, { dataType: DataType | null; units: string[] }[]>();
  for (const v of edition.variables) {
    byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
    if (v.dataType === '') warn('variables.csv', v.line, `${v.name}: DataType is empty`);
    const dataType = dataTypeOf('variables.csv', v.line, v.name, v.dataType);
    const units = splitUnits(v.unit);
    for (const u of units)
      if (unitsOfMeasure.length && !knownUnits.has(u))
        warn('variables.csv', v.line, `${v.name}: unit "${u}" is not in units_of_measure.csv`);
    std.set(v.name, [...(std.get(v.name) ?? []), { dataType, units }]);
    const prev = standardizedVariables[v.name];
    if (prev) {
      const first = byName.get(v.name)![0]!;
      warn(
        'variables.csv',
        v.line,
        `duplicate variable "${v.name}" (first on line ${first.line}: ${first.dataType || '-'} ${first.unit || '-'}; here: ${v.dataType || '-'} ${v.unit || '-'})`,
      );
      (prev.issues ??= []).push(
        `duplicate in variables.csv (also ${dataType ?? '?'}${units.length ? ` ${units.join(', ')}` : ''})`,
      );
      continue;
    }
    standardizedVariables[v.name] = { dataType, units };
  }
  const lowerStd = new Map([...byName.keys()].map((n) => [n.toLowerCase(), n]));

  // ---- components.csv
  const components: Record<string, ComponentEntry> = {};
  for (const c of edition.components) {
    if (c.name in components) warn('components.csv', c.line, `duplicate component "${c.name}"`);
    else components[c.name] = { listed: true, summary: summarize(c.description), variables: {} };
  }
  const listedNames = Object.keys(components);

  // ---- dm_components_vars.csv
  const genericVariables: Record<string, VariableEntry> = {};
  const seen = new Map<string, number>();
  const F = 'dm_components_vars.csv';
  for (const row of edition.componentVariables) {
    const where = `${row.component}/${row.variable}${row.instance ? `[${row.instance}]` : ''}`;
    const issues: string[] = [];
    const key = `${row.component}\u0000${row.variable}\u0000${row.instance}`;
    if (seen.has(key)) warn(F, row.line, `${where}: duplicate row (first on line ${seen.get(key)})`);
    seen.set(key, row.line);

    let target: Record<string, VariableEntry>;
    if (row.component === GENERIC) target = genericVariables;
    else {
      let comp = components[row.component];
      if (!comp) {
        const near = listedNames.filter((n) => editDistance(n.toLowerCase(), row.component.toLowerCase()) <= 2);
        warn(
          F,
          row.line,
          `${where}: component "${row.component}" is not in components.csv${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; kept under this name`,
        );
        comp = components[row.component] = {
          listed: false,
          summary: '',
          variables: {},
          issues: [`not in components.csv${near.length ? `; did you mean ${near.join(' or ')}?` : ''}`],
        };
      }
      target = comp.variables;
    }

    // Name checks against variables.csv.
    if (!byName.has(row.variable)) {
      const other = lowerStd.get(row.variable.toLowerCase());
      if (other) {
        warn(F, row.line, `${where}: variable "${row.variable}" differs only in case from variables.csv "${other}"`);
        issues.push(`name differs in case from variables.csv "${other}"`);
      } else if (row.component === GENERIC) {
        warn(F, row.line, `${where}: generic variable "${row.variable}" is not in variables.csv`);
        issues.push('not in variables.csv');
      }
    }

    // Required?
    let required = false;
    let requiredWhen: string | undefined;
    const req = row.required.toLowerCase();
    if (req === 'yes') required = true;
    else if (req === 'no') required = false;
    else if (row.required === '') {
      warn(F, row.line, `${where}: Required? is empty; read as "no"`);
      issues.push('Required? empty');
    } else {
      requiredWhen = row.required;
      if (row.required !== 'V2X')
        warn(F, row.line, `${where}: Required? is "${row.required}", expected yes, no or a feature condition (V2X)`);
    }

    // DataType: the row's own, else variables.csv's (reported).
    let dataType = dataTypeOf(F, row.line, where, row.dataType);
    const stdDefs = std.get(row.variable) ?? std.get(lowerStd.get(row.variable.toLowerCase()) ?? '') ?? [];
    if (row.dataType === '') {
      const fallback = stdDefs.find((d) => d.dataType)?.dataType ?? null;
      warn(F, row.line, `${where}: DataType is empty${fallback ? `; taken from variables.csv ("${fallback}")` : ''}`);
      issues.push('DataType empty');
      dataType = fallback;
    } else if (
      dataType &&
      stdDefs.length &&
      stdDefs.every((d) => d.dataType && wireDataType(d.dataType) !== wireDataType(dataType!))
    ) {
      const theirs = [...new Set(stdDefs.map((d) => d.dataType))].join(' or ');
      warn(
        F,
        row.line,
        `${where}: DataType "${dataType}" differs from variables.csv ("${theirs}"); the component's row is used`,
      );
      issues.push(`variables.csv says ${theirs}`);
    }

    const units = splitUnits(row.unit);
    const unknown = units.filter((u) => unitsOfMeasure.length && !knownUnits.has(u));
    const stdUnits = stdDefs.map((d) => d.units).filter((u) => u.length > 0);
    const disagrees =
      units.length > 0 && stdUnits.length > 0 && stdUnits.every((u) => !u.some((x) => units.includes(x)));
    if (unknown.length || disagrees) {
      const theirs = `variables.csv has "${stdUnits.map((u) => u.join(', ')).join('" or "')}"`;
      warn(
        F,
        row.line,
        unknown.length
          ? `${where}: unit "${unknown.join(', ')}" is not in units_of_measure.csv${disagrees ? ` (${theirs})` : ''}`
          : `${where}: unit "${units.join(', ')}" differs from variables.csv (${theirs.slice('variables.csv has '.length)})`,
      );
    }

    const parsed = row.instance ? parseInstances(row.instance) : [];
    if (!Array.isArray(parsed)) {
      warn(F, row.line, `${where}: ${parsed.error}`);
      issues.push(parsed.error);
    }
    const instances: InstanceEntry[] = Array.isArray(parsed)
      ? parsed.map((p) => ({ ...p, required, ...(requiredWhen ? { requiredWhen } : {}) }))
      : [];

    const existing = target[row.variable];
    if (!existing) {
      target[row.variable] = {
        dataType,
        units,
        required,
        ...(requiredWhen ? { requiredWhen } : {}),
        ...(row.instance ? { instances } : {}),
        summary: summarize(row.description),
        ...(issues.length ? { issues } : {}),
      };
      continue;
    }
    // Another instance of a variable already seen: one entry, instances collected, the first row's type kept.
    if (existing.dataType !== dataType)
      warn(F, row.line, `${where}: DataType "${dataType}" differs from an earlier instance ("${existing.dataType}")`);
    const list = (existing.instances ??= [
      {
        instance: null,
        required: existing.required,
        ...(existing.requiredWhen ? { requiredWhen: existing.requiredWhen } : {}),
      },
    ]);
    existing.required ||= required;
    if (row.instance) list.push(...instances);
    else list.push({ instance: null, required, ...(requiredWhen ? { requiredWhen } : {}) });
    if (issues.length) (existing.issues ??= []).push(...issues);
  }

  return {
    components,
    genericVariables,
    standardizedVariables,
    reasonCodes,
    securityEvents,
    unitsOfMeasure,
    valueLists,
    warnings,
  };
}
