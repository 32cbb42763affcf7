// Composite-schedule corpus, 2.0.1 rules (they hold for 2.1 too). Each expected schedule is worked out by hand
// from the rule named in the case's name; the comment says how. Defaults: builders.ts (3 × 230 V, 32 A / 22 080 W
// per EVSE, request at 2024-01-01T00:00Z, Monday, for EVSE 1 over 24 h).
import { DAY, HOUR, charging, type Case } from './builders.js';

const TXD = 'TxDefaultProfile';
const TX = 'TxProfile';
const MAX = 'ChargingStationMaxProfile';
const EXT = 'ChargingStationExternalConstraints';

export const basics: Case[] = [
  // No profile limits the EVSE: its hardware maximum is the limit (docs "No limit").
  {
    name: 'K08.FR.02: no profiles, amperes: the EVSE maximum for the whole window',
    request: { chargingRateUnit: 'A' },
    expect: [[0, 32]],
  },
  {
    name: 'K08.FR.02: no profiles, watts: the EVSE maximum power',
    request: { chargingRateUnit: 'W' },
    expect: [[0, 22_080]],
    unit: 'W',
  },
  // No unit asked: the first of ChargingScheduleChargingRateUnit.
  {
    name: 'K08.FR.02: without chargingRateUnit the station default (first configured unit) is used',
    station: { chargingRateUnits: ['W', 'A'] },
    expect: [[0, 22_080]],
    unit: 'W',
  },
  {
    name: 'K08.FR.05: an unknown EVSE is Rejected (UnknownEvse)',
    request: { evseId: 7 },
    expect: { rejected: 'UnknownEvse' },
  },
  {
    name: 'K08.FR.07: a unit not in ChargingScheduleChargingRateUnit is Rejected (UnsupportedRateUnit)',
    station: { chargingRateUnits: ['A'] },
    request: { chargingRateUnit: 'W' },
    expect: { rejected: 'UnsupportedRateUnit' },
  },
  {
    name: 'K08.FR.05: a request for no time at all (duration 0) is Rejected (InvalidValue)',
    request: { duration: 0 },
    expect: { rejected: 'InvalidValue' },
  },
  // Whole seconds: the fraction of the request time is dropped (docs "Resolution").
  {
    name: 'K08.FR.02: scheduleStart is the request time truncated to the second (docs)',
    now: '2024-01-01T00:00:00.700Z',
    scheduleStart: '2024-01-01T00:00:00Z',
    profiles: [{ purpose: TXD, startSchedule: HOUR, periods: [[0, 10]] }],
    expect: [
      [0, 32],
      [3600, 10],
    ],
  },
  // K08.FR.02: the window runs from the request up to duration; a period after it is not reported.
  {
    name: 'K08.FR.02: a change after the window is not reported',
    request: { duration: HOUR },
    profiles: [{ purpose: TXD, startSchedule: 2 * HOUR, periods: [[0, 10]] }],
    expect: [[0, 32]],
  },
];

export const absolute: Case[] = [
  // K01.FR.30: an Absolute schedule limits only from startSchedule on.
  {
    name: 'K01.FR.30: an Absolute schedule starting inside the window limits from its start',
    profiles: [{ purpose: TXD, startSchedule: HOUR, periods: [[0, 10]] }],
    expect: [
      [0, 32],
      [3600, 10],
    ],
  },
  // K01.FR.12: a period lasts until the duration has elapsed; after it, no profile limits.
  {
    name: 'K01.FR.12: after the duration the schedule no longer limits',
    profiles: [{ purpose: TXD, startSchedule: 0, duration: 2 * HOUR, periods: [[0, 10]] }],
    expect: [
      [0, 10],
      [7200, 32],
    ],
  },
  // A schedule that began before the request: its next period starts inside the window (the libocpp bug).
  {
    name: 'K01.FR.12: a period starting inside the window of a schedule begun earlier is reported',
    profiles: [
      {
        purpose: TXD,
        startSchedule: -HOUR,
        periods: [
          [0, 20],
          [2 * HOUR, 12],
        ],
      },
    ],
    expect: [
      [0, 20],
      [3600, 12],
    ],
  },
  // K01.FR.11: a period at or past the duration is never executed.
  {
    name: 'K01.FR.11: a period with startPeriod >= duration is not executed',
    profiles: [
      {
        purpose: TXD,
        startSchedule: 0,
        duration: HOUR,
        periods: [
          [0, 10],
          [HOUR, 5],
        ],
      },
    ],
    expect: [
      [0, 10],
      [3600, 32],
    ],
  },
  {
    name: 'K01.FR.12: a schedule whose duration ended before the window does not limit',
    profiles: [{ purpose: TXD, startSchedule: -2 * HOUR, duration: HOUR, periods: [[0, 10]] }],
    expect: [[0, 32]],
  },
  // Without duration the last period continues indefinitely.
  {
    name: 'K01.FR.12: without duration the last period continues to the end of the window',
    profiles: [
      {
        purpose: TXD,
        startSchedule: -DAY,
        periods: [
          [0, 20],
          [HOUR, 8],
        ],
      },
    ],
    expect: [[0, 8]],
  },
  {
    name: 'K01.FR.12: consecutive periods with the same limit are reported as one',
    profiles: [
      {
        purpose: TXD,
        startSchedule: 0,
        periods: [
          [0, 10],
          [HOUR, 10],
          [2 * HOUR, 6],
        ],
      },
    ],
    expect: [
      [0, 10],
      [7200, 6],
    ],
  },
];

