// Preloaded by scripts/test.mjs into every test file's process (`node --import tsx --import <this>`): routes the
// test file's `import … from 'uvu'` to ./uvu-counted.mjs, which counts the tests the file registers while it runs.
// Registered after tsx, so this resolve hook runs first (Node chains hooks last-registered first).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
