// 1.6 flows without sockets or real time (test/support/shell-driver16.ts, a ManualClock): the intervals the CSMS
// and the configuration set are kept to the second.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { drive16 } from '../../support/shell-driver16.js';

const now = () => new Date(Date.UTC(2025, 0, 1)).toISOString();

test('1.6 §4.2 Pending: the next BootNotification exactly after the interval, not before; Accepted arms the heartbeat', async () => {
  const d = drive16();
  d.dispatch({ type: 'started', reason: 'PowerUp' });
  d.dispatch({ type: 'connected', version: 'ocpp1.6' });
  d.pending('BootNotification')[0]!.answer({ status: 'Pending', interval: 30, currentTime: now() });
  await d.settle();
  await d.clock.advance(29_999);
  assert.is(d.pending('BootNotification').length, 0);
  await d.clock.advance(1);
  const again = d.pending('BootNotification');
  assert.is(again.length, 1);
  assert.ok(again[0]!.direct);
  again[0]!.answer({ status: 'Accepted', interval: 60, currentTime: now() });
  await d.settle();
  assert.equal(d.online, [true]);
  assert.is(d.shell.query.config16?.('HeartbeatInterval'), '60');
  await d.clock.advance(59_999);
  assert.is(d.pending('Heartbeat').length, 0);
  await d.clock.advance(1);
  assert.is(d.pending('Heartbeat').length, 1);
});

test('1.6 §9.1.6 ConnectionTimeOut: an authorized idTag waits exactly that long for the cable', async () => {
  const d = drive16({ variables: { ConnectionTimeOut: 20 } });
  d.dispatch({ type: 'started', reason: 'PowerUp' });
  d.dispatch({ type: 'connected', version: 'ocpp1.6' });
  d.pending('BootNotification')[0]!.answer({ status: 'Accepted', interval: 300, currentTime: now() });
  await d.settle();
  d.dispatch({ type: 'idTokenPresented', idToken: { idToken: 'TAG', type: 'ISO14443' } });
  d.pending('Authorize')[0]!.answer({ idTagInfo: { status: 'Accepted' } });
  await d.settle();
  await d.clock.advance(19_000);
  d.dispatch({ type: 'cablePlugged', evseId: 1, connectorId: 1 });
  const start = d.pending('StartTransaction');
  assert.is(start.length, 1, 'within the timeout the transaction starts');
  assert.ok(start[0]!.transaction, 'sent with the local id of the transaction');
  // (setChargingLimit: the limit in force, told at start-up by block v16 smart-charging.)
  assert.equal(
    d.hardware.map((h) => h.op).filter((op) => op !== 'setChargingLimit'),
    ['startCharging'],
  );
});

test('1.6 §9.1.6 ConnectionTimeOut passed: the cable plugged in afterwards starts nothing', async () => {
  const d = drive16({ variables: { ConnectionTimeOut: 20 } });
  d.dispatch({ type: 'started', reason: 'PowerUp' });
  d.dispatch({ type: 'connected', version: 'ocpp1.6' });
  d.pending('BootNotification')[0]!.answer({ status: 'Accepted', interval: 300, currentTime: now() });
  await d.settle();
  d.dispatch({ type: 'idTokenPresented', idToken: { idToken: 'TAG', type: 'ISO14443' } });
  d.pending('Authorize')[0]!.answer({ idTagInfo: { status: 'Accepted' } });
  await d.settle();
  await d.clock.advance(20_000);
  d.dispatch({ type: 'cablePlugged', evseId: 1, connectorId: 1 });
  assert.is(d.pending('StartTransaction').length, 0);
});

test('1.6 §9.1.5 clock-aligned MeterValues at the aligned moments (counted from midnight)', async () => {
  const d = drive16({
    variables: { ClockAlignedDataInterval: 900 },
    hardware: { readMeter: () => [{ value: 10, unit: 'Wh' }] },
  });
  d.dispatch({ type: 'started', reason: 'PowerUp' });
  await d.clock.advance(899_000);
  assert.is(d.sent.filter((s) => s.action === 'MeterValues').length, 0, 'nothing before the aligned moment');
  await d.clock.advance(1_000);
  const mv = d.sent.filter((s) => s.action === 'MeterValues');
  assert.is(mv.length, 2, 'connector 0 (the main meter) and connector 1');
  assert.is(mv.at(-1)!.payload.meterValue[0].timestamp, new Date(Date.UTC(2025, 0, 1, 0, 15)).toISOString());
  assert.is(mv.at(-1)!.payload.meterValue[0].sampledValue[0].context, 'Sample.Clock');
});

test('1.6 §3.13 the limit in force follows the schedule to the second: setChargingLimit at installation and exactly at the next period', async () => {
  const d = drive16();
  d.dispatch({ type: 'started', reason: 'PowerUp' });
  d.dispatch({ type: 'connected', version: 'ocpp1.6' });
  d.pending('BootNotification')[0]!.answer({ status: 'Accepted', interval: 300, currentTime: now() });
  await d.settle();
  const limits = () =>
    d.hardware.flatMap((h) => (h.op === 'setChargingLimit' ? [(h.args[1] as { limit: number }).limit] : []));
  const request = {
    connectorId: 1,
    csChargingProfiles: {
      chargingProfileId: 1,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: {
        startSchedule: now(),
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 6 },
          { startPeriod: 600, limit: 10 },
        ],
      },
    },
  };
  assert.equal(await d.shell.answer('SetChargingProfile', request, 'm1'), { status: 'Accepted' });
  d.shell.answered('m1');
  await d.settle();
  assert.is(limits().at(-1), 6);
  await d.clock.advance(599_999);
  assert.is(limits().at(-1), 6);
  await d.clock.advance(1);
  assert.is(limits().at(-1), 10);
});

test.run();
