// 1.6 idTags in the 2.x authorization data: the cache and the local list keep a 2.x IdTokenInfo per token (so
// that C's pure cache functions serve both versions); an idTag is a case-insensitive string of at most 20
// characters (1.6 §7.28) without a type, kept under the type `Central`.
import type { IdTagInfo } from '../../../../generated/v16/types.js';
import type { AuthorizationStatus } from '../../../../generated/v16/enums.js';
import { AuthorizationStatus as STATUSES } from '../../../../generated/v16/enums.js';
import type { IdTokenInfoType, IdTokenType } from '../../../../generated/v201/types.js';
import { tokenKey } from '../../C-authorization/tokens.js';

export const asToken = (idTag: string): IdTokenType => ({ idToken: idTag, type: 'Central' });

/** The store key of an idTag's cache or list entry (hashed, as in 2.x C10.FR.12). */
export const idTagKey = (idTag: string): string => tokenKey(asToken(idTag));

export const sameIdTag = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

export function toInfo2x(info: IdTagInfo): IdTokenInfoType {
  return {
    status: info.status,
    ...(info.expiryDate !== undefined ? { cacheExpiryDateTime: info.expiryDate } : {}),
    ...(info.parentIdTag !== undefined ? { groupIdToken: asToken(info.parentIdTag) } : {}),
  };
}

const isStatus16 = (s: string): s is AuthorizationStatus => (STATUSES as readonly string[]).includes(s);

export function fromInfo2x(info: IdTokenInfoType): IdTagInfo {
  return {
    status: isStatus16(info.status) ? info.status : 'Invalid',
    ...(info.cacheExpiryDateTime !== undefined ? { expiryDate: info.cacheExpiryDateTime } : {}),
    ...(info.groupIdToken !== undefined ? { parentIdTag: info.groupIdToken.idToken } : {}),
  };
}

/** §3.5: an idTag whose expiryDate has passed counts as Expired. */
export function effectiveStatus(info: IdTagInfo, now: number): AuthorizationStatus {
  const expiry = info.expiryDate !== undefined ? Date.parse(info.expiryDate) : NaN;
  return info.status === 'Accepted' && Number.isFinite(expiry) && expiry <= now ? 'Expired' : info.status;
}
