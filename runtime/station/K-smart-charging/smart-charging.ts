// K01 SetChargingProfile, K02/K05 TxProfile and TxDefaultProfile, K08 GetCompositeSchedule, K09 GetChargingProfiles,
// K10 ClearChargingProfile: block K on the station, for 2.0.1 and 2.1.
//
// The calculations are the pure functions of ocppkit/smart-charging (docs/smart-charging.md): a received profile is
// checked by `checkChargingProfile`, GetCompositeSchedule is answered by `compositeSchedule` on this block's state,
// and the limit in force on each EVSE — the first period of that EVSE's composite schedule — goes to the hardware
// (`setChargingLimit`) whenever it changes: a profile installed or cleared, a period boundary (a timer to the next
// change), a transaction started or ended, and at start-up.
//
// This file holds the use case: its declarations, events and answers. The steps live beside it: state.ts (the
// state and the limit in force), external.ts (K11–K13 external limits), iso15118.ts (K15–K17, the integrator's ISO
// 15118 stack), v21.ts (2.1: priority charging, Dynamic profiles, offline validity), profiles.ts (the station as
// the pure functions take it).
import type * as v201 from '../../../generated/v201/types.js';
import type * as v21 from '../../../generated/v21/types.js';
import {
  byEventType,
  type Effect,
  type RemoteStartProfile,
  type StationView,
  type UseCase,
  type Version2x,
} from '../core/types.js';
import { external, type ExternalChargingLimit } from './external.js';
import { externalValue, type ExternalChargingValue } from './external-dynamic.js';
import {
  evNeeds,
  evSchedule,
  needsAnswered,
  NEEDS_TAG,
  offers,
  REJECTED_TAG,
  rejectedNeedsHandled,
  resendHeld,
  SCHEDULE_TAG,
  scheduleAccepted,
  scheduleDelivered,
  type EvChargingNeeds,
  type EvChargingSchedule,
  type EvScheduleReport,
  type OfferReason,
} from './iso15118.js';
import {
  check,
  composite,
  iso,
  transactionOf,
  type Installed,
  type KnownTransaction,
  type Profile,
} from './profiles.js';
import {
  appliedLimit,
  hasLimitAtSoC,
  limits,
  sleeping,
  periodsInForce,
  pruned,
  TICK,
  type ChargingLimit,
  type SmartChargingState,
} from './state.js';
import {
  applyScheduleUpdate,
  evseOfTransaction,
  hasPriorityProfile,
  invalidAfterOffline,
  PULL_TAG,
  pull,
  pulled,
  pullTimerFor,
  priorityAtStation,
  setPriority,
  withUpdateTime,
} from './v21.js';

export type { ChargingLimit, SmartChargingState } from './state.js';

