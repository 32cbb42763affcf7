// The RPC session as the queue and the shell need it: a CALL whose outcome is a value (CallOutcome), never an
// exception the caller has to classify.
import type { SendResult } from '../../queue/dispatcher.js';
import type { CallOutcome, Transport } from '../../queue/transport.js';
import { CallErrorResponse, CallTimeoutError, ConnectionClosedError } from '../../rpc/errors.js';

/** The part of a session the transport uses (any version's: the payload was built for the negotiated one). */
interface CallingSession {
  call(action: never, payload: never): Promise<unknown>;
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
      const call = session.call as (a: string, p: unknown) => Promise<unknown>;
      return { kind: 'result', response: await call.call(session, action, payload) };
    } catch (error) {
      if (error instanceof CallErrorResponse) return { kind: 'callError', code: error.code, description: error.description, details: error.details };
      if (error instanceof CallTimeoutError) return { kind: 'timeout' };
      if (error instanceof ConnectionClosedError) return { kind: 'disconnected' };
      // An outgoing payload the RPC layer refused (a bug in the use case), an invalid response: the caller decides.
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
