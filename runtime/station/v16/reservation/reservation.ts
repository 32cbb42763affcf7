// 1.6 Reservation profile (§3.11, §5.13 ReserveNow, §5.1 CancelReservation). A reservation holds a connector for
// an idTag (or its parentIdTag) until expiryDate or until that idTag starts a transaction there; connector 0
// (ReserveConnectorZeroSupported) holds any one connector of the Charge Point: another idTag is refused where only
// as many connectors are free as there are such reservations. A reservation with the id of an existing one
// replaces it. Reservations persist; their expiry timers are armed again after a restart.
import type { Family16 } from '../../core/family.js';
import {
  byEventType,
  type Effect,
  type ReservationCheck,
  type StationFamily,
  type StationView,
  type UseCase,
} from '../../core/types.js';
import { bool16 } from '../configuration/read.js';
import { sameIdTag } from '../core-profile/id-tags.js';
import { connectorOf, connectors16 } from '../layout.js';
import './check.js';
import '../core-profile/status.js';
import '../core-profile/transactions.js';

declare module '../../core/registry.js' {
  interface OwnEvents {
    'v16.reservation.expired': { id: number };
  }
}

export interface Reservation16 {
  id: number;
  connectorId: number;
  idTag: string;
  parentIdTag?: string;
  expiry: number;
}

export interface Reservations16State {
  reservations: Reservation16[];
}

type S = Reservations16State;
type View = StationView<StationFamily>;
const timer = (id: number) => `v16.reservation.${id}`;

const holds = (r: Reservation16, idTag: string, parentIdTag?: string) =>
  sameIdTag(r.idTag, idTag) || (r.parentIdTag !== undefined && sameIdTag(r.parentIdTag, parentIdTag));

function expiryTimer(r: Reservation16, view: View): Effect<Family16> {
  return {
    type: 'timer',
    id: timer(r.id),
    ms: Math.max(0, r.expiry - view.now()),
    event: { type: 'v16.reservation.expired', id: r.id },
  };
}

/** Connectors free for a Charge Point reservation: no transaction, no reservation of their own, Available. */
function free(state: S, view: View): number {
  return connectors16(view.evses).filter(
    (c) =>
      !view.query.transaction16?.(c.id) &&
      !state.reservations.some((r) => r.connectorId === c.id) &&
      (view.query.status16?.(c.id) ?? 'Available') === 'Available',
  ).length;
}

function check(state: S, view: View, connectorId: number, idTag: string, parentIdTag?: string): ReservationCheck {
  const own = state.reservations.find((r) => r.connectorId === connectorId);
  if (own)
    return holds(own, idTag, parentIdTag)
      ? { verdict: 'mine', reservationId: own.id }
      : { verdict: 'reserved', reservationId: own.id };
  const zero = state.reservations.filter((r) => r.connectorId === 0);
  const mine = zero.find((r) => holds(r, idTag, parentIdTag));
  if (mine) return { verdict: 'mine', reservationId: mine.id };
  // Using this connector leaves one free connector fewer for the Charge Point reservations.
  if (zero.length > 0 && free(state, view) <= zero.length) return { verdict: 'reserved', reservationId: zero[0]!.id };
  return { verdict: 'free' };
}

const without = (state: S, id: number): S => ({ reservations: state.reservations.filter((r) => r.id !== id) });
const statusCheck: Effect<Family16> = { type: 'dispatch', event: { type: 'v16.statusCheck' } };

export const reservation16UseCase: UseCase<S, Family16> = {
  name: 'v16.reservation',
  init: (_view, saved) => ({ reservations: (saved as S | undefined)?.reservations ?? [] }),
  save: (state) => state,
  queries: {
    reservation16: (state, view, connectorId, idTag, parentIdTag) =>
      check(state, view, connectorId, idTag, parentIdTag),
    reserved16: (state, _view, connectorId) => state.reservations.some((r) => r.connectorId === connectorId),
  },
  on: byEventType<S, Family16>({
    started(state, _event, view) {
      const live = state.reservations.filter((r) => r.expiry > view.now());
      return {
        state: { reservations: live },
        effects: [{ type: 'persist' }, ...live.map((r) => expiryTimer(r, view))],
      };
    },
    'v16.reservation.expired': (state, event) =>
      state.reservations.some((r) => r.id === event.id)
        ? { state: without(state, event.id), effects: [{ type: 'persist' }, statusCheck] }
        : undefined,
    // §3.11: the reservation ends when its idTag starts a transaction on the reserved connector (or any, for 0).
    'v16.tx.started'(state, event) {
      const used =
        event.reservationId !== undefined
          ? state.reservations.find((r) => r.id === event.reservationId)
          : state.reservations.find(
              (r) => (r.connectorId === event.connectorId || r.connectorId === 0) && holds(r, event.idTag),
            );
      if (!used) return undefined;
      return {
        state: without(state, used.id),
        effects: [{ type: 'cancelTimer', id: timer(used.id) }, { type: 'persist' }],
      };
    },
  }),
  answers: {
    ReserveNow(state, request, view) {
      const id = request.connectorId;
      if (id === 0 ? !bool16(view, 'ReserveConnectorZeroSupported') : !connectorOf(view.evses, id))
        return { response: { status: 'Rejected' } };
      const others = without(state, request.reservationId);
      if (id !== 0) {
        const status = view.query.status16?.(id);
        if (status === 'Faulted') return { response: { status: 'Faulted' } };
        if (status === 'Unavailable' || view.query.operative16?.(id) === false)
          return { response: { status: 'Unavailable' } };
        if (
          view.query.transaction16?.(id) ||
          others.reservations.some((r) => r.connectorId === id) ||
          (status !== undefined && status !== 'Available')
        )
          return { response: { status: 'Occupied' } };
      } else {
        if (view.query.operative16?.(0) === false) return { response: { status: 'Unavailable' } };
        const all = connectors16(view.evses).map((c) => view.query.status16?.(c.id));
        if (all.every((s) => s === 'Faulted')) return { response: { status: 'Faulted' } };
        if (free(others, view) <= others.reservations.filter((r) => r.connectorId === 0).length)
          return { response: { status: 'Occupied' } };
      }
      const expiry = Date.parse(request.expiryDate);
      if (!Number.isFinite(expiry) || expiry <= view.now()) return { response: { status: 'Rejected' } };
      const r: Reservation16 = {
        id: request.reservationId,
        connectorId: id,
        idTag: request.idTag,
        ...(request.parentIdTag !== undefined ? { parentIdTag: request.parentIdTag } : {}),
        expiry,
      };
      return {
        state: { reservations: [...others.reservations, r] },
        response: { status: 'Accepted' },
        persistOrAnswer: { status: 'Rejected' },
        after: [expiryTimer(r, view), statusCheck],
      };
    },
    CancelReservation(state, request) {
      if (!state.reservations.some((r) => r.id === request.reservationId)) return { response: { status: 'Rejected' } };
      return {
        state: without(state, request.reservationId),
        response: { status: 'Accepted' },
        persistOrAnswer: { status: 'Rejected' },
        after: [{ type: 'cancelTimer', id: timer(request.reservationId) }, statusCheck],
      };
    },
  },
};
