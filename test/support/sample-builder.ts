// Deterministic sample messages built from a raw OCA schema file (not from anything the generator produced), and
// the invalid variants the validation tests expect to be refused — each with the field it breaks.
//
// A valid sample fills every property (optional ones too, so that every branch of the validator runs) with the
// first value its schema allows; `minimal` fills only the required ones. Invalid variants change exactly one
// thing of the full sample, at the first place (breadth first) where the schema makes that change possible.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = { [k: string]: unknown };
type Path = Array<string | number>;

export interface Variant {
  /** What is broken: `missing-required`, `wrong-type`, `too-long`, `unknown-enum`, `extra-property`, `bad-date-time`, `not-an-object`. */
  kind: string;
  payload: Json;
  /** The ajv keyword that must fail. */
  keyword: string;
  /** The dotted path (`a.b[0].c`) the failure must name; '' for the payload itself. */
  path: string;
}

export class SampleBuilder {
  constructor(private readonly file: Schema) {}

  full(): Json {
    return this.build(this.file, true, 0);
  }

  minimal(): Json {
    return this.build(this.file, false, 0);
  }

  /** Every invalid variant the schema makes possible, each a copy of full() with one change. */
  variants(): Variant[] {
    const base = this.full();
    const out: Variant[] = [{ kind: 'not-an-object', payload: [base], keyword: 'type', path: '' }];
    const nodes = this.walk(base);
    // customData (2.x) is the first property of nearly every object; break it only when nothing else qualifies,
    // so that the variants exercise each message's own fields.
    const first = (pred: (n: Node) => boolean) =>
      nodes.find((n) => pred(n) && !n.path.includes('customData')) ?? nodes.find(pred);

    const req = first((n) => n.kind === 'object' && n.required.length > 0);
    if (req) {
      const name = req.required[0]!;
      out.push({
        kind: 'missing-required',
        payload: edit(base, req.path, (o) => omit(o as Record<string, Json>, name)),
        keyword: 'required',
        path: dotted([...req.path, name]),
      });
    }
    const typed =
      first((n) => n.path.length > 0 && n.type !== undefined && n.isRequired) ??
      first((n) => n.path.length > 0 && n.type !== undefined);
    if (typed) {
      const wrong: Json =
        typed.type === 'string'
          ? 12345
          : typed.type === 'object'
            ? 'not an object'
            : typed.type === 'array'
              ? 'not an array'
              : 'not a number';
      out.push({
        kind: 'wrong-type',
        payload: edit(base, typed.path, () => wrong),
        keyword: 'type',
        path: dotted(typed.path),
      });
    }
    const long = first(
      (n) => n.type === 'string' && typeof n.schema.maxLength === 'number' && !n.schema.enum && !n.schema.format,
    );
    if (long) {
      const v = 'x'.repeat((long.schema.maxLength as number) + 1);
      out.push({
        kind: 'too-long',
        payload: edit(base, long.path, () => v),
        keyword: 'maxLength',
        path: dotted(long.path),
      });
    }
    const en = first((n) => Array.isArray(n.schema.enum));
    if (en)
      out.push({
        kind: 'unknown-enum',
        payload: edit(base, en.path, () => 'NotAnOcppValue'),
        keyword: 'enum',
        path: dotted(en.path),
      });
    const closed = first((n) => n.kind === 'object' && n.schema.additionalProperties === false);
    if (closed) {
      out.push({
        kind: 'extra-property',
        payload: edit(base, closed.path, (o) => ({ ...(o as Record<string, Json>), unexpectedField: 1 })),
        keyword: 'additionalProperties',
        path: dotted([...closed.path, 'unexpectedField']),
      });
    }
    const date = first((n) => n.schema.format === 'date-time');
    if (date) {
      // Well-formed but impossible: February has no 30th. Catches a validator that only checks the pattern.
      out.push({
        kind: 'bad-date-time',
        payload: edit(base, date.path, () => '2025-02-30T10:00:00Z'),
        keyword: 'format',
        path: dotted(date.path),
      });
    }
    return out;
  }

