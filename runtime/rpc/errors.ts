// The errors the RPC layer rejects with. Every one has a stable `code` so callers branch on it without
// `instanceof` across package copies, and none carries a password, a header or a stack from the peer.

/** Base class: `code` names the kind of failure. */
export class OcppRpcError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * A CALLERROR (OCPP-J 1.6 §4.2.3, 2.x Part 4 §4.2.3). A handler throws one to answer a CALL with this error
 * code instead of a CALLRESULT; the RPC layer also builds one for every CALLERROR it sends.
 */
export class CallError extends OcppRpcError {
  /** The ErrorDescription (string[255]). */
  readonly description: string;
  /** The ErrorDetails object ({} when there are none). */
  readonly details: Record<string, unknown>;
  constructor(code: string, description = '', details: Record<string, unknown> = {}) {
    super(code, description ? `${code}: ${description}` : code);
    this.description = description;
    this.details = details;
  }
}

/** The peer answered our CALL with a CALLERROR: `code`, `description` and `details` are the peer's. */
export class CallErrorResponse extends CallError {
  readonly action: string;
  readonly messageId: string;
  constructor(action: string, messageId: string, code: string, description: string, details: Record<string, unknown>) {
    super(code, description, details);
    this.action = action;
    this.messageId = messageId;
    this.message = `${action} was answered with CALLERROR ${code}${description ? `: ${description}` : ''}`;
  }
}

/** No CALLRESULT or CALLERROR arrived within the timeout (Part 4 §4.1.1). The CALL counts as timed out. */
export class CallTimeoutError extends OcppRpcError {
  readonly action: string;
  readonly messageId: string;
  readonly timeoutMs: number;
  constructor(action: string, messageId: string, timeoutMs: number) {
    super('CallTimeout', `${action} (message ${messageId}) was not answered within ${timeoutMs} ms`);
    this.action = action;
    this.messageId = messageId;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * An outgoing payload failed the version's schema. Nothing was sent. `field` is the dotted path of the offending
 * field (empty for the payload itself) and `callErrorCode` the code the peer would have answered with.
 */
export class OutgoingValidationError extends OcppRpcError {
  readonly action: string;
  readonly field: string;
  readonly callErrorCode: string;
  constructor(action: string, field: string, callErrorCode: string, message: string) {
    super('OutgoingValidation', message);
    this.action = action;
    this.field = field;
    this.callErrorCode = callErrorCode;
  }
}

/**
 * The peer's CALLRESULT failed the version's response schema (or was not an object). The CALL is rejected with
 * this error; in 2.1 the peer is also told with a CALLRESULTERROR (Part 4 §4.2.3).
 */
export class InvalidResponseError extends OcppRpcError {
  readonly action: string;
  readonly messageId: string;
  readonly field: string;
  readonly callErrorCode: string;
  constructor(action: string, messageId: string, field: string, callErrorCode: string, message: string) {
    super('InvalidResponse', message);
    this.action = action;
    this.messageId = messageId;
    this.field = field;
    this.callErrorCode = callErrorCode;
  }
}

/**
 * The connection is not open, or closed before the CALL was answered. `sent` tells whether the CALL had been
 * written to the socket: when true the peer may have processed it, when false it certainly did not.
 */
export class ConnectionClosedError extends OcppRpcError {
  readonly sent: boolean;
  constructor(message: string, sent: boolean) {
    super('ConnectionClosed', message);
    this.sent = sent;
  }
}

/**
 * The WebSocket subprotocol negotiation failed (Part 4 §3.1.2/§3.3): the server chose no subprotocol or one the
 * station did not offer, or the station offered none the server accepts.
 */
export class ProtocolNegotiationError extends OcppRpcError {
  readonly offered: readonly string[];
  readonly selected: string | undefined;
  constructor(message: string, offered: readonly string[], selected?: string) {
    super('ProtocolNegotiation', message);
    this.offered = offered;
    this.selected = selected;
  }
}

/** The server refused the WebSocket upgrade with an HTTP status (401 bad credentials, 404 unknown station, …). */
export class HandshakeRefusedError extends OcppRpcError {
  readonly status: number;
  /** The URL path the station asked for (`<endpoint path>/<identity>`), when known. */
  readonly path: string | undefined;
  constructor(status: number, path?: string) {
    const why =
      status === 401
        ? ' (authentication failed)'
        : status === 404
          ? ' (unknown station identity, or no OCPP endpoint at that path)'
          : '';
    super('HandshakeRefused', `the CSMS refused the connection${path ? ` to ${path}` : ''} with HTTP ${status}${why}`);
    this.status = status;
    this.path = path;
  }
}

/**
 * A connection attempt failed below OCPP: TCP, TLS (an untrusted, expired or mismatching certificate —
 * A00.FR.310/A00.FR.413 — or a client certificate the server refused), or the handshake timed out.
 * `reason` is the Node error code (e.g. `CERT_HAS_EXPIRED`, `ECONNREFUSED`) when there is one.
 */
export class ConnectFailedError extends OcppRpcError {
  readonly reason: string;
  constructor(reason: string, message: string, cause?: unknown) {
    super('ConnectFailed', message, { cause });
    this.reason = reason;
  }
}
