// Part 6 test cases of C12/C15 offline (a cached token, or an unknown one, starts a transaction while the CSMS is
// unreachable; the CSMS refuses the idToken once the queue is delivered: StopTxOnInvalidId, MaxEnergyOnInvalidId)
// against the built-in CSMS over real sockets, with a real SQLite store and the station's own blocks C, D and E.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, TOKEN, withTxPair, type TxPair } from '../support/tx-pair.js';
import {
  allAfter,
  cOptions,
  csmsBack,
  csmsGone,
  idle,
  idTokenCached,
  mark,
  present,
  txAfter,
} from '../support/tc-c.js';

const OFFLINE = {
  'AuthCacheCtrlr.Enabled': true,
  'AuthCtrlr.LocalPreAuthorize': true,
  'AuthCtrlr.LocalAuthorizeOffline': true,
};

/**
 * The token is cached as Accepted, the EV is connected, the CSMS goes away; the driver presents the token and energy
 * flows offline. The CSMS comes back, now refusing the token. Resolves with the log mark taken before the reconnection.
 */
async function offlineStartThenRefused(p: TxPair): Promise<number> {
  await idTokenCached(p);
  await states.evConnected(p);
  await csmsGone(p);
  assert.equal(await present(p, TOKEN, 1), [], 'offline: decided on the cache');
  p.station.chargingStateChanged(1, 'Charging');
  await idle();
  assert.equal(p.hw.at(-1), { op: 'startCharging', args: [1, 1] }, 'energy offered offline');
  p.csms.deny(TOKEN.idToken);
  const back = mark(p);
  await csmsBack(p);
  // The queue is emptied: the transaction's events, each marked offline.
  const authorized = await txAfter(p, back, (r) => r.triggerReason === 'Authorized');
  assert.equal([authorized.idToken, authorized.offline], [TOKEN, true]);
  const charging = await txAfter(
    p,
    back,
    (r) => r.triggerReason === 'ChargingStateChanged' && r.transactionInfo.chargingState === 'Charging',
  );
  assert.is(charging.offline, true);
  return back;
}

/** The meter (readMeter) reads `wh`, and the firmware says so. */
function meter(p: TxPair, wh: number): void {
  p.readings.set(1, [{ value: wh }]);
  p.station.meterValues(1, [{ value: wh }]);
}

const cacheOffline = (more: Record<string, string | number | boolean>) => cOptions({ ...OFFLINE, ...more });

test('TC_C_15_CS C15.FR.02 C15.FR.07 StopTxOnInvalidId false, MaxEnergyOnInvalidId 10000: after the CSMS refuses the idToken energy flows on until 10 kWh were delivered', async () => {
  await withTxPair(
    cacheOffline({
      'AuthCtrlr.OfflineTxForUnknownIdEnabled': true,
      'TxCtrlr.StopTxOnInvalidId': false,
      'TxCtrlr.MaxEnergyOnInvalidId': 10_000,
    }),
    async (p) => {
      p.readings.set(1, [{ value: 1_000 }]);
      const back = await offlineStartThenRefused(p);
      const refusedAt = mark(p);
      await idle(100);
      const after = allAfter(p, 'TransactionEvent', back);
      assert.ok(
        !after.some((r) => r.triggerReason === 'Deauthorized' || r.transactionInfo.chargingState === 'SuspendedEVSE'),
        'no Deauthorized, no SuspendedEVSE',
      );
      assert.ok(!p.hw.some((h) => h.op === 'stopCharging'), 'energy still offered');
      meter(p, 10_999);
      await idle();
      assert.ok(!p.hw.some((h) => h.op === 'stopCharging'), 'below MaxEnergyOnInvalidId');
      meter(p, 11_000);
      const suspended = await txAfter(p, refusedAt, (r) => r.transactionInfo.chargingState === 'SuspendedEVSE');
      assert.is(suspended.triggerReason, 'ChargingStateChanged');
      assert.equal(p.hw.at(-1), { op: 'stopCharging', args: [1] });
    },
  );
});

test('TC_C_16_CS C15.FR.02 C15.FR.04 C15.FR.05 StopTxOnInvalidId true: the transaction authorized offline ends Deauthorized / DeAuthorized; the cable stays locked until its owner comes back', async () => {
  await withTxPair(
    cacheOffline({ 'TxCtrlr.StopTxOnInvalidId': true, 'TxCtrlr.MaxEnergyOnInvalidId': 0 }),
    async (p) => {
      const back = await offlineStartThenRefused(p);
      const ended = await txAfter(p, back, (r) => r.eventType === 'Ended');
      assert.equal(
        [ended.triggerReason, ended.transactionInfo.stoppedReason, ended.offline ?? false],
        ['Deauthorized', 'DeAuthorized', false],
      );
      assert.equal(p.hw.at(-1), { op: 'stopCharging', args: [1] }, 'energy flow stops');
      assert.ok(!p.hw.some((h) => h.op === 'unlockConnector'), 'C15.FR.05: kept locked');
      states.authorizeLocal(p, 1); // the owner
      await idle();
      assert.equal(p.hw.at(-1), { op: 'unlockConnector', args: [1, 1] });
    },
  );
});

