// C10/C11 as flows: what the authorization cache keeps, for how long, what makes room when it is full, and
// ClearCache — with a ManualClock and a real (in-memory) SQLite store.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CACHE_NAMESPACE, type CacheEntry } from '../../runtime/station/C-authorization/cache.js';
import { tokenKey } from '../../runtime/station/C-authorization/tokens.js';
import type { TransactionEventRequest } from '../../generated/v201/types.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import type { Store } from '../../runtime/store/types.js';
import { authDriver, token, type AuthDriver } from '../support/authorization-driver.js';

const PRE = { 'AuthCtrlr.LocalPreAuthorize': true };
const A = token('AAAA');
const B = token('BBBB');
const C = token('CCCC');
const D = token('DDDD');
const E = token('EEEE');

const entry = (d: AuthDriver, t: typeof A) => d.store.get<CacheEntry>(CACHE_NAMESPACE, tokenKey(t));

async function cached(d: AuthDriver, t: typeof A, info: Record<string, unknown> = { status: 'Accepted' }) {
  d.ask(t);
  await d.answerAuthorize(info as never);
}

/** Whether presenting the token now is answered from the cache (no AuthorizeRequest); pending requests are answered. */
async function fromCache(d: AuthDriver, t: typeof A): Promise<boolean> {
  const ref = d.ask(t);
  if (d.pending('Authorize').length === 0) return d.result(ref)!.source === 'cache';
  await d.answerAuthorize({ status: 'Accepted' });
  return false;
}

test('C10.FR.01 C10.FR.04 the cache keeps the latest IdTokenInfo of every token the CSMS answered, whatever its status', async () => {
  const d = authDriver({ variables: PRE });
  await d.goOnline();
  await cached(d, A, { status: 'Invalid' });
  assert.is(entry(d, A)?.info.status, 'Invalid');
  await cached(d, A, { status: 'Accepted', groupIdToken: token('G', 'Central') });
  assert.equal(entry(d, A)?.info, { status: 'Accepted', groupIdToken: token('G', 'Central') });
});

test('C10.FR.11 AuthCacheCtrlr.Enabled false: nothing is cached and the cache is not consulted', async () => {
  const d = authDriver({ variables: PRE });
  await d.goOnline();
  await cached(d, A);
  d.variables.set('AuthCacheCtrlr', 'Enabled', 'false');
  await cached(d, B);
  assert.is(entry(d, B), undefined);
  assert.is(await fromCache(d, A), false, 'A is stored but not used');
});

test('C10.FR.08 (2.0.1) without cacheExpiryDateTime an entry lives AuthCacheCtrlr.LifeTime from its last use', async () => {
  const d = authDriver({ variables: { ...PRE, 'AuthCacheCtrlr.LifeTime': 100 } });
  await d.goOnline();
  await cached(d, A);
  await d.clock.advance(90_000);
  assert.ok(await fromCache(d, A), 'used at 90 s: lives until 190 s');
  await d.clock.advance(90_000);
  assert.ok(await fromCache(d, A), 'at 180 s');
  await d.clock.advance(101_000);
  assert.not.ok(await fromCache(d, A), 'C10.FR.10: expired, as if removed');
});

test('C10.FR.10 (2.1) the lifetime counts from the last update by the CSMS, not from the last use', async () => {
  const d = authDriver({ variables: { ...PRE, 'AuthCacheCtrlr.LifeTime': 100 } });
  d.dispatch({ type: 'connected', version: 'ocpp2.1' });
  d.pending('BootNotification')[0]!.answer({
    status: 'Accepted',
    interval: 300,
    currentTime: new Date(d.clock.now()).toISOString(),
  });
  await d.settle();
  await cached(d, A);
  await d.clock.advance(90_000);
  assert.ok(await fromCache(d, A));
  await d.clock.advance(20_000);
  assert.not.ok(await fromCache(d, A), '110 s after the update');
});

