// Drives use cases through the real Shell without sockets or real time: the ports record what the station would
// send or do, and the test decides each CALL's answer. For pure flow tests; socket-level behaviour is tested with
// station-harness.ts against the built-in CSMS. With `queue: true` the sends go through the real outgoing dispatcher
// and durable queue (seqNo, offline flag, retries, `queueSent` events), over a transport the test answers.
import { ManualClock } from '../../runtime/queue/clock.js';
import { OutgoingDispatcher, type SendResult } from '../../runtime/queue/dispatcher.js';
import { MessageQueue } from '../../runtime/queue/queue.js';
import type { CallOutcome } from '../../runtime/queue/transport.js';
import { Shell, type ShellPorts } from '../../runtime/station/core/shell.js';
import type {
  AnyUseCase,
  EvseLayout,
  HardwareCall,
  MeterReading,
  PublicEvent,
  QueueSentEvent,
  StationEvent,
} from '../../runtime/station/core/types.js';
import { ModelVariables, variablesChanged, withShorthand } from '../../runtime/station/core/variables.js';
import { DeviceModel, type DeviceModelConfig } from '../../runtime/station/device-model/index.js';
import { testLayout, TEST_VARIABLES } from './station-harness.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import type { Store } from '../../runtime/store/types.js';

export interface Sent {
  action: string;
  payload: any;
  direct: boolean;
  /** Settles the CALL: a CALLRESULT payload, or a SendResult for other outcomes. */
  answer(response: unknown): void;
  fail(result: SendResult): void;
  /** With `queue: true`: how the transport reports a failed CALL (a CALLERROR, a timeout, a lost connection). */
  failCall?(outcome: Exclude<CallOutcome, { kind: 'result' }>): void;
}

export interface Driver {
  shell: Shell;
  clock: ManualClock;
  store: Store;
  variables: ModelVariables;
  model: DeviceModel;
  sent: Sent[];
  hardware: HardwareCall[];
  emitted: PublicEvent[];
  online: boolean[];
  restarts: string[];
  /** What the meters read (view.meter), per EVSE (0: the main meter); tests set them. */
  readings: Map<number, MeterReading[]>;
  /** Results of hardware calls by op (default undefined), e.g. `unlockConnector: false`. */
  hardwareResults: Map<string, unknown>;
  dispatch(event: StationEvent): void;
  /** Sends not yet answered, optionally of one action. */
  pending(action?: string): Sent[];
  /** Lets promise callbacks run (answers reach the use cases). */
  settle(): Promise<void>;
  /** With `queue: true`: the real queue and dispatcher the sends go through. */
  queue?: MessageQueue;
  dispatcher?: OutgoingDispatcher;
}

export interface DriveOptions {
  evses?: EvseLayout[];
  variables?: Record<string, string | number | boolean>;
  deviceModel?: DeviceModelConfig;
  store?: Store;
  /** Send through the real dispatcher and queue (seqNo, offline, retries); default: record the sends directly. */
  queue?: boolean;
  clock?: ManualClock;
  /** The device model's version (its catalogue); default 2.0.1. */
  version?: 'ocpp2.0.1' | 'ocpp2.1';
  /** With `queue: true`: the queue's bound (MessageQueueOptions.maxMessages), for the drop policy. */
  maxMessages?: number;
  /** Performs `transfer` effects (e.g. runTransfer against a real server); without it they fail as unsupported. */
  transfer?: ShellPorts['transfer'];
}

