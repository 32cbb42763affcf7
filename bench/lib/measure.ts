// Small, dependency-free measuring helpers shared by the benchmarks.
import { performance } from 'node:perf_hooks';

export interface Rate {
  name: string;
  opsPerSec: number;
  nsPerOp: number;
  samples: number;
}

/** Runs `fn` in timed rounds of `batch` calls until `ms` have passed (after a warm-up); reports the median round. */
export function rate(name: string, fn: () => void, { ms = 1500, batch = 1000, warmupMs = 300 } = {}): Rate {
  const until = (deadline: number, rounds: number[]) => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      for (let i = 0; i < batch; i++) fn();
      rounds.push(performance.now() - t0);
    }
  };
  until(performance.now() + warmupMs, []);
  const rounds: number[] = [];
  until(performance.now() + ms, rounds);
  const med = median(rounds);
  return { name, opsPerSec: (batch / med) * 1000, nsPerOp: (med * 1e6) / batch, samples: rounds.length };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export function table(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]!);
  const cell = (v: string | number) =>
    typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : v;
  const lines = [cols, cols.map(() => '---'), ...rows.map((r) => cols.map((c) => cell(r[c] ?? '')))];
  return lines.map((l) => `| ${l.join(' | ')} |`).join('\n');
}
