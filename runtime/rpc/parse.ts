// Classifies one incoming WebSocket message as an OCPP-J frame, without side effects. Which CallError a
// problem is answered with is decided by frame-errors.ts; what happens next by session.ts.
import { isUtf8 } from 'node:buffer';
import type { ProtocolName } from '../protocol.js';
import type { FrameProblem } from './frame-errors.js';
import {
  CALL,
  CALLERROR,
  CALLRESULT,
  CALLRESULTERROR,
  hasSendAndResultError,
  isReadableMessageId,
  SEND,
} from './frames.js';

export type IncomingFrame =
  | { kind: 'call'; id: string; action: string; payload: unknown; frame: unknown[] }
  | { kind: 'send'; id: string; action: string; payload: unknown; frame: unknown[] }
  | { kind: 'result'; id: string; payload: unknown; frame: unknown[] }
  | { kind: 'error'; id: string; code: string; description: string; details: Record<string, unknown>; frame: unknown[] }
  | {
      kind: 'resultError';
      id: string;
      code: string;
      description: string;
      details: Record<string, unknown>;
      frame: unknown[];
    }
  /**
   * A frame that cannot be processed. `id` is the MessageId to answer with when the frame asks for an answer
   * ("-1" when it could not be read); undefined when no answer may be sent (a response, or a SEND).
   */
  | {
      kind: 'problem';
      problem: FrameProblem;
      answerId: string | undefined;
      description: string;
      frame: unknown;
      text?: string;
    };

/** The text of a text frame as received from ws; undefined when it is not valid UTF-8. */
export function decodeText(data: Buffer | ArrayBuffer | Buffer[]): string | undefined {
  const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  // Part 4 §4.1.2: the whole message MUST be UTF-8. ws is told not to check (it would close the connection);
  // the check is here so that a bad frame gets a CALLERROR and the connection stays up.
  return isUtf8(buf) ? buf.toString('utf8') : undefined;
}

/** What a binary frame is: a problem, never read (frame-errors.ts). */
export function binaryFrame(byteLength: number): IncomingFrame {
  return {
    kind: 'problem',
    problem: 'binaryFrame',
    answerId: '-1',
    description: `A binary WebSocket frame (${byteLength} bytes) is not an OCPP-J message: OCPP-J messages are JSON text frames`,
    frame: undefined,
  };
}

export function parseFrame(protocol: ProtocolName, text: string | undefined): IncomingFrame {
  if (text === undefined) {
    return {
      kind: 'problem',
      problem: 'invalidJson',
      answerId: '-1',
      description: 'Message is not valid UTF-8',
      frame: undefined,
    };
  }
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return {
      kind: 'problem',
      problem: 'invalidJson',
      answerId: '-1',
      description: 'Message is not valid JSON',
      frame: undefined,
      text,
    };
  }
  if (!Array.isArray(msg) || msg.length === 0) {
    return {
      kind: 'problem',
      problem: 'notRpcMessage',
      answerId: '-1',
      description: 'Message is not a JSON array [MessageTypeId, MessageId, …]',
      frame: msg,
    };
  }
  const type = msg[0];
  const rawId = msg[1];
  const id = isReadableMessageId(rawId) ? rawId : undefined;
  const v21 = hasSendAndResultError(protocol);

  if (typeof type !== 'number') {
    return {
      kind: 'problem',
      problem: 'notRpcMessage',
      answerId: id ?? '-1',
      description: 'MessageTypeId is not a number',
      frame: msg,
    };
  }
  switch (type) {
    case CALL:
    case SEND: {
      if (type === SEND && !v21) break;
      const answerId = type === CALL ? (id ?? '-1') : undefined; // a SEND is never answered (2.1 §4.2.4)
      if (id === undefined) {
        return { kind: 'problem', problem: 'notRpcMessage', answerId, description: describeBadId(rawId), frame: msg };
      }
      if (msg.length !== 4 || typeof msg[2] !== 'string') {
        return {
          kind: 'problem',
          problem: 'badCallShape',
          answerId,
          description: `${type === CALL ? 'CALL' : 'SEND'} must be [${type}, "<MessageId>", "<Action>", {<Payload>}]`,
          frame: msg,
        };
      }
      return { kind: type === CALL ? 'call' : 'send', id, action: msg[2], payload: msg[3], frame: msg };
    }
    case CALLRESULT:
      if (id === undefined)
        return {
          kind: 'problem',
          problem: 'notRpcMessage',
          answerId: undefined,
          description: `CALLRESULT with ${describeBadId(rawId)}`,
          frame: msg,
        };
      return { kind: 'result', id, payload: msg[2], frame: msg };
    case CALLERROR:
    case CALLRESULTERROR: {
      if (type === CALLRESULTERROR && !v21) break;
      const name = type === CALLERROR ? 'CALLERROR' : 'CALLRESULTERROR';
      // "-1" is a valid MessageId here: the peer could not read one of our messages (Part 4 §4.2.3).
      const errId = typeof rawId === 'string' && rawId.length <= 36 ? rawId : undefined;
      if (errId === undefined)
        return {
          kind: 'problem',
          problem: 'notRpcMessage',
          answerId: undefined,
          description: `${name} with ${describeBadId(rawId)}`,
          frame: msg,
        };
      const details =
        msg[4] !== null && typeof msg[4] === 'object' && !Array.isArray(msg[4])
          ? // A CALLERROR's details: the frame was parsed from JSON and its fifth element checked to be an object.
            (msg[4] as Record<string, unknown>)
          : {};
      return {
        kind: type === CALLERROR ? 'error' : 'resultError',
        id: errId,
        code: typeof msg[2] === 'string' ? msg[2] : String(msg[2]),
        description: typeof msg[3] === 'string' ? msg[3] : '',
        details,
        frame: msg,
      };
    }
  }
  return {
    kind: 'problem',
    problem: 'unknownMessageType',
    answerId: id ?? '-1',
    description: `MessageTypeId ${type} is not supported by ${protocol}`,
    frame: msg,
  };
}

function describeBadId(rawId: unknown): string {
  if (typeof rawId !== 'string') return 'a MessageId that is not a string';
  return rawId.length === 0 ? 'an empty MessageId' : 'a MessageId longer than 36 characters';
}
