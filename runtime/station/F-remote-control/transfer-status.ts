// F06 TriggerMessage of LogStatusNotification and FirmwareStatusNotification (F06.FR.14–16, L01.FR.25/26), and the
// one place that sends these two notifications. The log upload (N01, N-diagnostics/get-log.ts) and the firmware
// update (L01/L02, L-firmware/) raise `log.status` / `firmware.status`; this one sends the notification and keeps the
// last status, so that a TriggerMessage reports what is going on; with nothing uploading or updating a trigger is
// answered with Idle — the CSMS may ask at any time (TC_F_15_CS, TC_F_17_CS, TC_F_18_CS).
// A notification the offline policy could not send (no connection; these messages are not queued unless
// QueueAllMessages) is not lost for good: once the station is online again, the last status of each kind is sent
// again if it never went out — the CSMS then knows where the update or upload stands (as B04 does for connectors).
import type {
  FirmwareStatusEnumType,
  FirmwareStatusNotificationRequest,
  LogStatusNotificationRequest,
  UploadLogStatusEnumType,
} from '../../../generated/v201/types.js';
import { registrationOf } from '../B-provisioning/boot.js';
import type { Effect, UseCase } from '../core/types.js';

declare module '../core/registry.js' {
  interface OwnEvents {
    /** Online again: send the last statuses that could not be sent (after the events raised so far). */
    'transferStatus.resend': object;
  }
}

type Kind = 'firmware' | 'log';
const ACTION = { firmware: 'FirmwareStatusNotification', log: 'LogStatusNotification' } as const;
/** The tag of this use case's own sends: the kind and the sequence number of the status. */
const tagOf = (kind: Kind, seq: number) => `transferStatus.${kind}:${seq}`;

export interface TransferStatusState {
  /** The last FirmwareStatusNotification sent (L01.FR.26), absent when none was. */
  firmware?: { status: FirmwareStatusEnumType; requestId?: number };
  /** The last LogStatusNotification sent, absent when none was. */
  log?: { status: UploadLogStatusEnumType; requestId?: number };
  /** How many statuses of each kind were sent: which reply is about the last one. */
  seq?: { firmware?: number; log?: number };
  /** The last status of the kind could not be sent (offline): it is sent again once online. */
  unsent?: { firmware?: true; log?: true };
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

/**
 * Sends the status of `kind` that `state` holds (a new one, or the last one again), tagged with its sequence number
 * unless the raiser gave a tag of its own (then its reply is the raiser's, and a failure is not tracked).
 */
function sendWith(
  state: TransferStatusState,
  kind: Kind,
  given?: string,
): { state: TransferStatusState; effects: Effect[] } {
  const seq = (state.seq?.[kind] ?? 0) + 1;
  const unsent = { ...state.unsent };
  delete unsent[kind];
  const next: TransferStatusState = { ...state, seq: { ...state.seq, [kind]: seq }, unsent };
  const tag = given ?? tagOf(kind, seq);
  const effect: Effect =
    kind === 'firmware'
      ? { type: 'send', action: ACTION.firmware, payload: next.firmware!, tag }
      : { type: 'send', action: ACTION.log, payload: next.log!, tag };
  return { state: next, effects: [effect, { type: 'persist' }] };
}

export const transferStatusUseCase: UseCase<TransferStatusState> = {
  name: 'transferStatus',
  triggers: ['FirmwareStatusNotification', 'LogStatusNotification'],

  init(_view, saved) {
    // Written by `save` (or nothing on a first start); read back as the store gives it.
    const s = (saved ?? {}) as TransferStatusState;
    return {
      ...(s.firmware ? { firmware: s.firmware } : {}),
      ...(s.log ? { log: s.log } : {}),
      ...(s.seq ? { seq: s.seq } : {}),
      ...(s.unsent ? { unsent: s.unsent } : {}),
    };
  },

  // Kept across restarts: a firmware installation usually reboots the station, and L01.FR.26 asks for the last status sent.
  save: (state) => state,

  on(state, event, view) {
    switch (event.type) {
      case 'firmware.status': {
        const { status, requestId, tag } = event;
        const reported = { status, ...(requestId !== undefined ? { requestId } : {}) };
        return sendWith({ ...state, firmware: reported }, 'firmware', tag);
      }
      case 'log.status': {
        const { status, requestId, tag } = event;
        const reported = { status, ...(requestId !== undefined ? { requestId } : {}) };
        return sendWith({ ...state, log: reported }, 'log', tag);
      }
      case 'reply': {
        // The last status of its kind could not be sent: keep it for when the station is online again.
        for (const kind of ['firmware', 'log'] as const) {
          if (event.action !== ACTION[kind] || event.tag !== tagOf(kind, state.seq?.[kind] ?? 0)) continue;
          if (event.result.status !== 'notSent') return undefined;
          return { state: { ...state, unsent: { ...state.unsent, [kind]: true } }, effects: [{ type: 'persist' }] };
        }
        // Online again after a boot (B01.FR.08: nothing is sent before it is Accepted).
        if (
          event.action === 'BootNotification' &&
          event.result.status === 'sent' &&
          event.result.response.status === 'Accepted' &&
          (state.unsent?.firmware || state.unsent?.log)
        )
          return { state, effects: [{ type: 'dispatch', event: { type: 'transferStatus.resend' } }] };
        return undefined;
      }
      case 'connected':
        // A reconnect to the CSMS that accepted the station (B04): online at once.
        if ((state.unsent?.firmware || state.unsent?.log) && registrationOf(view) === 'Accepted')
          return { state, effects: [{ type: 'dispatch', event: { type: 'transferStatus.resend' } }] };
        return undefined;
      case 'transferStatus.resend': {
        // After the events raised before it: a new status raised meanwhile has replaced the unsent one.
        let step: { state: TransferStatusState; effects: Effect[] } = { state, effects: [] };
        for (const kind of ['firmware', 'log'] as const) {
          if (!step.state.unsent?.[kind]) continue;
          const more = sendWith(step.state, kind);
          step = { state: more.state, effects: [...step.effects, ...more.effects] };
        }
        return step.effects.length ? step : undefined;
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
