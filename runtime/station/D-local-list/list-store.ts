// The Local Authorization List as it is kept: one document per token (keyed by the token's hash, like the cache) and
// the list's version, written together in one store transaction so that a crash never leaves entries of one version
// with the number of another (D01.FR.10: kept in non-volatile memory across reboots).
import type { IdTokenInfoType, IdTokenType } from '../../../generated/v201/types.js';
import type { Store } from '../../store/types.js';
import type { StationView } from '../core/types.js';
import { boolSetting } from '../C-authorization/settings.js';
import { timeOf, tokenKey } from '../C-authorization/tokens.js';

export const LIST_NAMESPACE = 'auth.localList';
export const LIST_META_NAMESPACE = 'auth.localList.meta';

export interface ListEntry {
  info: IdTokenInfoType;
}

/** D01.FR.13, D02.FR.03: the list is used (and reported) only while LocalAuthListCtrlr is available and enabled. */
export function localListEnabled(view: StationView): boolean {
  return boolSetting(view, 'LocalAuthListCtrlr.Available') && boolSetting(view, 'LocalAuthListCtrlr.Enabled');
}

export function storedVersion(store: Store): number {
  const v = store.get<number>(LIST_META_NAMESPACE, 'version');
  return Number.isInteger(v) && v! > 0 ? v! : 0;
}

export const entryBytes = (key: string, entry: ListEntry): number =>
  Buffer.byteLength(key) + Buffer.byteLength(JSON.stringify(entry));

export interface ListHit {
  info: IdTokenInfoType;
  /**
   * LocalAuthListCtrlr.SupportsExpiryDateTime is true and cacheExpiryDateTime has passed: the entry is disregarded
   * as if absent (C14.FR.05) — yet offline it is no "unknown" id either (C13.FR.06).
   */
  disregarded: boolean;
}

/** The list's entry for a token, while the list is enabled. */
export function localListLookup(view: StationView, token: IdTokenType): ListHit | undefined {
  if (!localListEnabled(view)) return undefined;
  const entry = view.store.get<ListEntry>(LIST_NAMESPACE, tokenKey(token));
  if (!entry?.info || typeof entry.info.status !== 'string') return undefined;
  const expiry = timeOf(entry.info.cacheExpiryDateTime);
  // C13.FR.02/04, C14.FR.02: without SupportsExpiryDateTime the station does not look at cacheExpiryDateTime.
  const disregarded =
    boolSetting(view, 'LocalAuthListCtrlr.SupportsExpiryDateTime') && expiry !== undefined && view.now() > expiry;
  return { info: entry.info, disregarded };
}
