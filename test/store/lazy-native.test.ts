// Importing ocppkit (a CSMS that only uses the RPC layer and the types) must not load the native SQLite module.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

test('importing ocppkit or ocppkit/station loads no better-sqlite3; opening a store does', () => {
  const probe = `
    import Module from 'node:module';
    const loaded = () => Object.keys(Module._cache).some((k) => k.includes('better-sqlite3'));
    const rt = await import(${JSON.stringify(resolve(root, 'runtime/index.ts'))});
    const st = await import(${JSON.stringify(resolve(root, 'runtime/station/index.ts'))});
    const before = loaded();
    const { openSqliteStore } = await import(${JSON.stringify(resolve(root, 'runtime/store/index.ts'))});
    openSqliteStore(':memory:').close();
    console.log(JSON.stringify({ before, after: loaded(), station: typeof st.ChargingStation, rpc: typeof rt.CsmsServer }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(JSON.parse(out.trim().split('\n').pop()!), {
    before: false,
    after: true,
    station: 'function',
    rpc: 'function',
  });
});

test.run();
