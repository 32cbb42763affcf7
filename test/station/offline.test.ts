// B04 offline behaviour and Part 4 §5.3 reconnection, end to end: the built-in CSMS drops the station and refuses it
// for a while, time is moved on the station's clock, the real socket reconnects.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../runtime/queue/clock.js';
import { sleep, until } from '../support/rpc-harness.js';
import { startPair, type Pair } from '../support/station-harness.js';

const twoEvses = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

async function booted(variables: Record<string, number>) {
  const clock = new ManualClock(Date.now());
  const pair = await startPair({ station: { clock, random: () => 0, evses: twoEvses, variables } });
  await until(() => pair.station.registration === 'Accepted', 3000, 'Accepted');
  await until(() => pair.sent('StatusNotification').length === 2, 3000, 'boot statuses');
  return { pair, clock };
}

/** The CSMS drops the station and refuses it; an EV is connected to EVSE 1 meanwhile; then it lets it back. */
async function offlineWithChange(pair: Pair, clock: ManualClock, offlineMs: number): Promise<number> {
  pair.csms.refuseConnections(true);
  await pair.csms.disconnect(pair.identity);
  await until(() => !pair.station.connected, 3000, 'station offline');
  pair.station.cablePlugged(1, 1);
  const before = pair.sent('StatusNotification').length;
  pair.csms.refuseConnections(false);
  await clock.advance(offlineMs);
  await until(() => pair.station.connected, 3000, 'reconnected');
  await sleep(150);
  return before;
}

test('TC_B_51_CS B04.FR.01 offline longer than OfflineThreshold: every connector status after reconnecting', async () => {
  const { pair, clock } = await booted({
    'OCPPCommCtrlr.OfflineThreshold': 10,
    'OCPPCommCtrlr.RetryBackOffWaitMinimum': 12,
    'OCPPCommCtrlr.RetryBackOffRandomRange': 0,
  });
  try {
    const before = await offlineWithChange(pair, clock, 12_000);
    const after = pair
      .sent('StatusNotification')
      .slice(before)
      .map((m) => [(m.request as any).evseId, (m.request as any).connectorStatus]);
    assert.equal(after.sort(), [
      [1, 'Occupied'],
      [2, 'Available'],
    ]);
    assert.is(pair.sent('BootNotification').length, 1, 'a reconnect is not a boot');
  } finally {
    await pair.close();
  }
});

test('TC_B_52_CS B04.FR.02 offline shorter than OfflineThreshold: only the connector that changed', async () => {
  const { pair, clock } = await booted({
    'OCPPCommCtrlr.OfflineThreshold': 10,
    'OCPPCommCtrlr.RetryBackOffWaitMinimum': 8,
    'OCPPCommCtrlr.RetryBackOffRandomRange': 0,
  });
  try {
    const before = await offlineWithChange(pair, clock, 8_000);
    const after = pair
      .sent('StatusNotification')
      .slice(before)
      .map((m) => [(m.request as any).evseId, (m.request as any).connectorStatus]);
    assert.equal(after, [[1, 'Occupied']]);
  } finally {
    await pair.close();
  }
});

test('TC_B_57_CS network reconnection: RetryBackOffWaitMinimum after a loss, doubled after a failed attempt', async () => {
  const wait = 4_000;
  const { pair, clock } = await booted({
    'OCPPCommCtrlr.RetryBackOffWaitMinimum': wait / 1000,
    'OCPPCommCtrlr.RetryBackOffRandomRange': 0,
    'OCPPCommCtrlr.RetryBackOffRepeatTimes': 2,
  });
  const attempts = () => pair.csms.attempts.filter((a) => a.identity === pair.identity);
  try {
    // Steps 1–3: closed; the first attempt waits WaitMinimum, and is accepted.
    await pair.csms.disconnect(pair.identity);
    const n = attempts().length;
    await clock.advance(wait - 1);
    await sleep(100);
    assert.is(attempts().length, n, 'not before RetryBackOffWaitMinimum');
    await clock.advance(1);
    await until(() => pair.station.connected, 3000, 'reconnected');
    // Steps 4–8: closed again; the attempt after WaitMinimum is refused, the next one waits twice as long.
    pair.csms.refuseConnections(true);
    await pair.csms.disconnect(pair.identity);
    await clock.advance(wait);
    await until(() => attempts().length === n + 2, 3000, 'refused attempt');
    assert.is(attempts().at(-1)!.accepted, false);
    pair.csms.refuseConnections(false);
    await clock.advance(2 * wait - 1);
    await sleep(100);
    assert.is(attempts().length, n + 2, 'not before twice the wait');
    await clock.advance(1);
    await until(() => pair.station.connected, 3000, 'reconnected after the doubled wait');
  } finally {
    await pair.close();
  }
});

test.run();
