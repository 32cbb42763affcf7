// Which CallError code answers which problem with an incoming frame, per version. The table and its
// citations are in docs/rpc.md ("Incoming frames"); keep the two in step.
//
// 2.x (Part 4 §4.2.3, §4.3 Table 8/9, §4.4):
//   - a binary WebSocket frame is not an OCPP-J message (Part 4 §4.1.2: the message is JSON text in UTF-8; RFC
//     6455 §5.6: text goes in text frames): it is not read, whatever its bytes, and is answered as a message
//     whose MessageId cannot be read (RpcFrameworkError / 1.6 FormationViolation, MessageId "-1");
//   - a frame that is no valid RPC message (invalid JSON, not an array, no readable MessageId, wrong element
//     count or types) → RpcFrameworkError ("Content of the call is not a valid RPC Request, for example:
//     MessageId could not be read"), with MessageId "-1" when the MessageId cannot be read (§4.2.3);
//   - an unknown Message Type Number → MessageTypeNotSupported (2.0.1 §4.4; 2.1 §4.1.3/§4.4 "ignore the
//     message payload" — the payload is ignored and the code of Table 9 is still sent so the sender learns it);
//   - an Action the version does not know → NotImplemented ("Requested Action is not known by receiver");
//   - an Action the version knows but this end does not handle → NotSupported ("Requested Action is recognized
//     but not supported by the receiver"; Part 4's own CALLERROR example; OCTT TC_K_15_CS).
// 1.6 (OCPP-J 1.6 §4.1.3, §4.2.3 Table 7, errata 2025-04 §3.3/§3.9):
//   - no RpcFrameworkError exists: a frame that does not conform to the PDU structure → FormationViolation
//     ("Payload for Action is syntactically incorrect or not conform the PDU structure");
//   - an unknown Message Type Number → its payload is ignored (§4.1.3) and nothing is sent: 1.6 has no code for it;
//   - NotImplemented / NotSupported exactly as in 2.x (same table wording, errata §3.9 example).
import type { CallErrorCode, ProtocolName } from '../protocol.js';

export type FrameProblem =
  /** Not valid JSON (or not valid UTF-8). */
  | 'invalidJson'
  /** A binary WebSocket frame: OCPP-J messages are JSON text (RFC 6455 §5.6 text frames); never read as one. */
  | 'binaryFrame'
  /** Valid JSON, but not an array whose first element is a number and second a readable MessageId. */
  | 'notRpcMessage'
  /** A CALL/SEND with the wrong element count or a non-string Action. */
  | 'badCallShape'
  /** A CALL whose MessageId equals that of a CALL still being handled (Part 4 §4.2.3 situation 2). */
  | 'duplicateMessageId'
  /** A CALL beyond SessionOptions.maxConcurrentCalls being handled at once (Part 4 §4.1.1 allows one). */
  | 'tooManyCalls'
  /** A Message Type Number the version does not define. */
  | 'unknownMessageType'
  /** An Action the version does not define. */
  | 'unknownAction'
  /** An Action the version defines but this end does not answer (no handler, other direction, SEND-only). */
  | 'actionNotSupported'
  /** The handler threw, or answered with a payload that fails the response schema. */
  | 'internal';

const CODES_2X: Record<FrameProblem, CallErrorCode> = {
  invalidJson: 'RpcFrameworkError',
  binaryFrame: 'RpcFrameworkError',
  notRpcMessage: 'RpcFrameworkError',
  badCallShape: 'RpcFrameworkError',
  duplicateMessageId: 'RpcFrameworkError',
  tooManyCalls: 'RpcFrameworkError',
  unknownMessageType: 'MessageTypeNotSupported',
  unknownAction: 'NotImplemented',
  actionNotSupported: 'NotSupported',
  internal: 'InternalError',
};

const CODES_16: Record<FrameProblem, CallErrorCode | null> = {
  invalidJson: 'FormationViolation',
  binaryFrame: 'FormationViolation',
  notRpcMessage: 'FormationViolation',
  badCallShape: 'FormationViolation',
  duplicateMessageId: 'GenericError',
  tooManyCalls: 'GenericError',
  unknownMessageType: null,
  unknownAction: 'NotImplemented',
  actionNotSupported: 'NotSupported',
  internal: 'InternalError',
};

/** The code to answer with, or null when the version prescribes no answer. */
export function frameErrorCode(protocol: ProtocolName, problem: FrameProblem): CallErrorCode | null {
  return protocol === 'ocpp1.6' ? CODES_16[problem] : CODES_2X[problem];
}
