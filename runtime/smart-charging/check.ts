// K01 SetChargingProfile: is a received profile acceptable? A pure function of the station's capabilities, its
// installed profiles and the request, answering the SetChargingProfileResponse payload: Accepted, or Rejected with
// the reasonCode the spec names (or, where it names none, the closest one of the appendix list) and the
// requirement ID in additionalInfo. The first rule broken decides. Replacing a profile of the same id
// (K01.FR.05) is not a conflict with itself. A schema-invalid request never gets here: the RPC layer refuses it.
import type * as v21 from '../../generated/v21/types.js';
import type { ChargingProfileCheckInput, EvseCapabilities, SmartChargingCapabilities } from './check-types.js';
import type { InstalledProfile } from './types.js';

type Profile = v21.ChargingProfileType;
type Refusal = [reasonCode: string, requirement: string];

interface Context {
  v21: boolean;
  evseId: number;
  profile: Profile;
  evse?: EvseCapabilities;
  station: SmartChargingCapabilities;
  /** Installed profiles other than the one this request replaces. */
  others: InstalledProfile<Profile>[];
  replaced?: InstalledProfile<Profile>;
}

type Rule = (c: Context) => Refusal | undefined;

const periodsOf = (p: Profile) => p.chargingSchedule.flatMap((s) => s.chargingSchedulePeriod);

const evseRules: Rule[] = [
  (c) => (c.evseId !== 0 && !c.evse ? ['UnknownEvse', 'K01.FR.28'] : undefined),
  (c) =>
    c.v21 && c.station.maxExternalConstraintsId !== undefined && c.profile.id <= c.station.maxExternalConstraintsId
      ? ['InvalidProfileId', 'K01.FR.81']
      : undefined,
  // K01.FR.05: an external-constraints profile is not replaced by the CSMS.
  (c) =>
    c.replaced?.chargingProfile.chargingProfilePurpose === 'ChargingStationExternalConstraints'
      ? ['InvalidProfileId', 'K01.FR.05']
      : undefined,
];

const purposeRules: Rule[] = [
  // K01.FR.22: the CSMS never sets this purpose; the station makes such profiles from external limits.
  (c) =>
    c.profile.chargingProfilePurpose === 'ChargingStationExternalConstraints'
      ? ['InvalidProfile', 'K01.FR.22']
      : undefined,
  (c) => {
    const purpose = c.profile.chargingProfilePurpose;
    const additional = purpose === 'PriorityCharging' || purpose === 'LocalGeneration';
    return additional && !(c.station.supportedAdditionalPurposes ?? []).includes(purpose)
      ? ['UnsupportedPurpose', 'K01.FR.120']
      : undefined;
  },
  (c) =>
    c.profile.chargingProfileKind === 'Dynamic' && !c.station.supportsDynamicProfiles
      ? ['UnsupportedKind', 'K01.FR.121']
      : undefined,
  // K28.FR.01–.03: a Dynamic profile is one schedule of one period (starting at 0, K01.FR.31).
  (c) =>
    c.profile.chargingProfileKind === 'Dynamic' &&
    (c.profile.chargingSchedule.length !== 1 || c.profile.chargingSchedule[0]!.chargingSchedulePeriod.length !== 1)
      ? ['InvalidSchedule', 'K28.FR.03']
      : undefined,
  (c) =>
    c.profile.chargingProfileKind !== 'Dynamic' &&
    (c.profile.dynUpdateInterval !== undefined || c.profile.dynUpdateTime !== undefined)
      ? ['InvalidProfile', 'K01.FR.122']
      : undefined,
  (c) =>
    c.profile.chargingProfilePurpose === 'ChargingStationMaxProfile' && c.evseId !== 0
      ? ['InvalidProfile', 'K04.FR.03']
      : undefined,
  (c) =>
    c.profile.chargingProfilePurpose === 'ChargingStationMaxProfile' && c.profile.chargingProfileKind === 'Relative'
      ? ['InvalidProfile', 'K01.FR.38']
      : undefined,
  (c) =>
    c.profile.chargingProfilePurpose === 'TxProfile' && c.evseId === 0 ? ['InvalidProfile', 'K01.FR.16'] : undefined,
  // ChargingProfileType.transactionId: only for a TxProfile.
  (c) =>
    c.profile.transactionId !== undefined && c.profile.chargingProfilePurpose !== 'TxProfile'
      ? ['InvalidProfile', 'K01.FR.03']
      : undefined,
  (c) =>
    c.profile.chargingProfilePurpose === 'TxProfile' && !c.evse?.transaction ? ['TxNotFound', 'K01.FR.09'] : undefined,
  (c) =>
    c.profile.chargingProfilePurpose === 'TxProfile' &&
    c.profile.transactionId !== undefined &&
    c.profile.transactionId !== c.evse?.transaction?.transactionId
      ? ['TxNotFound', 'K01.FR.33']
      : undefined,
  (c) => (c.profile.stackLevel > c.station.profileStackLevel ? ['InvalidStackLevel', 'ProfileStackLevel'] : undefined),
];

