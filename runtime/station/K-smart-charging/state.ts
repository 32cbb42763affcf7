// Block K's state and the limit in force: what every step ends with (`limits`): the limit of each EVSE to the
// hardware (setChargingLimit) when it changed, a timer to its next change, SmartChargingCtrlr.Entries kept current,
// and a ChargingRateChanged TransactionEvent (through E) when it changed significantly during a transaction.
import type * as v201 from '../../../generated/v201/types.js';
import type * as v21 from '../../../generated/v21/types.js';
import type { Effect, StationView, Step, Version2x } from '../core/types.js';
import { inverterSetting, type InverterSetting } from '../Q-v2x/operation-modes.js';
import { balancedLimits } from './balance.js';
import { dividedTargets, type EvseInverter, type StationTargets } from './station-targets.js';
import type { EvSession } from './iso15118.js';
import {
  composite,
  dcInputPhaseControl,
  expired,
  limitChangeSignificance,
  rateUnits,
  transactionOf,
  type AcceptedEvSchedule,
  type Installed,
  type KnownTransaction,
  type Offline,
  type Profile,
} from './profiles.js';

/** What the hardware is told: the limit in force on an EVSE now. */
export interface ChargingLimit {
  /** The most the EVSE may draw now: amperes per phase (`unit` A) or watts in total (`unit` W). */
  limit: number;
  unit: 'A' | 'W';
  /**
   * The phases to use, when the schedule in force says (K01.FR.49: otherwise 3 on AC). On a DC EVSE with
   * EVSE.DCInputPhaseControl (2.1): the phases of the grid input to use (K01.FR.54), 3 unless the schedule says.
   */
  numberPhases?: number;
  /** The phase to use when charging on one phase (K01.FR.46; the grid input phase of such a DC EVSE, K01.FR.54). */
  phaseToUse?: number;
  /** 2.1: the operationMode of the period in force, when it gives one (absent: ChargingOnly). */
  operationMode?: string;
  /**
   * 2.1 Q03–Q10: what the power electronics do in that operationMode (block Q's `inverterSetting` of the period in
   * force, in `unit`): the CSMS's setpoint (a negative one discharges), dischargeLimit, the LocalFrequency curves,
   * Idle's evseSleep. Present when the period gives an operationMode.
   */
  inverter?: InverterSetting;
}

export interface SmartChargingState {
  /** Installed profiles in installation order (compositeSchedule's tie rule depends on it). */
  profiles: Installed[];
  /** The transactions on the EVSEs, as `transaction.started` told (where Relative schedules start). */
  transactions: Record<number, KnownTransaction>;
  /** TxProfiles of accepted RequestStartTransactions, per EVSE, for the transaction they start (F01.FR.10). */
  pending: Record<number, { remoteStartId: number; chargingProfile: Profile }>;
  /** What `setChargingLimit` was last called with, per EVSE (JSON); not kept across restarts. */
  applied: Record<number, string>;
  /** ISO 15118 sessions per EVSE (K15–K17); not kept across restarts (the EV's session does not survive one). */
  ev: Record<number, EvSession>;
  /**
   * NotifyEVChargingSchedule per EVSE until the CSMS has it: one the station could not deliver (offline) goes with
   * the next connection (TC_K_56_CS); not kept across restarts.
   */
  held: Record<number, v201.NotifyEVChargingScheduleRequest>;
  /**
   * K15.FR.11/.14, K16.FR.10, K17.FR.14: the EV's schedule per EVSE once the CSMS accepted it, merged into the
   * composite schedule as the EV's own limit; not kept across restarts (the EV's session does not survive one).
   */
  evSchedules?: Record<number, AcceptedEvSchedule>;
  /** The version of the last connection: what a message queued while offline will be sent in. */
  lastVersion?: Version2x;
  /** When the connection to the CSMS was lost (ms), while it is (2.1 K01.FR.101). */
  offlineSince?: number;
}

export const TICK = 'smartCharging.tick';
/** The window searched for the next change of the limit; the timer is set again at its end. */
const HORIZON_S = 86_400;

