// Placeholder until the manifest check lands (issue 2, spec drift): the real one compares every input file
// with spec/manifest.json and refuses input that differs, with a report of what differs.
export interface InputCheck {
  ok: boolean;
  /** Human-readable: what differs from the manifest (empty when ok). */
  report: string;
}

export async function checkSpecInputs(_specDir: string, _opts: { accept: boolean; manifestPath: string }): Promise<InputCheck> {
  return { ok: true, report: '' };
}
