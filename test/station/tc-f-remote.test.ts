// Part 6 test cases of F01–F06 (remote start and stop, unlock, TriggerMessage of MeterValues and TransactionEvent)
// against the built-in CSMS over real sockets.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startPair } from '../support/station-harness.js';
import { states, TOKEN, withTxPair } from '../support/tx-pair.js';

const idle = (ms = 50) => new Promise((r) => setTimeout(r, ms));
const twoEvses = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

test("TC_F_01_CS F01.FR.03 F01.FR.04 F01.FR.05 F01.FR.13 F01.FR.17 F01.FR.19 F02.FR.01 cable first, then RequestStartTransaction: the running transaction's id in the answer, RemoteStart with idToken and remoteStartId, then energy", async () => {
  await withTxPair(
    { variables: { 'TxCtrlr.TxStartPoint': 'EVConnected', 'AuthCtrlr.AuthorizeRemoteStart': false } },
    async (p) => {
      await states.evConnected(p);
      const started = await p.waitTx((r) => r.eventType === 'Started');
      const res = await states.authorizeRemote(p, 1, 5);
      assert.equal(res, { status: 'Accepted', transactionId: started.transactionInfo.transactionId });
      const remote = await p.waitTx((r) => r.triggerReason === 'RemoteStart');
      assert.equal([remote.eventType, remote.idToken, remote.transactionInfo.remoteStartId], ['Updated', TOKEN, 5]);
      assert.equal(p.hw.at(-1), { op: 'startCharging', args: [1, 1] });
      p.station.chargingStateChanged(1, 'Charging');
      await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging');
    },
  );
});

for (const authorize of [true, false]) {
  test(`${authorize ? 'TC_F_02_CS F01.FR.01' : 'TC_F_03_CS F01.FR.02'} F02.FR.01 remote start first, AuthorizeRemoteStart ${authorize}: Started (PowerPathClosed) at plug-in with RemoteStart, then energy`, async () => {
    await withTxPair({ variables: { 'AuthCtrlr.AuthorizeRemoteStart': authorize } }, async (p) => {
      assert.equal(await states.authorizeRemote(p, 1, 9), { status: 'Accepted' });
      await idle();
      assert.equal(p.tx(), [], 'not before the EV connects');
      await states.evConnected(p);
      const started = await p.waitTx((r) => r.eventType === 'Started');
      assert.equal(
        [started.triggerReason, started.idToken, started.transactionInfo.remoteStartId],
        ['RemoteStart', TOKEN, 9],
      );
      p.station.chargingStateChanged(1, 'Charging');
      await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging');
    });
  });
}

test('TC_F_04_CS F02.FR.01 E03.FR.01 E03.FR.05 F02.FR.07 remote start first, no cable within EVConnectionTimeOut: Ended EVConnectTimeout; then the EVSE accepts the next remote start', async () => {
  await withTxPair(
    { manualClock: true, variables: { 'TxCtrlr.TxStartPoint': 'Authorized', 'TxCtrlr.EVConnectionTimeOut': 15 } },
    async (p) => {
      await states.authorizeRemote(p, 1, 1);
      await p.waitTx((r) => r.eventType === 'Started');
      await p.advance(15_000);
      const ended = await p.waitTx((r) => r.eventType === 'Ended');
      assert.equal([ended.triggerReason, ended.transactionInfo.stoppedReason], ['EVConnectTimeout', 'Timeout']);
      assert.equal(await states.authorizeRemote(p, 1, 2), { status: 'Accepted' });
      await p.waitTx((r) => r.eventType === 'Started' && r.transactionInfo.remoteStartId === 2);
    },
  );
});

