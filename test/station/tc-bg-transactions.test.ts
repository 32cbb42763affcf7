// Part 6 test cases of B12 (reset with a transaction) and G03/G04 (change availability with a transaction): the
// Scheduled answers and what happens when the transaction ends depend on use case E (view.transactionOn).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, withTxPair } from '../support/tx-pair.js';

const idle = (ms = 50) => new Promise((r) => setTimeout(r, ms));

test('TC_B_21_CS B12.FR.01 B12.FR.03 Reset OnIdle during a transaction: Scheduled; once it ended, the station reboots with reason ScheduledReset', async () => {
  await withTxPair({}, async (p) => {
    await states.energyTransferStarted(p);
    assert.equal(await p.call('Reset', { type: 'OnIdle' }), { status: 'Scheduled' });
    await idle();
    assert.is(p.sent('BootNotification').length, 1, 'not while the transaction runs');
    states.authorizeLocal(p, 1);
    await p.waitTx((r) => r.eventType === 'Ended');
    const boot = await p.waitFor('BootNotification', (m: any) => m.request.reason !== 'PowerUp');
    assert.is((boot.request as any).reason, 'ScheduledReset');
    assert.equal(
      p.hw.find((h) => h.op === 'reset'),
      { op: 'reset', args: ['OnIdle'] },
    );
  });
});

test('TC_B_22_CS B12.FR.02 B12.FR.04 B01.FR.03 Reset Immediate during a transaction: Accepted, Ended (ResetCommand, EVConnected, ImmediateReset, no idToken) before the reboot, then BootNotification RemoteReset', async () => {
  await withTxPair({}, async (p) => {
    await states.energyTransferStarted(p);
    assert.equal(await p.call('Reset', { type: 'Immediate' }), { status: 'Accepted' });
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal(
      [ended.triggerReason, ended.transactionInfo.chargingState, ended.transactionInfo.stoppedReason, ended.idToken],
      ['ResetCommand', 'EVConnected', 'ImmediateReset', undefined],
    );
    const boot = await p.waitFor('BootNotification', (m: any) => m.request.reason !== 'PowerUp');
    assert.is((boot.request as any).reason, 'RemoteReset');
    const log = p.csms.received(p.identity).map((m) => m.action);
    assert.ok(
      log.lastIndexOf('TransactionEvent') < log.lastIndexOf('BootNotification'),
      'the Ended event before the reboot (B12.FR.04)',
    );
    assert.is(p.tx().filter((r) => r.eventType === 'Ended').length, 1, 'delivered once');
  });
});

const cases = [
  ['TC_G_11_CS G03.FR.01 G03.FR.02 G03.FR.04 G03.FR.05', 'EVSE', { operationalStatus: 'Inoperative', evse: { id: 1 } }],
  [
    'TC_G_14_CS G04.FR.01 G04.FR.02 G04.FR.03 G04.FR.05 G04.FR.06',
    'Charging Station',
    { operationalStatus: 'Inoperative' },
  ],
  [
    'TC_G_17_CS G03.FR.01 G03.FR.02 G03.FR.04 G03.FR.05',
    'Connector',
    { operationalStatus: 'Inoperative', evse: { id: 1, connectorId: 1 } },
  ],
] as const;

for (const [tc, what, request] of cases) {
  test(`${tc} Change Availability ${what} during a transaction: Scheduled; the connector becomes Unavailable only after the transaction and the EV left`, async () => {
    await withTxPair({ variables: { 'TxCtrlr.TxStopPoint': 'EVConnected' } }, async (p) => {
      await states.energyTransferStarted(p);
      assert.equal(await p.call('ChangeAvailability', request), { status: 'Scheduled' });
      states.authorizeLocal(p, 1); // StopAuthorized: the transaction goes on until the EV leaves
      await p.waitTx((r) => r.triggerReason === 'StopAuthorized');
      await idle();
      assert.ok(
        !p.sent('StatusNotification').some((m: any) => m.request.connectorStatus === 'Unavailable'),
        'not while the transaction runs',
      );
      states.evDisconnected(p);
      await p.waitTx((r) => r.eventType === 'Ended');
      const unavailable = await p.waitFor(
        'StatusNotification',
        (m: any) => m.request.connectorStatus === 'Unavailable',
      );
      assert.equal([(unavailable.request as any).evseId, (unavailable.request as any).connectorId], [1, 1]);
    });
  });
}

test.run();
