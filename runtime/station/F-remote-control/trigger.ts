// F06 Trigger Message. The answer says whether the message will be sent (F06.FR.04/05); the use case that owns the
// message sends it after the answer, on the `triggered` event (F06.FR.10). Which messages can be triggered is what
// the registered use cases declare in `triggers`.
import type { StationView, UseCase } from '../core/types.js';
import { registrationOf } from '../B-provisioning/boot.js';

/** Messages about an EVSE or connector: for these an EVSE that does not exist cannot be reported on. */
const EVSE_SCOPED = new Set(['StatusNotification', 'MeterValues', 'TransactionEvent']);

/** `triggerable` and `canTrigger` are the station's (blocks.ts reads them through `view.station`). */
export function triggerUseCase(
  triggerable: (view: StationView) => ReadonlySet<string>,
  canTrigger: (
    requestedMessage: string,
    evse: { id: number; connectorId?: number } | undefined,
    view: StationView,
  ) => boolean = () => true,
): UseCase<null> {
  return {
    name: 'trigger',
    init: () => null,
    answers: {
      TriggerMessage(_state, request, view) {
        const { requestedMessage, evse } = request;
        // F06.FR.08: a message we do not implement. 2.1 F06.FR.19: no block declares CustomTrigger (ocppkit sends no
        // vendor-defined message types), so every customTrigger is NotImplemented, even one naming a standard message.
        if (!triggerable(view).has(requestedMessage)) return { response: { status: 'NotImplemented' } };
        // F06.FR.17: BootNotification only while not yet Accepted.
        if (requestedMessage === 'BootNotification' && registrationOf(view) === 'Accepted')
          return { response: { status: 'Rejected' } };
        // F06.FR.03: an EVSE that is irrelevant to the message is ignored; for one it is about, it must exist.
        const scoped = EVSE_SCOPED.has(requestedMessage);
        if (evse && scoped && evse.id !== 0) {
          const layout = view.evses.find((e) => e.id === evse.id);
          const known =
            layout && (evse.connectorId === undefined || layout.connectors.some((c) => c.id === evse.connectorId));
          if (!known)
            return {
              response: {
                status: 'Rejected',
                statusInfo: { reasonCode: layout ? 'UnknownConnectorId' : 'UnknownEvse' },
              },
            };
        }
        // F06.FR.12: a StatusNotification is about one connector.
        if (requestedMessage === 'StatusNotification' && evse?.connectorId === undefined) {
          return { response: { status: 'Rejected', statusInfo: { reasonCode: 'MissingParam' } } };
        }
        const target = evse
          ? { evse: { id: evse.id, ...(evse.connectorId !== undefined ? { connectorId: evse.connectorId } : {}) } }
          : {};
        // F06.FR.05/F06.FR.10: what is accepted must be sent, so a message its owner cannot send now is Rejected
        // (e.g. a TransactionEvent where no transaction runs).
        if (!canTrigger(requestedMessage, target.evse, view)) return { response: { status: 'Rejected' } };
        return {
          response: { status: 'Accepted' },
          after: [{ type: 'dispatch', event: { type: 'triggered', requestedMessage, ...target } }],
        };
      },
    },
  };
}
