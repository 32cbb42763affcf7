// B11/B12 Reset over real sockets. In the cases with a transaction, use case E runs one on an EVSE while a cable is
// plugged in (test/support/plug-transactions.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../support/rpc-harness.js';
import { PLUG_TRANSACTIONS } from '../support/plug-transactions.js';
import { startPair, type Pair } from '../support/station-harness.js';

/** The Ended event of the last transaction started on the EVSE (E reports the EVSE once, in its first event). */
async function endedOn(pair: Pair, evseId: number) {
  const started = pair
    .sent('TransactionEvent')
    .filter((m) => (m.request as any).evse?.id === evseId && (m.request as any).eventType === 'Started')
    .at(-1)!;
  const id = (started.request as any).transactionInfo.transactionId;
  return pair.waitFor(
    'TransactionEvent',
    (m) => (m.request as any).eventType === 'Ended' && (m.request as any).transactionInfo.transactionId === id,
  );
}

const twoEvses = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

async function accepted(pair: Pair, connectors = 2): Promise<void> {
  await until(() => pair.station.registration === 'Accepted', 3000, 'Accepted');
  await until(() => pair.sent('StatusNotification').length >= connectors, 3000, 'boot statuses');
}

const boots = (pair: Pair) => pair.sent('BootNotification').map((m) => (m.request as any).reason);

test('TC_B_20_CS B11.FR.01 B11.FR.03 B11.FR.04 B01.FR.03 Reset OnIdle without transaction: Accepted, the reset callback, a new boot with RemoteReset', async () => {
  const resets: string[] = [];
  const pair = await startPair({ station: { evses: twoEvses, hardware: { reset: (kind) => void resets.push(kind) } } });
  try {
    await accepted(pair);
    const before = pair.sent('StatusNotification').length;
    assert.equal(await pair.csms.call(pair.identity, 'Reset', { type: 'OnIdle' }), { status: 'Accepted' });
    await pair.waitFor('BootNotification', (m) => (m.request as any).reason === 'RemoteReset');
    assert.equal(resets, ['OnIdle']);
    await until(
      () => pair.sent('StatusNotification').length === before + 2,
      3000,
      'every connector after the new boot',
    );
    const event = await pair.waitFor('SecurityEventNotification', (m) => (m.request as any).type === 'ResetOrReboot');
    assert.ok(event, 'A04.FR.01 ResetOrReboot');
  } finally {
    await pair.close();
  }
});

test('TC_B_23_CS B11.FR.02 B12.FR.06 B01.FR.07 an Unavailable connector stays Unavailable across the reset', async () => {
  const pair = await startPair({ station: { evses: twoEvses } });
  try {
    await accepted(pair);
    assert.equal(
      await pair.csms.call(pair.identity, 'ChangeAvailability', {
        operationalStatus: 'Inoperative',
        evse: { id: 1, connectorId: 1 },
      }),
      { status: 'Accepted' },
    );
    await pair.waitFor('StatusNotification', (m) => (m.request as any).connectorStatus === 'Unavailable');
    const before = pair.sent('StatusNotification').length;
    assert.equal(await pair.csms.call(pair.identity, 'Reset', { type: 'OnIdle' }), { status: 'Accepted' });
    await pair.waitFor('BootNotification', (m) => (m.request as any).reason === 'RemoteReset');
    await until(() => pair.sent('StatusNotification').length === before + 2, 3000, 'statuses after the reset');
    const after = pair
      .sent('StatusNotification')
      .slice(before)
      .map((m) => [(m.request as any).evseId, (m.request as any).connectorStatus]);
    assert.equal(after.sort(), [
      [1, 'Unavailable'],
      [2, 'Available'],
    ]);
  } finally {
    await pair.close();
  }
});

test('TC_B_25_CS B11.FR.08 B11.FR.10 Reset of one EVSE: Accepted, the EVSE reset callback, no reboot; EVSE.AllowReset says so', async () => {
  const calls: Array<[number, string]> = [];
  const pair = await startPair({
    station: { evses: twoEvses, hardware: { resetEvse: (evseId, kind) => void calls.push([evseId, kind]) } },
  });
  try {
    await accepted(pair);
    assert.is(pair.station.deviceModel.getBool({ name: 'EVSE', evse: { id: 2 } }, 'AllowReset'), true);
    assert.equal(await pair.csms.call(pair.identity, 'Reset', { type: 'OnIdle', evseId: 2 }), { status: 'Accepted' });
    await until(() => calls.length === 1, 3000, 'resetEvse');
    assert.equal(calls, [[2, 'OnIdle']]);
    assert.equal(boots(pair), ['PowerUp'], 'the station does not reboot');
    assert.ok(pair.station.connected);
  } finally {
    await pair.close();
  }
});

test('TC_B_28_CS TC_B_29_CS B11.FR.09 B12.FR.09 Reset of one EVSE is Rejected when EVSEs cannot be reset individually', async () => {
  const pair = await startPair({ station: { evses: twoEvses, variables: PLUG_TRANSACTIONS } });
  try {
    await accepted(pair);
    assert.is(pair.station.deviceModel.getBool({ name: 'EVSE', evse: { id: 1 } }, 'AllowReset'), false);
    assert.is(
      ((await pair.csms.call(pair.identity, 'Reset', { type: 'OnIdle', evseId: 1 })) as any).status,
      'Rejected',
    );
    pair.station.cablePlugged(1, 1); // TC_B_29_CS: with a transaction on it
    await pair.waitFor('TransactionEvent');
    assert.is(
      ((await pair.csms.call(pair.identity, 'Reset', { type: 'OnIdle', evseId: 1 })) as any).status,
      'Rejected',
    );
    assert.is(
      ((await pair.csms.call(pair.identity, 'Reset', { type: 'Immediate', evseId: 9 })) as any).statusInfo.reasonCode,
      'UnknownEvse',
    );
  } finally {
    await pair.close();
  }
});

