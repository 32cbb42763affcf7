// The README's integration example, type-checked with the rest of the tests (tsc) and run against the built-in CSMS
// by readme.test.ts. The README shows the lines between the markers, with the imports as an integrator writes them
// ('ocppkit/station', and the firmware's own drivers): readme.test.ts fails when the two differ.
// README:begin
import { ChargingStation } from '../../runtime/station/index.js';
import { cardReader, display, meter, plugSensor, relay, reboot } from './readme-hardware.js';

const station = new ChargingStation({
  identity: 'CS-0001',
  csms: { url: process.env.CSMS_URL ?? 'ws://127.0.0.1:9000' },
  versions: ['ocpp2.0.1'],
  info: { model: 'AC22-Wallbox', vendorName: 'ACME' },
  supplyPhases: 3,
  evses: [{ id: 1, maxPower: 22000, connectors: [{ id: 1, type: 'sType2' }] }],
  store: { path: process.env.STATION_DB ?? '/var/lib/charger/ocpp.db' },
  variables: { 'SecurityCtrlr.OrganizationName': 'ACME Charging' },
  hardware: {
    reset: () => reboot(),
    setConnectorAvailability: (evseId, _connectorId, operative) => relay.enable(evseId, operative),
    startCharging: (evseId) => relay.close(evseId),
    stopCharging: (evseId) => relay.open(evseId),
    readMeter: (evseId) => [{ measurand: 'Energy.Active.Import.Register', value: meter.energyWh(evseId), unit: 'Wh' }],
  },
});

station.on('connectorStatus', ({ evseId, status }) => display.show(evseId, status));
station.on('transactionStarted', ({ evseId }) => display.show(evseId, 'charging'));
station.on('transactionEnded', ({ evseId, stoppedReason }) => display.show(evseId, `done (${stoppedReason})`));
plugSensor.on('plugged', (evseId) => station.cablePlugged(evseId));
plugSensor.on('unplugged', (evseId) => station.cableUnplugged(evseId));
cardReader.on('card', (uid) => station.idTokenPresented({ idToken: uid, type: 'ISO14443' }, 1));
relay.on('flow', (evseId, flowing) => station.chargingStateChanged(evseId, flowing ? 'Charging' : 'SuspendedEV'));
process.once('SIGTERM', () => void station.stop());

await station.start();
// README:end

// The test's part: once registered, an EV plugs in, a card is presented, the EV charges and leaves. The test stops
// the station with SIGTERM once the CSMS has seen the transaction end, which exercises the example's own stop.
process.once('exit', () => console.log(JSON.stringify(display.shown)));
await new Promise<void>((resolve) => station.once('registration', () => resolve()));
plugSensor.emit('plugged', 1);
cardReader.emit('card', '04A2B3C4');
await new Promise<void>((resolve) => relay.once('flow', () => setTimeout(resolve, 100)));
plugSensor.emit('unplugged', 1);