test('F01.FR.24 F02.FR.26 F01.FR.23 F02.FR.25 F01.FR.20 F02.FR.22 F02.FR.14 RequestStartTransaction: Rejected for an EVSE with an authorized transaction or unavailable; an EVSE is chosen when none is given', async () => {
  await withTxPair({ evses: twoEvses }, async (p) => {
    await states.energyTransferStarted(p, 1);
    assert.equal(await p.call('RequestStartTransaction', { idToken: TOKEN, evseId: 1, remoteStartId: 3 }), {
      status: 'Rejected',
      statusInfo: { reasonCode: 'TxInProgress' },
    });
    assert.equal(await p.call('ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } }), {
      status: 'Accepted',
    });
    assert.equal(await p.call('RequestStartTransaction', { idToken: TOKEN, evseId: 2, remoteStartId: 4 }), {
      status: 'Rejected',
    });
    assert.equal(
      await p.call('RequestStartTransaction', { idToken: TOKEN, remoteStartId: 5 }),
      { status: 'Rejected', statusInfo: { reasonCode: 'TxInProgress' } },
      'no EVSE free',
    );
    assert.equal(await p.call('ChangeAvailability', { operationalStatus: 'Operative', evse: { id: 2 } }), {
      status: 'Accepted',
    });
    assert.equal(await p.call('RequestStartTransaction', { idToken: TOKEN, remoteStartId: 6 }), { status: 'Accepted' });
    p.station.cablePlugged(2, 1);
    const started = await p.waitTx((r) => r.eventType === 'Started' && r.evse?.id === 2);
    assert.is(started.transactionInfo.remoteStartId, 6);
  });
});

test('F01.FR.23 F02.FR.25 RequestStartTransaction for a Faulted EVSE: Rejected, and no transaction', async () => {
  await withTxPair({ evses: twoEvses }, async (p) => {
    p.station.connectorFaulted(2, 1);
    await p.waitFor(
      'StatusNotification',
      (m: any) => m.request.evseId === 2 && m.request.connectorStatus === 'Faulted',
    );
    assert.equal(await p.call('RequestStartTransaction', { idToken: TOKEN, evseId: 2, remoteStartId: 7 }), {
      status: 'Rejected',
    });
    p.station.cablePlugged(2, 1);
    await idle();
    assert.ok(!p.tx().some((r) => r.transactionInfo.remoteStartId === 7));
    assert.equal(
      await p.call('RequestStartTransaction', { idToken: TOKEN, evseId: 1, remoteStartId: 8 }),
      { status: 'Accepted' },
      'the other EVSE still takes one',
    );
  });
});

test('B02.FR.05 RequestStartTransaction and RequestStopTransaction while Pending: Rejected', async () => {
  // A Pending station reports no connector status: the plain pair, not txPair (which waits for them).
  const pair = await startPair({ csms: { versions: ['ocpp2.0.1'], bootStatus: 'Pending' } });
  try {
    await pair.waitFor('BootNotification');
    await idle();
    const start = await pair.csms.call(pair.identity, 'RequestStartTransaction', {
      idToken: TOKEN,
      evseId: 1,
      remoteStartId: 1,
    });
    const stop = await pair.csms.call(pair.identity, 'RequestStopTransaction', { transactionId: 'x' });
    assert.equal(
      [start, stop],
      [
        { status: 'Rejected', statusInfo: { reasonCode: 'CSNotAccepted' } },
        { status: 'Rejected', statusInfo: { reasonCode: 'CSNotAccepted' } },
      ],
    );
  } finally {
    await pair.close();
  }
});

test('TC_F_09_CS F03.FR.08 remote stop of another transactionId: Rejected, the transaction goes on', async () => {
  await withTxPair({}, async (p) => {
    await states.energyTransferStarted(p);
    assert.equal(await p.call('RequestStopTransaction', { transactionId: 'not-this-one' }), {
      status: 'Rejected',
      statusInfo: { reasonCode: 'TxNotFound' },
    });
    await idle();
    assert.ok(!p.tx().some((r) => r.eventType === 'Ended'));
  });
});

test('TC_F_05_CS F05.FR.01 F05.FR.02 UnlockConnector during an authorized transaction: OngoingAuthorizedTransaction, nothing unlocked or stopped', async () => {
  await withTxPair({}, async (p) => {
    await states.energyTransferStarted(p);
    assert.equal(await p.call('UnlockConnector', { evseId: 1, connectorId: 1 }), {
      status: 'OngoingAuthorizedTransaction',
    });
    assert.ok(!p.hw.some((h) => h.op === 'unlockConnector' || h.op === 'stopCharging'));
  });
});

