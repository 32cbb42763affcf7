// Part 6 test cases of C01 (a different idToken during a transaction), C09 (authorization by GroupId) and C16 (master
// pass) against the built-in CSMS over real sockets, with a real SQLite store and the station's own blocks C, D and E.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, TOKEN, withTxPair, type TxPair } from '../support/tx-pair.js';
import type { MasterPassTransaction } from '../../runtime/station/C-authorization/authorization.js';
import { allAfter, cOptions, idle, idTokenCached, localList, mark, present, tok, txAfter } from '../support/tc-c.js';

const A = tok('GROUP-A');
const B = tok('GROUP-B');
const FAMILY = { idToken: 'FAMILY', type: 'Central' as const };

/** The CSMS's answers: A and B in the group FAMILY; B's status as given (Authorize and TransactionEvent). */
function csmsKnowsGroup(p: TxPair, bStatus: 'Accepted' | 'Invalid' = 'Accepted'): void {
  const info = (t: { idToken: string } | undefined) =>
    t?.idToken === A.idToken
      ? { status: 'Accepted', groupIdToken: FAMILY }
      : t?.idToken === B.idToken
        ? { status: bStatus, groupIdToken: FAMILY }
        : { status: 'Accepted' };
  p.csms.respond('Authorize', (req: any) => ({ idTokenInfo: info(req.idToken) }));
  p.csms.respond('TransactionEvent', (req: any) => (req.idToken ? { idTokenInfo: info(req.idToken) } : {}));
}

/** EVConnectedPreSession, then the driver with `idToken` starts charging; resolves with the transactionId. */
async function charging(p: TxPair, idToken = A, evseId = 1): Promise<string> {
  await states.evConnected(p, evseId);
  await present(p, idToken, evseId);
  const started = await p.waitTx((r) => r.eventType === 'Started' && r.evse?.id === evseId);
  assert.equal([started.triggerReason, started.idToken], ['Authorized', idToken]);
  const id = started.transactionInfo.transactionId;
  p.station.chargingStateChanged(evseId, 'Charging');
  await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging' && r.transactionInfo.transactionId === id);
  return id;
}

/** Nothing ends or deauthorizes the transaction, and energy keeps flowing. */
async function notStopped(p: TxPair, since: number): Promise<void> {
  await idle(100);
  assert.equal(
    allAfter(p, 'TransactionEvent', since).filter((r) => r.idToken || r.eventType === 'Ended'),
    [],
  );
  assert.ok(!p.hw.some((h) => h.op === 'stopCharging'), 'energy keeps flowing');
}

test('TC_C_04_CS C01.FR.02 C01.FR.03 a different idToken (accepted, no group) does not stop the transaction; the starting one does, without an AuthorizeRequest', async () => {
  await withTxPair(cOptions(), async (p) => {
    await charging(p, TOKEN);
    const since = mark(p);
    const OTHER = tok('SOMEONE-ELSE');
    assert.equal(await present(p, OTHER, 1), [{ idToken: OTHER }], 'C01.FR.02: not known locally: asked');
    await notStopped(p, since);
    const stop = mark(p);
    states.authorizeLocal(p, 1, TOKEN);
    const ended = await txAfter(p, stop, (r) => r.eventType === 'Ended');
    assert.equal([ended.triggerReason, ended.idToken], ['StopAuthorized', TOKEN]);
    assert.equal(allAfter(p, 'Authorize', stop), [], 'C01.FR.03: no AuthorizeRequest for the starting idToken');
  });
});

test('TC_C_39_CS C09.FR.02 C09.FR.03 C09.FR.05 another valid idToken of the same group, not known locally, is sent to the CSMS and stops the transaction', async () => {
  await withTxPair(cOptions(), async (p) => {
    csmsKnowsGroup(p);
    await charging(p);
    const since = mark(p);
    assert.equal(await present(p, B, 1), [{ idToken: B }]);
    const ended = await txAfter(p, since, (r) => r.triggerReason === 'StopAuthorized');
    assert.equal(ended.idToken, B);
  });
});

