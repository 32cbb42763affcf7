// enums.ts of one version: each enum of types.ts also as a value, `export const XEnumType = ['A', 'B'] as const`,
// in the schema's order, next to a type of the same name (one import gives both, as protobuf-es does). The runtime
// takes its lists of allowed values from here instead of copying them by hand.
//
// A file of its own rather than part of index.ts or types.ts: types.ts is erased when compiled (importing a version
// costs no enum), and a module that does not need a list never evaluates them (`ocppkit/<v>/enums` is its own
// package entry, like the device model).
import type { Schema } from '../schemas/json-schema.js';
import type { VersionModel } from '../schemas/load.js';
import { jsdoc } from '../types/jsdoc.js';

/** Every definition of the version that is an enum, in name order (the order of types.ts). */
export function enumDefinitions(model: VersionModel): Array<{ name: string; values: string[]; schema: Schema }> {
  const out: Array<{ name: string; values: string[]; schema: Schema }> = [];
  for (const def of model.definitions.values()) {
    if (!Array.isArray(def.schema.enum)) continue;
    const values = def.schema.enum.map((v) => {
      if (typeof v !== 'string')
        throw new Error(`enum ${def.name} has a value that is not a string: ${JSON.stringify(v)}`);
      return v;
    });
    out.push({ name: def.name, values, schema: def.schema });
  }
  return out;
}

export function renderEnums(model: VersionModel): string {
  const enums = enumDefinitions(model);
  const out: string[] = [
    `// OCPP ${model.protocol.slice(4)}: every enum of the version as a read-only list of its values, in the schema's order,\n` +
      `// and the enum's type under the same name (the type of types.ts). Its own entry, ocppkit/${model.key}/enums:\n` +
      `// importing ocppkit/${model.key} does not load it.\n`,
    "import type * as T from './types.js';\n",
  ];
  for (const e of enums) {
    const doc = jsdoc(typeof e.schema.description === 'string' ? e.schema.description : undefined);
    out.push(`${doc}export const ${e.name} = ${JSON.stringify(e.values)} as const satisfies readonly T.${e.name}[];`);
    out.push(`export type ${e.name} = T.${e.name};\n`);
  }
  // `satisfies` above proves that a list holds no value outside its type; this proves the other way round, that it
  // misses none. Compile time only: a type alias emits nothing.
  out.push(
    '/** true when the list `L` holds every member of `U`. */',
    'type Complete<U, L extends readonly U[]> = [U] extends [L[number]] ? true : false;',
    '/** Fails to compile when a list misses a member of its type. */',
    'type EveryMemberListed<Checks extends { [name: string]: true }> = Checks;',
    `type EnumsComplete = EveryMemberListed<{\n${enums.map((e) => `${e.name}: Complete<T.${e.name}, typeof ${e.name}>;`).join('\n')}\n}>;`,
  );
  return out.join('\n');
}
