// The outgoing CALLs of one session: at most one outstanding, the others waiting in order (OCPP-J 1.6 §4.1.1,
// Part 4 §4.1.1), correlated with their answer by MessageId, and timed out when unanswered.
import { CallTimeoutError, ConnectionClosedError } from './errors.js';
import type { TimerHandle, Timers } from './timers.js';

export interface PendingCall {
  readonly id: string;
  readonly action: string;
  readonly payload: unknown;
  /** The serialized CALL frame. */
  readonly text: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  readonly timeoutMs: number;
  /** When it times out (Timers.now() time); set when it is sent. */
  deadline: number;
}

export const SEND_CALL = Symbol('ocppkit.rpc.sendCall');
export const CALL_TIMED_OUT = Symbol('ocppkit.rpc.callTimedOut');

/** What the outbox needs from its session (symbol-keyed: not part of the session's public API). */
export interface OutboxHost {
  /** Writes the CALL to the socket; false when the socket is not open (the CALL then stays queued). */
  [SEND_CALL](call: PendingCall): boolean;
  [CALL_TIMED_OUT](call: PendingCall): void;
}

export class Outbox {
  readonly #timers: Timers;
  readonly #host: OutboxHost;
  #inFlight: PendingCall | null = null;
  #queue: PendingCall[] | null = null;
  /**
   * One timer for all CALLs of the session, re-armed lazily: an answered CALL leaves it running, and when it fires
   * it checks the outstanding CALL's deadline (saves a setTimeout/clearTimeout pair per CALL).
   */
  #timer: TimerHandle | undefined;
  #timerAt = 0;

  constructor(timers: Timers, host: OutboxHost) {
    this.#timers = timers;
    this.#host = host;
  }

  /** CALLs waiting behind the outstanding one. */
  get queued(): number {
    return this.#queue?.length ?? 0;
  }

  /** Sends `call` now if none is outstanding, otherwise queues it. */
  add(call: PendingCall): void {
    if (this.#inFlight === null) this.#dispatch(call);
    else (this.#queue ??= []).push(call);
  }

  /** Takes the outstanding CALL if `id` is its MessageId (undefined: an unknown, late or foreign answer). */
  take(id: string): PendingCall | undefined {
    const call = this.#inFlight;
    if (call === null || call.id !== id) return undefined;
    this.#inFlight = null;
    return call;
  }

  /** Sends the next waiting CALL, once the outstanding one has been settled. */
  next(): void {
    const queue = this.#queue;
    if (this.#inFlight === null && queue !== null && queue.length > 0) this.#dispatch(queue.shift()!);
  }

  /** The connection closed: the outstanding CALL may have been processed (sent: true), the waiting ones were not. */
  failAll(): void {
    const inFlight = this.#inFlight;
    const queue = this.#queue;
    this.#inFlight = null;
    this.#queue = null;
    this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (inFlight)
      inFlight.reject(
        new ConnectionClosedError(
          `connection closed before ${inFlight.action} (message ${inFlight.id}) was answered`,
          true,
        ),
      );
    if (queue)
      for (const call of queue)
        call.reject(new ConnectionClosedError(`connection closed: ${call.action} was not sent`, false));
  }

  #dispatch(call: PendingCall): void {
    if (!this.#host[SEND_CALL](call)) {
      (this.#queue ??= []).unshift(call);
      return;
    }
    this.#inFlight = call;
    const now = this.#timers.now();
    call.deadline = now + call.timeoutMs;
    if (this.#timer === undefined || this.#timerAt > call.deadline) this.#arm(call.deadline, now);
  }

  #arm(at: number, now: number): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = this.#timers.setTimeout(Outbox.#onTimer, at - now, this);
  }

  static #onTimer(outbox: Outbox): void {
    outbox.#timer = undefined;
    const call = outbox.#inFlight;
    if (call === null) return;
    const now = outbox.#timers.now();
    if (now < call.deadline) return outbox.#arm(call.deadline, now);
    // Part 4 §4.1.1: the CALL has timed out; the next one may go.
    outbox.#inFlight = null;
    outbox.#host[CALL_TIMED_OUT](call);
    call.reject(new CallTimeoutError(call.action, call.id, call.timeoutMs));
    outbox.next();
  }
}
