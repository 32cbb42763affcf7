// Which modules a fresh Node process loads: ES modules through a resolve hook (module.register), CommonJS
// modules from require.cache. Used to prove that importing one OCPP version loads no other.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Trace {
  /** URLs of every ES module resolved (file: URLs and node: builtins). */
  esm: string[];
  /** Absolute paths of every CommonJS module loaded. */
  cjs: string[];
  /** What the probe printed as JSON on its last line (`result`). */
  result: unknown;
}

/**
 * Runs `probe` (an ES module's source; it must set `globalThis.result`) as a file in `dir`, with `nodeArgs`
 * (e.g. `['--import', 'tsx']`), and reports what it loaded.
 */
export async function traceModules(dir: string, probe: string, nodeArgs: string[] = []): Promise<Trace> {
  const work = mkdtempSync(join(tmpdir(), 'ocppkit-trace-'));
  const log = join(work, 'esm.log');
  try {
    writeFileSync(log, '');
    writeFileSync(
      join(work, 'hooks.mjs'),
      `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(log, r.url + '\\n');
  return r;
}`,
    );
    writeFileSync(
      join(work, 'register.mjs'),
      `import { register } from 'node:module';
register(${JSON.stringify(new URL(`file://${join(work, 'hooks.mjs')}`).href)}, import.meta.url, { data: { log: ${JSON.stringify(log)} } });`,
    );
    const probeFile = join(dir, `.trace-probe-${process.pid}-${Date.now()}.mjs`);
    writeFileSync(
      probeFile,
      `${probe}
import { createRequire as __cr } from 'node:module';
console.log(JSON.stringify({ result: globalThis.result, cjs: Object.keys(__cr(import.meta.url).cache) }));`,
    );
    try {
      const { stdout } = await run(process.execPath, [...nodeArgs, '--import', join(work, 'register.mjs'), probeFile], {
        cwd: dir,
      });
      const last = JSON.parse(stdout.trim().split('\n').pop()!) as { result: unknown; cjs: string[] };
      const esm = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      return { esm, cjs: last.cjs, result: last.result };
    } finally {
      rmSync(probeFile, { force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
