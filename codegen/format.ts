// Prettier for the generated TypeScript, with the repository's style spelled out here so that the output does
// not depend on editor settings elsewhere. .prettierrc.json holds the same options for the hand-written code
// (test/tooling checks that the two agree).
// prettier is loaded when first needed and may be absent from an installed package (codegen/tools.ts): then the
// code is returned as the templates emitted it.
import type * as Prettier from 'prettier';
import { isInstalled } from './tools.js';

export const PRETTIER_OPTIONS: Prettier.Options = {
  parser: 'typescript',
  printWidth: 120,
  singleQuote: true,
  trailingComma: 'all',
  semi: true,
  tabWidth: 2,
  endOfLine: 'lf',
};

let prettier: Promise<typeof Prettier | undefined> | undefined;
/** prettier, or undefined when it is not installed. */
export const loadPrettier = (): Promise<typeof Prettier | undefined> =>
  (prettier ??= isInstalled('prettier') ? import('prettier') : Promise.resolve(undefined));

export async function formatTypeScript(code: string, path: string): Promise<string> {
  const formatter = await loadPrettier();
  if (!formatter) return code;
  try {
    return await formatter.format(code, PRETTIER_OPTIONS);
  } catch (err) {
    throw new Error(
      `prettier could not format ${path} (the generator produced invalid TypeScript): ${(err as Error).message}`,
    );
  }
}
