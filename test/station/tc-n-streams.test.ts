// OCPP 2.1 periodic event streams (N11–N15) over a real socket against the built-in CSMS: the station opens the
// stream once the CSMS accepted the boot, sends the values as NotifyPeriodicEventStream SEND frames (logged by the
// CSMS, never answered), and closes it when the monitor goes. A ManualClock drives the periodic monitor.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withTxPair, type TxPair } from '../support/tx-pair.js';

const EVSE1 = { name: 'EVSE', evse: { id: 1 } };
const V21 = {
  csms: { versions: ['ocpp2.1' as const] },
  station: { versions: ['ocpp2.1' as const] },
  manualClock: true,
};

const streamed = async (p: TxPair, params: object) => {
  p.csms.respond('OpenPeriodicEventStream', () => ({ status: 'Accepted' }));
  const { setMonitoringResult } = await p.call('SetVariableMonitoring', {
    setMonitoringData: [
      {
        type: 'Periodic',
        value: 10,
        severity: 5,
        component: EVSE1,
        variable: { name: 'Power' },
        periodicEventStream: params,
      },
    ],
  });
  const open = (await p.waitFor('OpenPeriodicEventStream')).request as any;
  // The stream is in use once the station has the CSMS's answer: it then lists it (N12.FR.01).
  for (let i = 0; i < 100; i++) {
    if ((await p.call('GetPeriodicEventStream', {})).constantStreamData?.length) break;
  }
  return { monitorId: setMonitoringResult[0].id as number, open };
};

test('N11.FR.02 N15.FR.01 N15.FR.08 N13.FR.01 N13.FR.05 over the wire: OpenPeriodicEventStream, SEND frames with the values, ClosePeriodicEventStream when the monitor is cleared', () =>
  withTxPair(V21, async (p) => {
    p.station.deviceModel.set(EVSE1, 'Power', 3000);
    const { monitorId, open } = await streamed(p, { values: 2 });
    assert.equal(open.constantStreamData.variableMonitoringId, monitorId);
    const streamId = open.constantStreamData.id;
    await p.advance(10_000);
    p.station.deviceModel.set(EVSE1, 'Power', 3500);
    await p.advance(10_000);
    const message = (await p.waitFor('NotifyPeriodicEventStream')).request as any;
    assert.equal(
      [message.id, message.pending, message.data],
      [
        streamId,
        0,
        [
          { t: 0, v: '3000' },
          { t: 10, v: '3500' },
        ],
      ],
    );
    const sent = p.csms.log.filter((m: any) => m.identity === p.identity && m.action === 'NotifyPeriodicEventStream');
    assert.ok(
      sent.every((m: any) => m.response === undefined),
      'a SEND message is never answered',
    );
    assert.equal(p.sent('NotifyEvent'), [], 'no NotifyEvent while the stream carries the values');
    const { clearMonitoringResult } = await p.call('ClearVariableMonitoring', { id: [monitorId] });
    assert.is(clearMonitoringResult[0].status, 'Accepted');
    assert.equal((await p.waitFor('ClosePeriodicEventStream')).request, { id: streamId });
  }));

test('N11.FR.07 a CSMS that rejects the stream gets NotifyEvent for the monitor', () =>
  withTxPair(V21, async (p) => {
    await p.call('SetVariableMonitoring', {
      setMonitoringData: [
        {
          type: 'Periodic',
          value: 10,
          severity: 5,
          component: EVSE1,
          variable: { name: 'Power' },
          periodicEventStream: { interval: 60 },
        },
      ],
    });
    await p.waitFor('OpenPeriodicEventStream');
    // Before or after the Rejected answer arrives, the monitor reports with NotifyEvent: the stream is not open.
    await p.advance(10_000);
    const event = (await p.waitFor('NotifyEvent')).request as any;
    assert.equal([event.eventData[0].trigger, event.eventData[0].severity], ['Periodic', 5]);
  }));

test('N12.FR.01 N14.FR.03 GetPeriodicEventStream lists the open stream; AdjustPeriodicEventStream is Accepted', () =>
  withTxPair(V21, async (p) => {
    const { monitorId, open } = await streamed(p, { interval: 60 });
    const got = await p.call('GetPeriodicEventStream', {});
    assert.equal(got.constantStreamData, [
      { id: open.constantStreamData.id, params: { interval: 60 }, variableMonitoringId: monitorId },
    ]);
    assert.equal(
      await p.call('AdjustPeriodicEventStream', { id: open.constantStreamData.id, params: { interval: 30 } }),
      {
        status: 'Accepted',
      },
    );
  }));

test.run();
