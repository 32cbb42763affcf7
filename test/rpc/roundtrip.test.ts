// Our station client against our CSMS server, for each of the three versions: CALLs in both directions,
// typed responses, after-hooks, 2.1 SEND, negotiation by preference, handlers that persist across reconnects.
import { test } from 'uvu';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as assert from 'uvu/assert';
import { CsmsServer, StationClient, type CsmsSession } from '../../runtime/rpc/index.js';
import { protocol as v16 } from '../../generated/v16/index.js';
import { protocol as v201 } from '../../generated/v201/index.js';
import { protocol as v21 } from '../../generated/v21/index.js';
import { once, until } from '../support/rpc-harness.js';

const now = () => new Date().toISOString();

async function csms<const Ps extends readonly (typeof v16 | typeof v201 | typeof v21)[]>(protocols: Ps) {
  const server = new CsmsServer({ protocols, path: '/ocpp' });
  const { port } = await server.listen();
  return { server, url: `ws://127.0.0.1:${port}/ocpp` };
}

test('ocpp2.0.1: station BootNotification and CSMS Reset round trips (Part 4 §4.2.1/§4.2.2)', async () => {
  const { server, url } = await csms([v201]);
  server.handlers('ocpp2.0.1').handle('BootNotification', (req, ctx) => {
    assert.is(ctx.session.identity, 'CS-201');
    assert.is(req.chargingStation.vendorName, 'Vendor');
    return { currentTime: now(), interval: 300, status: 'Accepted' };
  });
  const client = new StationClient({ url, identity: 'CS-201', protocols: [v201] });
  const resets: string[] = [];
  client.session('ocpp2.0.1').handle('Reset', (req) => {
    resets.push(req.type);
    return { status: 'Accepted' };
  });
  const [stationSession] = await Promise.all([
    once<[CsmsSession<[typeof v201]>]>(server, 'station'),
    client.connect(),
  ]).then(([[s]]) => [s]);
  const session = client.current!;
  assert.is(session.protocol, 'ocpp2.0.1');
  const boot = await session.call('BootNotification', {
    reason: 'PowerUp',
    chargingStation: { model: 'M1', vendorName: 'Vendor' },
  });
  assert.is(boot.status, 'Accepted');
  assert.is(boot.interval, 300);
  const reset = await stationSession!.call('Reset', { type: 'OnIdle' });
  assert.equal(reset, { status: 'Accepted' });
  assert.equal(resets, ['OnIdle']);
  await client.close();
  await server.close();
});

test('ocpp1.6: BootNotification, ChangeConfiguration and DataTransfer in both directions', async () => {
  const { server, url } = await csms([v16]);
  server
    .handlers('ocpp1.6')
    .handle('BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 60 }))
    .handle('DataTransfer', (req) => ({ status: 'Accepted', data: `csms got ${req.data}` }));
  const client = new StationClient({ url, identity: 'CP16', protocols: [v16] });
  client
    .session('ocpp1.6')
    .handle('ChangeConfiguration', (req) => ({ status: req.key === 'HeartbeatInterval' ? 'Accepted' : 'NotSupported' }))
    .handle('DataTransfer', (req) => ({ status: 'Accepted', data: `station got ${req.data}` }));
  const stationP = once<[CsmsSession<[typeof v16]>]>(server, 'station');
  const session = await client.connect();
  const [onCsms] = await stationP;
  assert.equal(
    (await session.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })).status,
    'Accepted',
  );
  assert.equal(await session.call('DataTransfer', { vendorId: 'org.test', data: 'a' }), {
    status: 'Accepted',
    data: 'csms got a',
  });
  assert.equal(await onCsms.call('DataTransfer', { vendorId: 'org.test', data: 'b' }), {
    status: 'Accepted',
    data: 'station got b',
  });
  assert.equal(await onCsms.call('ChangeConfiguration', { key: 'HeartbeatInterval', value: '30' }), {
    status: 'Accepted',
  });
  await client.close();
  await server.close();
});

test('ocpp2.1: CALLs both ways and a SEND message that is never answered (Part 4 2.1 §4.2.4)', async () => {
  const { server, url } = await csms([v21]);
  const streamed: number[] = [];
  server
    .handlers('ocpp2.1')
    .handle('Heartbeat', () => ({ currentTime: now() }))
    .handle('NotifyPeriodicEventStream', (req) => {
      streamed.push(req.id);
    });
  const client = new StationClient({ url, identity: 'CS-21', protocols: [v21] });
  client.session('ocpp2.1').handle('GetVariables', (req) => ({
    getVariableResult: req.getVariableData.map((d) => ({
      ...d,
      attributeStatus: 'Accepted' as const,
      attributeValue: '42',
    })),
  }));
  const stationP = once<[CsmsSession<[typeof v21]>]>(server, 'station');
  const session = await client.connect();
  const [onCsms] = await stationP;
  // A SEND does not wait for the outstanding CALL (§4.1.1 NOTE) and gets no answer.
  const hb = session.call('Heartbeat', {});
  await session.send('NotifyPeriodicEventStream', { id: 7, pending: 0, basetime: now(), data: [{ t: 0, v: '230.1' }] });
  assert.ok((await hb).currentTime);
  await until(() => streamed.length === 1, 2000, 'the SEND to be handled');
  assert.equal(streamed, [7]);
  const got = await onCsms.call('GetVariables', {
    getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
  });
  assert.is(got.getVariableResult[0]!.attributeValue, '42');
  await client.close();
  await server.close();
});

