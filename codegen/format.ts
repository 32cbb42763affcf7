// Prettier for the generated TypeScript, with the repository's style spelled out here so that the output does
// not depend on editor settings elsewhere. .prettierrc.json holds the same options for the hand-written code
// (test/tooling checks that the two agree).
import * as prettier from 'prettier';

export const PRETTIER_OPTIONS: prettier.Options = {
  parser: 'typescript',
  printWidth: 120,
  singleQuote: true,
  trailingComma: 'all',
  semi: true,
  tabWidth: 2,
  endOfLine: 'lf',
};

export async function formatTypeScript(code: string, path: string): Promise<string> {
  try {
    return await prettier.format(code, PRETTIER_OPTIONS);
  } catch (err) {
    throw new Error(
      `prettier could not format ${path} (the generator produced invalid TypeScript): ${(err as Error).message}`,
    );
  }
}
