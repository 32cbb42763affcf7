// Checks of the meter readings an integrator reports: a bad reading is refused with an error naming the field,
// before it could make an invalid MeterValue that the CSMS would refuse (and the queue would retry in vain).
import { LocationEnumType, PhaseEnumType } from '../../../generated/v201/enums.js';
import type { MeterReading } from '../core/types.js';
import { DEFAULT_MEASURAND, isMeasurand } from './measurands.js';

// 2.0.1's lists: the readings become 2.0.1 SampledValues, also sent on a 2.1 connection (2.1's Upstream is not one).
const PHASES: ReadonlySet<string> = new Set(PhaseEnumType);
const LOCATIONS: ReadonlySet<string> = new Set(LocationEnumType);

export function checkReadings(method: string, readings: unknown): asserts readings is MeterReading[] {
  if (!Array.isArray(readings)) throw new TypeError(`${method}(evseId, readings): readings must be an array`);
  readings.forEach((r: Partial<MeterReading> | null, i) => {
    const at = `${method}: readings[${i}]`;
    if (r === null || typeof r !== 'object') throw new TypeError(`${at} must be an object`);
    if (typeof r.value !== 'number' || !Number.isFinite(r.value))
      throw new TypeError(`${at}.value must be a finite number, got ${JSON.stringify(r.value)}`);
    if (r.measurand !== undefined && !isMeasurand(r.measurand))
      throw new TypeError(`${at}.measurand must be a MeasurandEnumType value (default ${DEFAULT_MEASURAND})`);
    if (r.phase !== undefined && !PHASES.has(r.phase))
      throw new TypeError(`${at}.phase must be one of ${[...PHASES].join(', ')}`);
    if (r.location !== undefined && !LOCATIONS.has(r.location))
      throw new TypeError(`${at}.location must be one of ${[...LOCATIONS].join(', ')}`);
    if (r.unit !== undefined && (typeof r.unit !== 'string' || r.unit.length > 20))
      throw new TypeError(`${at}.unit must be a string of at most 20 characters`);
    if (r.multiplier !== undefined && !Number.isInteger(r.multiplier))
      throw new TypeError(`${at}.multiplier must be an integer`);
    const signed = r.signedMeterValue;
    if (signed !== undefined) {
      for (const f of ['signedMeterData', 'signingMethod', 'encodingMethod', 'publicKey'] as const) {
        if (typeof signed?.[f] !== 'string') throw new TypeError(`${at}.signedMeterValue.${f} must be a string`);
      }
    }
  });
}
