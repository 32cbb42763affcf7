// Part 6 test cases of E01–E03 (start options, cable first, authorization first) against the built-in CSMS over
// real sockets, with a real SQLite store. The stand-in for block C authorizes every idToken.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, TOKEN, withTxPair } from '../support/tx-pair.js';

const signedValue = {
  signedMeterData: 'c2lnbmVk',
  signingMethod: 'ECDSA-secp256r1-SHA256',
  encodingMethod: 'OCMF',
  publicKey: 'a2V5',
};

test('TC_E_01_CS E01.FR.05 E01.FR.07 E01.FR.10 E01.FR.15 E01.FR.16 TxStartPoint PowerPathClosed: authorized first, the transaction starts when the EV connects', async () => {
  await withTxPair({ variables: { 'TxCtrlr.TxStartPoint': 'PowerPathClosed' } }, async (p) => {
    states.authorizeLocal(p, 1);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(p.tx(), [], 'not before the EV is connected');
    await states.evConnected(p);
    const started = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal(
      [started.triggerReason, started.seqNo, started.transactionInfo.chargingState, started.evse, started.idToken],
      ['CablePluggedIn', 0, 'EVConnected', { id: 1, connectorId: 1 }, TOKEN],
    );
    assert.equal(p.hw.at(-1), { op: 'startCharging', args: [1, 1] });
  });
});

test('TC_E_02_CS E01.FR.06 TxStartPoint EnergyTransfer: started when energy flows, with the idToken, evse and chargingState Charging', async () => {
  await withTxPair({ variables: { 'TxCtrlr.TxStartPoint': 'EnergyTransfer' } }, async (p) => {
    states.authorizeLocal(p, 1);
    await states.evConnected(p);
    assert.equal(p.hw.at(-1), { op: 'startCharging', args: [1, 1] });
    p.station.chargingStateChanged(1, 'Charging');
    const started = await p.waitTx((r) => r.eventType === 'Started');
    assert.ok(['ChargingStateChanged', 'Authorized'].includes(started.triggerReason));
    assert.equal(
      [started.idToken, started.evse, started.transactionInfo.chargingState],
      [TOKEN, { id: 1, connectorId: 1 }, 'Charging'],
    );
    assert.is(p.tx().length, 1);
  });
});

test('TC_E_09_CS E01.FR.02 TxStartPoint EVConnected: StatusNotification Occupied, then Started (CablePluggedIn, EVConnected, evse and connector)', async () => {
  await withTxPair({ variables: { 'TxCtrlr.TxStartPoint': 'EVConnected' } }, async (p) => {
    await states.evConnected(p);
    const started = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal(
      [started.triggerReason, started.evse, started.transactionInfo.chargingState],
      ['CablePluggedIn', { id: 1, connectorId: 1 }, 'EVConnected'],
    );
  });
});

test('TC_E_10_CS E01.FR.03 TxStartPoint Authorized (local): Started with triggerReason Authorized and the idToken', async () => {
  await withTxPair({ variables: { 'TxCtrlr.TxStartPoint': 'Authorized' } }, async (p) => {
    states.authorizeLocal(p, 1);
    const started = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal([started.triggerReason, started.idToken], ['Authorized', TOKEN]);
  });
});

test('TC_E_13_CS E01.FR.03 F01.FR.03 F01.FR.04 F01.FR.06 F01.FR.19 F02.FR.01 TxStartPoint Authorized (remote): Accepted, then Started with RemoteStart, the idToken and the remoteStartId', async () => {
  await withTxPair(
    { variables: { 'TxCtrlr.TxStartPoint': 'Authorized', 'AuthCtrlr.AuthorizeRemoteStart': true } },
    async (p) => {
      const res = await states.authorizeRemote(p, 1, 42);
      assert.equal(res, { status: 'Accepted' });
      const started = await p.waitTx((r) => r.eventType === 'Started');
      assert.equal(
        [started.triggerReason, started.idToken, started.transactionInfo.remoteStartId],
        ['RemoteStart', TOKEN, 42],
      );
    },
  );
});

