// Node's and basic-ftp's errors in the terms of TransferErrorKind.
import { TransferFailure } from './types.js';

/** Whether a failure may be healed by connecting again (a resume or a restart). */
export function retryable(f: TransferFailure): boolean {
  return (f.kind === 'connection' || f.kind === 'timeout') && !f.tls;
}

/** Any error as a TransferFailure. `signal`: an aborted signal makes it `canceled`, whatever the error says. */
export function classify(err: unknown, signal?: AbortSignal): TransferFailure {
  if (signal?.aborted) return new TransferFailure('canceled', 'the transfer was canceled');
  if (err instanceof TransferFailure) return err;
  const e = (err ?? {}) as { code?: unknown; message?: unknown; name?: unknown; path?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (e.name === 'AbortError') return new TransferFailure('canceled', 'the transfer was canceled');
  // basic-ftp's FTPError: the server's reply code.
  if (e.name === 'FTPError' && typeof e.code === 'number') {
    if (e.code === 530 || e.code === 532) return new TransferFailure('permission', message, e.code);
    if (e.code === 550 || e.code === 450 || /no such file|not found/i.test(message))
      return new TransferFailure('notFound', message, e.code);
    return new TransferFailure('server', message, e.code);
  }
  const code = typeof e.code === 'string' ? e.code : '';
  // The station's own file (open, write, read of a local path).
  if (typeof e.path === 'string') return new TransferFailure('local', message);
  if (code === 'ETIMEDOUT' || /timeout/i.test(message)) return new TransferFailure('timeout', message);
  // A server the station does not trust, or a broken handshake: connecting again will not help.
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    const f = new TransferFailure('connection', `TLS: ${message}`);
    f.tls = true;
    return f;
  }
  // ECONNRESET, ECONNREFUSED, EPIPE, a premature close … and anything else: a network failure, which connecting
  // again may heal.
  return new TransferFailure('connection', message || 'the transfer failed');
}
