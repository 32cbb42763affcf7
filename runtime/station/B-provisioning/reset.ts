// B11 Reset without ongoing transaction, B12 Reset with ongoing transaction.
// The answer comes first (B11.FR.01); the reset follows once the CALLRESULT is out. OnIdle waits for the
// transactions where it applies (B12.FR.01: Scheduled); Immediate ends them first (B12.FR.02/04/08: their Ended
// TransactionEvents are committed to the durable queue before the reset, so they survive it: B12.FR.05).
import type { ResetRequest, ResetResponse } from '../../../generated/v201/types.js';
import type { Effect, StationView, UseCase } from '../core/types.js';

export interface ResetState {
  /**
   * A reset waiting for its transactions to end: OnIdle answered Scheduled (B12.FR.01), or Immediate whose Ended
   * events are on their way (B12.FR.04). `scheduled`: it was answered Scheduled, so the boot reason is ScheduledReset.
   */
  pending: { kind: 'OnIdle' | 'Immediate'; evseId?: number; scheduled?: boolean } | undefined;
}

const DELIVERY_TIMER = 'reset.delivery';

export interface ResetOptions {
  /** Whether an individual EVSE can be reset (B11.FR.09/10); default: whether the integrator gave a reset callback. */
  evseReset: boolean;
}

export function resetUseCase(options: ResetOptions): UseCase<ResetState> {
  const perform = (kind: 'OnIdle' | 'Immediate', evseId: number | undefined, scheduled = false): Effect[] => [
    { type: 'cancelTimer', id: DELIVERY_TIMER },
    { type: 'emit', event: { type: 'reset', kind, ...(evseId !== undefined ? { evseId } : {}) } },
    { type: 'hardware', call: { op: 'reset', kind, ...(evseId !== undefined ? { evseId } : {}) }, tag: 'reset' },
    // B11.FR.03/04: the station reboots and boots again (B01) with reason RemoteReset (ScheduledReset when it waited
    // for transactions, TC_B_21_CS). An EVSE reset (B11.FR.08) does not restart the station.
    ...(evseId === undefined ? [{ type: 'restart', reason: scheduled ? 'ScheduledReset' : 'RemoteReset' } as const] : []),
  ];

  const idle = (view: StationView, evseId: number | undefined) => !view.transactionOn(evseId ?? 0);

  return {
    name: 'reset',
    init: (_view, saved) => ({ pending: (saved as ResetState | undefined)?.pending }),
    save: (state) => ({ pending: state.pending }),

    on(state, event, view) {
      if (!state.pending || !idle(view, state.pending.evseId)) return undefined;
      const { kind, evseId, scheduled } = state.pending;
      // B12.FR.04/05: before rebooting, the Ended events are sent; if they are not answered within the message
      // timeout they stay queued and go out after the reboot.
      if (kind === 'Immediate' && evseId === undefined && event.type !== DELIVERY_TIMER && view.connected && view.queued()) {
        if (event.type !== 'transaction.ended') return undefined;
        const timeoutS = view.variables.int('OCPPCommCtrlr', 'MessageTimeout') ?? 30;
        return { state, effects: [{ type: 'timer', id: DELIVERY_TIMER, ms: timeoutS * 1000, event: { type: DELIVERY_TIMER } }] };
      }
      // B12.FR.03/07: the transactions ended normally (E06); now the scheduled reset.
      return { state: { pending: undefined }, effects: [{ type: 'persist' }, ...perform(kind, evseId, scheduled)] };
    },

    answers: {
      Reset(state, request, view) {
        const { type: kind, evseId } = request as ResetRequest;
        const respond = (status: ResetResponse['status'], reasonCode?: string) => ({ status, ...(reasonCode ? { statusInfo: { reasonCode } } : {}) });
        if (evseId !== undefined && evseId !== 0) {
          if (!view.evses.some((e) => e.id === evseId)) return { response: respond('Rejected', 'UnknownEvse') };
          if (!options.evseReset) return { response: respond('Rejected', 'UnsupportedRequest') }; // B11.FR.09, B12.FR.09
        }
        const target = evseId === 0 ? undefined : evseId;
        if (idle(view, target)) return { response: respond('Accepted'), after: perform(kind, target) };
        if (kind === 'OnIdle') {
          // B12.FR.01: after all transactions (on the EVSE) have ended.
          return { state: { pending: { kind, evseId: target, scheduled: true } }, response: respond('Scheduled'), after: [{ type: 'persist' }] };
        }
        // B12.FR.02: Immediate with transactions: Accepted; they are ended (reason ImmediateReset), then the reset.
        return {
          state: { pending: { kind, evseId: target } },
          response: respond('Accepted'),
          after: [{ type: 'persist' }, { type: 'dispatch', event: { type: 'transactions.stop', evseId: target ?? 0, reason: 'ImmediateReset' } }],
        };
      },
    },
  };
}
