// K15–K17: smart charging with an ISO 15118 EV, as far as it concerns OCPP. ocppkit has no 15118 stack; the
// integrator's stack reports what the EV says (`ChargingStation.evChargingNeeds`, `evChargingSchedule`) and gets
// the schedules to offer the EV through the hardware operation `offerEvChargingSchedules`. Block K sends
// NotifyEVChargingNeeds / NotifyEVChargingSchedule, hands the CSMS's answer and TxProfiles to the stack, and, where
// the CSMS gives no schedule (offline, Rejected), offers the station's own composite schedule instead.
//
// 2.1 K18–K20, an ISO 15118-20 EV: the needs name the control mode. ScheduledControl goes as K15–K17, the EV's power
// profile checked against the CSMS schedule it selected (K18.FR.09); DynamicControl reports the CSMS's schedule as
// the EV's (K19.FR.10) and hands later CSMS schedules to the stack for its charge loop, without renegotiating
// (K20.FR.04). A new departure time or target energy of the EV always goes to the CSMS (K20.FR.01).
import type { ReasonEnumType as ReasonEnumType21 } from '../../../generated/v21/enums.js';
import type * as v201 from '../../../generated/v201/types.js';
import type { ReasonEnumType } from '../../../generated/v201/types.js';
import type * as v21 from '../../../generated/v21/types.js';
import type { Effect, StationView, Step } from '../core/types.js';
import { composite, iso, transactionOf, versionOf, type Installed, type KnownTransaction } from './profiles.js';
import { limits, type SmartChargingState } from './state.js';

/** What the EV's 15118 stack reported: 2.0.1's ChargingNeedsType, or 2.1's (V2X, DER, control mode …). */
export type EvChargingNeeds = v201.ChargingNeedsType | v21.ChargingNeedsType;
/** A charging schedule as the EV chose or computed it (2.0.1's ChargingScheduleType, or 2.1's). */
export type EvChargingSchedule = v201.ChargingScheduleType | v21.ChargingScheduleType;

/** Why the stack is given schedules to offer the EV. */
export type OfferReason =
  /** K15.FR.07, K17.FR.07: the TxProfile the CSMS set for the EV's needs (at most three schedules). */
  | 'csms'
  /** K16.FR.01–.03: the CSMS changed the schedule during the session: renegotiate with the EV. */
  | 'renegotiation'
  /**
   * 2.1 K20.FR.04: the CSMS changed the schedule of an ISO 15118-20 DynamicControl session. No renegotiation: the
   * stack steers the EV in its charge loop (AC/DC_ChargeLoopRes) to the limit or setpoint in force, which
   * `setChargingLimit` gives; the schedules are for its information.
   */
  | 'dynamic'
  /**
   * K15.FR.15, K17.FR.15: the CSMS gives no schedule (offline, or it answered Rejected / NoChargingProfile): the
   * station's own composite schedule (TxDefaultProfile and the other limits in force).
   */
  | 'local';

/** The 15118 session on an EVSE, as block K follows it. */
export interface EvSession {
  transactionId?: string;
  /** maxScheduleTuples the EV accepts (K15.FR.07): schedules offered are cut to that many periods. */
  maxScheduleTuples?: number;
  /**
   * The EV has been offered schedules since it last stated its needs (a later change is a renegotiation, K16). Needs
   * the EV sends again (K17.FR.01) clear it: the CSMS's next TxProfile answers them (K17.FR.07, TC_K_57_CS).
   */
  offered?: boolean;
  /** The CSMS renegotiates (K16): the EV's next charging needs are not sent on (K16.FR.09). */
  renegotiating?: boolean;
  /** 2.1 K18/K19: the ISO 15118-20 control mode the EV's needs named (absent: an ISO 15118-2 session). */
  controlMode?: ControlMode;
  /** 2.1 K20.FR.01: the departure time and target energy of the needs last sent. */
  goal?: EvGoal;
}

/** 2.1 K18/K19: how an ISO 15118-20 EV is steered: by a schedule it chose (Scheduled) or by the station (Dynamic). */
export type ControlMode = NonNullable<v21.ChargingNeedsType['controlMode']>;
const CONTROL_MODES: readonly ControlMode[] = ['ScheduledControl', 'DynamicControl'];

