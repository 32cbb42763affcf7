// @serial
// @timeout 240
// Issue 20: a seeded fuzz of `ocppkit csms --trace` (a real process). Eight raw stations (six on 2.0.1, two on
// 2.1) send FUZZ_FRAMES frames between them (default 20,000; FUZZ_SEED to replay) of every kind in
// test/support/hostile-frames.ts, in bursts, each burst followed by 32 valid Heartbeats with 1 MB of customData;
// around them, ~40 hostile handshakes, dropped connections and half-open ones. Every readable CALL gets exactly
// one answer, the one Part 4's table prescribes; forbidden identities get 404 (§3.1.1/§3.2); the process never
// crashes; its RSS, sampled after each burst, stays bounded; a well-behaved station still connects at the end.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import { protocol as v201 } from '../../generated/v201/index.js';
import { protocol as v21 } from '../../generated/v21/index.js';
import { tempDir } from '../helpers/tmp.js';
import { AnswerBook, rssMb } from '../support/fuzz-book.js';
import {
  bigValidCall,
  hostileFrames,
  oracle,
  prng,
  receivedActions,
  VALIDATION_CODES,
  type FuzzEnd,
  type Outgoing,
} from '../support/hostile-frames.js';
import { rawClient, until, type FramePipe } from '../support/rpc-harness.js';
import { ocppkit } from './cli-process.js';

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 20_000);
const SEED = Number(process.env.FUZZ_SEED ?? 4201);
const BURSTS = 10;
const BIG_PER_BURST = 32;
/** How much the CSMS's RSS may grow from the first three bursts to the last three (it grew ~40 MB per burst of 32). */
const RSS_GROWTH_MB = 60;
const STATIONS: Array<{ identity: string; protocol: typeof v201 | typeof v21 }> = [
  ...Array.from({ length: 6 }, (_, i) => ({ identity: `FZ-${i + 1}`, protocol: v201 })),
  ...Array.from({ length: 2 }, (_, i) => ({ identity: `FZ21-${i + 1}`, protocol: v21 })),
];

const T = '2025-01-01T00:00:00.000Z';
const CANDIDATES: Array<[string, Record<string, unknown>]> = [
  ['Heartbeat', {}],
  ['BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } }],
  ['StatusNotification', { timestamp: T, connectorStatus: 'Available', evseId: 1, connectorId: 1 }],
  ['Authorize', { idToken: { idToken: 'FUZZ', type: 'ISO14443' } }],
  ['DataTransfer', { vendorId: 'org.fuzz' }],
  ['MeterValues', { evseId: 1, meterValue: [{ timestamp: T, sampledValue: [{ value: 1 }] }] }],
  ['SecurityEventNotification', { type: 'FuzzEvent', timestamp: T }],
];

function send(pipe: FramePipe, out: Outgoing): void {
  if ('text' in out) pipe.ws.send(out.text);
  else if ('bytes' in out) pipe.sendTextBytes(out.bytes);
  else pipe.sendBinary(out.binary);
}

/** The HTTP status of a WebSocket handshake (101 when accepted). */
function handshake(url: string, protocols: string[], headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, { headers });
    ws.once('open', () => (ws.terminate(), resolve(101)));
    ws.once('unexpected-response', (_req, res) => (resolve(res.statusCode ?? 0), ws.terminate()));
    ws.once('error', () => resolve(0));
  });
}

/** Raw bytes on a TCP connection; resolves with the first line the server answers ('' if it just closes). */
function rawHttp(port: number, request: string | Buffer, keepOpen = false): Promise<{ line: string; socket: Socket }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let data = '';
    const done = () => resolve({ line: data.split('\r\n')[0] ?? '', socket });
    socket.on('data', (d) => {
      data += d.toString('latin1');
      if (data.includes('\r\n')) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    if (keepOpen) setTimeout(done, 300);
  });
}

