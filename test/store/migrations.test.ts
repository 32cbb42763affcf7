// Versioned migrations: applied once each, in order, in a transaction; upgrades of real files written by an older
// schema; refusal of files from a newer ocppkit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { APPLICATION_ID, applyMigrations, MIGRATIONS, type Migration } from '../../runtime/store/migrations.js';
import { openSqliteStore, StoreError } from '../../runtime/store/index.js';
import { tempDir } from '../helpers/tmp.js';

function rawRows(file: string): { version: number; name: string }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as {
      version: number;
      name: string;
    }[];
  } finally {
    db.close();
  }
}

test('fresh file: every migration applied once, in order, and recorded with the application id', () => {
  const t = tempDir();
  try {
    const s = openSqliteStore(t.file('s.db'));
    assert.equal(
      s.appliedMigrations,
      MIGRATIONS.map((m) => m.version),
    );
    s.close();
    assert.equal(
      rawRows(t.file('s.db')),
      MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
    );
    const db = new Database(t.file('s.db'), { readonly: true });
    assert.is(db.pragma('application_id', { simple: true }), APPLICATION_ID);
    assert.is(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  } finally {
    t.remove();
  }
});

test('restart is idempotent: reopening applies nothing and keeps the data', () => {
  const t = tempDir();
  try {
    const a = openSqliteStore(t.file('s.db'));
    a.put('ns', 'k', { v: 1 });
    a.close();
    for (let i = 0; i < 3; i++) {
      const b = openSqliteStore(t.file('s.db'));
      assert.equal(b.appliedMigrations, []);
      assert.equal(b.get('ns', 'k'), { v: 1 });
      b.close();
    }
    assert.is(rawRows(t.file('s.db')).length, MIGRATIONS.length);
  } finally {
    t.remove();
  }
});

test('upgrade: a real file at schema version 1 gets only the newer migrations and keeps its documents', () => {
  const t = tempDir();
  try {
    // What an ocppkit with only migration 1 would have written.
    const old = new Database(t.file('old.db'));
    old.pragma('journal_mode = WAL');
    applyMigrations(old, t.file('old.db'), MIGRATIONS.slice(0, 1));
    old
      .prepare('INSERT INTO documents (ns, key, value) VALUES (?, ?, ?)')
      .run('deviceModel', 'OCPPCommCtrlr/HeartbeatInterval', '300');
    old.close();
    assert.equal(
      rawRows(t.file('old.db')).map((r) => r.version),
      [1],
    );

    const s = openSqliteStore(t.file('old.db'));
    assert.equal(s.appliedMigrations, [2]);
    assert.is(s.get('deviceModel', 'OCPPCommCtrlr/HeartbeatInterval'), 300);
    const id = s.outbox.append({
      action: 'TransactionEvent',
      lane: 'tx',
      txKey: 't',
      role: 'start',
      eventTime: 1,
      createdAt: 1,
      sends: 0,
      failures: 0,
      notBefore: 0,
      seqNo: null,
      offline: false,
      payload: {},
    });
    assert.is(s.outbox.count(), 1);
    assert.is(id, 1);
    s.close();
    assert.equal(
      rawRows(t.file('old.db')).map((r) => r.version),
      [1, 2],
    );
  } finally {
    t.remove();
  }
});

test('a migration that fails is rolled back entirely and recorded as not applied', () => {
  const t = tempDir();
  try {
    const db = new Database(t.file('m.db'));
    const failing: Migration[] = [
      MIGRATIONS[0]!,
      {
        version: 2,
        name: 'half-done',
        up(d) {
          d.exec('CREATE TABLE half (x)');
          throw new Error('boom in the middle');
        },
      },
    ];
    assert.throws(() => applyMigrations(db, t.file('m.db'), failing), /boom in the middle/);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map(
      (r) => r.name,
    );
    assert.not.ok(tables.includes('half'), 'the half-applied table is gone');
    assert.equal(
      (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
      [1],
    );
    // The next start applies it again, now working.
    assert.equal(applyMigrations(db, t.file('m.db'), MIGRATIONS), [2]);
    db.close();
  } finally {
    t.remove();
  }
});

test('a file written by a newer ocppkit (higher schema version) is refused and left byte for byte unchanged', () => {
  const t = tempDir();
  try {
    const s = openSqliteStore(t.file('new.db'));
    s.put('a', 'b', 1);
    s.close();
    const raw = new Database(t.file('new.db'));
    raw
      .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, ?, ?)')
      .run('from the future', new Date().toISOString());
    raw.close();
    const before = readFileSync(t.file('new.db'));
    const err = (() => {
      try {
        openSqliteStore(t.file('new.db'));
      } catch (e) {
        return e;
      }
    })();
    assert.instance(err, StoreError);
    assert.is((err as StoreError).code, 'NEWER_SCHEMA');
    assert.match((err as Error).message, t.file('new.db'));
    assert.match((err as Error).message, /schema version 99/);
    assert.ok(readFileSync(t.file('new.db')).equals(before), 'file unchanged');
  } finally {
    t.remove();
  }
});

test('migrations must be numbered 1, 2, 3, … (a programming error is reported, nothing applied)', () => {
  const db = new Database(':memory:');
  assert.throws(() => applyMigrations(db, ':memory:', [{ version: 2, name: 'x', up() {} }]), /expected 1/);
  db.close();
});

test.run();
