// @timeout 180
// Ctrl-C / SIGTERM end an `ocppkit fleet` run cleanly: the drivers unplug, the running transactions end (their
// Ended events are answered before the connections close), and the reports are written with what happened.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import type { Counts } from '../../runtime/fleet/metrics.js';
import type { FleetReport } from '../../runtime/fleet/runner.js';
import { ocppkit } from '../cli/cli-process.js';

test('SIGTERM during a run: the stations stop cleanly (running transactions ended), exit 0, the report says stopped', async () => {
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const seen: Counts = {};
  csms.on('message', (m) => {
    if (m.direction !== 'in' || m.action !== 'TransactionEvent') return;
    const key = `TransactionEvent(${(m.request as { eventType: string }).eventType})`;
    seen[key] = (seen[key] ?? 0) + 1;
  });
  let connected = 0;
  csms.on('station', () => connected++);
  let disconnected = 0;
  csms.on('disconnect', () => disconnected++);
  const url = csms.url(await csms.listen());
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-fleet-signal-'));
  try {
    const template = join(dir, 'template.json');
    // Long sessions: every station is charging when the signal comes.
    writeFileSync(
      template,
      JSON.stringify({
        sessions: {
          plugDelaySec: { min: 0.1, max: 0.3 },
          cardDelaySec: { min: 0.1, max: 0.2 },
          chargeSec: { min: 600, max: 600 },
        },
      }),
    );
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
    // The started transactions, as the CSMS sees them.
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

test.run();
