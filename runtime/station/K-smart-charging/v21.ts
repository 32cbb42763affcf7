// What OCPP 2.1 adds to block K on the station: priority charging (K21 UsePriorityCharging, K22 at the station,
// NotifyPriorityCharging), dynamic profiles (K28 UpdateDynamicSchedule, PullDynamicScheduleUpdate), the offline
// validity of profiles (K01.FR.101–103: maxOfflineDuration, invalidAfterOfflineDuration) and limitAtSoC
// (K01.FR.100). The answers are in smart-charging.ts; the rules are here.
import type * as v21 from '../../../generated/v21/types.js';
import type { StationView } from '../core/types.js';
import { iso, type Installed, type Profile } from './profiles.js';

/** The timer event of a dynamic profile's PullDynamicScheduleUpdate (K28.FR.10). */
export const PULL_TIMER = 'smartCharging.pull';
export const pullTimer = (profileId: number) => `${PULL_TIMER}:${profileId}`;
export const PULL_TAG = 'k28.pull:';

/** K21.FR.01/.03, K22.FR.01/.02: a PriorityCharging profile installed on EVSE 0 or on the transaction's EVSE. */
export function hasPriorityProfile(profiles: readonly Installed[], evseId: number): boolean {
  return profiles.some(
    (p) => p.chargingProfile.chargingProfilePurpose === 'PriorityCharging' && (p.evseId === 0 || p.evseId === evseId),
  );
}

/** K28.FR.06/.08/.09: the values of a schedule update put into the (single) period of a Dynamic profile. */
export function applyScheduleUpdate(profile: Profile, update: v21.ChargingScheduleUpdateType, now: number): Profile {
  const [schedule, ...rest] = profile.chargingSchedule as v21.ChargingScheduleType[];
  const { customData: _ignored, ...values } = update;
  const [period, ...more] = schedule!.chargingSchedulePeriod;
  return {
    ...(profile as v21.ChargingProfileType),
    dynUpdateTime: iso(Math.floor(now / 1000) * 1000),
    chargingSchedule: [{ ...schedule!, chargingSchedulePeriod: [{ ...period!, ...values }, ...more] }, ...rest],
  };
}

/** K28.FR.05: a Dynamic profile received without dynUpdateTime gets the time of receipt. */
export function withUpdateTime(profile: Profile, now: number): Profile {
  const p = profile as v21.ChargingProfileType;
  if (p.chargingProfileKind !== 'Dynamic' || p.dynUpdateTime !== undefined) return profile;
  return { ...p, dynUpdateTime: iso(Math.floor(now / 1000) * 1000) };
}

/** K28.FR.10: the profile asks to be pulled every dynUpdateInterval seconds. */
export function pullInterval(profile: Profile): number | undefined {
  const p = profile as v21.ChargingProfileType;
  return p.chargingProfileKind === 'Dynamic' && p.dynUpdateInterval !== undefined && p.dynUpdateInterval > 0
    ? p.dynUpdateInterval
    : undefined;
}

/**
 * K01.FR.102: when the connection comes back, profiles with invalidAfterOfflineDuration whose maxOfflineDuration
 * passed while offline stay invalid: they are removed. The others are valid again.
 */
export function invalidAfterOffline(p: Installed, offlineSince: number, now: number): boolean {
  const c = p.chargingProfile as v21.ChargingProfileType;
  return (
    c.invalidAfterOfflineDuration === true &&
    c.maxOfflineDuration !== undefined &&
    now >= offlineSince + c.maxOfflineDuration * 1000
  );
}

/**
 * K01.FR.100: the cap of limitAtSoC for an EVSE whose EV's state of charge (the SoC the meter reports) has reached
 * it: the lowest limitAtSoC.limit, in its unit, of the profiles acting on the EVSE; undefined when none applies (no
 * SoC reading: the schedules apply without it).
 */
export function socCap(
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
