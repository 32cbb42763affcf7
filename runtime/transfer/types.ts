// File transfers the station performs for the CSMS: a firmware download (L01/L02) and a log upload (N01). They run
// outside the pure use cases, as a `transfer` effect the shell hands to runTransfer (index.ts); the outcome comes back
// as a value — never an exception, never an unhandled rejection — so that the use case can say which status follows.

/** Fetch a file into the station's transfer directory. */
export interface DownloadRequest {
  kind: 'download';
  /** http://, https://, ftp:// or ftps:// (user:password@ allowed, N01 remark / FTP URL format). */
  url: string;
  /** The file name to write inside the transfer directory (no directory part). */
  name: string;
  /**
   * Check a signature over the downloaded file with the public key of this certificate (L01.FR.04/12): the outcome
   * then says `signature: 'valid' | 'invalid'`.
   */
  verify?: { certificate: string; signature: string };
}

/** Send a file or a text to a URL: HTTP(S) PUT or POST (multipart, N01.FR.19), or FTP(S) STOR. */
export interface UploadRequest {
  kind: 'upload';
  url: string;
  /** The file name the receiver gets (POST's Content-Disposition, FTP when the URL names a directory). */
  name: string;
  /** What to send: a file of the station's, or content made in memory. */
  source: { path: string } | { text: string } | { data: Uint8Array };
  /** HTTP(S) only. Default POST (N01.FR.18: a CSMS is recommended to take both). */
  method?: 'POST' | 'PUT';
}

/** Remove a file of the transfer directory (a download that is no longer needed); a missing file is fine. */
export interface RemoveRequest {
  kind: 'remove';
  name: string;
}

export type TransferRequest = DownloadRequest | UploadRequest | RemoveRequest;

/**
 * Why a transfer failed, in the terms the use cases map to statuses: `notFound`/`permission` (the server refused
 * the file or the credentials), `tooLarge` (over the size limit), `timeout`, `connection` (cut or refused, after the
 * resumes and restarts), `server` (another error answer), `badUrl`, `unsupported` (a protocol the station does not
 * speak), `canceled`, `local` (the station's own file could not be read or written).
 */
export type TransferErrorKind =
  | 'notFound'
  | 'permission'
  | 'tooLarge'
  | 'timeout'
  | 'connection'
  | 'server'
  | 'badUrl'
  | 'unsupported'
  | 'canceled'
  | 'local';

export type TransferOutcome =
  | {
      ok: true;
      /** Bytes transferred in all (a resumed transfer counts each byte once). */
      bytes: number;
      /** A download: where the file is. */
      path?: string;
      /** A download with `verify`: whether the signature holds. */
      signature?: 'valid' | 'invalid';
      /** Times the transfer resumed or restarted after a lost connection. */
      resumes?: number;
    }
  | { ok: false; error: TransferErrorKind; message: string; status?: number };

export interface TransferSettings {
  /** Where downloads are written. */
  directory: string;
  /** Largest file a download may bring, bytes. */
  maxBytes: number;
  /** A connection with no progress for this long fails, ms. */
  timeoutMs: number;
  /** Resumes or restarts after a lost connection within one transfer. */
  reconnects: number;
  /** Extra CA certificates (PEM) trusted for HTTPS and FTPS, besides the system's (N01.FR.15/16). */
  ca?: string | string[];
  /** Stops the transfer: the outcome is `canceled`. */
  signal?: AbortSignal;
}

export const DEFAULT_TRANSFER_SETTINGS = {
  maxBytes: 256 * 1024 * 1024,
  timeoutMs: 30_000,
  reconnects: 3,
} as const;

/** A failure as a value. */
export class TransferFailure extends Error {
  constructor(
    readonly kind: TransferErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
  /** A TLS failure (an untrusted server): not healed by connecting again. */
  tls = false;
}
