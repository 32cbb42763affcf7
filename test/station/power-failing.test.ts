// ChargingStation.powerFailing() on a 2.x station: the same integrator call as for 1.6 (TC_032_1_CS there) — the
// power fails, a back-up source keeps the station up for a moment, and every transaction ends with stoppedReason
// PowerLoss before the station goes down (E06: the transaction ends at once for a reason of the station's own).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, withTxPair } from '../support/tx-pair.js';

test('2.x powerFailing(): every running transaction ends (TransactionEvent Ended, stoppedReason PowerLoss) and is delivered before it resolves; once, across the restart', async () => {
  await withTxPair({}, async (p) => {
    await p.booted();
    const id = await states.energyTransferStarted(p);
    await p.station.powerFailing();
    const ended = p.tx().filter((r) => r.eventType === 'Ended');
    assert.is(ended.length, 1, 'delivered before powerFailing() resolved');
    assert.equal([ended[0].transactionInfo.transactionId, ended[0].transactionInfo.stoppedReason], [id, 'PowerLoss']);
    await p.restart();
    await p.waitFor('StatusNotification', () => p.sent('BootNotification').length === 2);
    // One round trip after the boot: whatever the restart queued has been sent before its answer comes back.
    await p.call('GetVariables', {
      getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
    });
    assert.is(p.tx().filter((r) => r.eventType === 'Ended').length, 1, 'not ended again after the restart');
  });
});

test('powerFailing(ms): ms must be a non-negative integer', async () => {
  await withTxPair({}, async (p) => {
    await p.station.powerFailing(-1).then(
      () => assert.unreachable('refused'),
      (err: Error) => assert.match(err.message, /powerFailing\(ms\)/),
    );
  });
});

test.run();