test('TC_C_17_CS C15.FR.02 C15.FR.06 StopTxOnInvalidId false, MaxEnergyOnInvalidId 0: energy stops at once, ChargingStateChanged SuspendedEVSE, the transaction goes on', async () => {
  await withTxPair(
    cacheOffline({
      'AuthCtrlr.OfflineTxForUnknownIdEnabled': true,
      'TxCtrlr.StopTxOnInvalidId': false,
      'TxCtrlr.MaxEnergyOnInvalidId': 0,
    }),
    async (p) => {
      const back = await offlineStartThenRefused(p);
      const suspended = await txAfter(p, back, (r) => r.transactionInfo.chargingState === 'SuspendedEVSE');
      assert.equal([suspended.eventType, suspended.triggerReason], ['Updated', 'ChargingStateChanged']);
      assert.equal(p.hw.at(-1), { op: 'stopCharging', args: [1] });
      assert.ok(
        !allAfter(p, 'TransactionEvent', back).some(
          (r) => r.eventType === 'Ended' || r.triggerReason === 'Deauthorized',
        ),
      );
    },
  );
});

test('TC_C_18_CS C15.FR.04 StopTxOnInvalidId true wins over MaxEnergyOnInvalidId 500: Deauthorized, sent online (offline false)', async () => {
  await withTxPair(
    cacheOffline({
      'AuthCtrlr.OfflineTxForUnknownIdEnabled': true,
      'TxCtrlr.StopTxOnInvalidId': true,
      'TxCtrlr.MaxEnergyOnInvalidId': 500,
    }),
    async (p) => {
      const back = await offlineStartThenRefused(p);
      const deauthorized = await txAfter(p, back, (r) => r.triggerReason === 'Deauthorized');
      assert.is(deauthorized.offline ?? false, false);
      assert.equal(p.hw.at(-1), { op: 'stopCharging', args: [1] });
    },
  );
});

test('C15.FR.03 StopTxOnInvalidId true, TxStopPoint EVConnected: the transaction authorized offline is deauthorized (Updated, Deauthorized, no energy) and goes on', async () => {
  await withTxPair(
    cacheOffline({ 'TxCtrlr.StopTxOnInvalidId': true, 'TxCtrlr.TxStopPoint': 'EVConnected' }),
    async (p) => {
      const back = await offlineStartThenRefused(p);
      const deauthorized = await txAfter(p, back, (r) => r.triggerReason === 'Deauthorized');
      assert.is(deauthorized.eventType, 'Updated');
      assert.ok(['EVConnected', 'SuspendedEVSE'].includes(deauthorized.transactionInfo.chargingState));
      assert.equal(p.hw.at(-1), { op: 'stopCharging', args: [1] });
    },
  );
});

test('TC_C_26_CS C15.FR.02 C15.FR.06 C15.FR.08 C13.FR.04 offline an unknown idToken starts a transaction (OfflineTxForUnknownIdEnabled); the CSMS refuses it: SuspendedEVSE; the same token ends it', async () => {
  const UNKNOWN = { idToken: 'NEVER-SEEN', type: 'ISO14443' as const };
  await withTxPair(
    cOptions({
      'LocalAuthListCtrlr.Enabled': true,
      'AuthCtrlr.LocalPreAuthorize': true,
      'AuthCtrlr.OfflineTxForUnknownIdEnabled': true,
      'AuthCtrlr.LocalAuthorizeOffline': true,
      'TxCtrlr.MaxEnergyOnInvalidId': 0,
      'TxCtrlr.StopTxOnInvalidId': false,
    }),
    async (p) => {
      // StartOfflineTransaction
      await states.evConnected(p);
      await csmsGone(p);
      assert.equal(await present(p, UNKNOWN, 1), []);
      p.station.chargingStateChanged(1, 'Charging');
      await idle();
      p.csms.deny(UNKNOWN.idToken);
      const back = mark(p);
      await csmsBack(p);
      const suspended = await txAfter(p, back, (r) => r.transactionInfo.chargingState === 'SuspendedEVSE');
      const queued = allAfter(p, 'TransactionEvent', back).filter((r) => r.seqNo < suspended.seqNo);
      assert.ok(
        queued.length >= 2 && queued.every((r) => r.offline === true),
        'C15.FR.02: every queued event, offline',
      );
      assert.equal(queued[0].idToken ?? queued.find((r) => r.idToken)?.idToken, UNKNOWN);
      assert.is(suspended.triggerReason, 'ChargingStateChanged');
      const stop = mark(p);
      states.authorizeLocal(p, 1, UNKNOWN);
      const stopped = await txAfter(p, stop, (r) => r.triggerReason === 'StopAuthorized');
      assert.equal(stopped.idToken, UNKNOWN);
      assert.equal(allAfter(p, 'Authorize', back), [], 'the token that started it ends it without an AuthorizeRequest');
    },
  );
});

test.run();
