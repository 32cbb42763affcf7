// Block C as flows (no sockets, ManualClock): where a verdict comes from online and offline, the local list before
// the cache, group ids, master pass, allowed EVSEs. Cache policy is in authorization-cache-flow.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { authDriver, token, type AuthDriver } from '../support/authorization-driver.js';

const ALICE = token('A11CE');
const BOB = token('B0B');
const GROUP = token('FAMILY', 'Central');

async function online(
  variables: Record<string, string | number | boolean> = {},
  evses?: AuthDriver['shell']['evses'],
): Promise<AuthDriver> {
  const d = authDriver({ variables, ...(evses ? { evses: [...evses] } : {}) });
  await d.goOnline();
  return d;
}

/** Installs a local list through the SendLocalList answerer, as the CSMS would. */
function sendList(d: AuthDriver, entries: Array<[typeof ALICE, Record<string, unknown>]>, versionNumber = 1) {
  return d.shell.answer(
    'SendLocalList',
    {
      versionNumber,
      updateType: 'Full',
      localAuthorizationList: entries.map(([idToken, idTokenInfo]) => ({ idToken, idTokenInfo: idTokenInfo as never })),
    },
    `m${versionNumber}`,
  );
}

/** Puts a token in the cache the way the station does: an AuthorizeRequest the CSMS answers. */
async function cache(d: AuthDriver, idToken: typeof ALICE, info: Record<string, unknown>) {
  d.ask(idToken);
  await d.answerAuthorize(info as never);
}

test('C01.FR.02 C06.FR.02 C01.FR.04 a token known nowhere is sent to the CSMS with only its identifier; the CSMS decides', async () => {
  const d = await online();
  const ref = d.ask(ALICE, { evseId: 1 });
  assert.is(d.result(ref), undefined, 'no verdict before the answer');
  const call = d.pending('Authorize')[0]!;
  assert.equal(call.payload, { idToken: ALICE });
  await d.answerAuthorize({ status: 'Accepted', personalMessage: { format: 'UTF8', content: 'Hi' } });
  const r = d.result(ref)!;
  assert.equal(
    [r.idTokenInfo.status, r.source, r.evseId, r.idTokenInfo.personalMessage?.content],
    ['Accepted', 'csms', 1, 'Hi'],
  );
  assert.is(r.refusal, undefined);
  const local = d.ask(token('EMPLOYEE-42', 'Local'));
  assert.equal(
    d.pending('Authorize')[0]?.payload,
    { idToken: token('EMPLOYEE-42', 'Local') },
    'C06.FR.02: a Local token too',
  );
  await d.answerAuthorize({ status: 'Invalid' });
  assert.is(d.result(local)!.idTokenInfo.status, 'Invalid');
});

test('every status other than Accepted refuses, with the status the CSMS gave', async () => {
  const d = await online();
  for (const status of [
    'Invalid',
    'Blocked',
    'Expired',
    'Unknown',
    'NoCredit',
    'NotAtThisLocation',
    'ConcurrentTx',
  ] as const) {
    const ref = d.ask(token(`T-${status}`));
    await d.answerAuthorize({ status });
    assert.is(d.result(ref)!.idTokenInfo.status, status);
  }
});

test('C12.FR.02 C14.FR.02 with LocalPreAuthorize a token the cache or the list holds as Accepted is accepted without asking', async () => {
  const d = await online({ 'AuthCtrlr.LocalPreAuthorize': true });
  await cache(d, ALICE, { status: 'Accepted' });
  sendList(d, [[BOB, { status: 'Accepted' }]]);
  const fromCache = d.ask(ALICE, { evseId: 1 });
  const fromList = d.ask(BOB, { evseId: 1 });
  assert.is(d.pending('Authorize').length, 0, 'no AuthorizeRequest');
  assert.equal([d.result(fromCache)!.source, d.result(fromCache)!.idTokenInfo.status], ['cache', 'Accepted']);
  assert.equal([d.result(fromList)!.source, d.result(fromList)!.idTokenInfo.status], ['localList', 'Accepted']);
});

