// OCPP 2.1 periodic event streams (N11–N15) without sockets: block N's monitoring and streams use cases in the real
// Shell with a ManualClock, on a 2.1 connection. The test plays the CSMS: it answers OpenPeriodicEventStream and
// reads the NotifyPeriodicEventStream SEND messages.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { monitoringComponents } from '../../runtime/station/N-diagnostics/monitoring/device-model.js';
import { monitoringUseCase } from '../../runtime/station/N-diagnostics/monitoring/monitoring.js';
import { periodicStreamsUseCase } from '../../runtime/station/N-diagnostics/monitoring/streams.js';
import { drive, type Driver } from '../support/shell-driver.js';

const EVSES = [{ id: 1, connectors: [{ id: 1 }] }];
const EVSE1 = { name: 'EVSE', evse: { id: 1 } };
const POWER = { name: 'Power' };

function station(variables: Record<string, number> = {}): Driver {
  let d: Driver | undefined;
  d = drive([monitoringUseCase(() => d!.model), periodicStreamsUseCase], {
    evses: EVSES,
    version: 'ocpp2.1',
    variables,
    deviceModel: { components: monitoringComponents('ocpp2.1', EVSES) },
  });
  d.dispatch({ type: 'started', reason: 'PowerUp' });
  d.dispatch({ type: 'connected', version: 'ocpp2.1' });
  return d;
}

let messageId = 0;
function ask(d: Driver, action: string, request: unknown): any {
  const id = `m${++messageId}`;
  const response = d.shell.answer(action, request, id);
  d.shell.answered(id);
  return response;
}

const periodic = (seconds: number, periodicEventStream?: object, more: object = {}) => ({
  type: 'Periodic',
  value: seconds,
  severity: 5,
  component: EVSE1,
  variable: POWER,
  ...(periodicEventStream ? { periodicEventStream } : {}),
  ...more,
});
const set = (d: Driver, ...setMonitoringData: object[]) =>
  ask(d, 'SetVariableMonitoring', { setMonitoringData }).setMonitoringResult;
const of = (d: Driver, action: string) => d.sent.filter((s) => s.action === action).map((s) => s.payload);

/** A Periodic monitor of `seconds` with a stream the CSMS accepts; resolves with the monitor's id and stream id. */
async function streamed(d: Driver, seconds: number, params: object) {
  const [r] = set(d, periodic(seconds, params));
  const [open] = d.pending('OpenPeriodicEventStream');
  assert.ok(open, 'OpenPeriodicEventStream sent');
  open!.answer({ status: 'Accepted' });
  await d.settle();
  return { monitorId: r.id, streamId: open!.payload.constantStreamData.id };
}

test('N11.FR.01 N11.FR.02 a monitor set with periodicEventStream: OpenPeriodicEventStream with the stream id, its params and the monitor id', async () => {
  const d = station();
  const [r] = set(d, periodic(10, { interval: 60, values: 5 }));
  assert.is(r.status, 'Accepted');
  const [open] = of(d, 'OpenPeriodicEventStream');
  assert.equal(open.constantStreamData.params, { interval: 60, values: 5 });
  assert.is(open.constantStreamData.variableMonitoringId, r.id);
  assert.type(open.constantStreamData.id, 'number');
});

test('N15.FR.01 N15.FR.06 N15.FR.09 N15.FR.04 every interval the values go out as one SEND message: basetime of the first, offsets in seconds, pending 0', async () => {
  const d = station();
  d.model.set(EVSE1, POWER, 100);
  const { streamId } = await streamed(d, 10, { interval: 35 });
  for (const w of [200, 300, 400]) {
    await d.clock.advance(10_000);
    d.model.set(EVSE1, POWER, w);
  }
  await d.clock.advance(5_000);
  assert.equal(of(d, 'NotifyEvent'), [], 'the stream replaces NotifyEvent');
  const [message] = of(d, 'NotifyPeriodicEventStream');
  assert.equal(message, {
    id: streamId,
    pending: 0,
    basetime: '2025-01-01T00:00:10.000Z',
    data: [
      { t: 0, v: '100' },
      { t: 10, v: '200' },
      { t: 20, v: '300' },
    ],
  });
});

test('N15.FR.08 N15.FR.07 with values: flushed as soon as that many wait, never more per message', async () => {
  const d = station();
  await streamed(d, 5, { values: 2 });
  await d.clock.advance(20_000);
  const messages = of(d, 'NotifyPeriodicEventStream');
  assert.equal(
    messages.map((m) => m.data.length),
    [2, 2],
  );
});

test('N14.FR.03 N15.FR.08 adjusting `values` changes when the stream flushes', async () => {
  const d = station();
  const { streamId } = await streamed(d, 1, { interval: 600 });
  assert.equal(ask(d, 'AdjustPeriodicEventStream', { id: streamId, params: { interval: 600, values: 3 } }), {
    status: 'Accepted',
  });
  await d.clock.advance(9_000);
  assert.equal(
    of(d, 'NotifyPeriodicEventStream').map((m) => [m.data.length, m.pending]),
    [
      [3, 0],
      [3, 0],
      [3, 0],
    ],
  );
});

