"use strict";
// What the precompiled validators call besides themselves: string length in code points and the `format`
// checks. Ours rather than ajv's and ajv-formats' runtime modules, so that validating a message loads no package
// from node_modules (each costs ~1 ms of module resolution on a cold start) — except `uri`, used by two 1.6
// messages only, which is delegated to ajv-formats the first time it is needed.
// The generator gives ajv these same functions; test/validation/formats.test.ts checks they accept exactly what
// ajv-formats accepts.

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

/** Length in Unicode code points, as JSON Schema's maxLength/minLength count it (a surrogate pair is one). */
function ucs2length(s) {
  if (!HIGH_SURROGATE.test(s)) return s.length; // the common case: no astral characters
  const pairs = s.match(SURROGATE_PAIR);
  return s.length - (pairs === null ? 0 : pairs.length);
}

// RFC 3339 section 5.6 date-time, with the leniencies of ajv-formats' "full" mode so that a message valid for
// a runtime-compiled ajv is valid here: the separator may be "T", "t" or one whitespace character, the offset may
// be written +hh, +hhmm or +hh:mm, and 23:59:60 (a leap second) is accepted when it is 23:59 in UTC.
// Read character by character rather than with a capturing regular expression: every Heartbeat, BootNotification
// and TransactionEvent carries a timestamp, and the regex with its match array and substrings cost about 3× as much.
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The two ASCII digits at `i` as a number, or -1 (also past the end: charCodeAt gives NaN there). */
function twoDigits(s, i) {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** What `\s` matches in a JavaScript regular expression (ajv-formats splits date and time on /t|\s/i). */
function isRegExpSpace(c) {
  return (
    (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

function dateTime(s) {
  const len = s.length;
  if (len < 20) return false; // the shortest is yyyy-mm-ddThh:mm:ssZ
  const century = twoDigits(s, 0);
  const yy = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const year = century * 100 + yy;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month])) return false;
  const separator = s.charCodeAt(10);
  if (separator !== 84 && separator !== 116 && !isRegExpSpace(separator)) return false; // T, t or whitespace
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  let second = twoDigits(s, 17);
  if (hour < 0 || minute < 0 || second < 0 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    // A fraction of any length. Only at 59 and 60 s can it change a verdict below: read then as ajv-formats reads it
    // (a number, so that 59.99999999999999999 rounds to 60 there as well).
    const start = ++i;
    for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i));
    if (i === start) return false;
    if (second >= 59) second = +s.slice(17, i);
  }
  let sign = 1;
  let offsetHours = 0;
  let offsetMinutes = 0;
  const zone = s.charCodeAt(i);
  if (zone === 90 || zone === 122) {
    if (i + 1 !== len) return false; // Z or z, last
  } else if (zone === 43 || zone === 45) {
    if (zone === 45) sign = -1;
    offsetHours = twoDigits(s, i + 1);
    if (offsetHours < 0) return false;
    i += 3;
    if (i !== len) {
      if (s.charCodeAt(i) === 58) i++; // +hh:mm or +hhmm
      offsetMinutes = twoDigits(s, i);
      if (offsetMinutes < 0 || i + 2 !== len) return false;
    }
  } else {
    return false;
  }
  if (offsetHours > 23 || offsetMinutes > 59) return false;
  if (hour <= 23 && minute <= 59 && second < 60) return true;
  // A leap second exists only at the end of a UTC day.
  const utcMinute = minute - sign * offsetMinutes;
  const utcHour = hour - sign * offsetHours - (utcMinute < 0 ? 1 : 0);
  return (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second < 61;
}

let ajvUri;
const formats = {
  'date-time': dateTime,
  uri: (s) => (ajvUri ??= require('ajv-formats/dist/formats').fullFormats.uri)(s),
};

exports.ucs2length = ucs2length;
exports.formats = formats;
