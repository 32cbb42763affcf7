// F06 TriggerMessage of LogStatusNotification and FirmwareStatusNotification (F06.FR.14–16, L01.FR.25/26), and the
// one place that sends these two notifications. The log upload (N01, N-diagnostics/get-log.ts) and the firmware
// update (L01/L02, L-firmware/) raise `log.status` / `firmware.status`; this one sends the notification and keeps the
// last status, so that a TriggerMessage reports what is going on; with nothing uploading or updating a trigger is
// answered with Idle — the CSMS may ask at any time (TC_F_15_CS, TC_F_17_CS, TC_F_18_CS).
import type {
  FirmwareStatusEnumType,
  FirmwareStatusNotificationRequest,
  LogStatusNotificationRequest,
  UploadLogStatusEnumType,
} from '../../../generated/v201/types.js';
import type { Effect, UseCase } from '../core/types.js';

export interface TransferStatusState {
  /** The last FirmwareStatusNotification sent (L01.FR.26), absent when none was. */
  firmware?: { status: FirmwareStatusEnumType; requestId?: number };
  /** The last LogStatusNotification sent, absent when none was. */
  log?: { status: UploadLogStatusEnumType; requestId?: number };
}

/** F06.FR.16, L01.FR.25/26: Idle when no update was ever reported or the last one was Installed; else the last status. */
function firmwareNow(state: TransferStatusState): FirmwareStatusNotificationRequest {
  const last = state.firmware;
  if (!last || last.status === 'Installed' || last.status === 'Idle') return { status: 'Idle' };
  return { status: last.status, ...(last.requestId !== undefined ? { requestId: last.requestId } : {}) };
}

/**
 * F06.FR.14/15: Uploading (with the GetLog requestId, N01.FR.07) while an upload runs, else Idle without requestId
 * (N01.FR.13 allows leaving it out only then).
 */
function logNow(state: TransferStatusState): LogStatusNotificationRequest {
  const last = state.log;
  if (last?.status !== 'Uploading') return { status: 'Idle' };
  return { status: 'Uploading', ...(last.requestId !== undefined ? { requestId: last.requestId } : {}) };
}

export const transferStatusUseCase: UseCase<TransferStatusState> = {
  name: 'transferStatus',
  triggers: ['FirmwareStatusNotification', 'LogStatusNotification'],

  init(_view, saved) {
    // Written by `save` (or nothing on a first start); read back as the store gives it.
    const s = (saved ?? {}) as TransferStatusState;
    return { ...(s.firmware ? { firmware: s.firmware } : {}), ...(s.log ? { log: s.log } : {}) };
  },

  // Kept across restarts: a firmware installation usually reboots the station, and L01.FR.26 asks for the last status sent.
  save: (state) => state,

  on(state, event) {
    switch (event.type) {
      case 'firmware.status': {
        const { status, requestId, tag } = event;
        const reported = { status, ...(requestId !== undefined ? { requestId } : {}) };
        const effects: Effect[] = [
          { type: 'send', action: 'FirmwareStatusNotification', payload: reported, ...(tag ? { tag } : {}) },
          { type: 'persist' },
        ];
        return { state: { ...state, firmware: reported }, effects };
      }
      case 'log.status': {
        const { status, requestId, tag } = event;
        const reported = { status, ...(requestId !== undefined ? { requestId } : {}) };
        const effects: Effect[] = [
          { type: 'send', action: 'LogStatusNotification', payload: reported, ...(tag ? { tag } : {}) },
          { type: 'persist' },
        ];
        return { state: { ...state, log: reported }, effects };
      }
      case 'triggered':
        // F06.FR.03: an evse in the request is not relevant to these messages and is ignored. Sent directly: a
        // triggered message may go out while Pending (B02.FR.02).
        if (event.requestedMessage === 'FirmwareStatusNotification') {
          return {
            state,
            effects: [
              { type: 'send', action: 'FirmwareStatusNotification', payload: firmwareNow(state), direct: true },
            ],
          };
        }
        if (event.requestedMessage === 'LogStatusNotification') {
          return {
            state,
            effects: [{ type: 'send', action: 'LogStatusNotification', payload: logNow(state), direct: true }],
          };
        }
        return undefined;
      default:
        return undefined;
    }
  },
};
