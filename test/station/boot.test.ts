// B01–B03 booting, against the built-in CSMS over a real socket, with a real store file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startPair } from '../support/station-harness.js';

test('TC_B_01_CS B01.FR.01 B01.FR.09 B01.FR.05 cold boot: BootNotification with reason PowerUp, then every connector status', async () => {
  const pair = await startPair({ station: { evses: [{ id: 1, connectors: [{ id: 1 }, { id: 2 }] }, { id: 2, connectors: [{ id: 1 }] }] } });
  try {
    const boot = await pair.waitFor('BootNotification');
    assert.equal(boot.request, { reason: 'PowerUp', chargingStation: { model: 'TestModel', vendorName: 'ocppkit' } });
    for (const [evseId, connectorId] of [[1, 1], [1, 2], [2, 1]]) {
      const s = await pair.waitFor('StatusNotification', (m) => (m.request as any).evseId === evseId && (m.request as any).connectorId === connectorId);
      assert.is((s.request as any).connectorStatus, 'Available');
    }
    // B01.FR.08: nothing before the BootNotification was accepted.
    const first = pair.csms.received(pair.identity)[0];
    assert.is(first?.action, 'BootNotification');
    assert.is(pair.station.registration, 'Accepted');
  } finally {
    await pair.close();
  }
});

test.run();
