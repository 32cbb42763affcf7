// R04 Configure DER control settings (SetDERControl, GetDERControl with ReportDERControl, ClearDERControl,
// NotifyDERStartStop), R05 Reporting a DER event (NotifyDERAlarm), R01.FR.03 / R02.FR.02 / R03.FR.02 controls kept
// across restarts. OCPP 2.1 only.
//
// The controls in force — one per controlType: the active scheduled one, else the default (select.ts) — reach the
// inverter through one hardware operation, `applyDERControls`, called with the whole set whenever it changes: after
// a Set or Clear, when a scheduled control starts or ends, and once after a start. Which control types the station
// executes is the integrator's declaration in the device model: ACDERCtrlr.ModesSupported and the EVSEs'
// DCDERCtrlr.ModesSupported (controls.ts); anything else is NotSupported (R04.FR.01/36/43).
import type {
  DERControlEnumType,
  GridEventFaultEnumType,
  NotifyDERAlarmRequest,
} from '../../../generated/v21/types.js';
import {
  DERControlEnumType as CONTROL_TYPES,
  GridEventFaultEnumType as GRID_FAULTS,
} from '../../../generated/v21/enums.js';
import { byEventType, type Effect, type StationView, type Step, type UseCase } from '../core/types.js';
import { CONTROL_FIELDS, checkSet, supportedTypes, type DerControl, type FieldSetting } from './controls.js';
import { reportParts } from './report.js';
import { advance, inForce, matches, nextChange, setControl } from './select.js';

/** A control as the inverter gets it. */
export type DerControlInForce = FieldSetting & {
  controlId: string;
  controlType: DERControlEnumType;
  isDefault: boolean;
};

/** R05: what the integrator reports when a DER control makes the station deviate from its schedule, or stops. */
export interface DerAlarm {
  controlType: DERControlEnumType;
  gridEventFault?: GridEventFaultEnumType;
  /** True: the deviation ended (R05.FR.02). */
  alarmEnded?: boolean;
  extraInfo?: string;
}

declare module '../core/registry.js' {
  interface OwnEvents {
    /** The timeline is due: a scheduled control starts or ends now, or a Set/Clear changed the controls. */
    'der.tick': object;
    /** The integrator's `derAlarm()`. */
    'der.alarm': { alarm: DerAlarm };
  }
  interface HardwareOperations {
    /**
     * R04.FR.09/11: the DER controls to execute from now on, one per controlType at most (the active scheduled
     * one, else the default). Called with the whole set whenever it changes, and once after every start.
     */
    applyDERControls(controls: DerControlInForce[]): void | Promise<void>;
  }
}

export interface DerState {
  controls: DerControl[];
  /** Scheduled controls whose start was reported and whose end was not yet (R04.FR.20/22). */
  started: string[];
  /** The alarm reported last and not ended (R05.FR.01/03/04). */
  alarm?: { controlType: DERControlEnumType; gridEventFault?: GridEventFaultEnumType };
  /** The set last handed to the inverter (not kept: after a start the set is handed again). */
  applied?: string;
}

type Saved = Pick<DerState, 'controls' | 'started' | 'alarm'>;

const TIMER = 'der.timeline';
/** What follows a Set or Clear once answered: the timeline, NotifyDERStartStop and the inverter (R04.FR.20/21). */
const TICK: Effect = { type: 'dispatch', event: { type: 'der.tick' } };
/** setTimeout holds 2^31-1 ms at most: a far start or end is reached by waking once a day. */
const MAX_WAIT_MS = 24 * 3600 * 1000;

const CONTROL_TYPE_SET = new Set<string>(CONTROL_TYPES);
const FIELD_SET = new Set<string>(CONTROL_FIELDS);

/** A stored control as written by `save` (the store gives back what it was given; a bad row is dropped). */
function restored(row: unknown): row is DerControl {
  const c = row as Partial<DerControl> | null;
  return (
    typeof c?.id === 'string' &&
    CONTROL_TYPE_SET.has(String(c.controlType)) &&
    FIELD_SET.has(String(c.field)) &&
    typeof c.setting === 'object' &&
    typeof c.isDefault === 'boolean'
  );
}

