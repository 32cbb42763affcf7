// N09 Get Customer Information, N10 Clear Customer Information. The station reports (and clears) what it keeps about
// one customer, named by an idToken, a customer certificate or a customerIdentifier: the authorization cache
// (block C), the local authorization list (block D, reported but never cleared: only the CSMS changes it, N10.FR.03),
// the transactions running for the token (block E, reported; they end as they must and are not erased midway), and
// what the integrator keeps elsewhere (the `customerInformation` hook: ocppkit holds no customer certificates and
// no customerIdentifier). The answer comes first; the NotifyCustomerInformation parts follow once the hook answered.
import type {
  CertificateHashDataType,
  CustomerInformationRequest,
  IdTokenType,
  NotifyCustomerInformationRequest,
} from '../../../generated/v201/types.js';
import type { CustomerInformationRequest as CustomerInformationRequest21 } from '../../../generated/v21/types.js';
import { stationToken } from '../core/tokens.js';
import { byEventType, type Effect, type StationView, type Step, type UseCase } from '../core/types.js';

/** Whom a CustomerInformationRequest is about: exactly one of the three (N09.FR.09). */
export interface CustomerReference {
  idToken?: IdTokenType;
  customerCertificate?: CertificateHashDataType;
  customerIdentifier?: string;
}

declare module '../core/registry.js' {
  interface OwnEvents {
    /** N10: forget this token's customer data (C drops its cache entry). Raised by block N, heard by C. */
    'customerInformation.clear': { idToken: IdTokenType };
    /** The integrator's hook did not answer in time: report what ocppkit has. */
    'customerInformation.timeout': { requestId: number };
  }
  interface HardwareOperations {
    /**
     * N09/N10: what the station keeps about this customer beyond ocppkit's own data (logs, receipts, a payment
     * terminal …), as human-readable lines; with `clear`, delete it too and return what was deleted. Nothing (or an
     * empty list): no such data. Without this callback only ocppkit's own data is reported.
     */
    customerInformation(
      customer: CustomerReference,
      clear: boolean,
    ): readonly string[] | undefined | Promise<readonly string[] | undefined>;
  }
}

export interface CustomerInformationState {
  /** The request being answered (one at a time; another one meanwhile is Rejected, N09.FR.03, N10.FR.05). */
  pending?: { requestId: number; report: boolean; clear: boolean; lines: string[] };
}

const TAG = 'customerInformation';
const TIMER = 'customerInformation.timeout';
/** How long the integrator's hook may take before the report goes out without its data. */
const HOOK_TIMEOUT_MS = 60_000;
/** NotifyCustomerInformationRequest.data is string[0..512]. */
const DATA_MAX = 512;

export const customerInformationUseCase: UseCase<CustomerInformationState> = {
  name: 'customerInformation',
  init: () => ({}),

  answers: {
    CustomerInformation(state, request, view) {
      const customer = referenceOf(request);
      const given = Object.keys(customer).length;
      // N09.FR.09: one reference, no more and no less.
      if (given !== 1) return { response: { status: 'Invalid', statusInfo: { reasonCode: 'InvalidValue' } } };
      // N09.FR.07, N10.FR.07: neither report nor clear asks for nothing.
      if (!request.report && !request.clear)
        return { response: { status: 'Rejected', statusInfo: { reasonCode: 'MissingParam' } } };
      if (state.pending) return { response: { status: 'Rejected', statusInfo: { reasonCode: 'InvalidMessageSeq' } } };
      const lines = ownData(customer, view);
      const effects: Effect[] = [
        { type: 'hardware', call: { op: 'customerInformation', args: [customer, request.clear] }, tag: TAG },
        {
          type: 'timer',
          id: TIMER,
          ms: HOOK_TIMEOUT_MS,
          event: { type: 'customerInformation.timeout', requestId: request.requestId },
        },
      ];
      // N10.FR.03/06: everything but the local list goes.
      if (request.clear && customer.idToken)
        effects.unshift({ type: 'dispatch', event: { type: 'customerInformation.clear', idToken: customer.idToken } });
      return {
        state: { pending: { requestId: request.requestId, report: request.report, clear: request.clear, lines } },
        response: { status: 'Accepted' }, // N09.FR.02, N10.FR.01
        after: effects,
      };
    },
  },

  on: byEventType({
    hardwareDone: (state, event, view) =>
      event.tag === TAG && state.pending ? finish(state.pending, hookLines(event.result), view) : undefined,
    // A failing hook: report what ocppkit has.
    hardwareFailed: (state, event, view) =>
      event.tag === TAG && state.pending
        ? finish(state.pending, [`integrator data not available: ${event.error.message}`], view)
        : undefined,
    'customerInformation.timeout': (state, event, view) =>
      state.pending?.requestId === event.requestId
        ? finish(state.pending, ['integrator data not available: no answer in time'], view)
        : undefined,
    disconnected: (state) => (state.pending ? { state: {}, effects: [{ type: 'cancelTimer', id: TIMER }] } : undefined),
  }),
};

