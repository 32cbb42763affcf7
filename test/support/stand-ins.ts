// A STAND-IN, for tests only: a minimal version of a use case another branch builds, so that the provisioning and
// availability tests can exercise the contract between blocks before it lands. It is not ocppkit behaviour.
// transactionStandIn is what use case E (station-e) will do, reduced to the contract B and G rely on: a transaction
// on an EVSE (`view.transactionOn`) that starts when a cable is plugged, ends normally when it is unplugged, and
// ends on `transactions.stop` (sending its Ended TransactionEvent through the durable queue first).
import type { ReasonEnumType, TransactionEventRequest } from '../../generated/v201/types.js';
import type { Effect, StationView, UseCase } from '../../runtime/station/core/types.js';

interface TxState {
  running: Record<number, { transactionId: string; connectorId: number }>;
  counter: number;
}

export function transactionStandIn(): UseCase<TxState> {
  const event = (view: StationView, eventType: 'Started' | 'Ended', evseId: number, tx: { transactionId: string; connectorId: number }, extra: Partial<TransactionEventRequest> = {}): Effect => ({
    type: 'send',
    action: 'TransactionEvent',
    payload: {
      eventType,
      timestamp: new Date(view.now()).toISOString(),
      triggerReason: eventType === 'Started' ? 'CablePluggedIn' : 'EVCommunicationLost',
      seqNo: 0,
      transactionInfo: { transactionId: tx.transactionId, chargingState: 'EVConnected' },
      evse: { id: evseId, connectorId: tx.connectorId },
      ...extra,
    } as TransactionEventRequest,
  });
  const end = (state: TxState, view: StationView, evseId: number, reason: ReasonEnumType): { state: TxState; effects: Effect[] } => {
    const tx = state.running[evseId]!;
    const { [evseId]: _, ...running } = state.running;
    const triggerReason = reason === 'ImmediateReset' ? 'ResetCommand' : reason === 'EVDisconnected' ? 'EVCommunicationLost' : 'RemoteStop';
    return {
      state: { ...state, running },
      effects: [
        event(view, 'Ended', evseId, tx, { triggerReason, transactionInfo: { transactionId: tx.transactionId, chargingState: 'EVConnected', stoppedReason: reason } }),
        { type: 'dispatch', event: { type: 'transaction.ended', evseId, transactionId: tx.transactionId, stoppedReason: reason } },
      ],
    };
  };
  return {
    name: 'transactionStandIn',
    init: () => ({ running: {}, counter: 0 }),
    on(state, e, view) {
      if (e.type === 'cablePlugged' && !state.running[e.evseId]) {
        const tx = { transactionId: `standin-${state.counter + 1}`, connectorId: e.connectorId };
        return {
          state: { running: { ...state.running, [e.evseId]: tx }, counter: state.counter + 1 },
          effects: [event(view, 'Started', e.evseId, tx), { type: 'dispatch', event: { type: 'transaction.started', evseId: e.evseId, connectorId: e.connectorId, transactionId: tx.transactionId } }],
        };
      }
      if (e.type === 'cableUnplugged' && state.running[e.evseId]) return end(state, view, e.evseId, 'EVDisconnected');
      if (e.type === 'transactions.stop') {
        let next = state;
        const effects: Effect[] = [];
        for (const id of Object.keys(state.running).map(Number)) {
          if (e.evseId !== 0 && e.evseId !== id) continue; // 0: every EVSE
          const step = end(next, view, id, e.reason as ReasonEnumType);
          next = step.state;
          effects.push(...step.effects);
        }
        return { state: next, effects };
      }
      return undefined;
    },
    transactionOn: (state, evseId) => (evseId === 0 ? Object.keys(state.running).length > 0 : state.running[evseId] !== undefined),
  };
}
