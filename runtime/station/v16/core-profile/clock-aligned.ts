// 1.6 §9.1.5 ClockAlignedDataInterval: at every aligned moment (counted from midnight, J's nextAligned) each
// connector reports MeterValuesAlignedData with context Sample.Clock — those with a transaction through block
// transactions (with their transactionId, kept for StopTxnAlignedData too), the others and the main meter
// (connector 0) here, without one.
import type { Family16 } from '../../core/family.js';
import { byEventType, type Effect, type StationView, type UseCase } from '../../core/types.js';
import { nextAligned } from '../../J-meter-values/measurands.js';
import { int16, list16 } from '../configuration/read.js';
import { connectors16 } from '../layout.js';
import { meterValue16 } from './meter-values.js';
import './transactions.js';

const TIMER = 'v16.meter.clock';
type View = StationView<Family16>;

function arm(view: View): Effect<Family16>[] {
  const interval = int16(view, 'ClockAlignedDataInterval');
  if (interval <= 0) return [{ type: 'cancelTimer', id: TIMER }];
  const at = nextAligned(view.now(), interval);
  return [{ type: 'timer', id: TIMER, ms: at - view.now(), event: { type: 'v16.meter.clock', at } }];
}

export const clockAligned16UseCase: UseCase<object, Family16> = {
  name: 'v16.clockAligned',
  init: () => ({}),
  on: byEventType<object, Family16>({
    started: (state, _e, view) => ({ state, effects: arm(view) }),
    'v16.config.changed': (state, event, view) =>
      event.key === 'ClockAlignedDataInterval' ? { state, effects: arm(view) } : undefined,
    'v16.meter.clock'(state, event, view) {
      const measurands = list16(view, 'MeterValuesAlignedData');
      const effects: Effect<Family16>[] = [];
      const main = meterValue16(view.meter(0), measurands, 'Sample.Clock', event.at);
      if (main) effects.push({ type: 'send', action: 'MeterValues', payload: { connectorId: 0, meterValue: [main] } });
      for (const c of connectors16(view.evses)) {
        if (view.query.transaction16?.(c.id)) continue;
        const mv = meterValue16(view.meter(c.evseId), measurands, 'Sample.Clock', event.at);
        if (mv) effects.push({ type: 'send', action: 'MeterValues', payload: { connectorId: c.id, meterValue: [mv] } });
      }
      return { state, effects: [...effects, ...arm(view)] };
    },
  }),
};
