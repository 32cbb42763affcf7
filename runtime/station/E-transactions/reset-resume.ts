// 2.1 B13 Reset ImmediateAndResume with transactions running: each is told of the reset in an Updated event with
// triggerReason ResetCommand (B13.FR.04) and energy stops (B13.FR.10/20). The whole station: marked to resume after
// the reboot whatever the interruption's length (B13.FR.23, recovery.ts); block B reboots once the CSMS has the
// events. Where the integrator can lock cables again (hardware.lockConnector next to unlockConnector), the detachable
// cables of the transactions are unlocked before the reboot (B13.FR.20) and locked again after it, before energy flows
// (B13.FR.22, recovery.ts); otherwise they stay as the firmware holds them.
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

/** Whether the station unlocks cables for a reset and locks them again: both hardware operations given. */
export interface RelockPolicy {
  relock: boolean;
}

export function reportResetResume(
  ctx: Ctx,
  state: TransactionsState,
  evseId: number | undefined,
  policy: RelockPolicy,
): boolean {
  let any = false;
  for (const [k, s] of Object.entries(state.sessions)) {
    const key = Number(k);
    if (!isRunning(s) || (evseId !== undefined && key !== evseId)) continue;
    any = true;
    if (evseId === undefined) s.tx.resumeAfterReset = true;
    update(ctx, key, s, 'ResetCommand');
    if (key !== 0) ctx.effects.push({ type: 'hardware', call: { op: 'stopCharging', args: [key] } });
    // B13.FR.20: the whole station reboots: a detachable cable is unlocked, to be locked again after (B13.FR.22).
    const connector = ctx.view.evses.find((e) => e.id === key)?.connectors.find((c) => c.id === s.connectorId);
    if (evseId === undefined && policy.relock && connector && connector.fixedCable !== true && s.connectorId) {
      s.tx.relockAfterReset = true;
      ctx.effects.push({ type: 'hardware', call: { op: 'unlockConnector', args: [key, s.connectorId] } });
    }
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
