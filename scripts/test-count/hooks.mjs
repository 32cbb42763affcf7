// Module resolve hook (see ./register.mjs): the bare specifier 'uvu' becomes the counting wrapper. The wrapper
// itself imports uvu by file URL, which this hook leaves alone, so there is exactly one uvu instance.
const wrapper = new URL('./uvu-counted.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'uvu') return { url: wrapper, shortCircuit: true };
  return next(specifier, context);
}
