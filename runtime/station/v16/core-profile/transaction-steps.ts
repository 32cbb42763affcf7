// The steps of a 1.6 transaction, pure: start (StartTransaction through the queue with the local id), stop
// (StopTransaction with meterStop, reason and transactionData), the authorizations asked for starting and stopping,
// the EV side going away. Used by the use case in transactions.ts, which declares the events and queries.
import type { IdTagInfo, MeterValue, Reason } from '../../../../generated/v16/types.js';
import type { ReasonEnumType } from '../../../../generated/v201/types.js';
import type { Family16 } from '../../core/family.js';
import type { EnergyFlow, Effect, StationView, Step } from '../../core/types.js';
import { bool16, int16, list16 } from '../configuration/read.js';
import { connectorOf } from '../layout.js';
import { reservation16Check } from '../reservation/check.js';
import { sameIdTag } from './id-tags.js';
import { meterValue16, meterWh } from './meter-values.js';
import './transactions.js';

export interface Tx16 {
  localId: string;
  connectorId: number;
  idTag: string;
  parentIdTag?: string;
  meterStart: number;
  startedAt: number;
  reservationId?: number;
  /** The CSMS's transactionId, once StartTransaction.conf arrived. */
  csmsId?: number;
  /** Deauthorized by a delayed Invalid while StopTransactionOnInvalidId is false: no energy (SuspendedEVSE). */
  deauthorized?: boolean;
  /** StopTxnAlignedData samples taken during the transaction, for transactionData. */
  aligned: MeterValue[];
}

export interface PendingAuth {
  purpose: 'start' | 'stop';
  idTag: string;
  connectorId?: number;
}

export interface Transactions16State {
  txs: Record<number, Tx16>;
  plugged: number[];
  /** Connectors whose transaction ended while the cable stays: Finishing until unplugged. */
  finishing: number[];
  flow: Record<number, EnergyFlow>;
  pending: Record<string, PendingAuth>;
  /** An authorized idTag waiting for a cable (Preparing), at most ConnectionTimeOut. */
  authorized?: { idTag: string; parentIdTag?: string; connectorId?: number; reservationId?: number };
  seq: number;
}

export const TIMEOUT = 'v16.tx.connectionTimeout';
export const sampleTimer = (connectorId: number) => `v16.tx.sample.${connectorId}`;
export type S = Transactions16State;
export type View = StationView<Family16>;
export type Out = Step<S, Family16>;

/** 1.6 Reason for a 2.x stop reason the firmware gave (stopTransaction(evseId, reason)). */
const REASONS_16: ReadonlySet<string> = new Set<Reason>([
  'EmergencyStop',
  'EVDisconnected',
  'Local',
  'Other',
  'PowerLoss',
  'Reboot',
  'Remote',
  'DeAuthorized',
]);
export const reason16 = (r: ReasonEnumType): Reason => (REASONS_16.has(r) ? (r as Reason) : 'Other');

/** The 2.x reason the public `transactionEnded` event reports for a 1.6 Reason. */
function reason2x(r: Reason): ReasonEnumType {
  switch (r) {
    case 'HardReset':
    case 'SoftReset':
      return 'ImmediateReset';
    case 'UnlockCommand':
      return 'Other';
    default:
      return r;
  }
}

export const without = (list: readonly number[], id: number) => list.filter((x) => x !== id);

export function sampleEffects(view: View, connectorId: number): Effect<Family16>[] {
  const interval = int16(view, 'MeterValueSampleInterval');
  return interval > 0
    ? [
        {
          type: 'timer',
          id: sampleTimer(connectorId),
          ms: interval * 1000,
          event: { type: 'v16.tx.sample', connectorId },
        },
      ]
    : [];
}

