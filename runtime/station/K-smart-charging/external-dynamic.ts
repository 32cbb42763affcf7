// 2.1 K29 (and Q05/Q06 as far as the station goes): an external system (an EMS) that gives a single value — a limit
// or a setpoint, not a schedule — and updates it often. The integrator reports each value with
// `ChargingStation.externalChargingValue`; block K keeps it in a Dynamic profile whose one period it updates in
// place, instead of replacing a profile at every update:
// - K29.FR.03: where the CSMS installed a Dynamic TxProfile / TxDefaultProfile with operationMode ExternalLimits or
//   ExternalSetpoint on the EVSE, the value becomes that profile's limit or setpoint;
// - K29.FR.04: otherwise (unless ExternalConstraintsProfileDisallowed, K11.FR.07) it is kept as a Dynamic
//   ChargingStationExternalConstraints profile of one period, reported with the external system's source (K12.FR.05);
// - K29.FR.05/.06: an update changes the values of that period and sets dynUpdateTime to now;
// - the CSMS hears of a change beyond LimitChangeSignificance with NotifyChargingLimit (K29 scenarios, step 4).
// Under 2.0.1 (no Dynamic kind) a value is kept as the Absolute profile of K11.FR.06, as externalChargingLimit does.
import type * as v21 from '../../../generated/v21/types.js';
import type { StationView, Step } from '../core/types.js';
import { POWER_FIELDS } from '../Q-v2x/operation-modes.js';
import {
  external,
  externalOf,
  newExternalId,
  externalPurpose,
  notifyChargingLimit,
  type ExternalProfile,
} from './external.js';
import { iso, limitChangeSignificance, LINE_VOLTAGE, versionOf, type Installed } from './profiles.js';
import { limits, type SmartChargingState } from './state.js';
import { applyScheduleUpdate } from './v21.js';

/** A value of an external system, as the integrator reports it. */
export interface ExternalChargingValue {
  /** Who set it (as for externalChargingLimit): `EMS`, `SO`, `Other`, or under 2.1 a name of its appendix list. */
  source: string;
  /** The unit of the values; converted at 230 V per phase where the profile it updates has the other one. */
  chargingRateUnit: 'A' | 'W';
  /** K29: ExternalLimits — the most the EVSE may charge (and may discharge, dischargeLimit, negative). */
  limit?: number;
  limit_L2?: number;
  limit_L3?: number;
  dischargeLimit?: number;
  dischargeLimit_L2?: number;
  dischargeLimit_L3?: number;
  /** K29: ExternalSetpoint — what the EVSE should charge (positive) or discharge (negative). */
  setpoint?: number;
  setpoint_L2?: number;
  setpoint_L3?: number;
  setpointReactive?: number;
  setpointReactive_L2?: number;
  setpointReactive_L3?: number;
  /** Whether the limit is critical for the grid (NotifyChargingLimit's isGridCritical). */
  isGridCritical?: boolean;
  /**
   * 2.1 K27: `limit` is the capacity local generation (solar panels) adds now, kept as a Dynamic LocalGeneration
   * profile (operationMode ExternalLimits, K27 scenario 2) that the composite schedule adds on top of the limits.
   */
  localGeneration?: boolean;
}

/** What is wrong with a value the integrator reports, or undefined. */
export function externalValueProblem(value: ExternalChargingValue, versions: readonly string[]): string | undefined {
  if (!value || typeof value !== 'object') return 'value must be { source, chargingRateUnit, limit | setpoint }';
  if (typeof value.source !== 'string' || value.source === '') return 'source must be a non-empty string';
  if (value.source === 'CSO') return 'source must not be CSO: that is the CSMS (K11.FR.05)';
  if (value.chargingRateUnit !== 'A' && value.chargingRateUnit !== 'W') return 'chargingRateUnit must be A or W';
  for (const f of POWER_FIELDS)
    if (value[f] !== undefined && !Number.isFinite(value[f])) return `${f} must be a finite number`;
  if (value.limit === undefined && value.setpoint === undefined) return 'give a limit or a setpoint';
  if (value.limit !== undefined && value.limit < 0) return 'limit must not be negative (dischargeLimit discharges)';
  if (value.dischargeLimit !== undefined && value.dischargeLimit > 0) return 'dischargeLimit must not be positive';
  if (value.localGeneration !== undefined && typeof value.localGeneration !== 'boolean')
    return 'localGeneration must be a boolean';
  if (value.localGeneration) {
    if (!versions.includes('ocpp2.1')) return "localGeneration (K27) needs 'ocpp2.1'";
    if (value.limit === undefined || value.setpoint !== undefined)
      return 'local generation is a limit (the capacity it adds), not a setpoint';
  }
  return undefined;
}

