// G01 Status Notification, G03 Change Availability EVSE/Connector, G04 Change Availability Charging Station,
// G05 Lock Failure.
// A connector's status is derived, never stored on its own: from the operational state the CSMS set (persisted,
// B01.FR.07, G03.FR.08, G04.FR.09), the hardware (plugged, faulted) and the other use cases (transactions,
// reservations). After every event the derived statuses are compared with the last ones reported, and each change
// becomes a StatusNotification (G01.FR.03–07, G03.FR.04, G04.FR.05); while offline the dispatcher keeps the latest
// one per connector and sends it after reconnecting (B04).
// A ChangeAvailability is recorded at once; where a transaction runs it takes effect when the transaction has ended
// (G03.FR.05, G04.FR.06: answered Scheduled) — per EVSE, so a station-wide Inoperative makes the idle EVSEs
// Unavailable at once and the busy ones after their transactions (TC_G_14_CS).
import type {
  ChangeAvailabilityResponse,
  ConnectorStatusEnumType,
  NotifyEventRequest,
  OperationalStatusEnumType,
} from '../../../generated/v201/types.js';
import { connectorKey, type ConnectorKey, type Effect, type StationView, type UseCase } from '../core/types.js';
import { reservedOn } from '../H-reservation/check.js';
import { transactionOn } from '../E-transactions/check.js';
import { isSlotConnector } from '../S-battery-swap/slots.js';

declare module '../core/registry.js' {
  interface OwnEvents {
    /** Raised after a ChangeAvailability answer, so that the new statuses follow it. */
    'availability.changed': object;
  }
  interface StationQueries {
    /** G: whether the CSMS's settings let the connector be used (G03/G04). */
    operative(evseId: number, connectorId: number): boolean;
    /** G05.FR.01: whether charging must not start on the connector because its plug retention lock failed. */
    lockFailed(evseId: number, connectorId: number): boolean;
    /** G01: the status the connector shows now. */
    connectorStatus(evseId: number, connectorId: number): ConnectorStatusEnumType;
  }
  interface HardwareOperations {
    /** A connector became operative or inoperative by a ChangeAvailability (G03/G04): enable or disable it. */
    setConnectorAvailability(evseId: number, connectorId: number, operative: boolean): void | Promise<void>;
  }
}

export interface AvailabilityState {
  /** The operational states the CSMS set (persisted). */
  station: OperationalStatusEnumType;
  evses: Record<number, OperationalStatusEnumType>;
  connectors: Record<ConnectorKey, OperationalStatusEnumType>;
  plugged: Record<ConnectorKey, true>;
  faulted: Record<ConnectorKey, true>;
  /** G05: the plug retention lock failed; charging must not start (G05.FR.01, read by use case E). */
  lockFailed: Record<ConnectorKey, true>;
  /** The status last reported per connector. */
  reported: Record<ConnectorKey, ConnectorStatusEnumType>;
  /** AvailabilityState last set on the EVSE components (by id) and the ChargingStation component (key 0). */
  tiers: Record<number, ConnectorStatusEnumType>;
  /** Whether each connector was last told to the hardware as operative (absent: not told, i.e. operative). */
  enabled: Record<ConnectorKey, boolean>;
  /** NotifyEvent eventId of the last event this use case reported (persisted, so ids are not reused). */
  lastEventId: number;
}

type Saved = Pick<AvailabilityState, 'station' | 'evses' | 'connectors' | 'lastEventId'>;

