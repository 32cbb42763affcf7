// Block C Part 6 test cases against the built-in CSMS over real sockets, with a real SQLite file. The token is
// presented at the station and the stand-in for block E asks C, as E does; these cases check what C sends and
// decides (the transactions that follow an Accepted verdict are block E's test cases).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../runtime/queue/clock.js';
import { token } from '../support/authorization-driver.js';
import { authPair } from '../support/authorization-pair.js';

const VALID = token('04A1B2C3D4');
const OTHER = token('04FFEE0011');

for (const [tc, status] of [
  ['TC_C_02_CS TC_C_05_CS', 'Invalid'],
  ['TC_C_06_CS', 'Blocked'],
  ['TC_C_07_CS', 'Expired'],
  ['TC_C_56_CS', 'Unknown'],
] as const) {
  test(`${tc} C01.FR.02 local start, the CSMS answers ${status}: AuthorizeRequest with the token, then no authorization and no transaction`, async () => {
    const a = await authPair();
    try {
      a.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status } }));
      const mark = a.mark();
      const verdict = await a.present(VALID, 1);
      const sent = await a.next('Authorize', mark);
      assert.equal(sent.request, { idToken: VALID });
      assert.is(verdict.idTokenInfo.status, status);
      assert.equal(a.sentSince('TransactionEvent', mark), []);
    } finally {
      await a.close();
    }
  });
}

for (const [tc, status] of [
  ['TC_C_09_CS', 'Invalid'],
  ['TC_C_10_CS', 'Blocked'],
  ['TC_C_11_CS', 'Expired'],
] as const) {
  test(`${tc} C12.FR.05 C10.FR.03 a token cached as ${status} is checked with an AuthorizeRequest`, async () => {
    const a = await authPair({ station: { variables: { 'AuthCacheCtrlr.Enabled': true, 'AuthCtrlr.LocalPreAuthorize': true } } });
    try {
      a.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status } }));
      await a.present(VALID); // IdTokenCached with that status
      const mark = a.mark();
      const verdict = await a.present(VALID, 1);
      assert.equal((await a.next('Authorize', mark)).request, { idToken: VALID });
      assert.is(verdict.idTokenInfo.status, status);
    } finally {
      await a.close();
    }
  });
}

test('TC_C_57_CS C10.FR.03 with AuthCacheCtrlr.DisablePostAuthorize a token cached as Invalid is refused without an AuthorizeRequest', async () => {
  const a = await authPair({ station: { variables: { 'AuthCtrlr.LocalPreAuthorize': true, 'AuthCacheCtrlr.DisablePostAuthorize': true } } });
  try {
    a.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Invalid' } }));
    await a.present(VALID);
    const mark = a.mark();
    const verdict = await a.present(VALID, 1);
    assert.equal([verdict.idTokenInfo.status, verdict.source], ['Invalid', 'cache']);
    assert.equal(a.sentSince('Authorize', mark), []);
  } finally {
    await a.close();
  }
});

test('TC_C_36_CS with LocalPreAuthorize false a cached valid token is sent to the CSMS, which refuses it', async () => {
  const a = await authPair({ station: { variables: { 'AuthCacheCtrlr.Enabled': true, 'AuthCtrlr.LocalPreAuthorize': false } } });
  try {
    await a.present(VALID); // cached Accepted
    a.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Invalid' } }));
    const mark = a.mark();
    const verdict = await a.present(VALID, 1);
    assert.equal((await a.next('Authorize', mark)).request, { idToken: VALID });
    assert.is(verdict.idTokenInfo.status, 'Invalid');
  } finally {
    await a.close();
  }
});

for (const [tc, status] of [
  ['TC_C_28_CS', 'Invalid'],
  ['TC_C_29_CS', 'Blocked'],
  ['TC_C_30_CS', 'Expired'],
] as const) {
  test(`${tc} C14.FR.03 a token on the local list as ${status} is sent to the CSMS`, async () => {
    const a = await authPair({ station: { variables: { 'LocalAuthListCtrlr.Enabled': true, 'AuthCtrlr.LocalPreAuthorize': true } } });
    try {
      assert.equal(await a.call('SendLocalList', { versionNumber: 1, updateType: 'Full', localAuthorizationList: [{ idToken: VALID, idTokenInfo: { status } }] }), { status: 'Accepted' });
      a.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status } }));
      const mark = a.mark();
      const verdict = await a.present(VALID, 1);
      assert.equal((await a.next('Authorize', mark)).request, { idToken: VALID });
      assert.is(verdict.idTokenInfo.status, status);
    } finally {
      await a.close();
    }
  });
}

test('TC_C_58_CS C14.FR.03 with LocalAuthListCtrlr.DisablePostAuthorize a listed Invalid token is refused without an AuthorizeRequest', async () => {
  const a = await authPair({ station: { variables: { 'AuthCtrlr.LocalPreAuthorize': true, 'LocalAuthListCtrlr.DisablePostAuthorize': true } } });
  try {
    await a.call('SendLocalList', { versionNumber: 1, updateType: 'Full', localAuthorizationList: [{ idToken: VALID, idTokenInfo: { status: 'Invalid' } }] });
    const mark = a.mark();
    const verdict = await a.present(VALID, 1);
    assert.equal([verdict.idTokenInfo.status, verdict.source], ['Invalid', 'localList']);
    assert.equal(a.sentSince('Authorize', mark), []);
  } finally {
    await a.close();
  }
});

