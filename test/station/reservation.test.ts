// Block H Part 6 test cases against the built-in CSMS over real sockets, with a real SQLite file. Where a case goes
// on with a transaction (EnergyTransferStarted), that part is block E's; these check the reservation's side.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../runtime/queue/clock.js';
import type { ChargingStationOptions } from '../../runtime/station/options.js';
import { token } from '../support/authorization-driver.js';
import { withAuthPair, type AuthPair } from '../support/authorization-pair.js';
import { states, withTxPair } from '../support/tx-pair.js';

const VALID = token('04A1B2C3D4');
const VALID2 = token('04A1B2C3D5');
const GROUP = token('GROUP-7', 'Central');
const ONE = [{ id: 1, connectors: [{ id: 1 }] }];
const TWO = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

const withStation = (station: Partial<ChargingStationOptions>, fn: (a: AuthPair) => Promise<void>) =>
  withAuthPair({ station }, fn);

const reserve = (a: AuthPair, req: Record<string, unknown>) =>
  a.call('ReserveNow', { expiryDateTime: inAnHour(), idToken: VALID, ...req });

test('TC_H_01_CS H03.FR.01 H03.FR.09 H03.FR.10 H01.FR.15 a reserved EVSE takes its token: Accepted with the reservationId, then Available', () =>
  withStation({ evses: ONE }, async (a) => {
    let mark = a.mark();
    assert.equal(await reserve(a, { id: 11, evseId: 1 }), { status: 'Accepted' });
    await a.statuses(mark, { '1/1': 'Reserved' });
    mark = a.mark();
    const verdict = await a.present(VALID, 1);
    assert.equal([verdict.idTokenInfo.status, verdict.reservationId], ['Accepted', 11]);
    await a.statuses(mark, { '1/1': 'Available' });
  }));

test('TC_H_02_CS (main A) H03.FR.01 another token is not authorized on a reserved EVSE, even with an EV plugged in', () =>
  withStation({ evses: ONE }, async (a) => {
    await reserve(a, { id: 12, evseId: 1, idToken: VALID });
    a.pair.station.cablePlugged(1, 1);
    const mark = a.mark();
    const verdict = await a.present(VALID2, 1);
    assert.equal([verdict.idTokenInfo.status, verdict.refusal], ['NotAtThisTime', 'reserved']);
    assert.equal(a.sentSince('TransactionEvent', mark), []);
    const status = await a.call('ReserveNow', { id: 99, evseId: 1, expiryDateTime: inAnHour(), idToken: VALID2 });
    assert.is(status.status, 'Occupied', 'still held');
  }));

test('TC_H_03_CS H01.FR.11 reserving an EVSE that is already reserved: Occupied', () =>
  withStation({ evses: ONE }, async (a) => {
    await reserve(a, { id: 13, evseId: 1 });
    assert.equal(await reserve(a, { id: 14, evseId: 1, idToken: VALID2 }), { status: 'Occupied' });
  }));

test('H01.FR.11 reserving an EVSE with an EV connected: Occupied', () =>
  withStation({ evses: ONE }, async (a) => {
    a.pair.station.cablePlugged(1, 1);
    assert.equal(await reserve(a, { id: 15, evseId: 1 }), { status: 'Occupied' });
  }));

// Part 6 names H01.FR.13 for these two, an ID Edition 3 no longer has: Occupied for an EVSE in use is H01.FR.11.
test('TC_H_04_CS H01.FR.11 reserving an EVSE during a transaction (EnergyTransferStarted): Occupied, and the transaction goes on', () =>
  withTxPair({}, async (p) => {
    await states.energyTransferStarted(p);
    assert.equal(await p.call('ReserveNow', { id: 40, evseId: 1, expiryDateTime: inAnHour(), idToken: VALID2 }), {
      status: 'Occupied',
    });
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(!p.tx().some((r) => r.eventType === 'Ended'));
    assert.ok(!p.sent('StatusNotification').some((m: any) => m.request.connectorStatus === 'Reserved'));
  }));

