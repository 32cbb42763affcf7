// Fuzz: thousands of random and mutated frames against our CSMS, for each version. Nothing crashes, every
// identifiable CALL is answered exactly once with the code the specification table prescribes (an oracle written
// here from docs/rpc.md, independent of the session code), responses and SENDs are never answered, and valid
// CALLs are still served afterwards. Deterministic: the seed is in every failure message.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CsmsServer } from '../../runtime/rpc/index.js';
import type { AnyProtocol } from '../../runtime/protocol.js';
import { protocol as v16 } from '../../generated/v16/index.js';
import { protocol as v201 } from '../../generated/v201/index.js';
import { protocol as v21 } from '../../generated/v21/index.js';
import { rawClient, until } from '../support/rpc-harness.js';

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALIDATION_CODES = new Set([
  'FormatViolation',
  'FormationViolation',
  'OccurrenceConstraintViolation',
  'OccurenceConstraintViolation',
  'TypeConstraintViolation',
  'PropertyConstraintViolation',
]);

function validCalls(version: string): [string, unknown][] {
  if (version === 'ocpp1.6') {
    return [
      ['Heartbeat', {}],
      ['BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }],
      ['DataTransfer', { vendorId: 'org.fuzz', data: 'x' }],
    ];
  }
  return [
    ['Heartbeat', {}],
    ['BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } }],
    ['DataTransfer', { vendorId: 'org.fuzz', data: { n: 1 } }],
    [
      'TransactionEvent',
      {
        eventType: 'Started',
        timestamp: '2025-01-01T00:00:00Z',
        triggerReason: 'Authorized',
        seqNo: 0,
        transactionInfo: { transactionId: 't' },
      },
    ],
  ];
}

type Expect =
  { answer: 'none' } | { answer: 'result'; id: string } | { answer: 'error'; id: string; codes: Set<string> };

/** What the specification table (docs/rpc.md) prescribes for `text`, for a CSMS handling `handled` actions. */
function oracle(protocol: AnyProtocol, handled: Set<string>, text: string | Buffer): Expect {
  const v16 = protocol.name === 'ocpp1.6';
  const v21 = protocol.name === 'ocpp2.1';
  const framework = new Set([v16 ? 'FormationViolation' : 'RpcFrameworkError']);
  const err = (id: string, ...codes: string[]): Expect => ({
    answer: 'error',
    id,
    codes: codes.length ? new Set(codes) : framework,
  });
  let m: unknown;
  try {
    const s = typeof text === 'string' ? text : new TextDecoder('utf-8', { fatal: true }).decode(text);
    m = JSON.parse(s);
  } catch {
    return err('-1');
  }
  if (!Array.isArray(m) || m.length === 0) return err('-1');
  const id = typeof m[1] === 'string' && m[1].length >= 1 && m[1].length <= 36 ? m[1] : undefined;
  if (typeof m[0] !== 'number') return err(id ?? '-1');
  const known = m[0] === 2 || m[0] === 3 || m[0] === 4 || (v21 && (m[0] === 5 || m[0] === 6));
  if (!known) return v16 ? { answer: 'none' } : err(id ?? '-1', 'MessageTypeNotSupported');
  if (m[0] !== 2) return { answer: 'none' }; // responses and SENDs are never answered
  if (id === undefined) return err('-1');
  if (m.length !== 4 || typeof m[2] !== 'string') return err(id);
  const action = m[2];
  const d = Object.hasOwn(protocol.actions, action) ? protocol.actions[action] : undefined;
  if (!d) return err(id, 'NotImplemented');
  if (d.send || d.direction === 'CSMS->CS' || !handled.has(action)) return err(id, 'NotSupported');
  return d.request(m[3]) ? { answer: 'result', id } : { answer: 'error', id, codes: VALIDATION_CODES };
}

function randomValue(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * (depth > 2 ? 6 : 9));
  switch (k) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return Math.floor(r() * 2000) - 1000;
    case 3:
      return r() * 1e6;
    case 4:
      return randomString(r);
    case 5:
      return '';
    case 6:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(r() * 4) }, () => [randomString(r), randomValue(r, depth + 1)]),
      );
  }
}

