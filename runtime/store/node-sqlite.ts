// The store on Node's built-in SQLite (node:sqlite): no native module to build or allow. Available from Node
// 22.13 (unflagged there and in 23.4, with StatementSync.iterate); detected at run time, so that this file loads
// on Node 20, where the module does not exist. It adapts node:sqlite to the better-sqlite3 shapes the store is
// written against (./engine.ts): pragma(), transaction() with savepoints when nested, error codes by name.
//
// Not exercised by the test suite, which runs on Node 20 (see README "Node.js"): on Node 20 only the detection and
// the refusal are tested (test/store/engine.test.ts).
import type { SqliteDatabase, SqliteRunResult, SqliteStatement } from './engine.js';

/** The part of node:sqlite used here (@types/node 20 has no declarations of it). */
interface NodeStatementSync {
  run(...params: unknown[]): SqliteRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
}
interface NodeDatabaseSync {
  prepare(source: string): NodeStatementSync;
  exec(source: string): void;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: new (location: string, options?: { open?: boolean }) => NodeDatabaseSync;
  StatementSync: { prototype: Partial<NodeStatementSync> };
}

/** The minimum Node version whose node:sqlite the store can use. */
export const NODE_SQLITE_MINIMUM = '22.13';

/** node:sqlite when this Node has it, complete enough for the store; undefined otherwise. */
export function nodeSqlite(): NodeSqliteModule | undefined {
  let mod: unknown;
  try {
    // getBuiltinModule (Node ≥ 20.16): synchronous, and undefined instead of a throw for a module this Node lacks.
    mod = process.getBuiltinModule?.('node:sqlite');
  } catch {
    return undefined; // present but behind --experimental-sqlite (22.5–22.12)
  }
  const candidate = mod as Partial<NodeSqliteModule> | undefined;
  if (typeof candidate?.DatabaseSync !== 'function') return undefined;
  if (typeof candidate.StatementSync?.prototype.iterate !== 'function') return undefined;
  return candidate as NodeSqliteModule;
}

/** Whether this Node has a node:sqlite the store can use (`engine: 'node:sqlite'`). */
export const nodeSqliteAvailable = (): boolean => nodeSqlite() !== undefined;

/** SQLite's primary result codes by number, named as better-sqlite3 names them (classify() reads the name). */
const PRIMARY_CODES: Record<number, string> = {
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  11: 'SQLITE_CORRUPT',
  14: 'SQLITE_CANTOPEN',
  26: 'SQLITE_NOTADB',
};

/** Gives a node:sqlite error (code ERR_SQLITE_ERROR, errcode a number) better-sqlite3's SQLITE_* code. */
function named(e: unknown): unknown {
  if (!(e instanceof Error)) return e;
  const { errcode } = e as Error & { errcode?: unknown };
  const code = typeof errcode === 'number' ? PRIMARY_CODES[errcode & 0xff] : undefined;
  if (code) Object.defineProperty(e, 'code', { value: code, configurable: true });
  return e;
}

function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw named(e);
  }
}

class NodeStatement implements SqliteStatement {
  readonly #stmt: NodeStatementSync;
  constructor(stmt: NodeStatementSync) {
    this.#stmt = stmt;
  }
  run(...params: unknown[]): SqliteRunResult {
    return guarded(() => this.#stmt.run(...params));
  }
  get(...params: unknown[]): unknown {
    return guarded(() => this.#stmt.get(...params));
  }
  all(...params: unknown[]): unknown[] {
    return guarded(() => this.#stmt.all(...params));
  }
  iterate(...params: unknown[]): IterableIterator<unknown> {
    return guarded(() => this.#stmt.iterate(...params));
  }
}

export class NodeSqliteDatabase implements SqliteDatabase {
  readonly #db: NodeDatabaseSync;
  #depth = 0;

  constructor(mod: NodeSqliteModule, location: string) {
    this.#db = guarded(() => new mod.DatabaseSync(location));
  }

  prepare<Params extends unknown[] | {} = unknown[], Row = unknown>(
    source: string,
  ): Params extends unknown[] ? SqliteStatement<Params, Row> : SqliteStatement<[Params], Row> {
    const stmt = new NodeStatement(guarded(() => this.#db.prepare(source)));
    // As with better-sqlite3, the caller names the parameters and rows its SQL takes and selects; node:sqlite
    // binds and returns them untyped.
    return stmt as unknown as Params extends unknown[] ? SqliteStatement<Params, Row> : SqliteStatement<[Params], Row>;
  }

  exec(source: string): void {
    guarded(() => this.#db.exec(source));
  }

  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const rows = guarded(() => this.#db.prepare(`PRAGMA ${source}`).all());
    if (!options.simple) return rows;
    const first = rows[0];
    return first && typeof first === 'object' ? Object.values(first)[0] : undefined;
  }

  transaction<T>(fn: () => T): () => T {
    return () => {
      const savepoint = this.#depth > 0 ? `ocppkit_sp${this.#depth}` : undefined;
      this.exec(savepoint ? `SAVEPOINT ${savepoint}` : 'BEGIN');
      this.#depth++;
      try {
        const result = fn();
        this.#depth--;
        this.exec(savepoint ? `RELEASE ${savepoint}` : 'COMMIT');
        return result;
      } catch (e) {
        this.#depth--;
        try {
          this.exec(savepoint ? `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}` : 'ROLLBACK');
        } catch {
          // SQLite already rolled back (some errors end the transaction themselves): the first error is the one.
        }
        throw e;
      }
    };
  }

  close(): void {
    this.#db.close();
  }
}
