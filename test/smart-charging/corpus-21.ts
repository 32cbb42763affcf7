// Composite-schedule corpus, what 2.1 adds: PriorityCharging, LocalGeneration, maxOfflineDuration, setpoints,
// discharge limits, per-phase limits, operationMode, Dynamic profiles. Expected schedules worked out by hand from
// the rule named in each case; defaults in builders.ts.
import { DAY, HOUR, at, charging, type Case } from './builders.js';

const TXD = 'TxDefaultProfile';
const TX = 'TxProfile';
const MAX = 'ChargingStationMaxProfile';
const EXT = 'ChargingStationExternalConstraints';
const PRIO = 'PriorityCharging';
const GEN = 'LocalGeneration';
const v = 'ocpp2.1' as const;

export const priority: Case[] = [
  // K21.FR.04: the activated PriorityCharging profile replaces the TxProfile; the Max profile stays in effect.
  {
    version: v,
    name: 'K21.FR.04: an activated PriorityCharging profile overrules the TxProfile, the Max profile still applies',
    station: { evses: [charging(1, 'T1', 0, true)] },
    profiles: [
      { purpose: MAX, startSchedule: -DAY, periods: [[0, 16]] },
      { purpose: TX, transactionId: 'T1', periods: [[0, 6]] },
      { purpose: PRIO, periods: [[0, 20]] },
    ],
    expect: [[0, 16]],
  },
  {
    version: v,
    name: 'K21.FR.07: without activation the PriorityCharging profile is not applied',
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      { purpose: TX, transactionId: 'T1', periods: [[0, 6]] },
      { purpose: PRIO, periods: [[0, 20]] },
    ],
    expect: [[0, 6]],
  },
  {
    version: v,
    name: 'K22.FR.02: an activated PriorityCharging profile overrules the TxDefaultProfile',
    station: { evses: [charging(1, 'T1', 0, true)] },
    profiles: [
      { purpose: TXD, startSchedule: -DAY, periods: [[0, 6]] },
      { purpose: PRIO, periods: [[0, 24]] },
    ],
    expect: [[0, 24]],
  },
  // K21.FR.01 note: a PriorityCharging profile on EVSE 0 applies to all EVSEs.
  {
    version: v,
    name: "K21.FR.03: a PriorityCharging profile on EVSE 0 applies to the EVSE's transaction",
    station: { evses: [charging(1, 'T1', 0, true)] },
    profiles: [
      { purpose: TXD, startSchedule: -DAY, periods: [[0, 6]] },
      { purpose: PRIO, evseId: 0, periods: [[0, 24]] },
    ],
    expect: [[0, 24]],
  },
  {
    version: v,
    name: 'K08.FR.06: an idle EVSE is computed with its TxDefaultProfile, not the PriorityCharging profile',
    profiles: [
      { purpose: TXD, startSchedule: -DAY, periods: [[0, 8]] },
      { purpose: PRIO, periods: [[0, 20]] },
    ],
    expect: [[0, 8]],
  },
];

export const generation: Case[] = [
  // K27 scenario: TxDefault 5 000 W + local generation 2 000 W then 1 000 W = 7 000 W then 6 000 W.
  {
    version: v,
    name: 'K08.FR.04: LocalGeneration capacity is added on top of the merged limit (K27 scenario)',
    request: { chargingRateUnit: 'W' },
    unit: 'W',
    profiles: [
      { purpose: TXD, unit: 'W', periods: [[0, 5000]] },
      {
        purpose: GEN,
        unit: 'W',
        startSchedule: 0,
        periods: [
          [0, 2000],
          [HOUR, 1000],
        ],
      },
    ],
    expect: [
      [0, 7000],
      [3600, 6000],
    ],
  },
  {
    version: v,
    name: 'K08.FR.04: LocalGeneration without any limiting profile leaves the EVSE maximum',
    profiles: [{ purpose: GEN, startSchedule: 0, periods: [[0, 5]] }],
    expect: [[0, 32]],
  },
  // 30 A + 10 A = 40 A, above what the EVSE can draw (32 A).
  {
    version: v,
    name: 'K08.FR.04: the limit with LocalGeneration never exceeds the EVSE maximum (docs)',
    profiles: [
      { purpose: TXD, startSchedule: -DAY, periods: [[0, 30]] },
      { purpose: GEN, startSchedule: -DAY, periods: [[0, 10]] },
    ],
    expect: [[0, 32]],
  },
  // Two EVSEs under a 20 A Max profile with 5 A local generation on EVSE 0: the station may draw 25 A.
  {
    version: v,
    name: 'K08.FR.03: EVSE 0: LocalGeneration on EVSE 0 is added to the station maximum',
    station: { evses: [{ id: 1 }, { id: 2 }] },
    profiles: [
      { purpose: MAX, startSchedule: -DAY, periods: [[0, 20]] },
      { purpose: GEN, evseId: 0, startSchedule: -DAY, periods: [[0, 5]] },
    ],
    request: { evseId: 0 },
    expect: [[0, 25]],
  },
];

