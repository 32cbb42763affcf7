// Tariff conditions are in the station's local time (2.1 I07.FR.17: startTimeOfDay, endTimeOfDay, validFromDate,
// validToDate; I12.FR.37: following daylight saving time), transactions in UTC instants. The IANA time zone is read
// with Intl, so that a tariff's 18:00 is 18:00 on the wall clock on both sides of a DST change.
import type { DayOfWeekEnumType } from '../../generated/v21/types.js';

export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** Minutes since local midnight. */
  minute: number;
  weekday: DayOfWeekEnumType;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'long',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in `timeZone` at the instant `ms` (throws a RangeError for an unknown zone). */
export function localTime(ms: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of format(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    weekday: parts.weekday as DayOfWeekEnumType, // 'Monday' … 'Sunday': the enum's own spelling, by the 'long' format
  };
}

/** "hh:mm" → minutes since midnight (undefined when absent or malformed). */
export function minuteOfDay(hhmm: string | undefined): number | undefined {
  const m = hhmm === undefined ? null : /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}