/**
 * The values as a schedule update, in `unit`: amperes are per phase, watts the total over `phases` (a period's
 * numberPhases, 3 by default) — but the _L2/_L3 fields in W are per phase (K01.FR.50/.51).
 */
function updateIn(value: ExternalChargingValue, unit: string, phases: number): v21.ChargingScheduleUpdateType {
  const update: v21.ChargingScheduleUpdateType = {};
  for (const f of POWER_FIELDS) {
    const v = value[f];
    if (v === undefined) continue;
    if (value.chargingRateUnit === unit) {
      update[f] = v;
      continue;
    }
    const volts = LINE_VOLTAGE * (f.includes('_L') ? 1 : phases);
    // One decimal, rounded toward zero: never more than the external system allows (as the composite reports).
    update[f] = Math.trunc((unit === 'W' ? v * volts : v / volts) * 10) / 10;
  }
  return update;
}

/** K29.FR.03: the CSMS's Dynamic Tx(Default)Profiles on the EVSE that take their values from an external system. */
function takesExternalValues(p: Installed, evseId: number): boolean {
  const c = p.chargingProfile as v21.ChargingProfileType;
  if (p.source !== undefined || p.evseId !== evseId || c.chargingProfileKind !== 'Dynamic') return false;
  if (c.chargingProfilePurpose !== 'TxProfile' && c.chargingProfilePurpose !== 'TxDefaultProfile') return false;
  const mode = c.chargingSchedule[0]?.chargingSchedulePeriod[0]?.operationMode;
  return mode === 'ExternalLimits' || mode === 'ExternalSetpoint';
}

/**
 * K29 step 4, Q06.FR.12: a value of the period (limit, dischargeLimit, setpoint, setpointReactive, per phase too)
 * changed by more than LimitChangeSignificance percent, appeared or went. A first value always counts.
 */
function valuesChanged(before: Installed | undefined, after: Installed, view: StationView): boolean {
  const period = (p: Installed | undefined) =>
    (p?.chargingProfile.chargingSchedule[0] as v21.ChargingScheduleType | undefined)?.chargingSchedulePeriod[0];
  const old = period(before);
  const next = period(after);
  if (!old || !next) return true;
  const percent = limitChangeSignificance(view);
  return POWER_FIELDS.some((f) => {
    const a = old[f];
    const b = next[f];
    if (a === undefined || b === undefined) return a !== b;
    if (a === 0) return b !== 0;
    return (Math.abs(b - a) / Math.abs(a)) * 100 > percent;
  });
}

