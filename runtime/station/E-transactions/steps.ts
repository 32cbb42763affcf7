// The transitions of one EVSE's transaction state machine. Each works on the caller's copy of the session and
// appends the effects (TransactionEvents, hardware calls, timers, events for the other blocks) to the context; the
// use case (transactions.ts) decides which transition an event causes. Requirement IDs are cited where a rule is
// applied.
import type {
  IdTokenType,
  ReasonEnumType,
  TransactionEventEnumType,
  TriggerReasonEnumType,
} from '../../../generated/v201/types.js';
import { registrationOf } from '../B-provisioning/boot.js';
import type { Effect, StationView } from '../core/types.js';
import { sampledConfig, v2xMeasurands } from '../J-meter-values/config.js';
import { is15118_20 } from '../Q-v2x/connected-ev.js';
import { energyRegisterWh, meterValue, sampleOptions } from '../J-meter-values/measurands.js';
import type { TxConfig } from './config.js';
import type { TransactionLimits } from './limits/limits.js';
import { keepEndedSamples, transactionEvent, type EventOptions } from './messages.js';
import {
  asRunning,
  chargingState,
  type Authorization,
  type EvseSession,
  type Running,
  type Transaction,
} from './session.js';

export interface Ctx {
  view: StationView;
  cfg: TxConfig;
  now: number;
  newId: () => string;
  effects: Effect[];
}

export const evTimeoutTimer = (key: number) => `tx.evTimeout.${key}`;
export const sampleTimer = (txId: string) => `tx.sample.${txId}`;
export const endedSampleTimer = (txId: string) => `tx.endedSample.${txId}`;

function send(
  ctx: Ctx,
  key: number,
  s: Running,
  eventType: TransactionEventEnumType,
  trigger: TriggerReasonEnumType,
  o?: EventOptions,
): void {
  const payload = transactionEvent(key, s, eventType, trigger, ctx.now, o);
  // 2.1 I12.FR.01: where the station calculates the cost (block I), the Ended event carries the breakdown. The one
  // 2.1 field of E's events: the payload type is 2.0.1's, widened here while 2.1 is spoken.
  const v21 = ctx.view.version === 'ocpp2.1';
  const costDetails = !v21
    ? undefined
    : eventType === 'Ended'
      ? ctx.view.query.finalCostDetails?.(s.tx.id)
      : trigger === RUNNING_COST
        ? ctx.view.query.runningCostDetails?.(s.tx.id)
        : undefined;
  // 2.1 I07.FR.32, I08.FR.22, I11.FR.07: the tariff block I bound to the transaction, once.
  const tariffId = s.tx.unreportedTariffId;
  if (tariffId !== undefined) {
    Object.assign(payload.transactionInfo, { tariffId });
    delete s.tx.unreportedTariffId;
  }
  // 2.1 Q01.FR.02: the EVCCID of an ISO 15118-20 EV goes with the idToken of the Started event.
  if (v21 && eventType === 'Started' && payload.idToken) payload.idToken = withEvccid(ctx.view, key, payload.idToken);
  // 2.1 Q10.FR.04/.05: while block K has the EVSE's electronics asleep (absent: false).
  if (v21 && key !== 0 && ctx.view.query.evseSleeping?.(key)) Object.assign(payload, { evseSleep: true });
  // 2.1 E16.FR.01/03: the limits set since the last event, once (only 2.1 sets any).
  const transactionLimit = s.tx.unreportedLimit;
  if (transactionLimit) {
    Object.assign(payload.transactionInfo, { transactionLimit });
    delete s.tx.unreportedLimit;
  }
  ctx.effects.push({
    type: 'send',
    action: 'TransactionEvent',
    payload: costDetails ? Object.assign(payload, { costDetails }) : payload,
  });
}

/**
 * 2.1 Q01.FR.02 (errata 2025-09: only where ISO15118Ctrlr.Enabled and V2XChargingCtrlr.Enabled are true): the EVCCID
 * block Q knows of the EVSE's ISO 15118-20 session, as additionalInfo of type EVCCID.
 */
