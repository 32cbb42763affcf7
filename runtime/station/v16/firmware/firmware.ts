// 1.6 Firmware Management profile (§5.19 UpdateFirmware, §5.9 GetDiagnostics, §4.5/§4.4 their status notifications)
// over the same file transfers as 2.x (a `transfer` effect: runtime/transfer/, HTTP(S) and FTP(S)) and the same
// hardware operations: `installFirmware` (declared by L-firmware/firmware.ts) and `diagnosticsLog` (declared by
// N-diagnostics/get-log.ts).
//
// UpdateFirmware: at retrieveDate the file is downloaded (Downloading), retried `retries` times `retryInterval` s
// apart, then Downloaded or DownloadFailed; installed once no transaction runs (Installing, then Installed or
// InstallationFailed). `RebootRequired` restarts the station and the new firmware reports Installed after its
// BootNotification was accepted (TC_044_1_CS steps 9–13). GetDiagnostics answers the file name at once and uploads
// the integrator's diagnostics within startTime/stopTime (Uploading, then Uploaded or UploadFailed once every retry
// failed). TriggerMessage gets the real status through the queries below: Idle when nothing runs (1.6 errata).
//
// Both jobs are persisted at every step: after a reboot a download or upload under way is tried again (counting as
// one attempt), once the CSMS accepted the BootNotification.
import type { DiagnosticsStatus, FirmwareStatus, FirmwareStatusEnumType } from '../../../../generated/v16/types.js';
import type { Family16 } from '../../core/family.js';
import type { Effect, StationView, Step, UseCase } from '../../core/types.js';
import { diagnosticsSource } from '../../N-diagnostics/log-content.js';
import type { InstallResult } from '../../L-firmware/firmware.js';
import '../../L-firmware/firmware.js';
import '../../N-diagnostics/get-log.js';
import '../core-profile/transactions.js';
import { connectors16 } from '../layout.js';
import { signingCertificateProblem } from '../../L-firmware/signing-certificate.js';
import { listCertificates } from '../../M-certificates/store.js';
import { securityEvent16 } from '../security/security-log.js';

declare module '../../core/registry.js' {
  interface OwnEvents {
    /** retrieveDate has come, or a retry of the download is due. */
    'v16.firmware.retrieve': object;
    /** A retry of the diagnostics upload is due. */
    'v16.diagnostics.retry': object;
  }
  interface StationQueries {
    /** The FirmwareStatusNotification status a TriggerMessage reports now (Idle when no update runs). */
    firmwareStatus16(): FirmwareStatus;
    /** The requestId of the SignedUpdateFirmware under way, if one is (ExtendedTriggerMessage reports it). */
    signedFirmwareRequest16(): number | undefined;
    /** The DiagnosticsStatusNotification status a TriggerMessage reports now (Idle when no upload runs). */
    diagnosticsStatus16(): DiagnosticsStatus;
  }
}

type Phase = 'Scheduled' | 'Downloading' | 'Downloaded' | 'Installing' | 'Rebooting';

export interface FirmwareJob16 {
  location: string;
  /** retrieveDate, ms since the epoch. */
  retrieveAt: number;
  retries: number;
  retryIntervalSec: number;
  failures: number;
  phase: Phase;
  file?: { path: string; bytes: number };
  /** The firmware version running when the installation started (a reboot with another one: Installed). */
  versionBefore?: string;
  /** Installing is out (or could not be sent): a reboot may follow without cutting it off. */
  announced?: boolean;
  /**
   * SignedUpdateFirmware (security whitepaper): its requestId, the signing certificate and the signature the file is
   * checked against; its statuses go out as SignedFirmwareStatusNotification.
   */
  signed?: { requestId: number; signingCertificate: string; signature: string };
}

export interface DiagnosticsJob16 {
  location: string;
  fileName: string;
  startTime?: string;
  stopTime?: string;
  retries: number;
  retryIntervalSec: number;
  failures: number;
}

export interface Firmware16State {
  firmware?: FirmwareJob16;
  diagnostics?: DiagnosticsJob16;
  /** Started with a job under way: it resumes once the CSMS accepted the boot. */
  resume?: boolean;
}