/** 2.1 K20.FR.01: what the EV wants by when: its departure time and its target energy (Wh). */
export interface EvGoal {
  departureTime?: string;
  evTargetEnergyRequest?: number;
}

const controlModeOf = (needs: EvChargingNeeds): ControlMode | undefined =>
  'controlMode' in needs ? needs.controlMode : undefined;

function goalOf(needs: EvChargingNeeds): EvGoal {
  const target = 'v2xChargingParameters' in needs ? needs.v2xChargingParameters?.evTargetEnergyRequest : undefined;
  return {
    ...(needs.departureTime !== undefined ? { departureTime: needs.departureTime } : {}),
    ...(target !== undefined ? { evTargetEnergyRequest: target } : {}),
  };
}

/** 2.1 K20.FR.01: the EV gives another departure time or target energy than the needs last sent. */
const goalChanged = (before: EvGoal | undefined, after: EvGoal) =>
  before !== undefined &&
  (before.departureTime !== after.departureTime || before.evTargetEnergyRequest !== after.evTargetEnergyRequest);

/** Periods per schedule the EV is offered where it gives no maxScheduleTuples (ISO 15118-2's usual maximum). */
const DEFAULT_TUPLES = 24;
/** How far ahead a local schedule reaches when the EV gives no departure time. */
const LOCAL_HORIZON_S = 86_400;

/** What is wrong with charging needs the integrator reports, or undefined (K15.FR.06, 2.1 K17.FR.06). */
export function needsProblem(needs: EvChargingNeeds): string | undefined {
  if (!needs || typeof needs !== 'object') return 'chargingNeeds must be a ChargingNeedsType';
  if (typeof needs.requestedEnergyTransfer !== 'string') return 'chargingNeeds.requestedEnergyTransfer is required';
  const v2x = 'v2xChargingParameters' in needs && needs.v2xChargingParameters !== undefined;
  const parameters = [needs.acChargingParameters, needs.dcChargingParameters].filter((p) => p !== undefined).length;
  if (parameters > 1) return 'chargingNeeds carries either acChargingParameters or dcChargingParameters, not both';
  if (parameters === 0 && !v2x)
    return 'chargingNeeds must carry acChargingParameters, dcChargingParameters or (2.1) v2xChargingParameters (K15.FR.06)';
  // 2.1 K18.FR.06, K19.FR.06: an ISO 15118-20 session (one with a controlMode) gives V2X parameters, not AC/DC ones.
  const mode = controlModeOf(needs);
  if (mode !== undefined && !CONTROL_MODES.includes(mode))
    return `chargingNeeds.controlMode must be ${CONTROL_MODES.join(' or ')}`;
  if (mode !== undefined && (!v2x || parameters > 0))
    return 'chargingNeeds with a controlMode (ISO 15118-20) carries v2xChargingParameters instead of acChargingParameters or dcChargingParameters (K18.FR.06, K19.FR.06)';
  return 'derChargingParameters' in needs ? derProblem(needs) : undefined;
}

/** 2.1 R02.FR.01, R03.FR.01: the energy transfer modes of an ISO 15118-20 session with the DER service. */
const DER_TRANSFER: readonly v21.EnergyTransferModeEnumType[] = ['AC_BPT_DER', 'AC_DER'];

/**
 * 2.1 R02.FR.01, R03.FR.01: the DER capabilities (nameplate) of the EV's inverter go to the CSMS in
 * derChargingParameters, as the stack gives them. The type says they belong to an AC_BPT_DER / AC_DER session and
 * that every value is zero or more.
 */
function derProblem(needs: v21.ChargingNeedsType): string | undefined {
  const der = needs.derChargingParameters;
  if (der === undefined) return undefined;
  if (!der || typeof der !== 'object') return 'chargingNeeds.derChargingParameters must be a DERChargingParametersType';
  if (!DER_TRANSFER.includes(needs.requestedEnergyTransfer))
    return `chargingNeeds.derChargingParameters belongs to a session with requestedEnergyTransfer ${DER_TRANSFER.join(' or ')}`;
  for (const [field, value] of Object.entries(der))
    if (typeof value === 'number' && !(Number.isFinite(value) && value >= 0))
      return `chargingNeeds.derChargingParameters.${field} must be a number of zero or more`;
  return undefined;
}

