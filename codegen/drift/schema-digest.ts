// A schema set reduced to what a message may contain: per action, per message (request/response), every field path
// with its constraints. `$ref`s are resolved, so a field is described where it appears (`meterValue[].sampledValue[]
// .unit`), whichever definition it comes from. Two copies of a schema set that differ only in indentation, line
// endings or key order give identical digests. This digest is derived data (names, types, limits, enum values):
// it may be stored in spec/digest/, unlike the OCA files themselves. Prose is only kept as a hash.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../emit.js';
import { sameJson } from './json.js';

/** Every keyword of a schema node except the structural ones; `required` is whether the parent requires it. */
export type FieldDigest = Record<string, unknown> & { required?: boolean };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Node = { [k: string]: Json };

export interface MessageDigest {
  file: string;
  /** Identification of the file: `$schema`, `id` (draft-04) / `$id` (draft-06), `title`. Not content, but reported. */
  meta: Record<string, string>;
  /** The schema without annotations, meta keys and `definitions`; `$ref`s point into the set's `definitions`. */
  schema: Node;
  /** Definitions of this file that differ from the set's same-named ones (none in the OCA files). */
  ownDefinitions?: Record<string, Node>;
  /** Hash of the annotations (`description`, `comment`, `javaType`) in document order: changed prose shows up as such. */
  annotations: string;
}

export interface ActionDigest {
  request?: MessageDigest;
  response?: MessageDigest;
}

export interface SchemaSetDigest {
  actions: Record<string, ActionDigest>;
  /** Definitions shared by the messages of the set (stored once: the digest stays small). */
  definitions: Record<string, Node>;
  /** Files that could not be read as a JSON schema, with the reason. */
  unreadable: Record<string, string>;
}

const META = ['$schema', 'id', '$id', 'title'] as const;
const ANNOTATIONS = new Set(['description', 'comment', 'javaType']);
/** Walked or resolved, not compared as values. */
const STRUCTURAL = new Set(['properties', 'items', 'definitions', '$ref', 'required']);

/** Which action and which message a schema file holds: 1.6 `X.json`/`XResponse.json`, 2.x `XRequest.json`/`XResponse.json`. */
export function messageOfFile(file: string): { action: string; message: 'request' | 'response' } | undefined {
  const m = file.match(/^(.+?)(Request|Response)?\.json$/);
  if (!m) return undefined;
  return { action: m[1]!, message: m[2] === 'Response' ? 'response' : 'request' };
}

export function isSchemaDir(dir: string): boolean {
  return readdirSync(dir).some((n) => n.endsWith('.json'));
}

const isNode = (x: unknown): x is Node => typeof x === 'object' && x !== null && !Array.isArray(x);

function collectAnnotations(node: Json, out: string[], inNameMap = false): void {
  if (Array.isArray(node)) node.forEach((n) => collectAnnotations(n, out));
  else if (isNode(node)) {
    for (const k of Object.keys(node).sort()) {
      const v = node[k]!;
      if (!inNameMap && ANNOTATIONS.has(k) && typeof v === 'string') out.push(`${k}:${v}`);
      else collectAnnotations(v, out, !inNameMap && (k === 'properties' || k === 'definitions'));
    }
  }
}

/** Removes annotations wherever a schema (not a name map) sits; meta keys are removed from the root only. */
function strip(node: Json, inNameMap = false): Json {
  if (Array.isArray(node)) return node.map((n) => strip(n));
  if (!isNode(node)) return node;
  const out: Node = {};
  for (const [k, v] of Object.entries(node)) {
    if (!inNameMap && ANNOTATIONS.has(k)) continue;
    out[k] = inNameMap ? strip(v) : strip(v, k === 'properties' || k === 'definitions');
  }
  return out;
}

export function digestSchema(
  schema: unknown,
  file: string,
): { message: MessageDigest; definitions: Record<string, Node> } {
  if (!isNode(schema)) throw new Error('not a JSON object');
  const meta: Record<string, string> = {};
  for (const k of META) if (typeof schema[k] === 'string') meta[k] = schema[k] as string;
  const stripped = strip(schema) as Node;
  const { definitions, ...root } = stripped;
  for (const k of META) delete root[k];
  const notes: string[] = [];
  collectAnnotations(schema, notes);
  return {
    message: { file, meta, schema: root, annotations: sha256(notes.join('\n')).slice(0, 16) },
    definitions: isNode(definitions) ? (definitions as Record<string, Node>) : {},
  };
}

/** Every field path of a message with its keywords, `$ref`s resolved: what two copies are compared on. */
export function messageFields(message: MessageDigest, shared: Record<string, Node>): Record<string, FieldDigest> {
  const fields: Record<string, FieldDigest> = {};
  const lookup = (name: string) => message.ownDefinitions?.[name] ?? shared[name];
  const walk = (node: Json, path: string, required: boolean | undefined, refs: string[]) => {
    const req = required !== undefined ? { required } : {};
    let n = node;
    let stack = refs;
    if (isNode(n) && typeof n.$ref === 'string') {
      const name = n.$ref.replace(/^#\/definitions\//, '');
      const def = lookup(name);
      if (stack.includes(name)) return void (fields[path] = { recursiveRef: name, ...req });
      if (!isNode(def)) return void (fields[path] = { unresolvedRef: n.$ref, ...req });
      // Keywords beside a $ref (none in the OCA files) are kept: a copy that adds one must show up.
      const { $ref: _ref, ...beside } = n;
      n = { ...def, ...beside };
      stack = [...refs, name];
    }
    if (!isNode(n)) return void (fields[path] = { schema: n, ...req });
    const digest: FieldDigest = {};
    for (const [k, v] of Object.entries(n)) if (!STRUCTURAL.has(k)) digest[k] = v;
    if (Array.isArray(n.items)) digest.items = n.items; // tuple form: compared as a value
    Object.assign(digest, req);
    fields[path] = digest;
    const requiredNames = Array.isArray(n.required) ? n.required : [];
    if (isNode(n.properties)) {
      for (const [name, child] of Object.entries(n.properties))
        walk(child, path === '$' ? name : `${path}.${name}`, requiredNames.includes(name), stack);
    }
    if (isNode(n.items)) walk(n.items, `${path}[]`, undefined, stack);
  };
  walk(message.schema, '$', undefined, []);
  return fields;
}

/** Reads every `*.json` of a folder. A file that is not JSON is listed as unreadable, not thrown. */
export function digestSchemaDir(dir: string): SchemaSetDigest {
  const actions: Record<string, ActionDigest> = {};
  const unreadable: Record<string, string> = {};
  const definitions: Record<string, Node> = {};
  for (const file of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const which = messageOfFile(file)!;
    try {
      const text = readFileSync(join(dir, file), 'utf8').replace(/^\uFEFF/, '');
      const { message, definitions: defs } = digestSchema(JSON.parse(text), file);
      for (const [name, def] of Object.entries(defs)) {
        if (!(name in definitions)) definitions[name] = def;
        else if (!sameJson(definitions[name], def)) (message.ownDefinitions ??= {})[name] = def;
      }
      (actions[which.action] ??= {})[which.message] = message;
    } catch (e) {
      unreadable[file] = e instanceof Error ? e.message : String(e);
    }
  }
  const sorted: Record<string, ActionDigest> = {};
  for (const a of Object.keys(actions).sort()) sorted[a] = actions[a]!;
  const defs: Record<string, Node> = {};
  for (const d of Object.keys(definitions).sort()) defs[d] = definitions[d]!;
  return { actions: sorted, definitions: defs, unreadable };
}
