// Emits generated/v201/device-model.ts and generated/v21/device-model.ts from the appendix CSVs, and reports the
// malformed rows it found: listed in each file's `sourceWarnings`, and on stderr one line per version that says how
// many (every one with --verbose), so that every `make check-gen` and CI run is not 44 lines of the same OCA quirks.
import { join } from 'node:path';
import { VERSIONS, type Emitter, type GeneratedFile, type VersionKey } from '../emit.js';
import { buildCatalogue, type DeviceModelCatalogue } from './catalogue.js';
import { readDeviceModelEdition } from './edition.js';
import { renderCatalogue } from './render.js';

export function deviceModelCatalogue(
  specDir: string,
  version: VersionKey,
): { catalogue: DeviceModelCatalogue; inputs: string[] } {
  const folder = VERSIONS[version].deviceModel;
  if (!folder) throw new Error(`device model: ${VERSIONS[version].protocol} has no device-model appendix`);
  const edition = readDeviceModelEdition(join(specDir, folder), folder);
  return { catalogue: buildCatalogue(edition), inputs: edition.files.map((f) => `${folder}/${f}`) };
}

export const deviceModelEmitter: Emitter = {
  name: 'device-model',
  async emit({ specDir, verbose = false }) {
    const files: GeneratedFile[] = [];
    for (const version of ['v201', 'v21'] as const) {
      const { catalogue, inputs } = deviceModelCatalogue(specDir, version);
      const protocol = VERSIONS[version].protocol;
      const n = catalogue.warnings.length;
      if (verbose) {
        for (const w of catalogue.warnings) {
          process.stderr.write(
            `ocppkit-codegen: device-model ${protocol}: warning: ${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}\n`,
          );
        }
      } else if (n > 0) {
        process.stderr.write(
          `ocppkit-codegen: device-model ${protocol}: ${n} quirk${n === 1 ? '' : 's'} in the OCA's CSV files, kept as written and listed in sourceWarnings of ${version}/device-model.ts (--verbose prints them)\n`,
        );
      }
      // The edition is not written into the file: the header's input hash identifies it, and spec/manifest.json names it.
      const content = renderCatalogue(catalogue, {
        protocol: `OCPP ${protocol.slice(4)}`,
        folder: VERSIONS[version].deviceModel!,
      });
      files.push({ path: `${version}/device-model.ts`, content, inputs, format: 'typescript' });
    }
    return files;
  },
};
