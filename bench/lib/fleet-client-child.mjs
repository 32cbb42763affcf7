// Child process of the station-fleet benchmark: N clients of one kind in this one process, against the CSMS of
// fleet-server-child.ts. Plain JavaScript on ocppkit's built dist/ (as an installed package runs): under tsx every
// function would carry the name esbuild's keepNames gives it as an own property, ~29 KB more heap per station.
// Kinds:
//   bare-ws          ws sockets with OCPP-J framing and nothing else
//   ocpp-rpc         ocpp-rpc 2.2.1 RPCClient (not strict)
//   ocppkit-rpc      ocppkit's StationClient (the RPC layer alone, validation on)
//   ocppkit-station  ocppkit's full 2.0.1 ChargingStation with an in-memory store
// Each client connects and sends a BootNotification; the clients of the first three kinds then send a Heartbeat and
// a MeterValues every interval themselves, the stations do so on their own (the CSMS's BootNotification interval;
// AlignedDataCtrlr.Interval).
//   argv: kind url stations concurrency meterSeconds heartbeatSeconds
//   → { type: 'ready' } (modules loaded, one warm-up client booted)   ← 'memory' → { type: 'memory', … }
//   ← 'boot' → { type: 'booted', totalMs, bootMs: number[], failed }
//   ← 'cpuStart' → { type: 'cpuStarted' }   ← 'cpuStop' → { type: 'cpu', userUs, systemUs, wallMs }   ← 'exit'
import { WebSocket } from 'ws';
import { RPCClient } from 'ocpp-rpc';
import { protocol as v201 } from '../../dist/generated/v201/index.js';
import { StationClient } from '../../dist/runtime/rpc/index.js';
import { ChargingStation } from '../../dist/runtime/station/index.js';
import { benchStationOptions } from './bench-station.mjs';

const [kind, url, stationsArg, concurrencyArg, meterArg, heartbeatArg] = process.argv.slice(2);
const STATIONS = Number(stationsArg);
const CONCURRENCY = Number(concurrencyArg);
const METER_S = Number(meterArg);
const HEARTBEAT_S = Number(heartbeatArg);
const BOOT_TIMEOUT_MS = 120_000;

const BOOT = { reason: 'PowerUp', chargingStation: { model: 'Bench', vendorName: 'ocppkit' } };
const meterValues = () => ({
  evseId: 1,
  meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: 1234.5 }] }],
});

/** One client each: (i) => Promise<{ close() }>, connected and booted, going on until closed. */
const kinds = {
  'bare-ws': (i) =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`${url}/BW${i}`, ['ocpp2.0.1'], { perMessageDeflate: false });
      let n = 0;
      const call = (action, payload) => ws.send(JSON.stringify([2, String(++n), action, payload]));
      const timers = [];
      ws.once('error', reject);
      ws.once('open', () => call('BootNotification', BOOT));
      ws.once('message', () => {
        timers.push(setInterval(() => call('Heartbeat', {}), HEARTBEAT_S * 1000));
        timers.push(setInterval(() => call('MeterValues', meterValues()), METER_S * 1000));
        resolve({ close: () => (timers.forEach(clearInterval), ws.terminate()) });
      });
    }),
  'ocpp-rpc': async (i) => {
    const client = new RPCClient({ endpoint: url, identity: `OR${i}`, protocols: ['ocpp2.0.1'], reconnect: false });
    await client.connect();
    await client.call('BootNotification', BOOT);
    const timers = [
      setInterval(() => void client.call('Heartbeat', {}).catch(() => {}), HEARTBEAT_S * 1000),
      setInterval(() => void client.call('MeterValues', meterValues()).catch(() => {}), METER_S * 1000),
    ];
    return { close: () => (timers.forEach(clearInterval), void client.close({ force: true })) };
  },
  'ocppkit-rpc': async (i) => {
    const client = new StationClient({ url, identity: `OK${i}`, protocols: [v201], reconnect: false });
    const session = await client.connect();
    await session.call('BootNotification', BOOT);
    const timers = [
      setInterval(() => void session.call('Heartbeat', {}).catch(() => {}), HEARTBEAT_S * 1000),
      setInterval(() => void session.call('MeterValues', meterValues()).catch(() => {}), METER_S * 1000),
    ];
    return { close: () => (timers.forEach(clearInterval), void client.close()) };
  },
  'ocppkit-station': (i) =>
    new Promise((resolve) => {
      const station = new ChargingStation(benchStationOptions(`ST${i}`, url, METER_S));
      // Attempts that failed and were retried after the station's back-off (OCPP RetryBackOff*): the boot tail.
      station.on('connectFailed', () => retries++);
      station.on('registration', (e) => {
        if (e.status === 'Accepted') resolve({ close: () => void station.stop() });
      });
      void station.start();
    }),
};

const boot = kinds[kind];
if (!boot) throw new Error(`unknown kind ${kind}`);
const clients = [];
let retries = 0;
clients.push(await boot(-1)); // warm-up: loads what the first boot loads lazily, before the baseline

function fullGc() {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  gc();
}

/** Boots STATIONS clients with at most CONCURRENCY under way; each one's time from creation to its accepted boot. */
async function bootAll() {
  const bootMs = [];
  let failed = 0;
  let next = 0;
  const t0 = performance.now();
  const lane = async () => {
    while (next < STATIONS) {
      const i = next++;
      const s = performance.now();
      try {
        // A client that neither boots nor fails within BOOT_TIMEOUT_MS counts as failed (and is left behind).
        let timer;
        const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('late')), BOOT_TIMEOUT_MS)));
        clients.push(await Promise.race([boot(i), late]).finally(() => clearTimeout(timer)));
        bootMs.push(performance.now() - s);
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, STATIONS) }, lane));
  return { totalMs: performance.now() - t0, bootMs, failed, retries };
}

let cpu0 = process.cpuUsage();
let t0 = performance.now();
process.on('message', async (msg) => {
  if (msg === 'memory') {
    fullGc();
    await new Promise((r) => setTimeout(r, 200));
    fullGc();
    const m = process.memoryUsage();
    process.send({ type: 'memory', rss: m.rss, heapUsed: m.heapUsed, external: m.external });
  } else if (msg === 'boot') {
    process.send({ type: 'booted', ...(await bootAll()) });
  } else if (msg === 'cpuStart') {
    cpu0 = process.cpuUsage();
    t0 = performance.now();
    process.send({ type: 'cpuStarted' });
  } else if (msg === 'cpuStop') {
    const d = process.cpuUsage(cpu0);
    process.send({ type: 'cpu', userUs: d.user, systemUs: d.system, wallMs: performance.now() - t0 });
  } else if (msg === 'exit') {
    for (const c of clients) c.close();
    process.exit(0);
  }
});
process.send({ type: 'ready' });