export function drive(useCases: AnyUseCase[], options: DriveOptions = {}): Driver {
  const clock = options.clock ?? new ManualClock(Date.UTC(2025, 0, 1));
  const store = options.store ?? openSqliteStore(':memory:');
  const evses = testLayout(options.evses ?? [{ id: 1, connectors: [{ id: 1 }] }]);
  // The real device model (2.0.1), on the same store: the use cases read their settings from it.
  const model = new DeviceModel({
    version: options.version ?? 'ocpp2.0.1',
    store,
    layout: { supplyPhases: 3, evses },
    config: withShorthand(options.deviceModel, {
      ...TEST_VARIABLES,
      'SecurityCtrlr.SecurityProfile': 1,
      ...options.variables,
    }),
    clock: () => new Date(clock.now()),
  });
  const variables = new ModelVariables(() => model);
  const sent: Sent[] = [];
  const settled = new Set<Sent>();
  const record = (direct: boolean) => (action: string, payload: unknown) =>
    new Promise<SendResult>((resolve) => {
      const s: Sent = {
        action,
        payload,
        direct,
        answer: (response) => (settled.add(s), resolve({ status: 'sent', response })),
        fail: (result) => (settled.add(s), resolve(result)),
      };
      sent.push(s);
    });
  const d: Omit<Driver, 'shell'> & { shell?: Shell } = {
    clock,
    store,
    variables,
    model,
    sent,
    hardware: [],
    emitted: [],
    online: [],
    restarts: [],
    readings: new Map(),
    hardwareResults: new Map(),
    dispatch: (e) => d.shell!.dispatch(e),
    pending: (action) => sent.filter((s) => !settled.has(s) && (!action || s.action === action)),
    settle: async () => {
      for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
    },
  };
  let queue: MessageQueue | undefined;
  let dispatcher: OutgoingDispatcher | undefined;
  if (options.queue) {
    const transport = {
      call: (action: string, payload: unknown) =>
        new Promise<CallOutcome>((resolve) => {
          const s: Sent = {
            action,
            payload,
            direct: false,
            answer: (response) => (settled.add(s), resolve({ kind: 'result', response })),
            fail: (result) => (
              settled.add(s),
              resolve(
                result.status === 'failed' && result.outcome.kind !== 'error'
                  ? result.outcome
                  : { kind: 'callError', code: 'InternalError', description: 'failed' },
              )
            ),
            failCall: (outcome) => (settled.add(s), resolve(outcome)),
          };
          sent.push(s);
        }),
    };
    queue = new MessageQueue({
      store,
      transport,
      protocol: 'ocpp2.0.1',
      clock,
      ...(options.maxMessages ? { maxMessages: options.maxMessages } : {}),
      retry: () => ({
        attempts: variables.int('OCPPCommCtrlr', 'MessageAttempts', { instance: 'TransactionEvent' }) ?? 3,
        intervalSec: variables.int('OCPPCommCtrlr', 'MessageAttemptInterval', { instance: 'TransactionEvent' }) ?? 60,
      }),
    });
    dispatcher = new OutgoingDispatcher({ queue, transport, store, clock });
    // As ChargingStation does: the queue gives back, untyped, what the use cases sent.
    queue.on('sent', (e) =>
      d.shell!.dispatch({
        type: 'queueSent',
        action: e.action,
        payload: e.payload,
        response: e.response,
      } as QueueSentEvent),
    );
    d.queue = queue;
    d.dispatcher = dispatcher;
  }
  const ports: ShellPorts = {
    clock,
    store,
    variables,
    send: dispatcher ? (action, payload, options) => dispatcher!.send(action, payload, options) : record(false),
    sendDirect: record(true),
    // A SEND message (2.1): recorded, never answered.
    sendMessage: async (action, payload) => {
      const s: Sent = { action, payload, direct: true, answer: () => {}, fail: () => {} };
      sent.push(s);
      settled.add(s);
      return true;
    },
    setOnline: async (online, afterBoot) => {
      d.online.push(online);
      await dispatcher?.setOnline(online, { afterBoot });
    },
    hardware: async (call) => {
      d.hardware.push(call);
      return d.hardwareResults.get(call.op);
    },
    setVariable: (e) => variables.set(e.component, e.variable, e.value, e),
    applyVariables: (writes) => model.apply(writes),
    emit: (event) => void d.emitted.push(event),
    restart: (reason) => void d.restarts.push(reason),
    meter: (evseId) => d.readings.get(evseId) ?? [],
    ...(options.transfer ? { transfer: options.transfer } : {}),
    // The real queue's messages; without it, a TransactionEvent the test has not answered yet counts as queued (E14).
    queued: (transactionId) =>
      queue
        ? queue
            .entries()
            .some((m) => m.action === 'TransactionEvent' && (transactionId === undefined || m.txKey === transactionId))
        : d
            .pending('TransactionEvent')
            .some((m) => transactionId === undefined || m.payload.transactionInfo?.transactionId === transactionId),
  };
  d.shell = new Shell('CS001', evses, useCases, ports);
  model.onChange((c) => d.shell!.dispatch(variablesChanged(c)));
  return d as Driver;
}
