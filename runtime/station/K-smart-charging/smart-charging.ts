// K01 SetChargingProfile, K02/K05 TxProfile and TxDefaultProfile, K08 GetCompositeSchedule, K09 GetChargingProfiles,
// K10 ClearChargingProfile: block K on the station, for 2.0.1 and 2.1.
//
// The calculations are the pure functions of ocppkit/smart-charging (docs/smart-charging.md): a received profile is
// checked by `checkChargingProfile`, GetCompositeSchedule is answered by `compositeSchedule` on this block's state,
// and the limit in force on each EVSE — the first period of that EVSE's composite schedule — goes to the hardware
// (`setChargingLimit`) whenever it changes: a profile installed or cleared, a period boundary (a timer to the next
// change), a transaction started or ended, and at start-up.
import type * as v201 from '../../../generated/v201/types.js';
import type * as v21 from '../../../generated/v21/types.js';
import {
  byEventType,
  type Effect,
  type RemoteStartProfile,
  type StationView,
  type Step,
  type UseCase,
  type Version2x,
} from '../core/types.js';
import {
  clearedChargingLimit,
  externalProfile,
  isExternal,
  notifyChargingLimit,
  significantChange,
  type ExternalChargingLimit,
} from './external.js';
import {
  applyScheduleUpdate,
  hasPriorityProfile,
  invalidAfterOffline,
  PULL_TAG,
  PULL_TIMER,
  pullInterval,
  pullTimer,
  socCap,
  withUpdateTime,
} from './v21.js';
import {
  csmsSchedules,
  localSchedule,
  withinComposite,
  type EvChargingNeeds,
  type EvChargingSchedule,
  type EvSession,
  type OfferReason,
} from './iso15118.js';
import {
  check,
  composite,
  expired,
  iso,
  rateUnits,
  transactionOf,
  versionOf,
  limitChangeSignificance,
  type Installed,
  type KnownTransaction,
  type Profile,
} from './profiles.js';

/** What the hardware is told: the limit in force on an EVSE now. */
export interface ChargingLimit {
  /** The most the EVSE may draw now: amperes per phase (`unit` A) or watts in total (`unit` W). */
  limit: number;
  unit: 'A' | 'W';
  /** The phases to use, when the schedule in force says (K01.FR.49: otherwise 3 on AC). */
  numberPhases?: number;
  /** The phase to use when charging on one phase (K01.FR.46), when the schedule says. */
  phaseToUse?: number;
}

