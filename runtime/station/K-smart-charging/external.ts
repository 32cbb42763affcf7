// K11–K13: limits an external system (an EMS, the grid operator) sets on the station, as the integrator reports them
// with `ChargingStation.externalChargingLimit` / `externalChargingLimitCleared`. Block K keeps such a limit as a
// ChargingStationExternalConstraints profile (K11.FR.06, K12.FR.05: that is how it is reported and how it enters the
// composite schedule, K11.FR.01, K12.FR.01), tells the CSMS with NotifyChargingLimit when it changed significantly
// (K11.FR.02, K12.FR.02) and with ClearedChargingLimit when it is released (K13.FR.02).
import { ChargingLimitSourceEnumType } from '../../../generated/v201/enums.js';
import type * as v201 from '../../../generated/v201/types.js';
import type * as v21 from '../../../generated/v21/types.js';
import type { Effect, StationView, Step } from '../core/types.js';
import { POWER_FIELDS } from '../Q-v2x/operation-modes.js';
import { iso, limitChangeSignificance, versionOf, type Installed } from './profiles.js';
import { limits, type SmartChargingState } from './state.js';

/** What the integrator reports: the external system's limit on an EVSE (0: the whole station). */
export interface ExternalChargingLimit {
  /**
   * Who set it: `EMS`, `SO` (system operator), `Other` (2.0.1's ChargingLimitSourceEnumType), or under 2.1 any name of
   * its appendix list. Never `CSO`: that is the CSMS's own (K11.FR.05, K12.FR.04).
   */
  source: string;
  /**
   * The limit as a schedule (2.0.1's ChargingScheduleType; 2.1's fields are kept under 2.1). Without startSchedule it
   * applies from the moment it is reported.
   */
  chargingSchedule: v201.ChargingScheduleType | v21.ChargingScheduleType;
  /** Whether the limit is critical for the grid (ChargingLimitType.isGridCritical). */
  isGridCritical?: boolean;
  /**
   * 2.1 K27: the schedule is capacity of local generation (solar panels) that the station may use on top of its
   * limits, not a limit: kept as a LocalGeneration profile. Ignored while 2.0.1 is spoken.
   */
  localGeneration?: boolean;
}

/** An external limit in block K's state: the profile it is kept as, and who set it. */
export type ExternalProfile = Installed & { source: string };

export const isExternal = (p: Installed): p is ExternalProfile =>
  p.source !== undefined &&
  (p.chargingProfile.chargingProfilePurpose === 'ChargingStationExternalConstraints' ||
    p.chargingProfile.chargingProfilePurpose === 'LocalGeneration');

/** The purpose an external system's input is kept as: K27.FR.01 LocalGeneration, else K11.FR.06. */
export const externalPurpose = (localGeneration: boolean | undefined) =>
  localGeneration ? ('LocalGeneration' as const) : ('ChargingStationExternalConstraints' as const);

/** The external system's profile of `source` and `purpose` on the EVSE, if it keeps one. */
export const externalOf = (profiles: readonly Installed[], evseId: number, source: string, purpose: string) =>
  profiles.find(
    (p): p is ExternalProfile =>
      isExternal(p) &&
      p.evseId === evseId &&
      p.source === source &&
      p.chargingProfile.chargingProfilePurpose === purpose,
  );

