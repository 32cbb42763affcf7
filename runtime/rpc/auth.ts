// HTTP Basic authentication of the station (security profiles 1 and 2; A00.FR.202–205, A00.FR.301–304, 324).
// The username is the station identity; the password is sent as given: 2.x sends BasicAuthPassword as UTF-8
// (A00.FR.205), OCPP-J 1.6 §6.2.2 sends the raw bytes of the hexadecimal AuthorizationKey.
import { timingSafeEqual } from 'node:crypto';

export type Password = string | Uint8Array;

function toBytes(password: Password): Buffer {
  return typeof password === 'string' ? Buffer.from(password, 'utf8') : Buffer.from(password);
}

/** The value of the Authorization header. Never logged or traced. */
export function basicAuthorization(identity: string, password: Password): string {
  return `Basic ${Buffer.concat([Buffer.from(`${identity}:`, 'utf8'), toBytes(password)]).toString('base64')}`;
}

/** 1.6: the password bytes of an AuthorizationKey configured as up to 40 hexadecimal digits (OCPP-J 1.6 §6.2.2). */
export function authorizationKeyPassword(hexKey: string): Buffer {
  if (!/^(?:[0-9a-fA-F]{2}){1,20}$/.test(hexKey))
    throw new RangeError('AuthorizationKey must be 2–40 hexadecimal digits (an even number)');
  return Buffer.from(hexKey, 'hex');
}

/**
 * Parses `Authorization: Basic …`. The username ends at the first colon (a station identity never contains one,
 * Part 4 2.1 §3.1.1); the password is returned as bytes, since 1.6 keys need not be UTF-8.
 */
export function parseBasicAuthorization(
  header: string | undefined,
): { username: string; password: Buffer } | undefined {
  if (!header) return undefined;
  const m = /^Basic[ \t]+([A-Za-z0-9+/]+=*)[ \t]*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64');
  const colon = decoded.indexOf(0x3a);
  if (colon < 0) return undefined;
  return { username: decoded.subarray(0, colon).toString('utf8'), password: decoded.subarray(colon + 1) };
}

/** Compares a received password with the expected one in constant time (for the CSMS's authenticate callback). */
export function passwordMatches(received: Uint8Array, expected: Password): boolean {
  const a = Buffer.from(received);
  const b = toBytes(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
