// generated/<v>/validators/*.cjs: the precompiled validators, one chunk per action, the definitions several actions
// share (by the exact set of actions sharing them), and the small runtime they call (_runtime.cjs). index.ts's `actions` loads a chunk on first use.
import { readFileSync } from 'node:fs';
import { type Emitter, type GeneratedFile, VERSIONS, type VersionKey } from '../emit.js';
import { loadVersion } from '../schemas/load.js';
import { RUNTIME_FILE, RUNTIME_SOURCE, compileVersion } from './compile.js';
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
    const exports = new Map(group.messages.map((m) => [m.typeName, [m.action, m.kind] as [string, string]]));
    for (const [chunk, code] of splitStandalone({ code: group.code, exports }).chunks) {
      files.push({ path: `${key}/validators/${chunk}.cjs`, content: code, inputs, format: 'none' });
    }
  }
  files.push({
    path: `${key}/validators/${RUNTIME_FILE}`,
    content: readFileSync(RUNTIME_SOURCE, 'utf8'),
    inputs,
    format: 'none',
  });
  return files;
}