test('TC_C_40_CS C09.FR.03 C09.FR.07 two tokens of one group on the local list: the second stops the transaction without an AuthorizeRequest (Updated, StopAuthorized)', async () => {
  await withTxPair(
    cOptions({
      'LocalAuthListCtrlr.Enabled': true,
      'AuthCtrlr.LocalPreAuthorize': true,
      'TxCtrlr.TxStopPoint': 'EVConnected',
    }),
    async (p) => {
      csmsKnowsGroup(p);
      await localList(
        p,
        [A, B].map((idToken) => ({ idToken, idTokenInfo: { status: 'Accepted' as const, groupIdToken: FAMILY } })),
      );
      await charging(p);
      const since = mark(p);
      assert.equal(allAfter(p, 'Authorize', 0), [], 'A from the list');
      assert.equal(await present(p, B, 1), []);
      const stopped = await txAfter(p, since, (r) => r.triggerReason === 'StopAuthorized');
      assert.equal([stopped.eventType, stopped.idToken], ['Updated', B]);
      assert.equal(p.hw.at(-1), { op: 'stopCharging', args: [1] });
    },
  );
});

test('TC_C_41_CS C09.FR.03 C09.FR.07 two tokens of one group in the cache: the second stops the transaction without an AuthorizeRequest', async () => {
  await withTxPair(cOptions({ 'AuthCacheCtrlr.Enabled': true, 'AuthCtrlr.LocalPreAuthorize': true }), async (p) => {
    csmsKnowsGroup(p);
    await idTokenCached(p, A);
    await idTokenCached(p, B);
    const asked = allAfter(p, 'Authorize', 0).length;
    await charging(p);
    const since = mark(p);
    assert.equal(await present(p, B, 1), []);
    const stopped = await txAfter(p, since, (r) => r.triggerReason === 'StopAuthorized');
    assert.equal(stopped.idToken, B);
    assert.is(allAfter(p, 'Authorize', 0).length, asked, 'both decided on the cache');
  });
});

test('TC_C_42_CS C09.FR.11 a token of the same group that the CSMS answers Invalid does not stop the transaction', async () => {
  await withTxPair(cOptions(), async (p) => {
    csmsKnowsGroup(p, 'Invalid');
    await charging(p);
    const since = mark(p);
    assert.equal(await present(p, B, 1), [{ idToken: B }]);
    await notStopped(p, since);
  });
});

test('TC_C_43_CS C09.FR.04 C09.FR.11 C14.FR.03 the group member listed as Invalid is sent to the CSMS; Invalid there too: the transaction goes on', async () => {
  await withTxPair(cOptions({ 'LocalAuthListCtrlr.Enabled': true, 'AuthCtrlr.LocalPreAuthorize': true }), async (p) => {
    csmsKnowsGroup(p, 'Invalid');
    await localList(p, [
      { idToken: A, idTokenInfo: { status: 'Accepted', groupIdToken: FAMILY } },
      { idToken: B, idTokenInfo: { status: 'Invalid', groupIdToken: FAMILY } },
    ]);
    await charging(p);
    const since = mark(p);
    assert.equal(await present(p, B, 1), [{ idToken: B }]);
    await notStopped(p, since);
  });
});

test('TC_C_44_CS C09.FR.04 C09.FR.11 C12.FR.05 the group member cached as Invalid is sent to the CSMS; Invalid there too: the transaction goes on', async () => {
  await withTxPair(
    cOptions({
      'AuthCacheCtrlr.Enabled': true,
      'AuthCtrlr.LocalPreAuthorize': true,
      'AuthCacheCtrlr.DisablePostAuthorize': false,
    }),
    async (p) => {
      csmsKnowsGroup(p, 'Invalid');
      await idTokenCached(p, A);
      await idTokenCached(p, B);
      await charging(p);
      const since = mark(p);
      assert.equal(await present(p, B, 1), [{ idToken: B }]);
      await notStopped(p, since);
    },
  );
});

test('TC_C_49_CS C16.FR.02 C16.FR.03 a master pass at a station without UI: AuthorizeRequest, then every transaction ends with stoppedReason MasterPass', async () => {
  const MASTER = tok('MASTER-1');
  const evses = [
    { id: 1, connectors: [{ id: 1 }] },
    { id: 2, connectors: [{ id: 1 }] },
  ];
  await withTxPair(
    cOptions({ 'AuthCtrlr.MasterPassGroupId': 'MASTERPASS' }, { evses, groupOf: { [MASTER.idToken]: 'MASTERPASS' } }),
    async (p) => {
      const ids = [await charging(p, A, 1), await charging(p, B, 2)];
      const since = mark(p);
      assert.equal(await present(p, MASTER), [{ idToken: MASTER }]);
      const ended = await Promise.all(
        ids.map((id) => txAfter(p, since, (r) => r.eventType === 'Ended' && r.transactionInfo.transactionId === id)),
      );
      for (const e of ended)
        assert.equal(
          [e.triggerReason, e.transactionInfo.stoppedReason, e.idToken],
          ['StopAuthorized', 'MasterPass', MASTER],
        );
      assert.equal(
        allAfter(p, 'TransactionEvent', since).filter((r) => r.eventType === 'Started'),
        [],
        'C16.FR.03: the master pass starts nothing',
      );
    },
  );
});