const scheduleRules: Rule[] = [
  (c) =>
    c.profile.chargingSchedule.some((s) => !c.station.chargingRateUnits.includes(s.chargingRateUnit))
      ? ['UnsupportedRateUnit', 'K01.FR.26']
      : undefined,
  (c) =>
    c.profile.chargingSchedule.length > 1 && !c.evse?.transaction?.iso15118
      ? ['InvalidSchedule', 'K01.FR.34']
      : undefined,
  (c) =>
    c.profile.chargingProfileKind === 'Recurring' && c.profile.recurrencyKind === undefined
      ? ['InvalidProfile', 'recurrencyKind']
      : undefined,
  (c) =>
    ['Absolute', 'Recurring'].includes(c.profile.chargingProfileKind) &&
    c.profile.chargingSchedule.some((s) => s.startSchedule === undefined)
      ? ['InvalidSchedule', 'K01.FR.40']
      : undefined,
  (c) =>
    c.profile.chargingProfileKind === 'Relative' &&
    c.profile.chargingSchedule.some((s) => s.startSchedule !== undefined)
      ? ['InvalidSchedule', 'K01.FR.41']
      : undefined,
  (c) =>
    c.profile.chargingSchedule.some((s) => s.chargingSchedulePeriod[0]?.startPeriod !== 0)
      ? ['InvalidSchedule', 'K01.FR.31']
      : undefined,
  (c) =>
    c.profile.chargingSchedule.some((s) =>
      s.chargingSchedulePeriod.some((p, i, all) => i > 0 && p.startPeriod <= all[i - 1]!.startPeriod),
    )
      ? ['InvalidSchedule', 'K01.FR.35']
      : undefined,
  (c) =>
    c.profile.chargingSchedule.some((s) => s.chargingSchedulePeriod.length > c.station.periodsPerSchedule)
      ? ['TooManyElements', 'PeriodsPerSchedule']
      : undefined,
];

const phaseRules: Rule[] = [
  // 2.1 K01.FR.44: phases on a DC EVSE that cannot steer its input phases (2.0.1 lets the station ignore them).
  (c) =>
    c.v21 &&
    c.evse?.dc &&
    !c.evse.dcInputPhaseControl &&
    periodsOf(c.profile).some((p) => p.numberPhases !== undefined || p.phaseToUse !== undefined)
      ? ['NoPhaseForDC', 'K01.FR.44']
      : undefined,
  (c) =>
    periodsOf(c.profile).some((p) => p.phaseToUse !== undefined && p.numberPhases !== 1)
      ? ['InvalidSchedule', 'K01.FR.19']
      : undefined,
  // K01.FR.48: phaseToUse needs ACPhaseSwitchingSupported (on EVSE 0: on every EVSE it applies to).
  (c) =>
    !c.evse?.dc && periodsOf(c.profile).some((p) => p.phaseToUse !== undefined) && !phaseSwitching(c)
      ? ['InvalidSchedule', 'K01.FR.48']
      : undefined,
  // 2.1 section 3.8: a phaseToUse differing from that of a station-wide limit (or the reverse) cannot be merged.
  (c) => (c.v21 && phaseConflict(c) ? ['PhaseConflict', '2.1 K section 3.8'] : undefined),
];

