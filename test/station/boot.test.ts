// B01–B03 booting, against the built-in CSMS over a real socket, with a real store file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../runtime/queue/clock.js';
import { CallErrorResponse } from '../../runtime/rpc/errors.js';
import { sleep, until } from '../support/rpc-harness.js';
import { startPair } from '../support/station-harness.js';

const twoEvses = {
  evses: [
    { id: 1, connectors: [{ id: 1 }, { id: 2 }] },
    { id: 2, connectors: [{ id: 1 }] },
  ],
};

test('TC_B_01_CS B01.FR.01 B01.FR.09 B01.FR.05 B01.FR.08 cold boot: BootNotification with reason PowerUp, then every connector status', async () => {
  const pair = await startPair({ station: twoEvses });
  try {
    const boot = await pair.waitFor('BootNotification');
    assert.equal(boot.request, { reason: 'PowerUp', chargingStation: { model: 'TestModel', vendorName: 'ocppkit' } });
    for (const [evseId, connectorId] of [
      [1, 1],
      [1, 2],
      [2, 1],
    ]) {
      const s = await pair.waitFor(
        'StatusNotification',
        (m) => (m.request as any).evseId === evseId && (m.request as any).connectorId === connectorId,
      );
      assert.is((s.request as any).connectorStatus, 'Available');
    }
    // B01.FR.08: nothing before the BootNotification was accepted.
    const first = pair.csms.received(pair.identity)[0];
    assert.is(first?.action, 'BootNotification');
    assert.is(pair.station.registration, 'Accepted');
  } finally {
    await pair.close();
  }
});

test('A04.FR.01 A04.FR.02 start-up is reported as security event StartupOfTheDevice, after the boot was accepted', async () => {
  const pair = await startPair();
  try {
    const event = await pair.waitFor('SecurityEventNotification');
    assert.is((event.request as any).type, 'StartupOfTheDevice');
    const log = pair.csms.received(pair.identity);
    assert.ok(
      log.findIndex((m) => m.action === 'BootNotification') < log.indexOf(event),
      'queued until Accepted (B01.FR.08)',
    );
  } finally {
    await pair.close();
  }
});

test('TC_B_02_CS B02.FR.01 B02.FR.02 B02.FR.05 B02.FR.06 F06.FR.17 Pending: requests are served, nothing else is sent, a triggered boot is accepted', async () => {
  let status: 'Pending' | 'Accepted' = 'Pending';
  const pair = await startPair({ csms: { bootStatus: () => status, heartbeatInterval: 300 }, station: twoEvses });
  const { csms, identity } = pair;
  try {
    await pair.waitFor('BootNotification');
    await until(() => pair.station.registration === 'Pending', 3000, 'Pending');
    pair.station.cablePlugged(1, 1);
    // B02.FR.01: the CSMS may ask, and the station answers.
    const changed = await csms.call(identity, 'ChangeAvailability', {
      operationalStatus: 'Operative',
      evse: { id: 2 },
    });
    assert.equal(changed, { status: 'Accepted' });
    // B02.FR.05: RequestStartTransaction is Rejected while Pending.
    const start = await csms.call(identity, 'RequestStartTransaction', {
      idToken: { idToken: 'TAG1', type: 'ISO14443' },
      remoteStartId: 1,
    });
    assert.equal(start, { status: 'Rejected', statusInfo: { reasonCode: 'CSNotAccepted' } });
    const stop = await csms.call(identity, 'RequestStopTransaction', { transactionId: 'tx1' });
    assert.is((stop as any).status, 'Rejected');
    // B02.FR.02: a triggered message may go out while Pending.
    assert.equal(
      await csms.call(identity, 'TriggerMessage', {
        requestedMessage: 'StatusNotification',
        evse: { id: 1, connectorId: 1 },
      }),
      { status: 'Accepted' },
    );
    const triggered = await pair.waitFor('StatusNotification');
    assert.is((triggered.request as any).connectorStatus, 'Occupied');
    await sleep(100);
    assert.equal(
      pair.csms.received(identity).map((m) => m.action),
      ['BootNotification', 'StatusNotification'],
      'B02.FR.02: only BootNotification and what was triggered',
    );
    // B02.FR.06: the connection stays open while Pending.
    assert.ok(csms.isConnected(identity) && pair.station.connected);
    // F06.FR.17 (not yet Accepted): TriggerMessage BootNotification is accepted and sent with reason Triggered.
    status = 'Accepted';
    assert.equal(await csms.call(identity, 'TriggerMessage', { requestedMessage: 'BootNotification' }), {
      status: 'Accepted',
    });
    const again = await pair.waitFor('BootNotification', (m) => (m.request as any).reason === 'Triggered');
    assert.ok(again);
    // B01.FR.05: every connector after the acceptance.
    for (const [evseId, connectorId, expected] of [
      [1, 1, 'Occupied'],
      [1, 2, 'Available'],
      [2, 1, 'Available'],
    ] as const) {
      const s = await pair.waitFor(
        'StatusNotification',
        (m) =>
          (m.request as any).evseId === evseId && (m.request as any).connectorId === connectorId && m !== triggered,
      );
      assert.is((s.request as any).connectorStatus, expected);
    }
  } finally {
    await pair.close();
  }
});