/** The master pass UI (C16.FR.01): records what it was shown and answers with `choose`'s transactionIds. */
function masterPassUi(choose: (shown: MasterPassTransaction[]) => string[]) {
  const shown: MasterPassTransaction[][] = [];
  return {
    shown,
    hardware: {
      masterPassSelect: async (transactions: MasterPassTransaction[]) => {
        shown.push(transactions);
        return choose(transactions);
      },
    },
  };
}

const TWO_EVSES = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];
const MASTER = tok('MASTER-1');
const withMasterPassUi = (ui: ReturnType<typeof masterPassUi>) =>
  cOptions(
    { 'AuthCtrlr.MasterPassGroupId': 'MASTERPASS' },
    { evses: TWO_EVSES, groupOf: { [MASTER.idToken]: 'MASTERPASS' }, station: { hardware: ui.hardware } },
  );

test('TC_C_47_CS C16.FR.01 C16.FR.03 C16.FR.07 a master pass at a station with UI: AuthorizeRequest, the UI lists every transaction, the user stops all: each ends with stoppedReason MasterPass', async () => {
  const ui = masterPassUi((shown) => shown.map((t) => t.transactionId));
  await withTxPair(withMasterPassUi(ui), async (p) => {
    const ids = [await charging(p, A, 1), await charging(p, B, 2)];
    const since = mark(p);
    assert.equal(await present(p, MASTER), [{ idToken: MASTER }]);
    const ended = await Promise.all(
      ids.map((id) => txAfter(p, since, (r) => r.eventType === 'Ended' && r.transactionInfo.transactionId === id)),
    );
    assert.equal(ui.shown, [
      [
        { evseId: 1, transactionId: ids[0] },
        { evseId: 2, transactionId: ids[1] },
      ],
    ]);
    for (const e of ended)
      assert.equal(
        [e.triggerReason, e.transactionInfo.stoppedReason, e.idToken],
        ['StopAuthorized', 'MasterPass', MASTER],
      );
    assert.equal(
      allAfter(p, 'TransactionEvent', since).filter((r) => r.eventType === 'Started'),
      [],
      'C16.FR.03: the master pass starts nothing',
    );
  });
});

test('TC_C_48_CS C16.FR.01 C16.FR.07 C16.FR.08 a master pass at a station with UI, the user stops the transaction on EVSE 1: it ends with stoppedReason MasterPass, EVSE 2 still transfers energy', async () => {
  const ui = masterPassUi((shown) => shown.filter((t) => t.evseId === 1).map((t) => t.transactionId));
  await withTxPair(withMasterPassUi(ui), async (p) => {
    const [first, second] = [await charging(p, A, 1), await charging(p, B, 2)];
    const since = mark(p);
    await present(p, MASTER);
    const ended = await txAfter(p, since, (r) => r.eventType === 'Ended');
    assert.equal(
      [ended.transactionInfo.transactionId, ended.triggerReason, ended.transactionInfo.stoppedReason, ended.idToken],
      [first, 'StopAuthorized', 'MasterPass', MASTER],
    );
    // Post scenario: the other transaction runs on, energy flowing. A triggered TransactionEvent is answered only for
    // a running transaction (F06.FR.10) and comes after anything already queued for it.
    assert.equal(await p.call('TriggerMessage', { requestedMessage: 'TransactionEvent', evse: { id: 2 } }), {
      status: 'Accepted',
    });
    const triggered = await txAfter(p, since, (r) => r.triggerReason === 'Trigger');
    assert.equal(
      [triggered.eventType, triggered.transactionInfo.transactionId, triggered.transactionInfo.chargingState],
      ['Updated', second, 'Charging'],
    );
    assert.not.ok(
      allAfter(p, 'TransactionEvent', since).some(
        (r) => r.eventType === 'Ended' && r.transactionInfo.transactionId === second,
      ),
    );
    assert.not.ok(
      p.hw.some((h) => h.op === 'stopCharging' && h.args[0] === 2),
      'energy keeps flowing on EVSE 2',
    );
  });
});

test.run();