function withEvccid(view: StationView, key: number, idToken: IdTokenType): IdTokenType {
  const ev = view.query.connectedEv?.(key);
  const enabled = (c: 'ISO15118Ctrlr' | 'V2XChargingCtrlr') =>
    (view.variables.bool(c, 'Enabled', { evseId: key }) ?? view.variables.bool(c, 'Enabled')) === true;
  if (!ev || !is15118_20(ev) || !enabled('ISO15118Ctrlr') || !enabled('V2XChargingCtrlr')) return idToken;
  return {
    ...idToken,
    additionalInfo: [...(idToken.additionalInfo ?? []), { additionalIdToken: ev.evccid, type: 'EVCCID' }],
  };
}

/** I12.FR.03: an Updated event only for the running cost (2.1's trigger reason; block I raises it in 2.1 only). */
const RUNNING_COST = 'RunningCost' as TriggerReasonEnumType;

/** I12.FR.02/03: a running-cost update of the transaction (block I's timer). */
export function runningCost(ctx: Ctx, key: number, s: Running): void {
  update(ctx, key, s, RUNNING_COST);
}

/** I11.FR.07: the transaction's tariff was changed (ChangeTransactionTariff): an Updated event says so at once. */
export function tariffChanged(ctx: Ctx, key: number, s: Running): void {
  // TariffChanged is a 2.1 trigger reason; block I raises the change only while 2.1 is spoken.
  update(ctx, key, s, 'TariffChanged' as TriggerReasonEnumType);
}

export function hardwareCharging(ctx: Ctx, key: number, s: EvseSession, on: boolean): void {
  if (key === 0) return;
  if (on && s.connectorId !== undefined) {
    // G05.FR.01: not with a failed connector retention lock.
    if (ctx.view.query.lockFailed?.(key, s.connectorId)) return;
    ctx.effects.push({ type: 'hardware', call: { op: 'startCharging', args: [key, s.connectorId] } });
  }
  if (!on) ctx.effects.push({ type: 'hardware', call: { op: 'stopCharging', args: [key] } });
}

/** The trigger of an event that also reports an authorization by RequestStartTransaction (F01.FR.19, F02.FR.21). */
export function triggerFor(s: EvseSession, own: TriggerReasonEnumType): TriggerReasonEnumType {
  return s.auth?.unreported && s.auth.via === 'RemoteStart' ? 'RemoteStart' : own;
}

/** Samples of the EVSE's meter for `measurands` (J02), or none without a meter or for an unknown EVSE. */
function sample(
  ctx: Ctx,
  key: number,
  which: 'started' | 'updated' | 'ended',
  context: 'Transaction.Begin' | 'Transaction.End' | 'Sample.Periodic' | 'Trigger',
  at = ctx.now,
) {
  const sampled = sampledConfig(ctx.view);
  if (key === 0 || !sampled.enabled) return [];
  // 2.1 Q01.FR.33–.35: with those V2XChargingCtrlr adds for the operationMode in force.
  const measurands = [...new Set([...sampled[which], ...v2xMeasurands(ctx.view, key, which)])];
  const mv = meterValue(ctx.view.meter(key), measurands, context, at, sampleOptions(ctx.view, 'SampledDataCtrlr'));
  return mv ? [mv] : [];
}

/** Whether a transaction may start here: accepted by the CSMS or allowed before (B02.FR.03), and operative (G03). */
function mayStart(ctx: Ctx, key: number, s: EvseSession): boolean {
  const registration = registrationOf(ctx.view);
  if ((registration === 'Pending' || registration === 'Rejected') && !ctx.cfg.txBeforeAcceptedEnabled) return false;
  if (key !== 0 && ctx.view.query.operative?.(key, s.connectorId ?? 1) === false) return false;
  return true;
}

