// Part 6 test cases of E05–E10 (stop options, local and remote stop, EV-side disconnects) against the built-in CSMS
// over real sockets, with a real SQLite store.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, TOKEN, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

const stopPoint = (value: string, more: TxPairOptions['variables'] = {}): TxPairOptions => ({
  variables: { 'TxCtrlr.TxStopPoint': value, ...more },
});
const idle = (ms = 50) => new Promise((r) => setTimeout(r, ms));

/** EnergyTransferSuspended, then the EV side disconnects (TC_E_17/20/24–26/37): the event that reports it. */
async function evSideLost(p: TxPair): Promise<any> {
  await states.energyTransferStarted(p);
  states.suspendByEv(p);
  p.station.evDisconnected(1);
  return p.waitTx((r) => r.triggerReason === 'EVCommunicationLost');
}

/** The driver presents the idToken: the cable kept locked for them unlocks; they unplug: Available (E09.FR.03). */
async function ownerUnlocksAndLeaves(p: TxPair): Promise<void> {
  states.authorizeLocal(p, 1);
  await idle();
  assert.equal(p.hw.at(-1), { op: 'unlockConnector', args: [1, 1] });
  states.evDisconnected(p);
  await p.waitFor('StatusNotification', (m: any) => m.request.connectorStatus === 'Available');
}

test('TC_E_06_CS E07.FR.04 E06.FR.15 local stop: StopAuthorized (Local), then the EV leaves: StatusNotification Available', async () => {
  await withTxPair({}, async (p) => {
    await states.energyTransferStarted(p);
    states.authorizeLocal(p, 1);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal(
      [ended.triggerReason, ended.transactionInfo.stoppedReason, ended.transactionInfo.chargingState],
      ['StopAuthorized', 'Local', 'EVConnected'],
    );
    states.evDisconnected(p);
    await p.waitFor('StatusNotification', (m: any) => m.request.connectorStatus === 'Available');
  });
});

test('TC_E_07_CS E06.FR.06 TxStopPoint PowerPathClosed, local stop: Ended StopAuthorized', async () => {
  await withTxPair(stopPoint('PowerPathClosed'), async (p) => {
    await states.energyTransferStarted(p);
    states.authorizeLocal(p, 1);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal([ended.triggerReason, ended.idToken], ['StopAuthorized', TOKEN]);
  });
});

/** EnergyTransferStarted, then RequestStopTransaction for it: Accepted, and the Ended event that follows. */
async function remoteStop(p: TxPair): Promise<any> {
  const id = await states.energyTransferStarted(p);
  assert.equal(await p.call('RequestStopTransaction', { transactionId: id }), { status: 'Accepted' });
  const ended = await p.waitTx((r) => r.eventType === 'Ended');
  assert.is(ended.transactionInfo.transactionId, id);
  return ended;
}

test('TC_E_35_CS E06.FR.06 E06.FR.15 TxStopPoint PowerPathClosed, remote stop: Accepted, Ended RemoteStop / Remote', async () => {
  await withTxPair(stopPoint('PowerPathClosed'), async (p) => {
    const ended = await remoteStop(p);
    assert.equal([ended.triggerReason, ended.transactionInfo.stoppedReason], ['RemoteStop', 'Remote']);
  });
});

test('TC_E_21_CS TC_F_08_CS E06.FR.03 E06.FR.15 F03.FR.03 F03.FR.07 F03.FR.09 TxStopPoint Authorized, remote stop: Accepted, Ended RemoteStop / Remote', async () => {
  await withTxPair(stopPoint('Authorized'), async (p) => {
    const ended = await remoteStop(p);
    assert.equal([ended.triggerReason, ended.transactionInfo.stoppedReason], ['RemoteStop', 'Remote']);
  });
});

test('TC_E_15_CS E06.FR.03 E06.FR.15 TxStopPoint Authorized, local stop: Ended StopAuthorized, stoppedReason Local', async () => {
  await withTxPair(stopPoint('Authorized'), async (p) => {
    await states.energyTransferStarted(p);
    states.authorizeLocal(p, 1);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal([ended.triggerReason, ended.transactionInfo.stoppedReason], ['StopAuthorized', 'Local']);
  });
});