test(`issue 20: ${FRAMES} seeded hostile frames (seed ${SEED}) from 8 stations to ocppkit csms --trace, with hostile handshakes, drops and half-open connections: one correct answer per readable CALL, 404 for forbidden identities, no crash, RSS bounded`, async () => {
  const tmp = tempDir('ocppkit-fuzz-');
  // --trace /dev/null: every frame takes the full trace path (redaction, JSON lines) without filling the disk.
  const csms = ocppkit(['csms', '--port', '0', '--trace', '/dev/null'], { cwd: tmp.dir });
  const halfOpen: Socket[] = [];
  const pipes: FramePipe[] = [];
  try {
    const line = await csms.waitFor(/CSMS listening on ws:\/\//);
    const url = /listening on (ws:\/\/\S+)/.exec(line)![1]!;
    const port = Number(/:(\d+)$/.exec(url)![1]);
    const pid = csms.child.pid!;
    const alive = () => assert.is(csms.child.exitCode, null, `the CSMS died: ${csms.output().slice(-1500)}`);

    // Hostile handshakes (Part 4 §3.1.1: at most 48 characters, no ":"; §3.2: 404).
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
      ':',
    ]) {
      assert.is(await handshake(`${url}/${id}`, ['ocpp2.0.1']), 404, `identity ${id.slice(0, 40)}`);
    }
    const key = 'dGhlIHNhbXBsZSBub25jZQ==';
    const hostile = [
      `GET /HS1 HTTP/1.1\r\nHost: x\r\n\r\n`, // no upgrade: 426
      `GET /HS2 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ocpp2.0.1\r\n\r\n`, // no key
      `GET /HS3 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      `GET /HS4 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 7\r\n\r\n`,
      `GET /HS5 HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      `POST /HS6 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      `GET /HS7 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      `\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003`, // a TLS ClientHello on plain ws
      `GARBAGE\r\n\r\n`,
      `GET /%ZZ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      `GET /a/b/c HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    ];
    for (const request of hostile) {
      const { line: status, socket } = await rawHttp(port, request);
      socket.destroy();
      assert.not.match(status, /^HTTP\/1\.1 101/, `refused: ${JSON.stringify(request.slice(0, 40))} → ${status}`);
    }
    for (const offered of [[], ['ocpp1.5'], ['soap'], ['ocpp2.0'], ['OCPP2.0.1']]) {
      // No subprotocol in common: the handshake completes without one and the CSMS closes at once (§3.2).
      const ws = new WebSocket(`${url}/NOPROTO`, offered);
      const closed = await new Promise<number>((resolve) => {
        ws.once('close', (code) => resolve(code));
        ws.once('error', () => resolve(-1));
      });
      assert.ok(closed === 1002 || closed === -1, `offered ${offered.join(',')}: closed ${closed}`);
    }
    // Half-open: a request that never ends, and TCP connections that say nothing.
    for (let i = 0; i < 10; i++)
      halfOpen.push((await rawHttp(port, `GET /HALF${i} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n`, true)).socket);
    for (let i = 0; i < 10; i++) halfOpen.push((await rawHttp(port, '', true)).socket);
    alive();

    // The fuzzing stations; what each CSMS version handles is learned from the wire as for the station.
    const books = new Map<FramePipe, AnswerBook>();
    const ends = new Map<string, FuzzEnd>();
    for (const s of STATIONS) {
      const pipe = await rawClient(`${url}/${s.identity}`, [s.protocol.name]);
      pipes.push(pipe);
      const book = new AnswerBook(`${s.identity} probe`);
      books.set(pipe, book);
      pipe.ws.on('message', (data) => {
        const text = data.toString();
        const b = books.get(pipe)!;
        try {
          b.receive(JSON.parse(text) as unknown[], text);
        } catch {
          b.problems.push(`not JSON from the CSMS: ${text.slice(0, 100)}`);
        }
      });
      if (!ends.has(s.protocol.name)) {
        const handled = new Set<string>();
        for (const action of receivedActions(s.protocol, 'csms')) {
          const before = book.kinds.NotSupported ?? 0;
          book.expect(
            {
              answer: 'resultOrError',
              id: `p-${action}`.slice(0, 36),
              codes: new Set([...VALIDATION_CODES, 'NotSupported']),
            },
            'probe',
          );
          pipe.ws.send(JSON.stringify([2, `p-${action}`.slice(0, 36), action, { zzz: 1 }]));
          await until(() => book.outstanding === 0, 5000, `the answer to the ${action} probe`);
          if ((book.kinds.NotSupported ?? 0) === before) handled.add(action);
        }
        const valid: FuzzEnd['valid'][number][] = [];
        for (const [action, payload] of CANDIDATES) {
          const before = book.kinds.CALLRESULT ?? 0;
          book.expect(
            {
              answer: 'resultOrError',
              id: `v-${action}`.slice(0, 36),
              codes: new Set(['NotSupported', 'InternalError', ...VALIDATION_CODES]),
            },
            'probe',
          );
          pipe.ws.send(JSON.stringify([2, `v-${action}`.slice(0, 36), action, payload]));
          await until(() => book.outstanding === 0, 5000, `the answer to ${action}`);
          if ((book.kinds.CALLRESULT ?? 0) > before) valid.push([action, payload]);
        }
        assert.equal(book.verdict(), [], `${s.protocol.name} probes`);
        assert.ok(handled.size >= 15, `${s.protocol.name}: the CSMS handles ${handled.size} actions`);
        assert.ok(valid.length >= 5, `${s.protocol.name}: valid CALLs answered: ${valid.map(([a]) => a).join(', ')}`);
        ends.set(s.protocol.name, { protocol: s.protocol, role: 'csms', handled, valid });
      }
      books.set(pipe, new AnswerBook(`${s.identity} seed ${SEED}`));
    }

    const r = prng(SEED);
    const rss: number[] = [];
    const perBurst = Math.ceil(FRAMES / BURSTS);
    const started = Date.now();
    let i = 0;
    for (let burst = 0; burst < BURSTS; burst++) {
      for (const stop = Math.min(FRAMES, i + perBurst); i < stop; i++) {
        const pipe = pipes[i % pipes.length]!;
        const end = ends.get(STATIONS[i % pipes.length]!.protocol.name)!;
        for (const out of hostileFrames(r, i, end)) {
          books.get(pipe)!.expect(oracle(end, out), out.what);
          send(pipe, out);
        }
      }
      const big = pipes[burst % 6]!;
      for (let k = 0; k < BIG_PER_BURST; k++) {
        const out = { ...bigValidCall(`big-${burst}-${k}`, 'Heartbeat', {}, 1024 * 1024), exact: true };
        books.get(big)!.expect(oracle(ends.get('ocpp2.0.1')!, out), out.what);
        send(big, out);
      }
      // Dropped connections: a station that vanishes mid-frame, without a closing handshake.
      const drop = await rawClient(`${url}/DROP-${burst}`, ['ocpp2.0.1']);
      drop.ws.send('[2,"d1","Heartbeat",{}]');
      drop.ws.terminate();
      const missing = () => [...books.values()].reduce((n, b) => n + Math.max(0, b.outstanding), 0);
      await until(
        () => missing() === 0 || csms.child.exitCode !== null,
        60_000,
        `the answers of burst ${burst} (${missing()} missing)`,
      );
      alive();
      rss.push(rssMb(pid));
    }
    const seconds = (Date.now() - started) / 1000;

    const problems = [...books.values()].flatMap((b) => b.verdict());
    assert.equal(problems.slice(0, 10), [], `${problems.length} problems (seed ${SEED})`);
    const kinds: Record<string, number> = {};
    for (const b of books.values()) for (const [k, n] of Object.entries(b.kinds)) kinds[k] = (kinds[k] ?? 0) + n;
    for (const k of ['CALLRESULT', 'NotImplemented', 'NotSupported', 'RpcFrameworkError', 'MessageTypeNotSupported']) {
      assert.ok((kinds[k] ?? 0) >= 50, `only ${kinds[k] ?? 0} answers of kind ${k}: ${JSON.stringify(kinds)}`);
    }
    // A well-behaved station still connects and is served.
    const good = await rawClient(`${url}/GOOD-1`, ['ocpp2.0.1']);
    good.send([2, 'g1', 'BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } }]);
    const boot = await good.next(5000);
    assert.equal([boot[0], boot[1], (boot[2] as { status: string }).status], [3, 'g1', 'Accepted']);
    pipes.push(good);
    // Growth, not noise: the least of the last three samples against the most of the first three (a garbage
    // collection may come a burst early or late; a leak shows in every sample).
    const growth = Math.min(...rss.slice(-3)) - Math.max(...rss.slice(0, 3));
    console.log(
      `fuzz csms: ${i} frames from ${STATIONS.length} stations + ${BURSTS * BIG_PER_BURST} Heartbeats of 1 MB in ${seconds.toFixed(1)} s; RSS by burst ${rss.join(', ')} MB; answers ${JSON.stringify(kinds)}`,
    );
    assert.ok(
      growth <= RSS_GROWTH_MB,
      `RSS grew ${growth} MB from the first three bursts to the last three: ${rss.join(', ')} MB`,
    );
    alive();
  } finally {
    for (const s of halfOpen) s.destroy();
    for (const p of pipes) p.ws.terminate();
    csms.kill('SIGKILL');
    tmp.remove();
  }
});

test.run();
