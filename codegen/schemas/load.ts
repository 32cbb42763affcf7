// Reads one version's OCA schemas into a model the emitters share: every action with its direction and its request
// and response schema, and every named definition of the version exactly once.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Direction } from '../../runtime/protocol.js';
import { VERSIONS, type VersionKey } from '../emit.js';
import { type Schema, isSchema, localRefName, mapSchema } from './json-schema.js';
import { type Definition, mergeDefinition } from './merge.js';
import { V16_INLINE_TYPE_NAMES } from './v16-names.js';

export type Draft = 'draft-04' | 'draft-06';

export interface MessageSchema {
  action: string;
  kind: 'request' | 'response';
  /** `XRequest` / `XResponse`, in every version. */
  typeName: string;
  /** Relative to the spec folder, e.g. `schemas/ocpp1.6/Authorize.json`. */
  file: string;
  draft: Draft;
  /** The message itself: the file without `definitions`, `$schema`, `$id`/`id`, `title`, `comment`. */
  schema: Schema;
}

export interface ActionModel {
  name: string;
  direction: Direction;
  /** A one-way SEND message (2.1): a request and no response. */
  send: boolean;
  request: MessageSchema;
  response: MessageSchema | null;
}

export interface VersionModel {
  key: VersionKey;
  protocol: (typeof VERSIONS)[VersionKey]['protocol'];
  /** Every schema file, relative to the spec folder, sorted. */
  schemaFiles: string[];
  /** The directions table, relative to the spec folder. */
  directionsFile: string;
  actions: ActionModel[];
  /** Sorted by name. Refs inside are `#/definitions/<name>`. */
  definitions: Map<string, Definition>;
}

export class SchemaInputError extends Error {}

const DRAFTS: Record<string, Draft> = {
  'http://json-schema.org/draft-04/schema#': 'draft-04',
  'http://json-schema.org/draft-06/schema#': 'draft-06',
};

const cache = new Map<string, VersionModel>();

/** Loads (once per spec folder and version) the model of one version. */
export function loadVersion(specDir: string, key: VersionKey): VersionModel {
  const id = `${specDir}\0${key}`;
  let model = cache.get(id);
  if (!model) {
    model = readVersion(specDir, key);
    cache.set(id, model);
  }
  return model;
}

