// Where the generator finds its own files (templates/, spec/): the package root, found from this file's location
// so that the same code works from the source tree (codegen/) and from the build (dist/codegen/).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findPackageRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${start}`);
    dir = up;
  }
  return dir;
}

export const packageRoot = findPackageRoot(import.meta.dirname);
export const templatesDir = join(packageRoot, 'templates');
