// The fleet template: a JSON file checked against template.schema.json (shipped with the package, so that editors
// can use it too), with every field defaulted by the schema. Errors name the field and say what it must be, e.g.
// `stations.evses: must be an integer ≥ 1 and ≤ 8, got "two"`.
import { Ajv, type ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import type { FleetTemplate, Range } from './template-types.js';
import { messageOf } from '../error-text.js';

export type { FleetTemplate, Range } from './template-types.js';

/** Every field present: what the schema's defaults make of any valid template. */
export type ResolvedTemplate = DeepRequired<Omit<FleetTemplate, 'security' | '$schema'>> & {
  security: NonNullable<FleetTemplate['security']>;
};
type DeepRequired<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]-?: T[K] extends Range | undefined ? Range : DeepRequired<NonNullable<T[K]>> }
    : T;

/** A template that does not follow the schema: one line per problem, each naming its field. */
export class TemplateError extends Error {
  override name = 'TemplateError';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

type Schema = {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  $ref?: string;
  definitions?: Record<string, Schema>;
};

/** The schema file: next to this module in the sources, at the package's root folder's runtime/fleet/ when built. */
export function templateSchema(): Schema {
  const places = ['./template.schema.json', '../../../runtime/fleet/template.schema.json'];
  for (const place of places) {
    try {
      // Our own schema file (a JSON Schema object).
      return JSON.parse(readFileSync(new URL(place, import.meta.url), 'utf8')) as Schema;
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT') throw e;
    }
  }
  throw new Error(`template.schema.json not found next to ${import.meta.url}`);
}

let compiled: ReturnType<Ajv['compile']> | undefined;
let schemaRoot: Schema | undefined;

function validator() {
  if (!compiled) {
    schemaRoot = templateSchema();
    // useDefaults fills every absent field from the schema; tsType is json-schema-to-typescript's keyword.
    const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true });
    ajv.addKeyword('tsType');
    compiled = ajv.compile(schemaRoot);
  }
  return compiled;
}

/** Checks a parsed template and fills in the defaults; throws a TemplateError naming every bad field. */
export function resolveTemplate(input: unknown): ResolvedTemplate {
  // A deep copy: defaults are written into the object.
  const data: unknown = input === undefined ? {} : structuredClone(input);
  const validate = validator();
  if (!validate(data)) throw new TemplateError(describe(validate.errors ?? [], data));
  // The schema checked it and filled every default.
  const t = data as ResolvedTemplate;
  const problems: string[] = [];
  for (const [name, range] of Object.entries(t.sessions)) {
    if (isRange(range) && range.min > range.max)
      problems.push(`sessions.${name}: min must not be above max, got ${range.min} > ${range.max}`);
  }
  if (t.security.profile !== undefined && t.security.password === undefined)
    problems.push(`security.password: needed with security profile ${t.security.profile}`);
  if (t.security.password !== undefined) {
    // The longest identity's password is checked: the pattern's placeholders change its length.
    const sample = expandPassword(t.security.password, t.stations.firstNumber, identityOf(t, t.stations.firstNumber));
    if (sample.length < 16 || sample.length > 40)
      problems.push(
        `security.password: must give passwords of 16 to 40 characters (OCPP's BasicAuthPassword), got ${sample.length} for the first station`,
      );
  }
  if (problems.length) throw new TemplateError(problems);
  return t;
}

