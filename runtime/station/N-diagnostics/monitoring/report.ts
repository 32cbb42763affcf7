// N02 Get Monitoring Report: which monitors a GetMonitoringReportRequest selects, and the NotifyMonitoringReport parts
// that carry them (N02.FR.03: one or more; the request's requestId in each, N02.FR.04; seqNo from 0, N02.FR.09),
// each within DeviceDataCtrlr ItemsPerMessage / BytesPerMessage [GetReport], as NotifyReport's parts are.
import type {
  GetMonitoringReportRequest,
  MonitoringDataType,
  NotifyMonitoringReportRequest,
} from '../../../../generated/v21/types.js';
import { cleanComponent, cleanVariable, componentKey, variableKey } from '../../device-model/address.js';
import type { ReportLimits } from '../../device-model/types.js';
import { PERIODIC_TYPES, THRESHOLD_TYPES, type Monitor } from './monitors.js';

type Criterion = NonNullable<GetMonitoringReportRequest['monitoringCriteria']>[number];
type Selector = NonNullable<GetMonitoringReportRequest['componentVariable']>[number];

/**
 * N02.FR.12–14. 2.1's target deltas report under DeltaMonitoring: N02.FR.23 names a TargetDeltaMonitoring criterion
 * that the 2.1 schema's MonitoringCriterionEnumType does not have.
 */
function meets(m: Monitor, criteria: readonly Criterion[] | undefined): boolean {
  if (!criteria || criteria.length === 0) return true;
  return criteria.some((c) =>
    c === 'ThresholdMonitoring'
      ? THRESHOLD_TYPES.includes(m.type)
      : c === 'PeriodicMonitoring'
        ? PERIODIC_TYPES.includes(m.type)
        : !THRESHOLD_TYPES.includes(m.type) && !PERIODIC_TYPES.includes(m.type),
  );
}

const same = (a: string | undefined, b: string | undefined) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/**
 * N02.FR.16–21: a selector names a component (every variable when it names none, N02.FR.16; every instance of the
 * variable when it gives no instance, N02.FR.17); a missing component instance or evse selects every one
 * (N02.FR.18–21), a missing connectorId every connector of the EVSE.
 */
function selects(s: Selector, m: Monitor): boolean {
  const c = s.component;
  if (!same(c.name, m.component.name)) return false;
  if (c.instance !== undefined && !same(c.instance, m.component.instance)) return false;
  if (c.evse !== undefined) {
    if (m.component.evse?.id !== c.evse.id) return false;
    if (c.evse.connectorId !== undefined && m.component.evse.connectorId !== c.evse.connectorId) return false;
  }
  if (!s.variable) return true;
  if (!same(s.variable.name, m.variable.name)) return false;
  return s.variable.instance === undefined || same(s.variable.instance, m.variable.instance);
}

/** N02.FR.05/06/08/11: the monitors the request selects, grouped per component and variable in the order kept. */
export function selectMonitors(
  monitors: readonly Monitor[],
  request: Pick<GetMonitoringReportRequest, 'monitoringCriteria' | 'componentVariable'>,
  withNotificationType: boolean,
): MonitoringDataType[] {
  const chosen = monitors.filter(
    (m) =>
      meets(m, request.monitoringCriteria) &&
      (!request.componentVariable?.length || request.componentVariable.some((s) => selects(s, m))),
  );
  const groups = new Map<string, MonitoringDataType>();
  for (const m of chosen) {
    const key = componentKey(m.component) + variableKey(m.variable);
    const group: MonitoringDataType = groups.get(key) ?? {
      component: cleanComponent(m.component),
      variable: cleanVariable(m.variable),
      variableMonitoring: [],
    };
    group.variableMonitoring.push({
      id: m.id,
      transaction: m.transaction,
      value: m.value,
      type: m.type,
      severity: m.severity,
      // 2.1 reports the kind of each monitor; 2.0.1 has no such field.
      ...(withNotificationType ? { eventNotificationType: m.kind } : {}),
    } as MonitoringDataType['variableMonitoring'][number]);
    groups.set(key, group);
  }
  return [...groups.values()];
}

const FRAME_OVERHEAD = Buffer.byteLength(JSON.stringify([2, 'x'.repeat(36), 'NotifyMonitoringReport', {}]), 'utf8');

/** The parts of one monitoring report; an entry too large on its own goes alone into its part. */
export function monitoringReportParts(
  data: readonly MonitoringDataType[],
  requestId: number,
  generatedAt: string,
  limits: ReportLimits,
): NotifyMonitoringReportRequest[] {
  const maxItems = Math.max(1, Math.floor(limits.maxItems));
  const maxBytes = Math.max(1, Math.floor(limits.maxBytes));
  const base = (seqNo: number) =>
    FRAME_OVERHEAD + Buffer.byteLength(JSON.stringify({ requestId, generatedAt, monitor: [], tbc: false, seqNo }));
  const groups: MonitoringDataType[][] = [];
  let current: MonitoringDataType[] = [];
  let bytes = base(0);
  for (const entry of data) {
    const size = Buffer.byteLength(JSON.stringify(entry), 'utf8') + 1;
    if (current.length > 0 && (current.length >= maxItems || bytes + size > maxBytes)) {
      groups.push(current);
      current = [];
      bytes = base(groups.length);
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0 || groups.length === 0) groups.push(current);
  return groups.map((monitor, seqNo) => ({
    requestId,
    generatedAt,
    ...(monitor.length > 0 ? { monitor } : {}),
    tbc: seqNo < groups.length - 1,
    seqNo,
  }));
}
