// B01–B04 Booting a Charging Station, and G02 Heartbeat.
// BootNotification on every (re)start (B01.FR.01/03) with its reason (B01.FR.09); nothing else is sent until the CSMS
// accepts (B01.FR.08), which the outgoing dispatcher enforces while the station is "offline" to it. Pending and
// Rejected are retried after the interval the CSMS gives, or one of our own when it gives 0 (B02.FR.07/08,
// B03.FR.05/06) — never earlier, not even after a reconnect (B02.FR.04). Accepted sets the heartbeat interval
// (B01.FR.04) and the clock (B01.FR.06), and releases the connector statuses (B01.FR.05) and the queue.
// What the CSMS may ask meanwhile is decided before any use case sees the request (`gate` below): SecurityError
// while Rejected (B03.FR.08), RequestStart/StopTransaction Rejected while Pending (B02.FR.05).
import { securityEvent } from '../A-security/security-log.js';
import type { BootReasonEnumType, RegistrationStatusEnumType } from '../../../generated/v201/types.js';
import { CallError } from '../../rpc/errors.js';
import type { Effect, StationEvent, StationView, Step, UseCase } from '../core/types.js';
import type { DmComponent, VariableOf } from '../device-model/keys.js';

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
  /** The network profile slot of the current connection, and the one the CSMS accepted the station on. */
  slot?: number;
  acceptedSlot?: number;
  /** The retry timer runs: BootNotification must not be sent before it fires (B02.FR.04), even after a reconnect. */
  waiting?: boolean;
}

declare module '../core/registry.js' {
  interface OwnEvents {
    'boot.retry': object;
    'heartbeat.due': object;
  }
  interface StationQueries {
    /** B: the CSMS's verdict on this station's last BootNotification since this start (undefined before one). */
    registration(): RegistrationStatusEnumType | undefined;
  }
}

/** The CSMS's verdict on this station's last BootNotification, as the other use cases may read it. */
export const registrationOf = (view: StationView): RegistrationStatusEnumType | undefined =>
  view.query.registration?.();

/**
 * What a CSMS request gets before any use case sees it, given the registration: CALLERROR SecurityError while
 * Rejected (B03.FR.08, thrown), Rejected with reasonCode CSNotAccepted for RequestStart/StopTransaction until
 * Accepted (B02.FR.05, returned), or undefined: the request goes to its use case.
 */