/** E01.FR.01–06: a start point was reached; the transaction starts with a Started event. */
export function start(ctx: Ctx, key: number, s: EvseSession, trigger: TriggerReasonEnumType): void {
  if (s.tx || !mayStart(ctx, key, s)) return;
  const tx: Transaction = {
    id: ctx.newId(),
    startedAt: ctx.now,
    evseReported: 'none',
    beginReported: key !== 0,
    chargingState: 'Idle',
    ended: [],
    lastSeen: ctx.now,
  };
  const wh = key !== 0 ? energyRegisterWh(ctx.view.meter(key)) : undefined;
  if (wh !== undefined) tx.startWh = wh;
  // 2.1 C18.FR.06: a limit that came with the authorization (a payment's amount) goes into the Started event.
  if (s.auth?.limit) withLimit(tx, s.auth.limit);
  s.tx = tx;
  const running = asRunning(s);
  // E01.FR.09, E02.FR.09, E03.FR.07: the TxStartedMeasurands with context Transaction.Begin, if the EVSE is known.
  send(ctx, key, running, 'Started', trigger, { meterValue: sample(ctx, key, 'started', 'Transaction.Begin') });
  beginEndedSamples(ctx, key, running);
  armSampling(ctx, running.tx);
  ctx.effects.push(
    {
      type: 'dispatch',
      event: {
        type: 'transaction.started',
        evseId: key,
        ...(s.connectorId !== undefined ? { connectorId: s.connectorId } : {}),
        transactionId: tx.id,
        ...(s.auth ? { idToken: s.auth.idToken } : {}),
        ...(s.auth?.remoteStartId !== undefined ? { remoteStartId: s.auth.remoteStartId } : {}),
        ...(s.auth?.reservationId !== undefined ? { reservationId: s.auth.reservationId } : {}),
      },
    },
    {
      type: 'emit',
      event: {
        type: 'transactionStarted',
        evseId: key,
        ...(s.connectorId !== undefined ? { connectorId: s.connectorId } : {}),
        transactionId: tx.id,
      },
    },
  );
}

/** 2.1 E16: a limit the station sets with an authorization, reported in the next event. */
function withLimit(tx: Transaction, limit: TransactionLimits): void {
  tx.limit = { ...tx.limit, ...limit };
  tx.unreportedLimit = { ...tx.limit };
}

/** DataSigned (E01.FR.04): a signed reading arrived while the transaction already runs: report it. */
export function signedData(ctx: Ctx, key: number, s: Running): void {
  update(ctx, key, s, 'SignedDataReceived', { meterValue: sample(ctx, key, 'started', 'Transaction.Begin') });
}

/** The first sample of TxEndedMeasurands: at the start of the transaction, every TxEndedInterval from there (E06.FR.11). */
function beginEndedSamples(ctx: Ctx, key: number, s: Running): void {
  const periodic = sampledConfig(ctx.view).endedIntervalS > 0;
  // With TxEndedInterval 0 only the values at start and end are reported; otherwise the start is the first periodic one.
  s.tx.ended.push(...sample(ctx, key, 'ended', periodic ? 'Sample.Periodic' : 'Transaction.Begin'));
}

/** J02.FR.11 (TxUpdatedInterval) and E06.FR.11 (TxEndedInterval) sampling for a running transaction. */
export function armSampling(ctx: Ctx, tx: Transaction): void {
  armSample(ctx, tx.id);
  armEndedSample(ctx, tx.id);
}

/** The next periodic sample, TxUpdatedInterval from now (J02.FR.11); none when switched off. */
export function armSample(ctx: Ctx, txId: string): void {
  const sampled = sampledConfig(ctx.view);
  if (sampled.enabled && sampled.updatedIntervalS > 0 && sampled.updated.length) {
    ctx.effects.push({
      type: 'timer',
      id: sampleTimer(txId),
      ms: sampled.updatedIntervalS * 1000,
      event: { type: 'tx.sample', transactionId: txId },
    });
  } else ctx.effects.push({ type: 'cancelTimer', id: sampleTimer(txId) });
}

