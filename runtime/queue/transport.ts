// The boundary between the queue and the wire. The RPC layer's station session is adapted to this interface;
// tests use a double. It is deliberately small: one call, and an outcome that says what happened instead of an
// exception whose type the queue would have to guess.

/**
 * What became of one CALL:
 * - `result`: a CALLRESULT arrived (its payload is `response`).
 * - `callError`: a CALLERROR arrived: the CSMS failed to process the message (counts as a failed attempt, E13).
 * - `timeout`: no answer within the message timeout while connected (counts as a failed attempt, E13).
 * - `disconnected`: the connection closed before an answer (not a failed attempt: the station is offline, and the
 *   message is sent again after reconnecting).
 */
export type CallOutcome =
  | { kind: 'result'; response: unknown }
  | { kind: 'callError'; code: string; description?: string; details?: unknown }
  | { kind: 'timeout' }
  | { kind: 'disconnected' };

export interface Transport {
  /**
   * Sends `payload` as a CALL of `action` and resolves with its outcome. Every call is a new CALL with a new
   * message id (OCPP-J 2.x Part 4 §4.1.4: "This also applies to retries of messages"). Calls may overlap (a queued
   * message and a direct one); the transport keeps to one outstanding CALL on the wire (Part 4 §4.1.1). A rejected
   * promise (a bug, an outgoing payload the RPC layer refuses) counts as a failed attempt.
   */
  call(action: string, payload: unknown): Promise<CallOutcome>;
}