export const offline: Case[] = [
  // Offline since 10 min; stack 1 valid offline for 20 min: invalid from +10 min, stack 0 takes over.
  {
    version: v,
    name: 'K01.FR.101: a profile past its maxOfflineDuration while offline yields to a lower stack level',
    station: { offlineSince: at(-600) },
    profiles: [
      { purpose: TXD, stackLevel: 0, startSchedule: -DAY, periods: [[0, 8]] },
      { purpose: TXD, stackLevel: 1, startSchedule: -DAY, maxOfflineDuration: 1200, periods: [[0, 20]] },
    ],
    expect: [
      [0, 20],
      [600, 8],
    ],
  },
  {
    version: v,
    name: 'K01.FR.103: a profile without maxOfflineDuration stays valid while offline',
    station: { offlineSince: at(-DAY) },
    profiles: [
      { purpose: TXD, stackLevel: 0, startSchedule: -DAY, periods: [[0, 8]] },
      { purpose: TXD, stackLevel: 1, startSchedule: -DAY, periods: [[0, 20]] },
    ],
    expect: [[0, 20]],
  },
  // Schema: maxOfflineDuration 0 = invalid as soon as the station is offline.
  {
    version: v,
    name: 'K01.FR.101: maxOfflineDuration 0 makes the profile invalid as soon as the station is offline',
    station: { offlineSince: at(0) },
    profiles: [
      { purpose: TXD, stackLevel: 0, startSchedule: -DAY, periods: [[0, 8]] },
      { purpose: TXD, stackLevel: 1, startSchedule: -DAY, maxOfflineDuration: 0, periods: [[0, 20]] },
    ],
    expect: [[0, 8]],
  },
  {
    version: v,
    name: 'K01.FR.102: online, maxOfflineDuration has no effect',
    profiles: [
      { purpose: TXD, stackLevel: 0, startSchedule: -DAY, periods: [[0, 8]] },
      { purpose: TXD, stackLevel: 1, startSchedule: -DAY, maxOfflineDuration: 60, periods: [[0, 20]] },
    ],
    expect: [[0, 20]],
  },
  {
    version: v,
    name: 'K01.FR.101: a TxProfile past its maxOfflineDuration yields to the TxDefaultProfile',
    station: { offlineSince: at(-2 * HOUR), evses: [charging(1, 'T1', 3 * HOUR)] },
    profiles: [
      { purpose: TXD, startSchedule: -DAY, periods: [[0, 8]] },
      {
        purpose: TX,
        transactionId: 'T1',
        maxOfflineDuration: 3 * HOUR,
        invalidAfterOfflineDuration: true,
        periods: [[0, 20]],
      },
    ],
    expect: [
      [0, 20],
      [3600, 8],
    ],
  },
];

