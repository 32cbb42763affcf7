// G01 Status Notification, G03/G04 Change Availability, G05 Lock Failure over real sockets with a real store file.
// In the cases with a transaction, use case E runs one while a cable is plugged in (test/support/plug-transactions.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sleep, until } from '../support/rpc-harness.js';
import { PLUG_TRANSACTIONS } from '../support/plug-transactions.js';
import { startPair, type Pair } from '../support/station-harness.js';
import type { ChargingStationOptions } from '../../runtime/station/options.js';

const layout = [
  { id: 1, connectors: [{ id: 1 }, { id: 2 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

interface Setup {
  pair: Pair;
  hardware: Array<[number, number, boolean]>;
  /** StatusNotifications from now on, as [evseId, connectorId, status]. */
  statuses(): Array<[number, number, string]>;
  change(request: Record<string, unknown>): Promise<unknown>;
}

async function booted(extra: Partial<ChargingStationOptions> = {}): Promise<Setup> {
  const hardware: Array<[number, number, boolean]> = [];
  const pair = await startPair({
    station: {
      evses: layout,
      hardware: { setConnectorAvailability: (e, c, op) => void hardware.push([e, c, op]) },
      ...extra,
    },
  });
  await until(
    () => pair.station.registration === 'Accepted' && pair.sent('StatusNotification').length === 3,
    3000,
    'booted',
  );
  let from = pair.sent('StatusNotification').length;
  return {
    pair,
    hardware,
    statuses() {
      const list = pair.sent('StatusNotification').slice(from);
      from += list.length;
      return list.map((m) => [
        (m.request as any).evseId,
        (m.request as any).connectorId,
        (m.request as any).connectorStatus,
      ]);
    },
    change: (request) => pair.csms.call(pair.identity, 'ChangeAvailability', request),
  };
}

const settle = () => sleep(80);

test('TC_G_01_CS TC_G_02_CS G01.FR.01 G01.FR.03 G01.FR.04 G01.FR.08 plugged: Occupied; unplugged: Available; the EVSE’s other connector is not reported', async () => {
  const s = await booted();
  try {
    s.pair.station.cablePlugged(1, 2);
    await s.pair.waitFor('StatusNotification', (m) => (m.request as any).connectorStatus === 'Occupied');
    s.pair.station.cableUnplugged(1, 2);
    await s.pair.waitFor(
      'StatusNotification',
      (m) => (m.request as any).connectorStatus === 'Available' && (m.request as any).connectorId === 2,
    );
    await settle();
    assert.equal(s.statuses(), [
      [1, 2, 'Occupied'],
      [1, 2, 'Available'],
    ]);
  } finally {
    await s.pair.close();
  }
});

test('G01.FR.01 a fault shows Faulted until it is over', async () => {
  const s = await booted();
  try {
    s.pair.station.connectorFaulted(2);
    s.pair.station.connectorRecovered(2);
    await until(() => s.pair.sent('StatusNotification').length === 5, 3000, 'two statuses');
    assert.equal(s.statuses(), [
      [2, 1, 'Faulted'],
      [2, 1, 'Available'],
    ]);
  } finally {
    await s.pair.close();
  }
});

test('TC_G_03_CS TC_G_04_CS G03.FR.01 G03.FR.02 G03.FR.04 G03.FR.06 G03.FR.07 G01.FR.07 EVSE Inoperative: its connectors Unavailable (and disabled); Operative: back', async () => {
  const s = await booted();
  try {
    assert.equal(await s.change({ operationalStatus: 'Inoperative', evse: { id: 1 } }), { status: 'Accepted' });
    await until(() => s.pair.sent('StatusNotification').length === 5, 3000, 'two statuses');
    assert.equal(s.statuses().sort(), [
      [1, 1, 'Unavailable'],
      [1, 2, 'Unavailable'],
    ]);
    assert.equal(s.hardware, [
      [1, 1, false],
      [1, 2, false],
    ]);
    assert.equal(await s.change({ operationalStatus: 'Operative', evse: { id: 1 } }), { status: 'Accepted' });
    await until(() => s.pair.sent('StatusNotification').length === 7, 3000, 'two statuses');
    assert.equal(s.statuses().sort(), [
      [1, 1, 'Available'],
      [1, 2, 'Available'],
    ]);
    assert.equal(s.hardware.slice(2), [
      [1, 1, true],
      [1, 2, true],
    ]);
  } finally {
    await s.pair.close();
  }
});

test('TC_G_05_CS TC_G_06_CS G04.FR.01 G04.FR.02 G04.FR.03 G04.FR.05 G04.FR.07 G04.FR.08 station Inoperative: every connector Unavailable; Operative: back', async () => {
  const s = await booted();
  try {
    assert.equal(await s.change({ operationalStatus: 'Inoperative' }), { status: 'Accepted' });
    await until(() => s.pair.sent('StatusNotification').length === 6, 3000, 'three statuses');
    assert.equal(
      s.statuses().map((x) => x[2]),
      ['Unavailable', 'Unavailable', 'Unavailable'],
    );
    assert.equal(await s.change({ operationalStatus: 'Operative' }), { status: 'Accepted' });
    await until(() => s.pair.sent('StatusNotification').length === 9, 3000, 'three statuses');
    assert.equal(
      s.statuses().map((x) => x[2]),
      ['Available', 'Available', 'Available'],
    );
  } finally {
    await s.pair.close();
  }
});

test('TC_G_07_CS TC_G_08_CS G03.FR.06 G03.FR.07 connector Inoperative and back; each tier keeps its own state (Note 1)', async () => {
  const s = await booted();
  try {
    assert.equal(await s.change({ operationalStatus: 'Inoperative', evse: { id: 1, connectorId: 2 } }), {
      status: 'Accepted',
    });
    await s.pair.waitFor('StatusNotification', (m) => (m.request as any).connectorStatus === 'Unavailable');
    await settle();
    assert.equal(s.statuses(), [[1, 2, 'Unavailable']]);
    // Note 1 of G03: connector Inoperative, EVSE Inoperative, EVSE Operative: the connector stays Unavailable.
    await s.change({ operationalStatus: 'Inoperative', evse: { id: 1 } });
    await s.change({ operationalStatus: 'Operative', evse: { id: 1 } });
    await until(() => s.pair.sent('StatusNotification').length === 6, 3000, 'connector 1 down and up');
    await settle();
    assert.equal(s.statuses(), [
      [1, 1, 'Unavailable'],
      [1, 1, 'Available'],
    ]);
    assert.equal(await s.change({ operationalStatus: 'Operative', evse: { id: 1, connectorId: 2 } }), {
      status: 'Accepted',
    });
    await s.pair.waitFor(
      'StatusNotification',
      (m) => (m.request as any).connectorId === 2 && (m.request as any).connectorStatus === 'Available',
    );
  } finally {
    await s.pair.close();
  }
});

test('TC_G_09_CS TC_G_10_CS TC_G_12_CS TC_G_13_CS TC_G_15_CS TC_G_16_CS G03.FR.03 G04.FR.04 a change to the state it is already in is Accepted and reports nothing', async () => {
  const s = await booted();
  try {
    for (const evse of [undefined, { id: 1 }, { id: 1, connectorId: 1 }]) {
      assert.equal(await s.change({ operationalStatus: 'Operative', ...(evse ? { evse } : {}) }), {
        status: 'Accepted',
      });
    }
    await settle();
    assert.equal(s.statuses(), []);
    await s.change({ operationalStatus: 'Inoperative', evse: { id: 2 } });
    await s.pair.waitFor(
      'StatusNotification',
      (m) => (m.request as any).evseId === 2 && (m.request as any).connectorStatus === 'Unavailable',
    );
    s.statuses();
    assert.equal(await s.change({ operationalStatus: 'Inoperative', evse: { id: 2 } }), { status: 'Accepted' });
    await settle();
    assert.equal(s.statuses(), []);
  } finally {
    await s.pair.close();
  }
});

test('G03.FR.02 an EVSE or connector that does not exist is Rejected', async () => {
  const s = await booted();
  try {
    assert.equal(await s.change({ operationalStatus: 'Inoperative', evse: { id: 3 } }), {
      status: 'Rejected',
      statusInfo: { reasonCode: 'UnknownEvse' },
    });
    assert.equal(await s.change({ operationalStatus: 'Inoperative', evse: { id: 2, connectorId: 2 } }), {
      status: 'Rejected',
      statusInfo: { reasonCode: 'UnknownConnectorId' },
    });
  } finally {
    await s.pair.close();
  }
});

test('TC_G_18_CS TC_G_19_CS TC_G_21_CS G03.FR.08 G04.FR.09 G01.FR.02 B01.FR.07 set availability persists across a reboot', async () => {
  const s = await booted();
  try {
    await s.change({ operationalStatus: 'Inoperative', evse: { id: 2 } });
    await s.change({ operationalStatus: 'Inoperative', evse: { id: 1, connectorId: 1 } });
    await until(() => s.pair.sent('StatusNotification').length === 5, 3000, 'two statuses');
    const station = await s.pair.restart();
    await until(
      () => station.registration === 'Accepted' && s.pair.sent('StatusNotification').length === 8,
      3000,
      'statuses after the reboot',
    );
    s.statuses();
    assert.equal(
      s.pair
        .sent('StatusNotification')
        .slice(5)
        .map((m) => [(m.request as any).evseId, (m.request as any).connectorId, (m.request as any).connectorStatus])
        .sort(),
      [
        [1, 1, 'Unavailable'],
        [1, 2, 'Available'],
        [2, 1, 'Unavailable'],
      ],
    );
    // TC_G_21_CS: the station tier too.
    await s.change({ operationalStatus: 'Inoperative' });
    await until(() => s.pair.sent('StatusNotification').length === 9, 3000, 'connector 1/2 Unavailable');
    const again = await s.pair.restart();
    await until(
      () => again.registration === 'Accepted' && s.pair.sent('StatusNotification').length === 12,
      3000,
      'statuses after the second reboot',
    );
    assert.equal(
      s.pair
        .sent('StatusNotification')
        .slice(9)
        .map((m) => (m.request as any).connectorStatus),
      ['Unavailable', 'Unavailable', 'Unavailable'],
    );
  } finally {
    await s.pair.close();
  }
});

test('TC_G_11_CS TC_G_17_CS G03.FR.05 G01.FR.05 EVSE/connector Inoperative while charging: Scheduled, Unavailable once the transaction ended', async () => {
  const s = await booted({ variables: PLUG_TRANSACTIONS });
  try {
    s.pair.station.cablePlugged(1, 1);
    await s.pair.waitFor('TransactionEvent');
    assert.equal(await s.change({ operationalStatus: 'Inoperative', evse: { id: 1 } }), { status: 'Scheduled' });
    assert.equal(await s.change({ operationalStatus: 'Inoperative', evse: { id: 1, connectorId: 1 } }), {
      status: 'Scheduled',
    });
    await settle();
    assert.equal(s.statuses(), [[1, 1, 'Occupied']], 'only the plug-in so far');
    assert.equal(s.hardware, [], 'still usable while the transaction runs');
    s.pair.station.cableUnplugged(1, 1);
    await until(() => s.pair.sent('StatusNotification').length === 6, 3000, 'Unavailable');
    assert.equal(
      s.statuses().sort(),
      [
        [1, 1, 'Unavailable'],
        [1, 2, 'Unavailable'],
      ],
      'G01.FR.05: Unavailable, not Available, when the EV leaves',
    );
  } finally {
    await s.pair.close();
  }
});

test('TC_G_14_CS G04.FR.06 station Inoperative while one EVSE charges: Scheduled; the idle EVSE at once, the busy one after its transaction', async () => {
  const s = await booted({ variables: PLUG_TRANSACTIONS });
  try {
    s.pair.station.cablePlugged(1, 1);
    await s.pair.waitFor('TransactionEvent');
    await s.pair.waitFor('StatusNotification', (m) => (m.request as any).connectorStatus === 'Occupied');
    s.statuses();
    assert.equal(await s.change({ operationalStatus: 'Inoperative' }), { status: 'Scheduled' });
    await s.pair.waitFor(
      'StatusNotification',
      (m) => (m.request as any).evseId === 2 && (m.request as any).connectorStatus === 'Unavailable',
    );
    await settle();
    assert.equal(s.statuses(), [[2, 1, 'Unavailable']]);
    s.pair.station.cableUnplugged(1, 1);
    await until(() => s.pair.sent('StatusNotification').length === 7, 3000, 'EVSE 1 Unavailable');
    assert.equal(s.statuses().sort(), [
      [1, 1, 'Unavailable'],
      [1, 2, 'Unavailable'],
    ]);
  } finally {
    await s.pair.close();
  }
});

test('TC_G_20_CS G05.FR.02 a plug retention lock failure is reported as ConnectorPlugRetentionLock Problem', async () => {
  const s = await booted();
  try {
    s.pair.station.cablePlugged(1, 1);
    s.pair.station.connectorLockFailed(1, 1);
    const event = await s.pair.waitFor('NotifyEvent');
    const data = (event.request as any).eventData[0];
    assert.equal(
      [data.trigger, data.component.name, data.component.evse, data.variable.name, data.actualValue],
      ['Delta', 'ConnectorPlugRetentionLock', { id: 1, connectorId: 1 }, 'Problem', 'true'],
    );
    s.pair.station.cableUnplugged(1, 1);
    const cleared = await s.pair.waitFor('NotifyEvent', (m) => m !== event);
    assert.is((cleared.request as any).eventData[0].actualValue, 'false');
    assert.ok((cleared.request as any).eventData[0].eventId > data.eventId, 'eventIds are not reused');
  } finally {
    await s.pair.close();
  }
});

test.run();
