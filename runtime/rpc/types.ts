// The typed surface of a session, derived from a version's generated `Actions` (runtime/protocol.ts):
// a wrong action name or payload does not compile, and responses are inferred.
import type {
  ActionsOf,
  AnyProtocol,
  CallAction,
  IncomingAction,
  OutgoingAction,
  RequestOf,
  ResponseOf,
  Role,
  SendAction,
} from '../protocol.js';
import type { Session } from './session.js';

/** Actions this end sends as a CALL (answered with a CALLRESULT). */
export type CallableAction<P extends AnyProtocol, R extends Role> = CallAction<ActionsOf<P>> &
  OutgoingAction<ActionsOf<P>, R>;
/** 2.1 SEND messages this end may send. */
export type SendableAction<P extends AnyProtocol, R extends Role> = SendAction<ActionsOf<P>> &
  OutgoingAction<ActionsOf<P>, R>;
/** Actions this end receives (CALLs it answers, and in 2.1 SENDs it consumes). */
export type HandledAction<P extends AnyProtocol, R extends Role> = IncomingAction<ActionsOf<P>, R>;
/** Actions this end answers with a CALLRESULT: the ones an after-hook can follow. */
export type AnsweredAction<P extends AnyProtocol, R extends Role> = IncomingAction<ActionsOf<P>, R> &
  CallAction<ActionsOf<P>>;

export type Request<P extends AnyProtocol, K> = K extends keyof ActionsOf<P> ? RequestOf<ActionsOf<P>, K> : never;
export type Response<P extends AnyProtocol, K> = K extends keyof ActionsOf<P> ? ResponseOf<ActionsOf<P>, K> : never;

/** What a handler and an after-hook receive besides the request. */
export interface HandlerContext<P extends AnyProtocol, R extends Role, D = unknown> {
  /** The session the CALL arrived on (on a CSMS: the station's). */
  readonly session: Session<P, R, D>;
  readonly messageId: string;
  readonly action: string;
}

/** Answers a CALL (returns the response), or consumes a 2.1 SEND (returns nothing). */
export type Handler<P extends AnyProtocol, R extends Role, D, K extends HandledAction<P, R>> = ActionsOf<P>[K] extends {
  send: true;
}
  ? (request: Request<P, K>, ctx: HandlerContext<P, R, D>) => void | Promise<void>
  : (request: Request<P, K>, ctx: HandlerContext<P, R, D>) => Response<P, K> | Promise<Response<P, K>>;

/** Runs once the CALLRESULT has been written to the socket. */
export type AfterHook<P extends AnyProtocol, R extends Role, D, K extends AnsweredAction<P, R>> = (
  request: Request<P, K>,
  response: Response<P, K>,
  ctx: HandlerContext<P, R, D>,
) => void | Promise<void>;

export interface CallOptions {
  /** Overrides the session's call timeout for this CALL (Part 4 §4.1.1: the timeout is implementation-defined). */
  timeoutMs?: number;
}
