// @timeout 180
// `ocppkit fleet` as a user runs it (a child process from the sources, its workers loaded through tsx): a run to
// its end with both reports; Ctrl-C / SIGTERM ending a run cleanly — the drivers unplug, the running transactions
// end (their Ended events answered before the connections close), the reports are written; and CALLERRORs counted
// by code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import type { Counts } from '../../runtime/fleet/metrics.js';
import { runFleet, type FleetReport } from '../../runtime/fleet/runner.js';
import { resolveTemplate } from '../../runtime/fleet/template.js';
import { CallError } from '../../runtime/rpc/errors.js';
import { ocppkit, ocppkitRun } from '../cli/cli-process.js';

const QUICK = {
  plugDelaySec: { min: 0.1, max: 0.5 },
  cardDelaySec: { min: 0.1, max: 0.3 },
  chargeSec: { min: 1, max: 2 },
  pauseSec: { min: 0.1, max: 0.3 },
};

/** The built-in CSMS, counting every CALL it answered (CALLRESULT) the way the fleet keys them. */
async function countingCsms() {
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const seen: Counts = {};
  csms.on('message', (m) => {
    if (m.direction !== 'in' || m.error !== undefined) return;
    const key =
      m.action === 'TransactionEvent'
        ? `TransactionEvent(${(m.request as { eventType: string }).eventType})`
        : m.action;
    seen[key] = (seen[key] ?? 0) + 1;
  });
  return { csms, url: csms.url(await csms.listen()), seen };
}

test('ocppkit fleet --csms … --stations 4 --sessions 1 --in-memory --report --html: runs to its end, exit 0, writes both reports', async () => {
  const { csms, url, seen } = await countingCsms();
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-fleet-cli-'));
  try {
    const template = join(dir, 'template.json');
    writeFileSync(template, JSON.stringify({ sessions: QUICK, durationSec: 60 }));
    const json = join(dir, 'out/report.json');
    const html = join(dir, 'out/report.html');
    const r = await ocppkitRun(
      [
        'fleet',
        '--csms',
        url,
        '--stations',
        '4',
        '--workers',
        '2',
        '--sessions',
        '1',
        '--seed',
        '5',
        '--in-memory',
        '--template',
        template,
        '--report',
        json,
        '--html',
        html,
      ],
      { ms: 90_000 },
    );
    assert.is(r.code, 0, r.output);
    assert.match(r.output, /stations 4: .* accepted/, 'the progress line');
    assert.match(
      r.output,
      /fleet ended \(sessions\) after [\d.]+ s: 4 stations \(4 ocpp2\.0\.1\) on 2 worker\(s\), seed 5/,
    );
    assert.match(r.output, /BootNotification: 4 answered, p50 [\d.]+ ms/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as FleetReport;
    assert.is(report.totals.events.sessionsCompleted, 4);
    assert.equal(report.totals.answered, seen);
    assert.ok(readFileSync(html, 'utf8').includes('id="chart-latency"'));
  } finally {
    await csms.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGTERM during a run: the stations stop cleanly (running transactions ended), exit 0, the report says stopped', async () => {
  const { csms, url, seen } = await countingCsms();
  let connected = 0;
  csms.on('station', () => connected++);
  let disconnected = 0;
  csms.on('disconnect', () => disconnected++);
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-fleet-signal-'));
  try {
    const template = join(dir, 'template.json');
    // Long sessions: every station is charging when the signal comes.
    writeFileSync(template, JSON.stringify({ sessions: { ...QUICK, chargeSec: { min: 600, max: 600 } } }));
    const json = join(dir, 'report.json');
    const fleet = ocppkit([
      'fleet',
      '--csms',
      url,
      '--stations',
      '6',
      '--workers',
      '2',
      '--duration',
      '300',
      '--template',
      template,
      '--db-dir',
      join(dir, 'db'),
      '--report',
      json,
    ]);
    const deadline = Date.now() + 60_000;
    while ((seen['TransactionEvent(Started)'] ?? 0) < 6 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    assert.is(seen['TransactionEvent(Started)'], 6, fleet.output());
    fleet.kill('SIGTERM');
    assert.is(await fleet.exited(30_000), 0, fleet.output());
    assert.match(fleet.output(), /fleet ended \(stopped\)/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as FleetReport;
    assert.is(report.ended, 'stopped');
    assert.is(report.totals.events.transactionStarted, 6);
    assert.is(report.totals.events.transactionEnded, 6);
    assert.is(seen['TransactionEvent(Ended)'], 6, 'every running transaction ended at the CSMS');
    assert.is(report.totals.answered['TransactionEvent(Ended)'], 6);
    assert.is(disconnected, connected, 'every connection closed');
    assert.equal(report.totals.failures, {}, 'a clean stop is no failure');
  } finally {
    await csms.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CALLERRORs are counted by code (as many as the CSMS sent), and the sessions go on', async () => {
  const { csms, url } = await countingCsms();
  let refused = 0;
  csms.respond('StatusNotification', () => {
    refused++;
    throw new CallError('InternalError', 'the test CSMS fails every StatusNotification');
  });
  try {
    const report = await runFleet({
      csmsUrl: url,
      template: resolveTemplate({ sessions: QUICK }),
      stations: 4,
      workers: 1,
      seed: 2,
      sessionsLimit: 1,
      durationSec: 60,
      rampPerSec: 20,
      tickMs: 500,
    });
    assert.is(report.ended, 'sessions');
    assert.ok(refused >= 8, `${refused} StatusNotifications`);
    assert.equal(report.totals.callErrors, { InternalError: refused });
    assert.is(report.totals.answered.StatusNotification, undefined);
    assert.is(report.totals.latency.StatusNotification?.count, refused, 'a CALLERROR is an answer: timed too');
    assert.is(report.totals.events.sessionsCompleted, 4);
  } finally {
    await csms.close();
  }
});

test.run();