/** What is wrong with an EV charging schedule the integrator reports, or undefined. */
export function scheduleProblem(s: EvChargingSchedule): string | undefined {
  if (!s || typeof s !== 'object') return 'chargingSchedule must be a ChargingScheduleType';
  if (!Number.isInteger(s.id)) return 'chargingSchedule.id must be an integer';
  if (s.chargingRateUnit !== 'A' && s.chargingRateUnit !== 'W')
    return 'chargingSchedule.chargingRateUnit must be A or W';
  const periods = s.chargingSchedulePeriod;
  if (!Array.isArray(periods) || periods.length === 0)
    return 'chargingSchedule.chargingSchedulePeriod must not be empty';
  for (const [i, p] of periods.entries()) {
    if (!Number.isInteger(p.startPeriod) || (i > 0 && p.startPeriod <= periods[i - 1]!.startPeriod))
      return 'startPeriod values must be whole seconds in increasing order';
    if (p.limit !== undefined && !Number.isFinite(p.limit))
      return `chargingSchedulePeriod[${i}].limit must be a number`;
  }
  return undefined;
}

/** The schedules of the CSMS's TxProfile for the EV's transaction, if it set one (K15.FR.07: at most three). */
export function csmsSchedules(
  profiles: readonly Installed[],
  evseId: number,
  transactionId: string | undefined,
): EvChargingSchedule[] | undefined {
  return csmsTxProfile(profiles, evseId, transactionId)?.chargingProfile.chargingSchedule;
}

/** The CSMS's TxProfile for the EV's transaction (the highest stack level), if it set one. */
function csmsTxProfile(
  profiles: readonly Installed[],
  evseId: number,
  transactionId: string | undefined,
): Installed | undefined {
  return profiles
    .filter(
      (p) =>
        p.evseId === evseId &&
        p.chargingProfile.chargingProfilePurpose === 'TxProfile' &&
        (p.chargingProfile.transactionId === undefined || p.chargingProfile.transactionId === transactionId),
    )
    .sort((a, b) => b.chargingProfile.stackLevel - a.chargingProfile.stackLevel)[0];
}

/**
 * 2.1 K18.FR.09: the profiles with the schedule the EV selected (by id) first in the CSMS's TxProfile, so that the
 * composite schedule is that of the selected schedule (the first is the one in force, K01.FR.34).
 */
function withSelected(profiles: readonly Installed[], tx: Installed | undefined, id: number | undefined) {
  const schedules = tx?.chargingProfile.chargingSchedule ?? [];
  const chosen = schedules.find((s) => s.id === id);
  if (!tx || !chosen || chosen === schedules[0]) return profiles;
  const chargingSchedule = [chosen, ...schedules.filter((s) => s !== chosen)];
  return profiles.map((p) => (p === tx ? { ...p, chargingProfile: { ...p.chargingProfile, chargingSchedule } } : p));
}

/**
 * K15.FR.15, K17.FR.15: a schedule within the station's composite schedule, from now to the EV's departure (or a
 * day), in at most maxScheduleTuples periods: what the EV is offered when the CSMS gives none.
 */
export function localSchedule(
  view: StationView,
  known: Readonly<Record<number, KnownTransaction>>,
  profiles: readonly Installed[],
  evseId: number,
  session: EvSession,
  departureTime: string | undefined,
): EvChargingSchedule | undefined {
  const now = view.now();
  const departure = departureTime ? Math.floor((Date.parse(departureTime) - now) / 1000) : NaN;
  const duration = departure > 0 ? departure : LOCAL_HORIZON_S;
  const r = composite(view, known, profiles, { evseId, duration });
  if (r.status !== 'Accepted' || !r.schedule) return undefined;
  const tuples = Math.max(1, session.maxScheduleTuples ?? DEFAULT_TUPLES);
  const periods = r.schedule.chargingSchedulePeriod.slice(0, tuples);
  // Cut where the periods left out would have begun: the EV gets no period the station did not compute.
  const next = r.schedule.chargingSchedulePeriod[tuples];
  return {
    id: 1,
    startSchedule: r.schedule.scheduleStart,
    duration: next ? next.startPeriod : r.schedule.duration,
    chargingRateUnit: r.schedule.chargingRateUnit,
    chargingSchedulePeriod: periods.map((p) => ({
      startPeriod: p.startPeriod,
      limit: p.limit ?? 0,
      ...(p.numberPhases !== undefined ? { numberPhases: p.numberPhases } : {}),
      ...(p.phaseToUse !== undefined ? { phaseToUse: p.phaseToUse } : {}),
    })),
  };
}

