// F05 Remotely Unlock Connector. The answer depends on the hardware (F05.FR.04/05), so the shell calls the
// integrator's unlockConnector first and answers with its outcome.
import type { UnlockConnectorRequest, UnlockConnectorResponse } from '../../../generated/v201/types.js';
import type { Answer, HardwareAnswer, StationView } from '../core/types.js';

declare module '../core/registry.js' {
  interface HardwareOperations {
    /**
     * Unlock the connector's cable (F05 UnlockConnector, and at the end of a transaction, E06.FR.10). Resolve true
     * when it unlocked, false when it could not. Without it, UnlockConnector is answered UnlockFailed.
     */
    unlockConnector(evseId: number, connectorId: number): boolean | Promise<boolean>;
    /**
     * Optional. 2.1 B13.FR.22: lock the connector's cable again: after a Reset ImmediateAndResume the station unlocks
     * the detachable cables of its transactions before rebooting (B13.FR.20) and locks them with this once it is back,
     * before energy flows again. Resolve true when it locked; false (or reject) when it could not: the station then
     * treats it as a failed retention lock (G05, no energy). Only with both this and unlockConnector are cables
     * unlocked for the reset; without it they stay as the firmware holds them.
     */
    lockConnector(evseId: number, connectorId: number): boolean | Promise<boolean>;
  }
}

export function answerUnlock(
  request: UnlockConnectorRequest,
  view: StationView,
  canUnlock: boolean,
): Answer<null, UnlockConnectorResponse> | HardwareAnswer<null, UnlockConnectorResponse> {
  const { evseId, connectorId } = request;
  const evse = view.evses.find((e) => e.id === evseId);
  // F05.FR.03
  if (!evse || !evse.connectors.some((c) => c.id === connectorId)) return { response: { status: 'UnknownConnector' } };
  // F05.FR.02: not while an authorized transaction runs on the connector (neither unlock nor stop it).
  const session = view.query.evseActivity?.(evseId);
  if (
    session?.transactionId !== undefined &&
    session.authorized &&
    (session.connectorId ?? connectorId) === connectorId
  )
    return { response: { status: 'OngoingAuthorizedTransaction' } };
  if (!canUnlock)
    return {
      response: {
        status: 'UnlockFailed',
        statusInfo: { reasonCode: 'UnsupportedRequest', additionalInfo: 'no unlockConnector hardware callback' },
      },
    };
  // F05.FR.06: try even when no cable is detected, and report the result (F05.FR.04/05).
  return {
    askHardware: {
      call: { op: 'unlockConnector', args: [evseId, connectorId] },
      respond: (outcome) =>
        outcome.ok && outcome.result !== false ? { status: 'Unlocked' } : { status: 'UnlockFailed' },
    },
  };
}