declare module '../core/registry.js' {
  interface OwnEvents {
    /** A period boundary or a validity end has come: the limits in force are worked out again. */
    'smartCharging.tick': object;
    /**
     * The firmware (`ChargingStation.externalChargingLimit` / `externalChargingLimitCleared`): an external system set
     * a limit on the EVSE (0: the station), or released the one of `source` (`limit` absent). K11–K13.
     */
    'smartCharging.external': { evseId: number; source: string; limit?: ExternalChargingLimit };
    /**
     * The firmware (`ChargingStation.externalChargingValue`): an external system's single value (a limit or a
     * setpoint) for the EVSE (0: the station), kept in a Dynamic profile (2.1 K29).
     */
    'smartCharging.externalValue': { evseId: number; value: ExternalChargingValue };
    /** 2.1 K28.FR.10: time to ask the CSMS for a Dynamic profile's values (PullDynamicScheduleUpdate). */
    'smartCharging.pull': { profileId: number };
    /** 2.1 K22: the EV driver asked at the station to start (or end) priority charging on the EVSE. */
    'smartCharging.priority': { evseId: number; activate: boolean };
    /** The firmware (`ChargingStation.evChargingNeeds`): the EV's ISO 15118 charging needs (K15.FR.01, K17.FR.01). */
    'smartCharging.evNeeds': {
      evseId: number;
      chargingNeeds: EvChargingNeeds;
      maxScheduleTuples?: number;
    };
    /**
     * The firmware (`ChargingStation.evChargingSchedule`, `evChargingScheduleSelected`): the schedule the EV chose or
     * returned (K15.FR.09/.10), or only the id of the one it selected (2.1 K18.FR.19).
     */
    'smartCharging.evSchedule': EvScheduleReport;
  }
  interface StationQueries {
    /**
     * 2.1 Q10.FR.03–.05: the EVSE's electronics sleep now — the period in force is Idle with evseSleep and the
     * station declares SmartChargingCtrlr.SupportsEvseSleep — so its TransactionEvents report evseSleep.
     */
    evseSleeping(evseId: number): boolean;
    /**
     * 2.1 Q01.FR.33–.35: the operationMode of the period in force on the EVSE, as given to the hardware
     * (undefined: none given, ChargingOnly), for the measurands that depend on it.
     */
    operationModeInForce(evseId: number): string | undefined;
    /**
     * K: whether the chargingProfile of a RequestStartTransaction for the EVSE can be installed (F01.FR.26,
     * F02.FR.27, K05.FR.05): a TxProfile that passes SetChargingProfile's checks for the transaction to come.
     * Undefined: the station does not do smart charging now, and the profile is ignored (F01.FR.12, F02.FR.20).
     */
    remoteStartProfile(
      evseId: number,
      chargingProfile: RemoteStartProfile,
    ): { accepted: true } | { accepted: false; reasonCode: string } | undefined;
  }
  interface HardwareOperations {
    /**
     * K01.FR.07, K10.FR.05: the limit in force on the EVSE changed (a profile installed or cleared, a period
     * boundary, a transaction started or ended), and once for every EVSE at start-up. Limit the power path to it.
     */
    setChargingLimit(evseId: number, limit: ChargingLimit): void | Promise<void>;
    /**
     * K15.FR.02–.05, K17.FR.02–.05: the CSMS's answer to the EV's charging needs (NotifyEVChargingNeedsResponse), or
     * undefined when it could not be delivered (offline). For the integrator's ISO 15118 stack. 2.1 Q01.FR.04–.06:
     * after a Rejected during a transaction, return 'renegotiate' when the stack starts a service renegotiation with
     * the EV (Q01.FR.05); otherwise ocppkit ends the transaction (AbnormalCondition, ReqEnergyTransferRejected).
     */
    evChargingNeedsAnswered(
      evseId: number,
      response: v21.NotifyEVChargingNeedsResponse | undefined,
    ): void | 'renegotiate' | Promise<void | 'renegotiate'>;
    /**
     * K15.FR.07, K16.FR.02/.03, K15.FR.15, K17.FR.15: the schedules the integrator's ISO 15118 stack offers the EV
     * (SAScheduleList / ScheduleExchange): the CSMS's TxProfile (`csms`), a change the CSMS made during the session
     * to renegotiate (`renegotiation`), or the station's own composite schedule when the CSMS gives none (`local`).
     */
    offerEvChargingSchedules(
      evseId: number,
      schedules: EvChargingSchedule[],
      reason: OfferReason,
    ): void | Promise<void>;
    /**
     * 2.1 K22.FR.01: the driver asked for priority charging, but no PriorityCharging profile is valid for the EVSE:
     * tell the driver the station cannot do it.
     */
    priorityChargingUnavailable(evseId: number): void | Promise<void>;
  }
}

type Saved = {
  profiles: Installed[];
  transactions: Record<number, KnownTransaction>;
  offlineSince?: number;
  lastVersion?: Version2x;
};

/** The ChargingLimitSource of profiles a CSMS installed (K09: ReportChargingProfiles). */
const CSO = 'CSO';
/** Profiles per ReportChargingProfilesRequest (K09.FR.02: tbc on all but the last). */
export const PROFILES_PER_REPORT = 10;

const INTERNAL_ERROR = { status: 'Rejected' as const, statusInfo: { reasonCode: 'InternalError' } };

