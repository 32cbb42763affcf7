// Round-trip latency, one CALL at a time, station → CSMS → station over 127.0.0.1: Heartbeat and a
// TransactionEvent with meter values (2.0.1). Compares ocppkit (StationClient ↔ CsmsServer, validation on both
// ends), ocpp-rpc 2.2.1 (RPCClient ↔ RPCServer, strict and not), and a bare ws echo with the same OCPP-J framing.
// Client and server of a pair share this process; pairs are measured in interleaved rounds.
// Run: node --expose-gc --import tsx bench/rpc-roundtrip.bench.ts   (or: make bench B=rpc-roundtrip). About 15 s.
import { performance } from 'node:perf_hooks';
import { RPCClient } from 'ocpp-rpc';
import { WebSocket } from 'ws';
import { protocol as v201 } from '../generated/v201/index.js';
import { StationClient } from '../runtime/rpc/index.js';
import { messages201 } from '../test/support/realistic-messages.js';
import { startServer, type ServerKind } from './lib/rpc-contenders.js';
import { percentile, table } from './lib/measure.js';

const transactionEvent = messages201.find(
  (m) => m.action === 'TransactionEvent' && m.kind === 'request' && 'meterValue' in m.payload,
)!.payload;
const MESSAGES: [string, unknown][] = [
  ['Heartbeat', {}],
  ['TransactionEvent', transactionEvent],
];
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const PER_ROUND = Number(process.env.PER_ROUND ?? 400);

type Call = (action: string, payload: unknown) => Promise<unknown>;
interface Pair {
  name: string;
  call: Call;
  close(): Promise<void>;
}

async function barePair(): Promise<Pair> {
  const server = await startServer('bare-ws');
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ocpp/BENCH`, ['ocpp2.0.1'], { perMessageDeflate: false });
  await new Promise((r) => ws.once('open', r));
  let pending: { id: string; resolve: (v: unknown) => void } | undefined;
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as unknown[];
    if (pending && m[1] === pending.id) pending.resolve(m[2]);
  });
  let n = 0;
  return {
    name: 'bare ws echo, same framing',
    call: (action, payload) =>
      new Promise((resolve) => {
        const id = String(++n);
        pending = { id, resolve };
        ws.send(JSON.stringify([2, id, action, payload]));
      }),
    close: async () => (ws.close(), await server.close()),
  };
}

async function ocppkitPair(kind: 'ocppkit' | 'ocppkit-novalidate'): Promise<Pair> {
  const server = await startServer(kind);
  const validate = kind === 'ocppkit';
  const client = new StationClient({
    url: `ws://127.0.0.1:${server.port}/ocpp`,
    identity: 'BENCH',
    protocols: [v201],
    validateIncoming: validate,
    validateOutgoing: validate,
    pingIntervalSeconds: 0,
  });
  const session = await client.connect();
  const call = session.call.bind(session) as unknown as Call;
  return {
    name: validate ? 'ocppkit (validation on both ends)' : 'ocppkit (validation off)',
    call,
    close: async () => (await client.close(), await server.close()),
  };
}

async function ocppRpcPair(kind: 'ocpp-rpc' | 'ocpp-rpc-strict'): Promise<Pair> {
  const server = await startServer(kind);
  const options = {
    endpoint: `ws://127.0.0.1:${server.port}`,
    identity: 'BENCH',
    protocols: ['ocpp2.0.1'],
    strictMode: kind === 'ocpp-rpc-strict',
    reconnect: false,
  };
  const client = new RPCClient(options as unknown as ConstructorParameters<typeof RPCClient>[0]);
  await client.connect();
  return {
    name:
      kind === 'ocpp-rpc-strict' ? 'ocpp-rpc 2.2.1 (strict: validation on both ends)' : 'ocpp-rpc 2.2.1 (not strict)',
    call: (action, payload) => client.call(action, payload),
    close: async () => (await client.close({ force: true }), await server.close()),
  };
}

const kinds: ServerKind[] = ['bare-ws', 'ocppkit', 'ocppkit-novalidate', 'ocpp-rpc-strict', 'ocpp-rpc'];
const pairs: Pair[] = [];
for (const k of kinds) {
  pairs.push(
    k === 'bare-ws'
      ? await barePair()
      : k.startsWith('ocppkit')
        ? await ocppkitPair(k as 'ocppkit')
        : await ocppRpcPair(k as 'ocpp-rpc'),
  );
}

const samples = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  const order = [...pairs.slice(round % pairs.length), ...pairs.slice(0, round % pairs.length)];
  for (const pair of order) {
    for (const [action, payload] of MESSAGES) {
      const key = `${pair.name}|${action}`;
      const list = samples.get(key) ?? [];
      samples.set(key, list);
      if (round === 0) for (let i = 0; i < 200; i++) await pair.call(action, payload); // warm-up
      globalThis.gc?.();
      for (let i = 0; i < PER_ROUND; i++) {
        const t0 = performance.now();
        await pair.call(action, payload);
        list.push(performance.now() - t0);
      }
    }
  }
}
for (const p of pairs) await p.close();

const rows: Record<string, string | number>[] = [];
for (const [action] of MESSAGES) {
  const base = percentile(samples.get(`${pairs[0]!.name}|${action}`)!, 50);
  for (const pair of pairs) {
    const s = samples.get(`${pair.name}|${action}`)!;
    const p50 = percentile(s, 50);
    rows.push({
      message: action,
      contender: pair.name,
      'p50 µs': Math.round(p50 * 1000),
      'p90 µs': Math.round(percentile(s, 90) * 1000),
      'p99 µs': Math.round(percentile(s, 99) * 1000),
      'p50 vs bare ws': `${(p50 / base).toFixed(2)}×`,
    });
  }
}
console.log(
  `Round trips, one at a time (${ROUNDS} interleaved rounds × ${PER_ROUND} per contender and message; Node ${process.version})\n`,
);
console.log(table(rows));
