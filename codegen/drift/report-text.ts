// Human-readable rendering of drift reports. The JSON form (`--json`) is the change list itself; this is for people.
import type { DmChange } from './dm-diff.js';
import type { SchemaChange } from './schema-diff.js';

const q = (v: unknown) => JSON.stringify(v);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Breaks a long comma-separated line after commas, continuation lines indented. */
function wrap(line: string, indent: string, width = 110): string[] {
  const out: string[] = [];
  let cur = '';
  for (const part of line.split(/(?<=, )/)) {
    if (cur && (cur + part).trimEnd().length > width) {
      out.push(cur.trimEnd());
      cur = indent;
    }
    cur += part;
  }
  out.push(cur.trimEnd());
  return out;
}

export function describeSchemaChange(c: Exclude<SchemaChange, { kind: 'meta-changed' | 'unreadable' }>): string {
  switch (c.kind) {
    case 'action-added':
      return 'action added';
    case 'action-removed':
      return 'action removed';
    case 'message-added':
      return `${c.message} added`;
    case 'message-removed':
      return `${c.message} removed`;
    case 'field-added':
    case 'field-removed': {
      const f = c.field;
      const what = [
        f.type !== undefined ? (Array.isArray(f.type) ? f.type.join('|') : String(f.type)) : 'untyped',
        f.required ? 'required' : f.required === false ? 'optional' : '',
      ];
      const nested = c.nested ? `, with ${plural(c.nested, 'nested field')}` : '';
      return `${c.path}: field ${c.kind === 'field-added' ? 'added' : 'removed'} (${what.filter(Boolean).join(', ')}${nested})`;
    }
    case 'field-changed': {
      if (c.keyword === 'enum' && (c.added || c.removed)) {
        const parts = [...(c.added ?? []).map((v) => `+${q(v)}`), ...(c.removed ?? []).map((v) => `-${q(v)}`)];
        return `${c.path}: enum ${parts.join(' ')}`;
      }
      if (c.keyword === 'required') return `${c.path}: ${c.to ? 'now required' : 'no longer required'}`;
      if (c.from === undefined) return `${c.path}: ${c.keyword} ${q(c.to)} added`;
      if (c.to === undefined) return `${c.path}: ${c.keyword} ${q(c.from)} removed`;
      return `${c.path}: ${c.keyword} ${q(c.from)} → ${q(c.to)}`;
    }
    case 'annotations-changed':
      return 'descriptions changed';
  }
}