test('C12.FR.02 only with LocalPreAuthorize; C01.FR.05: without it a cached Accepted token is still sent to the CSMS, whose answer counts', async () => {
  const d = await online({ 'AuthCtrlr.LocalPreAuthorize': false });
  await cache(d, ALICE, { status: 'Accepted' });
  const ref = d.ask(ALICE);
  assert.equal(d.pending('Authorize')[0]?.payload, { idToken: ALICE });
  await d.answerAuthorize({ status: 'Invalid' });
  assert.is(d.result(ref)!.idTokenInfo.status, 'Invalid');
});

test('C10.FR.03 C12.FR.05 C12.FR.06 a token cached with another status is checked with the CSMS and the cache takes the new status', async () => {
  const d = await online({ 'AuthCtrlr.LocalPreAuthorize': true });
  await cache(d, ALICE, { status: 'Blocked' });
  const ref = d.ask(ALICE);
  assert.is(d.pending('Authorize').length, 1, 'asked again');
  await d.answerAuthorize({ status: 'Accepted' });
  assert.is(d.result(ref)!.idTokenInfo.status, 'Accepted');
  const again = d.ask(ALICE);
  assert.is(d.pending('Authorize').length, 0, 'now Accepted in the cache');
  assert.is(d.result(again)!.source, 'cache');
});

test('C10.FR.03 C12.FR.05 not with AuthCacheCtrlr.DisablePostAuthorize: a cached Invalid token is refused without an AuthorizeRequest', async () => {
  const d = await online({ 'AuthCtrlr.LocalPreAuthorize': true, 'AuthCacheCtrlr.DisablePostAuthorize': true });
  await cache(d, ALICE, { status: 'Invalid' });
  const ref = d.ask(ALICE);
  assert.is(d.pending('Authorize').length, 0);
  assert.equal([d.result(ref)!.idTokenInfo.status, d.result(ref)!.source], ['Invalid', 'cache']);
});

test('C13.FR.01 C14.FR.01 the local list has priority over the cache for the same token', async () => {
  const d = await online({ 'AuthCtrlr.LocalPreAuthorize': true, 'LocalAuthListCtrlr.DisablePostAuthorize': true });
  await cache(d, ALICE, { status: 'Accepted' });
  sendList(d, [[ALICE, { status: 'Blocked' }]]);
  const ref = d.ask(ALICE);
  assert.equal([d.result(ref)!.idTokenInfo.status, d.result(ref)!.source], ['Blocked', 'localList']);
  await d.goOffline();
  const offline = d.ask(ALICE);
  assert.equal(
    [d.result(offline)!.idTokenInfo.status, d.result(offline)!.source],
    ['Blocked', 'localList'],
    'offline too',
  );
});

test('C14.FR.03 a token on the list with another status is sent to the CSMS (and the list is not changed by the answer: D01.FR.09)', async () => {
  const d = await online({ 'AuthCtrlr.LocalPreAuthorize': true });
  sendList(d, [[ALICE, { status: 'Invalid' }]]);
  const ref = d.ask(ALICE);
  await d.answerAuthorize({ status: 'Accepted' });
  assert.is(d.result(ref)!.idTokenInfo.status, 'Accepted');
  const again = d.ask(ALICE);
  assert.is(d.pending('Authorize').length, 1, 'the list still says Invalid: asked again');
  await d.answerAuthorize({ status: 'Accepted' });
  assert.is(d.result(again)!.source, 'csms');
});

test('C14.FR.03 not with LocalAuthListCtrlr.DisablePostAuthorize: a listed Invalid token is refused without an AuthorizeRequest', async () => {
  const d = await online({ 'AuthCtrlr.LocalPreAuthorize': true, 'LocalAuthListCtrlr.DisablePostAuthorize': true });
  sendList(d, [[ALICE, { status: 'Invalid' }]]);
  const ref = d.ask(ALICE);
  assert.is(d.pending('Authorize').length, 0);
  assert.is(d.result(ref)!.idTokenInfo.status, 'Invalid');
});

