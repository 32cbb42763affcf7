// @serial
// @timeout 120
// Issue 4's crash test: a real station process (test/support/crash-station.ts) on a store file, the CSMS down for
// it; transactions run and meter values flow; the process is killed with SIGKILL at a seeded random point; it is
// started again on the same file and the CSMS comes up. The CSMS must then receive every transaction message, in
// order, with contiguous seqNo, both Started and Ended, and no duplicate (nothing was on the wire before the kill,
// so the spec allows none).
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import { tempDir } from '../helpers/tmp.js';
import { startChild } from '../store/child.js';
import { seededRandom } from '../../runtime/fleet/random.js'; // mulberry32: every kill point reproducible from its seed

const script = join(import.meta.dirname, '../support/crash-station.ts');

async function crashAndRecover(seed: number): Promise<string> {
  const random = seededRandom(seed);
  const killAfterSteps = 1 + Math.floor(random() * 30); // 1…30 steps into the sessions (3+ transactions)
  const extraMs = Math.floor(random() * 15); // and somewhere inside the next step
  const tmp = tempDir('ocppkit-crash-');
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const url = csms.url(await csms.listen());
  const identity = `CRASH${seed}`;
  csms.refuseConnections(true); // the CSMS is down
  try {
    const first = startChild(['charge', tmp.file('station.db'), url, identity], script);
    await first.waitFor(new RegExp(`^queued`), 20_000);
    while (first.lines.filter((l) => l.startsWith('queued')).length < killAfterSteps)
      await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setTimeout(r, extraMs));
    first.proc.kill('SIGKILL');
    const exit = await first.exited;
    assert.is(exit.signal, 'SIGKILL');
    const announced = first.lines.filter((l) => l.startsWith('tx ')).map((l) => l.slice(3));
    assert.is(csms.received(identity).length, 0, 'nothing reached the CSMS before the kill');

    csms.refuseConnections(false); // the CSMS comes up
    const second = startChild(['drain', tmp.file('station.db'), url, identity], script);
    await second.waitFor(/^drained$/, 20_000);
    await second.exited;

    const events = csms.received(identity, 'TransactionEvent').map((m) => m.request as any);
    const byTx = new Map<string, any[]>();
    for (const e of events)
      byTx.set(e.transactionInfo.transactionId, [...(byTx.get(e.transactionInfo.transactionId) ?? []), e]);
    for (const id of announced) assert.ok(byTx.has(id), `transaction ${id} started before the kill reached the CSMS`);
    for (const [id, list] of byTx) {
      // In order, contiguous from 0, no duplicate: seqNo 0, 1, 2, … in arrival order (E04.FR.04).
      assert.equal(
        list.map((e) => e.seqNo),
        list.map((_, i) => i),
        `seqNo of ${id}`,
      );
      assert.is(list[0].eventType, 'Started', `${id} starts with Started`);
      assert.is(list.at(-1).eventType, 'Ended', `${id} ends with Ended`);
      assert.is(list.filter((e) => e.eventType === 'Started').length, 1);
      assert.is(list.filter((e) => e.eventType === 'Ended').length, 1);
      // E04.FR.03: created while the CSMS was down.
      assert.ok(
        list.every((e) => e.offline === true),
        `${id}: every event offline`,
      );
    }
    const last = [...byTx.values()].at(-1);
    return `seed ${seed}: killed after ${killAfterSteps} steps + ${extraMs} ms; ${byTx.size} transaction(s), ${events.length} events, last ended with ${last?.at(-1)?.transactionInfo.stoppedReason ?? '-'}`;
  } finally {
    await csms.close();
    tmp.remove();
  }
}

for (const seed of [1, 7, 42, 1234, 99991]) {
  test(`issue 4 crash test (E04.FR.01-04 E17.FR.21 B12.FR.05): SIGKILL at a seeded point (seed ${seed}), restart, CSMS up: every transaction complete, in order, contiguous seqNo, no duplicate`, async () => {
    const summary = await crashAndRecover(seed);
    console.log(`  ${summary}`);
  });
}

test.run();