export function start(state: S, view: View, connectorId: number, a: NonNullable<S['authorized']>): Out {
  const c = connectorOf(view.evses, connectorId)!;
  const seq = state.seq + 1;
  const localId = `${view.identity}-${view.now()}-${seq}`;
  const readings = view.meter(c.evseId);
  const meterStart = meterWh(readings);
  const reservation = reservation16Check(view, connectorId, a.idTag, a.parentIdTag);
  const reservationId = reservation.verdict === 'mine' ? reservation.reservationId : a.reservationId;
  const tx: Tx16 = {
    localId,
    connectorId,
    idTag: a.idTag,
    ...(a.parentIdTag !== undefined ? { parentIdTag: a.parentIdTag } : {}),
    meterStart,
    startedAt: view.now(),
    ...(reservationId !== undefined ? { reservationId } : {}),
    aligned: [],
  };
  const { authorized: _, ...rest } = state;
  const next: S = {
    ...rest,
    seq,
    txs: { ...state.txs, [connectorId]: tx },
    finishing: without(state.finishing, connectorId),
    flow: { ...state.flow, [connectorId]: 'Charging' },
  };
  const begin = meterValue16(readings, list16(view, 'StopTxnSampledData'), 'Transaction.Begin', view.now());
  if (begin) tx.aligned = [begin];
  return {
    state: next,
    effects: [
      { type: 'cancelTimer', id: TIMEOUT },
      {
        type: 'send',
        action: 'StartTransaction',
        payload: {
          connectorId,
          idTag: a.idTag,
          meterStart,
          timestamp: new Date(view.now()).toISOString(),
          ...(reservationId !== undefined ? { reservationId } : {}),
        },
        transaction: localId,
      },
      { type: 'persist' },
      { type: 'hardware', call: { op: 'startCharging', args: [c.evseId, c.connectorId] } },
      {
        type: 'emit',
        event: { type: 'transactionStarted', evseId: c.evseId, connectorId: c.connectorId, transactionId: localId },
      },
      {
        type: 'dispatch',
        event: {
          type: 'v16.tx.started',
          connectorId,
          localId,
          idTag: a.idTag,
          ...(reservationId !== undefined ? { reservationId } : {}),
        },
      },
      ...sampleEffects(view, connectorId),
    ],
  };
}

/** §4.10: StopTransaction with meterStop, the reason (Local is left out: it is the default) and transactionData. */
export function stop(state: S, view: View, connectorId: number, reason: Reason, idTag?: string): Out {
  const tx = state.txs[connectorId];
  if (!tx) return { state };
  const c = connectorOf(view.evses, connectorId);
  const readings = c ? view.meter(c.evseId) : [];
  const end = meterValue16(readings, list16(view, 'StopTxnSampledData'), 'Transaction.End', view.now());
  const transactionData = [...tx.aligned, ...(end ? [end] : [])];
  const { [connectorId]: _, ...txs } = state.txs;
  const { [connectorId]: __, ...flow } = state.flow;
  const stillPlugged = state.plugged.includes(connectorId);
  return {
    state: {
      ...state,
      txs,
      flow,
      finishing: stillPlugged ? [...without(state.finishing, connectorId), connectorId] : state.finishing,
    },
    effects: [
      { type: 'cancelTimer', id: sampleTimer(connectorId) },
      {
        type: 'send',
        action: 'StopTransaction',
        payload: {
          // The queue writes the CSMS's transactionId over this placeholder before it goes out.
          transactionId: tx.csmsId ?? 0,
          meterStop: Math.max(tx.meterStart, meterWh(readings)),
          timestamp: new Date(view.now()).toISOString(),
          ...(idTag !== undefined ? { idTag } : {}),
          ...(reason !== 'Local' ? { reason } : {}),
          ...(transactionData.length ? { transactionData } : {}),
        },
        transaction: tx.localId,
      },
      { type: 'persist' },
      ...(c ? [{ type: 'hardware', call: { op: 'stopCharging', args: [c.evseId] } } satisfies Effect<Family16>] : []),
      ...(c
        ? [
            {
              type: 'emit',
              event: {
                type: 'transactionEnded',
                evseId: c.evseId,
                transactionId: tx.localId,
                stoppedReason: reason2x(reason),
              },
            } satisfies Effect<Family16>,
          ]
        : []),
      { type: 'dispatch', event: { type: 'v16.tx.ended', connectorId, localId: tx.localId, reason } },
    ],
  };
}