/** What is wrong with an external limit the integrator reports, or undefined. */
export function externalLimitProblem(limit: ExternalChargingLimit, versions: readonly string[]): string | undefined {
  if (!limit || typeof limit !== 'object') return 'limit must be { source, chargingSchedule }';
  const { source, chargingSchedule: s } = limit;
  if (typeof source !== 'string' || source === '') return 'source must be a non-empty string';
  if (source === 'CSO') return 'source must not be CSO: that is the CSMS (K11.FR.05)';
  if (!versions.includes('ocpp2.1') && !(ChargingLimitSourceEnumType as readonly string[]).includes(source))
    return `source "${source}" is not a 2.0.1 ChargingLimitSourceEnumType (EMS, SO, Other); other names need 'ocpp2.1'`;
  if (!s || typeof s !== 'object') return 'chargingSchedule must be a ChargingScheduleType';
  if (!Number.isInteger(s.id)) return 'chargingSchedule.id must be an integer';
  if (s.chargingRateUnit !== 'A' && s.chargingRateUnit !== 'W')
    return 'chargingSchedule.chargingRateUnit must be A or W';
  const periods = s.chargingSchedulePeriod;
  if (!Array.isArray(periods) || periods.length === 0)
    return 'chargingSchedule.chargingSchedulePeriod must not be empty';
  if (periods[0]!.startPeriod !== 0) return 'the first period must start at 0 (K01.FR.31)';
  for (const [i, p] of periods.entries()) {
    if (!Number.isInteger(p.startPeriod) || (i > 0 && p.startPeriod <= periods[i - 1]!.startPeriod))
      return 'startPeriod values must be whole seconds in increasing order (K01.FR.35)';
    // 2.1 Q06.FR.03: a schedule of setpoints need give no limit; every power value given must be a number. (A
    // 2.0.1 period is a 2.1 period without the 2.1 fields.)
    const setpoints = versions.includes('ocpp2.1');
    const q: v21.ChargingSchedulePeriodType = p;
    if (!Number.isFinite(q.limit) && !(setpoints && q.setpoint !== undefined && q.limit === undefined))
      return `chargingSchedulePeriod[${i}].limit must be a number${setpoints ? ' (or give a setpoint)' : ''}`;
    const bad = POWER_FIELDS.find((f) => q[f] !== undefined && !Number.isFinite(q[f]));
    if (bad) return `chargingSchedulePeriod[${i}].${bad} must be a number`;
  }
  if (limit.localGeneration !== undefined && typeof limit.localGeneration !== 'boolean')
    return 'localGeneration must be a boolean';
  if (limit.localGeneration && !versions.includes('ocpp2.1')) return "localGeneration (K27) needs 'ocpp2.1'";
  if (s.startSchedule !== undefined && !Number.isFinite(Date.parse(s.startSchedule)))
    return 'chargingSchedule.startSchedule must be an ISO date-time';
  if (s.duration !== undefined && !(Number.isInteger(s.duration) && s.duration > 0))
    return 'chargingSchedule.duration must be a positive whole number of seconds';
  return undefined;
}

/**
 * A new id for a profile the station makes of an external limit: negative (K11.FR.06), below every id installed,
 * and 2.1 K01.FR.82: at most MaxExternalConstraintsId (`maxId`) when that is set, also when it is set below zero.
 */
export function newExternalId(profiles: readonly Installed[], maxId: number | undefined): number {
  return Math.min(0, maxId === undefined ? 0 : maxId + 1, ...profiles.map((p) => p.chargingProfile.id)) - 1;
}

/**
 * The profile an external limit is kept as: the same id again for the same EVSE and source (it replaces the
 * limit), else a new negative id (K11.FR.06 recommends negative ids: no clash with the CSMS's; 2.1 K01.FR.82: at most
 * MaxExternalConstraintsId, which a negative id is unless that is set below zero).
 */
export function externalProfile(
  profiles: readonly Installed[],
  evseId: number,
  limit: ExternalChargingLimit,
  now: number,
  maxId?: number,
  v21 = false,
): ExternalProfile {
  const purpose = externalPurpose(limit.localGeneration);
  const same = externalOf(profiles, evseId, limit.source, purpose);
  const id = same?.chargingProfile.id ?? newExternalId(profiles, maxId);
  const schedule =
    v21 && purpose === 'ChargingStationExternalConstraints' ? withExternalModes(limit) : limit.chargingSchedule;
  return {
    evseId,
    source: limit.source,
    chargingProfile: {
      id,
      stackLevel: 0,
      chargingProfilePurpose: purpose,
      chargingProfileKind: 'Absolute',
      // From the moment it is reported, unless the external system said when.
      chargingSchedule: [{ ...schedule, startSchedule: schedule.startSchedule ?? iso(Math.floor(now / 1000) * 1000) }],
    } as Installed['chargingProfile'],
  };
}

