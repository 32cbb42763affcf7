// Issue 19: the store's SQLite engine. better-sqlite3 is the default (an optional peer); `engine: 'node:sqlite'`
// runs the same store on Node's built-in SQLite where Node has it (≥ 22.13), detected at run time. This suite
// runs on Node 20, which has no node:sqlite: here the refusal is tested. The store tests under node:sqlite are
// registered only where it exists (the runner counts the tests a file registers), ready for a Node 22/24 run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { nodeSqliteAvailable, openSqliteStore, StoreError, type NewOutboxRecord } from '../../runtime/store/index.js';
import { tempDir } from '../helpers/tmp.js';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const hasNodeSqlite = major > 22 || (major === 22 && minor >= 13);

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StoreError) return e;
    throw e;
  }
  throw new Error('expected a StoreError');
}

test(`node:sqlite is detected exactly where Node has it complete (≥ 22.13; this is ${process.versions.node})`, () => {
  assert.is(nodeSqliteAvailable(), hasNodeSqlite);
});

test('an engine that is not one of the two is INVALID_ARGUMENT, before any file is created', () => {
  const tmp = tempDir();
  try {
    const file = tmp.file('x.db');
    // From JavaScript, or a config file: the type allows only the two names.
    const e = storeError(() => openSqliteStore(file, { engine: 'sqlite3' as 'node:sqlite' }));
    assert.is(e.code, 'INVALID_ARGUMENT');
    assert.match(e.message, /engine: expected "better-sqlite3" or "node:sqlite", got "sqlite3"/);
    assert.not.ok(existsSync(file));
  } finally {
    tmp.remove();
  }
});

if (!hasNodeSqlite) {
  test('without node:sqlite: engine "node:sqlite" is DRIVER_MISSING naming the Node it needs, and creates no file', () => {
    const tmp = tempDir();
    try {
      const file = tmp.file('station.db');
      const e = storeError(() => openSqliteStore(file, { engine: 'node:sqlite' }));
      assert.is(e.code, 'DRIVER_MISSING');
      assert.match(e.message, new RegExp(`needs Node ≥ 22\\.13 \\(this is Node ${process.versions.node}\\)`));
      assert.match(e.message, /npm install better-sqlite3@12/);
      assert.not.ok(existsSync(file));
    } finally {
      tmp.remove();
    }
  });
}

const rec = (over: Partial<NewOutboxRecord> = {}): NewOutboxRecord => ({
  action: 'TransactionEvent',
  lane: 'tx',
  txKey: 'tx-1',
  role: 'update',
  eventTime: 1000,
  createdAt: 1000,
  sends: 0,
  failures: 0,
  notBefore: 0,
  seqNo: null,
  offline: false,
  payload: { eventType: 'Started' },
  ...over,
});

if (hasNodeSqlite) {
  test('node:sqlite: documents, a nested transaction rolled back with the outbox, ids in order', () => {
    const s = openSqliteStore(':memory:', { engine: 'node:sqlite' });
    s.put('ns', 'a', { v: 1 });
    s.put('ns', 'b', [1, 'two']);
    assert.equal(s.get('ns', 'a'), { v: 1 });
    assert.equal(
      s.list('ns').map((e) => e.key),
      ['a', 'b'],
    );
    s.transaction(() => s.transaction(() => s.put('ns', 'c', 3)));
    assert.is(s.get('ns', 'c'), 3);
    assert.throws(() =>
      s.transaction(() => {
        s.put('ns', 'd', 4);
        s.outbox.append(rec());
        throw new Error('abort');
      }),
    );
    assert.is(s.get('ns', 'd'), undefined);
    assert.is(s.outbox.count(), 0);
    const first = s.outbox.append(rec());
    const second = s.outbox.append(rec({ payload: { n: 2 } }));
    assert.ok(second > first);
    assert.equal(s.outbox.payload(second), { n: 2 });
    assert.is(s.clear('ns'), 3);
    s.close();
  });

  test('node:sqlite and better-sqlite3 read each other’s store files; a second opener is LOCKED', () => {
    const tmp = tempDir();
    try {
      const file = tmp.file('station.db');
      const a = openSqliteStore(file, { engine: 'node:sqlite' });
      a.put('ns', 'k', 'written by node:sqlite');
      assert.is(storeError(() => openSqliteStore(file, { engine: 'node:sqlite', lockWaitMs: 0 })).code, 'LOCKED');
      a.close();
      const b = openSqliteStore(file);
      assert.is(b.get('ns', 'k'), 'written by node:sqlite');
      b.put('ns', 'k2', 'written by better-sqlite3');
      b.close();
      const c = openSqliteStore(file, { engine: 'node:sqlite' });
      assert.is(c.get('ns', 'k2'), 'written by better-sqlite3');
      assert.equal(c.appliedMigrations, []);
      c.close();
    } finally {
      tmp.remove();
    }
  });
}

test.run();
