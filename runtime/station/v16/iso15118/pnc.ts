// The Charge Point's side of the Plug & Charge application note for OCPP 1.6 that keeps state: the V2G certificate
// signing (its §3.1, 2.0.1 A02/A03) and the contract authorizations the CSMS gave (its §5, 2.0.1 C07).
//
// Signing: on the note's TriggerMessage (messages.ts raises `v16.pnc.sign`) or the integrator's
// `certificates.renew('V2GCertificate')`, a new key pair and CSR are made off the pure path (2.x block M's
// createKeyAndCsr and key folder) and sent as a wrapped SignCertificate. If the CSMS accepts it but no
// CertificateSigned follows, another CSR is made after CertSigningWaitMinimum seconds, the wait doubling each time,
// CertSigningRepeatTimes times at most (the note's §9.3/9.4; 0 seconds: never). A CSMS that refuses the wrapped
// message (Rejected, UnknownVendorId, UnknownMessageId) is not asked again until a trigger (the note's §2.1).
//
// Authorization: an Authorize the CSMS accepted through the note (api.ts) is kept for a short while so that the
// transaction started with the eMAID as idTag does not send the plain Authorize the note forbids (its §5): the
// 1.6 authorization block asks `contractAuthorized16`.
import type { IdTagInfo } from '../../../../generated/v16/types.js';
import type { Family16 } from '../../core/family.js';
import { byEventType, type Effect, type StationView, type Step, type UseCase } from '../../core/types.js';
import { createKeyAndCsr } from '../../M-certificates/pki.js';
import type { KeyFolder } from '../../M-certificates/store.js';
import '../../M-certificates/certificates.js';
import { bool16, int16 } from '../configuration/read.js';
import { dataObject } from '../data-transfer/data-transfer.js';
import '../core-profile/authorization.js';
import { PNC_VENDOR } from './messages.js';

declare module '../../core/registry.js' {
  interface OwnEvents {
    /** The CSMS asked for a V2G certificate (the note's TriggerMessage). */
    'v16.pnc.sign': object;
    /** The key pair and CSR for a V2G certificate were made (attempt: SignCertificates for this request so far). */
    'v16.pnc.csr': { csr: string; keyId: string; attempt: number };
    'v16.pnc.csrFailed': { error: string };
    /** No CertificateSigned within the back-off: time for another CSR. */
    'v16.pnc.retry': { attempt: number };
    /** A CertificateSigned for the CSR of `keyId` was installed. */
    'v16.pnc.signed': { keyId: string };
    /** The CSMS accepted a contract (the note's Authorize): the eMAID may start a transaction without Authorize. */
    'v16.pnc.authorized': { idTag: string; idTagInfo: IdTagInfo };
  }
  interface StationQueries {
    /** The V2G CSR sent and not yet answered with a usable CertificateSigned. */
    pendingV2gCsr16(): { keyId: string } | undefined;
    /** The CSMS's recent answer to the note's Authorize for this eMAID. */
    contractAuthorized16(idTag: string): IdTagInfo | undefined;
  }
}

/** How long a contract authorization stands in for the plain Authorize of the transaction that follows it. */
export const CONTRACT_AUTHORIZATION_MS = 120_000;
const RETRY_TIMER = 'v16.pnc.retry';
const SIGN_TAG = 'v16.pnc.sign';

export interface PncState {
  /** `waiting`: the CSMS accepted it and the back-off runs (armed again after a restart). */
  csr?: { keyId: string; csr: string; attempt: number; waiting?: boolean };
  /** Key pairs being made: a second trigger meanwhile does not start another. Not kept. */
  making?: boolean;
  authorized: Record<string, { info: IdTagInfo; at: number }>;
}

type View = StationView<Family16>;
type S = Step<PncState, Family16>;

const tagKey = (idTag: string) => idTag.toLowerCase();

