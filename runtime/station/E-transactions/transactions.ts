// E Transactions: one state machine per EVSE, driven by TxStartPoint / TxStopPoint (E01, E06), that reports every
// transaction with TransactionEvent Started / Updated / Ended through the durable queue (E04, E08, E11–E13: offline
// operation, retries and seqNo are the queue's). The transitions are in steps.ts, the message contents in
// messages.ts, what happens after a restart in recovery.ts. Authorization is asked of block C (authorize.request →
// authorize.result); other blocks learn of transactions by `transaction.started` / `transaction.ended` and end them
// with `transactions.stop`.
import { randomUUID } from 'node:crypto';
import type {
  IdTokenType,
  TransactionEventRequest,
  TransactionEventResponse,
  TriggerReasonEnumType,
} from '../../../generated/v201/types.js';
import type { TransactionEventResponse as TransactionEventResponse21 } from '../../../generated/v21/types.js';
import {
  byEventType,
  type Effect,
  type EventHandlers,
  type StationView,
  type Step,
  type UseCase,
} from '../core/types.js';
import { reservationCheck } from '../H-reservation/check.js';
import { stationToken } from '../core/tokens.js';
import type { VariableOf } from '../device-model/keys.js';
import { alignedConfig } from '../J-meter-values/config.js';
import { sampleOptions } from '../J-meter-values/measurands.js';
import { txConfig } from './config.js';
import { mayDrawEnergy, recover, RELOCK_TAG, relocked } from './recovery.js';
import {
  chargingPriority,
  emptySession,
  isRunning,
  sameToken,
  sessionWithTransaction,
  transactionRunning,
  type EvseSession,
  type Running,
  type TransactionsState,
} from './session.js';
import * as step from './steps.js';
import { tariffNotAccepted } from './tariff-acceptance.js';
import { reportResetResume, resumeAfterEvseReset } from './reset-resume.js';
import * as limits from './limits/limit-steps.js';
import * as slot from './battery-slot.js';
import type { TransactionLimits } from './limits/limits.js';

/** What the other blocks may know of an EVSE's session (F01/F02 remote start, F05 unlock). */
export interface EvseActivity {
  /** The transaction running on the EVSE, if any. */
  transactionId?: string;
  /** An authorization is in force (with or without a transaction yet). */
  authorized: boolean;
  /** An idToken is being authorized for the EVSE. */
  authorizing: boolean;
  /** The EV is connected (cable plugged on both sides). */
  evConnected: boolean;
  /** The connector a cable is plugged into, if any. */
  connectorId?: number;
  /**
   * K03.FR.05/.06: the chargingPriority of the transaction running (-9 to 9): the TransactionEventResponse's, else its
   * idToken's IdTokenInfo's, else 0. Absent without a transaction.
   */
  chargingPriority?: number;
}

declare module '../core/registry.js' {
  interface OwnEvents {
    'tx.alive': object;
    'tx.evTimeout': { evseId: number };
    'tx.sample': { transactionId: string };
    'tx.endedSample': { transactionId: string };
    /** 2.1 E16.FR.09: the time limit of the transaction is reached. */
    'tx.limitTime': { transactionId: string };
    /** 2.1 E16.FR.01: the station (its driver) sets a limit for the transaction on the EVSE (`transactionLimitSet`). */
    'tx.limitByDriver': { evseId: number; limit: TransactionLimits };
    /** E15: the integrator's ISO 15118 stack received SessionStopReq(Terminate) from the EV on the EVSE. */
    'tx.evSessionStop': { evseId: number };
    /** E → all: an authorization ended before any transaction started (canceled, EVConnectionTimeOut; C19). */
    'tx.authorizationEnded': { evseId: number; idToken: IdTokenType };
    /** 2.1 E17.FR.18: the random delay before a resumed transaction draws energy again is over. */
    'tx.resumeEnergy': { transactionId: string };
    /** 2.1 E → all: the cost of the transaction that counts against its maxCost changed (C23: incremental payment). */
    'tx.cost': { transactionId: string; cost: number };
  }
  interface StationQueries {
    /** E: whether a transaction runs on the EVSE (0: on any EVSE). */
    transactionOn(evseId: number): boolean;
    /** E: the session of an EVSE (0: the one whose EVSE is not known yet). */
    evseActivity(evseId: number): EvseActivity | undefined;
    /** E: the EVSE on which the transaction runs (0: its EVSE is not known yet), if it runs. */
    transactionEvse(transactionId: string): number | undefined;
    /** E: the transactions running now that this idToken authorized (N09 customer information). */
    transactionsOfToken(idToken: IdTokenType): Array<{ transactionId: string; evseId: number; startedAt: number }>;
  }
  interface HardwareOperations {
    /**
     * Energy may flow to the EV on this connector now (authorized and connected): close the power path (relay).
     * The firmware then reports what the EV does with `chargingStateChanged`.
     */
    startCharging(evseId: number, connectorId: number): void | Promise<void>;
    /** Energy must stop on this EVSE (authorization ended, transaction ended, deauthorized): open the power path. */
    stopCharging(evseId: number): void | Promise<void>;
    /**
     * Optional, 2.1 E17.FR.16/17: asked once at every start, before anything else: the connectors with a cable plugged
     * in now. A transaction resumed after an interruption whose EV left meanwhile then resumes as Idle (or ends, where
     * TxStopPoint says so) instead of in the state it had. Without it the firmware reports the unplugged cable after
     * the start (`cableUnplugged`).
     */
    pluggedConnectors():
      Array<{ evseId: number; connectorId: number }> | Promise<Array<{ evseId: number; connectorId: number }>>;
  }
}

