// The station's own message limits for incoming device-model requests (DeviceDataCtrlr ItemsPerMessage and
// BytesPerMessage). B06.FR.16/17 and B08.FR.17/18 allow a CALLERROR beyond them; ocppkit answers with one, so a
// limit the station reports is a limit it keeps, and SetVariables is treated the same way (B05.FR.11 obliges the
// CSMS to keep ItemsPerMessageSetVariables; 2.0.1 names no station reaction, and the CALLERROR is the consistent one).
import { jsonByteLength } from '../../rpc/json-bytes.js';
import type { DeviceModel } from './model.js';
import type { DeviceModelCallError } from './types.js';

/**
 * The CALLERROR for a request beyond the limits, or undefined. Bytes are the UTF-8 JSON of the payload (the
 * OCPP-J frame around it adds a few dozen bytes, so this errs on the CSMS's side).
 */
export function requestLimitError(
  model: DeviceModel,
  instance: 'GetVariables' | 'SetVariables' | 'GetReport',
  items: number,
  payload: unknown,
): DeviceModelCallError | undefined {
  const maxItems = model.messageLimit('ItemsPerMessage', instance);
  if (maxItems !== undefined && items > maxItems) {
    return {
      code: 'OccurrenceConstraintViolation',
      description: `${items} items; ItemsPerMessage${instance} is ${maxItems}`,
    };
  }
  const maxBytes = model.messageLimit('BytesPerMessage', instance);
  if (maxBytes !== undefined) {
    const bytes = jsonByteLength(payload); // not JSON.stringify: it throws on a payload nested thousands deep
    if (bytes > maxBytes)
      return { code: 'FormatViolation', description: `${bytes} bytes; BytesPerMessage${instance} is ${maxBytes}` };
  }
  return undefined;
}

/** Cuts a value to `max` characters (code points, as the schemas count). */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  const chars = [...value];
  return chars.length <= max ? value : chars.slice(0, max).join('');
}

/** StatusInfoType.additionalInfo is string[0..512]. */
export function statusInfo(
  reasonCode: string,
  additionalInfo?: string,
): { reasonCode: string; additionalInfo?: string } {
  return additionalInfo ? { reasonCode, additionalInfo: truncate(additionalInfo, 512) } : { reasonCode };
}
