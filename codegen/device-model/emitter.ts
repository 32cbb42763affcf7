// Emits generated/v201/device-model.ts and generated/v21/device-model.ts from the appendix CSVs, and reports the
// malformed rows it found (printed to stderr; the same list is in each file's `sourceWarnings`).
import { join } from 'node:path';
import { VERSIONS, type Emitter, type GeneratedFile, type VersionKey } from '../emit.js';
import { buildCatalogue, type DeviceModelCatalogue } from './catalogue.js';
import { readDeviceModelEdition } from './edition.js';
import { renderCatalogue } from './render.js';

/** The appendix edition each canonical folder holds (as the spec README names it). */
export const DEVICE_MODEL_EDITIONS: Partial<Record<VersionKey, string>> = {
  v201: 'appendix v1.4, 2.0.1 Edition 3',
  v21: 'appendix v2.1, 2.1 Edition 2',
};

export function deviceModelCatalogue(specDir: string, version: VersionKey): { catalogue: DeviceModelCatalogue; inputs: string[] } {
  const folder = VERSIONS[version].deviceModel;
  if (!folder) throw new Error(`device model: ${VERSIONS[version].protocol} has no device-model appendix`);
  const edition = readDeviceModelEdition(join(specDir, folder), folder);
  return { catalogue: buildCatalogue(edition), inputs: edition.files.map((f) => `${folder}/${f}`) };
}

export const deviceModelEmitter: Emitter = {
  name: 'device-model',
  async emit({ specDir }) {
    const files: GeneratedFile[] = [];
    for (const version of ['v201', 'v21'] as const) {
      const { catalogue, inputs } = deviceModelCatalogue(specDir, version);
      const protocol = VERSIONS[version].protocol;
      for (const w of catalogue.warnings) {
        process.stderr.write(`ocppkit-codegen: device-model ${protocol}: warning: ${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}\n`);
      }
      const content = renderCatalogue(catalogue, {
        protocol: `OCPP ${protocol.slice(4)}`,
        edition: DEVICE_MODEL_EDITIONS[version] ?? 'unknown edition',
        folder: VERSIONS[version].deviceModel!,
      });
      files.push({ path: `${version}/device-model.ts`, content, inputs, format: 'typescript' });
    }
    return files;
  },
};
