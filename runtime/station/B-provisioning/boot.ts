// B01–B04 Booting a Charging Station, and G02 Heartbeat.
// BootNotification on every (re)start (B01.FR.01/03) with its reason (B01.FR.09); nothing else is sent until the CSMS
// accepts (B01.FR.08), which the outgoing dispatcher enforces while the station is "offline" to it. Pending and
// Rejected are retried after the interval the CSMS gives, or one of our own when it gives 0 (B02.FR.07/08,
// B03.FR.05/06). Accepted sets the heartbeat interval (B01.FR.04) and the clock (B01.FR.06), and releases the
// connector statuses (B01.FR.05) and the queue.
import type {
  BootNotificationResponse,
  BootReasonEnumType,
  HeartbeatResponse,
  RegistrationStatusEnumType,
} from '../../../generated/v201/types.js';
import type { Effect, StationEvent, StationView, Step, UseCase } from '../core/types.js';

/** Wait before resending BootNotification when the CSMS gave no interval (B02.FR.07) or did not answer. */
export const DEFAULT_BOOT_RETRY_SECONDS = 60;
export const DEFAULT_HEARTBEAT_SECONDS = 300;

export interface BootState {
  /** The CSMS's last answer to BootNotification since this start; undefined before the first. */
  registration: RegistrationStatusEnumType | undefined;
  reason: BootReasonEnumType;
  /** A BootNotification is on its way. */
  booting: boolean;
  /** Accepted at least once since this start: a later reconnect is not a boot (B04, not B01). */
  acceptedSinceStart: boolean;
}

export interface BootInfo {
  model: string;
  vendorName: string;
  serialNumber?: string;
  firmwareVersion?: string;
  modem?: { iccid?: string; imsi?: string };
}

const HEARTBEAT_TIMER = 'heartbeat';
const RETRY_TIMER = 'boot.retry';

