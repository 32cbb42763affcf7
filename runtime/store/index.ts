// ocppkit's durable store: the Store interface and its SQLite implementation.
export type {
  DocumentStore,
  Entry,
  JsonValue,
  NewOutboxRecord,
  OutboxLane,
  OutboxMeta,
  OutboxRole,
  OutboxStore,
  Store,
} from './types.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { MemoryStore, openMemoryStore } from './memory.js';
export { openSqliteStore, SqliteStore, type Durability, type SqliteStoreOptions } from './sqlite.js';
export type { SqliteDatabase, SqliteEngine, SqliteRunResult, SqliteStatement } from './engine.js';
export { nodeSqliteAvailable } from './node-sqlite.js';
export { applyMigrations, latestVersion, MIGRATIONS, schemaVersion, type Migration } from './migrations.js';
