// What changed between two device-model editions: files, components, the component/variable rows (with renames,
// see renames.ts), the standardized-variable list (variables.csv) and the value lists (reason codes, security
// events, units, connector types, …). Prose is compared by hash and reported as "description changed".
import type { DeviceModelDigest, DmComponentVariableDigest, DmListEntryDigest, DmVariableDigest } from './dm-digest.js';
import { findRenames } from './renames.js';

export type DmChange =
  | { kind: 'file-added' | 'file-removed'; file: string }
  | { kind: 'component-added' | 'component-removed' | 'component-description-changed'; component: string }
  /** `unlistedComponent`: the row's component is not in that edition's components.csv (e.g. `TxCtlrl`, sic). */
  | {
      kind: 'variable-added' | 'variable-removed';
      component: string;
      variable: string;
      instance: string;
      required: string;
      dataType: string;
      unit: string;
      unlistedComponent?: true;
    }
  | { kind: 'variable-renamed'; component: string; instance: string; from: string; to: string }
  | {
      kind: 'variable-changed';
      component: string;
      variable: string;
      instance: string;
      property: 'required' | 'dataType' | 'unit';
      from: string;
      to: string;
    }
  | { kind: 'variable-description-changed'; component: string; variable: string; instance: string }
  /** variables.csv, the list of standardized variables (it may hold the same name twice). */
  | {
      kind: 'definition-added' | 'definition-removed';
      variable: string;
      dataType: string;
      unit: string;
      duplicate: boolean;
    }
  | { kind: 'definition-changed'; variable: string; property: 'dataType' | 'unit'; from: string; to: string }
  | { kind: 'definition-description-changed'; variable: string }
  | { kind: 'value-added' | 'value-removed'; file: string; value: string }
  | { kind: 'value-changed'; file: string; value: string; property: string; from: string; to: string }
  | { kind: 'value-description-changed'; file: string; value: string };

/**
 * Pairs equal keys across two lists (multiset: the n-th occurrence pairs with the n-th, exact matches first).
 * Returns the pairs and the unpaired items of each side, in file order.
 */
function pairByKey<T>(a: T[], b: T[], key: (t: T) => string, same: (x: T, y: T) => boolean) {
  const pairs: Array<[T, T]> = [];
  const freeB = new Map<string, T[]>();
  for (const y of b) freeB.set(key(y), [...(freeB.get(key(y)) ?? []), y]);
  const onlyA: T[] = [];
  const pending: T[] = [];
  for (const x of a) {
    const list = freeB.get(key(x)) ?? [];
    const i = list.findIndex((y) => same(x, y));
    if (i >= 0) pairs.push([x, list.splice(i, 1)[0]!]);
    else pending.push(x);
  }
  for (const x of pending) {
    const list = freeB.get(key(x)) ?? [];
    if (list.length) pairs.push([x, list.shift()!]);
    else onlyA.push(x);
  }
  const paired = new Set(pairs.map(([, y]) => y));
  return { pairs, onlyA, onlyB: b.filter((y) => !paired.has(y)) };
}

const has = (d: DeviceModelDigest, f: string) => d.files.includes(f);

export function diffDeviceModels(a: DeviceModelDigest, b: DeviceModelDigest): DmChange[] {
  const out: DmChange[] = [];
  for (const f of a.files) if (!has(b, f)) out.push({ kind: 'file-removed', file: f });
  for (const f of b.files) if (!has(a, f)) out.push({ kind: 'file-added', file: f });

  if (has(a, 'components.csv') && has(b, 'components.csv')) {
    const r = pairByKey(
      a.components,
      b.components,
      (c) => c.name,
      (x, y) => x.description === y.description,
    );
    for (const c of r.onlyA) out.push({ kind: 'component-removed', component: c.name });
    for (const c of r.onlyB) out.push({ kind: 'component-added', component: c.name });
    for (const [x, y] of r.pairs)
      if (x.description !== y.description) out.push({ kind: 'component-description-changed', component: x.name });
  }
  if (has(a, 'dm_components_vars.csv') && has(b, 'dm_components_vars.csv')) {
    const listed = (d: DeviceModelDigest) =>
      has(d, 'components.csv') ? new Set(d.components.map((c) => c.name)) : undefined;
    out.push(...diffRows(a.componentVariables, b.componentVariables, listed(a), listed(b)));
  }
  if (has(a, 'variables.csv') && has(b, 'variables.csv')) out.push(...diffDefinitions(a.variables, b.variables));
  for (const file of Object.keys(a.lists)) {
    if (b.lists[file]) out.push(...diffList(file, a.lists[file]!, b.lists[file]!));
  }
  return out;
}

const rowKey = (r: DmComponentVariableDigest) => `${r.component}\u0000${r.variable}\u0000${r.instance}`;
const ROW_PROPS = ['required', 'dataType', 'unit'] as const;

