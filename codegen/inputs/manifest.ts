// spec/manifest.json: per protocol version, the edition we accepted and the sha256 of every input file the
// generator reads (whole input folders, so that an added file is noticed too), paths relative to OCPP_SPEC_DIR.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256, VERSIONS, type VersionKey } from '../emit.js';

export type ProtocolVersion = (typeof VERSIONS)[VersionKey]['protocol'];

export interface Edition {
  schemas: string;
  deviceModel?: string;
}

export interface ManifestVersion {
  edition: Edition;
  /** Relative path → sha256 (hex), sorted by path. */
  files: Record<string, string>;
}

export interface Manifest {
  about: string;
  versions: Partial<Record<ProtocolVersion, ManifestVersion>>;
}

export const MANIFEST_ABOUT =
  'Accepted OCA inputs: per version the edition and the sha256 of every file under OCPP_SPEC_DIR that the generator reads. ' +
  'Written by `ocppkit-codegen gen --accept`; see docs/spec-drift.md.';

/** The editions of the canonical inputs, as the spec README names them. Used when a version is first accepted. */
export const DEFAULT_EDITIONS: Record<ProtocolVersion, Edition> = {
  'ocpp1.6': { schemas: 'OCA 1.6 JSON schemas as of the 2025-04 errata' },
  'ocpp2.0.1': {
    schemas: 'OCA 2.0.1 Part 3, unchanged through Edition 3',
    deviceModel: 'Appendix CSVs v1.4, 2.0.1 Edition 3, 2024-05-06',
  },
  'ocpp2.1': {
    schemas: 'OCA 2.1 Edition 1 (Edition 2 did not change the schemas)',
    deviceModel: 'Appendix CSVs v2.1, 2.1 Edition 2, 2025-12-03',
  },
};

export const DIRECTIONS_FILE = 'directions.json';

export function versionKeys(): VersionKey[] {
  return Object.keys(VERSIONS) as VersionKey[];
}

function folderFiles(specDir: string, folder: string): string[] {
  const dir = join(specDir, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isFile())
    .sort()
    .map((n) => `${folder}/${n}`);
}

/** Hashes of every input file of one version as it is on disk now. */
export function currentFiles(specDir: string, key: VersionKey): Record<string, string> {
  const v = VERSIONS[key];
  const paths = [
    DIRECTIONS_FILE,
    ...folderFiles(specDir, v.schemas),
    ...(v.deviceModel ? folderFiles(specDir, v.deviceModel) : []),
  ]
    .filter((p) => existsSync(join(specDir, p)))
    .sort();
  return Object.fromEntries(paths.map((p) => [p, sha256(readFileSync(join(specDir, p)))]));
}

export function readManifest(path: string): Manifest | undefined {
  if (!existsSync(path)) return undefined;
  const m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  if (typeof m !== 'object' || m === null || typeof m.versions !== 'object')
    throw new Error(`${path}: not a manifest (no "versions")`);
  return m;
}

export interface FileDifferences {
  changed: string[];
  added: string[];
  missing: string[];
}

export function compareFiles(accepted: Record<string, string>, now: Record<string, string>): FileDifferences {
  return {
    changed: Object.keys(now).filter((p) => p in accepted && accepted[p] !== now[p]),
    added: Object.keys(now).filter((p) => !(p in accepted)),
    missing: Object.keys(accepted).filter((p) => !(p in now)),
  };
}

export const noFileDifferences = (d: FileDifferences) => d.changed.length + d.added.length + d.missing.length === 0;