test('C10.FR.13 cacheExpiryDateTime decides over LifeTime; one already past keeps the token out of the cache', async () => {
  const d = authDriver({ variables: { ...PRE, 'AuthCacheCtrlr.LifeTime': 10 } });
  await d.goOnline();
  await cached(d, A, { status: 'Accepted', cacheExpiryDateTime: new Date(d.clock.now() + 3_600_000).toISOString() });
  await d.clock.advance(600_000);
  assert.ok(await fromCache(d, A), 'beyond LifeTime, before cacheExpiryDateTime');
  await d.clock.advance(3_000_001);
  assert.not.ok(await fromCache(d, A));
  await cached(d, B, { status: 'Accepted', cacheExpiryDateTime: new Date(d.clock.now() - 1).toISOString() });
  assert.is(entry(d, B), undefined);
});

test('C10.FR.07 a full cache makes room: entries not Accepted first, then the least recently used (Policy LRU)', async () => {
  const d = authDriver({ variables: PRE, cache: { maxEntries: 3, maxBytes: 1 << 20 } });
  await d.goOnline();
  await cached(d, A);
  await d.clock.advance(1000);
  await cached(d, B, { status: 'Blocked' });
  await d.clock.advance(1000);
  await cached(d, C);
  await d.clock.advance(1000);
  assert.ok(await fromCache(d, A), 'A used last');
  await d.clock.advance(1000);
  await cached(d, D);
  assert.equal(
    [A, B, C, D].map((t) => entry(d, t) !== undefined),
    [true, false, true, true],
    'Blocked B goes first',
  );
  await d.clock.advance(1000);
  await cached(d, E);
  assert.equal(
    [A, C, D, E].map((t) => entry(d, t) !== undefined),
    [true, false, true, true],
    'then C, least recently used',
  );
  assert.is(d.store.list(CACHE_NAMESPACE).length, 3);
});

test('C10.FR.07 Policy LFU evicts the least often used, FIFO the oldest entry', async () => {
  const lfu = authDriver({
    variables: { ...PRE, 'AuthCacheCtrlr.Policy': 'LFU' },
    cache: { maxEntries: 2, maxBytes: 1 << 20 },
  });
  await lfu.goOnline();
  await cached(lfu, A);
  await cached(lfu, B);
  await lfu.clock.advance(1000);
  await fromCache(lfu, A);
  await fromCache(lfu, A);
  await lfu.clock.advance(1000);
  await fromCache(lfu, B);
  await cached(lfu, C);
  assert.equal(
    [A, B, C].map((t) => entry(lfu, t) !== undefined),
    [true, false, true],
    'B was used once, A twice',
  );

  const fifo = authDriver({
    variables: { ...PRE, 'AuthCacheCtrlr.Policy': 'FIFO' },
    cache: { maxEntries: 2, maxBytes: 1 << 20 },
  });
  await fifo.goOnline();
  await cached(fifo, A);
  await fifo.clock.advance(1000);
  await cached(fifo, B);
  await fifo.clock.advance(1000);
  await fromCache(fifo, A);
  await cached(fifo, C);
  assert.equal(
    [A, B, C].map((t) => entry(fifo, t) !== undefined),
    [false, true, true],
    'A came first, used or not',
  );
});

test('C10.FR.07 the byte bound makes room too, and AuthCacheCtrlr.Storage reports the bytes in use', async () => {
  const d = authDriver({ variables: PRE, cache: { maxEntries: 100, maxBytes: 700 } });
  await d.goOnline();
  const message = { format: 'UTF8', content: 'x'.repeat(150) };
  for (const t of [A, B, C, D]) {
    await cached(d, t, { status: 'Accepted', personalMessage: message });
    await d.clock.advance(1000);
  }
  const kept = d.store.list<CacheEntry>(CACHE_NAMESPACE);
  const bytes = kept.reduce((n, e) => n + Buffer.byteLength(e.key) + Buffer.byteLength(JSON.stringify(e.value)), 0);
  assert.ok(kept.length < 4 && bytes <= 700, `${kept.length} entries, ${bytes} bytes`);
  assert.is(entry(d, D) !== undefined, true, 'the newest stays');
  assert.is(d.variables.int('AuthCacheCtrlr', 'Storage'), bytes);
});

