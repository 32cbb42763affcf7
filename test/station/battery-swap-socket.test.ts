// Block S over real sockets against the built-in CSMS speaking 2.1: a local swap authorized by AuthorizeRequest,
// a remote one started by RequestBatterySwap, the BatterySwap messages the CSMS receives.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BatteryDataType } from '../../generated/v21/types.js';
import { startPair, type Pair } from '../support/station-harness.js';

const DRIVER = { idToken: 'SWAP-7', type: 'ISO14443' } as const;
const OLD: BatteryDataType[] = [{ evseId: 1, serialNumber: 'OLD-1', soC: 10, soH: 90 }];
const NEW: BatteryDataType[] = [{ evseId: 2, serialNumber: 'NEW-2', soC: 98, soH: 96 }];

async function withSwapPair(
  fn: (p: Pair, opened: Array<[number, unknown]>, slotsOpen: Promise<void>) => Promise<void>,
  available = true,
) {
  const opened: Array<[number, unknown]> = [];
  let open!: () => void;
  const slotsOpen = new Promise<void>((resolve) => (open = resolve));
  const p = await startPair({
    csms: { versions: ['ocpp2.1'] },
    station: {
      versions: ['ocpp2.1'],
      evses: [
        { id: 1, connectors: [{ id: 1 }] },
        { id: 2, connectors: [{ id: 1 }] },
      ],
      hardware: {
        batterySwapAvailable: () => available,
        openBatterySlots: (requestId, idToken) => {
          opened.push([requestId, idToken]);
          open();
        },
      },
    },
  });
  try {
    await p.waitFor('StatusNotification');
    await fn(p, opened, slotsOpen);
  } finally {
    await p.close();
  }
}

test('S01.FR.01 S03.FR.01 S03.FR.03 a local swap over a 2.1 connection: Authorize, then BatteryIn and BatteryOut', () =>
  withSwapPair(async (p, opened, slotsOpen) => {
    p.station.batterySwapRequested(DRIVER);
    const authorize = await p.waitFor('Authorize');
    assert.equal((authorize.request as any).idToken, DRIVER);
    await slotsOpen;
    p.station.batteriesInserted(OLD, NEW);
    p.station.batteriesRemoved(NEW);
    const out = await p.waitFor('BatterySwap', (m: any) => m.request.eventType === 'BatteryOut');
    const into = p.sent('BatterySwap').find((m: any) => m.request.eventType === 'BatteryIn')!;
    assert.is(opened.length, 1);
    assert.equal(into.request, { eventType: 'BatteryIn', requestId: opened[0]![0], idToken: DRIVER, batteryData: OLD });
    assert.equal(out.request, { eventType: 'BatteryOut', requestId: opened[0]![0], idToken: DRIVER, batteryData: NEW });
    assert.is(out.error, undefined, 'the CSMS acknowledged it');
  }));

test('S02.FR.01 S02.FR.02 RequestBatterySwap from the CSMS: Accepted, the swap reports its requestId', () =>
  withSwapPair(async (p, opened) => {
    assert.equal(await p.csms.call(p.identity, 'RequestBatterySwap', { idToken: DRIVER, requestId: 31 }), {
      status: 'Accepted',
    });
    p.station.batteriesInserted(OLD, NEW);
    const into = await p.waitFor('BatterySwap');
    assert.equal([(into.request as any).eventType, (into.request as any).requestId], ['BatteryIn', 31]);
    assert.equal(opened, [[31, DRIVER]]);
  }));

test('S02.FR.04 RequestBatterySwap without charged batteries: Rejected NoBatteryAvailable', () =>
  withSwapPair(async (p) => {
    const answer = (await p.csms.call(p.identity, 'RequestBatterySwap', { idToken: DRIVER, requestId: 32 })) as any;
    assert.equal([answer.status, answer.statusInfo?.reasonCode], ['Rejected', 'NoBatteryAvailable']);
    assert.throws(() => p.station.batteriesInserted([{ evseId: 9, serialNumber: 'X', soC: 1, soH: 1 }], NEW), /evseId/);
  }, false));

test.run();
