// JSON helpers for the drift report and the stored digests: deep equality independent of key order, and a
// printer that keeps small objects on one line so that a `git diff` of spec/digest/ reads like a change list.

export function canonicalJson(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Pretty JSON where any value that fits in `width` characters stays on one line. Ends with a newline. */
export function compactJson(x: unknown, width = 110): string {
  const out = (v: unknown, indent: string): string => {
    const flat = JSON.stringify(v);
    if (flat === undefined) return 'null';
    if (flat.length + indent.length <= width || typeof v !== 'object' || v === null) return flat;
    const inner = `${indent}  `;
    if (Array.isArray(v)) return `[\n${v.map((e) => inner + out(e, inner)).join(',\n')}\n${indent}]`;
    const entries = Object.entries(v).filter(([, e]) => e !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, e]) => `${inner}${JSON.stringify(k)}: ${out(e, inner)}`).join(',\n')}\n${indent}}`;
  };
  return `${out(x, '')}\n`;
}