test('TC_E_37_CS E06.FR.06 TxStopPoint PowerPathClosed, EV-side disconnect while suspended: Ended EVCommunicationLost, Idle', async () => {
  await withTxPair(stopPoint('PowerPathClosed', { 'TxCtrlr.StopTxOnEVSideDisconnect': false }), async (p) => {
    const ended = await evSideLost(p);
    assert.is(ended.eventType, 'Ended');
    assert.equal([ended.triggerReason, ended.transactionInfo.chargingState], ['EVCommunicationLost', 'Idle']);
    assert.ok(['EVDisconnected', 'StoppedByEV'].includes(ended.transactionInfo.stoppedReason));
  });
});

test('TC_E_08_CS E06.FR.07 E06.FR.15 TxStopPoint EnergyTransfer, the driver stops: the energy transfer stops and the transaction ends', async () => {
  await withTxPair(stopPoint('EnergyTransfer'), async (p) => {
    await states.energyTransferStarted(p);
    states.authorizeLocal(p, 1);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.is(ended.triggerReason, 'StopAuthorized');
  });
});

test('TC_E_22_CS E06.FR.07 TxStopPoint EnergyTransfer, the EV suspends: Ended ChargingStateChanged, EVConnected, StoppedByEV', async () => {
  await withTxPair(stopPoint('EnergyTransfer'), async (p) => {
    await states.energyTransferStarted(p);
    states.suspendByEv(p);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal(
      [ended.triggerReason, ended.transactionInfo.chargingState, ended.transactionInfo.stoppedReason],
      ['ChargingStateChanged', 'EVConnected', 'StoppedByEV'],
    );
  });
});

test('TC_E_14_CS E06.FR.02 E06.FR.15 TxStopPoint EVConnected: after the local stop the cable is unplugged: Available, then Ended EVCommunicationLost, Idle, Local', async () => {
  await withTxPair(stopPoint('EVConnected'), async (p) => {
    await states.energyTransferStarted(p);
    states.authorizeLocal(p, 1);
    const post = await p.waitTx((r) => r.triggerReason === 'StopAuthorized');
    assert.equal(
      [post.eventType, post.transactionInfo.chargingState],
      ['Updated', 'EVConnected'],
      'EVConnectedPostSession',
    );
    assert.equal(p.hw.at(-1), { op: 'stopCharging', args: [1] });
    states.evDisconnected(p);
    await p.waitFor('StatusNotification', (m: any) => m.request.connectorStatus === 'Available');
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal(
      [ended.triggerReason, ended.transactionInfo.chargingState, ended.transactionInfo.stoppedReason],
      ['EVCommunicationLost', 'Idle', 'Local'],
    );
  });
});

test('TC_E_20_CS E06.FR.02 TxStopPoint EVConnected, StopTxOnEVSideDisconnect false: an EV-side disconnect ends it: EVCommunicationLost, Idle, EVDisconnected', async () => {
  await withTxPair(stopPoint('EVConnected', { 'TxCtrlr.StopTxOnEVSideDisconnect': false }), async (p) => {
    const ended = await evSideLost(p);
    assert.is(ended.eventType, 'Ended');
    assert.equal(
      [ended.triggerReason, ended.transactionInfo.chargingState, ended.transactionInfo.stoppedReason],
      ['EVCommunicationLost', 'Idle', 'EVDisconnected'],
    );
  });
});

