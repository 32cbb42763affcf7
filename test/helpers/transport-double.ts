// A stand-in for the RPC session at the queue's boundary: it records every CALL handed to it (a copy of the payload
// as it would go on the wire) and lets the test decide each outcome. Nothing else: no ordering, retry or timing
// logic of its own, so a test sees exactly what the queue did.
import type { CallOutcome, Transport } from '../../runtime/queue/transport.js';

export interface WireCall {
  readonly action: string;
  readonly payload: Record<string, unknown>;
  readonly settled: boolean;
  result(response?: unknown): void;
  callError(code?: string, description?: string): void;
  timeout(): void;
  disconnect(): void;
}

export class TransportDouble implements Transport {
  /** Every CALL, in the order the queue handed them over. */
  readonly calls: WireCall[] = [];
  /** When set, every new CALL is answered with what this returns (after the current microtask). */
  autoRespond: ((action: string, payload: Record<string, unknown>) => CallOutcome) | null = null;

  call(action: string, payload: unknown): Promise<CallOutcome> {
    return new Promise<CallOutcome>((resolve) => {
      let settled = false;
      const settle = (o: CallOutcome) => {
        if (settled) throw new Error(`test bug: ${action} answered twice`);
        settled = true;
        resolve(o);
      };
      const c: WireCall = {
        action,
        payload: structuredClone(payload) as Record<string, unknown>,
        get settled() {
          return settled;
        },
        result: (response = {}) => settle({ kind: 'result', response }),
        callError: (code = 'InternalError', description = '') => settle({ kind: 'callError', code, description }),
        timeout: () => settle({ kind: 'timeout' }),
        disconnect: () => settle({ kind: 'disconnected' }),
      };
      this.calls.push(c);
      const auto = this.autoRespond;
      if (auto) queueMicrotask(() => settle(auto(action, c.payload)));
    });
  }

  /** CALLs still waiting for an outcome. */
  get open(): WireCall[] {
    return this.calls.filter((c) => !c.settled);
  }

  /** The only open CALL (fails the test when there is not exactly one). */
  pending(): WireCall {
    const open = this.open;
    if (open.length !== 1)
      throw new Error(`expected exactly one open CALL, found ${open.length}: ${open.map((c) => c.action).join(', ')}`);
    return open[0]!;
  }
}

/** A CSMS that accepts everything: StartTransaction gets increasing transactionIds from `firstId`. */
export function acceptingCsms(firstId = 100): (action: string) => CallOutcome {
  let next = firstId;
  return (action) =>
    action === 'StartTransaction'
      ? { kind: 'result', response: { transactionId: next++, idTagInfo: { status: 'Accepted' } } }
      : { kind: 'result', response: action === 'TransactionEvent' ? {} : { currentTime: new Date(0).toISOString() } };
}