declare module '../core/registry.js' {
  interface OwnEvents {
    /** A period boundary or a validity end has come: the limits in force are worked out again. */
    'smartCharging.tick': object;
    /**
     * The firmware (`ChargingStation.externalChargingLimit` / `externalChargingLimitCleared`): an external system set
     * a limit on the EVSE (0: the station), or released the one of `source` (`limit` absent). K11–K13.
     */
    'smartCharging.external': { evseId: number; source: string; limit?: ExternalChargingLimit };
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
    /** The firmware (`ChargingStation.evChargingSchedule`): the schedule the EV chose or returned (K15.FR.09/.10). */
    'smartCharging.evSchedule': {
      evseId: number;
      chargingSchedule: EvChargingSchedule;
      /** What the schedule's periods count from (default: now). */
      timeBase?: string;
      selectedChargingScheduleId?: number;
      powerToleranceAcceptance?: boolean;
    };
  }
  interface StationQueries {
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
     * undefined when it could not be delivered (offline). For the integrator's ISO 15118 stack.
     */
    evChargingNeedsAnswered(
      evseId: number,
      response: v21.NotifyEVChargingNeedsResponse | undefined,
    ): void | Promise<void>;
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
  /** The version of the last connection: what a message queued while offline will be sent in. */
  lastVersion?: Version2x;
  /** When the connection to the CSMS was lost (ms), while it is (2.1 K01.FR.101). */
  offlineSince?: number;
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
const TICK = 'smartCharging.tick';
/** The window searched for the next change of the limit; the timer is set again at its end. */
const HORIZON_S = 86_400;

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
      const transactions = {
        ...state.transactions,
        [e.evseId]: { transactionId: e.transactionId, startTime: iso(view.now()) },
      };
      let next: SmartChargingState = { ...state, transactions };
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
      return limits({ ...state, transactions, profiles, ev }, view, [{ type: 'persist' }]);
    },
    'smartCharging.tick': (state, _e, view) => limits(pruned(state, view), view, [{ type: 'persist' }]),
    'smartCharging.external': (state, e, view) => external(pruned(state, view), e, view),
    'smartCharging.evNeeds': (state, e, view) => evNeeds(pruned(state, view), e, view),
    'smartCharging.evSchedule': (state, e, view) => evSchedule(pruned(state, view), e, view),
    connected: (state, e, view) => {
      const next = { ...state, lastVersion: e.version };
      if (state.offlineSince === undefined) return { state: next };
      // K01.FR.102: back online, profiles valid again, except those invalid after their offline duration.
      const since = state.offlineSince;
      const profiles = state.profiles.filter((p) => !invalidAfterOffline(p, since, view.now()));
      const { offlineSince: _was, ...online } = next;
      return limits({ ...online, profiles }, view, [{ type: 'persist' }]);
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
    queueSent: (state, e, view) =>
      e.action === 'NotifyEVChargingNeeds' ? needsAnswered(state, e.payload.evseId, e.response, view, true) : undefined,
  }),

  queries: {
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
      const response = composite(view, state.transactions, pruned(state, view).profiles, request);
      // The family types the answer of an action of both versions as 2.0.1's; under 2.1 a period may carry a
      // setpoint instead of a limit, which 2.1's schema (the one the RPC layer checks the answer against) allows.
      return { response: response as v201.GetCompositeScheduleResponse };
    },
  },
};

