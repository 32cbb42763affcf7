// 2.1 I07.FR.30/31, I08.FR.20/21, I08.FR.31: the driver did not accept the tariff (or the station could not process
// the driver's tariff and HandleFailedTariff is Deauthorize): the idToken on the EVSE is deauthorized. Block I has
// already taken the tariff from the transaction (no tariffId, no cost); here the authorization ends as E05 would
// end it: with TxStopPoint Authorized or PowerPathClosed the transaction ends (DeAuthorized), otherwise energy
// stops and an Updated event with triggerReason TariffNotAccepted says so. Before a transaction only the
// authorization goes (a transaction may still start at EVConnected, without energy).
import type { TriggerReasonEnumType } from '../../../generated/v201/types.js';
import type { EvseSession } from './session.js';
import { stopAuthorization, type Ctx } from './steps.js';

/** TariffNotAccepted is 2.1's; block I raises it only while 2.1 is spoken. */
const TARIFF_NOT_ACCEPTED = 'TariffNotAccepted' as TriggerReasonEnumType;

/** Whether there was an authorization to take back. */
export function tariffNotAccepted(ctx: Ctx, key: number, s: EvseSession): boolean {
  if (!s.auth && !s.pending) return false;
  if (s.tx) delete s.tx.unreportedTariffId;
  stopAuthorization(ctx, key, s, TARIFF_NOT_ACCEPTED, 'DeAuthorized');
  return true;
}
