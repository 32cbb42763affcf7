// A store file that cannot be used at start gives a clear error naming the file and the problem, and nothing is
// overwritten: garbage bytes, damaged pages, another application's database, a file held by another process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { openSqliteStore, StoreError, type StoreErrorCode } from '../../runtime/store/index.js';
import { tempDir } from '../helpers/tmp.js';
import { startChild } from './child.js';

function openError(file: string): StoreError {
  try {
    openSqliteStore(file).close();
  } catch (e) {
    if (e instanceof StoreError) return e;
    throw e;
  }
  throw new Error(`opening ${file} did not fail`);
}

function expectRefused(file: string, code: StoreErrorCode, problem: RegExp): void {
  const before = readFileSync(file);
  const dir = readdirSync(dirname(file)).sort();
  const err = openError(file);
  assert.is(err.code, code);
  assert.ok(err.message.includes(file), `message names the file: ${err.message}`);
  assert.match(err.message, problem);
  assert.match(err.message, /Nothing was changed/);
  assert.ok(readFileSync(file).equals(before), 'file content unchanged');
  assert.equal(readdirSync(dirname(file)).sort(), dir, 'no file created or removed next to it');
}

test('garbage bytes: CORRUPT "not an SQLite database", file untouched', () => {
  const t = tempDir();
  try {
    writeFileSync(t.file('garbage.db'), Buffer.from('this is not a database, it is a log file\n'.repeat(300)));
    expectRefused(t.file('garbage.db'), 'CORRUPT', /not an SQLite database/);
  } finally {
    t.remove();
  }
});

test('damaged pages in a real store: CORRUPT from the integrity check, file untouched', () => {
  const t = tempDir();
  try {
    const s = openSqliteStore(t.file('damaged.db'));
    for (let i = 0; i < 2000; i++) s.put('ns', `k${i}`, { i, pad: 'x'.repeat(100) });
    s.close();
    const bytes = readFileSync(t.file('damaged.db'));
    for (let i = 3 * 4096; i < 3 * 4096 + 3000; i++) bytes[i] = (i * 7) & 0xff;
    writeFileSync(t.file('damaged.db'), bytes);
    expectRefused(t.file('damaged.db'), 'CORRUPT', /corrupt/);
  } finally {
    t.remove();
  }
});

test('a truncated store file: CORRUPT, file untouched', () => {
  const t = tempDir();
  try {
    const s = openSqliteStore(t.file('cut.db'));
    for (let i = 0; i < 500; i++) s.put('ns', `k${i}`, i);
    s.close();
    writeFileSync(t.file('cut.db'), readFileSync(t.file('cut.db')).subarray(0, 5000));
    expectRefused(t.file('cut.db'), 'CORRUPT', /corrupt/);
  } finally {
    t.remove();
  }
});

test('an SQLite database of another application is refused, not migrated into', () => {
  const t = tempDir();
  try {
    const other = new Database(t.file('other.db'));
    other.exec("CREATE TABLE customers (name TEXT); INSERT INTO customers VALUES ('x')");
    other.close();
    expectRefused(t.file('other.db'), 'CORRUPT', /another application/);
  } finally {
    t.remove();
  }
});

test('locked by another process: LOCKED naming the file; after that process is killed (SIGKILL) the file opens with its data', async () => {
  const t = tempDir();
  const child = startChild(['hold', t.file('busy.db')]);
  try {
    await child.waitFor(/^ready$/);
    const err = openError(t.file('busy.db'));
    assert.is(err.code, 'LOCKED');
    assert.ok(err.message.includes(t.file('busy.db')), err.message);
    assert.match(err.message, /in use by another process/);
    assert.match(err.message, /Nothing was changed/);

    // The lock is the kernel's: a crashed station leaves no stale lock behind.
    child.proc.kill('SIGKILL');
    assert.is((await child.exited).signal, 'SIGKILL');
    const s = openSqliteStore(t.file('busy.db'));
    assert.is(s.get('held', 'by'), child.proc.pid);
    s.close();
  } finally {
    child.proc.kill('SIGKILL');
    t.remove();
  }
});

test('a second open of the same file in the same process is refused while the first is open', () => {
  const t = tempDir();
  try {
    const a = openSqliteStore(t.file('one.db'));
    assert.is(openError(t.file('one.db')).code, 'LOCKED');
    a.put('still', 'works', true);
    a.close();
    const b = openSqliteStore(t.file('one.db'));
    assert.is(b.get('still', 'works'), true);
    b.close();
  } finally {
    t.remove();
  }
});

test('a missing directory or a directory as the file: IO error naming the path', () => {
  const t = tempDir();
  try {
    const e1 = openError(t.file('nope/s.db'));
    assert.is(e1.code, 'IO');
    assert.match(e1.message, /does not exist/);
    assert.ok(e1.message.includes(t.file('nope')));
    const e2 = openError(t.dir);
    assert.is(e2.code, 'IO');
    assert.match(e2.message, /is a directory/);
  } finally {
    t.remove();
  }
});

test('bad options are refused with the option named', () => {
  assert.throws(() => openSqliteStore(''), /store path/);
  assert.throws(() => openSqliteStore(':memory:', { durability: 'fast' as never }), /durability/);
  assert.throws(() => openSqliteStore(':memory:', { lockWaitMs: -1 }), /lockWaitMs/);
});

test.run();