test('C14.FR.04 C14.FR.05 with SupportsExpiryDateTime a listed token past cacheExpiryDateTime is disregarded: the CSMS is asked', async () => {
  const d = await online({ 'AuthCtrlr.LocalPreAuthorize': true, 'LocalAuthListCtrlr.SupportsExpiryDateTime': true });
  const soon = new Date(d.shell.now() + 60_000).toISOString();
  sendList(d, [[ALICE, { status: 'Accepted', cacheExpiryDateTime: soon }]]);
  const before = d.ask(ALICE);
  assert.is(d.result(before)!.source, 'localList');
  await d.clock.advance(61_000);
  const after = d.ask(ALICE);
  assert.is(d.pending('Authorize').length, 1);
  await d.answerAuthorize({ status: 'Expired' });
  assert.is(d.result(after)!.idTokenInfo.status, 'Expired');
});

test('C13.FR.02 C14.FR.02 without SupportsExpiryDateTime the list entry counts whatever its cacheExpiryDateTime', async () => {
  const d = await online({ 'AuthCtrlr.LocalPreAuthorize': true });
  sendList(d, [[ALICE, { status: 'Accepted', cacheExpiryDateTime: new Date(d.shell.now() + 1000).toISOString() }]]);
  await d.clock.advance(5000);
  const ref = d.ask(ALICE);
  assert.equal([d.result(ref)!.source, d.result(ref)!.idTokenInfo.status], ['localList', 'Accepted']);
  await d.goOffline();
  assert.is(d.result(d.ask(ALICE))!.idTokenInfo.status, 'Accepted');
});

test('C13.FR.02 C13.FR.03 offline, OfflineTxForUnknownIdEnabled false: a listed Accepted token is accepted, an unknown one is not', async () => {
  const d = await online({ 'AuthCtrlr.LocalAuthorizeOffline': true, 'AuthCtrlr.OfflineTxForUnknownIdEnabled': false });
  sendList(d, [[ALICE, { status: 'Accepted' }]]);
  await d.goOffline();
  const known = d.ask(ALICE);
  const unknown = d.ask(BOB);
  assert.is(d.sent.filter((s) => s.action === 'Authorize').length, 0, 'nothing is sent offline');
  assert.equal([d.result(known)!.idTokenInfo.status, d.result(known)!.source], ['Accepted', 'localList']);
  assert.equal([d.result(unknown)!.idTokenInfo.status, d.result(unknown)!.source], ['Unknown', 'offline']);
});

test('C13.FR.04 C15.FR.08 C15.FR.01 offline with OfflineTxForUnknownIdEnabled an unknown token is accepted — and not cached', async () => {
  const d = await online({ 'AuthCtrlr.OfflineTxForUnknownIdEnabled': true, 'AuthCtrlr.LocalPreAuthorize': true });
  sendList(d, [[ALICE, { status: 'Blocked' }]]);
  await d.goOffline();
  const unknown = d.ask(BOB);
  assert.equal([d.result(unknown)!.idTokenInfo.status, d.result(unknown)!.source], ['Accepted', 'offline']);
  assert.is(d.result(d.ask(ALICE))!.idTokenInfo.status, 'Blocked', 'a known token is not "unknown"');
  await d.goOnline();
  d.ask(BOB);
  assert.is(d.pending('Authorize').length, 1, 'BOB was not cached: asked once online');
});

test('C13.FR.05 C13.FR.06 offline with SupportsExpiryDateTime: an expired list entry is refused even when unknown ids are accepted', async () => {
  const d = await online({
    'AuthCtrlr.OfflineTxForUnknownIdEnabled': true,
    'LocalAuthListCtrlr.SupportsExpiryDateTime': true,
  });
  sendList(d, [
    [ALICE, { status: 'Accepted', cacheExpiryDateTime: new Date(d.shell.now() - 1000).toISOString() }],
    [BOB, { status: 'Accepted', cacheExpiryDateTime: new Date(d.shell.now() + 3_600_000).toISOString() }],
  ]);
  await d.goOffline();
  assert.is(d.result(d.ask(ALICE))!.idTokenInfo.status, 'Expired');
  assert.is(d.result(d.ask(BOB))!.idTokenInfo.status, 'Accepted');
});

