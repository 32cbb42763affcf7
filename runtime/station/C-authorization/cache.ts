// C10 Store Authorization Data in the Authorization Cache, C11 Clear Authorization Data in Authorization Cache.
// The entries live in the store (one document per token, keyed by the token's hash: C10.FR.02 persistent, C10.FR.12
// hashed); the use case keeps a small index of them (status, times, use count, size) to decide expiry and what to
// evict without reading every entry. Everything here is pure: changes come back as store operations.
import type { IdTokenInfoType } from '../../../generated/v201/types.js';
import type { StoreOp, Version2x } from '../core/types.js';
import type { Store } from '../../store/types.js';
import { keptInfo, timeOf } from './tokens.js';

export const CACHE_NAMESPACE = 'auth.cache';

/** One cached token, as stored. */
export interface CacheEntry {
  info: IdTokenInfoType;
  /** When the CSMS last sent this token's IdTokenInfo. */
  updatedAt: number;
  /** When the token was last presented and found here. */
  lastUsedAt: number;
  uses: number;
  insertedAt: number;
}

/** What the index keeps of an entry. */
export interface CacheMeta {
  accepted: boolean;
  /** cacheExpiryDateTime, ms (C10.FR.13). */
  expiry?: number;
  updatedAt: number;
  lastUsedAt: number;
  uses: number;
  insertedAt: number;
  bytes: number;
}

export type CacheIndex = Record<string, CacheMeta>;

export interface CacheLimits {
  /** Entries kept at most (C10.FR.07: beyond it older entries make room). */
  maxEntries: number;
  /** Bytes kept at most (reported as AuthCacheCtrlr.Storage). */
  maxBytes: number;
}

export const DEFAULT_CACHE_LIMITS: CacheLimits = { maxEntries: 1000, maxBytes: 512 * 1024 };

/** How long entries live and which one goes first when the cache is full. */
export interface CachePolicy {
  /** AuthCacheCtrlr.LifeTime, seconds; 0 or less: entries without cacheExpiryDateTime do not expire. */
  lifeTimeSec: number;
  /** AuthCacheCtrlr.Policy: LRU (default), LFU or FIFO. */
  policy: string;
  version: Version2x | undefined;
}

const metaOf = (key: string, entry: CacheEntry): CacheMeta => ({
  accepted: entry.info.status === 'Accepted',
  ...(timeOf(entry.info.cacheExpiryDateTime) !== undefined ? { expiry: timeOf(entry.info.cacheExpiryDateTime)! } : {}),
  updatedAt: entry.updatedAt,
  lastUsedAt: entry.lastUsedAt,
  uses: entry.uses,
  insertedAt: entry.insertedAt,
  bytes: Buffer.byteLength(key) + Buffer.byteLength(JSON.stringify(entry)),
});

/** The index of what the store holds (at start). Entries that are not cache entries are ignored. */
export function loadCacheIndex(store: Store): CacheIndex {
  const index: CacheIndex = {};
  for (const { key, value } of store.list<CacheEntry>(CACHE_NAMESPACE)) {
    if (value && typeof value === 'object' && value.info && typeof value.info.status === 'string')
      index[key] = metaOf(key, value);
  }
  return index;
}

export const cacheBytes = (index: CacheIndex): number => Object.values(index).reduce((n, m) => n + m.bytes, 0);

/**
 * When the entry stops counting: its cacheExpiryDateTime (C10.FR.13), else AuthCacheCtrlr.LifeTime after it was
 * last used (2.0.1 C10.FR.08) or last updated by the CSMS (2.1 C10.FR.10).
 */
export function expiresAt(meta: CacheMeta, policy: CachePolicy): number | undefined {
  if (meta.expiry !== undefined) return meta.expiry;
  if (policy.lifeTimeSec <= 0) return undefined;
  const since = policy.version === 'ocpp2.1' ? meta.updatedAt : Math.max(meta.updatedAt, meta.lastUsedAt);
  return since + policy.lifeTimeSec * 1000;
}

const expired = (meta: CacheMeta, policy: CachePolicy, now: number) => {
  const at = expiresAt(meta, policy);
  return at !== undefined && now > at;
};

