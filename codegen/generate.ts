// Placeholder until the generator lands (issue 2).
export async function runGenerateCommand(command: 'gen' | 'check', _args: string[]): Promise<number> {
  console.error(`ocppkit-codegen ${command}: not built yet`);
  return 1;
}
