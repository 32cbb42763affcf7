// Addressing: how a component and a variable are identified. The schemas call names and instances "Case
// Insensitive", and B06.FR.15 treats an empty instance like an absent one, so the lookup keys fold case and map
// '' to "no instance". What goes back on the wire is always the request's own component and variable (B05.FR.02,
// B06.FR.02); what a report shows is the model's spelling.
import { DeviceModelError } from './errors.js';
import type { ComponentRef, VariableRef } from './types.js';

/** A component in wire shape (ComponentType without customData). */
export interface ComponentId {
  name: string;
  instance?: string;
  evse?: { id: number; connectorId?: number };
}

/** A variable in wire shape (VariableType without customData). */
export interface VariableId {
  name: string;
  instance?: string;
}

const fold = (s: string | undefined) => (s ? s.toLowerCase() : '');

/** Lookup key of a component: name, instance, evse.id, evse.connectorId. */
export function componentKey(c: ComponentId): string {
  return JSON.stringify([fold(c.name), fold(c.instance), c.evse?.id ?? null, c.evse?.connectorId ?? null]);
}

/** Lookup key of a variable within its component: name, instance. */
export function variableKey(v: VariableId): string {
  return JSON.stringify([fold(v.name), fold(v.instance)]);
}

/** `EVSE(1)`, `Connector(1,2)`, `Fan[left]`, `OCPPCommCtrlr` — for messages. */
export function componentLabel(c: ComponentId): string {
  const tier = c.evse ? `(${c.evse.id}${c.evse.connectorId !== undefined ? `,${c.evse.connectorId}` : ''})` : '';
  return `${c.name}${c.instance ? `[${c.instance}]` : ''}${tier}`;
}

/** `OCPPCommCtrlr.MessageTimeout[Default]` — for messages. */
export function variableLabel(c: ComponentId, v: VariableId): string {
  return `${componentLabel(c)}.${v.name}${v.instance ? `[${v.instance}]` : ''}`;
}

/** Copies a wire component without customData and without an empty instance. */
export function cleanComponent(c: ComponentId): ComponentId {
  const out: ComponentId = { name: c.name };
  if (c.instance) out.instance = c.instance;
  if (c.evse)
    out.evse =
      c.evse.connectorId === undefined ? { id: c.evse.id } : { id: c.evse.id, connectorId: c.evse.connectorId };
  return out;
}

/** Copies a wire variable without customData and without an empty instance. */
export function cleanVariable(v: VariableId): VariableId {
  return v.instance ? { name: v.name, instance: v.instance } : { name: v.name };
}

/** A runtime ComponentRef as a component id; throws on a malformed reference (a programming error in the caller). */
export function toComponentId(ref: ComponentRef): ComponentId {
  if (typeof ref === 'string') return { name: ref };
  if (!ref || typeof ref !== 'object' || typeof ref.name !== 'string') {
    throw new DeviceModelError(`component must be a name or { name, instance?, evse? }, got ${JSON.stringify(ref)}`);
  }
  return cleanComponent(ref);
}

/** A runtime VariableRef as a variable id; throws on a malformed reference. */
export function toVariableId(ref: VariableRef): VariableId {
  if (typeof ref === 'string') return { name: ref };
  if (!ref || typeof ref !== 'object' || typeof ref.name !== 'string') {
    throw new DeviceModelError(`variable must be a name or { name, instance? }, got ${JSON.stringify(ref)}`);
  }
  return cleanVariable(ref);
}
