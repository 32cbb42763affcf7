// B01–B03 as pure flows: events in, effects out, time moved by hand.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootUseCase, DEFAULT_BOOT_RETRY_SECONDS } from '../../runtime/station/B-provisioning/boot.js';
import { drive } from '../support/shell-driver.js';

const info = { model: 'M', vendorName: 'V' };
const bootResponse = (status: string, interval: number) => ({ status, interval, currentTime: '2025-06-01T12:00:00.000Z' });

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

test.run();
