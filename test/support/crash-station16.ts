// A 1.6 charging station as its own process, for the 1.6 crash test (test/station/v16/crash.test.ts), as
// crash-station.ts is for 2.0.1: a ChargingStation with versions ['ocpp1.6'] on a store file with a meter, a clock
// 50 times faster than real time. The CSMS is down while it charges: AllowOfflineTxForUnknownId accepts the idTag.
//
//   node --import tsx test/support/crash-station16.ts charge <store> <csmsUrl> <identity>
//     Runs sessions back to back (plug in, authorize, charge with periodic meter values, suspend and resume, stop,
//     unplug) until it is killed. Prints `tx <transactionId>` when a transaction starts and `queued <n>` after
//     every step with the number of messages in the store's queue.
//   node --import tsx test/support/crash-station16.ts drain <store> <csmsUrl> <identity>
//     Starts on the same store (the restart after the kill), runs no session, prints `drained` once the queue is
//     empty, then stops.
import { ChargingStation } from '../../runtime/station/charging-station.js';
import type { Clock, TimerHandle } from '../../runtime/queue/clock.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import { testLayout } from './station-harness.js';

const [mode, storePath, url, identity] = process.argv.slice(2);
if ((mode !== 'charge' && mode !== 'drain') || !storePath || !url || !identity) {
  console.error('usage: crash-station16.ts charge|drain <store> <csmsUrl> <identity>');
  process.exit(2);
}

const FACTOR = 50;
const origin = Date.now();
const fast: Clock = {
  now: () => origin + (Date.now() - origin) * FACTOR,
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms) / FACTOR) as unknown as TimerHandle,
  clearTimeout: (h) => clearTimeout(h as unknown as NodeJS.Timeout),
};

let wh = 0;
const store = openSqliteStore(storePath);
const station = new ChargingStation({
  identity,
  csms: { url },
  versions: ['ocpp1.6'],
  info: { model: 'CrashTest', vendorName: 'ocppkit' },
  supplyPhases: 3,
  evses: testLayout([{ id: 1, connectors: [{ id: 1 }] }]),
  store,
  clock: fast,
  random: () => 0,
  variables: {
    AllowOfflineTxForUnknownId: true,
    MeterValueSampleInterval: 1,
    StopTxnSampledData: 'Energy.Active.Import.Register',
    'OCPPCommCtrlr.RetryBackOffWaitMinimum': 1,
    'OCPPCommCtrlr.RetryBackOffRandomRange': 0,
  },
  hardware: { readMeter: () => [{ value: (wh += 7) }] },
});
station.on('transactionStarted', (e) => console.log(`tx ${e.transactionId}`));
await station.start();

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (mode === 'drain') {
  for (;;) {
    if (station.registration === 'Accepted' && store.outbox.count() === 0) break;
    await pause(20);
  }
  console.log('drained');
  await station.stop();
  store.close();
  process.exit(0);
}

const token = { idToken: 'CRASH', type: 'ISO14443' as const };
const steps: Array<() => void> = [
  () => station.cablePlugged(1, 1),
  () => station.idTokenPresented(token, 1),
  () => station.chargingStateChanged(1, 'Charging'),
  () => undefined, // meter values flow meanwhile (TxUpdatedInterval 1 s at 50×: every 20 ms)
  () => station.chargingStateChanged(1, 'SuspendedEV'),
  () => station.chargingStateChanged(1, 'Charging'),
  () => undefined,
  () => station.idTokenPresented(token, 1),
  () => station.cableUnplugged(1, 1),
];
for (let i = 0; ; i++) {
  steps[i % steps.length]!();
  console.log(`queued ${store.outbox.count()}`);
  await pause(15);
}