test('TC_E_11_CS E01.FR.04 E02.FR.14 TxStartPoint DataSigned: started by the first signed reading (SignedDataReceived, signed Transaction.Begin values), then ChargingStateChanged Charging', async () => {
  await withTxPair(
    { variables: { 'TxCtrlr.TxStartPoint': 'DataSigned', 'SampledDataCtrlr.SignReadings': true } },
    async (p) => {
      states.authorizeLocal(p, 1);
      await states.evConnected(p);
      p.readings.set(1, [{ value: 1500, signedMeterValue: signedValue }]);
      p.station.meterValues(1, [{ value: 1500, signedMeterValue: signedValue }]);
      const started = await p.waitTx((r) => r.eventType === 'Started');
      assert.equal(
        [started.triggerReason, started.idToken, started.evse],
        ['SignedDataReceived', TOKEN, { id: 1, connectorId: 1 }],
      );
      const sv = started.meterValue[0].sampledValue[0];
      assert.equal([sv.context, sv.signedMeterValue], ['Transaction.Begin', signedValue]);
      p.station.chargingStateChanged(1, 'Charging');
      const charging = await p.waitTx((r) => r.eventType === 'Updated');
      assert.equal(
        [charging.triggerReason, charging.transactionInfo.chargingState],
        ['ChargingStateChanged', 'Charging'],
      );
    },
  );
});

test('TC_E_12_CS E01.FR.01 TxStartPoint ParkingBayOccupancy: an EV drives into the bay: Started with EVDetected', async () => {
  await withTxPair({ variables: { 'TxCtrlr.TxStartPoint': 'ParkingBayOccupancy' } }, async (p) => {
    p.station.parkingBayOccupied(1);
    const started = await p.waitTx((r) => r.eventType === 'Started');
    assert.is(started.triggerReason, 'EVDetected');
  });
});

test('TC_E_03_CS E02.FR.01 E02.FR.05 E02.FR.06 E02.FR.07 E02.FR.13 E02.FR.15 E02.FR.16 E02.FR.17 cable plugged in first, local authorization, energy', async () => {
  await withTxPair({ variables: { 'TxCtrlr.TxStartPoint': 'EVConnected' } }, async (p) => {
    await states.evConnected(p); // E02.FR.05 StatusNotification Occupied
    await p.waitTx((r) => r.eventType === 'Started');
    states.authorizeLocal(p, 1);
    const auth = await p.waitTx((r) => r.triggerReason === 'Authorized');
    assert.equal([auth.eventType, auth.idToken, auth.seqNo], ['Updated', TOKEN, 1]);
    p.station.chargingStateChanged(1, 'Charging');
    const charging = await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging');
    assert.equal([charging.triggerReason, charging.seqNo, charging.idToken], ['ChargingStateChanged', 2, undefined]);
  });
});

test('TC_E_04_CS E03.FR.01 E03.FR.06 E03.FR.12 authorization first: Started with the idToken, then CablePluggedIn with evse and connector, then Charging', async () => {
  await withTxPair({ variables: { 'TxCtrlr.TxStartPoint': 'Authorized' } }, async (p) => {
    states.authorizeLocal(p, 1);
    const started = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal([started.idToken, started.evse], [TOKEN, { id: 1 }]);
    await states.evConnected(p);
    const plugged = await p.waitTx((r) => r.triggerReason === 'CablePluggedIn');
    assert.equal(
      [plugged.evse, plugged.transactionInfo.chargingState, plugged.idToken],
      [{ id: 1, connectorId: 1 }, 'EVConnected', undefined],
    );
    p.station.chargingStateChanged(1, 'Charging');
    await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging');
    assert.equal(
      p.tx().map((r) => r.seqNo),
      [0, 1, 2],
    );
  });
});

test('TC_E_05_CS E03.FR.05 authorization first, no cable within EVConnectionTimeOut: Ended EVConnectTimeout / Timeout; the EVSE then serves the next driver', async () => {
  await withTxPair(
    {
      manualClock: true,
      variables: {
        'TxCtrlr.TxStartPoint': 'Authorized',
        'TxCtrlr.TxStopPoint': 'Authorized',
        'TxCtrlr.EVConnectionTimeOut': 30,
      },
    },
    async (p) => {
      states.authorizeLocal(p, 1);
      await p.waitTx((r) => r.eventType === 'Started');
      await p.advance(30_000);
      const ended = await p.waitTx((r) => r.eventType === 'Ended');
      assert.equal([ended.triggerReason, ended.transactionInfo.stoppedReason], ['EVConnectTimeout', 'Timeout']);
      states.authorizeLocal(p, 1);
      await states.evConnected(p);
      p.station.chargingStateChanged(1, 'Charging');
      const again = await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging');
      assert.not.equal(again.transactionInfo.transactionId, ended.transactionInfo.transactionId);
    },
  );
});

