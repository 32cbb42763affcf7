// One OCPP-J session: the typed call/send/handle/after API over one WebSocket at a time, the same at both ends.
// A station client keeps its sessions across reconnects (handlers persist; a new socket is attached); a CSMS
// server makes one per connected station.
//
// Rules implemented here (2.x Part 4 / OCPP-J 1.6):
//   §4.1.1 one outstanding CALL per direction: further CALLs wait in order; a CALL times out after callTimeoutMs.
//   §4.1.4 MessageIds unique (random UUIDs, 36 characters) — also across reconnects.
//   §4.2.3 every problem with an incoming CALL is answered with a CALLERROR (frame-errors.ts) and the
//          connection stays up; responses with an unknown MessageId are reported and ignored.
//   2.1 §4.2.3/§4.2.4 CALLRESULTERROR for a CALLRESULT we cannot process; SEND never answered.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { RawData, WebSocket } from 'ws';
import type { AnyProtocol, NameOf, ProtocolName, Role } from '../protocol.js';
import { describeFailure, type ValidationFailure } from '../validation.js';
import { receives, roleName, sends } from './direction.js';
import {
  CallError,
  CallErrorResponse,
  ConnectionClosedError,
  InvalidResponseError,
  OutgoingValidationError,
} from './errors.js';
import { frameErrorCode, type FrameProblem } from './frame-errors.js';
import {
  CALL,
  CALLERROR,
  CALLRESULT,
  CALLRESULTERROR,
  clampDescription,
  hasSendAndResultError,
  SEND,
} from './frames.js';
import { Handlers, type AnyAfterHook, type AnyHandler } from './handlers.js';
import { CALL_TIMED_OUT, Outbox, SEND_CALL, type OutboxHost, type PendingCall } from './outbox.js';
import { binaryFrame, decodeText, parseFrame, type IncomingFrame } from './parse.js';
import { systemTimers, type Timers } from './timers.js';
import { eventEntry, frameEntry, rawEntry, type TraceSink } from './trace.js';
import type {
  AfterHook,
  AnsweredAction,
  CallableAction,
  CallOptions,
  HandledAction,
  Handler,
  HandlerContext,
  Request,
  Response,
  SendableAction,
} from './types.js';
import { messageOf } from '../error-text.js';

export interface SessionOptions {
  /** How long a CALL waits for its CALLRESULT/CALLERROR (Part 4 §4.1.1), ms. Default 30,000. */
  callTimeoutMs?: number;
  /** Validate outgoing requests and responses against the version's schemas; invalid ones are never sent. Default true. */
  validateOutgoing?: boolean;
  /** Validate incoming requests (answered with the mapped CallError) and responses (the CALL rejects). Default true. */
  validateIncoming?: boolean;
  /** Receives every frame in and out and connection events, secrets masked (trace.ts). */
  trace?: TraceSink;
  /** Injectable clock and timers (tests). */
  timers?: Timers;
  /** MessageId generator; must return unique strings of 1–36 characters. Default: random UUIDs. */
  newMessageId?: () => string;
  /**
   * How many incoming CALLs one connection may have in its handlers at once; further ones are answered at once
   * (RpcFrameworkError, 1.6 GenericError) without running a handler. Part 4 §4.1.1 allows one outstanding CALL
   * per direction; the margin is for peers that pipeline. Bounds what a peer can make a session hold. Default 64.
   */
  maxConcurrentCalls?: number;
}

/** Options after defaults; one object is shared by every session of a server. */
export interface SessionConfig {
  readonly callTimeoutMs: number;
  readonly validateOutgoing: boolean;
  readonly validateIncoming: boolean;
  readonly trace: TraceSink | undefined;
  readonly timers: Timers;
  readonly newMessageId: () => string;
  readonly maxConcurrentCalls: number;
}

