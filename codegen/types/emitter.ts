// generated/<v>/types.ts.
import { type Emitter, type GeneratedFile, VERSIONS, type VersionKey } from '../emit.js';
import { loadVersion } from '../schemas/load.js';
import { renderTypes } from './render.js';

export const typesEmitter: Emitter = {
  name: 'types',
  async emit({ specDir }) {
    const files: GeneratedFile[] = [];
    for (const key of Object.keys(VERSIONS) as VersionKey[]) {
      const model = loadVersion(specDir, key);
      files.push({
        path: `${key}/types.ts`,
        content: renderTypes(model),
        inputs: model.schemaFiles,
        format: 'typescript',
      });
    }
    return files;
  },
};
