// G01 Status Notification, G03 Change Availability EVSE/Connector, G04 Change Availability Charging Station.
// A connector's status is derived, never stored on its own: from the operational state the CSMS set (persisted,
// B01.FR.07, G03.FR.08, G04.FR.09), the hardware (plugged, faulted) and the other use cases (reservation). After
// every event the derived statuses are compared with the last ones reported, and each change becomes a
// StatusNotification (G01.FR.03–07, G03.FR.04, G04.FR.05); while offline the dispatcher keeps the latest one per
// connector and sends it after reconnecting (B04).
import type {
  ChangeAvailabilityRequest,
  ChangeAvailabilityResponse,
  ConnectorStatusEnumType,
  OperationalStatusEnumType,
} from '../../generated/v201/types.js';
import { connectorKey, type ConnectorKey, type Effect, type StationView, type UseCase } from './core/types.js';

export interface AvailabilityState {
  station: OperationalStatusEnumType;
  evses: Record<number, OperationalStatusEnumType>;
  connectors: Record<ConnectorKey, OperationalStatusEnumType>;
  /** Changes answered Scheduled, applied once no transaction runs where they apply (G03.FR.05, G04.FR.06). */
  scheduled: ScheduledChange[];
  plugged: Record<ConnectorKey, true>;
  faulted: Record<ConnectorKey, true>;
  /** The status last reported per connector. */
  reported: Record<ConnectorKey, ConnectorStatusEnumType>;
}

interface ScheduledChange {
  evseId?: number;
  connectorId?: number;
  operationalStatus: OperationalStatusEnumType;
}

type Saved = Pick<AvailabilityState, 'station' | 'evses' | 'connectors' | 'scheduled'>;

export const availabilityUseCase: UseCase<AvailabilityState> = {
  name: 'availability',
  triggers: ['StatusNotification'],

  init(view, saved) {
    const s = (saved ?? {}) as Partial<Saved>;
    return {
      station: s.station ?? 'Operative',
      evses: s.evses ?? {},
      connectors: s.connectors ?? {},
      scheduled: s.scheduled ?? [],
      plugged: {},
      faulted: {},
      reported: {},
    };
  },

  save: ({ station, evses, connectors, scheduled }): Saved => ({ station, evses, connectors, scheduled }),

  on(state, event, view) {
    let next = state;
    const effects: Effect[] = [];
    switch (event.type) {
      case 'cablePlugged':
        next = { ...state, plugged: { ...state.plugged, [connectorKey(event.evseId, event.connectorId)]: true } };
        break;
      case 'cableUnplugged':
        next = { ...state, plugged: without(state.plugged, connectorKey(event.evseId, event.connectorId)) };
        break;
      case 'connectorFaulted':
        next = { ...state, faulted: { ...state.faulted, [connectorKey(event.evseId, event.connectorId)]: true } };
        break;
      case 'connectorRecovered':
        next = { ...state, faulted: without(state.faulted, connectorKey(event.evseId, event.connectorId)) };
        break;
      case 'triggered':
        if (event.requestedMessage === 'StatusNotification') effects.push(...triggeredStatuses(state, view, event.evse));
        break;
    }
    // Scheduled changes wait for the transactions they would disturb.
    const due = next.scheduled.filter((c) => !transactionWhere(view, c.evseId));
    if (due.length) {
      next = due.reduce(applyChange, { ...next, scheduled: next.scheduled.filter((c) => !due.includes(c)) });
      // 'availability.changed': use cases before this one (reservations, H01.FR.17) learn of the change.
      effects.push({ type: 'persist' }, ...hardwareFor(view, state, next), { type: 'dispatch', event: { type: 'availability.changed' } });
    }
    const [reported, statusEffects] = report(next, view);
    if (statusEffects.length === 0 && next === state && effects.length === 0) return undefined;
    return { state: { ...next, reported }, effects: [...effects, ...statusEffects] };
  },

  answers: {
    ChangeAvailability(state, request, view) {
      const req = request as ChangeAvailabilityRequest;
      const { evse, operationalStatus } = req;
      const reject = (reasonCode: string): { response: ChangeAvailabilityResponse } => ({ response: { status: 'Rejected', statusInfo: { reasonCode } } });
      if (evse) {
        const layout = view.evses.find((e) => e.id === evse.id);
        if (!layout) return reject('UnknownEvse');
        if (evse.connectorId !== undefined && !layout.connectors.some((c) => c.id === evse.connectorId)) return reject('UnknownConnectorId');
      }
      const change: ScheduledChange = { evseId: evse?.id, connectorId: evse?.connectorId, operationalStatus };
      // G03.FR.03, G04.FR.04: already in that state.
      if (currentOf(state, change) === operationalStatus) {
        return { state: { ...state, scheduled: state.scheduled.filter((c) => !sameTarget(c, change)) }, response: { status: 'Accepted' }, after: [{ type: 'persist' }] };
      }
      // G03.FR.05, G04.FR.06: not while a transaction runs where it applies.
      if (transactionWhere(view, change.evseId)) {
        return {
          state: { ...state, scheduled: [...state.scheduled.filter((c) => !sameTarget(c, change)), change] },
          response: { status: 'Scheduled' },
          after: [{ type: 'persist' }],
        };
      }
      const next = applyChange({ ...state, scheduled: state.scheduled.filter((c) => !sameTarget(c, change)) }, change);
      // The new status goes out after the response: the 'availability.changed' event makes `on` report it.
      return { state: next, response: { status: 'Accepted' }, after: [{ type: 'persist' }, ...hardwareFor(view, state, next), { type: 'dispatch', event: { type: 'availability.changed' } }] };
    },
  },
};