const inForceKey = (controls: readonly DerControl[]) => JSON.stringify(controls.map((c) => [c.id, c.setting]));

/**
 * The timeline brought up to now, and what follows from it: NotifyDERStartStop for what started or ended, the set
 * in force to the inverter if it changed, the timer of the next change, the state kept if it changed.
 */
function settle(state: DerState, view: StationView): Step<DerState> {
  const now = view.now();
  const { controls, started, notifications } = advance(state.controls, state.started, now);
  const effects: Effect[] = notifications.map((payload) => ({ type: 'send', action: 'NotifyDERStartStop', payload }));
  const force = inForce(controls, now);
  const key = inForceKey(force);
  if (key !== state.applied) {
    const args: DerControlInForce[] = force.map(({ id, controlType, isDefault, field, setting }) => ({
      controlId: id,
      controlType,
      isDefault,
      ...({ field, setting } as FieldSetting), // the pair as stored: `field` names `setting`'s kind
    }));
    effects.push({ type: 'hardware', call: { op: 'applyDERControls', args: [args] } });
  }
  effects.push({ type: 'cancelTimer', id: TIMER });
  const next = nextChange(controls, now);
  if (next !== undefined)
    effects.push({ type: 'timer', id: TIMER, ms: Math.min(next - now, MAX_WAIT_MS), event: { type: 'der.tick' } });
  const moved = notifications.length > 0 || controls.length !== state.controls.length;
  if (moved) effects.push({ type: 'persist' });
  return { state: { ...state, controls, started, applied: key }, effects };
}

function alarm(state: DerState, a: DerAlarm, view: StationView): Step<DerState> | undefined {
  const timestamp = new Date(view.now()).toISOString();
  const payload: NotifyDERAlarmRequest = {
    controlType: a.controlType,
    ...(a.gridEventFault ? { gridEventFault: a.gridEventFault } : {}),
    ...(a.alarmEnded ? { alarmEnded: true } : {}),
    timestamp,
    ...(a.extraInfo ? { extraInfo: a.extraInfo.slice(0, 200) } : {}),
  };
  const current = state.alarm;
  if (a.alarmEnded) {
    // R05.FR.04: an alarm taken over by another control type does not end on its own; only the current one ends.
    if (current?.controlType !== a.controlType) return undefined;
    return {
      state: { ...state, alarm: undefined },
      effects: [{ type: 'send', action: 'NotifyDERAlarm', payload }, { type: 'persist' }],
    };
  }
  // R05.FR.01: once per occurrence — the same control and fault again while it lasts is not a new one.
  if (current?.controlType === a.controlType && current.gridEventFault === a.gridEventFault) return undefined;
  // R05.FR.03: another control taking over is reported as a new alarm, without ending the previous one.
  return {
    state: {
      ...state,
      alarm: { controlType: a.controlType, ...(a.gridEventFault ? { gridEventFault: a.gridEventFault } : {}) },
    },
    effects: [{ type: 'send', action: 'NotifyDERAlarm', payload }, { type: 'persist' }],
  };
}

/** R05: the integrator's alarm, checked before it becomes an event (a TypeError names the bad field). */
export function checkAlarm(a: DerAlarm): DerAlarm {
  if (!a || !CONTROL_TYPE_SET.has(String(a.controlType)))
    throw new TypeError(`derAlarm(alarm): controlType must be one of ${CONTROL_TYPES.join(', ')}`);
  if (a.gridEventFault !== undefined && !(GRID_FAULTS as readonly string[]).includes(a.gridEventFault))
    throw new TypeError(`derAlarm(alarm): gridEventFault must be one of ${GRID_FAULTS.join(', ')}`);
  return {
    controlType: a.controlType,
    ...(a.gridEventFault ? { gridEventFault: a.gridEventFault } : {}),
    ...(a.alarmEnded ? { alarmEnded: true } : {}),
    ...(typeof a.extraInfo === 'string' ? { extraInfo: a.extraInfo } : {}),
  };
}