/**
 * K15.FR.09, K16.FR.04, K17.FR.09: whether the EV's schedule stays within the station's composite schedule (the
 * CSMS's TxProfile merged with every other limit in force) at every period start of either. Values in the EV's unit.
 */
export function withinComposite(
  view: StationView,
  known: Readonly<Record<number, KnownTransaction>>,
  profiles: readonly Installed[],
  evseId: number,
  ev: EvChargingSchedule,
  timeBase: string,
): boolean {
  const now = view.now();
  const base = Date.parse(ev.startSchedule ?? timeBase);
  const end = ev.duration !== undefined ? base + ev.duration * 1000 : Infinity;
  const last = ev.chargingSchedulePeriod.at(-1)!.startPeriod;
  const horizon = Math.max(60, Math.ceil((Math.min(end, base + (last + LOCAL_HORIZON_S) * 1000) - now) / 1000));
  const r = composite(view, known, profiles, { evseId, duration: horizon, chargingRateUnit: ev.chargingRateUnit });
  if (r.status !== 'Accepted' || !r.schedule) return false;
  const start = Date.parse(r.schedule.scheduleStart);
  const allowedAt = (t: number) => {
    let limit: number | undefined;
    for (const p of r.schedule!.chargingSchedulePeriod) if (start + p.startPeriod * 1000 <= t) limit = p.limit;
    return limit ?? Infinity;
  };
  const evAt = (t: number) => {
    let limit: number | undefined;
    for (const p of ev.chargingSchedulePeriod) if (base + p.startPeriod * 1000 <= t) limit = p.limit;
    return limit;
  };
  const moments = [
    ...ev.chargingSchedulePeriod.map((p) => base + p.startPeriod * 1000),
    ...r.schedule.chargingSchedulePeriod.map((p) => start + p.startPeriod * 1000),
  ].filter((t) => t >= Math.max(now, base) - 1000 && t < end);
  // Rounded to one decimal as the composite is (K08.FR.04): no EV is refused for the rounding.
  return moments.every((t) => {
    const wanted = evAt(Math.max(t, now));
    return wanted === undefined || wanted <= allowedAt(Math.max(t, now)) + 0.1;
  });
}

export const NEEDS_TAG = 'k15.needs:';

/**
 * K15.FR.01, K17.FR.01: the EV's charging needs go to the CSMS, unless the CSMS is renegotiating (K16.FR.09: it has
 * just sent the schedule for them): then the EV is offered the schedules in force again.
 */
export function evNeeds(
  state: SmartChargingState,
  e: { evseId: number; chargingNeeds: EvChargingNeeds; maxScheduleTuples?: number },
  view: StationView,
): Step<SmartChargingState> {
  const tx = transactionOf(view, state.transactions, e.evseId);
  const before = state.ev[e.evseId];
  const sameSession = before !== undefined && before.transactionId === tx?.transactionId;
  const mode = controlModeOf(e.chargingNeeds);
  const goal = goalOf(e.chargingNeeds);
  const { controlMode: _mode, ...kept } = sameSession ? before : {};
  const session: EvSession = {
    ...kept,
    ...(tx ? { transactionId: tx.transactionId } : {}),
    ...(e.maxScheduleTuples !== undefined ? { maxScheduleTuples: e.maxScheduleTuples } : {}),
    // 2.1 K18.FR.01, K19.FR.01: the control mode goes to the CSMS with the needs, and decides K19.FR.10, K20.FR.04.
    ...(mode !== undefined ? { controlMode: mode } : {}),
    renegotiating: false,
  };
  // K01.FR.34: from now on a TxProfile for this transaction may carry up to three schedules.
  const transactions = tx ? { ...state.transactions, [e.evseId]: { ...tx, iso15118: true } } : state.transactions;
  const next = { ...state, transactions, ev: { ...state.ev, [e.evseId]: session } };
  // 2.1 K20.FR.01: an ISO 15118-20 EV's new departure time or target energy goes to the CSMS even then.
  if (sameSession && before.renegotiating && !(mode !== undefined && goalChanged(before.goal, goal)))
    return offers(next, view, e.evseId, true);
  // K17.FR.01/.07: the EV renegotiates of its own accord: the schedule the CSMS sends for these needs answers them
  // (2.1 K20.FR.02 in ScheduledControl).
  next.ev[e.evseId] = { ...session, offered: false, goal };
  // Offline, the message goes with the next connection, in the version of the last one.
  const v21 = (view.version ?? state.lastVersion) === 'ocpp2.1';
  return {
    state: next,
    effects: [
      { type: 'persist' },
      {
        type: 'send',
        action: 'NotifyEVChargingNeeds',
        tag: `${NEEDS_TAG}${e.evseId}`,
        payload: {
          evseId: e.evseId,
          // The needs as the stack gave them, for the negotiated version (2.1's fields need 2.1).
          chargingNeeds: e.chargingNeeds as v201.ChargingNeedsType,
          ...(e.maxScheduleTuples !== undefined ? { maxScheduleTuples: e.maxScheduleTuples } : {}),
          // K15.FR.20, K17.FR.17 (2.1 has the field): when the needs are older than the message.
          ...(v21 && !view.connected ? { timestamp: iso(view.now()) } : {}),
        },
      },
    ],
  };
}

