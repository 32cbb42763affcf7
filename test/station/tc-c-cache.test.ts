// Part 6 test cases of C10 and C12 (the authorization cache) against the built-in CSMS over real sockets, with a
// real SQLite store and the station's own blocks C, D and E: what goes on the wire, and when energy is offered.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, TOKEN, withTxPair } from '../support/tx-pair.js';
import {
  allAfter,
  sentAfter,
  cOptions,
  idTokenCached,
  mark,
  plugged,
  present,
  tok,
  txAfter,
  unplugged,
} from '../support/tc-c.js';

const PRE = { 'AuthCacheCtrlr.Enabled': true, 'AuthCtrlr.LocalPreAuthorize': true };
const started = (p: { hw: Array<{ op: string }> }) => p.hw.filter((h) => h.op === 'startCharging').length;

test('TC_C_08_CS C12.FR.02 C12.FR.04 a token cached as Accepted: no AuthorizeRequest, TransactionEvent with the idToken, energy offered to the connected EV', async () => {
  await withTxPair(cOptions(PRE), async (p) => {
    await idTokenCached(p);
    await states.evConnected(p);
    const asked = await present(p, TOKEN, 1);
    assert.equal(asked, [], 'C12.FR.02: decided on the cache');
    const first = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal([first.triggerReason, first.idToken], ['Authorized', TOKEN]);
    assert.equal(p.hw.at(-1), { op: 'startCharging', args: [1, 1] }, 'C12.FR.04: energy offered');
    p.station.chargingStateChanged(1, 'Charging');
    await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging');
  });
});

test('TC_C_12_CS C12.FR.05 C10.FR.03 a token cached as Invalid that the CSMS now accepts: AuthorizeRequest, then the transaction and energy', async () => {
  await withTxPair(cOptions({ ...PRE, 'AuthCacheCtrlr.DisablePostAuthorize': false }), async (p) => {
    p.csms.deny(TOKEN.idToken);
    await idTokenCached(p); // cached as Invalid
    p.csms.allow(TOKEN.idToken);
    await states.evConnected(p);
    assert.equal(await present(p, TOKEN, 1), [{ idToken: TOKEN }]);
    const first = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal([first.triggerReason, first.idToken], ['Authorized', TOKEN]);
    assert.is(started(p), 1);
  });
});

test('TC_C_13_CS C12.FR.02 C12.FR.04 cached Accepted, cable not connected yet: TransactionEvent Authorized at once, energy only once the EV is plugged in', async () => {
  await withTxPair(cOptions({ ...PRE, 'TxCtrlr.TxStartPoint': 'Authorized' }), async (p) => {
    await idTokenCached(p);
    const asked = await present(p);
    assert.equal(asked, []);
    const first = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal([first.triggerReason, first.idToken], ['Authorized', TOKEN]);
    assert.is(started(p), 0, 'no cable: no energy');
    await states.evConnected(p);
    await p.waitTx((r) => r.triggerReason === 'CablePluggedIn');
    assert.is(started(p), 1);
  });
});

test('TC_C_14_CS C12.FR.09 C16.FR.03 C16.FR.04 a master pass in the cache: no AuthorizeRequest, the running transaction ends StopAuthorized with the master pass, stoppedReason MasterPass', async () => {
  const MASTER = tok('MASTER-1');
  await withTxPair(
    cOptions({ ...PRE, 'AuthCtrlr.MasterPassGroupId': 'MASTERPASS' }, { groupOf: { [MASTER.idToken]: 'MASTERPASS' } }),
    async (p) => {
      await idTokenCached(p, MASTER); // C12.FR.09, C16.FR.03: refused for a start, cached
      assert.equal(p.tx(), [], 'a master pass starts nothing');
      await states.energyTransferStarted(p);
      assert.equal(await present(p, MASTER, 1), [], 'C16.FR.04: decided on the cache');
      const ended = await p.waitTx((r) => r.eventType === 'Ended');
      assert.equal(
        [ended.triggerReason, ended.idToken, ended.transactionInfo.stoppedReason],
        ['StopAuthorized', MASTER, 'MasterPass'],
      );
    },
  );
});

test('TC_C_32_CS C10.FR.02 the cache survives a reboot: the cached token is authorized without an AuthorizeRequest (TransactionEvent Authorized with the idToken)', async () => {
  await withTxPair(cOptions({ ...PRE, 'TxCtrlr.TxStartPoint': 'Authorized' }), async (p) => {
    await idTokenCached(p);
    const reboot = mark(p);
    await p.restart();
    await sentAfter(p, 'BootNotification', reboot);
    await sentAfter(p, 'StatusNotification', reboot, (r) => r.connectorStatus === 'Available');
    assert.equal(await present(p), []);
    const first = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal([first.triggerReason, first.idToken], ['Authorized', TOKEN]);
  });
});

test('TC_C_33_CS C10.FR.04 C12.FR.06 the AuthorizeResponse is cached: the next session starts on the cache, and the CSMS answer in the TransactionEventResponse updates it', async () => {
  await withTxPair(cOptions({ ...PRE, 'LocalAuthListCtrlr.Enabled': true }), async (p) => {
    await states.evConnected(p);
    assert.equal(await present(p, TOKEN, 1), [{ idToken: TOKEN }]);
    const first = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal([first.triggerReason, first.idToken], ['Authorized', TOKEN]);
    p.station.chargingStateChanged(1, 'Charging');
    const stop = mark(p);
    states.authorizeLocal(p, 1); // the driver ends the session
    await txAfter(p, stop, (r) => r.eventType === 'Ended');
    await unplugged(p);
    // Second session: cached Accepted (C10.FR.04), so no AuthorizeRequest; the CSMS now answers Invalid.
    p.csms.deny(TOKEN.idToken);
    await plugged(p);
    const again = mark(p);
    assert.equal(await present(p, TOKEN, 1), []);
    const second = await txAfter(p, again, (r) => r.eventType === 'Started');
    assert.equal([second.triggerReason, second.idToken], ['Authorized', TOKEN]);
    await txAfter(p, again, (r) => r.triggerReason === 'Deauthorized');
    // C12.FR.06: the cache now holds Invalid: the token is checked with the CSMS (C12.FR.05).
    await unplugged(p);
    assert.equal(await present(p), [{ idToken: TOKEN }]);
  });
});

test('TC_C_34_CS C10.FR.05 C12.FR.06 the TransactionEventResponse updates the cache: Invalid there, the next presentation is sent to the CSMS', async () => {
  await withTxPair(cOptions({ ...PRE, 'LocalAuthListCtrlr.Enabled': true }), async (p) => {
    await idTokenCached(p);
    p.csms.deny(TOKEN.idToken); // the CSMS knows better than the cache
    await states.evConnected(p);
    assert.equal(await present(p, TOKEN, 1), []);
    const first = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal([first.triggerReason, first.idToken], ['Authorized', TOKEN]);
    await p.waitTx((r) => r.triggerReason === 'Deauthorized');
    await unplugged(p);
    await plugged(p);
    const again = mark(p);
    assert.equal(await present(p, TOKEN, 1), [{ idToken: TOKEN }], 'step 7: AuthorizeRequest');
    assert.equal(
      allAfter(p, 'TransactionEvent', again).filter((r) => r.eventType === 'Started'),
      [],
      'refused again: no second transaction',
    );
  });
});

test.run();
