// Interoperability with an independent OCPP-J implementation from npm (ocpp-rpc 2.2.1), in both roles:
// our station against its server, its client against our CSMS. Its strict mode validates every message we
// send against the OCA schemas it bundles (1.6 and 2.0.1; its 2.1 strict mode is broken, see
// /work/shared/notes/toolchain.md, so 2.1 runs without it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AddressInfo } from 'node:net';
import { RPCClient, RPCServer } from 'ocpp-rpc';
import { CallErrorResponse, CsmsServer, passwordMatches, StationClient } from '../../runtime/rpc/index.js';
import { protocol as v16 } from '../../generated/v16/index.js';
import { protocol as v201 } from '../../generated/v201/index.js';
import { protocol as v21 } from '../../generated/v21/index.js';
import { once } from '../support/rpc-harness.js';

type PeerClient = {
  call(method: string, params: unknown): Promise<unknown>;
  handle(method: string, fn: (c: { params: unknown }) => unknown): void;
  identity: string;
  session: Record<string, unknown>;
  protocol: string;
};

async function theirServer(protocol: string, strict: boolean) {
  const server = new RPCServer({ protocols: [protocol], strictMode: strict });
  const auth: { identity?: string; password?: string } = {};
  server.auth((accept, _reject, handshake) => {
    auth.identity = handshake.identity;
    auth.password = handshake.password?.toString();
    accept();
  });
  const http = await server.listen(0, '127.0.0.1');
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ocpp`;
  return { server, url, auth, close: () => server.close({ force: true }) };
}

const now = () => new Date().toISOString();

test('interop ocpp1.6: our station against the ocpp-rpc CSMS (strict), CALLs both ways, NotImplemented understood', async () => {
  const peer = await theirServer('ocpp1.6', true);
  const clientP = once<[PeerClient]>(peer.server, 'client');
  const station = new StationClient({
    url: peer.url,
    identity: 'INTEROP16',
    protocols: [v16],
    securityProfile: 1,
    password: 'interop-password-1234',
  });
  station
    .session('ocpp1.6')
    .handle('ChangeConfiguration', (req) => ({ status: req.key === 'HeartbeatInterval' ? 'Accepted' : 'Rejected' }));
  const session = await station.connect();
  const [theirs] = await clientP;
  assert.equal(peer.auth, { identity: 'INTEROP16', password: 'interop-password-1234' });
  theirs.handle('BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
  const boot = await session.call('BootNotification', { chargePointVendor: 'ocppkit', chargePointModel: 'interop' });
  assert.is(boot.status, 'Accepted');
  assert.is(
    await theirs
      .call('ChangeConfiguration', { key: 'HeartbeatInterval', value: '30' })
      .then((r) => (r as { status: string }).status),
    'Accepted',
  );
  // A known action our station has no handler for: NotSupported, which ocpp-rpc turns into an RPC error.
  const err = (await theirs.call('Reset', { type: 'Soft' }).catch((e: unknown) => e)) as { rpcErrorCode: string };
  assert.is(err.rpcErrorCode, 'NotSupported');
  // An action their server does not handle: our CALL rejects with their CALLERROR.
  const their = (await session.call('Heartbeat', {}).catch((e: unknown) => e)) as CallErrorResponse;
  assert.instance(their, CallErrorResponse);
  assert.is(their.code, 'NotImplemented');
  await station.close();
  await peer.close();
});

test('interop ocpp2.0.1: our station against the ocpp-rpc CSMS (strict)', async () => {
  const peer = await theirServer('ocpp2.0.1', true);
  const clientP = once<[PeerClient]>(peer.server, 'client');
  const station = new StationClient({ url: peer.url, identity: 'INTEROP201', protocols: [v201] });
  station.session('ocpp2.0.1').handle('Reset', () => ({ status: 'Accepted' }));
  const session = await station.connect();
  const [theirs] = await clientP;
  theirs.handle('BootNotification', () => ({ currentTime: now(), interval: 300, status: 'Accepted' }));
  theirs.handle('TransactionEvent', () => ({ totalCost: 1.5 }));
  assert.is(
    (
      await session.call('BootNotification', {
        reason: 'PowerUp',
        chargingStation: { model: 'interop', vendorName: 'ocppkit' },
      })
    ).status,
    'Accepted',
  );
  const tx = await session.call('TransactionEvent', {
    eventType: 'Started',
    timestamp: now(),
    triggerReason: 'Authorized',
    seqNo: 0,
    transactionInfo: { transactionId: 'tx-1' },
  });
  assert.is(tx.totalCost, 1.5);
  assert.equal(await theirs.call('Reset', { type: 'Immediate' }), { status: 'Accepted' });
  await station.close();
  await peer.close();
});

test('interop ocpp2.1: our station against the ocpp-rpc CSMS (non-strict), including a SEND', async () => {
  const peer = await theirServer('ocpp2.1', false);
  const clientP = once<[PeerClient]>(peer.server, 'client');
  const station = new StationClient({ url: peer.url, identity: 'INTEROP21', protocols: [v21] });
  const session = await station.connect();
  const [theirs] = await clientP;
  theirs.handle('Heartbeat', () => ({ currentTime: now() }));
  assert.ok((await session.call('Heartbeat', {})).currentTime);
  await session.send('NotifyPeriodicEventStream', { id: 1, pending: 0, basetime: now(), data: [{ t: 0, v: '1' }] });
  assert.ok((await session.call('Heartbeat', {})).currentTime, 'still served after the SEND');
  await station.close();
  await peer.close();
});

async function ourCsms<const P extends typeof v16 | typeof v201 | typeof v21>(protocol: P) {
  const server = new CsmsServer({
    protocols: [protocol] as const,
    path: '/ocpp',
    securityProfile: 1,
    authenticate: ({ password }) => password !== undefined && passwordMatches(password, 'their-password-123456'),
  });
  const { port } = await server.listen();
  return { server, url: `ws://127.0.0.1:${port}/ocpp` };
}

