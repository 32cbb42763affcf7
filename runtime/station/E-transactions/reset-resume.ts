// 2.1 B13 Reset ImmediateAndResume of the whole station with transactions running: each is told of the reset in an
// Updated event with triggerReason ResetCommand (B13.FR.04), energy stops (B13.FR.20) and it is marked to resume
// after the reboot whatever the interruption's length (B13.FR.23, recovery.ts). Block B reboots once this is done.
// The cable stays locked: ocppkit has no lock operation to lock it again after the reboot (B13.FR.20/22).
import type { TransactionsState } from './session.js';
import { isRunning } from './session.js';
import { update, type Ctx } from './steps.js';

declare module '../core/registry.js' {
  interface OwnEvents {
    /** B → E: a Reset ImmediateAndResume of the station: report it to the transactions, which resume after it. */
    'transactions.resetResume': object;
  }
}

export function reportResetResume(ctx: Ctx, state: TransactionsState): boolean {
  let any = false;
  for (const [k, s] of Object.entries(state.sessions)) {
    if (!isRunning(s)) continue;
    const key = Number(k);
    any = true;
    s.tx.resumeAfterReset = true;
    update(ctx, key, s, 'ResetCommand');
    if (key !== 0) ctx.effects.push({ type: 'hardware', call: { op: 'stopCharging', args: [key] } });
  }
  return any;
}
