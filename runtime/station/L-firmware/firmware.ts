// L01 Secure Firmware Update and L02 Non-Secure Firmware Update, as far as a charging station is concerned (L03/L04
// are a Local Controller's). ocppkit does the download (a `transfer` effect: runtime/transfer/), the checks of the
// signing certificate (L01.FR.21/22) and of the signature over the file (L01.FR.04/12), the timing (retrieveDateTime,
// retries and retryInterval, installDateTime, waiting for transactions) and every FirmwareStatusNotification
// (L01.FR.01: sent by F-remote-control/transfer-status.ts on `firmware.status`, which also answers TriggerMessage with
// the real current status, L01.FR.25/26). The integrator gets the verified file through one hardware operation,
// `installFirmware`, which installs it and says whether the new firmware is active or needs a reboot.
//
// The job is persisted at every step, so that a reboot in the middle is handled: a download under way starts again
// (counting as one of its attempts); an installation under way is judged by the firmware version the station boots
// with (L01.FR.32 (a): Installed is sent by the new firmware); scheduled times are armed again. What follows a restart
// waits until the CSMS accepted the BootNotification, so that no status is sent (or lost) before.
import type { FirmwareStatusEnumType, UpdateFirmwareResponse } from '../../../generated/v201/types.js';
import { securityEvent } from '../A-security/security-log.js';
import type { Effect, StationView, Step, UseCase } from '../core/types.js';
import { transactionOn } from '../E-transactions/check.js';
import { listCertificates } from '../M-certificates/store.js';
import type { FirmwareDuringTransactions } from '../options.js';
import { signingCertificateProblem } from './signing-certificate.js';

/** What `installFirmware` gets: the downloaded (and, when signed, verified) file. */
export interface FirmwareFile {
  /** Where the file is (in the station's transfer directory). */
  path: string;
  bytes: number;
  /** The UpdateFirmware requestId and firmware.location it came from. */
  requestId: number;
  location: string;
  /** Whether its signature was checked against the signing certificate (L01) or it came unsigned (L02). */
  signed: boolean;
}

/**
 * What `installFirmware` reports: `Installed` (the new firmware is active now; also what returning nothing means),
 * `RebootRequired` (activation needs a reboot: ocppkit sends InstallRebooting and restarts; the station must then
 * report the new `info.firmwareVersion`), `InstallVerificationFailed` (the firmware's own check failed, L01.FR.29),
 * `InstallationFailed`. A callback that throws is InstallationFailed.
 */
export type InstallResult = 'Installed' | 'RebootRequired' | 'InstallVerificationFailed' | 'InstallationFailed';

declare module '../core/registry.js' {
  interface OwnEvents {
    /** retrieveDateTime has come, or a retry of the download is due. */
    'firmware.retrieve': { requestId: number };
    /** installDateTime has come. */
    'firmware.install': { requestId: number };
    /** A transaction ended: install if none runs any more (E's state is read once its event has been handled). */
    'firmware.idle': { requestId: number };
  }
  interface StationQueries {
    /**
     * L01.FR.07, L02.FR.04: a firmware update holds the EVSEs that are not in use Unavailable (while it waits for
     * transactions to end, unless AllowNewSessionsPendingFirmwareUpdate, and while it installs). G reports them so.
     */
    firmwareHoldsEvses(): boolean;
  }
  interface HardwareOperations {
    /**
     * L01/L02: install the firmware file ocppkit downloaded and verified; resolve with the InstallResult (nothing:
     * Installed). Giving it declares that the station can be updated; without it UpdateFirmware is Rejected.
     */
    installFirmware(file: FirmwareFile): InstallResult | void | Promise<InstallResult | void>;
  }
}

type Phase = 'DownloadScheduled' | 'Downloading' | 'InstallScheduled' | 'Installing' | 'InstallRebooting';

export interface FirmwareJob {
  requestId: number;
  location: string;
  /** retrieveDateTime and installDateTime, ms since the epoch. */
  retrieveAt: number;
  installAt?: number;
  signingCertificate?: string;
  signature?: string;
  /** Download attempts after the first one, and the wait between attempts. */
  retries: number;
  retryIntervalSec: number;
  /** Download attempts that failed so far. */
  failures: number;
  phase: Phase;
  /**
   * Waiting for the transactions to end (L01.FR.06): downloaded, before installing; or (duringTransactions 'wait')
   * DownloadScheduled, before downloading.
   */
  waiting?: boolean;
  file?: { path: string; bytes: number };
  /** The firmware version that was running when the installation started. */
  versionBefore?: string;
}