export function gate(
  registration: RegistrationStatusEnumType | undefined,
  action: string,
): { status: 'Rejected'; statusInfo: { reasonCode: string } } | undefined {
  if (registration === 'Rejected')
    throw new CallError('SecurityError', "the CSMS rejected this station's BootNotification");
  if (registration !== 'Accepted' && (action === 'RequestStartTransaction' || action === 'RequestStopTransaction')) {
    return { status: 'Rejected', statusInfo: { reasonCode: 'CSNotAccepted' } };
  }
  return undefined;
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

  // B01.FR.06, G02.FR.06: the CSMS's time sets the clock when ClockCtrlr.TimeSource names Heartbeat (ocppkit's
  // default when the device model does not say).
  const syncClock = (view: StationView, currentTime: string): Effect[] => {
    const source = view.variables.string('ClockCtrlr', 'TimeSource');
    if (!(
      source === undefined ||
      source
        .split(',')
        .map((s) => s.trim())
        .includes('Heartbeat')
    ))
      return [];
    // A04.FR.01: a clock adjustment beyond ClockCtrlr.TimeAdjustmentReportingThreshold (if set) is the critical
    // security event SettingSystemTime.
    const threshold = view.variables.int('ClockCtrlr', 'TimeAdjustmentReportingThreshold');
    const shiftMs = Date.parse(currentTime) - view.now();
    const report = threshold !== undefined && Number.isFinite(shiftMs) && Math.abs(shiftMs) > threshold * 1000;
    return [
      { type: 'syncClock', currentTime },
      ...(report
        ? securityEvent(
            view,
            'SettingSystemTime',
            `clock set from the CSMS, shifted by ${Math.round(shiftMs / 1000)} s`,
          )
        : []),
    ];
  };

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

  function onBootAnswer(
    state: BootState,
    event: Extract<StationEvent, { type: 'reply' }>,
    view: StationView,
  ): Step<BootState> {
    const booting = { ...state, booting: false };
    if (event.action !== 'BootNotification' || event.result.status !== 'sent') {
      // No answer (timeout, connection lost, CALLERROR): try again after an interval of our own (B01 error handling).
      if (!view.connected) return { state: booting };
      return {
        state: { ...booting, waiting: true },
        effects: [
          { type: 'timer', id: RETRY_TIMER, ms: DEFAULT_BOOT_RETRY_SECONDS * 1000, event: { type: 'boot.retry' } },
        ],
      };
    }
    const res = event.result.response;
    const registration: PublicRegistration = { type: 'registration', status: res.status, interval: res.interval };
    if (res.status === 'Accepted') {
      const effects: Effect[] = [
        { type: 'cancelTimer', id: RETRY_TIMER },
        ...syncClock(view, res.currentTime),
        { type: 'emit', event: registration },
      ];
      // B01.FR.04: interval > 0 becomes the heartbeat interval (kept in the device model, so it is reported too).
      if (res.interval > 0)
        effects.push({
          type: 'setVariable',
          component: 'OCPPCommCtrlr',
          variable: 'HeartbeatInterval',
          value: String(res.interval),
        });
      effects.push({
        type: 'timer',
        id: HEARTBEAT_TIMER,
        ms: (res.interval > 0 ? res.interval : heartbeatSeconds(view)) * 1000,
        event: { type: 'heartbeat.due' },
      });
      // B01.FR.05: every connector's status after a boot (and to a CSMS of another profile); the queue resumes after.
      effects.push({
        type: 'setOnline',
        online: true,
        afterBoot: !state.acceptedSinceStart || state.slot !== state.acceptedSlot,
      });
      return {
        state: {
          ...booting,
          waiting: false,
          registration: 'Accepted',
          acceptedSinceStart: true,
          ...(state.slot !== undefined ? { acceptedSlot: state.slot } : {}),
        },
        effects,
      };
    }
    // Pending / Rejected: B02.FR.04/08, B03.FR.02/06 wait for the interval; B02.FR.07, B03.FR.05 choose one if 0.
    // B01.FR.06 applies to every BootNotificationResponse.
    const waitSeconds = res.interval > 0 ? res.interval : DEFAULT_BOOT_RETRY_SECONDS;
    return {
      state: { ...booting, registration: res.status, waiting: true },
      effects: [
        ...syncClock(view, res.currentTime),
        { type: 'emit', event: registration },
        { type: 'timer', id: RETRY_TIMER, ms: waitSeconds * 1000, event: { type: 'boot.retry' } },
      ],
    };
  }

  return {
    name: 'boot',
    queries: { registration: (state) => state.registration },
    triggers: ['BootNotification', 'Heartbeat'],
    init: () => ({ registration: undefined, reason: 'PowerUp', booting: false, acceptedSinceStart: false }),

    on(state, event, view) {
      switch (event.type) {
        case 'started':
          // A04.FR.01: start-up and reset are critical security events; the durable queue delivers the notification
          // once the station is accepted (A04.FR.02).
          return {
            state: { ...state, reason: event.reason },
            effects: securityEvent(
              view,
              event.reason === 'PowerUp' ? 'StartupOfTheDevice' : 'ResetOrReboot',
              `BootReason ${event.reason}`,
            ),
          };
        case 'connected': {
          const connected = { ...state, ...(event.slot !== undefined ? { slot: event.slot } : {}) };
          // B04: a reconnect to the CSMS that accepted the station is not a boot. Statuses changed while offline (or
          // all, past OfflineThreshold) follow. Another profile's CSMS has not seen this station: it boots there.
          if (state.registration === 'Accepted' && connected.slot === state.acceptedSlot) {
            return { state: connected, effects: [{ type: 'setOnline', online: true }, armHeartbeat(view)] };
          }
          // B02.FR.04, B03.FR.02: a reconnect does not shorten the interval the CSMS asked for: the retry timer,
          // which runs on across the disconnect, sends it.
          if (state.waiting) return { state: connected };
          const fresh = state.registration === 'Accepted' ? { registration: undefined } : {};
          return { state: { ...connected, ...fresh, booting: true }, effects: [bootNotification(state)] };
        }
        case 'disconnected':
          return {
            state: { ...state, booting: false },
            effects: [
              { type: 'cancelTimer', id: HEARTBEAT_TIMER },
              { type: 'setOnline', online: false },
            ],
          };
        case 'boot.retry':
          if (!view.connected || state.booting) return { state: { ...state, waiting: false } };
          return { state: { ...state, waiting: false, booting: true }, effects: [bootNotification(state)] };
        case 'heartbeat.due':
          // G02.FR.02. Through the dispatcher: a Heartbeat while offline is dropped, not queued.
          return {
            state,
            effects: [{ type: 'send', action: 'Heartbeat', payload: {}, tag: 'heartbeat' }, armHeartbeat(view)],
          };
        case 'variables.changed':
          if (
            state.registration === 'Accepted' &&
            view.connected &&
            changed(event, 'OCPPCommCtrlr', 'HeartbeatInterval')
          )
            return { state, effects: [armHeartbeat(view)] };
          return undefined;
        case 'triggered':
          // F06: BootNotification with reason Triggered; Heartbeat at once. Both may go out while Pending (B02.FR.02).
          if (event.requestedMessage === 'BootNotification')
            return { state: { ...state, booting: true }, effects: [bootNotification(state, 'Triggered')] };
          if (event.requestedMessage === 'Heartbeat')
            return {
              state,
              effects: [{ type: 'send', action: 'Heartbeat', payload: {}, tag: 'heartbeat', direct: true }],
            };
          return undefined;
        case 'reply':
          if (event.tag === 'boot') return onBootAnswer(state, event, view);
          if (event.action === 'Heartbeat' && event.result.status === 'sent') {
            // G02.FR.06: the CSMS's time sets the station clock.
            return { state, effects: syncClock(view, event.result.response.currentTime) };
          }
          return undefined;
        default:
          return undefined;
      }
    },
  };
}

type PublicRegistration = Extract<Effect, { type: 'emit' }>['event'] & { type: 'registration' };

function changed<C extends DmComponent>(event: StationEvent, component: C, variable: VariableOf<C>): boolean {
  return (
    event.type === 'variables.changed' &&
    event.changes.some((c) => c.component === component && c.variable === variable)
  );
}
