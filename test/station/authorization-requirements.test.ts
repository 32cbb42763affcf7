// Block C requirements that show in what the whole station does (C with E over real sockets, the built-in CSMS, a
// real SQLite store): energy only after authorization, the start button, remote starts, and the 2.1 additions that
// need no payment terminal (EVConnectionTimeOut ending an authorization, prepaid NoCredit, stopping an ad hoc session).
import { test } from 'uvu';
import type { IdTokenType } from '../../generated/v201/types.js';
import * as assert from 'uvu/assert';
import { states, withTxPair, type TxPairOptions } from '../support/tx-pair.js';
import { allAfter, cOptions, EV_TIMEOUT_S, idle, mark, present, txAfter } from '../support/tc-c.js';

/** A 2.1 DirectPayment idToken (2.1 types IdTokenType.type as any IdTokenEnumStringType). */
const directPayment = (idToken: string) => ({ idToken, type: 'DirectPayment' }) as const;

const V21: Omit<TxPairOptions, 'variables'> = { csms: { versions: ['ocpp2.1'] }, station: { versions: ['ocpp2.1'] } };
const startedCharging = (p: { hw: Array<{ op: string }> }) => p.hw.filter((h) => h.op === 'startCharging').length;

test('C01.FR.01 C06.FR.01 C06.FR.03 energy is offered only after authorization (a Local idToken): the transaction starts at the cable, the energy at the authorization', async () => {
  await withTxPair(cOptions({ 'TxCtrlr.TxStartPoint': 'EVConnected' }), async (p) => {
    const LOCAL = { idToken: 'LOCAL-7', type: 'Local' as const };
    await states.evConnected(p);
    await p.waitTx((r) => r.eventType === 'Started' && r.triggerReason === 'CablePluggedIn');
    p.station.chargingStateChanged(1, 'Charging'); // an EV asking for energy is not given any
    await idle();
    assert.is(startedCharging(p), 0, 'no energy before authorization');
    assert.equal(
      await present(p, LOCAL, 1),
      [{ idToken: LOCAL }],
      'C06.FR.02/03: a Local idToken is sent to the CSMS, and nothing but the identifier',
    );
    const authorized = await p.waitTx((r) => r.triggerReason === 'Authorized');
    assert.equal(authorized.idToken, LOCAL);
    assert.is(startedCharging(p), 1);
  });
});

test('C02.FR.01 a start button: the TransactionEvent carries an idToken of type NoAuthorization with an empty idToken, and no AuthorizeRequest is sent', async () => {
  await withTxPair(cOptions(), async (p) => {
    await states.evConnected(p);
    const BUTTON = { idToken: '', type: 'NoAuthorization' as const };
    assert.equal(await present(p, BUTTON, 1), []);
    const started = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal(started.idToken, BUTTON);
    assert.is(startedCharging(p), 1);
  });
});

test('C05.FR.03 C05.FR.05 RequestStartTransaction with a Central idToken: the first TransactionEvent after it carries the remoteStartId and the idToken; no AuthorizeRequest (C05.FR.01)', async () => {
  await withTxPair(cOptions(), async (p) => {
    await states.evConnected(p);
    const CENTRAL = { idToken: 'APP-USER-1', type: 'Central' as const };
    const since = mark(p);
    const answer = await p.call('RequestStartTransaction', { idToken: CENTRAL, evseId: 1, remoteStartId: 4711 });
    assert.is(answer.status, 'Accepted');
    const first = await txAfter(p, since);
    assert.equal(
      [first.transactionInfo.remoteStartId, first.idToken, first.triggerReason],
      [4711, CENTRAL, 'RemoteStart'],
    );
    assert.equal(allAfter(p, 'Authorize', since), []);
  });
});

test('C01.FR.21 an idToken presented before an EVSE is chosen, allowed by the CSMS on EVSE 2 only: an EV on EVSE 1 gets nothing, an EV on EVSE 2 starts the transaction', async () => {
  const evses = [
    { id: 1, connectors: [{ id: 1 }] },
    { id: 2, connectors: [{ id: 1 }] },
  ];
  await withTxPair(cOptions({}, { evses }), async (p) => {
    p.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Accepted', evseId: [2] } }));
    assert.equal((await present(p)).length, 1, 'asked at the station-wide reader');
    await states.evConnected(p, 1);
    await idle();
    assert.equal([p.tx(), startedCharging(p)], [[], 0], 'EVSE 1 is not allowed');
    await states.evConnected(p, 2);
    const started = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal(started.evse.id, 2);
    assert.equal(p.hw.at(-1), { op: 'startCharging', args: [2, 1] });
  });
});

