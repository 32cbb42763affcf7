// A complete charging station on ocppkit: two EVSEs, a SQLite store, the hardware callbacks and the firmware's
// reports. docs/integration.md explains every part; test/integration-example.test.ts runs this file.
//
//   node --import tsx examples/charging-station.ts ws://127.0.0.1:9000 [store file]
import { ChargingStation, type HardwareCallbacks } from '../runtime/station/index.js';

/** What ocppkit asks of the hardware. Here it only logs; real firmware switches contactors, locks, reboots. */
export const hardware: HardwareCallbacks = {
  // Reset (B11/B12), after the ResetResponse went out. Return when done; ocppkit then restarts its OCPP side and
  // boots again. Firmware that reboots the whole device simply never returns.
  async reset(kind) {
    console.log(`[hw] reset the station (${kind})`);
  },
  // Giving resetEvse declares that EVSEs can be reset one by one.
  async resetEvse(evseId, kind) {
    console.log(`[hw] reset EVSE ${evseId} (${kind})`);
  },
  // ChangeAvailability (G03/G04): a connector may or may not be used for new sessions.
  async setConnectorAvailability(evseId, connectorId, operative) {
    console.log(`[hw] connector ${evseId}/${connectorId} ${operative ? 'enabled' : 'disabled'}`);
  },
};

export function createStation(csmsUrl: string, storePath: string): ChargingStation {
  const station = new ChargingStation({
    identity: 'CS-EXAMPLE-01',
    // The CSMS, as network profile slot 1. The CSMS may add profiles (SetNetworkProfile) and reorder them.
    networkProfiles: [{ slot: 1, url: csmsUrl, messageTimeout: 30 }],
    versions: ['ocpp2.1', 'ocpp2.0.1'],
    info: { vendorName: 'ACME', model: 'Wallbox 22', serialNumber: 'SN-000001', firmwareVersion: '1.4.2' },
    supplyPhases: 3,
    evses: [
      { id: 1, maxPower: 22000, connectors: [{ id: 1, type: 'sType2' }] },
      { id: 2, maxPower: 22000, connectors: [{ id: 1, type: 'cType2' }] },
    ],
    store: { path: storePath },
    // Device-model values (docs/device-model.md: `deviceModel` takes whole components; this is the shorthand).
    variables: {
      'SecurityCtrlr.OrganizationName': 'ACME Charging',
      'OCPPCommCtrlr.HeartbeatInterval': 300,
      'OCPPCommCtrlr.OfflineThreshold': 60,
      'OCPPCommCtrlr.RetryBackOffWaitMinimum': 5,
    },
    hardware,
  });

  station.on('connected', ({ version, slot }) => console.log(`[ocpp] connected (${version}, profile slot ${slot})`));
  station.on('disconnected', ({ code }) => console.log(`[ocpp] disconnected (${code})`));
  station.on('registration', ({ status, interval }) =>
    console.log(`[ocpp] BootNotification ${status}, interval ${interval} s`),
  );
  station.on('connectorStatus', ({ evseId, connectorId, status }) =>
    console.log(`[ocpp] connector ${evseId}/${connectorId}: ${status}`),
  );
  station.on('reset', ({ kind, evseId }) => console.log(`[ocpp] reset ${kind}${evseId ? ` of EVSE ${evseId}` : ''}`));
  station.on('networkProfile', ({ slot }) => console.log(`[ocpp] the CSMS stored a network profile in slot ${slot}`));
  station.on('log', ({ level, message }) => console.log(`[ocpp:${level}] ${message}`));
  return station;
}

// Run as a program: connect, then report what the hardware sees (here: an EV arriving after 2 s).
if (import.meta.url === `file://${process.argv[1]}`) {
  const station = createStation(process.argv[2] ?? 'ws://127.0.0.1:9000', process.argv[3] ?? 'station.db');
  await station.start();
  const arrival = setTimeout(() => station.cablePlugged(1, 1), 2000);
  const stop = () => {
    clearTimeout(arrival);
    void station.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