export function resolveSessionOptions(options: SessionOptions = {}): SessionConfig {
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  checkTimeout('callTimeoutMs', callTimeoutMs);
  return {
    callTimeoutMs,
    validateOutgoing: options.validateOutgoing ?? true,
    validateIncoming: options.validateIncoming ?? true,
    trace: options.trace,
    timers: options.timers ?? systemTimers,
    newMessageId: options.newMessageId ?? randomUUID,
    maxConcurrentCalls: positiveInteger('maxConcurrentCalls', options.maxConcurrentCalls ?? 64),
  };
}

function positiveInteger(name: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
    throw new RangeError(`${name} must be a positive integer, got ${String(n)}`);
  return n;
}

function checkTimeout(name: string, ms: unknown): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0 || ms > 2_147_483_647) {
    throw new RangeError(`${name} must be a number of milliseconds between 1 and 2147483647, got ${String(ms)}`);
  }
}

export interface CloseInfo {
  code: number;
  reason: string;
}

export interface SessionEvents {
  /** The WebSocket closed. Outstanding CALLs were rejected with ConnectionClosedError. */
  close: [info: CloseInfo];
  /** A CALLRESULT/CALLERROR whose MessageId matches no outstanding CALL (late, duplicate or foreign): ignored. */
  unknownResponse: [info: { messageId: string; frame: unknown }];
  /** An incoming frame that could not be processed; `answered` tells whether a CALLERROR was sent. */
  badFrame: [
    info: { problem: FrameProblem | 'invalidPayload'; description: string; answered: boolean; messageId?: string },
  ];
  /** A handler or after-hook threw, or a handler returned an invalid response (answered with InternalError). */
  handlerError: [info: { action: string; messageId: string; error: unknown }];
  /**
   * A CALL was handled but its CALLRESULT never reached the socket (the connection closed first, the write failed,
   * or the response was invalid and an InternalError went instead): its after-hooks do not run.
   */
  answerLost: [info: { action: string; messageId: string }];
  /** 2.1: the peer could not process one of our CALLRESULTs. */
  callResultError: [info: { messageId: string; code: string; description: string; details: Record<string, unknown> }];
}

/** Internal entry points for client.ts and server.ts; not part of the public API. */
export const ATTACH = Symbol('ocppkit.rpc.attach');
export const KEEPALIVE_TICK = Symbol('ocppkit.rpc.keepaliveTick');
export const ON_DETACH = Symbol('ocppkit.rpc.onDetach');

const SESSION = Symbol('ocppkit.rpc.session');
/** A session of any version and role (internal plumbing, where the action types do not matter). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySession = Session<any, any, any>;
type SocketWithSession = WebSocket & { [SESSION]?: AnySession };

const WS_OPEN = 1;

/** Every OCPP-J message is a text frame (Part 4 §4.1.2), whatever type its data has. */
const TEXT_FRAME = { binary: false } as const;

/**
 * Writes one text frame, handing ws the UTF-8 bytes rather than the string. ws writes a frame as its header plus
 * the data in one writev; with a string in that list Node's writev takes its mixed-encoding path, which on a CSMS
 * answering many stations cost about 3 µs more per frame than encoding the string first (bench/rpc-throughput).
 * A station masks its frames: given bytes, ws masks them into the header's buffer, so it writes one buffer.
 */
function sendText(ws: WebSocket, text: string, onWritten?: (err?: Error) => void): void {
  ws.send(Buffer.from(text), TEXT_FRAME, onWritten);
}

