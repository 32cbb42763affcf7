// Masks secrets in frames before they reach a trace. Applied to every traced frame (never on the wire).
// What counts as a secret:
//   - 2.x BasicAuthPassword (A00.FR.205/A00.FR.304): any object naming variable "BasicAuthPassword" has its
//     attributeValue (SetVariables, GetVariables) and its variableAttribute[].value (NotifyReport) masked;
//   - 1.6 AuthorizationKey (OCPP-J 1.6 §6.2.2, errata §3.12): any object with key "AuthorizationKey" has its
//     value masked (ChangeConfiguration.req, GetConfiguration.conf);
//   - any property whose name ends in "password" (2.1 SetNetworkProfile basicAuthPassword, apnPassword,
//     vpn.password) and the VPN shared key vpn.key.

export const REDACTED = '***';

/**
 * How deep a traced frame is copied. JSON.parse reads a frame nested a million levels deep without complaint, but
 * every recursive walk over it (this one, JSON.stringify, structuredClone) overflows the stack at a few thousand
 * levels: deeper parts of a traced frame are replaced by TOO_DEEP, so that tracing and logging a hostile frame
 * costs the same as any other and never throws. No OCPP payload is nested more than about a dozen levels.
 */
export const MAX_TRACE_DEPTH = 64;
export const TOO_DEEP = '[nested deeper than 64 levels: not traced]';

const SECRET_VARIABLES = new Set(['BasicAuthPassword']);
const SECRET_CONFIG_KEYS = new Set(['AuthorizationKey']);

/**
 * Returns `value` unchanged when it holds no secret and is at most MAX_TRACE_DEPTH levels deep, otherwise a copy
 * with the secrets masked and anything deeper replaced by TOO_DEEP. Never recurses more than MAX_TRACE_DEPTH levels.
 */
export function redactSecrets(value: unknown): unknown {
  return walk(value, undefined, 0);
}

function walk(value: unknown, parentKey: string | undefined, depth: number): unknown {
  if (value !== null && typeof value === 'object' && depth >= MAX_TRACE_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const r = walk(value[i], parentKey, depth + 1);
      if (r !== value[i]) (out ??= value.slice())[i] = r;
    }
    return out ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  // Walking parsed JSON: `value` was checked to be a non-array object.
  const obj = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  const set = (k: string, v: unknown) => ((out ??= { ...obj })[k] = v);

  const variable = obj.variable as { name?: unknown } | undefined;
  const namesSecretVariable =
    typeof variable === 'object' && variable !== null && SECRET_VARIABLES.has(String(variable.name));
  const namesSecretKey = typeof obj.key === 'string' && SECRET_CONFIG_KEYS.has(obj.key);

  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (typeof v === 'string' && isSecretField(k, parentKey, namesSecretVariable, namesSecretKey)) {
      set(k, REDACTED);
    } else if (k === 'variableAttribute' && namesSecretVariable && Array.isArray(v)) {
      set(
        k,
        v.map((a) => (a && typeof a === 'object' && 'value' in a ? { ...a, value: REDACTED } : a)),
      );
    } else if (v !== null && typeof v === 'object') {
      const r = walk(v, k, depth + 1);
      if (r !== v) set(k, r);
    }
  }
  return out ?? value;
}

function isSecretField(
  key: string,
  parentKey: string | undefined,
  secretVariable: boolean,
  secretConfigKey: boolean,
): boolean {
  if (/password$/i.test(key)) return true;
  if (secretVariable && key === 'attributeValue') return true;
  if (secretConfigKey && key === 'value') return true;
  return parentKey === 'vpn' && key === 'key';
}

/** For a frame that could not be parsed: kept (cut to 2000 characters) unless it might contain a secret. */
export function redactRawFrame(text: string): string {
  if (/password|authorizationkey|"key"/i.test(text)) return '[unparsable frame withheld: it may contain a secret]';
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}