export const smartChargingUseCase: UseCase<SmartChargingState> = {
  name: 'smartCharging',

  init(_view, saved) {
    // Written by `save` below (or nothing on a first start).
    const s = (saved ?? {}) as Partial<Saved>;
    return {
      profiles: Array.isArray(s.profiles) ? s.profiles : [],
      transactions: s.transactions && typeof s.transactions === 'object' ? s.transactions : {},
      pending: {},
      applied: {},
      ev: {},
      held: {},
      ...(typeof s.offlineSince === 'number' ? { offlineSince: s.offlineSince } : {}),
      ...(s.lastVersion ? { lastVersion: s.lastVersion } : {}),
    };
  },

  save: (state): Saved => ({
    profiles: state.profiles,
    transactions: state.transactions,
    ...(state.offlineSince !== undefined ? { offlineSince: state.offlineSince } : {}),
    ...(state.lastVersion ? { lastVersion: state.lastVersion } : {}),
  }),

  on: byEventType<SmartChargingState>({
    // At start-up every EVSE is told its limit (the hardware's state is not assumed to have survived).
    started: (state, _e, view) =>
      limits({ ...afterRestart(pruned(state, view), view), applied: {} }, view, [
        { type: 'persist' },
        // K28.FR.10: the pulls of Dynamic profiles go on after a restart.
        ...state.profiles.flatMap((p) => pullTimerFor(p.chargingProfile)),
      ]),
    'transaction.started': (state, e, view) => {
      // An EV whose ISO 15118 needs came before the transaction (a late TxStartPoint): the session is this one's
      // (K01.FR.34: its TxProfile may carry up to three schedules).
      const session = state.ev[e.evseId];
      const transactions = {
        ...state.transactions,
        [e.evseId]: {
          transactionId: e.transactionId,
          startTime: iso(view.now()),
          ...(session && session.transactionId === undefined ? { iso15118: true } : {}),
        },
      };
      const ev =
        session && session.transactionId === undefined
          ? { ...state.ev, [e.evseId]: { ...session, transactionId: e.transactionId } }
          : state.ev;
      let next: SmartChargingState = { ...state, transactions, ev };
      // F01.FR.10, F02.FR.18: the profile of the RequestStartTransaction that started it.
      const remote = state.pending[e.evseId];
      if (remote && remote.remoteStartId === e.remoteStartId) next = installRemote(next, e.evseId, e.transactionId);
      return limits(next, view, [{ type: 'persist' }]);
    },
    'remote.start': (state, e, view) => {
      if (!e.chargingProfile) return undefined;
      const next = {
        ...state,
        pending: {
          ...state.pending,
          [e.evseId]: { remoteStartId: e.remoteStartId, chargingProfile: e.chargingProfile },
        },
      };
      // F01.FR.13: the remote start authorizes a transaction that already runs: the profile is for that one.
      const running = transactionOf(view, state.transactions, e.evseId)?.transactionId;
      if (running === undefined) return { state: next };
      return limits(installRemote(next, e.evseId, running), view, [{ type: 'persist' }]);
    },
    // A TxProfile lives as long as its transaction (K01.FR.04, K02: TxDefaultProfile applies again to new ones).
    'transaction.ended': (state, e, view) => {
      const transactions = { ...state.transactions };
      delete transactions[e.evseId];
      const profiles = state.profiles.filter(
        (p) =>
          !(
            p.chargingProfile.chargingProfilePurpose === 'TxProfile' &&
            p.evseId === e.evseId &&
            (p.chargingProfile.transactionId === undefined || p.chargingProfile.transactionId === e.transactionId)
          ),
      );
      const ev = { ...state.ev };
      delete ev[e.evseId];
      const { [e.evseId]: _ended, ...evSchedules } = state.evSchedules ?? {};
      return limits({ ...state, transactions, profiles, ev, evSchedules }, view, [{ type: 'persist' }]);
    },
    // K03.FR.04/.05: the transaction's chargingPriority changed: the station-wide limit is shared again.
    'transaction.priority': (state, _e, view) => limits(pruned(state, view), view),
    // The EV left before any transaction started: its ISO 15118 session ends with it.
    cableUnplugged: (state, e) => {
      if (!state.ev[e.evseId] || state.ev[e.evseId]!.transactionId !== undefined) return undefined;
      const ev = { ...state.ev };
      delete ev[e.evseId];
      return { state: { ...state, ev } };
    },
    'smartCharging.tick': (state, _e, view) => limits(pruned(state, view), view, [{ type: 'persist' }]),
    'smartCharging.external': (state, e, view) => external(pruned(state, view), e, view),
    'smartCharging.externalValue': (state, e, view) => externalValue(pruned(state, view), e, view),
    'smartCharging.evNeeds': (state, e, view) => evNeeds(pruned(state, view), e, view),
    'smartCharging.evSchedule': (state, e, view) => evSchedule(pruned(state, view), e, view),
    connected: (state, e, view) => {
      const next = { ...state, lastVersion: e.version };
      const resent = resendHeld(state);
      if (state.offlineSince === undefined) return { state: next, effects: resent };
      // K01.FR.102: back online, profiles valid again, except those invalid after their offline duration.
      const since = state.offlineSince;
      const profiles = state.profiles.filter((p) => !invalidAfterOffline(p, since, view.now()));
      const { offlineSince: _was, ...online } = next;
      return limits({ ...online, profiles }, view, [{ type: 'persist' }, ...resent]);
    },
    // K01.FR.101: offline from now; profiles with maxOfflineDuration lose their validity once it has passed.
    disconnected: (state, _e, view) =>
      state.offlineSince !== undefined
        ? undefined
        : limits({ ...state, offlineSince: view.now() }, view, [{ type: 'persist' }]),
    // K01.FR.100: a new state of charge may reach a limitAtSoC.
    meterValues: (state, _e, view) => (state.profiles.some(hasLimitAtSoC) ? limits(state, view) : undefined),
    'smartCharging.pull': (state, e, view) => pull(state, e.profileId, view),
    'smartCharging.priority': (state, e, view) => priorityAtStation(pruned(state, view), e, view),
    reply: (state, e, view) => {
      if (e.action === 'NotifyEVChargingSchedule' && e.tag.startsWith(SCHEDULE_TAG)) {
        const delivered = e.result.status === 'sent' || e.result.status === 'queued';
        const evseId = Number(e.tag.slice(SCHEDULE_TAG.length));
        const accepted = e.result.status === 'sent' ? e.result.response.status === 'Accepted' : undefined;
        // Accepted first: it reads the schedule still held.
        const kept = scheduleAccepted(state, evseId, accepted, view);
        const done = scheduleDelivered(kept?.state ?? state, evseId, delivered);
        return done ? { state: done.state, effects: kept?.effects ?? [] } : kept;
      }
      if (e.action === 'PullDynamicScheduleUpdate' && e.tag.startsWith(PULL_TAG)) {
        const response = e.result.status === 'sent' ? e.result.response : undefined;
        return pulled(state, Number(e.tag.slice(PULL_TAG.length)), response, view);
      }
      if (e.action !== 'NotifyEVChargingNeeds' || !e.tag.startsWith(NEEDS_TAG)) return undefined;
      const evseId = Number(e.tag.slice(NEEDS_TAG.length));
      const response = e.result.status === 'sent' ? e.result.response : undefined;
      // Queued (QueueAllMessages): the answer comes with queueSent; meanwhile the station's own schedule.
      return needsAnswered(state, evseId, response, view, e.result.status !== 'queued');
    },
    // Q01.FR.05/.06: what the stack did with a Rejected answer to the EV's needs.
    hardwareDone: (state, e) =>
      e.tag.startsWith(REJECTED_TAG) ? { state, effects: rejectedNeedsHandled(e.tag, e.result) } : undefined,
    hardwareFailed: (state, e) =>
      e.tag.startsWith(REJECTED_TAG) ? { state, effects: rejectedNeedsHandled(e.tag, undefined) } : undefined,
    queueSent: (state, e, view) =>
      e.action === 'NotifyEVChargingNeeds' ? needsAnswered(state, e.payload.evseId, e.response, view, true) : undefined,
  }),

  queries: {
    evseSleeping: (state, view, evseId) => sleeping(state, view, evseId),
    operationModeInForce: (state, _view, evseId) => appliedLimit(state, evseId)?.operationMode,
    // Q08.FR.10/11: block Q's AFRRSignal reads the LocalFrequency periods in force.
    v2xPeriodsInForce: (state, view) => periodsInForce(pruned(state, view), view),
    remoteStartProfile: (state, view, evseId, chargingProfile) => {
      if (view.variables.bool('SmartChargingCtrlr', 'Enabled') === false) return undefined;
      // K05.FR.02, F01.FR.09: a TxProfile only.
      if (chargingProfile.chargingProfilePurpose !== 'TxProfile')
        return { accepted: false, reasonCode: 'InvalidProfile' };
      // Checked as a SetChargingProfile for the transaction to come (or the one running, F01.FR.13).
      const current = pruned(state, view);
      const running = transactionOf(view, current.transactions, evseId);
      const assumed = {
        [evseId]: running ?? {
          transactionId: chargingProfile.transactionId ?? REMOTE_START,
          startTime: iso(view.now()),
        },
      };
      const verdict = check(view, current.transactions, current.profiles, { evseId, chargingProfile }, assumed);
      return verdict.status === 'Accepted'
        ? { accepted: true }
        : { accepted: false, reasonCode: verdict.statusInfo?.reasonCode ?? 'InvalidProfile' };
    },
  },

  answers: {
    SetChargingProfile(state, request, view) {
      const current = pruned(state, view);
      const verdict = check(view, current.transactions, current.profiles, request);
      // K01.FR.09/.26/.28/.33, …: the first rule broken decides; nothing is stored.
      if (verdict.status !== 'Accepted') return { response: verdict };
      // 2.1 K28.FR.05: a Dynamic profile without dynUpdateTime gets the time of receipt.
      const profile: Profile = withUpdateTime(request.chargingProfile, view.now());
      // K01.FR.05: a profile with a known id replaces it (the check refused replacing an external constraint).
      const profiles = [
        ...current.profiles.filter((p) => p.chargingProfile.id !== profile.id),
        { evseId: request.evseId, chargingProfile: profile },
      ];
      // K15.FR.07, K16.FR.01–.03: an EV in an ISO 15118 session on the EVSE is offered the new schedules.
      const offered = offers({ ...current, profiles }, view, request.evseId);
      return {
        state: offered.state,
        response: { status: 'Accepted' },
        // K01.FR.27: on disk before the CSMS hears Accepted.
        persistOrAnswer: INTERNAL_ERROR,
        // K01.FR.07, K01.FR.32: the profiles are evaluated again and the new limit goes to the hardware.
        after: [{ type: 'dispatch', event: { type: TICK } }, ...pullTimerFor(profile), ...offered.effects],
      };
    },

    ClearChargingProfile(state, request, view) {
      const current = pruned(state, view);
      const matches = (p: Installed) => clears(p, request);
      // K10.FR.06/.08/.09: ChargingStationExternalConstraints (and 2.1's LocalGeneration) are not the CSMS's to clear.
      const cleared = current.profiles.filter(
        (p) => matches(p) && !NOT_CLEARED.has(p.chargingProfile.chargingProfilePurpose),
      );
      // K10.FR.01
      if (cleared.length === 0) return { response: { status: 'Unknown' } };
      // K10.FR.03/.04
      return {
        state: { ...current, profiles: current.profiles.filter((p) => !cleared.includes(p)) },
        response: { status: 'Accepted' },
        persistOrAnswer: { status: 'Unknown', statusInfo: { reasonCode: 'InternalError' } },
        // K10.FR.05/.07: the composite schedule again, and its limits to the hardware.
        after: [{ type: 'dispatch', event: { type: TICK } }],
      };
    },

    GetChargingProfiles(state, request, view) {
      const current = pruned(state, view);
      const found = current.profiles.filter((p) => reports(p, request));
      if (found.length === 0) return { state: current, response: { status: 'NoProfiles' } };
      return {
        state: current,
        response: { status: 'Accepted' },
        after: reportsOf(found, request.requestId).map((payload): Effect => ({
          type: 'send',
          action: 'ReportChargingProfiles',
          payload,
        })),
      };
    },

    // 2.1 K21: the CSMS activates or ends priority charging for a transaction.
    UsePriorityCharging(state, request, view) {
      const current = pruned(state, view);
      const evseId = evseOfTransaction(current, view, request.transactionId);
      // K21.FR.02
      if (evseId === undefined) return { response: { status: 'Rejected', statusInfo: { reasonCode: 'TxNotFound' } } };
      // K21.FR.01
      if (request.activate && !hasPriorityProfile(current.profiles, evseId))
        return { response: { status: 'NoProfile', statusInfo: { reasonCode: 'NotFound' } } };
      const changed = setPriority(current, view, evseId, request.activate);
      // K21.FR.06: ending priority charging that was not active is Accepted and changes nothing.
      if (!changed) return { response: { status: 'Accepted' } };
      return {
        state: changed.state,
        response: { status: 'Accepted' },
        persistOrAnswer: { status: 'Rejected', statusInfo: { reasonCode: 'InternalError' } },
        // K21.FR.04/.07: the PriorityCharging profile applies (or no more); K21.FR.05/.08: NotifyPriorityCharging.
        after: [{ type: 'dispatch', event: { type: TICK } }, changed.notify],
      };
    },

    // 2.1 K28.FR.06/.09/.11: new values for a Dynamic profile.
    UpdateDynamicSchedule(state, request, view) {
      const current = pruned(state, view);
      const found = current.profiles.find((p) => p.chargingProfile.id === request.chargingProfileId);
      if (!found || found.chargingProfile.chargingProfileKind !== 'Dynamic')
        return { response: { status: 'Rejected', statusInfo: { reasonCode: 'InvalidProfile' } } };
      const updated = {
        ...found,
        chargingProfile: applyScheduleUpdate(found.chargingProfile, request.scheduleUpdate, view.now()),
      };
      return {
        state: { ...current, profiles: current.profiles.map((p) => (p === found ? updated : p)) },
        response: { status: 'Accepted' },
        persistOrAnswer: INTERNAL_ERROR,
        after: [{ type: 'dispatch', event: { type: TICK } }],
      };
    },

    GetCompositeSchedule(state, request, view) {
      // K08.FR.02–.07
      // K15.FR.14, K16.FR.10, K17.FR.14: with the EV schedules the CSMS accepted.
      const ev = state.evSchedules ? { ev: state.evSchedules } : {};
      const response = composite(view, state.transactions, pruned(state, view).profiles, request, ev);
      // The family types the answer of an action of both versions as 2.0.1's; under 2.1 a period may carry a
      // setpoint instead of a limit, which 2.1's schema (the one the RPC layer checks the answer against) allows.
      return { response: response as v201.GetCompositeScheduleResponse };
    },
  },
};

