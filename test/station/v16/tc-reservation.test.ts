// OCTT 1.6 test cases of the Reservation profile (TC_046–TC_053) over real sockets against the built-in CSMS in
// 1.6: ReserveNow (§5.13) on a connector and on the Charge Point (connector 0, ReserveConnectorZeroSupported),
// its answers Faulted / Occupied / Unavailable / Rejected, expiry, CancelReservation (§5.1), use by the idTag or
// its parentIdTag (§3.11), reservationId in StartTransaction.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { accepted, charge, startPair16, tag, type Pair16 } from '../../support/pair16.js';

async function withPair(body: (p: Pair16) => Promise<void>): Promise<void> {
  const p = await startPair16({ station: { variables: { AuthorizeRemoteTxRequests: false } } });
  try {
    await accepted(p);
    await p.status(1, 'Available');
    await body(p);
  } finally {
    await p.close();
  }
}

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const reserve = (
  p: Pair16,
  connectorId: number,
  idTag: string,
  reservationId: number,
  seconds = 60,
  parentIdTag?: string,
) =>
  p.call('ReserveNow', {
    connectorId,
    idTag,
    reservationId,
    expiryDate: inSeconds(seconds),
    ...(parentIdTag ? { parentIdTag } : {}),
  });
const req = (m: { request: unknown }) => m.request as Record<string, any>;

test('TC_046_1_CS reserve a connector, local start by the idTag (§5.13, §3.11): Reserved, StartTransaction with the reservationId, Charging', async () => {
  await withPair(async (p) => {
    assert.equal(await reserve(p, 1, 'RES1', 11), { status: 'Accepted' });
    await p.status(1, 'Reserved');
    // Another idTag cannot use it.
    p.station.cablePlugged(1);
    p.station.idTokenPresented(tag('OTHER'), 1);
    await p.waitFor('Authorize', (m) => req(m).idTag === 'OTHER');
    p.station.idTokenPresented(tag('RES1'), 1);
    const start = await p.waitFor('StartTransaction');
    assert.equal([req(start).idTag, req(start).reservationId], ['RES1', 11]);
    await p.status(1, 'Charging');
  });
});

test('TC_046_2_CS reserve a connector, remote start by the idTag (§5.11, §3.11)', async () => {
  await withPair(async (p) => {
    await reserve(p, 1, 'RES1', 12);
    assert.equal(await p.call('RemoteStartTransaction', { idTag: 'OTHER', connectorId: 1 }), { status: 'Rejected' });
    assert.equal(await p.call('RemoteStartTransaction', { idTag: 'RES1', connectorId: 1 }), { status: 'Accepted' });
    p.station.cablePlugged(1);
    const start = await p.waitFor('StartTransaction');
    assert.equal([req(start).idTag, req(start).reservationId], ['RES1', 12]);
  });
});

test('TC_047_CS reservation expires (§5.13): Reserved, then Available at expiryDate', async () => {
  await withPair(async (p) => {
    await reserve(p, 1, 'RES1', 13, 1);
    await p.status(1, 'Reserved');
    const since = p.csms.log.length - 1;
    await p.csms.waitFor(
      (m) => m.action === 'StatusNotification' && req(m).connectorId === 1 && req(m).status === 'Available',
      5000,
      since,
    );
  });
});

test('TC_048_1_CS / TC_048_2_CS / TC_048_3_CS / TC_048_4_CS reserve a connector that is Faulted, Occupied, Unavailable, or does not exist (§5.13)', async () => {
  await withPair(async (p) => {
    p.station.connectorFaulted(1);
    await p.status(1, 'Faulted');
    assert.equal(await reserve(p, 1, 'R', 1), { status: 'Faulted' });
    p.station.connectorRecovered(1);
    await charge(p);
    assert.equal(await reserve(p, 1, 'R', 2), { status: 'Occupied' });
    p.station.idTokenPresented(tag('TAG1'));
    await p.waitFor('StopTransaction');
    p.station.cableUnplugged(1);
    await p.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' });
    await p.status(1, 'Unavailable');
    assert.equal(await reserve(p, 1, 'R', 3), { status: 'Unavailable' });
    assert.equal(await reserve(p, 5, 'R', 4), { status: 'Rejected' });
  });
});

test('TC_049_CS reserve the Charge Point (connector 0, §9.3.1): Accepted; the idTag starts on a connector with the reservationId', async () => {
  await withPair(async (p) => {
    assert.equal(await reserve(p, 0, 'RES0', 21), { status: 'Accepted' });
    p.station.cablePlugged(1);
    p.station.idTokenPresented(tag('OTHER'), 1);
    await p.waitFor('Authorize', (m) => req(m).idTag === 'OTHER');
    p.station.idTokenPresented(tag('RES0'), 1);
    const start = await p.waitFor('StartTransaction');
    assert.equal([req(start).idTag, req(start).reservationId], ['RES0', 21]);
  });
});

test('TC_050_1_CS / TC_050_2_CS / TC_050_3_CS reserve the Charge Point when no connector is free (§5.13): Faulted, Occupied, Unavailable', async () => {
  await withPair(async (p) => {
    p.station.connectorFaulted(1);
    await p.status(1, 'Faulted');
    assert.equal(await reserve(p, 0, 'R', 1), { status: 'Faulted' });
    p.station.connectorRecovered(1);
    await charge(p);
    assert.equal(await reserve(p, 0, 'R', 2), { status: 'Occupied' });
    p.station.idTokenPresented(tag('TAG1'));
    await p.waitFor('StopTransaction');
    p.station.cableUnplugged(1);
    await p.call('ChangeAvailability', { connectorId: 0, type: 'Inoperative' });
    await p.status(0, 'Unavailable');
    assert.equal(await reserve(p, 0, 'R', 3), { status: 'Unavailable' });
  });
});

test('TC_050_4_CS reserve the Charge Point without ReserveConnectorZeroSupported (§9.3.1): Rejected', async () => {
  const p = await startPair16({ station: { variables: { ReserveConnectorZeroSupported: false } } });
  try {
    await accepted(p);
    assert.equal(await reserve(p, 0, 'R', 1), { status: 'Rejected' });
    assert.equal(await reserve(p, 1, 'R', 2), { status: 'Accepted' });
  } finally {
    await p.close();
  }
});

test('TC_051_CS / TC_052_CS cancel a reservation (§5.1): Accepted and Available; an unknown id Rejected', async () => {
  await withPair(async (p) => {
    await reserve(p, 1, 'RES1', 31);
    await p.status(1, 'Reserved');
    assert.equal(await p.call('CancelReservation', { reservationId: 31 }), { status: 'Accepted' });
    await p.waitFor(
      'StatusNotification',
      (m) => req(m).status === 'Available' && p.sent('StatusNotification').length > 3,
    );
    assert.equal(await p.call('CancelReservation', { reservationId: 31 }), { status: 'Rejected' });
  });
});

test('TC_053_CS use a reserved connector with the parentIdTag (§3.11): another idTag of the same parent starts', async () => {
  await withPair(async (p) => {
    p.csms.respond('Authorize', () => ({ idTagInfo: { status: 'Accepted', parentIdTag: 'FLEET' } }));
    await reserve(p, 1, 'DRIVER1', 41, 60, 'FLEET');
    p.station.cablePlugged(1);
    p.station.idTokenPresented(tag('DRIVER2'), 1);
    const start = await p.waitFor('StartTransaction');
    assert.equal([req(start).idTag, req(start).reservationId], ['DRIVER2', 41]);
  });
});

test.run();