/**
 * 2.1 Q06.FR.01/.03: the periods of an External System's schedule carry operationMode ExternalSetpoint where they give
 * a setpoint (or setpointReactive), else ExternalLimits (the 2.1 table of operationModes per purpose allows only
 * these, and ChargingOnly, for ChargingStationExternalConstraints); an operationMode the integrator gave is replaced.
 */
function withExternalModes(limit: ExternalChargingLimit): v21.ChargingScheduleType {
  const schedule = limit.chargingSchedule as v21.ChargingScheduleType;
  return {
    ...schedule,
    chargingSchedulePeriod: schedule.chargingSchedulePeriod.map((p) => ({
      ...p,
      operationMode:
        p.setpoint !== undefined || p.setpointReactive !== undefined ? 'ExternalSetpoint' : 'ExternalLimits',
    })),
  };
}

/** The limit of a profile's schedule in force at `now` (first schedule; undefined when none is in force). */
function limitNow(p: Installed | undefined, now: number): { limit: number; unit: string } | undefined {
  const schedule = p?.chargingProfile.chargingSchedule[0];
  if (!schedule) return undefined;
  const start = schedule.startSchedule ? Date.parse(schedule.startSchedule) : now;
  const offset = (now - start) / 1000;
  if (offset < 0 || (schedule.duration !== undefined && offset >= schedule.duration)) return undefined;
  const period = [...schedule.chargingSchedulePeriod].reverse().find((q) => q.startPeriod <= offset);
  return period?.limit === undefined ? undefined : { limit: period.limit, unit: schedule.chargingRateUnit };
}

/**
 * K11.FR.02, K12.FR.02: whether the new limit differs from the one it replaces by more than LimitChangeSignificance
 * (percent of the old limit). A first limit, one in another unit, or one that had run out always counts.
 */
export function significantChange(
  before: Installed | undefined,
  after: Installed,
  view: StationView,
  percent = limitChangeSignificance(view),
): boolean {
  const now = view.now();
  const old = limitNow(before, now);
  const next = limitNow(after, now);
  if (!old || !next || old.unit !== next.unit) return true;
  if (old.limit === 0) return next.limit !== 0;
  return (Math.abs(next.limit - old.limit) / Math.abs(old.limit)) * 100 > percent;
}

/** The source as the negotiated version can carry it (2.0.1: its enum; a 2.1 name under 2.0.1 is `Other`). */
function sourceFor(view: StationView, source: string): v201.ChargingLimitSourceEnumType {
  if (versionOf(view) === 'ocpp2.1') return source as v201.ChargingLimitSourceEnumType; // 2.1: any string
  return (ChargingLimitSourceEnumType as readonly string[]).includes(source)
    ? (source as v201.ChargingLimitSourceEnumType)
    : 'Other';
}

/**
 * K11.FR.02/.03/.05, K12.FR.02/.03/.04: NotifyChargingLimit, with the schedule when NotifyChargingLimitWithSchedules
 * (or `alwaysWithSchedule`: 2.1 Q06.FR.11/.12, a Dynamic profile of an external system's single value).
 */
export function notifyChargingLimit(
  view: StationView,
  p: ExternalProfile,
  isGridCritical?: boolean,
  alwaysWithSchedule = false,
): Effect {
  const withSchedules =
    alwaysWithSchedule || view.variables.bool('SmartChargingCtrlr', 'NotifyChargingLimitWithSchedules') === true;
  return {
    type: 'send',
    action: 'NotifyChargingLimit',
    payload: {
      chargingLimit: {
        chargingLimitSource: sourceFor(view, p.source),
        ...(isGridCritical !== undefined ? { isGridCritical } : {}),
        // 2.1 K27.FR.03: the change comes from local generation.
        ...(p.chargingProfile.chargingProfilePurpose === 'LocalGeneration' ? { isLocalGeneration: true } : {}),
      },
      ...(p.evseId !== 0 ? { evseId: p.evseId } : {}),
      ...(withSchedules ? { chargingSchedule: p.chargingProfile.chargingSchedule as v201.ChargingScheduleType[] } : {}),
    },
  };
}

