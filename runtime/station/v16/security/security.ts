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
import type { Effect, Step, UseCase } from '../../core/types.js';
import {
  attemptUpload,
  cancelUpload,
  logAvailable,
  newLogJob,
  onUploadEvent,
  resumeUpload,
  type JobStep,
  type LogJob,
  type LogUpload,
} from '../../N-diagnostics/log-upload.js';
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

export interface Security16State {
  log?: LogJob;
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

const logStatus = (requestId: number, status: UploadLogStatusEnumType): E => ({
  type: 'send',
  action: 'LogStatusNotification',
  payload: { status, requestId },
});

/** 1.6's side of the GetLog job (N-diagnostics/log-upload.ts): its statuses are sent as LogStatusNotification. */
const UPLOAD: LogUpload<Family16> = {
  transferTag: 'v16.log',
  timerId: 'v16.log.retry',
  sourceTag: (requestId) => `v16.log.source:${requestId}`,
  retryEvent: (requestId) => ({ type: 'v16.log.retry', requestId }),
  status: logStatus,
};

const requestIdOf = (requestId: number | undefined) => (requestId !== undefined ? { requestId } : {});

export function security16UseCase(options: Security16Options): UseCase<Security16State, Family16> {
  /** The state with the job where a step of it left it. */
  const withJob = (state: Security16State, step: JobStep<Family16>): S => {
    const { log: _old, resume: _resume, ...rest } = state;
    return { state: step.job ? { ...rest, log: step.job } : rest, effects: step.effects };
  };

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
      if (event.type === 'reply') {
        if (event.action !== 'BootNotification' || !state.resume) return undefined;
        if (event.result.status !== 'sent' || event.result.response.status !== 'Accepted') return undefined;
        return withJob(state, resumeUpload(UPLOAD, job, view));
      }
      if (event.type === 'v16.log.retry')
        return event.requestId === job.requestId && !state.resume
          ? withJob(state, attemptUpload(UPLOAD, job, view, []))
          : undefined;
      const step = onUploadEvent(UPLOAD, job, event);
      return step && withJob(state, step);
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
        const job = newLogJob(request, view.identity);
        // Rejected for a location the transfers cannot reach, and when the log asked for is not there (no diagnostics
        // source, no security event in the window).
        if (!job || !logAvailable(job, options.canDiagnose, view)) return { response: { status: 'Rejected' } };
        const current = state.log;
        const started = withJob(
          state,
          attemptUpload(UPLOAD, job, view, [
            ...(current ? cancelUpload(UPLOAD) : []),
            logStatus(job.requestId, 'Uploading'),
          ]),
        );
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
