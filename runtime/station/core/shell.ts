// The thin shell around the pure use cases: it feeds them events one at a time, keeps their state, and performs
// the effects they return. Everything with a side effect goes through the ports given to the constructor, so a test
// can drive a whole station with a ManualClock and recorded ports.
import type { Clock, TimerHandle } from '../../queue/clock.js';
import type { SendResult } from '../../queue/dispatcher.js';
import type { Store } from '../../store/types.js';
import type { Family2x, InAction, SendsAction, StationFamily } from './family.js';
import type { HardwareCall, StationQueries } from './registry.js';
import type {
  AnyUseCase,
  Effect,
  EvseLayout,
  MeterReading,
  PublicEvent,
  SendEffect,
  StationContext,
  StationEvent,
  StationView,
  StoreOp,
  VariableReader,
} from './types.js';
import { messageOf } from '../../error-text.js';
import type { TransferOutcome, TransferRequest } from '../../transfer/types.js';

/** Where the shell's effects go. */
export interface ShellPorts {
  clock: Clock;
  store: Store;
  variables: VariableReader;
  /** A CALL through the outgoing dispatcher (queue and offline policy). */
  send(action: string, payload: unknown, options?: { queue?: boolean; transaction?: string }): Promise<SendResult>;
  /** A CALL straight to the connection (BootNotification, messages triggered while Pending). */
  sendDirect(action: string, payload: unknown): Promise<SendResult>;
  /** A SEND message (2.1) to the connection, if there is one; false when it was not written. Without it: dropped. */
  sendMessage?(action: string, payload: unknown): Promise<boolean>;
  setOnline(online: boolean, afterBoot: boolean): Promise<void>;
  hardware(call: HardwareCall): Promise<unknown>;
  setVariable(effect: Extract<Effect<StationFamily>, { type: 'setVariable' }>): void;
  applyVariables(writes: Extract<Effect<StationFamily>, { type: 'applyVariables' }>['writes']): void;
  emit(event: PublicEvent): void;
  restart(reason: Extract<Effect<StationFamily>, { type: 'restart' }>['reason']): void;
  /** Reconnect with the current credentials (A01). Without it, nothing happens. */
  reconnect?(why: string): void;
  /** The latest readings of an EVSE's meter (0: the main meter). Without it, no readings. */
  meter?(evseId: number): readonly MeterReading[];
  /** Whether TransactionEvents are queued, of one transaction or any. Without it, none. */
  queued?(transactionId?: string): boolean;
  /**
   * Performs a file transfer (runtime/transfer/runTransfer with the station's settings); resolves with the outcome,
   * never rejects. Without it, every transfer fails as `unsupported`.
   */
  transfer?(request: TransferRequest, signal: AbortSignal): Promise<TransferOutcome>;
  /** The station, for the use cases shared by every station (`StationView.station`). */
  station?: StationContext;
}

const STATE_NAMESPACE = 'station.state';

/** What a use case's `persist` effect kept, read before the shell exists (e.g. the network profiles at start-up). */
export function savedState<T>(store: Store, useCase: string): T | undefined {
  return store.get<T>(STATE_NAMESPACE, useCase);
}

/**
 * Which use cases of a list provide which query, by their indices in the list: worked out once per layout of the
 * queries (the stations of a fleet have the same blocks) and shared by the shells whose use cases provide the same
 * queries at the same places.
 */
type QueryPlan = ReadonlyMap<string, readonly number[]>;
const PLANS = new Map<string, QueryPlan>();
const PLAN_LIMIT = 16;

function planOf<F extends StationFamily>(useCases: readonly AnyUseCase<F>[]): QueryPlan {
  const key = useCases.map((uc) => (uc.queries ? Object.keys(uc.queries).join(',') : '')).join(';');
  const known = PLANS.get(key);
  if (known) return known;
  const plan = new Map<string, number[]>();
  for (const [i, uc] of useCases.entries())
    for (const name of Object.keys(uc.queries ?? {})) {
      const list = plan.get(name);
      if (list) list.push(i);
      else plan.set(name, [i]);
    }
  if (PLANS.size >= PLAN_LIMIT) PLANS.delete(PLANS.keys().next().value!);
  PLANS.set(key, plan);
  return plan;
}

