// Masks secrets in frames before they reach a trace. Applied to every traced frame (never on the wire).
// What counts as a secret:
//   - 2.x BasicAuthPassword (A00.FR.205/A00.FR.304): any object naming variable "BasicAuthPassword" has its
//     attributeValue (SetVariables, GetVariables) and its variableAttribute[].value (NotifyReport) masked;
//   - 1.6 AuthorizationKey (OCPP-J 1.6 §6.2.2, errata §3.12): any object with key "AuthorizationKey" has its
//     value masked (ChangeConfiguration.req, GetConfiguration.conf);
//   - any property whose name ends in "password" (2.1 SetNetworkProfile basicAuthPassword, apnPassword,
//     vpn.password) and the VPN shared key vpn.key.

export const REDACTED = '***';

const SECRET_VARIABLES = new Set(['BasicAuthPassword']);
const SECRET_CONFIG_KEYS = new Set(['AuthorizationKey']);

/** Returns `value` unchanged when it holds no secret, otherwise a copy with the secrets masked. */
export function redactSecrets(value: unknown): unknown {
  return walk(value, undefined);
}

function walk(value: unknown, parentKey: string | undefined): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const r = walk(value[i], parentKey);
      if (r !== value[i]) (out ??= value.slice())[i] = r;
    }
    return out ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  const set = (k: string, v: unknown) => ((out ??= { ...obj })[k] = v);

  const variable = obj.variable as { name?: unknown } | undefined;
  const namesSecretVariable = typeof variable === 'object' && variable !== null && SECRET_VARIABLES.has(String(variable.name));
  const namesSecretKey = typeof obj.key === 'string' && SECRET_CONFIG_KEYS.has(obj.key);

  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (typeof v === 'string' && isSecretField(k, parentKey, namesSecretVariable, namesSecretKey)) {
      set(k, REDACTED);
    } else if (k === 'variableAttribute' && namesSecretVariable && Array.isArray(v)) {
      set(k, v.map((a) => (a && typeof a === 'object' && 'value' in a ? { ...a, value: REDACTED } : a)));
    } else if (v !== null && typeof v === 'object') {
      const r = walk(v, k);
      if (r !== v) set(k, r);
    }
  }
  return out ?? value;
}

function isSecretField(key: string, parentKey: string | undefined, secretVariable: boolean, secretConfigKey: boolean): boolean {
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
