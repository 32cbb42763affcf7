// Issue 20, the RPC layer against hostile input: frames nested thousands of levels deep are traced and answered
// (a valid one normally, a bad one with the Part 4 CALLERROR), identities Part 4 §3.1.1 forbids are refused with
// 404 (§3.2), and binary WebSocket frames are never read as OCPP-J messages, at both ends.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { protocol as v16 } from '../../generated/v16/index.js';
import { protocol as v201 } from '../../generated/v201/index.js';
import {
  CsmsServer,
  jsonLinesTrace,
  redactSecrets,
  REDACTED,
  StationClient,
  type TraceEntry,
} from '../../runtime/rpc/index.js';
import { MAX_TRACE_DEPTH, TOO_DEEP } from '../../runtime/rpc/redact.js';
import { tempDir } from '../helpers/tmp.js';
import { rawClient, rawCsms, until } from '../support/rpc-harness.js';

const TIME = '2025-01-01T00:00:00.000Z';
const deepArray = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

async function tracedCsms(tracePath: string) {
  const trace = jsonLinesTrace(tracePath);
  const server = new CsmsServer({ protocols: [v201] as const, path: '/ocpp', trace });
  server.handlers('ocpp2.0.1').handle('Heartbeat', () => ({ currentTime: TIME }));
  const { port } = await server.listen();
  return { server, port, trace, close: async () => (await server.close(), await trace.close()) };
}

test('redactSecrets: a value nested 1,000,000 levels deep is cut at MAX_TRACE_DEPTH, without recursing further; secrets above are still masked', () => {
  const deep = JSON.parse(deepArray(1_000_000)) as unknown;
  const out = redactSecrets({ password: 'p', d: deep }) as { password: string; d: unknown };
  assert.is(out.password, REDACTED);
  let level = 1;
  let v: unknown = out.d;
  while (Array.isArray(v)) ((v = v[0]), level++);
  assert.is(v, TOO_DEEP);
  assert.is(level, MAX_TRACE_DEPTH, 'cut at the depth limit');
  assert.ok(JSON.stringify(out).length < 1000, 'the copy is small and serializable');
  const shallow = { a: [{ b: 1 }] };
  assert.is(redactSecrets(shallow), shallow, 'a shallow value without secrets is returned as it is');
});

