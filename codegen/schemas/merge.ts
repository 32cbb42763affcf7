// One version's definitions, each exactly once. The OCA files repeat every datatype in every message that uses it;
// a repeated name is merged only when both copies validate the same (annotations — description, javaType — may
// differ). Anything else is a conflict the generator refuses, naming both files, because picking one copy would
// silently change what the other message accepts.
import { type Schema, canonicalJson, firstDifference, withoutAnnotations } from './json-schema.js';

export interface Definition {
  name: string;
  /** The first copy seen (files are read in sorted order, so this is deterministic). */
  schema: Schema;
  /** Every file that defines it, in reading order. */
  files: string[];
  /** The JSON-schema drafts of those files (1.6 mixes draft-04 core and draft-06 security files). */
  drafts: Set<string>;
}

export class DefinitionConflictError extends Error {
  constructor(
    readonly definition: string,
    readonly files: [string, string],
    readonly at: string,
  ) {
    super(
      `definition ${definition} differs between ${files[0]} and ${files[1]} (first difference at ${at}); refusing to merge`,
    );
  }
}

/** The part of a schema that decides what validates. */
export function structuralKey(schema: Schema): string {
  return canonicalJson(withoutAnnotations(schema));
}

export function mergeDefinition(into: Map<string, Definition>, def: Definition): void {
  const seen = into.get(def.name);
  if (!seen) {
    into.set(def.name, { ...def, files: [...def.files], drafts: new Set(def.drafts) });
    return;
  }
  if (structuralKey(seen.schema) !== structuralKey(def.schema)) {
    const at = firstDifference(withoutAnnotations(seen.schema), withoutAnnotations(def.schema)) ?? '/';
    throw new DefinitionConflictError(def.name, [seen.files[0]!, def.files[0]!], at);
  }
  for (const f of def.files) if (!seen.files.includes(f)) seen.files.push(f);
  for (const d of def.drafts) seen.drafts.add(d);
}
