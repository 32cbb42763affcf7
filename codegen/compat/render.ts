// The compatibility table as typed data (generated/compat-v201-v21.ts) and as a readable page
// (generated/compat-v201-v21.md; docs/spec-drift.md links to it). Both come from the same table, so they never
// disagree, and `make check-gen` keeps both current.
import type { CompatEntry, CompatStatus } from './table.js';

const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));

export function renderCompatTs(table: Record<string, CompatEntry>): string {
  const out: string[] = [];
  out.push(`// Compatibility of OCPP 2.0.1 → 2.1, per action: "same" (no change in what is valid on the wire), "changed"
// (with the content changes of request and response), "added" (2.1 only) or "removed" (2.0.1 only; 2.1 removes none).
// Descriptions and schema ids are not content: a description change only sets \`descriptionsChanged\`.

export type CompatStatus = 'same' | 'changed' | 'added' | 'removed';

export interface CompatChange {
  readonly message: 'request' | 'response';
  /** Field path in the message (\`a.b[].c\`); \`$\` is the message itself. */
  readonly path: string;
  readonly change: 'field-added' | 'field-removed' | 'field-changed' | 'message-added' | 'message-removed';
  /** For \`field-changed\`: the JSON-schema keyword that differs (\`maxLength\`, \`enum\`, \`required\`, …). */
  readonly keyword?: string;
  /** The keyword's value in 2.0.1 (absent: 2.0.1 has none). */
  readonly from?: unknown;
  /** The keyword's value in 2.1 (absent: 2.1 has none). */
  readonly to?: unknown;
  /** For \`enum\`: values only 2.1 has. */
  readonly added?: readonly unknown[];
  /** For \`enum\`: values only 2.0.1 has. */
  readonly removed?: readonly unknown[];
  /** For an added or removed field: required in the version that has it. */
  readonly required?: boolean;
}

export interface CompatEntry {
  readonly status: CompatStatus;
  readonly changes: readonly CompatChange[];
  readonly descriptionsChanged: boolean;
}

export const compatV201ToV21 = {
`);
  for (const [action, e] of Object.entries(table)) {
    if (e.changes.length === 0) {
      out.push(
        `  ${key(action)}: { status: ${JSON.stringify(e.status)}, descriptionsChanged: ${e.descriptionsChanged}, changes: [] },\n`,
      );
      continue;
    }
    out.push(
      `  ${key(action)}: {\n    status: ${JSON.stringify(e.status)},\n    descriptionsChanged: ${e.descriptionsChanged},\n    changes: [\n`,
    );
    // The one-line text is for the markdown page; the data carries the structured change only.
    for (const { text: _text, ...c } of e.changes) out.push(`      ${JSON.stringify(c)},\n`);
    out.push('    ],\n  },\n');
  }
  out.push(`} as const satisfies { readonly [action: string]: CompatEntry };

export type CompatAction = keyof typeof compatV201ToV21;
/** Actions whose status is S, e.g. \`ActionsWithStatus<'added'>\` for the 2.1-only actions. */
export type ActionsWithStatus<S extends CompatStatus> = {
  [A in CompatAction]: (typeof compatV201ToV21)[A]['status'] extends S ? A : never;
}[CompatAction];
`);
  return out.join('');
}

const md = (s: string) => s.replace(/\|/g, '\\|');

export function renderCompatMarkdown(table: Record<string, CompatEntry>): string {
  const entries = Object.entries(table);
  const count = (s: CompatStatus) => entries.filter(([, e]) => e.status === s).length;
  const out: string[] = [];
  out.push('# OCPP 2.0.1 → 2.1: compatibility per action\n');
  out.push(
    'Generated from the OCA schemas by `ocppkit-codegen gen` (do not edit; `make check-gen` keeps it current). The same data, typed: ' +
      '`generated/compat-v201-v21.ts`. "same" means no difference in what is valid on the wire; descriptions and schema ids are ' +
      'not compared here. How to read field paths and changes: docs/spec-drift.md.\n',
  );
  out.push(
    `${count('same')} same, ${count('changed')} changed, ${count('added')} added, ${count('removed')} removed.\n`,
  );
  out.push('| Action | 2.0.1 → 2.1 | Request changes | Response changes |');
  out.push('|---|---|---|---|');
  for (const [action, e] of entries) {
    const n = (m: 'request' | 'response') =>
      e.status === 'changed' ? String(e.changes.filter((c) => c.message === m).length) : '';
    const name = e.status === 'changed' ? `[${action}](#${action.toLowerCase()})` : action;
    out.push(`| ${name} | ${e.status} | ${n('request')} | ${n('response')} |`);
  }
  for (const [action, e] of entries) {
    if (e.status !== 'changed') continue;
    out.push(`\n## ${action}\n`);
    for (const m of ['request', 'response'] as const) {
      const cs = e.changes.filter((c) => c.message === m);
      if (cs.length === 0) continue;
      out.push(`${m[0]!.toUpperCase()}${m.slice(1)}:\n`);
      for (const c of cs) out.push(`- ${md(c.text)}`);
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