function phaseSwitching(c: Context): boolean {
  const evses = c.evseId === 0 ? c.station.evses.filter((e) => !e.dc) : c.evse ? [c.evse] : [];
  return evses.length > 0 && evses.every((e) => e.acPhaseSwitchingSupported === true);
}

const LIMITING = ['ChargingStationMaxProfile', 'ChargingStationExternalConstraints'];
function phaseConflict(c: Context): boolean {
  const phasesOf = (p: Profile) => new Set(periodsOf(p).flatMap((q) => (q.phaseToUse ? [q.phaseToUse] : [])));
  const mine = phasesOf(c.profile);
  if (mine.size === 0) return false;
  const newIsLimit = LIMITING.includes(c.profile.chargingProfilePurpose);
  return c.others.some(({ evseId, chargingProfile: p }) => {
    if (newIsLimit === LIMITING.includes(p.chargingProfilePurpose)) return false;
    if (evseId !== 0 && c.evseId !== 0 && evseId !== c.evseId) return false;
    const theirs = [...phasesOf(p)];
    return [...mine].some((a) => theirs.some((b) => a !== b));
  });
}

/** 2.1 Table "operationMode for various ChargingProfilePurposes". */
const MODES: Partial<Record<v21.ChargingProfilePurposeEnumType, v21.OperationModeEnumType[]>> = {
  PriorityCharging: ['ChargingOnly'],
  ChargingStationMaxProfile: ['ChargingOnly'],
  ChargingStationExternalConstraints: ['ChargingOnly', 'ExternalLimits', 'ExternalSetpoint'],
  LocalGeneration: ['ChargingOnly', 'ExternalLimits'],
};

const v21Rules: Rule[] = [
  (c) =>
    c.profile.chargingProfilePurpose === 'PriorityCharging' &&
    c.profile.chargingSchedule.some((s) => s.duration !== undefined)
      ? ['InvalidSchedule', 'K01.FR.70']
      : undefined,
  (c) =>
    c.profile.chargingProfilePurpose === 'PriorityCharging' &&
    periodsOf(c.profile).some((p) => (p.operationMode ?? 'ChargingOnly') !== 'ChargingOnly')
      ? ['InvalidSchedule', 'K01.FR.71']
      : undefined,
  (c) => {
    const allowed = MODES[c.profile.chargingProfilePurpose];
    return allowed && periodsOf(c.profile).some((p) => !allowed.includes(p.operationMode ?? 'ChargingOnly'))
      ? ['InvalidOperationMode', '2.1 K section 3.2']
      : undefined;
  },
  (c) =>
    !['TxProfile', 'TxDefaultProfile'].includes(c.profile.chargingProfilePurpose) &&
    c.profile.chargingSchedule.some((s) => (s.randomizedDelay ?? 0) > 0)
      ? ['InvalidSchedule', 'K01.FR.95']
      : undefined,
  (c) =>
    c.profile.chargingSchedule.some((s) => s.useLocalTime === true) && !c.station.supportsLocalTime
      ? ['InvalidSchedule', 'K01.FR.123']
      : undefined,
  (c) =>
    c.profile.chargingSchedule.some((s) => (s.randomizedDelay ?? 0) > 0) && !c.station.supportsRandomizedDelay
      ? ['InvalidSchedule', 'K01.FR.124']
      : undefined,
  (c) =>
    c.profile.chargingSchedule.some((s) => s.limitAtSoC !== undefined) && !c.station.supportsLimitAtSoC
      ? ['InvalidSchedule', 'K01.FR.125']
      : undefined,
  (c) =>
    periodsOf(c.profile).some((p) => p.evseSleep === true) && !c.station.supportsEvseSleep
      ? ['InvalidSchedule', 'K01.FR.126']
      : undefined,
  // "Limits and setpoints per operation mode": ChargingOnly (the default) requires a limit.
  (c) =>
    periodsOf(c.profile).some((p) => (p.operationMode ?? 'ChargingOnly') === 'ChargingOnly' && p.limit === undefined)
      ? ['InvalidSchedule', 'Q limits per operationMode']
      : undefined,
  (c) => (periodsOf(c.profile).some(setpointOutOfRange) ? ['InvalidSchedule', 'V2X.05'] : undefined),
];

