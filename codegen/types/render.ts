// types.ts of one version: every request, response, datatype and enum exactly once, as TypeScript declarations.
// Our own small emitter rather than json-schema-to-typescript: the OCA schemas use a handful of keywords, and
// owning the output gives stable names (no `Foo1` suffixes), `unknown` for untyped fields, closed objects where the
// schema says `additionalProperties: false`, and JSDoc cleaned of the OCA dictionary ids.
import { type Schema, isSchema, localRefName } from '../schemas/json-schema.js';
import type { ActionModel, MessageSchema, VersionModel } from '../schemas/load.js';
import { constraintTags, jsdoc } from './jsdoc.js';

export function renderTypes(model: VersionModel): string {
  const out: string[] = [
    `// OCPP ${model.protocol.slice(4)}: every message, datatype and enum of the version. Field names exactly as in the schemas.\n`,
    '// ---- Requests and responses (`XRequest` / `XResponse` of action `X`) ----\n',
  ];
  for (const action of model.actions) {
    out.push(renderMessage(action, action.request));
    if (action.response) out.push(renderMessage(action, action.response));
  }
  out.push('// ---- Datatypes and enums ----\n');
  for (const def of model.definitions.values()) {
    out.push(
      renderDeclaration(
        def.name,
        def.schema,
        jsdoc(description(def.schema), def.schema.enum ? [] : constraintTags(def.schema)),
      ),
    );
  }
  return out.join('\n');
}

function renderMessage(action: ActionModel, m: MessageSchema): string {
  const what =
    m.kind === 'request'
      ? `${action.send ? 'SEND message' : 'Request'} ${action.name}, sent ${arrow(action.direction)}${action.send ? ' (never answered)' : ''}.`
      : `Response to ${action.name}, sent ${arrow(flip(action.direction))}.`;
  const desc = description(m.schema);
  return renderDeclaration(m.typeName, m.schema, jsdoc(desc ? `${what}\n\n${desc}` : what));
}

function renderDeclaration(name: string, schema: Schema, doc: string): string {
  if (schema.type === 'object' && !schema.enum) {
    const body = objectBody(schema);
    if (body === null) return `${doc}export type ${name} = Record<string, never>;\n`;
    return `${doc}export interface ${name} ${body}\n`;
  }
  return `${doc}export type ${name} = ${tsType(schema)};\n`;
}

/** `{ … }` for an object schema, or null for an object that may hold nothing at all. */
function objectBody(schema: Schema): string | null {
  const props = isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const open = schema.additionalProperties !== false;
  const names = Object.keys(props);
  if (names.length === 0 && !open) return null;
  const members = names.map((n) => {
    const p = props[n] as Schema;
    const tags = p.$ref || p.enum ? [] : constraintTags(p);
    return `${jsdoc(description(p), tags)}${propertyKey(n)}${required.has(n) ? '' : '?'}: ${tsType(p)};`;
  });
  // `additionalProperties` absent means extra properties are allowed (only CustomDataType relies on this: vendors
  // extend it with their own fields).
  if (open) members.push('[key: string]: unknown;');
  return `{\n${members.join('\n')}\n}`;
}

export function tsType(schema: Schema): string {
  if (typeof schema.$ref === 'string') {
    const name = localRefName(schema.$ref);
    if (!name) throw new Error(`unsupported $ref ${schema.$ref}`);
    return name;
  }
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const types = Array.isArray(schema.type)
    ? schema.type.map(String)
    : schema.type === undefined
      ? []
      : [String(schema.type)];
  // No type at all (2.x DataTransfer `data`): anything JSON can carry.
  if (types.length === 0) return 'unknown';
  return types.map((t) => primitive(t, schema)).join(' | ');
}

function primitive(type: string, schema: Schema): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      const items = isSchema(schema.items) ? tsType(schema.items) : 'unknown';
      return /[ |]/.test(items) ? `Array<${items}>` : `${items}[]`;
    }
    case 'object':
      return objectBody(schema) ?? 'Record<string, never>';
    default:
      throw new Error(`unsupported JSON-schema type ${type}`);
  }
}

function description(s: Schema): string | undefined {
  return typeof s.description === 'string' ? s.description : undefined;
}

function propertyKey(n: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(n) ? n : JSON.stringify(n);
}

function arrow(d: ActionModel['direction']): string {
  return d === 'both' ? 'in either direction' : d;
}

function flip(d: ActionModel['direction']): ActionModel['direction'] {
  return d === 'CS->CSMS' ? 'CSMS->CS' : d === 'CSMS->CS' ? 'CS->CSMS' : 'both';
}