/** The next TxEndedMeasurands sample, TxEndedInterval from now (E06.FR.11); none when switched off. */
export function armEndedSample(ctx: Ctx, txId: string): void {
  const sampled = sampledConfig(ctx.view);
  if (sampled.enabled && sampled.endedIntervalS > 0 && sampled.ended.length) {
    ctx.effects.push({
      type: 'timer',
      id: endedSampleTimer(txId),
      ms: sampled.endedIntervalS * 1000,
      event: { type: 'tx.endedSample', transactionId: txId },
    });
  } else ctx.effects.push({ type: 'cancelTimer', id: endedSampleTimer(txId) });
}

/** An Updated event of the running transaction (E02.FR.17: one per trigger). */
export function update(ctx: Ctx, key: number, s: Running, trigger: TriggerReasonEnumType, o?: EventOptions): void {
  send(ctx, key, s, 'Updated', trigger, o);
}

/** J02.FR.11: a periodic sample (TxUpdatedMeasurands, context Sample.Periodic). */
export function periodicSample(ctx: Ctx, key: number, s: Running): void {
  const meter = sample(ctx, key, 'updated', 'Sample.Periodic');
  if (meter.length) update(ctx, key, s, 'MeterValuePeriodic', { meterValue: meter });
}

/** F06.FR.07: a triggered event: the chargingState and the TxUpdatedMeasurands with context Trigger. */
export function triggeredEvent(ctx: Ctx, key: number, s: Running): void {
  update(ctx, key, s, 'Trigger', {
    meterValue: sample(ctx, key, 'updated', 'Trigger'),
    withChargingState: true,
    withEvse: true,
  });
}

/** E06.FR.11: a TxEndedMeasurands sample (Sample.Periodic) kept for the Ended event. */
export function endedSample(ctx: Ctx, key: number, s: Running): void {
  keepEndedSamples(s.tx, sample(ctx, key, 'ended', 'Sample.Periodic'));
  s.tx.lastSeen = ctx.now;
}

export interface EndOptions {
  stopToken?: IdTokenType;
  /** E06.FR.10, E07.FR.07: unlock the cable at a normal end; not when it must stay locked (E05.FR.11, E09.FR.03). */
  unlock?: boolean;
}

/** E06: the transaction ends with an Ended event; the authorization ends with it. */
export function end(
  ctx: Ctx,
  key: number,
  s: Running,
  trigger: TriggerReasonEnumType,
  reason: ReasonEnumType,
  o: EndOptions = {},
): void {
  const tx = s.tx;
  const owner = s.auth?.idToken;
  s.auth = undefined;
  s.suspendedByStation = false;
  s.pending = undefined;
  // E06.FR.11: the TxEndedMeasurands at the end, context Transaction.End, after the samples taken meanwhile.
  // keepEndedSamples leaves one place free for it.
  const samples = [...tx.ended, ...sample(ctx, key, 'ended', 'Transaction.End')];
  // E06.FR.08/09, E07.FR.04–06: always a stoppedReason (Local included: the Part 6 test cases check it).
  send(ctx, key, s, 'Ended', trigger, {
    stoppedReason: reason,
    meterValue: samples,
    ...(o.stopToken ? { stopToken: o.stopToken } : {}),
  });
  ctx.effects.push(
    { type: 'cancelTimer', id: sampleTimer(tx.id) },
    { type: 'cancelTimer', id: endedSampleTimer(tx.id) },
    { type: 'cancelTimer', id: evTimeoutTimer(key) },
  );
  hardwareCharging(ctx, key, s, false);
  if (key !== 0 && s.connectorId !== undefined) {
    if (o.unlock ?? true)
      ctx.effects.push({ type: 'hardware', call: { op: 'unlockConnector', args: [key, s.connectorId] } });
    else if (owner) s.lockedFor = owner;
  }
  const session: EvseSession = s; // the transaction is over: the session no longer has one
  session.tx = undefined;
  ctx.effects.push(
    {
      type: 'dispatch',
      event: { type: 'transaction.ended', evseId: key, transactionId: tx.id, stoppedReason: reason },
    },
    { type: 'emit', event: { type: 'transactionEnded', evseId: key, transactionId: tx.id, stoppedReason: reason } },
  );
}

