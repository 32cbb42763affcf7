// Placeholder until the drift report lands (issue 2).
export async function runDiffCommand(_args: string[]): Promise<number> {
  console.error('ocppkit-codegen diff: not built yet');
  return 1;
}
