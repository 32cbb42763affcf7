// Preloaded with --require by bench/sqlite-engines.bench.ts: `require('better-sqlite3')` loads the copy built for
// this Node (OCPPKIT_BENCH_BETTER_SQLITE3, see better-sqlite3-build.ts) instead of the installed one, which is
// built for the Node that ran `npm ci`. Only the benchmark does this; the store itself is unchanged.
'use strict';
const Module = require('node:module');
const dir = process.env.OCPPKIT_BENCH_BETTER_SQLITE3;
if (dir) {
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return resolve.call(this, request === 'better-sqlite3' ? dir : request, ...rest);
  };
}