export interface Firmware16Options {
  /** The integrator gave `installFirmware`. */
  canInstall: boolean;
  /** The integrator gave `diagnosticsLog`. */
  canDiagnose: boolean;
  /** `info.firmwareVersion`: the version this station runs now. */
  firmwareVersion: string | undefined;
  /** ManufacturerRootCertificates (PEM) given by the integrator, besides those InstallCertificate put in the store. */
  rootCertificates: readonly string[];
}

/** When the CSMS leaves retries out: one more attempt for a firmware download, none for an upload. */
export const DEFAULT_FIRMWARE_RETRIES = 1;
export const DEFAULT_DIAGNOSTICS_RETRIES = 0;
export const DEFAULT_RETRY_INTERVAL_SEC = 60;

const FW_TRANSFER = 'v16.firmware';
const DIAG_TRANSFER = 'v16.diagnostics';
const INSTALL = 'v16.firmware.install';
const SOURCE = 'v16.diagnostics.source';
const INSTALLING = 'v16.firmware.installing';
const REBOOTING = 'v16.firmware.rebooting';
const FW_TIMER = 'v16.firmware.retrieve';
const DIAG_TIMER = 'v16.diagnostics.retry';
const PROTOCOLS = ['http:', 'https:', 'ftp:', 'ftps:'];

type E = Effect<Family16>;
type S = Step<Firmware16State, Family16>;

const persist: E = { type: 'persist' };
/** A status of the job: FirmwareStatusNotification, or SignedFirmwareStatusNotification with its requestId. */
const fwStatus = (job: FirmwareJob16, status: FirmwareStatus, tag?: string): E =>
  job.signed
    ? signedStatus(job.signed.requestId, status, tag)
    : { type: 'send', action: 'FirmwareStatusNotification', payload: { status }, ...(tag ? { tag } : {}) };
const signedStatus = (requestId: number, status: FirmwareStatusEnumType, tag?: string): E => ({
  type: 'send',
  action: 'SignedFirmwareStatusNotification',
  payload: { status, requestId },
  ...(tag ? { tag } : {}),
});
const diagStatus = (status: DiagnosticsStatus): E => ({
  type: 'send',
  action: 'DiagnosticsStatusNotification',
  payload: { status },
});
const fileName = (attempt: string) => `v16-firmware-${attempt}.bin`;
const reboot: E = { type: 'restart', reason: 'FirmwareUpdate' };
const log = (message: string): E => ({ type: 'emit', event: { type: 'log', level: 'warn', message } });

function validUrl(location: string): boolean {
  try {
    return PROTOCOLS.includes(new URL(location).protocol);
  } catch {
    return false;
  }
}

const nonNegative = (n: number | undefined, fallback: number) =>
  n !== undefined && Number.isInteger(n) && n >= 0 ? n : fallback;

