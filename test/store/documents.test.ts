// The document API and the outbox of the SQLite store: semantics, bad input, transactions, reopening.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openSqliteStore, StoreError, type NewOutboxRecord } from '../../runtime/store/index.js';
import { tempDir } from '../helpers/tmp.js';

const rec = (over: Partial<NewOutboxRecord> = {}): NewOutboxRecord => ({
  action: 'TransactionEvent',
  lane: 'tx',
  txKey: 'tx-1',
  role: 'update',
  eventTime: 1000,
  createdAt: 2000,
  sends: 0,
  failures: 0,
  notBefore: 0,
  seqNo: null,
  offline: false,
  payload: { a: 1 },
  ...over,
});

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof StoreError ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
  }
  return undefined;
}

test('get / put / delete, namespaces kept apart, values round-trip as JSON', () => {
  const s = openSqliteStore(':memory:');
  s.put('auth', 'TOKEN1', { status: 'Accepted', expiry: '2025-01-01T00:00:00Z', groups: [1, 2] });
  s.put('local', 'TOKEN1', null);
  assert.equal(s.get('auth', 'TOKEN1'), { status: 'Accepted', expiry: '2025-01-01T00:00:00Z', groups: [1, 2] });
  assert.is(s.get('local', 'TOKEN1'), null, 'null is a value');
  assert.is(s.get('auth', 'TOKEN2'), undefined, 'absent is undefined');
  s.put('auth', 'TOKEN1', 'replaced');
  assert.is(s.get('auth', 'TOKEN1'), 'replaced');
  assert.is(s.delete('auth', 'TOKEN1'), true);
  assert.is(s.delete('auth', 'TOKEN1'), false);
  assert.is(s.get('local', 'TOKEN1'), null);
  s.close();
});

test('list and clear by prefix, in key order, including non-ASCII keys', () => {
  const s = openSqliteStore(':memory:');
  for (const k of ['evse/2/conn/1', 'evse/1/conn/2', 'evse/1/conn/1', 'evse/10/conn/1', 'evsé/1', 'other'])
    s.put('dm', k, k.length);
  assert.equal(
    s.list('dm', 'evse/1/').map((e) => e.key),
    ['evse/1/conn/1', 'evse/1/conn/2'],
  );
  assert.equal(
    s.list('dm', 'evse/1').map((e) => e.key),
    ['evse/1/conn/1', 'evse/1/conn/2', 'evse/10/conn/1'],
  );
  assert.equal(
    s.list('dm', 'evsé').map((e) => e.key),
    ['evsé/1'],
  );
  assert.is(s.list('dm').length, 6);
  assert.equal(s.list('none'), []);
  assert.is(s.clear('dm', 'evse/1'), 3);
  assert.equal(
    s.list('dm').map((e) => e.key),
    ['evse/2/conn/1', 'evsé/1', 'other'],
  );
  assert.is(s.clear('dm'), 3);
  s.close();
});

test('bad input gets a clear error naming what is wrong, and stores nothing', () => {
  const s = openSqliteStore(':memory:');
  assert.match(
    code(() => s.put('', 'k', 1))!,
    /^INVALID_ARGUMENT: namespace: must not be empty/,
  );
  assert.match(
    code(() => s.put('ns', 5 as never, 1))!,
    /^INVALID_ARGUMENT: key: expected a string, got number/,
  );
  assert.match(
    code(() => s.get(null as never, 'k'))!,
    /namespace: expected a string, got null/,
  );
  assert.match(
    code(() => s.put('ns', 'k', NaN))!,
    /ns\/k: value is NaN/,
  );
  assert.match(
    code(() => s.put('ns', 'k', { limit: [1, Infinity] }))!,
    /field "1" is Infinity/,
  );
  assert.match(
    code(() => s.put('ns', 'k', undefined))!,
    /cannot be stored as JSON/,
  );
  assert.match(
    code(() => s.put('ns', 'k', () => 1))!,
    /cannot be stored as JSON/,
  );
  assert.match(
    code(() => s.put('ns', 'k', 1n))!,
    /BigInt/,
  );
  const loop: Record<string, unknown> = {};
  loop.self = loop;
  assert.match(
    code(() => s.put('ns', 'k', loop))!,
    /circular/,
  );
  assert.match(
    code(() => s.put('ns', 'x'.repeat(1025), 1))!,
    /at most 1024/,
  );
  assert.match(
    code(() => s.put('ns', 'a\uD800', 1))!,
    /lone UTF-16 surrogate/,
  );
  assert.equal(s.list('ns'), [], 'nothing was written');
  s.close();
});