export const setpoints: Case[] = [
  {
    version: v,
    name: 'V2X.03: a positive setpoint above the limit is capped to the limit (K08.FR.08)',
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      { purpose: TX, transactionId: 'T1', periods: [[0, 16, { setpoint: 20, operationMode: 'CentralSetpoint' }]] },
    ],
    expect: [[0, 16, { setpoint: 16, operationMode: 'CentralSetpoint' }]],
  },
  {
    version: v,
    name: 'K08.FR.08: a setpoint within the limit is reported as set',
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      { purpose: TX, transactionId: 'T1', periods: [[0, 16, { setpoint: 10, operationMode: 'CentralSetpoint' }]] },
    ],
    expect: [[0, 16, { setpoint: 10, operationMode: 'CentralSetpoint' }]],
  },
  {
    version: v,
    name: 'V2X.04: a negative setpoint below dischargeLimit is capped to dischargeLimit (K08.FR.08)',
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      {
        purpose: TX,
        transactionId: 'T1',
        periods: [[0, 16, { dischargeLimit: -10, setpoint: -20, operationMode: 'CentralSetpoint' }]],
      },
    ],
    expect: [[0, 16, { dischargeLimit: -10, setpoint: -10, operationMode: 'CentralSetpoint' }]],
  },
  // SC.04(2.1): the highest dischargeLimit (-10 > -16) is the expected one.
  {
    version: v,
    name: 'SC.04: of two dischargeLimits the highest (least discharge) is reported',
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      {
        purpose: TX,
        transactionId: 'T1',
        periods: [[0, 16, { dischargeLimit: -16, setpoint: -5, operationMode: 'CentralSetpoint' }]],
      },
      {
        purpose: EXT,
        evseId: 0,
        startSchedule: -DAY,
        periods: [[0, 32, { dischargeLimit: -10, operationMode: 'ExternalLimits' }]],
      },
    ],
    expect: [[0, 16, { dischargeLimit: -10, setpoint: -5, operationMode: 'CentralSetpoint' }]],
  },
  // §3.2 (2.1): the ExternalSetpoint of ChargingStationExternalConstraints takes precedence by default.
  {
    version: v,
    name: "K08.FR.04: an external setpoint takes precedence over the transaction's setpoint (SetpointPriority default)",
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      { purpose: TX, transactionId: 'T1', periods: [[0, 16, { setpoint: 12, operationMode: 'CentralSetpoint' }]] },
      { purpose: EXT, kind: 'Dynamic', periods: [[0, null, { setpoint: 8, operationMode: 'ExternalSetpoint' }]] },
    ],
    expect: [[0, 16, { setpoint: 8, operationMode: 'ExternalSetpoint' }]],
  },
  // Never below minus the EVSE maximum (docs "dischargeLimit"): -40 A on a 32 A EVSE is -32 A.
  {
    version: v,
    name: 'SC.04: a dischargeLimit beyond the EVSE maximum is reported as minus the maximum (docs)',
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      {
        purpose: TX,
        transactionId: 'T1',
        periods: [[0, 16, { dischargeLimit: -40, operationMode: 'CentralSetpoint', setpoint: 0 }]],
      },
    ],
    expect: [[0, 16, { dischargeLimit: -32, setpoint: 0, operationMode: 'CentralSetpoint' }]],
  },
  // -1 000 W / 690 V = -1.449 A: rounded toward zero, -1.4 A (docs "Rounding").
  {
    version: v,
    name: 'K08.FR.04: a converted dischargeLimit is rounded toward zero (docs)',
    station: { evses: [charging(1, 'T1')] },
    profiles: [{ purpose: TX, transactionId: 'T1', unit: 'W', periods: [[0, 11_040, { dischargeLimit: -1000 }]] }],
    expect: [[0, 16, { dischargeLimit: -1.4 }]],
  },
  // 7 000 W / 690 V = 10.14 A → 10.1; -7 000 W → -10.1 (toward zero); reactive 1 100 W / 690 V = 1.59 A → 1.6 (nearest).
  {
    version: v,
    name: 'K08.FR.04: converted setpoints round toward zero, setpointReactive to nearest (docs)',
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      {
        purpose: TX,
        transactionId: 'T1',
        unit: 'W',
        periods: [
          [0, 11_040, { setpoint: 7000, setpointReactive: 1100, operationMode: 'CentralSetpoint' }],
          [HOUR, 11_040, { dischargeLimit: -11_040, setpoint: -7000, operationMode: 'CentralSetpoint' }],
        ],
      },
    ],
    expect: [
      [0, 16, { setpoint: 10.1, setpointReactive: 1.6, operationMode: 'CentralSetpoint' }],
      [3600, 16, { dischargeLimit: -16, setpoint: -10.1, operationMode: 'CentralSetpoint' }],
    ],
  },
  // EVSE 0: setpoints of the EVSEs add up (6 + 4 A); operationMode is not reported for EVSE 0 (docs).
  {
    version: v,
    name: "K08.FR.03: EVSE 0 reports the sum of the EVSEs' setpoints and no operationMode (docs)",
    station: { evses: [charging(1, 'T1'), charging(2, 'T2')] },
    profiles: [
      {
        purpose: TX,
        evseId: 1,
        transactionId: 'T1',
        periods: [[0, 16, { setpoint: 6, operationMode: 'CentralSetpoint' }]],
      },
      {
        purpose: TX,
        evseId: 2,
        transactionId: 'T2',
        periods: [[0, 16, { setpoint: 4, operationMode: 'CentralSetpoint' }]],
      },
    ],
    request: { evseId: 0 },
    expect: [[0, 32, { setpoint: 10 }]],
  },
  // A period without limit does not constrain the limit: the EVSE maximum remains.
  {
    version: v,
    name: 'K08.FR.04: a setpoint-only period leaves the limit to the other profiles',
    profiles: [
      { purpose: EXT, kind: 'Dynamic', periods: [[0, null, { setpoint: 8, operationMode: 'ExternalSetpoint' }]] },
    ],
    expect: [[0, 32, { setpoint: 8, operationMode: 'ExternalSetpoint' }]],
  },
  {
    version: v,
    name: 'K08.FR.04: setpointReactive is reported with the setpoint',
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      {
        purpose: TX,
        transactionId: 'T1',
        periods: [[0, 16, { setpoint: 10, setpointReactive: 3, operationMode: 'CentralSetpoint' }]],
      },
    ],
    expect: [[0, 16, { setpoint: 10, setpointReactive: 3, operationMode: 'CentralSetpoint' }]],
  },
  // W → A: 11 040 W / 690 V = 16 A; 6 900 W / 690 V = 10 A.
  {
    version: v,
    name: 'K01.FR.50: a setpoint in W is converted like the limit',
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      {
        purpose: TX,
        transactionId: 'T1',
        unit: 'W',
        periods: [[0, 11_040, { setpoint: 6900, operationMode: 'CentralSetpoint' }]],
      },
    ],
    expect: [[0, 16, { setpoint: 10, operationMode: 'CentralSetpoint' }]],
  },
  {
    version: v,
    name: "K01.FR.110: the operationMode of the transaction's period is reported",
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      {
        purpose: TX,
        transactionId: 'T1',
        periods: [
          [0, 10, { operationMode: 'ChargingOnly' }],
          [HOUR, 12, { operationMode: 'ExternalLimits' }],
        ],
      },
    ],
    expect: [
      [0, 10, { operationMode: 'ChargingOnly' }],
      [3600, 12, { operationMode: 'ExternalLimits' }],
    ],
  },
  // The setpoint changes at a period boundary of its own schedule, inside the window.
  {
    version: v,
    name: 'V2X.03: the capped setpoint follows the limit of another purpose changing inside the window',
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      { purpose: TX, transactionId: 'T1', periods: [[0, 20, { setpoint: 18, operationMode: 'CentralSetpoint' }]] },
      { purpose: MAX, startSchedule: HOUR, duration: HOUR, periods: [[0, 12]] },
    ],
    expect: [
      [0, 20, { setpoint: 18, operationMode: 'CentralSetpoint' }],
      [3600, 12, { setpoint: 12, operationMode: 'CentralSetpoint' }],
      [7200, 20, { setpoint: 18, operationMode: 'CentralSetpoint' }],
    ],
  },
];

