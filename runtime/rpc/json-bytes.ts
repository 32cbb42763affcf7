// The UTF-8 length of a value's JSON text, without building the text and without recursion. Message limits
// (BytesPerMessage) are checked on payloads as JSON.parse returned them; `Buffer.byteLength(JSON.stringify(x))`
// throws RangeError on a payload nested a few thousand levels deep (valid when the depth is inside customData),
// which turned a valid request into an InternalError (issue 20).

/** Buffer.byteLength(JSON.stringify(value)) for JSON data (what JSON.parse returns), in any depth. */
export function jsonByteLength(value: unknown): number {
  let bytes = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') {
      // A primitive: JSON.stringify of it is flat (undefined and functions only occur outside JSON data).
      const text = JSON.stringify(v) as string | undefined;
      bytes += text === undefined ? 4 : Buffer.byteLength(text, 'utf8');
    } else if (Array.isArray(v)) {
      bytes += 2 + Math.max(0, v.length - 1);
      for (let i = v.length - 1; i >= 0; i--)
        stack.push(v[i] === undefined || typeof v[i] === 'function' ? null : v[i]);
    } else {
      const keys = Object.keys(v).filter(
        (k) =>
          // Walking parsed JSON: `v` was checked to be a non-array object.
          (v as Record<string, unknown>)[k] !== undefined && typeof (v as Record<string, unknown>)[k] !== 'function',
      );
      bytes += 2 + Math.max(0, keys.length - 1);
      for (const k of keys) {
        bytes += Buffer.byteLength(JSON.stringify(k), 'utf8') + 1;
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
  }
  return bytes;
}
