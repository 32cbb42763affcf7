// Small builders for composite-schedule inputs, so that each corpus case shows only what it is about. Defaults: a
// 3-phase 230 V station with one EVSE (32 A per phase, 22 080 W = 32 A × 230 V × 3), units A and W, the request
// handled on Monday 2024-01-01 00:00:00Z for EVSE 1 over 24 h.
import type * as v21 from '../../generated/v21/types.js';
import type { CompositeScheduleInput, EvseState, StationState } from '../../runtime/smart-charging/index.js';

export const NOW = '2024-01-01T00:00:00Z';
export const HOUR = 3600;
export const DAY = 86_400;

export type Purpose = v21.ChargingProfilePurposeEnumType;
/** [startPeriod, limit (null: none, 2.1), other fields]. */
export type PeriodSpec = [startPeriod: number, limit: number | null, extra?: Partial<v21.ChargingSchedulePeriodType>];

export interface ProfileSpec {
  evseId?: number;
  id?: number;
  purpose: Purpose;
  stackLevel?: number;
  kind?: v21.ChargingProfileKindEnumType;
  recurrencyKind?: v21.RecurrencyKindEnumType;
  /** ISO, or seconds relative to NOW. */
  startSchedule?: string | number;
  duration?: number;
  unit?: 'A' | 'W';
  periods: PeriodSpec[];
  /** Further chargingSchedules (ISO 15118 offers), after the first. */
  moreSchedules?: PeriodSpec[][];
  validFrom?: string | number;
  validTo?: string | number;
  transactionId?: string;
  maxOfflineDuration?: number;
  invalidAfterOfflineDuration?: boolean;
  /** 2.1: startSchedule is the station's local time (K01.FR.90). */
  useLocalTime?: boolean;
  /** 2.1 Dynamic profiles: when the values were last updated (ISO, or seconds relative to NOW). */
  dynUpdateTime?: string | number;
}

/** NOW plus `s` seconds, as ISO. */
export function at(s: number, base = NOW): string {
  return new Date(Date.parse(base) + s * 1000).toISOString().replace('.000Z', 'Z');
}

const iso = (v: string | number | undefined) => (typeof v === 'number' ? at(v) : v);

let nextId = 1;
export function profile(spec: ProfileSpec): { evseId: number; chargingProfile: v21.ChargingProfileType } {
  const kind = spec.kind ?? (spec.startSchedule === undefined ? 'Relative' : 'Absolute');
  const chargingProfile: v21.ChargingProfileType = {
    id: spec.id ?? nextId++,
    stackLevel: spec.stackLevel ?? 0,
    chargingProfilePurpose: spec.purpose,
    chargingProfileKind: kind,
    chargingSchedule: [
      {
        id: 1,
        chargingRateUnit: spec.unit ?? 'A',
        chargingSchedulePeriod: spec.periods.map(([startPeriod, limit, extra]) => ({
          startPeriod,
          ...(limit === null ? {} : { limit }),
          ...extra,
        })),
      },
    ],
  };
  for (const [i, periods] of (spec.moreSchedules ?? []).entries()) {
    chargingProfile.chargingSchedule.push({
      id: i + 2,
      chargingRateUnit: spec.unit ?? 'A',
      chargingSchedulePeriod: periods.map(([startPeriod, limit]) => ({ startPeriod, limit: limit! })),
    });
  }
  const schedule = chargingProfile.chargingSchedule[0]!;
  if (spec.startSchedule !== undefined) schedule.startSchedule = iso(spec.startSchedule);
  if (spec.duration !== undefined) schedule.duration = spec.duration;
  if (spec.useLocalTime !== undefined) schedule.useLocalTime = spec.useLocalTime;
  if (spec.recurrencyKind) chargingProfile.recurrencyKind = spec.recurrencyKind;
  if (spec.validFrom !== undefined) chargingProfile.validFrom = iso(spec.validFrom);
  if (spec.validTo !== undefined) chargingProfile.validTo = iso(spec.validTo);
  if (spec.transactionId) chargingProfile.transactionId = spec.transactionId;
  if (spec.maxOfflineDuration !== undefined) chargingProfile.maxOfflineDuration = spec.maxOfflineDuration;
  if (spec.dynUpdateTime !== undefined) chargingProfile.dynUpdateTime = iso(spec.dynUpdateTime);
  if (spec.invalidAfterOfflineDuration !== undefined)
    chargingProfile.invalidAfterOfflineDuration = spec.invalidAfterOfflineDuration;
  return { evseId: spec.evseId ?? (spec.purpose === 'ChargingStationMaxProfile' ? 0 : 1), chargingProfile };
}

export function station(over: Partial<StationState> = {}): StationState {
  return {
    evses: [{ id: 1 }],
    supplyPhases: 3,
    phases: 3,
    voltage: 230,
    maxCurrent: 32,
    maxPower: 22_080,
    chargingRateUnits: ['A', 'W'],
    ...over,
  };
}

/** An EVSE with a transaction that became ready to deliver energy `ago` seconds before NOW. */
export function charging(id: number, transactionId: string, ago = 0, priorityCharging?: boolean): EvseState {
  return { id, transaction: { transactionId, startTime: at(-ago), ...(priorityCharging ? { priorityCharging } : {}) } };
}

export interface Case {
  name: string;
  version?: 'ocpp2.0.1' | 'ocpp2.1';
  now?: string;
  station?: Partial<StationState>;
  profiles?: ProfileSpec[];
  request?: { evseId?: number; duration?: number; chargingRateUnit?: 'A' | 'W' };
  /** Expected periods, or a rejection's reasonCode. */
  expect: ExpectedPeriod[] | { rejected: string };
  /** Expected unit and scheduleStart when the case is about them. */
  unit?: 'A' | 'W';
  scheduleStart?: string;
}

/** [startPeriod, limit, other fields]; numberPhases 3 is implied unless the fields say otherwise (null: absent). */
export type ExpectedPeriod = [number, number, (Record<string, unknown> & { numberPhases?: number | null })?];

export function buildInput(c: Case): CompositeScheduleInput {
  return {
    version: c.version ?? 'ocpp2.0.1',
    now: c.now ?? NOW,
    station: station(c.station),
    profiles: (c.profiles ?? []).map(profile),
    request: {
      evseId: c.request?.evseId ?? 1,
      duration: c.request?.duration ?? DAY,
      ...(c.request?.chargingRateUnit ? { chargingRateUnit: c.request.chargingRateUnit } : {}),
    },
  } as CompositeScheduleInput;
}

export function expectedPeriods(periods: ExpectedPeriod[]): v21.ChargingSchedulePeriodType[] {
  return periods.map(([startPeriod, limit, extra = {}]) => {
    const { numberPhases = 3, ...rest } = extra;
    return {
      startPeriod,
      limit,
      ...(numberPhases === null ? {} : { numberPhases }),
      ...rest,
    } as v21.ChargingSchedulePeriodType;
  });
}