const endsWithAuthorization = (cfg: TxConfig, wasCharging: boolean) =>
  cfg.stop.has('Authorized') || cfg.stop.has('PowerPathClosed') || (cfg.stop.has('EnergyTransfer') && wasCharging);

/**
 * E06.FR.03/06, E07, F03: the authorization ends (a stop token, RequestStopTransaction, the CSMS). The transaction
 * ends if TxStopPoint contains Authorized or PowerPathClosed (or EnergyTransfer while energy flowed: it stops now);
 * otherwise energy stops and an Updated event reports it (F03.FR.02, E05.FR.09).
 */
export function stopAuthorization(
  ctx: Ctx,
  key: number,
  s: EvseSession,
  trigger: TriggerReasonEnumType,
  reason: ReasonEnumType,
  stopToken?: IdTokenType,
): void {
  ctx.effects.push({ type: 'cancelTimer', id: evTimeoutTimer(key) });
  if (!s.tx) {
    if (s.auth) {
      hardwareCharging(ctx, key, s, false);
      authorizationEnded(ctx, key, s.auth.idToken);
    }
    s.auth = undefined;
    s.pending = undefined;
    return;
  }
  const running = asRunning(s);
  const wasCharging = chargingState(s) === 'Charging';
  if (endsWithAuthorization(ctx.cfg, wasCharging)) {
    end(ctx, key, running, trigger, reason, stopToken ? { stopToken } : {});
    return;
  }
  s.auth = undefined;
  s.suspendedByStation = false;
  running.tx.stopReason = reason;
  hardwareCharging(ctx, key, s, false);
  update(ctx, key, running, trigger, stopToken ? { stopToken } : {});
}

/** An authorization ended without a transaction: the payment terminal releases its reservation (2.1 C19). */
function authorizationEnded(ctx: Ctx, key: number, idToken: IdTokenType): void {
  ctx.effects.push({ type: 'dispatch', event: { type: 'tx.authorizationEnded', evseId: key, idToken } });
}

/** An authorization was granted (C, or a remote start without authorization, F01.FR.02). */
export function authorize(ctx: Ctx, key: number, s: EvseSession, auth: Authorization): void {
  s.auth = auth;
  s.pending = undefined;
  s.suspendedByStation = false;
  s.lockedFor = undefined;
  const start_ = ctx.cfg.start;
  if (s.tx) {
    // 2.1 C18.FR.06: the limit that comes with the authorization (a payment's amount) goes into the same event.
    if (auth.limit) withLimit(s.tx, auth.limit);
    // E02.FR.01, E02.FR.20: the next event reports the authorization with its idToken.
    update(ctx, key, asRunning(s), auth.via);
  } else if (
    start_.has('Authorized') ||
    (s.evConnected && start_.has('PowerPathClosed')) ||
    (s.evConnected && s.signed && start_.has('DataSigned'))
  ) {
    // E01.FR.03 (Authorized), E01.FR.05 (PowerPathClosed: authorized and connected).
    start(ctx, key, s, auth.via);
  }
  if (s.evConnected) {
    hardwareCharging(ctx, key, s, true);
  } else if (ctx.cfg.evConnectionTimeoutS > 0) {
    // E03.FR.05: the driver has EVConnectionTimeOut to plug in.
    ctx.effects.push({
      type: 'timer',
      id: evTimeoutTimer(key),
      ms: ctx.cfg.evConnectionTimeoutS * 1000,
      event: { type: 'tx.evTimeout', evseId: key },
    });
  }
}

