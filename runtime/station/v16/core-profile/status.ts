// 1.6 §4.9 StatusNotification and §5.2 ChangeAvailability. Each connector's ChargePointStatus is derived, after
// every event, from what the other blocks decided (they run before this one): a fault, the transaction's status
// (Preparing … Finishing, block transactions), availability, a reservation; a change is sent (the dispatcher keeps
// the latest per connector while offline and sends what changed, all of them after a boot, §4.9). Connector 0 is
// the Charge Point as a whole: Available, Unavailable or Faulted.
//
// ChangeAvailability: Inoperative on a connector with a transaction is Scheduled and applied once it ends (§5.2);
// availability persists across reboots.
import type { ChargePointErrorCode, ChargePointStatus } from '../../../../generated/v16/types.js';
import type { ConnectorStatusEnumType } from '../../../../generated/v201/types.js';
import type { Family16 } from '../../core/family.js';
import type { Effect, StationEvent, StationView, Step, UseCase } from '../../core/types.js';
import { int16 } from '../configuration/read.js';
import { connectorNumber, connectorOf, connectors16 } from '../layout.js';
import '../reservation/check.js';
import './transactions.js';
import '../../G-availability/availability.js';

declare module '../../core/registry.js' {
  interface StationQueries {
    /** Whether a 1.6 connector (0: the Charge Point) is operative (ChangeAvailability). */
    operative16(connectorId: number): boolean;
    /** The status last reported for a 1.6 connector. */
    status16(connectorId: number): ChargePointStatus | undefined;
  }
}

export interface Status16State {
  faulted: number[];
  lockFailed: number[];
  /** Inoperative connectors (0: the whole Charge Point), as the CSMS set them. */
  inoperative: number[];
  /** ChangeAvailability waiting for a transaction to end: connector → operative. */
  scheduled: Record<number, boolean>;
  reported: Record<number, Reported>;
  /** §9.1.20 MinimumStatusDuration: a new status waiting to have lasted that long before it is sent. */
  settling: Record<number, Reported>;
  /** While handling `v16.status.settled`: the connector whose status may be reported now. */
  settled?: number[];
}

interface Reported {
  status: ChargePointStatus;
  errorCode: ChargePointErrorCode;
}

const same = (a: Reported | undefined, b: Reported | undefined) =>
  a !== undefined && b !== undefined && a.status === b.status && a.errorCode === b.errorCode;
const settleTimer = (id: number) => `v16.status.settle.${id}`;

type S = Status16State;
type View = StationView<Family16>;

/** The 2.x ConnectorStatus the public `connectorStatus` event reports for a 1.6 status. */
function status2x(s: ChargePointStatus): ConnectorStatusEnumType {
  switch (s) {
    case 'Available':
    case 'Reserved':
    case 'Unavailable':
    case 'Faulted':
      return s;
    default:
      return 'Occupied';
  }
}

const operative = (state: S, id: number) => !state.inoperative.includes(0) && !state.inoperative.includes(id);

function current(state: S, view: View, id: number): { status: ChargePointStatus; errorCode: ChargePointErrorCode } {
  if (id === 0) return { status: operative(state, 0) ? 'Available' : 'Unavailable', errorCode: 'NoError' };
  if (state.lockFailed.includes(id)) return { status: 'Faulted', errorCode: 'ConnectorLockFailure' };
  if (state.faulted.includes(id)) return { status: 'Faulted', errorCode: 'OtherError' };
  const tx = view.query.txStatus16?.(id);
  if (tx && tx !== 'Preparing' && tx !== 'Finishing') return { status: tx, errorCode: 'NoError' };
  if (!operative(state, id)) return { status: 'Unavailable', errorCode: 'NoError' };
  if (tx === 'Finishing') return { status: 'Finishing', errorCode: 'NoError' };
  if (view.query.reserved16?.(id)) return { status: 'Reserved', errorCode: 'NoError' };
  return { status: tx ?? 'Available', errorCode: 'NoError' };
}

/** Applies the availability changes whose transactions ended. */
function applyScheduled(state: S, view: View): { state: S; effects: Effect<Family16>[] } {
  let next = state;
  const effects: Effect<Family16>[] = [];
  for (const [key, wanted] of Object.entries(state.scheduled)) {
    const id = Number(key);
    const busy =
      id === 0
        ? connectors16(view.evses).some((c) => view.query.transaction16?.(c.id))
        : view.query.transaction16?.(id);
    if (busy) continue;
    const { [id]: _, ...scheduled } = next.scheduled;
    next = { ...next, scheduled, inoperative: setOperative(next.inoperative, id, wanted) };
    effects.push({ type: 'persist' }, ...availabilityCalls(view, id, wanted));
  }
  return { state: next, effects };
}

const setOperative = (list: readonly number[], id: number, wanted: boolean) =>
  wanted ? list.filter((x) => x !== id) : list.includes(id) ? [...list] : [...list, id];

function availabilityCalls(view: View, id: number, wanted: boolean): Effect<Family16>[] {
  const which = id === 0 ? connectors16(view.evses) : [connectorOf(view.evses, id)!];
  return which.map((c) => ({
    type: 'hardware',
    call: { op: 'setConnectorAvailability', args: [c.evseId, c.connectorId, wanted] },
  }));
}