test('C14.FR.02 C12.FR.02 with LocalPreAuthorize a token on the list or in the cache as Accepted is authorized without an AuthorizeRequest', async () => {
  const a = await authPair({ station: { variables: { 'AuthCtrlr.LocalPreAuthorize': true } } });
  try {
    await a.call('SendLocalList', { versionNumber: 1, updateType: 'Full', localAuthorizationList: [{ idToken: VALID, idTokenInfo: { status: 'Accepted' } }] });
    await a.present(OTHER); // cached Accepted by the CSMS's default answer
    const mark = a.mark();
    const listed = await a.present(VALID, 1);
    const cached = await a.present(OTHER, 1);
    assert.equal([listed.source, listed.idTokenInfo.status, cached.source, cached.idTokenInfo.status], ['localList', 'Accepted', 'cache', 'Accepted']);
    assert.equal(a.sentSince('Authorize', mark), []);
  } finally {
    await a.close();
  }
});

test('TC_C_37_CS C11.FR.01 C11.FR.02 C11.FR.03 ClearCache: Accepted, and a token that was cached is sent to the CSMS again', async () => {
  const a = await authPair({ station: { variables: { 'AuthCacheCtrlr.Enabled': true, 'AuthCtrlr.LocalPreAuthorize': true } } });
  try {
    await a.present(VALID);
    assert.equal(await a.call('ClearCache', {}), { status: 'Accepted' });
    const mark = a.mark();
    const verdict = await a.present(VALID, 1);
    assert.equal((await a.next('Authorize', mark)).request, { idToken: VALID });
    assert.is(verdict.idTokenInfo.status, 'Accepted');
  } finally {
    await a.close();
  }
});

test('TC_C_38_CS C11.FR.04 ClearCache while AuthCacheCtrlr.Enabled is false: Rejected', async () => {
  const a = await authPair({ station: { variables: { 'AuthCacheCtrlr.Enabled': false } } });
  try {
    const response = await a.call('ClearCache', {});
    assert.is(response.status, 'Rejected');
  } finally {
    await a.close();
  }
});

test('TC_C_45_CS C16.FR.03 C12.FR.09 a master pass is sent to the CSMS and, Accepted in the Master Pass group, does not authorize a start', async () => {
  const a = await authPair({ station: { variables: { 'AuthCtrlr.MasterPassGroupId': 'MASTERPASS' } } });
  try {
    a.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Accepted', groupIdToken: { idToken: 'MASTERPASS', type: 'Central' } } }));
    const mark = a.mark();
    const verdict = await a.present(VALID, 1);
    assert.equal((await a.next('Authorize', mark)).request, { idToken: VALID });
    assert.equal([verdict.idTokenInfo.status, verdict.source, verdict.refusal], ['NotAtThisTime', 'masterPass', 'masterPass']);
    assert.equal(a.sentSince('TransactionEvent', mark), []);
  } finally {
    await a.close();
  }
});

test('TC_C_46_CS C10.FR.08 a cached token not used within AuthCacheCtrlr.LifeTime is authorized with the CSMS again', async () => {
  // Less than a minute of station time passes: the RPC keep-alive (60 s) never sees a clock jump.
  const clock = new ManualClock(Date.now());
  const a = await authPair({ station: { clock, variables: { 'AuthCacheCtrlr.LifeTime': 50, 'AuthCtrlr.LocalPreAuthorize': true } } });
  try {
    await a.present(VALID);
    await a.present(OTHER);
    await clock.advance(49_000);
    let mark = a.mark();
    assert.is((await a.present(OTHER, 1)).source, 'cache', 'within its lifetime');
    assert.equal(a.sentSince('Authorize', mark), []);
    await clock.advance(2_000);
    mark = a.mark();
    const verdict = await a.present(VALID, 1);
    assert.equal((await a.next('Authorize', mark)).request, { idToken: VALID });
    assert.is(verdict.source, 'csms');
  } finally {
    await a.close();
  }
});

test('C10.FR.02 the authorization cache survives a reboot (same store file)', async () => {
  const a = await authPair({ station: { variables: { 'AuthCtrlr.LocalPreAuthorize': true } } });
  try {
    await a.present(VALID);
    const reboot = a.mark();
    await a.pair.restart({ extensions: [a.standIn.useCase], variables: { 'AuthCtrlr.LocalPreAuthorize': true } });
    await a.next('BootNotification', reboot);
    await a.statuses(reboot, { '1/1': 'Available' }); // online again: the cache, not the offline rules, answers
    const mark = a.mark();
    const verdict = await a.present(VALID, 1);
    assert.is(verdict.source, 'cache');
    assert.equal(a.sentSince('Authorize', mark), []);
  } finally {
    await a.close();
  }
});

test('C10.FR.05 the idTokenInfo in a TransactionEventResponse updates the cache (a stand-in sends the TransactionEvent)', async () => {
  const a = await authPair({ sendTransactionEvent: true, station: { variables: { 'AuthCtrlr.LocalPreAuthorize': true } } });
  try {
    const answered = () => a.standIn.answered.filter((x) => x === 'TransactionEvent').length;
    await a.present(VALID, 1); // Authorize: Accepted, cached; the stand-in's TransactionEvent follows
    await until(() => answered() === 1);
    a.pair.csms.respond('TransactionEvent', () => ({ idTokenInfo: { status: 'Blocked' } }));
    await a.present(VALID, 1); // from the cache: Accepted; the TransactionEventResponse says Blocked
    await until(() => answered() === 2);
    const mark = a.mark();
    a.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Blocked' } }));
    const verdict = await a.present(VALID, 1);
    assert.ok((await a.next('Authorize', mark)), 'the cache now says Blocked: checked with the CSMS (C10.FR.03)');
    assert.is(verdict.idTokenInfo.status, 'Blocked');
  } finally {
    await a.close();
  }
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !condition(); ) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

test.run();
