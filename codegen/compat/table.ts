// The 2.0.1 → 2.1 compatibility table: per action same / changed / added (or removed, which 2.1 never does), with
// the content changes from the schema diff. Descriptions and file ids do not make an action "changed": they do not
// change what is valid on the wire (they are counted separately).
import { join } from 'node:path';
import { VERSIONS } from '../emit.js';
import { describeSchemaChange } from '../drift/report-text.js';
import { diffSchemaSets, type MessageKind, type SchemaChange } from '../drift/schema-diff.js';
import { digestSchemaDir } from '../drift/schema-digest.js';

export type CompatStatus = 'same' | 'changed' | 'added' | 'removed';

export interface CompatChange {
  message: MessageKind;
  path: string;
  change: 'field-added' | 'field-removed' | 'field-changed' | 'message-added' | 'message-removed';
  keyword?: string;
  from?: unknown;
  to?: unknown;
  added?: unknown[];
  removed?: unknown[];
  /** For an added or removed field: is it required in the version that has it? */
  required?: boolean;
  /** The same change as one line of text. */
  text: string;
}

export interface CompatEntry {
  status: CompatStatus;
  changes: CompatChange[];
  /** Descriptions differ (no effect on validation). */
  descriptionsChanged: boolean;
}

export function compatTable(specDir: string): { table: Record<string, CompatEntry>; inputs: string[] } {
  const from = digestSchemaDir(join(specDir, VERSIONS.v201.schemas));
  const to = digestSchemaDir(join(specDir, VERSIONS.v21.schemas));
  const table: Record<string, CompatEntry> = {};
  const entry = (action: string) => (table[action] ??= { status: 'same', changes: [], descriptionsChanged: false });
  for (const action of Object.keys(from.actions)) entry(action);
  for (const c of diffSchemaSets(from, to)) add(c);
  function add(c: SchemaChange) {
    switch (c.kind) {
      case 'unreadable':
        throw new Error(
          `compat table: ${c.side === 'a' ? VERSIONS.v201.schemas : VERSIONS.v21.schemas}/${c.file} is unreadable: ${c.reason}`,
        );
      case 'meta-changed':
        return;
      case 'action-added':
        entry(c.action).status = 'added';
        return;
      case 'action-removed':
        entry(c.action).status = 'removed';
        return;
      case 'annotations-changed':
        entry(c.action).descriptionsChanged = true;
        return;
      default: {
        const e = entry(c.action);
        e.status = 'changed';
        const base = {
          message: c.message,
          path: 'path' in c ? c.path : '$',
          change: c.kind,
          text: describeSchemaChange(c),
        };
        if (c.kind === 'field-changed') {
          const { kind: _k, action: _a, message: _m, path: _p, ...rest } = c;
          e.changes.push({ ...base, ...rest });
        } else if (c.kind === 'field-added' || c.kind === 'field-removed') {
          e.changes.push({ ...base, ...(c.field.required !== undefined ? { required: c.field.required } : {}) });
        } else e.changes.push(base);
      }
    }
  }
  const sorted: Record<string, CompatEntry> = {};
  for (const a of Object.keys(table).sort()) sorted[a] = table[a]!;
  const files = (d: typeof from, folder: string) =>
    Object.values(d.actions)
      .flatMap((a) => [a.request?.file, a.response?.file])
      .filter((f): f is string => f !== undefined)
      .map((f) => `${folder}/${f}`);
  return { table: sorted, inputs: [...files(from, VERSIONS.v201.schemas), ...files(to, VERSIONS.v21.schemas)].sort() };
}
