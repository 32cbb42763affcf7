// Part 6 test cases of C13/C14 (authorization through the local authorization list, online and offline) against the
// built-in CSMS over real sockets, with a real SQLite store and the station's own blocks C, D and E.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AuthorizationStatusEnumType } from '../../generated/v201/types.js';
import { states, TOKEN, withTxPair } from '../support/tx-pair.js';
import {
  allAfter,
  cOptions,
  csmsBack,
  csmsGone,
  idle,
  idTokenCached,
  localList,
  mark,
  present,
  txAfter,
} from '../support/tc-c.js';

const LIST = { 'LocalAuthListCtrlr.Enabled': true, 'AuthCtrlr.LocalPreAuthorize': true };
const OFFLINE_LIST = {
  ...LIST,
  'AuthCtrlr.OfflineTxForUnknownIdEnabled': false,
  'AuthCtrlr.LocalAuthorizeOffline': true,
};
const listed = (status: AuthorizationStatusEnumType) => [{ idToken: TOKEN, idTokenInfo: { status } }];

test('TC_C_21_CS C13.FR.02 offline a token listed as Accepted starts a transaction; the queued events (offline) and the StopAuthorized reach the CSMS once it is back', async () => {
  await withTxPair(cOptions(OFFLINE_LIST), async (p) => {
    await localList(p, listed('Accepted'));
    // StartOfflineTransaction
    await states.evConnected(p);
    await csmsGone(p);
    assert.equal(await present(p, TOKEN, 1), []);
    p.station.chargingStateChanged(1, 'Charging');
    await idle();
    assert.equal(p.hw.at(-1), { op: 'startCharging', args: [1, 1] });
    // The driver ends it and drives off, still offline.
    states.authorizeLocal(p, 1);
    states.evDisconnected(p);
    await idle();
    const back = mark(p);
    await csmsBack(p);
    const stop = await txAfter(p, back, (r) => r.triggerReason === 'StopAuthorized');
    const before = allAfter(p, 'TransactionEvent', back).filter((r) => r.seqNo < stop.seqNo);
    assert.ok(
      before.length >= 1 && before.every((r) => r.offline === true),
      'the messages before the StopAuthorized are offline',
    );
    assert.equal(before[0].idToken, TOKEN);
  });
});

/** Offline, a listed token that is not Accepted: the transaction the parking bay started (EVDetected) gets no authorization. */
const refusedOffline = (status: AuthorizationStatusEnumType) => () =>
  withTxPair(cOptions({ ...OFFLINE_LIST, 'TxCtrlr.TxStartPoint': 'ParkingBayOccupancy' }), async (p) => {
    await localList(p, listed(status));
    await csmsGone(p);
    p.station.parkingBayOccupied(1);
    assert.equal(await present(p, TOKEN, 1), [], 'offline: no AuthorizeRequest');
    const back = mark(p);
    await csmsBack(p);
    const detected = await txAfter(p, back, (r) => r.eventType === 'Started');
    assert.equal([detected.triggerReason, detected.offline], ['EVDetected', true]);
    await idle(100);
    assert.ok(
      !allAfter(p, 'TransactionEvent', back).some((r) => r.idToken || r.triggerReason === 'Authorized'),
      'the token authorizes nothing',
    );
    assert.ok(!p.hw.some((h) => h.op === 'startCharging'));
  });

test(
  'TC_C_22_CS C13.FR.02 offline a token listed as Invalid is refused: the transaction started by the parking bay (EVDetected, offline) gets no authorization',
  refusedOffline('Invalid'),
);
test(
  'TC_C_23_CS C13.FR.02 offline a token listed as Blocked is refused: the transaction started by the parking bay (EVDetected, offline) gets no authorization',
  refusedOffline('Blocked'),
);
test(
  'TC_C_24_CS C13.FR.02 offline a token listed as Expired is refused: the transaction started by the parking bay (EVDetected, offline) gets no authorization',
  refusedOffline('Expired'),
);

test('TC_C_25_CS C13.FR.01 C14.FR.01 offline the local list (Invalid) decides over the cache (Accepted): no transaction', async () => {
  await withTxPair(
    cOptions({
      ...OFFLINE_LIST,
      'AuthCacheCtrlr.Enabled': true,
      'AuthCtrlr.OfflineTxForUnknownIdEnabled': true,
      'TxCtrlr.StopTxOnInvalidId': false,
    }),
    async (p) => {
      await idTokenCached(p); // cached Accepted
      await localList(p, listed('Invalid'));
      await states.evConnected(p);
      await csmsGone(p);
      assert.equal(await present(p, TOKEN, 1), []);
      const back = mark(p);
      await csmsBack(p);
      await idle(100);
      assert.equal(allAfter(p, 'TransactionEvent', back), [], 'no transaction');
      assert.ok(!p.hw.some((h) => h.op === 'startCharging'));
    },
  );
});

test('TC_C_27_CS C14.FR.02 online a token listed as Accepted: no AuthorizeRequest, TransactionEvent Authorized with the idToken, then energy', async () => {
  await withTxPair(cOptions({ ...LIST, 'TxCtrlr.TxStartPoint': 'Authorized' }), async (p) => {
    await localList(p, listed('Accepted'));
    assert.equal(await present(p), []);
    const first = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal([first.triggerReason, first.idToken], ['Authorized', TOKEN]);
    await states.evConnected(p);
    p.station.chargingStateChanged(1, 'Charging');
    await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging');
    assert.equal(p.hw.filter((h) => h.op === 'startCharging').length, 1);
  });
});

test('TC_C_31_CS C14.FR.03 online a token listed as Invalid that the CSMS accepts: AuthorizeRequest, then the transaction and energy', async () => {
  await withTxPair(cOptions({ ...LIST, 'LocalAuthListCtrlr.DisablePostAuthorize': false }), async (p) => {
    await localList(p, listed('Invalid'));
    await states.evConnected(p);
    assert.equal(await present(p, TOKEN, 1), [{ idToken: TOKEN }]);
    const first = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal([first.triggerReason, first.idToken], ['Authorized', TOKEN]);
    p.station.chargingStateChanged(1, 'Charging');
    await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging');
    assert.equal(p.hw.filter((h) => h.op === 'startCharging').length, 1);
  });
});

test.run();