/** The EV connected on `connectorId` (cable plugged in). */
export function plug(ctx: Ctx, key: number, s: EvseSession, connectorId: number): void {
  if (s.evConnected && s.connectorId === connectorId) return; // the firmware reporting again (e.g. after a restart)
  // E01.FR.14: one EV per EVSE; a second connector of the same EVSE takes no part while the first is in use.
  if (s.evConnected || (s.tx && s.connectorId !== undefined && s.connectorId !== connectorId)) return;
  s.connectorId = connectorId;
  s.evConnected = true;
  s.flow = undefined;
  s.signed = false;
  ctx.effects.push({ type: 'cancelTimer', id: evTimeoutTimer(key) });
  if (s.tx) {
    const running = asRunning(s);
    const begin: EventOptions = {};
    if (!running.tx.beginReported) {
      // E01.FR.17, E03.FR.11: the EVSE became known: the Transaction.Begin values go into this event.
      begin.meterValue = sample(ctx, key, 'started', 'Transaction.Begin');
      running.tx.beginReported = true;
      beginEndedSamples(ctx, key, running);
    }
    update(ctx, key, running, triggerFor(s, 'CablePluggedIn'), begin);
  } else if (ctx.cfg.start.has('EVConnected') || (s.auth && ctx.cfg.start.has('PowerPathClosed'))) {
    // E01.FR.02, E02.FR.06 (EVConnected); E01.FR.05 (PowerPathClosed).
    start(ctx, key, s, triggerFor(s, 'CablePluggedIn'));
  }
  if (s.auth) hardwareCharging(ctx, key, s, true);
}

/**
 * The EV disconnected (EV side, or the cable left the connector). E06.FR.02/06: TxStopPoint EVConnected or
 * PowerPathClosed ends the transaction; E09.FR.01: StopTxOnEVSideDisconnect deauthorizes it (ending it when
 * TxStopPoint contains Authorized); E10: otherwise it is suspended (Updated, chargingState Idle).
 */
export function disconnect(ctx: Ctx, key: number, s: EvseSession): void {
  if (!s.evConnected) return;
  const wasCharging = chargingState(s) === 'Charging';
  s.evConnected = false;
  s.flow = undefined;
  s.signed = false;
  afterDisconnect(ctx, key, s, wasCharging);
}

/**
 * What follows the EV's disconnection (the session already says it is gone): E06's stop points, E09's deauthorization,
 * E10's timeout. Also after a restart, where the EV left during the interruption (E17.FR.16/17, recovery.ts).
 */
export function afterDisconnect(ctx: Ctx, key: number, s: EvseSession, wasCharging: boolean): void {
  const cfg = ctx.cfg;
  if (!s.tx) {
    if (s.auth) {
      hardwareCharging(ctx, key, s, false);
      if (cfg.evConnectionTimeoutS > 0)
        ctx.effects.push({
          type: 'timer',
          id: evTimeoutTimer(key),
          ms: cfg.evConnectionTimeoutS * 1000,
          event: { type: 'tx.evTimeout', evseId: key },
        });
    }
    return;
  }
  const running = asRunning(s);
  const deauthorize = cfg.stopTxOnEVSideDisconnect;
  const unlock = !deauthorize || cfg.unlockOnEVSideDisconnect; // E09.FR.02/03
  const ends =
    cfg.stop.has('EVConnected') ||
    cfg.stop.has('PowerPathClosed') ||
    (deauthorize && cfg.stop.has('Authorized')) ||
    (cfg.stop.has('EnergyTransfer') && wasCharging);
  if (ends) {
    end(ctx, key, running, 'EVCommunicationLost', running.tx.stopReason ?? 'EVDisconnected', { unlock });
    return;
  }
  hardwareCharging(ctx, key, s, false);
  if (deauthorize) {
    // E09.FR.01: energy only after a new authorization, even if the EV comes back.
    if (s.auth && !unlock) s.lockedFor = s.auth.idToken;
    s.auth = undefined;
    running.tx.stopReason ??= 'EVDisconnected';
    if (unlock && s.connectorId !== undefined)
      ctx.effects.push({ type: 'hardware', call: { op: 'unlockConnector', args: [key, s.connectorId] } });
  }
  update(ctx, key, running, 'EVCommunicationLost');
  // E10.FR.02: still authorized: the EV has EVConnectionTimeOut to come back.
  if (s.auth && cfg.evConnectionTimeoutS > 0)
    ctx.effects.push({
      type: 'timer',
      id: evTimeoutTimer(key),
      ms: cfg.evConnectionTimeoutS * 1000,
      event: { type: 'tx.evTimeout', evseId: key },
    });
}

