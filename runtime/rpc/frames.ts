// OCPP-J framing: the message type numbers and the encoders of the five message types.
// 1.6: OCPP-J 1.6 §4.1.3/§4.2; 2.0.1: Part 4 §4.1.3/§4.2; 2.1 adds CALLRESULTERROR (5) and SEND (6), Part 4 §4.1.3.
import type { ProtocolName } from '../protocol.js';

export const CALL = 2;
export const CALLRESULT = 3;
export const CALLERROR = 4;
/** 2.1 only: an error answer to a CALLRESULT that could not be processed (Part 4 2.1 §4.2.3). */
export const CALLRESULTERROR = 5;
/** 2.1 only: an unconfirmed message that is never answered (Part 4 2.1 §4.2.4). */
export const SEND = 6;

/** MessageId is string[36] in every version (1.6 §4.1.4, Part 4 §4.1.4 Table 4). */
export const MAX_MESSAGE_ID_LENGTH = 36;
/** ErrorDescription is string[255] (Part 4 §4.2.3 Table 7). */
export const MAX_ERROR_DESCRIPTION_LENGTH = 255;
/** The MessageId of a CALLERROR answering a message whose MessageId could not be read (Part 4 §4.2.3). */
export const UNREADABLE_MESSAGE_ID = '-1';

/** Whether the version knows CALLRESULTERROR and SEND. */
export function hasSendAndResultError(protocol: ProtocolName): boolean {
  return protocol === 'ocpp2.1';
}

export function isReadableMessageId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_MESSAGE_ID_LENGTH;
}

/** Cuts to 255 UTF-16 code units without splitting a surrogate pair. */
export function clampDescription(description: string): string {
  if (description.length <= MAX_ERROR_DESCRIPTION_LENGTH) return description;
  let end = MAX_ERROR_DESCRIPTION_LENGTH;
  const last = description.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return description.slice(0, end);
}