/** K10.FR.08/.09: purposes ClearChargingProfile leaves alone. */
const NOT_CLEARED: ReadonlySet<string> = new Set(['ChargingStationExternalConstraints', 'LocalGeneration']);

/** The transactionId a remote start's profile is checked against before its transaction exists. */
const REMOTE_START = '(remote start)';

/** Installs the pending profile of a remote start for its transaction (F01.FR.10, F02.FR.18; K01.FR.05 by id). */
function installRemote(state: SmartChargingState, evseId: number, transactionId: string): SmartChargingState {
  const remote = state.pending[evseId];
  if (!remote) return state;
  const pending = { ...state.pending };
  delete pending[evseId];
  const chargingProfile = { ...remote.chargingProfile, transactionId };
  return {
    ...state,
    pending,
    profiles: [
      ...state.profiles.filter((p) => p.chargingProfile.id !== chargingProfile.id),
      { evseId, chargingProfile },
    ],
  };
}

/**
 * After a restart, E has recovered its transactions (it handles `started` first): those that did not survive take
 * their TxProfiles with them (K01.FR.04), also where no `transaction.ended` reaches K (ended while it was down).
 */
function afterRestart(state: SmartChargingState, view: StationView): SmartChargingState {
  if (!view.query.evseActivity) return state;
  const transactions: Record<number, KnownTransaction> = {};
  for (const e of view.evses) {
    const tx = transactionOf(view, state.transactions, e.id);
    if (tx) transactions[e.id] = tx;
  }
  const profiles = state.profiles.filter((p) => {
    const c = p.chargingProfile;
    if (c.chargingProfilePurpose !== 'TxProfile') return true;
    const running = transactions[p.evseId]?.transactionId;
    return running !== undefined && (c.transactionId === undefined || c.transactionId === running);
  });
  return { ...state, transactions, profiles };
}

