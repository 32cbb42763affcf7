// Monitors as block N keeps them, and the pure rules of N04 (which SetMonitoringData is accepted and how) and N07/N08
// (when a monitor triggers). The device model is read through `VariableAt`: where a monitored variable is and what
// it holds now.
import type {
  EventNotificationEnumType,
  MonitorEnumType,
  MonitoringBaseEnumType,
  PeriodicEventStreamParamsType,
} from '../../../../generated/v21/types.js';
import { cleanComponent, cleanVariable, componentKey, variableKey } from '../../device-model/address.js';
import type { ComponentId, VariableId } from '../../device-model/address.js';
import type { DeviceModel } from '../../device-model/index.js';
import type { VariableNode } from '../../device-model/nodes.js';

/** A monitor the integrator builds into the station: hard-wired (always on) or preconfigured (SetMonitoringBase). */
export interface MonitorSpec {
  component: ComponentId;
  variable: VariableId;
  type: MonitorEnumType;
  /** Threshold, delta or seconds, as SetMonitoringData.value. */
  value: number;
  /** 0 (Danger) … 9 (Debug). */
  severity: number;
  /** Only while a transaction runs (SetMonitoringData.transaction). */
  transaction?: boolean;
  /**
   * 2.1: report the values over a periodic event stream with these flush parameters (SetMonitoringData
   * .periodicEventStream, N11.FR.01–03), when the CSMS accepts one.
   */
  stream?: PeriodicEventStreamParamsType;
}

/** What kind of monitor it is: the eventNotificationType of its events. */
export type MonitorKind = Extract<
  EventNotificationEnumType,
  'HardWiredMonitor' | 'PreconfiguredMonitor' | 'CustomMonitor'
>;

export interface Monitor extends MonitorSpec {
  id: number;
  kind: MonitorKind;
  transaction: boolean;
  /** Threshold monitors: the value is beyond the threshold (an Alerting event went out; N07.FR.02 clears it). */
  tripped?: boolean;
  /** Delta monitors: the value when the monitor was set or last triggered (N07.FR.18/19). */
  reference?: string;
}

/** Block N monitoring's state (persisted whole: N07.FR.13). */
export interface MonitoringState {
  monitors: Monitor[];
  nextId: number;
  nextEventId: number;
  /** N05: NotifyEvents only for monitors of this severity or lower (more urgent). */
  level: number;
  base: MonitoringBaseEnumType;
}

/** 2.1 adds TargetDelta and TargetDeltaRelative: the Actual value against the Target attribute. */
export const THRESHOLD_TYPES: readonly MonitorEnumType[] = ['UpperThreshold', 'LowerThreshold'];
export const PERIODIC_TYPES: readonly MonitorEnumType[] = ['Periodic', 'PeriodicClockAligned'];
export const TARGET_TYPES: readonly MonitorEnumType[] = ['TargetDelta', 'TargetDeltaRelative'];

export const sameAddress = (a: { component: ComponentId; variable: VariableId }, b: typeof a) =>
  componentKey(a.component) === componentKey(b.component) && variableKey(a.variable) === variableKey(b.variable);

/** A variable of the model as the monitors see it. */
export interface VariableAt {
  node: VariableNode;
  numeric: boolean;
  /** N07.FR.10: a write-only value is never reported. */
  writeOnly: boolean;
  actual(): string | undefined;
  target(): string | undefined;
}

export type Lookup = { ok: true; at: VariableAt } | { ok: false; status: 'UnknownComponent' | 'UnknownVariable' };

/** N04.FR.03/04: the component, then the variable, exactly as addressed (names and instances case-insensitive). */
export function lookup(model: DeviceModel, component: ComponentId, variable: VariableId): Lookup {
  const c = model.findComponent(cleanComponent(component));
  if (!c) return { ok: false, status: 'UnknownComponent' };
  const node = c.variables.get(variableKey(cleanVariable(variable)));
  if (!node || !node.attributes.has('Actual')) return { ok: false, status: 'UnknownVariable' };
  const actual = node.attributes.get('Actual')!;
  const target = node.attributes.get('Target');
  return {
    ok: true,
    at: {
      node,
      numeric: node.characteristics.dataType === 'integer' || node.characteristics.dataType === 'decimal',
      writeOnly: actual.mutability === 'WriteOnly',
      actual: () => model.current(actual),
      target: () => (target ? model.current(target) : undefined),
    },
  };
}

const num = (s: string | undefined): number | undefined => {
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};

