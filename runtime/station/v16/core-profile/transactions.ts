// 1.6 transactions (§3.6, §4.8 StartTransaction, §4.10 StopTransaction, §4.7 MeterValues, §5.11/5.12 Remote
// Start/Stop). A transaction starts when an authorized idTag and a plugged cable meet on a connector (in either
// order, the idTag waiting at most ConnectionTimeOut), and ends by the same idTag (or one of its parentIdTag), by
// the CSMS, by the EV side (StopTransactionOnEVSideDisconnect), a Reset, an UnlockConnector, the firmware, or a
// delayed Invalid (StopTransactionOnInvalidId).
//
// Every transaction has a local id from its start: its StartTransaction, MeterValues and StopTransaction go through
// the durable queue with it (`send.transaction`), and the queue puts the CSMS's transactionId from
// StartTransaction.conf into each later message (1.6 §3.7) — offline, after a reboot, whatever happens first. The
// state is persisted after each send in the same step: the queue's commit comes first, so a crash never leaves a
// StopTransaction sent twice (`started` after a power loss ends only what has no StopTransaction queued).
import type { Reason } from '../../../../generated/v16/types.js';
import type { Family16 } from '../../core/family.js';
import { byEventType, type Effect, type UseCase } from '../../core/types.js';
import { bool16, list16 } from '../configuration/read.js';
import { connectorNumber, connectorOf, connectors16, connectorsOfEvse } from '../layout.js';
import { reservation16Check } from '../reservation/check.js';
import { asToken, sameIdTag, toInfo2x } from './id-tags.js';
import { meterValue16 } from './meter-values.js';
import {
  askAuthorization,
  authorized,
  evSideGone,
  onAuthorized,
  reason16,
  sampleEffects,
  start,
  stop,
  stopAll,
  targets,
  TIMEOUT,
  without,
  type Out,
  type S,
} from './transaction-steps.js';
import './authorization.js';
import '../../F-remote-control/unlock.js';
import '../../E-transactions/transactions.js';

declare module '../../core/registry.js' {
  interface OwnEvents {
    /** RemoteStartTransaction accepted (§5.11): authorize (AuthorizeRemoteTxRequests) and start. */
    'v16.remote.start': { ref: string; idTag: string; connectorId?: number };
    /** End the transaction on a connector (0: all) with this reason (Reset, UnlockConnector, RemoteStop, firmware). */
    'v16.stop': { connectorId: number; reason: Reason };
    'v16.tx.sample': { connectorId: number };
    'v16.tx.connectionTimeout': object;
    'v16.tx.started': { connectorId: number; localId: string; idTag: string; reservationId?: number };
    'v16.tx.ended': { connectorId: number; localId: string; reason: Reason };
    /** A clock-aligned moment (ClockAlignedDataInterval) has come (block v16 clock-aligned meter values). */
    'v16.meter.clock': { at: number };
  }
  interface StationQueries {
    /** The transaction on a 1.6 connector. */
    transaction16(
      connectorId: number,
    ): { localId: string; csmsId?: number; idTag: string; startedAt: number } | undefined;
    /** The connector's status as far as transactions decide it (Preparing … Finishing), else undefined. */
    txStatus16(
      connectorId: number,
    ): 'Preparing' | 'Charging' | 'SuspendedEV' | 'SuspendedEVSE' | 'Finishing' | undefined;
  }
}

export type { Transactions16State, Tx16 } from './transaction-steps.js';

