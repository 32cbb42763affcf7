// What changed between two schema sets, field by field, on parsed and normalized content (schema-digest.ts).
// Enum values are compared as sets (order carries no meaning for validation); everything else by deep equality.
import { messageFields, type FieldDigest, type MessageDigest, type SchemaSetDigest } from './schema-digest.js';
import { sameJson } from './json.js';

export type MessageKind = 'request' | 'response';

export type SchemaChange =
  | { kind: 'action-added' | 'action-removed'; action: string }
  | { kind: 'message-added' | 'message-removed'; action: string; message: MessageKind }
  /** `nested`: how many fields below this one came or went with it (they are not listed separately). */
  | {
      kind: 'field-added' | 'field-removed';
      action: string;
      message: MessageKind;
      path: string;
      field: FieldDigest;
      nested: number;
    }
  | {
      kind: 'field-changed';
      action: string;
      message: MessageKind;
      path: string;
      keyword: string;
      /** Absent on the side where the keyword is absent. */
      from?: unknown;
      to?: unknown;
      /** For `enum`: the values only one side has. */
      added?: unknown[];
      removed?: unknown[];
    }
  /** `id`/`$id`/`$schema`/`title` of the file (named as in B): identification, reported apart from content. */
  | {
      kind: 'meta-changed';
      action: string;
      message: MessageKind;
      file: string;
      key: string;
      from?: string;
      to?: string;
    }
  | { kind: 'annotations-changed'; action: string; message: MessageKind }
  | { kind: 'unreadable'; side: 'a' | 'b'; file: string; reason: string };

const MESSAGES: MessageKind[] = ['request', 'response'];

export function diffSchemaSets(a: SchemaSetDigest, b: SchemaSetDigest): SchemaChange[] {
  const changes: SchemaChange[] = [];
  for (const [side, d] of [
    ['a', a],
    ['b', b],
  ] as const) {
    for (const [file, reason] of Object.entries(d.unreadable)) changes.push({ kind: 'unreadable', side, file, reason });
  }
  const actions = [...new Set([...Object.keys(a.actions), ...Object.keys(b.actions)])].sort();
  for (const action of actions) {
    const x = a.actions[action];
    const y = b.actions[action];
    if (!x) {
      changes.push({ kind: 'action-added', action });
      continue;
    }
    if (!y) {
      changes.push({ kind: 'action-removed', action });
      continue;
    }
    for (const message of MESSAGES) {
      const m = x[message];
      const n = y[message];
      if (!m && !n) continue;
      if (!m) changes.push({ kind: 'message-added', action, message });
      else if (!n) changes.push({ kind: 'message-removed', action, message });
      else changes.push(...diffMessages(action, message, m, a, n, b));
    }
  }
  return changes;
}

function diffMessages(
  action: string,
  message: MessageKind,
  m: MessageDigest,
  a: SchemaSetDigest,
  n: MessageDigest,
  b: SchemaSetDigest,
): SchemaChange[] {
  const out: SchemaChange[] = [];
  const fa = messageFields(m, a.definitions);
  const fb = messageFields(n, b.definitions);
  const paths = [...Object.keys(fa), ...Object.keys(fb).filter((p) => !(p in fa))];
  const parentOf = (p: string) => p.replace(/(\[\]|\.[^.[\]]+)$/, '');
  for (const path of paths) {
    const x = fa[path];
    const y = fb[path];
    if (!x || !y) {
      const [own, other] = x ? [fa, fb] : [fb, fa];
      // A field that came or went with its parent is counted under the parent, not listed again.
      const parent = parentOf(path);
      if (path !== '$' && parent !== path && parent in own && !(parent in other)) continue;
      const nested = Object.keys(own).filter((p) => p.startsWith(path) && /^[.[]/.test(p.slice(path.length))).length;
      out.push({ kind: x ? 'field-removed' : 'field-added', action, message, path, field: (x ?? y)!, nested });
      continue;
    }
    const keywords = [...new Set([...Object.keys(x), ...Object.keys(y)])];
    for (const keyword of keywords) {
      const from = x[keyword];
      const to = y[keyword];
      if (sameJson(from, to)) continue;
      if (keyword === 'enum' && Array.isArray(from) && Array.isArray(to)) {
        const added = to.filter((v) => !from.some((w) => sameJson(v, w)));
        const removed = from.filter((v) => !to.some((w) => sameJson(v, w)));
        if (added.length === 0 && removed.length === 0) continue; // reordered only
        out.push({ kind: 'field-changed', action, message, path, keyword, added, removed });
        continue;
      }
      out.push({
        kind: 'field-changed',
        action,
        message,
        path,
        keyword,
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
      });
    }
  }
  for (const key of [...new Set([...Object.keys(m.meta), ...Object.keys(n.meta)])]) {
    if (m.meta[key] !== n.meta[key]) {
      out.push({
        kind: 'meta-changed',
        action,
        message,
        file: n.file,
        key,
        ...(m.meta[key] !== undefined ? { from: m.meta[key] } : {}),
        ...(n.meta[key] !== undefined ? { to: n.meta[key] } : {}),
      });
    }
  }
  if (m.annotations !== n.annotations) out.push({ kind: 'annotations-changed', action, message });
  return out;
}
