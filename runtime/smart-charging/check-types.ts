// The input of checkChargingProfile: what a station knows when a SetChargingProfileRequest arrives.
import type * as v201 from '../../generated/v201/types.js';
import type * as v21 from '../../generated/v21/types.js';
import type { InstalledProfile } from './types.js';

export interface EvseCapabilities {
  id: number;
  transaction?: { transactionId: string; /** The session uses ISO 15118 (K01.FR.34). */ iso15118?: boolean };
  /** A DC EVSE (K01.FR.44). */
  dc?: boolean;
  /** SmartChargingCtrlr.ACPhaseSwitchingSupported of this EVSE (K01.FR.46/.48). */
  acPhaseSwitchingSupported?: boolean;
  /** 2.1: SmartChargingCtrlr.DCInputPhaseControl of this EVSE (K01.FR.44/.54). */
  dcInputPhaseControl?: boolean;
}

export interface SmartChargingCapabilities {
  evses: EvseCapabilities[];
  /** SmartChargingCtrlr.RateUnit (ChargingScheduleChargingRateUnit). */
  chargingRateUnits: Array<'A' | 'W'>;
  /** SmartChargingCtrlr.ProfileStackLevel: the highest stackLevel accepted. */
  profileStackLevel: number;
  /** SmartChargingCtrlr.PeriodsPerSchedule. */
  periodsPerSchedule: number;
  /** SmartChargingCtrlr.Entries[ChargingProfiles] maxLimit: how many profiles may be installed at once. */
  maxProfiles?: number;
  /** 2.1: SmartChargingCtrlr.SupportedAdditionalPurposes (PriorityCharging, LocalGeneration). */
  supportedAdditionalPurposes?: Array<'PriorityCharging' | 'LocalGeneration'>;
  /** 2.1: SmartChargingCtrlr.SupportsDynamicProfiles. */
  supportsDynamicProfiles?: boolean;
  /** 2.1: SmartChargingCtrlr.SupportsUseLocalTime (K01.FR.123; the appendix's name of "SupportsLocalTime"). */
  supportsLocalTime?: boolean;
  /** 2.1: SmartChargingCtrlr.MaxExternalConstraintsId. */
  maxExternalConstraintsId?: number;
  /** 2.1: SmartChargingCtrlr.SupportsRandomizedDelay (K01.FR.124: absent means not supported). */
  supportsRandomizedDelay?: boolean;
  /** 2.1: SmartChargingCtrlr.SupportsLimitAtSoC (K01.FR.125). */
  supportsLimitAtSoC?: boolean;
  /** 2.1: SmartChargingCtrlr.SupportsEvseSleep (K01.FR.126). */
  supportsEvseSleep?: boolean;
}

export interface ChargingProfileCheckInput201 {
  version: 'ocpp2.0.1';
  station: SmartChargingCapabilities;
  /** The profiles installed now, in installation order. */
  profiles: InstalledProfile<v201.ChargingProfileType>[];
  request: v201.SetChargingProfileRequest;
}

export interface ChargingProfileCheckInput21 {
  version: 'ocpp2.1';
  station: SmartChargingCapabilities;
  profiles: InstalledProfile<v21.ChargingProfileType>[];
  request: v21.SetChargingProfileRequest;
}

export type ChargingProfileCheckInput = ChargingProfileCheckInput201 | ChargingProfileCheckInput21;
