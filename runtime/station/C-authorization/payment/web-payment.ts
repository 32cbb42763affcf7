// 2.1 C25: ad hoc payment via a dynamic QR code. Where WebPaymentsCtrlr is configured and enabled, the display (block
// O's `showDisplay`, the screen's `payments`) shows a URL with a fresh TOTP every ValidityTime seconds (C25.FR.01,
// C25.FR.50–53); the driver's limits, entered before, become its query parameters (C25.FR.03–06, C25.FR.56–58) and
// the limits of the transaction the CSMS then starts (E16). NotifyWebPaymentStarted is answered (C25.FR.27) and
// keeps local drivers off the EVSE until its timeout or the CSMS's RequestStartTransaction (C25.FR.22).
import { byEventType, type Effect, type StationView, type Step, type UseCase } from '../../core/types.js';
import type { ComponentConfig, VariableConfig } from '../../device-model/types.js';
import { supportedLimits, type TransactionLimits } from '../../E-transactions/limits/limits.js';
import {
  limitsOfParameters,
  needsRoamingEvseId,
  perEvse,
  qrUrl,
  totpInterval,
  totpV1,
  TOTP_VERSIONS,
  URL_PARAMETERS,
  type UrlParameter,
} from './qr-code.js';

/** What the display shows for a web payment: the one element of the screen's `payments` per QR code. */
export interface PaymentScreen {
  /** The EVSE the QR code is for; 0: the station (the URL template names no EVSE). */
  evseId: number;
  /** The URL to show as a QR code. */
  url: string;
  /** When this URL's TOTP expires (ISO 8601): a new one replaces it then. */
  validUntil: string;
  /** C25.FR.22: the CSMS said the code was scanned; local drivers are kept off the EVSE until then (ISO 8601). */
  scannedUntil?: string;
}

declare module '../../core/registry.js' {
  interface OwnEvents {
    /** C25: the TOTP interval ended, or a web payment's lock timed out: work the QR codes out again. */
    'webPayment.tick': object;
    /** C25.FR.03: the driver entered limits for a web payment at the EVSE (`webPaymentLimits`). */
    'webPayment.limits': { evseId: number; limits: TransactionLimits };
  }
  interface StationQueries {
    /** C25: the QR codes to show now (block O puts them on the screen). */
    paymentScreens(): PaymentScreen[];
    /** C25.FR.22: a web payment for the EVSE was started at the CSMS: no local authorization there meanwhile. */
    webPaymentPending(evseId: number): boolean;
  }
}

export interface WebPaymentState {
  /** C25.FR.22: EVSE → until when local interaction is kept off (ms). */
  locks: Record<number, number>;
  /** C25.FR.03: EVSE → the driver's limits for the next web payment. */
  limits: Record<number, TransactionLimits>;
  /** The TOTP interval the timer is armed for (not kept across restarts: timers are not). */
  armedFor?: number;
}

const TICK_TIMER = 'webPayment.tick';
const LOCK_TIMER = (evseId: number) => `webPayment.lock.${evseId}`;
const REFRESH: Effect = { type: 'dispatch', event: { type: 'display.tick' } };

