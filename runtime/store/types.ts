// The store contract. Everything the station keeps across restarts goes through these two small interfaces, so
// that another backend (a different embedded database, a flash key/value store) can be plugged in by implementing
// `Store` — the SQLite implementation in sqlite.ts is the default, not a requirement.
//
// All calls are synchronous and a write returns only after it is committed (see docs/store.md, "Durability").

/** A JSON value as the store keeps it: what survives `JSON.stringify` → `JSON.parse` unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One entry of a namespace listing. */
export interface Entry<T = unknown> {
  key: string;
  value: T;
}

/**
 * Documents by namespace and key: device-model values, authorization cache, local list, charging profiles,
 * reservations, transactions, security events. Values are JSON; keys are ordered by their UTF-8 bytes in `list`.
 */
export interface DocumentStore {
  get<T = unknown>(namespace: string, key: string): T | undefined;
  put(namespace: string, key: string, value: unknown): void;
  /** Returns whether the key existed. */
  delete(namespace: string, key: string): boolean;
  /** Entries whose key starts with `prefix` (all of the namespace without one), in key order. */
  list<T = unknown>(namespace: string, prefix?: string): Entry<T>[];
  /** Removes every entry of the namespace whose key starts with `prefix`; returns how many. */
  clear(namespace: string, prefix?: string): number;
}

/**
 * What the queue needs to know about a queued message without reading its payload. Kept in memory by the queue
 * (payloads stay on disk), so the bound and the drop policy work without loading every message.
 */
export interface OutboxMeta {
  /** Position in the queue: increasing, never reused. */
  readonly id: number;
  readonly action: string;
  /** `tx`: transaction-related (E13 retries, strict order); `other`: a non-transaction message queued by policy. */
  readonly lane: OutboxLane;
  /** The transaction it belongs to (2.x transactionId, 1.6 the station's local transaction id), or null. */
  readonly txKey: string | null;
  readonly role: OutboxRole;
  /** When the event the message reports happened (ms since epoch); the drop policy thins by this time. */
  readonly eventTime: number;
  readonly createdAt: number;
  /** How often it was handed to the transport (including transmissions lost to a disconnect or a crash). */
  sends: number;
  /** How many transmissions failed to be processed (CALLERROR, timeout): E13's "failures". */
  failures: number;
  /** Not to be transmitted before this time (ms since epoch); 0 = at once. */
  notBefore: number;
  /** 2.x TransactionEvent: the seqNo given on its first transmission, reused by every retransmission. */
  seqNo: number | null;
  /** 2.x TransactionEvent: send with `offline: true`. */
  offline: boolean;
}

export type OutboxLane = 'tx' | 'other';

/**
 * `start`/`end`: a transaction's first and last message, never dropped. `update`: any other message of a
 * transaction that must not be dropped. `meter`: a meter-value-only message of a transaction, thinned out when the
 * queue is over its bound. `loose`: droppable first (non-transaction messages queued by policy). `keep`: never
 * dropped (security events).
 */
export type OutboxRole = 'start' | 'end' | 'update' | 'meter' | 'loose' | 'keep';

export type NewOutboxRecord = Omit<OutboxMeta, 'id'> & { payload: unknown };

/** The durable outgoing-message queue: rows in insertion order, payloads read on demand. */
export interface OutboxStore {
  /** Appends a message; returns its id. */
  append(record: NewOutboxRecord): number;
  /** Every queued message without its payload, in queue order. */
  list(): OutboxMeta[];
  payload(id: number): unknown;
  update(id: number, patch: Partial<Pick<OutboxMeta, 'sends' | 'failures' | 'notBefore' | 'seqNo' | 'offline'>>): void;
  /** Returns whether the message existed. */
  remove(id: number): boolean;
  count(): number;
}

/** A store: documents, the outbox, and a transaction spanning both. */
export interface Store extends DocumentStore {
  readonly outbox: OutboxStore;
  /**
   * Runs `fn` atomically: every write inside is committed together when it returns, or none when it throws.
   * Nested calls join the outer transaction. `fn` must be synchronous.
   */
  transaction<T>(fn: () => T): T;
  /** Where the data lives (a file path, or `:memory:`), for error messages. */
  readonly location: string;
  close(): void;
  readonly closed: boolean;
}
