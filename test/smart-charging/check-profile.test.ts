// checkChargingProfile: every SetChargingProfile refusal the K chapter describes, table-driven, each with the
// reasonCode the spec names (where it names none, the appendix code documented in docs/smart-charging.md) and the
// requirement in additionalInfo; and valid profiles that must be Accepted. Station: EVSE 1 charging (T1), EVSE 2
// idle, EVSE 3 DC; units A and W; ProfileStackLevel 5; PeriodsPerSchedule 24; room for 10 profiles.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateResponse as validate201 } from '../../generated/v201/index.js';
import { validateResponse as validate21 } from '../../generated/v21/index.js';
import type * as v21 from '../../generated/v21/types.js';
import {
  checkChargingProfile,
  type ChargingProfileCheckInput,
  type SmartChargingCapabilities,
} from '../../runtime/smart-charging/index.js';

type Period = v21.ChargingSchedulePeriodType;
type ProfileOver = Partial<v21.ChargingProfileType> & {
  schedule?: Partial<v21.ChargingScheduleType>;
  periods?: Period[];
};

function cp(over: ProfileOver = {}): v21.ChargingProfileType {
  const { schedule, periods, ...rest } = over;
  return {
    id: 1001,
    stackLevel: 1,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    chargingSchedule: [
      {
        id: 1,
        startSchedule: '2024-01-01T00:00:00Z',
        chargingRateUnit: 'A',
        chargingSchedulePeriod: periods ?? [{ startPeriod: 0, limit: 16 }],
        ...schedule,
      },
    ],
    ...rest,
  };
}

const station: SmartChargingCapabilities = {
  evses: [{ id: 1, transaction: { transactionId: 'T1' } }, { id: 2 }, { id: 3, dc: true }],
  chargingRateUnits: ['A', 'W'],
  profileStackLevel: 5,
  periodsPerSchedule: 24,
  maxProfiles: 10,
  supportedAdditionalPurposes: ['PriorityCharging', 'LocalGeneration'],
  supportsDynamicProfiles: true,
  maxExternalConstraintsId: 100,
};

interface Case {
  name: string;
  version?: 'ocpp2.0.1' | 'ocpp2.1';
  evseId?: number;
  profile: v21.ChargingProfileType;
  installed?: Array<[evseId: number, profile: v21.ChargingProfileType]>;
  station?: Partial<SmartChargingCapabilities>;
  expect: 'Accepted' | [reasonCode: string, requirement: string];
}

const tx = (over: ProfileOver = {}) =>
  cp({
    chargingProfilePurpose: 'TxProfile',
    chargingProfileKind: 'Relative',
    transactionId: 'T1',
    schedule: { startSchedule: undefined },
    ...over,
  });
const max = (over: ProfileOver = {}) => cp({ chargingProfilePurpose: 'ChargingStationMaxProfile', ...over });
const v = 'ocpp2.1' as const;

