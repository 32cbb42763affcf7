// Issue 19: a CSMS serving 2.0.1 and 2.1 registers a handler once for both (csms.handle), answers actions without a
// handler through a catch-all (csms.handleOther) instead of NotSupported, and listens per version (onStation).
// Real stations (our StationClient) over real sockets; responses checked against each negotiated version's schema.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CallErrorResponse, ConnectFailedError, CsmsServer, StationClient } from '../../runtime/rpc/index.js';
import { protocol as v201 } from '../../generated/v201/index.js';
import { protocol as v21 } from '../../generated/v21/index.js';

const now = () => new Date().toISOString();

async function csms() {
  const server = new CsmsServer({ protocols: [v201, v21], path: '/ocpp' });
  const { port } = await server.listen();
  return { server, url: `ws://127.0.0.1:${port}/ocpp` };
}

test('one BootNotification handler answers a 2.0.1 and a 2.1 station, each with its negotiated version', async () => {
  const { server, url } = await csms();
  const seen: string[] = [];
  server.handle('BootNotification', (call) => {
    seen.push(`${call.session.identity} ${call.protocol} ${call.request.chargingStation.model}`);
    return { currentTime: now(), interval: call.protocol === 'ocpp2.1' ? 21 : 201, status: 'Accepted' };
  });
  const a = new StationClient({ url, identity: 'CS-201', protocols: [v201] });
  const b = new StationClient({ url, identity: 'CS-21', protocols: [v21] });
  const boot = { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } } as const;
  const sa = await a.connect();
  const sb = await b.connect();
  const ra = await sa.call('BootNotification', boot);
  const rb = await sb.call('BootNotification', boot);
  assert.is(ra.interval, 201);
  assert.is(rb.interval, 21);
  assert.equal(seen, ['CS-201 ocpp2.0.1 M', 'CS-21 ocpp2.1 M']);
  await Promise.all([a.close(), b.close()]);
  await server.close();
});

test('a handler registered for one version afterwards replaces the shared one for that version only', async () => {
  const { server, url } = await csms();
  server.handle('Heartbeat', () => ({ currentTime: '2020-01-01T00:00:00Z' }));
  server.handlers('ocpp2.1').handle('Heartbeat', () => ({ currentTime: '2021-01-01T00:00:00Z' }));
  const a = new StationClient({ url, identity: 'CS-201', protocols: [v201] });
  const b = new StationClient({ url, identity: 'CS-21', protocols: [v21] });
  const [sa, sb] = [await a.connect(), await b.connect()];
  assert.is((await sa.call('Heartbeat', {})).currentTime, '2020-01-01T00:00:00Z');
  assert.is((await sb.call('Heartbeat', {})).currentTime, '2021-01-01T00:00:00Z');
  await Promise.all([a.close(), b.close()]);
  await server.close();
});

test('handle() refuses an action no served version lets a CSMS receive', async () => {
  const server = new CsmsServer({ protocols: [v201, v21] });
  // Untyped input, as from JavaScript: the type forbids it.
  const handleByAnyName = server.handle.bind(server) as (action: string, handler: () => unknown) => unknown;
  assert.throws(() => handleByAnyName('Reset', () => ({})), /no served version \(ocpp2\.0\.1, ocpp2\.1\) has a Reset/);
  assert.throws(() => handleByAnyName('NoSuchAction', () => ({})), /NoSuchAction/);
  await server.close();
});

test('the catch-all answers an action without a handler (Part 4: otherwise NotSupported); an invalid answer is InternalError', async () => {
  const { server, url } = await csms();
  const client = new StationClient({ url, identity: 'CS-X', protocols: [v21] });
  const session = await client.connect();
  // Without a catch-all: NotSupported, as before.
  const before = await session.call('Heartbeat', {}).catch((e: unknown) => e);
  assert.instance(before, CallErrorResponse);
  assert.is((before as CallErrorResponse).code, 'NotSupported');

  const calls: string[] = [];
  server.handleOther((call) => {
    calls.push(`${call.protocol} ${call.action} ${call.session.identity}`);
    if (call.action === 'Heartbeat') return { currentTime: '2026-01-01T00:00:00Z' };
    return 'not a NotifyEventResponse object';
  });
  server.handle('StatusNotification', () => ({}));
  assert.is((await session.call('Heartbeat', {})).currentTime, '2026-01-01T00:00:00Z');
  // A specific handler still wins over the catch-all.
  await session.call('StatusNotification', {
    timestamp: now(),
    connectorStatus: 'Available',
    evseId: 1,
    connectorId: 1,
  });
  const invalid = await session
    .call('NotifyEvent', {
      generatedAt: now(),
      seqNo: 0,
      eventData: [
        {
          eventId: 1,
          timestamp: now(),
          trigger: 'Delta',
          actualValue: 'true',
          eventNotificationType: 'HardWiredNotification',
          component: { name: 'EVSE' },
          variable: { name: 'Available' },
        },
      ],
    })
    .catch((e: unknown) => e);
  assert.instance(invalid, CallErrorResponse);
  assert.is((invalid as CallErrorResponse).code, 'InternalError');
  assert.equal(calls, ['ocpp2.1 Heartbeat CS-X', 'ocpp2.1 NotifyEvent CS-X']);
  await client.close();
  await server.close();
});

test('onStation(version) hears only the stations that negotiated that version, with a session ready to call', async () => {
  const { server, url } = await csms();
  const only21: string[] = [];
  const all: string[] = [];
  server.on('station', (s) => all.push(s.identity));
  server.onStation('ocpp2.1', (s) => only21.push(`${s.identity} ${s.protocol}`));
  const a = new StationClient({ url, identity: 'CS-201', protocols: [v201] });
  const b = new StationClient({ url, identity: 'CS-21', protocols: [v21] });
  await a.connect();
  await b.connect();
  assert.equal(all, ['CS-201', 'CS-21']);
  assert.equal(only21, ['CS-21 ocpp2.1']);
  assert.throws(
    () => (server.onStation as (v: string, l: () => void) => unknown)('ocpp1.6', () => {}),
    /ocpp1\.6 is not one of the served versions/,
  );
  await Promise.all([a.close(), b.close()]);
  await server.close();
});

test('session.is(version) narrows at run time as protocol does', async () => {
  const { server, url } = await csms();
  // The server's preference (2.0.1 first) decides, Part 4 §3.3.
  const client = new StationClient({ url, identity: 'CS-21', protocols: [v21, v201] });
  const session = await client.connect();
  assert.is(session.is('ocpp2.0.1'), true);
  assert.is(session.is('ocpp2.1'), false);
  await client.close();
  await server.close();
});

test('issue 19: a refused connection says that an ocppkit CSMS listens on 127.0.0.1 unless given a host', async () => {
  const { server, url } = await csms();
  await server.close(); // the port is free again: the next connection is refused
  const client = new StationClient({ url, identity: 'CS-1', protocols: [v201], reconnect: false });
  const error = await client.connect().catch((e: unknown) => e);
  assert.instance(error, ConnectFailedError);
  assert.is((error as ConnectFailedError).reason, 'ECONNREFUSED');
  assert.match(
    (error as Error).message,
    /ECONNREFUSED .*listens on 127\.0\.0\.1 only unless given a host: listen\(\{ host: "0\.0\.0\.0" \}\)/,
  );
  await client.close();
});

test.run();