  private resolve(s: Schema): Schema {
    let cur = s;
    for (let i = 0; typeof cur.$ref === 'string'; i++) {
      const m = /^#\/definitions\/(.+)$/.exec(cur.$ref);
      const defs = this.file.definitions as Record<string, Schema> | undefined;
      if (!m || !defs?.[m[1]!] || i > 20) throw new Error(`cannot resolve ${cur.$ref}`);
      cur = defs[m[1]!]!;
    }
    return cur;
  }

  private build(raw: Schema, everything: boolean, depth: number): Json {
    const s = this.resolve(raw);
    if (depth > 40) throw new Error('schema too deep for a sample (recursive?)');
    if (Array.isArray(s.enum)) return s.enum[0] as Json;
    switch (s.type) {
      case 'object': {
        const props = (s.properties ?? {}) as Record<string, Schema>;
        const required = new Set((s.required as string[] | undefined) ?? []);
        const o: Record<string, Json> = {};
        for (const [k, v] of Object.entries(props))
          if (everything || required.has(k)) o[k] = this.build(v, everything, depth + 1);
        return o;
      }
      case 'array': {
        const n = Math.max(1, (s.minItems as number | undefined) ?? 0);
        return Array.from({ length: Math.min(n, (s.maxItems as number | undefined) ?? n) }, () =>
          this.build(s.items as Schema, everything, depth + 1),
        );
      }
      case 'string':
        if (s.format === 'date-time') return '2025-03-14T17:30:00.000Z';
        if (s.format === 'uri') return 'https://example.com/firmware/1.4.2.bin';
        return 'sample'.slice(0, Math.max(1, Math.min(6, (s.maxLength as number | undefined) ?? 6)));
      case 'integer':
        return clamp(1, s);
      case 'number':
        // A decimal that is not a binary fraction: exercises the multipleOf policy where the schema has one.
        return clamp(s.multipleOf === 0.1 ? 8.1 : 12.5, s);
      case 'boolean':
        return true;
      case undefined:
        return { anything: ['json', 1, true, null] }; // an untyped field (2.x DataTransfer data)
      default:
        throw new Error(`no sample for type ${String(s.type)}`);
    }
  }

  /** Every node of a sample with its (resolved) schema, breadth first. */
  private walk(sample: Json): Node[] {
    const out: Node[] = [];
    const queue: Array<{ value: Json; schema: Schema; path: Path; isRequired: boolean }> = [
      { value: sample, schema: this.file, path: [], isRequired: true },
    ];
    while (queue.length) {
      const { value, schema: raw, path, isRequired } = queue.shift()!;
      const s = this.resolve(raw);
      const type = typeof s.type === 'string' ? s.type : undefined;
      const required = (s.required as string[] | undefined) ?? [];
      out.push({ path, schema: s, type, kind: type === 'object' ? 'object' : 'value', required, isRequired });
      if (type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
          if (k in value)
            queue.push({ value: value[k]!, schema: v, path: [...path, k], isRequired: required.includes(k) });
        }
      } else if (type === 'array' && Array.isArray(value)) {
        value.forEach((v, i) => queue.push({ value: v, schema: s.items as Schema, path: [...path, i], isRequired }));
      }
    }
    return out;
  }
}

interface Node {
  path: Path;
  schema: Schema;
  type: string | undefined;
  kind: 'object' | 'value';
  required: string[];
  /** Required by its parent object (array items inherit from the array). */
  isRequired: boolean;
}

function clamp(v: number, s: Schema): number {
  if (typeof s.minimum === 'number' && v < s.minimum) v = s.minimum;
  if (typeof s.maximum === 'number' && v > s.maximum) v = s.maximum;
  return v;
}

function omit(o: Record<string, Json>, k: string): Record<string, Json> {
  const { [k]: _, ...rest } = o;
  return rest;
}

/** A deep copy of `root` with the value at `path` replaced by `fn(old)`. */
export function edit(root: Json, path: Path, fn: (old: Json) => Json): Json {
  if (path.length === 0) return fn(structuredClone(root));
  const copy = structuredClone(root) as Record<string | number, Json>;
  let cur = copy;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  cur[last] = fn(cur[last]!);
  return copy;
}

/** `['a', 'b', 0, 'c']` → `a.b[0].c`, the path format of runtime/validation.ts' failures. */
export function dotted(path: Path): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}
