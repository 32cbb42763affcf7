// JSDoc from the OCA schema descriptions, cleaned up for an editor's hover.
import type { Schema } from '../schemas/json-schema.js';

/**
 * The 2.x descriptions often begin with two lines for the OCA data dictionary — a term (`Charge_ Point`,
 * `Device. Model. CI20_ Text`) and its id (`urn:x-oca:ocpp:uid:2:233122`) — before the sentence a developer
 * wants. Both are identifiers for a dictionary nobody reading TypeScript has at hand, so they are dropped; so is
 * any other `urn:x-oca` line. The texts come from AsciiDoc with HTML escapes: `&lt;&lt;anchor,Label&gt;&gt;`
 * cross-references become `Label`, a trailing ` +` (hard line break) is dropped. `\r\n` becomes `\n`, runs of blank lines collapse, and a star-slash inside a
 * description cannot end the comment.
 */
export function cleanDescription(raw: string): string {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && /^\s*urn:x-oca:/.test(lines[1]!)) lines.splice(0, 2);
  // A trailing ` +` is an AsciiDoc hard line break: the line break is kept, the plus is not.
  const kept = lines.filter((l) => !/^\s*urn:x-oca:/.test(l)).map((l) => l.trimEnd().replace(/\s\+$/, ''));
  const text = kept
    .join('\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/<<([^,<>]+),\s*([^<>]+?)\s*>>/g, '$2')
    .replace(/<<([^,<>]+)>>/g, '`$1`')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text.replace(/\*\//g, '*\\/');
}

/** Constraint tags (`@maxLength 20`, `@format date-time`, …) an editor shows next to the description. */
export function constraintTags(schema: Schema): string[] {
  const tags: string[] = [];
  for (const k of [
    'format',
    'minLength',
    'maxLength',
    'minimum',
    'maximum',
    'multipleOf',
    'minItems',
    'maxItems',
  ] as const) {
    const v = schema[k];
    if (v !== undefined) tags.push(`@${k} ${String(v)}`);
  }
  return tags;
}

/** A JSDoc block (or nothing) from a description and tags. */
export function jsdoc(description: string | undefined, tags: string[] = []): string {
  const body = [
    ...(description ? cleanDescription(description).split('\n') : []),
    ...(description && tags.length ? [''] : []),
    ...tags,
  ];
  if (body.length === 0 || (body.length === 1 && body[0] === '')) return '';
  if (body.length === 1) return `/** ${body[0]} */\n`;
  return `/**\n${body.map((l) => (l ? ` * ${l}` : ' *')).join('\n')}\n */\n`;
}
