// The generator's gate on its inputs: OCPP_SPEC_DIR must hold exactly the files spec/manifest.json accepted.
// Anything else (a file changed, added or missing) is refused with a report of what differs in content, taken from
// the digest we keep in spec/digest/ (derived data, no OCA text). `accept: true` records the current input as
// accepted on purpose: it rewrites the manifest and the digests and returns ok, with the same report of what was
// accepted.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { VERSIONS } from './emit.js';
import { compactJson } from './drift/json.js';
import {
  compareFiles,
  currentFiles,
  DEFAULT_EDITIONS,
  MANIFEST_ABOUT,
  noFileDifferences,
  readManifest,
  versionKeys,
  type Manifest,
  type ManifestVersion,
} from './inputs/manifest.js';
import {
  buildVersionDigest,
  diffVersionDigests,
  isEmptyDiff,
  renderVersionDiff,
  type VersionDigest,
} from './inputs/version-digest.js';

export interface InputCheck {
  ok: boolean;
  /** Human-readable: what differs from the manifest (empty when ok and nothing was accepted). */
  report: string;
}

/** spec/digest/<version>.json next to the manifest. */
export function digestPath(manifestPath: string, version: string): string {
  return join(dirname(manifestPath), 'digest', `${version}.json`);
}

function readDigest(path: string): VersionDigest | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as VersionDigest;
  } catch {
    return undefined;
  }
}

/** At most 10 paths per line: a copy that touches every file should not flood the report. */
const list = (label: string, paths: string[]) =>
  paths.length
    ? [
        `    ${paths.length} ${label}: ${paths.slice(0, 10).join(', ')}${paths.length > 10 ? `, … (${paths.length - 10} more)` : ''}`,
      ]
    : [];

export async function checkSpecInputs(
  specDir: string,
  opts: { accept: boolean; manifestPath: string },
): Promise<InputCheck> {
  let manifest: Manifest | undefined;
  try {
    manifest = readManifest(opts.manifestPath);
  } catch (e) {
    if (!opts.accept) return { ok: false, report: `${e instanceof Error ? e.message : String(e)}\n` };
  }
  const lines: string[] = [];
  const next: Manifest = { about: MANIFEST_ABOUT, versions: {} };
  const digests: VersionDigest[] = [];
  let differs = false;

  for (const key of versionKeys()) {
    const version = VERSIONS[key].protocol;
    const accepted = manifest?.versions[version];
    const now = currentFiles(specDir, key);
    const files = compareFiles(accepted?.files ?? {}, now);
    const entry: ManifestVersion = { edition: accepted?.edition ?? DEFAULT_EDITIONS[version], files: now };
    next.versions[version] = entry;
    const storedDigest = readDigest(digestPath(opts.manifestPath, version));
    if (accepted && noFileDifferences(files)) {
      // Rebuilt, not copied: the digest format may have evolved since it was stored.
      if (opts.accept) digests.push(buildVersionDigest(specDir, key).digest);
      continue;
    }
    differs = true;
    const { digest: current, warnings } = buildVersionDigest(specDir, key);
    digests.push(current);
    const edition = [entry.edition.schemas, entry.edition.deviceModel].filter(Boolean).join('; ');
    if (!accepted) {
      lines.push(`${version}: not in the manifest (${Object.keys(now).length} input files)`);
      continue;
    }
    lines.push(`${version} (accepted: ${edition})`);
    lines.push(...list('changed', files.changed), ...list('added', files.added), ...list('missing', files.missing));
    lines.push(...warnings.map((w) => `    warning: ${w}`));
    if (!storedDigest) {
      lines.push(`    (no ${digestPath(opts.manifestPath, version)}: cannot say what changed in content)`);
      continue;
    }
    const diff = diffVersionDigests(storedDigest, current);
    if (isEmptyDiff(diff)) lines.push('    no change in content: formatting, line endings or key order only');
    else {
      lines.push('    what changed (accepted → input):');
      lines.push(...renderVersionDiff(diff, '      '));
    }
  }

  if (!differs && !opts.accept) return { ok: true, report: '' };
  if (opts.accept) {
    mkdirSync(dirname(digestPath(opts.manifestPath, 'x')), { recursive: true });
    writeFileSync(opts.manifestPath, compactJson(next));
    for (const d of digests) writeFileSync(digestPath(opts.manifestPath, d.version), compactJson(d));
    const head = differs
      ? `accepted OCPP_SPEC_DIR ${specDir} into ${opts.manifestPath}; if an edition changed, edit its "edition" there:`
      : `inputs already match ${opts.manifestPath}; manifest and digests rewritten`;
    return { ok: true, report: `${[head, ...lines].join('\n')}\n` };
  }
  const head = manifest
    ? `OCPP_SPEC_DIR ${specDir} does not match ${opts.manifestPath}:`
    : `${opts.manifestPath} is missing: no inputs have been accepted yet.`;
  const tail =
    'If this input is intended, accept it with `ocppkit-codegen gen --accept` (updates the manifest and spec/digest/).';
  return { ok: false, report: `${[head, ...lines, tail].join('\n')}\n` };
}
