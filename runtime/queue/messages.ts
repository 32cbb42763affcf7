// What the queue must know about OCPP messages, per version: which outgoing messages are transaction-related, to
// which transaction they belong, which may be dropped, and what is filled in just before a message goes on the wire
// (2.x seqNo and offline, 1.6 the CSMS's transactionId). Only the fields read here are checked; the full payload is
// validated by the RPC layer against the generated validators when it is sent.
import type { ProtocolName } from '../protocol.js';
import type { OutboxLane, OutboxMeta, OutboxRole } from '../store/types.js';

export interface EnqueueOptions {
  /**
   * 1.6 only: the station's own id of the transaction a StartTransaction, StopTransaction or MeterValues belongs to.
   * The CSMS assigns the transactionId in StartTransaction.conf; the queue keeps the mapping and writes the CSMS's
   * id into StopTransaction / MeterValues when they are sent.
   */
  transaction?: string;
}

export interface Classified {
  lane: OutboxLane;
  txKey: string | null;
  role: OutboxRole;
  eventTime: number;
}

/** 2.x triggerReasons of an Updated event that reports only meter values: the ones the drop policy may thin out. */
const METER_ONLY_TRIGGERS = new Set(['MeterValuePeriodic', 'MeterValueClock']);

export const is2x = (p: ProtocolName): boolean => p === 'ocpp2.0.1' || p === 'ocpp2.1';

/**
 * Transaction-related messages: 2.x TransactionEvent (E04.FR.01, E12.FR.01); 1.6 StartTransaction, StopTransaction
 * and MeterValues (1.6 §3.7 counts periodic and clock-aligned MeterValues among them).
 */
export function isTransactionAction(protocol: ProtocolName, action: string): boolean {
  return is2x(protocol)
    ? action === 'TransactionEvent'
    : action === 'StartTransaction' || action === 'StopTransaction' || action === 'MeterValues';
}

function record(payload: unknown, where: string): Record<string, unknown> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    throw new TypeError(`${where}: payload must be an object`);
  // send() accepted it as a non-array object.
  return payload as Record<string, unknown>;
}

function timeOf(p: Record<string, unknown>, field: string, where: string): number {
  const v = p[field];
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(t))
    throw new TypeError(`${where}.${field}: expected an RFC 3339 date-time string, got ${JSON.stringify(v)}`);
  return t;
}

/** Classifies a transaction-related message (throws a TypeError naming the field when the payload cannot be one). */
export function classifyTransaction(
  protocol: ProtocolName,
  action: string,
  payload: unknown,
  opts: EnqueueOptions,
): Classified {
  const where = `${action}Request`;
  const p = record(payload, where);
  if (is2x(protocol)) {
    if (opts.transaction !== undefined)
      throw new TypeError(
        `options.transaction: only for 1.6; a ${protocol} TransactionEvent names its transaction in transactionInfo.transactionId`,
      );
    // transactionInfo of a TransactionEvent the station built.
    const info = p.transactionInfo as Record<string, unknown> | undefined;
    const txId = info && typeof info === 'object' ? info.transactionId : undefined;
    if (typeof txId !== 'string' || txId === '')
      throw new TypeError(
        `${where}.transactionInfo.transactionId: expected a non-empty string, got ${JSON.stringify(txId)}`,
      );
    const eventTime = timeOf(p, 'timestamp', where);
    const role: OutboxRole =
      p.eventType === 'Started'
        ? 'start'
        : p.eventType === 'Ended'
          ? 'end'
          : p.eventType === 'Updated'
            ? METER_ONLY_TRIGGERS.has(p.triggerReason as string)
              ? 'meter'
              : 'update'
            : badEventType(where, p.eventType);
    return { lane: 'tx', txKey: txId, role, eventTime };
  }
  const local = opts.transaction;
  if (local !== undefined && (typeof local !== 'string' || local === ''))
    throw new TypeError(
      `options.transaction: expected a non-empty string (the station's id of the transaction), got ${JSON.stringify(local)}`,
    );
  if (action === 'MeterValues') {
    const eventTime = firstMeterTime(p, where);
    // Without a local transaction the message is sent as it is (a clock-aligned reading, or a transactionId the
    // caller already knows); it is the first to be dropped when the queue is full.
    return local === undefined
      ? { lane: 'tx', txKey: null, role: 'loose', eventTime }
      : { lane: 'tx', txKey: local, role: 'meter', eventTime };
  }
  if (local === undefined)
    throw new TypeError(
      `options.transaction: required for a 1.6 ${action}: the station's id of the transaction, which the queue maps to the CSMS's transactionId`,
    );
  return {
    lane: 'tx',
    txKey: local,
    role: action === 'StartTransaction' ? 'start' : 'end',
    eventTime: timeOf(p, 'timestamp', where),
  };
}

function badEventType(where: string, v: unknown): never {
  throw new TypeError(`${where}.eventType: expected "Started", "Updated" or "Ended", got ${JSON.stringify(v)}`);
}

function firstMeterTime(p: Record<string, unknown>, where: string): number {
  const mv = p.meterValue;
  if (!Array.isArray(mv) || mv.length === 0) throw new TypeError(`${where}.meterValue: expected a non-empty array`);
  return timeOf(record(mv[0], `${where}.meterValue[0]`), 'timestamp', `${where}.meterValue[0]`);
}

/**
 * The payload as it goes on the wire: 2.x TransactionEvent gets the seqNo of its first transmission and
 * `offline: true` when created offline or still queued when the station went offline (E04.FR.03, E11.FR.07,
 * E12.FR.02); a 1.6 message of a transaction gets the CSMS's transactionId.
 */
export function wirePayload(
  protocol: ProtocolName,
  meta: OutboxMeta,
  stored: unknown,
  csmsTransactionId: number | undefined,
): Record<string, unknown> {
  // What the queue stored: a payload object written by this module.
  const p = { ...(stored as Record<string, unknown>) };
  if (is2x(protocol) && meta.action === 'TransactionEvent') {
    p.seqNo = meta.seqNo;
    if (meta.offline) p.offline = true;
  } else if (!is2x(protocol) && meta.txKey !== null && meta.role !== 'start') {
    p.transactionId = csmsTransactionId;
  }
  return p;
}

/** Whether the message carries a seqNo the queue assigns (2.x TransactionEvent). */
export function takesSeqNo(protocol: ProtocolName, action: string): boolean {
  return is2x(protocol) && action === 'TransactionEvent';
}