test('TC_E_54_CS E06.FR.02 E06.FR.15 TxStopPoint EVConnected, StopTxOnEVSideDisconnect false, EV side disconnect while suspended (HLC EV): Ended EVCommunicationLost, Idle, EVDisconnected', async () => {
  await withTxPair(stopPoint('EVConnected', { 'TxCtrlr.StopTxOnEVSideDisconnect': false }), async (p) => {
    const ended = await evSideLost(p);
    assert.is(ended.eventType, 'Ended');
    assert.equal([ended.triggerReason, ended.transactionInfo.chargingState], ['EVCommunicationLost', 'Idle']);
    assert.ok(
      ['StoppedByEV', 'EVDisconnected'].includes(ended.transactionInfo.stoppedReason),
      ended.transactionInfo.stoppedReason,
    );
    assert.is(p.tx().filter((r) => r.eventType === 'Ended').length, 1, 'one Ended event');
  });
});

test('TC_E_19_CS E06.FR.01 E06.FR.15 TxStopPoint ParkingBayOccupancy: the EV drives out of the bay: Ended EVDeparted, Local', async () => {
  await withTxPair(stopPoint('ParkingBayOccupancy'), async (p) => {
    p.station.parkingBayOccupied(1);
    await states.energyTransferStarted(p);
    states.authorizeLocal(p, 1);
    states.evDisconnected(p);
    await p.waitTx((r) => r.triggerReason === 'EVCommunicationLost');
    p.station.parkingBayVacated(1);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal([ended.triggerReason, ended.transactionInfo.stoppedReason], ['EVDeparted', 'Local']);
  });
});

test('TC_E_16_CS E06.FR.04 E06.FR.15 C15.FR.04 a transaction started offline: the queue is emptied (offline), the CSMS answers Invalid for the idToken: Ended Deauthorized, DeAuthorized', async () => {
  await withTxPair(
    {
      manualClock: true,
      variables: {
        'TxCtrlr.TxStopPoint': 'PowerPathClosed,Authorized',
        'TxCtrlr.StopTxOnInvalidId': true,
        'AuthCtrlr.OfflineTxForUnknownIdEnabled': true,
        'OCPPCommCtrlr.RetryBackOffWaitMinimum': 1,
        'OCPPCommCtrlr.RetryBackOffRandomRange': 0,
      },
    },
    async (p) => {
      await p.csmsDown(); // StartOfflineTransaction
      p.csms.deny(TOKEN.idToken);
      await idle();
      states.authorizeLocal(p, 1);
      p.station.cablePlugged(1, 1);
      p.station.chargingStateChanged(1, 'Charging');
      p.csmsUp();
      await p.advance(5_000);
      const ended = await p.waitTx((r) => r.eventType === 'Ended');
      assert.equal([ended.triggerReason, ended.transactionInfo.stoppedReason], ['Deauthorized', 'DeAuthorized']);
      const offline = p.tx().filter((r) => r.eventType !== 'Ended');
      assert.ok(offline.length >= 1 && offline.every((r) => r.offline === true), 'the queued events are offline');
      assert.equal(
        p.tx().map((r) => r.seqNo),
        p.tx().map((_, i) => i),
      );
    },
  );
});

test('TC_E_17_CS E06.FR.04 E09.FR.03 StopTxOnEVSideDisconnect, UnlockOnEVSideDisconnect false: EV-side disconnect ends it (EVCommunicationLost, Idle, EVDisconnected); the cable unlocks for its owner', async () => {
  await withTxPair(
    stopPoint('PowerPathClosed,Authorized', {
      'TxCtrlr.StopTxOnEVSideDisconnect': true,
      'OCPPCommCtrlr.UnlockOnEVSideDisconnect': false,
    }),
    async (p) => {
      const ended = await evSideLost(p);
      assert.is(ended.eventType, 'Ended');
      assert.equal(
        [ended.triggerReason, ended.transactionInfo.chargingState, ended.transactionInfo.stoppedReason],
        ['EVCommunicationLost', 'Idle', 'EVDisconnected'],
      );
      assert.ok(!p.hw.some((h) => h.op === 'unlockConnector'), 'kept locked');
      await ownerUnlocksAndLeaves(p);
    },
  );
});

