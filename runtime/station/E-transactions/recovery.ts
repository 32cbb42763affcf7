// After a restart: transactions that were running when the station stopped (a power loss, a crash, a reboot).
// E17 (2.1): within TxCtrlr.ResumptionTimeout a transaction resumes (E17.FR.10–14, an Updated event with
// triggerReason TxResumed); otherwise, and always in 2.0.1 (which has no resumption), it ends with triggerReason
// AbnormalCondition and stoppedReason PowerLoss, or Reboot when the station restarted for a reason of its own
// (E17.FR.20–22).
//
// The queue (the outbox) is the record of what was reported: the state of this use case is persisted right after
// the TransactionEvents of the same step were committed to the queue, so a crash between the two leaves the state
// one step behind the queue, never ahead of it. The queue therefore decides: a transaction whose Ended is queued
// has ended; one the queue has messages of but the state does not know is ended here (its Started is queued, so
// the CSMS gets both Started and Ended).
import type { BootReasonEnumType, TriggerReasonEnumType } from '../../../generated/v201/types.js';
import { batterySlot } from './battery-slot.js';
import { orphanEnded } from './messages.js';
import {
  asRunning,
  chargingState,
  emptySession,
  type Running,
  type Transaction,
  type TransactionsState,
} from './session.js';
import { afterDisconnect, armSampling, end, update, type Ctx } from './steps.js';
import type { ComponentConfig } from '../device-model/types.js';

export interface ResumePolicy {
  /** Every version the station offers has E17 (2.1): TxResumed exists in all of them. */
  resumable: boolean;
}

export function recover(
  ctx: Ctx,
  state: TransactionsState,
  reason: BootReasonEnumType,
  policy: ResumePolicy,
  plugged?: ReadonlyArray<{ evseId: number; connectorId: number }>,
): void {
  const queued = ctx.view.store.outbox.list().filter((m) => m.action === 'TransactionEvent' && m.txKey !== null);
  const endedInQueue = new Set(queued.filter((m) => m.role === 'end').map((m) => m.txKey!));
  const known = new Set<string>();
  const stoppedReason = reason === 'PowerUp' ? 'PowerLoss' : 'Reboot';
  const timeoutS = ctx.view.variables.int('TxCtrlr', 'ResumptionTimeout') ?? 0;
  const allowEnergy = ctx.view.variables.bool('TxCtrlr', 'AllowEnergyTransferResumption') ?? false;
  const rangeS = resumptionRandomRange(ctx);

  for (const [k, s] of Object.entries(state.sessions)) {
    const key = Number(k);
    // Authorizations without a transaction do not survive a restart; the firmware reports the EV again.
    s.pending = undefined;
    if (!s.tx) {
      state.sessions[key] = { ...emptySession(), ...(s.lockedFor ? { lockedFor: s.lockedFor } : {}) };
      continue;
    }
    const tx: Transaction = s.tx;
    known.add(tx.id);
    if (endedInQueue.has(tx.id)) {
      state.sessions[key] = emptySession(); // its Ended was queued just before the stop
      continue;
    }
    const running = asRunning(s);
    // B13.FR.23: after a Reset ImmediateAndResume, resumed even when the reboot took longer than the timeout.
    const afterReset = tx.resumeAfterReset === true;
    const relock = afterReset && tx.relockAfterReset === true ? running.connectorId : undefined;
    delete tx.resumeAfterReset;
    delete tx.relockAfterReset;
    // 2.1 S04.FR.11: a swap station's slot gets a new transaction for its battery (reported again), never a resumed one.
    const resumable = policy.resumable && !batterySlot(ctx.view, key);
    if (resumable && (afterReset || (timeoutS > 0 && ctx.now - tx.lastSeen <= timeoutS * 1000))) {
      // E17.FR.16/17: the integrator says the EV left during the interruption: resumed as Idle, then the rules of a
      // disconnection (E06: ended where TxStopPoint says so, E09/E10 otherwise).
      const evLeft =
        plugged !== undefined &&
        running.evConnected &&
        !plugged.some(
          (c) => c.evseId === key && (running.connectorId === undefined || c.connectorId === running.connectorId),
        );
      const wasCharging = chargingState(running) === 'Charging';
      // B13.FR.22: the cable unlocked for the reset is locked again first (not where the EV has gone); energy waits
      // for the lock (relocked()).
      const lockFirst = relock !== undefined && !evLeft;
      if (lockFirst)
        ctx.effects.push({
          type: 'hardware',
          call: { op: 'lockConnector', args: [key, relock] },
          tag: `${RELOCK_TAG}${tx.id}`,
        });
      if (evLeft) {
        running.evConnected = false;
        running.flow = undefined;
        running.signed = false;
      }
      resumeTransaction(ctx, key, running, allowEnergy, { rangeS, holdEnergy: lockFirst || evLeft });
      armSampling(ctx, tx);
      if (evLeft) afterDisconnect(ctx, key, running, wasCharging);
      continue;
    }
    // E17.FR.20–22 (and 2.0.1): ended. The chargingState is the last one known; the firmware reports the EV anew.
    end(ctx, key, running, 'AbnormalCondition', stoppedReason, { unlock: false });
    state.sessions[key] = { ...emptySession(), ...(s.lockedFor ? { lockedFor: s.lockedFor } : {}) };
  }

  // Transactions the queue has messages of but this state never recorded (a crash right after their Started).
  for (const txId of new Set(queued.map((m) => m.txKey!))) {
    if (known.has(txId) || endedInQueue.has(txId)) continue;
    ctx.effects.push({ type: 'send', action: 'TransactionEvent', payload: orphanEnded(txId, ctx.now, stoppedReason) });
  }
}

