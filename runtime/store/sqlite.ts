// The default store: one SQLite file through better-sqlite3 (or `:memory:` for tests).
//
// Opening is careful because a station restarts unattended: the file is locked exclusively for the lifetime of the
// store (an OS lock the kernel drops when the process dies, even by SIGKILL, so a crash never leaves a stale lock),
// checked (not SQLite, corrupt, another application's database, newer schema) BEFORE anything is written, and only
// then switched to WAL and migrated. Every failure is a StoreError naming the file; nothing is overwritten.
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteEngine } from './engine.js';
import { NODE_SQLITE_MINIMUM, NodeSqliteDatabase, nodeSqlite } from './node-sqlite.js';
import { createRequire } from 'node:module';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StoreError } from './errors.js';
import { APPLICATION_ID, applyMigrations, checkSchemaVersion, MIGRATIONS, schemaVersion } from './migrations.js';
import { SqliteDocuments } from './sqlite-documents.js';
import { SqliteOutbox } from './sqlite-outbox.js';
import type { Entry, OutboxStore, Store } from './types.js';
import { messageOf } from '../error-text.js';

/**
 * `full` (default): every commit is fsynced before the write returns; a committed write survives a process kill
 * AND a power loss. `normal`: commits survive a process kill, but the last commits before a power loss may be lost
 * (the file stays consistent). See docs/store.md.
 */
export type Durability = 'full' | 'normal';

export interface SqliteStoreOptions {
  durability?: Durability;
  /**
   * How long to retry when the file is locked at start (default 250 ms), for two processes that start at the same
   * instant. A lock held by a running station is never waited out: the open fails with code LOCKED.
   */
  lockWaitMs?: number;
  /**
   * The SQLite engine: `better-sqlite3` (default; an optional peer dependency to install next to ocppkit) or
   * `node:sqlite`, Node's built-in one (Node ≥ 22.13: nothing to build; not covered by our tests, which run on
   * Node 20). The file format is SQLite's either way: a store written by one opens with the other.
   */
  engine?: SqliteEngine;
}

export class SqliteStore implements Store {
  readonly location: string;
  readonly outbox: OutboxStore;
  /** The schema versions this open applied (empty when the file was up to date). */
  readonly appliedMigrations: readonly number[];
  readonly durability: Durability;
  #db: SqliteDatabase;
  readonly engine: SqliteEngine;
  #docs: SqliteDocuments;
  #closed = false;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    if (typeof path !== 'string' || path === '')
      throw new StoreError('INVALID_ARGUMENT', 'store path: expected a file path or ":memory:"');
    const durability = options.durability ?? 'full';
    if (durability !== 'full' && durability !== 'normal') {
      throw new StoreError(
        'INVALID_ARGUMENT',
        `durability: expected "full" or "normal", got ${JSON.stringify(durability)}`,
      );
    }
    this.durability = durability;
    const memory = path === ':memory:';
    this.location = memory ? path : resolve(path);
    if (!memory) checkParentDirectory(this.location);
    const lockWaitMs = options.lockWaitMs ?? 250;
    if (!Number.isFinite(lockWaitMs) || lockWaitMs < 0)
      throw new StoreError('INVALID_ARGUMENT', `lockWaitMs: expected a number ≥ 0, got ${String(lockWaitMs)}`);
    const engine = options.engine ?? defaultEngine();
    if (engine !== 'better-sqlite3' && engine !== 'node:sqlite')
      throw new StoreError(
        'INVALID_ARGUMENT',
        `engine: expected "better-sqlite3" or "node:sqlite", got ${JSON.stringify(engine)}`,
      );
    this.engine = engine;
    this.#db = openChecked(this.location, memory, lockWaitMs, engine);
    try {
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
      this.appliedMigrations = applyMigrations(this.#db, this.location, MIGRATIONS);
    } catch (e) {
      this.#db.close();
      throw e instanceof StoreError ? e : classify(e, this.location, 'preparing');
    }
    this.#docs = new SqliteDocuments(this.#db, () => this.#assertOpen());
    this.outbox = new SqliteOutbox(this.#db, () => this.#assertOpen());
  }

  get closed(): boolean {
    return this.#closed;
  }

  get<T = unknown>(namespace: string, key: string): T | undefined {
    return this.#docs.get<T>(namespace, key);
  }
  put(namespace: string, key: string, value: unknown): void {
    this.#docs.put(namespace, key, value);
  }
  delete(namespace: string, key: string): boolean {
    return this.#docs.delete(namespace, key);
  }
  list<T = unknown>(namespace: string, prefix = ''): Entry<T>[] {
    return this.#docs.list<T>(namespace, prefix);
  }
  clear(namespace: string, prefix = ''): number {
    return this.#docs.clear(namespace, prefix);
  }

  transaction<T>(fn: () => T): T {
    this.#assertOpen();
    if (typeof fn !== 'function') throw new StoreError('INVALID_ARGUMENT', 'transaction(fn): fn must be a function');
    return this.#db.transaction(() => {
      const result = fn();
      // Duck typing: a function that returned a promise cannot run inside a synchronous transaction.
      if (result && typeof (result as { then?: unknown }).then === 'function') {
        // Throwing here rolls the transaction back: an async fn would have its awaited writes outside it.
        throw new StoreError('INVALID_ARGUMENT', 'transaction(fn): fn returned a promise; it must be synchronous');
      }
      return result;
    })();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreError('CLOSED', `store ${this.location} is closed`);
  }
}