function readVersion(specDir: string, key: VersionKey): VersionModel {
  const { protocol, schemas: folder } = VERSIONS[key];
  const directionsFile = 'directions.json';
  const directions = readJson(specDir, directionsFile)[protocol];
  if (!isSchema(directions)) throw new SchemaInputError(`${directionsFile} has no "${protocol}" table`);

  const schemaFiles = readdirSync(join(specDir, folder))
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => `${folder}/${n}`);
  const definitions = new Map<string, Definition>();
  const messages = new Map<string, MessageSchema>();
  const usedV16Names = new Set<string>();

  for (const file of schemaFiles) {
    const json = readJson(specDir, file);
    const draft = DRAFTS[String(json.$schema)];
    if (!draft) throw new SchemaInputError(`${file}: unsupported $schema ${JSON.stringify(json.$schema)}`);
    const { action, kind } = classify(file, json, directions);
    const typeName = `${action}${kind === 'request' ? 'Request' : 'Response'}`;

    const { definitions: defs, $schema: _s, $id: _i, id: _id, title: _t, comment: _c, ...root } = json;
    const local: Array<[string, Schema]> = isSchema(defs)
      ? Object.entries(defs).filter((e): e is [string, Schema] => isSchema(e[1]))
      : [];
    // 1.6 core messages declare their enums and objects inline; give them their specification names.
    const message = key === 'v16' ? hoistNamedInlineTypes(file, root, local, usedV16Names) : root;
    rejectUnnamedInlineTypes(file, message);
    for (const [name, schema] of local) {
      rejectUnnamedInlineTypes(`${file}#/definitions/${name}`, schema, true);
      checkRefs(file, schema, local);
      mergeDefinition(definitions, { name, schema, files: [file], drafts: new Set([draft]) });
    }
    checkRefs(file, message, local);

    const mkey = `${action}\0${kind}`;
    const clash = messages.get(mkey);
    if (clash) throw new SchemaInputError(`${file} and ${clash.file} both define ${typeName}`);
    messages.set(mkey, { action, kind, typeName, file, draft, schema: message });
  }

  if (key === 'v16') {
    const stale = Object.keys(V16_INLINE_TYPE_NAMES).filter((k) => !usedV16Names.has(k));
    if (stale.length)
      throw new SchemaInputError(
        `codegen/schemas/v16-names.ts names locations that no schema has: ${stale.join(', ')}`,
      );
  }

  const actions: ActionModel[] = [];
  for (const name of Object.keys(directions).sort()) {
    const direction = directions[name];
    if (direction !== 'CS->CSMS' && direction !== 'CSMS->CS' && direction !== 'both') {
      throw new SchemaInputError(`${directionsFile}: ${protocol}.${name} has direction ${JSON.stringify(direction)}`);
    }
    const request = messages.get(`${name}\0request`);
    const response = messages.get(`${name}\0response`) ?? null;
    if (!request)
      throw new SchemaInputError(
        `${directionsFile} lists ${protocol} action ${name}, but ${folder}/ has no request schema for it`,
      );
    actions.push({ name, direction, send: response === null, request, response });
  }
  for (const m of messages.values()) {
    if (!Object.hasOwn(directions, m.action))
      throw new SchemaInputError(`${m.file}: action ${m.action} is missing from ${directionsFile} (${protocol})`);
  }
  for (const d of definitions.keys()) {
    const root = [...messages.values()].find((m) => m.typeName === d);
    if (root)
      throw new SchemaInputError(
        `definition ${d} (${definitions.get(d)!.files[0]}) has the name of the message in ${root.file}`,
      );
  }

  const sorted = new Map([...definitions.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { key, protocol, schemaFiles, directionsFile, actions, definitions: sorted };
}

/**
 * Which action a file belongs to, and whether it is the request or the response:
 * - 2.x: `XRequest.json` / `XResponse.json`; a file named after the action alone is the request of a SEND message.
 * - 1.6 core: `X.json` is the request, `XResponse.json` the response (the `title` says `XRequest` / `XResponse`).
 * - 1.6 security whitepaper: same file names; `$id` ends in `X.req` / `X.conf`, no title.
 * Whatever a file says about itself (`title`, `$id`) must agree with its name.
 */
function classify(file: string, json: Schema, directions: Schema): { action: string; kind: 'request' | 'response' } {
  const base = basename(file, '.json');
  let action = base;
  let kind: 'request' | 'response' = 'request';
  if (base.endsWith('Response')) {
    action = base.slice(0, -'Response'.length);
    kind = 'response';
  } else if (base.endsWith('Request') && !Object.hasOwn(directions, base)) {
    action = base.slice(0, -'Request'.length);
  }
  const typeName = `${action}${kind === 'request' ? 'Request' : 'Response'}`;
  if (json.title !== undefined && json.title !== typeName) {
    throw new SchemaInputError(`${file}: title ${JSON.stringify(json.title)}, expected ${typeName} from the file name`);
  }
  const id = String(json.$id ?? json.id ?? '');
  const suffix = /\.(req|conf)$/.exec(id)?.[1];
  if (suffix && (suffix === 'req') !== (kind === 'request')) {
    throw new SchemaInputError(
      `${file}: $id ${id} says ${suffix === 'req' ? 'request' : 'response'}, the file name says ${kind}`,
    );
  }
  return { action, kind };
}

/** Replaces the inline enums/objects named in V16_INLINE_TYPE_NAMES by `$ref`s to definitions of that name. */
function hoistNamedInlineTypes(file: string, root: Schema, local: Array<[string, Schema]>, used: Set<string>): Schema {
  const base = basename(file);
  const hoisted: Array<[string, Schema]> = [];
  const out = mapSchema(root, (s, pointer) => {
    const key = `${base}#${pointer}`;
    const name = V16_INLINE_TYPE_NAMES[key];
    if (!name) return s;
    used.add(key);
    // Annotations only: they do not take part in the equality check of same-named definitions.
    hoisted.push([
      name,
      {
        description: `${name}: inline in the OCA 1.6 schemas; named by ocppkit after the OCPP 1.6 datatype of that name.`,
        ...s,
      },
    ]);
    return { $ref: `#/definitions/${name}` };
  });
  // Same name twice in one file (e.g. ChargingRateUnitType): merged like any other definition, after the equality check.
  local.push(...hoisted);
  return out;
}

/** Every enum or object with properties must be a named definition (or the message itself). */
function rejectUnnamedInlineTypes(where: string, schema: Schema, isDefinition = false): void {
  mapSchema(schema, (s, pointer) => {
    const top = pointer === '';
    if (top && isDefinition) return s;
    if (!top && (Array.isArray(s.enum) || (s.type === 'object' && isSchema(s.properties)))) {
      throw new SchemaInputError(
        `${where}#${pointer}: unnamed inline ${Array.isArray(s.enum) ? 'enum' : 'object'}` +
          (where.includes('ocpp1.6') ? ' (give it a name in codegen/schemas/v16-names.ts)' : ''),
      );
    }
    return s;
  });
}

function checkRefs(file: string, schema: Schema, local: Array<[string, Schema]>): void {
  mapSchema(schema, (s, pointer) => {
    if (s.$ref === undefined) return s;
    const name = typeof s.$ref === 'string' ? localRefName(s.$ref) : null;
    if (name === null)
      throw new SchemaInputError(
        `${file}#${pointer}: only local refs (#/definitions/X) are supported, got ${JSON.stringify(s.$ref)}`,
      );
    if (!local.some(([n]) => n === name))
      throw new SchemaInputError(`${file}#${pointer}: $ref to missing definition ${name}`);
    if (Object.keys(s).some((k) => k !== '$ref' && k !== 'description')) {
      throw new SchemaInputError(
        `${file}#${pointer}: keywords next to $ref are ignored by draft-04/06; refusing to guess`,
      );
    }
    return s;
  });
}

function readJson(specDir: string, file: string): Schema {
  let text: string;
  try {
    text = readFileSync(join(specDir, file), 'utf8');
  } catch (err) {
    throw new SchemaInputError(`cannot read ${join(specDir, file)}: ${(err as Error).message}`);
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (!isSchema(v as Schema)) throw new Error('not a JSON object');
    return v as Schema;
  } catch (err) {
    throw new SchemaInputError(`${file}: ${(err as Error).message}`);
  }
}
