// Store and queue numbers: the durable enqueue rate (a real file, with each durability setting) and the latency the
// queue adds per TransactionEvent, from enqueue() to the moment the message is handed to the transport.
// Run: node --import tsx bench/queue.bench.ts   (or: make bench B=queue). About 10 s.
// The enqueue and put rates are measured on each SQLite engine this Node has: better-sqlite3, and node:sqlite on
// Node ≥ 22.13 (issue 19: the numbers to compare before node:sqlite could become the default).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MessageQueue } from '../runtime/queue/queue.js';
import type { CallOutcome, Transport } from '../runtime/queue/transport.js';
import { nodeSqliteAvailable, openSqliteStore, type Durability, type SqliteEngine } from '../runtime/store/index.js';
import { median, percentile, rate, table } from './lib/measure.js';

const dir = mkdtempSync(join(tmpdir(), 'ocppkit-bench-'));
const T0 = Date.UTC(2025, 0, 1);
let n = 0;
const event = () => {
  n++;
  return {
    eventType: 'Updated',
    timestamp: new Date(T0 + n * 1000).toISOString(),
    triggerReason: 'MeterValuePeriodic',
    seqNo: 0,
    transactionInfo: { transactionId: 'bench-tx', chargingState: 'Charging' },
    evse: { id: 1, connectorId: 1 },
    meterValue: [
      {
        timestamp: new Date(T0 + n * 1000).toISOString(),
        sampledValue: [{ value: n * 7.5, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } }],
      },
    ],
  };
};

/** A transport that answers every CALL with a CALLRESULT at once and notes when each CALL reached it. */
class InstantCsms implements Transport {
  handedAt: number[] = [];
  call(): Promise<CallOutcome> {
    this.handedAt.push(performance.now());
    return Promise.resolve({ kind: 'result', response: {} });
  }
}

const rows: Record<string, string | number>[] = [];

const engines: SqliteEngine[] = nodeSqliteAvailable() ? ['better-sqlite3', 'node:sqlite'] : ['better-sqlite3'];
for (const engine of engines)
  for (const durability of ['full', 'normal'] as Durability[]) {
    const store = openSqliteStore(join(dir, `enqueue-${durability}-${engine.replace(':', '-')}.db`), {
      durability,
      engine,
    });
    // Offline: enqueue only writes (nothing is sent), which is the rate at which a station can record events.
    const q = new MessageQueue({ store, transport: new InstantCsms(), protocol: 'ocpp2.0.1', maxMessages: 10_000_000 });
    const on = engines.length > 1 ? `, ${engine}` : '';
    const r = rate(`enqueue, offline (${durability}${on})`, () => q.enqueue('TransactionEvent', event()), {
      ms: 1200,
      batch: 50,
      warmupMs: 200,
    });
    rows.push({ case: r.name, 'ops/s': r.opsPerSec, 'µs/op': r.nsPerOp / 1000 });
    const put = rate(
      `store.put one document (${durability}${on})`,
      () => store.put('bench', String(n++ % 1000), { n }),
      {
        ms: 800,
        batch: 50,
        warmupMs: 100,
      },
    );
    rows.push({ case: put.name, 'ops/s': put.opsPerSec, 'µs/op': put.nsPerOp / 1000 });
    q.close();
    store.close();
  }

{
  // At the bound: every enqueue first picks a message to drop (drop-policy.ts scans the queue's metadata).
  const store = openSqliteStore(join(dir, 'bound.db'), { durability: 'normal' });
  const q = new MessageQueue({ store, transport: new InstantCsms(), protocol: 'ocpp2.0.1', maxMessages: 10_000 });
  for (let i = 0; i < 10_000; i++) q.enqueue('TransactionEvent', event());
  const r = rate(
    'enqueue at the bound of 10,000 (normal), one drop each',
    () => q.enqueue('TransactionEvent', event()),
    { ms: 1200, batch: 20, warmupMs: 200 },
  );
  rows.push({ case: r.name, 'ops/s': r.opsPerSec, 'µs/op': r.nsPerOp / 1000 });
  q.close();
  store.close();
}

for (const durability of ['full', 'normal'] as Durability[]) {
  // Online with an instant CSMS: enqueue → handed to the transport (the latency the queue adds), and the whole
  // cycle enqueue → CALLRESULT → deleted (the sustained rate).
  const store = openSqliteStore(join(dir, `latency-${durability}.db`), { durability });
  const csms = new InstantCsms();
  const q = new MessageQueue({ store, transport: csms, protocol: 'ocpp2.0.1' });
  let done = 0;
  q.on('sent', () => done++);
  q.setOnline(true);
  const lat: number[] = [];
  const count = durability === 'full' ? 1500 : 4000;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const target = done + 1;
    const t0 = performance.now();
    q.enqueue('TransactionEvent', event());
    lat.push(csms.handedAt[csms.handedAt.length - 1]! - t0);
    while (done < target) await new Promise<void>((r) => setImmediate(r));
  }
  const secs = (performance.now() - started) / 1000;
  rows.push({ case: `enqueue → transport, online (${durability}) median`, 'ops/s': '', 'µs/op': median(lat) * 1000 });
  rows.push({
    case: `enqueue → transport, online (${durability}) p99`,
    'ops/s': '',
    'µs/op': percentile(lat, 99) * 1000,
  });
  rows.push({
    case: `enqueue → CALLRESULT → deleted, sequential (${durability})`,
    'ops/s': count / secs,
    'µs/op': (secs * 1e6) / count,
  });
  q.close();
  store.close();
}

console.log(table(rows));
console.log(`\nnode ${process.version}, ${process.platform}/${process.arch}, store files under ${tmpdir()}`);
if (engines.length === 1)
  console.log('node:sqlite: not in this Node (needs ≥ 22.13), measured with better-sqlite3 only');
rmSync(dir, { recursive: true, force: true });
