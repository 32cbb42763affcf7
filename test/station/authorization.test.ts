// Block C Part 6 test cases against the built-in CSMS over real sockets, with a real SQLite file. The token is
// presented at the station and the stand-in for block E asks C, as E does; these cases check what C sends and
// decides (the transactions that follow an Accepted verdict are block E's test cases).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../runtime/queue/clock.js';
import { token } from '../support/authorization-driver.js';
import { withAuthPair as withStation, type AuthPair } from '../support/authorization-pair.js';

const VALID = token('04A1B2C3D4');
const OTHER = token('04FFEE0011');

/** Presents the token and checks that the station sent an AuthorizeRequest with it (and only it). */
async function askedCsms(a: AuthPair, idToken: typeof VALID, evseId?: number) {
  const mark = a.mark();
  const verdict = await a.present(idToken, evseId);
  assert.equal((await a.next('Authorize', mark)).request, { idToken });
  return verdict;
}

/** Presents the token and checks that the verdict came without an AuthorizeRequest. */
async function decidedLocally(a: AuthPair, idToken: typeof VALID, evseId?: number) {
  const mark = a.mark();
  const verdict = await a.present(idToken, evseId);
  assert.equal(a.sentSince('Authorize', mark), []);
  return verdict;
}

/** Local start; the CSMS refuses: AuthorizeRequest with the token, then no authorization and no transaction. */
const refusedByCsms = (status: 'Invalid' | 'Blocked' | 'Expired' | 'Unknown') => () =>
  withStation({}, async (a) => {
    a.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status } }));
    const mark = a.mark();
    assert.is((await askedCsms(a, VALID, 1)).idTokenInfo.status, status);
    assert.equal(a.sentSince('TransactionEvent', mark), []);
  });

test(
  'TC_C_02_CS TC_C_05_CS C01.FR.02 local start, the CSMS answers Invalid: no authorization, no transaction',
  refusedByCsms('Invalid'),
);
test(
  'TC_C_06_CS C01.FR.02 local start, the CSMS answers Blocked: no authorization, no transaction',
  refusedByCsms('Blocked'),
);
test(
  'TC_C_07_CS C01.FR.02 local start, the CSMS answers Expired: no authorization, no transaction',
  refusedByCsms('Expired'),
);
test(
  'TC_C_56_CS C01.FR.02 local start, the CSMS answers Unknown: no authorization, no transaction',
  refusedByCsms('Unknown'),
);

/** A token cached with a status other than Accepted is checked with an AuthorizeRequest (C12.FR.05, C10.FR.03). */
const cachedChecked = (status: 'Invalid' | 'Blocked' | 'Expired') => () =>
  withStation(
    { station: { variables: { 'AuthCacheCtrlr.Enabled': true, 'AuthCtrlr.LocalPreAuthorize': true } } },
    async (a) => {
      a.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status } }));
      await a.present(VALID); // IdTokenCached with that status
      assert.is((await askedCsms(a, VALID, 1)).idTokenInfo.status, status);
    },
  );

test(
  'TC_C_09_CS C12.FR.05 C10.FR.03 a token cached as Invalid is checked with an AuthorizeRequest',
  cachedChecked('Invalid'),
);
test(
  'TC_C_10_CS C12.FR.05 C10.FR.03 a token cached as Blocked is checked with an AuthorizeRequest',
  cachedChecked('Blocked'),
);
test(
  'TC_C_11_CS C12.FR.05 C10.FR.03 a token cached as Expired is checked with an AuthorizeRequest',
  cachedChecked('Expired'),
);

test('TC_C_57_CS C10.FR.03 with AuthCacheCtrlr.DisablePostAuthorize a token cached as Invalid is refused without an AuthorizeRequest', () =>
  withStation(
    { station: { variables: { 'AuthCtrlr.LocalPreAuthorize': true, 'AuthCacheCtrlr.DisablePostAuthorize': true } } },
    async (a) => {
      a.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Invalid' } }));
      await a.present(VALID);
      const verdict = await decidedLocally(a, VALID, 1);
      assert.equal([verdict.idTokenInfo.status, verdict.source], ['Invalid', 'cache']);
    },
  ));

