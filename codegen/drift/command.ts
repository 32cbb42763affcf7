// `ocppkit-codegen diff <dirA> <dirB> [--json]`: what changed from A to B, for two schema sets or two device-model
// editions (detected from the folders' contents). Exit status as diff(1): 0 no differences, 1 differences,
// 2 trouble (usage, unreadable folder, two different kinds of folder).
import { existsSync, statSync } from 'node:fs';
import { readDeviceModelEdition, isDeviceModelDir } from '../device-model/edition.js';
import { digestDeviceModel } from './dm-digest.js';
import { diffDeviceModels, type DmChange } from './dm-diff.js';
import { renderDmReport, renderSchemaReport } from './report-text.js';
import { diffSchemaSets, type SchemaChange } from './schema-diff.js';
import { digestSchemaDir, isSchemaDir } from './schema-digest.js';

export type DiffResult =
  | { kind: 'schemas'; a: string; b: string; changes: SchemaChange[]; warnings: string[] }
  | { kind: 'device-model'; a: string; b: string; changes: DmChange[]; warnings: string[] };

export const DIFF_USAGE = 'usage: ocppkit-codegen diff <dirA> <dirB> [--json]';

export function folderKind(dir: string): 'schemas' | 'device-model' {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`not a folder: ${dir}`);
  if (isDeviceModelDir(dir)) return 'device-model';
  if (isSchemaDir(dir)) return 'schemas';
  throw new UsageError(
    `${dir} holds neither JSON schemas nor device-model CSVs (components.csv, dm_components_vars.csv)`,
  );
}

export class UsageError extends Error {}

/** Compares two folders; throws UsageError when they cannot be compared. */
export function diffDirs(a: string, b: string): DiffResult {
  const ka = folderKind(a);
  const kb = folderKind(b);
  if (ka !== kb) throw new UsageError(`cannot compare ${ka} (${a}) with ${kb} (${b})`);
  if (ka === 'schemas')
    return { kind: 'schemas', a, b, changes: diffSchemaSets(digestSchemaDir(a), digestSchemaDir(b)), warnings: [] };
  const ea = readDeviceModelEdition(a, a);
  const eb = readDeviceModelEdition(b, b);
  return {
    kind: 'device-model',
    a,
    b,
    changes: diffDeviceModels(digestDeviceModel(ea), digestDeviceModel(eb)),
    warnings: [...ea.warnings, ...eb.warnings],
  };
}

export function renderDiff(r: DiffResult, json: boolean): string {
  if (json) return `${JSON.stringify(r, null, 2)}\n`;
  return r.kind === 'schemas'
    ? renderSchemaReport(r.changes, r.a, r.b)
    : renderDmReport(r.changes, r.warnings, r.a, r.b);
}

export async function runDiffCommand(
  args: string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  const flags = args.filter((x) => x.startsWith('-'));
  const dirs = args.filter((x) => !x.startsWith('-'));
  const unknown = flags.filter((f) => f !== '--json');
  if (unknown.length || dirs.length !== 2) {
    err(
      `ocppkit-codegen diff: ${unknown.length ? `unknown option ${unknown.join(' ')}` : 'needs exactly two folders'}\n${DIFF_USAGE}\n`,
    );
    return 2;
  }
  let result: DiffResult;
  try {
    result = diffDirs(dirs[0]!, dirs[1]!);
  } catch (e) {
    err(`ocppkit-codegen diff: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  out(renderDiff(result, flags.includes('--json')));
  return result.changes.length ? 1 : 0;
}
