// B05 Set Variables, B06 Get Variables, B07 Get Base Report, B08 Get Custom Report: the answers come from the device
// model (runtime/station/device-model); the NotifyReport parts follow the answer (B07.FR.03, B08.FR.03), sent even
// while the station is Pending (B02.FR.01/02). One report at a time: another request while parts of a report still
// wait to be sent is Rejected (B07.FR.13, B08.FR.16 "temporarily unable").
import { CallError } from '../../rpc/errors.js';
import type {
  DeviceModel,
  NotifyReportRequest,
  SetVariablesRequest,
  SetVariablesResponse,
} from '../device-model/index.js';
import { committedWrite } from '../device-model/model.js';
import { planSetVariables, type SetVariablesPlan } from '../device-model/set-variables.js';
import type { Effect, StationView, UseCase } from '../core/types.js';

/**
 * The device model is built for the negotiated version and speaks its schema (its types are 2.1's, the superset):
 * what it gives is the 2.0.1 shape on a 2.0.1 connection. The one place this block's payloads change type.
 */
const inModelVersion = <T>(payload: unknown): T => payload as T;

export interface ReportingState {
  /** NotifyReport parts of the report being sent, not yet answered. */
  outstanding: number;
}

/**
 * B07.FR.13, B08.FR.16: a report is in progress while more than its last part waits for the CSMS's answer. With only
 * the last part unanswered the report is as good as done: a CSMS that answers it and at once asks for the next
 * report (both frames may arrive together, the request handled before the answer) is served, and the new parts
 * go out behind the last one (the session sends one CALL at a time, in order).
 */
const busy = (state: ReportingState) => state.outstanding > 1;

/** `model`: the station's device model (blocks.ts reads it through `view.station`). */
export function deviceModelUseCase(model: (view: StationView) => DeviceModel): UseCase<ReportingState> {
  const unwrap = <R>(
    outcome: { ok: true; response: R } | { ok: false; callError: { code: string; description: string } },
  ): R => {
    if (!outcome.ok) throw new CallError(outcome.callError.code, outcome.callError.description);
    return outcome.response;
  };
  const sendParts = (parts: readonly NotifyReportRequest[]): Effect[] =>
    parts.map((payload) => ({
      type: 'send',
      action: 'NotifyReport',
      payload: inModelVersion(payload),
      tag: 'report.part',
      direct: true,
    }));

  return {
    name: 'device-model',
    init: () => ({ outstanding: 0 }),

    on(state, event) {
      if (event.type === 'reply' && event.tag === 'report.part')
        return { state: { outstanding: Math.max(0, state.outstanding - 1) } };
      // A lost connection ends the report: the parts not yet sent are not sent later (reports are not queued).
      if (event.type === 'disconnected' && state.outstanding > 0) return { state: { outstanding: 0 } };
      return undefined;
    },

    answers: {
      GetVariables: (state, request, view) => ({
        response: inModelVersion(unwrap(model(view).getVariables(request))),
      }),
      // B05: judged now; the accepted values are stored before the answer goes out, and put into effect (with
      // `variables.changed` for the use cases that read them) once it is out (on/after).
      SetVariables(_state, request, view) {
        const dm = model(view);
        const plan = setVariablesPlan(dm, request, view);
        if (plan.writes.length === 0) return { response: plan.response };
        return {
          response: plan.response,
          commit: dm.storeOps(plan.writes),
          persistOrAnswer: plan.ifStoreFails,
          after: [{ type: 'applyVariables', writes: plan.writes.map(committedWrite) }],
        };
      },
      GetBaseReport(state, request, view) {
        if (busy(state)) return { response: { status: 'Rejected', statusInfo: { reasonCode: 'OngoingReport' } } };
        const answer = model(view).getBaseReport(request);
        return {
          state: { outstanding: state.outstanding + answer.reports.length },
          response: inModelVersion(answer.response),
          after: sendParts(answer.reports),
        };
      },
      GetReport(state, request, view) {
        if (busy(state)) return { response: { status: 'Rejected', statusInfo: { reasonCode: 'OngoingReport' } } };
        const outcome = model(view).getReport(request);
        if (!outcome.ok) throw new CallError(outcome.callError.code, outcome.callError.description);
        return {
          state: { outstanding: state.outstanding + outcome.reports.length },
          response: inModelVersion(outcome.response),
          after: sendParts(outcome.reports),
        };
      },
    },
  };
}

/**
 * B05 with the use cases' say: an Actual value of a station-level variable another use case depends on is first
 * checked by it (`view.validateVariable`, e.g. B10.FR.02 for NetworkConfigurationPriority) and answered Rejected
 * with its reasonCode; the other items go to the device model, and the results keep the request's order.
 */
function setVariablesPlan(model: DeviceModel, request: SetVariablesRequest, view: StationView): SetVariablesPlan {
  type Item = SetVariablesRequest['setVariableData'][number];
  const vetoOf = (d: Item) =>
    (d.attributeType ?? 'Actual') === 'Actual' &&
    d.component?.evse === undefined &&
    d.component?.instance === undefined &&
    d.variable?.instance === undefined
      ? view.validateVariable(d.component.name, d.variable.name, d.attributeValue)
      : undefined;
  const vetoes = request.setVariableData.map(vetoOf);
  const unwrap = <R>(
    outcome: { ok: true; response: R } | { ok: false; callError: { code: string; description: string } },
  ): R => {
    if (!outcome.ok) throw new CallError(outcome.callError.code, outcome.callError.description);
    return outcome.response;
  };
  if (vetoes.every((v) => v === undefined)) return unwrap(planSetVariables(model, request));
  const rest = request.setVariableData.filter((_, i) => vetoes[i] === undefined);
  const judged = rest.length > 0 ? unwrap(planSetVariables(model, { ...request, setVariableData: rest })) : undefined;
  const inOrder = (results: SetVariablesResponse['setVariableResult']): SetVariablesResponse => {
    let next = 0;
    return {
      setVariableResult: request.setVariableData.map((d, i) =>
        vetoes[i] === undefined
          ? results[next++]!
          : {
              attributeType: d.attributeType ?? 'Actual',
              attributeStatus: 'Rejected' as const,
              attributeStatusInfo: { reasonCode: vetoes[i]! },
              component: d.component,
              variable: d.variable,
            },
      ),
    };
  };
  return {
    response: inOrder(judged?.response.setVariableResult ?? []),
    writes: judged?.writes ?? [],
    ifStoreFails: inOrder(judged?.ifStoreFails.setVariableResult ?? []),
  };
}