export function stopAll(state: S, view: View, connectorIds: readonly number[], reason: Reason): Out {
  let next = state;
  const effects: Effect<Family16>[] = [];
  for (const id of connectorIds) {
    const step = stop(next, view, id, reason);
    next = step.state;
    effects.push(...(step.effects ?? []));
  }
  return { state: next, effects };
}

export function askAuthorization(
  state: S,
  purpose: PendingAuth['purpose'],
  idTag: string,
  connectorId?: number,
  ref?: string,
): Out {
  const seq = state.seq + 1;
  const id = ref ?? `tx${seq}`;
  return {
    state: {
      ...state,
      seq,
      pending: { ...state.pending, [id]: { purpose, idTag, ...(connectorId !== undefined ? { connectorId } : {}) } },
    },
    effects: [
      {
        type: 'dispatch',
        event: { type: 'v16.authorize.request', ref: id, idTag, ...(connectorId !== undefined ? { connectorId } : {}) },
      },
    ],
  };
}

/** An authorized idTag: start where a cable waits, else wait ConnectionTimeOut for one (§3.6, §9.1.6). */
export function authorized(state: S, view: View, a: NonNullable<S['authorized']>): Out {
  const where =
    a.connectorId ??
    state.plugged.find(
      (id) => !state.txs[id] && reservation16Check(view, id, a.idTag, a.parentIdTag).verdict !== 'reserved',
    );
  if (where !== undefined && state.plugged.includes(where) && !state.txs[where]) return start(state, view, where, a);
  return {
    state: { ...state, authorized: a },
    effects: [
      {
        type: 'timer',
        id: TIMEOUT,
        ms: Math.max(1, int16(view, 'ConnectionTimeOut')) * 1000,
        event: { type: TIMEOUT },
      },
    ],
  };
}

export function evSideGone(state: S, view: View, connectorId: number): Out {
  if (!state.txs[connectorId] || !bool16(view, 'StopTransactionOnEVSideDisconnect')) return { state };
  const step = stop(state, view, connectorId, 'EVDisconnected');
  const c = connectorOf(view.evses, connectorId);
  // §9.1.33: the cable is unlocked once the EV side is gone.
  if (c && bool16(view, 'UnlockConnectorOnEVSideDisconnect'))
    step.effects = [
      ...(step.effects ?? []),
      { type: 'hardware', call: { op: 'unlockConnector', args: [c.evseId, c.connectorId] } },
    ];
  return step;
}

/** The connectors a 1.6 connectorId (0: all) names. */
export const targets = (state: S, connectorId: number) =>
  connectorId === 0 ? Object.keys(state.txs).map(Number) : state.txs[connectorId] ? [connectorId] : [];

export function onAuthorized(
  state: S,
  view: View,
  event: { ref: string; idTag: string; idTagInfo: IdTagInfo },
  p: PendingAuth,
): Out {
  const { [event.ref]: _, ...pending } = state.pending;
  const rest = { ...state, pending };
  if (event.idTagInfo.status !== 'Accepted') return { state: rest };
  const parent = event.idTagInfo.parentIdTag;
  if (p.purpose === 'stop') {
    // §3.5: another idTag ends the transaction when both share a parentIdTag.
    const tx = p.connectorId !== undefined ? rest.txs[p.connectorId] : undefined;
    if (tx && sameIdTag(tx.parentIdTag, parent)) return stop(rest, view, tx.connectorId, 'Local', event.idTag);
    return { state: rest };
  }
  if (
    p.connectorId !== undefined &&
    reservation16Check(view, p.connectorId, event.idTag, parent).verdict === 'reserved'
  )
    return { state: rest };
  return authorized(rest, view, {
    idTag: event.idTag,
    ...(parent !== undefined ? { parentIdTag: parent } : {}),
    ...(p.connectorId !== undefined ? { connectorId: p.connectorId } : {}),
  });
}
