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
import { asRunning, emptySession, type Running, type Transaction, type TransactionsState } from './session.js';
import { armSampling, end, update, type Ctx } from './steps.js';

export interface ResumePolicy {
  /** Every version the station offers has E17 (2.1): TxResumed exists in all of them. */
  resumable: boolean;
}

export function recover(ctx: Ctx, state: TransactionsState, reason: BootReasonEnumType, policy: ResumePolicy): void {
  const queued = ctx.view.store.outbox.list().filter((m) => m.action === 'TransactionEvent' && m.txKey !== null);
  const endedInQueue = new Set(queued.filter((m) => m.role === 'end').map((m) => m.txKey!));
  const known = new Set<string>();
  const stoppedReason = reason === 'PowerUp' ? 'PowerLoss' : 'Reboot';
  const timeoutS = ctx.view.variables.int('TxCtrlr', 'ResumptionTimeout') ?? 0;
  const allowEnergy = ctx.view.variables.bool('TxCtrlr', 'AllowEnergyTransferResumption') ?? false;

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
    delete tx.resumeAfterReset;
    // 2.1 S04.FR.11: a swap station's slot gets a new transaction for its battery (reported again), never a resumed one.
    const resumable = policy.resumable && !batterySlot(ctx.view, key);
    if (resumable && (afterReset || (timeoutS > 0 && ctx.now - tx.lastSeen <= timeoutS * 1000))) {
      resumeTransaction(ctx, key, running, allowEnergy);
      armSampling(ctx, tx);
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
 */
export function resumeTransaction(ctx: Ctx, key: number, s: Running, allowEnergy: boolean): void {
  if (!allowEnergy && (s.flow === 'Charging' || s.flow === 'SuspendedEV')) s.suspendedByStation = true;
  // B13.FR.30, E17.FR.14. TxResumed exists in 2.1 only; the callers resume only where every offered version is 2.1.
  update(ctx, key, s, 'TxResumed' as TriggerReasonEnumType, { withChargingState: true });
  if (s.auth && s.evConnected && !s.suspendedByStation && s.connectorId !== undefined && key !== 0) {
    ctx.effects.push({ type: 'hardware', call: { op: 'startCharging', args: [key, s.connectorId] } });
  }
}
