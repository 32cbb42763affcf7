// F01 Remote Start Transaction - Cable Plugin First, F02 - Remote Start First. The answer says whether the station
// will try (F01.FR.21–24, with the reservations of use case H through view.reservationCheck; B02.FR.05 is the gate
// of boot.ts, before any use case); what follows is use case E's: it receives `remote.start` once the answer is
// out, authorizes if AuthorizeRemoteStart asks for it (F01.FR.01, F02.FR.09) and starts the transaction as for a
// local action (F01.FR.05, F02.FR.13). A chargingProfile in the request is block K's: checked through its query
// `remoteStartProfile` (Rejected when invalid, F01.FR.26, F02.FR.27) and installed by K for the transaction that
// starts (F01.FR.10, F02.FR.18); without smart charging (no K, or SmartChargingCtrlr.Enabled false) it is ignored
// (F01.FR.12, F02.FR.20).
import type { RequestStartTransactionRequest, RequestStartTransactionResponse } from '../../../generated/v201/types.js';
import type { RequestStartTransactionRequest as RequestStartTransactionRequest21 } from '../../../generated/v21/types.js';
import type { Answer, StationView } from '../core/types.js';
import { stationToken } from '../core/tokens.js';
import { reservationCheck } from '../H-reservation/check.js';

type Request = RequestStartTransactionRequest | RequestStartTransactionRequest21;

const rejected = (reasonCode: string): { response: RequestStartTransactionResponse } => ({
  response: { status: 'Rejected', statusInfo: { reasonCode } },
});

/**
 * Whether the EVSE can take a remote start for the idToken: not reserved for another (F01.FR.21/22, F02.FR.23/24),
 * no authorized transaction (F01.FR.24), some connector usable (F01.FR.23).
 */
function usable(view: StationView, evseId: number, request: Request): 'ok' | 'unavailable' | 'busy' | 'reserved' {
  const groupIdToken = request.groupIdToken && stationToken(request.groupIdToken);
  if (reservationCheck(view, evseId, stationToken(request.idToken), groupIdToken).verdict === 'reserved')
    return 'reserved';
  const session = view.query.evseActivity?.(evseId);
  if (session?.authorized || session?.authorizing) return 'busy';
  const evse = view.evses.find((e) => e.id === evseId)!;
  const status = view.query.connectorStatus;
  if (status && evse.connectors.every((c) => ['Unavailable', 'Faulted'].includes(status(evseId, c.id))))
    return 'unavailable';
  return 'ok';
}

/** F01.FR.20, F02.FR.22: without an evseId, the EVSE whose EV waits for authorization, else the first free one. */
function selectEvse(view: StationView, request: Request): number | undefined {
  const session = (evseId: number) => view.query.evseActivity?.(evseId);
  const free = view.evses.filter((e) => usable(view, e.id, request) === 'ok');
  return (free.find((e) => session(e.id)?.evConnected) ?? free.find((e) => session(e.id)?.transactionId === undefined))
    ?.id;
}

export function answerRequestStart(request: Request, view: StationView): Answer<null, RequestStartTransactionResponse> {
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
  // F01.FR.26, F02.FR.27: an invalid chargingProfile refuses the start; F01.FR.12, F02.FR.20: without smart
  // charging (no answer) it is ignored.
  const profile = request.chargingProfile && view.query.remoteStartProfile?.(evseId, request.chargingProfile);
  if (profile && !profile.accepted) return rejected(profile.reasonCode);
  // F01.FR.13: a transaction that started before (cable plugged in first) and is not authorized yet: its id.
  const running = view.query.evseActivity?.(evseId)?.transactionId;
  const response: RequestStartTransactionResponse = {
    status: 'Accepted',
    ...(running !== undefined ? { transactionId: running } : {}),
  };
  const groupIdToken = request.groupIdToken && stationToken(request.groupIdToken);
  return {
    response,
    after: [
      {
        type: 'dispatch',
        event: {
          type: 'remote.start',
          evseId,
          idToken: stationToken(request.idToken),
          ...(groupIdToken ? { groupIdToken } : {}),
          remoteStartId: request.remoteStartId,
          ...(profile && request.chargingProfile ? { chargingProfile: request.chargingProfile } : {}),
        },
      },
    ],
  };
}
