// 2.1 K01.FR.90/.91: a schedule with useLocalTime runs on the station's wall clock. Its startSchedule is read as an
// unqualified local time (the offset or "Z" written in it is disregarded), and the schedule follows that clock: when
// daylight saving time begins or ends, part of a period is skipped or repeated. Local time is ClockCtrlr.TimeZone
// (an IANA zone, with its daylight saving time) or else ClockCtrlr.TimeOffset (a fixed "+01:00"); with neither, UTC.
// Times are whole seconds; "local seconds" are the wall-clock reading written as if it were UTC.

export interface LocalClock {
  /** The wall-clock reading at UTC second `t`. */
  toLocal(t: number): number;
  /** The UTC seconds at which the wall clock reads `local`: none in a skipped hour, two in a repeated one. */
  toUtc(local: number): number[];
  /** The UTC seconds in the window at which the offset changes. */
  transitions: number[];
}

/** Where local time comes from (StationState.timeZone / timeOffset). */
export interface LocalTimeSource {
  timeZone?: string;
  timeOffset?: string;
}

/** "+01:00" / "-02:30" → seconds east of UTC; undefined when malformed. */
export function parseOffset(offset: string): number | undefined {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset.trim());
  if (!m) return undefined;
  const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60;
  return m[1] === '-' ? -seconds : seconds;
}

/** Whether Intl knows the IANA zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The offset (seconds east of UTC) of an IANA zone at UTC second `t`. */
function zoneOffset(format: Intl.DateTimeFormat, t: number): number {
  const parts = Object.fromEntries(format.formatToParts(new Date(t * 1000)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour) % 24,
    Number(parts.minute),
    Number(parts.second),
  );
  return wall / 1000 - t;
}

/**
 * A zone's offset changes a few times a year at most, never twice within a week (the shortest gaps in the time
 * zone database are Morocco's DST pauses of about a month): sampled weekly, each change found to the second by
 * bisection. So a window of decades costs a few thousand offset look-ups, not one per hour.
 */
const SAMPLE_S = 7 * 86_400;

/** The station's wall clock over the window [from, to] (UTC seconds). */
export function localClock(source: LocalTimeSource, from: number, to: number): LocalClock {
  const zone = source.timeZone !== undefined && isTimeZone(source.timeZone) ? source.timeZone : undefined;
  if (!zone) {
    const offset = (source.timeOffset !== undefined ? parseOffset(source.timeOffset) : undefined) ?? 0;
    return { toLocal: (t) => t + offset, toUtc: (l) => [l - offset], transitions: [] };
  }
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const at = (t: number) => zoneOffset(format, t);
  // Segments [start, offset], in order: the offset from `start` until the next segment's start.
  const segments: Array<[number, number]> = [[-Infinity, at(from)]];
  for (let t = from; t < to;) {
    const next = Math.min(to, t + SAMPLE_S);
    if (at(next) !== segments.at(-1)![1]) {
      // The last second with the old offset is in [t, next): bisect to the first second of the new one.
      let lo = t;
      let hi = next;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (at(mid) === segments.at(-1)![1]) lo = mid;
        else hi = mid;
      }
      segments.push([hi, at(hi)]);
    }
    t = next;
  }
  const offsetAt = (t: number) => {
    let i = segments.length - 1;
    while (i > 0 && segments[i]![0] > t) i--;
    return segments[i]![1];
  };
  const offsets = [...new Set(segments.map(([, o]) => o))];
  const toLocal = (t: number) => t + offsetAt(t);
  return {
    toLocal,
    toUtc: (l) => offsets.map((o) => l - o).filter((t) => toLocal(t) === l),
    transitions: segments.slice(1).map(([t]) => t),
  };
}

/** K01.FR.90: a date-time read as the wall-clock time it writes, its offset or "Z" disregarded (local seconds). */
export function unqualifiedSeconds(iso: string): number {
  const wall = iso.trim().replace(/(Z|[+-]\d{2}:?\d{2})$/i, '');
  return Math.floor(Date.parse(`${wall}Z`) / 1000);
}
