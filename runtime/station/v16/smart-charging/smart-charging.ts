// 1.6 Smart Charging profile (§3.13, §5.5 ClearChargingProfile, §5.7 GetCompositeSchedule, §5.16
// SetChargingProfile, §5.11 RemoteStartTransaction with a chargingProfile, keys §9.4). The calculations are those of
// block K, through the pure functions of ocppkit/smart-charging with version 'ocpp1.6' (profiles.ts): a received
// profile is checked by checkChargingProfile, GetCompositeSchedule is answered by compositeSchedule, and the limit
// in force on each connector — the first period of its composite schedule — goes to the hardware
// (`setChargingLimit`, declared by block K) whenever it changes: a profile installed or cleared, a period boundary
// (a timer to the next change), a transaction started or ended, and at start-up.
import type * as v16 from '../../../../generated/v16/types.js';
import type { Family16 } from '../../core/family.js';
import { byEventType, type Effect, type StationView, type Step, type UseCase } from '../../core/types.js';
import type { ChargingLimit } from '../../K-smart-charging/state.js';
import { connectorOf, connectors16 } from '../layout.js';
import { check16, composite16, rateUnits16, type Installed16 } from './profiles.js';
import '../core-profile/transactions.js';
import '../../K-smart-charging/smart-charging.js';

declare module '../../core/registry.js' {
  interface OwnEvents {
    /** A period boundary or a validity end has come: the limits in force are worked out again. */
    'v16.smartCharging.tick': object;
    /** RemoteStartTransaction accepted with a TxProfile (§5.11): installed for the transaction it starts. */
    'v16.smartCharging.remoteProfile': { idTag: string; connectorId?: number; chargingProfile: v16.ChargingProfile };
  }
  interface StationQueries {
    /**
     * §5.11: whether the chargingProfile of a RemoteStartTransaction can be installed for the transaction it starts:
     * a TxProfile without transactionId that passes SetChargingProfile's checks on the connector (1 when none named).
     */
    remoteStartProfile16(connectorId: number | undefined, chargingProfile: v16.ChargingProfile): boolean;
  }
}

export interface SmartCharging16State {
  /** Installed profiles in installation order. */
  profiles: Installed16[];
  /** TxProfiles of accepted RemoteStartTransactions, waiting for their transaction. */
  pending: Array<{ idTag: string; connectorId?: number; chargingProfile: v16.ChargingProfile }>;
  /** What `setChargingLimit` was last called with, per EVSE (JSON); not kept across restarts. */
  applied: Record<number, string>;
}

type S = SmartCharging16State;
type View = StationView<Family16>;

const TICK = 'v16.smartCharging.tick';
/** The window searched for the next change of the limit; the timer is set again at its end. */
const HORIZON_S = 86_400;

/** A profile whose validTo has passed is of no use any more and is removed (§3.13.1 validity). */
function pruned(state: S, now: number): S {
  const live = state.profiles.filter((p) => {
    const to = p.csChargingProfiles.validTo === undefined ? NaN : Date.parse(p.csChargingProfiles.validTo);
    return !(to <= now);
  });
  return live.length === state.profiles.length ? state : { ...state, profiles: live };
}

/** The limit in force on every connector to the hardware where it changed, and a timer to its next change. */
function limits(state: S, view: View, supplyPhases: number, effects: Effect<Family16>[] = []): Step<S, Family16> {
  const now = view.now();
  const s = pruned(state, now);
  const unit = rateUnits16(view)[0] ?? 'A';
  const applied = { ...s.applied };
  const out: Effect<Family16>[] = [...effects, ...(s !== state ? [{ type: 'persist' } as const] : [])];
  let next = now + HORIZON_S * 1000;
  for (const c of connectors16(view.evses)) {
    const answer = composite16(view, supplyPhases, s.profiles, {
      connectorId: c.id,
      duration: HORIZON_S,
      chargingRateUnit: unit,
    });
    const schedule = answer.chargingSchedule;
    const first = schedule?.chargingSchedulePeriod[0];
    if (!schedule || !first) continue;
    const limit: ChargingLimit = {
      limit: first.limit,
      unit,
      ...(first.numberPhases !== undefined ? { numberPhases: first.numberPhases } : {}),
    };
    const key = JSON.stringify(limit);
    if (applied[c.evseId] !== key) {
      applied[c.evseId] = key;
      out.push({ type: 'hardware', call: { op: 'setChargingLimit', args: [c.evseId, limit] } });
    }
    const second = schedule.chargingSchedulePeriod[1];
    const start = Date.parse(answer.scheduleStart ?? schedule.startSchedule ?? '');
    if (second && Number.isFinite(start)) next = Math.min(next, start + second.startPeriod * 1000);
  }
  for (const p of s.profiles) {
    const to = p.csChargingProfiles.validTo === undefined ? NaN : Date.parse(p.csChargingProfiles.validTo);
    if (to > now) next = Math.min(next, to);
  }
  out.push({ type: 'timer', id: TICK, ms: Math.max(0, next - now), event: { type: TICK } });
  return { state: { ...s, applied }, effects: out };
}

