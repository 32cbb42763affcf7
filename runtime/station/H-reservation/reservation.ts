// H01 Reservation, H02 Cancel Reservation, H03 Use a reserved EVSE, H04 Reservation Ended, not used.
//
// A reservation holds an EVSE (or, unspecific, promises one of several) for a token until it expires, is cancelled,
// is used, or its EVSE faults or becomes unavailable. Connector statuses are not sent here: the availability use
// case derives `Reserved` from `reservedOn` (H01.FR.20/23/24, H03.FR.10, H04.FR.03) after every event. Whether a
// token may use an EVSE is `reservationCheck` (read by C for `authorize.result` and by F through the view).
// Reservations are kept across restarts (B01.FR.13, B11.FR.05).
import type { IdTokenType, ReservationStatusUpdateRequest, ReserveNowResponse } from '../../../generated/v201/types.js';
import {
  byEventType,
  connectorKey,
  type BlockEventOf,
  type ConnectorKey,
  type Effect,
  type ReplyEvent,
  type ReservationCheck,
  type StationEvent,
  type StationView,
  type Step,
  type UseCase,
} from '../core/types.js';
import { registrationOf } from '../B-provisioning/boot.js';
import { stationToken } from '../core/tokens.js';
import { boolSetting, intSetting } from '../C-authorization/settings.js';
import { sameToken, timeOf } from '../C-authorization/tokens.js';
import {
  assignable,
  candidates,
  evseCondition,
  evsesWhere,
  heldEvses,
  unspecific,
  usesReservation,
  type Reservation,
} from './evses.js';

/** ReservationUpdateStatusEnumType of 2.1 (2.0.1 has Expired and Removed only). */
type UpdateStatus = 'Expired' | 'Removed' | 'NoTransaction';
interface Unsent {
  reservationId: number;
  reservationUpdateStatus: UpdateStatus;
  /** On its way (not kept across restarts: after one, everything unanswered is sent again). */
  sending: boolean;
}

export interface ReservationState {
  reservations: Reservation[];
  plugged: Record<ConnectorKey, true>;
  faulted: Record<ConnectorKey, true>;
  /** Free EVSEs the unspecific reservations need (H01.FR.20/24): evseId → a reservation that may use it. */
  held: Record<number, number>;
  /** Reservations used by an authorization, waiting for their transaction (2.1 H03.FR.11). */
  awaiting: Array<{ id: number; idToken: IdTokenType; evseId?: number }>;
  /** ReservationStatusUpdates the CSMS has not answered yet: sent again once it can be reached. */
  unsent: Unsent[];
}

type Saved = { reservations: Reservation[]; unsent: Array<Omit<Unsent, 'sending'>> };

const expiryTimer = (id: number) => `reservation.expire:${id}`;
const noTxTimer = (id: number) => `reservation.notx:${id}`;
const UPDATE_TAG = 'reservation.update:';
/** ReservationStatusUpdates go out on this event, raised after the one that ended the reservation — so that the
 * connector statuses of that event (H04.FR.03) reach the CSMS first, as in H04 and TC_H_07/TC_H_21. */
const REPORT: StationEvent = { type: 'reservation.report' };

declare module '../core/registry.js' {
  interface OwnEvents {
    'reservation.report': object;
    'reservation.changed': object;
    'reservation.expired': { id: number };
    'reservation.noTransaction': { id: number };
  }
  interface StationQueries {
    /** H: whether the EVSE is reserved (its connectors show Reserved, H01.FR.20/23/24). */
    reservedOn(evseId: number, connectorId: number): boolean;
    /**
     * H: whether the reservations let `idToken` (with its `groupIdToken`, when known) use the EVSE. With `evseId`
     * undefined: whether the token holds a reservation anywhere (`mine`). Undefined (or `free`): no reservation
     * stands in the way (H-reservation/check.ts gives `free` then).
     */
    reservationCheck(
      evseId: number | undefined,
      idToken: IdTokenType,
      groupIdToken?: IdTokenType,
    ): ReservationCheck | undefined;
  }
}
/** Raised after a ReserveNow/CancelReservation answer, so that the availability use case reports the statuses. */
const CHANGED: StationEvent = { type: 'reservation.changed' };

