// N04 Set Variable Monitoring as a pure function: each SetMonitoringData judged against the monitors as the elements
// before it left them (a duplicate within one request is a Duplicate too), with the status N04 names.
import type {
  PeriodicEventStreamParamsType,
  SetMonitoringDataType,
  SetMonitoringResultType,
} from '../../../../generated/v21/types.js';
import type { SetMonitoringDataType as SetMonitoringDataType201 } from '../../../../generated/v201/types.js';
import { jsonByteLength } from '../../../rpc/json-bytes.js';
import { cleanComponent, cleanVariable } from '../../device-model/address.js';
import type { DeviceModel } from '../../device-model/index.js';
import { statusInfo } from '../../device-model/limits.js';
import { lookup, refusal, sameAddress, type Monitor } from './monitors.js';

export interface SetMonitoringOutcome {
  monitors: Monitor[];
  nextId: number;
  /** One per element, in order (N04.FR.01/02). */
  results: SetMonitoringResultType[];
  /** The monitors set or replaced. */
  changed: Monitor[];
  /** Monitors replaced without the periodic event stream they had (N13.FR.06). */
  unstreamed: number[];
}

export function setMonitoring(
  current: { monitors: Monitor[]; nextId: number },
  data: ReadonlyArray<SetMonitoringDataType | SetMonitoringDataType201>,
  dm: DeviceModel,
): SetMonitoringOutcome {
  let next = current;
  const changed: Monitor[] = [];
  const unstreamed: number[] = [];
  const results = data.map((d): SetMonitoringResultType => {
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
  return { monitors: next.monitors, nextId: next.nextId, results, changed, unstreamed };
}

/** The stream parameters without customData. */
function plainParams(p: PeriodicEventStreamParamsType): PeriodicEventStreamParamsType {
  return {
    ...(p.interval !== undefined ? { interval: p.interval } : {}),
    ...(p.values !== undefined ? { values: p.values } : {}),
  };
}

/**
 * N04.FR.09, N06.FR.06/07: MonitoringCtrlr's ItemsPerMessage / BytesPerMessage of SetVariableMonitoring and
 * ClearVariableMonitoring; beyond them the request gets a CALLERROR.
 */
export function monitoringLimitError(
  dm: DeviceModel,
  instance: 'SetVariableMonitoring' | 'ClearVariableMonitoring',
  items: number,
  payload: unknown,
): { code: string; description: string } | undefined {
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
