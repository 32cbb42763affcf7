// Errors of opening and using a store. Each names the store's location and the problem, and says what was (not)
// changed, because the person reading it is usually someone at a charger with a broken or busy file.

export type StoreErrorCode =
  /** The file is not an SQLite database, or its pages fail the integrity check. */
  | 'CORRUPT'
  /** Another process (or another connection in this one) holds the file. */
  | 'LOCKED'
  /** The file was written by a newer ocppkit: its schema version is above the newest migration we know. */
  | 'NEWER_SCHEMA'
  /** The file cannot be opened or created (missing directory, permissions, read-only medium, disk full). */
  | 'IO'
  /** A call with a bad argument (empty namespace, a value JSON cannot represent, …). */
  | 'INVALID_ARGUMENT'
  /** The store was used after close(). */
  | 'CLOSED'
  /** The SQLite engine is not available: better-sqlite3 is not installed (it is an optional peer dependency). */
  | 'DRIVER_MISSING';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
