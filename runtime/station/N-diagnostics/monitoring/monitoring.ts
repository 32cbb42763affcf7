// Block N, variable monitoring (N02–N08): the CSMS sets monitors on device-model variables (SetVariableMonitoring,
// ClearVariableMonitoring, SetMonitoringBase, SetMonitoringLevel), asks for them (GetMonitoringReport →
// NotifyMonitoringReport parts), and the station reports what they see with NotifyEvent: thresholds crossed in
// either direction, deltas, periodic values, and events the station raises itself (hard-wired notifications).
//
// Values reach the monitors through `variables.changed` — a SetVariables from the CSMS, the runtime's own writes
// (AvailabilityState), and the integrator's reports of measured values (`station.deviceModel.set(…)`) — and through
// the periodic timers. Monitors survive restarts (N07.FR.13): the state is persisted, hard-wired and preconfigured
// monitors come from the integrator's `monitoring` option at every start.
import type { EventTriggerEnumType } from '../../../../generated/v21/types.js';
import type { NotifyMonitoringReportRequest as NotifyMonitoringReportRequest201 } from '../../../../generated/v201/types.js';
import { CallError } from '../../../rpc/errors.js';
import { cleanComponent, cleanVariable, type ComponentId, type VariableId } from '../../device-model/address.js';
import type { DeviceModel } from '../../device-model/index.js';
import { requestLimitError, statusInfo } from '../../device-model/limits.js';
import { registrationOf } from '../../B-provisioning/boot.js';
import { byEventType, type StationView, type Step, type UseCase } from '../../core/types.js';
import { MONITORING_DEFAULTS } from './device-model.js';
import {
  active,
  arm,
  dropStream,
  inVersion,
  notify,
  showBase,
  showLevel,
  timerId,
  wantStream,
  type Pending,
} from './effects.js';
import {
  evaluate,
  lookup,
  PERIODIC_TYPES,
  sameAddress,
  type Monitor,
  type MonitoringState,
  type MonitorSpec,
} from './monitors.js';
import { monitoringReportParts, selectMonitors } from './report.js';
import { monitoringLimitError, setMonitoring } from './set-monitoring.js';

export type { MonitoringState } from './monitors.js';

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

/** `model`: the station's device model (blocks.ts reads it through `view.station`). */
export function monitoringUseCase(
  model: (view: StationView) => DeviceModel,
  options: MonitoringOptions = {},
): UseCase<MonitoringState> {
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
        const dm = model(view);
        const tooLarge = monitoringLimitError(dm, 'SetVariableMonitoring', request.setMonitoringData.length, request);
        if (tooLarge) throw new CallError(tooLarge.code, tooLarge.description);
        const { monitors, nextId, results, changed, unstreamed } = setMonitoring(state, request.setMonitoringData, dm);
        const next = { ...state, monitors, nextId };
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
      ClearVariableMonitoring(state, request, view) {
        const tooLarge = monitoringLimitError(model(view), 'ClearVariableMonitoring', request.id.length, request);
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
        const dm = model(view);
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

  /** N07: evaluates threshold and delta monitors against the values now; NotifyEvent for what triggered. */
  function check(state: MonitoringState, view: StationView, monitors: readonly Monitor[]): Step<MonitoringState> {
    if (view.variables.bool('MonitoringCtrlr', 'Enabled') === false) return { state };
    const dm = model(view);
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
    const found = lookup(model(view), m.component, m.variable);
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