export const availabilityUseCase: UseCase<AvailabilityState> = {
  name: 'availability',
  triggers: ['StatusNotification'],
  queries: {
    operative: (state, view, evseId, connectorId) => operative(state, evseId, connectorId) && !firmwareHolds(view),
    lockFailed: (state, _view, evseId, connectorId) => lockFailed(state, evseId, connectorId),
    connectorStatus,
  },

  init(_view, saved) {
    // Written by `save` (or nothing on a first start); read back as the store gives it.
    const s = (saved ?? {}) as Partial<Saved>;
    return {
      station: s.station ?? 'Operative',
      evses: s.evses ?? {},
      connectors: s.connectors ?? {},
      plugged: {},
      faulted: {},
      lockFailed: {},
      reported: {},
      tiers: {},
      enabled: {},
      lastEventId: s.lastEventId ?? 0,
    };
  },

  save: ({ station, evses, connectors, lastEventId }): Saved => ({ station, evses, connectors, lastEventId }),

  on(state, event, view) {
    let next = state;
    const effects: Effect[] = [];
    switch (event.type) {
      case 'cablePlugged':
        next = { ...state, plugged: { ...state.plugged, [connectorKey(event.evseId, event.connectorId)]: true } };
        break;
      case 'cableUnplugged': {
        const key = connectorKey(event.evseId, event.connectorId);
        next = { ...state, plugged: without(state.plugged, key) };
        // G05: the lock problem goes with the plug.
        if (state.lockFailed[key]) {
          next = { ...next, lockFailed: without(state.lockFailed, key), lastEventId: state.lastEventId + 1 };
          effects.push(...lockProblem(view, next.lastEventId, event.evseId, event.connectorId, false), {
            type: 'persist',
          });
        }
        break;
      }
      case 'connectorFaulted':
        next = { ...state, faulted: { ...state.faulted, [connectorKey(event.evseId, event.connectorId)]: true } };
        break;
      case 'connectorRecovered':
        next = { ...state, faulted: without(state.faulted, connectorKey(event.evseId, event.connectorId)) };
        break;
      case 'connectorLockFailed': {
        const key = connectorKey(event.evseId, event.connectorId);
        if (state.lockFailed[key]) break;
        // G05.FR.02: NotifyEvent ConnectorPlugRetentionLock.Problem = true.
        next = { ...state, lockFailed: { ...state.lockFailed, [key]: true }, lastEventId: state.lastEventId + 1 };
        effects.push(...lockProblem(view, next.lastEventId, event.evseId, event.connectorId, true), {
          type: 'persist',
        });
        break;
      }
      case 'triggered':
        if (event.requestedMessage === 'StatusNotification')
          effects.push(...triggeredStatuses(state, view, event.evse));
        break;
    }
    // Worked out after every event of every station (issue 18's fleets): the connectors listed once, and the records
    // copied only when something in them changes.
    const connectors = allConnectors(view);
    const [enabled, hardware] = hardwareChanges(next, view, connectors);
    const [reported, statusEffects, lastEventId] = report(next, view, connectors);
    const [tiers, tierEffects] = tierStates(reported, next.tiers, view);
    if (
      next === state &&
      effects.length === 0 &&
      hardware.length === 0 &&
      statusEffects.length === 0 &&
      tierEffects.length === 0
    )
      return undefined;
    return {
      state: { ...next, enabled, reported, tiers, lastEventId },
      effects: [
        ...effects,
        ...hardware,
        ...statusEffects,
        ...tierEffects,
        ...(lastEventId !== next.lastEventId ? [{ type: 'persist' } as const] : []),
      ],
    };
  },

  answers: {
    ChangeAvailability(state, request, view) {
      const { evse, operationalStatus } = request;
      const reject = (reasonCode: string): { response: ChangeAvailabilityResponse } => ({
        response: { status: 'Rejected', statusInfo: { reasonCode } },
      });
      if (evse) {
        const layout = view.evses.find((e) => e.id === evse.id);
        if (!layout) return reject('UnknownEvse');
        if (evse.connectorId !== undefined && !layout.connectors.some((c) => c.id === evse.connectorId))
          return reject('UnknownConnectorId');
      }
      // evse.id 0 is the station as a whole.
      const target: Target =
        !evse || evse.id === 0
          ? {}
          : { evseId: evse.id, ...(evse.connectorId !== undefined ? { connectorId: evse.connectorId } : {}) };
      // G03.FR.03, G04.FR.04: already in that state (as set, even if still waiting for a transaction).
      if (currentOf(state, target) === operationalStatus) return { response: { status: 'Accepted' } };
      const next = applyChange(state, target, operationalStatus);
      // G03.FR.05, G04.FR.06: where a transaction runs the change waits for it to end.
      const status = transactionOn(view, target.evseId ?? 0) ? 'Scheduled' : 'Accepted';
      // The new statuses go out after the response: the 'availability.changed' event makes `on` report them.
      return {
        state: next,
        response: { status },
        after: [{ type: 'persist' }, { type: 'dispatch', event: { type: 'availability.changed' } }],
      };
    },
  },
};

interface Target {
  evseId?: number;
  connectorId?: number;
}

/** Whether the CSMS's settings let the connector be used (G03.FR.06/07, G04.FR.07/08: each tier keeps its own state). */
export function operative(state: AvailabilityState, evseId: number, connectorId: number): boolean {
  return (
    state.station === 'Operative' &&
    (state.evses[evseId] ?? 'Operative') === 'Operative' &&
    (state.connectors[connectorKey(evseId, connectorId)] ?? 'Operative') === 'Operative'
  );
}

/** L01.FR.07, L02.FR.04: a firmware update holds the EVSEs not in use Unavailable (block L's query). */
const firmwareHolds = (view: StationView): boolean => view.query.firmwareHoldsEvses?.() ?? false;