const cases: Case[] = [
  // Accepted
  { name: 'K01.FR.14: a valid TxDefaultProfile on EVSE 0 is Accepted', evseId: 0, profile: cp(), expect: 'Accepted' },
  {
    name: "K01.FR.04: a TxProfile for the EVSE's transaction is Accepted",
    evseId: 1,
    profile: tx(),
    expect: 'Accepted',
  },
  {
    name: 'K04.FR.03: a ChargingStationMaxProfile on EVSE 0 is Accepted',
    evseId: 0,
    profile: max(),
    expect: 'Accepted',
  },
  {
    name: 'K01.FR.05: a profile with a known id replaces it (no conflict with itself)',
    evseId: 0,
    profile: cp({ periods: [{ startPeriod: 0, limit: 10 }] }),
    installed: [[0, cp()]],
    expect: 'Accepted',
  },
  {
    name: 'K01.FR.06: same stack level and purpose with validity periods that do not overlap is Accepted',
    evseId: 1,
    profile: cp({ id: 1002, validFrom: '2024-02-01T00:00:00Z' }),
    installed: [[1, cp({ validTo: '2024-02-01T00:00:00Z' })]],
    expect: 'Accepted',
  },
  {
    name: 'K01.FR.13: a Daily Recurring profile is Accepted',
    evseId: 0,
    profile: cp({ chargingProfileKind: 'Recurring', recurrencyKind: 'Daily' }),
    expect: 'Accepted',
  },
  {
    name: 'K01.FR.46: phaseToUse with numberPhases 1 on an EVSE that switches phases is Accepted',
    evseId: 2,
    station: { evses: [{ id: 2, acPhaseSwitchingSupported: true }] },
    profile: cp({ periods: [{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 2 }] }),
    expect: 'Accepted',
  },
  {
    version: 'ocpp2.0.1',
    name: 'K01.FR.44: 2.0.1 lets a DC EVSE accept numberPhases (and ignore it)',
    evseId: 3,
    profile: cp({ periods: [{ startPeriod: 0, limit: 100, numberPhases: 3 }] }),
    expect: 'Accepted',
  },
  {
    version: v,
    name: 'K01.FR.70: a PriorityCharging profile without duration is Accepted',
    evseId: 0,
    profile: cp({
      chargingProfilePurpose: 'PriorityCharging',
      chargingProfileKind: 'Relative',
      schedule: { startSchedule: undefined },
    }),
    expect: 'Accepted',
  },
  {
    version: v,
    name: 'K01.FR.92: a TxDefaultProfile with randomizedDelay is Accepted where SupportsRandomizedDelay',
    evseId: 0,
    station: { supportsRandomizedDelay: true },
    profile: cp({ schedule: { randomizedDelay: 600 } }),
    expect: 'Accepted',
  },
  {
    version: v,
    name: 'K01.FR.124: randomizedDelay without SupportsRandomizedDelay (absent) is Rejected InvalidSchedule',
    evseId: 0,
    profile: cp({ schedule: { randomizedDelay: 600 } }),
    expect: ['InvalidSchedule', 'K01.FR.124'],
  },
  {
    version: v,
    name: 'K01.FR.125: limitAtSoC without SupportsLimitAtSoC (absent) is Rejected InvalidSchedule',
    evseId: 0,
    profile: cp({ schedule: { limitAtSoC: { soc: 80, limit: 8 } } }),
    expect: ['InvalidSchedule', 'K01.FR.125'],
  },
  {
    version: v,
    name: 'K01.FR.126: a period with evseSleep without SupportsEvseSleep (absent) is Rejected InvalidSchedule',
    evseId: 1,
    profile: tx({ periods: [{ startPeriod: 0, limit: 16, evseSleep: true }] }),
    expect: ['InvalidSchedule', 'K01.FR.126'],
  },
  {
    version: v,
    name: 'V2X.05: a setpoint between dischargeLimit and limit is Accepted',
    evseId: 1,
    profile: tx({
      periods: [{ startPeriod: 0, limit: 16, dischargeLimit: -10, setpoint: -5, operationMode: 'CentralSetpoint' }],
    }),
    expect: 'Accepted',
  },

  // EVSE and ids
  {
    name: 'K01.FR.28: an unknown EVSE is Rejected (UnknownEvse)',
    evseId: 9,
    profile: cp(),
    expect: ['UnknownEvse', 'K01.FR.28'],
  },
  {
    version: v,
    name: 'K01.FR.81: an id not above MaxExternalConstraintsId is Rejected (InvalidProfileId)',
    evseId: 0,
    profile: cp({ id: 100 }),
    expect: ['InvalidProfileId', 'K01.FR.81'],
  },
  {
    name: 'K01.FR.05: an external-constraints profile is not replaced',
    evseId: 0,
    profile: cp({ id: 700 }),
    installed: [[0, cp({ id: 700, chargingProfilePurpose: 'ChargingStationExternalConstraints' })]],
    expect: ['InvalidProfileId', 'K01.FR.05'],
  },

  // Purposes
  {
    name: 'K01.FR.22: ChargingStationExternalConstraints from the CSMS is Rejected',
    evseId: 0,
    profile: cp({ chargingProfilePurpose: 'ChargingStationExternalConstraints' }),
    expect: ['InvalidProfile', 'K01.FR.22'],
  },
  {
    version: v,
    name: 'K01.FR.120: PriorityCharging not in SupportedAdditionalPurposes is Rejected (UnsupportedPurpose)',
    evseId: 0,
    station: { supportedAdditionalPurposes: ['LocalGeneration'] },
    profile: cp({
      chargingProfilePurpose: 'PriorityCharging',
      chargingProfileKind: 'Relative',
      schedule: { startSchedule: undefined },
    }),
    expect: ['UnsupportedPurpose', 'K01.FR.120'],
  },
  {
    version: v,
    name: 'K01.FR.121: a Dynamic profile without SupportsDynamicProfiles is Rejected (UnsupportedKind)',
    evseId: 0,
    station: { supportsDynamicProfiles: false },
    profile: cp({ chargingProfileKind: 'Dynamic' }),
    expect: ['UnsupportedKind', 'K01.FR.121'],
  },
  {
    version: v,
    name: 'K01.FR.122: dynUpdateInterval on a profile that is not Dynamic is Rejected (InvalidProfile)',
    evseId: 0,
    profile: cp({ dynUpdateInterval: 60 }),
    expect: ['InvalidProfile', 'K01.FR.122'],
  },
  {
    version: v,
    name: 'K28.FR.01 K28.FR.03: a Dynamic profile with two periods is Rejected (InvalidSchedule)',
    evseId: 0,
    station: { supportsDynamicProfiles: true },
    profile: cp({
      chargingProfileKind: 'Dynamic',
      periods: [
        { startPeriod: 0, limit: 16 },
        { startPeriod: 60, limit: 8 },
      ],
    }),
    expect: ['InvalidSchedule', 'K28.FR.03'],
  },
  {
    version: v,
    name: 'K28.FR.04: dynUpdateInterval on an Absolute profile is Rejected (InvalidProfile, as K01.FR.122)',
    evseId: 0,
    station: { supportsDynamicProfiles: true },
    profile: cp({ chargingProfileKind: 'Absolute', dynUpdateInterval: 30 }),
    expect: ['InvalidProfile', 'K01.FR.122'],
  },
  {
    name: 'K04.FR.03: a ChargingStationMaxProfile on an EVSE other than 0 is Rejected',
    evseId: 1,
    profile: max(),
    expect: ['InvalidProfile', 'K04.FR.03'],
  },
  {
    name: 'K01.FR.38: a Relative ChargingStationMaxProfile is Rejected',
    evseId: 0,
    profile: max({ chargingProfileKind: 'Relative', schedule: { startSchedule: undefined } }),
    expect: ['InvalidProfile', 'K01.FR.38'],
  },
  {
    name: 'K01.FR.16: a TxProfile on EVSE 0 is Rejected',
    evseId: 0,
    profile: tx(),
    expect: ['InvalidProfile', 'K01.FR.16'],
  },
  {
    name: 'K01.FR.03: a transactionId on a profile that is not a TxProfile is Rejected',
    evseId: 1,
    profile: cp({ transactionId: 'T1' }),
    expect: ['InvalidProfile', 'K01.FR.03'],
  },
  {
    name: 'K01.FR.09: a TxProfile on an EVSE without transaction is Rejected (TxNotFound)',
    evseId: 2,
    profile: tx({ transactionId: undefined }),
    expect: ['TxNotFound', 'K01.FR.09'],
  },
  {
    name: 'K01.FR.33: a TxProfile for an unknown transactionId is Rejected (TxNotFound)',
    evseId: 1,
    profile: tx({ transactionId: 'T9' }),
    expect: ['TxNotFound', 'K01.FR.33'],
  },
  {
    name: 'SmartChargingCtrlr.ProfileStackLevel: a stackLevel above it is Rejected (InvalidStackLevel)',
    evseId: 0,
    profile: cp({ stackLevel: 6 }),
    expect: ['InvalidStackLevel', 'ProfileStackLevel'],
  },

  // Schedules
  {
    name: 'K01.FR.26: a unit not in ChargingScheduleChargingRateUnit is Rejected (UnsupportedRateUnit)',
    evseId: 0,
    station: { chargingRateUnits: ['A'] },
    profile: cp({ schedule: { chargingRateUnit: 'W' } }),
    expect: ['UnsupportedRateUnit', 'K01.FR.26'],
  },
  {
    name: 'K01.FR.34: two schedules without ISO 15118 are Rejected',
    evseId: 1,
    profile: { ...tx(), chargingSchedule: [tx().chargingSchedule[0]!, { ...tx().chargingSchedule[0]!, id: 2 }] },
    expect: ['InvalidSchedule', 'K01.FR.34'],
  },
  {
    name: 'ChargingProfileType.recurrencyKind: a Recurring profile without it is Rejected (InvalidProfile)',
    evseId: 0,
    profile: cp({ chargingProfileKind: 'Recurring' }),
    expect: ['InvalidProfile', 'recurrencyKind'],
  },
  {
    name: 'K01.FR.40: an Absolute profile without startSchedule is Rejected',
    evseId: 0,
    profile: cp({ schedule: { startSchedule: undefined } }),
    expect: ['InvalidSchedule', 'K01.FR.40'],
  },
  {
    name: 'K01.FR.41: a Relative profile with startSchedule is Rejected',
    evseId: 0,
    profile: cp({ chargingProfileKind: 'Relative' }),
    expect: ['InvalidSchedule', 'K01.FR.41'],
  },
  {
    name: 'K01.FR.31: a first period not starting at 0 is Rejected',
    evseId: 0,
    profile: cp({ periods: [{ startPeriod: 60, limit: 16 }] }),
    expect: ['InvalidSchedule', 'K01.FR.31'],
  },
  {
    name: 'K01.FR.35: periods not in increasing startPeriod order are Rejected',
    evseId: 0,
    profile: cp({
      periods: [
        { startPeriod: 0, limit: 16 },
        { startPeriod: 600, limit: 10 },
        { startPeriod: 300, limit: 8 },
      ],
    }),
    expect: ['InvalidSchedule', 'K01.FR.35'],
  },
  {
    name: 'K01.FR.35: two periods with the same startPeriod are Rejected',
    evseId: 0,
    profile: cp({
      periods: [
        { startPeriod: 0, limit: 16 },
        { startPeriod: 0, limit: 10 },
      ],
    }),
    expect: ['InvalidSchedule', 'K01.FR.35'],
  },
  {
    name: 'SmartChargingCtrlr.PeriodsPerSchedule: more periods are Rejected (TooManyElements)',
    evseId: 0,
    station: { periodsPerSchedule: 2 },
    profile: cp({ periods: [0, 60, 120].map((startPeriod) => ({ startPeriod, limit: 16 })) }),
    expect: ['TooManyElements', 'PeriodsPerSchedule'],
  },

  // Phases
  {
    name: 'K01.FR.19: phaseToUse with numberPhases other than 1 is Rejected',
    evseId: 2,
    station: { evses: [{ id: 2, acPhaseSwitchingSupported: true }] },
    profile: cp({ periods: [{ startPeriod: 0, limit: 16, numberPhases: 3, phaseToUse: 1 }] }),
    expect: ['InvalidSchedule', 'K01.FR.19'],
  },
  {
    name: 'K01.FR.48: phaseToUse on an EVSE without ACPhaseSwitchingSupported is Rejected',
    evseId: 2,
    profile: cp({ periods: [{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 1 }] }),
    expect: ['InvalidSchedule', 'K01.FR.48'],
  },
  {
    version: v,
    name: 'K01.FR.44: numberPhases for a DC EVSE without DCInputPhaseControl is Rejected (NoPhaseForDC)',
    evseId: 3,
    profile: cp({ periods: [{ startPeriod: 0, limit: 100, numberPhases: 3 }] }),
    expect: ['NoPhaseForDC', 'K01.FR.44'],
  },
  {
    version: v,
    name: 'K01.FR.54: numberPhases for a DC EVSE with DCInputPhaseControl is Accepted',
    evseId: 3,
    station: { evses: [{ id: 3, dc: true, dcInputPhaseControl: true }] },
    profile: cp({ periods: [{ startPeriod: 0, limit: 100, numberPhases: 3 }] }),
    expect: 'Accepted',
  },
  {
    version: v,
    name: "K01.FR.48: a phaseToUse differing from the ChargingStationMaxProfile's is Rejected (PhaseConflict, section 3.8)",
    evseId: 1,
    station: { evses: [{ id: 1, transaction: { transactionId: 'T1' }, acPhaseSwitchingSupported: true }] },
    installed: [[0, max({ id: 5, periods: [{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 1 }] })]],
    profile: tx({ periods: [{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 3 }] }),
    expect: ['PhaseConflict', '2.1 K section 3.8'],
  },

  // 2.1 purposes, modes and fields
  {
    version: v,
    name: 'K01.FR.70: a PriorityCharging profile with a duration is Rejected (InvalidSchedule)',
    evseId: 0,
    profile: cp({
      chargingProfilePurpose: 'PriorityCharging',
      chargingProfileKind: 'Relative',
      schedule: { startSchedule: undefined, duration: 3600 },
    }),
    expect: ['InvalidSchedule', 'K01.FR.70'],
  },
  {
    version: v,
    name: 'K01.FR.71: a PriorityCharging period that is not ChargingOnly is Rejected (InvalidSchedule)',
    evseId: 0,
    profile: cp({
      chargingProfilePurpose: 'PriorityCharging',
      chargingProfileKind: 'Relative',
      schedule: { startSchedule: undefined },
      periods: [{ startPeriod: 0, limit: 16, setpoint: 10, operationMode: 'CentralSetpoint' }],
    }),
    expect: ['InvalidSchedule', 'K01.FR.71'],
  },
  {
    version: v,
    name: 'operationMode per purpose (2.1 K section 3.2): a ChargingStationMaxProfile with a setpoint mode is Rejected (InvalidOperationMode)',
    evseId: 0,
    profile: max({ periods: [{ startPeriod: 0, limit: 16, setpoint: 10, operationMode: 'CentralSetpoint' }] }),
    expect: ['InvalidOperationMode', '2.1 K section 3.2'],
  },
  {
    version: v,
    name: 'K01.FR.95: randomizedDelay on a ChargingStationMaxProfile is Rejected (InvalidSchedule)',
    evseId: 0,
    profile: max({ schedule: { randomizedDelay: 600 } }),
    expect: ['InvalidSchedule', 'K01.FR.95'],
  },
  {
    version: v,
    name: 'K01.FR.123: useLocalTime without SupportsLocalTime is Rejected (InvalidSchedule)',
    evseId: 0,
    profile: cp({ schedule: { useLocalTime: true } }),
    expect: ['InvalidSchedule', 'K01.FR.123'],
  },
  {
    version: v,
    name: 'K01.FR.123: useLocalTime with SupportsLocalTime is Accepted',
    evseId: 0,
    station: { supportsLocalTime: true },
    profile: cp({ schedule: { useLocalTime: true } }),
    expect: 'Accepted',
  },
  {
    version: v,
    name: 'Limits per operationMode (2.1 Q): a ChargingOnly period without limit is Rejected (InvalidSchedule)',
    evseId: 0,
    profile: cp({ periods: [{ startPeriod: 0 }] }),
    expect: ['InvalidSchedule', 'Q limits per operationMode'],
  },
  {
    version: v,
    name: 'V2X.05: a setpoint above the limit is Rejected (InvalidSchedule)',
    evseId: 1,
    profile: tx({ periods: [{ startPeriod: 0, limit: 10, setpoint: 12, operationMode: 'CentralSetpoint' }] }),
    expect: ['InvalidSchedule', 'V2X.05'],
  },
  // V2X.05's own example: setpoint -750 with limit 1000 and dischargeLimit -500.
  {
    version: v,
    name: 'V2X.05: a setpoint below dischargeLimit is Rejected (the spec example -750 < -500)',
    evseId: 1,
    profile: tx({
      schedule: { startSchedule: undefined, chargingRateUnit: 'W' },
      periods: [
        { startPeriod: 0, limit: 1000, dischargeLimit: -500, setpoint: -750, operationMode: 'CentralSetpoint' },
      ],
    }),
    expect: ['InvalidSchedule', 'V2X.05'],
  },

  // Conflicts with installed profiles
  {
    name: 'K01.FR.06: same stack level, purpose and EVSE with overlapping validity is Rejected (DuplicateProfile)',
    evseId: 1,
    profile: cp({ id: 1002 }),
    installed: [[1, cp()]],
    expect: ['DuplicateProfile', 'K01.FR.06'],
  },
  {
    name: 'K01.FR.52: a TxDefaultProfile on EVSE 0 with a stack level taken on an EVSE is Rejected (DuplicateProfile)',
    evseId: 0,
    profile: cp({ id: 1002 }),
    installed: [[2, cp()]],
    expect: ['DuplicateProfile', 'K01.FR.52'],
  },
  {
    name: 'K01.FR.53: a TxDefaultProfile on an EVSE with a stack level taken on EVSE 0 is Rejected (DuplicateProfile)',
    evseId: 2,
    profile: cp({ id: 1002 }),
    installed: [[0, cp()]],
    expect: ['DuplicateProfile', 'K01.FR.53'],
  },
  {
    name: 'K01.FR.39: a second TxProfile with the same stack level for the transaction is Rejected (DuplicateProfile)',
    evseId: 1,
    profile: tx({ id: 1002 }),
    installed: [[1, tx()]],
    expect: ['DuplicateProfile', 'K01.FR.39'],
  },
  {
    name: 'K01.FR.39: a TxProfile on another stack level for the transaction is Accepted',
    evseId: 1,
    profile: tx({ id: 1002, stackLevel: 2 }),
    installed: [[1, tx()]],
    expect: 'Accepted',
  },
  {
    name: 'SmartChargingCtrlr.Entries: no room for another profile is Rejected (OutOfStorage)',
    evseId: 0,
    station: { maxProfiles: 1 },
    profile: cp({ id: 1002, stackLevel: 2 }),
    installed: [[0, cp()]],
    expect: ['OutOfStorage', 'Entries'],
  },
  {
    name: 'K01.FR.05, SmartChargingCtrlr.Entries: a replacement needs no extra room',
    evseId: 0,
    station: { maxProfiles: 1 },
    profile: cp({ stackLevel: 2 }),
    installed: [[0, cp()]],
    expect: 'Accepted',
  },
];