export interface TransactionsOptions {
  /** The transactionId of a new transaction (E01.FR.08: unique, ≤ 36 characters). Default: a random UUID. */
  newId?: () => string;
  /** Every offered version is 2.1, so transactions may resume after a restart (E17). Default false. */
  resumable?: boolean;
  /**
   * I02.FR.02: answer CostUpdated here (2.1 E16.FR.15: its running cost counts against a maxCost limit). Only where no other block
   * answers it (block I's driver cost, with a display, does; its running cost is then read through `driverScreens`).
   */
  answerCostUpdated?: boolean;
  /**
   * 2.1 B13.FR.20/22: the integrator can lock cables again (hardware.lockConnector and unlockConnector): a Reset
   * ImmediateAndResume unlocks the detachable cables of the transactions and locks them after the reboot.
   */
  relockAfterReset?: boolean;
}

/** E17.FR.02: the timer that keeps the "last known running" stamp of the stored transactions fresh. */
const ALIVE_TIMER = 'tx.alive';

const SAMPLING_VARIABLES: ReadonlySet<string> = new Set<VariableOf<'SampledDataCtrlr'>>([
  'TxUpdatedInterval',
  'TxUpdatedMeasurands',
  'TxEndedInterval',
  'TxEndedMeasurands',
  'Enabled',
]);