export const validity: Case[] = [
  {
    name: 'K01.FR.36: a profile becomes valid at validFrom',
    profiles: [{ purpose: TXD, startSchedule: -HOUR, validFrom: 1800, periods: [[0, 10]] }],
    expect: [
      [0, 32],
      [1800, 10],
    ],
  },
  {
    name: 'K01.FR.36: validFrom equal to the request time is valid from the first second',
    profiles: [{ purpose: TXD, startSchedule: -HOUR, validFrom: 0, periods: [[0, 10]] }],
    expect: [[0, 10]],
  },
  // validTo is exclusive: valid while time < validTo.
  {
    name: 'K01.FR.37: a profile stops being valid at validTo',
    profiles: [{ purpose: TXD, startSchedule: -HOUR, validTo: HOUR, periods: [[0, 10]] }],
    expect: [
      [0, 10],
      [3600, 32],
    ],
  },
  {
    name: 'K01.FR.37: a profile whose validTo has passed does not limit',
    profiles: [{ purpose: TXD, startSchedule: -2 * HOUR, validTo: -1, periods: [[0, 10]] }],
    expect: [[0, 32]],
  },
  {
    name: 'K01.FR.10: without validFrom and validTo a profile is valid indefinitely',
    request: { duration: 7 * DAY },
    profiles: [{ purpose: TXD, startSchedule: -DAY, periods: [[0, 10]] }],
    expect: [[0, 10]],
  },
  // A lower stack level takes over when the higher one stops being valid (K01.FR.17 with K01.FR.37).
  {
    name: 'K01.FR.17: when the higher stack level stops being valid the lower one leads again',
    profiles: [
      { purpose: TXD, stackLevel: 0, startSchedule: -DAY, periods: [[0, 16]] },
      { purpose: TXD, stackLevel: 1, startSchedule: -DAY, validTo: 2 * HOUR, periods: [[0, 6]] },
    ],
    expect: [
      [0, 6],
      [7200, 16],
    ],
  },
];