test('TC_B_03_CS B03.FR.02 B03.FR.06 Rejected: silence until the interval has passed, then BootNotification again', async () => {
  const clock = new ManualClock(Date.now());
  let boots = 0;
  const pair = await startPair({
    csms: { bootStatus: () => (++boots === 1 ? 'Rejected' : 'Accepted'), heartbeatInterval: 20 },
    station: { clock, random: () => 0 },
  });
  const { identity } = pair;
  try {
    await pair.waitFor('BootNotification');
    await until(() => pair.station.registration === 'Rejected', 3000, 'Rejected');
    pair.station.cablePlugged(1, 1);
    await clock.advance(19_999);
    await sleep(100);
    assert.equal(
      pair.csms.received(identity).map((m) => m.action),
      ['BootNotification'],
      'B03.FR.02: no message before the interval',
    );
    await clock.advance(1);
    await pair.waitFor('BootNotification', (m) => m !== pair.sent('BootNotification')[0]);
    const s = await pair.waitFor('StatusNotification');
    assert.is((s.request as any).connectorStatus, 'Occupied', 'statuses follow the acceptance');
  } finally {
    await pair.close();
  }
});

test('TC_B_30_CS B03.FR.08 Rejected: every CSMS request gets CALLERROR SecurityError', async () => {
  const pair = await startPair({ csms: { bootStatus: 'Rejected' } });
  const { csms, identity } = pair;
  try {
    await until(() => pair.station.registration === 'Rejected', 3000, 'Rejected');
    for (const [action, payload] of [
      ['GetBaseReport', { requestId: 1, reportBase: 'FullInventory' }],
      ['ChangeAvailability', { operationalStatus: 'Inoperative' }],
      ['TriggerMessage', { requestedMessage: 'BootNotification' }],
    ] as const) {
      const error = await csms.call(identity, action, payload).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.instance(error, CallErrorResponse, action);
      assert.is((error as CallErrorResponse).code, 'SecurityError', action);
    }
  } finally {
    await pair.close();
  }
});

test('B01.FR.04 B01.FR.06 G02.FR.01 G02.FR.02 heartbeat at the interval the CSMS gave; the clock comes from the CSMS', async () => {
  const clock = new ManualClock(Date.UTC(2020, 0, 1));
  const pair = await startPair({ csms: { heartbeatInterval: 30 }, station: { clock } });
  try {
    await until(() => pair.station.registration === 'Accepted', 3000, 'Accepted');
    await clock.advance(29_000);
    await sleep(50);
    assert.is(pair.sent('Heartbeat').length, 0);
    await clock.advance(1_000);
    await pair.waitFor('Heartbeat');
    // The station's clock started in 2020; its messages now carry the CSMS's time (B01.FR.06).
    pair.station.cablePlugged(1, 1);
    const s = await pair.waitFor('StatusNotification', (m) => (m.request as any).connectorStatus === 'Occupied');
    assert.ok(Math.abs(Date.parse((s.request as any).timestamp) - Date.now()) < 60_000, (s.request as any).timestamp);
  } finally {
    await pair.close();
  }
});

test('G02.FR.03 G02.FR.06 the built-in CSMS answers Heartbeat with its current time; the station takes it as its clock', async () => {
  const clock = new ManualClock(Date.now());
  // A long interval: only the triggered Heartbeat below goes out.
  const pair = await startPair({ csms: { heartbeatInterval: 172_800 }, station: { clock } });
  try {
    await until(() => pair.station.registration === 'Accepted', 3000, 'Accepted');
    // The station's clock runs a day ahead of the CSMS's (no timer is due within the day).
    await clock.advance(86_400_000);
    assert.equal(await pair.csms.call(pair.identity, 'TriggerMessage', { requestedMessage: 'Heartbeat' }), {
      status: 'Accepted',
    });
    const heartbeat = await pair.waitFor('Heartbeat');
    const currentTime = Date.parse((heartbeat.response as any).currentTime);
    assert.ok(Math.abs(currentTime - heartbeat.at) < 1000, "G02.FR.03: the CSMS's time when it answered");
    await sleep(50);
    pair.station.cablePlugged(1, 1);
    const s = await pair.waitFor('StatusNotification', (m) => (m.request as any).connectorStatus === 'Occupied');
    assert.ok(
      Math.abs(Date.parse((s.request as any).timestamp) - Date.now()) < 60_000,
      `G02.FR.06: ${(s.request as any).timestamp}`,
    );
  } finally {
    await pair.close();
  }
});

test.run();
