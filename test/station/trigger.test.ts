// F06 TriggerMessage for the messages of blocks B and G (BootNotification, Heartbeat, StatusNotification) and the
// firmware and log status notifications (no update or upload runs: Idle), over real sockets against the built-in CSMS.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LoggedMessage } from '../../runtime/csms/simple-csms.js';
import type { TraceEntry, TraceSink } from '../../runtime/rpc/trace.js';
import { sleep, until } from '../support/rpc-harness.js';
import { startPair, type Pair } from '../support/station-harness.js';

async function booted(trace?: TraceSink): Promise<Pair> {
  const pair = await startPair({
    station: { evses: [{ id: 1, connectors: [{ id: 1 }, { id: 2 }] }], ...(trace ? { trace } : {}) },
  });
  await until(
    () => pair.station.registration === 'Accepted' && pair.sent('StatusNotification').length === 2,
    3000,
    'booted',
  );
  return pair;
}

const trigger = (pair: Pair, request: Record<string, unknown>) =>
  pair.csms.call(pair.identity, 'TriggerMessage', request);

/**
 * Triggers `requestedMessage` on a booted station: Accepted, then the message; the station's own trace shows the
 * order in which its frames went out (F06.FR.04: the response first). Resolves with what the CSMS received.
 */
async function triggeredAfterAnswer(requestedMessage: string): Promise<LoggedMessage> {
  const out: TraceEntry[] = [];
  const pair = await booted((e) => e.direction === 'out' && out.push(e));
  try {
    assert.equal(await trigger(pair, { requestedMessage }), { status: 'Accepted' });
    const sent = await pair.waitFor(requestedMessage);
    const frames = out.map((e) => e.frame as unknown[]);
    const answer = frames.findIndex((f) => f[0] === 3 && (f[2] as any)?.status === 'Accepted');
    const message = frames.findIndex((f) => f[0] === 2 && f[2] === requestedMessage);
    assert.ok(answer >= 0 && answer < message, 'F06.FR.04: the response first');
    return sent;
  } finally {
    await pair.close();
  }
}

test('TC_F_20_CS F06.FR.04 F06.FR.05 F06.FR.10 Heartbeat: Accepted, then sent', async () => {
  assert.equal((await triggeredAfterAnswer('Heartbeat')).request, {});
});

test('TC_F_23_CS TC_F_24_CS F06.FR.02 StatusNotification of one connector: Available, and Occupied with an EV connected', async () => {
  const pair = await booted();
  try {
    const before = pair.sent('StatusNotification').length;
    assert.equal(await trigger(pair, { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 2 } }), {
      status: 'Accepted',
    });
    await until(() => pair.sent('StatusNotification').length === before + 1, 3000, 'triggered status');
    assert.equal(
      pair
        .sent('StatusNotification')
        .slice(-1)
        .map((m) => [(m.request as any).connectorId, (m.request as any).connectorStatus]),
      [[2, 'Available']],
    );
    pair.station.cablePlugged(1, 1);
    await until(() => pair.sent('StatusNotification').length === before + 2, 3000, 'Occupied');
    assert.equal(await trigger(pair, { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } }), {
      status: 'Accepted',
    });
    await until(() => pair.sent('StatusNotification').length === before + 3, 3000, 'triggered status');
    assert.equal(
      pair
        .sent('StatusNotification')
        .slice(-1)
        .map((m) => [(m.request as any).connectorId, (m.request as any).connectorStatus]),
      [[1, 'Occupied']],
    );
  } finally {
    await pair.close();
  }
});

test('TC_F_26_CS F06.FR.17 BootNotification once Accepted: Rejected, and none sent', async () => {
  const pair = await booted();
  try {
    assert.equal(await trigger(pair, { requestedMessage: 'BootNotification' }), { status: 'Rejected' });
    await sleep(100);
    assert.is(pair.sent('BootNotification').length, 1);
  } finally {
    await pair.close();
  }
});

test('TC_F_27_CS F06.FR.08 a message the station does not implement: NotImplemented', async () => {
  const pair = await booted();
  try {
    // A Local Controller's message (L03): a charging station never sends it.
    assert.equal(await trigger(pair, { requestedMessage: 'PublishFirmwareStatusNotification' }), {
      status: 'NotImplemented',
    });
  } finally {
    await pair.close();
  }
});

test('TC_F_15_CS F06.FR.15 F06.FR.04 LogStatusNotification while no log is uploading: Accepted, then Idle without requestId', async () => {
  assert.equal((await triggeredAfterAnswer('LogStatusNotification')).request, { status: 'Idle' });
});

test('TC_F_18_CS F06.FR.16 L01.FR.25 FirmwareStatusNotification while no firmware update runs: Accepted, then Idle', async () => {
  const pair = await booted();
  try {
    assert.equal(await trigger(pair, { requestedMessage: 'FirmwareStatusNotification' }), { status: 'Accepted' });
    assert.equal((await pair.waitFor('FirmwareStatusNotification')).request, { status: 'Idle' });
  } finally {
    await pair.close();
  }
});

test('TC_F_17_CS F06.FR.03 FirmwareStatusNotification for an EVSE: the EVSE is not relevant, ignored, and the message still sent', async () => {
  const pair = await booted();
  try {
    // An EVSE that exists and one that does not: neither matters to a station-wide message.
    for (const id of [1, 7]) {
      const before = pair.sent('FirmwareStatusNotification').length;
      assert.equal(await trigger(pair, { requestedMessage: 'FirmwareStatusNotification', evse: { id } }), {
        status: 'Accepted',
      });
      await until(
        () => pair.sent('FirmwareStatusNotification').length === before + 1,
        3000,
        'triggered FirmwareStatusNotification',
      );
      assert.equal(pair.sent('FirmwareStatusNotification').at(-1)!.request, { status: 'Idle' });
    }
  } finally {
    await pair.close();
  }
});

test('F06.FR.12 F06.FR.03 StatusNotification needs a connector; an EVSE irrelevant to the message is ignored', async () => {
  const pair = await booted();
  try {
    assert.equal(await trigger(pair, { requestedMessage: 'StatusNotification', evse: { id: 1 } }), {
      status: 'Rejected',
      statusInfo: { reasonCode: 'MissingParam' },
    });
    assert.equal(await trigger(pair, { requestedMessage: 'StatusNotification', evse: { id: 4, connectorId: 1 } }), {
      status: 'Rejected',
      statusInfo: { reasonCode: 'UnknownEvse' },
    });
    assert.equal(await trigger(pair, { requestedMessage: 'Heartbeat', evse: { id: 4 } }), { status: 'Accepted' });
    await pair.waitFor('Heartbeat');
  } finally {
    await pair.close();
  }
});

test('F06.FR.19 2.1 CustomTrigger for a message type the station does not support: NotImplemented, and nothing sent', async () => {
  const pair = await startPair({ csms: { versions: ['ocpp2.1'] }, station: { versions: ['ocpp2.1'] } });
  try {
    await until(() => pair.station.registration === 'Accepted', 3000, 'Accepted');
    const heartbeats = pair.sent('Heartbeat').length;
    for (const customTrigger of ['VendorX.Diagnostics', 'Heartbeat'])
      assert.equal(await trigger(pair, { requestedMessage: 'CustomTrigger', customTrigger }), {
        status: 'NotImplemented',
      });
    // A triggered message would follow the answer at once; a later round trip shows none came.
    await pair.csms.call(pair.identity, 'GetLocalListVersion', {});
    assert.is(pair.sent('Heartbeat').length, heartbeats, 'no Heartbeat for the custom trigger named Heartbeat');
  } finally {
    await pair.close();
  }
});

test.run();
