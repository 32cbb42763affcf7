// B11 Reset without ongoing transaction, B12 Reset with ongoing transaction.
// The answer comes first (B11.FR.01); the reset follows once the CALLRESULT is out. OnIdle waits for the
// transactions where it applies (B12.FR.01: Scheduled); Immediate ends them first (B12.FR.02/04/08: their Ended
// TransactionEvents are committed to the durable queue before the reset, so they survive it: B12.FR.05).
import type { ResetRequest, ResetResponse } from '../../../generated/v201/types.js';
import type { Effect, StationView, UseCase } from '../core/types.js';

export interface ResetState {
  /** An OnIdle reset answered Scheduled, waiting for its transactions to end. */
  pending: { kind: 'OnIdle' | 'Immediate'; evseId?: number } | undefined;
}

export interface ResetOptions {
  /** Whether an individual EVSE can be reset (B11.FR.09/10); default: whether the integrator gave a reset callback. */
  evseReset: boolean;
}

export function resetUseCase(options: ResetOptions): UseCase<ResetState> {
  const perform = (kind: 'OnIdle' | 'Immediate', evseId: number | undefined): Effect[] => [
    { type: 'emit', event: { type: 'reset', kind, ...(evseId !== undefined ? { evseId } : {}) } },
    { type: 'hardware', call: { op: 'reset', kind, ...(evseId !== undefined ? { evseId } : {}) }, tag: 'reset' },
    // B11.FR.03/04: the station reboots and boots again (B01) with reason RemoteReset. An EVSE reset (B11.FR.08)
    // does not restart the station.
    ...(evseId === undefined ? [{ type: 'restart', reason: 'RemoteReset' } as const] : []),
  ];

  const idle = (view: StationView, evseId: number | undefined) => !view.transactionOn(evseId ?? 0);

  return {
    name: 'reset',
    init: (_view, saved) => ({ pending: (saved as ResetState | undefined)?.pending }),
    save: (state) => ({ pending: state.pending }),

    on(state, event, view) {
      if (!state.pending || !idle(view, state.pending.evseId)) return undefined;
      // B12.FR.03/07: the transactions ended normally (E06); now the scheduled reset.
      const { kind, evseId } = state.pending;
      return { state: { pending: undefined }, effects: [{ type: 'persist' }, ...perform(kind, evseId)] };
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
          return { state: { pending: { kind, evseId: target } }, response: respond('Scheduled'), after: [{ type: 'persist' }] };
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
