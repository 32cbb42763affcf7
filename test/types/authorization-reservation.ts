// Compile-time checks (tsc --noEmit, never run): every payload blocks C, D and H build — the requests they send and
// the responses they answer with — is valid for both OCPP 2.0.1 and 2.1. The station types them as 2.0.1 messages
// (runtime/station/core/types.ts); these prove 2.1 accepts them, and show where the versions differ.
import type * as V201 from '../../generated/v201/types.js';
import type * as V21 from '../../generated/v21/types.js';
import { assertType } from './assert-type.js';

type Assignable<From, To> = [From] extends [To] ? true : false;

// The types as a whole: what is valid 2.0.1 is valid 2.1.
assertType<Assignable<V201.AuthorizeRequest, V21.AuthorizeRequest>>();
assertType<Assignable<V201.ReservationStatusUpdateRequest, V21.ReservationStatusUpdateRequest>>();
assertType<Assignable<V201.ClearCacheResponse, V21.ClearCacheResponse>>();
assertType<Assignable<V201.SendLocalListResponse, V21.SendLocalListResponse>>();
assertType<Assignable<V201.GetLocalListVersionResponse, V21.GetLocalListVersionResponse>>();
assertType<Assignable<V201.ReserveNowResponse, V21.ReserveNowResponse>>();
assertType<Assignable<V201.CancelReservationResponse, V21.CancelReservationResponse>>();
// What C keeps and hands on (cache, list, authorize.result) is a 2.0.1 IdTokenInfo; a 2.1 one has the same fields.
assertType<Assignable<V201.IdTokenInfoType, V21.IdTokenInfoType>>();

// The payloads as the use cases write them.
export const authorize = {
  idToken: { idToken: '04A1B2C3D4', type: 'ISO14443' },
} satisfies V201.AuthorizeRequest satisfies V21.AuthorizeRequest;
export const expired = {
  reservationId: 1,
  reservationUpdateStatus: 'Expired',
} satisfies V201.ReservationStatusUpdateRequest satisfies V21.ReservationStatusUpdateRequest;
export const removed = {
  reservationId: 1,
  reservationUpdateStatus: 'Removed',
} satisfies V201.ReservationStatusUpdateRequest satisfies V21.ReservationStatusUpdateRequest;
// 2.1 H03.FR.11: NoTransaction exists in 2.1 only; the station sends it only while speaking 2.1.
export const noTransaction = {
  reservationId: 1,
  reservationUpdateStatus: 'NoTransaction',
} satisfies V21.ReservationStatusUpdateRequest;
// prettier-ignore
// @ts-expect-error 2.0.1 has no NoTransaction status
export const noTransaction201: V201.ReservationStatusUpdateRequest = { reservationId: 1, reservationUpdateStatus: 'NoTransaction' };

export const cacheCleared = { status: 'Accepted' } satisfies V201.ClearCacheResponse satisfies V21.ClearCacheResponse;
export const cacheNotCleared = {
  status: 'Rejected',
  statusInfo: { reasonCode: 'NotEnabled' },
} satisfies V201.ClearCacheResponse satisfies V21.ClearCacheResponse;
export const listFailed = {
  status: 'Failed',
  statusInfo: { reasonCode: 'TooManyElements', additionalInfo: 'x' },
} satisfies V201.SendLocalListResponse satisfies V21.SendLocalListResponse;
export const listMismatch = {
  status: 'VersionMismatch',
} satisfies V201.SendLocalListResponse satisfies V21.SendLocalListResponse;
export const listVersion = {
  versionNumber: 0,
} satisfies V201.GetLocalListVersionResponse satisfies V21.GetLocalListVersionResponse;
export const reserved = { status: 'Occupied' } satisfies V201.ReserveNowResponse satisfies V21.ReserveNowResponse;
export const notReserved = {
  status: 'Rejected',
  statusInfo: { reasonCode: 'UnknownConnectorType' },
} satisfies V201.ReserveNowResponse satisfies V21.ReserveNowResponse;
export const cancelled = {
  status: 'Accepted',
} satisfies V201.CancelReservationResponse satisfies V21.CancelReservationResponse;

// Where 2.1 is wider, requests the station receives may carry what 2.0.1 types would refuse: the use cases read
// such fields as strings (connector types, idToken types), never as 2.0.1 enums.
assertType<Assignable<V21.ReserveNowRequest['connectorType'], string | undefined>>();
assertType<Assignable<V21.IdTokenType['type'], string>>();
