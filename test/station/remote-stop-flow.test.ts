// F03 Remote Stop Transaction as a flow (real Shell, dispatcher and queue, a ManualClock): a transaction ended by
// RequestStopTransaction, for the meter data of its Ended event. Over sockets: tc-f-remote-stop.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { remoteControlUseCase } from '../../runtime/station/F-remote-control/remote-control.js';
import { MAX_ENDED_SAMPLES } from '../../runtime/station/E-transactions/messages.js';
import { meterValuesUseCase } from '../../runtime/station/J-meter-values/meter-values.js';
import { txDriver } from '../support/tx-driver.js';

test('F03.FR.05 F03.FR.06 F04.FR.05 F04.FR.06 a remotely stopped transaction with more Ended samples than kept: the intermediate values are dropped (every other one), the first stays and values are still added', async () => {
  const d = txDriver({
    variables: {
      'SampledDataCtrlr.TxEndedInterval': 10,
      'SampledDataCtrlr.TxEndedMeasurands': 'Energy.Active.Import.Register',
      'AlignedDataCtrlr.TxEndedMeasurands': '',
    },
    after: [meterValuesUseCase, remoteControlUseCase({ canUnlock: true })],
  });
  d.readings.set(1, [{ value: 0 }]);
  await d.goOnline();
  d.plug();
  d.token('A');
  d.flow('Charging');
  await d.deliver();
  const transactionId = d.events()[0].transactionInfo.transactionId;
  // The sample at the start (0) and one every TxEndedInterval (1, 2, …): one more than the station keeps.
  for (let i = 1; i <= MAX_ENDED_SAMPLES; i++) {
    d.readings.set(1, [{ value: i }]);
    await d.clock.advance(10_000);
  }
  d.readings.set(1, [{ value: 1000 }]); // what the meter reads at the stop: the Transaction.End value
  assert.equal(d.shell.answer('RequestStopTransaction', { transactionId }, 'stop-1'), { status: 'Accepted' });
  d.shell.answered('stop-1');
  await d.deliver();
  const ended = d.events().at(-1);
  assert.equal(
    [ended.eventType, ended.triggerReason, ended.transactionInfo.stoppedReason],
    ['Ended', 'RemoteStop', 'Remote'],
  );
  const values: number[] = ended.meterValue.map((m: any) => m.sampledValue[0].value);
  const everyOther = Array.from({ length: MAX_ENDED_SAMPLES / 2 + 1 }, (_, i) => 2 * i);
  assert.equal(
    values,
    [...everyOther, 1000],
    'the 1st, 3rd, 5th … intermediate values (1, 3, 5, …) were dropped; the start and the end value stay',
  );
});

test.run();