test('TC_C_36_CS with LocalPreAuthorize false a cached valid token is sent to the CSMS, which refuses it', () =>
  withStation(
    { station: { variables: { 'AuthCacheCtrlr.Enabled': true, 'AuthCtrlr.LocalPreAuthorize': false } } },
    async (a) => {
      await a.present(VALID); // cached Accepted
      a.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Invalid' } }));
      assert.is((await askedCsms(a, VALID, 1)).idTokenInfo.status, 'Invalid');
    },
  ));

/** A token on the local list with a status other than Accepted is sent to the CSMS (C14.FR.03). */
const listedChecked = (status: 'Invalid' | 'Blocked' | 'Expired') => () =>
  withStation(
    { station: { variables: { 'LocalAuthListCtrlr.Enabled': true, 'AuthCtrlr.LocalPreAuthorize': true } } },
    async (a) => {
      assert.equal(
        await a.call('SendLocalList', {
          versionNumber: 1,
          updateType: 'Full',
          localAuthorizationList: [{ idToken: VALID, idTokenInfo: { status } }],
        }),
        { status: 'Accepted' },
      );
      a.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status } }));
      assert.is((await askedCsms(a, VALID, 1)).idTokenInfo.status, status);
    },
  );

test('TC_C_28_CS C14.FR.03 a token on the local list as Invalid is sent to the CSMS', listedChecked('Invalid'));
test('TC_C_29_CS C14.FR.03 a token on the local list as Blocked is sent to the CSMS', listedChecked('Blocked'));
test('TC_C_30_CS C14.FR.03 a token on the local list as Expired is sent to the CSMS', listedChecked('Expired'));

test('TC_C_58_CS C14.FR.03 with LocalAuthListCtrlr.DisablePostAuthorize a listed Invalid token is refused without an AuthorizeRequest', () =>
  withStation(
    {
      station: { variables: { 'AuthCtrlr.LocalPreAuthorize': true, 'LocalAuthListCtrlr.DisablePostAuthorize': true } },
    },
    async (a) => {
      await a.call('SendLocalList', {
        versionNumber: 1,
        updateType: 'Full',
        localAuthorizationList: [{ idToken: VALID, idTokenInfo: { status: 'Invalid' } }],
      });
      const verdict = await decidedLocally(a, VALID, 1);
      assert.equal([verdict.idTokenInfo.status, verdict.source], ['Invalid', 'localList']);
    },
  ));

test('C14.FR.02 C12.FR.02 with LocalPreAuthorize a token on the list or in the cache as Accepted is authorized without an AuthorizeRequest', () =>
  withStation({ station: { variables: { 'AuthCtrlr.LocalPreAuthorize': true } } }, async (a) => {
    await a.call('SendLocalList', {
      versionNumber: 1,
      updateType: 'Full',
      localAuthorizationList: [{ idToken: VALID, idTokenInfo: { status: 'Accepted' } }],
    });
    await a.present(OTHER); // cached Accepted by the CSMS's default answer
    const listed = await decidedLocally(a, VALID, 1);
    const cached = await decidedLocally(a, OTHER, 1);
    assert.equal(
      [listed.source, listed.idTokenInfo.status, cached.source, cached.idTokenInfo.status],
      ['localList', 'Accepted', 'cache', 'Accepted'],
    );
  }));

test('TC_C_37_CS C11.FR.01 C11.FR.02 C11.FR.03 ClearCache: Accepted, and a token that was cached is sent to the CSMS again', () =>
  withStation(
    { station: { variables: { 'AuthCacheCtrlr.Enabled': true, 'AuthCtrlr.LocalPreAuthorize': true } } },
    async (a) => {
      await a.present(VALID);
      assert.equal(await a.call('ClearCache', {}), { status: 'Accepted' });
      assert.is((await askedCsms(a, VALID, 1)).idTokenInfo.status, 'Accepted');
    },
  ));