export const recurring: Case[] = [
  // Daily profile of §3.6 (example charging profile), in A: 16 A 00:00–08:00, 6 A 08:00–20:00, 16 A 20:00–24:00.
  {
    name: 'K01.FR.13: a Daily Recurring schedule restarts every day (example of section 3.6)',
    request: { duration: 2 * DAY },
    profiles: [
      {
        purpose: TXD,
        kind: 'Recurring',
        recurrencyKind: 'Daily',
        startSchedule: '2013-01-01T00:00:00Z',
        duration: DAY,
        periods: [
          [0, 16],
          [8 * HOUR, 6],
          [20 * HOUR, 16],
        ],
      },
    ],
    expect: [
      [0, 16],
      [28_800, 6],
      [72_000, 16],
      [115_200, 6],
      [158_400, 16],
    ],
  },
  // Request at 22:00: the 20:00 period (10 A) runs until midnight, where the schedule restarts with 16 A.
  {
    name: 'K01.FR.13: a window across midnight sees the Daily schedule restart at its first period',
    now: '2024-01-01T22:00:00Z',
    request: { duration: 4 * HOUR },
    profiles: [
      {
        purpose: TXD,
        kind: 'Recurring',
        recurrencyKind: 'Daily',
        startSchedule: '2023-12-01T00:00:00Z',
        periods: [
          [0, 16],
          [8 * HOUR, 6],
          [20 * HOUR, 10],
        ],
      },
    ],
    expect: [
      [0, 10],
      [7200, 16],
    ],
  },
  // 17:00–20:00 every day (duration 3 h < 1 day): outside it no profile limits.
  {
    name: 'K01.FR.13: a Daily schedule shorter than a day falls back to no limit after its duration',
    request: { duration: 2 * DAY },
    profiles: [
      {
        purpose: TXD,
        kind: 'Recurring',
        recurrencyKind: 'Daily',
        startSchedule: '2023-06-01T17:00:00Z',
        duration: 3 * HOUR,
        periods: [[0, 8]],
      },
    ],
    expect: [
      [0, 32],
      [61_200, 8],
      [72_000, 32],
      [147_600, 8],
      [158_400, 32],
    ],
  },
  // Weekly from Sunday 2023-12-31: within Mon 2024-01-01 + 7 days, the next Sunday starts 6 days in.
  {
    name: 'K01.FR.13: a Weekly schedule restarts every week (Sundays only)',
    request: { duration: 7 * DAY },
    profiles: [
      {
        purpose: TXD,
        kind: 'Recurring',
        recurrencyKind: 'Weekly',
        startSchedule: '2023-12-31T00:00:00Z',
        duration: DAY,
        periods: [[0, 10]],
      },
    ],
    expect: [
      [0, 32],
      [518_400, 10],
    ],
  },
  {
    name: 'K01.FR.30: a Recurring schedule does not limit before its first startSchedule',
    profiles: [
      {
        purpose: TXD,
        kind: 'Recurring',
        recurrencyKind: 'Daily',
        startSchedule: 2 * HOUR,
        periods: [
          [0, 12],
          [HOUR, 6],
        ],
      },
    ],
    expect: [
      [0, 32],
      [7200, 12],
      [10_800, 6],
    ],
  },
  // No startSchedule (against K01.FR.40): counted from the transaction start (1 h ago) like a Relative one, and
  // still restarting daily: again 10 A from 23 h on.
  {
    name: 'K01.FR.40: a Recurring profile without startSchedule is counted from the transaction start (docs)',
    station: { evses: [charging(1, 'T1', HOUR)] },
    profiles: [
      {
        purpose: TXD,
        kind: 'Recurring',
        recurrencyKind: 'Daily',
        periods: [
          [0, 10],
          [2 * HOUR, 20],
        ],
      },
    ],
    expect: [
      [0, 10],
      [3600, 20],
      [82_800, 10],
    ],
  },
  {
    name: 'K01.FR.40: an Absolute profile without startSchedule is counted from the transaction start (docs)',
    station: { evses: [charging(1, 'T1', HOUR)] },
    profiles: [
      {
        purpose: TXD,
        kind: 'Absolute',
        periods: [
          [0, 10],
          [2 * HOUR, 20],
        ],
      },
    ],
    expect: [
      [0, 10],
      [3600, 20],
    ],
  },
  {
    name: 'K01.FR.13: a Recurring profile without recurrencyKind never limits (docs)',
    profiles: [{ purpose: TXD, kind: 'Recurring', startSchedule: -HOUR, periods: [[0, 10]] }],
    expect: [[0, 32]],
  },
  // §3.6.1 stacked example, in W: stack 1 daily 17–20 2 kW; stack 2 Sundays 999999; stack 3 Christmas 2020 999999.
  // Window Thu 24 Dec 2020 00:00 + 4 days: 2 kW on 24 and 26 Dec 17–20; not on the 25th (stack 3) nor Sunday 27th
  // (stack 2); the 999999 W periods are capped by the EVSE's 22 080 W.
  {
    name: 'K01.FR.17: stacked exceptions of section 3.6.1 (Sundays, Christmas) overrule the daily limit',
    now: '2020-12-24T00:00:00Z',
    request: { duration: 4 * DAY, chargingRateUnit: 'W' },
    unit: 'W',
    profiles: [
      {
        purpose: TXD,
        stackLevel: 1,
        kind: 'Recurring',
        recurrencyKind: 'Daily',
        startSchedule: '2020-01-09T17:00:00Z',
        duration: 3 * HOUR,
        unit: 'W',
        periods: [[0, 2000]],
      },
      {
        purpose: TXD,
        stackLevel: 2,
        kind: 'Recurring',
        recurrencyKind: 'Weekly',
        startSchedule: '2020-01-05T00:00:00Z',
        duration: DAY,
        unit: 'W',
        periods: [[0, 999_999]],
      },
      {
        purpose: TXD,
        stackLevel: 3,
        kind: 'Absolute',
        validFrom: '2020-01-01T00:00:00Z',
        validTo: '2021-01-01T00:00:00Z',
        startSchedule: '2020-12-25T00:00:00Z',
        duration: DAY,
        unit: 'W',
        periods: [[0, 999_999]],
      },
    ],
    expect: [
      [0, 22_080],
      [61_200, 2000],
      [72_000, 22_080],
      [234_000, 2000],
      [244_800, 22_080],
    ],
  },
];

export const relative: Case[] = [
  // Relative: periods count from the moment the EVSE became ready to deliver energy (K01.FR.42), here 1 h ago.
  {
    name: 'K01.FR.42: a Relative TxProfile counts from the start of its transaction',
    station: { evses: [charging(1, 'T1', HOUR)] },
    profiles: [
      {
        purpose: TX,
        transactionId: 'T1',
        periods: [
          [0, 10],
          [2 * HOUR, 20],
        ],
      },
    ],
    expect: [
      [0, 10],
      [3600, 20],
    ],
  },
  // No transaction: computed as if one started now (K08.FR.06, docs "Relative without transaction").
  {
    name: 'K08.FR.06: without a transaction a Relative TxDefaultProfile is computed as if charging starts now',
    profiles: [
      {
        purpose: TXD,
        periods: [
          [0, 10],
          [600, 20],
        ],
      },
    ],
    expect: [
      [0, 10],
      [600, 20],
    ],
  },
  {
    name: 'K01.FR.42: a Relative TxDefaultProfile counts from the start of the running transaction',
    station: { evses: [charging(1, 'T1', 1800)] },
    profiles: [
      {
        purpose: TXD,
        periods: [
          [0, 10],
          [HOUR, 20],
        ],
      },
    ],
    expect: [
      [0, 10],
      [1800, 20],
    ],
  },
  {
    name: 'K01.FR.12: a Relative schedule with a duration ends duration after the transaction started',
    station: { evses: [charging(1, 'T1', 600)] },
    profiles: [{ purpose: TXD, duration: 1200, periods: [[0, 10]] }],
    expect: [
      [0, 10],
      [600, 32],
    ],
  },
];