function theirClient(url: string, identity: string, protocol: string, strict: boolean) {
  // ocpp-rpc's typings declare every option as required; the omitted ones take its defaults.
  const options = {
    endpoint: url,
    identity,
    protocols: [protocol],
    strictMode: strict,
    password: 'their-password-123456',
    reconnect: false,
  };
  return new RPCClient(options as unknown as ConstructorParameters<typeof RPCClient>[0]) as unknown as PeerClient & {
    connect(): Promise<unknown>;
    close(o?: unknown): Promise<unknown>;
  };
}

test('interop ocpp1.6: the ocpp-rpc station (strict) against our CSMS with Basic auth', async () => {
  const { server, url } = await ourCsms(v16);
  server.handlers('ocpp1.6').handle('BootNotification', (req) => ({
    status: req.chargePointVendor === 'ocpp-rpc' ? 'Accepted' : 'Rejected',
    currentTime: now(),
    interval: 60,
  }));
  const stationP = once<[ReturnType<typeof server.stations> extends IterableIterator<infer S> ? S : never]>(
    server,
    'station',
  );
  const theirs = theirClient(url, 'THEIRS16', 'ocpp1.6', true);
  theirs.handle('Reset', () => ({ status: 'Accepted' }));
  await theirs.connect();
  const [session] = await stationP;
  assert.equal(
    await theirs
      .call('BootNotification', { chargePointVendor: 'ocpp-rpc', chargePointModel: 'peer' })
      .then((r) => (r as { status: string }).status),
    'Accepted',
  );
  assert.equal(await session.call('Reset', { type: 'Hard' }), { status: 'Accepted' });
  const err = (await theirs.call('Heartbeat', {}).catch((e: unknown) => e)) as { rpcErrorCode: string };
  assert.is(err.rpcErrorCode, 'NotSupported', 'known action without handler');
  await theirs.close({ force: true });
  await server.close();
});

test('interop ocpp2.0.1: the ocpp-rpc station (strict) against our CSMS', async () => {
  const { server, url } = await ourCsms(v201);
  server
    .handlers('ocpp2.0.1')
    .handle('BootNotification', () => ({ currentTime: now(), interval: 60, status: 'Accepted' }));
  const stationP = once<[ReturnType<typeof server.stations> extends IterableIterator<infer S> ? S : never]>(
    server,
    'station',
  );
  const theirs = theirClient(url, 'THEIRS201', 'ocpp2.0.1', true);
  theirs.handle('GetVariables', ({ params }) => ({
    getVariableResult: (params as { getVariableData: { component: unknown; variable: unknown }[] }).getVariableData.map(
      (d) => ({ ...d, attributeStatus: 'Accepted', attributeValue: '7' }),
    ),
  }));
  await theirs.connect();
  const [session] = await stationP;
  assert.equal(
    await theirs
      .call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'peer', vendorName: 'ocpp-rpc' } })
      .then((r) => (r as { status: string }).status),
    'Accepted',
  );
  const got = await session.call('GetVariables', {
    getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
  });
  assert.is(got.getVariableResult[0]!.attributeValue, '7');
  await theirs.close({ force: true });
  await server.close();
});

test('interop ocpp2.1: the ocpp-rpc station (non-strict) against our CSMS', async () => {
  const { server, url } = await ourCsms(v21);
  server.handlers('ocpp2.1').handle('Heartbeat', () => ({ currentTime: now() }));
  const stationP = once<[ReturnType<typeof server.stations> extends IterableIterator<infer S> ? S : never]>(
    server,
    'station',
  );
  const theirs = theirClient(url, 'THEIRS21', 'ocpp2.1', false);
  theirs.handle('Reset', () => ({ status: 'Accepted' }));
  await theirs.connect();
  const [session] = await stationP;
  assert.ok(((await theirs.call('Heartbeat', {})) as { currentTime: string }).currentTime);
  assert.equal(await session.call('Reset', { type: 'Immediate' }), { status: 'Accepted' });
  await theirs.close({ force: true });
  await server.close();
});

test.run();
