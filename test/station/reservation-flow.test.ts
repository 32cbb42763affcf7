// H01–H04 as flows with a ManualClock: where a reservation fits, what it does to connector statuses and to other
// tokens, how it ends (used, cancelled, expired, EVSE faulted or unavailable), and that it survives a restart.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ReserveNowRequest } from '../../generated/v201/types.js';
import type { EvseLayout } from '../../runtime/station/device-model/types.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import { authDriver, token, type AuthDriver } from '../support/authorization-driver.js';
import { reservationCheck, reservedOn } from '../../runtime/station/H-reservation/check.js';

const ALICE = token('A11CE');
const BOB = token('B0B');
const ONE = [{ id: 1, connectors: [{ id: 1 }] }];
const TWO = [
  { id: 1, connectors: [{ id: 1 }, { id: 2 }] },
  { id: 2, connectors: [{ id: 1 }] },
];
const TYPED: EvseLayout[] = [
  { id: 1, connectors: [{ id: 1, type: 'cCCS2' }] },
  {
    id: 2,
    connectors: [
      { id: 1, type: 'cType2' },
      { id: 2, type: 'sType2' },
    ],
  },
];
let m = 0;

async function station(
  evses: AuthDriver['shell']['evses'] = ONE,
  variables: Record<string, string | number | boolean> = {},
  store = openSqliteStore(':memory:'),
): Promise<AuthDriver> {
  const d = authDriver({ evses: [...evses], variables, store });
  await d.goOnline();
  return d;
}

/** Answers a ReserveNow as the RPC layer would: the answer, then (once "sent") what follows it. */
async function reserve(d: AuthDriver, req: Partial<ReserveNowRequest> & { id: number }): Promise<string> {
  const full: ReserveNowRequest = {
    idToken: ALICE,
    expiryDateTime: new Date(d.shell.now() + 3_600_000).toISOString(),
    ...req,
  };
  const id = `m${++m}`;
  const response = d.shell.answer('ReserveNow', full, id) as { status: string };
  d.shell.answered(id);
  await d.settle();
  return response.status;
}

async function call(d: AuthDriver, action: 'CancelReservation' | 'ChangeAvailability', req: unknown): Promise<unknown> {
  const id = `m${++m}`;
  const response = d.shell.answer(action, req as never, id);
  d.shell.answered(id);
  await d.settle();
  return response;
}

/** `evse/connector:status` of the StatusNotifications sent from `from` on. */
const statuses = (d: AuthDriver, from = 0) =>
  d.sent
    .slice(from)
    .filter((s) => s.action === 'StatusNotification')
    .map((s) => `${s.payload.evseId}/${s.payload.connectorId}:${s.payload.connectorStatus}`);
const updates = (d: AuthDriver) =>
  d.sent
    .filter((s) => s.action === 'ReservationStatusUpdate')
    .map((s) => `${s.payload.reservationId}:${s.payload.reservationUpdateStatus}`);

test('H01.FR.01 with ReservationCtrlr.Enabled false every reservation is Rejected', async () => {
  const d = await station(ONE, { 'ReservationCtrlr.Enabled': false });
  assert.is(await reserve(d, { id: 1, evseId: 1 }), 'Rejected');
});

test('H01.FR.03 H01.FR.23 an Available EVSE is reserved: Accepted, then Reserved for every connector of the EVSE', async () => {
  const d = await station(TWO);
  const mark = d.sent.length;
  assert.is(await reserve(d, { id: 1, evseId: 1 }), 'Accepted');
  assert.equal(statuses(d, mark), ['1/1:Reserved', '1/2:Reserved']);
  assert.ok(reservedOn(d.shell, 1, 2) && !reservedOn(d.shell, 2, 1));
});

test('H01.FR.11 H01.FR.12 H01.FR.14 a reserved or occupied EVSE answers Occupied, a faulted one Faulted, an unavailable one Unavailable', async () => {
  const d = await station(TWO);
  await reserve(d, { id: 1, evseId: 1 });
  assert.is(await reserve(d, { id: 2, evseId: 1, idToken: BOB }), 'Occupied');
  d.dispatch({ type: 'cablePlugged', evseId: 2, connectorId: 1 });
  assert.is(await reserve(d, { id: 3, evseId: 2 }), 'Occupied');
  d.dispatch({ type: 'cableUnplugged', evseId: 2, connectorId: 1 });
  d.dispatch({ type: 'connectorFaulted', evseId: 2, connectorId: 1 });
  assert.is(await reserve(d, { id: 4, evseId: 2 }), 'Faulted');
  d.dispatch({ type: 'connectorRecovered', evseId: 2, connectorId: 1 });
  await call(d, 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } });
  assert.is(await reserve(d, { id: 5, evseId: 2 }), 'Unavailable');
  assert.is(await reserve(d, { id: 6, evseId: 9 }), 'Rejected', 'an EVSE that does not exist');
});

