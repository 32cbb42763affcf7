// The RPC session as the queue and the shell need it: a CALL whose outcome is a value (CallOutcome), never an
// exception the caller has to classify.
import type { SendResult } from '../../queue/dispatcher.js';
import type { CallOutcome, Transport } from '../../queue/transport.js';
import { CallErrorResponse, CallTimeoutError, ConnectionClosedError } from '../../rpc/errors.js';

/** The part of a session the transport uses (any version's: the payload was built for the negotiated one). */
interface CallingSession {
  callByName(action: string, payload: unknown): Promise<unknown>;
  sendByName(action: string, payload: unknown): Promise<void>;
}

export class SessionTransport implements Transport {
  readonly #current: () => CallingSession | undefined;

  constructor(current: () => CallingSession | undefined) {
    this.#current = current;
  }

  async call(action: string, payload: unknown): Promise<CallOutcome> {
    const session = this.#current();
    if (!session) return { kind: 'disconnected' };
    try {
      return { kind: 'result', response: await session.callByName(action, payload) };
    } catch (error) {
      if (error instanceof CallErrorResponse)
        return { kind: 'callError', code: error.code, description: error.description, details: error.details };
      if (error instanceof CallTimeoutError) return { kind: 'timeout' };
      if (error instanceof ConnectionClosedError) return { kind: 'disconnected' };
      // An outgoing payload the RPC layer refused (a bug in the use case), an invalid response: the caller decides.
      throw error;
    }
  }

  /** A SEND message (2.1): written if connected; false when it was not (it is never queued or retried). */
  async sendMessage(action: string, payload: unknown): Promise<boolean> {
    const session = this.#current();
    if (!session) return false;
    try {
      await session.sendByName(action, payload);
      return true;
    } catch (error) {
      if (error instanceof ConnectionClosedError) return false;
      throw error;
    }
  }

  /** A direct CALL (outside the queue), as the dispatcher would report it. */
  async send(action: string, payload: unknown): Promise<SendResult> {
    try {
      const outcome = await this.call(action, payload);
      return outcome.kind === 'result' ? { status: 'sent', response: outcome.response } : { status: 'failed', outcome };
    } catch (error) {
      return { status: 'failed', outcome: { kind: 'error', error } };
    }
  }
}
