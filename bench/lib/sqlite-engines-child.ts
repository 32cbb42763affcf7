// One Node's numbers for each SQLite engine it can load (bench/sqlite-engines.bench.ts runs this under Node 20, 22
// and 24). The same store and queue code on both engines: opening a store (schema and migrations), document
// writes and reads, the durable enqueue, the full enqueue → CALLRESULT → delete cycle; with `memory <engine>`, the
// memory per open store. Prints one JSON line per measurement on stdout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MessageQueue } from '../../runtime/queue/queue.js';
import type { CallOutcome, Transport } from '../../runtime/queue/transport.js';
import { nodeSqliteAvailable, openSqliteStore, type SqliteEngine } from '../../runtime/store/index.js';
import { median, rate } from './measure.js';

const dir = mkdtempSync(join(tmpdir(), 'ocppkit-engines-'));
const emit = (engine: SqliteEngine, metric: string, value: number) =>
  console.log(JSON.stringify({ node: process.versions.node, engine, metric, value }));

let n = 0;
const event = () => ({
  eventType: 'Updated',
  timestamp: new Date(Date.UTC(2025, 0, 1) + ++n * 1000).toISOString(),
  triggerReason: 'MeterValuePeriodic',
  seqNo: 0,
  transactionInfo: { transactionId: 'bench-tx', chargingState: 'Charging' },
  meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: n * 7.5 }] }],
});

class InstantCsms implements Transport {
  call(): Promise<CallOutcome> {
    return Promise.resolve({ kind: 'result', response: {} });
  }
}

function canLoad(engine: SqliteEngine): boolean {
  if (engine === 'node:sqlite') return nodeSqliteAvailable();
  try {
    openSqliteStore(':memory:', { engine }).close();
    return true;
  } catch {
    return false;
  }
}

async function measure(engine: SqliteEngine): Promise<void> {
  const tag = engine.replace(':', '-');
  const opens: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    openSqliteStore(join(dir, `open-${tag}-${i}.db`), { engine }).close();
    opens.push(performance.now() - t0);
  }
  emit(engine, 'open a new store file (schema), ms', median(opens));
  const reopens: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    openSqliteStore(join(dir, `open-${tag}-${i}.db`), { engine }).close();
    reopens.push(performance.now() - t0);
  }
  emit(engine, 'reopen an existing store file, ms', median(reopens));

  const store = openSqliteStore(join(dir, `docs-${tag}.db`), { engine, durability: 'normal' });
  const put = rate('put', () => store.put('bench', String(n++ % 1000), { n, s: 'x'.repeat(64) }), {
    ms: 800,
    batch: 50,
  });
  emit(engine, 'store.put (normal), ops/s', put.opsPerSec);
  const get = rate('get', () => store.get('bench', String(n++ % 1000)), { ms: 800, batch: 200 });
  emit(engine, 'store.get, ops/s', get.opsPerSec);
  const list = rate('list', () => store.list('bench', '99'), { ms: 800, batch: 50 });
  emit(engine, 'store.list (11 of 1000 by prefix), ops/s', list.opsPerSec);
  store.close();

  for (const durability of ['full', 'normal'] as const) {
    const s = openSqliteStore(join(dir, `enqueue-${durability}-${tag}.db`), { engine, durability });
    const q = new MessageQueue({
      store: s,
      transport: new InstantCsms(),
      protocol: 'ocpp2.0.1',
      maxMessages: 10_000_000,
    });
    const r = rate('enqueue', () => q.enqueue('TransactionEvent', event()), { ms: 1000, batch: 50, warmupMs: 200 });
    emit(engine, `enqueue offline (${durability}), ops/s`, r.opsPerSec);
    q.close();
    s.close();
  }

  {
    const s = openSqliteStore(join(dir, `cycle-${tag}.db`), { engine, durability: 'normal' });
    const q = new MessageQueue({ store: s, transport: new InstantCsms(), protocol: 'ocpp2.0.1' });
    let done = 0;
    q.on('sent', () => done++);
    q.setOnline(true);
    const count = 3000;
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const target = done + 1;
      q.enqueue('TransactionEvent', event());
      while (done < target) await new Promise<void>((r) => setImmediate(r));
    }
    emit(
      engine,
      'enqueue → CALLRESULT → deleted, sequential (normal), ops/s',
      count / ((performance.now() - t0) / 1000),
    );
    q.close();
    s.close();
  }
}

/**
 * Memory per open store: 300 in-memory stores held open, after full GCs. Measured first thing in a process of its
 * own: after other measurements the allocator reuses freed native memory and the RSS would not grow.
 */
function measureMemory(engine: SqliteEngine): void {
  const gc = globalThis.gc!;
  const count = 300;
  openSqliteStore(':memory:', { engine }).close(); // loads the engine, compiles the store's code
  gc();
  gc();
  const before = process.memoryUsage();
  const held = Array.from({ length: count }, () => openSqliteStore(':memory:', { engine }));
  gc();
  gc();
  const after = process.memoryUsage();
  emit(engine, 'RSS per open :memory: store, KB', (after.rss - before.rss) / count / 1024);
  emit(engine, 'JS heap per open :memory: store, KB', (after.heapUsed - before.heapUsed) / count / 1024);
  for (const s of held) s.close();
}

const [mode, only] = process.argv.slice(2);
for (const engine of ['better-sqlite3', 'node:sqlite'] as SqliteEngine[]) {
  if (only && engine !== only) continue;
  if (!canLoad(engine)) console.log(JSON.stringify({ node: process.versions.node, engine, unavailable: true }));
  else if (mode === 'memory') measureMemory(engine);
  else await measure(engine);
}
rmSync(dir, { recursive: true, force: true });