test('H01.FR.02 a ReserveNow with the id of a reservation replaces it (token and EVSE)', async () => {
  const d = await station(TWO);
  await reserve(d, { id: 1, evseId: 1 });
  assert.is(
    await reserve(d, { id: 1, evseId: 1, idToken: BOB }),
    'Accepted',
    'its own EVSE is not "occupied" by itself',
  );
  assert.equal(reservationCheck(d.shell, 1, BOB), { verdict: 'mine', reservationId: 1 });
  assert.equal(reservationCheck(d.shell, 1, ALICE), { verdict: 'reserved', reservationId: 1 });
  assert.is(await reserve(d, { id: 1, evseId: 2, idToken: BOB }), 'Accepted');
  assert.ok(!reservedOn(d.shell, 1, 1) && reservedOn(d.shell, 2, 1));
});

test('H01.FR.19 without ReservationCtrlr.NonEvseSpecific a reservation without EVSE is Rejected; H01.FR.18 H01.FR.04 with it, Accepted', async () => {
  const off = await station(TWO);
  assert.is(await reserve(off, { id: 1 }), 'Rejected');
  const on = await station(TWO, { 'ReservationCtrlr.NonEvseSpecific': true });
  assert.is(await reserve(on, { id: 1 }), 'Accepted');
});

test('H01.FR.07 H01.FR.20 an unspecific reservation keeps one EVSE free for its token; when only one is left it shows Reserved', async () => {
  const d = await station(TWO, { 'ReservationCtrlr.NonEvseSpecific': true });
  let mark = d.sent.length;
  await reserve(d, { id: 1 });
  assert.equal(statuses(d, mark), [], 'two free EVSEs, one reservation: nothing held yet');
  assert.equal(reservationCheck(d.shell, 2, BOB), { verdict: 'free' });
  mark = d.sent.length;
  d.dispatch({ type: 'cablePlugged', evseId: 1, connectorId: 1 });
  await d.settle();
  assert.equal(statuses(d, mark), ['1/1:Occupied', '2/1:Reserved']);
  assert.equal(reservationCheck(d.shell, 2, BOB), { verdict: 'reserved', reservationId: 1 });
  assert.equal(reservationCheck(d.shell, 2, ALICE), { verdict: 'mine', reservationId: 1 });
  assert.is(await reserve(d, { id: 2, idToken: BOB }), 'Occupied', 'H01.FR.11: no EVSE left for a second one');
  d.dispatch({ type: 'cableUnplugged', evseId: 1, connectorId: 1 });
  assert.is(await reserve(d, { id: 2, idToken: BOB }), 'Accepted');
  assert.ok(
    reservedOn(d.shell, 1, 1) && reservedOn(d.shell, 1, 2) && reservedOn(d.shell, 2, 1),
    'two reservations, two EVSEs: all held',
  );
});

test('H01.FR.06 H01.FR.09 H01.FR.24 a reservation for a connector type holds the EVSEs with that type', async () => {
  const d = await station(TYPED, { 'ReservationCtrlr.NonEvseSpecific': true });
  const mark = d.sent.length;
  assert.is(await reserve(d, { id: 1, connectorType: 'cType2' }), 'Accepted');
  assert.equal(statuses(d, mark), ['2/1:Reserved', '2/2:Reserved'], 'the only EVSE with cType2: all its connectors');
  assert.equal(reservationCheck(d.shell, 1, BOB), { verdict: 'free' });
  assert.is(await reserve(d, { id: 2, connectorType: 'cType2', idToken: BOB }), 'Occupied');
  assert.is(await reserve(d, { id: 3, connectorType: 'cG105' }), 'Rejected');
});