/** A shell's `query` object: its target holds the shell's `ask` and the query functions it has made so far. */
interface QueryTarget {
  plan: QueryPlan;
  /** Asks the use cases at `providers` (their indices). */
  ask: (name: string, providers: readonly number[], args: unknown[]) => unknown;
  made: Record<string, (...args: unknown[]) => unknown>;
}
const queryFunction = (t: QueryTarget, name: string) =>
  (t.made[name] ??= (...args: unknown[]) => t.ask(name, t.plan.get(name)!, args));
/** One handler for every shell's `query` (a handler per station would be ~10 closures each, issue 18). */
const QUERY_HANDLER: ProxyHandler<QueryTarget> = {
  get: (t, name) => (typeof name === 'string' && t.plan.has(name) ? queryFunction(t, name) : undefined),
  has: (t, name) => typeof name === 'string' && t.plan.has(name),
  ownKeys: (t) => [...t.plan.keys()],
  getOwnPropertyDescriptor: (t, name) =>
    typeof name === 'string' && t.plan.has(name)
      ? { value: queryFunction(t, name), enumerable: true, configurable: true, writable: false }
      : undefined,
};

/**
 * The `query` of a shell: each query's function is made when it is first asked, so that a station does not hold
 * one closure per query that it never uses; which use cases provide it is the shared plan of its list.
 */
function queriesOf<F extends StationFamily>(
  useCases: readonly AnyUseCase<F>[],
  ask: QueryTarget['ask'],
): Partial<StationQueries> {
  const target: QueryTarget = { plan: planOf(useCases), ask, made: {} };
  // The proxy stands for StationQueries: `get` gives each declared query's function, and only those.
  return new Proxy(target, QUERY_HANDLER) as unknown as Partial<StationQueries>;
}

export class Shell<F extends StationFamily = Family2x> implements StationView<F> {
  readonly identity: string;
  readonly evses: readonly EvseLayout[];
  version: F['version'] | undefined;
  connected = false;
  readonly query: Partial<StationQueries>;
  readonly #ports: ShellPorts;
  readonly #useCases: readonly AnyUseCase<F>[];
  /** Each use case's state, at its index in #useCases (an array: thousands of stations per process, issue 18). */
  readonly #states: unknown[];
  readonly #events: StationEvent<F>[] = [];
  readonly #timers = new Map<string, TimerHandle>();
  /** Running transfers by tag; made at the first transfer (most stations of a simulated fleet never run one). */
  #transfers: Map<string, AbortController> | undefined;
  /**
   * After-effects of answered CALLs, by message id, until the RPC layer reports the CALLRESULT was sent; made at
   * the first answer that has some.
   */
  #afterEffects: Map<string, { uc: AnyUseCase<F>; effects: Effect<F>[] }> | undefined;
  #draining = false;
  #clockOffsetMs = 0;
  #stopped = false;

  constructor(identity: string, evses: readonly EvseLayout[], useCases: readonly AnyUseCase<F>[], ports: ShellPorts) {
    this.identity = identity;
    this.evses = evses;
    this.#useCases = useCases;
    this.#ports = ports;
    const names = new Set<string>();
    for (const uc of useCases) {
      if (names.has(uc.name)) throw new Error(`two use cases are named "${uc.name}"`);
      names.add(uc.name);
    }
    this.query = queriesOf(useCases, (name, providers, args) => this.#ask(name, providers, args));
    this.#states = useCases.map((uc) => uc.init(this, ports.store.get(STATE_NAMESPACE, uc.name)));
  }

  /**
   * A query asked of the use cases that provide it, in registration order: the first answer that is neither
   * undefined nor false is the answer (so an integrator's use case can add to a block's, e.g. transactions it runs
   * itself), else the last one's.
   */
  #ask(name: string, providers: readonly number[], args: unknown[]): unknown {
    let answer: unknown;
    for (const i of providers) {
      // Each provider is `QueryProvider<S>` of its use case's own state S, which #states holds for it.
      const provide = this.#useCases[i]!.queries![name as keyof StationQueries] as (
        state: unknown,
        view: unknown,
        ...args: unknown[]
      ) => unknown;
      answer = provide(this.#states[i], this, ...args);
      if (answer !== undefined && answer !== false) return answer;
    }
    return answer;
  }

  // --- StationView --------------------------------------------------------------------------------------------

  get variables(): VariableReader {
    return this.#ports.variables;
  }

  get store(): Store {
    return this.#ports.store;
  }

