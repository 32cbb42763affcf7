// A queue wired to a real SQLite store (memory or file), a ManualClock and the transport double, with every event
// recorded, for the queue tests.
import type { ProtocolName } from '../../runtime/protocol.js';
import { ManualClock, settle } from '../../runtime/queue/clock.js';
import {
  MessageQueue,
  type MessageQueueOptions,
  type QueueEvents,
  type RetryPolicy,
} from '../../runtime/queue/queue.js';
import { openSqliteStore, type SqliteStore } from '../../runtime/store/index.js';
import { TransportDouble } from '../helpers/transport-double.js';

export type Recorded = { [K in keyof QueueEvents]: { type: K } & QueueEvents[K] }[keyof QueueEvents];

export interface Harness {
  store: SqliteStore;
  queue: MessageQueue;
  transport: TransportDouble;
  clock: ManualClock;
  events: Recorded[];
  retry: RetryPolicy;
  /** Closes the queue and the store (to simulate a restart, then call `reopen`). */
  stop(): void;
  /** A new store, queue and transport on the same file and clock, as after a process restart. */
  reopen(): Harness;
}

export interface HarnessOptions extends Partial<Omit<MessageQueueOptions, 'store' | 'transport' | 'clock' | 'retry'>> {
  file?: string;
  clock?: ManualClock;
  retry?: RetryPolicy;
}

export function harness(opts: HarnessOptions = {}): Harness {
  const {
    file,
    clock = new ManualClock(),
    retry = { attempts: 3, intervalSec: 60 },
    protocol = 'ocpp2.0.1' as ProtocolName,
    ...rest
  } = opts;
  const store = openSqliteStore(file ?? ':memory:');
  const transport = new TransportDouble();
  const h: Harness = {
    store,
    transport,
    clock,
    events: [],
    retry,
    queue: undefined as never,
    stop() {
      h.queue.close();
      store.close();
    },
    reopen() {
      if (!file) throw new Error('reopen needs a file');
      h.stop();
      return harness({ ...opts, clock, retry: h.retry });
    },
  };
  h.queue = new MessageQueue({ store, transport, clock, protocol, retry: () => h.retry, ...rest });
  for (const type of ['sent', 'attemptFailed', 'discarded', 'dropped', 'overBound', 'error'] as const) {
    h.queue.on(type, (e) => h.events.push({ type, ...e } as Recorded));
  }
  return h;
}

/** Goes online, enqueues the given TransactionEvents and lets the queue hand the first one to the transport. */
export async function onlineWith(h: Harness, ...events: Record<string, unknown>[]): Promise<void> {
  h.queue.setOnline(true);
  for (const e of events) h.queue.enqueue('TransactionEvent', e);
  await settle();
}

/** The events of one type, typed. */
export function eventsOf<K extends keyof QueueEvents>(h: Harness, type: K): (QueueEvents[K] & { type: K })[] {
  return h.events.filter((e): e is Extract<Recorded, { type: K }> => e.type === type) as never;
}
