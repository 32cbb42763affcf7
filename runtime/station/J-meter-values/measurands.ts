// Turning the integrator's meter readings into OCPP meter values: which measurands a configuration variable asks
// for (a MemberList such as SampledDataCtrlr.TxUpdatedMeasurands), and the SampledValues of one sampling moment.
// Shared by E (meter values inside TransactionEvents) and J (MeterValues outside transactions).
import { MeasurandEnumType } from '../../../generated/v201/enums.js';
import type { MeterValueType, ReadingContextEnumType, SampledValueType } from '../../../generated/v201/types.js';
import type { MeterReading, StationView, VariableScope } from '../core/types.js';
import type { DmComponent, VariableOf } from '../device-model/keys.js';

export const DEFAULT_MEASURAND: MeasurandEnumType = 'Energy.Active.Import.Register';

/** The 2.0.1 measurands: the station builds 2.0.1 MeterValues, on a 2.1 connection too. */
const MEASURANDS: ReadonlySet<string> = new Set(MeasurandEnumType);

export const isMeasurand = (name: unknown): name is MeasurandEnumType =>
  typeof name === 'string' && MEASURANDS.has(name);

/**
 * The measurands a MemberList variable lists (comma separated), in order, without duplicates; names that are not
 * measurands are skipped (SetVariables refuses them; a hand-written initial value must not crash sampling).
 * Unset: `fallback`.
 */
export function measurandList<C extends DmComponent>(
  view: StationView,
  component: C,
  variable: VariableOf<C>,
  fallback: string,
  scope?: VariableScope,
): MeasurandEnumType[] {
  const raw = view.variables.string(component, variable, scope) ?? fallback;
  const out: MeasurandEnumType[] = [];
  for (const name of raw.split(',').map((m) => m.trim())) {
    if (MEASURANDS.has(name) && !out.includes(name as MeasurandEnumType)) out.push(name as MeasurandEnumType);
  }
  return out;
}

export interface SampleOptions {
  /** SampledDataCtrlr/AlignedDataCtrlr.SignReadings: include the meter's signed data (J01.FR.21, J02.FR.21). */
  sign: boolean;
  /** SampledDataCtrlr.RegisterValuesWithoutPhases: report Energy.Active.Import.Register as the total only. */
  registerWithoutPhases: boolean;
}

/**
 * The SampledValues of the readings for the asked measurands: every phase and location the meter reports for a
 * measurand (J01 "Multiple Locations/Phases"), each with the context of the sampling (J01.FR.08, J02.FR.04).
 */
export function sampledValues(
  readings: readonly MeterReading[],
  measurands: readonly MeasurandEnumType[],
  context: ReadingContextEnumType,
  options: SampleOptions,
): SampledValueType[] {
  const out: SampledValueType[] = [];
  for (const measurand of measurands) {
    for (const r of readings) {
      if ((r.measurand ?? DEFAULT_MEASURAND) !== measurand) continue;
      if (options.registerWithoutPhases && measurand === DEFAULT_MEASURAND && r.phase !== undefined) continue;
      const v: SampledValueType = { value: r.value, context, measurand };
      if (r.phase !== undefined) v.phase = r.phase;
      if (r.location !== undefined) v.location = r.location;
      if (r.unit !== undefined || r.multiplier !== undefined) {
        v.unitOfMeasure = {
          ...(r.unit !== undefined ? { unit: r.unit } : {}),
          ...(r.multiplier !== undefined ? { multiplier: r.multiplier } : {}),
        };
      }
      if (options.sign && r.signedMeterValue) v.signedMeterValue = { ...r.signedMeterValue };
      out.push(v);
    }
  }
  return out;
}

/** One MeterValue (J01.FR.05/06/17: one timestamp for all its SampledValues), or undefined when nothing was read. */
export function meterValue(
  readings: readonly MeterReading[],
  measurands: readonly MeasurandEnumType[],
  context: ReadingContextEnumType,
  timestamp: number,
  options: SampleOptions,
): MeterValueType | undefined {
  const sampledValue = sampledValues(readings, measurands, context, options);
  return sampledValue.length ? { timestamp: new Date(timestamp).toISOString(), sampledValue } : undefined;
}

/** The energy register total (Wh) in the readings, if the meter reports one without a phase. */
export function energyRegisterWh(readings: readonly MeterReading[]): number | undefined {
  const r = readings.find((x) => (x.measurand ?? DEFAULT_MEASURAND) === DEFAULT_MEASURAND && x.phase === undefined);
  if (!r) return undefined;
  const unit = (r.unit ?? 'Wh').toLowerCase();
  const scale = (unit === 'kwh' ? 1000 : 1) * 10 ** (r.multiplier ?? 0);
  return r.value * scale;
}

/** The sampling options of a controller component (SampledDataCtrlr or AlignedDataCtrlr). */
export function sampleOptions(view: StationView, component: 'SampledDataCtrlr' | 'AlignedDataCtrlr'): SampleOptions {
  return {
    sign: view.variables.bool(component, 'SignReadings') ?? false,
    registerWithoutPhases: view.variables.bool('SampledDataCtrlr', 'RegisterValuesWithoutPhases') ?? false,
  };
}

/**
 * The next clock-aligned moment after `now` for an interval in seconds: intervals are counted from midnight (UTC;
 * J "Clock-Aligned Meter Values"), so 900 gives :00, :15, :30, :45.
 */
export function nextAligned(now: number, intervalSec: number): number {
  const step = intervalSec * 1000;
  return Math.floor(now / step) * step + step;
}