/**
 * The CSMS's answer to NotifyEVChargingNeeds (undefined: not delivered) goes to the 15118 stack. Where no schedule
 * is coming (offline K15.FR.15, Rejected K15.FR.04 / K17.FR.15, 2.1 NoChargingProfile, Processing K15.FR.05: the
 * station need not wait), the EV is offered the station's own composite schedule meanwhile.
 */
export function needsAnswered(
  state: SmartChargingState,
  evseId: number,
  response: v21.NotifyEVChargingNeedsResponse | undefined,
  view: StationView,
  tellStack: boolean,
): Step<SmartChargingState> | undefined {
  if (!state.ev[evseId]) return undefined;
  // 2.1 Q01.FR.04–.06: a Rejected answer ends the transaction unless the stack renegotiates (its answer says).
  const tx = transactionOf(view, state.transactions, evseId);
  const rejected = response?.status === 'Rejected' && versionOf(view) === 'ocpp2.1' && tx !== undefined;
  const effects: Effect[] = tellStack
    ? [
        {
          type: 'hardware',
          call: { op: 'evChargingNeedsAnswered', args: [evseId, response] },
          ...(rejected ? { tag: `${REJECTED_TAG}${evseId}:${tx.transactionId}` } : {}),
        },
      ]
    : [];
  if (response?.status === 'Accepted') return { state, effects };
  const offered = offers(state, view, evseId, false, 'local');
  return { state: offered.state, effects: [...effects, ...offered.effects] };
}

/** The tag of the stack's answer to a Rejected NotifyEVChargingNeeds: `${REJECTED_TAG}${evseId}:${transactionId}`. */
export const REJECTED_TAG = 'q01.rejected:';

/**
 * 2.1 Q01.FR.06: the stack's callback for a Rejected answer returned (or failed). Unless it said it starts a service
 * renegotiation with the EV (Q01.FR.05: it returned 'renegotiate'), the transaction ends with triggerReason
 * AbnormalCondition and stoppedReason ReqEnergyTransferRejected (E's stop trigger for a reason that is no stop by a
 * driver, the CSMS or the EV).
 */
export function rejectedNeedsHandled(tag: string, result: unknown): Effect[] {
  if (result === RENEGOTIATE) return [];
  const rest = tag.slice(REJECTED_TAG.length);
  const colon = rest.indexOf(':');
  const evseId = Number(rest.slice(0, colon));
  const transactionId = rest.slice(colon + 1);
  return [
    {
      type: 'dispatch',
      // 2.1's ReasonEnumType value; E's stop event is typed by 2.0.1's enum, and E passes the reason on as it is.
      event: { type: 'transactions.stop', evseId, transactionId, reason: REJECTED_REASON as ReasonEnumType },
    },
  ];
}

/** What evChargingNeedsAnswered returns when the stack starts a service renegotiation after a Rejected (Q01.FR.05). */
export const RENEGOTIATE = 'renegotiate';
const REJECTED_REASON: (typeof ReasonEnumType21)[number] = 'ReqEnergyTransferRejected';