export const phases: Case[] = [
  {
    version: v,
    name: 'K08.FR.04: per-phase limits (limit_L2, limit_L3) are reported per phase',
    profiles: [{ purpose: TXD, startSchedule: -DAY, periods: [[0, 16, { limit_L2: 10, limit_L3: 12 }]] }],
    expect: [[0, 16, { limit_L2: 10, limit_L3: 12 }]],
  },
  // W per phase when L2/L3 given: 3 000 / 230 = 13.0 A, 2 000 / 230 = 8.6 A, 1 000 / 230 = 4.3 A (rounded down).
  {
    version: v,
    name: 'K01.FR.50: per-phase W limits are converted phase by phase',
    profiles: [
      { purpose: TXD, unit: 'W', startSchedule: -DAY, periods: [[0, 3000, { limit_L2: 2000, limit_L3: 1000 }]] },
    ],
    expect: [[0, 13, { limit_L2: 8.6, limit_L3: 4.3 }]],
  },
  {
    version: v,
    name: 'K08.FR.04: per-phase limits merge phase by phase with a plain limit (min 12 A)',
    profiles: [
      { purpose: MAX, startSchedule: -DAY, periods: [[0, 12]] },
      { purpose: TXD, startSchedule: -DAY, periods: [[0, 16, { limit_L2: 10, limit_L3: 14 }]] },
    ],
    expect: [[0, 12, { limit_L2: 10, limit_L3: 12 }]],
  },
  {
    version: v,
    name: 'K08.FR.04: equal per-phase limits are reported as one limit',
    profiles: [{ purpose: TXD, startSchedule: -DAY, periods: [[0, 16, { limit_L2: 16, limit_L3: 16 }]] }],
    expect: [[0, 16]],
  },
  // 1-phase EVSE (16 A on L1) + 3-phase EVSE (10 A): L1 26 A, L2 and L3 10 A, reported per phase in 2.1.
  {
    version: v,
    name: 'K08.FR.03: EVSE 0 with unequal phases in 2.1 reports each phase',
    station: { evses: [{ id: 1 }, { id: 2 }] },
    profiles: [
      { purpose: TXD, evseId: 1, startSchedule: -DAY, periods: [[0, 16, { numberPhases: 1 }]] },
      { purpose: TXD, evseId: 2, startSchedule: -DAY, periods: [[0, 10]] },
    ],
    request: { evseId: 0 },
    expect: [[0, 26, { limit_L2: 10, limit_L3: 10 }]],
  },
  // 2.1 §3.8: the lowest numberPhases of the applicable periods is used.
  {
    version: v,
    name: 'K01.FR.45: the lowest numberPhases of the merged periods is used (section 3.8)',
    station: { evses: [charging(1, 'T1')] },
    profiles: [
      { purpose: MAX, startSchedule: -DAY, periods: [[0, 32, { numberPhases: 3 }]] },
      { purpose: TX, transactionId: 'T1', periods: [[0, 16, { numberPhases: 1 }]] },
    ],
    request: { chargingRateUnit: 'W' },
    unit: 'W',
    expect: [[0, 3680, { numberPhases: 1 }]],
  },
  {
    version: v,
    name: "K08.FR.04: a Dynamic profile's single period is in force from the request on",
    profiles: [{ purpose: EXT, evseId: 0, kind: 'Dynamic', periods: [[0, 12, { operationMode: 'ExternalLimits' }]] }],
    expect: [[0, 12]],
  },
];