test('TC_H_10_CS H01.FR.11 a reservation without EVSE while every EVSE has a transaction: Occupied', () =>
  withTxPair({ evses: TWO, variables: { 'ReservationCtrlr.NonEvseSpecific': true } }, async (p) => {
    p.readings.set(2, [{ value: 10 }]);
    await states.energyTransferStarted(p, 1);
    await states.energyTransferStarted(p, 2);
    await p.waitTx((r) => r.eventType === 'Started' && r.evse?.id === 2);
    assert.equal(await p.call('ReserveNow', { id: 41, expiryDateTime: inAnHour(), idToken: VALID }), {
      status: 'Occupied',
    });
  }));

test('TC_H_06_CS H01.FR.14 reserving an Unavailable EVSE: Unavailable', () =>
  withStation({ evses: ONE }, async (a) => {
    assert.equal(await a.call('ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1 } }), {
      status: 'Accepted',
    });
    assert.equal(await reserve(a, { id: 16, evseId: 1 }), { status: 'Unavailable' });
  }));

test('H01.FR.12 reserving a Faulted EVSE: Faulted', () =>
  withStation({ evses: ONE }, async (a) => {
    a.pair.station.connectorFaulted(1, 1);
    assert.equal(await reserve(a, { id: 17, evseId: 1 }), { status: 'Faulted' });
  }));

test('TC_H_07_CS H04.FR.01 H04.FR.02 H04.FR.03 at its expiry the reservation ends: Available, then ReservationStatusUpdate Expired; another token may charge', async () => {
  const clock = new ManualClock(Date.now());
  await withStation({ evses: ONE, clock }, async (a) => {
    await reserve(a, { id: 18, evseId: 1, expiryDateTime: new Date(Date.now() + 30_000).toISOString() });
    const mark = a.mark();
    await clock.advance(30_500);
    const update = await a.next('ReservationStatusUpdate', mark);
    assert.equal(update.request, { reservationId: 18, reservationUpdateStatus: 'Expired' });
    const available = await a.next('StatusNotification', mark, (r) => r.connectorStatus === 'Available');
    assert.ok(
      a.pair.csms.log.indexOf(available) < a.pair.csms.log.indexOf(update),
      'the status first (H04 S1 steps 4–6)',
    );
    assert.is((await a.present(VALID2, 1)).idTokenInfo.status, 'Accepted');
  });
});

test('TC_H_08_CS H01.FR.04 H01.FR.07 H03.FR.03 a reservation without EVSE on a one-EVSE station: Accepted and Reserved; the token may use it', () =>
  withStation({ evses: ONE, variables: { 'ReservationCtrlr.NonEvseSpecific': true } }, async (a) => {
    const mark = a.mark();
    assert.equal(await reserve(a, { id: 19 }), { status: 'Accepted' });
    await a.statuses(mark, { '1/1': 'Reserved' });
    const verdict = await a.present(VALID, 1);
    assert.equal([verdict.idTokenInfo.status, verdict.reservationId], ['Accepted', 19]);
  }));

test('TC_H_09_CS H01.FR.11 a reservation without EVSE when every EVSE is reserved: Occupied', () =>
  withStation({ evses: TWO, variables: { 'ReservationCtrlr.NonEvseSpecific': true } }, async (a) => {
    await reserve(a, { id: 20, evseId: 1 });
    await reserve(a, { id: 21, evseId: 2, idToken: VALID2 });
    assert.equal(await reserve(a, { id: 22, idToken: token('THIRD') }), { status: 'Occupied' });
  }));

test('TC_H_12_CS H01.FR.14 a reservation without EVSE while the station is Unavailable: Unavailable', () =>
  withStation({ evses: TWO, variables: { 'ReservationCtrlr.NonEvseSpecific': true } }, async (a) => {
    await a.call('ChangeAvailability', { operationalStatus: 'Inoperative' });
    assert.equal(await reserve(a, { id: 23 }), { status: 'Unavailable' });
  }));

