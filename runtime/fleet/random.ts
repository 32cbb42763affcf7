// Repeatable randomness: every station draws from its own generator, seeded from the run's seed and the station's
// number, so a run with the same --seed makes the same choices whichever worker a station lands on.
import type { Range } from './template-types.js';

/** mulberry32: a small, fast 32-bit generator; plenty for choosing delays and cards. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The generator of station number `n` in a run seeded with `seed`. */
export function stationRandom(seed: number, n: number): () => number {
  // Mixes the two so that neighbouring numbers do not start from neighbouring states.
  return seededRandom(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n + 1, 0xc2b2ae35));
}

/** A value drawn uniformly from the range. */
export function draw(random: () => number, range: Range): number {
  return range.min + (range.max - range.min) * random();
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))]!;
}