/** K13.FR.02: ClearedChargingLimit for a released limit. */
export function clearedChargingLimit(view: StationView, p: ExternalProfile): Effect {
  return {
    type: 'send',
    action: 'ClearedChargingLimit',
    payload: { chargingLimitSource: sourceFor(view, p.source), ...(p.evseId !== 0 ? { evseId: p.evseId } : {}) },
  };
}

/**
 * K11–K13: an external limit reported or released. It is kept as a ChargingStationExternalConstraints profile
 * (K11.FR.06, K12.FR.05) and so enters the composite schedule and the hardware limit (K11.FR.01, K12.FR.01,
 * K13.FR.01); the CSMS hears of a significant change (K11.FR.02, K12.FR.02) and of the release (K13.FR.02).
 */
export function external(
  state: SmartChargingState,
  e: { evseId: number; source: string; limit?: ExternalChargingLimit },
  view: StationView,
): Step<SmartChargingState> | undefined {
  if (!e.limit) {
    // K13: the source releases what it set on the EVSE (its limit and its local generation); nothing where none.
    const released = state.profiles.filter(
      (p): p is ExternalProfile => isExternal(p) && p.evseId === e.evseId && p.source === e.source,
    );
    if (!released.length) return undefined;
    const gone = new Set<Installed>(released);
    const profiles = state.profiles.filter((p) => !gone.has(p));
    return limits({ ...state, profiles }, view, [{ type: 'persist' }, clearedChargingLimit(view, released[0]!)]);
  }
  const purpose = externalPurpose(e.limit.localGeneration);
  if (purpose === 'LocalGeneration' && versionOf(view) !== 'ocpp2.1') return undefined; // 2.1's purpose only
  const before = externalOf(state.profiles, e.evseId, e.source, purpose);
  // 2.1 K11.FR.07: the station is configured to ignore external limits (a CSMS Dynamic profile with operationMode
  // ExternalLimits takes single values instead, K29.FR.03: external-dynamic.ts). Local generation is no limit.
  if (
    purpose !== 'LocalGeneration' &&
    versionOf(view) === 'ocpp2.1' &&
    view.variables.bool('SmartChargingCtrlr', 'ExternalConstraintsProfileDisallowed')
  )
    return undefined;
  const profile = externalProfile(
    state.profiles,
    e.evseId,
    e.limit,
    view.now(),
    view.variables.int('SmartChargingCtrlr', 'MaxExternalConstraintsId'),
    versionOf(view) === 'ocpp2.1',
  );
  const profiles = [...state.profiles.filter((p) => p !== before), profile];
  // 2.1 Q06.FR.10: an External System's V2X schedule (setpoints or discharge limits, Q06) goes to the CSMS with the
  // schedule whatever NotifyChargingLimitWithSchedules says; a schedule of limits alone follows K11.FR.03.
  const v2x =
    purpose === 'ChargingStationExternalConstraints' &&
    versionOf(view) === 'ocpp2.1' &&
    (profile.chargingProfile.chargingSchedule[0]?.chargingSchedulePeriod ?? []).some(
      (p: v21.ChargingSchedulePeriodType) =>
        p.setpoint !== undefined || p.setpointReactive !== undefined || p.dischargeLimit !== undefined,
    );
  const notify = significantChange(before, profile, view)
    ? [notifyChargingLimit(view, profile, e.limit.isGridCritical, v2x)]
    : [];
  return limits({ ...state, profiles }, view, [{ type: 'persist' }, ...notify]);
}