test('TC_E_38_CS an EV not ready for energy: ChargingStateChanged SuspendedEV', async () => {
  await withTxPair({}, async (p) => {
    states.authorizeLocal(p, 1);
    await states.evConnected(p);
    await p.waitTx((r) => r.eventType === 'Started');
    p.station.chargingStateChanged(1, 'SuspendedEV');
    const e = await p.waitTx((r) => r.transactionInfo.chargingState === 'SuspendedEV');
    assert.is(e.triggerReason, 'ChargingStateChanged');
  });
});

test('TC_E_39_CS E06.FR.04 E06.FR.15 TxStopPoint Authorized: EVConnectionTimeOut deauthorizes: Ended EVConnectTimeout, Timeout; an EV plugged in afterwards gets no energy', async () => {
  await withTxPair(
    {
      manualClock: true,
      variables: {
        'TxCtrlr.TxStartPoint': 'Authorized',
        'TxCtrlr.TxStopPoint': 'Authorized',
        'TxCtrlr.EVConnectionTimeOut': 20,
      },
    },
    async (p) => {
      states.authorizeLocal(p, 1);
      await p.waitTx((r) => r.eventType === 'Started');
      await p.advance(20_000);
      const ended = await p.waitTx((r) => r.eventType === 'Ended');
      assert.equal([ended.triggerReason, ended.transactionInfo.stoppedReason], ['EVConnectTimeout', 'Timeout']);
      await states.evConnected(p);
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(!p.hw.some((h) => h.op === 'startCharging'), 'not charging');
    },
  );
});

/** Presents the idToken; resolves with the station's verdict (the public `authorization` event). */
function verdictOf(p: Parameters<Parameters<typeof withTxPair>[1]>[0], idToken = TOKEN): Promise<any> {
  return new Promise((resolve) => {
    const listener = (e: any) => {
      if (e.idToken.idToken !== idToken.idToken) return;
      p.station.off('authorization', listener);
      resolve(e);
    };
    p.station.on('authorization', listener);
    p.station.idTokenPresented(idToken, 1);
  });
}

test('TC_E_52_CS DisableRemoteAuthorization: an idToken neither in the cache nor in the local list is refused without an AuthorizeRequest; no transaction, no energy', async () => {
  await withTxPair(
    {
      variables: {
        'AuthCtrlr.Enabled': true,
        'AuthCtrlr.DisableRemoteAuthorization': true,
        'TxCtrlr.TxStartPoint': 'Authorized',
      },
    },
    async (p) => {
      const verdict = await verdictOf(p);
      assert.is.not(verdict.idTokenInfo.status, 'Accepted');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal([p.sent('Authorize').length, p.tx().length], [0, 0]);
      assert.ok(!p.hw.some((h) => h.op === 'startCharging'));
      // The setting is what kept the station from asking: with it off, the same idToken is asked of the CSMS.
      const set = await p.call('SetVariables', {
        setVariableData: [
          {
            component: { name: 'AuthCtrlr' },
            variable: { name: 'DisableRemoteAuthorization' },
            attributeValue: 'false',
          },
        ],
      });
      assert.is(set.setVariableResult[0].attributeStatus, 'Accepted');
      assert.is((await verdictOf(p)).idTokenInfo.status, 'Accepted');
      assert.is(p.sent('Authorize').length, 1);
    },
  );
});

test('E02.FR.08 transactionIds are never generated twice, also across a reboot on the same store', async () => {
  await withTxPair({ variables: { 'TxCtrlr.TxStartPoint': 'EVConnected' } }, async (p) => {
    const session = async () => {
      const before = p.tx().length;
      p.station.cablePlugged(1, 1);
      const started = await p.waitTx((r) => r.eventType === 'Started' && p.tx().indexOf(r) >= before);
      p.station.cableUnplugged(1, 1);
      await p.waitTx(
        (r) => r.eventType === 'Ended' && r.transactionInfo.transactionId === started.transactionInfo.transactionId,
      );
    };
    await session();
    await session();
    await p.restart();
    await session();
    await session();
    const ids = p
      .tx()
      .filter((r) => r.eventType === 'Started')
      .map((r) => r.transactionInfo.transactionId);
    assert.is(ids.length, 4);
    assert.is(new Set(ids).size, 4, ids.join(' '));
    assert.ok(ids.every((id) => typeof id === 'string' && id.length <= 36));
  });
});

test.run();
