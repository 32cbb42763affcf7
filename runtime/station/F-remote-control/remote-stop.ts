// F03 Remote Stop Transaction. Accepted for a transaction that runs here (F03.FR.07), Rejected otherwise
// (F03.FR.08); while Pending the gate of boot.ts answers first (B02.FR.05). After the answer, use case E ends the authorization with
// triggerReason RemoteStop and stoppedReason Remote (F03.FR.02/03).
import type { RequestStopTransactionRequest, RequestStopTransactionResponse } from '../../../generated/v201/types.js';
import type { Answer, StationView } from '../core/types.js';

export function answerRequestStop(
  request: RequestStopTransactionRequest,
  view: StationView,
): Answer<null, RequestStopTransactionResponse> {
  const evseId = view.query.transactionEvse?.(request.transactionId);
  if (evseId === undefined) return { response: { status: 'Rejected', statusInfo: { reasonCode: 'TxNotFound' } } };
  return {
    response: { status: 'Accepted' },
    after: [
      {
        type: 'dispatch',
        event: { type: 'transactions.stop', evseId, transactionId: request.transactionId, reason: 'Remote' },
      },
    ],
  };
}