test('TC_E_24_CS E09.FR.01 E09.FR.02 E09.FR.04 StopTxOnEVSideDisconnect and UnlockOnEVSideDisconnect: EVCommunicationLost, Idle, the cable is unlocked at once', async () => {
  await withTxPair(
    { variables: { 'TxCtrlr.StopTxOnEVSideDisconnect': true, 'OCPPCommCtrlr.UnlockOnEVSideDisconnect': true } },
    async (p) => {
      const e = await evSideLost(p);
      assert.is(e.transactionInfo.chargingState, 'Idle');
      assert.equal(p.hw.at(-1), { op: 'unlockConnector', args: [1, 1] });
      states.evDisconnected(p);
      await p.waitFor('StatusNotification', (m: any) => m.request.connectorStatus === 'Available');
    },
  );
});

test('TC_E_25_CS E09.FR.01 E09.FR.03 E09.FR.04 StopTxOnEVSideDisconnect, UnlockOnEVSideDisconnect false: EVCommunicationLost, Idle; unlocked only when the driver presents the idToken', async () => {
  await withTxPair(
    { variables: { 'TxCtrlr.StopTxOnEVSideDisconnect': true, 'OCPPCommCtrlr.UnlockOnEVSideDisconnect': false } },
    async (p) => {
      const e = await evSideLost(p);
      assert.is(e.transactionInfo.chargingState, 'Idle');
      assert.ok(!p.hw.some((h) => h.op === 'unlockConnector'));
      await ownerUnlocksAndLeaves(p);
    },
  );
});

test('TC_E_26_CS E10.FR.01 E10.FR.03 StopTxOnEVSideDisconnect false, TxStopPoint Authorized: suspended (Updated EVCommunicationLost, Idle), kept locked, resumed when the EV is back', async () => {
  await withTxPair(
    stopPoint('Authorized', {
      'TxCtrlr.StopTxOnEVSideDisconnect': false,
      'OCPPCommCtrlr.UnlockOnEVSideDisconnect': false,
    }),
    async (p) => {
      const lost = await evSideLost(p);
      assert.equal([lost.eventType, lost.transactionInfo.chargingState], ['Updated', 'Idle']);
      assert.ok(!p.hw.some((h) => h.op === 'unlockConnector'), 'E10.FR.01: stays locked');
      p.station.cablePlugged(1, 1);
      const back = await p.waitTx((r) => r.triggerReason === 'CablePluggedIn');
      assert.equal([back.eventType, back.transactionInfo.chargingState], ['Updated', 'EVConnected']);
      assert.equal(p.hw.at(-1), { op: 'startCharging', args: [1, 1] });
      p.station.chargingStateChanged(1, 'Charging');
      const charging = await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging' && r.seqNo > back.seqNo);
      assert.equal([charging.eventType, charging.triggerReason], ['Updated', 'ChargingStateChanged']);
    },
  );
});

test('TC_E_27_CS E10.FR.02 E10.FR.03 a permanently attached cable unplugged at the EV: Updated EVCommunicationLost, Available; not back within EVConnectionTimeOut: Ended EVConnectTimeout, Timeout', async () => {
  await withTxPair(
    {
      manualClock: true,
      variables: {
        'TxCtrlr.TxStopPoint': 'Authorized',
        'TxCtrlr.StopTxOnEVSideDisconnect': false,
        'TxCtrlr.EVConnectionTimeOut': 30,
      },
    },
    async (p) => {
      await states.energyTransferStarted(p);
      states.suspendByEv(p);
      states.evDisconnected(p); // a fixed cable: the EV side is the only side
      const lost = await p.waitTx((r) => r.triggerReason === 'EVCommunicationLost');
      assert.equal([lost.eventType, lost.transactionInfo.chargingState], ['Updated', 'Idle']);
      await p.waitFor('StatusNotification', (m: any) => m.request.connectorStatus === 'Available');
      await p.advance(30_000);
      const ended = await p.waitTx((r) => r.eventType === 'Ended');
      assert.equal([ended.triggerReason, ended.transactionInfo.stoppedReason], ['EVConnectTimeout', 'Timeout']);
    },
  );
});

test.run();