test('issue 20 #2/#3, Part 4 §4.2.3: a CSMS with a trace answers a valid Heartbeat with customData nested 5,000 deep normally, and {"a":{"a":…}} 10,000 deep with a validation CALLERROR', async () => {
  const tmp = tempDir('ocppkit-hostile-');
  const t = await tracedCsms(tmp.file('trace.jsonl'));
  try {
    const pipe = await rawClient(`ws://127.0.0.1:${t.port}/ocpp/DEEP1`, ['ocpp2.0.1']);
    pipe.send(`[2,"1","Heartbeat",{"customData":{"vendorId":"v","d":${deepArray(5000)}}}]`);
    assert.equal(await pipe.next(), [3, '1', { currentTime: TIME }]);
    pipe.send(`[2,"2","Heartbeat",${deepObject(10_000)}]`);
    const bad = await pipe.next();
    assert.equal(bad.slice(0, 2), [4, '2']);
    assert.ok(
      [
        'FormatViolation',
        'OccurrenceConstraintViolation',
        'PropertyConstraintViolation',
        'TypeConstraintViolation',
      ].includes(bad[2] as string),
      String(bad[2]),
    );
    // Deep and not even JSON: RpcFrameworkError with "-1" (§4.2.3).
    pipe.send(`[2,"3","Heartbeat",${'['.repeat(100_000)}`);
    assert.equal((await pipe.next()).slice(0, 3), [4, '-1', 'RpcFrameworkError']);
    pipe.send([2, 'alive', 'Heartbeat', {}]);
    assert.equal(await pipe.next(), [3, 'alive', { currentTime: TIME }]);
    await pipe.close();
  } finally {
    await t.close();
  }
  const lines = readFileSync(tmp.file('trace.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TraceEntry);
  const traced = lines.filter((e) => e.direction === 'in' && Array.isArray(e.frame) && e.frame[1] === '1');
  assert.is(traced.length, 1, 'the deep frame is in the trace');
  assert.match(JSON.stringify(traced[0]!.frame), /nested deeper than/);
  tmp.remove();
});

test('issue 20 #1, Part 4 §4.2.3: a station with a trace answers a schema-valid GetLocalListVersion nested 4,000 deep normally, and a bad deep one with a CALLERROR', async () => {
  const csms = await rawCsms();
  const entries: TraceEntry[] = [];
  const client = new StationClient({
    url: csms.url,
    identity: 'DEEP-CS',
    protocols: [v201],
    trace: (e) => entries.push(e),
  });
  client.session('ocpp2.0.1').handle('GetLocalListVersion', () => ({ versionNumber: 7 }));
  await client.connect();
  const pipe = csms.connections[0]!;
  try {
    pipe.send(`[2,"x1","GetLocalListVersion",{"customData":{"vendorId":"v","d":${deepArray(4000)}}}]`);
    assert.equal(await pipe.next(), [3, 'x1', { versionNumber: 7 }]);
    pipe.send(`[2,"x2","GetLocalListVersion",{"d":${deepArray(4000)}}]`);
    const bad = await pipe.next();
    assert.equal(bad.slice(0, 2), [4, 'x2']);
    assert.is.not(bad[2], 'InternalError');
    pipe.send(`[2,"x3","GetLocalListVersion",${deepObject(200_000)}]`);
    assert.equal((await pipe.next()).slice(0, 2), [4, 'x3']);
    pipe.send([2, 'x4', 'GetLocalListVersion', {}]);
    assert.equal(await pipe.next(), [3, 'x4', { versionNumber: 7 }]);
    assert.ok(entries.some((e) => e.direction === 'in' && Array.isArray(e.frame) && e.frame[1] === 'x1'));
  } finally {
    await client.close();
    await csms.close();
  }
});

/** The HTTP status a WebSocket handshake to `url` gets (101 when it is accepted). */
function handshakeStatus(url: string, protocol = 'ocpp2.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, [protocol]);
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (e) => (/Unexpected server response/.test(e.message) ? undefined : reject(e)));
  });
}

test('issue 20 #4, Part 4 §3.1.1/§3.2: identities longer than 48 characters or with ":" (also as %3A) or "%" (%25) are refused with 404; 48 characters and %20 are accepted', async () => {
  const server = new CsmsServer({ protocols: [v201, v16] as const, path: '/ocpp' });
  const refused: Array<{ status: number; reason: string }> = [];
  server.on('refused', (r) => refused.push(r));
  const { port } = await server.listen();
  const base = `ws://127.0.0.1:${port}/ocpp/`;
  try {
    for (const id of [
      'x'.repeat(49),
      'y'.repeat(200),
      'z'.repeat(8000),
      'CS:1',
      'CS%3A1',
      'CS%3a1',
      'CS%251',
      'CS%253A1',
      '%3A',
    ]) {
      assert.is(await handshakeStatus(base + id), 404, `identity ${id.slice(0, 60)}`);
    }
    assert.is(refused.length, 9);
    assert.ok(
      refused.every((r) => r.status === 404 && r.reason.length < 250),
      'the refusal reason is cut',
    );
    assert.is(await handshakeStatus(base + 'w'.repeat(48)), 101, '48 characters');
    assert.is(await handshakeStatus(`${base}RDAM%20123`), 101, 'Part 4 §3.1.1 example 2');
    assert.is(await handshakeStatus(base + 'v'.repeat(60), 'ocpp1.6'), 101, 'OCPP-J 1.6 sets no length');
    assert.is(await handshakeStatus(`${base}CS%3A16`, 'ocpp1.6'), 404, 'nor ":" in 1.6 (the Basic-auth username)');
  } finally {
    await server.close();
  }
});