/** K01.FR.36/.37: profiles whose validity ended are removed. */
export function pruned(state: SmartChargingState, view: StationView): SmartChargingState {
  const now = view.now();
  const profiles = state.profiles.filter((p) => !expired(p.chargingProfile, now));
  return profiles.length === state.profiles.length ? state : { ...state, profiles };
}

export const hasLimitAtSoC = (p: Installed) =>
  (p.chargingProfile.chargingSchedule as v21.ChargingScheduleType[]).some((s) => s.limitAtSoC !== undefined);

/**
 * The limit in force on every EVSE: `setChargingLimit` where it differs from what the hardware was told, and a
 * timer to the next moment it may change (a period boundary, a validity end).
 */
export function limits(state: SmartChargingState, view: StationView, effects: Effect[] = []): Step<SmartChargingState> {
  const now = view.now();
  const unit = rateUnits(view)[0] ?? 'A';
  const applied = { ...state.applied };
  const out: Effect[] = [...effects];
  let nextChange = now + HORIZON_S * 1000;
  const offline = {
    ...(state.offlineSince !== undefined ? { offlineSince: state.offlineSince } : {}),
    ...(state.lastVersion ? { version: state.lastVersion } : {}),
    ...(state.evSchedules ? { ev: state.evSchedules } : {}),
  };
  const own: Array<{ evseId: number; limit: ChargingLimit; charging: boolean }> = [];
  for (const evse of view.evses) {
    const request = { evseId: evse.id, duration: HORIZON_S, chargingRateUnit: unit };
    const response = composite(view, state.transactions, state.profiles, request, offline);
    const schedule = response.schedule;
    const first = schedule?.chargingSchedulePeriod[0];
    // A period with an operationMode (2.1) goes to the hardware even without a limit: its setpoint, or Idle, is
    // what the EVSE must do (Q03, Q10); without a limit it may draw nothing beyond that setpoint.
    if (!schedule || !first || (first.limit === undefined && first.operationMode === undefined)) continue;
    const cap = first.limit ?? 0;
    // K01.FR.100: the EV's state of charge has reached a limitAtSoC (in the same unit) of a profile acting here.
    const soc = socCap(view, state.profiles, evse.id);
    own.push({
      evseId: evse.id,
      charging: transactionOf(view, state.transactions, evse.id) !== undefined,
      limit: {
        limit: soc && soc.unit === unit ? Math.min(cap, soc.limit) : cap,
        unit,
        ...(first.numberPhases !== undefined ? { numberPhases: first.numberPhases } : {}),
        ...(first.phaseToUse !== undefined ? { phaseToUse: first.phaseToUse } : {}),
        ...(first.operationMode !== undefined
          ? { operationMode: first.operationMode, inverter: inverterSetting(first) }
          : {}),
      },
    });
    const second = schedule.chargingSchedulePeriod[1];
    if (second) nextChange = Math.min(nextChange, Date.parse(schedule.scheduleStart) + second.startPeriod * 1000);
    // 2.1 K01.FR.54: a DC EVSE with DCInputPhaseControl is told the grid input phases its periods select.
    if (dcInputPhaseControl(view, evse.id)) {
      const input = composite(view, state.transactions, state.profiles, request, offline, true).schedule;
      const phases = input?.chargingSchedulePeriod[0];
      const last = own.at(-1)!.limit;
      if (phases?.numberPhases !== undefined) last.numberPhases = phases.numberPhases;
      if (phases?.phaseToUse !== undefined) last.phaseToUse = phases.phaseToUse;
      const change = input?.chargingSchedulePeriod[1];
      if (change) nextChange = Math.min(nextChange, Date.parse(input.scheduleStart) + change.startPeriod * 1000);
    }
  }
  // K04.FR.05, K12.FR.01: EVSEs charging at once share the station-wide limit (balance.ts). One EVSE alone is
  // already capped by it in its own composite schedule.
  const station = own.filter((e) => e.charging).length > 1 ? stationBudget(state, view, unit, offline) : undefined;
  if (station?.next !== undefined) nextChange = Math.min(nextChange, station.next);
  // K03.FR.04–.06: the higher chargingPriority first (E's evseActivity; 0 when none is known).
  const shares = balancedLimits(
    station?.budget,
    own.map((e) => ({
      evseId: e.evseId,
      limit: e.limit.limit,
      charging: e.charging,
      chargingPriority: view.query.evseActivity?.(e.evseId)?.chargingPriority ?? 0,
    })),
  );
  const lowered = own.map(({ evseId, limit, charging }) => ({
    evseId,
    charging,
    limit: capped(limit, shares.get(evseId) ?? limit.limit),
  }));
  // 2.1 Q06.FR.30/.31: EVSE 0's external dischargeLimit and setpoint are divided among the EVSEs charging together.
  const divided = station
    ? dividedTargets(
        station.targets,
        followers(
          state,
          view,
          unit,
          offline,
          lowered,
          'setpoint' in station.targets || 'setpointReactive' in station.targets,
        ),
      )
    : undefined;
  for (const { evseId, limit: mine } of lowered) {
    const inverter = divided?.get(evseId);
    const limit = inverter ? { ...mine, inverter } : mine;
    const key = JSON.stringify(limit);
    if (applied[evseId] !== key) {
      const before = applied[evseId];
      applied[evseId] = key;
      out.push({ type: 'hardware', call: { op: 'setChargingLimit', args: [evseId, limit] } });
      const was = before === undefined ? undefined : (JSON.parse(before) as ChargingLimit);
      if (was && rateChanged(was, limit, view, state, evseId))
        out.push({ type: 'dispatch', event: { type: 'chargingRate.changed', evseId } });
      // 2.1 K01.FR.110: a period with another operationMode began during the transaction.
      const mode = limit.operationMode ?? 'ChargingOnly';
      if (was && (was.operationMode ?? 'ChargingOnly') !== mode && transactionOf(view, state.transactions, evseId))
        out.push({ type: 'dispatch', event: { type: 'operationMode.changed', evseId, operationMode: mode } });
    }
  }
  // A profile that stops being valid is removed then (and the composite changes with it).
  for (const p of state.profiles) {
    const to = p.chargingProfile.validTo === undefined ? NaN : Date.parse(p.chargingProfile.validTo);
    if (to > now) nextChange = Math.min(nextChange, to);
  }
  out.push({ type: 'timer', id: TICK, ms: Math.max(0, nextChange - now), event: { type: TICK } });
  // SmartChargingCtrlr.Entries[ChargingProfiles]: the profiles installed now (the device model ignores a same value).
  out.push({
    type: 'setVariable',
    component: 'SmartChargingCtrlr',
    variable: 'Entries',
    instance: 'ChargingProfiles',
    value: String(state.profiles.length),
  });
  return { state: { ...state, applied }, effects: out };
}

