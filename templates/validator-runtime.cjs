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
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt\s](\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function dateTime(s) {
  const m = DATE_TIME.exec(s);
  if (m === null) return false;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month])) return false;
  const hour = +m[4];
  const minute = +m[5];
  const second = +m[6]; // with its fraction: 59.999 is a second like any other, 60.5 lies in a leap second
  const sign = m[8] === '-' ? -1 : 1;
  const offsetHours = m[9] === undefined ? 0 : +m[9];
  const offsetMinutes = m[10] === undefined ? 0 : +m[10];
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
