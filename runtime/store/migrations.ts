// Versioned schema migrations of the SQLite store. Each migration runs once, in order, inside its own transaction,
// and is recorded in `schema_migrations`; restarting applies only what is missing. Never edit a migration that has
// shipped: add a new one (a station in the field may hold a file written by any earlier version).
import type { SqliteDatabase } from './engine.js';
import { StoreError } from './errors.js';

type Db = SqliteDatabase;

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Db): void;
}

/** `PRAGMA application_id` of an ocppkit store ("ocpk"): tells our files apart from other SQLite databases. */
export const APPLICATION_ID = 0x6f63706b;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'documents',
    up(db) {
      db.exec(`
        CREATE TABLE documents (
          ns    TEXT NOT NULL,
          key   TEXT NOT NULL,
          value TEXT NOT NULL,
          PRIMARY KEY (ns, key)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 2,
    name: 'outbox',
    up(db) {
      // AUTOINCREMENT: ids are never reused, so an id names one message for the lifetime of the file (events and
      // logs can refer to it) and queue order is id order.
      db.exec(`
        CREATE TABLE outbox (
          id         INTEGER PRIMARY KEY AUTOINCREMENT,
          action     TEXT    NOT NULL,
          lane       TEXT    NOT NULL CHECK (lane IN ('tx', 'other')),
          tx_key     TEXT,
          role       TEXT    NOT NULL CHECK (role IN ('start', 'end', 'update', 'meter', 'loose', 'keep')),
          event_time INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          sends      INTEGER NOT NULL DEFAULT 0,
          failures   INTEGER NOT NULL DEFAULT 0,
          not_before INTEGER NOT NULL DEFAULT 0,
          seq_no     INTEGER,
          offline    INTEGER NOT NULL DEFAULT 0 CHECK (offline IN (0, 1)),
          payload    TEXT    NOT NULL
        );
      `);
    },
  },
];

/** The newest schema version `migrations` describes. */
export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
}

/** The schema version recorded in the file (0 for a file without our migrations table). */
export function schemaVersion(db: Db): number {
  const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get();
  if (!table) return 0;
  // A SQL row of this query has exactly this column.
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/** The file's schema version; a StoreError when it is newer than the newest migration known here. */
export function checkSchemaVersion(db: Db, location: string, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = schemaVersion(db);
  const latest = latestVersion(migrations);
  if (current > latest) {
    throw new StoreError(
      'NEWER_SCHEMA',
      `store file ${location} has schema version ${current}, but this ocppkit knows versions up to ${latest}: it was written by a newer ocppkit. Refusing to open it (nothing was changed); upgrade ocppkit or use another file.`,
    );
  }
  return current;
}

/**
 * Applies every migration newer than the file's schema version; returns the versions applied. Refuses a file whose
 * version is newer than the newest known migration: running old code on it could lose data that code does not know.
 */
export function applyMigrations(db: Db, location: string, migrations: readonly Migration[] = MIGRATIONS): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(
        `migration "${m.name}" has version ${m.version}, expected ${i + 1}: versions must be 1, 2, 3, … in order`,
      );
  });
  const current = checkSchemaVersion(db, location, migrations);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT    NOT NULL,
        applied_at TEXT    NOT NULL
      )`);
      m.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
      db.pragma(`application_id = ${APPLICATION_ID}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
