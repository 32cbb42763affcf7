// The in-memory store: the Store contract in plain JavaScript, for stations that keep nothing across restarts
// (simulators, fleets, tests). An SQLite `:memory:` connection costs ~250 KB of native memory and ~3 ms to open
// and migrate; this costs a few hundred bytes and nothing to open, so that thousands of stations fit in one
// process (issue 18). Same semantics as the SQLite store, checked by the same contract suite
// (test/store/contract.ts): values are kept as their JSON text (what is read back is a fresh copy of what was
// written, and what JSON cannot represent is refused the same way), keys list in UTF-8 byte order, ids are never
// reused, and a transaction is undone as a whole when it throws (nested ones join it, like SQLite's savepoints).
import { StoreError } from './errors.js';
import { checkName, toJson } from './sqlite-documents.js';
import { newOutboxMeta } from './sqlite-outbox.js';
import type { Entry, NewOutboxRecord, OutboxMeta, OutboxStore, Store } from './types.js';

type Patch = Partial<Pick<OutboxMeta, 'sends' | 'failures' | 'notBefore' | 'seqNo' | 'offline'>>;

export class MemoryStore implements Store {
  readonly location = ':memory:';
  readonly outbox: OutboxStore;
  /** namespace → key → JSON text. Created on the first write: most stations of a fleet write little. */
  #docs: Map<string, Map<string, string>> | undefined;
  /** While a transaction runs: how to undo each write made in it, in order. */
  #undo: Array<() => void> | undefined;
  #closed = false;

  constructor() {
    this.outbox = new MemoryOutbox(this);
  }

  get closed(): boolean {
    return this.#closed;
  }

