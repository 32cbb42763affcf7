// How the other blocks ask H about reservations: through its queries, with the answer that holds when the station
// runs no reservation block (nothing is reserved).
import type { IdTokenType } from '../../../generated/v201/types.js';
import type { ReservationCheck, StationView } from '../core/types.js';

/** H03, F01.FR.22, F02.FR.23/24: whether the reservations let the token use the EVSE; `free` without block H. */
export function reservationCheck(
  view: StationView,
  evseId: number | undefined,
  idToken: IdTokenType,
  groupIdToken?: IdTokenType,
): ReservationCheck {
  return view.query.reservationCheck?.(evseId, idToken, groupIdToken) ?? { verdict: 'free' };
}

/** Whether the connector is reserved; false without block H. */
export const reservedOn = (view: StationView, evseId: number, connectorId: number): boolean =>
  view.query.reservedOn?.(evseId, connectorId) ?? false;