/**
 * The schedules an EV in a 15118 session on `evseId` (0: every EVSE) is offered: the CSMS's TxProfile for its
 * transaction if there is one, else the station's composite schedule. A later offer in the same session is a
 * renegotiation (K16.FR.02), during which the EV's next needs are not sent on (K16.FR.09).
 */
export function offers(
  state: SmartChargingState,
  view: StationView,
  evseId: number,
  again = false,
  why?: OfferReason,
): { state: SmartChargingState; effects: Effect[] } {
  const ev = { ...state.ev };
  const effects: Effect[] = [];
  for (const [key, session] of Object.entries(state.ev)) {
    const id = Number(key);
    if (evseId !== 0 && id !== evseId) continue;
    const tx = transactionOf(view, state.transactions, id);
    const fromCsms = csmsSchedules(state.profiles, id, tx?.transactionId);
    const schedules =
      why !== 'local' && fromCsms
        ? fromCsms
        : [localSchedule(view, state.transactions, state.profiles, id, session, undefined)].filter(
            (s): s is EvChargingSchedule => s !== undefined,
          );
    if (schedules.length === 0) continue;
    const later = session.offered && !again;
    // 2.1 K20.FR.04: a DynamicControl EV is steered in the charge loop, never renegotiated.
    const changed = session.controlMode === 'DynamicControl' ? 'dynamic' : 'renegotiation';
    const reason: OfferReason = why ?? (later ? changed : fromCsms ? 'csms' : 'local');
    ev[id] = { ...session, offered: true, renegotiating: reason === 'renegotiation' };
    effects.push({ type: 'hardware', call: { op: 'offerEvChargingSchedules', args: [id, schedules, reason] } });
  }
  return { state: { ...state, ev }, effects };
}

/**
 * K15.FR.09/.10, K16.FR.04/.05, K17.FR.09/.10: the EV's schedule goes to the CSMS if it stays within the station's
 * schedule; one that does not is not sent, and the EV is asked to renegotiate with the schedules in force.
 */
export function evSchedule(
  state: SmartChargingState,
  e: EvScheduleReport,
  view: StationView,
): Step<SmartChargingState> {
  const tx = transactionOf(view, state.transactions, e.evseId);
  const txProfile = csmsTxProfile(state.profiles, e.evseId, tx?.transactionId);
  const chosen = reported(state.ev[e.evseId], txProfile, e);
  if (!chosen) {
    const message = `the EV selected charging schedule ${e.selectedChargingScheduleId} on EVSE ${e.evseId}, which the CSMS did not give: nothing to send (K18.FR.19)`;
    return { state, effects: [{ type: 'emit', event: { type: 'log', level: 'warn', message } }] };
  }
  // A Relative schedule of the CSMS counts from the transaction's start.
  const csmsBase = chosen.fromCsms && !chosen.chargingSchedule.startSchedule ? tx?.startTime : undefined;
  const timeBase = e.timeBase ?? csmsBase ?? iso(view.now());
  // K15.FR.09, 2.1 K18.FR.09: the EV's own schedule within the station's, with the schedule it selected in force.
  const profiles = withSelected(state.profiles, txProfile, e.selectedChargingScheduleId);
  if (
    !chosen.fromCsms &&
    !withinComposite(view, state.transactions, profiles, e.evseId, chosen.chargingSchedule, timeBase)
  ) {
    const again = offers(state, view, e.evseId, false, 'renegotiation');
    return {
      state: again.state,
      effects: [
        {
          type: 'emit',
          event: {
            type: 'log',
            level: 'warn',
            message: `the EV's charging schedule on EVSE ${e.evseId} exceeds the station's limits (K15.FR.09): not sent to the CSMS, renegotiating`,
          },
        },
        ...again.effects,
      ],
    };
  }
  // Offline, the message goes with the next connection, in the version of the last one.
  const v21 = (view.version ?? state.lastVersion) === 'ocpp2.1';
  const selected = chosen.selectedChargingScheduleId;
  const payload = {
    timeBase,
    evseId: e.evseId,
    chargingSchedule: chosen.chargingSchedule as v201.ChargingScheduleType,
    // 2.1 K15.FR.21, K16.FR.14, K17.FR.18, K18.FR.10: which of the offered schedules the EV chose.
    ...(v21 && selected !== undefined ? { selectedChargingScheduleId: selected } : {}),
    ...(v21 && e.powerToleranceAcceptance !== undefined
      ? { powerToleranceAcceptance: e.powerToleranceAcceptance }
      : {}),
  } as v201.NotifyEVChargingScheduleRequest;
  return {
    state: { ...state, held: { ...state.held, [e.evseId]: payload } },
    effects: [scheduleSend(payload)],
  };
}

