// The SampledDataCtrlr (J02, transaction meter values) and AlignedDataCtrlr (J01, clock-aligned meter values)
// settings, read when a sample is due so that a SetVariables applies to the next one. ocppkit's defaults where the
// integrator set no value are documented in docs/integration.md ("Meter values").
import type { MeasurandEnumType } from '../../../generated/v201/types.js';
import type { StationView } from '../core/types.js';
import { DEFAULT_MEASURAND, measurandList } from './measurands.js';

/** What SampledDataCtrlr asks for (J02); "0" or an empty list switches a kind of sample off. */
export interface SampledConfig {
  enabled: boolean;
  started: MeasurandEnumType[];
  updated: MeasurandEnumType[];
  updatedIntervalS: number;
  ended: MeasurandEnumType[];
  endedIntervalS: number;
}

export function sampledConfig(view: StationView): SampledConfig {
  const v = view.variables;
  return {
    enabled: v.bool('SampledDataCtrlr', 'Enabled') ?? true,
    started: measurandList(view, 'SampledDataCtrlr', 'TxStartedMeasurands', DEFAULT_MEASURAND),
    updated: measurandList(view, 'SampledDataCtrlr', 'TxUpdatedMeasurands', DEFAULT_MEASURAND),
    updatedIntervalS: Math.max(0, v.int('SampledDataCtrlr', 'TxUpdatedInterval') ?? 0),
    ended: measurandList(view, 'SampledDataCtrlr', 'TxEndedMeasurands', DEFAULT_MEASURAND),
    endedIntervalS: Math.max(0, v.int('SampledDataCtrlr', 'TxEndedInterval') ?? 0),
  };
}

/**
 * 2.1 Q01.FR.33–.35: the measurands V2XChargingCtrlr adds for the operationMode in force on the EVSE (block K's
 * query; ChargingOnly where no period gives one), in the instance named after that mode. None under 2.0.1.
 */
export function v2xMeasurands(
  view: StationView,
  evseId: number,
  which: 'started' | 'updated' | 'ended',
): MeasurandEnumType[] {
  if (view.version !== 'ocpp2.1') return [];
  const instance = view.query.operationModeInForce?.(evseId) ?? 'ChargingOnly';
  const variable = V2X_VARIABLES[which];
  return measurandList(view, 'V2XChargingCtrlr', variable, '', { instance });
}

const V2X_VARIABLES = {
  started: 'TxStartedMeasurands',
  updated: 'TxUpdatedMeasurands',
  ended: 'TxEndedMeasurands',
} as const;

/** AlignedDataCtrlr (J01): clock-aligned measurands and intervals. */
export interface AlignedConfig {
  enabled: boolean;
  measurands: MeasurandEnumType[];
  intervalS: number;
  txEnded: MeasurandEnumType[];
  txEndedIntervalS: number;
  sendDuringIdle: boolean;
}

export function alignedConfig(view: StationView): AlignedConfig {
  const v = view.variables;
  return {
    enabled: v.bool('AlignedDataCtrlr', 'Enabled') ?? true,
    measurands: measurandList(view, 'AlignedDataCtrlr', 'Measurands', DEFAULT_MEASURAND),
    intervalS: Math.max(0, v.int('AlignedDataCtrlr', 'Interval') ?? 0),
    txEnded: measurandList(view, 'AlignedDataCtrlr', 'TxEndedMeasurands', ''),
    txEndedIntervalS: Math.max(0, v.int('AlignedDataCtrlr', 'TxEndedInterval') ?? 0),
    sendDuringIdle: v.bool('AlignedDataCtrlr', 'SendDuringIdle') ?? false,
  };
}
