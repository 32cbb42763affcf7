// 1.6 Remote Trigger profile (§5.17 TriggerMessage): Accepted for every message it lists, then the block that owns
// the message sends it (`triggered`, with the connector as `evse.id`): BootNotification and Heartbeat (boot),
// StatusNotification (status), MeterValues (transactions). DiagnosticsStatusNotification and
// FirmwareStatusNotification report the real status (block v16 firmware), Idle when nothing runs.
// A connectorId the Charge Point does not have is Rejected.
import type { Family16 } from '../../core/family.js';
import type { UseCase } from '../../core/types.js';
import { connectorOf } from '../layout.js';
import '../firmware/firmware.js';

export const trigger16UseCase: UseCase<object, Family16> = {
  name: 'v16.trigger',
  init: () => ({}),
  answers: {
    TriggerMessage(_state, request, view) {
      const id = request.connectorId;
      if (id !== undefined && id !== 0 && !connectorOf(view.evses, id)) return { response: { status: 'Rejected' } };
      switch (request.requestedMessage) {
        case 'DiagnosticsStatusNotification':
          return {
            response: { status: 'Accepted' },
            after: [
              {
                type: 'send',
                action: 'DiagnosticsStatusNotification',
                payload: { status: view.query.diagnosticsStatus16?.() ?? 'Idle' },
                direct: true,
              },
            ],
          };
        case 'FirmwareStatusNotification':
          return {
            response: { status: 'Accepted' },
            after: [
              {
                type: 'send',
                action: 'FirmwareStatusNotification',
                payload: { status: view.query.firmwareStatus16?.() ?? 'Idle' },
                direct: true,
              },
            ],
          };
        default:
          return {
            response: { status: 'Accepted' },
            after: [
              {
                type: 'dispatch',
                event: {
                  type: 'triggered',
                  requestedMessage: request.requestedMessage,
                  ...(id !== undefined ? { evse: { id } } : {}),
                },
              },
            ],
          };
      }
    },
  },
};
