// Block N, variable monitoring (N02–N08): the CSMS sets monitors on device-model variables (SetVariableMonitoring,
// ClearVariableMonitoring, SetMonitoringBase, SetMonitoringLevel), asks for them (GetMonitoringReport →
// NotifyMonitoringReport parts), and the station reports what they see with NotifyEvent: thresholds crossed in
// either direction, deltas, periodic values, and events the station raises itself (hard-wired notifications).
//
// Values reach the monitors through `variables.changed` — a SetVariables from the CSMS, the runtime's own writes
// (AvailabilityState), and the integrator's reports of measured values (`station.deviceModel.set(…)`) — and through
// the periodic timers. Monitors survive restarts (N07.FR.13): the state is persisted, hard-wired and preconfigured
// monitors come from the integrator's `monitoring` option at every start.
import type {
  EventDataType,
  EventNotificationEnumType,
  EventTriggerEnumType,
  MonitoringBaseEnumType,
  PeriodicEventStreamParamsType,
  SetMonitoringResultType,
} from '../../../../generated/v21/types.js';
import type {
  NotifyEventRequest as NotifyEventRequest201,
  NotifyMonitoringReportRequest as NotifyMonitoringReportRequest201,
} from '../../../../generated/v201/types.js';
import { CallError } from '../../../rpc/errors.js';
import { jsonByteLength } from '../../../rpc/json-bytes.js';
import { cleanComponent, cleanVariable, type ComponentId, type VariableId } from '../../device-model/address.js';
import type { DeviceModel } from '../../device-model/index.js';
import { requestLimitError, statusInfo, truncate } from '../../device-model/limits.js';
import { registrationOf } from '../../B-provisioning/boot.js';
import { byEventType, type Effect, type StationView, type Step, type UseCase } from '../../core/types.js';
import { MONITORING_DEFAULTS } from './device-model.js';
import {
  evaluate,
  lookup,
  nextPeriodic,
  PERIODIC_TYPES,
  refusal,
  sameAddress,
  type Monitor,
  type MonitorSpec,
} from './monitors.js';
import { monitoringReportParts, selectMonitors } from './report.js';

/** An event the station raises itself (N07: a hard-wired notification), reported with `station.reportEvent`. */
export interface StationRaisedEvent {
  component: ComponentId;
  variable: VariableId;
  /** What the variable reads now ('' when it has no value to tell). */
  actualValue: string;
  /** Default Alerting. */
  trigger?: EventTriggerEnumType;
  /** The problem has gone (a hard-wired alert that returned to normal). */
  cleared?: boolean;
  /** 0 (Danger) … 9 (Debug); filtered by SetMonitoringLevel like a monitor's. Default 0. */
  severity?: number;
  techCode?: string;
  techInfo?: string;
  /** The eventId of an earlier event that caused this one (N07.FR.05). */
  cause?: number;
}

declare module '../../core/registry.js' {
  interface OwnEvents {
    /** A periodic monitor is due (N08.FR.06/07). */
    'monitoring.periodic': { id: number };
    /** Evaluate these monitors now (just set or replaced: N07.FR.11). */
    'monitoring.check': { ids: number[] };
    /** The integrator reported an event of the station (hard-wired notification). */
    'monitoring.raised': { event: StationRaisedEvent };
  }
}

/** The integrator's monitors (`options.monitoring`). */
export interface MonitoringOptions {
  /** Always active; never replaced or cleared by the CSMS (N04.FR.18, N06.FR.03). */
  hardWired?: readonly MonitorSpec[];
  /** Active with monitoring base All and FactoryDefault (N03), until the CSMS replaces or clears them. */
  preconfigured?: readonly MonitorSpec[];
}

export interface MonitoringState {
  monitors: Monitor[];
  nextId: number;
  nextEventId: number;
  /** N05: NotifyEvents only for monitors of this severity or lower (more urgent). */
  level: number;
  base: MonitoringBaseEnumType;
}

