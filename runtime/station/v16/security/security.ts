// The 1.6 security whitepaper (edition 3) as far as this block goes: certificate management (certificates.ts:
// InstallCertificate, DeleteCertificate, GetInstalledCertificateIds), GetLog with LogStatusNotification (the security
// log 2.x block A keeps, or the integrator's `diagnosticsLog`, uploaded by the same transfers as 2.x) and
// ExtendedTriggerMessage. The security events are security-log.ts's.
//
// GetLog: Accepted with the file name, Uploading, then Uploaded or — after `retries` more attempts `retryInterval` s
// apart — the failure status that says why; a new GetLog cancels the upload under way (AcceptedCanceled). The job is
// persisted: an upload cut by a reboot is tried again once the CSMS accepted the BootNotification.
import type { UploadLogStatusEnumType } from '../../../../generated/v16/types.js';
import type { Family16 } from '../../core/family.js';
import type { Effect, Step, StationView, UseCase } from '../../core/types.js';
import { readSecurityLog } from '../../A-security/security-log.js';
import { diagnosticsSource, securityLogText, type LogWindow } from '../../N-diagnostics/log-content.js';
import type { TransferErrorKind } from '../../../transfer/types.js';
import { connectorOf } from '../layout.js';
import { securityEvent16 } from './security-log.js';
import { certificateSigned16, makeCsr, type PendingCsr16 } from './sign-certificate.js';
import type { KeyFolder } from '../../M-certificates/store.js';
import { deleteCertificate16, installCertificate16, installedCertificateIds16 } from './certificates.js';
import '../../N-diagnostics/get-log.js';
import '../firmware/firmware.js';
import '../configuration/configuration.js';
import '../../M-certificates/certificates.js';

declare module '../../core/registry.js' {
  interface OwnEvents {
    /** A retry of the GetLog upload is due. */
    'v16.log.retry': { requestId: number };
  }
}

export interface LogJob16 {
  requestId: number;
  logType: 'DiagnosticsLog' | 'SecurityLog';
  remoteLocation: string;
  oldestTimestamp?: string;
  latestTimestamp?: string;
  filename: string;
  retries: number;
  retryIntervalSec: number;
  failures: number;
}

export interface Security16State {
  log?: LogJob16;
  resume?: boolean;
  /** The CSR sent for a new ChargePointCertificate, until CertificateSigned brings a usable one. */
  csr?: PendingCsr16;
}

export interface Security16Options {
  /** The integrator gave `diagnosticsLog`. */
  canDiagnose: boolean;
  /** CertificateStoreMaxLength. */
  maxCertificates: number;
  /** Where the station's private keys go; without it no CSR can be made (SignChargePointCertificate Rejected). */
  keys: KeyFolder | undefined;
  /** The integrator's CSMS roots (`csms.tls.ca`, PEM): a signed certificate may lead to one of them. */
  configuredRoots: readonly string[];
}

type E = Effect<Family16>;
type S = Step<Security16State, Family16>;

const TRANSFER = 'v16.log';
const SOURCE = 'v16.log.source';
const TIMER = 'v16.log.retry';
const PROTOCOLS = ['http:', 'https:', 'ftp:', 'ftps:'];
const persist: E = { type: 'persist' };
const logStatus = (requestId: number, status: UploadLogStatusEnumType): E => ({
  type: 'send',
  action: 'LogStatusNotification',
  payload: { status, requestId },
});

/** The failure status that says why (the whitepaper's UploadLogStatusEnumType). */
function failureStatus(error: TransferErrorKind | 'empty'): UploadLogStatusEnumType {
  if (error === 'permission') return 'PermissionDenied';
  if (error === 'unsupported') return 'NotSupportedOperation';
  if (error === 'badUrl') return 'BadMessage';
  return 'UploadFailure';
}

const windowOf = (job: LogJob16): LogWindow => ({
  ...(job.oldestTimestamp !== undefined ? { oldest: Date.parse(job.oldestTimestamp) } : {}),
  ...(job.latestTimestamp !== undefined ? { latest: Date.parse(job.latestTimestamp) } : {}),
});

const requestIdOf = (requestId: number | undefined) => (requestId !== undefined ? { requestId } : {});

const nonNegative = (n: number | undefined, fallback: number) =>
  n !== undefined && Number.isInteger(n) && n >= 0 ? n : fallback;

