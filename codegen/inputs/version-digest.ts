// spec/digest/<version>.json: what we derive from one version's inputs (directions, schema fields, device-model
// rows; prose only as hashes), so that input which no longer matches the manifest can be reported as *what*
// changed, without keeping copies of the OCA files.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSIONS, type VersionKey } from '../emit.js';
import { readDeviceModelEdition } from '../device-model/edition.js';
import { digestDeviceModel, type DeviceModelDigest } from '../drift/dm-digest.js';
import { diffDeviceModels, type DmChange } from '../drift/dm-diff.js';
import { renderDmReport, renderSchemaReport } from '../drift/report-text.js';
import { diffSchemaSets, type SchemaChange } from '../drift/schema-diff.js';
import { digestSchemaDir, type SchemaSetDigest } from '../drift/schema-digest.js';
import { DIRECTIONS_FILE, type ProtocolVersion } from './manifest.js';

export interface VersionDigest {
  version: ProtocolVersion;
  /** directions.json's entry for this version. */
  directions: Record<string, string>;
  schemas: SchemaSetDigest;
  deviceModel?: DeviceModelDigest;
}

/** The digest of one version's inputs, and the problems met reading them (e.g. lines that are not UTF-8). */
export function buildVersionDigest(specDir: string, key: VersionKey): { digest: VersionDigest; warnings: string[] } {
  const v = VERSIONS[key];
  let directions: Record<string, string> = {};
  const dirFile = join(specDir, DIRECTIONS_FILE);
  if (existsSync(dirFile)) {
    try {
      directions =
        (JSON.parse(readFileSync(dirFile, 'utf8')) as Record<string, Record<string, string>>)[v.protocol] ?? {};
    } catch {
      directions = { '(unreadable directions.json)': '' };
    }
  }
  const schemaDir = join(specDir, v.schemas);
  const schemas = existsSync(schemaDir)
    ? digestSchemaDir(schemaDir)
    : { actions: {}, definitions: {}, unreadable: { [v.schemas]: 'folder missing' } };
  const dmDir = v.deviceModel ? join(specDir, v.deviceModel) : undefined;
  const edition = dmDir && existsSync(dmDir) ? readDeviceModelEdition(dmDir, v.deviceModel) : undefined;
  const deviceModel = edition ? digestDeviceModel(edition) : undefined;
  return {
    digest: { version: v.protocol, directions, schemas, ...(deviceModel ? { deviceModel } : {}) },
    warnings: edition?.warnings ?? [],
  };
}

export type DirectionChange = { action: string; from?: string; to?: string };

export interface VersionDiff {
  directions: DirectionChange[];
  schemas: SchemaChange[];
  deviceModel: DmChange[];
  /** Set when one side has a device model and the other has none. */
  deviceModelPresence?: 'added' | 'removed';
}

export function diffVersionDigests(a: VersionDigest, b: VersionDigest): VersionDiff {
  const directions: DirectionChange[] = [];
  for (const action of [...new Set([...Object.keys(a.directions), ...Object.keys(b.directions)])].sort()) {
    const from = a.directions[action];
    const to = b.directions[action];
    if (from !== to)
      directions.push({ action, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
  }
  const schemas = diffSchemaSets(a.schemas, b.schemas);
  let deviceModel: DmChange[] = [];
  let deviceModelPresence: VersionDiff['deviceModelPresence'];
  if (a.deviceModel && b.deviceModel) deviceModel = diffDeviceModels(a.deviceModel, b.deviceModel);
  else if (a.deviceModel || b.deviceModel) deviceModelPresence = a.deviceModel ? 'removed' : 'added';
  return { directions, schemas, deviceModel, ...(deviceModelPresence ? { deviceModelPresence } : {}) };
}

export const isEmptyDiff = (d: VersionDiff) =>
  d.directions.length + d.schemas.length + d.deviceModel.length === 0 && !d.deviceModelPresence;

/** The semantic part of the input-check report, indented under its version. */
export function renderVersionDiff(d: VersionDiff, indent = '    '): string[] {
  const lines: string[] = [];
  for (const c of d.directions)
    lines.push(`${indent}${DIRECTIONS_FILE}: ${c.action} ${c.from ?? '(absent)'} → ${c.to ?? '(absent)'}`);
  // The same text as `ocppkit-codegen diff`, without its first line (which names the two folders).
  const body = (text: string) =>
    text
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => `${indent}${l}`);
  if (d.schemas.length) lines.push(...body(renderSchemaReport(d.schemas, 'manifest', 'input')));
  if (d.deviceModelPresence) lines.push(`${indent}device model ${d.deviceModelPresence}`);
  if (d.deviceModel.length)
    lines.push(
      ...body(renderDmReport(d.deviceModel, [], 'manifest', 'input')).map((l) =>
        l.replace(/^(\s*)(?=\S+\.csv$|\(files\)$)/, '$1device model '),
      ),
    );
  return lines;
}