/** What WebPaymentsCtrlr says now; undefined where it is not there, not enabled, or incomplete (C25.FR.01). */
function settings(view: StationView) {
  const v = view.variables;
  if (view.version !== 'ocpp2.1' || v.bool('WebPaymentsCtrlr', 'Enabled') !== true) return undefined;
  const template = v.string('WebPaymentsCtrlr', 'URLTemplate');
  const secret = v.string('WebPaymentsCtrlr', 'SharedSecret');
  const validityS = v.int('WebPaymentsCtrlr', 'ValidityTime');
  const length = v.int('WebPaymentsCtrlr', 'Length');
  const version = v.string('WebPaymentsCtrlr', 'TOTPVersion') ?? 'v1';
  if (!template || !secret || !validityS || validityS <= 0 || !length || length <= 0) return undefined;
  if (!(TOTP_VERSIONS as readonly string[]).includes(version)) return undefined;
  const parameters = new Set(
    (v.string('WebPaymentsCtrlr', 'URLParameters') ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter((x): x is UrlParameter => (URL_PARAMETERS as readonly string[]).includes(x)),
  );
  const chargingStationId =
    v.string('WebPaymentsCtrlr', 'ChargingStationId') || v.string('SecurityCtrlr', 'Identity') || view.identity;
  return { template, secret, validityS, length, version, parameters, chargingStationId };
}

/** The QR codes in force at `view.now()`. */
function screens(state: WebPaymentState, view: StationView): PaymentScreen[] {
  const s = settings(view);
  if (!s) return [];
  const now = view.now();
  const totp = totpV1(s.secret, s.validityS, s.length, now);
  const validUntil = new Date((totpInterval(now, s.validityS) + 1) * s.validityS * 1000).toISOString();
  const evses = perEvse(s.template) ? view.evses.map((e) => e.id) : [0];
  const roaming = needsRoamingEvseId(s.template);
  return evses.flatMap((evseId) => {
    const lock = state.locks[evseId];
    // C25.FR.53: an EVSE without a RoamingEvseId has no QR code where the template needs one (a URL with the
    // placeholder left in would take the driver nowhere).
    const roamingEvseId = roaming
      ? view.variables.string('WebPaymentsCtrlr', 'RoamingEvseId', { evseId }) || undefined
      : undefined;
    if (roaming && roamingEvseId === undefined) return [];
    return {
      evseId,
      url: qrUrl({
        template: s.template,
        chargingStationId: s.chargingStationId,
        evseId,
        ...(roamingEvseId !== undefined ? { roamingEvseId } : {}),
        totp,
        version: s.version,
        supported: s.parameters,
        ...(state.limits[evseId] ? { limits: state.limits[evseId] } : {}),
      }),
      validUntil,
      ...(lock !== undefined && lock > now ? { scannedUntil: new Date(lock).toISOString() } : {}),
    };
  });
}

/** Keeps the timer on the next TOTP interval; a step only when something changed. */
function arm(state: WebPaymentState, view: StationView, effects: Effect[] = []): Step<WebPaymentState> | undefined {
  const s = settings(view);
  const interval = s ? totpInterval(view.now(), s.validityS) : undefined;
  if (interval === state.armedFor) return effects.length ? { state, effects } : undefined;
  const next = { ...state, armedFor: interval };
  if (!s || interval === undefined)
    return { state: next, effects: [...effects, { type: 'cancelTimer', id: TICK_TIMER }, REFRESH] };
  const ms = (interval + 1) * s.validityS * 1000 - view.now();
  return {
    state: next,
    effects: [...effects, { type: 'timer', id: TICK_TIMER, ms, event: { type: TICK_TIMER } }, REFRESH],
  };
}

function unlock(state: WebPaymentState, evseId: number): Step<WebPaymentState> | undefined {
  if (state.locks[evseId] === undefined) return undefined;
  const { [evseId]: _, ...locks } = state.locks;
  return { state: { ...state, locks }, effects: [{ type: 'cancelTimer', id: LOCK_TIMER(evseId) }, REFRESH] };
}

export const webPaymentUseCase: UseCase<WebPaymentState> = {
  name: 'webPayment',
  versions: ['ocpp2.1'],
  init: () => ({ locks: {}, limits: {} }),
  queries: {
    paymentScreens: (state, view) => screens(state, view),
    webPaymentPending: (state, view, evseId) => (state.locks[evseId] ?? -Infinity) > view.now(),
  },
  answers: {
    // C25.FR.27: an empty answer; C25.FR.22: the EVSE is kept for the web payment for `timeout` seconds.
    NotifyWebPaymentStarted(state, request, view) {
      const known = view.evses.some((e) => e.id === request.evseId);
      if (!known || request.timeout <= 0) return { response: {} };
      const until = view.now() + request.timeout * 1000;
      return {
        state: { ...state, locks: { ...state.locks, [request.evseId]: until } },
        response: {},
        after: [
          {
            type: 'timer',
            id: LOCK_TIMER(request.evseId),
            ms: request.timeout * 1000,
            event: { type: TICK_TIMER },
          },
          REFRESH,
        ],
      };
    },
  },
  on: byEventType<WebPaymentState>({
    [TICK_TIMER]: (state, _event, view) => {
      const now = view.now();
      const locks = Object.fromEntries(Object.entries(state.locks).filter(([, until]) => until > now));
      const next = { ...state, locks, armedFor: undefined };
      return arm(next, view, [REFRESH]);
    },
    connected: (state, _event, view) => arm(state, view),
    'variables.changed': (state, event, view) =>
      event.changes.some((c) => c.component === 'WebPaymentsCtrlr')
        ? arm({ ...state, armedFor: undefined }, view)
        : undefined,
    'webPayment.limits': (state, event, view) => {
      const s = settings(view);
      if (!s) return undefined;
      // C25.FR.03: only the parameters the station offers (URLParameters) and the limits it enforces (E16).
      const supported = supportedLimits(view);
      const given = limitsOfParameters(event.limits, s.parameters);
      const limits = Object.fromEntries(
        Object.entries(given).filter(([k]) => supported.has(k as keyof TransactionLimits)),
      ) as TransactionLimits;
      return { state: { ...state, limits: { ...state.limits, [event.evseId]: limits } }, effects: [REFRESH] };
    },
    // C25.FR.22: the CSMS starts the paid transaction: the EVSE is free again; C25.FR.04–06: the driver's limits
    // become the transaction's (E16.FR.01).
    'remote.start': (state, event) => {
      const unlocked = unlock(state, event.evseId);
      const base = unlocked?.state ?? state;
      const limits = base.limits[event.evseId];
      if (!limits) return unlocked;
      const { [event.evseId]: _, ...rest } = base.limits;
      return {
        state: { ...base, limits: rest },
        effects: [
          ...(unlocked?.effects ?? []),
          { type: 'dispatch', event: { type: 'tx.limitByDriver', evseId: event.evseId, limit: limits } },
          REFRESH,
        ],
      };
    },
  }),
};

/**
 * WebPaymentsCtrlr for the integrator's device model (`deviceModel.components`), enabled: the URL template of the
 * CSO, the shared secret (the CSMS knows it too; keep it across restarts — a CSMS may set a new one), and the TOTP's
 * validity and length. `parameters`: the driver's limits the station asks for before showing the code (C25.FR.03).
 */
export function webPaymentsComponent(o: {
  urlTemplate: string;
  sharedSecret: string;
  validityTime?: number;
  length?: number;
  parameters?: readonly UrlParameter[];
  chargingStationId?: string;
}): ComponentConfig {
  const variables: VariableConfig[] = [
    { name: 'Enabled', value: true, mutability: 'ReadWrite' },
    { name: 'URLTemplate', value: o.urlTemplate, mutability: 'ReadWrite' },
    { name: 'TOTPVersion', valuesList: [...TOTP_VERSIONS], value: 'v1', mutability: 'ReadOnly' },
    { name: 'ValidityTime', value: o.validityTime ?? 30, unit: 's', minLimit: 1, mutability: 'ReadWrite' },
    { name: 'SharedSecret', value: o.sharedSecret, mutability: 'WriteOnly' },
    { name: 'Length', value: o.length ?? 8, minLimit: 1, maxLimit: 32, mutability: 'ReadWrite' },
    {
      name: 'URLParameters',
      valuesList: [...URL_PARAMETERS],
      value: [...(o.parameters ?? [])],
      mutability: 'ReadOnly',
    },
    ...(o.chargingStationId
      ? [{ name: 'ChargingStationId', value: o.chargingStationId, mutability: 'ReadWrite' as const }]
      : []),
  ];
  return { name: 'WebPaymentsCtrlr', variables };
}

/**
 * C25.FR.53: each EVSE's id for roaming (e.g. its EVSE ID of the eMI3 / ISO 15118 kind), for a URL template with
 * `{roamingevseid}`: WebPaymentsCtrlr.RoamingEvseId per EVSE, for `deviceModel.components` next to
 * `webPaymentsComponent`. The 2.1 appendix does not list this variable; the station reports it as a string,
 * ReadWrite so that a CSMS may correct it.
 */
export function roamingEvseIdComponents(ids: Readonly<Record<number, string>>): ComponentConfig[] {
  return Object.entries(ids).map(([evseId, value]) => ({
    name: 'WebPaymentsCtrlr',
    evse: { id: Number(evseId) },
    variables: [{ name: 'RoamingEvseId', dataType: 'string', maxLimit: 255, value, mutability: 'ReadWrite' }],
  }));
}