/** The hardware reports the energy flow (E01.FR.06 EnergyTransfer start, E06.FR.07 stop, E02.FR.13 chargingState). */
export function energyFlow(ctx: Ctx, key: number, s: EvseSession, flow: EvseSession['flow']): void {
  if (!s.evConnected || s.flow === flow) return;
  const before = chargingState(s);
  s.flow = flow;
  const after = chargingState(s);
  if (!s.tx) {
    if (after === 'Charging' && ctx.cfg.start.has('EnergyTransfer'))
      start(ctx, key, s, triggerFor(s, 'ChargingStateChanged'));
    return;
  }
  const running = asRunning(s);
  if (before === 'Charging' && after !== 'Charging' && ctx.cfg.stop.has('EnergyTransfer')) {
    end(
      ctx,
      key,
      running,
      'ChargingStateChanged',
      running.tx.stopReason ?? (flow === 'SuspendedEV' ? 'StoppedByEV' : 'Other'),
    );
    return;
  }
  if (after !== running.tx.chargingState) update(ctx, key, running, triggerFor(s, 'ChargingStateChanged'));
}

/** E03.FR.05/15, F02.FR.07/08, E10.FR.02: the EV did not connect within EVConnectionTimeOut. */
export function evConnectionTimeout(ctx: Ctx, key: number, s: EvseSession): void {
  if (!s.auth || s.evConnected) return;
  if (!s.tx) {
    authorizationEnded(ctx, key, s.auth.idToken);
    s.auth = undefined; // the authorization expires; nothing was reported
    return;
  }
  const running = asRunning(s);
  if (ctx.cfg.stop.has('ParkingBayOccupancy')) {
    // E03.FR.15, F02.FR.08: deauthorized; the transaction ends when the EV leaves the bay.
    s.auth = undefined;
    running.tx.stopReason = 'Timeout';
    update(ctx, key, running, 'EVConnectTimeout');
    return;
  }
  end(ctx, key, running, 'EVConnectTimeout', 'Timeout');
}

/**
 * E05: the CSMS answered a TransactionEvent with an idTokenInfo that is not Accepted for the idToken authorizing
 * the running transaction.
 */
export function invalidToken(ctx: Ctx, key: number, s: Running): void {
  const cfg = ctx.cfg;
  if (cfg.stopTxOnInvalidId) {
    if (cfg.stop.has('Authorized') || cfg.stop.has('PowerPathClosed') || cfg.stop.has('EnergyTransfer')) {
      // E05.FR.10, E06.FR.04 (and E05.FR.11: the cable stays locked for the owner).
      end(ctx, key, s, 'Deauthorized', 'DeAuthorized', { unlock: false });
      return;
    }
    // E05.FR.09: deauthorized, energy stops; chargingState EVConnected in the same event.
    s.auth = undefined;
    s.tx.stopReason = 'DeAuthorized';
    hardwareCharging(ctx, key, s, false);
    update(ctx, key, s, 'Deauthorized');
    return;
  }
  const max = cfg.maxEnergyOnInvalidId;
  if (max !== undefined && max > 0 && !energyExceeded(ctx, key, s, max)) {
    s.tx.invalidIdWatch = true; // E05.FR.03: energy until MaxEnergyOnInvalidId
    return;
  }
  suspendForInvalidToken(ctx, key, s);
}

