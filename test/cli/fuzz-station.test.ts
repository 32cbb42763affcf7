// @serial
// @timeout 240
// Issue 20: a seeded fuzz of `ocppkit station --ocpp 2.0.1` (a real process) by a raw CSMS. FUZZ_FRAMES frames
// (default 20,000; FUZZ_SEED to replay) of every kind in test/support/hostile-frames.ts — non-JSON, wrong shapes and
// MessageTypeIds, unreadable, overlong and duplicate MessageIds, unknown, case-variant and wrong-direction actions,
// schema-invalid payloads of every action, deep nesting, long strings, lone surrogates, invalid UTF-8, binary
// frames, answers to unknown ids — in bursts of 2,000, each followed by 32 CALLs with a 1 MB MessageId. Every
// readable CALL gets exactly one answer, the one Part 4's table prescribes; the process never crashes; its RSS,
// sampled after each burst, stays bounded; it still serves a valid CALL and its own messages at the end; and after
// seven hostile answers to its reconnection attempts (garbage, a dropped socket, 200, a redirect, a wrong accept
// key, an unoffered subprotocol, a 100 kB header) it connects again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { protocol as v201 } from '../../generated/v201/index.js';
import { tempDir } from '../helpers/tmp.js';
import { AnswerBook, rssMb } from '../support/fuzz-book.js';
import {
  hostileFrames,
  oracle,
  overlongIdCall,
  prng,
  receivedActions,
  VALIDATION_CODES,
  type FuzzEnd,
  type Outgoing,
} from '../support/hostile-frames.js';
import { rawCsms, until, type FramePipe } from '../support/rpc-harness.js';
import { ocppkit } from './cli-process.js';

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 20_000);
const SEED = Number(process.env.FUZZ_SEED ?? 2001);
const BURST = 2000;
const OVERLONG_PER_BURST = 32;
/** How much the station's RSS may grow from the first three bursts to the last three (it was +145 MB over 4 batches). */
const RSS_GROWTH_MB = 60;

const NOW = () => new Date().toISOString();
/** What the raw CSMS answers to the station's own CALLs. */
function answerFor(action: string): unknown {
  if (action === 'BootNotification') return { currentTime: NOW(), interval: 300, status: 'Accepted' };
  if (action === 'Heartbeat') return { currentTime: NOW() };
  if (action === 'Authorize') return { idTokenInfo: { status: 'Accepted' } };
  return {};
}

/** Valid CALLs that change nothing a later frame depends on (no Reset, no availability, no password). */
const CANDIDATES: Array<[string, Record<string, unknown>]> = [
  ['GetLocalListVersion', {}],
  ['ClearCache', {}],
  [
    'GetVariables',
    { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] },
  ],
  ['DataTransfer', { vendorId: 'org.fuzz' }],
  ['GetTransactionStatus', {}],
  ['TriggerMessage', { requestedMessage: 'Heartbeat' }],
  ['GetDisplayMessages', { requestId: 1 }],
];

function send(pipe: FramePipe, out: Outgoing): void {
  if ('text' in out) pipe.ws.send(out.text);
  else if ('bytes' in out) pipe.sendTextBytes(out.bytes);
  else pipe.sendBinary(out.binary);
}

