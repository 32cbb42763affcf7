// What the station keeps of a CSMS's data (local-list entries, cached verdicts, network profiles) is kept without
// `customData`: vendor extensions that ocppkit does not interpret, and the only open objects in the schemas. Apart
// from them a payload is as deep as its schema (a few levels), so the copy's recursion is bounded; a request whose
// customData is nested thousands of levels deep (valid: customData takes any properties) is stored like any other
// instead of overflowing JSON.stringify (issue 20).

/** A copy of `value` without any `customData` property, at any level. */
export function withoutCustomData<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => withoutCustomData(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'customData') out[k] = withoutCustomData(v);
  // The same shape less customData, which every schema type declares optional.
  return out as T;
}
