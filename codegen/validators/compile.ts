// Compiles one version's schemas with ajv into standalone code — at generation time, so that no schema is ever
// compiled at run time — grouped by JSON-schema draft (1.6 has draft-04 core and draft-06 security files; each is
// compiled by the ajv that implements its draft).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Options } from 'ajv';
import { _, Ajv } from 'ajv';
import { type Schema, localRefName, mapSchema, withoutAnnotations } from '../schemas/json-schema.js';
import { templatesDir } from '../paths.js';
import type { Draft, MessageSchema, VersionModel } from '../schemas/load.js';

const require = createRequire(import.meta.url);
type AjvCore = import('ajv/dist/core.js').default;
const Ajv04 = require('ajv-draft-04') as new (opts: Options) => AjvCore;
/** Our validator runtime (string length, formats): copied next to the chunks, given to ajv here. */
export const RUNTIME_FILE = '_runtime.cjs';
export const RUNTIME_SOURCE = join(templatesDir, 'validator-runtime.cjs');
const runtime = require(RUNTIME_SOURCE) as {
  ucs2length: (s: string) => number;
  formats: Record<string, (s: string) => boolean>;
};
const draft06Meta = require('ajv/dist/refs/json-schema-draft-06.json') as Schema;
const standaloneCode = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js').default;

/**
 * `multipleOf` decimal policy (docs/validation.md): a number is a multiple of `m` when `x / m` is within 1e-9 of
 * an integer. JSON `8.1` is the decimal 8.1; in binary floating point 8.1 / 0.1 = 80.99999999999999, which strict
 * ajv rejects. 1e-9 absorbs that representation error (≈1e-14 relative) and float arithmetic on a station
 * (16 * 0.7 = 11.199999999999999) but still rejects 8.15 (81.5 is 0.5 away from an integer).
 */
export const MULTIPLE_OF_PRECISION = 9;

export const AJV_OPTIONS: Options = {
  strict: true,
  strictTypes: false, // the OCA files put `additionalProperties` on string enums; harmless, not an error
  strictRequired: false,
  allErrors: false, // the first failure decides the CallError; stop there
  messages: false, // runtime/validation.ts writes its own message naming the field
  // Definitions that reference no other (enums, CustomDataType, …) are inlined where used: a call per enum check,
  // with ajv's per-call options object and path string, costs more than the check. Definitions that reference
  // others stay one shared function each (the split then shares them between actions).
  inlineRefs: true,
  multipleOfPrecision: MULTIPLE_OF_PRECISION,
  // Chunks reach the format checks through our runtime file, not through ajv-formats (see validator-runtime.cjs).
  code: { source: true, esm: false, lines: false, optimize: true, formats: _`require(${`./${RUNTIME_FILE}`}).formats` },
};

export interface CompiledGroup {
  draft: Draft;
  /** CommonJS standalone code exporting one validator per message type name. */
  code: string;
  messages: MessageSchema[];
}

export function compileVersion(model: VersionModel): CompiledGroup[] {
  const byDraft = new Map<Draft, MessageSchema[]>();
  for (const a of model.actions) {
    for (const m of [a.request, a.response]) {
      if (!m) continue;
      if (m.draft !== a.request.draft) throw new Error(`${a.name}: request and response use different drafts`);
      if (!byDraft.has(m.draft)) byDraft.set(m.draft, []);
      byDraft.get(m.draft)!.push(m);
    }
  }
  return [...byDraft.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([draft, messages]) => ({ draft, messages, code: compileGroup(model, draft, messages) }));
}

function compileGroup(model: VersionModel, draft: Draft, messages: MessageSchema[]): string {
  const ajv = draft === 'draft-04' ? new Ajv04(AJV_OPTIONS) : new Ajv(AJV_OPTIONS);
  if (draft === 'draft-06') ajv.addMetaSchema(draft06Meta);
  for (const [name, validate] of Object.entries(runtime.formats)) ajv.addFormat(name, validate);
  const idKey = draft === 'draft-04' ? 'id' : '$id';
  const defId = (name: string) => `urn:ocppkit:${model.key}:${name}`;

  // Each definition is its own top-level schema: ajv then compiles it once and every message calls the same
  // function (refs into one big `definitions` object would be compiled again for every message that uses them).
  const used = new Set<string>();
  const pending = messages.map((m) => m.schema);
  while (pending.length) {
    mapSchema(pending.pop()!, (s) => {
      const name = typeof s.$ref === 'string' ? localRefName(s.$ref) : null;
      if (name && !used.has(name)) {
        used.add(name);
        const def = model.definitions.get(name);
        if (!def) throw new Error(`no definition ${name}`);
        pending.push(def.schema);
      }
      return s;
    });
  }
  for (const name of [...used].sort()) {
    ajv.addSchema({ [idKey]: defId(name), ...forValidation(model.definitions.get(name)!.schema, defId) });
  }
  const exportsMap: Record<string, string> = {};
  for (const m of messages) {
    ajv.addSchema({ [idKey]: defId(m.typeName), ...forValidation(m.schema, defId) });
    exportsMap[m.typeName] = defId(m.typeName);
  }
  // String lengths, too, come from our runtime rather than from ajv's package.
  const code = standaloneCode(ajv, exportsMap).split(AJV_UCS2LENGTH).join(`require("./${RUNTIME_FILE}").ucs2length`);
  const leftover = /require\("(?!\.\/)[^"]*"\)/.exec(code);
  if (leftover) throw new Error(`ajv standalone code still loads a package at run time: ${leftover[0]}`);
  return code;
}

const AJV_UCS2LENGTH = 'require("ajv/dist/runtime/ucs2length").default';

/**
 * The schema ajv compiles: annotations removed (they would only bloat the code), refs pointing at the
 * definition's own schema id, and two no-op keywords dropped that strict mode would refuse or that would only
 * cost time: `additionalItems` next to a non-array `items` (ignored by the spec), and `additionalProperties` on a
 * schema whose `type` is a single non-object type (the OCA files put `additionalProperties: false` on string enums; a
 * string is never an object, so the check could never run).
 */
export function forValidation(schema: Schema, refId: (name: string) => string): Schema {
  return mapSchema(withoutAnnotations(schema), (s) => {
    const out: Schema = { ...s };
    if (typeof out.$ref === 'string') {
      const name = localRefName(out.$ref);
      if (!name) throw new Error(`unsupported $ref ${out.$ref}`);
      out.$ref = refId(name);
    }
    if ('additionalItems' in out && !Array.isArray(out.items)) delete out.additionalItems;
    if (typeof out.type === 'string' && out.type !== 'object') delete out.additionalProperties;
    return out;
  });
}
