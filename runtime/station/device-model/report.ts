// B07 Get Base Report and B08 Get Custom Report: which component-variables a report contains, as ReportData,
// split into NotifyReportRequest parts by report-parts.ts. The parts are built when the request is answered — a
// snapshot at generatedAt — and the station's shell sends them after the response.
import { ComponentCriterionEnumType } from '../../../generated/v21/enums.js';
import { cleanComponent, cleanVariable, variableKey, type ComponentId, type VariableId } from './address.js';
import { requestLimitError, statusInfo, truncate } from './limits.js';
import { type AttributeNode, type ComponentNode, type VariableNode } from './nodes.js';
import type { DeviceModel } from './model.js';
import { reportParts } from './report-parts.js';
import { wireDataType } from './values.js';
import type {
  GetBaseReportRequest,
  GetBaseReportResponse,
  GetReportRequest,
  GetReportResponse,
  ReportAnswer,
  ReportDataType,
  ReportLimits,
  ReportOutcome,
  VariableAttributeType,
  VariableCharacteristicsType,
} from './types.js';

type ComponentVariable = NonNullable<GetReportRequest['componentVariable']>[number];

function characteristics(model: DeviceModel, v: VariableNode): VariableCharacteristicsType {
  const ch = v.characteristics;
  // Fields in the schema's order; maxElements exists in 2.1's VariableCharacteristicsType only.
  return {
    ...(ch.unit !== undefined ? { unit: ch.unit } : {}),
    dataType: wireDataType(ch.dataType),
    ...(ch.minLimit !== undefined ? { minLimit: ch.minLimit } : {}),
    ...(ch.maxLimit !== undefined ? { maxLimit: ch.maxLimit } : {}),
    ...(ch.maxElements !== undefined && model.version === 'ocpp2.1' ? { maxElements: ch.maxElements } : {}),
    ...(ch.valuesList !== undefined ? { valuesList: ch.valuesList.join(',') } : {}),
    supportsMonitoring: ch.supportsMonitoring,
  };
}

function attribute(model: DeviceModel, a: AttributeNode, valueLimit: number): VariableAttributeType {
  const out: VariableAttributeType = { type: a.type };
  // B07.FR.03/B08.FR.03 (errata 2025-09; 2.1 B07.FR.15): no value of a WriteOnly attribute. Every other
  // attribute has a value — '' when unset (B07.FR.11 reports unset attributes; VariableAttributeType.value may
  // only be omitted for WriteOnly).
  if (a.mutability !== 'WriteOnly') out.value = truncate(model.current(a) ?? '', valueLimit);
  out.mutability = a.mutability;
  out.persistent = a.persistent;
  out.constant = a.constant;
  return out;
}

function reportData(
  model: DeviceModel,
  v: VariableNode,
  attributes: readonly AttributeNode[],
  valueLimit: number,
): ReportDataType {
  return {
    component: cleanComponent(v.component.id),
    variable: cleanVariable(v.id),
    variableAttribute: attributes.map((a) => attribute(model, a, valueLimit)),
    variableCharacteristics: characteristics(model, v), // B08.FR.12; B07.FR.07/08 "including their VariableCharacteristics"
  };
}

const actual = (model: DeviceModel, c: ComponentNode, name: string) => {
  const a = c.variables.get(variableKey({ name }))?.attributes.get('Actual');
  return a ? model.current(a) : undefined;
};

/** B07.FR.09: availability of station, EVSEs and connectors (a connector's only if it differs from its EVSE's), and active problem variables. */
function summary(model: DeviceModel, valueLimit: number): ReportDataType[] {
  const out: ReportDataType[] = [];
  const nodes = model.componentNodes();
  const evseState = new Map<number, string | undefined>();
  for (const c of nodes)
    if (c.id.name === 'EVSE' && c.id.evse && c.id.evse.connectorId === undefined && !c.id.instance)
      evseState.set(c.id.evse.id, actual(model, c, 'AvailabilityState'));
  for (const c of nodes) {
    const tier =
      !c.id.instance &&
      (c.id.name === 'ChargingStation'
        ? !c.id.evse
        : c.id.name === 'EVSE'
          ? c.id.evse?.connectorId === undefined
          : c.id.name === 'Connector');
    const state = c.variables.get(variableKey({ name: 'AvailabilityState' }));
    if (tier && state) {
      const s = actual(model, c, 'AvailabilityState');
      const differs = c.id.name !== 'Connector' || (s !== undefined && s !== evseState.get(c.id.evse!.id));
      if (differs)
        out.push(
          reportData(
            model,
            state,
            [...state.attributes.values()].filter((a) => a.type === 'Actual'),
            valueLimit,
          ),
        );
    }
    for (const name of ['Problem', 'Tripped', 'Overload', 'Fallback']) {
      const v = c.variables.get(variableKey({ name }));
      const a = v?.attributes.get('Actual');
      if (v && a && model.current(a) === 'true') out.push(reportData(model, v, [a], valueLimit));
    }
  }
  return out;
}