/**
 * Whether the connector is usable now: operative (and not held by a firmware update), or a change to inoperative
 * still waits for a transaction.
 */
function operativeNow(state: AvailabilityState, view: StationView, evseId: number, connectorId: number): boolean {
  return (operative(state, evseId, connectorId) && !firmwareHolds(view)) || transactionOn(view, evseId);
}

/** G05.FR.01: whether charging must not start on the connector because its plug retention lock failed. */
export function lockFailed(state: AvailabilityState, evseId: number, connectorId: number): boolean {
  return state.lockFailed[connectorKey(evseId, connectorId)] === true;
}

/** The status a connector shows, from the most to the least important fact. */
export function connectorStatus(
  state: AvailabilityState,
  view: StationView,
  evseId: number,
  connectorId: number,
): ConnectorStatusEnumType {
  const key = connectorKey(evseId, connectorId);
  if (state.faulted[key]) return 'Faulted';
  // G03.FR.06, G04.FR.07; G01.FR.05: an EV that stays connected after the transaction does not keep it Occupied.
  if (!operativeNow(state, view, evseId, connectorId)) return 'Unavailable';
  // G03.FR.09: a reserved connector stays Reserved when an EV connects without the matching token.
  if (reservedOn(view, evseId, connectorId)) return 'Reserved';
  if (state.plugged[key]) return 'Occupied';
  return 'Available';
}

/** Every connector of the layout, in order. */
function allConnectors(view: StationView): Array<{ evseId: number; connectorId: number; key: ConnectorKey }> {
  return view.evses.flatMap((e) =>
    e.connectors.map((c) => ({ evseId: e.id, connectorId: c.id, key: connectorKey(e.id, c.id) })),
  );
}

type Connectors = ReturnType<typeof allConnectors>;

/**
 * Each connector whose status changed: a StatusNotification, or while 2.1 is spoken for a swap station's battery slot a
 * NotifyEvent (S03.FR.02/04; G01 lets either report a connector, S03 names NotifyEvent). Also the new last eventId.
 */
function report(
  state: AvailabilityState,
  view: StationView,
  connectors: Connectors,
): [Record<ConnectorKey, ConnectorStatusEnumType>, Effect[], number] {
  let reported = state.reported;
  const effects: Effect[] = [];
  let eventId = state.lastEventId;
  for (const { evseId, connectorId, key } of connectors) {
    const status = connectorStatus(state, view, evseId, connectorId);
    if (reported[key] === status) continue;
    if (reported === state.reported) reported = { ...reported };
    reported[key] = status;
    effects.push(
      view.version === 'ocpp2.1' && isSlotConnector(view, evseId, connectorId)
        ? availabilityEvent(view, ++eventId, evseId, connectorId, status)
        : statusNotification(view, evseId, connectorId, status),
      ...statusSideEffects(evseId, connectorId, status),
    );
  }
  return [reported, effects, eventId];
}

/**
 * G01.FR.03/04 in their NotifyEvent form: Connector.AvailabilityState with trigger Delta. Queued while offline: the
 * dispatcher keeps the latest StatusNotification of each connector for the reconnection, but no NotifyEvent, so a
 * battery going in or out meanwhile would otherwise never be reported.
 */
function availabilityEvent(
  view: StationView,
  eventId: number,
  evseId: number,
  connectorId: number,
  status: ConnectorStatusEnumType,
): Effect {
  const now = new Date(view.now()).toISOString();
  return {
    type: 'send',
    action: 'NotifyEvent',
    queue: true,
    payload: {
      generatedAt: now,
      seqNo: 0,
      eventData: [
        {
          eventId,
          timestamp: now,
          trigger: 'Delta',
          actualValue: status,
          eventNotificationType: 'HardWiredNotification',
          component: { name: 'Connector', evse: { id: evseId, connectorId } },
          variable: { name: 'AvailabilityState' },
        },
      ],
    },
  };
}

/**
 * What several statuses add up to for the tier above (B07.FR.09: the SummaryInventory reports the AvailabilityState of
 * the station and of each EVSE): all alike, that status; otherwise what a new EV driver would find, from the most
 * useful: Available, Occupied, Reserved, Unavailable, then Faulted.
 */
function combined(statuses: readonly ConnectorStatusEnumType[]): ConnectorStatusEnumType {
  if (statuses.length > 0 && statuses.every((s) => s === statuses[0])) return statuses[0]!;
  for (const s of ['Available', 'Occupied', 'Reserved', 'Unavailable'] as const) if (statuses.includes(s)) return s;
  return 'Faulted';
}

/**
 * The AvailabilityState of each EVSE (Occupied while any of its connectors is: an EVSE charges one EV at a time) and
 * of the station, from the connectors' statuses; a change is written to the device model (no message of its own:
 * StatusNotification is per connector).
 */
