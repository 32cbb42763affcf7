// uvu, counting. Every test the file registers (test, test.only, test.skip, on `test` and on every suite()) is
// counted here at run time, and on exit one line reports the counts to scripts/test.mjs:
//   @@ocppkit-tests registered=<n> only=<n>
// uvu's own summary says how many ran (Total) and were skipped; the runner fails a file whose registered tests
// did not all run or skip: one that stopped early, registered a test after test.run(), or never called run().
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// The real uvu, by file URL (package exports do not expose dist/ by name, and the bare name would loop back here).
const real = await import(
  pathToFileURL(createRequire(import.meta.url).resolve('uvu')).href.replace(/index\.js$/, 'index.mjs')
);

let registered = 0;
let only = 0;

function counted(inner) {
  const test = (name, handler) => {
    registered++;
    return inner(name, handler);
  };
  Object.assign(test, inner);
  test.only = (name, handler) => {
    registered++;
    only++;
    return inner.only(name, handler);
  };
  test.skip = (...args) => {
    registered++;
    return inner.skip(...args);
  };
  return test;
}

export const suite = (name, state) => counted(real.suite(name, state));
export const test = counted(real.test);
export const exec = real.exec;

process.on('exit', () => {
  // Synchronous: the process is exiting, an async write to a pipe could be lost.
  writeSync(1, `\n@@ocppkit-tests registered=${registered} only=${only}\n`);
});