function diffRows(
  a: DmComponentVariableDigest[],
  b: DmComponentVariableDigest[],
  listedA?: Set<string>,
  listedB?: Set<string>,
): DmChange[] {
  const out: DmChange[] = [];
  const r = pairByKey(a, b, rowKey, (x, y) => ROW_PROPS.every((p) => x[p] === y[p]) && x.description === y.description);
  const group = (x: DmComponentVariableDigest) => `${x.component}\u0000${x.instance}\u0000${x.dataType}\u0000${x.unit}`;
  const renames = findRenames(
    r.onlyA.map((x) => ({ group: group(x), name: x.variable, position: a.indexOf(x) })),
    r.onlyB.map((y) => ({ group: group(y), name: y.variable, position: b.indexOf(y) })),
  );
  const renamedA = new Set(renames.map(([i]) => i));
  const renamedB = new Set(renames.map(([, j]) => j));
  const compare = (x: DmComponentVariableDigest, y: DmComponentVariableDigest) => {
    for (const p of ROW_PROPS) {
      if (x[p] !== y[p])
        out.push({
          kind: 'variable-changed',
          component: y.component,
          variable: y.variable,
          instance: y.instance,
          property: p,
          from: x[p],
          to: y[p],
        });
    }
    if (x.description !== y.description)
      out.push({
        kind: 'variable-description-changed',
        component: y.component,
        variable: y.variable,
        instance: y.instance,
      });
  };
  for (const [i, j] of renames) {
    const x = r.onlyA[i]!;
    const y = r.onlyB[j]!;
    out.push({
      kind: 'variable-renamed',
      component: x.component,
      instance: x.instance,
      from: x.variable,
      to: y.variable,
    });
    compare(x, y);
  }
  const row = (x: DmComponentVariableDigest, listed?: Set<string>) => ({
    component: x.component,
    variable: x.variable,
    instance: x.instance,
    required: x.required,
    dataType: x.dataType,
    unit: x.unit,
    ...(listed && x.component !== '<generic>' && !listed.has(x.component) ? { unlistedComponent: true as const } : {}),
  });
  r.onlyA.forEach((x, i) => renamedA.has(i) || out.push({ kind: 'variable-removed', ...row(x, listedA) }));
  r.onlyB.forEach((y, j) => renamedB.has(j) || out.push({ kind: 'variable-added', ...row(y, listedB) }));
  for (const [x, y] of r.pairs) compare(x, y);
  return out;
}

function diffDefinitions(a: DmVariableDigest[], b: DmVariableDigest[]): DmChange[] {
  const out: DmChange[] = [];
  const r = pairByKey(
    a,
    b,
    (v) => v.name,
    (x, y) => x.dataType === y.dataType && x.unit === y.unit && x.description === y.description,
  );
  const count = (list: DmVariableDigest[], name: string) => list.filter((v) => v.name === name).length;
  for (const x of r.onlyA)
    out.push({
      kind: 'definition-removed',
      variable: x.name,
      dataType: x.dataType,
      unit: x.unit,
      duplicate: count(a, x.name) > 1,
    });
  for (const y of r.onlyB)
    out.push({
      kind: 'definition-added',
      variable: y.name,
      dataType: y.dataType,
      unit: y.unit,
      duplicate: count(b, y.name) > 1,
    });
  for (const [x, y] of r.pairs) {
    for (const p of ['dataType', 'unit'] as const)
      if (x[p] !== y[p]) out.push({ kind: 'definition-changed', variable: x.name, property: p, from: x[p], to: y[p] });
    if (x.description !== y.description) out.push({ kind: 'definition-description-changed', variable: x.name });
  }
  return out;
}

function diffList(file: string, a: DmListEntryDigest[], b: DmListEntryDigest[]): DmChange[] {
  const out: DmChange[] = [];
  const r = pairByKey(
    a,
    b,
    (e) => e.key,
    (x, y) => x.description === y.description && x.group === y.group,
  );
  for (const x of r.onlyA) out.push({ kind: 'value-removed', file, value: x.key });
  for (const y of r.onlyB) out.push({ kind: 'value-added', file, value: y.key });
  for (const [x, y] of r.pairs) {
    if ((x.group ?? '') !== (y.group ?? ''))
      out.push({
        kind: 'value-changed',
        file,
        value: x.key,
        property: 'group',
        from: x.group ?? '',
        to: y.group ?? '',
      });
    for (const p of [...new Set([...Object.keys(x.props), ...Object.keys(y.props)])]) {
      if ((x.props[p] ?? '') !== (y.props[p] ?? ''))
        out.push({
          kind: 'value-changed',
          file,
          value: x.key,
          property: p,
          from: x.props[p] ?? '',
          to: y.props[p] ?? '',
        });
    }
    if (x.description !== y.description) out.push({ kind: 'value-description-changed', file, value: x.key });
  }
  return out;
}