function report(state: S, view: View, effects: Effect<Family16>[], all = false): Step<S, Family16> {
  const reported = { ...state.reported };
  const settling = { ...state.settling };
  const minimum = int16(view, 'MinimumStatusDuration');
  for (const id of [0, ...connectors16(view.evses).map((c) => c.id)]) {
    const now = current(state, view, id);
    if (!all && same(reported[id], now)) {
      // Back to what the CSMS knows before the new status lasted: nothing to report.
      if (settling[id]) effects.push({ type: 'cancelTimer', id: settleTimer(id) });
      delete settling[id];
      continue;
    }
    // §9.1.20: a status is reported once it lasted MinimumStatusDuration (not at a start: the CSMS learns them all).
    const due = all || minimum <= 0 || (state.settled?.includes(id) === true && same(settling[id], now));
    if (!due) {
      if (!same(settling[id], now)) {
        settling[id] = now;
        effects.push({
          type: 'timer',
          id: settleTimer(id),
          ms: minimum * 1000,
          event: { type: 'v16.status.settled', connectorId: id },
        });
      }
      continue;
    }
    delete settling[id];
    reported[id] = now;
    effects.push({
      type: 'send',
      action: 'StatusNotification',
      payload: { connectorId: id, ...now, timestamp: new Date(view.now()).toISOString() },
    });
    const c = id === 0 ? undefined : connectorOf(view.evses, id);
    if (c)
      effects.push({
        type: 'emit',
        event: { type: 'connectorStatus', evseId: c.evseId, connectorId: c.connectorId, status: status2x(now.status) },
      });
  }
  const { settled: _, ...rest } = state;
  return { state: { ...rest, reported, settling }, effects };
}

function physical(state: S, event: StationEvent<Family16>, view: View): S {
  if (!('evseId' in event) || !('connectorId' in event) || event.connectorId === undefined) return state;
  const id = connectorNumber(view.evses, event.evseId, event.connectorId);
  if (id === undefined) return state;
  switch (event.type) {
    case 'connectorFaulted':
      return { ...state, faulted: setOperative(state.faulted, id, false) };
    case 'connectorRecovered':
      return { ...state, faulted: state.faulted.filter((x) => x !== id) };
    case 'connectorLockFailed':
      return { ...state, lockFailed: setOperative(state.lockFailed, id, false) };
    case 'cableUnplugged':
      return { ...state, lockFailed: state.lockFailed.filter((x) => x !== id) };
    default:
      return state;
  }
}

export const status16UseCase: UseCase<S, Family16> = {
  name: 'v16.status',
  triggers: ['StatusNotification'],
  init(_view, saved) {
    const s = saved as Partial<S> | undefined;
    return {
      faulted: [],
      lockFailed: [],
      inoperative: s?.inoperative ?? [],
      scheduled: s?.scheduled ?? {},
      reported: {},
      settling: {},
    };
  },
  save: (state) => ({ inoperative: state.inoperative, scheduled: state.scheduled }),
  queries: {
    operative16: (state, _view, id) => operative(state, id),
    status16: (state, _view, id) => state.reported[id]?.status,
  },
  on(state, event, view) {
    if (event.type === 'triggered' && event.requestedMessage === 'StatusNotification') {
      // §5.17: the asked connector's status (every connector's without one), sent even when unchanged.
      const asked = event.evse?.id;
      const effects: Effect<Family16>[] = [];
      for (const id of [0, ...connectors16(view.evses).map((c) => c.id)]) {
        if (asked !== undefined && asked !== id) continue;
        effects.push({
          type: 'send',
          action: 'StatusNotification',
          payload: { connectorId: id, ...current(state, view, id), timestamp: new Date(view.now()).toISOString() },
        });
      }
      return { state, effects };
    }
    // A status that lasted MinimumStatusDuration may be reported now (if it still holds).
    const ready = event.type === 'v16.status.settled' ? { ...state, settled: [event.connectorId] } : state;
    const applied = applyScheduled(physical(ready, event, view), view);
    // At a start nothing was reported yet: every connector's status is sent (once online, after the boot).
    return report(applied.state, view, applied.effects, event.type === 'started');
  },
  answers: {
    ChangeAvailability(state, request, view) {
      const id = request.connectorId;
      if (id !== 0 && !connectorOf(view.evses, id)) return { response: { status: 'Rejected' } };
      const wanted = request.type === 'Operative';
      const busy =
        !wanted &&
        (id === 0
          ? connectors16(view.evses).some((c) => view.query.transaction16?.(c.id))
          : view.query.transaction16?.(id));
      if (busy) {
        // §5.2: applied once the transaction(s) ended.
        return {
          state: { ...state, scheduled: { ...state.scheduled, [id]: wanted } },
          response: { status: 'Scheduled' },
          persistOrAnswer: { status: 'Rejected' },
        };
      }
      const { [id]: _, ...scheduled } = state.scheduled;
      const next = { ...state, scheduled, inoperative: setOperative(state.inoperative, id, wanted) };
      return {
        state: next,
        response: { status: 'Accepted' },
        persistOrAnswer: { status: 'Rejected' },
        // The status follows once the answer is out (a dispatch lets this block report the change).
        after: [...availabilityCalls(view, id, wanted), { type: 'dispatch', event: { type: 'v16.statusCheck' } }],
      };
    },
  },
};

declare module '../../core/registry.js' {
  interface OwnEvents {
    /** The connector's new status lasted MinimumStatusDuration. */
    'v16.status.settled': { connectorId: number };
    /** An answer changed what decides a status (ChangeAvailability, ReserveNow, …): the statuses are reported. */
    'v16.statusCheck': object;
  }
}