function input(c: Case, version: 'ocpp2.0.1' | 'ocpp2.1'): ChargingProfileCheckInput {
  return {
    version,
    station: { ...station, ...c.station },
    profiles: (c.installed ?? []).map(([evseId, chargingProfile]) => ({ evseId, chargingProfile })),
    request: { evseId: c.evseId ?? 0, chargingProfile: c.profile },
  } as ChargingProfileCheckInput;
}

function check(c: Case, version: 'ocpp2.0.1' | 'ocpp2.1') {
  const res = checkChargingProfile(input(c, version));
  const valid = version === 'ocpp2.1' ? validate21('SetChargingProfile', res) : validate201('SetChargingProfile', res);
  assert.ok(valid.ok, JSON.stringify(valid));
  assert.equal(
    res,
    c.expect === 'Accepted'
      ? { status: 'Accepted' }
      : { status: 'Rejected', statusInfo: { reasonCode: c.expect[0], additionalInfo: c.expect[1] } },
  );
}

for (const c of cases) {
  if (c.version !== 'ocpp2.1') test(`${c.name} [2.0.1]`, () => check(c, 'ocpp2.0.1'));
  // A case without a version holds in both (2.1 adds MaxExternalConstraintsId 100: every CSMS id here is above).
  if (c.version !== 'ocpp2.0.1') test(`${c.name} [2.1]`, () => check(c, 'ocpp2.1'));
}

test('checkChargingProfile does not change the installed profiles or the request', () => {
  const i = input(
    { name: '', evseId: 1, profile: cp({ id: 1002 }), installed: [[1, cp()]], expect: 'Accepted' },
    'ocpp2.1',
  );
  const before = JSON.stringify(i);
  assert.is(checkChargingProfile(i).status, 'Rejected');
  assert.is(JSON.stringify(i), before);
});

test.run();