test('TC_B_21_CS B12.FR.01 B12.FR.03 Reset OnIdle while charging: Scheduled; the reboot follows the end of the transaction, reason ScheduledReset', async () => {
  const pair = await startPair({ station: { variables: PLUG_TRANSACTIONS } });
  try {
    await accepted(pair, 1);
    pair.station.cablePlugged(1, 1);
    await pair.waitFor('TransactionEvent', (m) => (m.request as any).eventType === 'Started');
    assert.equal(await pair.csms.call(pair.identity, 'Reset', { type: 'OnIdle' }), { status: 'Scheduled' });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(boots(pair), ['PowerUp'], 'no reboot while the transaction runs');
    pair.station.cableUnplugged(1, 1);
    const ended = await pair.waitFor('TransactionEvent', (m) => (m.request as any).eventType === 'Ended');
    const boot = await pair.waitFor('BootNotification', (m) => (m.request as any).reason === 'ScheduledReset');
    assert.ok(pair.csms.log.indexOf(ended) < pair.csms.log.indexOf(boot), 'ended normally before the reboot');
  } finally {
    await pair.close();
  }
});

test('TC_B_41_CS B12.FR.01 B12.FR.03 Reset OnIdle with two transactions: the reboot waits for both', async () => {
  const pair = await startPair({ station: { evses: twoEvses, variables: PLUG_TRANSACTIONS } });
  try {
    await accepted(pair);
    pair.station.cablePlugged(1, 1);
    pair.station.cablePlugged(2, 1);
    await until(() => pair.sent('TransactionEvent').length === 2, 3000, 'two transactions');
    assert.equal(await pair.csms.call(pair.identity, 'Reset', { type: 'OnIdle' }), { status: 'Scheduled' });
    pair.station.cableUnplugged(1, 1);
    await endedOn(pair, 1);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(boots(pair), ['PowerUp'], 'EVSE 2 still charges');
    pair.station.cableUnplugged(2, 1);
    await pair.waitFor('BootNotification', (m) => (m.request as any).reason === 'ScheduledReset');
  } finally {
    await pair.close();
  }
});

test('TC_B_22_CS B12.FR.02 B12.FR.04 Reset Immediate while charging: Accepted; the transaction is ended (ImmediateReset) and confirmed before the reboot', async () => {
  const pair = await startPair({ station: { variables: PLUG_TRANSACTIONS } });
  try {
    await accepted(pair, 1);
    pair.station.cablePlugged(1, 1);
    await pair.waitFor('TransactionEvent', (m) => (m.request as any).eventType === 'Started');
    assert.equal(await pair.csms.call(pair.identity, 'Reset', { type: 'Immediate' }), { status: 'Accepted' });
    const ended = await pair.waitFor('TransactionEvent', (m) => (m.request as any).eventType === 'Ended');
    assert.is((ended.request as any).transactionInfo.stoppedReason, 'ImmediateReset');
    assert.is((ended.request as any).triggerReason, 'ResetCommand');
    const boot = await pair.waitFor('BootNotification', (m) => (m.request as any).reason === 'RemoteReset');
    assert.ok(pair.csms.log.indexOf(ended) < pair.csms.log.indexOf(boot), 'B12.FR.04: Ended before the reboot');
  } finally {
    await pair.close();
  }
});

test('TC_B_26_CS TC_B_27_CS B12.FR.07 B12.FR.08 EVSE reset while charging: OnIdle Scheduled until it ends; Immediate ends it first', async () => {
  const calls: Array<[number, string]> = [];
  const pair = await startPair({
    station: {
      evses: twoEvses,
      variables: PLUG_TRANSACTIONS,
      hardware: { resetEvse: (evseId, kind) => void calls.push([evseId, kind]) },
    },
  });
  try {
    await accepted(pair);
    pair.station.cablePlugged(1, 1);
    pair.station.cablePlugged(2, 1);
    await until(() => pair.sent('TransactionEvent').length === 2, 3000, 'two transactions');
    assert.equal(await pair.csms.call(pair.identity, 'Reset', { type: 'OnIdle', evseId: 1 }), { status: 'Scheduled' });
    pair.station.cableUnplugged(2, 1);
    await endedOn(pair, 2);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(calls, [], 'another EVSE’s transaction does not matter');
    pair.station.cableUnplugged(1, 1);
    await until(() => calls.length === 1, 3000, 'EVSE 1 reset after its transaction');
    assert.equal(calls, [[1, 'OnIdle']]);
    // TC_B_27_CS: Immediate on an EVSE with a transaction.
    pair.station.cablePlugged(2, 1);
    await until(() => pair.sent('TransactionEvent').length === 5, 3000, 'a third transaction');
    assert.equal(await pair.csms.call(pair.identity, 'Reset', { type: 'Immediate', evseId: 2 }), {
      status: 'Accepted',
    });
    const ended = await endedOn(pair, 2);
    assert.is((ended.request as any).transactionInfo.stoppedReason, 'ImmediateReset');
    await until(() => calls.length === 2, 3000, 'EVSE 2 reset');
    assert.equal(calls[1], [2, 'Immediate']);
    assert.equal(boots(pair), ['PowerUp']);
  } finally {
    await pair.close();
  }
});

test.run();