test('TC_F_06_CS TC_F_07_CS F05.FR.01 F05.FR.04 F05.FR.06 UnlockConnector without a transaction (with or without a cable): the hardware is asked, Unlocked', async () => {
  await withTxPair({}, async (p) => {
    assert.equal(await p.call('UnlockConnector', { evseId: 1, connectorId: 1 }), { status: 'Unlocked' });
    assert.equal(p.hw.at(-1), { op: 'unlockConnector', args: [1, 1] });
  });
});

test('F05.FR.05 the hardware could not unlock: UnlockFailed', async () => {
  await withTxPair({}, async (p) => {
    p.unlockResult.value = false;
    assert.equal(await p.call('UnlockConnector', { evseId: 1, connectorId: 1 }), { status: 'UnlockFailed' });
  });
});

test('TC_F_10_CS F05.FR.03 UnlockConnector of an unknown connector: UnknownConnector', async () => {
  await withTxPair({}, async (p) => {
    assert.equal(await p.call('UnlockConnector', { evseId: 1, connectorId: 999 }), { status: 'UnknownConnector' });
    assert.equal(await p.call('UnlockConnector', { evseId: 9, connectorId: 1 }), { status: 'UnknownConnector' });
  });
});

test('TC_F_11_CS F06.FR.02 F06.FR.04 F06.FR.05 F06.FR.06 F06.FR.10 TriggerMessage MeterValues for an EVSE: Accepted, then MeterValues of it with context Trigger', async () => {
  await withTxPair({}, async (p) => {
    assert.equal(await p.call('TriggerMessage', { requestedMessage: 'MeterValues', evse: { id: 1 } }), {
      status: 'Accepted',
    });
    const mv = await p.waitFor('MeterValues');
    assert.equal(
      [(mv.request as any).evseId, (mv.request as any).meterValue[0].sampledValue[0].context],
      [1, 'Trigger'],
    );
  });
});

test('TC_F_12_CS F06.FR.11 TriggerMessage MeterValues without evse: a MeterValues for every EVSE', async () => {
  await withTxPair({ evses: twoEvses }, async (p) => {
    p.readings.set(2, [{ value: 77 }]);
    assert.equal(await p.call('TriggerMessage', { requestedMessage: 'MeterValues' }), { status: 'Accepted' });
    await p.waitFor('MeterValues', (m: any) => m.request.evseId === 2);
    const sent = p.sent('MeterValues').map((m: any) => m.request);
    assert.equal(sent.map((r) => r.evseId).sort(), [1, 2]);
    assert.ok(sent.every((r) => r.meterValue[0].sampledValue[0].context === 'Trigger'));
  });
});

test('TC_F_13_CS F06.FR.07 TriggerMessage TransactionEvent for an EVSE: Updated with Trigger, chargingState Charging, meter values with context Trigger', async () => {
  await withTxPair({}, async (p) => {
    await states.energyTransferStarted(p);
    assert.equal(await p.call('TriggerMessage', { requestedMessage: 'TransactionEvent', evse: { id: 1 } }), {
      status: 'Accepted',
    });
    const e = await p.waitTx((r) => r.triggerReason === 'Trigger');
    assert.equal(
      [e.evse?.id ?? 1, e.transactionInfo.chargingState, e.meterValue[0].sampledValue[0].context],
      [1, 'Charging', 'Trigger'],
    );
  });
});

test('TC_F_14_CS F06.FR.11 TriggerMessage TransactionEvent without evse: one per EVSE with a transaction, each with its evse.id', async () => {
  await withTxPair({ evses: twoEvses }, async (p) => {
    p.readings.set(2, [{ value: 5 }]);
    await states.energyTransferStarted(p, 1);
    p.station.cablePlugged(2, 1);
    p.station.idTokenPresented(TOKEN, 2);
    p.station.chargingStateChanged(2, 'Charging');
    const second = (await p.waitTx((r) => r.eventType === 'Started' && r.evse?.id === 2)).transactionInfo.transactionId;
    await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging' && r.transactionInfo.transactionId === second);
    assert.equal(await p.call('TriggerMessage', { requestedMessage: 'TransactionEvent' }), { status: 'Accepted' });
    await p.waitTx((r) => r.triggerReason === 'Trigger' && r.evse?.id === 2);
    const triggered = p.tx().filter((r) => r.triggerReason === 'Trigger');
    assert.equal(triggered.map((r) => r.evse.id).sort(), [1, 2]);
    assert.ok(
      triggered.every(
        (r) => r.transactionInfo.chargingState === 'Charging' && r.meterValue[0].sampledValue[0].context === 'Trigger',
      ),
    );
  });
});

