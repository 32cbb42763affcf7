// Block K's view of the station for the pure functions of ocppkit/smart-charging: the installed profiles, the EVSEs
// with their transactions, the units and limits of SmartChargingCtrlr. One place converts the station's state into
// their inputs, so that SetChargingProfile's check, GetCompositeSchedule and the hardware limit see the same station.
import type * as v201 from '../../../generated/v201/types.js';
import type * as v21 from '../../../generated/v21/types.js';
import { checkChargingProfile, compositeSchedule } from '../../smart-charging/index.js';
import type { InstalledProfile, SmartChargingCapabilities, StationState } from '../../smart-charging/index.js';
import type { StationView, Version2x } from '../core/types.js';
import { checkOperationModes, v2xSettings } from '../Q-v2x/operation-modes.js';
import { SMART_CHARGING_DEFAULTS } from './device-model.js';

/** A profile as received in SetChargingProfile (2.0.1's or 2.1's), with the EVSE it was installed on. */
export type Profile = v201.ChargingProfileType | v21.ChargingProfileType;
/** `source`: the ChargingLimitSource of a limit an external system set (K11–K13); absent for the CSMS's (CSO). */
export type Installed = InstalledProfile<Profile> & { source?: string };

/** A transaction as block K knows it: where Relative schedules start (K01.FR.42). */
export interface KnownTransaction {
  transactionId: string;
  /** ISO date-time: the start of the transaction (PowerPathClosed is ocppkit's default TxStartPoint). */
  startTime: string;
  /** The EV's ISO 15118 charging needs were sent for it (K01.FR.34: then up to three chargingSchedules). */
  iso15118?: boolean;
  /** 2.1: PriorityCharging is activated for it (K21.FR.04, K22.FR.02). */
  priorityCharging?: boolean;
}

/** What the station's state adds to a composite calculation: the connection's state, the EVs' schedules. */
export interface Offline {
  /** When the connection was lost (ms), if it is lost now (2.1 K01.FR.101). */
  offlineSince?: number;
  /** The version to calculate in while no version is negotiated: that of the last connection. */
  version?: Version2x;
  /** K15.FR.14, K16.FR.10, K17.FR.14: the EV schedules the CSMS accepted, per EVSE (merged as a limit). */
  ev?: Readonly<Record<number, AcceptedEvSchedule>>;
}

/** An EV's schedule (NotifyEVChargingSchedule) the CSMS accepted, for the transaction it was sent in. */
export interface AcceptedEvSchedule {
  transactionId: string;
  timeBase: string;
  chargingSchedule: v201.ChargingScheduleType | v21.ChargingScheduleType;
}

/** Volts per phase for A <-> W (K01.FR.50: "the set voltage for the area"). */
export const LINE_VOLTAGE = 230;

/** The version to work in: the view keeps the last connection's while offline; 2.0.1 only before any connection. */
export const versionOf = (view: StationView): Version2x => view.version ?? 'ocpp2.0.1';

/** SmartChargingCtrlr.RateUnit: the units accepted, the first the default (K01.FR.26, K08.FR.07). */
export function rateUnits(view: StationView): Array<'A' | 'W'> {
  const value = view.variables.string('SmartChargingCtrlr', 'RateUnit');
  if (value === undefined) return [...SMART_CHARGING_DEFAULTS.rateUnits];
  return value
    .split(',')
    .map((u) => u.trim())
    .filter((u): u is 'A' | 'W' => u === 'A' || u === 'W');
}

/** K01.FR.36/.37: a profile whose validTo has passed is of no use any more and is removed. */
export function expired(profile: Profile, now: number): boolean {
  if (profile.validTo === undefined) return false;
  const to = Date.parse(profile.validTo);
  return Number.isFinite(to) && to <= now;
}

/**
 * The transaction on each EVSE: use case E decides whether one runs (evseActivity); K knows when it started.
 * Without E (an integrator's own transactions), K's own record counts.
 */
