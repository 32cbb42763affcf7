// TariffCostCtrlr as the station reports it (Part 2 "Referenced Components and Variables"; Currency and the two
// fallback messages are required). 2.0.1's Tariff and Cost instances mean showing the driver's tariff and cost (I01–
// I06), which a station with a display does; 2.1's mean local cost calculation (I07–I12): tariffs installed by the
// CSMS (`options.tariffs`) and the cost the station calculates under them. The fallback messages are the CSO's to
// set (2.1: per language; ocppkit's instance is English).
import type { ComponentConfig, DeviceModelVersion } from '../device-model/types.js';
import { COST_VENDOR } from '../../pricing/messages.js';
import { COST_DECIMALS, MAX_COST_DECIMALS, MULTILANGUAGE_VENDOR } from './california.js';
import { FAILED_TARIFF_HANDLING, TARIFF_DEFAULTS, type TariffOptions } from './tariffs.js';

export function tariffCostComponents(
  has: { display: boolean; tariffs?: TariffOptions; currency?: string },
  version: DeviceModelVersion,
): ComponentConfig[] {
  if (!has.display && !has.tariffs) return [];
  const v21 = version === 'ocpp2.1';
  const tariff = v21 ? has.tariffs !== undefined : has.display;
  const cost = v21 ? has.tariffs !== undefined : has.display;
  const flag = (name: string, instance: string, value: boolean) => [
    { name: 'Available', instance, value, mutability: 'ReadOnly' as const },
    { name: 'Enabled', instance, value, mutability: value ? ('ReadWrite' as const) : ('ReadOnly' as const) },
  ];
  const instance = v21 ? { instance: 'en' } : {};
  // The California pricing note (2.0.1, as libocpp reads it; california.ts): its customData read, and the driver's
  // tariff in several languages. On where there is a display; the CSO may turn them off.
  const california =
    !v21 && has.display
      ? [
          {
            name: 'CustomizationCtrlr',
            variables: [COST_VENDOR, MULTILANGUAGE_VENDOR].map((vendorId) => ({
              name: 'CustomImplementationEnabled',
              instance: vendorId,
              value: true,
              mutability: 'ReadWrite' as const,
            })),
          },
        ]
      : [];
  return [
    ...california,
    {
      name: 'TariffCostCtrlr',
      variables: [
        ...flag('Tariff', 'Tariff', tariff),
        ...flag('Cost', 'Cost', cost),
        {
          name: 'Currency',
          value: has.tariffs?.currency ?? has.currency ?? TARIFF_DEFAULTS.currency,
          mutability: 'ReadWrite',
        },
        { name: 'TariffFallbackMessage', ...instance, value: '', mutability: 'ReadWrite' },
        { name: 'TotalCostFallbackMessage', ...instance, value: '', mutability: 'ReadWrite' },
        // California pricing (2.0.1): the tariff text while offline (2.1 names it per language), the decimals of the
        // cost shown, and the prices of a transaction started offline (unset: the station shows no cost of its own).
        ...(california.length
          ? [
              {
                name: 'OfflineTariffFallbackMessage',
                value: '',
                dataType: 'string' as const,
                mutability: 'ReadWrite' as const,
              },
              {
                name: 'NumberOfDecimalsForCostValues',
                value: COST_DECIMALS,
                dataType: 'integer' as const,
                minLimit: 0,
                maxLimit: MAX_COST_DECIMALS,
                mutability: 'ReadWrite' as const,
              },
              ...(['kWhPrice', 'hourPrice'] as const).map((instance) => ({
                name: 'OfflineChargingPrice',
                instance,
                dataType: 'decimal' as const,
                minLimit: 0,
                mutability: 'ReadWrite' as const,
              })),
            ]
          : []),
        ...(v21 && has.tariffs
          ? [
              {
                name: 'MaxElements',
                instance: 'Tariff',
                value: has.tariffs.maxElements ?? TARIFF_DEFAULTS.maxElements,
                mutability: 'ReadOnly' as const,
              },
              // I12.FR.02: running costDetails in Updated events, off until the CSO asks for them.
              { name: 'Enabled', instance: 'RunningCost', value: false, mutability: 'ReadWrite' as const },
              {
                name: 'Interval',
                instance: 'Cost',
                value: 60,
                unit: 's',
                minLimit: 0,
                mutability: 'ReadWrite' as const,
              },
              // I12.FR.31/32: how often conditions on power and current are looked at (0: at every meter reading).
              {
                name: 'Interval',
                instance: 'Tariff',
                value: 60,
                unit: 's',
                minLimit: 0,
                mutability: 'ReadWrite' as const,
              },
              // I08.FR.30–33: what to do with a driver tariff the station cannot process.
              {
                name: 'HandleFailedTariff',
                instance: 'Tariff',
                value: 'UseDefaultTariff',
                dataType: 'OptionList' as const,
                valuesList: [...FAILED_TARIFF_HANDLING],
                mutability: 'ReadWrite' as const,
              },
              // I08.FR.30/35, I12.FR.18/43: a tariff or a cost the station could not process.
              { name: 'Problem', value: false, mutability: 'ReadOnly' as const },
              {
                name: 'ConditionsSupported',
                instance: 'Tariff',
                value: has.tariffs.conditions ?? TARIFF_DEFAULTS.conditions,
                mutability: 'ReadOnly' as const,
              },
            ]
          : []),
      ],
    },
  ];
}