export const reservationUseCase: UseCase<ReservationState> = {
  name: 'reservation',

  init(view, saved) {
    // Written by `save` below (or nothing on a first start); read back as the store gives it.
    const s = (saved ?? {}) as Partial<Saved>;
    const reservations = (Array.isArray(s.reservations) ? s.reservations : [])
      // The layout may have changed across the restart: what a reservation may use is worked out again.
      .map((r) => ({ ...r, evses: candidates(view, r) }))
      .filter((r) => r.evses.length > 0);
    return {
      reservations,
      unsent: Array.isArray(s.unsent) ? s.unsent.map((u) => ({ ...u, sending: false })) : [],
      plugged: {},
      faulted: {},
      held: {},
      awaiting: [],
    };
  },

  save: (state): Saved => ({
    reservations: state.reservations,
    unsent: state.unsent.map(({ reservationId, reservationUpdateStatus }) => ({
      reservationId,
      reservationUpdateStatus,
    })),
  }),

  on(state, event, view) {
    const step = react(state, event, view);
    let next = step?.state ?? state;
    const effects = [...(step?.effects ?? [])];
    // After every event: reservations whose EVSE faulted or became unavailable end (H01.FR.16/17) …
    const removed = unusable(next, view);
    if (removed.length) {
      next = { ...next, reservations: next.reservations.filter((r) => !removed.includes(r)) };
      next = ended(next, removed, 'Removed', effects);
    }
    // … and the free EVSEs the unspecific ones need are held for them.
    const held = heldEvses(view, next, next.reservations);
    const heldChanged = JSON.stringify(held) !== JSON.stringify(state.held);
    if (!step && removed.length === 0 && !heldChanged) return undefined;
    return { state: { ...next, held }, effects };
  },

  answers: {
    ReserveNow(state, request, view) {
      const req = request;
      const reply = (
        status: ReserveNowResponse['status'],
        reasonCode?: string,
        additionalInfo?: string,
      ): { response: ReserveNowResponse } => ({
        response: {
          status,
          ...(reasonCode ? { statusInfo: { reasonCode, ...(additionalInfo ? { additionalInfo } : {}) } } : {}),
        },
      });
      // H01.FR.01
      if (!boolSetting(view, 'ReservationCtrlr.Available') || !boolSetting(view, 'ReservationCtrlr.Enabled'))
        return reply('Rejected', 'NotEnabled');
      const expiresAt = timeOf(req.expiryDateTime);
      if (expiresAt === undefined || expiresAt <= view.now())
        return reply('Rejected', 'InvalidValue', 'expiryDateTime is not in the future');
      // evseId 0 is the station as a whole: no specific EVSE.
      const evseId = req.evseId === undefined || req.evseId === 0 ? undefined : req.evseId;
      if (evseId !== undefined && !view.evses.some((e) => e.id === evseId)) return reply('Rejected', 'UnknownEvse');
      // H01.FR.19: an unspecified EVSE only with ReservationNonEvseSpecific (H01.FR.04/06 need H01.FR.18).
      if (evseId === undefined && !boolSetting(view, 'ReservationCtrlr.NonEvseSpecific'))
        return reply('Rejected', 'UnsupportedRequest', 'ReservationCtrlr.NonEvseSpecific is false');
      const target = {
        ...(evseId !== undefined ? { evseId } : {}),
        ...(req.connectorType !== undefined ? { connectorType: req.connectorType } : {}),
      };
      const evses = candidates(view, target);
      if (evses.length === 0) return reply('Rejected', 'UnknownConnectorType');
      const reservation: Reservation = {
        id: req.id,
        ...target,
        idToken: stationToken({ idToken: req.idToken.idToken, type: req.idToken.type }),
        ...(req.groupIdToken
          ? { groupIdToken: stationToken({ idToken: req.groupIdToken.idToken, type: req.groupIdToken.type }) }
          : {}),
        expiresAt,
        evses,
      };
      // H01.FR.02: the same id replaces the reservation it names.
      const others = state.reservations.filter((r) => r.id !== req.id);
      const status = placement(state, others, reservation, view);
      if (status !== 'Accepted') return reply(status);
      // H01.FR.03/04/06/23: Accepted; the Reserved statuses follow the answer.
      return {
        state: { ...state, reservations: [...others, reservation] },
        response: { status: 'Accepted' },
        // B01.FR.13: the reservation is on disk before the CSMS hears Accepted.
        persistOrAnswer: { status: 'Rejected', statusInfo: { reasonCode: 'InternalError' } },
        after: [armExpiry(reservation, view), { type: 'dispatch', event: CHANGED }],
      };
    },

    CancelReservation(state, request) {
      const { reservationId } = request;
      // H02.FR.01
      if (!state.reservations.some((r) => r.id === reservationId)) return { response: { status: 'Rejected' } };
      // H02.FR.02: cancelled; the EVSE's statuses follow the answer.
      return {
        state: { ...state, reservations: state.reservations.filter((r) => r.id !== reservationId) },
        response: { status: 'Accepted' },
        persistOrAnswer: { status: 'Rejected', statusInfo: { reasonCode: 'InternalError' } },
        after: [
          { type: 'cancelTimer', id: expiryTimer(reservationId) },
          { type: 'dispatch', event: CHANGED },
        ],
      };
    },
  },

  queries: {
    reservedOn: (state, _view, evseId) => reservedOn(state, evseId),
    // Free is no answer: another use case that keeps reservations may still hold the EVSE.
    reservationCheck: (state, _view, evseId, idToken, groupIdToken) => {
      const check = reservationCheck(state, evseId, idToken, groupIdToken);
      return check.verdict === 'free' ? undefined : check;
    },
  },
};