/** The cached entry for a token key, unless it expired (C10.FR.10: an expired entry counts as removed). */
export function cacheLookup(
  store: Store,
  index: CacheIndex,
  key: string,
  policy: CachePolicy,
  now: number,
): CacheEntry | undefined {
  const meta = index[key];
  if (!meta || expired(meta, policy, now)) return undefined;
  return store.get<CacheEntry>(CACHE_NAMESPACE, key);
}

export interface CacheChange {
  index: CacheIndex;
  ops: StoreOp[];
}

/**
 * C10.FR.01/04/05, C12.FR.06: the latest IdTokenInfo the CSMS sent for a token replaces what was cached (whatever
 * its status). A cacheExpiryDateTime already past keeps the token out of the cache (2.1 C10.FR.10 note). When the
 * cache is full, entries make room (C10.FR.07): expired ones, then those not Accepted, then by AuthCacheCtrlr.Policy.
 */
export function cachePut(
  store: Store,
  index: CacheIndex,
  key: string,
  info: IdTokenInfoType,
  policy: CachePolicy,
  limits: CacheLimits,
  now: number,
): CacheChange {
  const kept = keptInfo(info);
  const expiry = timeOf(kept.cacheExpiryDateTime);
  if (expiry !== undefined && expiry <= now) return cacheRemove(index, key);
  const previous = index[key] ? store.get<CacheEntry>(CACHE_NAMESPACE, key) : undefined;
  const entry: CacheEntry = {
    info: kept,
    updatedAt: now,
    lastUsedAt: previous?.lastUsedAt ?? now,
    uses: previous?.uses ?? 0,
    insertedAt: previous?.insertedAt ?? now,
  };
  const meta = metaOf(key, entry);
  if (meta.bytes > limits.maxBytes) return cacheRemove(index, key);
  const next: CacheIndex = { ...index, [key]: meta };
  const evicted = evictionOrder(next, policy, now, key);
  let count = Object.keys(next).length;
  let bytes = cacheBytes(next);
  const ops: StoreOp[] = [];
  for (const victim of evicted) {
    if (count <= limits.maxEntries && bytes <= limits.maxBytes) break;
    bytes -= next[victim]!.bytes;
    count--;
    delete next[victim];
    ops.push({ op: 'delete', namespace: CACHE_NAMESPACE, key: victim });
  }
  ops.push({ op: 'put', namespace: CACHE_NAMESPACE, key, value: entry });
  return { index: next, ops };
}

/** The token was found in the cache and used: LRU/LFU bookkeeping, and for 2.0.1 its lifetime restarts (C10.FR.08). */
export function cacheTouch(index: CacheIndex, key: string, entry: CacheEntry, now: number): CacheChange {
  if (!index[key]) return { index, ops: [] };
  const used: CacheEntry = { ...entry, lastUsedAt: now, uses: entry.uses + 1 };
  return {
    index: { ...index, [key]: metaOf(key, used) },
    ops: [{ op: 'put', namespace: CACHE_NAMESPACE, key, value: used }],
  };
}

export function cacheRemove(index: CacheIndex, key: string): CacheChange {
  if (!index[key]) return { index, ops: [] };
  const { [key]: _, ...rest } = index;
  return { index: rest, ops: [{ op: 'delete', namespace: CACHE_NAMESPACE, key }] };
}

/** C11.FR.01: every entry goes. */
export function cacheClear(): CacheChange {
  return { index: {}, ops: [{ op: 'clear', namespace: CACHE_NAMESPACE }] };
}

/** Keys in the order they are evicted; `keep` (the entry being added) is never among them. */
export function evictionOrder(index: CacheIndex, policy: CachePolicy, now: number, keep?: string): string[] {
  const rank = (m: CacheMeta) => (expired(m, policy, now) ? 0 : m.accepted ? 2 : 1);
  const byPolicy = (a: CacheMeta, b: CacheMeta): number => {
    switch (policy.policy.toUpperCase()) {
      case 'LFU':
        return a.uses - b.uses || a.lastUsedAt - b.lastUsedAt;
      case 'FIFO':
        return a.insertedAt - b.insertedAt;
      default: // LRU
        return a.lastUsedAt - b.lastUsedAt;
    }
  };
  return Object.entries(index)
    .filter(([key]) => key !== keep)
    .sort(([ka, a], [kb, b]) => rank(a) - rank(b) || byPolicy(a, b) || (ka < kb ? -1 : 1))
    .map(([key]) => key);
}