/** Why a SetMonitoringData is refused for this variable, with the status N04 names; undefined: acceptable. */
export function refusal(
  data: { type: MonitorEnumType; value: number; severity: number },
  at: VariableAt,
): { status: 'UnsupportedMonitorType' | 'Rejected'; reasonCode: string; additionalInfo: string } | undefined {
  const ch = at.node.characteristics;
  if (!ch.supportsMonitoring)
    return {
      status: 'Rejected',
      reasonCode: 'UnsupportedParam',
      additionalInfo: 'variable does not support monitoring',
    };
  if (!Number.isInteger(data.severity) || data.severity < 0 || data.severity > 9)
    return { status: 'Rejected', reasonCode: 'ValueOutOfRange', additionalInfo: 'severity must be 0..9' };
  // N04.FR.05: a threshold (or a target delta) compares numbers; a string or a boolean has none.
  if ((THRESHOLD_TYPES.includes(data.type) || TARGET_TYPES.includes(data.type)) && !at.numeric)
    return {
      status: 'UnsupportedMonitorType',
      reasonCode: 'UnsupportedParam',
      additionalInfo: 'not a numeric variable',
    };
  if (TARGET_TYPES.includes(data.type) && !at.node.attributes.has('Target'))
    return {
      status: 'UnsupportedMonitorType',
      reasonCode: 'UnsupportedParam',
      additionalInfo: 'variable has no Target',
    };
  // N04.FR.06: a threshold beyond the variable's range can never be crossed.
  if (THRESHOLD_TYPES.includes(data.type)) {
    if (
      (ch.minLimit !== undefined && data.value < ch.minLimit) ||
      (ch.maxLimit !== undefined && data.value > ch.maxLimit)
    )
      return {
        status: 'Rejected',
        reasonCode: 'ValueOutOfRange',
        additionalInfo: 'threshold outside the variable range',
      };
  }
  // N04.FR.14: a delta is a distance; periodic intervals are seconds (a zero interval would fire without end).
  if ((data.type === 'Delta' || TARGET_TYPES.includes(data.type)) && data.value < 0)
    return { status: 'Rejected', reasonCode: 'ValueOutOfRange', additionalInfo: 'negative delta' };
  if (PERIODIC_TYPES.includes(data.type) && !(data.value >= 1))
    return { status: 'Rejected', reasonCode: 'ValueOutOfRange', additionalInfo: 'interval below 1 s' };
  return undefined;
}

/** What a monitor's evaluation found: an event to report (or none) and the monitor's new state. */
export interface Triggered {
  monitor: Monitor;
  event?: { trigger: 'Alerting' | 'Delta'; cleared?: boolean; actualValue: string | undefined };
}

/**
 * N07: evaluates a threshold, delta or target monitor against the variable's value now. Thresholds trigger when the
 * value goes beyond (not onto) the threshold and clear when it returns (N07.FR.02/16/17); a numeric delta triggers
 * when the value moved more than `value` from the reference, any other when it changed at all (N07.FR.18/19).
 */
export function evaluate(monitor: Monitor, at: VariableAt): Triggered {
  const raw = at.actual();
  const n = num(raw);
  switch (monitor.type) {
    case 'UpperThreshold':
    case 'LowerThreshold': {
      if (n === undefined) return { monitor };
      const beyond = monitor.type === 'UpperThreshold' ? n > monitor.value : n < monitor.value;
      if (beyond === (monitor.tripped ?? false)) return { monitor };
      return {
        monitor: { ...monitor, tripped: beyond },
        event: { trigger: 'Alerting', ...(beyond ? {} : { cleared: true }), actualValue: raw },
      };
    }
    case 'Delta': {
      if (raw === undefined) return { monitor };
      if (monitor.reference === undefined) return { monitor: { ...monitor, reference: raw } };
      const ref = num(monitor.reference);
      const moved =
        at.numeric && n !== undefined && ref !== undefined
          ? Math.abs(n - ref) > monitor.value
          : raw !== monitor.reference;
      return moved
        ? { monitor: { ...monitor, reference: raw }, event: { trigger: 'Delta', actualValue: raw } }
        : { monitor };
    }
    case 'TargetDelta':
    case 'TargetDeltaRelative': {
      // 2.1 N07.FR.22/23: the Actual value strays from the Target by more than `value` (absolute, or as a fraction
      // of Target): Alerting, and cleared once back within (N07.FR.02).
      const target = num(at.target());
      if (n === undefined || target === undefined) return { monitor };
      const allowed = monitor.type === 'TargetDelta' ? monitor.value : Math.abs(target) * monitor.value;
      const beyond = Math.abs(n - target) > allowed;
      if (beyond === (monitor.tripped ?? false)) return { monitor };
      return {
        monitor: { ...monitor, tripped: beyond },
        event: { trigger: 'Alerting', ...(beyond ? {} : { cleared: true }), actualValue: raw },
      };
    }
    default:
      return { monitor };
  }
}

/** N08.FR.06/07: when a periodic monitor is next due after `now`. */
export function nextPeriodic(monitor: Monitor, now: number): number {
  const ms = monitor.value * 1000;
  if (monitor.type === 'Periodic') return now + ms;
  // Clock-aligned: counted from midnight (UTC), so that 900 gives :00, :15, :30 and :45.
  const day = new Date(now);
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  return midnight + (Math.floor((now - midnight) / ms) + 1) * ms;
}
