// Issue 19: the `started` event comes at start() and at each restart the station makes itself after a Reset, before
// it connects, so that the firmware reports what the hardware still has: a cable left plugged is the first
// StatusNotification after the reboot (Occupied). A listener that throws does not stop the station; it is logged.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimpleCsms, type LoggedMessage } from '../../runtime/csms/simple-csms.js';
import { ChargingStation } from '../../runtime/station/charging-station.js';
import { testLayout, TEST_VARIABLES } from '../support/station-harness.js';

const status = (m: LoggedMessage) =>
  m.identity === 'CS-START' && m.direction === 'in' && m.action === 'StatusNotification';

test('issue 19: started at start() and after a Reset; a cable reported from it is Occupied after the reboot; a throwing listener is logged', async () => {
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const url = csms.url(await csms.listen());
  const station = new ChargingStation({
    identity: 'CS-START',
    csms: { url },
    versions: ['ocpp2.0.1'],
    info: { model: 'M', vendorName: 'V' },
    supplyPhases: 3,
    evses: testLayout([{ id: 1, connectors: [{ id: 1 }] }]),
    variables: TEST_VARIABLES,
    store: { path: ':memory:' },
  });
  const reasons: string[] = [];
  const errors: string[] = [];
  let plugged = false;
  station.on('log', ({ level, message }) => void (level === 'error' && errors.push(message)));
  station.on('started', ({ reason }) => {
    reasons.push(reason);
    if (plugged) station.cablePlugged(1);
  });
  station.on('started', () => {
    throw new Error('display not ready');
  });
  try {
    await station.start();
    assert.equal(reasons, ['PowerUp']);
    assert.equal(errors, ["a 'started' listener failed: display not ready"]);
    const first = await csms.waitFor(status);
    assert.is((first.request as { connectorStatus: string }).connectorStatus, 'Available');

    station.cablePlugged(1);
    plugged = true;
    await csms.waitFor(status, 5000, csms.log.indexOf(first));
    const at = csms.log.length - 1;
    assert.equal(await csms.call('CS-START', 'Reset', { type: 'Immediate' }), { status: 'Accepted' });
    const boot = await csms.waitFor((m) => m.direction === 'in' && m.action === 'BootNotification', 5000, at);
    assert.is((boot.request as { reason: string }).reason, 'RemoteReset');
    assert.equal(reasons, ['PowerUp', 'RemoteReset']);
    const after = await csms.waitFor(status, 5000, csms.log.indexOf(boot));
    assert.is((after.request as { connectorStatus: string }).connectorStatus, 'Occupied');
  } finally {
    await station.stop();
    await csms.close();
  }
});

test.run();
