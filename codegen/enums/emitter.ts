// generated/<v>/enums.ts: every enum of the version as a run-time list of its values.
import { type Emitter, type GeneratedFile, VERSIONS, type VersionKey } from '../emit.js';
import { loadVersion } from '../schemas/load.js';
import { renderEnums } from './render.js';

export const enumsEmitter: Emitter = {
  name: 'enums',
  async emit({ specDir }) {
    const files: GeneratedFile[] = [];
    for (const key of Object.keys(VERSIONS) as VersionKey[]) {
      const model = loadVersion(specDir, key);
      files.push({
        path: `${key}/enums.ts`,
        content: renderEnums(model),
        inputs: model.schemaFiles,
        format: 'typescript',
      });
    }
    return files;
  },
};