function reservedOn(state: ReservationState, evseId: number): boolean {
  // H01.FR.23: every connector of a reserved EVSE; H01.FR.20/24: the EVSEs the unspecific reservations need.
  return state.reservations.some((r) => r.evseId === evseId) || state.held[evseId] !== undefined;
}

function reservationCheck(
  state: ReservationState,
  evseId: number | undefined,
  idToken: IdTokenType,
  groupIdToken?: IdTokenType,
): ReservationCheck {
  const uses = (r: Reservation) => usesReservation(r, idToken, groupIdToken);
  if (evseId === undefined) {
    const own = state.reservations.find(uses);
    return own ? { verdict: 'mine', reservationId: own.id } : { verdict: 'free' };
  }
  const specific = state.reservations.find((r) => r.evseId === evseId);
  // H03.FR.01/04 for its own token; F01.FR.22, F02.FR.23/24: held for another one.
  if (specific)
    return uses(specific)
      ? { verdict: 'mine', reservationId: specific.id }
      : { verdict: 'reserved', reservationId: specific.id };
  // H03.FR.02/03/05/06: an unspecific reservation of this token that may use this EVSE.
  const own = state.reservations.find((r) => r.evseId === undefined && r.evses.includes(evseId) && uses(r));
  if (own) return { verdict: 'mine', reservationId: own.id };
  const holder = state.held[evseId];
  return holder !== undefined ? { verdict: 'reserved', reservationId: holder } : { verdict: 'free' };
}

/** What each event does to the reservations, before the checks `on` makes after every event. */
const react = byEventType<ReservationState>({
  cablePlugged: (state, e) => ({
    state: { ...state, plugged: { ...state.plugged, [connectorKey(e.evseId, e.connectorId)]: true } },
  }),
  cableUnplugged: (state, e) => ({
    state: { ...state, plugged: without(state.plugged, connectorKey(e.evseId, e.connectorId)) },
  }),
  connectorFaulted: (state, e) => ({
    state: { ...state, faulted: { ...state.faulted, [connectorKey(e.evseId, e.connectorId)]: true } },
  }),
  connectorRecovered: (state, e) => ({
    state: { ...state, faulted: without(state.faulted, connectorKey(e.evseId, e.connectorId)) },
  }),
  // After a restart: timers again; what expired meanwhile ends now (H04.FR.01).
  started: (state, _e, view) => rearm(state, view),
  // B04: a reconnect of an accepted station — what could not be reported goes now.
  connected: (state, _e, view) => (registrationOf(view) === 'Accepted' ? flushLater(state) : undefined),
  reply: (state, e, view) => {
    if (
      e.action === 'BootNotification' &&
      e.tag === 'boot' &&
      e.result.status === 'sent' &&
      e.result.response.status === 'Accepted'
    ) {
      // The clock was just set from the CSMS: expiry times are measured again.
      const step = rearm(state, view);
      return flushLater(step.state, step.effects);
    }
    if (e.tag.startsWith(UPDATE_TAG)) return delivered(state, e);
    return undefined;
  },
  'reservation.expired': (state, e, view) => expire(state, e.id, view),
  'reservation.report': (state) => report(state),
  'authorize.result': (state, e, view) => used(state, e, view),
  'transaction.started': (state, e) => started(state, e),
  'reservation.noTransaction': (state, e, view) => {
    const id = e.id;
    if (!state.awaiting.some((a) => a.id === id)) return undefined;
    const next = { ...state, awaiting: state.awaiting.filter((a) => a.id !== id) };
    // 2.1 H03.FR.11: used, but no transaction followed within EVConnectionTimeOut. 2.0.1 has no such status.
    if (view.version !== 'ocpp2.1') return { state: next };
    return {
      state: {
        ...next,
        unsent: [...next.unsent, { reservationId: id, reservationUpdateStatus: 'NoTransaction', sending: false }],
      },
      effects: [{ type: 'persist' }, { type: 'dispatch', event: REPORT }],
    };
  },
});

