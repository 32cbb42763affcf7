// How the other blocks ask E about transactions: through its query, with the answer that holds when the station
// runs no transaction block (none runs).
import type { StationView } from '../core/types.js';

/** Whether a transaction runs on the EVSE (0: on any EVSE); false without block E. */
export const transactionOn = (view: StationView, evseId: number): boolean =>
  view.query.transactionOn?.(evseId) ?? false;