test('C12.FR.02 offline with LocalAuthorizeOffline a cached Accepted token is accepted; without it, only the unknown-id rule applies', async () => {
  const d = await online({ 'AuthCtrlr.LocalAuthorizeOffline': true });
  await cache(d, ALICE, { status: 'Accepted' });
  await d.goOffline();
  assert.equal([d.result(d.ask(ALICE))!.source, d.result(d.ask(ALICE))!.idTokenInfo.status], ['cache', 'Accepted']);
  d.variables.set('AuthCtrlr', 'LocalAuthorizeOffline', 'false');
  const r = d.result(d.ask(ALICE))!;
  assert.equal([r.idTokenInfo.status, r.refusal], ['NotAtThisTime', 'offline']);
  d.variables.set('AuthCtrlr', 'OfflineTxForUnknownIdEnabled', 'true');
  assert.equal(d.result(d.ask(ALICE))!.source, 'offline');
});

test('C01.FR.02 an AuthorizeRequest without an answer (timeout, lost connection) falls back to the offline rules', async () => {
  const d = await online({ 'AuthCtrlr.OfflineTxForUnknownIdEnabled': true });
  const ref = d.ask(ALICE);
  d.pending('Authorize')[0]!.fail({ status: 'failed', outcome: { kind: 'timeout' } as never });
  await d.settle();
  assert.equal([d.result(ref)!.idTokenInfo.status, d.result(ref)!.source], ['Accepted', 'offline']);
});

test('C03.FR.01 C05.FR.01 Central and NoAuthorization tokens are accepted without an AuthorizeRequest', async () => {
  const d = await online();
  const central = d.ask(token('REMOTE-1', 'Central'));
  const button = d.ask(token('', 'NoAuthorization'));
  assert.is(d.pending('Authorize').length, 0);
  assert.equal([d.result(central)!.source, d.result(central)!.idTokenInfo.status], ['csms', 'Accepted']);
  assert.equal([d.result(button)!.source, d.result(button)!.idTokenInfo.status], ['station', 'Accepted']);
});

test('AuthCtrlr.Enabled false accepts every token without asking; DisableRemoteAuthorization refuses unknown ones without asking', async () => {
  const d = await online({ 'AuthCtrlr.Enabled': false });
  assert.equal([d.result(d.ask(ALICE))!.idTokenInfo.status, d.pending('Authorize').length], ['Accepted', 0]);
  d.variables.set('AuthCtrlr', 'Enabled', 'true');
  d.variables.set('AuthCtrlr', 'DisableRemoteAuthorization', 'true');
  const r = d.result(d.ask(BOB))!;
  assert.equal([r.idTokenInfo.status, r.source, d.pending('Authorize').length], ['Unknown', 'station', 0]);
});

test('C01.FR.21 a token the CSMS allows on some EVSEs only is refused elsewhere (NotAllowedTypeEVSE)', async () => {
  const d = await online({}, [
    { id: 1, connectors: [{ id: 1 }] },
    { id: 2, connectors: [{ id: 1 }] },
  ]);
  const here = d.ask(ALICE, { evseId: 1 });
  await d.answerAuthorize({ status: 'Accepted', evseId: [1] });
  const there = d.ask(ALICE, { evseId: 2 });
  await d.answerAuthorize({ status: 'Accepted', evseId: [1] });
  assert.is(d.result(here)!.idTokenInfo.status, 'Accepted');
  assert.equal(
    [d.result(there)!.idTokenInfo.status, d.result(there)!.refusal],
    ['NotAllowedTypeEVSE', 'evseNotAllowed'],
  );
});

