// Type tests of the generated 1.6 and 2.1 layers: 1.6's named inline types, 2.1's SEND message.
import type { CallAction, SendAction } from '../../runtime/protocol.js';
import type {
  Actions as Actions16,
  ChargePointStatus,
  IdTagInfo,
  MeterValue,
  StartTransactionResponse,
  StatusNotificationRequest,
  StopTransactionRequest,
} from '../../generated/v16/index.js';
import * as v16 from '../../generated/v16/index.js';
import type { Actions as Actions21, NotifyPeriodicEventStreamRequest } from '../../generated/v21/index.js';
import * as v21 from '../../generated/v21/index.js';
import { type Equal, assertType } from './assert-type.js';

// 1.6: inline enums and objects have the 1.6 specification's datatype names.
assertType<Equal<StatusNotificationRequest['status'], ChargePointStatus>>();
assertType<Equal<StartTransactionResponse['idTagInfo'], IdTagInfo>>();
assertType<Equal<NonNullable<StopTransactionRequest['transactionData']>[number], MeterValue>>();
// 1.6 DataTransfer data is a string in the 1.6 schema (2.x leaves it untyped).
assertType<Equal<Actions16['DataTransfer']['request']['data'], string | undefined>>();
// @ts-expect-error 1.6 spells the unit Celsius (and the older Celcius), not Centigrade
export const unit: MeterValue['sampledValue'][number]['unit'] = 'Centigrade';
// The 1.6 CallError spellings.
export const occurrence: 'OccurenceConstraintViolation' = v16.validationErrorCodes.required;
export const formation: 'FormationViolation' = v16.validationErrorCodes.additionalProperties;

// 2.1: NotifyPeriodicEventStream is a SEND message with no response.
assertType<Equal<SendAction<Actions21>, 'NotifyPeriodicEventStream'>>();
assertType<Equal<Actions21['NotifyPeriodicEventStream']['response'], never>>();
assertType<Equal<'NotifyPeriodicEventStream' extends CallAction<Actions21> ? true : false, false>>();
export const stream: NotifyPeriodicEventStreamRequest = {
  id: 1,
  pending: 0,
  basetime: '2025-01-01T00:00:00Z',
  data: [{ t: 0, v: '1' }],
};
v21.validateRequest('NotifyPeriodicEventStream', stream);
// @ts-expect-error a SEND message has no response to validate
v21.validateResponse('NotifyPeriodicEventStream', {});
// @ts-expect-error 2.1's handler for a SEND message returns nothing to answer
export const answered: v21.CsmsHandlers['NotifyPeriodicEventStream'] = () => ({ status: 'Accepted' });