/** The status a connector shows, from the most to the least important fact. */
export function connectorStatus(state: AvailabilityState, view: StationView, evseId: number, connectorId: number): ConnectorStatusEnumType {
  const key = connectorKey(evseId, connectorId);
  const plugged = state.plugged[key] === true;
  if (state.faulted[key]) return 'Faulted';
  // An EV still connected keeps the connector Occupied until it leaves (G01.FR.05: Unavailable on disconnect).
  if (!operative(state, evseId, connectorId) && !plugged) return 'Unavailable';
  // G03.FR.09: a reserved connector stays Reserved when an EV connects without the matching token.
  if (view.reservedOn(evseId, connectorId)) return 'Reserved';
  if (plugged) return 'Occupied';
  return operative(state, evseId, connectorId) ? 'Available' : 'Unavailable';
}

export function operative(state: AvailabilityState, evseId: number, connectorId: number): boolean {
  // G03.FR.06, G04.FR.07: an inoperative station or EVSE makes its connectors unavailable; G03.FR.07, G04.FR.08:
  // operative again, each connector returns to its own state.
  return state.station === 'Operative' && (state.evses[evseId] ?? 'Operative') === 'Operative' && (state.connectors[connectorKey(evseId, connectorId)] ?? 'Operative') === 'Operative';
}

function report(state: AvailabilityState, view: StationView): [Record<ConnectorKey, ConnectorStatusEnumType>, Effect[]] {
  const reported = { ...state.reported };
  const effects: Effect[] = [];
  for (const evse of view.evses) {
    for (const c of evse.connectors) {
      const key = connectorKey(evse.id, c.id);
      const status = connectorStatus(state, view, evse.id, c.id);
      if (reported[key] === status) continue;
      reported[key] = status;
      effects.push(statusNotification(view, evse.id, c.id, status), ...statusSideEffects(evse.id, c.id, status));
    }
  }
  return [reported, effects];
}

function statusNotification(view: StationView, evseId: number, connectorId: number, status: ConnectorStatusEnumType, direct = false): Effect {
  return {
    type: 'send',
    action: 'StatusNotification',
    payload: { timestamp: new Date(view.now()).toISOString(), connectorStatus: status, evseId, connectorId },
    ...(direct ? { direct: true, tag: 'status.triggered' } : {}),
  };
}

function statusSideEffects(evseId: number, connectorId: number, status: ConnectorStatusEnumType): Effect[] {
  return [
    { type: 'setVariable', component: 'Connector', variable: 'AvailabilityState', value: status, evseId, connectorId },
    { type: 'emit', event: { type: 'connectorStatus', evseId, connectorId, status } },
  ];
}

/** F06: the requested connector's status, or every connector of the EVSE, or all; sent even while Pending. */
function triggeredStatuses(state: AvailabilityState, view: StationView, evse: { id: number; connectorId?: number } | undefined): Effect[] {
  return view.evses
    .filter((e) => !evse || e.id === evse.id)
    .flatMap((e) => e.connectors.filter((c) => evse?.connectorId === undefined || c.id === evse.connectorId).map((c) => ({ evseId: e.id, connectorId: c.id })))
    .map(({ evseId, connectorId }) => statusNotification(view, evseId, connectorId, connectorStatus(state, view, evseId, connectorId), true));
}

function currentOf(state: AvailabilityState, c: ScheduledChange): OperationalStatusEnumType {
  if (c.evseId === undefined) return state.station;
  if (c.connectorId === undefined) return state.evses[c.evseId] ?? 'Operative';
  return state.connectors[connectorKey(c.evseId, c.connectorId)] ?? 'Operative';
}

function applyChange(state: AvailabilityState, c: ScheduledChange): AvailabilityState {
  if (c.evseId === undefined) return { ...state, station: c.operationalStatus };
  if (c.connectorId === undefined) return { ...state, evses: { ...state.evses, [c.evseId]: c.operationalStatus } };
  return { ...state, connectors: { ...state.connectors, [connectorKey(c.evseId, c.connectorId)]: c.operationalStatus } };
}

const sameTarget = (a: ScheduledChange, b: ScheduledChange) => a.evseId === b.evseId && a.connectorId === b.connectorId;

/** A transaction on the EVSE, or anywhere when the change is for the whole station. */
const transactionWhere = (view: StationView, evseId: number | undefined) => view.transactionOn(evseId ?? 0);

/** Tell the hardware which connectors became operative or inoperative. */
function hardwareFor(view: StationView, before: AvailabilityState, after: AvailabilityState): Effect[] {
  return view.evses.flatMap((e) =>
    e.connectors
      .filter((c) => operative(before, e.id, c.id) !== operative(after, e.id, c.id))
      .map((c): Effect => ({ type: 'hardware', call: { op: 'setConnectorAvailability', evseId: e.id, connectorId: c.id, operative: operative(after, e.id, c.id) } })),
  );
}

function without<T>(record: Record<ConnectorKey, T>, key: ConnectorKey): Record<ConnectorKey, T> {
  const { [key]: _, ...rest } = record;
  return rest;
}