test('H03.FR.05 a connector-type reservation with a groupIdToken takes a token of the group, on an EVSE with that type only', async () => {
  const d = await station(TYPED, { 'ReservationCtrlr.NonEvseSpecific': true, 'AuthCtrlr.LocalPreAuthorize': true });
  await reserve(d, { id: 4, connectorType: 'cType2', groupIdToken: token('FAMILY', 'Central') });
  d.shell.answer(
    'SendLocalList',
    {
      versionNumber: 1,
      updateType: 'Full',
      localAuthorizationList: [
        { idToken: BOB, idTokenInfo: { status: 'Accepted', groupIdToken: token('FAMILY', 'Central') } },
      ],
    },
    'x',
  );
  const other = d.ask(BOB, { evseId: 1 });
  assert.equal(
    [d.result(other)!.idTokenInfo.status, d.result(other)!.reservationId],
    ['Accepted', undefined],
    'EVSE 1 has no cType2: the reservation is not used there',
  );
  const typed = d.ask(BOB, { evseId: 2 });
  assert.equal([d.result(typed)!.idTokenInfo.status, d.result(typed)!.reservationId], ['Accepted', 4]);
});

test('H03.FR.01 H03.FR.09 H03.FR.10 H01.FR.15 the reserved token is accepted on its EVSE with the reservationId; the EVSE is Available again', async () => {
  const d = await station(TWO);
  await reserve(d, { id: 7, evseId: 1 });
  const mark = d.sent.length;
  const ref = d.ask(ALICE, { evseId: 1 });
  await d.answerAuthorize({ status: 'Accepted' });
  assert.equal([d.result(ref)!.idTokenInfo.status, d.result(ref)!.reservationId], ['Accepted', 7]);
  assert.equal(statuses(d, mark), ['1/1:Available', '1/2:Available']);
  assert.equal(reservationCheck(d.shell, 1, BOB), { verdict: 'free' });
});

test('H03.FR.10 used while an EV is plugged in: the connector becomes Occupied', async () => {
  const d = await station(ONE);
  await reserve(d, { id: 7, evseId: 1 });
  d.dispatch({ type: 'cablePlugged', evseId: 1, connectorId: 1 });
  await d.settle();
  assert.ok(reservedOn(d.shell, 1, 1), 'G03.FR.09: still Reserved while the token is unknown');
  const mark = d.sent.length;
  d.ask(ALICE, { evseId: 1 });
  await d.answerAuthorize({ status: 'Accepted' });
  assert.equal(statuses(d, mark), ['1/1:Occupied']);
});

test('H03.FR.01 another token is refused on a reserved EVSE (NotAtThisTime, refusal reserved) and the reservation stays', async () => {
  const d = await station(TWO);
  await reserve(d, { id: 7, evseId: 1 });
  const ref = d.ask(BOB, { evseId: 1 });
  await d.answerAuthorize({ status: 'Accepted' });
  assert.equal([d.result(ref)!.idTokenInfo.status, d.result(ref)!.refusal], ['NotAtThisTime', 'reserved']);
  assert.ok(reservedOn(d.shell, 1, 1));
  const elsewhere = d.ask(BOB, { evseId: 2 });
  await d.answerAuthorize({ status: 'Accepted' });
  assert.is(d.result(elsewhere)!.idTokenInfo.status, 'Accepted');
});

test("H03.FR.04 H03.FR.08 a token of the reservation's group is accepted; its group comes from the CSMS when not known locally", async () => {
  const d = await station(ONE);
  await reserve(d, { id: 7, evseId: 1, groupIdToken: token('FAMILY', 'Central') });
  const ref = d.ask(BOB, { evseId: 1 });
  assert.equal(d.pending('Authorize')[0]?.payload, { idToken: BOB }, 'H03.FR.08');
  await d.answerAuthorize({ status: 'Accepted', groupIdToken: token('FAMILY', 'Central') });
  assert.equal([d.result(ref)!.idTokenInfo.status, d.result(ref)!.reservationId], ['Accepted', 7]);
});

test('H03.FR.06 H03.FR.07 an unspecific reservation with a groupIdToken takes a token of the group', async () => {
  const d = await station(ONE, { 'ReservationCtrlr.NonEvseSpecific': true, 'AuthCtrlr.LocalPreAuthorize': true });
  await reserve(d, { id: 3, groupIdToken: token('FAMILY', 'Central') });
  assert.ok(reservedOn(d.shell, 1, 1), 'one EVSE, one reservation: Reserved');
  d.shell.answer(
    'SendLocalList',
    {
      versionNumber: 1,
      updateType: 'Full',
      localAuthorizationList: [
        { idToken: BOB, idTokenInfo: { status: 'Accepted', groupIdToken: token('FAMILY', 'Central') } },
      ],
    },
    'x',
  );
  const ref = d.ask(BOB, { evseId: 1 });
  assert.equal([d.result(ref)!.idTokenInfo.status, d.result(ref)!.reservationId], ['Accepted', 3]);
  assert.not.ok(reservedOn(d.shell, 1, 1));
});