test('TC_H_13_CS H01.FR.19 without ReservationNonEvseSpecific a reservation without EVSE is Rejected', () =>
  withStation({ evses: ONE, variables: { 'ReservationCtrlr.NonEvseSpecific': false } }, async (a) => {
    assert.is((await reserve(a, { id: 24 })).status, 'Rejected');
  }));

test('TC_H_14_CS H01.FR.20 as many reservations without EVSE as EVSEs: every connector Reserved', () =>
  withStation({ evses: TWO, variables: { 'ReservationCtrlr.NonEvseSpecific': true } }, async (a) => {
    const mark = a.mark();
    assert.equal(await reserve(a, { id: 25 }), { status: 'Accepted' });
    assert.equal(await reserve(a, { id: 26, idToken: VALID2 }), { status: 'Accepted' });
    await a.statuses(mark, { '1/1': 'Reserved', '2/1': 'Reserved' });
  }));

test('TC_H_15_CS H01.FR.06 H01.FR.09 H01.FR.24 H03.FR.02 a reservation for a connector type holds the EVSE with that type', () =>
  withStation(
    {
      evses: [
        { id: 1, connectors: [{ id: 1, type: 'cCCS2' }] },
        { id: 2, connectors: [{ id: 1, type: 'cType2' }] },
      ],
      variables: { 'ReservationCtrlr.NonEvseSpecific': true },
    },
    async (a) => {
      const mark = a.mark();
      assert.equal(await reserve(a, { id: 27, connectorType: 'cType2' }), { status: 'Accepted' });
      await a.statuses(mark, { '2/1': 'Reserved' });
      assert.is((await a.present(VALID2, 2)).refusal, 'reserved');
      assert.is((await a.present(VALID2, 1)).idTokenInfo.status, 'Accepted', 'the other type is free');
      const verdict = await a.present(VALID, 2);
      assert.equal([verdict.idTokenInfo.status, verdict.reservationId], ['Accepted', 27]);
    },
  ));

test('TC_H_16_CS H01.FR.11 a reservation for a connector type when every EVSE is reserved: Occupied', () =>
  withStation(
    {
      evses: [{ id: 1, connectors: [{ id: 1, type: 'cType2' }] }],
      variables: { 'ReservationCtrlr.NonEvseSpecific': true },
    },
    async (a) => {
      await reserve(a, { id: 28, evseId: 1 });
      assert.equal(await reserve(a, { id: 29, connectorType: 'cType2', idToken: VALID2 }), { status: 'Occupied' });
    },
  ));

test('TC_H_17_CS H02.FR.02 CancelReservation of a reservation: Accepted, and the connector is Available again', () =>
  withStation({ evses: ONE }, async (a) => {
    await reserve(a, { id: 30, evseId: 1 });
    const mark = a.mark();
    assert.equal(await a.call('CancelReservation', { reservationId: 30 }), { status: 'Accepted' });
    await a.statuses(mark, { '1/1': 'Available' });
  }));

test('TC_H_18_CS H02.FR.01 CancelReservation of an unknown reservation: Rejected', () =>
  withStation({ evses: ONE }, async (a) => {
    assert.equal(await a.call('CancelReservation', { reservationId: 1 }), { status: 'Rejected' });
  }));

test("TC_H_19_CS H03.FR.04 H03.FR.08 a token of the reservation's group uses the reserved EVSE; its group comes from the AuthorizeResponse", () =>
  withStation({ evses: ONE }, async (a) => {
    let mark = a.mark();
    assert.equal(await reserve(a, { id: 31, evseId: 1, groupIdToken: GROUP }), { status: 'Accepted' });
    await a.statuses(mark, { '1/1': 'Reserved' });
    a.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Accepted', groupIdToken: GROUP } }));
    mark = a.mark();
    const verdict = await a.present(VALID2, 1);
    assert.equal((await a.next('Authorize', mark)).request, { idToken: VALID2 });
    assert.equal([verdict.idTokenInfo.status, verdict.reservationId], ['Accepted', 31]);
    await a.statuses(mark, { '1/1': 'Available' });
  }));

