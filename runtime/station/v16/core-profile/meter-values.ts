// 1.6 MeterValues content from the integrator's readings, with J's pure functions (J-meter-values/measurands.ts):
// the same readings, measurand selection and energy register as 2.x, written in 1.6's SampledValue (a decimal
// string value, a unit from 1.6's UnitOfMeasure, no multiplier: the value is scaled instead; 1.6 §7.31/7.43).
// A reading the integrator's meter signed (`signedMeterValue`, as for 2.x) is reported twice: the Raw value, and a
// SampledValue of format SignedData whose value is the signed block hex-encoded (1.6 §7.49 ValueFormat), so that a
// CSMS that does not verify signatures still gets the number.
import { Measurand as MEASURANDS16, UnitOfMeasure as UNITS16 } from '../../../../generated/v16/enums.js';
import type {
  Measurand,
  MeterValue,
  ReadingContext,
  SampledValue,
  UnitOfMeasure,
} from '../../../../generated/v16/types.js';
import type { MeasurandEnumType } from '../../../../generated/v201/types.js';
import type { MeterReading } from '../../core/types.js';
import { energyRegisterWh, isMeasurand, sampledValues } from '../../J-meter-values/measurands.js';

const UNITS: ReadonlySet<string> = new Set(UNITS16);
const is16Measurand = (m: string): m is Measurand & MeasurandEnumType =>
  (MEASURANDS16 as readonly string[]).includes(m) && isMeasurand(m);
const isUnit16 = (u: string | undefined): u is UnitOfMeasure => u !== undefined && UNITS.has(u);

/** The configured measurand list (MeterValuesSampledData, …) as J's measurands, unknown names left out. */
export function measurands16(names: readonly string[]): (Measurand & MeasurandEnumType)[] {
  return names.filter(is16Measurand);
}

/** One MeterValue of the asked measurands at `timestamp`, or undefined when the meter reports none of them. */
export function meterValue16(
  readings: readonly MeterReading[],
  measurands: readonly string[],
  context: ReadingContext,
  timestamp: number,
): MeterValue | undefined {
  const sampledValue: SampledValue[] = sampledValues(readings, measurands16(measurands), context, {
    sign: true,
    registerWithoutPhases: false,
  }).flatMap((v) => {
    const scale = 10 ** (v.unitOfMeasure?.multiplier ?? 0);
    const unit = v.unitOfMeasure?.unit;
    const raw: SampledValue = {
      value: String(v.value * scale),
      context,
      ...(v.measurand !== undefined && is16Measurand(v.measurand) ? { measurand: v.measurand } : {}),
      ...(v.phase !== undefined ? { phase: v.phase } : {}),
      ...(v.location !== undefined ? { location: v.location } : {}),
      ...(isUnit16(unit) ? { unit } : {}),
    };
    const signed = v.signedMeterValue?.signedMeterData;
    return signed
      ? [raw, { ...raw, value: Buffer.from(signed, 'base64').toString('hex'), format: 'SignedData' }]
      : [raw];
  });
  return sampledValue.length ? { timestamp: new Date(timestamp).toISOString(), sampledValue } : undefined;
}

/** meterStart / meterStop: the energy register in whole Wh (1.6 §6.45, §6.49); 0 without a meter. */
export function meterWh(readings: readonly MeterReading[]): number {
  return Math.round(energyRegisterWh(readings) ?? 0);
}
