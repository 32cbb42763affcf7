// 1.6 §4.2 BootNotification and §4.6 Heartbeat. The station boots on every new connection after a start and not
// on a reconnect once Accepted; Pending and Rejected wait for the interval before the next BootNotification; an
// Accepted interval becomes HeartbeatInterval (kept as the configuration key, so GetConfiguration reports it). The
// CSMS's currentTime sets the station clock (§4.2, §4.6). Reuses B's events (`boot.retry`, `heartbeat.due`) and its
// `registration` query, so that `registrationOf` and the facade read the 1.6 registration the same way.
import type { BootNotificationRequest } from '../../../../generated/v16/types.js';
import type { BootInfo } from '../../B-provisioning/boot.js';
import type { Family16 } from '../../core/family.js';
import { byEventType, type Effect, type StationView, type UseCase } from '../../core/types.js';
import { int16 } from '../configuration/read.js';
import { securityEvent16 } from '../security/security-log.js';
import '../configuration/configuration.js';

export interface Boot16State {
  registration: 'Accepted' | 'Pending' | 'Rejected' | undefined;
  booting: boolean;
  /** Waiting out a Pending/Rejected interval (a reconnect does not shorten it). */
  waiting: boolean;
  acceptedSinceStart: boolean;
}

/** Without an answer (timeout, CALLERROR) or with interval 0: the station's own retry interval, s. */
const RETRY_SECONDS = 60;
const HEARTBEAT = 'heartbeat';
const RETRY = 'boot.retry';

export function bootPayload(info: BootInfo): BootNotificationRequest {
  return {
    chargePointVendor: info.vendorName,
    chargePointModel: info.model,
    ...(info.serialNumber !== undefined ? { chargePointSerialNumber: info.serialNumber } : {}),
    ...(info.firmwareVersion !== undefined ? { firmwareVersion: info.firmwareVersion } : {}),
    ...(info.modem?.iccid !== undefined ? { iccid: info.modem.iccid } : {}),
    ...(info.modem?.imsi !== undefined ? { imsi: info.modem.imsi } : {}),
  };
}

export function boot16UseCase(info: BootInfo): UseCase<Boot16State, Family16> {
  const boot: Effect<Family16> = {
    type: 'send',
    action: 'BootNotification',
    payload: bootPayload(info),
    tag: 'boot',
    direct: true,
  };
  const heartbeat = (view: StationView<Family16>): Effect<Family16> => ({
    type: 'timer',
    id: HEARTBEAT,
    ms: Math.max(1, int16(view, 'HeartbeatInterval')) * 1000,
    event: { type: 'heartbeat.due' },
  });
  return {
    name: 'v16.boot',
    triggers: ['BootNotification', 'Heartbeat'],
    queries: { registration: (state) => state.registration },
    init: () => ({ registration: undefined, booting: false, waiting: false, acceptedSinceStart: false }),
    on: byEventType<Boot16State, Family16>({
      // The security whitepaper's critical events StartupOfTheDevice (a power-up) and ResetOrReboot (any other start:
      // a Reset, a firmware installation): logged, and SecurityEventNotification is queued for the CSMS, which gets
      // it once the BootNotification is accepted (the queue holds it until then).
      started: (state, event, view) => ({
        state,
        effects: securityEvent16(
          view,
          event.reason === 'PowerUp' ? 'StartupOfTheDevice' : 'ResetOrReboot',
          `BootReason ${event.reason}`,
        ),
      }),
      connected(state, _event, view) {
        // A reconnect to the CSMS that accepted the station is no boot: statuses changed meanwhile follow (§4.9).
        if (state.registration === 'Accepted')
          return { state, effects: [{ type: 'setOnline', online: true }, heartbeat(view)] };
        if (state.waiting) return { state };
        return { state: { ...state, booting: true }, effects: [boot] };
      },
      disconnected: (state) => ({
        state: { ...state, booting: false },
        effects: [
          { type: 'cancelTimer', id: HEARTBEAT },
          { type: 'setOnline', online: false },
        ],
      }),
      'boot.retry': (state, _event, view) =>
        !view.connected || state.booting
          ? { state: { ...state, waiting: false } }
          : { state: { ...state, waiting: false, booting: true }, effects: [boot] },
      'heartbeat.due': (state, _event, view) => ({
        state,
        // Through the dispatcher: a Heartbeat while offline is dropped, not queued.
        effects: [{ type: 'send', action: 'Heartbeat', payload: {}, tag: 'heartbeat' }, heartbeat(view)],
      }),
      'v16.config.changed': (state, event, view) =>
        event.key === 'HeartbeatInterval' && state.registration === 'Accepted' && view.connected
          ? { state, effects: [heartbeat(view)] }
          : undefined,
      triggered(state, event) {
        // §5.17: a triggered BootNotification or Heartbeat goes out at once, also while Pending.
        if (event.requestedMessage === 'BootNotification')
          return { state: { ...state, booting: true }, effects: [boot] };
        if (event.requestedMessage === 'Heartbeat')
          return {
            state,
            effects: [{ type: 'send', action: 'Heartbeat', payload: {}, tag: 'heartbeat', direct: true }],
          };
        return undefined;
      },
      reply(state, event) {
        if (event.action === 'Heartbeat')
          return event.result.status === 'sent'
            ? { state, effects: [{ type: 'syncClock', currentTime: event.result.response.currentTime }] }
            : undefined;
        if (event.action !== 'BootNotification' || event.tag !== 'boot') return undefined;
        const booting = { ...state, booting: false };
        if (event.result.status !== 'sent')
          return {
            state: { ...booting, waiting: true },
            effects: [{ type: 'timer', id: RETRY, ms: RETRY_SECONDS * 1000, event: { type: 'boot.retry' } }],
          };
        const res = event.result.response;
        const effects: Effect<Family16>[] = [
          { type: 'syncClock', currentTime: res.currentTime },
          { type: 'emit', event: { type: 'registration', status: res.status, interval: res.interval } },
        ];
        if (res.status !== 'Accepted') {
          // §4.2: Pending / Rejected: the next BootNotification after the interval (ours when it is 0).
          const wait = res.interval > 0 ? res.interval : RETRY_SECONDS;
          effects.push({ type: 'timer', id: RETRY, ms: wait * 1000, event: { type: 'boot.retry' } });
          return { state: { ...booting, registration: res.status, waiting: true }, effects };
        }
        effects.push({ type: 'cancelTimer', id: RETRY });
        // §4.2: the interval of an Accepted answer is the heartbeat interval (§9.1.10).
        if (res.interval > 0)
          effects.push({
            type: 'dispatch',
            event: { type: 'v16.config.set', key: 'HeartbeatInterval', value: String(res.interval) },
          });
        effects.push({
          type: 'timer',
          id: HEARTBEAT,
          ms: Math.max(1, res.interval > 0 ? res.interval : 300) * 1000,
          event: { type: 'heartbeat.due' },
        });
        // Every connector's status after a boot; then the queue of transaction messages resumes.
        effects.push({ type: 'setOnline', online: true, afterBoot: !state.acceptedSinceStart });
        return {
          state: { ...booting, registration: 'Accepted', waiting: false, acceptedSinceStart: true },
          effects,
        };
      },
    }),
  };
}