function referenceOf(request: CustomerInformationRequest | CustomerInformationRequest21): CustomerReference {
  return {
    // A 2.1 idToken may have any type string; the blocks keep tokens in 2.0.1's shape (core/tokens.ts).
    ...(request.idToken ? { idToken: stationToken(request.idToken) } : {}),
    ...(request.customerCertificate ? { customerCertificate: request.customerCertificate } : {}),
    ...(request.customerIdentifier !== undefined ? { customerIdentifier: request.customerIdentifier } : {}),
  };
}

/** What ocppkit itself keeps about an idToken, one line per item (asked of the blocks that keep it). */
function ownData(customer: CustomerReference, view: StationView): string[] {
  const token = customer.idToken;
  if (!token) return [];
  const name = `${token.type} ${token.idToken}`;
  const lines: string[] = [];
  const cached = view.query.cachedIdToken?.(token);
  if (cached)
    lines.push(
      `authorization cache: ${name}, status ${cached.info.status}, stored ${iso(cached.insertedAt)}, last used ${iso(cached.lastUsedAt)}, ${cached.uses} uses`,
    );
  const listed = view.query.localListIdToken?.(token);
  if (listed) lines.push(`local authorization list: ${name}, status ${listed.status}`);
  for (const t of view.query.transactionsOfToken?.(token) ?? [])
    lines.push(
      `transaction ${t.transactionId} on EVSE ${t.evseId}, started ${iso(t.startedAt)}, authorized by ${name}`,
    );
  return lines;
}

const iso = (ms: number) => new Date(ms).toISOString();

function hookLines(result: unknown): string[] {
  if (!Array.isArray(result)) return [];
  return result.filter((l): l is string => typeof l === 'string' && l.length > 0);
}

/**
 * The NotifyCustomerInformation parts: the data found (N09.FR.05, N10.FR.03), else one message saying none was
 * found (N09.FR.06, N10.FR.04); clearing without a report sends one message saying it was cleared (N10.FR.06).
 * seqNo from 0, tbc on all but the last, the request's requestId in each.
 */
function finish(
  pending: NonNullable<CustomerInformationState['pending']>,
  extra: string[],
  view: StationView,
): Step<CustomerInformationState> {
  const lines = [...pending.lines, ...extra];
  const texts = !pending.report
    ? [lines.length ? `customer data cleared (${lines.length} items)` : 'no customer data found; nothing to clear']
    : lines.length
      ? chunks(lines.join('\n'))
      : ['no customer data found'];
  const generatedAt = new Date(view.now()).toISOString();
  const parts: NotifyCustomerInformationRequest[] = texts.map((data, seqNo) => ({
    data,
    tbc: seqNo < texts.length - 1,
    seqNo,
    generatedAt,
    requestId: pending.requestId,
  }));
  return {
    state: {},
    effects: [
      { type: 'cancelTimer', id: TIMER },
      ...parts.map((payload): Effect => ({ type: 'send', action: 'NotifyCustomerInformation', payload })),
    ],
  };
}

/** The text in pieces of at most 512 characters (code points, as the schema counts). */
function chunks(text: string): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += DATA_MAX) out.push(chars.slice(i, i + DATA_MAX).join(''));
  return out;
}