test('C01.FR.26 (2.1) an authorized idToken whose EV is not plugged in within EVConnectionTimeOut loses its authorization: a later EV gets no energy', async () => {
  await withTxPair(cOptions({}, V21), async (p) => {
    assert.equal((await present(p)).length, 1);
    await p.advance(EV_TIMEOUT_S * 1000);
    await states.evConnected(p);
    await idle();
    assert.is(startedCharging(p), 0);
    assert.equal(p.tx(), [], 'TxStartPoint PowerPathClosed: no transaction either');
  });
});

test('C17.FR.04 C17.FR.05 (2.1) a prepaid card: NoCredit gets no energy and no transaction; Accepted gets energy; neither stays in the cache', async () => {
  await withTxPair(cOptions({ 'AuthCtrlr.LocalPreAuthorize': true }, V21), async (p) => {
    const PREPAID = { idToken: 'PREPAID-1', type: 'ISO14443' as const };
    let status = 'NoCredit';
    // C17.FR.01/02: the CSMS sets cacheExpiryDateTime to now, so that every presentation asks for the balance.
    p.csms.respond('Authorize', () => ({ idTokenInfo: { status, cacheExpiryDateTime: new Date().toISOString() } }));
    await states.evConnected(p);
    assert.equal((await present(p, PREPAID, 1)).length, 1);
    await idle();
    assert.equal([p.tx(), startedCharging(p)], [[], 0], 'C17.FR.05: NoCredit: no energy');
    status = 'Accepted';
    assert.equal((await present(p, PREPAID, 1)).length, 1, 'not cached: asked again');
    const started = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal(started.idToken, PREPAID);
    assert.is(startedCharging(p), 1, 'C17.FR.04: energy offered');
  });
});

test('C20.FR.01 C16.FR.08 (2.1) an ad hoc (DirectPayment) session stopped by the driver ends StopAuthorized; a master pass ends a transaction with stoppedReason MasterPass', async () => {
  const MASTER = { idToken: 'MASTER-1', type: 'ISO14443' as const };
  await withTxPair(
    cOptions({ 'AuthCtrlr.MasterPassGroupId': 'MASTERPASS' }, { ...V21, groupOf: { [MASTER.idToken]: 'MASTERPASS' } }),
    async (p) => {
      const PSP = directPayment('PSP-REF-0001');
      await states.evConnected(p);
      await present(p, PSP, 1);
      await p.waitTx((r) => r.eventType === 'Started');
      let since = mark(p);
      states.authorizeLocal(p, 1, PSP);
      const ended = await txAfter(p, since, (r) => r.eventType === 'Ended');
      assert.equal([ended.triggerReason, ended.idToken], ['StopAuthorized', PSP]);
      states.evDisconnected(p);
      await idle();
      await states.evConnected(p);
      since = mark(p);
      await present(p, PSP, 1);
      await txAfter(p, since, (r) => r.eventType === 'Started');
      since = mark(p);
      await present(p, MASTER);
      const byMaster = await txAfter(p, since, (r) => r.eventType === 'Ended');
      assert.is(byMaster.transactionInfo.stoppedReason, 'MasterPass');
    },
  );
});

test('C20.FR.02 (2.1) an ad hoc (DirectPayment) transaction whose EV does not connect in time ends with triggerReason EVConnectTimeout', async () => {
  await withTxPair(cOptions({ 'TxCtrlr.TxStartPoint': 'Authorized' }, V21), async (p) => {
    const PSP = directPayment('PSP-REF-0002');
    await present(p, PSP);
    await p.waitTx((r) => r.eventType === 'Started');
    await p.advance(EV_TIMEOUT_S * 1000);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.equal([ended.triggerReason, ended.transactionInfo.stoppedReason], ['EVConnectTimeout', 'Timeout']);
  });
});

test.run();