export const stacking: Case[] = [
  // K01.FR.17: the higher stack level overrules, even with a higher limit.
  {
    name: 'K01.FR.17: of two valid TxDefaultProfiles the higher stack level leads',
    profiles: [
      { purpose: TXD, stackLevel: 0, startSchedule: -HOUR, periods: [[0, 16]] },
      { purpose: TXD, stackLevel: 1, startSchedule: -HOUR, periods: [[0, 10]] },
    ],
    expect: [[0, 10]],
  },
  {
    name: 'K01.FR.17: a higher stack level overrules a lower one even with a higher limit',
    profiles: [
      { purpose: TXD, stackLevel: 0, startSchedule: -HOUR, periods: [[0, 10]] },
      { purpose: TXD, stackLevel: 1, startSchedule: -HOUR, periods: [[0, 20]] },
    ],
    expect: [[0, 20]],
  },
  // §3.5: the leading schedule is the highest-stack one that has a period at that time: outside stack 1's hour,
  // stack 0 leads.
  {
    name: 'K01.FR.17: where the higher stack level has no period in force the lower one leads',
    profiles: [
      { purpose: TXD, stackLevel: 0, startSchedule: -HOUR, periods: [[0, 16]] },
      { purpose: TXD, stackLevel: 1, startSchedule: HOUR, duration: HOUR, periods: [[0, 10]] },
    ],
    expect: [
      [0, 16],
      [3600, 10],
      [7200, 16],
    ],
  },
  {
    name: 'K01.FR.36: a higher stack level not yet valid does not lead',
    profiles: [
      { purpose: TXD, stackLevel: 0, startSchedule: -HOUR, periods: [[0, 16]] },
      { purpose: TXD, stackLevel: 1, startSchedule: -HOUR, validFrom: HOUR, periods: [[0, 10]] },
    ],
    expect: [
      [0, 16],
      [3600, 10],
    ],
  },
  // §3.4: a profile on EVSE 0 is active on all EVSEs and stacks with the EVSE's own profiles of that purpose.
  {
    name: "K01.FR.14: a TxDefaultProfile on EVSE 0 stacks with the EVSE's own by stack level",
    profiles: [
      { purpose: TXD, evseId: 0, stackLevel: 2, startSchedule: -HOUR, periods: [[0, 20]] },
      { purpose: TXD, evseId: 1, stackLevel: 1, startSchedule: -HOUR, periods: [[0, 8]] },
    ],
    expect: [[0, 20]],
  },
  // Same purpose and stack level on EVSE 0 and EVSE 1 (forbidden by K01.FR.52/53, yet possible): EVSE 1's leads.
  {
    name: "K01.FR.53: same stack level on EVSE 0 and on the EVSE: the EVSE's own profile leads (docs)",
    profiles: [
      { purpose: TXD, evseId: 1, stackLevel: 1, startSchedule: -HOUR, periods: [[0, 20]] },
      { purpose: TXD, evseId: 0, stackLevel: 1, startSchedule: -HOUR, periods: [[0, 8]] },
    ],
    expect: [[0, 20]],
  },
  {
    name: 'K01.FR.06: same purpose and stack level on one EVSE: the later installed leads (docs)',
    profiles: [
      { purpose: TXD, stackLevel: 1, startSchedule: -HOUR, periods: [[0, 8]] },
      { purpose: TXD, stackLevel: 1, startSchedule: -HOUR, periods: [[0, 20]] },
    ],
    expect: [[0, 20]],
  },
];