export function bootUseCase(info: BootInfo): UseCase<BootState> {
  const bootNotification = (state: BootState, reason: BootReasonEnumType = state.reason): Effect => ({
    type: 'send',
    action: 'BootNotification',
    payload: { reason, chargingStation: { ...info } },
    tag: 'boot',
    direct: true,
  });

  const heartbeatSeconds = (view: StationView) => {
    const configured = view.variables.int('OCPPCommCtrlr', 'HeartbeatInterval');
    return configured !== undefined && configured > 0 ? configured : DEFAULT_HEARTBEAT_SECONDS;
  };
  const armHeartbeat = (view: StationView): Effect => ({
    type: 'timer',
    id: HEARTBEAT_TIMER,
    ms: heartbeatSeconds(view) * 1000,
    event: { type: 'heartbeat.due' },
  });

  function onBootAnswer(state: BootState, event: Extract<StationEvent, { type: 'reply' }>, view: StationView): Step<BootState> {
    const booting = { ...state, booting: false };
    if (event.result.status !== 'sent') {
      // No answer (timeout, connection lost, CALLERROR): try again after an interval of our own (B01 error handling).
      return { state: booting, effects: view.connected ? [{ type: 'timer', id: RETRY_TIMER, ms: DEFAULT_BOOT_RETRY_SECONDS * 1000, event: { type: 'boot.retry' } }] : [] };
    }
    const res = event.result.response as BootNotificationResponse;
    const registration: PublicRegistration = { type: 'registration', status: res.status, interval: res.interval };
    if (res.status === 'Accepted') {
      const effects: Effect[] = [
        { type: 'cancelTimer', id: RETRY_TIMER },
        { type: 'syncClock', currentTime: res.currentTime },
        { type: 'emit', event: registration },
      ];
      // B01.FR.04: interval > 0 becomes the heartbeat interval (kept in the device model, so it is reported too).
      if (res.interval > 0) effects.push({ type: 'setVariable', component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', value: String(res.interval) });
      effects.push({ type: 'timer', id: HEARTBEAT_TIMER, ms: (res.interval > 0 ? res.interval : heartbeatSeconds(view)) * 1000, event: { type: 'heartbeat.due' } });
      // B01.FR.05: every connector's status after a boot; the queue resumes after them.
      effects.push({ type: 'setOnline', online: true, afterBoot: !state.acceptedSinceStart });
      return { state: { ...booting, registration: 'Accepted', acceptedSinceStart: true }, effects };
    }
    // Pending / Rejected: B02.FR.04/08, B03.FR.02/06 wait for the interval; B02.FR.07, B03.FR.05 choose one if 0.
    const waitSeconds = res.interval > 0 ? res.interval : DEFAULT_BOOT_RETRY_SECONDS;
    return {
      state: { ...booting, registration: res.status },
      effects: [
        { type: 'emit', event: registration },
        { type: 'timer', id: RETRY_TIMER, ms: waitSeconds * 1000, event: { type: 'boot.retry' } },
      ],
    };
  }

  return {
    name: 'boot',
    triggers: ['BootNotification', 'Heartbeat'],
    init: () => ({ registration: undefined, reason: 'PowerUp', booting: false, acceptedSinceStart: false }),

    on(state, event, view) {
      switch (event.type) {
        case 'started':
          return { state: { ...state, reason: event.reason } };
        case 'connected':
          if (state.registration === 'Accepted') {
            // B04: a reconnect, not a boot. Statuses changed while offline (or all, past OfflineThreshold) follow.
            return { state, effects: [{ type: 'setOnline', online: true }, armHeartbeat(view)] };
          }
          return { state: { ...state, booting: true }, effects: [bootNotification(state)] };
        case 'disconnected':
          return {
            state: { ...state, booting: false },
            effects: [{ type: 'cancelTimer', id: HEARTBEAT_TIMER }, { type: 'cancelTimer', id: RETRY_TIMER }, { type: 'setOnline', online: false }],
          };
        case 'boot.retry':
          if (!view.connected || state.booting) return undefined;
          return { state: { ...state, booting: true }, effects: [bootNotification(state)] };
        case 'heartbeat.due':
          // G02.FR.02. Through the dispatcher: a Heartbeat while offline is dropped, not queued.
          return { state, effects: [{ type: 'send', action: 'Heartbeat', payload: {}, tag: 'heartbeat' }, armHeartbeat(view)] };
        case 'variables.changed':
          if (state.registration === 'Accepted' && view.connected && changed(event, 'OCPPCommCtrlr', 'HeartbeatInterval')) return { state, effects: [armHeartbeat(view)] };
          return undefined;
        case 'triggered':
          // F06: BootNotification with reason Triggered; Heartbeat at once. Both may go out while Pending (B02.FR.02).
          if (event.requestedMessage === 'BootNotification') return { state: { ...state, booting: true }, effects: [bootNotification(state, 'Triggered')] };
          if (event.requestedMessage === 'Heartbeat') return { state, effects: [{ type: 'send', action: 'Heartbeat', payload: {}, tag: 'heartbeat', direct: true }] };
          return undefined;
        case 'reply':
          if (event.tag === 'boot') return onBootAnswer(state, event, view);
          if (event.tag === 'heartbeat' && event.result.status === 'sent') {
            // G02.FR.06: the CSMS's time sets the station clock.
            return { state, effects: [{ type: 'syncClock', currentTime: (event.result.response as HeartbeatResponse).currentTime }] };
          }
          return undefined;
        default:
          return undefined;
      }
    },
  };
}

type PublicRegistration = Extract<Effect, { type: 'emit' }>['event'] & { type: 'registration' };

function changed(event: StationEvent, component: string, variable: string): boolean {
  const list = (event as { changes?: Array<{ component: string; variable: string }> }).changes ?? [];
  return list.some((c) => c.component === component && c.variable === variable);
}