test('transaction: commits together, rolls back on throw, nests, refuses an async function', async () => {
  const s = openSqliteStore(':memory:');
  const r = s.transaction(() => {
    s.put('t', 'a', 1);
    s.transaction(() => s.put('t', 'b', 2));
    return 'done';
  });
  assert.is(r, 'done');
  assert.is(s.list('t').length, 2);
  assert.throws(
    () =>
      s.transaction(() => {
        s.put('t', 'c', 3);
        s.outbox.append(rec());
        throw new Error('abort');
      }),
    /abort/,
  );
  assert.is(s.get('t', 'c'), undefined, 'document write rolled back');
  assert.is(s.outbox.count(), 0, 'outbox write rolled back with it');
  assert.match(
    code(() => s.transaction(async () => s.put('t', 'd', 4)))!,
    /must be synchronous/,
  );
  assert.is(s.get('t', 'd'), undefined, 'the synchronous part of the async function was rolled back');
  s.close();
});

test('outbox: append in order, update fields, payload on demand, ids never reused', () => {
  const s = openSqliteStore(':memory:');
  const a = s.outbox.append(rec({ payload: { n: 1 } }));
  const b = s.outbox.append(rec({ role: 'meter', payload: { n: 2 } }));
  assert.ok(b > a);
  s.outbox.update(a, { sends: 1, seqNo: 0 });
  s.outbox.update(a, { failures: 1, notBefore: 5000, offline: true });
  const [ma, mb] = s.outbox.list();
  const { payload: _unused, ...meta } = rec();
  assert.equal(ma, { ...meta, id: a, sends: 1, seqNo: 0, failures: 1, notBefore: 5000, offline: true });
  assert.is(mb!.role, 'meter');
  assert.equal(s.outbox.payload(b), { n: 2 });
  assert.is(s.outbox.remove(b), true);
  assert.is(s.outbox.remove(b), false);
  const c = s.outbox.append(rec());
  assert.ok(c > b, 'the id of a removed last message is not given again');
  assert.is(s.outbox.count(), 2);
  assert.match(
    code(() => s.outbox.update(999, { sends: 1 }))!,
    /outbox message 999 does not exist/,
  );
  assert.match(
    code(() => s.outbox.payload(999))!,
    /outbox message 999 does not exist/,
  );
  assert.match(
    code(() => s.outbox.append(rec({ payload: { x: NaN } })))!,
    /TransactionEvent payload/,
  );
  assert.match(
    code(() => s.outbox.append(rec({ action: '' })))!,
    /action/,
  );
  s.close();
});

test('reopen after close keeps documents and the outbox, in order', () => {
  const t = tempDir();
  try {
    const a = openSqliteStore(t.file('s.db'));
    a.put('reservations', '7', { evseId: 1 });
    const ids = [1, 2, 3].map((n) => a.outbox.append(rec({ payload: { n } })));
    a.outbox.update(ids[0]!, { sends: 1, seqNo: 0 });
    a.close();
    assert.is(a.closed, true);
    assert.match(
      code(() => a.get('reservations', '7'))!,
      /^CLOSED/,
    );
    const b = openSqliteStore(t.file('s.db'));
    assert.equal(b.get('reservations', '7'), { evseId: 1 });
    assert.equal(
      b.outbox.list().map((m) => m.id),
      ids,
    );
    assert.equal(
      ids.map((id) => b.outbox.payload(id)),
      [{ n: 1 }, { n: 2 }, { n: 3 }],
    );
    assert.is(b.outbox.list()[0]!.seqNo, 0);
    b.close();
  } finally {
    t.remove();
  }
});

test.run();