/** B07: Accepted with the report, or NotSupported for a base the station does not offer (B07.FR.02, B07.FR.05). */
export function getBaseReport(
  model: DeviceModel,
  request: GetBaseReportRequest,
  limits: ReportLimits,
): ReportAnswer<GetBaseReportResponse> {
  const base = request?.reportBase;
  const supported =
    base === 'ConfigurationInventory' ||
    base === 'FullInventory' ||
    (base === 'SummaryInventory' && model.summaryInventory);
  if (!supported)
    return {
      ok: true,
      response: {
        status: 'NotSupported',
        statusInfo: statusInfo('UnsupportedParam', `reportBase ${String(base)} is not supported`),
      },
      reports: [],
    };
  const valueLimit = model.reportValueLimit();
  let data: ReportDataType[] = [];
  if (base === 'SummaryInventory') data = summary(model, valueLimit);
  else {
    for (const c of model.componentNodes()) {
      for (const v of c.variables.values()) {
        const all = [...v.attributes.values()];
        // B07.FR.07: what the operator can set — the writable attributes only. B07.FR.08/11: everything.
        const attributes = base === 'ConfigurationInventory' ? all.filter((a) => a.mutability !== 'ReadOnly') : all;
        if (attributes.length) data.push(reportData(model, v, attributes, valueLimit));
      }
    }
  }
  // B07.FR.01, B07.FR.03, B07.FR.04, B07.FR.10
  return {
    ok: true,
    response: { status: 'Accepted' },
    reports: reportParts(data, request.requestId, model.clock().toISOString(), limits),
  };
}

const CRITERIA: ReadonlySet<string> = new Set(ComponentCriterionEnumType);

/**
 * B08.FR.07–10, B08.FR.13: a component matches when any criterion holds. Active/Available/Enabled hold when the
 * component's variable of that name is true or absent; Problem only when it is true.
 */
function matchesCriteria(model: DeviceModel, c: ComponentNode, criteria: readonly string[]): boolean {
  return criteria.some((criterion) => {
    const has = c.variables.has(variableKey({ name: criterion }));
    const value = actual(model, c, criterion);
    return value === 'true' || (criterion !== 'Problem' && !has);
  });
}

const same = (a: string | undefined, b: string | undefined) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/**
 * B08.FR.20–25: a componentVariable entry selects by component name; an absent evse matches every tier (FR.23),
 * an evse without connectorId every connector of that EVSE and the EVSE itself (FR.22), an absent component
 * instance every instance (FR.25), a given one that instance (FR.24); an absent variable every variable (FR.20),
 * a variable without instance every instance of it (FR.21).
 */
function matchesComponentVariable(cv: ComponentVariable, c: ComponentId, v: VariableId): boolean {
  const want = cv.component;
  if (!same(want.name, c.name)) return false;
  if (want.evse) {
    if (c.evse?.id !== want.evse.id) return false;
    if (want.evse.connectorId !== undefined && c.evse.connectorId !== want.evse.connectorId) return false;
  }
  if (want.instance && !same(want.instance, c.instance)) return false;
  if (cv.variable) {
    if (!same(cv.variable.name, v.name)) return false;
    if (cv.variable.instance && !same(cv.variable.instance, v.instance)) return false;
  }
  return true;
}

/** B08: Accepted with the report, EmptyResultSet (B08.FR.15), NotSupported for an unknown criterion (B08.FR.02), or a CALLERROR (B08.FR.17/18). */
export function getReport(
  model: DeviceModel,
  request: GetReportRequest,
  limits: ReportLimits,
): ReportOutcome<GetReportResponse> {
  const criteria = request?.componentCriteria ?? [];
  const cvs = request?.componentVariable ?? [];
  if (!Array.isArray(criteria) || !Array.isArray(cvs))
    return {
      ok: false,
      callError: { code: 'FormatViolation', description: 'componentCriteria and componentVariable must be arrays' },
    };
  const unknown = criteria.find((c) => !CRITERIA.has(c));
  if (unknown !== undefined)
    return {
      ok: true,
      response: {
        status: 'NotSupported',
        statusInfo: statusInfo('UnsupportedParam', `componentCriteria ${String(unknown)} is not supported`),
      },
      reports: [],
    };
  const tooLarge = requestLimitError(model, 'GetReport', cvs.length, request);
  if (tooLarge) return { ok: false, callError: tooLarge };
  const valueLimit = model.reportValueLimit();
  const data: ReportDataType[] = [];
  for (const c of model.componentNodes()) {
    // B08.FR.05: criteria and componentVariable both restrict; B08.FR.11: componentVariable alone.
    if (criteria.length && !matchesCriteria(model, c, criteria)) continue;
    for (const v of c.variables.values()) {
      if (
        cvs.length &&
        !cvs.some((cv) => typeof cv?.component?.name === 'string' && matchesComponentVariable(cv, c.id, v.id))
      )
        continue;
      data.push(reportData(model, v, [...v.attributes.values()], valueLimit));
    }
  }
  if (data.length === 0)
    return { ok: true, response: { status: 'EmptyResultSet', statusInfo: statusInfo('NotFound') }, reports: [] };
  // B08.FR.01, B08.FR.03, B08.FR.04, B08.FR.14
  return {
    ok: true,
    response: { status: 'Accepted' },
    reports: reportParts(data, request.requestId, model.clock().toISOString(), limits),
  };
}