/**
 * The station-wide budget: the limit in force of the EVSE 0 composite schedule (the EVSEs' sum, capped by
 * ChargingStationMaxProfile, the external constraints on EVSE 0 and 2.1 LocalGeneration), and when it next changes.
 */
function stationBudget(
  state: SmartChargingState,
  view: StationView,
  unit: 'A' | 'W',
  offline: Offline,
): { budget?: number; next?: number; targets: StationTargets } {
  const request = { evseId: 0, duration: HORIZON_S, chargingRateUnit: unit };
  const response = composite(view, state.transactions, state.profiles, request, offline);
  const periods = response.schedule?.chargingSchedulePeriod ?? [];
  const second = periods[1];
  // Q06.FR.31: EVSE 0's external setpoint alone: the EVSE 0 composite of the external profiles on EVSE 0 (the
  // setpoint of the full one adds that of EVSEs following setpoints of their own).
  const external = state.profiles.filter(isStationExternal);
  const setpoints = external.length
    ? composite(view, state.transactions, external, { ...request, duration: 1 }, offline).schedule
        ?.chargingSchedulePeriod[0]
    : undefined;
  return {
    ...(periods[0]?.limit !== undefined ? { budget: periods[0].limit } : {}),
    ...(second ? { next: Date.parse(response.schedule!.scheduleStart) + second.startPeriod * 1000 } : {}),
    targets: {
      ...(periods[0]?.dischargeLimit !== undefined ? { dischargeLimit: periods[0].dischargeLimit } : {}),
      ...(setpoints?.setpoint !== undefined ? { setpoint: setpoints.setpoint } : {}),
      ...(setpoints?.setpointReactive !== undefined ? { setpointReactive: setpoints.setpointReactive } : {}),
    },
  };
}

