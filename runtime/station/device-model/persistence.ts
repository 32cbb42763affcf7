// Persistence through the Store's document API. Only values that changed at run time are written (by the CSMS or
// the station), never the configured initial values — so a new firmware's changed default takes effect unless the
// value was changed in the field. A stored value is applied at start only if its attribute still exists, is still
// persistent and not constant, and the value is still valid for the variable's current characteristics; a
// stored value that cannot be applied is kept (a firmware rollback may bring its variable back) and reported.
import { componentKey, variableKey, variableLabel } from './address.js';
import { checkBounds, checkFormat } from './values.js';
import type { AttributeNode, ComponentNode, VariableNode } from './nodes.js';
import type { AttributeType } from './types.js';

/** The part of the Store the device model uses (runtime/store/types.ts). */
export interface DeviceModelStore {
  get<T = unknown>(namespace: string, key: string): T | undefined;
  put(namespace: string, key: string, value: unknown): void;
  delete(namespace: string, key: string): boolean;
  list<T = unknown>(namespace: string, prefix?: string): { key: string; value: T }[];
  transaction<T>(fn: () => T): T;
}

/** Values in effect (written when they change). */
export const VALUES_NS = 'deviceModel.value';
/** Values accepted with RebootRequired, applied at the next start. */
export const PENDING_NS = 'deviceModel.pending';

interface StoredValue {
  value: string;
}

/** Store key of an attribute: the lookup keys (case-folded) of component and variable, and the attribute type. */
export function storeKey(v: VariableNode, type: AttributeType): string {
  return `${componentKey(v.component.id)}${variableKey(v.id)}${type}`;
}

function isStored(x: unknown): x is StoredValue {
  return typeof x === 'object' && x !== null && typeof (x as StoredValue).value === 'string';
}

/** Why a stored value cannot be applied to this attribute now, or undefined if it can. */
function unusable(v: VariableNode, a: AttributeNode, raw: unknown): { reason: string } | { value: string } {
  if (!isStored(raw)) return { reason: 'the stored entry is not a device-model value' };
  if (a.constant) return { reason: 'the attribute is constant now' };
  if (!a.persistent) return { reason: 'the attribute is not persistent any more' };
  const checked = checkFormat(raw.value, v.characteristics);
  if (!checked.ok) return { reason: checked.problem.detail };
  const range = checkBounds(checked.value, v.characteristics.dataType, {
    min: v.characteristics.minLimit,
    max: v.characteristics.maxLimit,
  });
  if (range) return { reason: range.detail };
  return { value: checked.value };
}

/**
 * Applies stored values at start: first pending (reboot-required) values become the values in effect (this start
 * is the reboot they waited for), then every stored value is applied. Returns warnings for what was not applied.
 */
export function restore(
  store: DeviceModelStore,
  components: readonly ComponentNode[],
  apply: (a: AttributeNode, value: string) => void,
): string[] {
  const warnings: string[] = [];
  const pending = store.list(PENDING_NS);
  // A new station's store holds nothing: then no index of every attribute is built (issue 18, thousands of them).
  if (pending.length === 0 && store.list(VALUES_NS).length === 0) return warnings;
  const byKey = new Map<string, { v: VariableNode; a: AttributeNode }>();
  for (const c of components)
    for (const v of c.variables.values())
      for (const a of v.attributes.values()) byKey.set(storeKey(v, a.type), { v, a });
  store.transaction(() => {
    for (const { key, value } of pending) {
      const target = byKey.get(key);
      if (!target) continue; // kept: its variable may come back with another firmware
      const use = unusable(target.v, target.a, value);
      if ('value' in use) store.put(VALUES_NS, key, { value: use.value });
      else
        warnings.push(
          `pending value of ${variableLabel(target.v.component.id, target.v.id)} (${target.a.type}) dropped: ${use.reason}`,
        );
      store.delete(PENDING_NS, key);
    }
  });
  for (const { key, value } of store.list(VALUES_NS)) {
    const target = byKey.get(key);
    if (!target) {
      warnings.push(`stored value ${key} belongs to no variable of this configuration; kept, not used`);
      continue;
    }
    const use = unusable(target.v, target.a, value);
    if ('value' in use) apply(target.a, use.value);
    else
      warnings.push(
        `stored value of ${variableLabel(target.v.component.id, target.v.id)} (${target.a.type}) not used: ${use.reason}`,
      );
  }
  return warnings;
}

/** The store row of a value in effect. */
export const valueRow = (v: VariableNode, type: AttributeType, value: string) =>
  ({ op: 'put', namespace: VALUES_NS, key: storeKey(v, type), value: { value } satisfies StoredValue }) as const;

/** The store row of a value that takes effect at the next start. */
export const pendingRow = (v: VariableNode, type: AttributeType, value: string) =>
  ({ op: 'put', namespace: PENDING_NS, key: storeKey(v, type), value: { value } satisfies StoredValue }) as const;

/** Writes a value in effect. */
export function persistValue(store: DeviceModelStore, v: VariableNode, type: AttributeType, value: string): void {
  const row = valueRow(v, type, value);
  store.put(row.namespace, row.key, row.value);
}
