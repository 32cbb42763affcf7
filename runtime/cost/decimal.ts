// Exact money arithmetic for the cost calculation: rationals of BigInts, so that 0.1 + 0.2 is 0.3 and a price per
// minute times 7 seconds is exact; only the result is rounded, half away from zero, to a number of decimals. A JSON
// number from a tariff (at most six decimals, Part 2 "decimal" data type) enters through its shortest decimal text,
// which is the value the CSMS wrote.

export interface Rational {
  readonly n: bigint;
  /** Always > 0. */
  readonly d: bigint;
}

const abs = (x: bigint) => (x < 0n ? -x : x);
function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function rat(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

export const ZERO = rat(0n);
export const ONE = rat(1n);

/** The exact value of a finite JSON number, read from its shortest decimal text (e.g. 0.25, 1e-7, 2.5e+21). */
export function fromNumber(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) throw new RangeError(`cannot read ${x} as a decimal`);
  const [, sign, int, frac = '', exp = '0'] = m;
  const digits = BigInt(`${sign}${int}${frac}`);
  const scale = frac.length - Number(exp);
  return scale >= 0 ? rat(digits, 10n ** BigInt(scale)) : rat(digits * 10n ** BigInt(-scale));
}

/** A decimal string ("2.875", "-0.5") as a rational. */
export function fromDecimal(s: string): Rational {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new RangeError(`not a decimal: ${s}`);
  const [, sign, int, frac = ''] = m;
  return rat(BigInt(`${sign}${int}${frac}`), 10n ** BigInt(frac.length));
}

export const add = (a: Rational, b: Rational) => rat(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Rational, b: Rational) => rat(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Rational, b: Rational) => rat(a.n * b.n, a.d * b.d);
export const div = (a: Rational, b: Rational) => rat(a.n * b.d, a.d * b.n);
export const cmp = (a: Rational, b: Rational) => {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
};
export const min = (a: Rational, b: Rational) => (cmp(a, b) <= 0 ? a : b);
export const max = (a: Rational, b: Rational) => (cmp(a, b) >= 0 ? a : b);
export const sum = (xs: readonly Rational[]) => xs.reduce(add, ZERO);

/** Rounded half away from zero to `decimals` places, as a decimal string without trailing zeros ("2.5", "3"). */
export function toDecimal(x: Rational, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  const scaled = x.n * scale;
  let q = scaled / x.d;
  const r = abs(scaled % x.d);
  if (2n * r >= x.d) q += x.n < 0n ? -1n : 1n;
  const negative = q < 0n;
  const digits = abs(q)
    .toString()
    .padStart(decimals + 1, '0');
  const int = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return `${negative && q !== 0n ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** Rounded as toDecimal, then as the JSON number the schemas carry (a short decimal survives the round trip). */
export const toNumber = (x: Rational, decimals: number) => Number(toDecimal(x, decimals));
