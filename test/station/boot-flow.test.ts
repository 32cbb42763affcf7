// B01–B03 as pure flows: events in, effects out, time moved by hand.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootUseCase, DEFAULT_BOOT_RETRY_SECONDS, gate } from '../../runtime/station/B-provisioning/boot.js';
import { CallError } from '../../runtime/rpc/errors.js';
import { drive } from '../support/shell-driver.js';

const info = { model: 'M', vendorName: 'V' };
const bootResponse = (status: string, interval: number) => ({
  status,
  interval,
  currentTime: '2025-06-01T12:00:00.000Z',
});

test('B02.FR.08 B02.FR.04 Pending: BootNotification again only after the interval the CSMS gave', async () => {
  const d = drive([bootUseCase(info)]);
  d.dispatch({ type: 'started', reason: 'PowerUp' });
  d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
  d.pending('BootNotification')[0]!.answer(bootResponse('Pending', 20));
  await d.settle();
  await d.clock.advance(19_999);
  assert.is(d.sent.filter((s) => s.action === 'BootNotification').length, 1, 'not before the interval');
  await d.clock.advance(1);
  assert.is(d.sent.filter((s) => s.action === 'BootNotification').length, 2);
  assert.equal(d.online, [], 'B02.FR.02: nothing but BootNotification while Pending');
});

test('B02.FR.07 B03.FR.05 interval 0: the station waits an interval of its own', async () => {
  const d = drive([bootUseCase(info)]);
  d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
  d.pending('BootNotification')[0]!.answer(bootResponse('Rejected', 0));
  await d.settle();
  await d.clock.advance(DEFAULT_BOOT_RETRY_SECONDS * 1000 - 1);
  assert.is(d.sent.length, 1);
  await d.clock.advance(1);
  assert.is(d.pending('BootNotification').length, 1);
});

test('B01.FR.04 B01.FR.06 Accepted: heartbeat at the interval given, clock from the CSMS, then online', async () => {
  const d = drive([bootUseCase(info)]);
  d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
  d.pending('BootNotification')[0]!.answer(bootResponse('Accepted', 30));
  await d.settle();
  assert.equal(d.online, [true]);
  assert.is(new Date(d.shell.now()).toISOString(), '2025-06-01T12:00:00.000Z');
  assert.is(d.variables.int('OCPPCommCtrlr', 'HeartbeatInterval'), 30);
  await d.clock.advance(30_000);
  assert.is(d.pending('Heartbeat').length, 1, 'G02.FR.02 heartbeat after the interval');
});

const boots = (d: ReturnType<typeof drive>) => d.sent.filter((s) => s.action === 'BootNotification');

test('B02.FR.04 B03.FR.02 a reconnect does not shorten the interval the CSMS asked for', async () => {
  const d = drive([bootUseCase(info)]);
  d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
  d.pending('BootNotification')[0]!.answer(bootResponse('Pending', 60));
  await d.settle();
  await d.clock.advance(10_000);
  d.dispatch({ type: 'disconnected' });
  d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
  assert.is(boots(d).length, 1, 'not at the reconnect');
  await d.clock.advance(49_999);
  assert.is(boots(d).length, 1);
  await d.clock.advance(1);
  assert.is(boots(d).length, 2, 'when the interval is over');
});

test('B01.FR.03 B04 a reconnect to the CSMS that accepted the station is no boot; one to another profile’s CSMS is', async () => {
  const d = drive([bootUseCase(info)]);
  d.dispatch({ type: 'connected', version: 'ocpp2.0.1', slot: 1 });
  d.pending('BootNotification')[0]!.answer(bootResponse('Accepted', 300));
  await d.settle();
  d.dispatch({ type: 'disconnected' });
  d.dispatch({ type: 'connected', version: 'ocpp2.0.1', slot: 1 });
  assert.is(boots(d).length, 1);
  assert.equal(d.online, [true, false, true]);
  d.dispatch({ type: 'disconnected' });
  d.dispatch({ type: 'connected', version: 'ocpp2.0.1', slot: 2 });
  assert.is(boots(d).length, 2, 'another CSMS has not seen this station');
  assert.is(d.shell.stateOf<any>('boot').registration, undefined, 'not Accepted there yet');
});

test('B01.FR.06 the clock is taken from the CSMS only when TimeSource names Heartbeat', async () => {
  const d = drive([bootUseCase(info)], {
    deviceModel: {
      components: [
        {
          name: 'ClockCtrlr',
          variables: [{ name: 'TimeSource', valuesList: ['NTP', 'GPS', 'Heartbeat'], value: ['NTP', 'GPS'] }],
        },
      ],
    },
  });
  d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
  d.pending('BootNotification')[0]!.answer(bootResponse('Accepted', 30));
  await d.settle();
  assert.is(d.shell.now(), d.clock.now());
});

test('F06 B02.FR.04 while Pending a triggered BootNotification goes out at once with reason Triggered', async () => {
  const d = drive([bootUseCase(info)]);
  d.dispatch({ type: 'started', reason: 'PowerUp' });
  d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
  d.pending('BootNotification')[0]!.answer(bootResponse('Pending', 600));
  await d.settle();
  d.dispatch({ type: 'triggered', requestedMessage: 'BootNotification' });
  assert.is(boots(d)[1]!.payload.reason, 'Triggered');
  assert.ok(boots(d)[1]!.direct, 'B02.FR.02: straight to the connection');
});

test('A04.FR.01 the start is a security event: StartupOfTheDevice at power-up, ResetOrReboot after a reset', () => {
  for (const [reason, type] of [
    ['PowerUp', 'StartupOfTheDevice'],
    ['RemoteReset', 'ResetOrReboot'],
    ['ScheduledReset', 'ResetOrReboot'],
  ] as const) {
    const d = drive([bootUseCase(info)]);
    d.dispatch({ type: 'started', reason });
    const sent = d.pending('SecurityEventNotification');
    assert.is(sent.length, 1);
    assert.is(sent[0]!.payload.type, type);
    assert.not.ok(sent[0]!.direct, 'through the durable queue (A04.FR.02)');
  }
});

test('B03.FR.08 B02.FR.05 the gate: SecurityError while Rejected; RequestStart/Stop Rejected until Accepted', () => {
  assert.throws(
    () => gate('Rejected', 'GetVariables'),
    (e: unknown) => e instanceof CallError && e.code === 'SecurityError',
  );
  for (const registration of ['Pending', undefined] as const) {
    assert.equal(gate(registration, 'RequestStartTransaction'), {
      status: 'Rejected',
      statusInfo: { reasonCode: 'CSNotAccepted' },
    });
    assert.equal(gate(registration, 'RequestStopTransaction'), {
      status: 'Rejected',
      statusInfo: { reasonCode: 'CSNotAccepted' },
    });
    assert.is(gate(registration, 'GetVariables'), undefined, 'B02.FR.01: served');
  }
  assert.is(gate('Accepted', 'RequestStartTransaction'), undefined);
});

test('G02.FR.06 the HeartbeatResponse’s time sets the clock', async () => {
  const d = drive([bootUseCase(info)]);
  d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
  d.pending('BootNotification')[0]!.answer(bootResponse('Accepted', 30));
  await d.settle();
  await d.clock.advance(30_000);
  d.pending('Heartbeat')[0]!.answer({ currentTime: '2030-01-01T00:00:00.000Z' });
  await d.settle();
  assert.is(new Date(d.shell.now()).toISOString(), '2030-01-01T00:00:00.000Z');
});

test.run();