test('C01.FR.03 C09.FR.07 the token that started a transaction ends it without an AuthorizeRequest, online or offline', async () => {
  const d = await online();
  const ref = d.ask(token('a11ce'), { evseId: 1, stopping: { idToken: ALICE } });
  assert.is(d.pending('Authorize').length, 0, 'same token, other case (C 1.1: case-insensitive)');
  assert.equal([d.result(ref)!.idTokenInfo.status, d.result(ref)!.source], ['Accepted', 'station']);
  await d.goOffline();
  assert.is(d.result(d.ask(ALICE, { evseId: 1, stopping: { idToken: ALICE } }))!.idTokenInfo.status, 'Accepted');
});

test('C09.FR.03 C09.FR.07 a valid token of the same group known locally ends the transaction without asking', async () => {
  const d = await online({ 'AuthCtrlr.LocalPreAuthorize': false });
  sendList(d, [[BOB, { status: 'Accepted', groupIdToken: GROUP }]]);
  const ref = d.ask(BOB, { evseId: 1, stopping: { idToken: ALICE, groupIdToken: GROUP } });
  assert.is(d.pending('Authorize').length, 0);
  assert.equal([d.result(ref)!.idTokenInfo.status, d.result(ref)!.source], ['Accepted', 'localList']);
});

test('C09.FR.05 C09.FR.03 a token not known locally is sent to the CSMS, whose groupIdToken decides', async () => {
  const d = await online();
  const same = d.ask(BOB, { evseId: 1, stopping: { idToken: ALICE, groupIdToken: GROUP } });
  await d.answerAuthorize({ status: 'Accepted', groupIdToken: { idToken: 'family', type: 'Central' } });
  const other = d.ask(token('EVE'), { evseId: 1, stopping: { idToken: ALICE, groupIdToken: GROUP } });
  await d.answerAuthorize({ status: 'Accepted', groupIdToken: token('OTHERS', 'Central') });
  const none = d.ask(token('MALLORY'), { evseId: 1, stopping: { idToken: ALICE, groupIdToken: GROUP } });
  await d.answerAuthorize({ status: 'Accepted' });
  assert.is(d.result(same)!.idTokenInfo.status, 'Accepted');
  assert.equal([d.result(other)!.idTokenInfo.status, d.result(other)!.refusal], ['NotAtThisTime', 'notOwner']);
  assert.equal(d.result(none)!.refusal, 'notOwner', 'no group: only the starting token may end it');
});

test('C09.FR.11 a token of the same group that is not Accepted does not end the transaction', async () => {
  const d = await online();
  const ref = d.ask(BOB, { evseId: 1, stopping: { idToken: ALICE, groupIdToken: GROUP } });
  await d.answerAuthorize({ status: 'Invalid', groupIdToken: GROUP });
  assert.is(d.result(ref)!.idTokenInfo.status, 'Invalid');
  assert.equal(d.standIn.stops, []);
});

test('C09.FR.11 offline a token of the group known only as Invalid, or unknown, cannot end the transaction', async () => {
  const d = await online({ 'AuthCtrlr.OfflineTxForUnknownIdEnabled': true });
  sendList(d, [[BOB, { status: 'Invalid', groupIdToken: GROUP }]]);
  await d.goOffline();
  const listed = d.ask(BOB, { evseId: 1, stopping: { idToken: ALICE, groupIdToken: GROUP } });
  const unknown = d.ask(token('EVE'), { evseId: 1, stopping: { idToken: ALICE, groupIdToken: GROUP } });
  assert.is(d.result(listed)!.idTokenInfo.status, 'Invalid');
  assert.is(d.result(unknown)!.idTokenInfo.status, 'Unknown', 'the unknown-id rule is for starting only');
});

test('C12.FR.09 C16.FR.03 a master pass is not allowed to start a transaction', async () => {
  const d = await online({ 'AuthCtrlr.MasterPassGroupId': 'POLICE' });
  const ref = d.ask(ALICE, { evseId: 1 });
  assert.equal(d.pending('Authorize')[0]?.payload, { idToken: ALICE });
  await d.answerAuthorize({ status: 'Accepted', groupIdToken: token('POLICE', 'Central') });
  const r = d.result(ref)!;
  assert.equal([r.idTokenInfo.status, r.source, r.refusal], ['NotAtThisTime', 'masterPass', 'masterPass']);
  assert.equal(d.standIn.stops, [], 'no transaction runs: nothing to stop');
});

