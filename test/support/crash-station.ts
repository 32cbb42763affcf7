// A charging station as its own process, for the crash tests (test/station/crash.test.ts for 2.0.1, issue 4;
// test/station/v16/crash.test.ts for 1.6, issue 14): a ChargingStation on a store file with a meter, and a clock
// that runs 50 times faster than real time so that meter values flow quickly. The CSMS is down while it charges:
// the unknown idToken is accepted offline (2.x AuthCtrlr.OfflineTxForUnknownIdEnabled, C15; 1.6
// AllowOfflineTxForUnknownId). The same options serve both versions, apart from the sampling variables.
//
//   node --import tsx test/support/crash-station.ts charge <store> <csmsUrl> <identity> [1.6]
//     Runs sessions back to back (plug in, authorize, charge with periodic meter values, suspend and resume, stop,
//     unplug) until it is killed. Prints `tx <transactionId>` when a transaction starts and `queued <n>` after
//     every step with the number of messages in the store's queue.
//   node --import tsx test/support/crash-station.ts drain <store> <csmsUrl> <identity> [1.6]
//     Starts on the same store (the restart after the kill), runs no session, prints `drained` once the queue is
//     empty, then stops.
import { ChargingStation } from '../../runtime/station/charging-station.js';
import type { Clock, TimerHandle } from '../../runtime/queue/clock.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import { testLayout, TEST_VARIABLES } from './station-harness.js';

const [mode, storePath, url, identity, version] = process.argv.slice(2);
if ((mode !== 'charge' && mode !== 'drain') || !storePath || !url || !identity || (version && version !== '1.6')) {
  console.error('usage: crash-station.ts charge|drain <store> <csmsUrl> <identity> [1.6]');
  process.exit(2);
}
const v16 = version === '1.6';

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
  versions: [v16 ? 'ocpp1.6' : 'ocpp2.0.1'],
  info: { model: 'CrashTest', vendorName: 'ocppkit' },
  supplyPhases: 3,
  evses: testLayout([{ id: 1, connectors: [{ id: 1 }] }]),
  store,
  clock: fast,
  random: () => 0,
  variables: {
    ...(v16
      ? {
          AllowOfflineTxForUnknownId: true,
          MeterValueSampleInterval: 1,
          StopTxnSampledData: 'Energy.Active.Import.Register',
        }
      : {
          ...TEST_VARIABLES,
          'AuthCtrlr.OfflineTxForUnknownIdEnabled': true,
          'SampledDataCtrlr.TxUpdatedInterval': 1,
          'SampledDataCtrlr.TxEndedInterval': 2,
        }),
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
