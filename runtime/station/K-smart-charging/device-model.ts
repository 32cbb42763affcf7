// The SmartChargingCtrlr component as ocppkit declares it by default (Part 2 "Referenced Components and Variables":
// Entries[ChargingProfiles], LimitChangeSignificance, PeriodsPerSchedule, ProfileStackLevel and RateUnit are
// required). The values are ocppkit's choices; block K reads them (smart-charging.ts).
import type { ComponentConfig, DeviceModelVersion } from '../device-model/types.js';

/** What block K works with when the integrator configures nothing else. */
export const SMART_CHARGING_DEFAULTS = {
  /** The highest stackLevel accepted. */
  profileStackLevel: 10,
  /** Periods in one schedule. */
  periodsPerSchedule: 48,
  /** Profiles installed at once (Entries[ChargingProfiles] maxLimit). */
  maxProfiles: 100,
  /** Both units, amperes the default (K01.FR.26, K08.FR.07). */
  rateUnits: ['A', 'W'] as Array<'A' | 'W'>,
} as const;

export function smartChargingComponents(version: DeviceModelVersion): ComponentConfig[] {
  const d = SMART_CHARGING_DEFAULTS;
  // 2.1 K01.FR.55: block K keeps every profile in the store, those of the purposes 2.1 lets a station keep in
  // memory only included.
  const persistence =
    version === 'ocpp2.1'
      ? (['TxProfile', 'LocalGeneration', 'ChargingStationExternalConstraints'] as const).map((instance) => ({
          name: 'ChargingProfilePersistence',
          instance,
          value: true,
          mutability: 'ReadOnly' as const,
        }))
      : [];
  // 2.1 K01.FR.124/.125: ocppkit spreads the periods of a randomizedDelay schedule (K01.FR.92–.94) and caps at
  // limitAtSoC (K01.FR.100), so it says so; evseSleep is the hardware's and stays the integrator's to declare.
  const supports =
    version === 'ocpp2.1'
      ? (['SupportsRandomizedDelay', 'SupportsLimitAtSoC'] as const).map((name) => ({
          name,
          value: true,
          mutability: 'ReadOnly' as const,
        }))
      : [];
  return [
    {
      name: 'SmartChargingCtrlr',
      variables: [
        { name: 'Available', value: true, mutability: 'ReadOnly' },
        { name: 'Enabled', value: true, mutability: 'ReadWrite' },
        // The number of profiles installed now is the runtime's to keep; maxLimit: how many may be installed.
        {
          name: 'Entries',
          instance: 'ChargingProfiles',
          value: 0,
          mutability: 'ReadOnly',
          minLimit: 0,
          maxLimit: d.maxProfiles,
        },
        { name: 'LimitChangeSignificance', value: 10, mutability: 'ReadWrite', unit: 'Percent' },
        { name: 'PeriodsPerSchedule', value: d.periodsPerSchedule, mutability: 'ReadOnly', minLimit: 1 },
        { name: 'ProfileStackLevel', value: d.profileStackLevel, mutability: 'ReadOnly', minLimit: 0 },
        {
          name: 'RateUnit',
          dataType: 'MemberList',
          valuesList: ['A', 'W'],
          value: [...d.rateUnits],
          mutability: 'ReadOnly',
        },
        ...persistence,
        ...supports,
      ],
    },
  ];
}
