// Values: OCPP carries every device-model value as a string; this file decides whether a string is a valid value of
// a variable (its format for the data type, its limits, its values list) and gives its canonical form. Used for
// the CSMS's SetVariables (B05.FR.07/08), for the station's own writes, and for checking the configuration.
import type { DataType } from './types.js';

/** VariableCharacteristicsType, with valuesList as a list. */
export interface Characteristics {
  dataType: DataType;
  unit?: string;
  minLimit?: number;
  maxLimit?: number;
  valuesList?: readonly string[];
  maxElements?: number;
  supportsMonitoring: boolean;
}

/** Why a value was refused: a StatusInfo reasonCode of the reason_codes list, and a short explanation. */
export interface ValueProblem {
  reasonCode: 'InvalidValue' | 'ValueTooLow' | 'ValueTooHigh' | 'TooLargeElement' | 'TooManyElements';
  detail: string;
}

export type Checked = { ok: true; value: string } | { ok: false; problem: ValueProblem };

export const LIST_TYPES: ReadonlySet<DataType> = new Set(['OptionList', 'MemberList', 'SequenceList']);
export const NUMERIC_TYPES: ReadonlySet<DataType> = new Set(['integer', 'decimal']);

/** The DataEnumType that goes on the wire. */
export function wireDataType(t: DataType): Exclude<DataType, 'passwordString' | 'identifierString'> {
  return t === 'passwordString' || t === 'identifierString' ? 'string' : t;
}

/** Length as the schemas count it (ajv's ucs2length counts code points, not UTF-16 units). */
export function length(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$/;
// RFC 3339 date-time (what the schemas' "date-time" format means), with the time-offset required.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;
const IDENTIFIER = /^[a-zA-Z0-9*\-_=:+|@.]*$/;

const bad = (detail: string, reasonCode: ValueProblem['reasonCode'] = 'InvalidValue'): Checked => ({
  ok: false,
  problem: { reasonCode, detail },
});

function validDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, se, oh, om] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as number[];
  const daysInMonth = new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
  // Seconds 60 is a leap second (RFC 3339 §5.6); Date cannot represent it but it is a valid value.
  return (
    mo! >= 1 &&
    mo! <= 12 &&
    d! >= 1 &&
    d! <= daysInMonth &&
    h! <= 23 &&
    mi! <= 59 &&
    se! <= 60 &&
    oh! <= 23 &&
    om! <= 59
  );
}

/** Splits a CSV list value into trimmed members; '' is the empty list. */
export function splitList(value: string): string[] {
  return value.trim() === '' ? [] : value.split(',').map((s) => s.trim());
}

/**
 * Checks the format of `raw` for the data type, the values list, the maximum length (maxLimit of strings and
 * lists) and maxElements, and returns the canonical value: integers without sign or leading zeros, booleans in
 * lower case, list members trimmed and joined by ','. Numeric limits are `checkLimits`'s job.
 */
export function checkFormat(raw: string, ch: Characteristics): Checked {
  switch (ch.dataType) {
    case 'integer': {
      const s = raw.trim();
      if (!INTEGER.test(s)) return bad(`"${clip(raw)}" is not an integer`);
      const n = Number(s);
      if (!Number.isSafeInteger(n))
        return bad(`${s} is outside the integers this station can represent`, n < 0 ? 'ValueTooLow' : 'ValueTooHigh');
      return { ok: true, value: String(n === 0 ? 0 : n) };
    }
    case 'decimal': {
      const s = raw.trim();
      if (!DECIMAL.test(s) || !Number.isFinite(Number(s))) return bad(`"${clip(raw)}" is not a decimal number`);
      return { ok: true, value: s.startsWith('+') ? s.slice(1) : s };
    }
    case 'boolean': {
      const s = raw.trim().toLowerCase();
      if (s !== 'true' && s !== 'false') return bad(`"${clip(raw)}" is not a boolean (true or false)`);
      return { ok: true, value: s };
    }
    case 'dateTime': {
      const s = raw.trim();
      if (!validDateTime(s)) return bad(`"${clip(raw)}" is not an RFC 3339 date-time with time offset`);
      return { ok: true, value: s };
    }
    case 'identifierString':
      if (!IDENTIFIER.test(raw)) return bad('an identifierString may contain only a-z A-Z 0-9 * - _ = : + | @ .');
      return maxLength(raw, ch);
    case 'string':
    case 'passwordString':
      return maxLength(raw, ch);
    case 'OptionList': {
      const s = raw.trim();
      if (!(ch.valuesList ?? []).includes(s))
        return bad(`"${clip(raw)}" is not one of the valuesList (${(ch.valuesList ?? []).join(',')})`);
      return maxLength(s, ch);
    }
    case 'MemberList':
    case 'SequenceList': {
      const members = splitList(raw);
      if (ch.dataType === 'SequenceList' && members.length === 0)
        return bad('a SequenceList needs at least one member');
      const seen = new Set<string>();
      for (const m of members) {
        if (!(ch.valuesList ?? []).includes(m))
          return bad(`"${clip(m)}" is not one of the valuesList (${(ch.valuesList ?? []).join(',')})`);
        if (seen.has(m)) return bad(`"${clip(m)}" appears twice`);
        seen.add(m);
      }
      if (ch.maxElements !== undefined && members.length > ch.maxElements) {
        return bad(`${members.length} members, at most ${ch.maxElements} (maxElements)`, 'TooManyElements');
      }
      return maxLength(members.join(','), ch);
    }
  }
}

function maxLength(value: string, ch: Characteristics): Checked {
  if (ch.maxLimit !== undefined && length(value) > ch.maxLimit) {
    return bad(`${length(value)} characters, at most ${ch.maxLimit} (maxLimit)`, 'TooLargeElement');
  }
  return { ok: true, value };
}

/** Numeric bounds: the characteristics' minLimit/maxLimit and, for CSMS writes, the MinSet/MaxSet attributes. */
export interface Bounds {
  min?: number;
  max?: number;
  minLabel?: string;
  maxLabel?: string;
}

/** Checks a canonical numeric value against bounds; undefined when it is within them or not numeric. */
export function checkBounds(value: string, dataType: DataType, bounds: Bounds): ValueProblem | undefined {
  if (!NUMERIC_TYPES.has(dataType)) return undefined;
  const n = Number(value);
  if (bounds.min !== undefined && n < bounds.min)
    return { reasonCode: 'ValueTooLow', detail: `${value} is below ${bounds.minLabel ?? 'minLimit'} ${bounds.min}` };
  if (bounds.max !== undefined && n > bounds.max)
    return { reasonCode: 'ValueTooHigh', detail: `${value} is above ${bounds.maxLabel ?? 'maxLimit'} ${bounds.max}` };
  return undefined;
}

/** Normalizes a configuration value (string, number, boolean or list) to its wire string. */
export function configValueToString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (Array.isArray(v) && v.every((m) => typeof m === 'string')) return v.join(',');
  return undefined;
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
