// G01/G03 with a reservation, over real sockets: an EV connecting to a reserved connector leaves it Reserved until
// the reservation's own token is presented; then it is Occupied. The station's own blocks C, D, G and H decide.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { token } from '../support/authorization-driver.js';
import { withAuthPair } from '../support/authorization-pair.js';
import { sleep } from '../support/rpc-harness.js';

const HOLDER = token('04A1B2C3D4');
const OTHER = token('04A1B2C3D5');
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

test("G01.FR.09 G03.FR.09 G01.FR.06 a reserved connector stays Reserved when an EV connects with no token or another one; the reservation's token makes it Occupied", () =>
  withAuthPair({ station: { evses: [{ id: 1, connectors: [{ id: 1 }] }] } }, async (a) => {
    let mark = a.mark();
    assert.equal(await a.call('ReserveNow', { id: 21, evseId: 1, expiryDateTime: inAnHour(), idToken: HOLDER }), {
      status: 'Accepted',
    });
    await a.statuses(mark, { '1/1': 'Reserved' });
    // G01.FR.09, G03.FR.09: no token yet, then a token that is not the reservation's: no status change.
    mark = a.mark();
    a.pair.station.cablePlugged(1, 1);
    await sleep(200);
    const other = await a.present(OTHER, 1);
    assert.is(other.idTokenInfo.status, 'NotAtThisTime', 'the other token may not use the reserved EVSE');
    await sleep(200);
    assert.equal(a.sentSince('StatusNotification', mark), [], 'still Reserved, nothing reported');
    // G01.FR.06: the reservation's token: Occupied.
    const holder = await a.present(HOLDER, 1);
    assert.equal([holder.idTokenInfo.status, holder.reservationId], ['Accepted', 21]);
    await a.statuses(mark, { '1/1': 'Occupied' });
    const reported = a.sentSince('StatusNotification', mark).map((m) => (m.request as any).connectorStatus);
    assert.equal(reported, ['Occupied'], 'straight from Reserved to Occupied');
  }));

test.run();