/** Opens the SQLite store at `path` (created when absent), or `:memory:`. Throws a StoreError naming the file. */
export function openSqliteStore(path: string, options?: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(path, options);
}

function checkParentDirectory(file: string): void {
  const dir = dirname(file);
  if (!existsSync(dir)) throw new StoreError('IO', `cannot open store file ${file}: directory ${dir} does not exist`);
  if (existsSync(file) && statSync(file).isDirectory())
    throw new StoreError('IO', `cannot open store file ${file}: it is a directory`);
}

/**
 * Opens and locks the file, retrying for a moment when it is locked. The retry is for two processes starting at
 * the same instant: each may take SQLite's shared lock before either can upgrade it, and then both would fail.
 * Closing releases ours, and random pauses let one of them win. A lock that is really held (by a running station)
 * outlasts the retries and gives the LOCKED error.
 */
/**
 * The engine when none is named: better-sqlite3, unless OCPPKIT_SQLITE_ENGINE names the other — for running an
 * unchanged program (and ocppkit's own test suite on Node 22/24, where better-sqlite3 is built for another Node) on
 * node:sqlite. An unknown name is refused like an unknown `engine` option.
 */
function defaultEngine(): SqliteEngine {
  return (process.env.OCPPKIT_SQLITE_ENGINE as SqliteEngine | undefined) || 'better-sqlite3';
}