test('TC_C_38_CS C11.FR.04 ClearCache while AuthCacheCtrlr.Enabled is false: Rejected', () =>
  withStation({ station: { variables: { 'AuthCacheCtrlr.Enabled': false } } }, async (a) => {
    assert.is((await a.call('ClearCache', {})).status, 'Rejected');
  }));

test('TC_C_45_CS C16.FR.03 C12.FR.09 a master pass is sent to the CSMS and, Accepted in the Master Pass group, does not authorize a start', () =>
  withStation({}, async (a) => {
    // Preparation as in the test case: the CSMS configures AuthCtrlr.MasterPassGroupId.
    const set = await a.call('SetVariables', {
      setVariableData: [
        { component: { name: 'AuthCtrlr' }, variable: { name: 'MasterPassGroupId' }, attributeValue: 'MASTERPASS' },
      ],
    });
    assert.is(set.setVariableResult[0].attributeStatus, 'Accepted');
    a.pair.csms.respond('Authorize', () => ({
      idTokenInfo: { status: 'Accepted', groupIdToken: { idToken: 'MASTERPASS', type: 'Central' } },
    }));
    const mark = a.mark();
    const verdict = await askedCsms(a, VALID, 1);
    assert.equal(
      [verdict.idTokenInfo.status, verdict.source, verdict.refusal],
      ['NotAtThisTime', 'masterPass', 'masterPass'],
    );
    assert.equal(a.sentSince('TransactionEvent', mark), []);
  }));

test('TC_C_46_CS C10.FR.08 a cached token not used within AuthCacheCtrlr.LifeTime is authorized with the CSMS again', async () => {
  // Less than a minute of station time passes: the RPC keep-alive (60 s) never sees a clock jump.
  const clock = new ManualClock(Date.now());
  await withStation(
    { station: { clock, variables: { 'AuthCacheCtrlr.LifeTime': 50, 'AuthCtrlr.LocalPreAuthorize': true } } },
    async (a) => {
      await a.present(VALID);
      await a.present(OTHER);
      await clock.advance(49_000);
      assert.is((await decidedLocally(a, OTHER, 1)).source, 'cache', 'within its lifetime');
      await clock.advance(2_000);
      assert.is((await askedCsms(a, VALID, 1)).source, 'csms');
    },
  );
});

test('C10.FR.02 the authorization cache survives a reboot (same store file)', () =>
  withStation({ station: { variables: { 'AuthCtrlr.LocalPreAuthorize': true } } }, async (a) => {
    await a.present(VALID);
    const reboot = a.mark();
    await a.pair.restart({ useCases: [a.standIn.useCase], variables: { 'AuthCtrlr.LocalPreAuthorize': true } });
    await a.next('BootNotification', reboot);
    await a.statuses(reboot, { '1/1': 'Available' }); // online again: the cache, not the offline rules, answers
    assert.is((await decidedLocally(a, VALID, 1)).source, 'cache');
  }));

test('C10.FR.05 the idTokenInfo in a TransactionEventResponse updates the cache (a stand-in sends the TransactionEvent)', () =>
  withStation(
    { sendTransactionEvent: true, station: { variables: { 'AuthCtrlr.LocalPreAuthorize': true } } },
    async (a) => {
      const answered = () => a.standIn.answered.filter((x) => x === 'TransactionEvent').length;
      await a.present(VALID, 1); // Authorize: Accepted, cached; the stand-in's TransactionEvent follows
      await until(() => answered() === 1);
      a.pair.csms.respond('TransactionEvent', () => ({ idTokenInfo: { status: 'Blocked' } }));
      await decidedLocally(a, VALID, 1); // from the cache: Accepted; the TransactionEventResponse says Blocked
      await until(() => answered() === 2);
      a.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Blocked' } }));
      // The cache now says Blocked: checked with the CSMS (C10.FR.03).
      assert.is((await askedCsms(a, VALID, 1)).idTokenInfo.status, 'Blocked');
    },
  ));

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !condition();) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

test.run();