test('N11.FR.07 a stream the CSMS rejects is not used: the monitor reports with NotifyEvent', async () => {
  const d = station();
  const [r] = set(d, periodic(10, { interval: 60 }));
  d.pending('OpenPeriodicEventStream')[0]!.answer({ status: 'Rejected' });
  await d.settle();
  await d.clock.advance(10_000);
  assert.equal(of(d, 'NotifyPeriodicEventStream'), []);
  assert.equal(
    of(d, 'NotifyEvent').flatMap((m) => m.eventData.map((e: any) => [e.trigger, e.variableMonitoringId, e.severity])),
    [['Periodic', r.id, 5]],
    '2.1 NotifyEvent carries the severity',
  );
});

test('N12.FR.01 GetPeriodicEventStream lists every open stream with its constant data', async () => {
  const d = station();
  assert.equal(ask(d, 'GetPeriodicEventStream', {}), {});
  const { monitorId, streamId } = await streamed(d, 10, { interval: 60 });
  assert.equal(ask(d, 'GetPeriodicEventStream', {}), {
    constantStreamData: [{ id: streamId, params: { interval: 60 }, variableMonitoringId: monitorId }],
  });
});

test('N14.FR.02 N14.FR.03 AdjustPeriodicEventStream: Accepted and the new rate used; an unknown stream or no parameters: Rejected', async () => {
  const d = station();
  const { streamId } = await streamed(d, 10, { interval: 60 });
  assert.equal(ask(d, 'AdjustPeriodicEventStream', { id: streamId, params: { interval: 20 } }), { status: 'Accepted' });
  await d.clock.advance(20_000);
  // Flushed at 20 s (not 60 s), with the values collected by then.
  assert.is(of(d, 'NotifyPeriodicEventStream').length, 1);
  assert.is(of(d, 'NotifyPeriodicEventStream')[0].basetime, '2025-01-01T00:00:10.000Z');
  assert.is(ask(d, 'AdjustPeriodicEventStream', { id: 999, params: { interval: 20 } }).status, 'Rejected');
  assert.is(ask(d, 'AdjustPeriodicEventStream', { id: streamId, params: {} }).status, 'Rejected');
});

test('N13.FR.01 N13.FR.03 N13.FR.05 clearing the monitor flushes the buffered values, then ClosePeriodicEventStream', async () => {
  const d = station();
  const { monitorId, streamId } = await streamed(d, 10, { interval: 600 });
  await d.clock.advance(20_000);
  ask(d, 'ClearVariableMonitoring', { id: [monitorId] });
  const order = d.sent.map((s) => s.action).filter((a) => a.includes('PeriodicEventStream'));
  assert.equal(order, ['OpenPeriodicEventStream', 'NotifyPeriodicEventStream', 'ClosePeriodicEventStream']);
  assert.equal(of(d, 'ClosePeriodicEventStream'), [{ id: streamId }]);
  assert.is(of(d, 'NotifyPeriodicEventStream')[0].data.length, 2);
  assert.equal(ask(d, 'GetPeriodicEventStream', {}), {});
});

test('N13.FR.06 N13.FR.04 replacing the monitor without periodicEventStream closes the stream; its values go by NotifyEvent again', async () => {
  const d = station();
  const { monitorId, streamId } = await streamed(d, 10, { interval: 600 });
  set(d, periodic(10, undefined, { id: monitorId }));
  assert.equal(of(d, 'ClosePeriodicEventStream'), [{ id: streamId }]);
  await d.clock.advance(10_000);
  assert.equal(
    of(d, 'NotifyEvent').flatMap((m) => m.eventData.map((e: any) => e.variableMonitoringId)),
    [monitorId],
  );
});

test('N13.FR.01 a monitor cleared before the CSMS accepted its stream: the accepted stream is closed at once', async () => {
  const d = station();
  const [r] = set(d, periodic(10, { interval: 60 }));
  const [open] = d.pending('OpenPeriodicEventStream');
  ask(d, 'ClearVariableMonitoring', { id: [r.id] });
  assert.equal(of(d, 'ClosePeriodicEventStream'), [], 'not open yet');
  open!.answer({ status: 'Accepted' });
  await d.settle();
  assert.equal(of(d, 'ClosePeriodicEventStream'), [{ id: open!.payload.constantStreamData.id }]);
  assert.equal(ask(d, 'GetPeriodicEventStream', {}), {});
});

test('N11.FR.03 MaxPeriodicEventStreams bounds the streams; the monitors beyond report with NotifyEvent', async () => {
  const d = station({ 'MonitoringCtrlr.MaxPeriodicEventStreams': 1 });
  await streamed(d, 10, { interval: 60 });
  const [second] = set(d, { ...periodic(10, { interval: 60 }), severity: 6 });
  assert.is(second.status, 'Accepted');
  assert.is(of(d, 'OpenPeriodicEventStream').length, 1);
});

test.run();
