// Compile-time checks (tsc --noEmit, never run): every payload blocks E, F and J build is a valid message of both
// OCPP 2.0.1 and 2.1. They build 2.0.1 types (runtime/station/core/types.ts); this proves the 2.1 schemas accept
// them as well, for the requests the station sends and the responses it gives.
import type { Actions as V201 } from '../../generated/v201/actions.js';
import type { Actions as V21 } from '../../generated/v21/actions.js';
import { orphanEnded, transactionEvent } from '../../runtime/station/E-transactions/messages.js';
import type { transactionsUseCase } from '../../runtime/station/E-transactions/transactions.js';
import { meterValue, sampledValues } from '../../runtime/station/J-meter-values/measurands.js';
import { answerRequestStart } from '../../runtime/station/F-remote-control/remote-start.js';
import { answerRequestStop } from '../../runtime/station/F-remote-control/remote-stop.js';
import { answerUnlock } from '../../runtime/station/F-remote-control/unlock.js';
import { assertType } from './assert-type.js';

/** True when A is assignable to B. */
type Fits<A, B> = [A] extends [B] ? true : false;
type In<V, K extends keyof V> = V[K] extends { request: infer R } ? R : never;
type Out<V, K extends keyof V> = V[K] extends { response: infer R } ? R : never;

// Requests the station sends.
type Event = ReturnType<typeof transactionEvent> | ReturnType<typeof orphanEnded>;
assertType<Fits<Event, In<V201, 'TransactionEvent'>>>();
assertType<Fits<Event, In<V21, 'TransactionEvent'>>>();
type MeterValue = NonNullable<ReturnType<typeof meterValue>>;
assertType<Fits<{ timestamp: string; sampledValue: [{ value: 1 }] }, MeterValue>>(); // not `never`
assertType<Fits<{ evseId: number; meterValue: MeterValue[] }, In<V21, 'MeterValues'>>>();
assertType<
  Fits<ReturnType<typeof sampledValues>[number], In<V21, 'MeterValues'>['meterValue'][number]['sampledValue'][number]>
>();

// Responses the station gives.
assertType<Fits<ReturnType<typeof answerRequestStart>['response'], Out<V21, 'RequestStartTransaction'>>>();
assertType<Fits<ReturnType<typeof answerRequestStop>['response'], Out<V21, 'RequestStopTransaction'>>>();
type Unlock =
  | Extract<ReturnType<typeof answerUnlock>, { response: unknown }>['response']
  | ReturnType<Extract<ReturnType<typeof answerUnlock>, { askHardware: unknown }>['askHardware']['respond']>;
assertType<Fits<Unlock, Out<V21, 'UnlockConnector'>>>();
type StatusAnswer = ReturnType<
  NonNullable<NonNullable<ReturnType<typeof transactionsUseCase>['answers']>['GetTransactionStatus']>
>;
type Status = Extract<StatusAnswer, { response: unknown }>['response'];
assertType<Fits<{ messagesInQueue: true }, Status>>(); // not `never`: the check below is not vacuous
assertType<Fits<Status, Out<V21, 'GetTransactionStatus'>>>();
assertType<Fits<Status, Out<V201, 'GetTransactionStatus'>>>();

// The 2.1-only trigger reason used when a transaction resumes (E17) is one 2.1 knows and 2.0.1 does not.
assertType<Fits<'TxResumed', In<V21, 'TransactionEvent'>['triggerReason']>>();
// @ts-expect-error 2.0.1 has no TxResumed: it is sent only where every offered version is 2.1 (recovery.ts)
assertType<Fits<'TxResumed', In<V201, 'TransactionEvent'>['triggerReason']>>();