function randomString(r: () => number): string {
  const pool = [
    'status',
    'reason',
    'model',
    'vendorName',
    'chargingStation',
    'Heartbeat',
    'x',
    'é',
    '😀',
    '"',
    '\\',
    '\u0000',
    'Accepted',
    '-1',
  ];
  return Array.from({ length: 1 + Math.floor(r() * 3) }, () => pool[Math.floor(r() * pool.length)]).join('');
}

function mutatePayload(r: () => number, payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return randomValue(r);
  const copy: Record<string, unknown> = structuredClone(payload as Record<string, unknown>);
  const keys = Object.keys(copy);
  const op = Math.floor(r() * 4);
  if (op === 0 && keys.length) delete copy[keys[Math.floor(r() * keys.length)]!];
  else if (op === 1 && keys.length) copy[keys[Math.floor(r() * keys.length)]!] = randomValue(r);
  else if (op === 2) copy[randomString(r)] = randomValue(r);
  else if (keys.length) {
    const k = keys[Math.floor(r() * keys.length)]!;
    copy[k] = mutatePayload(r, copy[k]);
  }
  return copy;
}

/** One fuzz frame; ids are unique (`f<i>`) unless a mutation makes them unreadable. */
function frame(r: () => number, i: number, version: string): string | Buffer {
  const id = `f${i}`;
  const calls = validCalls(version);
  const [action, payload] = calls[Math.floor(r() * calls.length)]!;
  const kind = r();
  if (kind < 0.08) return Buffer.from(Array.from({ length: Math.floor(r() * 40) }, () => Math.floor(r() * 256)));
  if (kind < 0.16) return JSON.stringify([2, id, action, payload]).slice(0, Math.floor(r() * 30));
  if (kind < 0.24) return JSON.stringify(randomValue(r));
  if (kind < 0.34) return JSON.stringify([2, id, action, payload]);
  const m: unknown[] = [2, id, action, payload];
  const mutations = 1 + Math.floor(r() * 2);
  for (let n = 0; n < mutations; n++) {
    const op = Math.floor(r() * 10);
    if (op === 0) m[0] = [3, 4, 5, 6, 7, 9, -1, 2.5, '2', null][Math.floor(r() * 10)];
    else if (op === 1)
      m[1] = [17, '', 'x'.repeat(37), null, { id }, `${id}-${'y'.repeat(Math.floor(r() * 40))}`][Math.floor(r() * 6)];
    else if (op === 2)
      m[2] = [
        randomString(r),
        42,
        null,
        'Reset',
        'NotifyPeriodicEventStream',
        'StatusNotification',
        'SetChargingProfile',
        'heartbeat',
      ][Math.floor(r() * 8)];
    else if (op === 3) m.length = Math.floor(r() * 4);
    else if (op === 4) m.push(randomValue(r));
    else m[3] = mutatePayload(r, m[3]);
  }
  return JSON.stringify(m);
}

