// @timeout 180
// A fleet against a CSMS that refuses some identities (HTTP 404 / 401 before the upgrade), one that drops every
// connection, and one that accepts and never answers: the fleet keeps going, counts the failures by kind, the
// stations reconnect with their normal back-off, and the run ends by itself at its duration.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import { runFleet, type FleetOptions } from '../../runtime/fleet/runner.js';
import { resolveTemplate } from '../../runtime/fleet/template.js';
import { front, stallingCsms } from './hostile-csms.js';

/** Reconnect after 1–2 s (the defaults wait 5–15 s), so that a few seconds show the back-off at work. */
const QUICK_RETRY = { 'OCPPCommCtrlr.RetryBackOffWaitMinimum': '1', 'OCPPCommCtrlr.RetryBackOffRandomRange': '1' };
const SESSIONS = {
  plugDelaySec: { min: 0.2, max: 0.5 },
  chargeSec: { min: 1, max: 2 },
  pauseSec: { min: 0.2, max: 0.5 },
};

function options(url: string, stations: number, durationSec: number, extra: object = {}): FleetOptions {
  return {
    csmsUrl: url,
    template: resolveTemplate({ stations: { deviceModel: QUICK_RETRY, ...extra }, sessions: SESSIONS }),
    stations,
    workers: 2,
    seed: 3,
    sessionsLimit: 0,
    durationSec,
    rampPerSec: 50,
    tickMs: 500,
  };
}

test('a CSMS that refuses some identities (404, 401): refusals counted by status, retried with back-off; the accepted stations run sessions; the run ends at its duration', async () => {
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const address = await csms.listen();
  const refuse = (identity: string) => ({ 'CS-1': 404, 'CS-2': 401, 'CS-4': 404, 'CS-5': 401 })[identity];
  const connected = new Set<string>();
  csms.on('station', ({ identity }) => connected.add(identity));
  const gate = await front(address.port, { refuse });
  try {
    const started = Date.now();
    const report = await runFleet(options(gate.url, 6, 5));
    const elapsed = (Date.now() - started) / 1000;
    assert.is(report.ended, 'duration');
    assert.ok(elapsed >= 5 && elapsed < 20, `ended after ${elapsed} s`);
    const t = report.totals;
    // Two stations each, tried more than once (the back-off retries).
    assert.ok((t.failures['refused 404'] ?? 0) > 2, JSON.stringify(t.failures));
    assert.ok((t.failures['refused 401'] ?? 0) > 2, JSON.stringify(t.failures));
    assert.is(t.events.bootAccepted, 2);
    assert.is(t.answered.BootNotification, 2);
    assert.equal([...connected].sort(), ['CS-3', 'CS-6']);
    assert.ok((t.events.transactionStarted ?? 0) >= 1, JSON.stringify(t.events));
    const final = report.series.at(-1)!;
    assert.is(final.accepted + final.connecting + final.offline, 0, 'all stopped at the end');
    assert.ok(report.series.some((p) => p.accepted === 2 && p.connecting === 4));
  } finally {
    await gate.close();
    await csms.close();
  }
});

test('a CSMS that drops every connection: drops counted, the stations reconnect (with back-off) and go on; the run ends at its duration', async () => {
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const address = await csms.listen();
  let connections = 0;
  csms.on('station', () => connections++);
  const gate = await front(address.port, { dropAfterMs: 800 });
  try {
    const started = Date.now();
    const report = await runFleet(options(gate.url, 4, 6));
    const elapsed = (Date.now() - started) / 1000;
    assert.is(report.ended, 'duration');
    assert.ok(elapsed >= 6 && elapsed < 20, `ended after ${elapsed} s`);
    const t = report.totals;
    assert.ok((t.failures.dropped ?? 0) >= 8, JSON.stringify(t.failures));
    assert.ok(connections >= 8, `${connections} connections: every station came back`);
    const firstOffline = report.series.findIndex((p) => p.offline > 0);
    assert.ok(firstOffline >= 0, 'stations seen offline between connections');
    assert.ok(
      // Every first connection has been cut by then (they last 800 ms): accepted now means reconnected.
      report.series.some((p) => p.t >= report.series[firstOffline]!.t + 1 && p.accepted > 0),
      'back to accepted after a reconnect (no new boot: B04)',
    );
  } finally {
    await gate.close();
    await csms.close();
  }
});

test('a CSMS that accepts and never answers: the CALLs time out and are counted, no station is accepted, the run ends at its duration', async () => {
  const csms = await stallingCsms();
  try {
    const started = Date.now();
    const report = await runFleet(options(csms.url, 3, 4, { messageTimeoutSec: 1 }));
    const elapsed = (Date.now() - started) / 1000;
    assert.is(report.ended, 'duration');
    assert.ok(elapsed >= 4 && elapsed < 20, `ended after ${elapsed} s`);
    const t = report.totals;
    assert.ok((t.failures['timed out'] ?? 0) >= 3, JSON.stringify(t.failures));
    assert.ok(csms.calls() >= 3);
    assert.is(t.events.bootAccepted, undefined);
    assert.equal(t.answered, {});
    assert.ok(report.series.every((p) => p.accepted === 0));
  } finally {
    await csms.close();
  }
});

test.run();