test('H02.FR.01 H02.FR.02 CancelReservation: Rejected for an unknown id; otherwise cancelled and the EVSE Available again', async () => {
  const d = await station(ONE);
  assert.equal(await call(d, 'CancelReservation', { reservationId: 1 }), { status: 'Rejected' });
  await reserve(d, { id: 1, evseId: 1 });
  const mark = d.sent.length;
  assert.equal(await call(d, 'CancelReservation', { reservationId: 1 }), { status: 'Accepted' });
  assert.equal(statuses(d, mark), ['1/1:Available']);
  assert.equal(updates(d), [], 'a cancellation by the CSMS is not reported back');
  await d.clock.advance(3_700_000);
  assert.equal(updates(d), [], 'its expiry timer went with it');
});

test('H04.FR.01 H04.FR.02 H04.FR.03 at expiryDateTime the EVSE is Available again, then ReservationStatusUpdate Expired', async () => {
  const d = await station(ONE);
  await reserve(d, { id: 9, evseId: 1, expiryDateTime: new Date(d.shell.now() + 60_000).toISOString() });
  const mark = d.sent.length;
  await d.clock.advance(59_999);
  assert.equal(d.sent.length, mark);
  await d.clock.advance(1);
  assert.equal(
    d.sent.slice(mark).map((s) => `${s.action}:${s.payload.connectorStatus ?? s.payload.reservationUpdateStatus}`),
    ['StatusNotification:Available', 'ReservationStatusUpdate:Expired'],
  );
  assert.equal(reservationCheck(d.shell, 1, BOB), { verdict: 'free' });
});

test('H01.FR.16 H01.FR.17 a reserved EVSE that faults or becomes unavailable loses its reservation: status first, then Removed', async () => {
  const d = await station(TWO);
  await reserve(d, { id: 1, evseId: 1 });
  await reserve(d, { id: 2, evseId: 2 });
  let mark = d.sent.length;
  d.dispatch({ type: 'connectorFaulted', evseId: 1, connectorId: 1 });
  await d.settle();
  assert.equal(updates(d), [], 'one of two connectors faulted: the EVSE can still be used');
  d.dispatch({ type: 'connectorFaulted', evseId: 1, connectorId: 2 });
  await d.settle();
  assert.equal(
    d.sent
      .slice(mark)
      .map((s) => s.action)
      .slice(-1),
    ['ReservationStatusUpdate'],
  );
  assert.equal(updates(d), ['1:Removed']);
  mark = d.sent.length;
  await call(d, 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } });
  assert.equal(
    d.sent.slice(mark).map((s) => `${s.action}:${s.payload.connectorStatus ?? s.payload.reservationUpdateStatus}`),
    ['StatusNotification:Unavailable', 'ReservationStatusUpdate:Removed'],
  );
});

test("H01.FR.17 a station-wide Inoperative answered Scheduled (a transaction on another EVSE) removes the idle EVSE's reservation at once", async () => {
  const d = await station(TWO);
  d.standIn.transactions.add(1);
  await reserve(d, { id: 6, evseId: 2 });
  assert.equal(await call(d, 'ChangeAvailability', { operationalStatus: 'Inoperative' }), { status: 'Scheduled' });
  assert.equal(updates(d), ['6:Removed']);
});

test('H01.FR.17 an unspecific reservation no EVSE is left for is Removed', async () => {
  const d = await station(TWO, { 'ReservationCtrlr.NonEvseSpecific': true });
  await reserve(d, { id: 1 });
  await call(d, 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1 } });
  assert.equal(updates(d), []);
  await call(d, 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } });
  assert.equal(updates(d), ['1:Removed']);
});

test('B01.FR.13 B11.FR.05 a reservation survives a restart: the connector is reported Reserved after the boot', async () => {
  const store = openSqliteStore(':memory:');
  const first = await station(ONE, {}, store);
  await reserve(first, { id: 4, evseId: 1 });
  first.shell.stop();
  const second = authDriver({ evses: ONE, store });
  second.dispatch({ type: 'started', reason: 'RemoteReset' });
  await second.goOnline();
  assert.equal(statuses(second), ['1/1:Reserved']);
  assert.equal(reservationCheck(second.shell, 1, BOB), { verdict: 'reserved', reservationId: 4 });
});

