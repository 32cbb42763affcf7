// 2.1 E16: the steps of a transaction with limits. A limit comes from the CSMS (TransactionEventResponse
// .transactionLimit) or from the station (its driver, `transactionLimitSet`); the station keeps the ones it supports,
// confirms them once in a LimitSet event, and watches the progress (meter, cost, time) against them. A reached limit
// suspends energy transfer (SuspendedEVSE) or, with TxStopPoint EnergyTransfer, ends the transaction; a raised limit
// resumes it. Each step works on the caller's copy of the session, as steps.ts does.
import type { TriggerReasonEnumType } from '../../../../generated/v201/types.js';
import { energyRegisterWh } from '../../J-meter-values/measurands.js';
import type { Running } from '../session.js';
import { end, hardwareCharging, update, type Ctx } from '../steps.js';
import {
  isEmpty,
  onlySupported,
  REACHED_REASON,
  REACHED_TRIGGER,
  reachedLimit,
  supportedLimits,
  withinCsms,
  type LimitKind,
  type Progress,
} from './limits.js';

export const limitTimer = (txId: string) => `tx.limitTime.${txId}`;

/** 2.1 trigger reasons, which E's 2.0.1-typed events carry while 2.1 is spoken (limits exist only then). */
const trigger = (reason: string) => reason as TriggerReasonEnumType;

/** Where the transaction stands against its limits now. */
export function progress(ctx: Ctx, key: number, s: Running): Progress {
  const readings = key !== 0 ? ctx.view.meter(key) : [];
  const wh = key !== 0 ? energyRegisterWh(readings) : undefined;
  const soc = readings.find((r) => r.measurand === 'SoC' && r.phase === undefined)?.value;
  // E16.FR.16: where the station calculates the cost from a tariff (block I), that cost counts, not the CSMS's;
  // E16.FR.15: otherwise the cost updates of the CSMS.
  const local = ctx.view.query.localCost?.(s.tx.id);
  const cost = local ? Number(local.inclTax) : s.tx.centralCost;
  return {
    elapsedS: (ctx.now - s.tx.startedAt) / 1000, // E16.FR.09: from the Started event
    ...(wh !== undefined && s.tx.startWh !== undefined ? { energyWh: wh - s.tx.startWh } : {}),
    ...(soc !== undefined ? { soc } : {}),
    ...(cost !== undefined && Number.isFinite(cost) ? { cost } : {}),
  };
}

/**
 * E16.FR.02/03 (the CSMS) and E16.FR.01/04 (the station): a new limit for the running transaction. The supported
 * values replace those in force (E16.FR.17: a limit is changed, never removed); a station limit is capped by the
 * CSMS's. Confirmed once in a LimitSet event; then acted on at once if already reached (E16.FR.10), or energy resumes
 * if the limit that stopped it was raised (E16.FR.14).
 */
export function setLimit(ctx: Ctx, key: number, s: Running, given: object, by: 'csms' | 'station'): void {
  const supported = onlySupported(given, supportedLimits(ctx.view));
  const limit = by === 'station' ? withinCsms(supported, s.tx.csmsLimit) : supported;
  // E16.FR.13: nothing supported, nothing confirmed.
  if (isEmpty(limit)) return;
  if (by === 'csms') s.tx.csmsLimit = { ...s.tx.csmsLimit, ...limit };
  s.tx.limit = { ...s.tx.limit, ...limit };
  s.tx.unreportedLimit = { ...s.tx.limit };
  armTimeLimit(ctx, s);
  const reached = reachedLimit(s.tx.limit, progress(ctx, key, s));
  if (s.tx.limitReached && !reached) {
    // E16.FR.14: the limit that suspended energy transfer is no longer reached.
    s.tx.limitReached = undefined;
    s.suspendedByStation = false;
    if (s.evConnected && s.auth) hardwareCharging(ctx, key, s, true);
  }
  update(ctx, key, s, trigger('LimitSet'));
  if (reached && !s.tx.limitReached) limitReached(ctx, key, s, reached);
}

/** After a change of progress (meter values, cost, the time limit's timer): act if a limit is reached now. */
export function checkLimits(ctx: Ctx, key: number, s: Running): boolean {
  if (!s.tx.limit || s.tx.limitReached) return false;
  const reached = reachedLimit(s.tx.limit, progress(ctx, key, s));
  if (!reached) return false;
  limitReached(ctx, key, s, reached);
  return true;
}

/** E16.FR.05/06: energy transfer stops (SuspendedEVSE), or the transaction ends with TxStopPoint EnergyTransfer. */
function limitReached(ctx: Ctx, key: number, s: Running, kind: LimitKind): void {
  if (ctx.cfg.stop.has('EnergyTransfer')) {
    end(ctx, key, s, trigger(REACHED_TRIGGER[kind]), REACHED_REASON[kind]);
    return;
  }
  s.tx.limitReached = kind;
  s.suspendedByStation = true;
  hardwareCharging(ctx, key, s, false);
  update(ctx, key, s, trigger(REACHED_TRIGGER[kind]), { withChargingState: true });
}

/** E16.FR.09: the time limit runs from the Started event; its timer fires when it is reached. */
function armTimeLimit(ctx: Ctx, s: Running): void {
  const maxTime = s.tx.limit?.maxTime;
  if (maxTime === undefined) return;
  ctx.effects.push({
    type: 'timer',
    id: limitTimer(s.tx.id),
    ms: Math.max(0, s.tx.startedAt + maxTime * 1000 - ctx.now),
    event: { type: 'tx.limitTime', transactionId: s.tx.id },
  });
}

/** E16.FR.15: a running cost from the CSMS (TransactionEventResponse.totalCost, CostUpdated). */
export function centralCost(ctx: Ctx, key: number, s: Running, totalCost: number): boolean {
  if (!Number.isFinite(totalCost)) return false;
  s.tx.centralCost = totalCost;
  costKnown(ctx, key, s);
  return checkLimits(ctx, key, s);
}

/**
 * 2.1 C23: tells the other blocks the cost that counts against maxCost now (the station's own, else the CSMS's), so
 * that a payment terminal can increase its authorization before the limit is reached.
 */
export function costKnown(ctx: Ctx, key: number, s: Running): void {
  const { cost } = progress(ctx, key, s);
  if (cost !== undefined)
    ctx.effects.push({ type: 'dispatch', event: { type: 'tx.cost', transactionId: s.tx.id, cost } });
}
