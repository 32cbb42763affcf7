// N01 Retrieve Log Information: GetLog uploads one log file to the CSMS's location (N01.FR.02) — the security log
// block A keeps (N01.FR.03) or the diagnostics the integrator's `diagnosticsLog` gives (N01.FR.04) — by HTTP(S) POST
// (multipart, N01.FR.19) or FTP(S), as a `transfer` effect (runtime/transfer/). The LogStatusNotifications (Uploading,
// Uploaded, or a failure status once every retry failed: N01.FR.08–10) carry the GetLog requestId (N01.FR.07) and
// go out through F-remote-control/transfer-status.ts, which also answers TriggerMessage (N01.FR.13). A new GetLog
// cancels the upload under way (N01.FR.12/20). The upload is persisted: after a reboot it is tried again.
import type { GetLogResponse, UploadLogStatusEnumType } from '../../../generated/v201/types.js';
import { readSecurityLog } from '../A-security/security-log.js';
import type { Effect, StationView, Step, UseCase } from '../core/types.js';
import type { TransferErrorKind } from '../../transfer/types.js';
import { diagnosticsSource, securityLogText, type LogWindow } from './log-content.js';

declare module '../core/registry.js' {
  interface OwnEvents {
    /** A retry of the upload is due. */
    'log.retry': { requestId: number };
  }
  interface HardwareOperations {
    /**
     * N01.FR.04: the station's diagnostics for a GetLog of logType DiagnosticsLog, within the window when given
     * (ISO 8601 timestamps): a text, bytes, or `{ path }` of a file. Giving it declares that diagnostics are
     * available; without it such a GetLog is Rejected (N01.FR.05).
     */
    diagnosticsLog(window: {
      oldestTimestamp?: string;
      latestTimestamp?: string;
    }):
      string | Uint8Array | { path: string } | undefined | Promise<string | Uint8Array | { path: string } | undefined>;
  }
}

export interface LogJob {
  requestId: number;
  logType: 'DiagnosticsLog' | 'SecurityLog';
  remoteLocation: string;
  oldestTimestamp?: string;
  latestTimestamp?: string;
  /** The name the file is uploaded under (GetLogResponse.filename). */
  filename: string;
  retries: number;
  retryIntervalSec: number;
  failures: number;
}

export interface GetLogState {
  job?: LogJob;
  /** The station started with an upload under way: it is tried again once the CSMS accepted the boot. */
  resume?: boolean;
}

export interface GetLogOptions {
  /** The integrator gave `diagnosticsLog`. */
  canDiagnose: boolean;
}

/** The tag of the diagnostics request of one GetLog (a late answer for a canceled one is not used). */
const sourceTag = (requestId: number) => `log.source:${requestId}`;

/** When the CSMS leaves it to the station: no retry (the CSMS asks again if it wants). */
export const DEFAULT_LOG_RETRIES = 0;
export const DEFAULT_LOG_RETRY_INTERVAL_SEC = 30;
const TRANSFER = 'log';
const RETRY_TIMER = 'log.retry';
const PROTOCOLS = ['http:', 'https:', 'ftp:', 'ftps:'];

const status = (requestId: number, s: UploadLogStatusEnumType): Effect => ({
  type: 'dispatch',
  event: { type: 'log.status', status: s, requestId },
});
const persist: Effect = { type: 'persist' };

/** N01.FR.10: the failure status that says why. */
function failureStatus(error: TransferErrorKind | 'empty'): UploadLogStatusEnumType {
  if (error === 'permission') return 'PermissionDenied';
  if (error === 'unsupported') return 'NotSupportedOperation';
  if (error === 'badUrl') return 'BadMessage';
  return 'UploadFailure';
}

const windowOf = (job: LogJob): LogWindow => ({
  ...(job.oldestTimestamp !== undefined ? { oldest: Date.parse(job.oldestTimestamp) } : {}),
  ...(job.latestTimestamp !== undefined ? { latest: Date.parse(job.latestTimestamp) } : {}),
});