test(`issue 20: ${FRAMES} seeded hostile frames (seed ${SEED}) to ocppkit station: one correct answer per readable CALL (Part 4 §4.2.3/§4.3/§4.4), no crash, RSS bounded`, async () => {
  const tmp = tempDir('ocppkit-fuzz-');
  // Hostile handshake answers, one per reconnection attempt, once the fuzz is over (see the end of the test).
  const hostileAnswers: Array<(req: IncomingMessage, socket: Duplex) => void> = [];
  const csms = await rawCsms({
    hijack: (req, socket) => {
      const answer = hostileAnswers.shift();
      if (!answer) return false;
      answer(req, socket);
      return true;
    },
  });
  let book = new AnswerBook('probe');
  const ownCalls: string[] = [];
  const wire = (pipe: FramePipe) =>
    pipe.ws.on('message', (data, isBinary) => {
      const text = data.toString();
      let frame: unknown[];
      try {
        frame = JSON.parse(text) as unknown[];
      } catch {
        return void book.problems.push(`the station sent something that is not JSON: ${text.slice(0, 100)}`);
      }
      if (isBinary) book.problems.push('the station sent a binary frame (OCPP-J is text)');
      if (frame[0] === 2) {
        ownCalls.push(String(frame[2]));
        pipe.ws.send(JSON.stringify([3, frame[1], answerFor(String(frame[2]))]));
      } else book.receive(frame, text);
    });
  const station = ocppkit(
    [
      'station',
      '--csms',
      csms.url,
      '--id',
      'FUZZ-CS',
      '--ocpp',
      '2.0.1',
      '--db',
      tmp.file('fuzz.db'),
      // Reconnect after 1 s, every time: the hostile handshakes at the end take one attempt each.
      '--set',
      'OCPPCommCtrlr.RetryBackOffWaitMinimum=1',
      '--set',
      'OCPPCommCtrlr.RetryBackOffRandomRange=0',
      '--set',
      'OCPPCommCtrlr.RetryBackOffRepeatTimes=0',
    ],
    { cwd: tmp.dir },
  );
  try {
    const pipe = await csms.nextConnection(15_000);
    wire(pipe);
    await station.waitFor(/boot accepted/, 15_000);

    // What this station handles, learned from the wire: a handled action answers an invalid payload with a
    // validation code, an unhandled one with NotSupported (§4.3).
    const handled = new Set<string>();
    for (const action of receivedActions(v201, 'cs')) {
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
      if (!handled.has(action)) continue;
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
    assert.equal(book.verdict(), [], 'probes');
    assert.ok(handled.size >= 20, `the station handles ${handled.size} actions`);
    assert.ok(valid.length >= 4, `valid CALLs answered: ${valid.map(([a]) => a).join(', ')}`);
    const end: FuzzEnd = { protocol: v201, role: 'cs', handled, valid };

    book = new AnswerBook(`seed ${SEED}`);
    const r = prng(SEED);
    const rss: number[] = [];
    const whats: Record<string, number> = {};
    const pid = station.child.pid!;
    const started = Date.now();
    for (let i = 0, burst = 0; i < FRAMES; burst++) {
      for (const stop = Math.min(FRAMES, i + BURST); i < stop; i++) {
        for (const out of hostileFrames(r, i, end)) {
          book.expect(oracle(end, out), out.what);
          whats[out.what] = (whats[out.what] ?? 0) + 1;
          send(pipe, out);
        }
      }
      for (let k = 0; k < OVERLONG_PER_BURST; k++) {
        const out = overlongIdCall(burst * 100 + k, 1024 * 1024, 'GetLocalListVersion');
        book.expect(oracle(end, out), out.what);
        send(pipe, out);
      }
      await until(
        () => book.outstanding <= 0 || station.child.exitCode !== null,
        60_000,
        `the answers of burst ${burst} (${book.outstanding} missing)`,
      );
      assert.is(station.child.exitCode, null, `the station died in burst ${burst}: ${station.output().slice(-1500)}`);
      rss.push(rssMb(pid));
    }
    const seconds = (Date.now() - started) / 1000;
    // The station is still itself: a valid CALL is answered, its own messages still flow.
    book.expect({ answer: 'result', id: 'last' }, 'last');
    pipe.ws.send(JSON.stringify([2, 'last', 'GetLocalListVersion', {}]));
    await until(() => book.outstanding === 0, 5000, 'the last answer');
    const calls = ownCalls.length;
    book.expect({ answer: 'result', id: 'trigger' }, 'trigger');
    pipe.ws.send(JSON.stringify([2, 'trigger', 'TriggerMessage', { requestedMessage: 'Heartbeat' }]));
    await until(() => ownCalls.length > calls, 5000, 'the triggered Heartbeat');

    // Hostile handshakes: the CSMS drops the connection, then answers the station's reconnection attempts with
    // what no CSMS should send. The station must refuse each (RFC 6455 §4.1, Part 4 §3.3), keep trying, and
    // connect again when a proper answer comes.
    const accept = (key: string) =>
      createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    const upgrade = (extra: string) => (req: IncomingMessage, socket: Duplex) =>
      socket.end(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n${extra}\r\n`);
    hostileAnswers.push(
      (_req, socket) => socket.end('HELLO\r\n\r\n'),
      (_req, socket) => socket.destroy(),
      (_req, socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'),
      (_req, socket) =>
        socket.end('HTTP/1.1 302 Found\r\nLocation: ws://127.0.0.2:1/evil\r\nContent-Length: 0\r\n\r\n'),
      upgrade('Sec-WebSocket-Accept: wrong\r\nSec-WebSocket-Protocol: ocpp2.0.1\r\n'),
      (req, socket) =>
        upgrade(
          `Sec-WebSocket-Accept: ${accept(String(req.headers['sec-websocket-key']))}\r\nSec-WebSocket-Protocol: ocpp9.9\r\n`,
        )(req, socket),
      (req, socket) =>
        upgrade(
          `Sec-WebSocket-Accept: ${accept(String(req.headers['sec-websocket-key']))}\r\nX-Big: ${'h'.repeat(100_000)}\r\n`,
        )(req, socket),
    );
    const hostileCount = hostileAnswers.length;
    const reconnected = csms.nextConnection(30_000);
    pipe.ws.close(1001, 'fuzz over');
    const again = await reconnected;
    assert.is(hostileAnswers.length, 0, `every hostile answer was met by an attempt (${hostileCount})`);
    const failures = station
      .output()
      .split('\n')
      .filter((l) => /connecting failed/.test(l));
    assert.is(failures.length, hostileCount, `each hostile answer is a failed attempt:\n${failures.join('\n')}`);
    if (process.env.FUZZ_DEBUG) console.log(failures.join('\n'));
    wire(again);
    book.expect({ answer: 'result', id: 'after' }, 'after');
    again.ws.send(JSON.stringify([2, 'after', 'GetLocalListVersion', {}]));
    await until(() => book.outstanding === 0, 5000, 'the answer after the reconnection');

    const problems = book.verdict();
    assert.equal(problems.slice(0, 10), [], `${problems.length} problems (seed ${SEED})`);
    assert.is(station.child.exitCode, null, 'the station is still running');
    for (const k of ['CALLRESULT', 'NotImplemented', 'NotSupported', 'RpcFrameworkError', 'MessageTypeNotSupported']) {
      assert.ok(
        (book.kinds[k] ?? 0) >= 50,
        `only ${book.kinds[k] ?? 0} answers of kind ${k}: ${JSON.stringify(book.kinds)}`,
      );
    }
    assert.ok(Object.keys(book.kinds).filter((k) => VALIDATION_CODES.has(k)).length >= 2, JSON.stringify(book.kinds));
    // Growth, not noise: the least of the last three samples against the most of the first three (a garbage
    // collection may come a burst early or late; a leak shows in every sample).
    const growth = Math.min(...rss.slice(-3)) - Math.max(...rss.slice(0, 3));
    console.log(
      `fuzz station: ${FRAMES} frames + ${rss.length * OVERLONG_PER_BURST} with a 1 MB MessageId in ${seconds.toFixed(1)} s; RSS by burst ${rss.join(', ')} MB; answers ${JSON.stringify(book.kinds)}`,
    );
    assert.ok(
      growth <= RSS_GROWTH_MB,
      `RSS grew ${growth} MB from the first three bursts to the last three: ${rss.join(', ')} MB`,
    );
    assert.ok(Object.keys(whats).length >= 18, `frame kinds: ${JSON.stringify(whats)}`);
  } finally {
    station.kill('SIGKILL');
    await csms.close();
    tmp.remove();
  }
});

test.run();
