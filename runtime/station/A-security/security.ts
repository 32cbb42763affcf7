// A01 Update Charging Station Password for HTTP Basic Authentication. The password is SecurityCtrlr.BasicAuthPassword
// (A01.FR.01), set by the CSMS with SetVariables (A01.FR.02), kept by the device model in the store, so that it
// survives restarts (A01.FR.10: in clear text; protecting the store file is the integrator's), and used for every
// later connection: after the SetVariablesResponse is out the station reconnects with it (TC_A_09_CS). A value that
// is not an acceptable password (A00.FR.205: at least 16 characters; the device model's maxLimit caps the length)
// is Rejected and the old one stays in use (TC_A_10_CS). The change is written to the security log without the
// password (A01.FR.11/12).
import type { ComponentConfig } from '../device-model/index.js';
import type { UseCase } from '../core/types.js';
import { connectionSecurityEvent } from './connection-events.js';
import { securityEvent } from './security-log.js';

export const PASSWORD_MIN_LENGTH = 16;
/** 2.0.1 edition 3 errata: maxLimit of BasicAuthPassword is at least 40 (and at most 64). */
export const PASSWORD_MAX_LENGTH = 40;

/** Why `value` cannot be a BasicAuthPassword (A00.FR.205), as a SetVariables reasonCode; undefined if it can. */
export function passwordProblem(value: string): string | undefined {
  return [...value].length < PASSWORD_MIN_LENGTH ? 'TooShort' : undefined;
}

/**
 * Block A's variables for the runtime's defaults: SecurityCtrlr.BasicAuthPassword when the station authenticates
 * with a password (the integrator's as initial value; WriteOnly, never reported, B06/B07; dataType string, 2023-06
 * errata), and ClockCtrlr.TimeAdjustmentReportingThreshold, unset (no SettingSystemTime events) until the integrator
 * or the CSMS sets it.
 */
export function securityDeviceModel(password: string | undefined): ComponentConfig[] {
  return [
    {
      name: 'ClockCtrlr',
      variables: [
        {
          name: 'TimeAdjustmentReportingThreshold',
          dataType: 'integer',
          unit: 's',
          minLimit: 0,
          mutability: 'ReadWrite',
        },
      ],
    },
    ...(password === undefined
      ? []
      : [
          {
            name: 'SecurityCtrlr',
            variables: [
              {
                name: 'BasicAuthPassword',
                dataType: 'string' as const,
                value: password,
                maxLimit: PASSWORD_MAX_LENGTH,
                mutability: 'WriteOnly' as const,
              },
            ],
          },
        ]),
  ];
}

export interface SecurityState {
  /** Connection security events raised since the last successful connection: each once (A00.FR.316 note). */
  reported: string[];
}

/**
 * A04: the security events of the appendix list that only the hardware or the firmware can see — the tamper sensor,
 * memory running out, logins at the local maintenance interface — which the integrator reports with
 * `securityEventDetected`. All are critical: logged and sent (A04.FR.01).
 */
export const DETECTED_SECURITY_EVENTS = [
  'TamperDetectionActivated',
  'MemoryExhaustion',
  'MaintenanceLoginAccepted',
  'MaintenanceLoginFailed',
] as const;
export type DetectedSecurityEvent = (typeof DETECTED_SECURITY_EVENTS)[number];

/**
 * What an incoming frame's problem (the RPC layer's badFrame) says about the message: not a valid OCPP message
 * (InvalidMessages) — or a valid one the station does not answer, too many at once, or its own fault, which are not.
 */
const INVALID_MESSAGE: ReadonlySet<string> = new Set([
  'invalidJson',
  'binaryFrame',
  'notRpcMessage',
  'badCallShape',
  'unknownMessageType',
  'unknownAction',
  'invalidPayload',
]);

declare module '../core/registry.js' {
  interface OwnEvents {
    /** What the facade dispatches for every failed connection attempt. */
    'security.connectFailed': { error: Error };
    /** A04: the integrator's hardware or firmware detected a security event (`securityEventDetected`). */
    'security.detected': { securityEvent: DetectedSecurityEvent; techInfo?: string };
    /** A04: the CSMS sent a frame the RPC layer could not process (its `problem` and description). */
    'security.badFrame': { problem: string; description: string };
  }
}

export const securityUseCase: UseCase<SecurityState> = {
  name: 'security',
  init: () => ({ reported: [] }),

  validates: {
    // A00.FR.205 / TC_A_10_CS: a too-short password is Rejected, nothing changes.
    'SecurityCtrlr.BasicAuthPassword': (value) => passwordProblem(value),
  },

  on(state, event, view) {
    if (event.type === 'connected') return state.reported.length > 0 ? { state: { reported: [] } } : undefined;
    if (event.type === 'security.connectFailed') {
      // A00.FR.310/413, 316/419, 323/426; queued durably while offline (A04.FR.02) and sent once connected. Once per
      // kind until a connection succeeds, so that retries do not flood the queue.
      const found = connectionSecurityEvent(event.error);
      if (!found || state.reported.includes(found.type)) return undefined;
      return {
        state: { reported: [...state.reported, found.type] },
        effects: securityEvent(view, found.type, found.techInfo),
      };
    }
    // A04.FR.01: a critical event of the hardware's is sent, queued while offline (A04.FR.02).
    if (event.type === 'security.detected')
      return { state, effects: securityEvent(view, event.securityEvent, event.techInfo?.slice(0, 255)) };
    // InvalidMessages (not critical: the security log only, A04.FR.04).
    if (event.type === 'security.badFrame')
      return INVALID_MESSAGE.has(event.problem)
        ? {
            state,
            effects: securityEvent(view, 'InvalidMessages', `${event.problem}: ${event.description}`.slice(0, 255)),
          }
        : undefined;
    if (event.type !== 'variables.changed') return undefined;
    const { changes } = event;
    if (!changes.some((c) => c.component === 'SecurityCtrlr' && c.variable === 'BasicAuthPassword')) return undefined;
    return {
      state,
      effects: [
        // A01.FR.11/12: logged, never with the password itself.
        ...securityEvent(view, 'ReconfigurationOfSecurityParameters', 'SecurityCtrlr.BasicAuthPassword changed'),
        // TC_A_09_CS: the next HTTP upgrade carries the new password.
        { type: 'reconnect', why: 'BasicAuthPassword changed' },
      ],
    };
  },
};
