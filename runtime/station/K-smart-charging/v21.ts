// What OCPP 2.1 adds to block K on the station: priority charging (K21 UsePriorityCharging, K22 at the station,
// NotifyPriorityCharging), dynamic profiles (K28 UpdateDynamicSchedule, PullDynamicScheduleUpdate), the offline
// validity of profiles (K01.FR.101–103: maxOfflineDuration, invalidAfterOfflineDuration) and limitAtSoC
// (K01.FR.100, applied in state.ts). The answers are in smart-charging.ts; the rules and the steps are here.
import type * as v21 from '../../../generated/v21/types.js';
import type { Effect, StationView, Step } from '../core/types.js';
import { iso, transactionOf, type Installed, type Profile } from './profiles.js';
import { limits, type SmartChargingState } from './state.js';

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

/** K28.FR.10: the timer that pulls a Dynamic profile's values every dynUpdateInterval. */
export function pullTimerFor(profile: Profile): Effect[] {
  const interval = pullInterval(profile);
  if (interval === undefined) return [];
  return [
    {
      type: 'timer',
      id: pullTimer(profile.id),
      ms: interval * 1000,
      event: { type: PULL_TIMER, profileId: profile.id },
    },
  ];
}

/** K28.FR.10: PullDynamicScheduleUpdate for a Dynamic profile still installed; the next one after the interval. */
export function pull(
  state: SmartChargingState,
  profileId: number,
  view: StationView,
): Step<SmartChargingState> | undefined {
  const found = state.profiles.find((p) => p.chargingProfile.id === profileId);
  if (!found || pullInterval(found.chargingProfile) === undefined) return undefined;
  const effects: Effect[] = pullTimerFor(found.chargingProfile);
  // Only a 2.1 connection has the message; offline the pull waits for the next interval.
  if (view.version === 'ocpp2.1')
    effects.unshift({
      type: 'send',
      action: 'PullDynamicScheduleUpdate',
      payload: { chargingProfileId: profileId },
      tag: `${PULL_TAG}${profileId}`,
    });
  return { state, effects };
}

/** K28.FR.08/.09: the CSMS's values for a Dynamic profile are applied at once. */
export function pulled(
  state: SmartChargingState,
  profileId: number,
  response: v21.PullDynamicScheduleUpdateResponse | undefined,
  view: StationView,
): Step<SmartChargingState> | undefined {
  if (response?.status !== 'Accepted' || !response.scheduleUpdate) return undefined;
  const update = response.scheduleUpdate;
  const found = state.profiles.find((p) => p.chargingProfile.id === profileId);
  if (!found || found.chargingProfile.chargingProfileKind !== 'Dynamic') return undefined;
  const updated = { ...found, chargingProfile: applyScheduleUpdate(found.chargingProfile, update, view.now()) };
  const profiles = state.profiles.map((p) => (p === found ? updated : p));
  return limits({ ...state, profiles }, view, [{ type: 'persist' }]);
}

/** The EVSE on which the transaction runs (K21.FR.02: undefined when none). */
export function evseOfTransaction(
  state: SmartChargingState,
  view: StationView,
  transactionId: string,
): number | undefined {
  return view.evses.find((e) => transactionOf(view, state.transactions, e.id)?.transactionId === transactionId)?.id;
}

/**
 * K21.FR.04/.07, K22.FR.02/.04: priority charging on or off for the transaction on the EVSE, with the
 * NotifyPriorityCharging that tells the CSMS (K21.FR.05/.08, K22.FR.03/.05); undefined when nothing changes.
 */
export function setPriority(
  state: SmartChargingState,
  view: StationView,
  evseId: number,
  activate: boolean,
): { state: SmartChargingState; notify: Effect } | undefined {
  const tx = transactionOf(view, state.transactions, evseId);
  if (!tx || (tx.priorityCharging === true) === activate) return undefined;
  const { priorityCharging: _was, ...rest } = tx;
  const transactions = { ...state.transactions, [evseId]: activate ? { ...rest, priorityCharging: true } : rest };
  return {
    state: { ...state, transactions },
    notify: {
      type: 'send',
      action: 'NotifyPriorityCharging',
      payload: { transactionId: tx.transactionId, activated: activate },
    },
  };
}

/** K22: the driver asks at the station; without a PriorityCharging profile the driver is told it cannot be done. */
export function priorityAtStation(
  state: SmartChargingState,
  e: { evseId: number; activate: boolean },
  view: StationView,
): Step<SmartChargingState> | undefined {
  if (e.activate && !hasPriorityProfile(state.profiles, e.evseId))
    return { state, effects: [{ type: 'hardware', call: { op: 'priorityChargingUnavailable', args: [e.evseId] } }] };
  const changed = setPriority(state, view, e.evseId, e.activate);
  if (!changed) return undefined;
  return limits(changed.state, view, [{ type: 'persist' }, changed.notify]);
}
