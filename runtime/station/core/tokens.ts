// The idToken the use cases carry is 2.0.1's shape. 2.1 widens IdTokenType.type from an enum to any string
// (IdTokenEnumStringType: DirectPayment, VIN, …); such a token arrives only in a 2.1 message (the RPC layer
// validated it against 2.1's schema) or from the integrator on a station that offers 2.1 (ChargingStation
// refuses it otherwise), and it goes back to the CSMS in the messages of that session.
import type { IdTokenInfoType, IdTokenType } from '../../../generated/v201/types.js';
import type {
  IdTokenInfoType as IdTokenInfoType21,
  IdTokenType as IdTokenType21,
} from '../../../generated/v21/types.js';

/** A token of either version as the use cases carry it: the one place where 2.1's wider `type` is admitted. */
export const stationToken = (token: IdTokenType | IdTokenType21): IdTokenType => token as IdTokenType;

/** A CSMS's verdict of either version as the use cases carry it (its groupIdToken as `stationToken`). */
export const stationTokenInfo = (info: IdTokenInfoType | IdTokenInfoType21): IdTokenInfoType => info as IdTokenInfoType;
