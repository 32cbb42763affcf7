// One GetLog upload job, as both GetLogs run it: 2.x N01 (get-log.ts) and the 1.6 security whitepaper's
// (v16/security/security.ts). An attempt reads the log — the security log block A keeps, or the integrator's
// `diagnosticsLog` through a hardware call — and uploads it with a `transfer` effect; a failed attempt is retried
// `retries` times `retryInterval` s apart, then reported with the status that says why (N01.FR.10). What differs
// per version is how a status goes out (2.x hands it to F's transfer-status, 1.6 sends LogStatusNotification) and
// the tags, timer and retry event the use case owns: `LogUpload`.
import { readSecurityLog } from '../A-security/security-log.js';
import type { Family2x, StationFamily } from '../core/family.js';
import type { Effect, StationEvent, StationView } from '../core/types.js';
import type { TransferErrorKind } from '../../transfer/types.js';
import { diagnosticsSource, securityLogText, type LogWindow } from './log-content.js';

export interface LogJob {
  requestId: number;
  logType: 'DiagnosticsLog' | 'SecurityLog';
  remoteLocation: string;
  oldestTimestamp?: string;
  latestTimestamp?: string;
  /** The name the file is uploaded under (the GetLog response's filename). */
  filename: string;
  retries: number;
  retryIntervalSec: number;
  failures: number;
}

/** The upload statuses both versions name (2.x adds AcceptedCanceled, which its use case sends itself). */
export type UploadStatus =
  'Uploading' | 'Uploaded' | 'UploadFailure' | 'PermissionDenied' | 'NotSupportedOperation' | 'BadMessage';

/** What a use case running jobs gives: its ids, and how a status goes out. */
export interface LogUpload<F extends StationFamily = Family2x> {
  transferTag: string;
  timerId: string;
  /** The tag of the diagnostics request of one job (a late answer for a canceled job is not used). */
  sourceTag(requestId: number): string;
  retryEvent(requestId: number): StationEvent<F>;
  status(requestId: number, status: UploadStatus): Effect<F>;
}

/** Where a step leaves the job: still under way, or over (undefined); and its effects. */
export interface JobStep<F extends StationFamily = Family2x> {
  job: LogJob | undefined;
  effects: Effect<F>[];
}

/** When the CSMS leaves it to the station: no retry (the CSMS asks again if it wants). */
export const DEFAULT_LOG_RETRIES = 0;
export const DEFAULT_LOG_RETRY_INTERVAL_SEC = 30;
const PROTOCOLS = ['http:', 'https:', 'ftp:', 'ftps:'];

const nonNegative = (n: number | undefined, fallback: number) =>
  n !== undefined && Number.isInteger(n) && n >= 0 ? n : fallback;

/** The GetLog request fields both versions have. */
export interface GetLogFields {
  log: { remoteLocation: string; oldestTimestamp?: string; latestTimestamp?: string };
  logType: string;
  requestId: number;
  retries?: number;
  retryInterval?: number;
}

/** The job a GetLog asks for; undefined when its remoteLocation is no URL of a protocol the transfers speak. */
export function newLogJob(
  request: GetLogFields & { logType: LogJob['logType'] },
  identity: string,
): LogJob | undefined {
  const { log, logType, requestId } = request;
  let url: URL | undefined;
  try {
    url = new URL(log.remoteLocation);
  } catch {
    url = undefined;
  }
  if (!url || !PROTOCOLS.includes(url.protocol)) return undefined;
  return {
    requestId,
    logType,
    remoteLocation: log.remoteLocation,
    ...(log.oldestTimestamp !== undefined ? { oldestTimestamp: log.oldestTimestamp } : {}),
    ...(log.latestTimestamp !== undefined ? { latestTimestamp: log.latestTimestamp } : {}),
    filename: `${identity}-${logType === 'SecurityLog' ? 'security' : 'diagnostics'}-${requestId}.log`,
    retries: nonNegative(request.retries, DEFAULT_LOG_RETRIES),
    retryIntervalSec: nonNegative(request.retryInterval, DEFAULT_LOG_RETRY_INTERVAL_SEC),
    failures: 0,
  };
}

const windowOf = (job: LogJob): LogWindow => ({
  ...(job.oldestTimestamp !== undefined ? { oldest: Date.parse(job.oldestTimestamp) } : {}),
  ...(job.latestTimestamp !== undefined ? { latest: Date.parse(job.latestTimestamp) } : {}),
});

const securityLogOf = <F extends StationFamily>(job: LogJob, view: StationView<F>) =>
  securityLogText(readSecurityLog(view.store), windowOf(job));

/**
 * N01.FR.05: whether the log asked for is there: a diagnostics source (the integrator gave `diagnosticsLog`), or a
 * security event in the window.
 */
export function logAvailable<F extends StationFamily>(job: LogJob, canDiagnose: boolean, view: StationView<F>) {
  return job.logType === 'DiagnosticsLog' ? canDiagnose : securityLogOf(job, view) !== undefined;
}

