// 2.1 B13 Reset ImmediateAndResume with transactions running: each is told of the reset in an Updated event with
// triggerReason ResetCommand (B13.FR.04) and energy stops (B13.FR.10/20). The whole station: marked to resume after
// the reboot whatever the interruption's length (B13.FR.23, recovery.ts); block B reboots once the CSMS has the
// events. The cable stays locked: ocppkit has no lock operation to lock it again after the reboot (B13.FR.20/22).
// One EVSE: block B resets it (the integrator's resetEvse, no reboot: B13.FR.11) and then the transaction resumes
// here (B13.FR.12–14, B13.FR.30).
import type { TransactionsState } from './session.js';
import { isRunning } from './session.js';
import { update, type Ctx } from './steps.js';
import { resumeTransaction } from './recovery.js';

declare module '../core/registry.js' {
  interface OwnEvents {
    /** B → E: a Reset ImmediateAndResume (of one EVSE, or the station): report it to the transactions. */
    'transactions.resetResume': { evseId?: number };
    /** B → E: the EVSE reset of an ImmediateAndResume is done: its transaction resumes. */
    'transactions.evseResetDone': { evseId: number };
  }
}

export function reportResetResume(ctx: Ctx, state: TransactionsState, evseId?: number): boolean {
  let any = false;
  for (const [k, s] of Object.entries(state.sessions)) {
    const key = Number(k);
    if (!isRunning(s) || (evseId !== undefined && key !== evseId)) continue;
    any = true;
    if (evseId === undefined) s.tx.resumeAfterReset = true;
    update(ctx, key, s, 'ResetCommand');
    if (key !== 0) ctx.effects.push({ type: 'hardware', call: { op: 'stopCharging', args: [key] } });
  }
  return any;
}

/** B13.FR.12: after the EVSE reset, even when it took longer than ResumptionTimeout. */
export function resumeAfterEvseReset(ctx: Ctx, state: TransactionsState, evseId: number): boolean {
  const s = state.sessions[evseId];
  if (!isRunning(s)) return false;
  // B13.FR.13/14: energy again only with AllowEnergyTransferResumption.
  resumeTransaction(ctx, evseId, s, ctx.view.variables.bool('TxCtrlr', 'AllowEnergyTransferResumption') ?? false);
  return true;
}
