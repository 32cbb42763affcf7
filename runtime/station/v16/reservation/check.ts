// What the 1.6 reservation block tells the others (the transactions, RemoteStartTransaction): whether a connector
// may be used by an idTag. Without the block every connector is free.
import type { ReservationCheck, StationFamily, StationView } from '../../core/types.js';

declare module '../../core/registry.js' {
  interface StationQueries {
    /**
     * 1.6 §3.11: may `idTag` (with its parentIdTag, when known) use the connector? `reserved`: held for another
     * idTag; `mine`: it ends this reservation.
     */
    reservation16(connectorId: number, idTag: string, parentIdTag?: string): ReservationCheck;
    /** Whether a reservation holds the connector (its status is Reserved). */
    reserved16(connectorId: number): boolean;
  }
}

export function reservation16Check(
  view: StationView<StationFamily>,
  connectorId: number,
  idTag: string,
  parentIdTag?: string,
): ReservationCheck {
  return view.query.reservation16?.(connectorId, idTag, parentIdTag) ?? { verdict: 'free' };
}
