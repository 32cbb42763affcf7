// Type tests of the generated 2.0.1 layer: what compiles and — with @ts-expect-error — what must not.
import type {
  Protocol,
  RequestOf,
  ResponseOf,
  IncomingAction,
  OutgoingAction,
  CallErrorCode16,
} from '../../runtime/protocol.js';
import {
  type Actions,
  type BootNotificationRequest,
  type BootNotificationResponse,
  type ChargingStationHandlers,
  type CsmsHandlers,
  type DataTransferRequest,
  type HeartbeatRequest,
  type RegistrationStatusEnumType,
  type SetChargingProfileRequest,
  protocol,
  validateRequest,
  validateResponse,
  validationErrorCodes,
} from '../../generated/v201/index.js';
import { type Equal, assertType } from './assert-type.js';

// The response type follows from the action name.
assertType<Equal<ResponseOf<Actions, 'BootNotification'>, BootNotificationResponse>>();
assertType<Equal<RequestOf<Actions, 'BootNotification'>, BootNotificationRequest>>();
export function bootStatus(payload: unknown): RegistrationStatusEnumType | undefined {
  const r = validateResponse('BootNotification', payload);
  if (r.ok) return r.value.status; // typed without a cast
  const code: string = r.error.code;
  return code === 'never' ? undefined : undefined;
}
export function limitOf(payload: unknown): number | undefined {
  const r = validateRequest('SetChargingProfile', payload);
  return r.ok ? r.value.chargingProfile.chargingSchedule[0]?.chargingSchedulePeriod[0]?.limit : undefined;
}

// prettier-ignore
// @ts-expect-error a misspelled action name
validateRequest('BootNotifcation', {});
// prettier-ignore
// @ts-expect-error an action of another version (1.6 StartTransaction)
validateRequest('StartTransaction', {});

// prettier-ignore
// @ts-expect-error wrong field type: model is a string
export const wrongType: BootNotificationRequest = { reason: 'PowerUp', chargingStation: { model: 22, vendorName: 'V' } };
// prettier-ignore
// @ts-expect-error missing required field chargingStation
export const missing: BootNotificationRequest = { reason: 'PowerUp' };
// prettier-ignore
// @ts-expect-error a reason that is not in BootReasonEnumType
export const unknownEnum: BootNotificationRequest = { reason: 'Rebooted', chargingStation: { model: 'M', vendorName: 'V' } };
// prettier-ignore
// @ts-expect-error a property the message does not have
export const extra: HeartbeatRequest = { interval: 300 };
// customData stays open: vendors add their own fields.
export const vendorData: HeartbeatRequest = { customData: { vendorId: 'com.example', firmwareBuild: 1234 } };
// prettier-ignore
// @ts-expect-error customData still needs its vendorId
export const vendorDataWithoutId: HeartbeatRequest = { customData: { firmwareBuild: 1234 } };
// A schedule period's limit is a number; profiles nest as in the schema.
export const profile: SetChargingProfileRequest['chargingProfile']['chargingSchedule'][number]['chargingSchedulePeriod'][number] =
  { startPeriod: 0, limit: 8.1 };

// DataTransfer's data has no type in the schema: unknown, not any.
assertType<Equal<DataTransferRequest['data'], unknown>>();

// Handlers by role: a station answers CSMS->CS (and both) actions, a CSMS answers CS->CSMS (and both).
export const reset: ChargingStationHandlers<{ now: Date }>['Reset'] = async (request, ctx) => ({
  status: request.type === 'Immediate' && ctx.now.getHours() > 2 ? 'Accepted' : 'Scheduled',
});
export const boot: CsmsHandlers<{ stationId: string }>['BootNotification'] = (request, ctx) => ({
  currentTime: new Date().toISOString(),
  interval: request.reason === 'PowerUp' && ctx.stationId ? 300 : 60,
  status: 'Accepted',
});
// prettier-ignore
// @ts-expect-error Reset is CSMS->CS: a CSMS does not answer it
export type CsmsReset = CsmsHandlers['Reset'];
// prettier-ignore
// @ts-expect-error BootNotification is CS->CSMS: a station does not answer it
export type StationBoot = ChargingStationHandlers['BootNotification'];
// prettier-ignore
// @ts-expect-error a handler must return a status of ResetStatusEnumType
export const badReset: ChargingStationHandlers['Reset'] = () => ({ status: 'Done' });
assertType<Equal<keyof ChargingStationHandlers, IncomingAction<Actions, 'cs'>>>();
assertType<Equal<keyof CsmsHandlers, IncomingAction<Actions, 'csms'>>>();
assertType<
  Equal<'DataTransfer' extends OutgoingAction<Actions, 'cs'> & OutgoingAction<Actions, 'csms'> ? true : false, true>
>();

// The run-time descriptor satisfies the contract of runtime/protocol.ts exactly.
export const p: Protocol<'ocpp2.0.1', Actions> = protocol;
// prettier-ignore
// @ts-expect-error the 2.0.1 protocol is not a 1.6 protocol
export const wrongVersion: Protocol<'ocpp1.6', Actions> = protocol;
// prettier-ignore
// @ts-expect-error 2.x spells OccurrenceConstraintViolation, which 1.6 does not have
export const spelling: CallErrorCode16 = validationErrorCodes.required;
