// Rename detection for device-model variables. A removed and an added row are taken as one renamed variable when:
//  1. they belong to the same component and instance and have the same data type and unit (a rename keeps the
//     meaning; a row whose type or unit changed as well is reported as removed + added), and
//  2. their names are similar: equal once case and punctuation are ignored (`ACCurrent.min/maxSet` and
//     `ACCurrent(Min/MaxSet)`: score 1), one such normalized name a prefix of the other (`StateOfCharge.actual` →
//     `StateOfCharge`: 0.9), or a bigram (Dice) similarity of at least 0.75.
// Pairs are chosen greedily by score; among equal scores the pair whose rows sit closer in their files wins (the OCA
// edits rows in place, so a renamed row keeps its position). Each row takes part in at most one rename.

export interface RenameCandidate {
  /** Only rows with the same group (component, instance, data type, unit) can pair. */
  group: string;
  name: string;
  /** Row index in its file. */
  position: number;
}

const normalize = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

function bigrams(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length - 1; i++) out.push(s.slice(i, i + 2));
  return out;
}

export function nameSimilarity(a: string, b: string): number {
  const x = normalize(a);
  const y = normalize(b);
  if (x === y) return 1;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  if (short.length >= 4 && long.startsWith(short)) return 0.9;
  const bx = bigrams(x);
  const by = bigrams(y);
  if (bx.length === 0 || by.length === 0) return 0;
  const pool = [...by];
  let common = 0;
  for (const g of bx) {
    const i = pool.indexOf(g);
    if (i >= 0) {
      common++;
      pool.splice(i, 1);
    }
  }
  return (2 * common) / (bx.length + by.length);
}

export const RENAME_THRESHOLD = 0.75;

/** Returns pairs [index into removed, index into added]. */
export function findRenames(removed: RenameCandidate[], added: RenameCandidate[]): Array<[number, number]> {
  const options: Array<{ i: number; j: number; score: number; distance: number }> = [];
  removed.forEach((r, i) =>
    added.forEach((a, j) => {
      if (r.group !== a.group) return;
      const score = nameSimilarity(r.name, a.name);
      if (score >= RENAME_THRESHOLD) options.push({ i, j, score, distance: Math.abs(r.position - a.position) });
    }),
  );
  options.sort((p, q) => q.score - p.score || p.distance - q.distance || p.i - q.i || p.j - q.j);
  const usedR = new Set<number>();
  const usedA = new Set<number>();
  const pairs: Array<[number, number]> = [];
  for (const o of options) {
    if (usedR.has(o.i) || usedA.has(o.j)) continue;
    usedR.add(o.i);
    usedA.add(o.j);
    pairs.push([o.i, o.j]);
  }
  return pairs.sort((p, q) => p[0] - q[0]);
}
