// Issue 20 in the built-in CSMS and the station's log: a valid message with deep customData is answered normally
// with the readable log attached (#3), the CSMS's message log stays bounded whatever the stations send (#6), and the
// station's log remembers no CALL it can never match with an answer (#5).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { logCsms } from '../../runtime/cli/csms-log.js';
import type { Log } from '../../runtime/cli/output.js';
import { PENDING_LIMIT, stationFrameLog } from '../../runtime/cli/station-log.js';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import type { TraceEntry } from '../../runtime/rpc/trace.js';
import { rawClient, until } from '../support/rpc-harness.js';

function memoryLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (t) => lines.push(t),
    warn: (t) => lines.push(`warning: ${t}`),
    error: (t) => lines.push(`error: ${t}`),
  };
}

const deepArray = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

test('issue 20 #3: the built-in CSMS with its readable log answers a valid Heartbeat whose customData is nested 5,000 deep with a HeartbeatResponse, not InternalError', async () => {
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const log = memoryLog();
  logCsms(csms, log);
  const url = csms.url(await csms.listen());
  const pipe = await rawClient(`${url}/DEEP-LOG`, ['ocpp2.0.1']);
  try {
    pipe.send(`[2,"1","Heartbeat",{"customData":{"vendorId":"v","d":${deepArray(5000)}}}]`);
    const answer = await pipe.next();
    assert.equal(answer.slice(0, 2), [3, '1'], JSON.stringify(answer).slice(0, 200));
    assert.ok(
      log.lines.some((l) => /DEEP-LOG → Heartbeat \{/.test(l)),
      `logged: ${log.lines.join('\n')}`,
    );
  } finally {
    await pipe.close();
    await csms.close();
  }
});

test('issue 20 #6: the built-in CSMS keeps at most logLimit messages, the newest, and keeps a request above largeMessageBytes as { omitted } (the trace keeps the history)', async () => {
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'], logLimit: 500, largeMessageBytes: 256 * 1024 });
  const url = csms.url(await csms.listen());
  const pipe = await rawClient(`${url}/MANY`, ['ocpp2.0.1']);
  try {
    for (let i = 0; i < 2000; i++) pipe.send([2, `h${i}`, 'Heartbeat', {}]);
    await until(() => pipe.received.length === 2000, 20_000, '2000 answers');
    assert.is(csms.log.length, 500);
    assert.is(csms.log.at(-1)!.action, 'Heartbeat');
    const big = { customData: { vendorId: 'v', blob: 'x'.repeat(1024 * 1024) } };
    for (let i = 0; i < 8; i++) pipe.send([2, `b${i}`, 'Heartbeat', big]);
    await until(() => pipe.received.length === 2008, 20_000, '8 more answers');
    assert.match(JSON.stringify(pipe.received.at(-1)), /currentTime/, 'still answered normally');
    const kept = csms.log.slice(-8);
    assert.ok(
      kept.every((m) => JSON.stringify(m.request).length < 200),
      'a 1 MB request is not kept in the log',
    );
    assert.match(JSON.stringify(kept[0]!.request), /omitted/);
    assert.ok(csms.attempts.length <= 1000);
  } finally {
    await pipe.close();
    await csms.close();
  }
});

test('issue 20 #6: the log is bounded in bytes too (logBytes, default 32 MiB): 40 valid Heartbeats of 1 MB each leave at most logBytes in it', async () => {
  const csms = new SimpleCsms({
    versions: ['ocpp2.0.1'],
    largeMessageBytes: 2 * 1024 * 1024,
    logBytes: 8 * 1024 * 1024,
  });
  const url = csms.url(await csms.listen());
  const pipe = await rawClient(`${url}/BIG`, ['ocpp2.0.1']);
  try {
    const big = JSON.stringify({ customData: { vendorId: 'v', blob: 'x'.repeat(1024 * 1024) } });
    for (let i = 0; i < 40; i++) pipe.send(`[2,"b${i}","Heartbeat",${big}]`);
    await until(() => pipe.received.length === 40, 30_000, '40 answers');
    const bytes = csms.log.reduce((n, m) => n + JSON.stringify(m.request).length, 0);
    assert.ok(bytes <= 8 * 1024 * 1024, `log holds ${bytes} bytes`);
    assert.ok(csms.log.length >= 5 && csms.log.length <= 8, `kept the newest ${csms.log.length}`);
    assert.is(
      csms.log.at(-1)!.request && (csms.log.at(-1)!.request as any).customData.blob.length,
      1024 * 1024,
      'kept whole while it fits',
    );
  } finally {
    await pipe.close();
    await csms.close();
  }
});

test('issue 20 #5: the station log remembers no CALL with an unreadable MessageId (answered "-1") and at most PENDING_LIMIT unanswered ones', () => {
  const log = memoryLog();
  const sink = stationFrameLog(log);
  const entry = (direction: 'in' | 'out', frame: unknown[]): TraceEntry => ({
    time: '',
    station: 'S',
    direction,
    frame,
  });
  const longId = 'i'.repeat(1024 * 1024);
  for (let i = 0; i < 32; i++) {
    sink(entry('in', [2, `${longId}${i}`, 'GetLocalListVersion', {}]));
    sink(entry('out', [4, '-1', 'RpcFrameworkError', 'MessageId could not be read', {}]));
  }
  assert.is(sink.pendingCount(), 0, 'an overlong MessageId is never kept');
  for (let i = 0; i < 10_000; i++) sink(entry('in', [2, `c${i}`, 'GetLocalListVersion', {}]));
  assert.is(sink.pendingCount(), PENDING_LIMIT);
  sink(entry('out', [3, 'c9999', { versionNumber: 1 }]));
  assert.match(
    log.lines.at(-1)!,
    /→ GetLocalListVersionResponse \{"versionNumber":1\}/,
    'the newest CALLs are still named',
  );
  assert.ok(
    log.lines.every((l) => l.length < 1000),
    'no log line carries the 1 MB id',
  );
});

test.run();
