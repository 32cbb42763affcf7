// N01 Retrieve Log Information: GetLog uploads one log file to the CSMS's location (N01.FR.02) — the security log
// block A keeps (N01.FR.03) or the diagnostics the integrator's `diagnosticsLog` gives (N01.FR.04) — by HTTP(S) POST
// (multipart, N01.FR.19) or FTP(S), as a `transfer` effect (runtime/transfer/). The LogStatusNotifications (Uploading,
// Uploaded, or a failure status once every retry failed: N01.FR.08–10) carry the GetLog requestId (N01.FR.07) and
// go out through F-remote-control/transfer-status.ts, which also answers TriggerMessage (N01.FR.13). A new GetLog
// cancels the upload under way (N01.FR.12/20). The upload is persisted: after a reboot it is tried again.
import type { GetLogResponse, UploadLogStatusEnumType } from '../../../generated/v201/types.js';
import type { Effect, Step, UseCase } from '../core/types.js';
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
} from './log-upload.js';

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

export type { LogJob } from './log-upload.js';
export { DEFAULT_LOG_RETRIES, DEFAULT_LOG_RETRY_INTERVAL_SEC } from './log-upload.js';

export interface GetLogState {
  job?: LogJob;
  /** The station started with an upload under way: it is tried again once the CSMS accepted the boot. */
  resume?: boolean;
}

export interface GetLogOptions {
  /** The integrator gave `diagnosticsLog`. */
  canDiagnose: boolean;
}

const status = (requestId: number, s: UploadLogStatusEnumType): Effect => ({
  type: 'dispatch',
  event: { type: 'log.status', status: s, requestId },
});

/** 2.x's side of the job: its statuses go to F's transfer-status (which sends LogStatusNotification). */
const UPLOAD: LogUpload = {
  transferTag: 'log',
  timerId: 'log.retry',
  sourceTag: (requestId) => `log.source:${requestId}`,
  retryEvent: (requestId) => ({ type: 'log.retry', requestId }),
  status,
};

const stateOf = (step: JobStep): GetLogState => (step.job ? { job: step.job } : {});
const stepOf = (step: JobStep): Step<GetLogState> => ({ state: stateOf(step), effects: step.effects });

export function getLogUseCase(options: GetLogOptions): UseCase<GetLogState> {
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
      if (event.type === 'reply') {
        if (event.action !== 'BootNotification' || !state.resume) return undefined;
        if (event.result.status !== 'sent' || event.result.response.status !== 'Accepted') return undefined;
        return stepOf(resumeUpload(UPLOAD, job, view));
      }
      if (event.type === 'log.retry')
        return event.requestId === job.requestId && !state.resume
          ? stepOf(attemptUpload(UPLOAD, job, view, []))
          : undefined;
      const step = onUploadEvent(UPLOAD, job, event);
      return step && stepOf(step);
    },

    answers: {
      GetLog(state, request, view) {
        const rejected: { response: GetLogResponse } = { response: { status: 'Rejected' } };
        // 2.1's DataCollectorLog: no data collector in ocppkit, so no such log (N01.FR.05).
        if (request.logType === 'DataCollectorLog') return rejected;
        const job = newLogJob({ ...request, logType: request.logType }, view.identity);
        if (!job) return { response: { status: 'Rejected', statusInfo: { reasonCode: 'InvalidURL' } } };
        // N01.FR.05: Rejected when the requested log is not available.
        if (!logAvailable(job, options.canDiagnose, view)) return rejected;
        const current = state.job;
        // N01.FR.12/20: the upload under way is canceled and says so.
        const cancel: Effect[] = current
          ? [...cancelUpload(UPLOAD), status(current.requestId, 'AcceptedCanceled')]
          : [];
        const started = attemptUpload(UPLOAD, job, view, [...cancel, status(job.requestId, 'Uploading')]);
        return {
          state: stateOf(started),
          response: { status: current ? 'AcceptedCanceled' : 'Accepted', filename: job.filename },
          after: started.effects,
        };
      },
    },
  };
}
