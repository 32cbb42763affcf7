// B11 Reset without ongoing transaction, B12 Reset with ongoing transaction, and 2.1's B13 ImmediateAndResume: the
// station's transactions are told of the reset (ResetCommand) and resumed after the reboot (E's recovery.ts).
// The answer comes first (B11.FR.01); the reset follows once the CALLRESULT is out: the integrator's reset callback,
// then — for the whole station — a restart that boots again (B11.FR.03/04, B01.FR.03). OnIdle waits for the
// transactions where it applies (B12.FR.01: Scheduled); Immediate asks use case E to end them first
// (`transactions.stop`, B12.FR.02/04/08). Either way the reset then waits for the CSMS to confirm the Ended
// TransactionEvents (B12.FR.04: sent before the reboot), at most RESET_WAIT_SECONDS: E commits them to the durable
// queue before it reports the transaction ended, so an unconfirmed one is sent again after the restart (B12.FR.05).
// A pending reset is not persisted: a reboot in between is itself the reset.
import type { BootReasonEnumType, ResetResponse } from '../../../generated/v201/types.js';
import type { Effect, StationView, UseCase } from '../core/types.js';
import { transactionOn } from '../E-transactions/check.js';

type ResetKind = 'Immediate' | 'OnIdle';

declare module '../core/registry.js' {
  interface OwnEvents {
    'reset.timeout': object;
    'reset.idle': object;
  }
  interface HardwareOperations {
    /**
     * B11/B12: reset the station. Called after the ResetResponse was sent; ocppkit then restarts itself
     * (BootNotification with reason RemoteReset); firmware that reboots the device simply never returns.
     */
    reset(kind: ResetKind): void | Promise<void>;
    /**
     * B11.FR.08: reset one EVSE. Giving it declares that EVSEs can be reset individually; without it an EVSE reset
     * is answered Rejected (B11.FR.09). Called after the ResetResponse was sent (and, Immediate, the EVSE's
     * transaction ended); the station does not restart.
     */
    resetEvse(evseId: number, kind: ResetKind): void | Promise<void>;
  }
}

export interface PendingReset {
  kind: ResetKind;
  /** undefined: the whole station. */
  evseId?: number;
  /** Boot reason after the restart: ScheduledReset for an OnIdle reset that waited (TC_B_21_CS), else RemoteReset. */
  reason: BootReasonEnumType;
  /** Transactions that ended for this reset whose Ended TransactionEvent the CSMS has not confirmed yet. */
  awaiting?: string[];
  /** The wait timer runs. */
  timed?: boolean;
  /** B13.FR.03: ImmediateAndResume with transactions: they resume after the reboot. */
  resume?: boolean;
}

export interface ResetState {
  /** Accepted or Scheduled, waiting for transactions to end. */
  pending: PendingReset | undefined;
  /** The integrator's reset callback runs; the station restarts when it returns. */
  resetting: PendingReset | undefined;
}

export interface ResetOptions {
  /** Whether an individual EVSE can be reset (B11.FR.09/10): the integrator gave `hardware.resetEvse`. */
  evseReset: boolean;
  /** Every offered version is 2.1, so transactions can resume after a reboot (TxResumed, B13.FR.23/30). */
  resumable?: boolean;
}

/** How long a reset waits for transactions to be ended (Immediate) and their Ended events confirmed, at most. */
export const RESET_WAIT_SECONDS = 30;
const WAIT_TIMER = 'reset.wait';