const onEvent = byEventType<DerState>({
  'der.tick': (state, _event, view) => settle(state, view),
  // After a reconnection: the timer and the inverter caught up, also if an answer's after-effects were lost with
  // the connection that was to carry its CALLRESULT.
  connected: (state, _event, view) => settle(state, view),
  'der.alarm': (state, event, view) => alarm(state, event.alarm, view),
});

export const derUseCase: UseCase<DerState> = {
  name: 'der',
  versions: ['ocpp2.1'],

  init(_view, saved) {
    const s = (saved ?? {}) as Partial<Saved>;
    const controls = Array.isArray(s.controls) ? s.controls.filter(restored) : [];
    return {
      controls,
      started: Array.isArray(s.started) ? s.started.filter((id): id is string => typeof id === 'string') : [],
      ...(s.alarm && CONTROL_TYPE_SET.has(String(s.alarm.controlType)) ? { alarm: s.alarm } : {}),
    };
  },

  save: (state): Saved => ({
    controls: state.controls,
    started: state.started,
    ...(state.alarm ? { alarm: state.alarm } : {}),
  }),

  on(state, event, view) {
    const step = onEvent(state, event, view);
    if (step) return step;
    // The first event after a start (the block runs once 2.1 is spoken): the kept controls go to the inverter and
    // the timeline catches up with what happened while the station was off.
    if (state.applied === undefined) return settle(state, view);
    return undefined;
  },

  answers: {
    SetDERControl(state, request, view) {
      const check = checkSet(request, supportedTypes(view));
      // R04.FR.01/13/15/17: refused controls leave nothing stored.
      if (!check.ok)
        return {
          response: {
            status: check.status,
            statusInfo: { reasonCode: check.reasonCode, additionalInfo: check.additionalInfo.slice(0, 1024) },
          },
        };
      const incoming: DerControl = { ...check.control, isSuperseded: false, receivedAt: view.now() };
      const { controls, supersededIds } = setControl(state.controls, incoming, view.now());
      return {
        state: { ...state, controls },
        response: {
          status: 'Accepted',
          ...(supersededIds.length ? { supersededIds: supersededIds.slice(0, 24) } : {}),
        },
        // R01.FR.03: stored before it is accepted.
        persistOrAnswer: { status: 'Rejected', statusInfo: { reasonCode: 'InternalError' } },
        after: [TICK],
      };
    },

    GetDERControl(state, request, view) {
      const { requestId, isDefault, controlType, controlId } = request;
      // R04.FR.36
      if (controlType !== undefined && !supportedTypes(view).has(controlType))
        return { response: { status: 'NotSupported' } };
      const found = state.controls.filter((c) => matches(c, { isDefault, controlType, controlId }));
      // R04.FR.30
      if (found.length === 0) return { response: { status: 'NotFound' } };
      // R04.FR.31–35/37
      return {
        response: { status: 'Accepted' },
        after: reportParts(found, requestId).map((payload) => ({ type: 'send', action: 'ReportDERControl', payload })),
      };
    },

    ClearDERControl(state, request, view) {
      const { isDefault, controlType, controlId } = request;
      // R04.FR.43
      if (controlId === undefined && controlType !== undefined && !supportedTypes(view).has(controlType))
        return { response: { status: 'NotSupported' } };
      const cleared = state.controls.filter((c) => matches(c, { isDefault, controlType, controlId }));
      // R04.FR.41/42; R04.FR.44: clearing every default (or scheduled) control is Accepted even when there is none.
      if (cleared.length === 0 && (controlType !== undefined || controlId !== undefined))
        return { response: { status: 'NotFound' } };
      const controls = state.controls.filter((c) => !cleared.includes(c));
      const started = state.started.filter((id) => controls.some((c) => c.id === id));
      return {
        state: { ...state, controls, started },
        // R04.FR.44/45/46
        response: { status: 'Accepted' },
        persistOrAnswer: { status: 'Rejected', statusInfo: { reasonCode: 'InternalError' } },
        after: [TICK],
      };
    },
  },
};
