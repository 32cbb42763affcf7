// One device-model appendix edition (a folder of OCA CSVs) read into plain rows, with the cells as the OCA wrote
// them (trimmed). Interpreting them (data types, instances, malformed rows) is catalogue.ts's job; comparing two
// editions is drift/dm-digest.ts's. Reading never throws on bad content: problems become warnings.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { column, parseCsv, type CsvTable } from './csv.js';

export interface ComponentRow {
  line: number;
  name: string;
  description: string;
}

export interface VariableRow {
  line: number;
  name: string;
  dataType: string;
  unit: string;
  description: string;
}

export interface ComponentVariableRow {
  line: number;
  /** The `Specific Component` cell; `<generic>` for variables that apply to any component. */
  component: string;
  variable: string;
  /** The `Instance` cell as written: empty, a name, a placeholder like `<vendorId>`, or a list/range `1, 2 .. 20`. */
  instance: string;
  /** The `Required?` cell as written (`yes`, `no`, `V2X`, or empty). */
  required: string;
  dataType: string;
  unit: string;
  description: string;
}

/** A value list such as reason_codes.csv or security_events.csv: a key column, short property columns, prose. */
export interface ListRow {
  line: number;
  key: string;
  /** Reason codes are grouped by header rows in 2.1 (`Charging Profiles;;;`); the group applies to the rows below. */
  group?: string;
  /** Short non-prose columns by header name (e.g. `Critical`, `Algorithm`). */
  props: Record<string, string>;
  /** Prose columns (`Description`, `Typically used for`) joined; compared as a hash, never stored in the repo. */
  description: string;
}

export interface DeviceModelEdition {
  /** The CSV file names present, sorted. */
  files: string[];
  components: ComponentRow[];
  variables: VariableRow[];
  componentVariables: ComponentVariableRow[];
  /** Every other CSV, by file name. */
  lists: Record<string, ListRow[]>;
  /** Decoding and layout problems. */
  warnings: string[];
}

export const CORE_FILES = ['components.csv', 'variables.csv', 'dm_components_vars.csv'] as const;

/** Is this folder a device-model edition (rather than a schema set)? */
export function isDeviceModelDir(dir: string): boolean {
  return existsSync(join(dir, 'dm_components_vars.csv')) || existsSync(join(dir, 'components.csv'));
}

/** Lists the CSV files of an edition folder, sorted. */
export function deviceModelFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.toLowerCase().endsWith('.csv'))
    .sort();
}

const PROSE = /description|typically used/i;

export function readDeviceModelEdition(dir: string, label = dir): DeviceModelEdition {
  const files = deviceModelFiles(dir);
  const warnings: string[] = [];
  const tables = new Map<string, CsvTable>();
  for (const f of files) {
    const t = parseCsv(readFileSync(join(dir, f)), `${label}/${f}`);
    warnings.push(...t.warnings);
    tables.set(f, t);
  }
  const need = (file: string, cols: string[][]): { t: CsvTable; idx: number[] } | undefined => {
    const t = tables.get(file);
    if (!t) {
      warnings.push(`${label}/${file}: missing`);
      return undefined;
    }
    const idx = cols.map((names) => column(t, ...names));
    const absent = cols.filter((_, i) => idx[i]! < 0).map((names) => names[0]);
    if (absent.length)
      warnings.push(`${label}/${file}: no column ${absent.join(', ')} in header "${t.header.join(';')}"`);
    return { t, idx };
  };
  const cell = (cells: string[], i: number) => (i >= 0 ? (cells[i] ?? '') : '');

  const components: ComponentRow[] = [];
  const c = need('components.csv', [['Component'], ['Description']]);
  if (c)
    for (const r of c.t.records)
      components.push({ line: r.line, name: cell(r.cells, c.idx[0]!), description: cell(r.cells, c.idx[1]!) });

  const variables: VariableRow[] = [];
  const v = need('variables.csv', [['Name', 'Variable'], ['DataType'], ['Unit'], ['Description']]);
  if (v) {
    for (const r of v.t.records) {
      const [name, dataType, unit, description] = v.idx.map((i) => cell(r.cells, i));
      variables.push({ line: r.line, name: name!, dataType: dataType!, unit: unit!, description: description! });
    }
  }

  const componentVariables: ComponentVariableRow[] = [];
  const cv = need('dm_components_vars.csv', [
    ['Specific Component', 'Component'],
    ['Variable'],
    ['Instance'],
    ['Required?', 'Required'],
    ['DataType'],
    ['Unit'],
    ['Description'],
  ]);
  if (cv) {
    for (const r of cv.t.records) {
      const [component, variable, instance, required, dataType, unit, description] = cv.idx.map((i) =>
        cell(r.cells, i),
      );
      componentVariables.push({
        line: r.line,
        component: component!,
        variable: variable!,
        instance: instance!,
        required: required!,
        dataType: dataType!,
        unit: unit!,
        description: description!,
      });
    }
  }

  const lists: Record<string, ListRow[]> = {};
  for (const [file, t] of tables) {
    if ((CORE_FILES as readonly string[]).includes(file)) continue;
    lists[file] = readList(t);
  }
  return { files, components, variables, componentVariables, lists, warnings };
}

/** The key is the first column, or the `Reason code` column when a `Group` column comes first (2.1). */
function readList(t: CsvTable): ListRow[] {
  const groupIdx = column(t, 'Group');
  const keyIdx = groupIdx >= 0 ? Math.max(column(t, 'Reason code', 'ReasonCode'), 0) : 0;
  const rows: ListRow[] = [];
  let group: string | undefined;
  for (const r of t.records) {
    if (groupIdx >= 0 && r.cells[groupIdx]) {
      group = r.cells[groupIdx];
      // A row that only names a group is a heading, not an entry.
      if (!r.cells[keyIdx]) continue;
    }
    const props: Record<string, string> = {};
    const prose: string[] = [];
    t.header.forEach((h, i) => {
      if (i === keyIdx || i === groupIdx) return;
      if (PROSE.test(h)) prose.push(r.cells[i] ?? '');
      else props[h] = r.cells[i] ?? '';
    });
    rows.push({
      line: r.line,
      key: r.cells[keyIdx] ?? '',
      ...(groupIdx >= 0 && group !== undefined ? { group } : {}),
      props,
      description: prose.join('\n'),
    });
  }
  return rows;
}