export function energyExceeded(ctx: Ctx, key: number, s: Running, maxWh: number): boolean {
  const now = energyRegisterWh(ctx.view.meter(key));
  return now !== undefined && s.tx.startWh !== undefined && now - s.tx.startWh >= maxWh;
}

/** E05.FR.02: energy stops, the transaction stays authorized; chargingState SuspendedEVSE. */
export function suspendForInvalidToken(ctx: Ctx, key: number, s: Running): void {
  const wasCharging = chargingState(s) === 'Charging';
  s.tx.invalidIdWatch = false;
  s.suspendedByStation = true;
  hardwareCharging(ctx, key, s, false);
  if (ctx.cfg.stop.has('EnergyTransfer') && wasCharging) {
    end(ctx, key, s, 'ChargingStateChanged', 'DeAuthorized', { unlock: false });
    return;
  }
  update(ctx, key, s, 'ChargingStateChanged');
}

/** The parking bay detector (E01.FR.01, E06.FR.01). */
export function parkingBay(ctx: Ctx, key: number, s: EvseSession, occupied: boolean): void {
  if (s.parked === occupied) return;
  s.parked = occupied;
  if (occupied) {
    if (!s.tx && ctx.cfg.start.has('ParkingBayOccupancy')) start(ctx, key, s, 'EVDetected');
    return;
  }
  if (s.tx && ctx.cfg.stop.has('ParkingBayOccupancy')) {
    // TC_E_19: Local, or Remote when a RequestStopTransaction ended the authorization.
    end(ctx, key, asRunning(s), 'EVDeparted', s.tx.stopReason ?? 'Local');
  }
}

/** The trigger of an Ended event forced by `transactions.stop`. */
export function stopTrigger(reason: ReasonEnumType): TriggerReasonEnumType {
  switch (reason) {
    case 'ImmediateReset':
      return 'ResetCommand'; // B12.FR.04 (TC_B_22_CS)
    case 'DeAuthorized':
      return 'Deauthorized';
    case 'EVDisconnected':
      return 'EVCommunicationLost';
    case 'Timeout':
      return 'EVConnectTimeout';
    case 'EnergyLimitReached':
      return 'EnergyLimitReached';
    case 'TimeLimitReached':
      return 'TimeLimitReached';
    case 'StoppedByEV':
      return 'ChargingStateChanged';
    case 'Local':
    case 'MasterPass':
      return 'StopAuthorized';
    case 'Remote':
      return 'RemoteStop';
    default:
      return 'AbnormalCondition'; // E06.FR.16: faults, emergency stop, power quality, …
  }
}

/** Samples for the clock-aligned moment `at` (J01.FR.22: in a TransactionEvent MeterValueClock). */
export function clockSample(
  ctx: Ctx,
  key: number,
  s: Running,
  measurands: Parameters<typeof meterValue>[1],
  at: number,
): void {
  const mv = meterValue(
    ctx.view.meter(key),
    measurands,
    'Sample.Clock',
    at,
    sampleOptions(ctx.view, 'AlignedDataCtrlr'),
  );
  if (mv) update(ctx, key, s, 'MeterValueClock', { meterValue: [mv], timestamp: at });
}

/** A clock-aligned TxEndedMeasurands sample (AlignedDataCtrlr.TxEndedInterval) kept for the Ended event. */
export function clockEndedSample(
  ctx: Ctx,
  key: number,
  s: Running,
  measurands: Parameters<typeof meterValue>[1],
  at: number,
): void {
  const mv = meterValue(
    ctx.view.meter(key),
    measurands,
    'Sample.Clock',
    at,
    sampleOptions(ctx.view, 'AlignedDataCtrlr'),
  );
  if (mv) keepEndedSamples(s.tx, [mv]);
}