/** K10.FR.03 (by id) or K10.FR.04 (the criteria given, as a logical AND). */
function clears(p: Installed, request: v201.ClearChargingProfileRequest | v21.ClearChargingProfileRequest): boolean {
  if (request.chargingProfileId !== undefined) return p.chargingProfile.id === request.chargingProfileId;
  const c = request.chargingProfileCriteria;
  return (
    (c?.evseId === undefined || p.evseId === c.evseId) &&
    (c?.chargingProfilePurpose === undefined ||
      p.chargingProfile.chargingProfilePurpose === c.chargingProfilePurpose) &&
    (c?.stackLevel === undefined || p.chargingProfile.stackLevel === c.stackLevel)
  );
}

/** The ChargingLimitSource a profile is reported with: the external system's, else the CSMS's (K09). */
const sourceOf = (p: Installed) => p.source ?? CSO;

/** K09.FR.03–.06: on the EVSE asked for (none: all; 0: the station's own), matching every criterion given. */
function reports(p: Installed, request: v201.GetChargingProfilesRequest | v21.GetChargingProfilesRequest): boolean {
  const c = request.chargingProfile;
  const sources: readonly string[] | undefined = c.chargingLimitSource;
  return (
    (request.evseId === undefined || p.evseId === request.evseId) &&
    (c.chargingProfileId === undefined || c.chargingProfileId.includes(p.chargingProfile.id)) &&
    (c.chargingProfilePurpose === undefined || p.chargingProfile.chargingProfilePurpose === c.chargingProfilePurpose) &&
    (c.stackLevel === undefined || p.chargingProfile.stackLevel === c.stackLevel) &&
    (sources === undefined || sources.includes(sourceOf(p)))
  );
}

/**
 * The ReportChargingProfiles for a GetChargingProfiles: one EVSE and one ChargingLimitSource per message (K11.FR.06,
 * K12.FR.05: an external limit is reported with its source), in parts (K09.FR.01/.02).
 */
function reportsOf(found: readonly Installed[], requestId: number): v201.ReportChargingProfilesRequest[] {
  const groups = new Map<string, Installed[]>();
  for (const p of found) {
    const key = JSON.stringify([p.evseId, sourceOf(p)]);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const parts: Installed[][] = [];
  for (const profiles of groups.values())
    for (let i = 0; i < profiles.length; i += PROFILES_PER_REPORT)
      parts.push(profiles.slice(i, i + PROFILES_PER_REPORT));
  return parts.map((part, i) => ({
    requestId,
    // The source as received (2.1: any string of the appendix list; 2.0.1 limits were checked against its enum).
    chargingLimitSource: sourceOf(part[0]!) as v201.ChargingLimitSourceEnumType,
    evseId: part[0]!.evseId,
    // A profile as the CSMS (or the external system) gave it, in the negotiated version.
    chargingProfile: part.map((p) => p.chargingProfile as v201.ChargingProfileType),
    ...(i < parts.length - 1 ? { tbc: true } : {}),
  }));
}