const isStationExternal = (p: Installed) =>
  p.evseId === 0 && p.chargingProfile.chargingProfilePurpose === 'ChargingStationExternalConstraints';

/** The profiles with the setpoints of the external profiles on EVSE 0 left out. */
function withoutStationSetpoints(profiles: readonly Installed[]): Installed[] {
  return profiles.map((p) => {
    if (!isStationExternal(p)) return p;
    const chargingSchedule = (p.chargingProfile.chargingSchedule as v21.ChargingScheduleType[]).map((s) => ({
      ...s,
      chargingSchedulePeriod: s.chargingSchedulePeriod.map(
        ({ setpoint, setpoint_L2, setpoint_L3, setpointReactive, setpointReactive_L2, setpointReactive_L3, ...rest }) =>
          rest,
      ),
    }));
    return { ...p, chargingProfile: { ...(p.chargingProfile as v21.ChargingProfileType), chargingSchedule } };
  });
}

/**
 * Q06.FR.31: which EVSEs with a transaction follow EVSE 0's external setpoint (setpointReactive): those whose period
 * in force changes without it (the EVSE's own external setpoint, or under SetpointPriority CSMS its transaction's,
 * Q06.FR.22, would not).
 */
function followers(
  state: SmartChargingState,
  view: StationView,
  unit: 'A' | 'W',
  offline: Offline,
  evses: ReadonlyArray<{ evseId: number; limit: ChargingLimit; charging: boolean }>,
  wanted: boolean,
): EvseInverter[] {
  // Worked out only where EVSE 0 has an external setpoint to divide.
  const stripped = wanted ? withoutStationSetpoints(state.profiles) : undefined;
  return evses
    .filter((e) => e.charging)
    .map(({ evseId, limit }) => {
      const inverter = limit.inverter;
      const has = (f: 'setpoint' | 'setpointReactive') => inverter !== undefined && f in inverter;
      if (!stripped || !(has('setpoint') || has('setpointReactive')))
        return { evseId, ...(inverter ? { inverter } : {}), follows: { setpoint: false, setpointReactive: false } };
      const request = { evseId, duration: 1, chargingRateUnit: unit };
      const mine = composite(view, state.transactions, state.profiles, request, offline).schedule
        ?.chargingSchedulePeriod[0];
      const alone = composite(view, state.transactions, stripped, request, offline).schedule?.chargingSchedulePeriod[0];
      const differs = (f: 'setpoint' | 'setpointReactive') =>
        has(f) && (mine?.[f] !== alone?.[f] || mine?.operationMode !== alone?.operationMode);
      return {
        evseId,
        inverter,
        follows: { setpoint: differs('setpoint'), setpointReactive: differs('setpointReactive') },
      };
    });
}

/** An EVSE's limit lowered to its share: the limit, and what the inverter may charge with it (2.1). */
function capped(limit: ChargingLimit, share: number): ChargingLimit {
  if (share >= limit.limit) return limit;
  const inverter = limit.inverter;
  if (!inverter || !('limit' in inverter || 'setpoint' in inverter)) return { ...limit, limit: share };
  const lowered: InverterSetting = { ...inverter };
  if ('limit' in lowered && lowered.limit !== undefined) lowered.limit = Math.min(lowered.limit, share);
  if ('setpoint' in lowered && lowered.setpoint !== undefined) lowered.setpoint = Math.min(lowered.setpoint, share);
  return { ...limit, limit: share, inverter: lowered };
}

/**
 * K11.FR.04, K13.FR.03: the limit on an EVSE with a transaction changed by more than LimitChangeSignificance (percent
 * of the previous limit); a change of unit or phases counts as a change of the rate.
 */
