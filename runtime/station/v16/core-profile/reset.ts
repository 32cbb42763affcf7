// 1.6 §5.13 Reset and §5.18 UnlockConnector. A Reset (Soft or Hard) ends every transaction with reason SoftReset /
// HardReset, then calls the integrator's `reset` and restarts the station (BootNotification follows). ocppkit
// restarts at once after both: the difference 1.6 describes (graceful vs. immediate) is the firmware's, which gets
// the kind. UnlockConnector ends the connector's transaction (reason UnlockCommand) and unlocks through
// `hardware.unlockConnector`; without that callback it is NotSupported, and so it is for a connector with a fixed
// cable (`fixedCable` in the layout): there is nothing to unlock and the transaction goes on (§5.18 and the errata,
// TC_017_2_CS / TC_018_2_CS).
import type { Family16 } from '../../core/family.js';
import type { UseCase } from '../../core/types.js';
import { connectorOf } from '../layout.js';
import './transactions.js';
import '../../B-provisioning/reset.js';
import '../../F-remote-control/unlock.js';

export function reset16UseCase(options: { canUnlock: boolean }): UseCase<object, Family16> {
  return {
    name: 'v16.reset',
    init: () => ({}),
    answers: {
      Reset: (state, request) => ({
        response: { status: 'Accepted' },
        after: [
          {
            type: 'dispatch',
            event: { type: 'v16.stop', connectorId: 0, reason: request.type === 'Hard' ? 'HardReset' : 'SoftReset' },
          },
          { type: 'emit', event: { type: 'reset', kind: 'Immediate' } },
          { type: 'hardware', call: { op: 'reset', args: ['Immediate'] } },
          { type: 'restart', reason: 'RemoteReset' },
        ],
      }),
      UnlockConnector(state, request, view) {
        const c = connectorOf(view.evses, request.connectorId);
        if (!c || !options.canUnlock || c.fixedCable) return { response: { status: 'NotSupported' } };
        return {
          askHardware: {
            call: { op: 'unlockConnector', args: [c.evseId, c.connectorId] },
            respond: (outcome) => ({ status: outcome.ok && outcome.result !== false ? 'Unlocked' : 'UnlockFailed' }),
          },
          after: [
            {
              type: 'dispatch',
              event: { type: 'v16.stop', connectorId: request.connectorId, reason: 'UnlockCommand' },
            },
          ],
        };
      },
    },
  };
}