test('binary frames, CSMS end: never read as OCPP-J, even when the bytes are a valid CALL: [4,"-1","RpcFrameworkError"] (1.6: FormationViolation); text frames with invalid UTF-8 likewise', async () => {
  for (const [protocol, code] of [
    [v201, 'RpcFrameworkError'],
    [v16, 'FormationViolation'],
  ] as const) {
    const server = new CsmsServer({ protocols: [protocol] as const, path: '/ocpp' });
    const h = server.handlers(protocol.name as 'ocpp2.0.1') as unknown as { handle(a: string, f: () => unknown): void };
    h.handle('Heartbeat', () => ({ currentTime: TIME }));
    const badFrames: string[] = [];
    server.on('station', (s) => s.on('badFrame', (e) => badFrames.push(e.problem)));
    const { port } = await server.listen();
    const pipe = await rawClient(`ws://127.0.0.1:${port}/ocpp/BIN1`, [protocol.name]);
    pipe.sendBinary('[2,"b1","Heartbeat",{}]');
    const a = await pipe.next();
    assert.equal(a.slice(0, 3), [4, '-1', code], protocol.name);
    assert.match(String(a[3]), /binary/);
    pipe.sendTextBytes(Buffer.from([0x5b, 0x32, 0xff, 0x5d]));
    assert.equal((await pipe.next()).slice(0, 3), [4, '-1', code]);
    pipe.send([2, 'b2', 'Heartbeat', {}]);
    assert.equal(await pipe.next(), [3, 'b2', { currentTime: TIME }]);
    assert.equal(badFrames, ['binaryFrame', 'invalidJson']);
    await pipe.close();
    await server.close();
  }
});

test('binary frames, station end: a binary CALL from the CSMS is answered [4,"-1","RpcFrameworkError"] and not handled', async () => {
  const csms = await rawCsms();
  const client = new StationClient({ url: csms.url, identity: 'BIN-CS', protocols: [v201] });
  let handled = 0;
  client.session('ocpp2.0.1').handle('GetLocalListVersion', () => (handled++, { versionNumber: 1 }));
  await client.connect();
  const pipe = csms.connections[0]!;
  try {
    pipe.sendBinary('[2,"b1","GetLocalListVersion",{}]');
    assert.equal((await pipe.next()).slice(0, 3), [4, '-1', 'RpcFrameworkError']);
    pipe.send([2, 'b2', 'GetLocalListVersion', {}]);
    assert.equal(await pipe.next(), [3, 'b2', { versionNumber: 1 }]);
    assert.is(handled, 1, 'only the text frame was handled');
  } finally {
    await client.close();
    await csms.close();
  }
});

test('issue 20 #5 (library): at most maxConcurrentCalls incoming CALLs are held in handlers; more are answered at once with RpcFrameworkError (Part 4 §4.1.1 allows one at a time)', async () => {
  const server = new CsmsServer({ protocols: [v201] as const, path: '/ocpp', maxConcurrentCalls: 8 });
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let running = 0;
  server.handlers('ocpp2.0.1').handle('Heartbeat', async () => {
    running++;
    await gate;
    return { currentTime: TIME };
  });
  const { port } = await server.listen();
  const pipe = await rawClient(`ws://127.0.0.1:${port}/ocpp/PIPELINE`, ['ocpp2.0.1']);
  try {
    for (let i = 0; i < 20; i++) pipe.send([2, `c${i}`, 'Heartbeat', {}]);
    for (let i = 8; i < 20; i++) assert.equal((await pipe.next()).slice(0, 3), [4, `c${i}`, 'RpcFrameworkError']);
    assert.is(running, 8, 'only 8 handlers ran');
    release();
    const results = await Promise.all(Array.from({ length: 8 }, () => pipe.next()));
    assert.equal(results.map((a) => a[1]).sort(), Array.from({ length: 8 }, (_, i) => `c${i}`).sort());
    pipe.send([2, 'after', 'Heartbeat', {}]);
    assert.equal(await pipe.next(), [3, 'after', { currentTime: TIME }], 'served again once the handlers finished');
  } finally {
    await pipe.close();
    await server.close();
  }
});

test.run();
