// ocppkit's RPC layer: OCPP-J over WebSocket for both ends, generic over a version's generated protocol.
export {
  StationClient,
  connectionUrl,
  type StationClientOptions,
  type StationClientEvents,
  type StationSession,
  type ProtocolNamed,
} from './client.js';
export {
  CsmsServer,
  type CsmsServerOptions,
  type CsmsServerEvents,
  type CsmsSession,
  type CsmsCall,
  type CsmsCallResult,
  type CsmsHandledAction,
  type CsmsOtherCall,
  type StationCredentials,
  type AuthenticationResult,
} from './server.js';
export { Session, type SessionOptions, type SessionEvents, type CloseInfo } from './session.js';
export { Handlers } from './handlers.js';
export type {
  AfterHook,
  AnsweredAction,
  CallableAction,
  CallOptions,
  HandledAction,
  Handler,
  HandlerContext,
  Request,
  Response,
  SendableAction,
} from './types.js';
export {
  OcppRpcError,
  CallError,
  CallErrorResponse,
  CallTimeoutError,
  OutgoingValidationError,
  InvalidResponseError,
  ConnectionClosedError,
  ProtocolNegotiationError,
  HandshakeRefusedError,
  ConnectFailedError,
} from './errors.js';
export {
  basicAuthorization,
  parseBasicAuthorization,
  passwordMatches,
  authorizationKeyPassword,
  type Password,
} from './auth.js';
export { backoffDelayMs, DEFAULT_BACKOFF, type BackoffConfig } from './backoff.js';
export { jsonLinesTrace, type TraceEntry, type TraceSink, type JsonLinesTrace } from './trace.js';
export { redactSecrets, REDACTED } from './redact.js';
export type { StationTlsOptions, CsmsTlsOptions, CertificateSubject } from './tls.js';
export { systemTimers, type Timers } from './timers.js';
export type { FrameProblem } from './frame-errors.js';