export const transactions16UseCase: UseCase<S, Family16> = {
  name: 'v16.transactions',
  init(_view, saved) {
    const s = saved as Partial<S> | undefined;
    return { txs: s?.txs ?? {}, seq: s?.seq ?? 0, plugged: [], finishing: [], flow: {}, pending: {} };
  },
  save: (state) => ({ txs: state.txs, seq: state.seq }),
  triggers: ['MeterValues'],
  queries: {
    transaction16: (state, _view, connectorId) => {
      const tx = state.txs[connectorId];
      return (
        tx && {
          localId: tx.localId,
          idTag: tx.idTag,
          startedAt: tx.startedAt,
          ...(tx.csmsId !== undefined ? { csmsId: tx.csmsId } : {}),
        }
      );
    },
    txStatus16(state, _view, connectorId) {
      const tx = state.txs[connectorId];
      if (tx) return tx.deauthorized ? 'SuspendedEVSE' : (state.flow[connectorId] ?? 'Charging');
      if (state.finishing.includes(connectorId)) return 'Finishing';
      // §4.9 Preparing: a cable is in, or an idTag was authorized for this connector (or for any) and waits for one.
      const a = state.authorized;
      if (state.plugged.includes(connectorId)) return 'Preparing';
      return a && (a.connectorId === undefined || a.connectorId === connectorId) ? 'Preparing' : undefined;
    },
  },
  on: byEventType<S, Family16>({
    started(state, event, view) {
      // A transaction still running in the saved state was cut by a power loss (our own resets end theirs before
      // restarting): it ends now, unless its StopTransaction is already queued (a crash right after queueing it).
      const open = Object.values(state.txs);
      if (!open.length) return undefined;
      let next: S = state;
      const effects: Effect<Family16>[] = [];
      for (const tx of open) {
        if (view.queued(tx.localId)) {
          const { [tx.connectorId]: _, ...txs } = next.txs;
          next = { ...next, txs };
          effects.push({ type: 'persist' });
          continue;
        }
        const step = stop(next, view, tx.connectorId, event.reason === 'PowerUp' ? 'PowerLoss' : 'Reboot');
        next = { ...step.state, finishing: [] };
        effects.push(...(step.effects ?? []));
      }
      return { state: next, effects };
    },
    cablePlugged(state, event, view) {
      const id = connectorNumber(view.evses, event.evseId, event.connectorId);
      if (id === undefined || state.plugged.includes(id)) return undefined;
      const next = { ...state, plugged: [...state.plugged, id] };
      const a = next.authorized;
      if (a && (a.connectorId === undefined || a.connectorId === id) && !next.txs[id]) return start(next, view, id, a);
      return { state: next };
    },
    cableUnplugged(state, event, view) {
      const id = connectorNumber(view.evses, event.evseId, event.connectorId);
      if (id === undefined) return undefined;
      const next = { ...state, plugged: without(state.plugged, id), finishing: without(state.finishing, id) };
      const step = evSideGone(next, view, id);
      return { ...step, state: { ...step.state, finishing: without(step.state.finishing, id) } };
    },
    evDisconnected(state, event, view) {
      let next: Out = { state };
      for (const id of connectorsOfEvse(view.evses, event.evseId)) {
        const step = evSideGone(next.state, view, id);
        next = { state: step.state, effects: [...(next.effects ?? []), ...(step.effects ?? [])] };
      }
      return next;
    },
    energyFlow(state, event, view) {
      const flow = { ...state.flow };
      for (const id of connectorsOfEvse(view.evses, event.evseId)) if (state.txs[id]) flow[id] = event.state;
      return { state: { ...state, flow } };
    },
    idTokenPresented(state, event, view) {
      const idTag = event.idToken.idToken;
      // §3.5: the idTag that started a transaction ends it without asking anyone.
      const own = Object.values(state.txs).find((tx) => sameIdTag(tx.idTag, idTag));
      if (own) return stop(state, view, own.connectorId, 'Local', idTag);
      const at = event.evseId !== undefined ? connectorsOfEvse(view.evses, event.evseId)[0] : undefined;
      if (at !== undefined && state.txs[at]) return askAuthorization(state, 'stop', idTag, at);
      if (at === undefined && state.plugged.length > 0 && state.plugged.every((id) => state.txs[id])) {
        // Every plugged connector charges: the idTag may end one of them by its parentIdTag.
        return askAuthorization(state, 'stop', idTag, state.plugged[0]);
      }
      return askAuthorization(state, 'start', idTag, at);
    },
    'v16.authorize.result'(state, event, view) {
      const p = state.pending[event.ref];
      if (!p) return undefined;
      const step = onAuthorized(state, view, event, p);
      const c = event.connectorId !== undefined ? connectorOf(view.evses, event.connectorId) : undefined;
      return {
        state: step.state,
        effects: [
          {
            type: 'emit',
            event: {
              type: 'authorization',
              idToken: asToken(event.idTag),
              ...(c ? { evseId: c.evseId } : {}),
              idTokenInfo: toInfo2x(event.idTagInfo),
              source: event.source,
            },
          },
          ...(step.effects ?? []),
        ],
      };
    },
    'v16.remote.start'(state, event, view) {
      // §5.11: authorize first when AuthorizeRemoteTxRequests is true, else start as if authorized.
      if (bool16(view, 'AuthorizeRemoteTxRequests'))
        return askAuthorization(state, 'start', event.idTag, event.connectorId, `remote-${event.ref}`);
      return authorized(state, view, {
        idTag: event.idTag,
        ...(event.connectorId !== undefined ? { connectorId: event.connectorId } : {}),
      });
    },
    [TIMEOUT]: (state) => {
      const { authorized: _, ...rest } = state;
      return { state: rest };
    },
    'v16.stop': (state, event, view) => stopAll(state, view, targets(state, event.connectorId), event.reason),
    'transactions.stop'(state, event, view) {
      const ids = event.evseId === 0 ? Object.keys(state.txs).map(Number) : connectorsOfEvse(view.evses, event.evseId);
      return stopAll(
        state,
        view,
        ids.filter((id) => state.txs[id]),
        reason16(event.reason),
      );
    },
    'v16.tx.sample'(state, event, view) {
      const tx = state.txs[event.connectorId];
      const c = connectorOf(view.evses, event.connectorId);
      if (!tx || !c) return undefined;
      const mv = meterValue16(
        view.meter(c.evseId),
        list16(view, 'MeterValuesSampledData'),
        'Sample.Periodic',
        view.now(),
      );
      return {
        state,
        effects: [
          ...(mv
            ? [
                {
                  type: 'send',
                  action: 'MeterValues',
                  payload: { connectorId: event.connectorId, transactionId: tx.csmsId ?? 0, meterValue: [mv] },
                  transaction: tx.localId,
                } satisfies Effect<Family16>,
              ]
            : []),
          ...sampleEffects(view, event.connectorId),
        ],
      };
    },
    'v16.meter.clock'(state, event, view) {
      // §9.1.5: every connector with a transaction reports MeterValuesAlignedData with its transaction and keeps
      // StopTxnAlignedData for transactionData (the clock block reports the others).
      const txs = { ...state.txs };
      const effects: Effect<Family16>[] = [];
      for (const tx of Object.values(state.txs)) {
        const c = connectorOf(view.evses, tx.connectorId);
        if (!c) continue;
        const readings = view.meter(c.evseId);
        const mv = meterValue16(readings, list16(view, 'MeterValuesAlignedData'), 'Sample.Clock', event.at);
        if (mv)
          effects.push({
            type: 'send',
            action: 'MeterValues',
            payload: { connectorId: tx.connectorId, transactionId: tx.csmsId ?? 0, meterValue: [mv] },
            transaction: tx.localId,
          });
        const kept = meterValue16(readings, list16(view, 'StopTxnAlignedData'), 'Sample.Clock', event.at);
        if (kept) txs[tx.connectorId] = { ...tx, aligned: [...tx.aligned, kept] };
      }
      return { state: { ...state, txs }, effects: [...effects, { type: 'persist' }] };
    },
    triggered(state, event, view) {
      if (event.requestedMessage !== 'MeterValues') return undefined;
      // §5.17: MeterValues of the asked connector (all without one), with its transaction if it has one.
      const asked = event.evse?.id;
      const effects: Effect<Family16>[] = [];
      for (const c of connectors16(view.evses)) {
        if (asked !== undefined && asked !== 0 && c.id !== asked) continue;
        const mv = meterValue16(view.meter(c.evseId), list16(view, 'MeterValuesSampledData'), 'Trigger', view.now());
        if (!mv) continue;
        const tx = state.txs[c.id];
        effects.push(
          tx
            ? {
                type: 'send',
                action: 'MeterValues',
                payload: { connectorId: c.id, transactionId: tx.csmsId ?? 0, meterValue: [mv] },
                transaction: tx.localId,
              }
            : { type: 'send', action: 'MeterValues', payload: { connectorId: c.id, meterValue: [mv] } },
        );
      }
      return { state, effects };
    },
    queueSent(state, event, view) {
      if (event.action === 'StopTransaction') {
        const info = event.response.idTagInfo;
        const idTag = event.payload.idTag;
        return info && idTag
          ? { state, effects: [{ type: 'dispatch', event: { type: 'v16.idTagInfo', idTag, idTagInfo: info } }] }
          : undefined;
      }
      if (event.action !== 'StartTransaction') return undefined;
      const { transactionId, idTagInfo } = event.response;
      const learned: Effect<Family16> = {
        type: 'dispatch',
        event: { type: 'v16.idTagInfo', idTag: event.payload.idTag, idTagInfo },
      };
      const tx = Object.values(state.txs).find((t) => t.localId === event.transaction);
      if (!tx) return { state, effects: [learned] };
      const known: S = { ...state, txs: { ...state.txs, [tx.connectorId]: { ...tx, csmsId: transactionId } } };
      if (idTagInfo.status === 'Accepted') return { state: known, effects: [learned, { type: 'persist' }] };
      // §3.6 / §9.1.24: the CSMS refused the idTag after the start (e.g. offline start): stop, or suspend the energy.
      if (bool16(view, 'StopTransactionOnInvalidId')) {
        const step = stop(known, view, tx.connectorId, 'DeAuthorized');
        return { state: step.state, effects: [learned, ...(step.effects ?? [])] };
      }
      const c = connectorOf(view.evses, tx.connectorId);
      return {
        state: {
          ...known,
          txs: { ...known.txs, [tx.connectorId]: { ...known.txs[tx.connectorId]!, deauthorized: true } },
        },
        effects: [
          learned,
          { type: 'persist' },
          ...(c
            ? [{ type: 'hardware', call: { op: 'stopCharging', args: [c.evseId] } } satisfies Effect<Family16>]
            : []),
        ],
      };
    },
  }),
  answers: {
    RemoteStartTransaction(state, request, view) {
      const id = request.connectorId;
      // §5.11: a connector that does not exist, charges already, is not operative or is reserved for another idTag.
      if (id !== undefined && (!connectorOf(view.evses, id) || state.txs[id]))
        return { response: { status: 'Rejected' } };
      if (id !== undefined && view.query.operative16?.(id) === false) return { response: { status: 'Rejected' } };
      if (id !== undefined && reservation16Check(view, id, request.idTag).verdict === 'reserved')
        return { response: { status: 'Rejected' } };
      if (id === undefined && connectors16(view.evses).every((c) => state.txs[c.id]))
        return { response: { status: 'Rejected' } };
      // §5.11: a chargingProfile is a TxProfile for the transaction to start (block v16 smart-charging checks it).
      const profile = request.chargingProfile;
      if (profile && view.query.remoteStartProfile16?.(id, profile) !== true)
        return { response: { status: 'Rejected' } };
      const seq = state.seq + 1;
      return {
        state: { ...state, seq },
        response: { status: 'Accepted' },
        after: [
          ...(profile
            ? [
                {
                  type: 'dispatch',
                  event: {
                    type: 'v16.smartCharging.remoteProfile',
                    idTag: request.idTag,
                    chargingProfile: profile,
                    ...(id !== undefined ? { connectorId: id } : {}),
                  },
                } satisfies Effect<Family16>,
              ]
            : []),
          {
            type: 'dispatch',
            event: {
              type: 'v16.remote.start',
              ref: String(seq),
              idTag: request.idTag,
              ...(id !== undefined ? { connectorId: id } : {}),
            },
          },
        ],
      };
    },
    RemoteStopTransaction(state, request) {
      // §5.12: the CSMS names the transaction by its own id.
      const tx = Object.values(state.txs).find((t) => t.csmsId === request.transactionId);
      if (!tx) return { response: { status: 'Rejected' } };
      return {
        response: { status: 'Accepted' },
        after: [{ type: 'dispatch', event: { type: 'v16.stop', connectorId: tx.connectorId, reason: 'Remote' } }],
      };
    },
  },
};