export const external: Case[] = [
  // Q05.FR.07: the External System last updated 10 min ago; the schedule's duration is 15 min: the Dynamic profile is
  // in force 5 more minutes, then the TxDefaultProfile below it takes over.
  {
    version: v,
    name: 'Q05.FR.07: a Dynamic profile with a duration lapses at dynUpdateTime + duration; the next valid profile applies',
    station: { evses: [charging(1, 'T1', HOUR)] },
    profiles: [
      { purpose: TXD, stackLevel: 0, startSchedule: -DAY, periods: [[0, 10]] },
      {
        purpose: TXD,
        stackLevel: 1,
        kind: 'Dynamic',
        startSchedule: -HOUR,
        duration: 900,
        dynUpdateTime: -600,
        periods: [[0, 20, { setpoint: 14, operationMode: 'ExternalSetpoint' }]],
      },
    ],
    request: { duration: HOUR },
    expect: [
      [0, 20, { setpoint: 14, operationMode: 'ExternalSetpoint' }],
      [300, 10],
    ],
  },
  // Counted from startSchedule the 15 min would have run out 45 min ago: the last update (now) keeps it in force.
  {
    version: v,
    name: 'Q05.FR.07: an update (dynUpdateTime) keeps a Dynamic profile valid past startSchedule + duration',
    station: { evses: [charging(1, 'T1', HOUR)] },
    profiles: [
      { purpose: TXD, stackLevel: 0, startSchedule: -DAY, periods: [[0, 10]] },
      {
        purpose: TXD,
        stackLevel: 1,
        kind: 'Dynamic',
        startSchedule: -HOUR,
        duration: 900,
        dynUpdateTime: 0,
        periods: [[0, 20]],
      },
    ],
    request: { duration: HOUR },
    expect: [
      [0, 20],
      [900, 10],
    ],
  },
  // Without any update yet the duration counts from the schedule's start, as for any schedule (K01.FR.11).
  {
    version: v,
    name: 'Q05.FR.07: a Dynamic profile never updated runs for duration from its start (docs)',
    station: { evses: [charging(1, 'T1', HOUR)] },
    profiles: [
      { purpose: TXD, stackLevel: 0, startSchedule: -DAY, periods: [[0, 10]] },
      { purpose: TXD, stackLevel: 1, kind: 'Dynamic', startSchedule: -600, duration: 900, periods: [[0, 20]] },
    ],
    request: { duration: HOUR },
    expect: [
      [0, 20],
      [300, 10],
    ],
  },
  // Q06.FR.22: SetpointPriority CSMS: the TxProfile's 12 A wins over the external 8 A; its operationMode goes with it.
  {
    version: v,
    name: "Q06.FR.22: SetpointPriority CSMS: the transaction's setpoint overrules the external setpoint",
    station: { evses: [charging(1, 'T1')], setpointPriority: 'CSMS' },
    profiles: [
      { purpose: TX, transactionId: 'T1', periods: [[0, 16, { setpoint: 12, operationMode: 'CentralSetpoint' }]] },
      { purpose: EXT, kind: 'Dynamic', periods: [[0, null, { setpoint: 8, operationMode: 'ExternalSetpoint' }]] },
    ],
    expect: [[0, 16, { setpoint: 12, operationMode: 'CentralSetpoint' }]],
  },
  {
    version: v,
    name: 'Q06.FR.21: SetpointPriority ExternalSystem: the external setpoint wins',
    station: { evses: [charging(1, 'T1')], setpointPriority: 'ExternalSystem' },
    profiles: [
      { purpose: TX, transactionId: 'T1', periods: [[0, 16, { setpoint: 12, operationMode: 'CentralSetpoint' }]] },
      { purpose: EXT, kind: 'Dynamic', periods: [[0, null, { setpoint: 8, operationMode: 'ExternalSetpoint' }]] },
    ],
    expect: [[0, 16, { setpoint: 8, operationMode: 'ExternalSetpoint' }]],
  },
  // Q06.FR.22 applies where the transaction's profile gives a setpoint; where it gives none, the external one stays.
  {
    version: v,
    name: 'Q06.FR.20: SetpointPriority CSMS without a setpoint of the transaction: the external setpoint applies',
    station: { evses: [charging(1, 'T1')], setpointPriority: 'CSMS' },
    profiles: [
      { purpose: TX, transactionId: 'T1', periods: [[0, 16]] },
      { purpose: EXT, kind: 'Dynamic', periods: [[0, null, { setpoint: 8, operationMode: 'ExternalSetpoint' }]] },
    ],
    expect: [[0, 16, { setpoint: 8, operationMode: 'ExternalSetpoint' }]],
  },
  // Q06.FR.31: an external setpoint of 10 A on EVSE 0 is the station's total: EVSE 0 reports 10 A, not 2 × 10 A.
  {
    version: v,
    name: 'Q06.FR.31: an external setpoint on EVSE 0 is the total of the station, reported once for EVSE 0 (docs)',
    station: { evses: [charging(1, 'T1'), charging(2, 'T2')] },
    profiles: [
      {
        purpose: EXT,
        evseId: 0,
        kind: 'Dynamic',
        periods: [[0, null, { setpoint: 10, operationMode: 'ExternalSetpoint' }]],
      },
    ],
    request: { evseId: 0 },
    expect: [[0, 64, { setpoint: 10 }]],
  },
  // Each EVSE's own composite shows the station's setpoint (the split is the hardware's, docs "EVSE 0 setpoint").
  {
    version: v,
    name: "Q06.FR.31: an EVSE's own composite carries EVSE 0's external setpoint (docs)",
    station: { evses: [charging(1, 'T1'), charging(2, 'T2')] },
    profiles: [
      {
        purpose: EXT,
        evseId: 0,
        kind: 'Dynamic',
        periods: [[0, null, { setpoint: 10, operationMode: 'ExternalSetpoint' }]],
      },
    ],
    expect: [[0, 32, { setpoint: 10, operationMode: 'ExternalSetpoint' }]],
  },
  // With SetpointPriority CSMS, EVSE 1 follows its TxProfile's 6 A, EVSE 2 the station's 10 A: 16 A in all.
  {
    version: v,
    name: "Q06.FR.22 Q06.FR.31: EVSE 0 adds the station's external setpoint to the setpoints of EVSEs that follow their own (docs)",
    station: { evses: [charging(1, 'T1'), charging(2, 'T2')], setpointPriority: 'CSMS' },
    profiles: [
      {
        purpose: EXT,
        evseId: 0,
        kind: 'Dynamic',
        periods: [[0, null, { setpoint: 10, operationMode: 'ExternalSetpoint' }]],
      },
      {
        purpose: TX,
        evseId: 1,
        transactionId: 'T1',
        periods: [[0, 16, { setpoint: 6, operationMode: 'CentralSetpoint' }]],
      },
    ],
    request: { evseId: 0 },
    expect: [[0, 48, { setpoint: 16 }]],
  },
];