export function security16UseCase(options: Security16Options): UseCase<Security16State, Family16> {
  function attempt(state: Security16State, job: LogJob16, view: StationView<Family16>, effects: E[]): S {
    if (job.logType === 'DiagnosticsLog') {
      const window = {
        ...(job.oldestTimestamp !== undefined ? { oldestTimestamp: job.oldestTimestamp } : {}),
        ...(job.latestTimestamp !== undefined ? { latestTimestamp: job.latestTimestamp } : {}),
      };
      return {
        state: { ...state, log: job },
        effects: [
          ...effects,
          persist,
          { type: 'hardware', tag: SOURCE, call: { op: 'diagnosticsLog', args: [window] } },
        ],
      };
    }
    const text = securityLogText(readSecurityLog(view.store), windowOf(job));
    return upload(state, job, text === undefined ? undefined : { text }, effects);
  }

  function upload(
    state: Security16State,
    job: LogJob16,
    source: ReturnType<typeof diagnosticsSource>,
    effects: E[],
  ): S {
    if (!source) return failed(state, job, 'empty', 'the log source gave nothing to upload', effects);
    return {
      state: { ...state, log: job },
      effects: [
        ...effects,
        persist,
        {
          type: 'transfer',
          tag: TRANSFER,
          request: { kind: 'upload', url: job.remoteLocation, name: job.filename, source },
        },
      ],
    };
  }

  function failed(
    state: Security16State,
    job: LogJob16,
    error: TransferErrorKind | 'empty',
    message: string,
    effects: E[] = [],
  ): S {
    const failures = job.failures + 1;
    const log: E = {
      type: 'emit',
      event: {
        type: 'log',
        level: 'warn',
        message: `log upload ${failures} of ${job.retries + 1} failed (${error}): ${message}`,
      },
    };
    if (failures > job.retries || error === 'empty')
      return {
        state: { ...state, log: undefined },
        effects: [...effects, log, logStatus(job.requestId, failureStatus(error)), persist],
      };
    return {
      state: { ...state, log: { ...job, failures } },
      effects: [
        ...effects,
        log,
        {
          type: 'timer',
          id: TIMER,
          ms: job.retryIntervalSec * 1000,
          event: { type: 'v16.log.retry', requestId: job.requestId },
        },
        persist,
      ],
    };
  }

  return {
    name: 'v16.security',
    init(_view, saved) {
      // Written by `save` (or nothing on a first start).
      const s = (saved ?? {}) as Security16State;
      return { ...(s.log ? { log: s.log } : {}), ...(s.csr ? { csr: s.csr } : {}) };
    },
    save: (state) => ({ ...(state.log ? { log: state.log } : {}), ...(state.csr ? { csr: state.csr } : {}) }),

    on(state, event, view) {
      // The whitepaper's hardware events (tamper detection, memory exhaustion, maintenance logins), as 2.x block A.
      if (event.type === 'security.detected')
        return { state, effects: securityEvent16(view, event.securityEvent, event.techInfo) };
      // TC_073_CS: once ChangeConfiguration.conf is out, the next connection carries the new AuthorizationKey.
      if (event.type === 'v16.config.changed' && event.key === 'AuthorizationKey')
        return {
          state,
          effects: [
            ...securityEvent16(view, 'ReconfigurationOfSecurityParameters', 'AuthorizationKey changed'),
            { type: 'reconnect', why: 'AuthorizationKey changed' },
          ],
        };
      // A05.FR.06/07 (TC_083_CS): once ChangeConfiguration.conf is out, the station reconnects with the new
      // SecurityProfile (Station16 picks its connection); a fallback by the station itself (A05.FR.08) too.
      if (event.type === 'v16.config.changed' && event.key === 'SecurityProfile')
        return {
          state,
          effects: [
            ...securityEvent16(view, 'ReconfigurationOfSecurityParameters', `SecurityProfile ${event.value}`),
            { type: 'reconnect', why: `SecurityProfile ${event.value}` },
          ],
        };
      // The integrator's `certificates.renew()` (2.x block M's API) on 1.6: the whitepaper's renewal initiated by the
      // Charge Point (its A03), the same CSR as ExtendedTriggerMessage SignChargePointCertificate makes.
      if (event.type === 'certificates.sign' && event.use === 'ChargingStationCertificate')
        return options.keys
          ? { state, effects: [makeCsr(view, options.keys)] }
          : {
              state,
              effects: [
                {
                  type: 'emit',
                  event: { type: 'log', level: 'error', message: 'no CSR: no key folder (store in memory)' },
                },
              ],
            };
      if (event.type === 'v16.cert.csr') {
        // A CSR made before and not answered is abandoned, and its key with it.
        const old = state.csr;
        const keys = options.keys;
        return {
          state: { ...state, csr: { keyId: event.keyId, csr: event.csr } },
          effects: [
            { type: 'send', action: 'SignCertificate', payload: { csr: event.csr } },
            { type: 'persist' },
            ...(old && keys && old.keyId !== event.keyId
              ? [
                  {
                    type: 'task' as const,
                    name: 'discard an abandoned key',
                    run: async () => (keys.remove(old.keyId), undefined),
                  },
                ]
              : []),
          ],
        };
      }
      if (event.type === 'v16.cert.csrFailed')
        return {
          state,
          effects: [{ type: 'emit', event: { type: 'log', level: 'error', message: `no CSR: ${event.error}` } }],
        };
      const job = state.log;
      if (event.type === 'started') return job ? { state: { ...state, log: job, resume: true } } : undefined;
      if (!job) return undefined;
      switch (event.type) {
        case 'reply': {
          if (event.action !== 'BootNotification' || !state.resume) return undefined;
          if (event.result.status !== 'sent' || event.result.response.status !== 'Accepted') return undefined;
          // The reboot cut the upload: that attempt failed; the next one starts with Uploading again.
          const failures = job.failures + 1;
          if (failures > job.retries)
            return { state: {}, effects: [logStatus(job.requestId, 'UploadFailure'), persist] };
          return attempt({}, { ...job, failures }, view, [logStatus(job.requestId, 'Uploading')]);
        }
        case 'v16.log.retry':
          return event.requestId === job.requestId && !state.resume ? attempt(state, job, view, []) : undefined;
        case 'hardwareDone':
          return event.tag === SOURCE ? upload(state, job, diagnosticsSource(event.result), []) : undefined;
        case 'hardwareFailed':
          return event.tag === SOURCE
            ? failed(state, job, 'empty', `diagnosticsLog failed: ${event.error.message}`)
            : undefined;
        case 'transferDone':
          if (event.tag !== TRANSFER) return undefined;
          if (event.outcome.ok)
            return { state: { ...state, log: undefined }, effects: [logStatus(job.requestId, 'Uploaded'), persist] };
          return failed(state, job, event.outcome.error, event.outcome.message);
        default:
          return undefined;
      }
    },

    answers: {
      CertificateSigned: (state, request, view) =>
        certificateSigned16(state, state.csr, request.certificateChain, view, options.keys, options.configuredRoots, {
          ...state,
          csr: undefined,
        }),
      InstallCertificate: (_state, request, view) =>
        installCertificate16(request, view, { maxEntries: options.maxCertificates }),
      DeleteCertificate: (_state, request, view) => deleteCertificate16(request, view),
      GetInstalledCertificateIds: (_state, request, view) => ({
        response: installedCertificateIds16(request.certificateType, view),
      }),

      GetLog(state, request, view) {
        const { log, logType, requestId } = request;
        let url: URL | undefined;
        try {
          url = new URL(log.remoteLocation);
        } catch {
          url = undefined;
        }
        if (!url || !PROTOCOLS.includes(url.protocol)) return { response: { status: 'Rejected' } };
        const job: LogJob16 = {
          requestId,
          logType,
          remoteLocation: log.remoteLocation,
          ...(log.oldestTimestamp !== undefined ? { oldestTimestamp: log.oldestTimestamp } : {}),
          ...(log.latestTimestamp !== undefined ? { latestTimestamp: log.latestTimestamp } : {}),
          filename: `${view.identity}-${logType === 'SecurityLog' ? 'security' : 'diagnostics'}-${requestId}.log`,
          retries: nonNegative(request.retries, 0),
          retryIntervalSec: nonNegative(request.retryInterval, 30),
          failures: 0,
        };
        // Rejected when the log asked for is not there: no diagnostics source, no security event in the window.
        if (logType === 'DiagnosticsLog' && !options.canDiagnose) return { response: { status: 'Rejected' } };
        if (logType === 'SecurityLog' && securityLogText(readSecurityLog(view.store), windowOf(job)) === undefined)
          return { response: { status: 'Rejected' } };
        const current = state.log;
        const cancel: E[] = current
          ? [
              { type: 'cancelTransfer', tag: TRANSFER },
              { type: 'cancelTimer', id: TIMER },
            ]
          : [];
        const started = attempt(state, job, view, [...cancel, logStatus(requestId, 'Uploading')]);
        return {
          state: started.state,
          response: { status: current ? 'AcceptedCanceled' : 'Accepted', filename: job.filename },
          after: started.effects ?? [],
        };
      },

      ExtendedTriggerMessage(state, request, view) {
        const id = request.connectorId;
        if (id !== undefined && id !== 0 && !connectorOf(view.evses, id)) return { response: { status: 'Rejected' } };
        const accepted = (after: E[]) => ({ response: { status: 'Accepted' as const }, after });
        switch (request.requestedMessage) {
          case 'LogStatusNotification':
            return accepted([
              {
                type: 'send',
                action: 'LogStatusNotification',
                payload: state.log ? { status: 'Uploading', requestId: state.log.requestId } : { status: 'Idle' },
                direct: true,
              },
            ]);
          case 'FirmwareStatusNotification':
            // The whitepaper's trigger of a firmware status is SignedFirmwareStatusNotification.
            return accepted([
              {
                type: 'send',
                action: 'SignedFirmwareStatusNotification',
                payload: {
                  status: view.query.firmwareStatus16?.() ?? 'Idle',
                  ...requestIdOf(view.query.signedFirmwareRequest16?.()),
                },
                direct: true,
              },
            ]);
          case 'SignChargePointCertificate':
            // Without a key folder (a store in memory) the station cannot keep a private key.
            if (!options.keys) return { response: { status: 'Rejected' } };
            return accepted([makeCsr(view, options.keys)]);
          default:
            return accepted([
              {
                type: 'dispatch',
                event: {
                  type: 'triggered',
                  requestedMessage: request.requestedMessage,
                  ...(id !== undefined ? { evse: { id } } : {}),
                },
              },
            ]);
        }
      },
    },
  };
}
