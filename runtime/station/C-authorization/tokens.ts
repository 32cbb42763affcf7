// IdToken identity, shared by the authorization cache, the local list and the reservations.
//
// An idToken is a case-insensitive string plus a type (Part 2 C 1.1; 2.1 C01.FR.25: equal when idToken and type
// are equal). The cache and the list are keyed by a hash of that pair, so the store never holds the token itself
// (C10.FR.12: store personal information securely, e.g. hashed).
import { createHash } from 'node:crypto';
import { withoutCustomData } from '../core/custom-data.js';
import type { IdTokenInfoType, IdTokenType } from '../../../generated/v201/types.js';

/** C01.FR.25: same idToken (ignoring case, C 1.1) and same type. */
export function sameToken(a: IdTokenType | undefined, b: IdTokenType | undefined): boolean {
  return !!a && !!b && a.type === b.type && a.idToken.toLowerCase() === b.idToken.toLowerCase();
}

/** Two tokens are in one group when their groupIdTokens match and are not empty (Part 2 C 1.2). */
export function sameGroup(a: IdTokenType | undefined, b: IdTokenType | undefined): boolean {
  return !!a && !!b && a.idToken !== '' && sameToken(a, b);
}

/** The key under which a token's data is kept: a SHA-256 of type and lower-cased idToken (C10.FR.12). */
export function tokenKey(token: IdTokenType): string {
  return createHash('sha256').update(`${token.type}\u0000${token.idToken.toLowerCase()}`).digest('hex');
}

/** A structurally valid IdTokenType (what firmware or another block hands in may be anything). */
export function isIdToken(value: unknown): value is IdTokenType {
  const t = value as IdTokenType | null | undefined;
  return !!t && typeof t === 'object' && typeof t.idToken === 'string' && typeof t.type === 'string';
}

/**
 * What is kept of an IdTokenInfo (cache, list): every field but customData and the groupIdToken's additionalInfo
 * (2.1 C10.FR.14). Tariff information is not part of IdTokenInfoType, so it is never cached (C10.FR.09).
 */
export function keptInfo(info: IdTokenInfoType): IdTokenInfoType {
  const { groupIdToken, ...rest } = withoutCustomData(info);
  return {
    ...rest,
    ...(groupIdToken ? { groupIdToken: { idToken: groupIdToken.idToken, type: groupIdToken.type } } : {}),
  };
}

/** C04.FR.04: a KeyCode never appears in logs or events. */
export function maskedToken(token: IdTokenType): IdTokenType {
  return token.type === 'KeyCode'
    ? { idToken: '****', type: token.type }
    : { idToken: token.idToken, type: token.type };
}

/** A dateTime as ms since the epoch; undefined when absent or unparsable. */
export function timeOf(dateTime: string | undefined): number | undefined {
  if (dateTime === undefined) return undefined;
  const t = Date.parse(dateTime);
  return Number.isFinite(t) ? t : undefined;
}
