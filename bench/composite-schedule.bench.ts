// compositeSchedule: µs per call for 1, 10 and 50 installed profiles, over 24 h and 7-day windows, for one EVSE and
// for EVSE 0 (two EVSEs summed). The profiles are a realistic mix: a daily ChargingStationMaxProfile (4 periods),
// daily and weekly TxDefaultProfiles with hourly periods at several stack levels, validity windows, a Relative
// TxProfile with 12 periods and Absolute external constraints.
// Run: node --import tsx bench/composite-schedule.bench.ts   (or: make bench B=composite). About 20 s.
import type * as v21 from '../generated/v21/types.js';
import {
  compositeSchedule,
  type CompositeScheduleInput21,
  type InstalledProfile,
} from '../runtime/smart-charging/index.js';
import { rate, table } from './lib/measure.js';

const NOW = Date.UTC(2024, 0, 1, 9, 30);
const iso = (s: number) => new Date(NOW + s * 1000).toISOString();
const HOUR = 3600;
const DAY = 24 * HOUR;

function periods(count: number, step: number, base: number): v21.ChargingSchedulePeriodType[] {
  return Array.from({ length: count }, (_, i) => ({ startPeriod: i * step, limit: base + ((i * 7) % 11) }));
}

/** The i-th profile of the mix (deterministic, so every run measures the same work). */
function profileNo(i: number): InstalledProfile<v21.ChargingProfileType> {
  const schedule = (p: Partial<v21.ChargingScheduleType>): v21.ChargingScheduleType[] => [
    { id: 1, chargingRateUnit: i % 3 === 0 ? 'W' : 'A', chargingSchedulePeriod: [], ...p },
  ];
  switch (i % 5) {
    case 0:
      return {
        evseId: 0,
        chargingProfile: {
          id: i + 1,
          stackLevel: i,
          chargingProfilePurpose: 'ChargingStationMaxProfile',
          chargingProfileKind: 'Recurring',
          recurrencyKind: 'Daily',
          chargingSchedule: schedule({
            startSchedule: iso(-30 * DAY),
            chargingRateUnit: 'A',
            chargingSchedulePeriod: periods(4, 6 * HOUR, 20),
          }),
        },
      };
    case 1:
      return {
        evseId: 0,
        chargingProfile: {
          id: i + 1,
          stackLevel: i,
          chargingProfilePurpose: 'TxDefaultProfile',
          chargingProfileKind: 'Recurring',
          recurrencyKind: 'Daily',
          validTo: iso((i + 1) * DAY),
          chargingSchedule: schedule({
            startSchedule: iso(-7 * DAY + i * 60),
            duration: DAY,
            chargingRateUnit: 'A',
            chargingSchedulePeriod: periods(24, HOUR, 6),
          }),
        },
      };
    case 2:
      return {
        evseId: 1,
        chargingProfile: {
          id: i + 1,
          stackLevel: i,
          chargingProfilePurpose: 'TxDefaultProfile',
          chargingProfileKind: 'Recurring',
          recurrencyKind: 'Weekly',
          chargingSchedule: schedule({
            startSchedule: iso(-3 * DAY),
            duration: 2 * DAY,
            chargingRateUnit: 'W',
            chargingSchedulePeriod: periods(48, HOUR, 4000),
          }),
        },
      };
    case 3:
      return {
        evseId: 1,
        chargingProfile: {
          id: i + 1,
          stackLevel: i,
          chargingProfilePurpose: 'TxProfile',
          chargingProfileKind: 'Relative',
          transactionId: 'T1',
          chargingSchedule: schedule({ chargingRateUnit: 'A', chargingSchedulePeriod: periods(12, 1800, 8) }),
        },
      };
    default:
      return {
        evseId: 0,
        chargingProfile: {
          id: i + 1,
          stackLevel: i,
          chargingProfilePurpose: 'ChargingStationExternalConstraints',
          chargingProfileKind: 'Absolute',
          validFrom: iso(i * HOUR),
          chargingSchedule: schedule({
            startSchedule: iso(i * HOUR),
            duration: 6 * HOUR,
            chargingRateUnit: 'A',
            chargingSchedulePeriod: periods(6, HOUR, 10),
          }),
        },
      };
  }
}

function input(count: number, duration: number, evseId: number): CompositeScheduleInput21 {
  return {
    version: 'ocpp2.1',
    now: iso(0),
    station: {
      evses: [{ id: 1, transaction: { transactionId: 'T1', startTime: iso(-HOUR) } }, { id: 2 }],
      supplyPhases: 3,
      phases: 3,
      voltage: 230,
      maxCurrent: 32,
      maxPower: 22_080,
      chargingRateUnits: ['A', 'W'],
    },
    profiles: Array.from({ length: count }, (_, i) => profileNo(i)),
    request: { evseId, duration, chargingRateUnit: 'A' },
  };
}

const rows: Record<string, string | number>[] = [];
for (const evseId of [1, 0]) {
  for (const count of [1, 10, 50]) {
    for (const [window, duration] of [
      ['24 h', DAY],
      ['7 days', 7 * DAY],
    ] as const) {
      const x = input(count, duration, evseId);
      const res = compositeSchedule(x);
      if (res.status !== 'Accepted') throw new Error('the bench input was rejected');
      const r = rate(`${count} profiles`, () => compositeSchedule(x), { ms: 1000, batch: 10, warmupMs: 200 });
      rows.push({
        EVSE: evseId,
        profiles: count,
        window,
        'composite periods': res.schedule!.chargingSchedulePeriod.length,
        'µs per call': Math.round(r.nsPerOp / 1000),
        'calls/s': Math.round(r.opsPerSec),
      });
    }
  }
}
console.log(table(rows));
