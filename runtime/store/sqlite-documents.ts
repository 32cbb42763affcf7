// The document half of the SQLite store: JSON values by (namespace, key).
import type { SqliteDatabase, SqliteStatement } from './engine.js';
import { StoreError } from './errors.js';
import type { DocumentStore, Entry } from './types.js';
import { messageOf } from '../error-text.js';

const MAX_NAME = 1024;
// With the u flag a surrogate code unit only matches when it is not half of a pair.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export class SqliteDocuments implements DocumentStore {
  readonly #db: SqliteDatabase;
  readonly #assertOpen: () => void;
  readonly #get: SqliteStatement<[string, string], { value: string }>;
  readonly #put: SqliteStatement<[string, string, string]>;
  readonly #del: SqliteStatement<[string, string]>;
  readonly #from: SqliteStatement<[string, string], { key: string; value: string }>;

  constructor(db: SqliteDatabase, assertOpen: () => void) {
    this.#db = db;
    this.#assertOpen = assertOpen;
    this.#get = db.prepare('SELECT value FROM documents WHERE ns = ? AND key = ?');
    this.#put = db.prepare(
      'INSERT INTO documents (ns, key, value) VALUES (?, ?, ?) ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value',
    );
    this.#del = db.prepare('DELETE FROM documents WHERE ns = ? AND key = ?');
    // Keys sharing a prefix are contiguous in SQLite's byte order, so a prefix listing starts at the prefix and
    // stops at the first key without it.
    this.#from = db.prepare('SELECT key, value FROM documents WHERE ns = ? AND key >= ? ORDER BY key');
  }

  get<T = unknown>(namespace: string, key: string): T | undefined {
    this.#assertOpen();
    checkName('namespace', namespace, false);
    checkName('key', key, true);
    const row = this.#get.get(namespace, key);
    // A JSON boundary: the document was written by put() from a T (the caller names T).
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  put(namespace: string, key: string, value: unknown): void {
    this.#assertOpen();
    checkName('namespace', namespace, false);
    checkName('key', key, true);
    this.#put.run(namespace, key, toJson(value, `${namespace}/${key}`));
  }

  delete(namespace: string, key: string): boolean {
    this.#assertOpen();
    checkName('namespace', namespace, false);
    checkName('key', key, true);
    return this.#del.run(namespace, key).changes > 0;
  }

  list<T = unknown>(namespace: string, prefix = ''): Entry<T>[] {
    this.#assertOpen();
    checkName('namespace', namespace, false);
    checkName('prefix', prefix, true);
    const out: Entry<T>[] = [];
    for (const row of this.#from.iterate(namespace, prefix)) {
      if (!row.key.startsWith(prefix)) break;
      // As in get(): documents written by put() from a T.
      out.push({ key: row.key, value: JSON.parse(row.value) as T });
    }
    return out;
  }

  clear(namespace: string, prefix = ''): number {
    this.#assertOpen();
    checkName('namespace', namespace, false);
    checkName('prefix', prefix, true);
    return this.#db.transaction(() => {
      const keys = this.list(namespace, prefix).map((e) => e.key);
      for (const key of keys) this.#del.run(namespace, key);
      return keys.length;
    })();
  }
}

/** Refuses a namespace, key or prefix the store cannot keep exactly (shared with the in-memory store). */
export function checkName(what: string, s: unknown, emptyOk: boolean): asserts s is string {
  if (typeof s !== 'string')
    throw new StoreError('INVALID_ARGUMENT', `${what}: expected a string, got ${s === null ? 'null' : typeof s}`);
  if (!emptyOk && s === '') throw new StoreError('INVALID_ARGUMENT', `${what}: must not be empty`);
  if (s.length > MAX_NAME)
    throw new StoreError('INVALID_ARGUMENT', `${what}: at most ${MAX_NAME} characters, got ${s.length}`);
  // A lone surrogate has no UTF-8 form: SQLite would store a replacement character and the key would change.
  if (LONE_SURROGATE.test(s)) throw new StoreError('INVALID_ARGUMENT', `${what}: contains a lone UTF-16 surrogate`);
}

/**
 * JSON text of `value`, refusing what JSON would silently change (NaN/Infinity → null, a top-level undefined or
 * function → nothing) so that what is read back is what was written.
 */
export function toJson(value: unknown, where: string): string {
  let text: string | undefined;
  try {
    // Without a replacer first (V8's fast path; a replacer made this ~2 % of a fleet's boot, issue 18): NaN and
    // ±Infinity come out as `null` there, so only a text with `null` in it is written again to find them.
    text = JSON.stringify(value);
    if (text === undefined || !text.includes('null')) return checked(text, value, where);
    text = JSON.stringify(value, (key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v))
        throw new StoreError(
          'INVALID_ARGUMENT',
          `${where}: value${key ? ` field "${key}"` : ''} is ${v}, which JSON cannot represent`,
        );
      return v;
    });
  } catch (e) {
    if (e instanceof StoreError) throw e;
    throw new StoreError('INVALID_ARGUMENT', `${where}: value cannot be stored as JSON (${messageOf(e)})`, {
      cause: e,
    });
  }
  return checked(text, value, where);
}

function checked(text: string | undefined, value: unknown, where: string): string {
  if (text === undefined)
    throw new StoreError('INVALID_ARGUMENT', `${where}: value ${typeof value} cannot be stored as JSON`);
  return text;
}
