// S01–S03 as flows through the real Shell with a ManualClock and the real block C deciding the authorization:
// local and remote swaps, the BatterySwap messages with their requestId and idToken, refusals and timeouts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BatteryDataType } from '../../generated/v21/types.js';
import { bootUseCase } from '../../runtime/station/B-provisioning/boot.js';
import { authorizationUseCase } from '../../runtime/station/C-authorization/authorization.js';
import { batterySwapUseCase, SWAP_TIMEOUT_DEFAULTS } from '../../runtime/station/S-battery-swap/battery-swap.js';
import { drive, type Driver } from '../support/shell-driver.js';

const SLOTS = [1, 2, 3, 4].map((id) => ({ id, connectors: [{ id: 1 }] }));
const DRIVER = { idToken: 'SWAP-042', type: 'ISO14443' } as const;
const OLD: BatteryDataType[] = [
  { evseId: 1, serialNumber: 'B-OLD-1', soC: 12, soH: 91 },
  { evseId: 2, serialNumber: 'B-OLD-2', soC: 14, soH: 88 },
];
const NEW: BatteryDataType[] = [
  { evseId: 3, serialNumber: 'B-NEW-3', soC: 95, soH: 97 },
  { evseId: 4, serialNumber: 'B-NEW-4', soC: 96, soH: 95 },
];

async function station(o: { available?: boolean; timeoutIn?: number } = {}): Promise<Driver> {
  const d = drive([bootUseCase({ model: 'M', vendorName: 'V' }), authorizationUseCase(), batterySwapUseCase], {
    version: 'ocpp2.1',
    evses: SLOTS,
    ...(o.timeoutIn
      ? {
          deviceModel: {
            components: [
              { name: 'BatterySwapCtrlr', variables: [{ name: 'Timeout', instance: 'In', value: o.timeoutIn }] },
            ],
          },
        }
      : {}),
  });
  d.hardwareResults.set('batterySwapAvailable', o.available ?? true);
  d.dispatch({ type: 'connected', version: 'ocpp2.1' });
  d.pending('BootNotification')[0]!.answer({
    status: 'Accepted',
    interval: 300,
    currentTime: new Date(d.clock.now()).toISOString(),
  });
  await d.settle();
  return d;
}

const ops = (d: Driver, op: string) => d.hardware.filter((h) => h.op === op).map((h) => h.args);
const swaps = (d: Driver) => d.sent.filter((s) => s.action === 'BatterySwap').map((s) => s.payload);

test('S01.FR.01 S03.FR.01 S03.FR.03 a local swap: authorized by the CSMS, slots opened, BatteryIn then BatteryOut with one requestId', async () => {
  const d = await station();
  d.dispatch({ type: 'swap.requested', idToken: DRIVER });
  await d.settle();
  assert.equal(ops(d, 'openBatterySlots'), [], 'not before the authorization');
  d.pending('Authorize')[0]!.answer({ idTokenInfo: { status: 'Accepted' } });
  await d.settle();
  const [[requestId, idToken]] = ops(d, 'openBatterySlots') as [[number, unknown]];
  assert.equal(idToken, DRIVER);
  d.dispatch({ type: 'swap.inserted', batteryData: OLD, offered: NEW });
  d.dispatch({ type: 'swap.removed', batteryData: NEW });
  assert.equal(swaps(d), [
    { eventType: 'BatteryIn', requestId, idToken: DRIVER, batteryData: OLD },
    { eventType: 'BatteryOut', requestId, idToken: DRIVER, batteryData: NEW },
  ]);
});

test('S01 a token the CSMS refuses gets no swap: the slots stay closed, nothing is reported', async () => {
  const d = await station();
  d.dispatch({ type: 'swap.requested', idToken: DRIVER });
  await d.settle();
  d.pending('Authorize')[0]!.answer({ idTokenInfo: { status: 'Invalid' } });
  await d.settle();
  assert.equal(ops(d, 'openBatterySlots'), []);
  assert.equal(
    ops(d, 'abortBatterySwap').map((a) => a[1]),
    ['NotAuthorized'],
  );
  d.dispatch({ type: 'swap.inserted', batteryData: OLD, offered: NEW });
  assert.equal(swaps(d), []);
});

test('S03.FR.05 without charged batteries a local swap is refused before any authorization', async () => {
  const d = await station({ available: false });
  d.dispatch({ type: 'swap.requested', idToken: DRIVER });
  await d.settle();
  assert.equal(d.pending('Authorize'), []);
  assert.equal(
    ops(d, 'abortBatterySwap').map((a) => a[1]),
    ['NoBatteryAvailable'],
  );
});

