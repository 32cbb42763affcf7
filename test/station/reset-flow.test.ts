// B11/B12 (and 2.1 B13) as pure flows: what waits for what before the reset, with use case E running a transaction
// while a cable is plugged in (test/support/plug-transactions.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resetUseCase, RESET_WAIT_SECONDS } from '../../runtime/station/B-provisioning/reset.js';
import type { UseCase } from '../../runtime/station/core/types.js';
import { drive } from '../support/shell-driver.js';
import { transactionsUseCase } from '../../runtime/station/E-transactions/transactions.js';
import { PLUG_TRANSACTIONS } from '../support/plug-transactions.js';

const reset = (d: ReturnType<typeof drive>, request: Record<string, unknown>, id = 'r1') => {
  const response = d.shell.answer('Reset', request as never, id);
  d.shell.answered(id);
  return response;
};

test('B11.FR.03 B12.FR.05 without a callback the station restarts at once; an EVSE reset never restarts it', async () => {
  const d = drive([resetUseCase({ evseReset: true })]);
  assert.equal(reset(d, { type: 'Immediate' }), { status: 'Accepted' });
  await d.settle();
  assert.equal(d.hardware, [{ op: 'reset', args: ['Immediate'] }]);
  assert.equal(d.restarts, ['RemoteReset']);
  assert.equal(reset(d, { type: 'OnIdle', evseId: 1 }, 'r2'), { status: 'Accepted' });
  await d.settle();
  assert.equal(d.restarts, ['RemoteReset']);
});

test('B12.FR.04 Immediate: the reset waits until the CSMS confirmed the Ended TransactionEvent', async () => {
  const d = drive([transactionsUseCase(), resetUseCase({ evseReset: false })], { variables: PLUG_TRANSACTIONS });
  d.dispatch({ type: 'cablePlugged', evseId: 1, connectorId: 1 });
  assert.equal(reset(d, { type: 'Immediate' }), { status: 'Accepted' });
  const ended = d.sent.find((s) => s.action === 'TransactionEvent' && s.payload.eventType === 'Ended')!;
  assert.is(ended.payload.transactionInfo.stoppedReason, 'ImmediateReset');
  await d.settle();
  assert.equal(d.restarts, [], 'not before the confirmation');
  d.dispatch({ type: 'queueSent', action: 'TransactionEvent', payload: ended.payload, response: {} });
  await d.settle();
  assert.equal(d.restarts, ['RemoteReset']);
});

test('B12.FR.05 an Ended event the CSMS does not confirm (offline) stays queued; the reset goes ahead after the wait', async () => {
  const d = drive([transactionsUseCase(), resetUseCase({ evseReset: false })], { variables: PLUG_TRANSACTIONS });
  d.dispatch({ type: 'cablePlugged', evseId: 1, connectorId: 1 });
  reset(d, { type: 'Immediate' });
  await d.clock.advance(RESET_WAIT_SECONDS * 1000 - 1);
  assert.equal(d.restarts, []);
  await d.clock.advance(1);
  assert.equal(d.restarts, ['RemoteReset']);
});

test('B12.FR.02 Immediate with a transaction nobody ends: the reset goes ahead after the wait', async () => {
  const stuck: UseCase<null> = { name: 'stuck', init: () => null, queries: { transactionOn: () => true } };
  const d = drive([stuck, resetUseCase({ evseReset: false })]);
  assert.equal(reset(d, { type: 'Immediate' }), { status: 'Accepted' });
  await d.clock.advance(RESET_WAIT_SECONDS * 1000);
  assert.equal(d.restarts, ['RemoteReset']);
});

test('B11.FR.07 B12.FR.01 B12.FR.03 OnIdle waits for every transaction, then boots with ScheduledReset', async () => {
  const d = drive([transactionsUseCase(), resetUseCase({ evseReset: false })], {
    variables: PLUG_TRANSACTIONS,
    evses: [
      { id: 1, connectors: [{ id: 1 }] },
      { id: 2, connectors: [{ id: 1 }] },
    ],
  });
  d.dispatch({ type: 'cablePlugged', evseId: 1, connectorId: 1 });
  d.dispatch({ type: 'cablePlugged', evseId: 2, connectorId: 1 });
  assert.equal(reset(d, { type: 'OnIdle' }), { status: 'Scheduled' });
  for (const evseId of [1, 2]) {
    d.dispatch({ type: 'cableUnplugged', evseId, connectorId: 1 });
    const ended = d.sent.filter((s) => s.action === 'TransactionEvent' && s.payload.eventType === 'Ended').at(-1)!;
    d.dispatch({ type: 'queueSent', action: 'TransactionEvent', payload: ended.payload, response: {} });
    await d.settle();
    assert.equal(d.restarts, evseId === 1 ? [] : ['ScheduledReset']);
  }
});

test('B13.FR.01 B13.FR.02 2.1 ImmediateAndResume: Rejected without TxCtrlr.ResumptionTimeout; with it and no transaction, a reset', async () => {
  const without = drive([resetUseCase({ evseReset: false })]);
  assert.equal(reset(without, { type: 'ImmediateAndResume' }), {
    status: 'Rejected',
    statusInfo: { reasonCode: 'UnsupportedRequest' },
  });
  const d = drive([resetUseCase({ evseReset: false })], {
    version: 'ocpp2.1',
    deviceModel: { components: [{ name: 'TxCtrlr', variables: [{ name: 'ResumptionTimeout', value: 60 }] }] },
  });
  assert.equal(reset(d, { type: 'ImmediateAndResume' }), { status: 'Accepted' });
  await d.settle();
  assert.equal(d.restarts, ['RemoteReset']);
});

test('B11.FR.06 B12.FR.10 while a reset is being performed (the reset callback runs) another Reset is Rejected, with or without a transaction', async () => {
  const d = drive([transactionsUseCase(), resetUseCase({ evseReset: false })], {
    variables: PLUG_TRANSACTIONS,
    version: 'ocpp2.1',
  });
  let finish!: () => void;
  d.hardwareResults.set('reset', new Promise<void>((resolve) => (finish = resolve)));
  assert.equal(reset(d, { type: 'OnIdle' }), { status: 'Accepted' });
  await d.settle();
  assert.equal(d.hardware, [{ op: 'reset', args: ['OnIdle'] }]);
  const busy = {
    status: 'Rejected',
    statusInfo: { reasonCode: 'Unspecified', additionalInfo: 'a reset is already being performed' },
  };
  assert.equal(reset(d, { type: 'Immediate' }, 'r2'), busy, 'B11.FR.06');
  // B12.FR.10: Immediate with a transaction running, refused for the reset in progress (not Accepted, not TxInProgress).
  d.dispatch({ type: 'cablePlugged', evseId: 1, connectorId: 1 });
  assert.ok(d.sent.some((s) => s.action === 'TransactionEvent' && s.payload.eventType === 'Started'));
  assert.equal(reset(d, { type: 'Immediate' }, 'r3'), busy, 'B12.FR.10');
  await d.settle();
  assert.equal(d.hardware.filter((h) => h.op === 'reset').length, 1, 'the refused resets did nothing');
  finish();
  await d.settle();
  assert.equal(d.restarts, ['RemoteReset']);
});

test.run();