export const localTime: Case[] = [
  // K01.FR.90: 08:00 on the station's clock at +01:00 is 07:00 UTC; the "Z" written is disregarded.
  {
    version: v,
    name: 'K01.FR.90: useLocalTime reads startSchedule as the local time of ClockCtrlr.TimeOffset, disregarding its "Z"',
    station: { timeOffset: '+01:00' },
    profiles: [
      {
        purpose: TXD,
        startSchedule: '2024-01-01T08:00:00Z',
        useLocalTime: true,
        duration: HOUR,
        periods: [[0, 10]],
      },
    ],
    expect: [
      [0, 32],
      [7 * HOUR, 10],
      [8 * HOUR, 32],
    ],
  },
  {
    version: v,
    name: 'K01.FR.90: the offset written in startSchedule is disregarded too',
    station: { timeOffset: '+01:00' },
    profiles: [
      {
        purpose: TXD,
        startSchedule: '2024-01-01T08:00:00+05:00',
        useLocalTime: true,
        duration: HOUR,
        periods: [[0, 10]],
      },
    ],
    expect: [
      [0, 32],
      [7 * HOUR, 10],
      [8 * HOUR, 32],
    ],
  },
  // Without useLocalTime the same profile starts at 08:00 UTC.
  {
    version: v,
    name: 'K01.FR.90: without useLocalTime startSchedule is the instant it writes',
    station: { timeOffset: '+01:00' },
    profiles: [{ purpose: TXD, startSchedule: '2024-01-01T08:00:00Z', duration: HOUR, periods: [[0, 10]] }],
    expect: [
      [0, 32],
      [8 * HOUR, 10],
      [9 * HOUR, 32],
    ],
  },
  // K01.FR.91: Europe/Amsterdam skips 02:00-03:00 on 2024-03-31 (01:00 UTC): the 02:00 period is skipped; the next
  // day's 00:00 is 22:00 UTC (summer time).
  {
    version: v,
    name: 'K01.FR.91: a daily useLocalTime schedule follows the clock of ClockCtrlr.TimeZone: the skipped hour skips its period',
    now: '2024-03-30T23:00:00Z',
    station: { timeZone: 'Europe/Amsterdam' },
    profiles: [
      {
        purpose: TXD,
        kind: 'Recurring',
        recurrencyKind: 'Daily',
        startSchedule: '2024-03-01T00:00:00',
        useLocalTime: true,
        periods: [
          [0, 6],
          [2 * HOUR, 12],
          [3 * HOUR, 20],
        ],
      },
    ],
    expect: [
      [0, 6],
      [2 * HOUR, 20],
      [23 * HOUR, 6],
    ],
  },
  // K01.FR.91: on 2024-10-27 the clock goes from 03:00 back to 02:00 (01:00 UTC): the 02:00 period runs twice as long.
  {
    version: v,
    name: 'K01.FR.91: when the clock goes back the repeated hour repeats its period',
    now: '2024-10-26T22:00:00Z',
    station: { timeZone: 'Europe/Amsterdam' },
    profiles: [
      {
        purpose: TXD,
        kind: 'Recurring',
        recurrencyKind: 'Daily',
        startSchedule: '2024-03-01T00:00:00Z',
        useLocalTime: true,
        periods: [
          [0, 6],
          [2 * HOUR, 12],
          [3 * HOUR, 20],
        ],
      },
    ],
    expect: [
      [0, 6],
      [2 * HOUR, 12],
      [4 * HOUR, 20],
    ],
  },
];

