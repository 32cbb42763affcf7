// What block N's monitoring does besides judging requests: the NotifyEvents of triggered monitors (N07, N08), the
// timers of periodic monitors, the stream requests for 2.1's periodic event streams, and MonitoringCtrlr's display
// of the base and level in force. Pure: effects as data.
import type {
  EventDataType,
  EventNotificationEnumType,
  EventTriggerEnumType,
  MonitoringBaseEnumType,
} from '../../../../generated/v21/types.js';
import type { NotifyEventRequest as NotifyEventRequest201 } from '../../../../generated/v201/types.js';
import { cleanComponent, cleanVariable, type ComponentId, type VariableId } from '../../device-model/address.js';
import { truncate } from '../../device-model/limits.js';
import type { Effect, StationView, Step } from '../../core/types.js';
import { MONITORING_DEFAULTS } from './device-model.js';
import { nextPeriodic, PERIODIC_TYPES, type Monitor, type MonitoringState } from './monitors.js';

/**
 * What goes out of the family's 2.0.1-typed answers and sends in 2.1's shape (TargetDelta types, a monitor's
 * eventNotificationType, an event's severity): valid on a 2.1 connection, never produced on a 2.0.1 one.
 */
export const inVersion = <T>(payload: unknown): T => payload as T;

export const timerId = (id: number) => `monitoring.periodic.${id}`;

/** A triggered monitor or a raised event, before it becomes an eventData. */
export type Pending = {
  trigger: EventTriggerEnumType;
  actualValue: string;
  cleared?: boolean;
  techCode?: string;
  techInfo?: string;
  cause?: number;
} & (
  | { monitor: Monitor }
  | {
      monitor?: undefined;
      component: ComponentId;
      variable: VariableId;
      severity: number;
      kind: EventNotificationEnumType;
    }
);

/** MonitoringCtrlr shows the base and level in force (both spellings of the catalogues). */
export function showBase(base: MonitoringBaseEnumType): Effect[] {
  return (['MonitoringBase', 'ActiveMonitoringBase'] as const).map((variable) => ({
    type: 'setVariable',
    component: 'MonitoringCtrlr',
    variable,
    value: base,
  }));
}

export function showLevel(level: number): Effect[] {
  return (['MonitoringLevel', 'ActiveMonitoringLevel'] as const).map((variable) => ({
    type: 'setVariable',
    component: 'MonitoringCtrlr',
    variable,
    value: String(level),
  }));
}

/** N11.FR.02/03: a monitor with stream parameters asks for its stream (2.1's streams use case opens it). */
export function wantStream(m: Monitor): Effect[] {
  return m.stream
    ? [{ type: 'dispatch', event: { type: 'monitoring.streamWanted', monitorId: m.id, params: m.stream } }]
    : [];
}

export function dropStream(monitorId: number): Effect {
  return { type: 'dispatch', event: { type: 'monitoring.streamDropped', monitorId } };
}

/** A monitor with `transaction` set watches only while a transaction runs on its EVSE (any EVSE for the station's). */
export function active(m: Monitor, view: StationView): boolean {
  return !m.transaction || view.query.transactionOn?.(m.component.evse?.id ?? 0) === true;
}

/** The timer of a periodic monitor (N08.FR.06: from when it was set or last triggered; N08.FR.07: clock-aligned). */
export function arm(m: Monitor, view: StationView): Effect[] {
  if (!PERIODIC_TYPES.includes(m.type)) return [];
  const now = view.now();
  return [
    {
      type: 'timer',
      id: timerId(m.id),
      ms: nextPeriodic(m, now) - now,
      event: { type: 'monitoring.periodic', id: m.id },
    },
  ];
}

/**
 * NotifyEvent for what triggered: only severities within the monitoring level (N07.FR.15); while offline those
 * within OfflineQueuingSeverity are queued and the others dropped (N07.FR.04, N08.FR.03). Each message is a whole
 * report: seqNo 0 (N07.FR.07, N08.FR.04). The state is persisted (triggered thresholds, delta references).
 */
export function notify(state: MonitoringState, view: StationView, pending: readonly Pending[]): Step<MonitoringState> {
  const queueUpTo =
    view.variables.int('MonitoringCtrlr', 'OfflineQueuingSeverity') ?? MONITORING_DEFAULTS.offlineQueuingSeverity;
  const v21 = view.version === 'ocpp2.1';
  let nextEventId = state.nextEventId;
  const timestamp = new Date(view.now()).toISOString();
  const queued: EventDataType[] = [];
  const direct: EventDataType[] = [];
  for (const p of pending) {
    const severity = p.monitor ? p.monitor.severity : p.severity;
    if (severity > state.level) continue;
    const component = p.monitor ? p.monitor.component : p.component;
    const evseId = component.evse?.id;
    const transactionId = evseId !== undefined ? view.query.evseActivity?.(evseId)?.transactionId : undefined;
    const data: EventDataType = {
      eventId: nextEventId++,
      timestamp,
      trigger: p.trigger,
      ...(p.cause !== undefined ? { cause: p.cause } : {}),
      actualValue: truncate(p.actualValue, 2500),
      ...(p.techCode !== undefined ? { techCode: truncate(p.techCode, 50) } : {}),
      ...(p.techInfo !== undefined ? { techInfo: truncate(p.techInfo, 500) } : {}),
      ...(p.cleared ? { cleared: true } : {}),
      ...(transactionId !== undefined ? { transactionId } : {}),
      component: cleanComponent(component),
      ...(p.monitor ? { variableMonitoringId: p.monitor.id } : {}),
      eventNotificationType: p.monitor ? p.monitor.kind : p.kind,
      variable: cleanVariable(p.monitor ? p.monitor.variable : p.variable),
      // 2.1 carries the severity in the event itself.
      ...(v21 ? { severity } : {}),
    };
    (severity <= queueUpTo ? queued : direct).push(data);
  }
  const generatedAt = timestamp;
  const effects: Effect[] = [{ type: 'persist' }];
  if (queued.length)
    effects.push({
      type: 'send',
      action: 'NotifyEvent',
      payload: inVersion<NotifyEventRequest201>({ generatedAt, seqNo: 0, eventData: queued }),
      queue: true,
    });
  if (direct.length)
    effects.push({
      type: 'send',
      action: 'NotifyEvent',
      payload: inVersion<NotifyEventRequest201>({ generatedAt, seqNo: 0, eventData: direct }),
    });
  return { state: { ...state, nextEventId }, effects };
}