/** A value of an external system on the EVSE (0: the station): K29.FR.03–.06. */
export function externalValue(
  state: SmartChargingState,
  e: { evseId: number; value: ExternalChargingValue },
  view: StationView,
): Step<SmartChargingState> | undefined {
  const { evseId, value } = e;
  const now = view.now();
  if (versionOf(view) !== 'ocpp2.1') {
    // 2.0.1 has no Dynamic kind, no setpoints and no LocalGeneration: a limit is kept as an Absolute profile (K11.FR.06).
    if (value.limit === undefined || value.localGeneration) return undefined;
    const period = { startPeriod: 0, limit: value.limit };
    return external(
      state,
      {
        evseId,
        source: value.source,
        limit: {
          source: value.source,
          chargingSchedule: { id: 1, chargingRateUnit: value.chargingRateUnit, chargingSchedulePeriod: [period] },
          ...(value.isGridCritical !== undefined ? { isGridCritical: value.isGridCritical } : {}),
        },
      },
      view,
    );
  }
  // K29.FR.03/.05/.06: the CSMS's profiles that wait for these values get them.
  const targets = value.localGeneration ? [] : state.profiles.filter((p) => takesExternalValues(p, evseId));
  if (targets.length > 0) {
    const updated = new Map(
      targets.map((p) => {
        const schedule = p.chargingProfile.chargingSchedule[0]!;
        const phases = schedule.chargingSchedulePeriod[0]?.numberPhases ?? 3;
        const update = updateIn(value, schedule.chargingRateUnit, phases);
        return [p, { ...p, chargingProfile: applyScheduleUpdate(p.chargingProfile, update, now) }] as const;
      }),
    );
    const notify = targets
      .filter((p) => valuesChanged(p, updated.get(p)!, view))
      .map((p) => notifyChargingLimit(view, { ...updated.get(p)!, source: value.source }, value.isGridCritical));
    const profiles = state.profiles.map((p) => updated.get(p) ?? p);
    return limits({ ...state, profiles }, view, [{ type: 'persist' }, ...notify]);
  }
  // K11.FR.07, Q06.FR.08: external limits are refused unless the CSMS asked for them (K29.FR.03): no profile.
  // Local generation is no limit: K27.FR.01 whatever ExternalConstraintsProfileDisallowed says.
  if (!value.localGeneration && view.variables.bool('SmartChargingCtrlr', 'ExternalConstraintsProfileDisallowed'))
    return undefined;
  // K29.FR.04/.05 (K27.FR.01): the Dynamic profile of this source and purpose on the EVSE.
  const before = externalOf(state.profiles, evseId, value.source, externalPurpose(value.localGeneration));
  const maxId = view.variables.int('SmartChargingCtrlr', 'MaxExternalConstraintsId');
  const profile = dynamicProfile(state.profiles, before, evseId, value, now, maxId);
  const profiles = [...state.profiles.filter((p) => p !== before), profile];
  // Q06.FR.11/.12: with the single period as it now is (2.1's isDynamic is not in the schema OCPP 2.1 published).
  const notify = valuesChanged(before, profile, view)
    ? [notifyChargingLimit(view, profile, value.isGridCritical, true)]
    : [];
  return limits({ ...state, profiles }, view, [{ type: 'persist' }, ...notify]);
}

/**
 * K29.FR.04: one period with operationMode ExternalSetpoint (a setpoint was given) or ExternalLimits, from the moment
 * of the first value; K29.FR.05/.06: later values update that period and dynUpdateTime. A profile of the source kept
 * as Absolute (externalChargingLimit) is replaced by a Dynamic one with its id.
 */
function dynamicProfile(
  profiles: readonly Installed[],
  before: ExternalProfile | undefined,
  evseId: number,
  value: ExternalChargingValue,
  now: number,
  maxId: number | undefined,
): ExternalProfile {
  const operationMode: v21.OperationModeEnumType = value.setpoint !== undefined ? 'ExternalSetpoint' : 'ExternalLimits';
  const update = updateIn(value, value.chargingRateUnit, 3);
  const prior = before?.chargingProfile as v21.ChargingProfileType | undefined;
  const schedule = prior?.chargingProfileKind === 'Dynamic' ? prior.chargingSchedule[0] : undefined;
  if (prior && schedule && schedule.chargingRateUnit === value.chargingRateUnit) {
    // Only the values given now: a limit no longer given is not kept from the last update.
    const period = { startPeriod: 0, operationMode, ...update };
    return {
      ...before!,
      chargingProfile: {
        ...prior,
        dynUpdateTime: iso(Math.floor(now / 1000) * 1000),
        chargingSchedule: [{ ...schedule, chargingSchedulePeriod: [period] }],
      },
    };
  }
  // K11.FR.06: a negative id, kept while the source keeps reporting (the id of its Absolute profile, if any).
  const id = prior?.id ?? newExternalId(profiles, maxId);
  const start = iso(Math.floor(now / 1000) * 1000);
  const chargingProfile: v21.ChargingProfileType = {
    id,
    stackLevel: 0,
    chargingProfilePurpose: externalPurpose(value.localGeneration),
    chargingProfileKind: 'Dynamic',
    dynUpdateTime: start,
    chargingSchedule: [
      {
        id: 1,
        startSchedule: start,
        chargingRateUnit: value.chargingRateUnit,
        chargingSchedulePeriod: [{ startPeriod: 0, operationMode, ...update }],
      },
    ],
  };
  return { evseId, source: value.source, chargingProfile };
}