export function renderSchemaReport(changes: SchemaChange[], a: string, b: string): string {
  const lines: string[] = [];
  const content = changes.filter(
    (c): c is Exclude<SchemaChange, { kind: 'meta-changed' | 'unreadable' }> =>
      c.kind !== 'meta-changed' && c.kind !== 'unreadable',
  );
  const meta = changes.filter((c): c is Extract<SchemaChange, { kind: 'meta-changed' }> => c.kind === 'meta-changed');
  const unreadable = changes.filter((c): c is Extract<SchemaChange, { kind: 'unreadable' }> => c.kind === 'unreadable');
  if (changes.length === 0) return `schema sets: no differences (A: ${a}, B: ${b})\n`;
  lines.push(
    `schema sets differ (A: ${a}, B: ${b}): ${plural(content.length, 'content change')}, ${plural(meta.length, 'identification change')}`,
  );
  for (const u of unreadable) lines.push(`  unreadable in ${u.side.toUpperCase()}: ${u.file}: ${u.reason}`);
  let heading = '';
  for (const c of content) {
    const h = 'message' in c && !c.kind.startsWith('message-') ? `${c.action} ${c.message}` : c.action;
    if (h !== heading) lines.push(`${h}`);
    heading = h;
    lines.push(`  ${describeSchemaChange(c)}`);
  }
  if (meta.length) {
    // One line per key for ids that are simply missing on one side (a copy that strips them all); value changes
    // (a re-released file) one by one.
    lines.push('identification (id, $id, $schema, title; not content):');
    const name = (c: (typeof meta)[number]) => c.file.replace(/\.json$/, '');
    for (const key of [...new Set(meta.map((c) => c.key))]) {
      for (const [what, pick] of [
        ['removed from', (c: (typeof meta)[number]) => c.to === undefined],
        ['added to', (c: (typeof meta)[number]) => c.from === undefined],
      ] as const) {
        const hit = meta.filter((c) => c.key === key && pick(c));
        if (hit.length)
          lines.push(...wrap(`  ${key} ${what} ${plural(hit.length, 'message')}: ${hit.map(name).join(', ')}`, '    '));
      }
      for (const c of meta.filter((m) => m.key === key && m.from !== undefined && m.to !== undefined)) {
        lines.push(`  ${name(c)}: ${key} ${q(c.from)} → ${q(c.to)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Which file a device-model change is about; used to group the text report. */
export function dmChangeFile(c: DmChange): string {
  if ('file' in c) return c.kind === 'file-added' || c.kind === 'file-removed' ? '(files)' : c.file;
  if (c.kind.startsWith('component-')) return 'components.csv';
  if (c.kind.startsWith('definition-')) return 'variables.csv';
  return 'dm_components_vars.csv';
}

export function describeDmChange(c: DmChange): string {
  const at = (x: { component: string; variable: string; instance: string }) =>
    `${x.component}/${x.variable}${x.instance ? `[${x.instance}]` : ''}`;
  switch (c.kind) {
    case 'file-added':
      return `+ ${c.file}`;
    case 'file-removed':
      return `- ${c.file}`;
    case 'component-added':
      return `+ ${c.component}`;
    case 'component-removed':
      return `- ${c.component}`;
    case 'component-description-changed':
      return `~ ${c.component}: description changed`;
    case 'variable-added':
    case 'variable-removed': {
      const unlisted = c.unlistedComponent ? `; component "${c.component}" is not in components.csv` : '';
      return `${c.kind === 'variable-added' ? '+' : '-'} ${at(c)} (required: ${c.required || '-'}, ${c.dataType || '-'}${c.unit ? `, ${c.unit}` : ''}${unlisted})`;
    }
    case 'variable-renamed':
      return `~ ${c.component}/${c.from}${c.instance ? `[${c.instance}]` : ''} renamed to ${c.to}`;
    case 'variable-changed':
      return `~ ${at(c)}: ${c.property} ${q(c.from)} → ${q(c.to)}`;
    case 'variable-description-changed':
      return `~ ${at(c)}: description changed`;
    case 'definition-added':
    case 'definition-removed':
      return `${c.kind === 'definition-added' ? '+' : '-'} ${c.variable} (${c.dataType || '-'}${c.unit ? `, ${c.unit}` : ''})${c.duplicate ? ', one of two entries with this name' : ''}`;
    case 'definition-changed':
      return `~ ${c.variable}: ${c.property} ${q(c.from)} → ${q(c.to)}`;
    case 'definition-description-changed':
      return `~ ${c.variable}: description changed`;
    case 'value-added':
      return `+ ${c.value}`;
    case 'value-removed':
      return `- ${c.value}`;
    case 'value-changed':
      return `~ ${c.value}: ${c.property} ${q(c.from)} → ${q(c.to)}`;
    case 'value-description-changed':
      return `~ ${c.value}: description changed`;
  }
}

export function renderDmReport(changes: DmChange[], warnings: string[], a: string, b: string): string {
  const lines: string[] = [];
  lines.push(
    changes.length
      ? `device-model editions differ (A: ${a}, B: ${b}): ${plural(changes.length, 'change')}`
      : `device-model editions: no differences (A: ${a}, B: ${b})`,
  );
  const files = [...new Set(changes.map(dmChangeFile))];
  for (const f of files) {
    lines.push(f);
    for (const c of changes.filter((x) => dmChangeFile(x) === f)) lines.push(`  ${describeDmChange(c)}`);
  }
  if (warnings.length) {
    lines.push('warnings (reading the files; not differences):');
    for (const w of warnings) lines.push(`  ${w}`);
  }
  return `${lines.join('\n')}\n`;
}
