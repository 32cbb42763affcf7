// The RPC layer is generic over Protocol: importing ocppkit (runtime/index.ts), which exports it, loads no
// generated version and no validator; the versions are passed in by the caller.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolve } from 'node:path';
import { traceModules } from '../support/module-trace.js';

const root = resolve(import.meta.dirname, '../..');

test('importing the runtime entry (with the RPC layer) loads no generated/ module and no ajv', async () => {
  const trace = await traceModules(
    root,
    `const m = await import('./runtime/index.ts'); globalThis.result = typeof m.StationClient === 'function' && typeof m.CsmsServer === 'function';`,
    ['--import', 'tsx'],
  );
  assert.is(trace.result, true);
  const loaded = [...trace.esm, ...trace.cjs];
  assert.ok(
    loaded.some((p) => p.includes('/runtime/rpc/session.ts')),
    'the probe did load the RPC layer',
  );
  assert.equal(
    loaded.filter((p) => p.includes('/generated/')),
    [],
  );
  assert.equal(
    loaded.filter((p) => /node_modules\/ajv/.test(p)),
    [],
  );
});

test.run();
