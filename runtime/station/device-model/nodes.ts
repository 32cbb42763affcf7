// The model's in-memory structure: components, their variables, the variables' attributes. Shared by the model
// class and the request handlers (get/set/report), which read it directly; only DeviceModel changes values.
import { AttributeEnumType } from '../../../generated/v21/enums.js';
import type { ComponentId, VariableId } from './address.js';
import type { Characteristics } from './values.js';
import type { AttributeType, Mutability } from './types.js';

export interface AttributeNode {
  readonly type: AttributeType;
  /** undefined: supported but unset (B06.FR.13 answers ''). */
  value: string | undefined;
  readonly mutability: Mutability;
  readonly persistent: boolean;
  readonly constant: boolean;
  /** A live value read at every access (ClockCtrlr.DateTime, a meter reading); replaces `value`. */
  provider?: () => unknown;
  /** A CSMS value accepted with RebootRequired: stored, applied at the next start. */
  pending?: string;
}

export interface VariableNode {
  readonly component: ComponentNode;
  /** The model's spelling (the catalogue's for standardized variables). */
  readonly id: VariableId;
  readonly key: string;
  readonly characteristics: Characteristics;
  /** In the order Actual, Target, MinSet, MaxSet. */
  readonly attributes: ReadonlyMap<AttributeType, AttributeNode>;
  readonly rebootRequired: boolean;
}

export interface ComponentNode {
  readonly id: ComponentId;
  readonly key: string;
  /** Sorted by name, then instance. */
  readonly variables: Map<string, VariableNode>;
}

export const ATTRIBUTE_ORDER: readonly AttributeType[] = AttributeEnumType;

/** Report order: station tier first, then per EVSE (EVSE tier before its connectors), by name and instance within. */
export function compareComponents(a: ComponentId, b: ComponentId): number {
  return (
    (a.evse?.id ?? 0) - (b.evse?.id ?? 0) ||
    (a.evse?.connectorId ?? 0) - (b.evse?.connectorId ?? 0) ||
    compareNames(a.name, b.name) ||
    compareNames(a.instance ?? '', b.instance ?? '')
  );
}

export function compareNames(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The value of an attribute as the model sees it now: the provider's, or the stored one. */
export function currentValue(a: AttributeNode): string | undefined {
  if (!a.provider) return a.value;
  const v = a.provider();
  if (v === undefined || v === null) return undefined;
  return v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : String(v);
}