test('C16.FR.02 C16.FR.08 a master pass (station without UI) ends every transaction with reason MasterPass, before its verdict', async () => {
  const d = await online({ 'AuthCtrlr.MasterPassGroupId': 'POLICE' }, [
    { id: 1, connectors: [{ id: 1 }] },
    { id: 2, connectors: [{ id: 1 }] },
  ]);
  d.standIn.transactions.add(1).add(2);
  const ref = d.ask(ALICE, { evseId: 1, stopping: { idToken: BOB } });
  await d.answerAuthorize({ status: 'Accepted', groupIdToken: token('police', 'Central') });
  assert.equal(d.standIn.stops, [{ type: 'transactions.stop', evseId: 0, reason: 'MasterPass', idToken: ALICE }]);
  assert.is(d.result(ref)!.source, 'masterPass');
  assert.equal(d.standIn.order, [`stop:0`, `result:${ref}`]);
});

test('C16.FR.04 C16.FR.05 a master pass known to the cache or the local list acts without an AuthorizeRequest', async () => {
  const d = await online({ 'AuthCtrlr.MasterPassGroupId': 'POLICE', 'AuthCtrlr.LocalPreAuthorize': false });
  await cache(d, ALICE, { status: 'Accepted', groupIdToken: token('POLICE', 'Central') });
  sendList(d, [[token('OFFICER-2'), { status: 'Accepted', groupIdToken: token('POLICE', 'Central') }]]);
  d.standIn.transactions.add(1);
  d.ask(ALICE, { evseId: 1, stopping: { idToken: BOB } });
  d.ask(token('OFFICER-2'), { evseId: 1, stopping: { idToken: BOB } });
  assert.is(d.pending('Authorize').length, 0);
  assert.equal(
    d.standIn.stops.map((s) => s.reason),
    ['MasterPass', 'MasterPass'],
  );
});

test('C01.FR.25 two idTokens are the same when idToken (ignoring case) and type are the same', async () => {
  const d = await online();
  const sameValueOtherType = d.ask(token('A11CE', 'Local'), { evseId: 1, stopping: { idToken: ALICE } });
  assert.is(d.pending('Authorize').length, 1, 'another type: another token, asked');
  await d.answerAuthorize({ status: 'Accepted' });
  assert.is(d.result(sameValueOtherType)!.refusal, 'notOwner');
  const sameTokenOtherCase = d.ask(token('a11ce'), { evseId: 1, stopping: { idToken: ALICE } });
  assert.is(d.result(sameTokenOtherCase)!.idTokenInfo.status, 'Accepted');
});

test('C04.FR.04 C04.FR.03 a KeyCode never appears in what the station emits; it is cached under its hash', async () => {
  const d = await online();
  d.ask(token('1234', 'KeyCode'));
  await d.answerAuthorize({ status: 'Accepted' });
  const event = d.emitted.find((e) => e.type === 'authorization');
  assert.equal(event && event.type === 'authorization' ? event.idToken : undefined, {
    idToken: '****',
    type: 'KeyCode',
  });
  assert.not.ok(JSON.stringify(d.emitted).includes('1234'));
  assert.is(d.store.list('auth.cache').length, 1);
  assert.not.ok(JSON.stringify(d.store.list('auth.cache')).includes('1234'), 'C10.FR.12: the cache keys are hashes');
});

test('a malformed authorize.request is refused with a log line, and the station goes on', async () => {
  const d = await online();
  d.dispatch({ type: 'authorize.request', ref: 'bad', idToken: { idToken: 42 } as never });
  const r = d.result('bad')!;
  assert.is(r.idTokenInfo.status, 'Invalid');
  assert.ok(d.emitted.some((e) => e.type === 'log' && e.level === 'error'));
  d.ask(ALICE);
  assert.is(d.pending('Authorize').length, 1);
});

test.run();