export function resetUseCase(options: ResetOptions): UseCase<ResetState> {
  const perform = (state: ResetState, reset: PendingReset): { state: ResetState; effects: Effect[] } => ({
    state: { pending: undefined, resetting: reset },
    effects: [
      { type: 'cancelTimer', id: WAIT_TIMER },
      {
        type: 'emit',
        event: { type: 'reset', kind: reset.kind, ...(reset.evseId !== undefined ? { evseId: reset.evseId } : {}) },
      },
      {
        type: 'hardware',
        call:
          reset.evseId === undefined
            ? { op: 'reset', args: [reset.kind] }
            : { op: 'resetEvse', args: [reset.evseId, reset.kind] },
        tag: 'reset',
      },
    ],
  });

  const idle = (view: StationView, evseId: number | undefined) => !transactionOn(view, evseId ?? 0);

  return {
    name: 'reset',
    init: () => ({ pending: undefined, resetting: undefined }),

    on(state, event, view) {
      if (
        (event.type === 'hardwareDone' || event.type === 'hardwareFailed') &&
        event.tag === 'reset' &&
        state.resetting
      ) {
        const done = state.resetting;
        // B11.FR.03/04: the station reboots and boots again (B01). An EVSE reset (B11.FR.08) is the firmware's alone;
        // B13.FR.12: after one for ImmediateAndResume its transaction resumes.
        const effects: Effect[] =
          done.evseId === undefined
            ? [{ type: 'restart', reason: done.reason }]
            : done.resume
              ? [{ type: 'dispatch', event: { type: 'transactions.evseResetDone', evseId: done.evseId } }]
              : [];
        if (event.type === 'hardwareFailed')
          effects.unshift({
            type: 'emit',
            event: { type: 'log', level: 'error', message: `the reset callback failed: ${event.error.message}` },
          });
        return { state: { ...state, resetting: undefined }, effects };
      }
      const pending = state.pending;
      if (!pending) return undefined;
      if (event.type === 'reset.timeout') return perform(state, pending);
      // B13.FR.21: once the CSMS has the ResetCommand events (B13.FR.04; else they are sent again after the reboot, a
      // duplicate), the reboot, without waiting for the transactions to end.
      if (pending.resume) {
        if (event.type !== 'queueSent' || event.action !== 'TransactionEvent') return undefined;
        if (event.payload.triggerReason !== 'ResetCommand') return undefined;
        const id = event.payload.transactionInfo.transactionId;
        const awaiting = (pending.awaiting ?? []).filter((t) => t !== id);
        return awaiting.length ? { state: { ...state, pending: { ...pending, awaiting } } } : perform(state, pending);
      }
      const before = pending.awaiting ?? [];
      let awaiting = before;
      if (event.type === 'transaction.ended' && (pending.evseId === undefined || event.evseId === pending.evseId))
        awaiting = [...awaiting, event.transactionId];
      if (event.type === 'queueSent' && event.action === 'TransactionEvent' && event.payload.eventType === 'Ended') {
        const id = event.payload.transactionInfo.transactionId;
        if (awaiting.includes(id)) awaiting = awaiting.filter((t) => t !== id);
      }
      // B12.FR.03/07: the transactions ended (normally, or as asked by an Immediate reset) and the CSMS has their
      // Ended events: now the reset.
      const changed = awaiting !== before;
      if (!idle(view, pending.evseId))
        return changed ? { state: { ...state, pending: { ...pending, awaiting } } } : undefined;
      if (awaiting.length === 0) {
        // E's state shows the transaction over before its `transaction.ended` event has been handled: look again
        // once the events raised so far have been (the shell handles them in order).
        if (event.type === 'reset.idle') return perform(state, pending);
        return {
          state: changed ? { ...state, pending: { ...pending, awaiting } } : state,
          effects: [{ type: 'dispatch', event: { type: 'reset.idle' } }],
        };
      }
      if (!changed && pending.timed) return undefined;
      return {
        state: { ...state, pending: { ...pending, awaiting, timed: true } },
        effects: pending.timed
          ? []
          : [{ type: 'timer', id: WAIT_TIMER, ms: RESET_WAIT_SECONDS * 1000, event: { type: 'reset.timeout' } }],
      };
    },

    answers: {
      Reset(state, request, view) {
        const { type, evseId } = request;
        const respond = (status: ResetResponse['status'], reasonCode?: string) => ({
          status,
          ...(reasonCode ? { statusInfo: { reasonCode } } : {}),
        });
        // B11.FR.06, 2.1 B12.FR.10: a reset is being performed (the integrator's reset callback runs): the station
        // cannot start another one now, for a reason other than a transaction.
        // The reason codes list has none for this: Unspecified, with the reason in additionalInfo.
        if (state.resetting)
          return {
            response: {
              status: 'Rejected',
              statusInfo: { reasonCode: 'Unspecified', additionalInfo: 'a reset is already being performed' },
            },
          };
        if (evseId !== undefined && evseId !== 0) {
          if (!view.evses.some((e) => e.id === evseId)) return { response: respond('Rejected', 'UnknownEvse') };
          if (!options.evseReset) return { response: respond('Rejected', 'UnsupportedRequest') }; // B11.FR.09, B12.FR.09
        }
        const target = evseId === 0 ? undefined : evseId;
        let kind: ResetKind;
        if (type === 'ImmediateAndResume') {
          // 2.1 B13.FR.01: only when the resumption timeout > 0 (the requirement text says TxResumptionTimeout; the
          // appendix, and so the device model, names it TxCtrlr.ResumptionTimeout, which E17 reads too). Without
          // transactions it is B11 (B13.FR.02).
          if (!((view.variables.int('TxCtrlr', 'ResumptionTimeout') ?? 0) > 0))
            return { response: respond('Rejected', 'UnsupportedRequest') };
          if (!idle(view, target)) {
            // A station that may come back speaking 2.0.1 (no TxResumed) cannot resume.
            if (!options.resumable) return { response: respond('Rejected', 'TxInProgress') };
            // B13.FR.03/04: Accepted; E reports ResetCommand for each transaction and stops energy (B13.FR.10/20),
            // then the EVSE reset (B13.FR.11) or the reboot (B13.FR.21); E resumes them after it (B13.FR.12–14,
            // B13.FR.23–25, B13.FR.30).
            const awaiting = (target !== undefined ? [target] : [0, ...view.evses.map((e) => e.id)])
              .map((id) => view.query.evseActivity?.(id)?.transactionId)
              .filter((id) => id !== undefined);
            return {
              state: {
                ...state,
                pending: {
                  kind: 'Immediate',
                  ...(target !== undefined ? { evseId: target } : {}),
                  reason: 'RemoteReset',
                  resume: true,
                  awaiting,
                  timed: true,
                },
              },
              response: respond('Accepted'),
              after: [
                { type: 'timer', id: WAIT_TIMER, ms: RESET_WAIT_SECONDS * 1000, event: { type: 'reset.timeout' } },
                {
                  type: 'dispatch',
                  event: { type: 'transactions.resetResume', ...(target !== undefined ? { evseId: target } : {}) },
                },
              ],
            };
          }
          kind = 'Immediate';
        } else {
          kind = type;
        }
        const reset: PendingReset = {
          kind,
          ...(target !== undefined ? { evseId: target } : {}),
          reason: 'RemoteReset',
        };
        if (idle(view, target)) {
          const done = perform(state, reset);
          return { state: done.state, response: respond('Accepted'), after: done.effects };
        }
        if (kind === 'OnIdle') {
          // B12.FR.01: after all transactions (on the EVSE) have ended; the station then boots with ScheduledReset.
          return {
            state: { ...state, pending: { ...reset, reason: 'ScheduledReset' } },
            response: respond('Scheduled'),
          };
        }
        // B12.FR.02: Immediate with transactions: Accepted; they are ended (B12.FR.04/08: reason ImmediateReset, E's
        // TransactionEvent Ended with triggerReason ResetCommand), then the reset.
        return {
          state: { ...state, pending: { ...reset, timed: true } },
          response: respond('Accepted'),
          after: [
            { type: 'timer', id: WAIT_TIMER, ms: RESET_WAIT_SECONDS * 1000, event: { type: 'reset.timeout' } },
            { type: 'dispatch', event: { type: 'transactions.stop', evseId: target ?? 0, reason: 'ImmediateReset' } },
          ],
        };
      },
    },
  };
}
