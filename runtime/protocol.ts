// The contract between the generated layer (generated/<version>/) and the hand-written runtime.
// Types only: the generated modules satisfy these shapes, the runtime is generic over them, and importing this
// file loads nothing.

/** The OCPP-J WebSocket subprotocols, in ocppkit's default order of preference. */
export const PROTOCOL_NAMES = ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6'] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

/** Who sends the CALL, as in the spec's directions table ("CS" is the Charging Station / 1.6 Charge Point). */
export type Direction = 'CS->CSMS' | 'CSMS->CS' | 'both';

/** Which end of the connection a piece of code plays. */
export type Role = 'cs' | 'csms';

/**
 * The type-level description of one action. The generated `Actions` interface of a version is a record of these,
 * e.g. `BootNotification: { direction: 'CS->CSMS'; request: BootNotificationRequest; response: BootNotificationResponse }`.
 * A 2.1 SEND message (NotifyPeriodicEventStream) has `send: true` and `response: never`.
 */
export interface ActionTypes {
  direction: Direction;
  request: unknown;
  response: unknown;
  send?: true;
}
export type ActionMapTypes = { [action: string]: ActionTypes };

/** One error of an ajv validator (the subset the runtime reads). */
export interface ValidationIssue {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A precompiled ajv standalone validator: returns true when valid, otherwise sets `errors`. */
export interface Validator {
  (data: unknown): boolean;
  errors?: ValidationIssue[] | null;
}

/** Run-time data of one action: its direction and its two validators (`response` is null for a SEND message). */
export interface ActionDescriptor {
  readonly direction: Direction;
  readonly send?: true;
  readonly request: Validator;
  readonly response: Validator | null;
}

/** CallError codes of OCPP-J 1.6 (section 4.2.3), spelled as that specification spells them. */
export type CallErrorCode16 =
  | 'NotImplemented'
  | 'NotSupported'
  | 'InternalError'
  | 'ProtocolError'
  | 'SecurityError'
  | 'FormationViolation'
  | 'PropertyConstraintViolation'
  | 'OccurenceConstraintViolation'
  | 'TypeConstraintViolation'
  | 'GenericError';

/** CallError codes of OCPP-J 2.0.1 / 2.1 (Part 4, "RPC Framework Error Codes"). */
export type CallErrorCode2x =
  | 'FormatViolation'
  | 'GenericError'
  | 'InternalError'
  | 'MessageTypeNotSupported'
  | 'NotImplemented'
  | 'NotSupported'
  | 'OccurrenceConstraintViolation'
  | 'PropertyConstraintViolation'
  | 'ProtocolError'
  | 'RpcFrameworkError'
  | 'SecurityError'
  | 'TypeConstraintViolation';

export type CallErrorCode = CallErrorCode16 | CallErrorCode2x;
export type CallErrorCodeOf<P extends ProtocolName> = P extends 'ocpp1.6' ? CallErrorCode16 : CallErrorCode2x;

/**
 * Everything the runtime needs to speak one version: what each generated `generated/<v>/index.ts` exports as
 * `protocol`. `A` is the version's generated `Actions` interface; it exists only at the type level.
 */
export interface Protocol<P extends ProtocolName = ProtocolName, A extends ActionMapTypes = ActionMapTypes> {
  readonly name: P;
  readonly actions: { readonly [K in keyof A]: ActionDescriptor };
  /**
   * Maps the ajv keyword of a validation failure to the CallError code to answer with. `$root` is used when the
   * payload itself is not an object; `$default` for any keyword not listed.
   */
  readonly validationErrorCodes: Readonly<Record<string, CallErrorCodeOf<P>>>;
  /** Phantom field carrying the action map type; never set at run time. */
  readonly __actions?: A;
}

export type AnyProtocol = Protocol<ProtocolName, any>;
export type ActionsOf<P> = P extends Protocol<any, infer A> ? A : never;
export type NameOf<P> = P extends Protocol<infer N, any> ? N : never;

type SentBy<R extends Role> = R extends 'cs' ? 'CS->CSMS' : 'CSMS->CS';
type ReceivedBy<R extends Role> = R extends 'cs' ? 'CSMS->CS' : 'CS->CSMS';

/** Actions that role R may send as a CALL (or SEND). */
export type OutgoingAction<A extends ActionMapTypes, R extends Role> = {
  [K in keyof A]: A[K]['direction'] extends SentBy<R> | 'both' ? K : never;
}[keyof A] &
  string;

/** Actions that role R receives and must answer. */
export type IncomingAction<A extends ActionMapTypes, R extends Role> = {
  [K in keyof A]: A[K]['direction'] extends ReceivedBy<R> | 'both' ? K : never;
}[keyof A] &
  string;

/** Actions answered with a CALLRESULT (everything but SEND messages). */
export type CallAction<A extends ActionMapTypes> = {
  [K in keyof A]: A[K] extends { send: true } ? never : K;
}[keyof A] &
  string;

/** SEND messages (2.1): fire-and-forget, never answered. */
export type SendAction<A extends ActionMapTypes> = {
  [K in keyof A]: A[K] extends { send: true } ? K : never;
}[keyof A] &
  string;

export type RequestOf<A extends ActionMapTypes, K extends keyof A> = A[K]['request'];
export type ResponseOf<A extends ActionMapTypes, K extends keyof A> = A[K]['response'];