export class Session<P extends AnyProtocol = AnyProtocol, R extends Role = Role, D = unknown>
  extends EventEmitter<SessionEvents>
  implements OutboxHost
{
  /** The negotiated subprotocol: narrows a union of sessions to one version. */
  readonly protocol: NameOf<P>;
  readonly role: R;
  /** The Charging Station identity of the connection. */
  readonly identity: string;
  /** What the CSMS's authenticate callback returned for this station (undefined on a station). */
  data: D;
  /** Called when a socket detaches (server bookkeeping). */
  [ON_DETACH]: ((session: Session<P, R, D>, info: CloseInfo) => void) | undefined;

  readonly #proto: P;
  readonly #config: SessionConfig;
  readonly #shared: Handlers<P, R, D> | undefined;
  #own: Handlers<P, R, D> | undefined;
  #ws: SocketWithSession | null = null;
  /** Bumped on every detach: an answer computed for a CALL of an earlier connection is never sent on a later one. */
  #generation = 0;
  /** Outgoing CALLs; created by the first call() (a CSMS session that never calls the station has none). */
  #outbox: Outbox | undefined;
  /** MessageIds of incoming CALLs being handled; the first without allocating a Set (the usual case). */
  #handlingFirst: string | undefined;
  #handlingMore: Set<string> | undefined;
  #awaitingPong = false;

  constructor(protocol: P, role: R, identity: string, config: SessionConfig, shared?: Handlers<P, R, D>, data?: D) {
    super();
    this.#proto = protocol;
    // The protocol object of P carries P's name; TS keeps `name` as the wider ProtocolName.
    this.protocol = protocol.name as NameOf<P>;
    this.role = role;
    this.identity = identity;
    this.#config = config;
    this.#shared = shared;
    // `data` is what the server's authenticate hook returned for this connection, typed D by the server's options.
    this.data = data as D;
  }

  /** True while a WebSocket is open. */
  /**
   * Narrows a session of several versions (a CSMS's `station` event, `csms.session(id)`, a client's `connect()`)
   * to one before calling it: `if (session.is('ocpp2.0.1')) await session.call('GetVariables', …)`. The same as
   * comparing `session.protocol`; a call on a session not narrowed either way does not compile (TS2349).
   */
  is<N extends ProtocolName>(name: N): this is { readonly protocol: N } {
    const negotiated: string = this.protocol;
    return negotiated === name;
  }

  get connected(): boolean {
    return this.#ws !== null && this.#ws.readyState === WS_OPEN;
  }

  /** Number of CALLs waiting behind the outstanding one. */
  get queuedCalls(): number {
    return this.#outbox?.queued ?? 0;
  }

  /**
   * Sends a CALL and resolves with the validated response. Rejects with OutgoingValidationError (nothing sent),
   * ConnectionClosedError, CallTimeoutError, CallErrorResponse or InvalidResponseError.
   */
  call<K extends CallableAction<P, R>>(
    action: K,
    payload: Request<P, K>,
    options?: CallOptions,
  ): Promise<Response<P, K>> {
    // The response was validated against the schema of K's response before it resolves (InvalidResponseError else).
    return this.callByName(action, payload, options) as Promise<Response<P, K>>;
  }

  /**
   * `call` for code that routes actions by name at run time (a CSMS prompt, a generic proxy): the action and the
   * payload are checked against the negotiated version's schemas as with `call`, the response comes back validated
   * but untyped.
   */
  callByName(action: string, payload: unknown, options?: CallOptions): Promise<unknown> {
    const problem = this.#checkOutgoing(action, payload, false);
    if (problem) return Promise.reject(problem);
    const timeoutMs = options?.timeoutMs ?? this.#config.callTimeoutMs;
    try {
      checkTimeout('timeoutMs', timeoutMs);
    } catch (e) {
      return Promise.reject(e);
    }
    if (!this.connected)
      return Promise.reject(new ConnectionClosedError(`not connected: ${action} was not sent`, false));
    const id = this.#config.newMessageId();
    let text: string;
    try {
      text = JSON.stringify([CALL, id, action, payload]);
    } catch (e) {
      return Promise.reject(
        new OutgoingValidationError(
          action,
          '',
          'FormatViolation',
          `${action}Request cannot be serialized as JSON: ${messageOf(e)}`,
        ),
      );
    }
    return new Promise<unknown>((resolve, reject) => {
      const call: PendingCall = { id, action, payload, text, resolve, reject, timeoutMs, deadline: 0 };
      (this.#outbox ??= new Outbox(this.#config.timers, this)).add(call);
    });
  }

  /** 2.1 SEND (Part 4 §4.2.4): sent at once, even while a CALL is outstanding; resolves once written. */
  send<K extends SendableAction<P, R>>(action: K, payload: Request<P, K>): Promise<void> {
    return this.sendByName(action, payload);
  }

  /** `send` for code that routes actions by name at run time: checked against the schemas as `send` is. */
  sendByName(action: string, payload: unknown): Promise<void> {
    const problem = this.#checkOutgoing(action, payload, true);
    if (problem) return Promise.reject(problem);
    const ws = this.#ws;
    if (ws === null || ws.readyState !== WS_OPEN)
      return Promise.reject(new ConnectionClosedError(`not connected: ${action} was not sent`, false));
    const frame = [SEND, this.#config.newMessageId(), action, payload];
    let text: string;
    try {
      text = JSON.stringify(frame);
    } catch (e) {
      return Promise.reject(
        new OutgoingValidationError(
          action,
          '',
          'FormatViolation',
          `${action} cannot be serialized as JSON: ${messageOf(e)}`,
        ),
      );
    }
    this.#traceOut(frame);
    return new Promise<void>((resolve, reject) =>
      sendText(ws, text, (err) =>
        err ? reject(new ConnectionClosedError(`connection closed while sending ${action}`, false)) : resolve(),
      ),
    );
  }

  /** Registers the handler of an incoming action on this session (takes precedence over shared handlers). */
  handle<K extends HandledAction<P, R>>(action: K, handler: Handler<P, R, D, K>): this {
    (this.#own ??= new Handlers<P, R, D>(this.#proto, this.role)).handle(action, handler);
    return this;
  }

  /** Adds a hook that runs once the CALLRESULT of `action` has been written to the socket. */
  after<K extends AnsweredAction<P, R>>(action: K, hook: AfterHook<P, R, D, K>): this {
    (this.#own ??= new Handlers<P, R, D>(this.#proto, this.role)).after(action, hook);
    return this;
  }

  /** `handle` for code that routes actions by name at run time; see Handlers.handleByName. */
  handleByName(action: string, handler: AnyHandler): this {
    (this.#own ??= new Handlers<P, R, D>(this.#proto, this.role)).handleByName(action, handler);
    return this;
  }

  /** `after` for code that routes actions by name at run time; see Handlers.afterByName. */
  afterByName(action: string, hook: AnyAfterHook): this {
    (this.#own ??= new Handlers<P, R, D>(this.#proto, this.role)).afterByName(action, hook);
    return this;
  }

  /** The catch-all handler of this session; see Handlers.handleOther. */
  handleOther(handler: AnyHandler | undefined): this {
    (this.#own ??= new Handlers<P, R, D>(this.#proto, this.role)).handleOther(handler);
    return this;
  }

  /** The catch-all after-hook of this session; see Handlers.afterOther. */
  afterOther(hook: AnyAfterHook): this {
    (this.#own ??= new Handlers<P, R, D>(this.#proto, this.role)).afterOther(hook);
    return this;
  }

  /** Closes the WebSocket (a station client then reconnects; use client.close() to stop). */
  close(code = 1000, reason = ''): void {
    this.#ws?.close(code, reason);
  }

  /** Drops the connection at once, without a closing handshake (e.g. a misbehaving peer). */
  terminate(): void {
    this.#ws?.terminate();
  }

  // ——— socket lifecycle (client.ts, server.ts) ———

  [ATTACH](ws: WebSocket): void {
    // The socket this session attached (ATTACH) and gave its back-reference to.
    const socket = ws as SocketWithSession;
    this.#ws = socket;
    this.#awaitingPong = false;
    socket[SESSION] = this;
    socket.on('message', Session.#onMessage);
    socket.on('close', Session.#onClose);
    socket.on('pong', Session.#onPong);
    socket.on('error', Session.#onSocketError);
  }

  /** One keep-alive period: terminate when the previous ping got no pong, otherwise ping. */
  [KEEPALIVE_TICK](): void {
    const ws = this.#ws;
    if (ws === null || ws.readyState !== WS_OPEN) return;
    if (this.#awaitingPong) {
      this.#traceEvent('keepaliveTimeout');
      ws.terminate();
      return;
    }
    this.#awaitingPong = true;
    ws.ping();
  }

  // Shared listeners: `this` is the socket, so no closure is allocated per connection.
  static #onMessage(this: SocketWithSession, data: RawData, isBinary: boolean): void {
    const session = this[SESSION];
    if (session) session.#receive(data, isBinary);
  }
  static #onClose(this: SocketWithSession, code: number, reason: Buffer): void {
    const session = this[SESSION];
    if (session) session.#detach(this, code, reason.toString());
  }
  static #onPong(this: SocketWithSession): void {
    const session = this[SESSION];
    if (session) session.#awaitingPong = false;
  }
  static #onSocketError(this: SocketWithSession, error: Error): void {
    const session = this[SESSION];
    if (session) session.#traceEvent('socketError', { message: error.message });
  }
  #detach(ws: SocketWithSession, code: number, reason: string): void {
    if (this.#ws !== ws) return;
    ws[SESSION] = undefined;
    this.#ws = null;
    this.#generation++;
    this.#handlingFirst = undefined;
    this.#handlingMore = undefined;
    this.#outbox?.failAll();
    const info = { code, reason };
    this.#traceEvent('disconnected', info);
    this.emit('close', info);
    this[ON_DETACH]?.(this, info);
  }

  // ——— outgoing ———

  #checkOutgoing(action: string, payload: unknown, asSend: boolean): Error | undefined {
    const proto = this.#proto;
    const descriptor =
      typeof action === 'string' && Object.hasOwn(proto.actions, action) ? proto.actions[action] : undefined;
    if (!descriptor)
      return new OutgoingValidationError(
        String(action),
        '',
        'NotImplemented',
        `${proto.name} has no action "${String(action)}"`,
      );
    if (!sends(descriptor.direction, this.role)) {
      return new OutgoingValidationError(
        action,
        '',
        'NotSupported',
        `${action} is sent ${descriptor.direction}: a ${roleName(this.role)} does not send it`,
      );
    }
    if (!!descriptor.send !== asSend) {
      return new OutgoingValidationError(
        action,
        '',
        'NotSupported',
        asSend ? `${action} is a CALL: use call()` : `${action} is a SEND message: use send()`,
      );
    }
    if (!this.#config.validateOutgoing) return undefined;
    const failure = invalidity(proto, action, 'request', payload);
    return failure && new OutgoingValidationError(action, failure.path, failure.code, failure.message);
  }

  [SEND_CALL](call: PendingCall): boolean {
    const ws = this.#ws;
    if (ws === null || ws.readyState !== WS_OPEN) return false;
    sendText(ws, call.text);
    if (this.#config.trace) this.#traceOut([CALL, call.id, call.action, call.payload]);
    return true;
  }

  [CALL_TIMED_OUT](call: PendingCall): void {
    this.#traceEvent('callTimeout', { messageId: call.id, action: call.action });
  }

  #writeFrame(frame: unknown[], onWritten?: (err?: Error) => void): void {
    const ws = this.#ws!;
    sendText(ws, JSON.stringify(frame), onWritten);
    if (this.#config.trace) this.#traceOut(frame);
  }

  #writeError(id: string, code: string, description: string, details: Record<string, unknown> = {}): void {
    this.#writeFrame([CALLERROR, id, code, clampDescription(description), details]);
  }

  // ——— incoming ———

  #receive(data: RawData, isBinary: boolean): void {
    // ws gives binary messages as one of these three shapes (binaryType 'nodebuffer').
    const bytes = data as Buffer | ArrayBuffer | Buffer[];
    // A binary frame is not read at all, even when its bytes are a valid CALL (frame-errors.ts).
    const text = isBinary ? undefined : decodeText(bytes);
    const frame = isBinary ? binaryFrame(byteLength(bytes)) : parseFrame(this.#proto.name, text);
    const trace = this.#config.trace;
    if (trace) {
      const now = this.#config.timers.now();
      const raw = isBinary ? `<binary frame of ${byteLength(bytes)} bytes>` : (text ?? '<not UTF-8>');
      trace(
        frame.kind === 'problem' && frame.frame === undefined
          ? rawEntry(now, this.identity, this.protocol, raw)
          : frameEntry(now, this.identity, this.protocol, 'in', frame.frame),
      );
    }
    switch (frame.kind) {
      case 'call':
        return this.#onCall(frame.id, frame.action, frame.payload);
      case 'send':
        return this.#onSend(frame.id, frame.action, frame.payload);
      case 'result':
        return this.#onResult(frame);
      case 'error':
        return this.#onCallError(frame);
      case 'resultError':
        this.#traceEvent('callResultError', { messageId: frame.id, code: frame.code });
        this.emit('callResultError', {
          messageId: frame.id,
          code: frame.code,
          description: frame.description,
          details: frame.details,
        });
        return;
      case 'problem':
        return this.#problem(frame.problem, frame.answerId, frame.description);
    }
  }

  #problem(problem: FrameProblem, answerId: string | undefined, description: string): void {
    const code = frameErrorCode(this.#proto.name, problem);
    const answered = code !== null && answerId !== undefined && this.connected;
    if (answered) this.#writeError(answerId, code, description);
    this.emit('badFrame', { problem, description, answered, messageId: answerId });
  }

  /** The handler of an incoming CALL/SEND of `action`, or why it cannot be handled here. */
  #handlerFor(action: string, asSend: boolean): AnyHandler | { problem: FrameProblem; description: string } {
    const actions = this.#proto.actions;
    const descriptor = Object.hasOwn(actions, action) ? actions[action] : undefined;
    // Part 4 §4.3: NotImplemented = "not known by receiver"; NotSupported = "recognized but not supported".
    if (!descriptor)
      return { problem: 'unknownAction', description: `Action "${action}" is not known by ${this.protocol}` };
    if (!!descriptor.send !== asSend) {
      return {
        problem: 'actionNotSupported',
        description: asSend ? `${action} is a CALL, not a SEND message` : `${action} is a SEND message, not a CALL`,
      };
    }
    if (!receives(descriptor.direction, this.role))
      return { problem: 'actionNotSupported', description: `${action}Request is not sent to a ${roleName(this.role)}` };
    // A handler of the action wins over a catch-all; this session's own over the shared ones.
    const handler =
      this.#own?.handlerOf(action) ??
      this.#shared?.handlerOf(action) ??
      this.#own?.fallback() ??
      this.#shared?.fallback();
    return handler ?? { problem: 'actionNotSupported', description: `${action}Request is not supported` };
  }

  #onCall(id: string, action: string, payload: unknown): void {
    const handler = this.#handlerFor(action, false);
    if (typeof handler !== 'function') return this.#problem(handler.problem, id, handler.description);
    if (this.#config.validateIncoming) {
      const failure = invalidity(this.#proto, action, 'request', payload);
      if (failure) {
        this.#writeError(id, failure.code, failure.message);
        this.emit('badFrame', {
          problem: 'invalidPayload',
          description: failure.message,
          answered: true,
          messageId: id,
        });
        return;
      }
    }
    const start = this.#startHandling(id);
    if (start === 'duplicate')
      return this.#problem('duplicateMessageId', id, `A CALL with MessageId ${id} is already being handled`);
    if (start === 'busy') {
      return this.#problem(
        'tooManyCalls',
        id,
        `${this.#config.maxConcurrentCalls} CALLs are being handled already; Part 4 §4.1.1 allows one at a time`,
      );
    }
    const generation = this.#generation;
    const ctx: HandlerContext<P, R, D> = { session: this, messageId: id, action };
    let result: unknown;
    try {
      result = handler(payload, ctx);
    } catch (error) {
      return this.#handlerFailed(id, action, error, generation);
    }
    if (isPromiseLike(result)) {
      result.then(
        (response) => this.#respond(id, action, payload, response, ctx, generation),
        (error: unknown) => this.#handlerFailed(id, action, error, generation),
      );
    } else {
      this.#respond(id, action, payload, result, ctx, generation);
    }
  }

  #startHandling(id: string): 'started' | 'duplicate' | 'busy' {
    if (this.#handlingFirst === undefined && !this.#handlingMore?.size) {
      this.#handlingFirst = id;
      return 'started';
    }
    if (this.#handlingFirst === id || this.#handlingMore?.has(id)) return 'duplicate';
    const handling = (this.#handlingFirst === undefined ? 0 : 1) + (this.#handlingMore?.size ?? 0);
    if (handling >= this.#config.maxConcurrentCalls) return 'busy';
    if (this.#handlingFirst === undefined) this.#handlingFirst = id;
    else (this.#handlingMore ??= new Set()).add(id);
    return 'started';
  }

  #doneHandling(id: string): void {
    if (this.#handlingFirst === id) this.#handlingFirst = undefined;
    else this.#handlingMore?.delete(id);
  }

  /** False (and traced) when the answer belongs to an earlier connection or the socket is gone. */
  #canAnswer(id: string, action: string, generation: number): boolean {
    if (generation === this.#generation && this.connected) {
      this.#doneHandling(id);
      return true;
    }
    this.#traceEvent('answerDropped', { messageId: id, action, why: 'the connection the CALL arrived on has closed' });
    return false;
  }

  #respond(
    id: string,
    action: string,
    request: unknown,
    response: unknown,
    ctx: HandlerContext<P, R, D>,
    generation: number,
  ): void {
    if (!this.#canAnswer(id, action, generation)) {
      this.emit('answerLost', { action, messageId: id });
      return;
    }
    if (this.#config.validateOutgoing) {
      const failure = invalidity(this.#proto, action, 'response', response);
      if (failure) {
        const error = new OutgoingValidationError(action, failure.path, failure.code, failure.message);
        this.emit('handlerError', { action, messageId: id, error });
        this.#writeError(id, 'InternalError', `The ${action} handler returned an invalid response: ${failure.message}`);
        this.emit('answerLost', { action, messageId: id });
        return;
      }
    }
    const frame = [CALLRESULT, id, response];
    const hooks = this.#afterHooksOf(action);
    try {
      if (hooks === undefined) this.#writeFrame(frame);
      else
        this.#writeFrame(frame, (err) =>
          err ? this.emit('answerLost', { action, messageId: id }) : this.#runAfterHooks(hooks, request, response, ctx),
        );
    } catch (error) {
      // JSON.stringify failed (only possible with validateOutgoing off): still answer the CALL.
      this.emit('handlerError', { action, messageId: id, error });
      this.#writeError(id, 'InternalError', `The ${action} handler returned a response that is not JSON`);
    }
  }

  #afterHooksOf(action: string): AnyAfterHook[] | undefined {
    const shared = this.#shared?.afterHooksOf(action);
    const own = this.#own?.afterHooksOf(action);
    return shared && own ? [...shared, ...own] : (shared ?? own);
  }

  #runAfterHooks(hooks: AnyAfterHook[], request: unknown, response: unknown, ctx: HandlerContext<P, R, D>): void {
    for (const hook of hooks) {
      const fail = (error: unknown) =>
        this.emit('handlerError', { action: ctx.action, messageId: ctx.messageId, error });
      try {
        const r = hook(request, response, ctx);
        if (isPromiseLike(r)) r.then(undefined, fail);
      } catch (error) {
        fail(error);
      }
    }
  }

  #handlerFailed(id: string, action: string, error: unknown, generation: number): void {
    this.emit('handlerError', { action, messageId: id, error });
    this.emit('answerLost', { action, messageId: id });
    if (!this.#canAnswer(id, action, generation)) return;
    // A deliberate CallError is passed on; anything else becomes InternalError without message or stack.
    if (error instanceof CallError) this.#writeError(id, error.code, error.description, error.details);
    else this.#writeError(id, 'InternalError', `An internal error occurred while handling ${action}`);
  }

  #onSend(id: string, action: string, payload: unknown): void {
    // 2.1 §4.2.4: a SEND is never answered, whatever is wrong with it; problems are only reported.
    const handler = this.#handlerFor(action, true);
    if (typeof handler !== 'function') {
      this.emit('badFrame', { ...handler, answered: false, messageId: id });
      return;
    }
    if (this.#config.validateIncoming) {
      const failure = invalidity(this.#proto, action, 'request', payload);
      if (failure) {
        this.emit('badFrame', {
          problem: 'invalidPayload',
          description: failure.message,
          answered: false,
          messageId: id,
        });
        return;
      }
    }
    const ctx: HandlerContext<P, R, D> = { session: this, messageId: id, action };
    const fail = (error: unknown) => this.emit('handlerError', { action, messageId: id, error });
    try {
      const r = handler(payload, ctx);
      if (isPromiseLike(r)) r.then(undefined, fail);
    } catch (error) {
      fail(error);
    }
  }

  #onResult(frame: Extract<IncomingFrame, { kind: 'result' }>): void {
    const call = this.#outbox?.take(frame.id);
    if (!call) return this.#unknownResponse(frame.id, frame.frame);
    if (this.#config.validateIncoming) {
      const e = invalidity(this.#proto, call.action, 'response', frame.payload);
      if (e) {
        call.reject(
          new InvalidResponseError(
            call.action,
            call.id,
            e.path,
            e.code,
            `invalid ${call.action} response: ${e.message}`,
          ),
        );
        // 2.1 §4.2.3: tell the sender its CALLRESULT could not be processed.
        if (hasSendAndResultError(this.#proto.name) && this.connected) {
          this.#writeFrame([CALLRESULTERROR, call.id, e.code, clampDescription(e.message), {}]);
        }
        return this.#outbox!.next();
      }
    }
    call.resolve(frame.payload);
    this.#outbox!.next();
  }

  #onCallError(frame: Extract<IncomingFrame, { kind: 'error' }>): void {
    const call = this.#outbox?.take(frame.id);
    if (!call) return this.#unknownResponse(frame.id, frame.frame);
    call.reject(new CallErrorResponse(call.action, call.id, frame.code, frame.description, frame.details));
    this.#outbox!.next();
  }

  #unknownResponse(messageId: string, frame: unknown): void {
    this.#traceEvent('unknownResponse', { messageId });
    this.emit('unknownResponse', { messageId, frame });
  }

  // ——— trace ———

  #traceOut(frame: unknown[]): void {
    this.#config.trace?.(frameEntry(this.#config.timers.now(), this.identity, this.protocol, 'out', frame));
  }

  #traceEvent(event: string, detail?: Record<string, unknown>): void {
    this.#config.trace?.(eventEntry(this.#config.timers.now(), this.identity, this.protocol, event, detail));
  }
}

/**
 * Validates a payload of an action known to exist, with its precompiled validator; a failure is described by
 * runtime/validation.ts (the version's CallError code and a message naming the field). Same result as
 * validatePayload() without the lookups and the result object, on the path every message takes.
 */
function invalidity(
  protocol: AnyProtocol,
  action: string,
  kind: 'request' | 'response',
  payload: unknown,
): ValidationFailure | undefined {
  const descriptor = protocol.actions[action]!;
  const validator = kind === 'request' ? descriptor.request : descriptor.response!;
  if (validator(payload)) return undefined;
  return describeFailure(protocol, `${action}${kind === 'request' ? 'Request' : 'Response'}`, validator.errors?.[0]);
}

function byteLength(data: Buffer | ArrayBuffer | Buffer[]): number {
  return Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  // Duck typing: any object with a then() method is awaited like a promise.
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}
