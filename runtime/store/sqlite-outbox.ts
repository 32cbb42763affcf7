// The outbox half of the SQLite store: queued outgoing messages, in id order.
import type { SqliteDatabase, SqliteStatement } from './engine.js';
import { StoreError } from './errors.js';
import { toJson } from './sqlite-documents.js';
import type { NewOutboxRecord, OutboxMeta, OutboxRole, OutboxStore } from './types.js';

/** An outbox row's metadata columns (the payload is read apart). */
export interface OutboxRow {
  id: number;
  action: string;
  lane: 'tx' | 'other';
  tx_key: string | null;
  role: OutboxRole;
  event_time: number;
  created_at: number;
  sends: number;
  failures: number;
  not_before: number;
  seq_no: number | null;
  offline: 0 | 1;
}

export const OUTBOX_META =
  'id, action, lane, tx_key, role, event_time, created_at, sends, failures, not_before, seq_no, offline';

export class SqliteOutbox implements OutboxStore {
  readonly #assertOpen: () => void;
  readonly #append: SqliteStatement;
  readonly #list: SqliteStatement<[], OutboxRow>;
  readonly #payload: SqliteStatement<[number], { payload: string }>;
  readonly #update: SqliteStatement;
  readonly #remove: SqliteStatement<[number]>;
  readonly #count: SqliteStatement<[], { n: number }>;

  constructor(db: SqliteDatabase, assertOpen: () => void) {
    this.#assertOpen = assertOpen;
    this.#append =
      db.prepare(`INSERT INTO outbox (action, lane, tx_key, role, event_time, created_at, sends, failures, not_before, seq_no, offline, payload)
      VALUES (@action, @lane, @txKey, @role, @eventTime, @createdAt, @sends, @failures, @notBefore, @seqNo, @offline, @payload)`);
    this.#list = db.prepare(`SELECT ${OUTBOX_META} FROM outbox ORDER BY id`);
    this.#payload = db.prepare('SELECT payload FROM outbox WHERE id = ?');
    // One statement for every patch: a field absent from the patch keeps its value.
    this.#update = db.prepare(`UPDATE outbox SET
      sends      = CASE WHEN @hasSends    THEN @sends     ELSE sends      END,
      failures   = CASE WHEN @hasFailures THEN @failures  ELSE failures   END,
      not_before = CASE WHEN @hasNotBefore THEN @notBefore ELSE not_before END,
      seq_no     = CASE WHEN @hasSeqNo    THEN @seqNo     ELSE seq_no     END,
      offline    = CASE WHEN @hasOffline  THEN @offline   ELSE offline    END
      WHERE id = @id`);
    this.#remove = db.prepare('DELETE FROM outbox WHERE id = ?');
    this.#count = db.prepare('SELECT count(*) AS n FROM outbox');
  }

  append(r: NewOutboxRecord): number {
    this.#assertOpen();
    if (typeof r.action !== 'string' || r.action === '')
      throw new StoreError('INVALID_ARGUMENT', 'outbox record action: expected a non-empty string');
    const info = this.#append.run(appendParams(r, toJson(r.payload, `outbox ${r.action} payload`)));
    return Number(info.lastInsertRowid);
  }

  list(): OutboxMeta[] {
    this.#assertOpen();
    return this.#list.all().map(outboxMeta);
  }

  payload(id: number): unknown {
    this.#assertOpen();
    const row = this.#payload.get(id);
    if (!row) throw new StoreError('INVALID_ARGUMENT', `outbox message ${id} does not exist`);
    return JSON.parse(row.payload);
  }

  update(id: number, p: Partial<Pick<OutboxMeta, 'sends' | 'failures' | 'notBefore' | 'seqNo' | 'offline'>>): void {
    this.#assertOpen();
    const info = this.#update.run(updateParams(id, p));
    if (info.changes === 0) throw new StoreError('INVALID_ARGUMENT', `outbox message ${id} does not exist`);
  }

  remove(id: number): boolean {
    this.#assertOpen();
    return this.#remove.run(id).changes > 0;
  }

  count(): number {
    this.#assertOpen();
    return this.#count.get()!.n;
  }
}

/** A new record's metadata under `id`, its times in whole milliseconds (both stores keep it so). */
export function newOutboxMeta(id: number, r: NewOutboxRecord): OutboxMeta {
  return {
    id,
    action: r.action,
    lane: r.lane,
    txKey: r.txKey,
    role: r.role,
    eventTime: Math.trunc(r.eventTime),
    createdAt: Math.trunc(r.createdAt),
    sends: r.sends,
    failures: r.failures,
    notBefore: Math.trunc(r.notBefore),
    seqNo: r.seqNo,
    offline: r.offline,
  };
}

/** The append statement's parameters (`@action`, …) of a new record whose payload is already JSON. */
export function appendParams(r: NewOutboxRecord, payload: string) {
  const { id: _id, offline, ...meta } = newOutboxMeta(0, r);
  return { ...meta, offline: offline ? 1 : 0, payload };
}

/** The metadata of a row as the queue keeps it. */
export function outboxMeta(r: OutboxRow): OutboxMeta {
  return {
    id: r.id,
    action: r.action,
    lane: r.lane,
    txKey: r.tx_key,
    role: r.role,
    eventTime: r.event_time,
    createdAt: r.created_at,
    sends: r.sends,
    failures: r.failures,
    notBefore: r.not_before,
    seqNo: r.seq_no,
    offline: r.offline === 1,
  };
}

/** The update statement's parameters: one statement for every patch, a field absent from it keeps its value. */
export function updateParams(id: number, p: OutboxPatch) {
  return {
    id,
    hasSends: p.sends !== undefined ? 1 : 0,
    sends: p.sends ?? 0,
    hasFailures: p.failures !== undefined ? 1 : 0,
    failures: p.failures ?? 0,
    hasNotBefore: p.notBefore !== undefined ? 1 : 0,
    notBefore: Math.trunc(p.notBefore ?? 0),
    hasSeqNo: p.seqNo !== undefined ? 1 : 0,
    seqNo: p.seqNo ?? null,
    hasOffline: p.offline !== undefined ? 1 : 0,
    offline: p.offline ? 1 : 0,
  };
}

type OutboxPatch = Partial<Pick<OutboxMeta, 'sends' | 'failures' | 'notBefore' | 'seqNo' | 'offline'>>;