test('H04.FR.01 a reservation that expired while the station was off ends at the restart; the update goes out once online', async () => {
  const store = openSqliteStore(':memory:');
  const first = await station(ONE, {}, store);
  await reserve(first, { id: 4, evseId: 1, expiryDateTime: new Date(first.shell.now() + 60_000).toISOString() });
  first.shell.stop();
  const second = authDriver({ evses: ONE, store });
  await second.clock.advance(120_000);
  second.dispatch({ type: 'started', reason: 'PowerUp' });
  await second.settle();
  assert.not.ok(reservedOn(second.shell, 1, 1));
  await second.goOnline();
  assert.equal(updates(second), ['4:Expired']);
  assert.equal(statuses(second), ['1/1:Available']);
});

test('ReservationStatusUpdate that cannot be delivered is kept and sent after the next reconnect', async () => {
  const d = await station(ONE);
  await reserve(d, { id: 5, evseId: 1, expiryDateTime: new Date(d.shell.now() + 1000).toISOString() });
  await d.clock.advance(1000);
  d.pending('ReservationStatusUpdate')[0]!.fail({ status: 'notSent', reason: 'offline' });
  await d.settle();
  await d.goOffline();
  d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
  await d.settle();
  assert.equal(updates(d), ['5:Expired', '5:Expired']);
  d.pending('ReservationStatusUpdate')[0]!.answer({});
  await d.settle();
  await d.goOffline();
  d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
  await d.settle();
  assert.is(updates(d).length, 2, 'answered: not sent again');
});

test('H03.FR.09 a transaction started with the reservationId uses the reservation up', async () => {
  const d = await station(ONE);
  await reserve(d, { id: 8, evseId: 1 });
  d.dispatch({
    type: 'transaction.started',
    evseId: 1,
    connectorId: 1,
    transactionId: 'tx1',
    idToken: ALICE,
    reservationId: 8,
  });
  await d.settle();
  assert.not.ok(reservedOn(d.shell, 1, 1));
  await d.clock.advance(3_700_000);
  assert.equal(updates(d), [], 'no expiry for a used reservation');
});

test('H03.FR.11 (2.1) a reservation used by an authorization that no transaction follows within EVConnectionTimeOut: NoTransaction', async () => {
  const d = authDriver({ evses: ONE, variables: { 'TxCtrlr.EVConnectionTimeOut': 30 } });
  d.dispatch({ type: 'connected', version: 'ocpp2.1' });
  d.pending('BootNotification')[0]!.answer({
    status: 'Accepted',
    interval: 300,
    currentTime: new Date(d.clock.now()).toISOString(),
  });
  await d.settle();
  await reserve(d, { id: 3, evseId: 1 });
  d.ask(ALICE, { evseId: 1 });
  await d.answerAuthorize({ status: 'Accepted' });
  await d.clock.advance(30_000);
  assert.equal(updates(d), ['3:NoTransaction']);

  const v201 = await station(ONE, { 'TxCtrlr.EVConnectionTimeOut': 30 });
  await reserve(v201, { id: 3, evseId: 1 });
  v201.ask(ALICE, { evseId: 1 });
  await v201.answerAuthorize({ status: 'Accepted' });
  await v201.clock.advance(30_000);
  assert.equal(updates(v201), [], '2.0.1 has no NoTransaction status');
});

test('reservationCheck tells F whether a RequestStartTransaction may use a reserved EVSE: another token and group are refused', async () => {
  const d = await station(TWO);
  await reserve(d, { id: 1, evseId: 1, groupIdToken: token('FAMILY', 'Central') });
  assert.equal(reservationCheck(d.shell, 1, BOB), { verdict: 'reserved', reservationId: 1 });
  assert.equal(reservationCheck(d.shell, 1, BOB, token('family', 'Central')), { verdict: 'mine', reservationId: 1 });
  assert.equal(reservationCheck(d.shell, 1, ALICE), { verdict: 'mine', reservationId: 1 });
  assert.equal(reservationCheck(d.shell, undefined, ALICE), { verdict: 'mine', reservationId: 1 });
  assert.equal(reservationCheck(d.shell, 2, BOB), { verdict: 'free' });
});

test('a ReserveNow whose expiryDateTime has passed is Rejected', async () => {
  const d = await station(ONE);
  assert.is(
    await reserve(d, { id: 1, evseId: 1, expiryDateTime: new Date(d.shell.now() - 1).toISOString() }),
    'Rejected',
  );
});

test.run();