test('Part 4 §3.1.2/§3.3: the station offers versions in its order, the CSMS picks by its own preference', async () => {
  const { server, url } = await csms([v201, v16]);
  server.handlers('ocpp2.0.1').handle('Heartbeat', () => ({ currentTime: now() }));
  const client = new StationClient({ url, identity: 'multi', protocols: [v21, v16, v201] });
  const session = await client.connect();
  // The union narrows on `protocol` without casts.
  if (session.protocol !== 'ocpp2.0.1') assert.unreachable(`negotiated ${session.protocol}`);
  else assert.ok((await session.call('Heartbeat', {})).currentTime);
  assert.is(server.session('multi')?.protocol, 'ocpp2.0.1');
  await client.close();
  await server.close();
});

test('after-hook runs once the CALLRESULT was written, after the handler, with request and response', async () => {
  const { server, url } = await csms([v201]);
  const order: string[] = [];
  const client = new StationClient({ url, identity: 'after', protocols: [v201] });
  client
    .session('ocpp2.0.1')
    .handle('Reset', () => {
      order.push('handler');
      return { status: 'Scheduled' };
    })
    .after('Reset', (req, res, ctx) => {
      order.push(`after ${req.type} ${res.status} ${ctx.action}`);
    });
  const stationP = once<[CsmsSession<[typeof v201]>]>(server, 'station');
  await client.connect();
  const [onCsms] = await stationP;
  const res = await onCsms.call('Reset', { type: 'OnIdle' });
  assert.is(res.status, 'Scheduled');
  await until(() => order.length === 2, 2000, 'the after-hook');
  assert.equal(order, ['handler', 'after OnIdle Scheduled Reset']);
  await client.close();
  await server.close();
});

test('handlers registered on the station client persist across reconnects; a session-level handler overrides a shared one', async () => {
  const { server, url } = await csms([v201]);
  server.handlers('ocpp2.0.1').handle('Heartbeat', () => ({ currentTime: '2020-01-01T00:00:00.000Z' }));
  const client = new StationClient({
    url,
    identity: 'persist',
    protocols: [v201],
    backoff: { retryBackOffWaitMinimum: 0.01, retryBackOffRandomRange: 0 },
  });
  let resets = 0;
  client.session('ocpp2.0.1').handle('Reset', () => (resets++, { status: 'Accepted' }));
  let stationP = once<[CsmsSession<[typeof v201]>]>(server, 'station');
  await client.connect();
  let [onCsms] = await stationP;
  await onCsms.call('Reset', { type: 'Immediate' });
  stationP = once<[CsmsSession<[typeof v201]>]>(server, 'station');
  onCsms.close(1012, 'restart');
  [onCsms] = await stationP;
  await until(() => client.current !== undefined, 2000, 'the reconnection');
  assert.is((await onCsms.call('Reset', { type: 'Immediate' })).status, 'Accepted');
  assert.is(resets, 2);
  // Session-level handler wins over the server's shared one, for this station only.
  onCsms.handle('Heartbeat', () => ({ currentTime: '2030-01-01T00:00:00.000Z' }));
  assert.is((await client.current!.call('Heartbeat', {})).currentTime, '2030-01-01T00:00:00.000Z');
  await client.close();
  await server.close();
});

test('Handlers.handle refuses an unknown action or one this role never receives, naming it', () => {
  const client = new StationClient({ url: 'ws://127.0.0.1:9/ocpp', identity: 'x', protocols: [v201] });
  const s = client.session('ocpp2.0.1');
  // @ts-expect-error not an action of the version
  assert.throws(() => s.handle('Teleport', () => ({})), /has no action "Teleport"/);
  // @ts-expect-error BootNotification is sent by the station, never received by it
  assert.throws(() => s.handle('BootNotification', () => ({})), /never receives it/);
});

test('CsmsServer.attach: the OCPP-J endpoint shares an existing HTTP server with the application', async () => {
  const http = createServer((_req, res) => res.end('dashboard'));
  const server = new CsmsServer({ protocols: [v201], path: '/ocpp' }).attach(http);
  server.handlers('ocpp2.0.1').handle('Heartbeat', () => ({ currentTime: now() }));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  const body = await new Promise<string>((resolve) =>
    get(`http://127.0.0.1:${port}/`, (res) => res.on('data', (d: Buffer) => resolve(d.toString()))),
  );
  assert.is(body, 'dashboard');
  const client = new StationClient({ url: `ws://127.0.0.1:${port}/ocpp`, identity: 'ATTACHED', protocols: [v201] });
  const session = await client.connect();
  assert.ok((await session.call('Heartbeat', {})).currentTime);
  await client.close();
  await server.close();
  http.closeAllConnections();
  await new Promise((r) => http.close(r));
});

test.run();
