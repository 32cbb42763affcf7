// OCTT 1.6 test cases of the Remote Trigger profile (TC_054, TC_055) over real sockets against the built-in CSMS
// in 1.6: TriggerMessage (§5.17) for every message it lists, answered Accepted before the message is sent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { accepted, startPair16 } from '../../support/pair16.js';

test('TC_054_CS trigger every message (§5.17): Accepted, then the message', async () => {
  const p = await startPair16({
    station: { hardware: { readMeter: () => [{ measurand: 'Energy.Active.Import.Register', value: 42, unit: 'Wh' }] } },
  });
  try {
    await accepted(p);
    await p.status(1, 'Available');
    for (const [requestedMessage, action] of [
      ['BootNotification', 'BootNotification'],
      ['Heartbeat', 'Heartbeat'],
      ['StatusNotification', 'StatusNotification'],
      ['MeterValues', 'MeterValues'],
      ['DiagnosticsStatusNotification', 'DiagnosticsStatusNotification'],
      ['FirmwareStatusNotification', 'FirmwareStatusNotification'],
    ] as const) {
      const since = p.csms.log.length - 1;
      assert.equal(
        await p.call('TriggerMessage', { requestedMessage, connectorId: 1 }),
        { status: 'Accepted' },
        requestedMessage,
      );
      const m = await p.csms.waitFor((x) => x.direction === 'in' && x.action === action, 5000, since);
      if (action === 'StatusNotification')
        assert.equal([(m.request as any).connectorId, (m.request as any).status], [1, 'Available']);
      if (action === 'MeterValues') assert.is((m.request as any).meterValue[0].sampledValue[0].context, 'Trigger');
      if (action === 'DiagnosticsStatusNotification' || action === 'FirmwareStatusNotification')
        assert.is((m.request as any).status, 'Idle');
    }
  } finally {
    await p.close();
  }
});

test('TC_055_CS trigger for a connector that does not exist (§5.17): Rejected, nothing sent', async () => {
  const p = await startPair16();
  try {
    await accepted(p);
    await p.status(1, 'Available');
    // The start-up security event (queued at the start) is out before the count begins.
    await p.waitFor('SecurityEventNotification');
    const before = p.csms.received(p.identity).length;
    assert.equal(await p.call('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 5 }), {
      status: 'Rejected',
    });
    await p.call('GetConfiguration', { key: ['NumberOfConnectors'] });
    assert.is(p.csms.received(p.identity).length, before);
  } finally {
    await p.close();
  }
});

test.run();