  get station(): StationContext | undefined {
    return this.#ports.station;
  }

  now(): number {
    return this.#ports.clock.now() + this.#clockOffsetMs;
  }

  meter(evseId: number): readonly MeterReading[] {
    return this.#ports.meter?.(evseId) ?? [];
  }

  queued(transactionId?: string): boolean {
    return this.#ports.queued?.(transactionId) ?? false;
  }

  /**
   * A use case's state, for tests and diagnostics only: it is not on StationView, so no use case reads another's
   * state (they ask each other's queries). The caller names the state type it expects.
   */
  stateOf<S = unknown>(useCase: string): S | undefined {
    return this.#states[this.#useCases.findIndex((uc) => uc.name === useCase)] as S | undefined;
  }

  // --- Driving the use cases ----------------------------------------------------------------------------------

  /** Feeds an event to every use case, in registration order; events raised meanwhile follow in order. */
  dispatch(event: StationEvent<F>): void {
    if (this.#stopped) return;
    this.#events.push(event);
    this.#drain();
  }

  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (let e = this.#events.shift(); e && !this.#stopped; e = this.#events.shift()) {
        if (e.type === 'connected') {
          this.connected = true;
          this.version = e.version;
        } else if (e.type === 'disconnected') {
          // `version` stays that of the last connection: what the station speaks again when it reconnects, and what
          // the messages it queues meanwhile are written in.
          this.connected = false;
        }
        // Indexed: the hottest loop of a fleet (every event × every use case), without an entry pair per step.
        for (let i = 0; i < this.#useCases.length; i++) {
          const uc = this.#useCases[i]!;
          if (!uc.on || !this.#runs(uc)) continue;
          let step;
          try {
            step = uc.on(this.#states[i], e, this);
          } catch (err) {
            this.#fault(`use case ${uc.name} failed on ${e.type}`, err);
            continue;
          }
          if (!step) continue;
          this.#states[i] = step.state;
          if (step.effects) this.#run(uc, step.effects);
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  /**
   * Whether the use case runs now: one without `versions` always; one of some versions only while one of them is
   * negotiated (and, while disconnected, with the version it last ran with).
   */
  #runs(uc: AnyUseCase<F>): boolean {
    return uc.versions === undefined || (this.version !== undefined && uc.versions.includes(this.version));
  }

  /** Actions some use case answers in `version`. */
  answeredActions(version?: F['version']): string[] {
    const answering = this.#useCases.filter(
      (uc) => version === undefined || uc.versions === undefined || uc.versions.includes(version),
    );
    return [...new Set(answering.flatMap((uc) => Object.keys(uc.answers ?? {})))];
  }

  /**
   * Asks the use cases that depend on a device-model variable whether `value` is acceptable (their `validates`):
   * undefined when it is, else the reasonCode for a Rejected SetVariables result (B10.FR.02).
   */
  validateVariable(component: string, variable: string, value: string): string | undefined {
    // Device-model names match case-insensitively.
    const key = `${component}.${variable}`.toLowerCase();
    for (const [i, uc] of this.#useCases.entries()) {
      if (!this.#runs(uc)) continue;
      const check = Object.entries(uc.validates ?? {}).find(([k]) => k.toLowerCase() === key)?.[1];
      if (!check) continue;
      const reason = check(value, this.#states[i], this);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }

  /** Messages some use case can send on a TriggerMessage. */
  triggerable(): Set<string> {
    return new Set(this.#useCases.flatMap((uc) => (this.#runs(uc) ? (uc.triggers ?? []) : [])));
  }

  /** Whether the use case owning a triggerable message can send it now (F06.FR.05/10). */
  canTrigger(requestedMessage: string, evse: { id: number; connectorId?: number } | undefined): boolean {
    return this.#useCases.some(
      (uc, i) =>
        this.#runs(uc) &&
        uc.triggers?.includes(requestedMessage) === true &&
        (uc.canTrigger?.(this.#states[i], requestedMessage, evse, this) ?? true),
    );
  }

  /**
   * Answers a CSMS request; the after-effects wait for `answered(messageId)`. Throws what the use case throws (the
   * RPC layer turns that into a CALLERROR). An answer that depends on the hardware is a promise.
   *
   * `request` comes from the RPC layer, which validated it against the schema of `action` in the negotiated version
   * before calling: it is `InRequestOf<F, K>`, which is what the answerer is typed to take.
   */
  answer(action: string, request: unknown, messageId: string): unknown {
    const index = this.#answering(action);
    const uc = this.#useCases[index];
    if (!uc) throw new Error(`no use case answers ${action}`);
    const answerer = uc.answers![action as InAction<F>]! as (
      state: unknown,
      request: unknown,
      view: StationView<F>,
    ) => ReturnType<NonNullable<NonNullable<AnyUseCase<F>['answers']>[InAction<F>]>>;
    const before = this.#states[index];
    const result = answerer(before, request, this);
    const fallback = 'persistOrAnswer' in result ? result.persistOrAnswer : undefined;
    const keepState = fallback !== undefined && uc.save !== undefined;
    if (keepState || result.commit?.length) {
      // What the response vouches for is on disk before it goes out: the new state and the answer's store writes,
      // in one transaction.
      const store = this.#ports.store;
      try {
        store.transaction(() => {
          if (keepState) store.put(STATE_NAMESPACE, uc.name, uc.save!(result.state ?? before));
          if (result.commit?.length) this.#write(result.commit);
        });
      } catch (err) {
        this.#fault(`${uc.name} could not keep what it answers ${action} with`, err);
        if (fallback !== undefined) return fallback;
        throw err;
      }
    }
    if (result.state !== undefined) this.#states[index] = result.state;
    if (result.after?.length) (this.#afterEffects ??= new Map()).set(messageId, { uc, effects: result.after });
    if ('askHardware' in result) {
      const { call, respond } = result.askHardware;
      return this.#ports.hardware(call).then(
        (value) => respond({ ok: true, result: value }),
        (error: unknown) => respond({ ok: false, error: error instanceof Error ? error : new Error(String(error)) }),
      );
    }
    return result.response;
  }

  /** The index of the running use case that answers `action` (-1: none). */
  #answering(action: string): number {
    return this.#useCases.findIndex(
      (u) => u.answers !== undefined && Object.hasOwn(u.answers, action) && this.#runs(u),
    );
  }

  /** The CALLRESULT of `messageId` was written to the socket: perform what follows the answer. */
  answered(messageId: string): void {
    const after = this.#afterEffects?.get(messageId);
    this.#afterEffects?.delete(messageId);
    if (!after) return;
    this.#run(after.uc, after.effects);
    // The effects may have raised events; handle them now.
    this.#drain();
  }

  /** Forgets after-effects of a CALL whose answer could not be sent (the connection closed first). */
  discardAnswer(messageId: string): void {
    this.#afterEffects?.delete(messageId);
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers.values()) this.#ports.clock.clearTimeout(t);
    this.#timers.clear();
    for (const c of this.#transfers?.values() ?? []) c.abort();
    this.#transfers?.clear();
    this.#events.length = 0;
    this.#afterEffects?.clear();
  }

  // --- Effects -----------------------------------------------------------------------------------------------

  #run(uc: AnyUseCase<F>, effects: readonly Effect<F>[]): void {
    for (const effect of effects) {
      try {
        this.#perform(uc, effect);
      } catch (err) {
        this.#fault(`effect ${effect.type} of ${uc.name} failed`, err);
      }
    }
  }

  #perform(uc: AnyUseCase<F>, effect: Effect<F>): void {
    switch (effect.type) {
      case 'send':
        return this.#send(effect);
      case 'sendMessage':
        return this.#sendMessage(effect.action, effect.payload);
      case 'timer': {
        this.#clearTimer(effect.id);
        const handle = this.#ports.clock.setTimeout(
          () => {
            this.#timers.delete(effect.id);
            this.dispatch(effect.event);
          },
          Math.max(0, effect.ms),
        );
        this.#timers.set(effect.id, handle);
        return;
      }
      case 'cancelTimer':
        return this.#clearTimer(effect.id);
      case 'hardware': {
        const tag = effect.tag;
        this.#ports.hardware(effect.call).then(
          (result) => tag && this.dispatch({ type: 'hardwareDone', tag, result }),
          (error: unknown) => {
            this.#fault(`hardware ${effect.call.op} failed`, error);
            if (tag)
              this.dispatch({
                type: 'hardwareFailed',
                tag,
                error: error instanceof Error ? error : new Error(String(error)),
              });
          },
        );
        return;
      }
      case 'transfer':
        return this.#transfer(effect.tag, effect.request);
      case 'cancelTransfer':
        this.#transfers?.get(effect.tag)?.abort();
        this.#transfers?.delete(effect.tag);
        return;
      case 'task':
        effect.run().then(
          (event) => event && !this.#stopped && this.dispatch(event),
          (error: unknown) => this.#fault(`task ${effect.name} of ${uc.name} failed`, error),
        );
        return;
      case 'emit':
        return this.#ports.emit(effect.event);
      case 'dispatch':
        this.#events.push(effect.event);
        return this.#drain();
      case 'setOnline':
        // Once stopped, the queue is closed: a late setOnline failing then is expected, not a fault.
        this.#ports
          .setOnline(effect.online, effect.afterBoot === true)
          .catch((err: unknown) => this.#stopped || this.#fault('going online failed', err));
        return;
      case 'syncClock': {
        const t = Date.parse(effect.currentTime);
        if (Number.isFinite(t)) this.#clockOffsetMs = t - this.#ports.clock.now();
        return;
      }
      case 'persist':
        if (uc.save) this.#ports.store.put(STATE_NAMESPACE, uc.name, uc.save(this.#states[this.#useCases.indexOf(uc)]));
        return;
      case 'storeWrite':
        return this.#write(effect.ops);
      case 'setVariable':
        return this.#ports.setVariable(effect);
      case 'applyVariables':
        return this.#ports.applyVariables(effect.writes);
      case 'restart':
        return this.#ports.restart(effect.reason);
      case 'reconnect':
        return this.#ports.reconnect?.(effect.why);
    }
  }

  /** Store operations in one transaction (joining an outer one). */
  #write(ops: readonly StoreOp[]): void {
    const store = this.#ports.store;
    store.transaction(() => {
      for (const op of ops) {
        if (op.op === 'put') store.put(op.namespace, op.key, op.value);
        else if (op.op === 'delete') store.delete(op.namespace, op.key);
        else store.clear(op.namespace, op.prefix);
      }
    });
  }

  #send(effect: SendEffect<F>): void {
    const reply = (result: SendResult) => {
      // The RPC layer validated a CALLRESULT against the response schema of `effect.action`: this is ReplyEvent<F>.
      if (effect.tag)
        this.dispatch({ type: 'reply', tag: effect.tag, action: effect.action, result } as StationEvent<F>);
    };
    const options = {
      ...(effect.queue ? { queue: true } : {}),
      ...(effect.transaction !== undefined ? { transaction: effect.transaction } : {}),
    };
    const sending = effect.direct
      ? this.#ports.sendDirect(effect.action, effect.payload)
      : this.#ports.send(effect.action, effect.payload, Object.keys(options).length ? options : undefined);
    sending.then(reply, (error: unknown) => {
      this.#fault(`sending ${effect.action} failed`, error);
      reply({ status: 'failed', outcome: { kind: 'error', error } });
    });
  }

  #sendMessage(action: SendsAction<F>, payload: unknown): void {
    const send = this.#ports.sendMessage;
    if (!send) return;
    send(action, payload).catch((error: unknown) => this.#fault(`sending ${action} failed`, error));
  }

  #transfer(tag: string, request: TransferRequest): void {
    const transfers = (this.#transfers ??= new Map());
    transfers.get(tag)?.abort();
    const controller = new AbortController();
    transfers.set(tag, controller);
    const run = this.#ports.transfer;
    const pending: Promise<TransferOutcome> = run
      ? run(request, controller.signal)
      : Promise.resolve({ ok: false, error: 'unsupported', message: 'this station performs no file transfers' });
    pending
      .catch((err: unknown): TransferOutcome => ({
        ok: false,
        error: 'local',
        message: `the transfer failed: ${messageOf(err)}`,
      }))
      .then((outcome) => {
        // A canceled (or replaced) transfer reports nothing: its use case has moved on.
        if (controller.signal.aborted || transfers.get(tag) !== controller) return;
        transfers.delete(tag);
        this.dispatch({ type: 'transferDone', tag, outcome });
      });
  }

  #clearTimer(id: string): void {
    const t = this.#timers.get(id);
    if (t) this.#ports.clock.clearTimeout(t);
    this.#timers.delete(id);
  }

  #fault(what: string, err: unknown): void {
    this.#ports.emit({
      type: 'log',
      level: 'error',
      message: `${what}: ${messageOf(err)}`,
    });
  }
}
