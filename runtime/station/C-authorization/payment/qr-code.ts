// 2.1 C25: the URL of the dynamic QR code for ad hoc web payment, as pure functions: the time-based one-time password
// (TOTP, algorithm version v1 of Part 2 "Time-based One-Time password algorithm"), the URL template with its
// placeholders filled in (C25.FR.50–53), and the query parameters of the driver's own limits (C25.FR.56–58).
import { createHmac } from 'node:crypto';
import type { TransactionLimits } from '../../E-transactions/limits/limits.js';

/**
 * The characters a v1 TOTP is made of, in the order the algorithm maps hash bytes to them. Part 2 lists 61: the
 * lower-case "o" is not among them (it would read as zero); a CSMS computes with the same list.
 */
const TOTP_V1_CHARACTERS = '0123456789abcdefghijklmnpqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The TOTP versions the station can compute (WebPaymentsCtrlr.TOTPVersion's valuesList). */
export const TOTP_VERSIONS = ['v1'] as const;

/** The time interval (ValidityTime long) that `nowMs` falls in, counted from the Unix epoch. */
export const totpInterval = (nowMs: number, validityS: number) => Math.floor(nowMs / 1000 / validityS);

/**
 * TOTP v1: HMAC-SHA256 keyed with the shared secret (UTF-8) over the interval number as 8 big-endian bytes; from an
 * offset given by the low 4 bits of the last hash byte, `length` hash bytes (wrapping around) each pick a character.
 */
export function totpV1(sharedSecret: string, validityS: number, length: number, nowMs: number): string {
  const interval = Buffer.alloc(8);
  interval.writeBigUInt64BE(BigInt(totpInterval(nowMs, validityS)));
  const hash = createHmac('sha256', Buffer.from(sharedSecret, 'utf8')).update(interval).digest();
  const offset = hash[hash.length - 1]! & 0x0f;
  let out = '';
  for (let i = 0; i < length; i++)
    out += TOTP_V1_CHARACTERS[hash[(offset + i) % hash.length]! % TOTP_V1_CHARACTERS.length];
  return out;
}

/** The URL parameters of the driver's limits (WebPaymentsCtrlr.URLParameters' names). */
export const URL_PARAMETERS = ['maxtime', 'maxenergy', 'maxcost'] as const;
export type UrlParameter = (typeof URL_PARAMETERS)[number];

const PARAMETER_OF: Record<UrlParameter, keyof TransactionLimits> = {
  maxtime: 'maxTime', // C25.FR.57: seconds
  maxenergy: 'maxEnergy', // C25.FR.56: Wh
  maxcost: 'maxCost', // C25.FR.58: in the currency of the station's tariff
};

export interface QrUrlInput {
  template: string;
  /** C25.FR.51: WebPaymentsCtrlr.ChargingStationId, else SecurityCtrlr.Identity. */
  chargingStationId: string;
  /** C25.FR.52: the EVSE the payment is for (0: none). */
  evseId: number;
  /** C25.FR.53: the EVSE's id for roaming (WebPaymentsCtrlr.RoamingEvseId of the EVSE), for `{roamingevseid}`. */
  roamingEvseId?: string;
  totp: string;
  version: string;
  /** C25.FR.03–06: the driver's limits, of the supported parameters only. */
  limits?: TransactionLimits;
  supported?: ReadonlySet<UrlParameter>;
}

/** C25.FR.50–53, C25.FR.56–58: the template's placeholders filled in, and the driver's limits as query parameters. */
export function qrUrl(input: QrUrlInput): string {
  const values: Record<string, string | undefined> = {
    chargingstationid: input.chargingStationId,
    evse: String(input.evseId),
    roamingevseid: input.roamingEvseId,
    totp: input.totp,
    version: input.version,
  };
  const filled = input.template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name.toLowerCase()];
    return value === undefined ? whole : encodeURIComponent(value);
  });
  const query = URL_PARAMETERS.flatMap((p) => {
    const value = input.limits?.[PARAMETER_OF[p]];
    return value !== undefined && input.supported?.has(p) ? [`${p}=${encodeURIComponent(String(value))}`] : [];
  });
  if (!query.length) return filled;
  return `${filled}${filled.includes('?') ? '&' : '?'}${query.join('&')}`;
}

/** Whether the template names an EVSE (its number or its roaming id): then each EVSE shows its own QR code. */
export const perEvse = (template: string) => /\{(evse|roamingevseid)\}/i.test(template);

/** Whether the template needs each EVSE's WebPaymentsCtrlr.RoamingEvseId (C25.FR.53). */
export const needsRoamingEvseId = (template: string) => /\{roamingevseid\}/i.test(template);

/** The driver's limits the URL parameters carry, as transaction limits (C25.FR.04–06: enforced as E16 limits). */
export function limitsOfParameters(limits: TransactionLimits, supported: ReadonlySet<UrlParameter>): TransactionLimits {
  const out: TransactionLimits = {};
  for (const p of URL_PARAMETERS) {
    const key = PARAMETER_OF[p];
    if (supported.has(p) && limits[key] !== undefined) out[key] = limits[key];
  }
  return out;
}