function setpointOutOfRange(p: v21.ChargingSchedulePeriodType): boolean {
  if (p.setpoint === undefined) return false;
  return (
    (p.limit !== undefined && p.setpoint > p.limit) || (p.dischargeLimit !== undefined && p.setpoint < p.dischargeLimit)
  );
}

const overlaps = (a: Profile, b: Profile) =>
  Date.parse(a.validFrom ?? '0000-01-01T00:00:00Z') < Date.parse(b.validTo ?? '9999-12-31T00:00:00Z') &&
  Date.parse(b.validFrom ?? '0000-01-01T00:00:00Z') < Date.parse(a.validTo ?? '9999-12-31T00:00:00Z');

const conflictRules: Rule[] = [
  // K01.FR.39: one TxProfile per stack level per transaction.
  (c) => {
    const p = c.profile;
    if (p.chargingProfilePurpose !== 'TxProfile') return undefined;
    const tx = p.transactionId ?? c.evse?.transaction?.transactionId;
    return c.others.some(
      ({ chargingProfile: o }) =>
        o.chargingProfilePurpose === 'TxProfile' && o.stackLevel === p.stackLevel && o.transactionId === tx,
    )
      ? ['DuplicateProfile', 'K01.FR.39']
      : undefined;
  },
  // K01.FR.06: one profile per stack level, purpose and EVSE at any time.
  (c) => {
    const p = c.profile;
    if (p.chargingProfilePurpose === 'TxProfile') return undefined;
    const clash = c.others.some(
      ({ evseId, chargingProfile: o }) =>
        evseId === c.evseId &&
        o.chargingProfilePurpose === p.chargingProfilePurpose &&
        o.stackLevel === p.stackLevel &&
        overlaps(o, p),
    );
    return clash ? ['DuplicateProfile', 'K01.FR.06'] : undefined;
  },
  // K01.FR.52/.53: a TxDefaultProfile's stack level is taken across EVSE 0 and the specific EVSEs.
  (c) => {
    const p = c.profile;
    if (p.chargingProfilePurpose !== 'TxDefaultProfile') return undefined;
    const clash = c.others.some(
      ({ evseId, chargingProfile: o }) =>
        o.chargingProfilePurpose === 'TxDefaultProfile' &&
        o.stackLevel === p.stackLevel &&
        (c.evseId === 0 ? evseId !== 0 : evseId === 0),
    );
    return clash ? ['DuplicateProfile', c.evseId === 0 ? 'K01.FR.52' : 'K01.FR.53'] : undefined;
  },
  // SmartChargingCtrlr.Entries: no room for one more profile (a replacement takes no extra room).
  (c) =>
    c.station.maxProfiles !== undefined && !c.replaced && c.others.length + 1 > c.station.maxProfiles
      ? ['OutOfStorage', 'Entries']
      : undefined,
];

export function checkChargingProfile(input: ChargingProfileCheckInput): v21.SetChargingProfileResponse {
  const { evseId, chargingProfile } = input.request as v21.SetChargingProfileRequest;
  const installed = input.profiles as InstalledProfile<Profile>[];
  const context: Context = {
    v21: input.version === 'ocpp2.1',
    evseId,
    profile: chargingProfile,
    evse: input.station.evses.find((e) => e.id === evseId),
    station: input.station,
    others: installed.filter((p) => p.chargingProfile.id !== chargingProfile.id),
    replaced: installed.find((p) => p.chargingProfile.id === chargingProfile.id),
  };
  const rules = [
    ...evseRules,
    ...purposeRules,
    ...scheduleRules,
    ...phaseRules,
    ...(context.v21 ? v21Rules : []),
    ...conflictRules,
  ];
  for (const rule of rules) {
    const refusal = rule(context);
    if (refusal) return { status: 'Rejected', statusInfo: { reasonCode: refusal[0], additionalInfo: refusal[1] } };
  }
  return { status: 'Accepted' };
}
