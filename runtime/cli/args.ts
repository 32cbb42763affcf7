// Command-line flags: a small parser whose errors say which flag is wrong and how (node:util parseArgs words its
// errors for programmers, not for someone at a charger), and the value checks the commands share.
import { readFileSync } from 'node:fs';
import type { ProtocolName } from '../protocol.js';
import { codeOrMessage } from '../error-text.js';

/** A mistake in how the command was called: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The command cannot run here (exit 1), for a reason the message fully explains: printed without a stack. */
export class CannotRunError extends Error {
  override name = 'CannotRunError';
}

export interface FlagSpec {
  /** Takes a value (`--port 9000` or `--port=9000`); otherwise a switch. */
  value: boolean;
  /** May be given more than once (values are collected). */
  multiple?: boolean;
}

export type FlagSpecs = Record<string, FlagSpec>;

export type ParsedFlags<S extends FlagSpecs> = {
  [K in keyof S]?: S[K]['value'] extends true ? (S[K]['multiple'] extends true ? string[] : string) : true;
};

/** Parses `argv` (the arguments after the command name) against `spec`; throws a UsageError naming the flag. */
export function parseFlags<S extends FlagSpecs>(argv: readonly string[], spec: S): ParsedFlags<S> {
  const out: Record<string, string | string[] | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--')
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)} (flags start with --)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const flag = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!flag) {
      const near = nearest(name, Object.keys(spec));
      throw new UsageError(
        `unknown flag --${name}${near.length ? `; did you mean ${near.map((k) => `--${k}`).join(' or ')}?` : ''} (known: ${Object.keys(
          spec,
        )
          .map((k) => `--${k}`)
          .join(', ')})`,
      );
    }
    if (!flag.value) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      out[name] = true;
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      value = next;
      i++;
    }
    if (flag.multiple) ((out[name] as string[] | undefined) ?? (out[name] = [])).push(value);
    else if (name in out) throw new UsageError(`--${name} is given twice`);
    else out[name] = value;
  }
  // Filled flag by flag from the spec S, which ParsedFlags<S> mirrors.
  return out as ParsedFlags<S>;
}

/**
 * The known names closest to a mistyped one: those it is a prefix of or that are a prefix of it (`evse` → `evses`),
 * else those within a small edit distance (a transposition counts once: `prot` → `port`); best first, at most 2.
 */
export function nearest(name: string, known: readonly string[]): string[] {
  const n = name.toLowerCase();
  if (n.length >= 2) {
    const prefixed = known.filter((k) => k.startsWith(n) || n.startsWith(k));
    if (prefixed.length > 0 && prefixed.length <= 2) return prefixed;
  }
  const limit = n.length <= 4 ? 1 : 2;
  const scored = known
    .map((k) => ({ k, d: editDistance(n, k.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d);
  return scored.slice(0, 2).map((x) => x.k);
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

/** Whether `--help` / `-h` is among the arguments (checked before anything else is parsed). */
export const wantsHelp = (argv: readonly string[]) => argv.includes('--help') || argv.includes('-h');

export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${flag} is required`);
  return value;
}

/** An integer flag within [min, max]. */
export function intFlag(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** A non-negative number of seconds (fractions allowed). */
export function secondsFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`--${flag} must be a number of seconds ≥ 0, got ${JSON.stringify(value)}`);
  return n;
}

/** `--ocpp 2.0.1`, `--ocpp ocpp2.1,2.0.1`: versions in order of preference, spelled with or without "ocpp". */
export function parseVersions(value: string, flag = 'ocpp'): ProtocolName[] {
  const names = value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (names.length === 0) throw new UsageError(`--${flag} needs at least one version (2.0.1, 2.1, 1.6)`);
  const versions = names.map((v): ProtocolName => {
    const bare = v.toLowerCase().replace(/^ocpp/, '');
    if (bare === '2.0.1') return 'ocpp2.0.1';
    if (bare === '2.1') return 'ocpp2.1';
    if (bare === '1.6' || bare === '1.6j') return 'ocpp1.6';
    throw new UsageError(
      `--${flag}: unknown OCPP version ${JSON.stringify(v)} (2.0.1, 2.1 or 1.6, alone or as a comma list in order of preference)`,
    );
  });
  if (new Set(versions).size !== versions.length)
    throw new UsageError(`--${flag} lists a version twice: ${JSON.stringify(value)}`);
  return versions;
}

/** The contents of a PEM file named by a flag. */
export function pemFile(path: string | undefined, flag: string): string | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--${flag}: cannot read ${path}: ${codeOrMessage(e)}`);
  }
  if (!text.includes('-----BEGIN '))
    throw new UsageError(`--${flag}: ${path} is not a PEM file (no "-----BEGIN" line)`);
  return text;
}

/** Splits `a,b,c`; empty items are dropped. */
export const commaList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
