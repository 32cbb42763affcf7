// F01 Remote Start Transaction - Cable Plugin First, F02 - Remote Start First. The answer says whether the station
// will try (F01.FR.21–24, with the reservations of use case H through view.reservationCheck; B02.FR.05 is the gate
// of boot.ts, before any use case); what follows is use case E's: it receives `remote.start` once the answer is
// out, authorizes if AuthorizeRemoteStart asks for it (F01.FR.01, F02.FR.09) and starts the transaction as for a
// local action (F01.FR.05, F02.FR.13). A chargingProfile in the request is ignored (F01.FR.12, F02.FR.20: ocppkit
// has no smart charging yet).
import type { RequestStartTransactionRequest, RequestStartTransactionResponse } from '../../../generated/v201/types.js';
import type { Answer, StationView } from '../core/types.js';
import type { TransactionsState } from '../E-transactions/session.js';
import { connectorStatus, type AvailabilityState } from '../G-availability.js';

const rejected = (reasonCode: string): { response: RequestStartTransactionResponse } => ({ response: { status: 'Rejected', statusInfo: { reasonCode } } });

/**
 * Whether the EVSE can take a remote start for the idToken: not reserved for another (F01.FR.21/22, F02.FR.23/24),
 * no authorized transaction (F01.FR.24), some connector usable (F01.FR.23).
 */
function usable(view: StationView, evseId: number, request: RequestStartTransactionRequest): 'ok' | 'unavailable' | 'busy' | 'reserved' {
  if (view.reservationCheck(evseId, request.idToken, request.groupIdToken).verdict === 'reserved') return 'reserved';
  const tx = view.stateOf<TransactionsState>('transactions')?.sessions[evseId];
  if (tx?.auth || tx?.pending) return 'busy';
  const availability = view.stateOf<AvailabilityState>('availability');
  const evse = view.evses.find((e) => e.id === evseId)!;
  if (availability && evse.connectors.every((c) => ['Unavailable', 'Faulted'].includes(connectorStatus(availability, view, evseId, c.id)))) return 'unavailable';
  return 'ok';
}

/** F01.FR.20, F02.FR.22: without an evseId, the EVSE whose EV waits for authorization, else the first free one. */
function selectEvse(view: StationView, request: RequestStartTransactionRequest): number | undefined {
  const sessions = view.stateOf<TransactionsState>('transactions')?.sessions ?? {};
  const free = view.evses.filter((e) => usable(view, e.id, request) === 'ok');
  return (free.find((e) => sessions[e.id]?.evConnected) ?? free.find((e) => !sessions[e.id]?.tx))?.id;
}

export function answerRequestStart(request: RequestStartTransactionRequest, view: StationView): Answer<null, RequestStartTransactionResponse> {
  let evseId = request.evseId;
  if (evseId !== undefined) {
    if (!view.evses.some((e) => e.id === evseId)) return rejected('UnknownEvse');
    const state = usable(view, evseId, request);
    if (state === 'reserved') return { response: { status: 'Rejected' } }; // F01.FR.21/22, F02.FR.23/24
    if (state === 'unavailable') return { response: { status: 'Rejected' } }; // F01.FR.23, F02.FR.25
    if (state === 'busy') return rejected('TxInProgress'); // F01.FR.24, F02.FR.26
  } else {
    evseId = selectEvse(view, request);
    if (evseId === undefined) return rejected('TxInProgress');
  }
  // F01.FR.13: a transaction that started before (cable plugged in first) and is not authorized yet: its id.
  const running = view.stateOf<TransactionsState>('transactions')?.sessions[evseId]?.tx;
  const response: RequestStartTransactionResponse = { status: 'Accepted', ...(running ? { transactionId: running.id } : {}) };
  return {
    response,
    after: [{ type: 'dispatch', event: { type: 'remote.start', evseId, idToken: request.idToken, ...(request.groupIdToken ? { groupIdToken: request.groupIdToken } : {}), remoteStartId: request.remoteStartId } }],
  };
}