export const purposes: Case[] = [
  // §3.5: the minimum over the leading profiles of the purposes.
  {
    name: 'K08.FR.04: ChargingStationMaxProfile above TxDefaultProfile: the TxDefault limit',
    profiles: [
      { purpose: MAX, startSchedule: -DAY, periods: [[0, 20]] },
      { purpose: TXD, startSchedule: -DAY, periods: [[0, 16]] },
    ],
    expect: [[0, 16]],
  },
  {
    name: 'K08.FR.04: ChargingStationMaxProfile below TxDefaultProfile: the station maximum',
    profiles: [
      { purpose: MAX, startSchedule: -DAY, periods: [[0, 10]] },
      { purpose: TXD, startSchedule: -DAY, periods: [[0, 16]] },
    ],
    expect: [[0, 10]],
  },
  // K02.FR.04: the TxProfile overrules the TxDefaultProfile, so a lower TxDefault limit does not count.
  {
    name: 'K02.FR.04: a TxProfile overrules the TxDefaultProfile even when the default is lower',
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      { purpose: TXD, startSchedule: -DAY, periods: [[0, 8]] },
      { purpose: TX, transactionId: 'T1', periods: [[0, 12]] },
    ],
    expect: [[0, 12]],
  },
  {
    name: "K02.FR.08: when the TxProfile's schedule ends the TxDefaultProfile applies again",
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      { purpose: TXD, startSchedule: -DAY, periods: [[0, 8]] },
      { purpose: TX, transactionId: 'T1', duration: HOUR, periods: [[0, 12]] },
    ],
    expect: [
      [0, 12],
      [3600, 8],
    ],
  },
  {
    name: "K02.FR.08: when the TxProfile's validTo passes the TxDefaultProfile applies again",
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      { purpose: TXD, startSchedule: -DAY, periods: [[0, 8]] },
      { purpose: TX, transactionId: 'T1', validTo: 2 * HOUR, periods: [[0, 12]] },
    ],
    expect: [
      [0, 12],
      [7200, 8],
    ],
  },
  {
    name: 'K01.FR.04: a TxProfile of another transaction does not apply',
    station: { evses: [charging(1, 'T2')] },
    profiles: [
      { purpose: TXD, startSchedule: -DAY, periods: [[0, 8]] },
      { purpose: TX, transactionId: 'T1', periods: [[0, 12]] },
    ],
    expect: [[0, 8]],
  },
  {
    name: 'K05.FR.03: a TxProfile without transactionId applies to the transaction on its EVSE (docs)',
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      { purpose: TXD, startSchedule: -DAY, periods: [[0, 8]] },
      { purpose: TX, periods: [[0, 12]] },
    ],
    expect: [[0, 12]],
  },
  // K01.FR.34: one schedule without ISO 15118; with several, the first is the one in force (docs).
  {
    name: 'K01.FR.34: of several chargingSchedules the first is in force (docs)',
    profiles: [{ purpose: TXD, startSchedule: -DAY, periods: [[0, 12]], moreSchedules: [[[0, 6]], [[0, 3]]] }],
    expect: [[0, 12]],
  },
  {
    name: 'K01.FR.09: a TxProfile on an EVSE without transaction does not apply',
    profiles: [{ purpose: TX, transactionId: 'T1', periods: [[0, 12]] }],
    expect: [[0, 32]],
  },
  {
    name: 'K01.FR.16: a TxProfile on EVSE 0 is never used',
    station: { evses: [charging(1, 'T1')] },
    profiles: [{ purpose: TX, evseId: 0, transactionId: 'T1', periods: [[0, 12]] }],
    expect: [[0, 32]],
  },
  // Figure "situation 1": Max (stack 0), TxDefault (stack 2), External (stack 1): the lowest of the three.
  {
    name: 'K08.FR.04: ChargingStationExternalConstraints is merged with the other purposes (situation 1)',
    profiles: [
      { purpose: MAX, startSchedule: -DAY, periods: [[0, 20]] },
      { purpose: TXD, stackLevel: 2, startSchedule: -DAY, periods: [[0, 16]] },
      { purpose: EXT, stackLevel: 1, evseId: 0, startSchedule: -DAY, periods: [[0, 6]] },
    ],
    expect: [[0, 6]],
  },
  // Figure "situation 2": Max, TxProfile and External merged, the TxDefaultProfile (lowest here) ignored.
  {
    name: 'K08.FR.04: with a TxProfile the TxDefaultProfile is left out of the minimum (situation 2)',
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      { purpose: MAX, startSchedule: -DAY, periods: [[0, 20]] },
      { purpose: TXD, startSchedule: -DAY, periods: [[0, 4]] },
      { purpose: TX, stackLevel: 1, transactionId: 'T1', periods: [[0, 14]] },
      { purpose: EXT, stackLevel: 1, startSchedule: -DAY, periods: [[0, 18]] },
    ],
    expect: [[0, 14]],
  },
  {
    name: 'K04.FR.03: a ChargingStationMaxProfile installed on an EVSE other than 0 is not used (docs)',
    profiles: [{ purpose: MAX, evseId: 1, startSchedule: -DAY, periods: [[0, 10]] }],
    expect: [[0, 32]],
  },
  // External constraint changing inside the window while the TxDefault stays.
  {
    name: 'K08.FR.04: an external constraint starting inside the window lowers the limit from then on',
    profiles: [
      { purpose: TXD, startSchedule: -DAY, periods: [[0, 16]] },
      { purpose: EXT, startSchedule: 1800, duration: 1800, periods: [[0, 6]] },
    ],
    expect: [
      [0, 16],
      [1800, 6],
      [3600, 16],
    ],
  },
];