export interface FirmwareState {
  job?: FirmwareJob;
  /** The station started with a job under way: it is resumed once the CSMS accepted the boot. */
  resume?: boolean;
}

export interface FirmwareOptions {
  /** The integrator gave `installFirmware`. */
  canInstall: boolean;
  /** The ManufacturerRootCertificates (PEM) signing certificates must be issued by (L01.FR.21). */
  rootCertificates: readonly string[];
  /** Refuse firmware without signing certificate and signature (a station supporting L01, TC_L_18_CS). */
  requireSigned: boolean;
  /** The firmware version this station runs now (`info.firmwareVersion`). */
  firmwareVersion: string | undefined;
  /** What may happen while a transaction runs (options.firmware.duringTransactions, L01.FR.06). */
  duringTransactions?: FirmwareDuringTransactions;
}

/**
 * L01.FR.21: the ManufacturerRootCertificates the station holds: those the CSMS installed (block M's store,
 * InstallCertificate with certificateType ManufacturerRootCertificate, M05) and those of `firmware.rootCertificates`.
 */
function manufacturerRoots(view: StationView, options: FirmwareOptions): string[] {
  return [
    ...listCertificates(view.store, 'ManufacturerRootCertificate').map((row) => row.pem),
    ...options.rootCertificates,
  ];
}

/** How often and how long apart a download is tried when the CSMS leaves it to the station. */
export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_INTERVAL_SEC = 60;
const TRANSFER = 'firmware';
const INSTALL = 'firmware.install';
const REBOOT = 'firmware.reboot';
const RETRIEVE_TIMER = 'firmware.retrieve';
const INSTALL_TIMER = 'firmware.install';
const PROTOCOLS = ['http:', 'https:', 'ftp:', 'ftps:'];

const status = (job: FirmwareJob, s: FirmwareStatusEnumType, tag?: string): Effect => ({
  type: 'dispatch',
  event: { type: 'firmware.status', status: s, requestId: job.requestId, ...(tag ? { tag } : {}) },
});

const persist: Effect = { type: 'persist' };

const retrieveTimer = (job: FirmwareJob, ms: number): Effect => ({
  type: 'timer',
  id: RETRIEVE_TIMER,
  ms,
  event: { type: 'firmware.retrieve', requestId: job.requestId },
});
const installTimer = (job: FirmwareJob, ms: number): Effect => ({
  type: 'timer',
  id: INSTALL_TIMER,
  ms,
  event: { type: 'firmware.install', requestId: job.requestId },
});

const fileName = (requestId: number) => `firmware-${requestId}.bin`;

/** The downloaded file of a job that is over is not kept (a station's storage is small). */
const removeFile = (job: FirmwareJob): Effect => ({
  type: 'transfer',
  tag: `firmware.remove:${job.requestId}`,
  request: { kind: 'remove', name: fileName(job.requestId) },
});

/** The job is over (installed or failed). */
function finish(job: FirmwareJob, effects: Effect[]): Step<FirmwareState> {
  return {
    state: {},
    effects: [
      ...effects,
      { type: 'cancelTimer', id: RETRIEVE_TIMER },
      { type: 'cancelTimer', id: INSTALL_TIMER },
      removeFile(job),
      persist,
    ],
  };
}

