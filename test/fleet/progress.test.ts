// The fleet's live progress on the terminal: what the line says, rewritten in place on a TTY, one line every few
// seconds in a log; and the summary printed at the end.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { progressLine, progressPrinter, summaryText } from '../../runtime/fleet/progress.js';
import type { FleetProgress, FleetReport } from '../../runtime/fleet/runner.js';

const progress = (elapsedSec: number): FleetProgress => ({
  elapsedSec,
  stations: 200,
  gauges: { connecting: 10, accepted: 185, offline: 5, transactions: 42, waiting: 0, finished: 0 },
  callsPerSec: 120.5,
  latency: {
    StatusNotification: { count: 90, p50: 3.1, p90: 8, p99: 12.4 },
    Authorize: { count: 30, p50: 2, p90: 4, p99: 5.5 },
  },
  callErrors: { NotImplemented: 3 },
  failures: { dropped: 5, 'refused 404': 2 },
  events: {},
});

function sink(isTTY: boolean) {
  let text = '';
  const out = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    }),
    { isTTY, columns: 400 },
  );
  return { out, text: () => text };
}

test('the progress line: stations connecting/accepted/offline, transactions, CALLs/s, p50/p99 by action, CALLERRORs by code, failures by kind', () => {
  const line = progressLine(progress(12.3));
  assert.match(line, '12.3 s');
  assert.match(line, 'stations 200: 10 connecting, 185 accepted, 5 offline');
  assert.match(line, '42 tx');
  assert.match(line, '120.5 calls/s');
  assert.match(line, 'p50/p99 ms Status 3.1/12.4 Auth 2/5.5');
  assert.match(line, 'CALLERROR NotImplemented 3');
  assert.match(line, 'failures dropped 5, refused 404 2');
  assert.not.match(line, '\n');
});

test('on a TTY the line is rewritten in place; in a log a line every 5 s', () => {
  const tty = sink(true);
  const p = progressPrinter(tty.out);
  p.update(progress(1));
  p.update(progress(2));
  p.finish();
  assert.is(tty.text().split('\r').length - 1, 2);
  assert.is(tty.text().split('\n').length - 1, 1, 'one newline, at the end');
  const log = sink(false);
  const q = progressPrinter(log.out, 5000);
  for (let t = 0; t <= 12; t++) q.update(progress(t));
  q.finish();
  assert.not.match(log.text(), '\r');
  assert.is(log.text().trim().split('\n').length, 3, 'at 0, 5 and 10 s');
});

test('the summary names why the run ended, the versions, the answered CALLs with their percentiles, CALLERRORs and failures', () => {
  const report: FleetReport = {
    csms: 'ws://127.0.0.1:9000',
    startedAt: '2026-12-06T10:00:00.000Z',
    endedAt: '2026-12-06T10:01:00.000Z',
    durationSec: 60,
    ended: 'duration',
    stations: 4,
    workers: 2,
    seed: 9,
    versions: { 'ocpp1.6': 2, 'ocpp2.0.1': 2 },
    totals: {
      sent: { BootNotification: 4 },
      answered: { BootNotification: 4 },
      callErrors: {},
      failures: { 'timed out': 1 },
      events: { bootAccepted: 4 },
      latency: { BootNotification: { count: 4, p50: 3, p90: 4, p99: 5, max: 5 } },
    },
    series: [],
  };
  const text = summaryText(report);
  assert.match(text, 'fleet ended (duration) after 60 s: 4 stations (2 ocpp1.6, 2 ocpp2.0.1) on 2 worker(s), seed 9');
  assert.match(text, 'BootNotification: 4 answered, p50 3 ms, p90 4 ms, p99 5 ms, max 5 ms');
  assert.match(text, 'CALLERRORs: none');
  assert.match(text, 'failures: timed out 1');
});

test.run();