export const units: Case[] = [
  // K01.FR.50: W on AC is the total over the phases: 11 040 W / (230 V × 3) = 16 A per phase.
  {
    name: 'K01.FR.50: a W limit is reported in A as power / (voltage × phases)',
    profiles: [{ purpose: TXD, startSchedule: -DAY, unit: 'W', periods: [[0, 11_040]] }],
    request: { chargingRateUnit: 'A' },
    expect: [[0, 16]],
  },
  // K01.FR.51: A is per phase: 16 A × 230 V × 3 = 11 040 W.
  {
    name: 'K01.FR.51: an A limit is reported in W as current × voltage × phases',
    profiles: [{ purpose: TXD, startSchedule: -DAY, periods: [[0, 16]] }],
    request: { chargingRateUnit: 'W' },
    unit: 'W',
    expect: [[0, 11_040]],
  },
  {
    name: 'K01.FR.50: a single-phase W limit in A: 3 680 W / 230 V = 16 A on 1 phase',
    profiles: [{ purpose: TXD, startSchedule: -DAY, unit: 'W', periods: [[0, 3680, { numberPhases: 1 }]] }],
    expect: [[0, 16, { numberPhases: 1 }]],
  },
  {
    name: 'K01.FR.51: a single-phase A limit in W: 16 A × 230 V = 3 680 W',
    profiles: [{ purpose: TXD, startSchedule: -DAY, periods: [[0, 16, { numberPhases: 1 }]] }],
    request: { chargingRateUnit: 'W' },
    unit: 'W',
    expect: [[0, 3680, { numberPhases: 1 }]],
  },
  // 11 000 W / 690 V = 15.94… A: reported rounded down to 15.9 (never above the limit, docs "Rounding").
  {
    name: 'K08.FR.04: a converted limit is rounded down to one decimal',
    profiles: [{ purpose: TXD, startSchedule: -DAY, unit: 'W', periods: [[0, 11_000]] }],
    expect: [[0, 15.9]],
  },
  // Mixed units: Max 16 A (3 phases) and TxDefault 4 600 W on 1 phase (= 20 A on one phase): the composite uses
  // 1 phase (the lowest numberPhases, 2.1 §3.8), so the Max profile allows 16 A there.
  {
    name: 'K08.FR.04: A and W limits are compared on the phases in use (1 phase: 16 A = 3 680 W)',
    profiles: [
      { purpose: MAX, startSchedule: -DAY, periods: [[0, 16]] },
      { purpose: TXD, startSchedule: -DAY, unit: 'W', periods: [[0, 4600, { numberPhases: 1 }]] },
    ],
    request: { chargingRateUnit: 'W' },
    unit: 'W',
    expect: [[0, 3680, { numberPhases: 1 }]],
  },
  {
    name: 'K08.FR.04: A and W limits merged in A (W limit lower: 6 900 W / 690 V = 10 A)',
    profiles: [
      { purpose: MAX, startSchedule: -DAY, periods: [[0, 16]] },
      { purpose: TXD, startSchedule: -DAY, unit: 'W', periods: [[0, 6900]] },
    ],
    expect: [[0, 10]],
  },
  // A single-phase station: default phases 1, the EVSE maximum 32 A × 230 V = 7 360 W.
  {
    name: 'K01.FR.49: on a single-phase station an A limit converts with one phase',
    station: { supplyPhases: 1, phases: 1, maxPower: 7360 },
    profiles: [{ purpose: TXD, startSchedule: -DAY, periods: [[0, 16]] }],
    request: { chargingRateUnit: 'W' },
    unit: 'W',
    expect: [[0, 3680, { numberPhases: 1 }]],
  },
  // K01.FR.45: a station supplied with fewer phases imposes the limit on the phases it has.
  {
    name: 'K01.FR.45: numberPhases above the supply phases is imposed on the phases the station has',
    station: { supplyPhases: 1, phases: 3, maxPower: 7360 },
    profiles: [{ purpose: TXD, startSchedule: -DAY, periods: [[0, 16, { numberPhases: 3 }]] }],
    request: { chargingRateUnit: 'W' },
    unit: 'W',
    expect: [[0, 3680, { numberPhases: 1 }]],
  },
  // DC (supplyPhases 0): W = A × DC voltage, no numberPhases. 20 000 W / 400 V = 50 A.
  {
    name: 'K01.FR.44: on a DC station A and W convert with the DC voltage and no numberPhases is reported',
    station: { supplyPhases: 0, voltage: 400, maxCurrent: 125, maxPower: 50_000 },
    profiles: [{ purpose: TXD, startSchedule: -DAY, unit: 'W', periods: [[0, 20_000]] }],
    expect: [[0, 50, { numberPhases: null }]],
  },
  {
    name: 'K01.FR.46: phaseToUse of a single-phase period is reported with numberPhases 1',
    profiles: [{ purpose: TXD, startSchedule: -DAY, periods: [[0, 16, { numberPhases: 1, phaseToUse: 2 }]] }],
    expect: [[0, 16, { numberPhases: 1, phaseToUse: 2 }]],
  },
  // The hardware maximum in W also caps an A limit: maxPower 7 360 W on 3 phases = 10.6 A per phase.
  {
    name: 'K08.FR.04: the EVSE maximum power caps a higher A limit (7 360 W / 690 V = 10.6 A)',
    station: { maxPower: 7360 },
    profiles: [{ purpose: TXD, startSchedule: -DAY, periods: [[0, 16]] }],
    expect: [[0, 10.6]],
  },
];

