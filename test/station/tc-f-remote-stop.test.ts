// F03 Remote Stop Transaction (and what F04 shares with it) against the built-in CSMS over real sockets: the answer,
// the TransactionEvents that follow per TxStopPoint, and the meter data of the Ended event.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, withTxPair } from '../support/tx-pair.js';

const idle = (ms = 50) => new Promise((r) => setTimeout(r, ms));

test('TC_F_08_CS F03.FR.07 F03.FR.03 F03.FR.09 RequestStopTransaction of the running transaction: Accepted, energy stops, Ended with RemoteStop and stoppedReason Remote', async () => {
  // The default TxStopPoint (EVConnected, Authorized): ending the authorization ends the transaction.
  await withTxPair({}, async (p) => {
    const transactionId = await states.energyTransferStarted(p);
    const before = p.tx().length;
    assert.equal(await p.call('RequestStopTransaction', { transactionId }), { status: 'Accepted' });
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal(
      [ended.triggerReason, ended.transactionInfo.stoppedReason, ended.transactionInfo.transactionId],
      ['RemoteStop', 'Remote', transactionId],
    );
    assert.equal(
      p
        .tx()
        .slice(before)
        .map((r) => r.eventType),
      ['Ended'],
      'no other event between the answer and Ended',
    );
    assert.ok(
      p.hw.some((h) => h.op === 'stopCharging' && h.args[0] === 1),
      'the energy offer stops',
    );
  });
});

test('F03.FR.02 F03.FR.09 F04.FR.02 F04.FR.03 TxStopPoint EVConnected: the remote stop stops energy and sends Updated RemoteStop; the transaction ends at unplug with stoppedReason Remote', async () => {
  await withTxPair({ variables: { 'TxCtrlr.TxStopPoint': 'EVConnected' } }, async (p) => {
    const transactionId = await states.energyTransferStarted(p);
    assert.equal(await p.call('RequestStopTransaction', { transactionId }), { status: 'Accepted' });
    const updated = await p.waitTx((r) => r.triggerReason === 'RemoteStop');
    assert.is(updated.eventType, 'Updated');
    assert.ok(
      p.hw.some((h) => h.op === 'stopCharging' && h.args[0] === 1),
      'the energy offer stops',
    );
    await idle();
    assert.ok(!p.tx().some((r) => r.eventType === 'Ended'), 'the transaction runs on while the EV is connected');
    states.evDisconnected(p);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal([ended.transactionInfo.transactionId, ended.transactionInfo.stoppedReason], [transactionId, 'Remote']);
  });
});

test('F03.FR.04 F04.FR.04 the Ended event of a remote stop carries the configured TxEndedMeasurands (Transaction.End with the latest reading)', async () => {
  await withTxPair(
    {
      variables: {
        'SampledDataCtrlr.TxEndedMeasurands': 'Energy.Active.Import.Register,Power.Active.Import',
        'AlignedDataCtrlr.TxEndedMeasurands': '',
      },
    },
    async (p) => {
      const transactionId = await states.energyTransferStarted(p);
      p.readings.set(1, [{ value: 4321 }, { measurand: 'Power.Active.Import', value: 7000, unit: 'W' }]);
      await p.call('RequestStopTransaction', { transactionId });
      const ended = await p.waitTx((r) => r.eventType === 'Ended');
      const end = ended.meterValue.at(-1).sampledValue;
      assert.equal(
        end.map((v: any) => [v.context, v.measurand ?? 'Energy.Active.Import.Register', v.value]),
        [
          ['Transaction.End', 'Energy.Active.Import.Register', 4321],
          ['Transaction.End', 'Power.Active.Import', 7000],
        ],
      );
    },
  );
});

test.run();
