// F Remote Control: RequestStartTransaction (F01/F02), RequestStopTransaction (F03), UnlockConnector (F05). The
// answers only decide; use case E acts on them (`remote.start`, `transactions.stop`). TriggerMessage (F06) is in
// trigger.ts; each triggered message is sent by the use case that owns it (FirmwareStatusNotification and
// LogStatusNotification: transfer-status.ts).
import type { UseCase } from '../core/types.js';
import { answerRequestStart } from './remote-start.js';
import { answerRequestStop } from './remote-stop.js';
import { answerUnlock } from './unlock.js';

export interface RemoteControlOptions {
  /** The integrator gave an unlockConnector callback. */
  canUnlock: boolean;
}

export function remoteControlUseCase(options: RemoteControlOptions): UseCase<null> {
  return {
    name: 'remoteControl',
    init: () => null,
    answers: {
      RequestStartTransaction: (_state, request, view) => answerRequestStart(request, view),
      RequestStopTransaction: (_state, request, view) => answerRequestStop(request, view),
      UnlockConnector: (_state, request, view) => answerUnlock(request, view, options.canUnlock),
    },
  };
}