function openChecked(location: string, memory: boolean, lockWaitMs: number, engine: SqliteEngine): SqliteDatabase {
  const deadline = Date.now() + lockWaitMs;
  for (;;) {
    try {
      return openOnce(location, memory, engine);
    } catch (e) {
      if (!(e instanceof StoreError) || e.code !== 'LOCKED' || Date.now() >= deadline) throw e;
      sleepSync(5 + Math.random() * 20);
    }
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Opens, locks and checks the file; writes nothing. */
// Loaded on first use: importing ocppkit (e.g. for the RPC server or the types) must not load a native module.
// better-sqlite3 is an optional peer dependency (a native module: CSMS developers and users of the types never
// build it); a station that opens the store without it gets one line saying what to install.
let Database: typeof BetterSqlite3 | undefined;
export const BETTER_SQLITE3_MISSING =
  'the SQLite store needs better-sqlite3, which ocppkit does not install for everyone (a native module). Install it next to ocppkit: npm install better-sqlite3@12 (and allow its install script: npm approve-scripts better-sqlite3, see README "Install"); on Node ≥ 22.13, engine "node:sqlite" (ocppkit station --db-engine node:sqlite) needs nothing';
/** better-sqlite3, loaded on first use (also by the fleet's shared store). */
export const loadDatabase = (): typeof BetterSqlite3 => {
  if (Database) return Database;
  try {
    return (Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3);
  } catch (e) {
    // Only its absence is explained; a broken build (a binary for another Node) keeps better-sqlite3's own message.
    if ((e as { code?: string }).code === 'MODULE_NOT_FOUND' && messageOf(e).includes("'better-sqlite3'"))
      throw new StoreError('DRIVER_MISSING', BETTER_SQLITE3_MISSING, { cause: e });
    throw e;
  }
};

/** node:sqlite, or a DRIVER_MISSING StoreError naming the Node version it needs. */
function loadNodeSqlite(): NonNullable<ReturnType<typeof nodeSqlite>> {
  const mod = nodeSqlite();
  if (!mod)
    throw new StoreError(
      'DRIVER_MISSING',
      `engine "node:sqlite" needs Node ≥ ${NODE_SQLITE_MINIMUM} (this is Node ${process.versions.node}); use engine "better-sqlite3" (npm install better-sqlite3@12)`,
    );
  return mod;
}

function openOnce(location: string, memory: boolean, engine: SqliteEngine): SqliteDatabase {
  let db: SqliteDatabase;
  try {
    // timeout 0 (better-sqlite3; node:sqlite's default): a lock held by another station process will not go away
    // by waiting, so say so at once.
    db =
      engine === 'node:sqlite'
        ? new NodeSqliteDatabase(loadNodeSqlite(), location)
        : new (loadDatabase())(location, { timeout: 0 });
  } catch (e) {
    throw e instanceof StoreError ? e : classify(e, location, 'opening');
  }
  try {
    if (!memory) {
      // Held from the first access until close(): no second process (or connection) can read or write the file.
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE; COMMIT');
    }
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') {
      throw new StoreError(
        'CORRUPT',
        `store file ${location} is corrupt (SQLite integrity check: ${String(check)}). Nothing was changed; restore it from a backup or move it away to start with an empty store.`,
      );
    }
    const appId = db.pragma('application_id', { simple: true }) as number;
    // A SQL row of this query has exactly this column.
    const hasTables = (db.prepare(`SELECT count(*) AS n FROM sqlite_master`).get() as { n: number }).n > 0;
    if (appId !== APPLICATION_ID && (appId !== 0 || (hasTables && schemaVersion(db) === 0))) {
      throw new StoreError(
        'CORRUPT',
        `store file ${location} is an SQLite database of another application (application_id ${appId}${hasTables ? ', has tables' : ''}), not an ocppkit store. Nothing was changed.`,
      );
    }
    // Before switching to WAL, which would rewrite the header of a file in rollback-journal mode.
    checkSchemaVersion(db, location);
    return db;
  } catch (e) {
    db.close();
    throw e instanceof StoreError ? e : classify(e, location, 'opening');
  }
}

/** Turns a better-sqlite3 / file-system error into a StoreError that names the file and the problem. */
function classify(e: unknown, location: string, doing: string): StoreError {
  // better-sqlite3's SqliteError carries an SQLITE_* code.
  const code = (e as { code?: string }).code ?? '';
  const msg = messageOf(e);
  if (code === 'SQLITE_NOTADB') {
    return new StoreError(
      'CORRUPT',
      `store file ${location} is not an SQLite database (${msg}): the file is corrupt or of another format. Nothing was changed; move it away to start with an empty store.`,
      { cause: e },
    );
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError(
      'CORRUPT',
      `store file ${location} is corrupt (${msg}). Nothing was changed; restore it from a backup or move it away to start with an empty store.`,
      { cause: e },
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError(
      'LOCKED',
      `store file ${location} is in use by another process (it holds the file's lock): two stations must not share one store file. Nothing was changed.`,
      { cause: e },
    );
  }
  return new StoreError('IO', `cannot open store file ${location} (${doing}): ${msg}`, { cause: e });
}
