// 1.6 numbers connectors 1..n across the Charge Point (0: the Charge Point as a whole); the integration API names
// them by EVSE and connector as in 2.x. The connectors are numbered in the order of the layout: EVSE 1's connectors,
// then EVSE 2's, … — with one connector per EVSE (the usual case) 1.6 connector n is EVSE n.
import type { EvseLayout } from '../core/types.js';

export interface Connector16 {
  /** The 1.6 connectorId (≥ 1). */
  id: number;
  evseId: number;
  connectorId: number;
  /** The cable is fixed to the connector (ConnectorLayout.fixedCable): UnlockConnector is NotSupported. */
  fixedCable: boolean;
}

export function connectors16(evses: readonly EvseLayout[]): Connector16[] {
  const out: Connector16[] = [];
  for (const e of evses)
    for (const c of e.connectors)
      out.push({ id: out.length + 1, evseId: e.id, connectorId: c.id, fixedCable: c.fixedCable === true });
  return out;
}

/** The 1.6 connectorId of an EVSE's connector; undefined when the layout has none. */
export function connectorNumber(evses: readonly EvseLayout[], evseId: number, connectorId = 1): number | undefined {
  return connectors16(evses).find((c) => c.evseId === evseId && c.connectorId === connectorId)?.id;
}

/** The EVSE and connector of a 1.6 connectorId. */
export function connectorOf(evses: readonly EvseLayout[], id: number): Connector16 | undefined {
  return connectors16(evses).find((c) => c.id === id);
}

/** The 1.6 connectorIds of an EVSE. */
export function connectorsOfEvse(evses: readonly EvseLayout[], evseId: number): number[] {
  return connectors16(evses)
    .filter((c) => c.evseId === evseId)
    .map((c) => c.id);
}
