// The version-neutral model the composite calculation works on. Each version's profiles are turned into it by
// normalize.ts, so that 1.6 (chargingProfileId, connectorId, ChargePointMaxProfile, one chargingSchedule) only
// needs an adapter. Times are whole seconds since the epoch: startPeriod and duration are whole seconds, and the
// composite is reported at that resolution (docs/smart-charging.md, "Resolution").
import type * as v21 from '../../generated/v21/types.js';
import type { LocalClock } from './local-time.js';

export type Purpose = v21.ChargingProfilePurposeEnumType;
export type Kind = v21.ChargingProfileKindEnumType;
export type RateUnit = v21.ChargingRateUnitEnumType;
/** The 2.1 period is a superset of the 2.0.1 one (limit optional, setpoints, per-phase values, operationMode). */
export type Period = v21.ChargingSchedulePeriodType;

export const DAY = 86_400;
export const WEEK = 7 * DAY;

export interface Profile {
  /** Position in installation order (a later one wins a tie, docs "Ties"). */
  order: number;
  evseId: number;
  id: number;
  stackLevel: number;
  purpose: Purpose;
  kind: Kind;
  /** Seconds between restarts of a Recurring schedule; undefined when not recurring. */
  recurrence?: number;
  /** Validity [validFrom, validTo) in seconds (K01.FR.36/.37); open bounds are ±Infinity (K01.FR.10). */
  validFrom: number;
  validTo: number;
  /** 2.1: from this second on the profile is not valid while the station stays offline (K01.FR.101). */
  offlineInvalidFrom: number;
  transactionId?: string;
  unit: RateUnit;
  /** startSchedule in seconds; undefined for Relative schedules (they start at the EVSE's anchor). */
  start?: number;
  duration?: number;
  periods: Period[];
  /**
   * 2.1 K01.FR.90/.91 (useLocalTime): the schedule runs on the station's wall clock; `start` is then in local
   * seconds. Validity (validFrom, validTo, offline) stays in UTC: it is not a field of the schedule.
   */
  clock?: LocalClock;
}

/** ISO date-time → whole seconds (fractions truncated). */
export function seconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