  get<T = unknown>(namespace: string, key: string): T | undefined {
    this.assertOpen();
    checkName('namespace', namespace, false);
    checkName('key', key, true);
    const text = this.#docs?.get(namespace)?.get(key);
    // A JSON boundary, as in the SQLite store: the document was written by put() from a T.
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  put(namespace: string, key: string, value: unknown): void {
    this.assertOpen();
    checkName('namespace', namespace, false);
    checkName('key', key, true);
    const text = toJson(value, `${namespace}/${key}`);
    this.#docs ??= new Map();
    let ns = this.#docs.get(namespace);
    if (!ns) this.#docs.set(namespace, (ns = new Map()));
    this.#write(ns, key, text);
  }

  delete(namespace: string, key: string): boolean {
    this.assertOpen();
    checkName('namespace', namespace, false);
    checkName('key', key, true);
    const ns = this.#docs?.get(namespace);
    if (!ns?.has(key)) return false;
    this.#write(ns, key, undefined);
    return true;
  }

  list<T = unknown>(namespace: string, prefix = ''): Entry<T>[] {
    this.assertOpen();
    checkName('namespace', namespace, false);
    checkName('prefix', prefix, true);
    const ns = this.#docs?.get(namespace);
    if (!ns) return [];
    const keys = [...ns.keys()].filter((k) => k.startsWith(prefix)).sort(byUtf8);
    // As in get(): documents written by put() from a T.
    return keys.map((key) => ({ key, value: JSON.parse(ns.get(key)!) as T }));
  }

  clear(namespace: string, prefix = ''): number {
    this.assertOpen();
    checkName('namespace', namespace, false);
    checkName('prefix', prefix, true);
    const ns = this.#docs?.get(namespace);
    if (!ns) return 0;
    let n = 0;
    for (const key of [...ns.keys()]) if (key.startsWith(prefix)) (this.#write(ns, key, undefined), n++);
    return n;
  }

  transaction<T>(fn: () => T): T {
    this.assertOpen();
    if (typeof fn !== 'function') throw new StoreError('INVALID_ARGUMENT', 'transaction(fn): fn must be a function');
    const outer = this.#undo === undefined;
    const undo = (this.#undo ??= []);
    const mark = undo.length;
    try {
      const result = fn();
      // Duck typing: a function that returned a promise cannot run inside a synchronous transaction.
      if (result && typeof (result as { then?: unknown }).then === 'function')
        throw new StoreError('INVALID_ARGUMENT', 'transaction(fn): fn returned a promise; it must be synchronous');
      return result;
    } catch (e) {
      // Undo this transaction's writes (a nested one: only its own, as a savepoint does), newest first.
      for (let i = undo.length - 1; i >= mark; i--) undo[i]!();
      undo.length = mark;
      throw e;
    } finally {
      if (outer) this.#undo = undefined;
    }
  }

  close(): void {
    this.#closed = true;
    this.#docs = undefined;
  }

  /** @internal The outbox shares the open check and the undo log. */
  assertOpen(): void {
    if (this.#closed) throw new StoreError('CLOSED', `store ${this.location} is closed`);
  }

  /** @internal Records how to undo a change while a transaction runs. */
  undoable(undo: () => void): void {
    this.#undo?.push(undo);
  }

  #write(ns: Map<string, string>, key: string, text: string | undefined): void {
    const before = ns.get(key);
    if (text === undefined) ns.delete(key);
    else ns.set(key, text);
    this.undoable(() => (before === undefined ? ns.delete(key) : ns.set(key, before)));
  }
}

interface Row {
  meta: OutboxMeta;
  payload: string;
}

class MemoryOutbox implements OutboxStore {
  readonly #store: MemoryStore;
  /** By id; a Map keeps insertion order, which is id order because ids only grow. */
  #rows: Map<number, Row> | undefined;
  #lastId = 0;

  constructor(store: MemoryStore) {
    this.#store = store;
  }

  append(r: NewOutboxRecord): number {
    this.#store.assertOpen();
    if (typeof r.action !== 'string' || r.action === '')
      throw new StoreError('INVALID_ARGUMENT', 'outbox record action: expected a non-empty string');
    const payload = toJson(r.payload, `outbox ${r.action} payload`);
    const id = ++this.#lastId;
    const meta = newOutboxMeta(id, r);
    const rows = (this.#rows ??= new Map());
    rows.set(id, { meta, payload });
    // The counter is not rolled back with the row: an id is never given twice.
    this.#store.undoable(() => rows.delete(id));
    return id;
  }

  list(): OutboxMeta[] {
    this.#store.assertOpen();
    return this.#rows ? [...this.#rows.values()].map((r) => ({ ...r.meta })) : [];
  }

  payload(id: number): unknown {
    this.#store.assertOpen();
    const row = this.#rows?.get(id);
    if (!row) throw new StoreError('INVALID_ARGUMENT', `outbox message ${id} does not exist`);
    return JSON.parse(row.payload);
  }

  update(id: number, p: Patch): void {
    this.#store.assertOpen();
    const row = this.#rows?.get(id);
    if (!row) throw new StoreError('INVALID_ARGUMENT', `outbox message ${id} does not exist`);
    const before = row.meta;
    row.meta = {
      ...before,
      ...(p.sends !== undefined && { sends: p.sends }),
      ...(p.failures !== undefined && { failures: p.failures }),
      ...(p.notBefore !== undefined && { notBefore: Math.trunc(p.notBefore) }),
      ...(p.seqNo !== undefined && { seqNo: p.seqNo }),
      ...(p.offline !== undefined && { offline: p.offline }),
    };
    this.#store.undoable(() => (row.meta = before));
  }

  remove(id: number): boolean {
    this.#store.assertOpen();
    const rows = this.#rows;
    const row = rows?.get(id);
    if (!rows || !row) return false;
    rows.delete(id);
    // Put back in its place: rows after it move behind it again, so that the order stays the id order.
    this.#store.undoable(() => {
      const later = [...rows].filter(([other]) => other > id);
      for (const [other] of later) rows.delete(other);
      rows.set(id, row);
      for (const [other, r] of later) rows.set(other, r);
    });
    return true;
  }

  count(): number {
    this.#store.assertOpen();
    return this.#rows?.size ?? 0;
  }
}

/**
 * Orders keys as the SQLite store lists them: by their UTF-8 bytes, which is code-point order. UTF-16 code-unit
 * order (JavaScript's `<`) differs only where a surrogate pair (above U+FFFF) meets U+E000–U+FFFF.
 */
export function byUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const surrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;
    if (surrogate(x) !== surrogate(y)) return surrogate(x) ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** A new empty in-memory store (nothing survives the process). */
export function openMemoryStore(): MemoryStore {
  return new MemoryStore();
}
