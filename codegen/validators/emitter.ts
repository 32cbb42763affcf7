// generated/<v>/validators.js (+ .d.ts) and generated/<v>/validators/*.cjs: the precompiled validators.
import { type Emitter, type GeneratedFile, VERSIONS, type VersionKey } from '../emit.js';
import { loadVersion } from '../schemas/load.js';
import { render } from '../templates.js';
import { compileVersion } from './compile.js';
import { splitStandalone } from './split.js';

export const validatorsEmitter: Emitter = {
  name: 'validators',
  async emit({ specDir }) {
    const files: GeneratedFile[] = [];
    for (const key of Object.keys(VERSIONS) as VersionKey[]) files.push(...emitVersion(specDir, key));
    return files;
  },
};

function emitVersion(specDir: string, key: VersionKey): GeneratedFile[] {
  const model = loadVersion(specDir, key);
  // Every chunk depends on the whole version: shared definitions and ajv's function numbering come from all files.
  const inputs = model.schemaFiles;
  const files: GeneratedFile[] = [];
  for (const group of compileVersion(model)) {
    const shared = `_shared-${group.draft.replace('-', '')}`;
    const exports = new Map(group.messages.map((m) => [m.typeName, [m.action, m.kind] as [string, string]]));
    const { chunks, shared: sharedCode } = splitStandalone({ code: group.code, exports, sharedRequire: `./${shared}.cjs` });
    for (const [action, code] of chunks) {
      files.push({ path: `${key}/validators/${action}.cjs`, content: code, inputs, format: 'none' });
    }
    if (sharedCode) files.push({ path: `${key}/validators/${shared}.cjs`, content: sharedCode, inputs, format: 'none' });
  }
  const data = { protocol: model.protocol, actions: model.actions.map((a) => ({ name: a.name })) };
  files.push({ path: `${key}/validators.js`, content: render('validators.js', data), inputs, format: 'none' });
  files.push({ path: `${key}/validators.d.ts`, content: render('validators.d.ts', data), inputs, format: 'typescript' });
  return files;
}
