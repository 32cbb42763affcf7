// The part of an SQLite engine the store uses. better-sqlite3 (the default; a native module, an optional peer
// dependency) satisfies it as it is; Node's built-in node:sqlite (Node ≥ 22.13, nothing to build) through
// ./node-sqlite.ts. The shapes are better-sqlite3's, so that code written against it keeps its types.

export interface SqliteRunResult {
  changes: number | bigint;
  lastInsertRowid: number | bigint;
}

/** A prepared statement taking `Params`: positional values, or one object for `@name` placeholders. */
export interface SqliteStatement<Params extends unknown[] = unknown[], Row = unknown> {
  run(...params: Params): SqliteRunResult;
  get(...params: Params): Row | undefined;
  all(...params: Params): Row[];
  iterate(...params: Params): IterableIterator<Row>;
}

export interface SqliteDatabase {
  /** The caller names the row type: what its SQL selects. */
  prepare<Params extends unknown[] | {} = unknown[], Row = unknown>(
    source: string,
  ): Params extends unknown[] ? SqliteStatement<Params, Row> : SqliteStatement<[Params], Row>;
  exec(source: string): unknown;
  /** `PRAGMA <source>`: the rows, or with `simple` the first column of the first row. */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /** A function that runs `fn` in a transaction (a savepoint when nested): committed when it returns, rolled back when it throws. */
  transaction<T>(fn: () => T): () => T;
  close(): unknown;
}

/** Which engine a store runs on. */
export type SqliteEngine = 'better-sqlite3' | 'node:sqlite';
