// The firmware side of transactions and meter values: every bad call gets an error naming what is wrong, before
// it could become an invalid message the CSMS refuses (and the queue retries in vain); a meter callback that
// misbehaves is logged, never fatal; a callback that is not a function is a bad option.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChargingStation } from '../../runtime/station/charging-station.js';
import { StationOptionsError, type ChargingStationOptions } from '../../runtime/station/options.js';
import { startPair, testLayout, TEST_VARIABLES } from '../support/station-harness.js';

const options = (extra: Partial<ChargingStationOptions> = {}): ChargingStationOptions => ({
  identity: 'CS-API',
  csms: { url: 'ws://127.0.0.1:9' }, // nothing listens: the station stays offline, which these calls do not mind
  info: { model: 'M', vendorName: 'V' },
  supplyPhases: 3,
  evses: testLayout([{ id: 1, connectors: [{ id: 1 }] }]),
  variables: TEST_VARIABLES,
  store: { path: ':memory:' },
  random: () => 0,
  ...extra,
});

function throws(fn: () => void, pattern: RegExp) {
  try {
    fn();
  } catch (e) {
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`no error for ${pattern}`);
}

test('meterValues, chargingStateChanged, stopTransaction, evDisconnected, parkingBay*: bad arguments are refused naming the field', async () => {
  const station = new ChargingStation(options());
  await station.start();
  try {
    throws(() => station.meterValues(1, { value: 1 } as never), /readings must be an array/);
    throws(() => station.meterValues(1, [{ value: Number.NaN }]), /readings\[0\]\.value must be a finite number/);
    throws(
      () => station.meterValues(1, [{ value: 1, measurand: 'Energy.Wrong' as never }]),
      /readings\[0\]\.measurand/,
    );
    throws(() => station.meterValues(1, [{ value: 1, phase: 'L4' as never }]), /readings\[0\]\.phase/);
    throws(
      () => station.meterValues(1, [{ value: 1, signedMeterValue: { signedMeterData: 'x' } as never }]),
      /readings\[0\]\.signedMeterValue\.signingMethod/,
    );
    throws(() => station.meterValues(7, [{ value: 1 }]), /meterValues: evseId 7 does not exist/);
    station.meterValues(0, [{ value: 1, location: 'Inlet' }]); // the main meter is evseId 0
    throws(
      () => station.chargingStateChanged(1, 'Charging!' as never),
      /state must be "Charging", "SuspendedEV" or "SuspendedEVSE"/,
    );
    throws(() => station.stopTransaction(1, 'Because' as never), /reason must be one of .*EmergencyStop/);
    throws(() => station.evDisconnected(3), /evDisconnected: evseId 3 does not exist/);
    throws(() => station.parkingBayOccupied(0), /parkingBayOccupied: evseId 0 does not exist/);
    throws(() => station.parkingBayVacated(2), /parkingBayVacated: evseId 2 does not exist/);
  } finally {
    await station.stop();
  }
});

test('a readMeter callback that throws or returns nonsense is logged, and the station answers as without a meter', async () => {
  let calls = 0;
  const pair = await startPair({
    station: {
      hardware: {
        readMeter: () => {
          calls++;
          if (calls === 1) throw new Error('meter bus down');
          return [{ value: 'a lot' }] as never;
        },
      },
    },
  });
  const logs: string[] = [];
  pair.station.on('log', (e) => logs.push(e.message));
  try {
    await pair.waitFor('StatusNotification');
    for (let i = 0; i < 2; i++) {
      const answer = await pair.csms.call(pair.identity, 'TriggerMessage', {
        requestedMessage: 'MeterValues',
        evse: { id: 1 },
      });
      assert.equal(answer, { status: 'Rejected' }, 'F06.FR.10: nothing to send');
    }
    assert.ok(
      logs.some((l) => l.includes('readMeter(1) failed: meter bus down')),
      logs.join('\n'),
    );
    assert.ok(
      logs.some((l) => /readMeter\(1\)\S* failed: .*value must be a finite number/.test(l)),
      logs.join('\n'),
    );
  } finally {
    await pair.close();
  }
});

test('hardware callbacks of transactions must be functions', () => {
  for (const name of ['startCharging', 'stopCharging', 'unlockConnector', 'readMeter']) {
    try {
      new ChargingStation(options({ hardware: { [name]: 'yes' } as never }));
      assert.unreachable(`${name}: no error`);
    } catch (e) {
      assert.instance(e, StationOptionsError);
      assert.match((e as Error).message, `options.hardware.${name}: must be a function`);
    }
  }
});

test('idTokenPresented: a 2.1-only idToken type is refused by name on a station that speaks only 2.0.1; accepted where 2.1 may be spoken', async () => {
  const only201 = new ChargingStation(options({ versions: ['ocpp2.0.1'] }));
  const with21 = new ChargingStation(options({ versions: ['ocpp2.1', 'ocpp2.0.1'] }));
  await only201.start();
  await with21.start();
  try {
    throws(
      () => only201.idTokenPresented({ idToken: 'PSP-1', type: 'DirectPayment' }),
      /idToken\.type "DirectPayment" is not a 2\.0\.1 IdTokenEnumType/,
    );
    throws(() => only201.idTokenPresented({ idToken: 'X' } as never), /idToken must be \{ idToken: string, type/);
    only201.idTokenPresented({ idToken: 'CARD-1', type: 'ISO14443' });
    with21.idTokenPresented({ idToken: 'PSP-1', type: 'DirectPayment' });
  } finally {
    await only201.stop();
    await with21.stop();
  }
});

test.run();
