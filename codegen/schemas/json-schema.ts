// The subset of JSON Schema the OCA files use, and a walker that knows which keywords hold sub-schemas — so that
// stripping annotations never touches a property that happens to be called `description`.

export type Json = null | boolean | number | string | Json[] | Schema;
/** A JSON object; as a schema, its keys are keywords. */
export interface Schema {
  [keyword: string]: Json;
}

/** Keywords whose value is a map of name → sub-schema. */
const SCHEMA_MAPS = ['properties', 'definitions', 'patternProperties'] as const;
/** Keywords whose value is a sub-schema (or, for `items`, possibly a list of them). */
const SCHEMA_VALUES = ['items', 'additionalItems', 'additionalProperties', 'not', 'contains', 'propertyNames'] as const;
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;

/** Annotations: they document, they never change what validates. Equality and validators ignore them. */
export const ANNOTATIONS = new Set(['description', 'javaType', 'comment', '$comment', 'title', 'default', 'examples']);

export function isSchema(v: Json | undefined): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Rebuilds a schema bottom-up: `fn` sees every (sub-)schema after its children were rebuilt, with its JSON pointer
 * relative to the root it started from. Keys keep their order.
 */
export function mapSchema(schema: Schema, fn: (s: Schema, pointer: string) => Schema, pointer = ''): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (v === undefined) continue;
    if ((SCHEMA_MAPS as readonly string[]).includes(k) && isSchema(v)) {
      const m: Schema = {};
      for (const [name, sub] of Object.entries(v)) {
        m[name] = isSchema(sub) ? mapSchema(sub, fn, `${pointer}/${k}/${escapePointer(name)}`) : sub;
      }
      out[k] = m;
    } else if ((SCHEMA_VALUES as readonly string[]).includes(k) && isSchema(v)) {
      out[k] = mapSchema(v, fn, `${pointer}/${k}`);
    } else if (((SCHEMA_LISTS as readonly string[]).includes(k) || k === 'items') && Array.isArray(v)) {
      out[k] = v.map((sub, i) => (isSchema(sub) ? mapSchema(sub, fn, `${pointer}/${k}/${i}`) : sub));
    } else {
      out[k] = v;
    }
  }
  return fn(out, pointer);
}

export function withoutAnnotations(schema: Schema): Schema {
  return mapSchema(schema, (s) => Object.fromEntries(Object.entries(s).filter(([k]) => !ANNOTATIONS.has(k))));
}

/** Deterministic JSON with sorted keys (arrays keep their order: `enum` and `required` order is meaningful to readers). */
export function canonicalJson(v: Json | undefined): string {
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The first JSON pointer at which two values differ, for error messages. */
export function firstDifference(a: Json | undefined, b: Json | undefined, pointer = ''): string | null {
  if (canonicalJson(a) === canonicalJson(b)) return null;
  if (isSchema(a) && isSchema(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = firstDifference(a[k], b[k], `${pointer}/${escapePointer(k)}`);
      if (d !== null) return d;
    }
  }
  return pointer || '/';
}

export function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function localRefName(ref: string): string | null {
  const m = /^#\/definitions\/([^/]+)$/.exec(ref);
  return m ? m[1]!.replace(/~1/g, '/').replace(/~0/g, '~') : null;
}
