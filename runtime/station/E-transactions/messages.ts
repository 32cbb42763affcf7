// Building TransactionEventRequests from a session. Which optional fields go in is decided here, once for every
// trigger (E "Clarification for optional fields"): evse once it is known and once more with the connector after the
// EV connected (E01.FR.16), the idToken once after authorization (E03.FR.01, E01.FR.10) or the one that stopped it
// (E07.FR.02), remoteStartId in the next event after a remote start (F01.FR.25, F02.FR.01), the reservationId with
// the idToken that uses a reservation (E01.FR.13, H01.FR.15), chargingState whenever
// it changed (E02.FR.13, E01.FR.18) and always in Started and Ended. seqNo and offline are the queue's
// (docs/store.md: seqNo is assigned at the first transmission, E01.FR.07; offline, E04.FR.03).
import type {
  IdTokenType,
  MeterValueType,
  ReasonEnumType,
  TransactionEventEnumType,
  TransactionEventRequest,
  TransactionType,
  TriggerReasonEnumType,
} from '../../../generated/v201/types.js';
import { chargingState, type EvseSession, type Transaction } from './session.js';

export interface EventOptions {
  /** The idToken that stopped the authorization (E07.FR.02). */
  stopToken?: IdTokenType;
  stoppedReason?: ReasonEnumType;
  meterValue?: MeterValueType[];
  /** Report the chargingState even when unchanged (F06.FR.07: a triggered event carries it). */
  withChargingState?: boolean;
  /** Report evse.id even when already reported (F06 TriggerMessage for an EVSE). */
  withEvse?: boolean;
  /** The event's time (clock-aligned samples carry the aligned moment). */
  timestamp?: number;
  /** 2.1 K01.FR.110: the operationMode now in force, reported in transactionInfo. */
  operationMode?: string;
}

/**
 * The TransactionEvent for the session's running transaction. Updates the session's "reported" bookkeeping (the
 * session and its transaction are the caller's copies).
 */
export function transactionEvent(
  evseKey: number,
  s: EvseSession & { tx: Transaction },
  eventType: TransactionEventEnumType,
  triggerReason: TriggerReasonEnumType,
  now: number,
  o: EventOptions = {},
): TransactionEventRequest {
  const tx = s.tx;
  const state = chargingState(s);
  const info: TransactionType = { transactionId: tx.id };
  if (eventType !== 'Updated' || o.withChargingState || state !== tx.chargingState) info.chargingState = state;
  tx.chargingState = state;
  if (o.stoppedReason) info.stoppedReason = o.stoppedReason;
  // 2.1's TransactionType has operationMode; only a 2.1 station reports one (K01.FR.110).
  if (o.operationMode) Object.assign(info, { operationMode: o.operationMode });
  const payload: TransactionEventRequest = {
    eventType,
    timestamp: new Date(o.timestamp ?? now).toISOString(),
    triggerReason,
    // Replaced by the queue at the first transmission (E01.FR.07, "Sequence number generation").
    seqNo: 0,
    transactionInfo: info,
  };
  if (evseKey !== 0) {
    if (s.connectorId !== undefined && tx.evseReported !== 'connector') {
      payload.evse = { id: evseKey, connectorId: s.connectorId };
      tx.evseReported = 'connector';
    } else if (tx.evseReported === 'none' || o.withEvse) {
      payload.evse = { id: evseKey };
      if (tx.evseReported === 'none') tx.evseReported = 'evse';
    }
  }
  if (s.auth?.unreported) {
    payload.idToken = { ...s.auth.idToken };
    tx.authorizedBy ??= { ...s.auth.idToken };
    if (s.auth.remoteStartId !== undefined) info.remoteStartId = s.auth.remoteStartId;
    // E01.FR.13, E02.FR.03, E03.FR.03, F02.FR.06: with the idToken that uses a reservation, its id.
    if (s.auth.reservationId !== undefined) payload.reservationId = s.auth.reservationId;
    s.auth = { ...s.auth, unreported: false };
  } else if (o.stopToken) {
    payload.idToken = { ...o.stopToken };
  }
  if (o.meterValue?.length) payload.meterValue = o.meterValue;
  tx.lastSeen = now;
  return payload;
}

/** A minimal Ended event for a transaction only the queue still knows (see recovery.ts). */
export function orphanEnded(
  transactionId: string,
  now: number,
  stoppedReason: ReasonEnumType,
): TransactionEventRequest {
  return {
    eventType: 'Ended',
    timestamp: new Date(now).toISOString(),
    triggerReason: 'AbnormalCondition',
    seqNo: 0,
    transactionInfo: { transactionId, stoppedReason },
  };
}

/** J02.FR.20, E06.FR.13: how many samples the Ended event carries at most; beyond it intermediate ones are dropped. */
export const MAX_ENDED_SAMPLES = 100;

/** Where the samples for the Ended event are kept (a transaction's state, persisted with it). */
export interface EndedSamples {
  ended: MeterValueType[];
  /** Of the samples offered, every `endedStride`-th is kept (1 until the first thinning). */
  endedStride?: number;
  /** How many samples have been offered so far. */
  endedOffered?: number;
}

/**
 * J02.FR.20, E06.FR.13: keeps a periodic sample for the Ended event. When the kept samples would exceed the limit
 * (one place stays free for the Transaction.End sample), every other one is dropped — the first stays — and from
 * then on only every second sample offered is kept, and so on: the kept samples stay evenly spread over the whole
 * session, however long it runs, instead of thinning the early part again at every overflow.
 */
export function keepEndedSamples(tx: EndedSamples, samples: MeterValueType[]): void {
  for (const sample of samples) {
    const offered = tx.endedOffered ?? tx.ended.length;
    const stride = tx.endedStride ?? 1;
    tx.endedOffered = offered + 1;
    if (offered % stride !== 0) continue;
    tx.ended = [...tx.ended, sample];
    if (tx.ended.length > MAX_ENDED_SAMPLES - 1) {
      tx.ended = tx.ended.filter((_, i) => i % 2 === 0);
      tx.endedStride = stride * 2;
    }
  }
}
