// A registry of handlers and after-hooks for one version and one role. A station client keeps one per offered
// version (so handlers survive reconnects); a CSMS server keeps one per version shared by every station
// session, so that 10,000 stations cost one Map, not 10,000 sets of closures.
import type { AnyProtocol, Role } from '../protocol.js';
import { receives } from './direction.js';
import type { AfterHook, AnsweredAction, HandledAction, Handler, HandlerContext } from './types.js';

/** Untyped views used inside the RPC layer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyContext = HandlerContext<any, any, any>;
export type AnyHandler = (request: unknown, ctx: AnyContext) => unknown;
export type AnyAfterHook = (request: unknown, response: unknown, ctx: AnyContext) => unknown;

export class Handlers<P extends AnyProtocol, R extends Role, D = unknown> {
  readonly protocol: P;
  readonly role: R;
  readonly #handlers = new Map<string, AnyHandler>();
  #after: Map<string, AnyAfterHook[]> | undefined;
  #fallback: AnyHandler | undefined;
  #afterOther: AnyAfterHook[] | undefined;

  constructor(protocol: P, role: R) {
    this.protocol = protocol;
    this.role = role;
  }

  /** Registers the handler of `action`, replacing any previous one. */
  handle<K extends HandledAction<P, R>>(action: K, handler: Handler<P, R, D, K>): this {
    // Stored untyped: the session validates each request against K's schema before the handler sees it.
    return this.handleByName(action, handler as AnyHandler);
  }

  /**
   * `handle` for code that routes actions by name at run time (a station answering every action of a version, a
   * CSMS logging every message): the action is checked now, the request is validated against its schema before
   * `handler` runs, and the response after; only the static types are left to the caller.
   */
  handleByName(action: string, handler: AnyHandler): this {
    this.#check(action, 'handle');
    if (typeof handler !== 'function') throw new TypeError(`handle("${action}", handler): handler must be a function`);
    this.#handlers.set(action, handler);
    return this;
  }

  /** Adds a hook that runs after the CALLRESULT of `action` has been written to the socket. */
  after<K extends AnsweredAction<P, R>>(action: K, hook: AfterHook<P, R, D, K>): this {
    // Stored untyped, as in `handle`.
    return this.afterByName(action, hook as AnyAfterHook);
  }

  /** `after` for code that routes actions by name at run time (see handleByName). */
  afterByName(action: string, hook: AnyAfterHook): this {
    this.#check(action, 'after');
    if (this.protocol.actions[action]?.send)
      throw new RangeError(`after("${action}"): a SEND message has no response to follow`);
    if (typeof hook !== 'function') throw new TypeError(`after("${action}", hook): hook must be a function`);
    const map = (this.#after ??= new Map());
    const list = map.get(action);
    if (list) list.push(hook);
    else map.set(action, [hook]);
    return this;
  }

  /** Removes the handler (the action is then answered with NotSupported) and the after-hooks of `action`. */
  remove(action: HandledAction<P, R>): this {
    this.#handlers.delete(action);
    this.#after?.delete(action);
    return this;
  }

  handlerOf(action: string): AnyHandler | undefined {
    return this.#handlers.get(action);
  }

  /**
   * The catch-all: answers every incoming action (CALL or SEND) of this version that has no handler of its own,
   * instead of NotSupported. The request is validated before it runs and its response after, as for `handle`;
   * `ctx.action` names the action. undefined removes it.
   */
  handleOther(handler: AnyHandler | undefined): this {
    if (handler !== undefined && typeof handler !== 'function')
      throw new TypeError('handleOther(handler): handler must be a function');
    this.#fallback = handler;
    return this;
  }

  fallback(): AnyHandler | undefined {
    return this.#fallback;
  }

  /**
   * The catch-all of `after`: a hook that runs after the CALLRESULT of every action without after-hooks of its own
   * (one hook for a whole version, where a hook per action would cost a closure and map entry each).
   */
  afterOther(hook: AnyAfterHook): this {
    if (typeof hook !== 'function') throw new TypeError('afterOther(hook): hook must be a function');
    (this.#afterOther ??= []).push(hook);
    return this;
  }

  afterHooksOf(action: string): AnyAfterHook[] | undefined {
    return this.#after?.get(action) ?? this.#afterOther;
  }

  #check(action: string, method: string): void {
    const descriptor = Object.hasOwn(this.protocol.actions, action) ? this.protocol.actions[action] : undefined;
    if (!descriptor) throw new RangeError(`${method}("${action}"): ${this.protocol.name} has no action "${action}"`);
    if (!receives(descriptor.direction, this.role)) {
      throw new RangeError(
        `${method}("${action}"): ${action} is sent ${descriptor.direction}, a ${this.role === 'cs' ? 'Charging Station' : 'CSMS'} never receives it`,
      );
    }
  }
}