test('F06.FR.05 F06.FR.10 TriggerMessage TransactionEvent where no transaction runs: Rejected (an Accepted message must be sent)', async () => {
  await withTxPair({}, async (p) => {
    assert.equal(await p.call('TriggerMessage', { requestedMessage: 'TransactionEvent', evse: { id: 1 } }), {
      status: 'Rejected',
    });
  });
});

test('F06.FR.09 triggered messages give current information: the latest meter reading, the chargingState now', async () => {
  await withTxPair({}, async (p) => {
    await states.energyTransferStarted(p);
    p.readings.set(1, [{ value: 2345 }]);
    states.suspendByEv(p);
    await p.waitTx((r) => r.transactionInfo.chargingState === 'SuspendedEV');
    assert.equal(await p.call('TriggerMessage', { requestedMessage: 'TransactionEvent', evse: { id: 1 } }), {
      status: 'Accepted',
    });
    const event = await p.waitTx((r) => r.triggerReason === 'Trigger');
    assert.equal(
      [event.transactionInfo.chargingState, event.meterValue[0].sampledValue[0].value],
      ['SuspendedEV', 2345],
    );
    p.readings.set(1, [{ value: 3456 }]);
    assert.equal(await p.call('TriggerMessage', { requestedMessage: 'MeterValues', evse: { id: 1 } }), {
      status: 'Accepted',
    });
    const mv: any = (await p.waitFor('MeterValues')).request;
    assert.is(mv.meterValue[0].sampledValue[0].value, 3456);
    assert.ok(Math.abs(Date.parse(mv.meterValue[0].timestamp) - Date.now()) < 5000, 'stamped now');
  });
});

const reserve = (p: Parameters<Parameters<typeof withTxPair>[1]>[0], id: number, idToken = TOKEN, evseId = 1) =>
  p.call('ReserveNow', { id, expiryDateTime: new Date(Date.now() + 3_600_000).toISOString(), idToken, evseId });

test('F01.FR.21 F01.FR.22 F02.FR.23 F02.FR.24 F02.FR.06 E01.FR.13 RequestStartTransaction on an EVSE reserved for another idToken: Rejected; for the holder: Accepted, and the reservationId goes with its idToken', async () => {
  await withTxPair({}, async (p) => {
    assert.equal(await reserve(p, 31), { status: 'Accepted' });
    const other = { idToken: 'SOMEONE-ELSE', type: 'ISO14443' as const };
    assert.equal(await p.call('RequestStartTransaction', { idToken: other, evseId: 1, remoteStartId: 1 }), {
      status: 'Rejected',
    });
    assert.equal(await states.authorizeRemote(p, 1, 2), { status: 'Accepted' });
    await states.evConnected(p);
    const started = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal([started.idToken, started.reservationId, started.transactionInfo.remoteStartId], [TOKEN, 31, 2]);
  });
});

test('E01.FR.13 E02.FR.03 E03.FR.03 H01.FR.15 the holder of a reservation presents the idToken: the event with the idToken carries the reservationId', async () => {
  await withTxPair({ variables: { 'TxCtrlr.TxStartPoint': 'EVConnected' } }, async (p) => {
    assert.equal(await reserve(p, 32), { status: 'Accepted' });
    p.station.cablePlugged(1, 1); // the connector stays Reserved until the holder's idToken (G03.FR.09)
    const started = await p.waitTx((r) => r.eventType === 'Started');
    assert.is(started.reservationId, undefined);
    states.authorizeLocal(p, 1);
    const authorized = await p.waitTx((r) => r.triggerReason === 'Authorized');
    assert.equal([authorized.idToken, authorized.reservationId], [TOKEN, 32]);
  });
});

test.run();