/** §5.5: the profiles ClearChargingProfile.req selects: by id, else by every criterion it gives. */
function selects(request: v16.ClearChargingProfileRequest, p: Installed16): boolean {
  const c = p.csChargingProfiles;
  if (request.id !== undefined) return c.chargingProfileId === request.id;
  return (
    (request.connectorId === undefined || request.connectorId === p.connectorId) &&
    (request.chargingProfilePurpose === undefined || request.chargingProfilePurpose === c.chargingProfilePurpose) &&
    (request.stackLevel === undefined || request.stackLevel === c.stackLevel)
  );
}

export function smartCharging16UseCase(options: { supplyPhases: number }): UseCase<S, Family16> {
  const phases = options.supplyPhases;
  return {
    name: 'v16.smartCharging',
    init(_view, saved) {
      const s = saved as Partial<S> | undefined;
      return { profiles: s?.profiles ?? [], pending: [], applied: {} };
    },
    save: (state) => ({ profiles: state.profiles }),
    queries: {
      remoteStartProfile16(state, view, connectorId, chargingProfile) {
        if (chargingProfile.chargingProfilePurpose !== 'TxProfile' || chargingProfile.transactionId !== undefined)
          return false;
        const id = connectorId ?? 1;
        return check16(
          view,
          state.profiles,
          { connectorId: id, csChargingProfiles: chargingProfile },
          { connectorId: id },
        ).accepted;
      },
    },
    on: byEventType<S, Family16>({
      started: (state, _event, view) => limits(state, view, phases),
      [TICK]: (state, _event, view) => limits(state, view, phases),
      'v16.smartCharging.remoteProfile': (state, event) => ({
        state: { ...state, pending: [...state.pending, event] },
      }),
      'v16.tx.started'(state, event, view) {
        const i = state.pending.findIndex(
          (p) => p.idTag === event.idTag && (p.connectorId === undefined || p.connectorId === event.connectorId),
        );
        if (i < 0) return limits(state, view, phases);
        const { chargingProfile } = state.pending[i]!;
        const pending = state.pending.filter((_, j) => j !== i);
        const profiles = state.profiles.filter(
          (p) => p.csChargingProfiles.chargingProfileId !== chargingProfile.chargingProfileId,
        );
        const installed: Installed16 = { connectorId: event.connectorId, csChargingProfiles: chargingProfile };
        return limits({ ...state, pending, profiles: [...profiles, installed] }, view, phases, [{ type: 'persist' }]);
      },
      // §3.13.4: a TxProfile holds for its transaction only; it goes when the transaction ends.
      'v16.tx.ended'(state, event, view) {
        const profiles = state.profiles.filter(
          (p) => !(p.connectorId === event.connectorId && p.csChargingProfiles.chargingProfilePurpose === 'TxProfile'),
        );
        return limits(
          { ...state, profiles },
          view,
          phases,
          profiles.length < state.profiles.length ? [{ type: 'persist' }] : [],
        );
      },
    }),
    answers: {
      SetChargingProfile(state, request, view) {
        if (request.connectorId !== 0 && !connectorOf(view.evses, request.connectorId))
          return { response: { status: 'Rejected' } };
        const { accepted, replaced } = check16(view, state.profiles, request);
        if (!accepted) return { response: { status: 'Rejected' } };
        const profiles = [
          ...state.profiles.filter((p) => !replaced.includes(p)),
          { connectorId: request.connectorId, csChargingProfiles: request.csChargingProfiles },
        ];
        const step = limits({ ...state, profiles }, view, phases);
        return {
          state: step.state,
          response: { status: 'Accepted' },
          persistOrAnswer: { status: 'Rejected' },
          ...(step.effects ? { after: step.effects } : {}),
        };
      },
      ClearChargingProfile(state, request, view) {
        const profiles = state.profiles.filter((p) => !selects(request, p));
        if (profiles.length === state.profiles.length) return { response: { status: 'Unknown' } };
        const step = limits({ ...state, profiles }, view, phases);
        return {
          state: step.state,
          response: { status: 'Accepted' },
          persistOrAnswer: { status: 'Unknown' },
          ...(step.effects ? { after: step.effects } : {}),
        };
      },
      GetCompositeSchedule(state, request, view) {
        if (request.connectorId !== 0 && !connectorOf(view.evses, request.connectorId))
          return { response: { status: 'Rejected' } };
        return { response: composite16(view, phases, pruned(state, view.now()).profiles, request) };
      },
    },
  };
}
