// Which EVSEs a reservation can hold. Pure functions of the reservations, what the hardware reported (plugged,
// faulted: tracked by the reservation use case itself, because it runs before the availability use case on the same
// event), the operative state the CSMS set (availability's state, read through the view) and the transactions (E,
// through the view).
import type { IdTokenType } from '../../../generated/v201/types.js';
import { connectorKey, type ConnectorKey, type StationView } from '../core/types.js';
import { sameGroup, sameToken } from '../C-authorization/tokens.js';
import { transactionOn } from '../E-transactions/check.js';

export interface Reservation {
  id: number;
  /** Absent: any EVSE (H01 S1), or any EVSE with a connector of `connectorType` (H01 S3). */
  evseId?: number;
  connectorType?: string;
  idToken: IdTokenType;
  groupIdToken?: IdTokenType;
  /** expiryDateTime, ms since the epoch. */
  expiresAt: number;
  /** The EVSEs it may use (`candidates`), fixed when it is made. */
  evses: number[];
}

export interface Hardware {
  plugged: Record<ConnectorKey, true>;
  faulted: Record<ConnectorKey, true>;
}

/** What an EVSE is, seen by a reservation (H01.FR.11–14). `reserved`: held by an EVSE-specific reservation. */
export type EvseCondition = 'free' | 'occupied' | 'reserved' | 'faulted' | 'unavailable';

export function evseCondition(
  view: StationView,
  hw: Hardware,
  reservations: readonly Reservation[],
  evseId: number,
): EvseCondition {
  const layout = view.evses.find((e) => e.id === evseId);
  if (!layout) return 'unavailable';
  const keys = layout.connectors.map((c) => ({ id: c.id, key: connectorKey(evseId, c.id) }));
  if (keys.every((c) => hw.faulted[c.key])) return 'faulted';
  const running = transactionOn(view, evseId);
  // As the availability use case sees it: an Inoperative set while a transaction runs applies when it has ended.
  const usable = keys.filter((c) => !hw.faulted[c.key] && ((view.query.operative?.(evseId, c.id) ?? true) || running));
  if (usable.length === 0) return 'unavailable';
  if (running || keys.some((c) => hw.plugged[c.key])) return 'occupied';
  if (reservations.some((r) => r.evseId === evseId)) return 'reserved';
  return 'free';
}

/** The EVSEs a reservation may use: its own, or those with a connector of its type (H01.FR.06/09). */
export function candidates(view: StationView, r: Pick<Reservation, 'evseId' | 'connectorType'>): number[] {
  return view.evses
    .filter(
      (e) =>
        (r.evseId === undefined || e.id === r.evseId) &&
        (r.connectorType === undefined || e.connectors.some((c) => c.type === r.connectorType)),
    )
    .map((e) => e.id);
}

/**
 * Whether every EVSE-unspecific reservation can be given an EVSE of its own among `available` (a bipartite
 * matching): H01.FR.07/09 promise each of them an EVSE for as long as it lasts.
 */
export function assignable(open: readonly Reservation[], available: ReadonlySet<number>): boolean {
  const owner = new Map<number, number>(); // evseId → index into open
  const options = open.map((r) => r.evses.filter((id) => available.has(id)));
  const tryAssign = (i: number, seen: Set<number>): boolean => {
    for (const evseId of options[i]!) {
      if (seen.has(evseId)) continue;
      seen.add(evseId);
      const other = owner.get(evseId);
      if (other === undefined || tryAssign(other, seen)) {
        owner.set(evseId, i);
        return true;
      }
    }
    return false;
  };
  return open.every((_, i) => tryAssign(i, new Set()));
}

/** EVSE-unspecific reservations. */
export const unspecific = (reservations: readonly Reservation[]) => reservations.filter((r) => r.evseId === undefined);

/** EVSEs by condition. */
export function evsesWhere(
  view: StationView,
  hw: Hardware,
  reservations: readonly Reservation[],
  ok: (c: EvseCondition) => boolean,
): Set<number> {
  return new Set(view.evses.map((e) => e.id).filter((id) => ok(evseCondition(view, hw, reservations, id))));
}

/**
 * H01.FR.20/24: the free EVSEs that the unspecific reservations need — those without which they could no longer
 * all be given one. These show Reserved and refuse other tokens; each maps to a reservation that may use it.
 */
export function heldEvses(
  view: StationView,
  hw: Hardware,
  reservations: readonly Reservation[],
): Record<number, number> {
  const open = unspecific(reservations);
  if (open.length === 0) return {};
  const free = evsesWhere(view, hw, reservations, (c) => c === 'free');
  const held: Record<number, number> = {};
  for (const evseId of free) {
    const without = new Set(free);
    without.delete(evseId);
    if (assignable(open, without)) continue;
    const user = open.find((r) => r.evses.includes(evseId));
    if (user) held[evseId] = user.id;
  }
  return held;
}

/** H03.FR.01–06, H03.FR.09: the token, or its groupIdToken, is the reservation's. */
export function usesReservation(r: Reservation, idToken: IdTokenType, groupIdToken: IdTokenType | undefined): boolean {
  return (
    sameToken(r.idToken, idToken) ||
    (r.groupIdToken !== undefined && (sameGroup(r.groupIdToken, groupIdToken) || sameToken(r.groupIdToken, idToken)))
  );
}