/** K28.FR.10: the timer that pulls a Dynamic profile's values every dynUpdateInterval. */
function pullTimerFor(profile: Profile): Effect[] {
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
function pull(state: SmartChargingState, profileId: number, view: StationView): Step<SmartChargingState> | undefined {
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
function pulled(
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
function evseOfTransaction(state: SmartChargingState, view: StationView, transactionId: string): number | undefined {
  return view.evses.find((e) => transactionOf(view, state.transactions, e.id)?.transactionId === transactionId)?.id;
}

/**
 * K21.FR.04/.07, K22.FR.02/.04: priority charging on or off for the transaction on the EVSE, with the
 * NotifyPriorityCharging that tells the CSMS (K21.FR.05/.08, K22.FR.03/.05); undefined when nothing changes.
 */
function setPriority(
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
function priorityAtStation(
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

const hasLimitAtSoC = (p: Installed) =>
  (p.chargingProfile.chargingSchedule as v21.ChargingScheduleType[]).some((s) => s.limitAtSoC !== undefined);

const NEEDS_TAG = 'k15.needs:';

/**
 * K15.FR.01, K17.FR.01: the EV's charging needs go to the CSMS, unless the CSMS is renegotiating (K16.FR.09: it has
 * just sent the schedule for them): then the EV is offered the schedules in force again.
 */
function evNeeds(
  state: SmartChargingState,
  e: { evseId: number; chargingNeeds: EvChargingNeeds; maxScheduleTuples?: number },
  view: StationView,
): Step<SmartChargingState> {
  const tx = transactionOf(view, state.transactions, e.evseId);
  const before = state.ev[e.evseId];
  const sameSession = before !== undefined && before.transactionId === tx?.transactionId;
  const session: EvSession = {
    ...(sameSession ? before : {}),
    ...(tx ? { transactionId: tx.transactionId } : {}),
    ...(e.maxScheduleTuples !== undefined ? { maxScheduleTuples: e.maxScheduleTuples } : {}),
    renegotiating: false,
  };
  // K01.FR.34: from now on a TxProfile for this transaction may carry up to three schedules.
  const transactions = tx ? { ...state.transactions, [e.evseId]: { ...tx, iso15118: true } } : state.transactions;
  const next = { ...state, transactions, ev: { ...state.ev, [e.evseId]: session } };
  if (sameSession && before.renegotiating) return offers(next, view, e.evseId, true);
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
function needsAnswered(
  state: SmartChargingState,
  evseId: number,
  response: v21.NotifyEVChargingNeedsResponse | undefined,
  view: StationView,
  tellStack: boolean,
): Step<SmartChargingState> | undefined {
  if (!state.ev[evseId]) return undefined;
  const effects: Effect[] = tellStack
    ? [{ type: 'hardware', call: { op: 'evChargingNeedsAnswered', args: [evseId, response] } }]
    : [];
  if (response?.status === 'Accepted') return { state, effects };
  const offered = offers(state, view, evseId, false, 'local');
  return { state: offered.state, effects: [...effects, ...offered.effects] };
}

/**
 * The schedules an EV in a 15118 session on `evseId` (0: every EVSE) is offered: the CSMS's TxProfile for its
 * transaction if there is one, else the station's composite schedule. A later offer in the same session is a
 * renegotiation (K16.FR.02), during which the EV's next needs are not sent on (K16.FR.09).
 */
function offers(
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
    const reason: OfferReason = why ?? (session.offered && !again ? 'renegotiation' : fromCsms ? 'csms' : 'local');
    ev[id] = { ...session, offered: true, renegotiating: reason === 'renegotiation' };
    effects.push({ type: 'hardware', call: { op: 'offerEvChargingSchedules', args: [id, schedules, reason] } });
  }
  return { state: { ...state, ev }, effects };
}

/**
 * K15.FR.09/.10, K16.FR.04/.05, K17.FR.09/.10: the EV's schedule goes to the CSMS if it stays within the station's
 * schedule; one that does not is not sent, and the EV is asked to renegotiate with the schedules in force.
 */
function evSchedule(
  state: SmartChargingState,
  e: {
    evseId: number;
    chargingSchedule: EvChargingSchedule;
    timeBase?: string;
    selectedChargingScheduleId?: number;
    powerToleranceAcceptance?: boolean;
  },
  view: StationView,
): Step<SmartChargingState> {
  const timeBase = e.timeBase ?? iso(view.now());
  if (!withinComposite(view, state.transactions, state.profiles, e.evseId, e.chargingSchedule, timeBase)) {
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
  const v21 = versionOf(view) === 'ocpp2.1';
  return {
    state,
    effects: [
      {
        type: 'send',
        action: 'NotifyEVChargingSchedule',
        payload: {
          timeBase,
          evseId: e.evseId,
          chargingSchedule: e.chargingSchedule as v201.ChargingScheduleType,
          // 2.1 K15.FR.21, K16.FR.14, K17.FR.18: which of the offered schedules the EV chose.
          ...(v21 && e.selectedChargingScheduleId !== undefined
            ? { selectedChargingScheduleId: e.selectedChargingScheduleId }
            : {}),
          ...(v21 && e.powerToleranceAcceptance !== undefined
            ? { powerToleranceAcceptance: e.powerToleranceAcceptance }
            : {}),
        } as v201.NotifyEVChargingScheduleRequest,
      },
    ],
  };
}

/** K10.FR.08/.09: purposes ClearChargingProfile leaves alone. */
const NOT_CLEARED: ReadonlySet<string> = new Set(['ChargingStationExternalConstraints', 'LocalGeneration']);

/**
 * K11–K13: an external limit reported or released. It is kept as a ChargingStationExternalConstraints profile
 * (K11.FR.06, K12.FR.05) and so enters the composite schedule and the hardware limit (K11.FR.01, K12.FR.01,
 * K13.FR.01); the CSMS hears of a significant change (K11.FR.02, K12.FR.02) and of the release (K13.FR.02).
 */
function external(
  state: SmartChargingState,
  e: { evseId: number; source: string; limit?: ExternalChargingLimit },
  view: StationView,
): Step<SmartChargingState> | undefined {
  const before = state.profiles.find((p) => isExternal(p) && p.evseId === e.evseId && p.source === e.source);
  if (!e.limit) {
    // K13: nothing to release where the source set no limit.
    if (!before || !isExternal(before)) return undefined;
    const profiles = state.profiles.filter((p) => p !== before);
    return limits({ ...state, profiles }, view, [{ type: 'persist' }, clearedChargingLimit(view, before)]);
  }
  // 2.1 K11.FR.07: the station is configured to ignore external limits (a CSMS profile with operationMode
  // ExternalLimits would allow them, K29, which ocppkit does not do).
  if (
    versionOf(view) === 'ocpp2.1' &&
    view.variables.bool('SmartChargingCtrlr', 'ExternalConstraintsProfileDisallowed')
  )
    return undefined;
  const profile = externalProfile(state.profiles, e.evseId, e.limit, view.now());
  const profiles = [...state.profiles.filter((p) => p !== before), profile];
  const notify = significantChange(before, profile, view)
    ? [notifyChargingLimit(view, profile, e.limit.isGridCritical)]
    : [];
  return limits({ ...state, profiles }, view, [{ type: 'persist' }, ...notify]);
}

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

/** K01.FR.36/.37: profiles whose validity ended are removed. */
function pruned(state: SmartChargingState, view: StationView): SmartChargingState {
  const now = view.now();
  const profiles = state.profiles.filter((p) => !expired(p.chargingProfile, now));
  return profiles.length === state.profiles.length ? state : { ...state, profiles };
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

/**
 * The limit in force on every EVSE: `setChargingLimit` where it differs from what the hardware was told, and a
 * timer to the next moment it may change (a period boundary, a validity end).
 */
function limits(state: SmartChargingState, view: StationView, effects: Effect[] = []): Step<SmartChargingState> {
  const now = view.now();
  const unit = rateUnits(view)[0] ?? 'A';
  const applied = { ...state.applied };
  const out: Effect[] = [...effects];
  let nextChange = now + HORIZON_S * 1000;
  for (const evse of view.evses) {
    const response = composite(
      view,
      state.transactions,
      state.profiles,
      { evseId: evse.id, duration: HORIZON_S, chargingRateUnit: unit },
      {
        ...(state.offlineSince !== undefined ? { offlineSince: state.offlineSince } : {}),
        ...(state.lastVersion ? { version: state.lastVersion } : {}),
      },
    );
    const schedule = response.schedule;
    const first = schedule?.chargingSchedulePeriod[0];
    if (!schedule || !first || first.limit === undefined) continue;
    // K01.FR.100: the EV's state of charge has reached a limitAtSoC (in the same unit) of a profile acting here.
    const soc = socCap(view, state.profiles, evse.id);
    const limit: ChargingLimit = {
      limit: soc && soc.unit === unit ? Math.min(first.limit, soc.limit) : first.limit,
      unit,
      ...(first.numberPhases !== undefined ? { numberPhases: first.numberPhases } : {}),
      ...(first.phaseToUse !== undefined ? { phaseToUse: first.phaseToUse } : {}),
    };
    const key = JSON.stringify(limit);
    if (applied[evse.id] !== key) {
      const before = applied[evse.id];
      applied[evse.id] = key;
      out.push({ type: 'hardware', call: { op: 'setChargingLimit', args: [evse.id, limit] } });
      if (before !== undefined && rateChanged(JSON.parse(before) as ChargingLimit, limit, view, state, evse.id))
        out.push({ type: 'dispatch', event: { type: 'chargingRate.changed', evseId: evse.id } });
    }
    const second = schedule.chargingSchedulePeriod[1];
    if (second) nextChange = Math.min(nextChange, Date.parse(schedule.scheduleStart) + second.startPeriod * 1000);
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
