// @serial
// @timeout 300
// Issue 6's soak: 1,000 complete sessions back to back on a two-EVSE station (both EVSEs busy at once), over real
// sockets to the built-in CSMS, with a real SQLite file. Every transaction must be Started and Ended exactly once with
// contiguous seqNo, and memory must stay flat: the heap after a full GC, the station's timers and its listeners are
// measured every 100 sessions and must not grow.
//
// What makes it fast: the station's clock is a ManualClock (a periodic meter value per session without waiting for
// it), and the store runs with durability "normal" (WAL without an fsync per commit: the same code paths, SQLite just
// does not wait for the disk; durability is what test/store and the crash test check). Each pair of sessions waits for
// its Ended events to be answered, so the queue never piles up. About 4 s on 2 cores (9–45 s with an fsync per commit,
// depending on what else uses the disk).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import { states, TOKEN, txPair, type TxPair } from '../support/tx-pair.js';
import { tempDir } from '../helpers/tmp.js';
import { until } from '../support/rpc-harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const SESSIONS = 1000;

const tokenOf = (n: number) => ({ ...TOKEN, idToken: `SOAK-${n}` });

async function begin(p: TxPair, evseId: number, n: number): Promise<void> {
  p.station.cablePlugged(evseId, 1);
  await states.authorizeAndWait(p, evseId, tokenOf(n)); // block C asks the CSMS (Authorize)
  p.station.chargingStateChanged(evseId, 'Charging');
  p.readings.set(evseId, [{ value: n * 1000 }]);
}

async function finish(p: TxPair, evseId: number, n: number): Promise<void> {
  p.station.idTokenPresented(tokenOf(n), evseId);
  p.station.cableUnplugged(evseId, 1);
  await p.waitFor(
    'TransactionEvent',
    (m: any) => m.request.eventType === 'Ended' && m.request.idToken?.idToken === tokenOf(n).idToken,
    5000,
  );
}

test(`issue 6 soak: ${SESSIONS} sessions on two EVSEs: every transaction Started and Ended exactly once, seqNo contiguous, heap, timers and listeners flat`, async () => {
  const tmp = tempDir('ocppkit-soak-');
  const store = openSqliteStore(tmp.file('soak.db'), { durability: 'normal' });
  const p = await txPair({
    manualClock: true,
    evses: [
      { id: 1, connectors: [{ id: 1 }] },
      { id: 2, connectors: [{ id: 1 }] },
    ],
    variables: { 'SampledDataCtrlr.TxUpdatedInterval': 60, 'SampledDataCtrlr.TxEndedInterval': 0 },
    station: { store },
  });
  const samples: Array<{ at: number; heap: number; timers: number; listeners: number }> = [];
  // The checks run as the events come, keeping only what open transactions need, and the CSMS's log is emptied:
  // otherwise the test's own records would be what grows.
  const open = new Map<string, number>(); // transactionId → next seqNo expected
  const problems: string[] = [];
  let completed = 0;
  let periodic = 0;
  const compact = () => {
    for (const e of p.tx()) {
      const id = e.transactionInfo.transactionId;
      if (e.triggerReason === 'MeterValuePeriodic') periodic++;
      if (e.eventType === 'Started') {
        if (open.has(id) || e.seqNo !== 0) problems.push(`${id}: Started again or with seqNo ${e.seqNo}`);
        open.set(id, 1);
        continue;
      }
      const next = open.get(id);
      if (next === undefined || e.seqNo !== next)
        problems.push(`${id}: ${e.eventType} seqNo ${e.seqNo}, expected ${next}`);
      open.set(id, (next ?? 0) + 1);
      if (e.eventType === 'Ended') {
        open.delete(id);
        completed++;
      }
    }
    p.csms.log.length = 0;
  };
  const started = Date.now();
  try {
    for (let n = 0; n < SESSIONS; n += 2) {
      // Two sessions at once, one per EVSE; a periodic meter value (TxUpdatedInterval) while both charge.
      await Promise.all([begin(p, 1, n), begin(p, 2, n + 1)]);
      // Nothing on the wire while the ManualClock jumps (a CALL in flight would time out on it).
      await until(() => store.outbox.count() === 0, 5000, 'queue delivered');
      await p.advance(60_000);
      await Promise.all([finish(p, 1, n), finish(p, 2, n + 1)]);
      if ((n + 2) % 100 === 0) {
        await p.advance(0);
        compact();
        gc();
        const count = (em: { eventNames(): (string | symbol)[]; listenerCount(e: string | symbol): number }) =>
          em.eventNames().reduce((sum, e) => sum + em.listenerCount(e), 0);
        const listeners = count(p.station) + count(p.csms);
        samples.push({ at: n + 2, heap: process.memoryUsage().heapUsed, timers: p.clock!.pending, listeners });
      }
    }
    const seconds = (Date.now() - started) / 1000;

    compact();
    assert.equal(problems, [], 'every transaction: Started once (seqNo 0), contiguous seqNo, Ended once');
    assert.is(completed, SESSIONS, 'one complete transaction per session');
    assert.is(open.size, 0, 'none left open');
    assert.ok(periodic >= SESSIONS * 0.9, `meter values flowed (${periodic})`);
    assert.is(store.outbox.count(), 0, 'nothing left in the queue');

    // Flat: after the warm-up (first 300 sessions) the heap may wobble but not grow with the sessions.
    const warm = samples.filter((s) => s.at >= 300);
    const growthMb = (warm.at(-1)!.heap - warm[0]!.heap) / 2 ** 20;
    const report = samples
      .map((s) => `${s.at}: ${(s.heap / 2 ** 20).toFixed(1)} MB, ${s.timers} timers, ${s.listeners} listeners`)
      .join('\n  ');
    console.log(`  ${SESSIONS} sessions in ${seconds.toFixed(1)} s\n  ${report}`);
    assert.ok(growthMb < 1.5, `heap grew by ${growthMb.toFixed(1)} MB from session 300 to ${SESSIONS}`);
    assert.ok(
      warm.every((s) => s.timers === warm[0]!.timers),
      'no timer left behind per session',
    );
    assert.ok(
      warm.every((s) => s.listeners === warm[0]!.listeners),
      'no listener left behind per session',
    );
  } finally {
    await p.close();
    store.close();
    tmp.remove();
  }
});

test.run();