function rateChanged(
  before: ChargingLimit,
  after: ChargingLimit,
  view: StationView,
  state: SmartChargingState,
  evseId: number,
): boolean {
  if (!transactionOf(view, state.transactions, evseId)) return false;
  if (before.unit !== after.unit || before.numberPhases !== after.numberPhases) return true;
  const percent = limitChangeSignificance(view);
  if (before.limit === 0) return after.limit !== 0;
  return (Math.abs(after.limit - before.limit) / Math.abs(before.limit)) * 100 > percent;
}

/**
 * K01.FR.100: the cap of limitAtSoC for an EVSE whose EV's state of charge (the SoC the meter reports) has reached
 * it: the lowest limitAtSoC.limit, in its unit, of the profiles acting on the EVSE; undefined when none applies (no
 * SoC reading: the schedules apply without it).
 */
function socCap(
  view: StationView,
  profiles: readonly Installed[],
  evseId: number,
): { limit: number; unit: 'A' | 'W' } | undefined {
  const withSoC = profiles.filter(
    (p) =>
      (p.evseId === 0 || p.evseId === evseId) &&
      (p.chargingProfile.chargingSchedule[0] as v21.ChargingScheduleType | undefined)?.limitAtSoC !== undefined,
  );
  // The meter is read only where a limitAtSoC could apply (readMeter is the integrator's, called when needed).
  if (withSoC.length === 0) return undefined;
  const soc = view.meter(evseId).find((r) => r.measurand === 'SoC')?.value;
  if (soc === undefined || !Number.isFinite(soc)) return undefined;
  let cap: { limit: number; unit: 'A' | 'W' } | undefined;
  for (const p of withSoC) {
    const schedule = p.chargingProfile.chargingSchedule[0] as v21.ChargingScheduleType | undefined;
    const at = schedule?.limitAtSoC;
    if (!schedule || !at || soc < at.soc) continue;
    if (!cap || (cap.unit === schedule.chargingRateUnit && at.limit < cap.limit))
      cap = { limit: at.limit, unit: schedule.chargingRateUnit };
  }
  return cap;
}

/** What the hardware was last told for the EVSE (setChargingLimit), if anything. */
export function appliedLimit(state: SmartChargingState, evseId: number): ChargingLimit | undefined {
  const applied = state.applied[evseId];
  return applied === undefined ? undefined : (JSON.parse(applied) as ChargingLimit);
}

/**
 * 2.1 Q10.FR.03–.05: the EVSE sleeps while the hardware was told an Idle period with evseSleep, and only where the
 * station declares SupportsEvseSleep (otherwise it reports evseSleep false, Q10.FR.05: absent means false).
 */
export function sleeping(state: SmartChargingState, view: StationView, evseId: number): boolean {
  if (view.variables.bool('SmartChargingCtrlr', 'SupportsEvseSleep') !== true) return false;
  const inverter = appliedLimit(state, evseId)?.inverter;
  return inverter?.mode === 'Idle' && inverter.evseSleep;
}

/**
 * Block Q's query `v2xPeriodsInForce` (2.1): the composite schedule's period in force on each EVSE whose profiles
 * give an operationMode, with the v2x curves, in W where the station takes W (V2X setpoints and curves are in W,
 * Q08.FR.05). Undefined where no profile gives one (and under 2.0.1): K knows of no V2X period, and another use
 * case of the integrator's may answer.
 */
export function periodsInForce(
  state: SmartChargingState,
  view: StationView,
): Array<{ evseId: number; period: v21.ChargingSchedulePeriodType }> | undefined {
  if ((view.version ?? state.lastVersion) !== 'ocpp2.1') return undefined;
  const units = rateUnits(view);
  const chargingRateUnit = units.includes('W') ? 'W' : (units[0] ?? 'A');
  const found = view.evses.flatMap((evse) => {
    const response = composite(
      view,
      state.transactions,
      state.profiles,
      { evseId: evse.id, duration: 1, chargingRateUnit },
      {
        ...(state.offlineSince !== undefined ? { offlineSince: state.offlineSince } : {}),
        ...(state.lastVersion ? { version: state.lastVersion } : {}),
      },
    );
    const period = response.schedule?.chargingSchedulePeriod[0];
    return period?.operationMode !== undefined ? [{ evseId: evse.id, period }] : [];
  });
  return found.length ? found : undefined;
}