export function firmware16UseCase(options: Firmware16Options): UseCase<Firmware16State, Family16> {
  /** §5.19: the new firmware is not installed while a transaction runs. */
  const busy = (view: StationView<Family16>) =>
    connectors16(view.evses).some((c) => view.query.transaction16?.(c.id) !== undefined);

  function download(state: Firmware16State, job: FirmwareJob16, effects: E[] = []): S {
    return {
      state: { ...state, firmware: { ...job, phase: 'Downloading' } },
      effects: [
        ...effects,
        fwStatus(job, 'Downloading'),
        {
          type: 'transfer',
          tag: FW_TRANSFER,
          request: {
            kind: 'download',
            url: job.location,
            name: fileName(String(job.retrieveAt)),
            ...(job.signed
              ? { verify: { certificate: job.signed.signingCertificate, signature: job.signed.signature } }
              : {}),
          },
        },
        persist,
      ],
    };
  }

  function downloadFailed(state: Firmware16State, job: FirmwareJob16, message: string): S {
    const failures = job.failures + 1;
    if (failures > job.retries)
      return {
        state: { ...state, firmware: undefined },
        effects: [log(`firmware download failed: ${message}`), fwStatus(job, 'DownloadFailed'), persist],
      };
    return {
      state: { ...state, firmware: { ...job, failures, phase: 'Scheduled' } },
      effects: [
        log(`firmware download ${failures} of ${job.retries + 1} failed: ${message}`),
        { type: 'timer', id: FW_TIMER, ms: job.retryIntervalSec * 1000, event: { type: 'v16.firmware.retrieve' } },
        persist,
      ],
    };
  }

  /** Installs now, unless a transaction runs (then once the last one ended). */
  function install(state: Firmware16State, job: FirmwareJob16, view: StationView<Family16>, effects: E[]): S {
    if (busy(view))
      return { state: { ...state, firmware: { ...job, phase: 'Downloaded' } }, effects: [...effects, persist] };
    const file = job.file!;
    return {
      state: {
        ...state,
        firmware: {
          ...job,
          phase: 'Installing',
          ...(options.firmwareVersion !== undefined ? { versionBefore: options.firmwareVersion } : {}),
        },
      },
      effects: [
        ...effects,
        fwStatus(job, 'Installing', INSTALLING),
        persist,
        {
          type: 'hardware',
          tag: INSTALL,
          call: {
            op: 'installFirmware',
            args: [
              {
                path: file.path,
                bytes: file.bytes,
                requestId: job.signed?.requestId ?? 0,
                location: job.location,
                signed: job.signed !== undefined,
              },
            ],
          },
        },
      ],
    };
  }

  const removeFile = (job: FirmwareJob16): E => ({
    type: 'transfer',
    tag: `v16.firmware.remove:${job.retrieveAt}`,
    request: { kind: 'remove', name: fileName(String(job.retrieveAt)) },
  });

  function installOutcome(
    state: Firmware16State,
    job: FirmwareJob16,
    result: InstallResult | undefined,
    view: StationView<Family16>,
  ): S {
    // The reboot waits for Installing to be answered (TC_044_1_CS step 7 comes before the reboot); a signed update
    // says InstallRebooting first and reboots once that is answered.
    if (result === 'RebootRequired')
      return {
        state: { ...state, firmware: { ...job, phase: 'Rebooting' } },
        effects: [
          persist,
          ...(job.signed ? [signedStatus(job.signed.requestId, 'InstallRebooting', REBOOTING)] : []),
          ...(!job.signed && job.announced ? [reboot] : []),
        ],
      };
    return {
      state: { ...state, firmware: undefined },
      effects: [...outcome(job, result, view), removeFile(job), persist],
    };
  }

  /** Installed (and the FirmwareUpdated security event), or why not. */
  function outcome(job: FirmwareJob16, result: InstallResult | undefined, view: StationView<Family16>): E[] {
    if (result === undefined || result === 'Installed')
      return [fwStatus(job, 'Installed'), ...securityEvent16(view, 'FirmwareUpdated', job.location)];
    if (result === 'InstallVerificationFailed' && job.signed)
      return [signedStatus(job.signed.requestId, 'InstallVerificationFailed')];
    return [fwStatus(job, 'InstallationFailed')];
  }

  function uploadAttempt(state: Firmware16State, job: DiagnosticsJob16, effects: E[]): S {
    const window = {
      ...(job.startTime !== undefined ? { oldestTimestamp: job.startTime } : {}),
      ...(job.stopTime !== undefined ? { latestTimestamp: job.stopTime } : {}),
    };
    return {
      state: { ...state, diagnostics: job },
      effects: [...effects, persist, { type: 'hardware', tag: SOURCE, call: { op: 'diagnosticsLog', args: [window] } }],
    };
  }

  function uploadFailed(state: Firmware16State, job: DiagnosticsJob16, message: string, final = false): S {
    const failures = job.failures + 1;
    if (final || failures > job.retries)
      return {
        state: { ...state, diagnostics: undefined },
        effects: [log(`diagnostics upload failed: ${message}`), diagStatus('UploadFailed'), persist],
      };
    return {
      state: { ...state, diagnostics: { ...job, failures } },
      effects: [
        log(`diagnostics upload ${failures} of ${job.retries + 1} failed: ${message}`),
        { type: 'timer', id: DIAG_TIMER, ms: job.retryIntervalSec * 1000, event: { type: 'v16.diagnostics.retry' } },
        persist,
      ],
    };
  }

  /** After a restart, once the boot is accepted. */
  function resume(state: Firmware16State, view: StationView<Family16>): S {
    let step: S = { state: { ...state, resume: false } };
    const fw = state.firmware;
    if (fw) {
      const s = step.state;
      if (fw.phase === 'Installing' || fw.phase === 'Rebooting') {
        // The new firmware reports the outcome: another version than before (or, without versions, a reboot the
        // integrator asked for) is Installed.
        const changed = fw.versionBefore !== undefined && options.firmwareVersion !== fw.versionBefore;
        const ok = changed || (fw.phase === 'Rebooting' && fw.versionBefore === undefined);
        step = {
          state: { ...s, firmware: undefined },
          effects: [...outcome(fw, ok ? 'Installed' : 'InstallationFailed', view), removeFile(fw), persist],
        };
      } else if (fw.phase === 'Downloaded') step = install(s, fw, view, []);
      else if (fw.phase === 'Downloading') step = downloadFailed(s, fw, 'interrupted by a restart');
      else {
        const wait = fw.retrieveAt - view.now();
        step =
          wait > 0
            ? {
                state: s,
                effects: [{ type: 'timer', id: FW_TIMER, ms: wait, event: { type: 'v16.firmware.retrieve' } }],
              }
            : download(s, fw);
      }
    }
    const diag = step.state.diagnostics;
    if (diag) {
      const next = uploadFailed(step.state, diag, 'interrupted by a restart');
      step = { state: next.state, effects: [...(step.effects ?? []), ...(next.effects ?? [])] };
      // The retry follows at once after a restart.
      if (next.state.diagnostics) {
        const again = uploadAttempt(next.state, next.state.diagnostics, [diagStatus('Uploading')]);
        step = {
          state: again.state,
          effects: [
            ...(step.effects ?? []).filter((e) => e.type !== 'timer' || e.id !== DIAG_TIMER),
            ...(again.effects ?? []),
          ],
        };
      }
    }
    return step;
  }

  function newJob(
    location: string,
    retrieveDate: string,
    retries: number | undefined,
    retryInterval: number | undefined,
    view: StationView<Family16>,
  ): FirmwareJob16 {
    const retrieveAt = Date.parse(retrieveDate);
    return {
      location,
      retrieveAt: Number.isFinite(retrieveAt) ? retrieveAt : view.now(),
      retries: nonNegative(retries, DEFAULT_FIRMWARE_RETRIES),
      retryIntervalSec: nonNegative(retryInterval, DEFAULT_RETRY_INTERVAL_SEC),
      failures: 0,
      phase: 'Scheduled',
    };
  }

  /** A new update replaces the one under way (a signed one is then AcceptedCanceled). */
  function replacing(state: Firmware16State): { canceled: boolean; cancel: E[] } {
    if (!state.firmware) return { canceled: false, cancel: [] };
    return {
      canceled: true,
      cancel: [
        { type: 'cancelTransfer', tag: FW_TRANSFER },
        { type: 'cancelTimer', id: FW_TIMER },
      ],
    };
  }

  /** Now, or at retrieveDate. */
  function begin(state: Firmware16State, job: FirmwareJob16, view: StationView<Family16>): S {
    const { cancel } = replacing(state);
    const s = { ...state, firmware: job };
    const wait = job.retrieveAt - view.now();
    if (wait > 0)
      return {
        state: s,
        effects: [
          ...cancel,
          { type: 'timer', id: FW_TIMER, ms: wait, event: { type: 'v16.firmware.retrieve' } },
          persist,
        ],
      };
    return download(s, job, cancel);
  }

  return {
    name: 'v16.firmware',
    init(_view, saved) {
      // Written by `save` (or nothing on a first start).
      const s = (saved ?? {}) as Firmware16State;
      return {
        ...(s.firmware ? { firmware: s.firmware } : {}),
        ...(s.diagnostics ? { diagnostics: s.diagnostics } : {}),
      };
    },
    save: (state) => ({
      ...(state.firmware ? { firmware: state.firmware } : {}),
      ...(state.diagnostics ? { diagnostics: state.diagnostics } : {}),
    }),

    queries: {
      firmwareStatus16(state) {
        const phase = state.firmware?.phase;
        if (phase === 'Downloading') return 'Downloading';
        if (phase === 'Downloaded') return 'Downloaded';
        if (phase === 'Installing' || phase === 'Rebooting') return 'Installing';
        return 'Idle';
      },
      diagnosticsStatus16: (state) => (state.diagnostics ? 'Uploading' : 'Idle'),
      signedFirmwareRequest16: (state) => state.firmware?.signed?.requestId,
    },

    on(state, event, view) {
      if (event.type === 'started')
        return state.firmware || state.diagnostics ? { state: { ...state, resume: true } } : undefined;
      switch (event.type) {
        case 'reply':
          if (event.tag === REBOOTING && state.firmware?.phase === 'Rebooting' && !state.resume)
            return { state, effects: [reboot] };
          if (event.tag === INSTALLING && state.firmware && !state.resume) {
            const job = { ...state.firmware, announced: true };
            return { state: { ...state, firmware: job }, effects: job.phase === 'Rebooting' ? [reboot] : [] };
          }
          if (event.action !== 'BootNotification' || !state.resume) return undefined;
          if (event.result.status !== 'sent' || event.result.response.status !== 'Accepted') return undefined;
          return resume(state, view);
        case 'v16.firmware.retrieve': {
          const job = state.firmware;
          if (!job || state.resume || job.phase !== 'Scheduled') return undefined;
          const wait = job.retrieveAt - view.now();
          // A timer beyond ~24.8 days fires early (the clock caps it): wait for the rest.
          if (wait > 0)
            return {
              state,
              effects: [{ type: 'timer', id: FW_TIMER, ms: wait, event: { type: 'v16.firmware.retrieve' } }],
            };
          return download(state, job);
        }
        case 'v16.tx.ended': {
          const job = state.firmware;
          return job?.phase === 'Downloaded' && !state.resume ? install(state, job, view, []) : undefined;
        }
        case 'transferDone': {
          if (event.tag === FW_TRANSFER) {
            const job = state.firmware;
            if (!job || job.phase !== 'Downloading') return undefined;
            if (!event.outcome.ok) return downloadFailed(state, job, event.outcome.message);
            const file = { path: event.outcome.path ?? '', bytes: event.outcome.bytes };
            const downloaded = { ...job, file, phase: 'Downloaded' as const };
            if (!job.signed) return install(state, downloaded, view, [fwStatus(job, 'Downloaded')]);
            // The signature over the file, with the signing certificate's public key (TC_081_CS: InvalidSignature).
            const { requestId } = job.signed;
            if (event.outcome.signature !== 'valid')
              return {
                state: { ...state, firmware: undefined },
                effects: [
                  fwStatus(job, 'Downloaded'),
                  signedStatus(requestId, 'InvalidSignature'),
                  ...securityEvent16(view, 'InvalidFirmwareSignature', job.location),
                  removeFile(job),
                  persist,
                ],
              };
            return install(state, downloaded, view, [
              fwStatus(job, 'Downloaded'),
              signedStatus(requestId, 'SignatureVerified'),
            ]);
          }
          if (event.tag === DIAG_TRANSFER) {
            const job = state.diagnostics;
            if (!job) return undefined;
            if (event.outcome.ok)
              return { state: { ...state, diagnostics: undefined }, effects: [diagStatus('Uploaded'), persist] };
            return uploadFailed(state, job, event.outcome.message);
          }
          return undefined;
        }
        case 'hardwareDone': {
          if (event.tag === INSTALL && state.firmware?.phase === 'Installing')
            return installOutcome(state, state.firmware, event.result as InstallResult | undefined, view);
          if (event.tag !== SOURCE || !state.diagnostics) return undefined;
          const job = state.diagnostics;
          const source = diagnosticsSource(event.result);
          // Nothing to upload is a failure no retry mends.
          if (!source) return uploadFailed(state, job, 'diagnosticsLog gave nothing to upload', true);
          return {
            state,
            effects: [
              {
                type: 'transfer',
                tag: DIAG_TRANSFER,
                request: { kind: 'upload', url: job.location, name: job.fileName, source },
              },
            ],
          };
        }
        case 'hardwareFailed':
          if (event.tag === INSTALL && state.firmware?.phase === 'Installing')
            return installOutcome(state, state.firmware, 'InstallationFailed', view);
          if (event.tag === SOURCE && state.diagnostics)
            return uploadFailed(state, state.diagnostics, `diagnosticsLog failed: ${event.error.message}`, true);
          return undefined;
        case 'v16.diagnostics.retry':
          return state.diagnostics && !state.resume
            ? uploadAttempt(state, state.diagnostics, [diagStatus('Uploading')])
            : undefined;
        default:
          return undefined;
      }
    },

    answers: {
      UpdateFirmware(state, request, view) {
        // §5.19 gives no way to refuse: a station that cannot install (no `installFirmware`), or a location it
        // cannot fetch, reports DownloadFailed through the notifications instead.
        const job = newJob(request.location, request.retrieveDate, request.retries, request.retryInterval, view);
        if (!options.canInstall || !validUrl(request.location)) {
          const { cancel } = replacing(state);
          return {
            state: { ...state, firmware: undefined },
            response: {},
            after: [
              ...cancel,
              log(`UpdateFirmware of ${request.location} cannot be done`),
              fwStatus(job, 'DownloadFailed'),
              persist,
            ],
          };
        }
        const started = begin(state, job, view);
        return { state: started.state, response: {}, after: started.effects ?? [] };
      },

      SignedUpdateFirmware(state, request, view) {
        const { firmware, requestId } = request;
        if (!options.canInstall || !validUrl(firmware.location)) return { response: { status: 'Rejected' } };
        // The signing certificate must be issued by a ManufacturerRootCertificate (TC_080_CS); otherwise
        // InvalidCertificate and the security event.
        const roots = [
          ...options.rootCertificates,
          ...listCertificates(view.store, 'ManufacturerRootCertificate').map((r) => r.pem),
        ];
        const problem = signingCertificateProblem(firmware.signingCertificate, roots, view.now());
        if (problem)
          return {
            response: { status: 'InvalidCertificate' },
            after: securityEvent16(view, 'InvalidFirmwareSigningCertificate', problem),
          };
        const job: FirmwareJob16 = {
          ...newJob(firmware.location, firmware.retrieveDateTime, request.retries, request.retryInterval, view),
          signed: { requestId, signingCertificate: firmware.signingCertificate, signature: firmware.signature },
        };
        const { canceled } = replacing(state);
        const started = begin(state, job, view);
        return {
          state: started.state,
          response: { status: canceled ? 'AcceptedCanceled' : 'Accepted' },
          after: started.effects ?? [],
        };
      },

      GetDiagnostics(state, request, view) {
        // §5.9: no file name in the answer means no diagnostics are available.
        if (!options.canDiagnose || !validUrl(request.location)) return { response: {} };
        const job: DiagnosticsJob16 = {
          location: request.location,
          fileName: `${view.identity}-diagnostics-${new Date(view.now()).toISOString().replace(/[:.]/g, '')}.log`,
          ...(request.startTime !== undefined ? { startTime: request.startTime } : {}),
          ...(request.stopTime !== undefined ? { stopTime: request.stopTime } : {}),
          retries: nonNegative(request.retries, DEFAULT_DIAGNOSTICS_RETRIES),
          retryIntervalSec: nonNegative(request.retryInterval, DEFAULT_RETRY_INTERVAL_SEC),
          failures: 0,
        };
        const cancel: E[] = state.diagnostics
          ? [
              { type: 'cancelTransfer', tag: DIAG_TRANSFER },
              { type: 'cancelTimer', id: DIAG_TIMER },
            ]
          : [];
        const started = uploadAttempt(state, job, [...cancel, diagStatus('Uploading')]);
        return { state: started.state, response: { fileName: job.fileName }, after: started.effects ?? [] };
      },
    },
  };
}