export function transactionsUseCase(options: TransactionsOptions = {}): UseCase<TransactionsState> {
  const newId = options.newId ?? randomUUID;

  /** Runs `fn` on a copy of the state; the step persists the new state after the messages it queued. */
  function change(
    state: TransactionsState,
    view: StationView,
    fn: (next: TransactionsState, ctx: step.Ctx) => boolean | void,
  ): Step<TransactionsState> | undefined {
    const next = structuredClone(state);
    const ctx: step.Ctx = { view, cfg: txConfig(view), now: view.now(), newId, effects: [] };
    if (fn(next, ctx) === false && ctx.effects.length === 0) return undefined;
    ctx.effects.push(...priorityChanges(state, next));
    // Persist last: the queue holds this step's TransactionEvents before the state says they were sent (recovery.ts).
    const effects: Effect[] = [...ctx.effects, ...alive(next, ctx), { type: 'persist' }];
    return { state: next, effects };
  }

  /**
   * E17.FR.01/02: where transactions may resume (2.1, TxCtrlr.ResumptionTimeout > 0), the stored state records when
   * the station was last known to run: every step stamps the running transactions, and a timer makes a step at
   * least every half ResumptionTimeout, so that a quiet transaction (no events for hours) still resumes after a
   * short interruption. recovery.ts measures the interruption from that stamp.
   */
  function alive(next: TransactionsState, ctx: step.Ctx): Effect[] {
    if (!options.resumable) return [];
    const timeoutS = ctx.view.variables.int('TxCtrlr', 'ResumptionTimeout') ?? 0;
    const runningTx = Object.values(next.sessions).filter(running);
    if (timeoutS <= 0 || runningTx.length === 0) return [{ type: 'cancelTimer', id: ALIVE_TIMER }];
    for (const s of runningTx) s.tx.lastSeen = ctx.now;
    return [
      {
        type: 'timer',
        id: ALIVE_TIMER,
        ms: Math.max(1, Math.floor(timeoutS / 2)) * 1000,
        event: { type: ALIVE_TIMER },
      },
    ];
  }

  const session = (state: TransactionsState, key: number): EvseSession => (state.sessions[key] ??= emptySession());
  const running = isRunning;

  /** One handler per event E acts on. */
  const handlers: EventHandlers<TransactionsState> = {
    started: (state, event, view) =>
      change(state, view, (next, ctx) =>
        recover(ctx, next, event.reason, { resumable: options.resumable === true }, event.plugged),
      ),

    cablePlugged: (state, event, view) =>
      change(state, view, (next, ctx) => {
        const s = session(next, event.evseId);
        // 2.1 S04: a battery went into a swap station's slot.
        if (slot.batterySlot(view, event.evseId)) return slot.batteryInserted(ctx, event.evseId, s, event.connectorId);
        const unknown = next.sessions[0];
        // E01.FR.17: an authorization (and transaction) whose EVSE was not known goes to the EVSE the EV connects to,
        // if the idToken may be used there: idTokenInfo.evseId (C01.FR.21) and the reservations (H03).
        if (
          unknown &&
          (unknown.auth || unknown.tx) &&
          !s.auth &&
          !s.tx &&
          !s.pending &&
          mayUse(unknown.auth, event.evseId, view)
        ) {
          const check = unknown.auth
            ? reservationCheck(view, event.evseId, unknown.auth.idToken, unknown.auth.groupIdToken)
            : undefined;
          s.auth =
            unknown.auth && check?.verdict === 'mine' && unknown.auth.reservationId === undefined
              ? { ...unknown.auth, reservationId: check.reservationId }
              : unknown.auth;
          s.tx = unknown.tx;
          next.sessions[0] = emptySession();
          ctx.effects.push({ type: 'cancelTimer', id: step.evTimeoutTimer(0) });
        }
        step.plug(ctx, event.evseId, s, event.connectorId);
      }),

    cableUnplugged: (state, event, view) =>
      change(state, view, (next, ctx) => {
        const s = session(next, event.evseId);
        if (s.connectorId !== undefined && s.connectorId !== event.connectorId) return false;
        // 2.1 S04.FR.07: a battery was taken out of a swap station's slot.
        if (slot.batterySlot(view, event.evseId)) slot.batteryRemoved(ctx, event.evseId, s);
        else step.disconnect(ctx, event.evseId, s);
        s.connectorId = undefined;
        s.lockedFor = undefined; // the cable is out: nothing stays locked
        if (!s.tx) s.nextLimit = undefined; // E16: the driver who set it has gone
      }),

    evDisconnected: (state, event, view) =>
      change(state, view, (next, ctx) => step.disconnect(ctx, event.evseId, session(next, event.evseId))),
    parkingBay: (state, event, view) =>
      change(state, view, (next, ctx) =>
        step.parkingBay(ctx, event.evseId, session(next, event.evseId), event.occupied),
      ),
    energyFlow: (state, event, view) =>
      change(state, view, (next, ctx) => step.energyFlow(ctx, event.evseId, session(next, event.evseId), event.state)),
    meterValues: (state, event, view) =>
      then(
        meterReadings(
          state,
          view,
          event.evseId,
          event.readings.some((r) => r.signedMeterValue !== undefined),
        ),
        state,
        (current) =>
          then(limitsOn(current, view, event.evseId), current, (latest) => batteryFull(latest, view, event.evseId)),
      ),
    idTokenPresented: (state, event, view) =>
      change(state, view, (next, ctx) => presented(next, ctx, event.idToken, event.evseId)),

    'authorize.result': (state, result, view) =>
      change(state, view, (next, ctx) => {
        const key = Object.keys(next.sessions)
          .map(Number)
          .find((k) => next.sessions[k]!.pending?.ref === result.ref);
        if (key === undefined) return false;
        const s = next.sessions[key]!;
        const pending = s.pending!;
        s.pending = undefined;
        const accepted = result.idTokenInfo.status === 'Accepted';
        if (pending.purpose === 'stop') {
          // E07.FR.01(b), E08.FR.02: C accepted it as a stopping token (C09: same GroupIdToken).
          if (accepted && s.tx && s.auth)
            step.stopAuthorization(ctx, key, s, 'StopAuthorized', 'Local', pending.idToken);
          return;
        }
        if (!accepted) {
          // E02.FR.20: a refused idToken changes nothing of a running transaction, so nothing is reported.
          ctx.effects.push({
            type: 'emit',
            event: {
              type: 'log',
              level: 'info',
              message: `idToken refused for EVSE ${key}: ${result.idTokenInfo.status}`,
            },
          });
          return;
        }
        step.authorize(ctx, key, s, {
          idToken: pending.idToken,
          ...(result.idTokenInfo.groupIdToken ? { groupIdToken: result.idTokenInfo.groupIdToken } : {}),
          via: pending.remoteStartId !== undefined ? 'RemoteStart' : 'Authorized',
          unreported: true,
          ...(pending.remoteStartId !== undefined ? { remoteStartId: pending.remoteStartId } : {}),
          // H01.FR.15, E01.FR.13: the reservation this authorization uses goes into the next event.
          ...(result.reservationId !== undefined ? { reservationId: result.reservationId } : {}),
          // C01.FR.21: the EVSEs the idToken may use (checked when an EVSE not known yet becomes known).
          ...(result.idTokenInfo.evseId?.length ? { evses: result.idTokenInfo.evseId } : {}),
          // K03: the idToken's priority, for the transaction it authorizes.
          ...(result.idTokenInfo.chargingPriority !== undefined
            ? { chargingPriority: result.idTokenInfo.chargingPriority }
            : {}),
          at: ctx.now,
        });
      }),

    'remote.start': (state, remote, view) =>
      change(state, view, (next, ctx) => {
        const s = session(next, remote.evseId);
        const { idToken, remoteStartId } = remote;
        // F01.FR.01, F02.FR.09: AuthorizeRemoteStart: authorize like a local action first; C03.FR.01: never a
        // Central idToken (and NoAuthorization needs none).
        if (ctx.cfg.authorizeRemoteStart && idToken.type !== 'Central' && idToken.type !== 'NoAuthorization') {
          const ref = `tx.auth.${++next.counter}`;
          s.pending = { ref, idToken, purpose: 'start', remoteStartId };
          ctx.effects.push({
            type: 'dispatch',
            event: { type: 'authorize.request', ref, idToken, evseId: remote.evseId },
          });
          return;
        }
        // F01.FR.02, F02.FR.10: allowed without checking; the CSMS checks the idToken in the TransactionEvent. A
        // reservation the idToken holds there ends with it (F02.FR.06).
        const check = reservationCheck(view, remote.evseId, idToken, remote.groupIdToken);
        step.authorize(ctx, remote.evseId, s, {
          idToken,
          ...(remote.groupIdToken ? { groupIdToken: remote.groupIdToken } : {}),
          via: 'RemoteStart',
          unreported: true,
          remoteStartId,
          ...(check.verdict === 'mine' ? { reservationId: check.reservationId } : {}),
          at: ctx.now,
        });
      }),

    'transactions.stop': (state, stop, view) =>
      change(state, view, (next, ctx) => {
        let any = false;
        for (const [k, s] of Object.entries(next.sessions)) {
          const key = Number(k);
          if (
            !running(s) ||
            (stop.evseId !== 0 && key !== stop.evseId) ||
            (stop.transactionId && s.tx.id !== stop.transactionId)
          )
            continue;
          any = true;
          // F03.FR.02/03: a remote stop (like a local one) ends the authorization; TxStopPoint decides the rest.
          if (stop.reason === 'Remote') step.stopAuthorization(ctx, key, s, 'RemoteStop', 'Remote');
          else if (stop.reason === 'Local') step.stopAuthorization(ctx, key, s, 'StopAuthorized', 'Local');
          // B12.FR.04 (ImmediateReset), E06.FR.16 (faults), C16 (MasterPass): the transaction ends now.
          else
            step.end(ctx, key, s, step.stopTrigger(stop.reason), stop.reason, {
              unlock: stop.reason !== 'DeAuthorized',
              ...(stop.idToken ? { stopToken: stop.idToken } : {}),
            });
        }
        return any;
      }),

    // E15.FR.04/05: the EV ended the 15118 session: its authorization ends (StopAuthorized, StoppedByEV), and with it
    // the transaction where TxStopPoint says so; once: not after the authorization already ended.
    'tx.evSessionStop': (state, event, view) =>
      change(state, view, (next, ctx) => {
        const s = next.sessions[event.evseId];
        if (!s?.auth) return false;
        step.stopAuthorization(ctx, event.evseId, s, 'StopAuthorized', 'StoppedByEV');
      }),

    [ALIVE_TIMER]: (state, _event, view) => change(state, view, () => {}), // E17.FR.02: only the stamp (alive) and the next timer
    'tx.evTimeout': (state, event, view) =>
      change(state, view, (next, ctx) => step.evConnectionTimeout(ctx, event.evseId, session(next, event.evseId))),

    'tx.sample': (state, event, view) =>
      withTransaction(state, view, event.transactionId, (ctx, key, s) => {
        step.periodicSample(ctx, key, s);
        step.armSample(ctx, s.tx.id);
      }),

    'tx.endedSample': (state, event, view) =>
      withTransaction(state, view, event.transactionId, (ctx, key, s) => {
        step.endedSample(ctx, key, s);
        step.armEndedSample(ctx, s.tx.id);
      }),

    // K11.FR.04, K13.FR.03: block K saw the charging rate change significantly.
    'chargingRate.changed': (state, event, view) =>
      change(state, view, (next, ctx) => {
        const s = next.sessions[event.evseId];
        if (!running(s)) return false;
        step.update(ctx, event.evseId, s, 'ChargingRateChanged');
      }),

    // 2.1 K01.FR.110: block K saw a period with another operationMode begin (OperationModeChanged is 2.1's only).
    'operationMode.changed': (state, event, view) =>
      change(state, view, (next, ctx) => {
        const s = next.sessions[event.evseId];
        if (!running(s)) return false;
        step.update(ctx, event.evseId, s, 'OperationModeChanged' as TriggerReasonEnumType, {
          operationMode: event.operationMode,
        });
      }),

    'meter.clock': (state, tick, view) => {
      const aligned = alignedConfig(view);
      // J01.FR.19/20: with SendDuringIdle no clock-aligned values while a transaction runs.
      if (!aligned.enabled || aligned.intervalS === 0 || aligned.sendDuringIdle || !aligned.measurands.length)
        return undefined;
      // J01.FR.22: the clock-aligned values of an EVSE with a transaction go in a TransactionEvent.
      return everyTransaction(state, view, (ctx, key, s) => step.clockSample(ctx, key, s, aligned.measurands, tick.at));
    },

    'meter.clockTxEnded': (state, tick, view) => {
      const aligned = alignedConfig(view);
      if (!aligned.enabled || !aligned.txEnded.length) return undefined;
      return everyTransaction(state, view, (ctx, key, s) =>
        step.clockEndedSample(ctx, key, s, aligned.txEnded, tick.at),
      );
    },

    queueSent: (state, event, view) =>
      event.action === 'TransactionEvent'
        ? then(transactionEventAnswered(state, view, event.payload, event.response), state, (current) =>
            then(limitsAnswered(current, view, event.payload, event.response), current, (latest) =>
              priorityAnswered(latest, view, event.payload, event.response),
            ),
          )
        : undefined,

    // 2.1 E17.FR.18: energy resumes after its random delay, unless the transaction has since changed its mind.
    'tx.resumeEnergy': (state, event, view) =>
      withTransaction(state, view, event.transactionId, (ctx, key, s) => {
        if (mayDrawEnergy(s)) step.hardwareCharging(ctx, key, s, true);
      }),
    // 2.1 E16: the time limit's timer; a limit the driver set (before the transaction: it goes into the Started event).
    'tx.limitTime': (state, event, view) =>
      withTransaction(state, view, event.transactionId, (ctx, key, s) => void limits.checkLimits(ctx, key, s)),
    'tx.limitByDriver': (state, event, view) =>
      change(state, view, (next, ctx) => {
        if (view.version !== 'ocpp2.1') return false;
        const s = session(next, event.evseId);
        if (running(s)) return limits.setLimit(ctx, event.evseId, s, event.limit, 'station');
        s.nextLimit = { ...event.limit };
      }),
    // 2.1 C18.FR.03/05/06: a payment terminal's DirectPayment authorization, with the reserved amount as maxCost.
    'payment.authorized': (state, event, view) =>
      change(state, view, (next, ctx) => {
        const key = event.evseId || chooseEvse(next, view);
        const s = session(next, key);
        if (s.pending) return false;
        step.authorize(ctx, key, s, {
          idToken: stationToken(event.idToken),
          via: 'Authorized',
          unreported: true,
          limit: { maxCost: event.maxCost },
          at: ctx.now,
        });
      }),
    // 2.1 C23.FR.02: the payment terminal reserved more: maxCost rises by the increment (reported in a LimitSet event).
    'payment.increased': (state, event, view) =>
      withTransaction(state, view, event.transactionId, (ctx, key, s) =>
        limits.setLimit(ctx, key, s, { maxCost: event.maxCost }, 'station'),
      ),
    // 2.1 C19/C20: the driver canceled the payment session: its authorization ends (TxStopPoint decides the rest).
    'payment.cancel': (state, event, view) =>
      change(state, view, (next, ctx) => {
        const s = session(next, event.evseId);
        if (s.auth?.idToken.type !== ('DirectPayment' as string)) return false;
        step.stopAuthorization(ctx, event.evseId, s, 'StopAuthorized', 'Local');
      }),
    'transaction.started': (state, event, view) => {
      const waiting = state.sessions[event.evseId]?.nextLimit;
      if (!waiting) return undefined;
      return change(state, view, (next, ctx) => {
        const s = next.sessions[event.evseId]!;
        s.nextLimit = undefined;
        if (running(s)) limits.setLimit(ctx, event.evseId, s, waiting, 'station');
      });
    },
    // E16.FR.15: with a display, block I keeps the CSMS's running cost (CostUpdated) and refreshes the screen.
    'display.tick': (state, _event, view) => {
      const screens = view.query.driverScreens?.();
      if (!screens?.length) return undefined;
      return everyTransaction(state, view, (ctx, key, s) => {
        const cost = screens.find((d) => d.transactionId === s.tx.id && !d.ended)?.runningCost;
        if (s.tx.limit?.maxCost !== undefined && cost !== undefined && cost !== s.tx.centralCost)
          limits.centralCost(ctx, key, s, cost);
      });
    },

    // 2.1 block I: a running-cost update (I12.FR.02/03).
    'tariff.runningCost': (state, event, view) =>
      change(state, view, (next, ctx) => {
        const entry = Object.entries(next.sessions).find(([, s]) => running(s) && s.tx.id === event.transactionId);
        if (!entry || !running(entry[1])) return false;
        step.runningCost(ctx, Number(entry[0]), entry[1]);
        limits.costKnown(ctx, Number(entry[0]), entry[1]);
        limits.checkLimits(ctx, Number(entry[0]), entry[1]); // E16.FR.16: the local cost against maxCost
      }),

    // 2.1 block I: the transaction's tariff (I07.FR.32, I08.FR.22), or a new one (I11.FR.07).
    'tariff.bound': (state, event, view) =>
      change(state, view, (next, ctx) => {
        const entry = Object.entries(next.sessions).find(([, s]) => running(s) && s.tx.id === event.transactionId);
        if (!entry) return false;
        const [key, s] = entry;
        if (!running(s)) return false;
        s.tx.unreportedTariffId = event.tariffId;
        if (event.changed) step.tariffChanged(ctx, Number(key), s);
      }),

    // 2.1 B13.FR.04/20: a Reset ImmediateAndResume (reset-resume.ts).
    'transactions.resetResume': (state, event, view) =>
      change(state, view, (next, ctx) =>
        reportResetResume(ctx, next, event.evseId, { relock: options.relockAfterReset === true }),
      ),
    // 2.1 B13.FR.22: the cable of a transaction locked again after the reboot (or not).
    hardwareDone: (state, event, view) =>
      event.tag.startsWith(RELOCK_TAG)
        ? withTransaction(state, view, event.tag.slice(RELOCK_TAG.length), (ctx, key, s) =>
            relocked(ctx, key, s, event.result === true),
          )
        : undefined,
    hardwareFailed: (state, event, view) =>
      event.tag.startsWith(RELOCK_TAG)
        ? withTransaction(state, view, event.tag.slice(RELOCK_TAG.length), (ctx, key, s) =>
            relocked(ctx, key, s, false),
          )
        : undefined,
    'transactions.evseResetDone': (state, event, view) =>
      change(state, view, (next, ctx) => resumeAfterEvseReset(ctx, next, event.evseId)),

    // 2.1 I07.FR.30/31, I08.FR.20/21/31: block I dropped the driver's tariff; the authorization goes with it.
    'tariff.deauthorize': (state, event, view) =>
      change(state, view, (next, ctx) => tariffNotAccepted(ctx, event.evseId, session(next, event.evseId))),

    triggered: (state, event, view) => {
      if (event.requestedMessage !== 'TransactionEvent') return undefined;
      const evse = event.evse;
      // F06.FR.07, F06.FR.11: for the EVSE asked, or every EVSE with a transaction.
      return change(state, view, (next, ctx) => {
        for (const [k, s] of Object.entries(next.sessions)) {
          if (running(s) && (!evse || evse.id === Number(k))) step.triggeredEvent(ctx, Number(k), s);
        }
      });
    },

    'variables.changed': (state, event, view) => {
      if (!event.changes.some((c) => c.component === 'SampledDataCtrlr' && SAMPLING_VARIABLES.has(c.variable)))
        return undefined;
      return change(state, view, (next, ctx) => {
        for (const s of Object.values(next.sessions)) if (running(s)) step.armSampling(ctx, s.tx);
        return false;
      });
    },
  };

  /** A step on the session of a running transaction, if it still runs. */
  function withTransaction(
    state: TransactionsState,
    view: StationView,
    transactionId: string,
    fn: (ctx: step.Ctx, key: number, s: Running) => void,
  ): Step<TransactionsState> | undefined {
    return change(state, view, (next, ctx) => {
      const found = sessionWithTransaction(next, transactionId);
      if (!found || !running(found[1])) return false;
      fn(ctx, found[0], found[1]);
    });
  }

  /** A step on every running transaction whose EVSE is known; none when no transaction runs. */
  function everyTransaction(
    state: TransactionsState,
    view: StationView,
    fn: (ctx: step.Ctx, key: number, s: Running) => void,
  ): Step<TransactionsState> | undefined {
    if (!transactionRunning(state, 0)) return undefined;
    return change(state, view, (next, ctx) => {
      for (const [k, s] of Object.entries(next.sessions)) if (running(s) && k !== '0') fn(ctx, Number(k), s);
    });
  }

  /**
   * An idToken presented. During an authorized transaction the one that authorized it ends the authorization; any
   * other is asked of C as a stopping token (C decides whether it may end it: same group, C09). Otherwise C is asked
   * to authorize it (C01); an earlier authorization that has no transaction yet is replaced if C accepts.
   */
  function presented(
    next: TransactionsState,
    ctx: step.Ctx,
    idToken: IdTokenType,
    evseId: number | undefined,
  ): boolean | void {
    const keys = evseId !== undefined ? [evseId] : Object.keys(next.sessions).map(Number);
    for (const key of keys) {
      const s = session(next, key);
      // E07.FR.01(a), C01.FR.03: the same idToken ends the authorization without asking anyone.
      if (s.tx && s.auth && sameToken(s.auth.idToken, idToken))
        return step.stopAuthorization(ctx, key, s, 'StopAuthorized', 'Local', idToken);
    }
    for (const key of keys) {
      const s = session(next, key);
      // E05.FR.11, E09.FR.03: the owner unlocks a cable kept locked for them.
      if (!s.tx && sameToken(s.lockedFor, idToken)) {
        s.lockedFor = undefined;
        if (s.connectorId !== undefined)
          ctx.effects.push({ type: 'hardware', call: { op: 'unlockConnector', args: [key, s.connectorId] } });
        return;
      }
    }
    const key = evseId ?? chooseEvse(next, ctx.view);
    const s = session(next, key);
    if (s.pending) return false; // one authorization at a time per EVSE
    // 2.1 C25.FR.22: a web payment for this EVSE is under way at the CSMS: no local start meanwhile.
    if (!s.tx && ctx.view.query.webPaymentPending?.(key)) {
      ctx.effects.push({
        type: 'emit',
        event: { type: 'log', level: 'info', message: `idToken refused for EVSE ${key}: a web payment is under way` },
      });
      return;
    }
    // C01.FR.23: a transaction still running after its authorization ended is not re-authorized by another idToken
    // (a CSMS most likely keeps one idToken per transaction); its own idToken may authorize it again.
    if (s.tx && !s.auth && s.tx.authorizedBy && !sameToken(s.tx.authorizedBy, idToken)) {
      ctx.effects.push({
        type: 'emit',
        event: {
          type: 'log',
          level: 'info',
          message: `idToken refused for EVSE ${key}: transaction ${s.tx.id} belongs to another idToken (C01.FR.23)`,
        },
      });
      return;
    }
    const ref = `tx.auth.${++next.counter}`;
    const stopping =
      s.tx && s.auth
        ? { idToken: s.auth.idToken, ...(s.auth.groupIdToken ? { groupIdToken: s.auth.groupIdToken } : {}) }
        : undefined;
    s.pending = { ref, idToken, purpose: stopping ? 'stop' : 'start' };
    // E07.FR.01(b), E08.FR.02: another idToken ends the authorization if C finds it may (same GroupIdToken).
    ctx.effects.push({
      type: 'dispatch',
      event: {
        type: 'authorize.request',
        ref,
        idToken,
        ...(key !== 0 ? { evseId: key } : {}),
        ...(stopping ? { stopping } : {}),
      },
    });
  }

  /** Whether an authorization whose EVSE was not known may be used at `evseId` (C01.FR.21, H03). */
  function mayUse(auth: EvseSession['auth'], evseId: number, view: StationView): boolean {
    if (!auth) return true;
    if (auth.evses && !auth.evses.includes(evseId)) return false;
    return reservationCheck(view, evseId, auth.idToken, auth.groupIdToken).verdict !== 'reserved';
  }

  /** An idToken at a station-wide reader: the EVSE whose EV waits for one, the only EVSE, or not known yet (0). */
  function chooseEvse(state: TransactionsState, view: StationView): number {
    const waiting = view.evses.find((e) => {
      const s = state.sessions[e.id];
      return s?.evConnected && !s.auth && !s.pending;
    });
    if (waiting) return waiting.id;
    return view.evses.length === 1 ? view.evses[0]!.id : 0;
  }

  function meterReadings(
    state: TransactionsState,
    view: StationView,
    evseId: number,
    signed: boolean,
  ): Step<TransactionsState> | undefined {
    const s = state.sessions[evseId];
    if (!s) return undefined;
    const cfg = txConfig(view);
    const watch = running(s) && s.tx.invalidIdWatch === true && cfg.maxEnergyOnInvalidId !== undefined;
    const newlySigned = signed && !s.signed && s.evConnected && sampleOptions(view, 'SampledDataCtrlr').sign;
    if (!watch && !newlySigned) return undefined;
    return change(state, view, (next, ctx) => {
      const n = next.sessions[evseId]!;
      if (watch && running(n) && step.energyExceeded(ctx, evseId, n, cfg.maxEnergyOnInvalidId!))
        step.suspendForInvalidToken(ctx, evseId, n);
      if (!newlySigned) return;
      n.signed = true;
      // E01.FR.04: TxStartPoint DataSigned: the first signed value starts the transaction (or is reported, TC_E_11).
      if (!cfg.start.has('DataSigned')) return;
      if (running(n)) step.signedData(ctx, evseId, n);
      else if (n.auth && n.evConnected) step.start(ctx, evseId, n, step.triggerFor(n, 'SignedDataReceived'));
    });
  }

  /** A second step on the state the first left (or on `state` when there was none); the effects of both, in order. */
  function then(
    first: Step<TransactionsState> | undefined,
    state: TransactionsState,
    second: (current: TransactionsState) => Step<TransactionsState> | undefined,
  ): Step<TransactionsState> | undefined {
    const next = second(first?.state ?? state);
    if (!next) return first;
    if (!first) return next;
    return { state: next.state, effects: [...(first.effects ?? []), ...(next.effects ?? [])] };
  }

  /** 2.1 E16: the meter moved: a limit of the EVSE's transaction (energy, SoC, a local cost) may be reached. */
  function limitsOn(state: TransactionsState, view: StationView, evseId: number) {
    const s = state.sessions[evseId];
    if (!running(s) || !s.tx.limit || s.tx.limitReached) return undefined;
    return change(state, view, (next, ctx) => {
      const n = next.sessions[evseId];
      return running(n) && limits.checkLimits(ctx, evseId, n);
    });
  }

  /** 2.1 S04.FR.06: the meter moved: the battery in a swap station's slot may have reached BatterySwapCtrlr.MaxSoc. */
  function batteryFull(state: TransactionsState, view: StationView, evseId: number) {
    const s = state.sessions[evseId];
    if (!running(s) || s.suspendedByStation || !slot.batterySlot(view, evseId)) return undefined;
    return change(state, view, (next, ctx) => {
      const n = next.sessions[evseId];
      return running(n) && slot.batteryFull(ctx, evseId, n);
    });
  }

  /**
   * 2.1 E16.FR.02/03: a limit in a TransactionEventResponse; E16.FR.15: its running cost (totalCost) against maxCost.
   * An answer to the Ended event has nothing left to limit.
   */
  function limitsAnswered(
    state: TransactionsState,
    view: StationView,
    request: TransactionEventRequest,
    response: TransactionEventResponse | TransactionEventResponse21 | undefined,
  ): Step<TransactionsState> | undefined {
    const limit = response && 'transactionLimit' in response ? response.transactionLimit : undefined;
    const totalCost = response?.totalCost;
    if (view.version !== 'ocpp2.1' || (limit === undefined && totalCost === undefined)) return undefined;
    const found = sessionWithTransaction(state, request.transactionInfo.transactionId);
    if (!found) return undefined;
    const [key, current] = found;
    if (limit === undefined && current.tx?.limit?.maxCost === undefined) return undefined;
    return change(state, view, (next, ctx) => {
      const s = next.sessions[key];
      if (!running(s)) return false;
      if (totalCost !== undefined) limits.centralCost(ctx, key, s, totalCost);
      if (limit !== undefined) limits.setLimit(ctx, key, s, limit, 'csms');
    });
  }

  /**
   * K03.FR.05: a chargingPriority in a TransactionEventResponse is this transaction's (kept with it, not with the
   * idToken); the IdTokenInfo of the request's idToken may bring the idToken's own.
   */
  function priorityAnswered(
    state: TransactionsState,
    view: StationView,
    request: TransactionEventRequest,
    response: TransactionEventResponse | TransactionEventResponse21 | undefined,
  ): Step<TransactionsState> | undefined {
    const own = response?.chargingPriority;
    const info = response?.idTokenInfo?.chargingPriority;
    if (own === undefined && info === undefined) return undefined;
    const found = sessionWithTransaction(state, request.transactionInfo.transactionId);
    if (!found) return undefined;
    const [key, current] = found;
    const tokenOf =
      info !== undefined &&
      info !== current.auth?.chargingPriority &&
      sameToken(current.auth?.idToken, request.idToken);
    if ((own === undefined || own === current.tx?.chargingPriority) && !tokenOf) return undefined;
    return change(state, view, (next) => {
      const s = next.sessions[key];
      if (!running(s)) return false;
      if (own !== undefined) s.tx.chargingPriority = own;
      if (tokenOf && s.auth) s.auth = { ...s.auth, chargingPriority: info };
    });
  }

  /** E05: the CSMS's verdict on the idToken of a running transaction (TransactionEventResponse.idTokenInfo). */
  function transactionEventAnswered(
    state: TransactionsState,
    view: StationView,
    request: TransactionEventRequest,
    response: TransactionEventResponse | TransactionEventResponse21 | undefined,
  ): Step<TransactionsState> | undefined {
    const info = response?.idTokenInfo;
    if (!info || !request.idToken) return undefined;
    const found = sessionWithTransaction(state, request.transactionInfo.transactionId);
    if (!found || !sameToken(found[1].auth?.idToken, request.idToken)) return undefined;
    const [key] = found;
    return change(state, view, (next, ctx) => {
      const s = next.sessions[key];
      if (!running(s)) return false;
      if (info.status === 'Accepted') {
        // E07.FR.01(b) needs the GroupIdToken the CSMS knows (E01.FR.12).
        if (!info.groupIdToken || s.auth!.groupIdToken) return false;
        s.auth = { ...s.auth!, groupIdToken: stationToken(info.groupIdToken) };
        return;
      }
      step.invalidToken(ctx, key, s);
    });
  }

  return {
    name: 'transactions',
    triggers: ['TransactionEvent'],

    init(view, saved) {
      // What `save` wrote (or nothing on a first start), read back from the store.
      const s = saved as TransactionsState | undefined;
      const sessions: Record<number, EvseSession> = { 0: emptySession() };
      for (const e of view.evses) sessions[e.id] = emptySession();
      return { sessions: { ...sessions, ...(s?.sessions ?? {}) }, counter: s?.counter ?? 0 };
    },

    save: (state) => state,
    on: byEventType(handlers),
    queries: {
      transactionOn: (state, _view, evseId) => transactionRunning(state, evseId),
      evseActivity: (state, _view, evseId) => activity(state.sessions[evseId]),
      transactionEvse: (state, _view, transactionId) => sessionWithTransaction(state, transactionId)?.[0],
      transactionsOfToken: (state, _view, idToken) =>
        Object.entries(state.sessions).flatMap(([evseId, s]) =>
          s.tx && (sameToken(s.tx.authorizedBy, idToken) || sameToken(s.auth?.idToken, idToken))
            ? [{ transactionId: s.tx.id, evseId: Number(evseId), startedAt: s.tx.startedAt }]
            : [],
        ),
    },
    canTrigger: (state, message, evse) => message !== 'TransactionEvent' || transactionRunning(state, evse?.id ?? 0),

    answers: {
      ...(options.answerCostUpdated
        ? {
            // I02.FR.02 answered; E16.FR.15: the CSMS's running cost against the transaction's maxCost.
            CostUpdated: (
              state: TransactionsState,
              request: { totalCost: number; transactionId: string },
              view: StationView,
            ) => {
              const found = sessionWithTransaction(state, request.transactionId);
              const step_ =
                found && running(found[1]) && found[1].tx.limit?.maxCost !== undefined
                  ? withTransaction(
                      state,
                      view,
                      request.transactionId,
                      (ctx, key, s) => void limits.centralCost(ctx, key, s, request.totalCost),
                    )
                  : undefined;
              return {
                ...(step_ ? { state: step_.state } : {}),
                response: {},
                ...(step_?.effects ? { after: step_.effects } : {}),
              };
            },
          }
        : {}),
      // E14: what the station knows of a transaction, and whether its messages still wait in the queue.
      GetTransactionStatus(state, request, view) {
        const { transactionId } = request;
        if (transactionId === undefined) return { response: { messagesInQueue: view.queued() } }; // E14.FR.06/07/08
        // E14.FR.01–05: ongoing or not (unknown: not), messages of it queued or not.
        return {
          response: {
            ongoingIndicator: sessionWithTransaction(state, transactionId) !== undefined,
            messagesInQueue: view.queued(transactionId),
          },
        };
      },
    },
  };
}

/** The session as the other blocks see it. */
function activity(s: EvseSession | undefined): EvseActivity | undefined {
  if (!s) return undefined;
  return {
    ...(s.tx ? { transactionId: s.tx.id } : {}),
    authorized: s.auth !== undefined,
    authorizing: s.pending !== undefined,
    evConnected: s.evConnected,
    ...(s.connectorId !== undefined ? { connectorId: s.connectorId } : {}),
    ...(s.tx ? { chargingPriority: chargingPriority(s) } : {}),
  };
}

/** K03: `transaction.priority` for every transaction that runs on in `after` with another chargingPriority. */
function priorityChanges(before: TransactionsState, after: TransactionsState): Effect[] {
  return Object.entries(after.sessions).flatMap(([key, s]): Effect[] => {
    const was = before.sessions[Number(key)];
    if (!s.tx || !was?.tx || was.tx.id !== s.tx.id) return [];
    const priority = chargingPriority(s);
    if (priority === chargingPriority(was)) return [];
    const event = {
      type: 'transaction.priority',
      evseId: Number(key),
      transactionId: s.tx.id,
      chargingPriority: priority,
    } as const;
    return [{ type: 'dispatch', event }];
  });
}