/**
 * What goes out of the family's 2.0.1-typed answers and sends in 2.1's shape (TargetDelta types, a monitor's
 * eventNotificationType, an event's severity): valid on a 2.1 connection, never produced on a 2.0.1 one.
 */
const inVersion = <T>(payload: unknown): T => payload as T;

const timerId = (id: number) => `monitoring.periodic.${id}`;

export function monitoringUseCase(model: () => DeviceModel, options: MonitoringOptions = {}): UseCase<MonitoringState> {
  const fixed = (specs: readonly MonitorSpec[] | undefined, first: number, kind: Monitor['kind']): Monitor[] =>
    (specs ?? []).map((s, i) => ({
      ...s,
      component: cleanComponent(s.component),
      variable: cleanVariable(s.variable),
      transaction: s.transaction ?? false,
      id: first + i,
      kind,
    }));
  const hardWired = fixed(options.hardWired, 1, 'HardWiredMonitor');
  const preconfigured = fixed(options.preconfigured, hardWired.length + 1, 'PreconfiguredMonitor');
  const firstCustomId = hardWired.length + preconfigured.length + 1;

  return {
    name: 'monitoring',
    init(_view, saved) {
      const s = saved as MonitoringState | undefined;
      if (!s || !Array.isArray(s.monitors)) {
        return {
          monitors: [...hardWired, ...preconfigured],
          nextId: firstCustomId,
          nextEventId: 1,
          level: MONITORING_DEFAULTS.level,
          base: 'All',
        };
      }
      // Hard-wired monitors are the firmware's: today's list, with what they saw before the restart. A saved
      // monitor that is not well-formed (a store written by another version) is dropped rather than trusted.
      const kept = s.monitors.filter(wellFormed);
      const hard = hardWired.map((h) => {
        const before = kept.find((m) => m.id === h.id && m.kind === 'HardWiredMonitor' && sameAddress(m, h));
        return before ? { ...h, tripped: before.tripped, reference: before.reference } : h;
      });
      const rest = kept.filter((m) => m.kind !== 'HardWiredMonitor' && !hard.some((h) => h.id === m.id));
      return {
        monitors: [...hard, ...rest],
        nextId: Math.max(Number.isInteger(s.nextId) ? s.nextId : 0, firstCustomId, ...rest.map((m) => m.id + 1)),
        nextEventId: Number.isInteger(s.nextEventId) ? s.nextEventId : 1,
        level: Number.isInteger(s.level) ? s.level : MONITORING_DEFAULTS.level,
        base: s.base ?? 'All',
      };
    },
    save: (state) => state,

    on: byEventType({
      // N07.FR.14: a threshold exceeded before the restart is cleared if the value is back within it; periodic
      // monitors start over; the device model shows the base and level in force.
      started: (state, _event, view) => {
        const checked = check(state, view, state.monitors);
        return {
          state: checked.state,
          effects: [
            ...showBase(state.base),
            ...showLevel(state.level),
            ...state.monitors.flatMap((m) => arm(m, view)),
            ...(checked.effects ?? []),
          ],
        };
      },
      // N11: streams live with the connection: asked for once the station may talk (Accepted), after each connect.
      connected: (state, _event, view) =>
        registrationOf(view) === 'Accepted' ? { state, effects: state.monitors.flatMap(wantStream) } : undefined,
      reply: (state, event) =>
        event.action === 'BootNotification' &&
        event.result.status === 'sent' &&
        event.result.response.status === 'Accepted'
          ? { state, effects: state.monitors.flatMap(wantStream) }
          : undefined,
      'variables.changed': (state, event, view) => {
        const names = [...event.changes, ...(event.unlisted ?? [])].map((c) =>
          `${c.component}.${c.variable}`.toLowerCase(),
        );
        const touched = state.monitors.filter((m) =>
          names.includes(`${m.component.name}.${m.variable.name}`.toLowerCase()),
        );
        return touched.length ? check(state, view, touched) : undefined;
      },
      'monitoring.check': (state, event, view) =>
        check(
          state,
          view,
          state.monitors.filter((m) => event.ids.includes(m.id)),
        ),
      'monitoring.periodic': (state, event, view) => periodic(state, event.id, view),
      'monitoring.raised': (state, event, view) => raised(state, event.event, view),
    }),

    answers: {
      // N04: one result per element, in order (N04.FR.01/02); each element judged against the monitors as the
      // elements before it left them (a duplicate within one request is a Duplicate too).
      SetVariableMonitoring(state, request, view) {
        const dm = model();
        const tooLarge = monitoringLimitError(dm, 'SetVariableMonitoring', request.setMonitoringData.length, request);
        if (tooLarge) throw new CallError(tooLarge.code, tooLarge.description);
        let next = state;
        const changed: Monitor[] = [];
        const unstreamed: number[] = [];
        const results = request.setMonitoringData.map((d): SetMonitoringResultType => {
          const result = (
            status: SetMonitoringResultType['status'],
            id?: number,
            info?: { reasonCode: string; additionalInfo?: string },
          ) => ({
            ...(id !== undefined ? { id } : {}),
            status,
            ...(info ? { statusInfo: statusInfo(info.reasonCode, info.additionalInfo) } : {}),
            type: d.type,
            severity: d.severity,
            component: d.component,
            variable: d.variable,
          });
          const found = lookup(dm, d.component, d.variable);
          if (!found.ok) return result(found.status);
          const address = { component: cleanComponent(d.component), variable: cleanVariable(d.variable) };
          const existing = d.id === undefined ? undefined : next.monitors.find((m) => m.id === d.id);
          if (d.id !== undefined) {
            // N04.FR.13: no such monitor; N04.FR.18: hard-wired ones are not replaced; N04.FR.16: a monitor
            // keeps its component and variable.
            if (!existing)
              return result('Rejected', d.id, { reasonCode: 'NotFound', additionalInfo: 'no monitor with this id' });
            if (existing.kind === 'HardWiredMonitor')
              return result('Rejected', d.id, {
                reasonCode: 'UnsupportedRequest',
                additionalInfo: 'hard-wired monitor',
              });
            if (!sameAddress(existing, address))
              return result('Rejected', d.id, {
                reasonCode: 'InvalidValue',
                additionalInfo: 'another component or variable',
              });
          }
          const refused = refusal(d, found.at);
          if (refused) return result(refused.status, d.id, refused);
          // N04.FR.10: one monitor per type and severity on a variable.
          if (
            next.monitors.some(
              (m) => m.id !== d.id && sameAddress(m, address) && m.type === d.type && m.severity === d.severity,
            )
          )
            return result('Duplicate', d.id);
          const id = d.id ?? next.nextId; // N04.FR.11: the station gives the id
          const kept = existing && existing.type === d.type ? { tripped: existing.tripped } : {};
          const stream =
            'periodicEventStream' in d && d.periodicEventStream ? { stream: plainParams(d.periodicEventStream) } : {};
          const monitor: Monitor = {
            ...address,
            id,
            type: d.type,
            value: d.value,
            severity: d.severity,
            transaction: d.transaction ?? false,
            // N04.FR.15: a replaced preconfigured monitor is a custom one from now on.
            kind: 'CustomMonitor',
            ...kept,
            ...stream,
            // N07.FR.18/19: a delta counts from the value at the time the monitor was set.
            // (An unset value counts as '': its first value is a change.)
            ...(d.type === 'Delta' ? { reference: found.at.actual() ?? '' } : {}),
          };
          next = {
            ...next,
            monitors: existing ? next.monitors.map((m) => (m.id === id ? monitor : m)) : [...next.monitors, monitor],
            nextId: existing ? next.nextId : next.nextId + 1,
          };
          changed.push(monitor);
          // N13.FR.06: replaced without a stream, the monitor's stream closes.
          if (existing?.stream && !monitor.stream) unstreamed.push(id);
          return result('Accepted', id);
        });
        if (changed.length === 0) return { response: inVersion({ setMonitoringResult: results }) };
        return {
          state: next,
          response: inVersion({ setMonitoringResult: results }),
          persistOrAnswer: inVersion({
            setMonitoringResult: results.map((r) =>
              r.status === 'Accepted' ? { ...r, status: 'Rejected', statusInfo: { reasonCode: 'InternalError' } } : r,
            ),
          }),
          after: [
            ...changed.flatMap((m) => [{ type: 'cancelTimer' as const, id: timerId(m.id) }, ...arm(m, view)]),
            // N07.FR.11: a new or changed threshold is checked against the value now.
            { type: 'dispatch', event: { type: 'monitoring.check', ids: changed.map((m) => m.id) } },
            ...unstreamed.map((monitorId) => dropStream(monitorId)),
            ...changed.flatMap((m) => wantStream(m)),
          ],
        };
      },

      // N06: Accepted, NotFound (N06.FR.02) or Rejected for a hard-wired monitor (N06.FR.03), one result per id
      // (N06.FR.05). A removed threshold sends no cleared event (N07.FR.12).
      ClearVariableMonitoring(state, request) {
        const tooLarge = monitoringLimitError(model(), 'ClearVariableMonitoring', request.id.length, request);
        if (tooLarge) throw new CallError(tooLarge.code, tooLarge.description);
        const removed = new Set<number>();
        const clearMonitoringResult = request.id.map((id) => {
          const m = state.monitors.find((x) => x.id === id);
          if (!m || removed.has(id)) return { id, status: 'NotFound' as const, statusInfo: { reasonCode: 'NotFound' } };
          if (m.kind === 'HardWiredMonitor')
            return {
              id,
              status: 'Rejected' as const,
              statusInfo: statusInfo('UnsupportedRequest', 'hard-wired monitor'),
            };
          removed.add(id);
          return { id, status: 'Accepted' as const };
        });
        if (removed.size === 0) return { response: { clearMonitoringResult } };
        return {
          state: { ...state, monitors: state.monitors.filter((m) => !removed.has(m.id)) },
          response: { clearMonitoringResult },
          persistOrAnswer: {
            clearMonitoringResult: clearMonitoringResult.map((r) =>
              r.status === 'Accepted'
                ? { ...r, status: 'Rejected' as const, statusInfo: { reasonCode: 'InternalError' } }
                : r,
            ),
          },
          // N13.FR.05: a removed monitor's stream closes.
          after: [...removed].flatMap((id) => [{ type: 'cancelTimer' as const, id: timerId(id) }, dropStream(id)]),
        };
      },

      // N03: every base is supported (N03.FR.01). All adds the preconfigured monitors that are missing and keeps the
      // custom ones (N03.FR.03); FactoryDefault drops the custom ones and restores the preconfigured (N03.FR.04);
      // HardWiredOnly keeps only the hard-wired (N03.FR.05).
      SetMonitoringBase(state, request, view) {
        const base = request.monitoringBase;
        const kept = state.monitors.filter((m) =>
          base === 'All'
            ? true
            : base === 'FactoryDefault'
              ? m.kind !== 'CustomMonitor'
              : m.kind === 'HardWiredMonitor',
        );
        const restored = base === 'HardWiredOnly' ? [] : preconfigured.filter((p) => !kept.some((m) => m.id === p.id));
        const monitors = [...kept, ...restored];
        const gone = state.monitors.filter((m) => !monitors.includes(m));
        return {
          state: { ...state, monitors, base },
          response: { status: 'Accepted' },
          persistOrAnswer: { status: 'Rejected', statusInfo: { reasonCode: 'InternalError' } },
          after: [
            ...gone.flatMap((m) => [{ type: 'cancelTimer' as const, id: timerId(m.id) }, dropStream(m.id)]),
            ...restored.flatMap((m) => [...arm(m, view), ...wantStream(m)]),
            ...showBase(base),
            { type: 'dispatch', event: { type: 'monitoring.check', ids: restored.map((m) => m.id) } },
          ],
        };
      },

      // N05: severities 0–9; another is Rejected (N05.FR.02).
      SetMonitoringLevel(state, request) {
        const level = request.severity;
        if (!Number.isInteger(level) || level < 0 || level > 9)
          return {
            response: { status: 'Rejected', statusInfo: statusInfo('ValueOutOfRange', 'severity must be 0..9') },
          };
        return {
          state: { ...state, level },
          response: { status: 'Accepted' },
          persistOrAnswer: { status: 'Rejected', statusInfo: { reasonCode: 'InternalError' } },
          after: showLevel(level),
        };
      },

      // N02: Accepted with the parts to follow, or EmptyResultSet when nothing matches (N02.FR.10). Every
      // criterion is supported, so NotSupported (N02.FR.02) does not occur.
      GetMonitoringReport(state, request, view) {
        const dm = model();
        const tooLarge = requestLimitError(dm, 'GetReport', request.componentVariable?.length ?? 0, request);
        if (tooLarge) throw new CallError(tooLarge.code, tooLarge.description);
        const data = selectMonitors(state.monitors, request, view.version === 'ocpp2.1');
        if (data.length === 0) return { response: { status: 'EmptyResultSet' } };
        const parts = monitoringReportParts(
          data,
          request.requestId,
          new Date(view.now()).toISOString(),
          dm.reportLimits(),
        );
        return {
          response: { status: 'Accepted' },
          after: parts.map((payload) => ({
            type: 'send' as const,
            action: 'NotifyMonitoringReport' as const,
            payload: inVersion<NotifyMonitoringReportRequest201>(payload),
          })),
        };
      },
    },
  };

  /** MonitoringCtrlr's ItemsPerMessage / BytesPerMessage of SetVariableMonitoring and ClearVariableMonitoring. */
  function monitoringLimitError(
    dm: DeviceModel,
    instance: 'SetVariableMonitoring' | 'ClearVariableMonitoring',
    items: number,
    payload: unknown,
  ) {
    const maxItems = dm.getInt('MonitoringCtrlr', { name: 'ItemsPerMessage', instance });
    if (maxItems !== undefined && items > maxItems)
      return {
        code: 'OccurrenceConstraintViolation',
        description: `${items} items; ItemsPerMessage${instance} is ${maxItems}`,
      };
    const maxBytes = dm.getInt('MonitoringCtrlr', { name: 'BytesPerMessage', instance });
    const bytes = jsonByteLength(payload); // not JSON.stringify: it throws on a payload nested thousands deep
    if (maxBytes !== undefined && bytes > maxBytes)
      return { code: 'FormatViolation', description: `${bytes} bytes; BytesPerMessage${instance} is ${maxBytes}` };
    return undefined;
  }

  /** N07: evaluates threshold and delta monitors against the values now; NotifyEvent for what triggered. */
  function check(state: MonitoringState, view: StationView, monitors: readonly Monitor[]): Step<MonitoringState> {
    if (view.variables.bool('MonitoringCtrlr', 'Enabled') === false) return { state };
    const dm = model();
    const events: Pending[] = [];
    const updated = new Map<number, Monitor>();
    for (const m of monitors) {
      if (PERIODIC_TYPES.includes(m.type) || !active(m, view)) continue;
      const found = lookup(dm, m.component, m.variable);
      if (!found.ok) continue;
      const t = evaluate(m, found.at);
      if (t.monitor !== m) updated.set(m.id, t.monitor);
      if (t.event)
        events.push({
          monitor: t.monitor,
          trigger: t.event.trigger,
          actualValue: found.at.writeOnly ? '' : (t.event.actualValue ?? ''),
          ...(t.event.cleared ? { cleared: true } : {}),
        });
    }
    if (updated.size === 0) return { state };
    const next = { ...state, monitors: state.monitors.map((m) => updated.get(m.id) ?? m) };
    return notify(next, view, events);
  }

  /** N08: a periodic monitor's value, and its next turn. */
  function periodic(state: MonitoringState, id: number, view: StationView): Step<MonitoringState> | undefined {
    const m = state.monitors.find((x) => x.id === id);
    if (!m || !PERIODIC_TYPES.includes(m.type)) return undefined;
    const again = arm(m, view);
    if (view.variables.bool('MonitoringCtrlr', 'Enabled') === false || !active(m, view))
      return { state, effects: again };
    const found = lookup(model(), m.component, m.variable);
    if (!found.ok) return { state, effects: again };
    // N15: an open stream takes the value instead of a NotifyEvent (the level applies to both).
    if (view.query.streamFor?.(m.id) === true) {
      if (m.severity > state.level) return { state, effects: again };
      const value = found.at.writeOnly ? '' : (found.at.actual() ?? '');
      return {
        state,
        effects: [
          ...again,
          { type: 'dispatch', event: { type: 'monitoring.streamValue', monitorId: m.id, value, at: view.now() } },
        ],
      };
    }
    const step = notify(state, view, [
      { monitor: m, trigger: 'Periodic', actualValue: found.at.writeOnly ? '' : (found.at.actual() ?? '') },
    ]);
    return { state: step.state, effects: [...again, ...(step.effects ?? [])] };
  }

  /** An event the station raised: a hard-wired notification (no monitor). */
  function raised(state: MonitoringState, e: StationRaisedEvent, view: StationView): Step<MonitoringState> {
    return notify(state, view, [
      {
        component: cleanComponent(e.component),
        variable: cleanVariable(e.variable),
        severity: e.severity ?? 0,
        kind: 'HardWiredNotification',
        trigger: e.trigger ?? 'Alerting',
        actualValue: e.actualValue,
        ...(e.cleared ? { cleared: true } : {}),
        ...(e.techCode !== undefined ? { techCode: e.techCode } : {}),
        ...(e.techInfo !== undefined ? { techInfo: e.techInfo } : {}),
        ...(e.cause !== undefined ? { cause: e.cause } : {}),
      },
    ]);
  }
}