/** The failure status that says why (N01.FR.10). */
function failureStatus(error: TransferErrorKind | 'empty'): UploadStatus {
  if (error === 'permission') return 'PermissionDenied';
  if (error === 'unsupported') return 'NotSupportedOperation';
  if (error === 'badUrl') return 'BadMessage';
  return 'UploadFailure';
}

/** One attempt: the diagnostics are asked for (the upload follows their answer), the security log read at once. */
export function attemptUpload<F extends StationFamily>(
  u: LogUpload<F>,
  job: LogJob,
  view: StationView<F>,
  effects: Effect<F>[],
): JobStep<F> {
  if (job.logType === 'SecurityLog') {
    const text = securityLogOf(job, view);
    return uploadFrom(u, job, text === undefined ? undefined : { text }, effects);
  }
  const window = {
    ...(job.oldestTimestamp !== undefined ? { oldestTimestamp: job.oldestTimestamp } : {}),
    ...(job.latestTimestamp !== undefined ? { latestTimestamp: job.latestTimestamp } : {}),
  };
  return {
    job,
    effects: [
      ...effects,
      { type: 'persist' },
      { type: 'hardware', call: { op: 'diagnosticsLog', args: [window] }, tag: u.sourceTag(job.requestId) },
    ],
  };
}

function uploadFrom<F extends StationFamily>(
  u: LogUpload<F>,
  job: LogJob,
  source: ReturnType<typeof diagnosticsSource>,
  effects: Effect<F>[],
): JobStep<F> {
  if (!source) return attemptFailed(u, job, 'empty', 'the log source gave nothing to upload', effects);
  return {
    job,
    effects: [
      ...effects,
      { type: 'persist' },
      {
        type: 'transfer',
        tag: u.transferTag,
        request: { kind: 'upload', url: job.remoteLocation, name: job.filename, source },
      },
    ],
  };
}

/** An attempt failed: a retry after retryInterval, or the failure reported after the last one (N01.FR.10). */
function attemptFailed<F extends StationFamily>(
  u: LogUpload<F>,
  job: LogJob,
  error: TransferErrorKind | 'empty',
  message: string,
  effects: Effect<F>[] = [],
): JobStep<F> {
  const failures = job.failures + 1;
  const log: Effect<F> = {
    type: 'emit',
    event: {
      type: 'log',
      level: 'warn',
      message: `log upload ${failures} of ${job.retries + 1} failed (${error}): ${message}`,
    },
  };
  if (failures > job.retries || error === 'empty')
    return {
      job: undefined,
      effects: [...effects, log, u.status(job.requestId, failureStatus(error)), { type: 'persist' }],
    };
  return {
    job: { ...job, failures },
    effects: [
      ...effects,
      log,
      { type: 'timer', id: u.timerId, ms: job.retryIntervalSec * 1000, event: u.retryEvent(job.requestId) },
      { type: 'persist' },
    ],
  };
}

/**
 * The station started again with the job under way and the CSMS accepted its boot: the reboot cut that attempt, which
 * counts as failed; the next one starts with Uploading again.
 */
export function resumeUpload<F extends StationFamily>(u: LogUpload<F>, job: LogJob, view: StationView<F>): JobStep<F> {
  const failures = job.failures + 1;
  if (failures > job.retries)
    return { job: undefined, effects: [u.status(job.requestId, 'UploadFailure'), { type: 'persist' }] };
  return attemptUpload(u, { ...job, failures }, view, [u.status(job.requestId, 'Uploading')]);
}

/** The answers of the job's hardware call and transfer; undefined for an event of someone else's. */
export function onUploadEvent<F extends StationFamily>(
  u: LogUpload<F>,
  job: LogJob,
  event: StationEvent<F>,
): JobStep<F> | undefined {
  switch (event.type) {
    case 'hardwareDone':
      return event.tag === u.sourceTag(job.requestId)
        ? uploadFrom(u, job, diagnosticsSource(event.result), [])
        : undefined;
    case 'hardwareFailed':
      return event.tag === u.sourceTag(job.requestId)
        ? attemptFailed(u, job, 'empty', `diagnosticsLog failed: ${event.error.message}`)
        : undefined;
    case 'transferDone':
      if (event.tag !== u.transferTag) return undefined;
      if (event.outcome.ok)
        return { job: undefined, effects: [u.status(job.requestId, 'Uploaded'), { type: 'persist' }] };
      return attemptFailed(u, job, event.outcome.error, event.outcome.message);
    default:
      return undefined;
  }
}

/** Stops the job under way (a new GetLog replaces it, N01.FR.12). */
export const cancelUpload = <F extends StationFamily>(u: LogUpload<F>): Effect<F>[] => [
  { type: 'cancelTransfer', tag: u.transferTag },
  { type: 'cancelTimer', id: u.timerId },
];