/**
 * E17.FR.10/11/14, B13.FR.12–14/23–25: resumed in the state it had; E17.FR.12: without AllowEnergyTransferResumption
 * no energy where it flowed (Charging), nor where the EV merely paused it (SuspendedEV, which E17.FR.13 leaves out:
 * the EV could draw again at once). E17.FR.13: other states (EVConnected, SuspendedEVSE, Idle) stay as they were.
 * E17.FR.18: after a restart (`rangeS` given) energy that flowed resumes only after a random delay of up to
 * EnergyTransferResumptionRandomRange seconds, so that the stations of an area do not all draw at the same moment.
 */
export function resumeTransaction(
  ctx: Ctx,
  key: number,
  s: Running,
  allowEnergy: boolean,
  o: { rangeS?: number; holdEnergy?: boolean } = {},
): void {
  if (!allowEnergy && (s.flow === 'Charging' || s.flow === 'SuspendedEV')) s.suspendedByStation = true;
  // B13.FR.30, E17.FR.14. TxResumed exists in 2.1 only; the callers resume only where every offered version is 2.1.
  update(ctx, key, s, 'TxResumed' as TriggerReasonEnumType, { withChargingState: true });
  if (!o.holdEnergy) resumeEnergy(ctx, key, s, o.rangeS ?? 0);
}

export const RELOCK_TAG = 'tx.relock.';

/**
 * B13.FR.22: the outcome of locking the cable again after the reboot. Locked: energy resumes as it would have
 * (B13.FR.24). Not locked: a failed retention lock, as if the firmware had reported it (G05.FR.01: no energy).
 */
export function relocked(ctx: Ctx, key: number, s: Running, locked: boolean): void {
  if (locked) return resumeEnergy(ctx, key, s, resumptionRandomRange(ctx));
  if (s.connectorId !== undefined)
    ctx.effects.push({
      type: 'dispatch',
      event: { type: 'connectorLockFailed', evseId: key, connectorId: s.connectorId },
    });
}

/** Energy again where the transaction may draw it: at once, or after E17.FR.18's random delay. */
function resumeEnergy(ctx: Ctx, key: number, s: Running, rangeS: number): void {
  const connectorId = s.connectorId;
  if (!mayDrawEnergy(s) || key === 0 || connectorId === undefined) return;
  const delayS = s.flow === 'Charging' && rangeS > 0 ? resumptionDelayS(`${s.tx.id}:${ctx.now}`, rangeS) : 0;
  if (delayS === 0) {
    ctx.effects.push({ type: 'hardware', call: { op: 'startCharging', args: [key, connectorId] } });
    return;
  }
  ctx.effects.push({
    type: 'timer',
    id: resumeEnergyTimer(s.tx.id),
    ms: delayS * 1000,
    event: { type: 'tx.resumeEnergy', transactionId: s.tx.id },
  });
}

/** Authorized, the EV there and nothing of the station's own holding energy back. */
export const mayDrawEnergy = (s: Running) =>
  s.auth !== undefined && s.evConnected && !s.suspendedByStation && s.connectorId !== undefined;

export const resumeEnergyTimer = (txId: string) => `tx.resumeEnergy.${txId}`;

/**
 * E17.FR.18: what the runtime adds to a 2.1 device model: TxCtrlr.EnergyTransferResumptionRandomRange, 0 (no delay)
 * until the integrator or the CSMS sets it. Declared here because the 2.1 catalogue has it only under TxCtlrl, so
 * the device model cannot tell its type by itself.
 */
export const resumptionRangeComponent: ComponentConfig = {
  name: 'TxCtrlr',
  variables: [
    {
      name: 'EnergyTransferResumptionRandomRange',
      dataType: 'integer',
      unit: 's',
      minLimit: 0,
      value: 0,
      mutability: 'ReadWrite',
    },
  ],
};

/**
 * E17.FR.18: TxCtrlr.EnergyTransferResumptionRandomRange in seconds (0: none). The 2.1 appendix lists it under a
 * misspelt component, TxCtlrl; the name a CSMS or an integrator gives it under TxCtrlr counts first.
 */
function resumptionRandomRange(ctx: Ctx): number {
  const v = ctx.view.variables;
  const range =
    v.int('TxCtrlr', 'EnergyTransferResumptionRandomRange') ?? v.int('TxCtlrl', 'EnergyTransferResumptionRandomRange');
  return range !== undefined && range > 0 ? range : 0;
}

/**
 * E17.FR.18: a whole number of seconds in [0, rangeS], drawn from `key` (FNV-1a). The use case is pure, so the draw is
 * a hash: of the transactionId (a random UUID, different at every station) and the moment of the restart.
 */
export function resumptionDelayS(key: string, rangeS: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h % (Math.floor(rangeS) + 1);
}