test('S01.FR.02 no battery within BatterySwapCtrlr.Timeout[In]: the swap is aborted and nothing is sent', async () => {
  const d = await station({ timeoutIn: 30 });
  d.dispatch({ type: 'swap.requested', idToken: DRIVER });
  await d.settle();
  d.pending('Authorize')[0]!.answer({ idTokenInfo: { status: 'Accepted' } });
  await d.settle();
  await d.clock.advance(29_000);
  assert.equal(ops(d, 'abortBatterySwap'), []);
  await d.clock.advance(1000);
  assert.equal(
    ops(d, 'abortBatterySwap').map((a) => a[1]),
    ['InTimeout'],
  );
  d.dispatch({ type: 'swap.inserted', batteryData: OLD, offered: NEW });
  assert.equal(swaps(d), [], 'the authorization ended with the timeout');
});

test('S02.FR.01 S02.FR.02 RequestBatterySwap: Accepted, and BatteryIn/Out carry the CSMS requestId', async () => {
  const d = await station();
  const response = d.shell.answer('RequestBatterySwap', { idToken: DRIVER, requestId: 4711 }, 'm1');
  d.shell.answered('m1');
  assert.equal(response, { status: 'Accepted' });
  assert.equal(ops(d, 'openBatterySlots'), [[4711, DRIVER]]);
  assert.equal(d.pending('Authorize'), [], 'the CSMS authorized the token (S02.FR.03)');
  d.dispatch({ type: 'swap.inserted', batteryData: OLD, offered: NEW });
  d.dispatch({ type: 'swap.removed', batteryData: NEW });
  assert.equal(
    swaps(d).map((p) => [p.eventType, p.requestId]),
    [
      ['BatteryIn', 4711],
      ['BatteryOut', 4711],
    ],
  );
});

test('S02.FR.04 RequestBatterySwap without charged batteries: Rejected NoBatteryAvailable', async () => {
  const d = await station({ available: false });
  assert.equal(d.shell.answer('RequestBatterySwap', { idToken: DRIVER, requestId: 5 }, 'm1'), {
    status: 'Rejected',
    statusInfo: { reasonCode: 'NoBatteryAvailable' },
  });
  d.dispatch({ type: 'swap.availability', available: true });
  assert.equal(d.shell.answer('RequestBatterySwap', { idToken: DRIVER, requestId: 6 }, 'm2'), { status: 'Accepted' });
  const busy = d.shell.answer('RequestBatterySwap', { idToken: DRIVER, requestId: 7 }, 'm3') as any;
  assert.equal([busy.status, busy.statusInfo.reasonCode], ['Rejected', 'NoBatteryAvailable'], 'one swap at a time');
});

test('S02.FR.05 a remote swap whose batteries do not come in time is aborted', async () => {
  const d = await station();
  d.shell.answer('RequestBatterySwap', { idToken: DRIVER, requestId: 8 }, 'm1');
  d.shell.answered('m1');
  await d.clock.advance(SWAP_TIMEOUT_DEFAULTS.In * 1000);
  assert.equal(ops(d, 'abortBatterySwap'), [[8, 'InTimeout']]);
});

test('S03.FR.06 the offered batteries are not taken within Timeout[Out]: BatteryOutTimeout with the offered batteries', async () => {
  const d = await station();
  d.shell.answer('RequestBatterySwap', { idToken: DRIVER, requestId: 9 }, 'm1');
  d.shell.answered('m1');
  d.dispatch({ type: 'swap.inserted', batteryData: OLD, offered: NEW });
  await d.clock.advance(SWAP_TIMEOUT_DEFAULTS.Out * 1000);
  assert.equal(swaps(d).at(-1), { eventType: 'BatteryOutTimeout', requestId: 9, idToken: DRIVER, batteryData: NEW });
});

test('S02.FR.05 a remote swap whose CALLRESULT was lost with the connection still ends at its timeout', async () => {
  const d = await station();
  d.shell.answer('RequestBatterySwap', { idToken: DRIVER, requestId: 10 }, 'lost');
  d.shell.discardAnswer('lost');
  d.dispatch({ type: 'disconnected' });
  await d.clock.advance(60_000);
  d.dispatch({ type: 'connected', version: 'ocpp2.1' });
  await d.clock.advance(SWAP_TIMEOUT_DEFAULTS.In * 1000 - 60_000 - 1);
  assert.equal(ops(d, 'abortBatterySwap'), [], 'the timeout counts from the answer, not from the reconnection');
  await d.clock.advance(1);
  assert.equal(ops(d, 'abortBatterySwap'), [[10, 'InTimeout']]);
  assert.equal(d.shell.answer('RequestBatterySwap', { idToken: DRIVER, requestId: 11 }, 'm2'), { status: 'Accepted' });
});

test.run();
