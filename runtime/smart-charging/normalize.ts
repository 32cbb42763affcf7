// Installed profiles of a version → the neutral model. 2.0.1 and 2.1 share field names; 1.6 will add its own
// adapter here (chargingProfileId, stackLevel, connectorId, ChargePointMaxProfile, a single chargingSchedule).
import type * as v21 from '../../generated/v21/types.js';
import { localClock, unqualifiedSeconds, type LocalClock } from './local-time.js';
import { DAY, WEEK, seconds, type Profile } from './model.js';
import type { CompositeScheduleInput, EvseState, InstalledProfile } from './types.js';

/** The profiles of the input, for a window [from, to] (seconds; where a local clock is needed, K01.FR.90). */
export function normalizeProfiles(input: CompositeScheduleInput, from: number, to: number): Profile[] {
  // A 2.0.1 profile is a 2.1 profile without the 2.1 fields: one adapter serves both.
  const installed = input.profiles as InstalledProfile<v21.ChargingProfileType>[];
  const v21 = input.version === 'ocpp2.1';
  const offlineSince = v21 && input.station.offlineSince ? seconds(input.station.offlineSince) : undefined;
  // K01.FR.90: one wall clock over the window for every schedule with useLocalTime, made only if one has it.
  let clock: LocalClock | undefined;
  const clockOf = () => (clock ??= localClock(input.station, from, to));
  return installed.map((p, order) => normalizeProfile(p, order, offlineSince, v21 ? clockOf : undefined));
}

function normalizeProfile(
  { evseId, chargingProfile: cp }: InstalledProfile<v21.ChargingProfileType>,
  order: number,
  offlineSince?: number,
  clockOf?: () => LocalClock,
): Profile {
  // K01.FR.34: without ISO 15118 a profile carries one schedule; with 15118 the first is the one the station runs
  // (docs "Several chargingSchedules").
  const schedule = cp.chargingSchedule[0]!;
  const relative = cp.chargingProfileKind === 'Relative' || schedule.startSchedule === undefined;
  // K01.FR.90: startSchedule as the wall-clock time it writes, on the station's local clock (a Relative schedule
  // starts at an instant, the transaction's, and has no local time to follow).
  const local = !relative && schedule.useLocalTime === true && clockOf !== undefined;
  const validTo = cp.validTo ? seconds(cp.validTo) : Infinity;
  // 2.1 Q05.FR.07: a Dynamic schedule's duration counts from its last update (dynUpdateTime): when the updates stop
  // for that long the profile is no longer valid and the next one takes over; an update makes it valid again
  // (errata). Before the first update it counts from the schedule's start, as any duration (docs "Dynamic lapse").
  const lapse =
    cp.chargingProfileKind === 'Dynamic' && cp.dynUpdateTime !== undefined && schedule.duration !== undefined
      ? seconds(cp.dynUpdateTime) + schedule.duration
      : undefined;
  return {
    order,
    evseId,
    id: cp.id,
    stackLevel: cp.stackLevel,
    purpose: cp.chargingProfilePurpose,
    kind: cp.chargingProfileKind,
    recurrence: cp.chargingProfileKind === 'Recurring' ? recurrenceOf(cp.recurrencyKind) : undefined,
    validFrom: cp.validFrom ? seconds(cp.validFrom) : -Infinity,
    validTo: lapse === undefined ? validTo : Math.min(validTo, lapse),
    offlineInvalidFrom:
      offlineSince !== undefined && cp.maxOfflineDuration !== undefined
        ? offlineSince + cp.maxOfflineDuration
        : Infinity,
    transactionId: cp.transactionId,
    unit: schedule.chargingRateUnit,
    start: relative
      ? undefined
      : local
        ? unqualifiedSeconds(schedule.startSchedule!)
        : seconds(schedule.startSchedule!),
    duration: lapse === undefined ? schedule.duration : undefined,
    periods: schedule.chargingSchedulePeriod,
    ...(local ? { clock: clockOf!() } : {}),
  };
}

/** A Recurring profile without recurrencyKind never has a period in force (docs "Recurring without kind"). */
function recurrenceOf(kind: v21.RecurrencyKindEnumType | undefined): number {
  return kind === 'Daily' ? DAY : kind === 'Weekly' ? WEEK : NaN;
}

/**
 * K15.FR.14, K16.FR.10, K17.FR.14: the EV's accepted schedule as a profile of its own (never a candidate of a purpose:
 * a limit merged after the purposes, docs "EV schedule"). Absolute from its startSchedule or its timeBase.
 */
export function evProfile(evse: EvseState, evseId: number): Profile | undefined {
  const ev = evse.evChargingSchedule;
  if (!ev || !evse.transaction) return undefined;
  const s = ev.chargingSchedule as v21.ChargingScheduleType;
  return {
    order: -1,
    evseId,
    id: s.id,
    stackLevel: 0,
    purpose: 'TxProfile',
    kind: 'Absolute',
    validFrom: -Infinity,
    validTo: Infinity,
    offlineInvalidFrom: Infinity,
    unit: s.chargingRateUnit,
    start: seconds(s.startSchedule ?? ev.timeBase),
    duration: s.duration,
    periods: s.chargingSchedulePeriod,
  };
}
