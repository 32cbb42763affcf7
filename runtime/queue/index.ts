// ocppkit's transactional message queue and the station's outgoing-message policy.
export {
  MessageQueue,
  SEQ_NAMESPACE,
  TXID_NAMESPACE,
  type EnqueueResult,
  type FailureKind,
  type MessageQueueOptions,
  type QueueEvents,
  type RetryPolicy,
} from './queue.js';
export {
  OutgoingDispatcher,
  LINK_NAMESPACE,
  STATUS_NAMESPACE,
  type DispatcherOptions,
  type SendOptions,
  type SendResult,
} from './dispatcher.js';
export { isTransactionAction, type EnqueueOptions } from './messages.js';
export { chooseVictim, type DropCandidate } from './drop-policy.js';
export type { CallOutcome, Transport } from './transport.js';
export { ManualClock, systemClock, type Clock, type TimerHandle } from './clock.js';