/** What the integrator's stack reports of the EV's schedule (`ChargingStation.evChargingSchedule`). */
export interface EvScheduleReport {
  evseId: number;
  /** The EV's power profile; absent (2.1 K18.FR.19): the EV returned none, only the id of the schedule it selected. */
  chargingSchedule?: EvChargingSchedule;
  /** What the schedule's periods count from (default: now). */
  timeBase?: string;
  selectedChargingScheduleId?: number;
  powerToleranceAcceptance?: boolean;
}

/**
 * The schedule that goes to the CSMS as the EV's: in an ISO 15118-20 DynamicControl session the CSMS's own (2.1
 * K19.FR.10: the EV's power profile is disregarded; the station makes the EV follow the CSMS's schedule); where the
 * EV returned no power profile, the CSMS's schedule it selected (K18.FR.19); else the EV's. Undefined: the EV
 * selected a schedule the CSMS did not give and returned none. `fromCsms`: it is the CSMS's schedule (within the
 * composite by construction).
 */
function reported(
  session: EvSession | undefined,
  txProfile: Installed | undefined,
  e: EvScheduleReport,
): { chargingSchedule: EvChargingSchedule; selectedChargingScheduleId?: number; fromCsms: boolean } | undefined {
  const fromCsms: readonly EvChargingSchedule[] = txProfile?.chargingProfile.chargingSchedule ?? [];
  const csms =
    session?.controlMode === 'DynamicControl'
      ? fromCsms[0]
      : e.chargingSchedule === undefined
        ? fromCsms.find((s) => s.id === e.selectedChargingScheduleId)
        : undefined;
  if (csms) return { chargingSchedule: csms, selectedChargingScheduleId: csms.id, fromCsms: true };
  if (!e.chargingSchedule) return undefined;
  const selected = e.selectedChargingScheduleId;
  return {
    chargingSchedule: e.chargingSchedule,
    ...(selected !== undefined ? { selectedChargingScheduleId: selected } : {}),
    fromCsms: false,
  };
}

export const SCHEDULE_TAG = 'k15.schedule:';

const scheduleSend = (payload: v201.NotifyEVChargingScheduleRequest): Effect => ({
  type: 'send',
  action: 'NotifyEVChargingSchedule',
  payload,
  tag: `${SCHEDULE_TAG}${payload.evseId}`,
});

/** The EV's schedule reached the CSMS (or the durable queue): no longer held. Not delivered: held for later. */
export function scheduleDelivered(
  state: SmartChargingState,
  evseId: number,
  delivered: boolean,
): Step<SmartChargingState> | undefined {
  if (!delivered || !state.held[evseId]) return undefined;
  const held = { ...state.held };
  delete held[evseId];
  return { state: { ...state, held } };
}

/**
 * K15.FR.11/.14, K16.FR.10, K17.FR.14: the CSMS answered the EV's schedule. Accepted: it becomes the EV's limit in
 * the composite schedule (and so the hardware limit) for the transaction it was sent in; refused: an earlier one is
 * no longer counted. Undefined `accepted` (not answered): nothing changes.
 */
export function scheduleAccepted(
  state: SmartChargingState,
  evseId: number,
  accepted: boolean | undefined,
  view: StationView,
): Step<SmartChargingState> | undefined {
  const sent = state.held[evseId];
  const tx = transactionOf(view, state.transactions, evseId);
  if (accepted === undefined || !sent) return undefined;
  const { [evseId]: _before, ...others } = state.evSchedules ?? {};
  const evSchedules =
    accepted && tx
      ? {
          ...others,
          [evseId]: {
            transactionId: tx.transactionId,
            timeBase: sent.timeBase,
            chargingSchedule: sent.chargingSchedule,
          },
        }
      : others;
  return limits({ ...state, evSchedules }, view);
}

/** TC_K_56_CS: back online, the EV schedules that could not be delivered are sent. */
export function resendHeld(state: SmartChargingState): Effect[] {
  return Object.values(state.held).map(scheduleSend);
}