function tierStates(
  reported: AvailabilityState['reported'],
  before: AvailabilityState['tiers'],
  view: StationView,
): [Record<number, ConnectorStatusEnumType>, Effect[]] {
  let tiers = before;
  const effects: Effect[] = [];
  const evseStates = view.evses.map((e) => {
    const statuses = e.connectors
      .map((c) => reported[connectorKey(e.id, c.id)])
      .filter((s): s is ConnectorStatusEnumType => s !== undefined);
    return { id: e.id, status: statuses.includes('Occupied') ? 'Occupied' : combined(statuses) } as const;
  });
  for (const { id, status } of [...evseStates, { id: 0, status: combined(evseStates.map((e) => e.status)) }]) {
    if (tiers[id] === status) continue;
    if (tiers === before) tiers = { ...before };
    tiers[id] = status;
    effects.push(
      id === 0
        ? { type: 'setVariable', component: 'ChargingStation', variable: 'AvailabilityState', value: status }
        : { type: 'setVariable', component: 'EVSE', variable: 'AvailabilityState', value: status, evseId: id },
    );
  }
  return [tiers, effects];
}

/** The integrator's setConnectorAvailability: at start for each inoperative connector, then on every change. */
function hardwareChanges(
  state: AvailabilityState,
  view: StationView,
  connectors: Connectors,
): [Record<ConnectorKey, boolean>, Effect[]] {
  let enabled = state.enabled;
  const effects: Effect[] = [];
  for (const { evseId, connectorId, key } of connectors) {
    const now = operativeNow(state, view, evseId, connectorId);
    const told = enabled[key];
    if (told === undefined ? now : told === now) continue;
    if (enabled === state.enabled) enabled = { ...enabled };
    enabled[key] = now;
    effects.push({ type: 'hardware', call: { op: 'setConnectorAvailability', args: [evseId, connectorId, now] } });
  }
  return [enabled, effects];
}

function statusNotification(
  view: StationView,
  evseId: number,
  connectorId: number,
  status: ConnectorStatusEnumType,
  direct = false,
): Effect {
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

/** G05.FR.02: NotifyEvent for ConnectorPlugRetentionLock.Problem, and the variable it reports. */
function lockProblem(
  view: StationView,
  eventId: number,
  evseId: number,
  connectorId: number,
  problem: boolean,
): Effect[] {
  const now = new Date(view.now()).toISOString();
  const payload: NotifyEventRequest = {
    generatedAt: now,
    seqNo: 0,
    eventData: [
      {
        eventId,
        timestamp: now,
        trigger: 'Delta',
        actualValue: String(problem),
        eventNotificationType: 'HardWiredNotification',
        component: { name: 'ConnectorPlugRetentionLock', evse: { id: evseId, connectorId } },
        variable: { name: 'Problem' },
      },
    ],
  };
  return [
    {
      type: 'setVariable',
      component: 'ConnectorPlugRetentionLock',
      variable: 'Problem',
      value: String(problem),
      evseId,
      connectorId,
    },
    { type: 'send', action: 'NotifyEvent', payload },
  ];
}

/** F06: the requested connector's status, or every connector of the EVSE, or all; sent even while Pending. */
function triggeredStatuses(
  state: AvailabilityState,
  view: StationView,
  evse: { id: number; connectorId?: number } | undefined,
): Effect[] {
  return allConnectors(view)
    .filter(
      (c) => (!evse || c.evseId === evse.id) && (evse?.connectorId === undefined || c.connectorId === evse.connectorId),
    )
    .map(({ evseId, connectorId }) =>
      statusNotification(view, evseId, connectorId, connectorStatus(state, view, evseId, connectorId), true),
    );
}

function currentOf(state: AvailabilityState, t: Target): OperationalStatusEnumType {
  if (t.evseId === undefined) return state.station;
  if (t.connectorId === undefined) return state.evses[t.evseId] ?? 'Operative';
  return state.connectors[connectorKey(t.evseId, t.connectorId)] ?? 'Operative';
}

function applyChange(state: AvailabilityState, t: Target, status: OperationalStatusEnumType): AvailabilityState {
  if (t.evseId === undefined) return { ...state, station: status };
  if (t.connectorId === undefined) return { ...state, evses: { ...state.evses, [t.evseId]: status } };
  return { ...state, connectors: { ...state.connectors, [connectorKey(t.evseId, t.connectorId)]: status } };
}

function without<T>(record: Record<ConnectorKey, T>, key: ConnectorKey): Record<ConnectorKey, T> {
  const { [key]: _, ...rest } = record;
  return rest;
}
