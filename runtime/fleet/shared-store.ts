// One SQLite database for all the stations of a fleet worker: a `Store` per station over the same connection, each
// station's rows told apart by its identity. A file (or SQLite connection) per station costs hundreds of KB and a
// migration each (docs/performance.md); a simulated fleet needs durable-looking state, not one file per station.
// The tables are this module's own (fleet_documents, fleet_outbox), not the station store's schema: a fleet file is
// not a station file and is not opened as one.
import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from '../store/errors.js';
import { loadDatabase } from '../store/sqlite.js';
import { appendParams, OUTBOX_META, outboxMeta, updateParams, type OutboxRow } from '../store/sqlite-outbox.js';
import type { Entry, NewOutboxRecord, OutboxMeta, OutboxStore, Store } from '../store/types.js';
import { messageOf } from '../error-text.js';

function openDatabase(path: string): BetterSqlite3.Database {
  const Database = loadDatabase();
  try {
    return new Database(path);
  } catch (e) {
    throw new StoreError('IO', `cannot open the fleet store ${path}: ${messageOf(e)}`, { cause: e });
  }
}

/** The database of one worker; `station(identity)` gives each station its Store. */
export class SharedFleetStore {
  readonly location: string;
  readonly #db: BetterSqlite3.Database;
  readonly #statements;
  #closed = false;

  /** `path`: a file, or `:memory:`. */
  constructor(path: string) {
    this.location = path;
    this.#db = openDatabase(path);
    // A load test's state: commits must survive the process, not a power loss (WAL, synchronous NORMAL).
    if (path !== ':memory:') this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS fleet_documents (
        station TEXT NOT NULL, ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (station, ns, key)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS fleet_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT, station TEXT NOT NULL,
        action TEXT NOT NULL, lane TEXT NOT NULL, tx_key TEXT, role TEXT NOT NULL,
        event_time INTEGER NOT NULL, created_at INTEGER NOT NULL, sends INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0, not_before INTEGER NOT NULL DEFAULT 0, seq_no INTEGER,
        offline INTEGER NOT NULL DEFAULT 0, payload TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS fleet_outbox_station ON fleet_outbox (station, id);
    `);
    const db = this.#db;
    this.#statements = {
      get: db.prepare<[string, string, string], { value: string }>(
        'SELECT value FROM fleet_documents WHERE station = ? AND ns = ? AND key = ?',
      ),
      put: db.prepare<[string, string, string, string]>(
        'INSERT INTO fleet_documents (station, ns, key, value) VALUES (?, ?, ?, ?) ON CONFLICT (station, ns, key) DO UPDATE SET value = excluded.value',
      ),
      del: db.prepare<[string, string, string]>('DELETE FROM fleet_documents WHERE station = ? AND ns = ? AND key = ?'),
      from: db.prepare<[string, string, string], { key: string; value: string }>(
        'SELECT key, value FROM fleet_documents WHERE station = ? AND ns = ? AND key >= ? ORDER BY key',
      ),
      append: db.prepare(
        `INSERT INTO fleet_outbox (station, action, lane, tx_key, role, event_time, created_at, sends, failures, not_before, seq_no, offline, payload)
         VALUES (@station, @action, @lane, @txKey, @role, @eventTime, @createdAt, @sends, @failures, @notBefore, @seqNo, @offline, @payload)`,
      ),
      list: db.prepare<[string], OutboxRow>(`SELECT ${OUTBOX_META} FROM fleet_outbox WHERE station = ? ORDER BY id`),
      payload: db.prepare<[string, number], { payload: string }>(
        'SELECT payload FROM fleet_outbox WHERE station = ? AND id = ?',
      ),
      update: db.prepare(`UPDATE fleet_outbox SET
        sends      = CASE WHEN @hasSends     THEN @sends     ELSE sends      END,
        failures   = CASE WHEN @hasFailures  THEN @failures  ELSE failures   END,
        not_before = CASE WHEN @hasNotBefore THEN @notBefore ELSE not_before END,
        seq_no     = CASE WHEN @hasSeqNo     THEN @seqNo     ELSE seq_no     END,
        offline    = CASE WHEN @hasOffline   THEN @offline   ELSE offline    END
        WHERE station = @station AND id = @id`),
      remove: db.prepare<[string, number]>('DELETE FROM fleet_outbox WHERE station = ? AND id = ?'),
      count: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM fleet_outbox WHERE station = ?'),
    };
  }

  /** The Store of one station: its rows only. Closing it leaves the database open for the others. */
  station(identity: string): Store {
    const s = this.#statements;
    const db = this.#db;
    const open = () => {
      if (this.#closed || closed)
        throw new StoreError('CLOSED', `fleet store ${this.location} (${identity}) is closed`);
    };
    let closed = false;
    const outbox: OutboxStore = {
      append: (r: NewOutboxRecord) => {
        open();
        const info = s.append.run({ station: identity, ...appendParams(r, JSON.stringify(r.payload)) });
        return Number(info.lastInsertRowid);
      },
      list: (): OutboxMeta[] => {
        open();
        return s.list.all(identity).map(outboxMeta);
      },
      payload: (id) => {
        open();
        const row = s.payload.get(identity, id);
        if (!row) throw new StoreError('INVALID_ARGUMENT', `outbox message ${id} does not exist`);
        return JSON.parse(row.payload);
      },
      update: (id, p) => {
        open();
        const info = s.update.run({ station: identity, ...updateParams(id, p) });
        if (info.changes === 0) throw new StoreError('INVALID_ARGUMENT', `outbox message ${id} does not exist`);
      },
      remove: (id) => (open(), s.remove.run(identity, id).changes > 0),
      count: () => (open(), s.count.get(identity)!.n),
    };
    const store: Store = {
      location: `${this.location}#${identity}`,
      outbox,
      get<T>(ns: string, key: string): T | undefined {
        open();
        const row = s.get.get(identity, ns, key);
        // Written by put() from a T (the caller names T).
        return row ? (JSON.parse(row.value) as T) : undefined;
      },
      put(ns, key, value) {
        open();
        const json = JSON.stringify(value);
        if (json === undefined) throw new StoreError('INVALID_ARGUMENT', `${ns}/${key}: not a JSON value`);
        s.put.run(identity, ns, key, json);
      },
      delete: (ns, key) => (open(), s.del.run(identity, ns, key).changes > 0),
      list<T>(ns: string, prefix = ''): Entry<T>[] {
        open();
        const out: Entry<T>[] = [];
        for (const row of s.from.iterate(identity, ns, prefix)) {
          if (!row.key.startsWith(prefix)) break;
          out.push({ key: row.key, value: JSON.parse(row.value) as T });
        }
        return out;
      },
      clear(ns, prefix = '') {
        open();
        return db.transaction(() => {
          let n = 0;
          for (const { key } of store.list(ns, prefix)) n += s.del.run(identity, ns, key).changes;
          return n;
        })();
      },
      transaction: <T>(fn: () => T): T => (open(), db.transaction(fn)()),
      close: () => void (closed = true),
      get closed() {
        return closed;
      },
    };
    return store;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}