test('C10.FR.02 C10.FR.12 the cache survives a restart on the same store, and the store holds hashes, not tokens', async () => {
  const store = openSqliteStore(':memory:');
  const first = authDriver({ variables: PRE, store });
  await first.goOnline();
  await cached(first, token('SECRET-UID'));
  first.shell.stop();
  const second = authDriver({ variables: PRE, store });
  await second.goOnline();
  assert.ok(await fromCache(second, token('secret-uid')));
  const raw = JSON.stringify(store.list(CACHE_NAMESPACE));
  assert.not.ok(raw.toLowerCase().includes('secret-uid'));
});

test('C10.FR.05 C12.FR.06 the idTokenInfo of a TransactionEventResponse updates the cache', async () => {
  const d = authDriver({ variables: PRE });
  await d.goOnline();
  await cached(d, A);
  d.dispatch({
    type: 'queueSent',
    action: 'TransactionEvent',
    payload: { eventType: 'Started', idToken: A } as TransactionEventRequest,
    response: { idTokenInfo: { status: 'Invalid' } },
  });
  assert.is(entry(d, A)?.info.status, 'Invalid');
  assert.not.ok(await fromCache(d, A), 'C10.FR.03: now checked with the CSMS');
});

test('C02.FR.03 C03.FR.02 C05.FR.02 IdTokenInfo for NoAuthorization and Central tokens is never cached', async () => {
  const d = authDriver({ variables: PRE });
  await d.goOnline();
  for (const t of [token('', 'NoAuthorization'), token('REMOTE-7', 'Central')]) {
    d.dispatch({
      type: 'queueSent',
      action: 'TransactionEvent',
      payload: { idToken: t } as TransactionEventRequest,
      response: { idTokenInfo: { status: 'Accepted' } },
    });
  }
  assert.is(d.store.list(CACHE_NAMESPACE).length, 0);
});

test("C10.FR.14 the cache keeps IdTokenInfo without customData and without the groupIdToken's additionalInfo", async () => {
  const d = authDriver({ variables: PRE });
  await d.goOnline();
  await cached(d, A, {
    status: 'Accepted',
    customData: { vendorId: 'x' },
    groupIdToken: { idToken: 'G', type: 'Central', additionalInfo: [{ additionalIdToken: 'secret', type: 'x' }] },
    language1: 'nl',
  });
  assert.equal(entry(d, A)?.info, {
    status: 'Accepted',
    groupIdToken: { idToken: 'G', type: 'Central' },
    language1: 'nl',
  });
});

test('C11.FR.01 C11.FR.02 C11.FR.03 ClearCache empties the cache and answers Accepted', async () => {
  const d = authDriver({ variables: PRE });
  await d.goOnline();
  await cached(d, A);
  await cached(d, B);
  const response = d.shell.answer('ClearCache', {}, 'm1');
  assert.equal(response, { status: 'Accepted' });
  assert.is(d.store.list(CACHE_NAMESPACE).length, 0);
  assert.not.ok(await fromCache(d, A));
});

test('C11.FR.04 ClearCache while AuthCacheCtrlr.Enabled is false: Rejected, nothing cleared', async () => {
  const d = authDriver({ variables: { ...PRE, 'AuthCacheCtrlr.Enabled': false } });
  await d.goOnline();
  d.store.put(CACHE_NAMESPACE, 'x', {
    info: { status: 'Accepted' },
    updatedAt: 0,
    lastUsedAt: 0,
    uses: 0,
    insertedAt: 0,
  });
  assert.equal(d.shell.answer('ClearCache', {}, 'm1'), {
    status: 'Rejected',
    statusInfo: { reasonCode: 'NotEnabled' },
  });
  assert.is(d.store.list(CACHE_NAMESPACE).length, 1);
});

test('C11.FR.05 a cache that cannot be cleared is reported Rejected, and the station keeps using what it holds', async () => {
  const real = openSqliteStore(':memory:');
  let failing = false;
  const store: Store = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'clear' && failing)
        return () => {
          throw new Error('disk full');
        };
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const d = authDriver({ variables: PRE, store });
  await d.goOnline();
  await cached(d, A);
  failing = true;
  assert.equal(d.shell.answer('ClearCache', {}, 'm1'), {
    status: 'Rejected',
    statusInfo: { reasonCode: 'InternalError' },
  });
  failing = false;
  assert.ok(await fromCache(d, A), 'state and store still agree');
});

test.run();