/** An EVSE charging T1 whose EV returned this schedule (periods [startPeriod, limit]) from NOW + `from` s. */
const withEvSchedule = (periods: Array<[number, number]>, unit: 'A' | 'W' = 'A', from = 0) => ({
  ...charging(1, 'T1'),
  evChargingSchedule: {
    timeBase: at(from),
    chargingSchedule: {
      id: 1,
      chargingRateUnit: unit,
      chargingSchedulePeriod: periods.map(([startPeriod, limit]) => ({ startPeriod, limit })),
    },
  },
});

export const evSchedule: Case[] = [
  // K15.FR.14: the EV plans 16 A for an hour, then 8 A, within the TxProfile's 20 A: the composite is the EV's plan.
  {
    version: v,
    name: "K15.FR.14 K16.FR.10 K17.FR.14: the EV's accepted schedule is merged as one more limit (docs)",
    station: {
      evses: [
        withEvSchedule([
          [0, 16],
          [HOUR, 8],
        ]),
      ],
    },
    profiles: [{ purpose: TX, transactionId: 'T1', periods: [[0, 20]] }],
    request: { duration: 2 * HOUR },
    expect: [
      [0, 16],
      [HOUR, 8],
    ],
  },
  // Where the profiles allow less than the EV planned, the profiles win (the EV's schedule never raises a limit).
  {
    version: v,
    name: "K15.FR.14: the EV's schedule only lowers: a profile's lower limit still applies (docs)",
    station: { evses: [withEvSchedule([[0, 16]])] },
    profiles: [
      {
        purpose: TXD,
        startSchedule: 0,
        periods: [
          [0, 32],
          [HOUR, 10],
        ],
      },
    ],
    request: { duration: 2 * HOUR },
    expect: [
      [0, 16],
      [HOUR, 10],
    ],
  },
  // In W, 6 900 W of the EV on 3 × 230 V is 10 A per phase; it counts from its timeBase 10 minutes ago.
  {
    version: v,
    name: "K15.FR.14: the EV's schedule in W, counted from its timeBase, converted with the composite's phases (docs)",
    station: {
      evses: [
        withEvSchedule(
          [
            [0, 11_040],
            [1200, 6900],
          ],
          'W',
          -600,
        ),
      ],
    },
    request: { duration: HOUR },
    expect: [
      [0, 16],
      [600, 10],
    ],
  },
  // EVSE 0 adds the EVSEs: the EV's 16 A on EVSE 1 plus EVSE 2's maximum.
  {
    version: v,
    name: "K08.FR.03 K15.FR.14: EVSE 0 sums the EVSEs with the EV's schedule merged (docs)",
    station: { evses: [withEvSchedule([[0, 16]]), { id: 2 }] },
    request: { evseId: 0 },
    expect: [[0, 48]],
  },
];

export const corpus21: Case[] = [
  ...priority,
  ...generation,
  ...offline,
  ...setpoints,
  ...phases,
  ...external,
  ...localTime,
  ...evSchedule,
];