test('TC_H_21_CS H01.FR.17 an EVSE set Inoperative loses its reservation: Unavailable, then ReservationStatusUpdate Removed', () =>
  withStation({ evses: ONE }, async (a) => {
    await reserve(a, { id: 32, evseId: 1 });
    let mark = a.mark();
    assert.equal(await a.call('ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1 } }), {
      status: 'Accepted',
    });
    const update = await a.next('ReservationStatusUpdate', mark);
    assert.equal(update.request, { reservationId: 32, reservationUpdateStatus: 'Removed' });
    const unavailable = await a.next('StatusNotification', mark, (r) => r.connectorStatus === 'Unavailable');
    assert.ok(a.pair.csms.log.indexOf(unavailable) < a.pair.csms.log.indexOf(update));
    mark = a.mark();
    assert.equal(await a.call('ChangeAvailability', { operationalStatus: 'Operative', evse: { id: 1 } }), {
      status: 'Accepted',
    });
    await a.statuses(mark, { '1/1': 'Available' });
    assert.is((await a.present(VALID2, 1)).idTokenInfo.status, 'Accepted');
  }));

test('H01.FR.16 a reserved EVSE that faults loses its reservation: Faulted, then ReservationStatusUpdate Removed', () =>
  withStation({ evses: ONE }, async (a) => {
    await reserve(a, { id: 33, evseId: 1 });
    const mark = a.mark();
    a.pair.station.connectorFaulted(1, 1);
    assert.equal((await a.next('ReservationStatusUpdate', mark)).request, {
      reservationId: 33,
      reservationUpdateStatus: 'Removed',
    });
  }));

test('TC_H_22_CS H01.FR.01 a station configured not to take reservations answers Rejected', () =>
  withStation({ evses: ONE, variables: { 'ReservationCtrlr.Enabled': false } }, async (a) => {
    assert.is((await reserve(a, { id: 34, evseId: 1 })).status, 'Rejected');
  }));

test('TC_H_23_CS H01.FR.02 a ReserveNow with the id of a reservation replaces it: the new token holds the EVSE', () =>
  withStation({ evses: ONE }, async (a) => {
    await reserve(a, { id: 35, evseId: 1, idToken: VALID });
    assert.equal(await reserve(a, { id: 35, evseId: 1, idToken: VALID2 }), { status: 'Accepted' });
    assert.is((await a.present(VALID, 1)).refusal, 'reserved');
    const verdict = await a.present(VALID2, 1);
    assert.equal([verdict.idTokenInfo.status, verdict.reservationId], ['Accepted', 35]);
  }));

test('TC_H_24_CS H03.FR.06 a reservation without EVSE with a groupIdToken: Reserved, and a token of the group uses it', () =>
  withStation({ evses: ONE, variables: { 'ReservationCtrlr.NonEvseSpecific': true } }, async (a) => {
    const mark = a.mark();
    assert.equal(await reserve(a, { id: 36, groupIdToken: GROUP }), { status: 'Accepted' });
    await a.statuses(mark, { '1/1': 'Reserved' });
    a.pair.csms.respond('Authorize', () => ({ idTokenInfo: { status: 'Accepted', groupIdToken: GROUP } }));
    const verdict = await a.present(VALID2, 1);
    assert.equal([verdict.idTokenInfo.status, verdict.reservationId], ['Accepted', 36]);
  }));

test('TC_B_24_CS B11.FR.05 B01.FR.13 after an OnIdle reset the reserved connector is Reserved again, the others Available', () =>
  withStation({ evses: TWO, hardware: { reset: () => {} } }, async (a) => {
    await reserve(a, { id: 37, evseId: 1 });
    const mark = a.mark();
    assert.equal(await a.call('Reset', { type: 'OnIdle' }), { status: 'Accepted' });
    const boot = await a.next('BootNotification', mark);
    assert.is((boot.request as { reason: string }).reason, 'RemoteReset');
    await a.statuses(a.pair.csms.log.indexOf(boot), { '1/1': 'Reserved', '2/1': 'Available' });
  }));

test.run();