async function fuzz(protocol: typeof v16 | typeof v201 | typeof v21, count: number, seed: number): Promise<void> {
  const server = new CsmsServer({ protocols: [protocol] as const, path: '/ocpp' });
  const handled = new Set(['Heartbeat', 'BootNotification', 'DataTransfer', 'TransactionEvent']);
  const h = server.handlers(protocol.name as 'ocpp2.0.1') as unknown as {
    handle(a: string, f: () => unknown): unknown;
  };
  const time = '2025-01-01T00:00:00.000Z';
  h.handle('Heartbeat', () => ({ currentTime: time }));
  h.handle('DataTransfer', () => ({ status: 'Accepted' }));
  if (protocol.name === 'ocpp1.6') {
    h.handle('BootNotification', () => ({ status: 'Accepted', currentTime: time, interval: 10 }));
    handled.delete('TransactionEvent');
  } else {
    h.handle('BootNotification', () => ({ currentTime: time, interval: 10, status: 'Accepted' }));
    h.handle('TransactionEvent', () => ({}));
  }
  const { port } = await server.listen();
  const pipe = await rawClient(`ws://127.0.0.1:${port}/ocpp/FUZZ`, [protocol.name]);
  const r = prng(seed);
  const expected = new Map<string, Expect>();
  /** "-1" answers expected, by code (their order is not checked: they cannot be told apart). */
  const unreadable: Record<string, number> = {};
  let unreadableCount = 0;
  const ctx = `${protocol.name} seed ${seed}`;
  for (let i = 0; i < count; i++) {
    const f = frame(r, i, protocol.name);
    const e = oracle(protocol, handled, f);
    if (e.answer !== 'none') {
      if (e.id === '-1') {
        const code = e.answer === 'error' ? [...e.codes][0]! : 'result?';
        unreadable[code] = (unreadable[code] ?? 0) + 1;
        unreadableCount++;
      } else {
        assert.not.ok(expected.has(e.id), `${ctx}: generator produced a duplicate id ${e.id}`);
        expected.set(e.id, e);
      }
    }
    pipe.send(f);
  }
  pipe.send([2, 'sentinel', 'Heartbeat', {}]);
  const total = expected.size + unreadableCount + 1;
  await until(() => pipe.received.length >= total, 10_000, `${total} answers (${ctx}), got ${pipe.received.length}`);
  await new Promise((res) => setTimeout(res, 50)); // anything extra would arrive now
  assert.is(pipe.received.length, total, `${ctx}: number of answers`);
  const seen = new Set<string>();
  /** How many answers of each kind: the fuzz must reach every branch of the table, not just one. */
  const kinds: Record<string, number> = {};
  const minusOne: Record<string, number> = {};
  for (const text of pipe.received) {
    const a = JSON.parse(text) as unknown[];
    const id = a[1] as string;
    if (id === '-1') {
      assert.is(a[0], 4, ctx);
      minusOne[a[2] as string] = (minusOne[a[2] as string] ?? 0) + 1;
      continue;
    }
    if (id === 'sentinel') {
      assert.equal(a, [3, 'sentinel', { currentTime: time }], ctx);
      continue;
    }
    const e = expected.get(id);
    assert.ok(e, `${ctx}: answer to ${id}, which needed none: ${text}`);
    assert.not.ok(seen.has(id), `${ctx}: ${id} answered twice`);
    seen.add(id);
    const kind =
      e!.answer === 'result'
        ? 'result'
        : e!.answer === 'error' && e!.codes === VALIDATION_CODES
          ? 'validation'
          : (a[2] as string);
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    if (e!.answer === 'result') assert.is(a[0], 3, `${ctx}: ${id} expected CALLRESULT, got ${text}`);
    else if (e!.answer === 'error') {
      assert.is(a[0], 4, `${ctx}: ${id} expected CALLERROR, got ${text}`);
      assert.ok(e!.codes.has(a[2] as string), `${ctx}: ${id} expected ${[...e!.codes].join('|')}, got ${text}`);
      assert.ok(String(a[3]).length <= 255, `${ctx}: ErrorDescription too long`);
    }
  }
  assert.equal(minusOne, unreadable, `${ctx}: "-1" answers by code`);
  assert.is(seen.size, expected.size, `${ctx}: every identifiable CALL answered`);
  assert.ok(pipe.open && server.stationCount === 1, `${ctx}: connection still up`);
  const framework = protocol.name === 'ocpp1.6' ? 'FormationViolation' : 'RpcFrameworkError';
  for (const k of ['result', 'validation', 'NotImplemented', 'NotSupported', framework]) {
    assert.ok((kinds[k] ?? 0) >= 10, `${ctx}: only ${kinds[k] ?? 0} answers of kind ${k}: ${JSON.stringify(kinds)}`);
  }
  if (protocol.name !== 'ocpp1.6')
    assert.ok((kinds.MessageTypeNotSupported ?? 0) >= 10, `${ctx}: ${JSON.stringify(kinds)}`);
  assert.ok(unreadableCount >= 100, `${ctx}: only ${unreadableCount} unreadable frames`);
  await pipe.close();
  await server.close();
}

test('fuzz ocpp2.0.1: 4000 random and mutated frames, every identifiable CALL answered per Part 4 §4.2.3/§4.3/§4.4', async () => {
  await fuzz(v201, 4000, 20_0_1);
});

test('fuzz ocpp1.6: 2000 frames, answered per OCPP-J 1.6 §4.1.3/§4.2.3', async () => {
  await fuzz(v16, 2000, 16);
});

test('fuzz ocpp2.1: 2000 frames, SEND and CALLRESULTERROR never answered (Part 4 2.1 §4.2.3/§4.2.4)', async () => {
  await fuzz(v21, 2000, 21);
});

test.run();
