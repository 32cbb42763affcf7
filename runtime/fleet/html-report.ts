// The fleet's HTML report: one self-contained file (inline CSS and SVG, no script, nothing fetched) with line charts
// of the stations' states, CALLs per second and response-time percentiles over the run, and the totals' tables.
import type { Counts } from './metrics.js';
import type { FleetReport, SeriesPoint } from './runner.js';

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];

const escape = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

interface Line {
  name: string;
  points: Array<[number, number]>;
}

/** A round axis maximum: 1, 2 or 5 times a power of ten, at least `v`. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v)!;
}

function format(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 1 : 0);
}

/** An SVG line chart; `id` names it for readers (and tests). */
export function lineChart(id: string, title: string, unit: string, lines: Line[]): string {
  const W = 720;
  const H = 240;
  const left = 56;
  const right = 16;
  const top = 28;
  const bottom = 36;
  const xs = lines.flatMap((l) => l.points.map((p) => p[0]));
  const ys = lines.flatMap((l) => l.points.map((p) => p[1]));
  const xMax = niceMax(Math.max(1, ...xs));
  const yMax = niceMax(Math.max(0, ...ys));
  const x = (v: number) => left + (v / xMax) * (W - left - right);
  const y = (v: number) => H - bottom - (v / yMax) * (H - top - bottom);
  const grid: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    grid.push(
      `<line x1="${left}" x2="${W - right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${format(v)}</text>`,
    );
    const t = (xMax * i) / 4;
    grid.push(`<text x="${x(t)}" y="${H - bottom + 16}" text-anchor="middle">${format(t)} s</text>`);
  }
  const paths = lines.map((l, i) => {
    const d = l.points.map(([px, py], j) => `${j ? 'L' : 'M'}${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ');
    return `<path data-series="${escape(l.name)}" d="${d}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2"/>`;
  });
  const legend = lines.map(
    (l, i) =>
      `<text x="${left + 10 + i * 120}" y="${top - 10}" fill="${COLORS[i % COLORS.length]}">■ ${escape(l.name)}</text>`,
  );
  return `<figure id="${escape(id)}"><figcaption>${escape(title)} (${escape(unit)})</figcaption>
<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escape(title)}">
${grid.join('\n')}
<line x1="${left}" x2="${left}" y1="${top}" y2="${H - bottom}" stroke="#888"/>
${paths.join('\n')}
${legend.join('\n')}
</svg></figure>`;
}

const series = (points: SeriesPoint[], name: string, pick: (p: SeriesPoint) => number | undefined): Line => ({
  name,
  points: points.flatMap((p) => {
    const v = pick(p);
    return v === undefined ? [] : [[p.t, v] as [number, number]];
  }),
});

function table(caption: string, rows: Array<[string, ...Array<string | number>]>, head: string[]): string {
  if (!rows.length) return `<p>${escape(caption)}: none</p>`;
  return `<table><caption>${escape(caption)}</caption><tr>${head.map((h) => `<th>${escape(h)}</th>`).join('')}</tr>
${rows.map((r) => `<tr>${r.map((c) => `<td>${escape(String(c))}</td>`).join('')}</tr>`).join('\n')}</table>`;
}

const countRows = (c: Counts): Array<[string, number]> => Object.entries(c).sort((a, b) => b[1] - a[1]);

export function htmlReport(r: FleetReport): string {
  const t = r.totals;
  const charts = [
    lineChart('chart-stations', 'Stations', 'count', [
      series(r.series, 'accepted', (p) => p.accepted),
      series(r.series, 'connecting', (p) => p.connecting),
      series(r.series, 'offline', (p) => p.offline),
      series(r.series, 'transactions', (p) => p.transactions),
    ]),
    lineChart('chart-calls', 'CALLs per second', 'calls/s', [series(r.series, 'calls/s', (p) => p.callsPerSec)]),
    lineChart('chart-latency', 'CSMS response time', 'ms', [
      series(r.series, 'p50', (p) => p.p50),
      series(r.series, 'p90', (p) => p.p90),
      series(r.series, 'p99', (p) => p.p99),
    ]),
  ];
  const latencyRows = Object.entries(t.latency)
    .sort((a, b) => b[1].count - a[1].count)
    .map(([a, l]): [string, ...Array<string | number>] => [
      a,
      l.count,
      l.p50 ?? '-',
      l.p90 ?? '-',
      l.p99 ?? '-',
      l.max ?? '-',
    ]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ocppkit fleet report</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 2em; color: #222; }
figure { margin: 1.5em 0; } figcaption { font-weight: 600; margin-bottom: .3em; }
svg text { font: 11px system-ui, sans-serif; fill: #444; }
table { border-collapse: collapse; margin: 1em 0; } caption { text-align: left; font-weight: 600; }
td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: right; } td:first-child, th:first-child { text-align: left; }
</style></head><body>
<h1>ocppkit fleet report</h1>
<p>${escape(
    `${r.stations} stations (${Object.entries(r.versions)
      .map(([v, n]) => `${n} ${v}`)
      .join(
        ', ',
      )}) on ${r.workers} worker(s) against ${r.csms}, from ${r.startedAt} to ${r.endedAt} (${r.durationSec} s, ended: ${r.ended}), seed ${r.seed}`,
  )}</p>
${charts.join('\n')}
${table('Response times by action (ms)', latencyRows, ['action', 'answered', 'p50', 'p90', 'p99', 'max'])}
${table('CALLs answered', countRows(t.answered), ['CALL', 'count'])}
${table('Station events', countRows(t.events), ['event', 'count'])}
${table('CALLERRORs', countRows(t.callErrors), ['code', 'count'])}
${table('Failures', countRows(t.failures), ['kind', 'count'])}
</body></html>
`;
}