/** H01.FR.03/04/06/11/12/14: the new reservation fits, or the status that says why not. */
function placement(
  state: ReservationState,
  others: Reservation[],
  r: Reservation,
  view: StationView,
): ReserveNowResponse['status'] {
  const free = evsesWhere(view, state, others, (c) => c === 'free');
  const fits =
    r.evseId !== undefined
      ? // Its EVSE must be free, and taking it must leave one for every unspecific reservation (H01.FR.07/09).
        free.has(r.evseId) && assignable(unspecific(others), new Set([...free].filter((id) => id !== r.evseId)))
      : assignable([...unspecific(others), r], free);
  if (fits) return 'Accepted';
  const conditions = r.evses.map((id) => evseCondition(view, state, others, id));
  if (conditions.every((c) => c === 'faulted')) return 'Faulted';
  if (conditions.every((c) => c === 'faulted' || c === 'unavailable')) return 'Unavailable';
  // H01.FR.11: reserved or occupied — a free EVSE that other reservations need counts as reserved.
  return 'Occupied';
}

/** H01.FR.16/17: reservations whose EVSE faulted or became unavailable; unspecific ones that no EVSE is left for. */
function unusable(state: ReservationState, view: StationView): Reservation[] {
  // No reservation, nothing to end: the common case, checked after every event, without asking for each EVSE's
  // condition (transactions, operative state) every time.
  if (state.reservations.length === 0) return [];
  const gone = state.reservations.filter((r) => {
    if (r.evseId === undefined) return false;
    const c = evseCondition(view, state, [], r.evseId);
    return c === 'faulted' || c === 'unavailable';
  });
  const left = state.reservations.filter((r) => !gone.includes(r));
  // Occupied EVSEs still count: the EV may leave before the reservation is used.
  const usable = evsesWhere(view, state, left, (c) => c === 'free' || c === 'occupied');
  const open = unspecific(left);
  while (open.length && !assignable(open, usable)) gone.push(open.pop()!);
  return gone;
}

/** The reservations end: their timers go, the CSMS is told after this event's statuses (H04.FR.01, H01.FR.16/17). */
function ended(
  state: ReservationState,
  gone: Reservation[],
  status: UpdateStatus,
  effects: Effect[],
): ReservationState {
  effects.push(
    ...gone.map((r): Effect => ({ type: 'cancelTimer', id: expiryTimer(r.id) })),
    { type: 'persist' },
    { type: 'dispatch', event: REPORT },
  );
  return {
    ...state,
    unsent: [
      ...state.unsent,
      ...gone.map((r) => ({ reservationId: r.id, reservationUpdateStatus: status, sending: false })),
    ],
  };
}

function expire(state: ReservationState, id: number, view: StationView): Step<ReservationState> | undefined {
  const r = state.reservations.find((x) => x.id === id);
  if (!r) return undefined;
  // The clock may have been set since the timer was armed.
  if (r.expiresAt > view.now()) return { state, effects: [armExpiry(r, view)] };
  // H04.FR.01/02: expired — the EVSE is free for anyone again (its Available statuses: H04.FR.03).
  const effects: Effect[] = [];
  const next = ended({ ...state, reservations: state.reservations.filter((x) => x !== r) }, [r], 'Expired', effects);
  return { state: next, effects };
}

function rearm(state: ReservationState, view: StationView): Step<ReservationState> {
  const now = view.now();
  const due = state.reservations.filter((r) => r.expiresAt <= now);
  const effects: Effect[] = state.reservations.filter((r) => r.expiresAt > now).map((r) => armExpiry(r, view));
  if (due.length === 0) return { state, effects };
  const next = ended(
    { ...state, reservations: state.reservations.filter((r) => !due.includes(r)) },
    due,
    'Expired',
    effects,
  );
  return { state: next, effects };
}

const armExpiry = (r: Reservation, view: StationView): Effect => ({
  type: 'timer',
  id: expiryTimer(r.id),
  ms: r.expiresAt - view.now(),
  event: { type: 'reservation.expired', id: r.id },
});

