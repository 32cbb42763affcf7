// @serial
// @timeout 180
// The fleet against the built-in CSMS on 127.0.0.1: stations on worker threads (the TypeScript sources, loaded
// through tsx) run sessions, and the report counts what the CSMS counted on its side, CALL by CALL. Short sessions
// (seconds) and a session limit end each run as soon as every station is done.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimpleCsms, type CsmsVersion } from '../../runtime/csms/simple-csms.js';
import { htmlReport } from '../../runtime/fleet/html-report.js';
import type { Counts } from '../../runtime/fleet/metrics.js';
import { runFleet, type FleetReport } from '../../runtime/fleet/runner.js';
import { resolveTemplate } from '../../runtime/fleet/template.js';

/** Quick sessions: plugged within a second, charging 1–2 s, meter values every second. */
const QUICK = {
  plugDelaySec: { min: 0.2, max: 1 },
  cardDelaySec: { min: 0.1, max: 0.3 },
  chargeSec: { min: 1, max: 2 },
  pauseSec: { min: 0.1, max: 0.3 },
  cardFirstProbability: 0.3,
};
const FAST_METER = { 'SampledDataCtrlr.TxUpdatedInterval': '1' };

/** The built-in CSMS, counting every CALL it answered the way the fleet keys them. */
async function countingCsms(versions: CsmsVersion[]) {
  const csms = new SimpleCsms({ versions, logLimit: 100 });
  const seen: Counts = {};
  csms.on('message', (m) => {
    if (m.direction !== 'in' || m.error !== undefined) return;
    const key =
      m.action === 'TransactionEvent'
        ? `TransactionEvent(${(m.request as { eventType: string }).eventType})`
        : m.action;
    seen[key] = (seen[key] ?? 0) + 1;
  });
  const address = await csms.listen();
  return { csms, url: csms.url(address), seen };
}

let last: FleetReport | undefined;

test('200 stations across 2 workers complete their sessions; the report counts (Boot, Authorize, TransactionEvent Started/Updated/Ended, StatusNotification) equal what the CSMS saw', async () => {
  const { csms, url, seen } = await countingCsms(['ocpp2.0.1']);
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-fleet-'));
  try {
    const started = Date.now();
    const report = await runFleet({
      csmsUrl: url,
      template: resolveTemplate({ stations: { deviceModel: FAST_METER }, sessions: QUICK }),
      stations: 200,
      workers: 2,
      seed: 18,
      sessionsLimit: 1,
      durationSec: 90,
      rampPerSec: 100,
      dbDir: dir,
      tickMs: 500,
    });
    last = report;
    assert.is(report.ended, 'sessions', JSON.stringify(report.totals));
    assert.ok(Date.now() - started < 90_000);
    assert.is(report.workers, 2);
    // One SQLite file per worker.
    assert.ok(existsSync(join(dir, 'worker-0.db')) && existsSync(join(dir, 'worker-1.db')));
    const t = report.totals;
    assert.is(t.events.sessionsCompleted, 200, JSON.stringify(t.events));
    assert.is(t.events.transactionStarted, 200);
    assert.is(t.events.transactionEnded, 200);
    assert.is(t.answered.BootNotification, 200);
    assert.is(t.answered['TransactionEvent(Started)'], 200);
    assert.is(t.answered['TransactionEvent(Ended)'], 200);
    assert.ok((t.answered.Authorize ?? 0) > 0);
    assert.ok((t.answered['TransactionEvent(Updated)'] ?? 0) >= 200);
    // The fleet's counts are the CSMS's counts, action by action.
    assert.equal(t.answered, seen);
    assert.equal(t.sent, seen, 'every CALL sent was answered');
    assert.equal(t.callErrors, {});
    assert.equal(t.failures, {});
    assert.is(t.latency.BootNotification?.count, 200);
    assert.ok(t.latency.BootNotification!.p99! >= t.latency.BootNotification!.p50!);
    assert.ok(report.series.length > 0 && report.series.some((p) => p.accepted === 200));
    assert.ok(report.series.some((p) => p.callsPerSec > 0 && p.p50 !== undefined));
  } finally {
    await csms.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the HTML report is one file with no external URL, with the charts of stations, calls/s and latency and their series', () => {
  assert.ok(last, 'the run above');
  const html = htmlReport(last!);
  assert.not.match(html, /(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  assert.not.match(html, /<script|<link|@import|url\(/i);
  for (const id of ['chart-stations', 'chart-calls', 'chart-latency']) assert.ok(html.includes(`id="${id}"`), id);
  for (const series of ['accepted', 'calls/s', 'p50', 'p99'])
    assert.match(html, new RegExp(`<path data-series="${series.replace('/', '\\/')}" d="M[\\d.]+,[\\d.]+ L`));
  // Every point of the series is drawn.
  const calls = /<path data-series="calls\/s" d="([^"]+)"/.exec(html)![1]!;
  assert.is(calls.split(/[ML]/).filter(Boolean).length, last!.series.length);
});

test('mixed versions: 1.6 and 2.0.1 stations in one fleet each run their sessions in their own messages', async () => {
  const { csms, url, seen } = await countingCsms(['ocpp2.0.1', 'ocpp1.6']);
  const versionOf = new Map<string, string>();
  csms.on('station', ({ identity, version }) => versionOf.set(identity, version));
  try {
    const report = await runFleet({
      csmsUrl: url,
      template: resolveTemplate({
        stations: { versions: ['ocpp1.6', 'ocpp2.0.1'], identity: 'MIX-{n}', identityPad: 2 },
        sessions: QUICK,
      }),
      stations: 20,
      workers: 2,
      seed: 7,
      sessionsLimit: 1,
      durationSec: 60,
      rampPerSec: 50,
      tickMs: 500,
    });
    assert.is(report.ended, 'sessions');
    assert.equal(report.versions, { 'ocpp1.6': 10, 'ocpp2.0.1': 10 });
    // Taken in turn: odd numbers 1.6, even 2.0.1.
    assert.is(versionOf.get('MIX-01'), 'ocpp1.6');
    assert.is(versionOf.get('MIX-02'), 'ocpp2.0.1');
    assert.is(versionOf.size, 20);
    const t = report.totals;
    assert.is(t.answered.StartTransaction, 10);
    assert.is(t.answered.StopTransaction, 10);
    assert.is(t.answered['TransactionEvent(Started)'], 10);
    assert.is(t.answered['TransactionEvent(Ended)'], 10);
    assert.is(t.events.sessionsCompleted, 20);
    assert.equal(t.answered, seen);
  } finally {
    await csms.close();
  }
});

test.run();
