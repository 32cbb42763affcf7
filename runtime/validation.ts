// Validating a payload against a version's precompiled validators, and turning a failure into the CallError
// the version's OCPP-J specification prescribes, with a message that names the field.
import type {
  ActionDescriptor,
  AnyProtocol,
  CallErrorCode,
  Direction,
  ValidationIssue,
  Validator,
} from './protocol.js';

export interface ValidationFailure {
  /** The CallError code to answer with (spelled as the negotiated version spells it). */
  code: CallErrorCode;
  /** Dotted path of the offending field, e.g. `chargingStation.model` or `meterValue[0].sampledValue`. Empty for the payload itself. */
  path: string;
  /** `BootNotificationRequest.chargingStation.model: must be at most 20 characters` */
  message: string;
  /** The JSON-schema keyword that failed (`required`, `maxLength`, …). */
  keyword: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; error: ValidationFailure };

export type PayloadKind = 'request' | 'response';

/**
 * Validates `payload` as the request or response of `action`. Throws a RangeError for an action the version does
 * not have (callers decide what an unknown action means: a CALLERROR for an incoming frame, a bug for an outgoing one).
 */
export function validatePayload<T = unknown>(
  protocol: AnyProtocol,
  action: string,
  kind: PayloadKind,
  payload: unknown,
): ValidationResult<T> {
  const descriptor = Object.hasOwn(protocol.actions, action) ? protocol.actions[action] : undefined;
  if (!descriptor) throw new RangeError(`${protocol.name} has no action "${action}"`);
  const validator = kind === 'request' ? descriptor.request : descriptor.response;
  if (!validator) throw new RangeError(`${action} is a SEND message in ${protocol.name}: it has no response`);
  // The validator has just proven the payload has the shape of T: this is the one place that turns unknown into T.
  if (validator(payload)) return { ok: true, value: payload as T };
  return {
    ok: false,
    error: describeFailure(protocol, `${action}${kind === 'request' ? 'Request' : 'Response'}`, validator.errors?.[0]),
  };
}

/** Maps the first ajv issue to the version's CallError code and a message naming the field. */
export function describeFailure(
  protocol: AnyProtocol,
  typeName: string,
  issue: ValidationIssue | undefined,
): ValidationFailure {
  const codes = protocol.validationErrorCodes;
  if (!issue) {
    return { code: codes.$default!, path: '', message: `${typeName}: invalid payload`, keyword: 'unknown' };
  }
  const path = fieldPath(issue);
  const atRoot = issue.instancePath === '' && issue.keyword === 'type';
  const code = (atRoot ? codes.$root : codes[issue.keyword]) ?? codes.$default!;
  const where = path ? `${typeName}.${path}` : typeName;
  return { code, path, message: `${where}: ${explain(issue)}`, keyword: issue.keyword };
}

/** JSON pointer → dotted path; for `required` / `additionalProperties` the named property is appended. */
function fieldPath(issue: ValidationIssue): string {
  const parts = issue.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra =
    issue.keyword === 'required'
      ? issue.params.missingProperty
      : issue.keyword === 'additionalProperties'
        ? issue.params.additionalProperty
        : undefined;
  if (typeof extra === 'string') parts.push(extra);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function explain(issue: ValidationIssue): string {
  const p = issue.params;
  switch (issue.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a property of this message';
    case 'type':
      return `must be ${String(p.type)}`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters`;
    case 'minLength':
      return `must be at least ${String(p.limit)} characters`;
    case 'enum':
      return `must be one of ${Array.isArray(p.allowedValues) ? p.allowedValues.join(', ') : 'the allowed values'}`;
    case 'format':
      return `must be a valid ${String(p.format)}`;
    case 'minimum':
      return `must be ≥ ${String(p.limit)}`;
    case 'maximum':
      return `must be ≤ ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `must be > ${String(p.limit)}`;
    case 'exclusiveMaximum':
      return `must be < ${String(p.limit)}`;
    case 'multipleOf':
      return `must be a multiple of ${String(p.multipleOf)}`;
    case 'minItems':
      return `must have at least ${String(p.limit)} items`;
    case 'maxItems':
      return `must have at most ${String(p.limit)} items`;
    case 'pattern':
      return `must match ${String(p.pattern)}`;
    default:
      return issue.message ?? `fails ${issue.keyword}`;
  }
}

/** The validators of one action as a generated chunk exports them (`response` is absent for a SEND message). */
export interface ValidatorChunk {
  readonly request: Validator;
  readonly response?: Validator;
}

/**
 * An action descriptor whose validators are loaded the first time `request` or `response` is read (the generated
 * `actions` of every version are made of these). The getter then replaces itself with a plain data property, so
 * every later read costs what reading a field costs — the lazy loading is paid once per action and process.
 */
export function lazyActionDescriptor(
  direction: Direction,
  load: () => ValidatorChunk,
  options: { send?: true } = {},
): ActionDescriptor {
  const descriptor: { direction: Direction; send?: true } = { direction };
  if (options.send) descriptor.send = true;
  let chunk: ValidatorChunk | undefined;
  const settle = (kind: 'request' | 'response'): Validator | null => {
    chunk ??= load();
    const validator = kind === 'request' ? chunk.request : (chunk.response ?? null);
    if (kind === 'request' ? !validator : !validator && !options.send) {
      throw new Error(`validator chunk has no ${kind} validator`);
    }
    Object.defineProperty(descriptor, kind, {
      value: validator,
      enumerable: true,
      writable: false,
      configurable: false,
    });
    return validator;
  };
  Object.defineProperty(descriptor, 'request', { get: () => settle('request'), enumerable: true, configurable: true });
  if (options.send) Object.defineProperty(descriptor, 'response', { value: null, enumerable: true });
  else
    Object.defineProperty(descriptor, 'response', {
      get: () => settle('response'),
      enumerable: true,
      configurable: true,
    });
  // Looked up by the action's name in the version's action table, which holds ActionDescriptors.
  return descriptor as ActionDescriptor;
}
