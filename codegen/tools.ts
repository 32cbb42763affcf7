// The generator's own tools are not installed with the package: they are developer tools (TypeScript alone is
// 23 MB), needed by the few who regenerate the protocol layer (after an OCA errata), not by the many who import
// the types, the validators or the station. package.json lists them as optional peer dependencies; this module
// finds which are missing before any work starts and says what to install, in one command.
//
// prettier is optional even for `gen`: it only lays the files out as this repository does. Without it `gen`
// writes them as the templates emit them (valid TypeScript, longer lines). `check` compares with formatted files,
// so it needs prettier.

/** Package name → the range to install (the same as peerDependencies in package.json; a test keeps them equal). */
export const CODEGEN_TOOLS = {
  typescript: '>=5.0.0 <7',
  handlebars: '^4.7.0',
  'ajv-draft-04': '^1.0.0',
  prettier: '^3.0.0',
} as const;
export type CodegenTool = keyof typeof CODEGEN_TOOLS;

const REQUIRED: readonly CodegenTool[] = ['typescript', 'handlebars', 'ajv-draft-04'];

export function isInstalled(name: string): boolean {
  try {
    import.meta.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** What `command` cannot run without (prettier counts for `check` only), in install order. */
export function missingTools(command: 'gen' | 'check', installed = isInstalled): CodegenTool[] {
  const needed: CodegenTool[] = command === 'check' ? [...REQUIRED, 'prettier'] : [...REQUIRED];
  return needed.filter((name) => !installed(name));
}

/** The one command that installs `tools` next to ocppkit. */
export function installCommand(tools: readonly CodegenTool[]): string {
  return `npm install --save-dev ${tools.map((t) => `${t}@'${CODEGEN_TOOLS[t]}'`).join(' ')}`;
}