/** A triggered monitor or a raised event, before it becomes an eventData. */
type Pending = {
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
function showBase(base: MonitoringBaseEnumType): Effect[] {
  return (['MonitoringBase', 'ActiveMonitoringBase'] as const).map((variable) => ({
    type: 'setVariable',
    component: 'MonitoringCtrlr',
    variable,
    value: base,
  }));
}

function showLevel(level: number): Effect[] {
  return (['MonitoringLevel', 'ActiveMonitoringLevel'] as const).map((variable) => ({
    type: 'setVariable',
    component: 'MonitoringCtrlr',
    variable,
    value: String(level),
  }));
}

/** N11.FR.02/03: a monitor with stream parameters asks for its stream (2.1's streams use case opens it). */
function wantStream(m: Monitor): Effect[] {
  return m.stream
    ? [{ type: 'dispatch', event: { type: 'monitoring.streamWanted', monitorId: m.id, params: m.stream } }]
    : [];
}

function dropStream(monitorId: number): Effect {
  return { type: 'dispatch', event: { type: 'monitoring.streamDropped', monitorId } };
}

/** The stream parameters without customData. */
function plainParams(p: PeriodicEventStreamParamsType): PeriodicEventStreamParamsType {
  return {
    ...(p.interval !== undefined ? { interval: p.interval } : {}),
    ...(p.values !== undefined ? { values: p.values } : {}),
  };
}

function wellFormed(m: Monitor): boolean {
  return (
    typeof m === 'object' &&
    m !== null &&
    Number.isInteger(m.id) &&
    typeof m.component?.name === 'string' &&
    typeof m.variable?.name === 'string' &&
    typeof m.type === 'string' &&
    typeof m.value === 'number' &&
    Number.isInteger(m.severity)
  );
}

/** A monitor with `transaction` set watches only while a transaction runs on its EVSE (any EVSE for the station's). */
function active(m: Monitor, view: StationView): boolean {
  return !m.transaction || view.query.transactionOn?.(m.component.evse?.id ?? 0) === true;
}

/** The timer of a periodic monitor (N08.FR.06: from when it was set or last triggered; N08.FR.07: clock-aligned). */
function arm(m: Monitor, view: StationView): Effect[] {
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
function notify(state: MonitoringState, view: StationView, pending: readonly Pending[]): Step<MonitoringState> {
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
