// The Store contract as tests, for every implementation: the SQLite store (documents.test.ts) and the in-memory
// store (memory.test.ts) must pass the same suite, so that a station behaves the same on either (issue 18).
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import { StoreError, type NewOutboxRecord, type Store } from '../../runtime/store/index.js';

export const rec = (over: Partial<NewOutboxRecord> = {}): NewOutboxRecord => ({
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

export function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof StoreError ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
  }
  return undefined;
}

/** Registers the contract's tests, named `<name>: …`, each on a new empty store from `open`. */
export function storeContract(test: Test, name: string, open: () => Store): void {
  test(`${name}: get / put / delete, namespaces kept apart, values round-trip as JSON`, () => {
    const s = open();
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

  test(`${name}: list and clear by prefix, in key order, including non-ASCII keys`, () => {
    const s = open();
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

  test(`${name}: bad input gets a clear error naming what is wrong, and stores nothing`, () => {
    const s = open();
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

  test(`${name}: transaction: commits together, rolls back on throw, nests, refuses an async function`, async () => {
    const s = open();
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

  test(`${name}: outbox: append in order, update fields, payload on demand, ids never reused`, () => {
    const s = open();
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

  test(`${name}: keys list in UTF-8 byte order (a character above U+FFFF after U+E000–U+FFFF)`, () => {
    const s = open();
    for (const k of ['\u{1F600}', '\uFFFD', '\uE000', 'z', 'é']) s.put('o', k, 1);
    assert.equal(
      s.list('o').map((e) => e.key),
      ['z', 'é', '\uE000', '\uFFFD', '\u{1F600}'],
    );
    s.close();
  });

  test(`${name}: a nested transaction that throws undoes only its own writes; the outer one goes on`, () => {
    const s = open();
    s.put('n', 'kept', 0);
    const id = s.outbox.append(rec());
    s.transaction(() => {
      s.put('n', 'a', 1);
      assert.throws(() =>
        s.transaction(() => {
          s.put('n', 'kept', 'changed');
          s.delete('n', 'a');
          s.clear('n');
          s.outbox.update(id, { sends: 5 });
          s.outbox.remove(id);
          s.outbox.append(rec());
          throw new Error('inner');
        }),
      );
      s.put('n', 'b', 2);
    });
    assert.equal(s.list('n'), [
      { key: 'a', value: 1 },
      { key: 'b', value: 2 },
      { key: 'kept', value: 0 },
    ]);
    assert.equal(
      s.outbox.list().map((m) => [m.id, m.sends]),
      [[id, 0]],
    );
    s.close();
  });

  test(`${name}: what get, list and payload return are copies; a closed store refuses every call`, () => {
    const s = open();
    const value = { n: [1] };
    s.put('c', 'k', value);
    value.n.push(2);
    const read = s.get<{ n: number[] }>('c', 'k')!;
    read.n.push(3);
    assert.equal(s.get('c', 'k'), { n: [1] });
    assert.equal(s.list('c')[0]!.value, { n: [1] });
    const id = s.outbox.append(rec({ payload: value }));
    (s.outbox.payload(id) as { n: number[] }).n.length = 0;
    assert.equal(s.outbox.payload(id), { n: [1, 2] });
    s.outbox.list()[0]!.sends = 9;
    assert.is(s.outbox.list()[0]!.sends, 0);
    assert.is(s.closed, false);
    s.close();
    assert.is(s.closed, true);
    assert.match(
      code(() => s.get('c', 'k'))!,
      /^CLOSED/,
    );
    assert.match(
      code(() => s.put('c', 'k', 1))!,
      /^CLOSED/,
    );
    assert.match(
      code(() => s.list('c'))!,
      /^CLOSED/,
    );
    assert.match(
      code(() => s.outbox.count())!,
      /^CLOSED/,
    );
    assert.match(
      code(() => s.transaction(() => 1))!,
      /^CLOSED/,
    );
  });
}
