// Emits the 2.0.1 → 2.1 compatibility table: generated/compat-v201-v21.ts (typed data) and
// generated/compat-v201-v21.md (the readable table). The page lives in generated/ so that regenerating and
// `make check-gen` cover it like every other derived file; docs/spec-drift.md links to it.
import type { Emitter } from '../emit.js';
import { renderCompatMarkdown, renderCompatTs } from './render.js';
import { compatTable } from './table.js';

export const compatEmitter: Emitter = {
  name: 'compat',
  async emit({ specDir }) {
    const { table, inputs } = compatTable(specDir);
    return [
      { path: 'compat-v201-v21.ts', content: renderCompatTs(table), inputs, format: 'typescript' },
      { path: 'compat-v201-v21.md', content: renderCompatMarkdown(table), inputs, format: 'none' },
    ];
  },
};