/** Sends every update not on its way (while offline the dispatcher refuses them: they stay for later). */
function report(state: ReservationState): Step<ReservationState> | undefined {
  const due = state.unsent.filter((u) => !u.sending);
  if (due.length === 0) return undefined;
  const effects: Effect[] = due.map((u) => ({
    type: 'send',
    action: 'ReservationStatusUpdate',
    // The one version branch of H: NoTransaction exists in 2.1 only and is queued only while 2.1 is spoken (see
    // `reservation.noTransaction`), so the 2.0.1 payload type, which lacks it, is widened here on purpose.
    payload: {
      reservationId: u.reservationId,
      reservationUpdateStatus: u.reservationUpdateStatus as ReservationStatusUpdateRequest['reservationUpdateStatus'],
    },
    tag: `${UPDATE_TAG}${u.reservationId}:${u.reservationUpdateStatus}`,
  }));
  return { state: { ...state, unsent: state.unsent.map((u) => (u.sending ? u : { ...u, sending: true })) }, effects };
}

function delivered(state: ReservationState, e: ReplyEvent): Step<ReservationState> {
  const [id, status] = e.tag.slice(UPDATE_TAG.length).split(':');
  const matches = (u: Unsent) => String(u.reservationId) === id && u.reservationUpdateStatus === status;
  // Answered, or refused by the CSMS (sending it again would not help): done. Otherwise it waits for the next chance.
  const done = e.result.status === 'sent' || (e.result.status === 'failed' && e.result.outcome.kind === 'callError');
  const unsent = done
    ? state.unsent.filter((u) => !matches(u))
    : state.unsent.map((u) => (matches(u) ? { ...u, sending: false } : u));
  return { state: { ...state, unsent }, effects: done ? [{ type: 'persist' }] : [] };
}

function flushLater(state: ReservationState, effects: Effect[] = []): Step<ReservationState> {
  return { state, effects: state.unsent.length ? [...effects, { type: 'dispatch', event: REPORT }] : effects };
}

/** H03.FR.09/10: the token that holds the reservation was authorized: the reservation is used. */
function used(
  state: ReservationState,
  e: BlockEventOf<'authorize.result'>,
  view: StationView,
): Step<ReservationState> | undefined {
  if (e.reservationId === undefined || e.idTokenInfo.status !== 'Accepted') return undefined;
  const r = state.reservations.find((x) => x.id === e.reservationId);
  if (!r) return undefined;
  const waitSec = intSetting(view, 'TxCtrlr.EVConnectionTimeOut');
  const evseId = r.evseId ?? e.evseId;
  return {
    state: {
      ...state,
      reservations: state.reservations.filter((x) => x !== r),
      awaiting: [...state.awaiting, { id: r.id, idToken: r.idToken, ...(evseId !== undefined ? { evseId } : {}) }],
    },
    effects: [
      { type: 'cancelTimer', id: expiryTimer(r.id) },
      { type: 'persist' },
      {
        type: 'timer',
        id: noTxTimer(r.id),
        ms: Math.max(0, waitSec) * 1000,
        event: { type: 'reservation.noTransaction', id: r.id },
      },
    ],
  };
}

/** H01.FR.15, H03.FR.09: the transaction that uses a reservation started; nothing waits for it any more. */
function started(state: ReservationState, e: BlockEventOf<'transaction.started'>): Step<ReservationState> | undefined {
  const token = e.idToken;
  const consumed = state.reservations.filter(
    (r) =>
      r.id === e.reservationId ||
      (token !== undefined &&
        (r.evseId === e.evseId || (r.evseId === undefined && r.evses.includes(e.evseId))) &&
        usesReservation(r, token, undefined)),
  );
  const done = state.awaiting.filter(
    (a) => a.id === e.reservationId || a.evseId === e.evseId || (token !== undefined && sameToken(a.idToken, token)),
  );
  if (consumed.length === 0 && done.length === 0) return undefined;
  return {
    state: {
      ...state,
      reservations: state.reservations.filter((r) => !consumed.includes(r)),
      awaiting: state.awaiting.filter((a) => !done.includes(a)),
    },
    effects: [
      ...consumed.map((r): Effect => ({ type: 'cancelTimer', id: expiryTimer(r.id) })),
      ...done.map((a): Effect => ({ type: 'cancelTimer', id: noTxTimer(a.id) })),
      ...(consumed.length ? [{ type: 'persist' } as const] : []),
    ],
  };
}

function without<T>(record: Record<ConnectorKey, T>, key: ConnectorKey): Record<ConnectorKey, T> {
  const { [key]: _, ...rest } = record;
  return rest;
}