export function firmwareUseCase(options: FirmwareOptions): UseCase<FirmwareState> {
  /** Start the download now (`announce`: send Downloading, which a retry does not repeat, L01.FR.30 note). */
  function download(job: FirmwareJob, announce: boolean, effects: Effect[] = []): Step<FirmwareState> {
    const next: FirmwareJob = { ...job, phase: 'Downloading' };
    const secure = job.signingCertificate !== undefined && job.signature !== undefined;
    return {
      state: { job: next },
      effects: [
        ...effects,
        ...(announce ? [status(job, 'Downloading')] : []),
        {
          type: 'transfer',
          tag: TRANSFER,
          request: {
            kind: 'download',
            url: job.location,
            name: fileName(job.requestId),
            ...(secure ? { verify: { certificate: job.signingCertificate!, signature: job.signature! } } : {}),
          },
        },
        persist,
      ],
    };
  }

  /**
   * retrieveDateTime has come: the download — unless the station cannot download while a transaction runs
   * (duringTransactions 'wait', TC_L_12/13_CS): then DownloadScheduled (`announce`: not sent yet) until every
   * transaction ended, the EVSEs not in use held Unavailable meanwhile (L01.FR.07, firmwareHoldsEvses).
   */
  function downloadWhenIdle(
    job: FirmwareJob,
    view: StationView,
    announce: boolean,
    effects: Effect[] = [],
  ): Step<FirmwareState> {
    if (options.duringTransactions === 'wait' && transactionOn(view, 0))
      return {
        state: { job: { ...job, phase: 'DownloadScheduled', waiting: true } },
        effects: [...effects, ...(announce ? [status(job, 'DownloadScheduled')] : []), persist],
      };
    return download({ ...job, waiting: false }, true, effects);
  }

  /** L01.FR.13: DownloadScheduled until retrieveDateTime, else the download. */
  function begin(job: FirmwareJob, view: StationView, effects: Effect[] = []): Step<FirmwareState> {
    const wait = job.retrieveAt - view.now();
    if (wait <= 0) return downloadWhenIdle(job, view, true, effects);
    return {
      state: { job: { ...job, phase: 'DownloadScheduled' } },
      effects: [...effects, status(job, 'DownloadScheduled'), retrieveTimer(job, wait), persist],
    };
  }

  /** L01.FR.05/16: install now, or InstallScheduled until installDateTime. */
  function installStage(job: FirmwareJob, view: StationView, effects: Effect[], announce = true): Step<FirmwareState> {
    const wait = (job.installAt ?? 0) - view.now();
    if (wait > 0)
      return {
        state: { job: { ...job, phase: 'InstallScheduled' } },
        effects: [...effects, ...(announce ? [status(job, 'InstallScheduled')] : []), installTimer(job, wait), persist],
      };
    return install(job, view, effects, announce);
  }

  /**
   * L01.FR.06: not while a transaction runs (InstallScheduled meanwhile, L01.FR.34) — unless the firmware can be
   * installed during one (duringTransactions 'install', TC_L_16_CS); else Installing.
   */
  function install(job: FirmwareJob, view: StationView, effects: Effect[], announce = true): Step<FirmwareState> {
    if (options.duringTransactions !== 'install' && transactionOn(view, 0)) {
      const first = !job.waiting;
      return {
        state: { job: { ...job, phase: 'InstallScheduled', waiting: true } },
        effects: [
          ...effects,
          ...(first && announce && job.phase !== 'InstallScheduled' ? [status(job, 'InstallScheduled')] : []),
          persist,
        ],
      };
    }
    const next: FirmwareJob = {
      ...job,
      phase: 'Installing',
      waiting: false,
      ...(options.firmwareVersion !== undefined ? { versionBefore: options.firmwareVersion } : {}),
    };
    const file = job.file!;
    return {
      state: { job: next },
      effects: [
        ...effects,
        status(job, 'Installing'),
        // Kept before the integrator installs: a reboot in the middle finds the job Installing.
        persist,
        {
          type: 'hardware',
          call: {
            op: 'installFirmware',
            args: [
              {
                path: file.path,
                bytes: file.bytes,
                requestId: job.requestId,
                location: job.location,
                signed: job.signature !== undefined,
              },
            ],
          },
          tag: INSTALL,
        },
      ],
    };
  }

  /** L01.FR.28/31: Installed, and the FirmwareUpdated security event. */
  function installed(job: FirmwareJob, view: StationView): Step<FirmwareState> {
    return finish(job, [
      status(job, 'Installed'),
      ...securityEvent(view, 'FirmwareUpdated', `requestId ${job.requestId}`),
    ]);
  }

  /** After a restart, once the boot is accepted: carry on where the job was. */
  function resume(job: FirmwareJob, view: StationView): Step<FirmwareState> {
    switch (job.phase) {
      case 'DownloadScheduled': {
        const wait = job.retrieveAt - view.now();
        if (wait <= 0) return downloadWhenIdle(job, view, false);
        return {
          state: { job },
          effects: [retrieveTimer(job, wait)],
        };
      }
      case 'Downloading': {
        // The reboot cut the download: that attempt failed (L01.FR.30 once none is left).
        const failures = job.failures + 1;
        if (failures > job.retries) return finish(job, [status(job, 'DownloadFailed')]);
        return download({ ...job, failures }, true);
      }
      case 'InstallScheduled':
        return installStage({ ...job, waiting: false }, view, [], false);
      case 'Installing':
      case 'InstallRebooting': {
        // L01.FR.32 (a): the new firmware reports Installed. The same version as before the installation means the
        // new one is not running; where the station reports no version, a requested reboot is trusted to have
        // activated it and an interrupted installation is not.
        const changed = job.versionBefore !== undefined && options.firmwareVersion !== job.versionBefore;
        const ok = changed || (job.phase === 'InstallRebooting' && job.versionBefore === undefined);
        return ok ? installed(job, view) : finish(job, [status(job, 'InstallationFailed')]);
      }
    }
  }

  return {
    name: 'firmware',
    init(_view, saved) {
      // Written by `save` (or nothing on a first start).
      const s = (saved ?? {}) as FirmwareState;
      return s.job ? { job: s.job } : {};
    },
    save: (state) => (state.job ? { job: state.job } : {}),

    queries: {
      firmwareHoldsEvses(state, view) {
        const job = state.job;
        if (!job) return false;
        if (job.phase === 'Installing' || job.phase === 'InstallRebooting') return true;
        // L01.FR.07: unless new sessions are allowed while the update waits.
        return (
          job.waiting === true &&
          view.variables.bool('ChargingStation', 'AllowNewSessionsPendingFirmwareUpdate') !== true
        );
      },
    },

    on(state, event, view) {
      const job = state.job;
      if (event.type === 'started') return job ? { state: { job, resume: true } } : undefined;
      if (!job) return undefined;
      switch (event.type) {
        case 'reply':
          if (event.action === 'BootNotification' && state.resume) {
            if (event.result.status !== 'sent' || event.result.response.status !== 'Accepted') return undefined;
            return resume(job, view);
          }
          // L01.FR.15: InstallRebooting is out (or could not be sent): now the reboot.
          if (event.tag === REBOOT && job.phase === 'InstallRebooting' && !state.resume)
            return { state, effects: [{ type: 'restart', reason: 'FirmwareUpdate' }] };
          return undefined;
        case 'firmware.retrieve':
          if (event.requestId !== job.requestId || state.resume) return undefined;
          if (job.phase === 'DownloadScheduled') {
            // A timer beyond ~24.8 days fires early (the clock caps it): wait for the rest.
            const wait = job.retrieveAt - view.now();
            if (wait > 0) return { state, effects: [retrieveTimer(job, wait)] };
            return downloadWhenIdle(job, view, false);
          }
          if (job.phase === 'Downloading') return download(job, false);
          return undefined;
        case 'firmware.install': {
          if (event.requestId !== job.requestId || job.phase !== 'InstallScheduled' || state.resume) return undefined;
          const wait = (job.installAt ?? 0) - view.now();
          if (wait > 0) return { state, effects: [installTimer(job, wait)] };
          return install(job, view, []);
        }
        case 'transaction.ended':
          return job.waiting
            ? { state, effects: [{ type: 'dispatch', event: { type: 'firmware.idle', requestId: job.requestId } }] }
            : undefined;
        case 'firmware.idle':
          if (event.requestId !== job.requestId || !job.waiting || transactionOn(view, 0)) return undefined;
          if (job.phase === 'DownloadScheduled') return downloadWhenIdle(job, view, false);
          return install(job, view, []);
        case 'transferDone': {
          if (event.tag !== TRANSFER || job.phase !== 'Downloading') return undefined;
          const outcome = event.outcome;
          if (!outcome.ok) {
            const failures = job.failures + 1;
            const log: Effect = {
              type: 'emit',
              event: {
                type: 'log',
                level: 'warn',
                message: `firmware download ${failures} of ${job.retries + 1} failed (${outcome.error}): ${outcome.message}`,
              },
            };
            // L01.FR.30: DownloadFailed once every attempt failed.
            if (failures > job.retries) return finish(job, [log, status(job, 'DownloadFailed')]);
            return {
              state: { job: { ...job, failures } },
              effects: [log, retrieveTimer(job, job.retryIntervalSec * 1000), persist],
            };
          }
          const downloaded: FirmwareJob = { ...job, file: { path: outcome.path ?? '', bytes: outcome.bytes } };
          const effects: Effect[] = [status(job, 'Downloaded')];
          if (job.signingCertificate !== undefined) {
            // L01.FR.03/04: a signature that does not hold — or none at all — is InvalidSignature.
            if (outcome.signature !== 'valid')
              return finish(job, [
                ...effects,
                status(job, 'InvalidSignature'),
                ...securityEvent(view, 'InvalidFirmwareSignature', `requestId ${job.requestId}`),
              ]);
            effects.push(status(job, 'SignatureVerified'));
          }
          return installStage(downloaded, view, effects);
        }
        case 'hardwareDone':
        case 'hardwareFailed': {
          if (event.tag !== INSTALL || job.phase !== 'Installing') return undefined;
          const result = event.type === 'hardwareDone' ? event.result : 'InstallationFailed';
          if (event.type === 'hardwareFailed')
            return finish(job, [
              {
                type: 'emit',
                event: { type: 'log', level: 'error', message: `installFirmware failed: ${event.error.message}` },
              },
              status(job, 'InstallationFailed'),
            ]);
          if (result === 'RebootRequired')
            // L01.FR.15/32 (a): InstallRebooting before the reboot; Installed comes from the new firmware.
            return {
              state: { job: { ...job, phase: 'InstallRebooting' } },
              effects: [persist, status(job, 'InstallRebooting', REBOOT)],
            };
          if (result === 'InstallVerificationFailed' || result === 'InstallationFailed')
            return finish(job, [status(job, result)]);
          return installed(job, view);
        }
        default:
          return undefined;
      }
    },

    answers: {
      UpdateFirmware(state, request, view) {
        const { firmware, requestId } = request;
        const refuse = (s: UpdateFirmwareResponse['status'], reasonCode: string, additionalInfo?: string) => ({
          response: { status: s, statusInfo: { reasonCode, ...(additionalInfo ? { additionalInfo } : {}) } },
        });
        if (!options.canInstall)
          return refuse('Rejected', 'UnsupportedRequest', 'this station cannot install firmware');
        let url: URL | undefined;
        try {
          url = new URL(firmware.location);
        } catch {
          url = undefined;
        }
        if (!url || !PROTOCOLS.includes(url.protocol)) return refuse('Rejected', 'InvalidURL');
        const retrieveAt = Date.parse(firmware.retrieveDateTime);
        const installAt = firmware.installDateTime === undefined ? undefined : Date.parse(firmware.installDateTime);
        if (!Number.isFinite(retrieveAt) || (installAt !== undefined && !Number.isFinite(installAt)))
          return refuse('Rejected', 'InvalidValue', 'retrieveDateTime / installDateTime');
        const signed = firmware.signingCertificate !== undefined;
        // TC_L_18_CS: a station that supports secure firmware update does not take unsigned firmware.
        if (!signed && options.requireSigned) return refuse('Rejected', 'MissingParam', 'signingCertificate');
        if (signed) {
          // L01.FR.21/22, L01.FR.02: checked before the request is accepted.
          const problem = signingCertificateProblem(
            firmware.signingCertificate!,
            manufacturerRoots(view, options),
            view.now(),
          );
          if (problem !== undefined)
            return {
              response: {
                status: 'InvalidCertificate',
                statusInfo: { reasonCode: 'InvalidCertificate', additionalInfo: problem.slice(0, 512) },
              },
              after: securityEvent(view, 'InvalidFirmwareSigningCertificate', problem.slice(0, 255)),
            };
        }
        const current = state.job;
        // L01.FR.27: an installation under way cannot be canceled.
        if (current && (current.phase === 'Installing' || current.phase === 'InstallRebooting'))
          return refuse('Rejected', 'FwUpdateInProgress');
        const job: FirmwareJob = {
          requestId,
          location: firmware.location,
          retrieveAt,
          ...(installAt !== undefined ? { installAt } : {}),
          ...(signed ? { signingCertificate: firmware.signingCertificate! } : {}),
          ...(firmware.signature !== undefined ? { signature: firmware.signature } : {}),
          retries: request.retries ?? DEFAULT_RETRIES,
          retryIntervalSec: request.retryInterval ?? DEFAULT_RETRY_INTERVAL_SEC,
          failures: 0,
          phase: 'DownloadScheduled',
        };
        // L01.FR.24: a new request replaces the one under way (its download stops; from now on the statuses carry
        // the new requestId, TC_L_10_CS).
        const cancel: Effect[] = current
          ? [
              { type: 'cancelTransfer', tag: TRANSFER },
              { type: 'cancelTimer', id: RETRIEVE_TIMER },
              { type: 'cancelTimer', id: INSTALL_TIMER },
              // Its file goes, unless the new request has the same id (and so writes the same file).
              ...(current.requestId !== requestId ? [removeFile(current)] : []),
            ]
          : [];
        const started = begin(job, view, cancel);
        return {
          state: started.state,
          response: { status: current ? 'AcceptedCanceled' : 'Accepted' },
          after: started.effects ?? [],
        };
      },
    },
  };
}
