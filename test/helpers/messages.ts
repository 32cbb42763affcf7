// Payload builders for queue tests: minimal but schema-shaped station→CSMS messages.
const iso = (ms: number) => new Date(ms).toISOString();

/** A 2.x TransactionEventRequest (seqNo is the queue's to fill in). */
export function txEvent(
  transactionId: string,
  eventType: 'Started' | 'Updated' | 'Ended',
  at: number,
  triggerReason = eventType === 'Started'
    ? 'CablePluggedIn'
    : eventType === 'Ended'
      ? 'EVCommunicationLost'
      : 'MeterValuePeriodic',
  wh?: number,
): Record<string, unknown> {
  return {
    eventType,
    timestamp: iso(at),
    triggerReason,
    seqNo: 0,
    transactionInfo: { transactionId },
    evse: { id: 1, connectorId: 1 },
    ...(wh === undefined ? {} : { meterValue: [{ timestamp: iso(at), sampledValue: [{ value: wh }] }] }),
  };
}

export function startTx16(at: number, meterStart = 0): Record<string, unknown> {
  return { connectorId: 1, idTag: 'TAG1', meterStart, timestamp: iso(at) };
}

export function stopTx16(at: number, meterStop: number): Record<string, unknown> {
  // transactionId is a placeholder the queue replaces with the CSMS's id.
  return { transactionId: -1, meterStop, timestamp: iso(at), reason: 'Local' };
}

export function meterValues16(at: number, wh: number): Record<string, unknown> {
  return { connectorId: 1, meterValue: [{ timestamp: iso(at), sampledValue: [{ value: String(wh) }] }] };
}