export const evse0: Case[] = [
  // K08.FR.03: EVSE 0 reports what the whole station expects to draw: the sum of the EVSEs.
  {
    name: 'K08.FR.03: EVSE 0 without profiles: the sum of the EVSE maxima (2 × 32 A)',
    station: { evses: [{ id: 1 }, { id: 2 }] },
    request: { evseId: 0 },
    expect: [[0, 64]],
  },
  {
    name: 'K08.FR.03: EVSE 0 in W: 2 × 22 080 W',
    station: { evses: [{ id: 1 }, { id: 2 }] },
    request: { evseId: 0, chargingRateUnit: 'W' },
    unit: 'W',
    expect: [[0, 44_160]],
  },
  // K01.FR.14 + K08.FR.06: a TxDefault on EVSE 0 applies to each EVSE as if charging: 2 × 10 A.
  {
    name: 'K08.FR.06: EVSE 0 sums a TxDefaultProfile applied to each EVSE',
    station: { evses: [{ id: 1 }, { id: 2 }] },
    profiles: [{ purpose: TXD, evseId: 0, startSchedule: -DAY, periods: [[0, 10]] }],
    request: { evseId: 0 },
    expect: [[0, 20]],
  },
  // §3.5: ChargingStationMaxProfile is the limit for all EVSEs combined.
  {
    name: 'K04.FR.05: EVSE 0 never exceeds the ChargingStationMaxProfile (all EVSEs combined)',
    station: { evses: [{ id: 1 }, { id: 2 }] },
    profiles: [{ purpose: MAX, startSchedule: -DAY, periods: [[0, 25]] }],
    request: { evseId: 0 },
    expect: [[0, 25]],
  },
  {
    name: 'K08.FR.03: EVSE 0 sums a TxProfile on one EVSE and a TxDefaultProfile on the other (6 + 10 A)',
    station: { evses: [charging(1, 'T1'), { id: 2 }] },
    profiles: [
      { purpose: TXD, evseId: 2, startSchedule: -DAY, periods: [[0, 10]] },
      { purpose: TX, evseId: 1, transactionId: 'T1', periods: [[0, 6]] },
    ],
    request: { evseId: 0 },
    expect: [[0, 16]],
  },
  // 3 EVSEs × 16 A × 690 V = 33 120 W, above the 22 080 W station maximum.
  {
    name: 'K04.FR.05: three EVSEs at 16 A (33 120 W) are capped by a 22 080 W ChargingStationMaxProfile',
    station: { evses: [{ id: 1 }, { id: 2 }, { id: 3 }] },
    profiles: [
      { purpose: MAX, unit: 'W', startSchedule: -DAY, periods: [[0, 22_080]] },
      { purpose: TXD, evseId: 0, startSchedule: -DAY, periods: [[0, 16]] },
    ],
    request: { evseId: 0, chargingRateUnit: 'W' },
    unit: 'W',
    expect: [[0, 22_080]],
  },
  {
    name: 'K08.FR.03: an external constraint on EVSE 0 caps the station total',
    station: { evses: [{ id: 1 }, { id: 2 }] },
    profiles: [{ purpose: EXT, evseId: 0, startSchedule: HOUR, duration: HOUR, periods: [[0, 40]] }],
    request: { evseId: 0 },
    expect: [
      [0, 64],
      [3600, 40],
      [7200, 64],
    ],
  },
  // The station maximum also caps one EVSE's own composite (docs "EVSE 0").
  {
    name: "K04.FR.05: a single EVSE's composite is capped by the ChargingStationMaxProfile too",
    station: { evses: [{ id: 1 }, { id: 2 }] },
    profiles: [{ purpose: MAX, startSchedule: -DAY, periods: [[0, 25]] }],
    request: { evseId: 2 },
    expect: [[0, 25]],
  },
  // EVSE 1 transaction started 1 h ago with a relative TxDefault (20 A for 2 h, then 10 A); EVSE 2 idle: its copy
  // starts now. Total: 40 A until EVSE 1 drops at +1 h (30 A), then EVSE 2 drops at +2 h (20 A).
  {
    name: "K08.FR.06: EVSE 0 follows each EVSE's own Relative start",
    station: { evses: [charging(1, 'T1', HOUR), { id: 2 }] },
    profiles: [
      {
        purpose: TXD,
        evseId: 0,
        periods: [
          [0, 20],
          [2 * HOUR, 10],
        ],
      },
    ],
    request: { evseId: 0 },
    expect: [
      [0, 40],
      [3600, 30],
      [7200, 20],
    ],
  },
  // A 1-phase EVSE (16 A on L1) and a 3-phase EVSE (10 A): L1 carries 26 A, L2/L3 10 A. 2.0.1 has no per-phase
  // field: the highest phase current is reported (docs "Unequal phases").
  {
    version: 'ocpp2.0.1',
    name: 'K08.FR.03: EVSE 0 with unequal phases in 2.0.1 reports the highest phase current (docs)',
    station: { evses: [{ id: 1 }, { id: 2 }] },
    profiles: [
      { purpose: TXD, evseId: 1, startSchedule: -DAY, periods: [[0, 16, { numberPhases: 1 }]] },
      { purpose: TXD, evseId: 2, startSchedule: -DAY, periods: [[0, 10]] },
    ],
    request: { evseId: 0 },
    expect: [[0, 26]],
  },
  // Same in W: 16 × 230 + 3 × 10 × 230 = 3 680 + 6 900 = 10 580 W.
  {
    version: 'ocpp2.0.1',
    name: 'K08.FR.03: EVSE 0 with unequal phases in W reports the total power',
    station: { evses: [{ id: 1 }, { id: 2 }] },
    profiles: [
      { purpose: TXD, evseId: 1, startSchedule: -DAY, periods: [[0, 16, { numberPhases: 1 }]] },
      { purpose: TXD, evseId: 2, startSchedule: -DAY, periods: [[0, 10]] },
    ],
    request: { evseId: 0, chargingRateUnit: 'W' },
    unit: 'W',
    expect: [[0, 10_580]],
  },
];