export function getLogUseCase(options: GetLogOptions): UseCase<GetLogState> {
  /** One attempt: the diagnostics are asked for, the security log read; then the upload. */
  function attempt(job: LogJob, view: StationView, effects: Effect[]): Step<GetLogState> {
    if (job.logType === 'DiagnosticsLog') {
      const window = {
        ...(job.oldestTimestamp !== undefined ? { oldestTimestamp: job.oldestTimestamp } : {}),
        ...(job.latestTimestamp !== undefined ? { latestTimestamp: job.latestTimestamp } : {}),
      };
      return {
        state: { job },
        effects: [
          ...effects,
          persist,
          { type: 'hardware', call: { op: 'diagnosticsLog', args: [window] }, tag: sourceTag(job.requestId) },
        ],
      };
    }
    const text = securityLogText(readSecurityLog(view.store), windowOf(job));
    return upload(job, text === undefined ? undefined : { text }, effects);
  }

  function upload(job: LogJob, source: ReturnType<typeof diagnosticsSource>, effects: Effect[]): Step<GetLogState> {
    if (!source) return failed(job, 'empty', 'the log source gave nothing to upload', effects);
    return {
      state: { job },
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

  /** An attempt failed: retry after retryInterval, or report the failure (N01.FR.10: after the last retry). */
  function failed(
    job: LogJob,
    error: TransferErrorKind | 'empty',
    message: string,
    effects: Effect[] = [],
  ): Step<GetLogState> {
    const failures = job.failures + 1;
    const log: Effect = {
      type: 'emit',
      event: {
        type: 'log',
        level: 'warn',
        message: `log upload ${failures} of ${job.retries + 1} failed (${error}): ${message}`,
      },
    };
    if (failures > job.retries || error === 'empty')
      return { state: {}, effects: [...effects, log, status(job.requestId, failureStatus(error)), persist] };
    return {
      state: { job: { ...job, failures } },
      effects: [
        ...effects,
        log,
        {
          type: 'timer',
          id: RETRY_TIMER,
          ms: job.retryIntervalSec * 1000,
          event: { type: 'log.retry', requestId: job.requestId },
        },
        persist,
      ],
    };
  }

  return {
    name: 'getLog',
    init(_view, saved) {
      // Written by `save` (or nothing on a first start).
      const s = (saved ?? {}) as GetLogState;
      return s.job ? { job: s.job } : {};
    },
    save: (state) => (state.job ? { job: state.job } : {}),

    on(state, event, view) {
      const job = state.job;
      if (event.type === 'started') return job ? { state: { job, resume: true } } : undefined;
      if (!job) return undefined;
      switch (event.type) {
        case 'reply': {
          if (event.action !== 'BootNotification' || !state.resume) return undefined;
          if (event.result.status !== 'sent' || event.result.response.status !== 'Accepted') return undefined;
          // The reboot cut the upload: that attempt failed; the next one starts with Uploading again.
          const failures = job.failures + 1;
          if (failures > job.retries) return { state: {}, effects: [status(job.requestId, 'UploadFailure'), persist] };
          return attempt({ ...job, failures }, view, [status(job.requestId, 'Uploading')]);
        }
        case 'log.retry':
          return event.requestId === job.requestId && !state.resume ? attempt(job, view, []) : undefined;
        case 'hardwareDone':
          return event.tag === sourceTag(job.requestId) ? upload(job, diagnosticsSource(event.result), []) : undefined;
        case 'hardwareFailed':
          return event.tag === sourceTag(job.requestId)
            ? failed(job, 'empty', `diagnosticsLog failed: ${event.error.message}`)
            : undefined;
        case 'transferDone':
          if (event.tag !== TRANSFER) return undefined;
          if (event.outcome.ok) return { state: {}, effects: [status(job.requestId, 'Uploaded'), persist] };
          return failed(job, event.outcome.error, event.outcome.message);
        default:
          return undefined;
      }
    },

    answers: {
      GetLog(state, request, view) {
        const { log, logType, requestId } = request;
        const rejected: { response: GetLogResponse } = { response: { status: 'Rejected' } };
        // 2.1's DataCollectorLog: no data collector in ocppkit, so no such log (N01.FR.05).
        if (logType === 'DataCollectorLog') return rejected;
        let url: URL | undefined;
        try {
          url = new URL(log.remoteLocation);
        } catch {
          url = undefined;
        }
        if (!url || !PROTOCOLS.includes(url.protocol))
          return { response: { status: 'Rejected', statusInfo: { reasonCode: 'InvalidURL' } } };
        const job: LogJob = {
          requestId,
          logType,
          remoteLocation: log.remoteLocation,
          ...(log.oldestTimestamp !== undefined ? { oldestTimestamp: log.oldestTimestamp } : {}),
          ...(log.latestTimestamp !== undefined ? { latestTimestamp: log.latestTimestamp } : {}),
          filename: `${view.identity}-${logType === 'SecurityLog' ? 'security' : 'diagnostics'}-${requestId}.log`,
          retries: request.retries ?? DEFAULT_LOG_RETRIES,
          retryIntervalSec: request.retryInterval ?? DEFAULT_LOG_RETRY_INTERVAL_SEC,
          failures: 0,
        };
        // N01.FR.05: Rejected when the requested log is not available: no diagnostics source, or no security event
        // in the window.
        if (logType === 'DiagnosticsLog' && !options.canDiagnose) return rejected;
        if (logType === 'SecurityLog' && securityLogText(readSecurityLog(view.store), windowOf(job)) === undefined)
          return rejected;
        const current = state.job;
        // N01.FR.12/20: the upload under way is canceled and says so.
        const cancel: Effect[] = current
          ? [
              { type: 'cancelTransfer', tag: TRANSFER },
              { type: 'cancelTimer', id: RETRY_TIMER },
              status(current.requestId, 'AcceptedCanceled'),
            ]
          : [];
        const started = attempt(job, view, [...cancel, status(requestId, 'Uploading')]);
        return {
          state: started.state,
          response: { status: current ? 'AcceptedCanceled' : 'Accepted', filename: job.filename },
          after: started.effects ?? [],
        };
      },
    },
  };
}
