#!/usr/bin/env node
// ocppkit-codegen: generates the protocol layer from the OCA files, and reports spec drift.
//   ocppkit-codegen gen   [--spec <dir>] [--out <dir>] [--accept] [--verbose]
//   ocppkit-codegen check [--spec <dir>] [--against <dir>] [--verbose]
//   ocppkit-codegen diff  <dirA> <dirB> [--json]
import { installCommand, missingTools } from './tools.js';

const usage = `usage:
  ocppkit-codegen gen   [--spec <dir>] [--out <dir>] [--accept]   regenerate generated/ (wipes it first)
  ocppkit-codegen check [--spec <dir>] [--against <dir>]          fail with the diff if generated/ is stale
      --verbose (gen, check): print each quirk of the OCA's device-model CSVs (else one line per version;
                              they are listed in sourceWarnings of generated/<v>/device-model.ts either way)
  ocppkit-codegen diff  <dirA> <dirB> [--json]                     report what changed between two schema sets
                                                                   or two device-model editions
gen and check need typescript, handlebars and ajv-draft-04 (optional peer dependencies of ocppkit); check also
needs prettier, and gen formats with it when it is installed.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'gen':
    case 'check': {
      // Before loading the generator, which imports them: a missing tool is one line with the fix, not a stack.
      const missing = missingTools(command);
      if (missing.length > 0) {
        console.error(
          `ocppkit-codegen ${command}: needs ${missing.join(', ')}, which ocppkit does not install for everyone (they are only needed to regenerate). Install them next to ocppkit:\n  ${installCommand(missing)}`,
        );
        return 1;
      }
      const { runGenerateCommand } = await import('./generate.js');
      return runGenerateCommand(command, rest);
    }
    case 'diff': {
      const { runDiffCommand } = await import('./drift/command.js');
      return runDiffCommand(rest);
    }
    case undefined:
    case '-h':
    case '--help':
      console.log(usage);
      return command ? 0 : 2;
    default:
      console.error(`ocppkit-codegen: unknown command "${command}"\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`ocppkit-codegen: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
