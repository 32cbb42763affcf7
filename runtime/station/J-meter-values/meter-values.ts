// J01 Sending Meter Values not related to a transaction, and F06 TriggerMessage(MeterValues). This use case owns the
// clock: at every AlignedDataCtrlr.Interval boundary (counted from midnight) it raises `meter.clock`, and at every
// AlignedDataCtrlr.TxEndedInterval boundary `meter.clockTxEnded`. It sends MeterValues for the EVSEs without a
// transaction and for the main meter (evseId 0); use case E reports the EVSEs with a transaction in TransactionEvents
// (J01.FR.22). Meter readings come from the integrator's meter (view.meter).
import type { MeterValuesRequest } from '../../../generated/v201/types.js';
import type { Effect, StationEvent, StationView, UseCase } from '../core/types.js';
import { alignedConfig } from './config.js';
import { meterValue, nextAligned, sampleOptions } from './measurands.js';
import type { MeterReading } from '../core/types.js';
import { transactionOn } from '../E-transactions/check.js';

declare module '../core/registry.js' {
  interface HardwareOperations {
    /**
     * J: the meter's current readings of an EVSE (0: the main meter), read synchronously whenever ocppkit samples.
     * Alternative: push readings with `station.meterValues(evseId, readings)`; ocppkit then uses the latest pushed.
     */
    readMeter(evseId: number): MeterReading[];
  }
}

const CLOCK = 'meter.clock';
const CLOCK_TX_ENDED = 'meter.clockTxEnded';

function arm(view: StationView): Effect[] {
  const aligned = alignedConfig(view);
  const now = view.now();
  const effects: Effect[] = [];
  for (const [id, seconds] of [
    [CLOCK, aligned.intervalS],
    [CLOCK_TX_ENDED, aligned.txEndedIntervalS],
  ] as const) {
    if (!aligned.enabled || seconds <= 0) {
      effects.push({ type: 'cancelTimer', id });
      continue;
    }
    const at = nextAligned(now, seconds);
    effects.push({ type: 'timer', id, ms: at - now, event: { type: id, at } });
  }
  return effects;
}

/** The EVSEs (and the main meter, 0) a MeterValues is about; those without readings are skipped. */
function meterValues(
  view: StationView,
  evseIds: number[],
  context: 'Sample.Clock' | 'Trigger',
  at: number,
  direct: boolean,
): Effect[] {
  const aligned = alignedConfig(view);
  const options = sampleOptions(view, 'AlignedDataCtrlr');
  const effects: Effect[] = [];
  for (const evseId of evseIds) {
    const mv = meterValue(view.meter(evseId), aligned.measurands, context, at, options);
    if (!mv) continue;
    // J01.FR.02/03: the EVSE the samples are of; 0 for the station's main meter.
    const payload: MeterValuesRequest = { evseId, meterValue: [mv] };
    effects.push({
      type: 'send',
      action: 'MeterValues',
      payload,
      ...(direct ? { direct: true, tag: 'meterValues.triggered' } : {}),
    });
  }
  return effects;
}

const allMeters = (view: StationView) => [0, ...view.evses.map((e) => e.id)];

export const meterValuesUseCase: UseCase<null> = {
  name: 'meterValues',
  triggers: ['MeterValues'],
  init: () => null,

  on(state, event: StationEvent, view) {
    switch (event.type) {
      case 'started':
        return { state, effects: arm(view) };
      case 'variables.changed': {
        return event.changes.some((c) => c.component === 'AlignedDataCtrlr')
          ? { state, effects: arm(view) }
          : undefined;
      }
      case CLOCK: {
        const aligned = alignedConfig(view);
        const at = event.at;
        const effects = arm(view);
        // J01.FR.20: SendDuringIdle: nothing clock-aligned at all while a transaction runs.
        if (aligned.sendDuringIdle && transactionOn(view, 0)) return { state, effects };
        // J01.FR.14: every EVSE not in a transaction, and the main meter (J01.FR.03/04).
        const idle = allMeters(view).filter((id) => id === 0 || !transactionOn(view, id));
        return { state, effects: [...effects, ...meterValues(view, idle, 'Sample.Clock', at, false)] };
      }
      case CLOCK_TX_ENDED:
        return { state, effects: arm(view) };
      case 'triggered': {
        if (event.requestedMessage !== 'MeterValues') return undefined;
        // F06.FR.06: the latest values of AlignedDataCtrlr.Measurands; F06.FR.11: every EVSE when none is given.
        // Sent directly: a triggered message may go out while Pending (B02.FR.02).
        const ids = event.evse ? [event.evse.id] : allMeters(view);
        return { state, effects: meterValues(view, ids, 'Trigger', view.now(), true) };
      }
      default:
        return undefined;
    }
  },

  // F06.FR.10: accepted only if there is something to send.
  canTrigger: (_state, message, evse, view) => {
    if (message !== 'MeterValues') return true;
    const ids = evse ? [evse.id] : allMeters(view);
    const measurands = alignedConfig(view).measurands;
    const options = sampleOptions(view, 'AlignedDataCtrlr');
    return ids.some((id) => meterValue(view.meter(id), measurands, 'Trigger', view.now(), options) !== undefined);
  },
};