// The composite-schedule expectations of the Part 6 test cases (2.0.1 Edition 3), with the OCTT's clock skew x = 0
// and its configured unit A. The station-level tests over sockets are the station's; these check the function.
export const part6: Case[] = [
  // TC_K_21_CS: a Relative TxDefaultProfile valid from +300 s: the local limit, then 6 from (300 - x).
  {
    name: 'K01.FR.36: TC_K_21_CS expectation: a Relative TxDefaultProfile valid from +300 s',
    request: { duration: 400 },
    profiles: [{ purpose: TXD, validFrom: 300, periods: [[0, 6]] }],
    expect: [
      [0, 32],
      [300, 6],
    ],
  },
  // TC_K_22_CS: an Absolute TxDefaultProfile on EVSE 0 valid to +300 s: 6, "for evse 0 multiplied by the nr. of
  // EVSE", then the local limit from (300 - x).
  {
    name: 'K01.FR.37: TC_K_22_CS expectation: EVSE 1 limited to 6 until validTo',
    station: { evses: [{ id: 1 }, { id: 2 }] },
    request: { duration: 400 },
    profiles: [{ purpose: TXD, evseId: 0, validFrom: 0, validTo: 300, startSchedule: 0, periods: [[0, 6]] }],
    expect: [
      [0, 6],
      [300, 32],
    ],
  },
  {
    name: 'K08.FR.03: TC_K_22_CS expectation: EVSE 0 reports 6 times the number of EVSEs until validTo',
    station: { evses: [{ id: 1 }, { id: 2 }] },
    request: { evseId: 0, duration: 400 },
    profiles: [{ purpose: TXD, evseId: 0, validFrom: 0, validTo: 300, startSchedule: 0, periods: [[0, 6]] }],
    expect: [
      [0, 12],
      [300, 64],
    ],
  },
  // TC_K_40_CS: stack 0 (6, 8 at 100, 10 at 200; 400 s) under stack 1 (7, 9 at 100; 150 s): 7, 9, 8 at 150, 10 at 200.
  {
    name: 'K01.FR.17: TC_K_40_CS expectation: stacked TxDefaultProfiles',
    request: { duration: 350 },
    profiles: [
      {
        purpose: TXD,
        stackLevel: 0,
        validFrom: 0,
        validTo: 401,
        startSchedule: 0,
        duration: 400,
        periods: [
          [0, 6],
          [100, 8],
          [200, 10],
        ],
      },
      {
        purpose: TXD,
        stackLevel: 1,
        validFrom: 0,
        validTo: 401,
        startSchedule: 0,
        duration: 150,
        periods: [
          [0, 7],
          [100, 9],
        ],
      },
    ],
    expect: [
      [0, 7],
      [100, 9],
      [150, 8],
      [200, 10],
    ],
  },
  // TC_K_41_CS: Max 10; TxDefault 6,10,8,15,8 at 0,60,120,180,260 (300 s); TxProfile 8,11,16,6,12 at
  // 0,50,140,200,240 (260 s). Part 6 lists 8, 10 at 50, 6 at 200, 10 at 240; after the TxProfile's 260 s the
  // TxDefaultProfile applies again (K02.FR.08: 8 at 260, the min with Max), and after its 300 s only Max (10).
  {
    name: 'K08.FR.04: TC_K_41_CS expectation: combining Max, TxDefault and TxProfile',
    station: { evses: [charging(1, 'T1')] },
    request: { duration: 400 },
    profiles: [
      { purpose: MAX, startSchedule: 0, duration: DAY, periods: [[0, 10]] },
      {
        purpose: TXD,
        validFrom: 0,
        validTo: 401,
        startSchedule: 0,
        duration: 300,
        periods: [
          [0, 6],
          [60, 10],
          [120, 8],
          [180, 15],
          [260, 8],
        ],
      },
      {
        purpose: TX,
        transactionId: 'T1',
        kind: 'Absolute',
        validFrom: 0,
        validTo: 401,
        startSchedule: 0,
        duration: 260,
        periods: [
          [0, 8],
          [50, 11],
          [140, 16],
          [200, 6],
          [240, 12],
        ],
      },
    ],
    expect: [
      [0, 8],
      [50, 10],
      [200, 6],
      [240, 10],
      [260, 8],
      [300, 10],
    ],
  },
];

export const corpus201: Case[] = [
  ...part6,
  ...basics,
  ...absolute,
  ...validity,
  ...recurring,
  ...relative,
  ...stacking,
  ...purposes,
  ...units,
  ...evse0,
];
