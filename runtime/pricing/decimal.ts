// Exact decimal money for the California pricing note (1.6 and 2.0.1): an amount is an integer count of
// 10^-scale units (a bigint), never a binary float, so 0.1 + 0.2 is 0.3 and a price times an energy is exact.
// Prices arrive as JSON numbers: a number's shortest round-trip text (what JSON.stringify and String() give) is the
// decimal the CSMS wrote for every value of up to 15 significant digits, so it is read from that text.

export interface Decimal {
  /** The value times 10^scale. */
  readonly units: bigint;
  /** Digits after the decimal point (≥ 0). */
  readonly scale: number;
}

const pow10 = (n: number) => 10n ** BigInt(n);

/** The decimal a JSON number (or decimal text) stands for; undefined for NaN, Infinity or text that is no number. */
export function decimal(value: number | string): Decimal | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  const text = typeof value === 'number' ? String(value) : value.trim();
  const m =
    /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text) ?? /^([+-]?)()\.(\d+)(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return undefined;
  const [, sign, whole = '', fraction = '', exponent = '0'] = m;
  const exp = Number(exponent);
  if (!Number.isInteger(exp) || Math.abs(exp) > 100) return undefined;
  const digits = BigInt(`${whole}${fraction}` || '0') * (sign === '-' ? -1n : 1n);
  const scale = fraction.length - exp;
  return scale >= 0 ? { units: digits, scale } : { units: digits * pow10(-scale), scale: 0 };
}

export const ZERO: Decimal = { units: 0n, scale: 0 };

function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * pow10(scale - a.scale), b.units * pow10(scale - b.scale), scale];
}

export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = aligned(a, b);
  return { units: x + y, scale };
}

export function mul(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function compare(a: Decimal, b: Decimal): number {
  const [x, y] = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Rounded to `scale` digits, half away from zero (the usual rule for money). */
export function round(a: Decimal, scale: number): Decimal {
  if (a.scale <= scale) return { units: a.units * pow10(scale - a.scale), scale };
  const divisor = pow10(a.scale - scale);
  const negative = a.units < 0n;
  const abs = negative ? -a.units : a.units;
  const q = (abs + divisor / 2n) / divisor;
  return { units: negative ? -q : q, scale };
}

/** a ÷ n for a positive integer n, rounded to `scale` digits (a price per hour over seconds). */
export function divide(a: Decimal, n: number, scale: number): Decimal {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`divide: n must be a positive integer, got ${n}`);
  // Two more digits than asked, then rounded once.
  const extra = scale + 2;
  const widened = a.scale <= extra ? a.units * pow10(extra - a.scale) : a.units / pow10(a.scale - extra);
  return round({ units: widened / BigInt(n), scale: extra }, scale);
}

/** The decimal as text with exactly `scale` digits after the point ("3.310"), rounded. */
export function format(a: Decimal, scale: number): string {
  const r = round(a, scale);
  const negative = r.units < 0n;
  const digits = (negative ? -r.units : r.units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}