/** Reads and resolves a template file; a file that is not JSON is a TemplateError too. */
export function loadTemplate(path: string | undefined): ResolvedTemplate {
  if (path === undefined) return resolveTemplate({});
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new TemplateError([`cannot read ${path}: ${messageOf(e)}`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new TemplateError([`${path} is not JSON: ${messageOf(e)}`]);
  }
  return resolveTemplate(parsed);
}

/** The identity of station number `n`: the pattern with {n} zero-padded. */
export function identityOf(t: ResolvedTemplate, n: number): string {
  return t.stations.identity.replaceAll('{n}', String(n).padStart(t.stations.identityPad, '0'));
}

export function expandPassword(pattern: string, n: number, identity: string): string {
  return pattern.replaceAll('{n}', String(n)).replaceAll('{id}', identity);
}

function isRange(v: unknown): v is Range {
  return typeof v === 'object' && v !== null && 'min' in v && 'max' in v;
}

/** One line per field: `path: must be <what the schema says>, got <value>`. */
function describe(errors: ErrorObject[], data: unknown): string[] {
  const lines = new Map<string, string>();
  for (const e of errors) {
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const at = join(e.instancePath, extra);
      const known = Object.keys(schemaAt(e.instancePath).properties ?? {});
      lines.set(at, `${at}: unknown field (known: ${known.join(', ')})`);
      continue;
    }
    if (e.keyword === 'required') {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      const at = join(e.instancePath, missing);
      lines.set(at, `${at}: is required`);
      continue;
    }
    const at = join(e.instancePath);
    if (lines.has(at)) continue;
    lines.set(
      at,
      `${at}: must be ${expectation(schemaAt(e.instancePath))}, got ${shown(valueAt(data, e.instancePath))}`,
    );
  }
  return [...lines.values()];
}

function join(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1).map(unescape);
  if (extra !== undefined) parts.push(extra);
  return parts.length ? parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i ? `.${p}` : p)).join('') : '(template)';
}

const unescape = (s: string) => s.replaceAll('~1', '/').replaceAll('~0', '~');

/** The schema of the value at a JSON pointer (following properties, items, allOf and the local $ref). */
function schemaAt(pointer: string): Schema {
  let s = deref(schemaRoot!);
  for (const part of pointer.split('/').slice(1).map(unescape)) {
    if (s.properties && Object.hasOwn(s.properties, part)) s = deref(s.properties[part]!);
    else if (s.items && /^\d+$/.test(part)) s = deref(s.items);
    else if (typeof s.additionalProperties === 'object') s = deref(s.additionalProperties);
    else return {};
  }
  return s;
}

function deref(s: Schema): Schema {
  let out = s;
  for (const part of s.allOf ?? []) out = { ...out, ...deref(part) };
  if (out.$ref?.startsWith('#/definitions/')) out = { ...out, ...schemaRoot!.definitions![out.$ref.slice(14)]! };
  return out;
}

/** What a value must be, in words, from its schema. */
function expectation(s: Schema): string {
  if (s.enum) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const bounds: string[] = [];
  if (s.minimum !== undefined) bounds.push(`≥ ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) bounds.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined) bounds.push(`≤ ${s.maximum}`);
  switch (s.type) {
    case 'integer':
      return `an integer${bounds.length ? ` ${bounds.join(' and ')}` : ''}`;
    case 'number':
      return `a number${bounds.length ? ` ${bounds.join(' and ')}` : ''}`;
    case 'string': {
      const len = [
        s.minLength !== undefined ? `at least ${s.minLength}` : '',
        s.maxLength !== undefined ? `at most ${s.maxLength}` : '',
      ].filter(Boolean);
      const pattern = s.pattern === '\\{n\\}' ? ' containing {n}' : s.pattern ? ` matching /${s.pattern}/` : '';
      return `a string${len.length ? ` of ${len.join(' and ')} characters` : ''}${pattern}`;
    }
    case 'array':
      return `a list${s.minItems ? ` of at least ${s.minItems}` : ''}${s.items ? ` of ${expectation(deref(s.items))}` : ''}`;
    case 'object':
      return s.properties && 'min' in s.properties
        ? 'an object { "min": <number ≥ 0>, "max": <number ≥ 0> }'
        : 'an object';
    case 'boolean':
      return 'true or false';
    default:
      return 'valid';
  }
}

function valueAt(data: unknown, pointer: string): unknown {
  let v = data;
  for (const part of pointer.split('/').slice(1).map(unescape)) v = (v as Record<string, unknown> | undefined)?.[part];
  return v;
}

function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
