// The full station the fleet benches boot (one EVSE, an in-memory store, clock-aligned meter values from a fixed
// readMeter) and the fleet CSMS child they boot it against: one definition for the fleet bench's client
// (fleet-client-child.mjs) and the heap and boot-event tools (station-heap.mjs, station-boot-events.mjs).
import { fork } from 'node:child_process';

/** ChargingStation options of bench station `identity` on `url`, meter values aligned every `meterS` seconds. */
export const benchStationOptions = (identity, url, meterS) => ({
  identity,
  csms: { url },
  versions: ['ocpp2.0.1'],
  info: { model: 'Bench', vendorName: 'ocppkit' },
  supplyPhases: 3,
  evses: [{ id: 1, maxPower: 22000, connectors: [{ id: 1, type: 'cType2' }] }],
  store: { path: ':memory:' },
  variables: { 'SecurityCtrlr.OrganizationName': 'ocppkit bench', 'AlignedDataCtrlr.Interval': meterS },
  hardware: { readMeter: () => [{ value: 1234.5 }] },
});

/** Starts lib/fleet-server-child.ts on `host` (heartbeat interval `heartbeatS`); its ws URL and the child to kill. */
export async function fleetServer(root, host, heartbeatS) {
  const server = fork(`${root}/bench/lib/fleet-server-child.ts`, [host, String(heartbeatS)], {
    execArgv: ['--import', 'tsx'],
  });
  const port = await new Promise((r) => server.on('message', (m) => m.type === 'listening' && r(m.port)));
  return { server, url: `ws://${host}:${port}/ocpp` };
}