export function transactionOf(
  view: StationView,
  known: Readonly<Record<number, KnownTransaction>>,
  evseId: number,
): KnownTransaction | undefined {
  const activity = view.query.evseActivity;
  const own = known[evseId];
  if (!activity) return own;
  const running = activity(evseId)?.transactionId;
  if (running === undefined) return undefined;
  return own?.transactionId === running ? own : { transactionId: running, startTime: iso(view.now()) };
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** SmartChargingCtrlr.SupportedAdditionalPurposes (2.1): PriorityCharging, LocalGeneration. */
export function supportedAdditionalPurposes(view: StationView): Array<'PriorityCharging' | 'LocalGeneration'> {
  const value = view.variables.string('SmartChargingCtrlr', 'SupportedAdditionalPurposes') ?? '';
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v): v is 'PriorityCharging' | 'LocalGeneration' => v === 'PriorityCharging' || v === 'LocalGeneration');
}

const optionalInt = <K extends string>(key: K, value: number | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, number>>;

const optionalString = <K extends string>(key: K, value: string | undefined) =>
  (value === undefined || value.trim() === '' ? {} : { [key]: value.trim() }) as Partial<Record<K, string>>;

/** SmartChargingCtrlr.LimitChangeSignificance: the change, in percent, that counts as a change (a decimal). */
export function limitChangeSignificance(view: StationView): number {
  const value = Number(view.variables.string('SmartChargingCtrlr', 'LimitChangeSignificance'));
  return Number.isFinite(value) && value >= 0 ? value : 0;
}

function supplyPhases(view: StationView): number {
  return view.variables.int('ChargingStation', 'SupplyPhases') ?? 3;
}

/** `assumed`: transactions to take as running whatever E says (a remote start's transaction to come). */
export function capabilities(
  view: StationView,
  known: Readonly<Record<number, KnownTransaction>>,
  assumed: Readonly<Record<number, KnownTransaction>> = {},
) {
  const dcStation = supplyPhases(view) === 0;
  const station: SmartChargingCapabilities = {
    evses: view.evses.map((e) => {
      const tx = assumed[e.id] ?? transactionOf(view, known, e.id);
      const dc = (e.supplyPhases ?? (dcStation ? 0 : 3)) === 0;
      const switching = view.variables.bool('SmartChargingCtrlr', 'ACPhaseSwitchingSupported', { evseId: e.id });
      const inputPhases = dc && dcInputPhaseControl(view, e.id);
      return {
        id: e.id,
        ...(tx ? { transaction: { transactionId: tx.transactionId, ...(tx.iso15118 ? { iso15118: true } : {}) } } : {}),
        ...(dc ? { dc: true } : {}),
        ...(switching ? { acPhaseSwitchingSupported: true } : {}),
        ...(inputPhases ? { dcInputPhaseControl: true } : {}),
      };
    }),
    chargingRateUnits: rateUnits(view),
    profileStackLevel:
      view.variables.int('SmartChargingCtrlr', 'ProfileStackLevel') ?? SMART_CHARGING_DEFAULTS.profileStackLevel,
    periodsPerSchedule:
      view.variables.int('SmartChargingCtrlr', 'PeriodsPerSchedule') ?? SMART_CHARGING_DEFAULTS.periodsPerSchedule,
    maxProfiles: SMART_CHARGING_DEFAULTS.maxProfiles,
    // 2.1 (K01.FR.120/.121/.81): what the integrator's device model declares; absent: not supported.
    supportedAdditionalPurposes: supportedAdditionalPurposes(view),
    ...(view.variables.bool('SmartChargingCtrlr', 'SupportsDynamicProfiles') ? { supportsDynamicProfiles: true } : {}),
    ...optionalInt('maxExternalConstraintsId', view.variables.int('SmartChargingCtrlr', 'MaxExternalConstraintsId')),
    // 2.1 K01.FR.124–.126: features a profile may only use where the device model says they are supported.
    ...(declared(view, 'SupportsRandomizedDelay') ? { supportsRandomizedDelay: true } : {}),
    ...(declared(view, 'SupportsLimitAtSoC') ? { supportsLimitAtSoC: true } : {}),
    // K01.FR.90/.123: useLocalTime where the integrator declares SupportsUseLocalTime (its wall clock: ClockCtrlr).
    ...(declared(view, 'SupportsUseLocalTime') ? { supportsLocalTime: true } : {}),
    ...(declared(view, 'SupportsEvseSleep') ? { supportsEvseSleep: true } : {}),
  };
  return station;
}

/** 2.1 K01.FR.54: a DC EVSE that selects its grid input phases by numberPhases / phaseToUse (EVSE.DCInputPhaseControl). */
export function dcInputPhaseControl(view: StationView, evseId: number): boolean {
  const evse = view.evses.find((e) => e.id === evseId);
  const dc = (evse?.supplyPhases ?? (supplyPhases(view) === 0 ? 0 : 3)) === 0;
  return dc && view.variables.bool('EVSE', 'DCInputPhaseControl', { evseId }) === true;
}

const declared = (
  view: StationView,
  name: 'SupportsRandomizedDelay' | 'SupportsLimitAtSoC' | 'SupportsEvseSleep' | 'SupportsUseLocalTime',
) => view.variables.bool('SmartChargingCtrlr', name) === true;

/** checkChargingProfile for the negotiated version. */
export function check(
  view: StationView,
  known: Readonly<Record<number, KnownTransaction>>,
  profiles: readonly Installed[],
  request: v201.SetChargingProfileRequest | v21.SetChargingProfileRequest,
  assumed: Readonly<Record<number, KnownTransaction>> = {},
): v21.SetChargingProfileResponse {
  const station = capabilities(view, known, assumed);
  // The RPC layer validated the request against the negotiated version's schema, and the installed profiles were
  // accepted the same way: under 2.0.1 they are 2.0.1 profiles (a 2.1 profile kept across a change of version has
  // only fields 2.0.1's check ignores).
  if (versionOf(view) === 'ocpp2.1') {
    const profile = request as v21.SetChargingProfileRequest;
    const verdict = checkChargingProfile({
      version: 'ocpp2.1',
      station,
      profiles: profiles as Array<InstalledProfile<v21.ChargingProfileType>>,
      request: profile,
    });
    if (verdict.status !== 'Accepted') return verdict;
    // Q08.FR.03/04, Q09.FR.01/02, Q10.FR.02: what the operation modes of the periods need (block Q's rules).
    const refusal = checkOperationModes(profile.chargingProfile.chargingSchedule, v2xSettings(view));
    return refusal ? { status: 'Rejected', statusInfo: refusal } : verdict;
  }
  return checkChargingProfile({
    version: 'ocpp2.0.1',
    station,
    profiles: profiles as Array<InstalledProfile<v201.ChargingProfileType>>,
    request: request as v201.SetChargingProfileRequest,
  });
}

/** The station as compositeSchedule takes it, for a request about `evseId` (0: the whole station). */
export function stationState(
  view: StationView,
  known: Readonly<Record<number, KnownTransaction>>,
  evseId: number,
  gridInput = false,
): StationState {
  // 2.1 K01.FR.54: the AC grid input of a DC station, for the phases its periods select (3 unless they say).
  const phases = gridInput ? 3 : supplyPhases(view);
  const evse = view.evses.find((e) => e.id === evseId);
  // What one EVSE may draw where no profile limits it: its EVSE.Power maxLimit; for EVSE 0 the largest EVSE's.
  const maxPower = evse?.maxPower ?? Math.max(0, ...view.evses.map((e) => e.maxPower ?? 0));
  return {
    evses: view.evses.map((e) => {
      const tx = transactionOf(view, known, e.id);
      return { id: e.id, ...(tx ? { transaction: tx } : {}) };
    }),
    supplyPhases: phases,
    phases: phases === 0 ? 1 : 3,
    voltage: LINE_VOLTAGE,
    maxCurrent: Math.floor((maxPower / (LINE_VOLTAGE * Math.max(1, phases))) * 10) / 10,
    maxPower,
    chargingRateUnits: rateUnits(view),
    ...(setpointPriority(view) === 'CSMS' ? { setpointPriority: 'CSMS' as const } : {}),
    // K01.FR.90: the station's local time for useLocalTime schedules.
    ...optionalString('timeZone', view.variables.string('ClockCtrlr', 'TimeZone')),
    ...optionalString('timeOffset', view.variables.string('ClockCtrlr', 'TimeOffset')),
  };
}

/** 2.1 SmartChargingCtrlr.SetpointPriority (Q06.FR.20–.22); absent or another value: ExternalSystem (Q06.FR.21). */
export function setpointPriority(view: StationView): 'ExternalSystem' | 'CSMS' {
  return view.variables.string('SmartChargingCtrlr', 'SetpointPriority')?.trim() === 'CSMS' ? 'CSMS' : 'ExternalSystem';
}

/**
 * compositeSchedule on the block's own state, for the negotiated version (K08). `gridInput`: as if the station were
 * AC-supplied, for the input phases of a DC EVSE (K01.FR.54; the DC composite itself reports no phases).
 */
export function composite(
  view: StationView,
  known: Readonly<Record<number, KnownTransaction>>,
  profiles: readonly Installed[],
  request: v201.GetCompositeScheduleRequest | v21.GetCompositeScheduleRequest,
  offline: Offline = {},
  gridInput = false,
): v21.GetCompositeScheduleResponse {
  const now = view.now();
  const version = view.version ?? offline.version ?? 'ocpp2.0.1';
  const state = stationState(view, known, request.evseId, gridInput);
  // K15.FR.14: an EV's schedule counts only for the transaction it was accepted for.
  const evses = state.evses.map((e) => {
    const ev = offline.ev?.[e.id];
    return ev && e.transaction?.transactionId === ev.transactionId
      ? { ...e, evChargingSchedule: { timeBase: ev.timeBase, chargingSchedule: ev.chargingSchedule } }
      : e;
  });
  const station = { ...state, evses };
  const input = {
    now: iso(now),
    station: offline.offlineSince !== undefined ? { ...station, offlineSince: iso(offline.offlineSince) } : station,
  };
  const tx = request.evseId > 0 ? transactionOf(view, known, request.evseId) : undefined;
  const valid = profiles
    .filter((p) => !expired(p.chargingProfile, now))
    .map((p) => (version === 'ocpp2.1' && tx ? delayed(p, tx.transactionId) : p));
  // As in check(): what the RPC layer validated against the negotiated version's schema.
  return version === 'ocpp2.1'
    ? compositeSchedule({
        version: 'ocpp2.1',
        ...input,
        profiles: valid as Array<InstalledProfile<v21.ChargingProfileType>>,
        request: request as v21.GetCompositeScheduleRequest,
      })
    : compositeSchedule({
        version: 'ocpp2.0.1',
        ...input,
        profiles: valid as Array<InstalledProfile<v201.ChargingProfileType>>,
        request: request as v201.GetCompositeScheduleRequest,
      });
}

/**
 * 2.1 K01.FR.92–.94: a schedule with randomizedDelay has each period after the first start up to randomizedDelay
 * seconds later, for a transaction. The delays are fixed for the transaction (K01.FR.93: GetCompositeSchedule
 * reports the periods as they will run): drawn from a hash of the transactionId, the profile id and the period, so
 * they differ between transactions and stations and need no state. startSchedule and duration stay (K01.FR.94).
 * Without a transaction the delay is 0 (K08.FR.06); for EVSE 0 the schedules are summed undelayed.
 */
export function delayed(p: Installed, transactionId: string): Installed {
  const [schedule, ...rest] = p.chargingProfile.chargingSchedule as v21.ChargingScheduleType[];
  const max = schedule?.randomizedDelay ?? 0;
  if (!schedule || !(max > 0)) return p;
  let previous = -1;
  const periods = schedule.chargingSchedulePeriod.map((period, i) => {
    const start =
      period.startPeriod === 0 ? 0 : period.startPeriod + draw(`${transactionId}:${p.chargingProfile.id}:${i}`, max);
    // Delays never reorder the periods (K01.FR.35): a period starts at least a second after the one before.
    previous = Math.max(start, previous + 1);
    return { ...period, startPeriod: previous };
  });
  return {
    ...p,
    chargingProfile: {
      ...(p.chargingProfile as v21.ChargingProfileType),
      chargingSchedule: [{ ...schedule, chargingSchedulePeriod: periods }, ...rest],
    },
  };
}

/** A whole number in [0, max] from a string (FNV-1a): the same for the same key. */
function draw(key: string, max: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h % (Math.floor(max) + 1);
}