function makeCsr(view: View, keys: KeyFolder, attempt: number): Effect<Family16> {
  const organization = view.query.config16?.('CpoName') || undefined;
  return {
    type: 'task',
    name: 'key pair and CSR for the V2G certificate',
    run: async () => {
      try {
        const made = await createKeyAndCsr({ ...(organization ? { organization } : {}), commonName: view.identity });
        return { type: 'v16.pnc.csr', csr: made.csr, keyId: keys.write(made.privateKey), attempt };
      } catch (error) {
        return { type: 'v16.pnc.csrFailed', error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

/**
 * The timer for another CSR after SignCertificate number `attempt` was accepted: CertSigningWaitMinimum doubled
 * attempt − 1 times; none once CertSigningRepeatTimes doublings were made, or with a wait of 0.
 */
function backoff(view: View, attempt: number): Effect<Family16> | undefined {
  const wait = int16(view, 'CertSigningWaitMinimum');
  if (wait <= 0 || attempt - 1 >= int16(view, 'CertSigningRepeatTimes')) return undefined;
  return {
    type: 'timer',
    id: RETRY_TIMER,
    ms: wait * 1000 * 2 ** (attempt - 1),
    event: { type: 'v16.pnc.retry', attempt },
  };
}

const log = (level: 'info' | 'warn' | 'error', message: string): Effect<Family16> => ({
  type: 'emit',
  event: { type: 'log', level, message },
});

export function pnc16UseCase(options: { keys: KeyFolder | undefined }): UseCase<PncState, Family16> {
  const start = (state: PncState, view: View, attempt: number): S | undefined => {
    if (!bool16(view, 'ISO15118PnCEnabled'))
      return { state, effects: [log('warn', 'no V2G certificate: ISO15118PnCEnabled is false')] };
    if (!options.keys || state.making) return undefined;
    return { state: { ...state, making: true }, effects: [makeCsr(view, options.keys, attempt)] };
  };
  return {
    name: 'v16.pnc',
    init(_view, saved) {
      const s = (saved ?? {}) as Partial<PncState>;
      return { ...(s.csr ? { csr: s.csr } : {}), authorized: {} };
    },
    save: (state) => (state.csr ? { csr: state.csr } : {}),
    queries: {
      pendingV2gCsr16: (state) => (state.csr ? { keyId: state.csr.keyId } : undefined),
      contractAuthorized16(state, view, idTag) {
        const found = state.authorized[tagKey(idTag)];
        return found && view.now() - found.at < CONTRACT_AUTHORIZATION_MS ? found.info : undefined;
      },
    },
    on: byEventType<PncState, Family16>({
      'v16.pnc.sign': (state, _event, view) => start(state, view, 1),
      'certificates.sign': (state, event, view) => (event.use === 'V2GCertificate' ? start(state, view, 1) : undefined),
      'v16.pnc.retry': (state, event, view) =>
        state.csr && state.csr.attempt === event.attempt ? start(state, view, event.attempt + 1) : undefined,
      'v16.pnc.csr'(state, event) {
        const old = state.csr;
        const keys = options.keys;
        return {
          state: { ...state, making: false, csr: { keyId: event.keyId, csr: event.csr, attempt: event.attempt } },
          effects: [
            { type: 'cancelTimer', id: RETRY_TIMER },
            {
              type: 'send',
              action: 'DataTransfer',
              payload: {
                vendorId: PNC_VENDOR,
                messageId: 'SignCertificate',
                data: JSON.stringify({ csr: event.csr, certificateType: 'V2GCertificate' }),
              },
              tag: SIGN_TAG,
            },
            { type: 'persist' },
            // A CSR made before and not answered is abandoned, and its key with it.
            ...(old && keys && old.keyId !== event.keyId
              ? [
                  {
                    type: 'task' as const,
                    name: 'discard an abandoned V2G key',
                    run: async () => (keys.remove(old.keyId), undefined),
                  },
                ]
              : []),
          ],
        };
      },
      'v16.pnc.csrFailed': (state, event) => ({
        state: { ...state, making: false },
        effects: [log('error', `no V2G CSR: ${event.error}`)],
      }),
      reply(state, event, view) {
        if (event.action !== 'DataTransfer' || event.tag !== SIGN_TAG || !state.csr) return undefined;
        const r = event.result;
        const inner = r.status === 'sent' && r.response.status === 'Accepted' ? dataObject(r.response.data) : undefined;
        if (inner?.['status'] !== 'Accepted') {
          // The note's §2.1: a CSMS without the note (or one that refuses) is not asked again until it triggers.
          const why = r.status === 'sent' ? `DataTransfer ${r.response.status}` : r.status;
          return { state, effects: [log('warn', `SignCertificate (V2G) not accepted: ${why}`)] };
        }
        const timer = backoff(view, state.csr.attempt);
        if (!timer) return undefined;
        return { state: { ...state, csr: { ...state.csr, waiting: true } }, effects: [timer, { type: 'persist' }] };
      },
      // A back-off cut by a restart starts again (the CSR it waits for is still the one the CSMS has).
      started: (state, _event, view) => {
        const timer = state.csr?.waiting ? backoff(view, state.csr.attempt) : undefined;
        return timer ? { state, effects: [timer] } : undefined;
      },
      'v16.pnc.signed': (state, event) =>
        state.csr?.keyId === event.keyId
          ? {
              state: { ...state, csr: undefined },
              effects: [{ type: 'cancelTimer', id: RETRY_TIMER }, { type: 'persist' }],
            }
          : undefined,
      'v16.pnc.authorized': (state, event, view) => ({
        state: {
          ...state,
          authorized: { ...state.authorized, [tagKey(event.idTag)]: { info: event.idTagInfo, at: view.now() } },
        },
      }),
      // Used once: the transaction it was for has its answer.
      'v16.authorize.result'(state, event) {
        const key = tagKey(event.idTag);
        if (!state.authorized[key]) return undefined;
        const { [key]: _used, ...authorized } = state.authorized;
        return { state: { ...state, authorized } };
      },
    }),
  };
}
