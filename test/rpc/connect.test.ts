// Connecting: the connection URL, subprotocol negotiation on both ends, HTTP Basic authentication (security
// profile 1) on both ends, and the password staying out of every trace, event and error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inspect } from 'node:util';
import { WebSocket } from 'ws';
import {
  authorizationKeyPassword,
  basicAuthorization,
  connectionUrl,
  CsmsServer,
  HandshakeRefusedError,
  passwordMatches,
  ProtocolNegotiationError,
  StationClient,
  type TraceEntry,
} from '../../runtime/rpc/index.js';
import { protocol as v16 } from '../../generated/v16/index.js';
import { protocol as v201 } from '../../generated/v201/index.js';
import { protocol as v21 } from '../../generated/v21/index.js';
import { once, rawCsms, until } from '../support/rpc-harness.js';

const PASSWORD = 'Sup3r-Secret-Basic-Pw-77';

test('Part 4 §3.1.1 / OCPP-J 1.6 §3.1.1: connection URL = endpoint + "/" + percent-encoded identity', () => {
  assert.is(connectionUrl('ws://csms.example.com/ocpp', 'CS001'), 'ws://csms.example.com/ocpp/CS001');
  assert.is(connectionUrl('wss://csms.example.com/ocppj', 'RDAM|123'), 'wss://csms.example.com/ocppj/RDAM%7C123');
  assert.is(
    connectionUrl('wss://centralsystem.example.com/ocppj/', 'RDAM 123'),
    'wss://centralsystem.example.com/ocppj/RDAM%20123',
  );
  assert.is(connectionUrl('ws://h:9000/ocpp?tenant=a', 'a/b'), 'ws://h:9000/ocpp/a%2Fb?tenant=a');
  assert.throws(() => connectionUrl('http://h/ocpp', 'x'), /ws:\/\/ or wss:\/\//);
});

test('Part 4 §3.1.2: the station offers its versions in order of preference; the CSMS decodes the identity from the path', async () => {
  const csms = await rawCsms();
  const client = new StationClient({ url: csms.url, identity: 'RDAM|123', protocols: [v21, v201, v16] });
  const session = await client.connect();
  assert.equal(csms.requests[0]!.headers['sec-websocket-protocol']?.split(/,\s*/), ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6']);
  assert.is(csms.requests[0]!.url, '/ocpp/RDAM%7C123');
  assert.is(session.protocol, 'ocpp2.1');
  await client.close();
  await csms.close();

  const server = new CsmsServer({ protocols: [v201], path: '/ocpp' });
  const { port } = await server.listen();
  const station = new StationClient({ url: `ws://127.0.0.1:${port}/ocpp`, identity: 'RDAM|123', protocols: [v201] });
  await station.connect();
  assert.ok(server.session('RDAM|123'));
  await station.close();
  await server.close();
});

test('Part 4 §3.3: a CSMS that answers without a subprotocol is refused with ProtocolNegotiationError', async () => {
  const csms = await rawCsms({ select: () => false });
  const client = new StationClient({ url: csms.url, identity: 'NEG', protocols: [v201], reconnect: false });
  const error = await client.connect().catch((e: unknown) => e);
  assert.instance(error, ProtocolNegotiationError);
  assert.match((error as Error).message, /no subprotocol/);
  await client.close();
  await csms.close();
});

test('Part 4 §3.1.2: a CSMS that selects a version the station did not offer is refused with ProtocolNegotiationError', async () => {
  const csms = await rawCsms({ select: () => 'ocpp1.6' });
  const client = new StationClient({ url: csms.url, identity: 'NEG2', protocols: [v201, v21], reconnect: false });
  const error = (await client.connect().catch((e: unknown) => e)) as ProtocolNegotiationError;
  assert.instance(error, ProtocolNegotiationError);
  assert.equal(error.offered, ['ocpp2.0.1', 'ocpp2.1']);
  await client.close();
  await csms.close();
});

test('TC_B_58_CSMS / Part 4 §3.3: with no common version the CSMS completes the handshake without Sec-WebSocket-Protocol and closes at once', async () => {
  const server = new CsmsServer({ protocols: [v201, v16], path: '/ocpp' });
  const { port } = await server.listen();
  // A client that sends the header itself (ws would otherwise refuse the answer before we can look at it).
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ocpp/OLD`, {
    headers: { 'Sec-WebSocket-Protocol': 'ocpp1.5, ocpp1.2' },
  });
  const [res] = await once<[{ headers: Record<string, string> }]>(ws, 'upgrade');
  assert.is(res.headers['sec-websocket-protocol'], undefined);
  const [code] = await once<[number]>(ws, 'close');
  assert.is(code, 1002);
  assert.is(server.stationCount, 0);
  await server.close();
});

test('TC_A_01_CS / A00.FR.202, A00.FR.203, A00.FR.204: profile 1 sends Authorization: Basic base64(<identity>:<password>) on the upgrade request', async () => {
  const csms = await rawCsms();
  const client = new StationClient({
    url: csms.url,
    identity: 'CS-A01',
    protocols: [v201],
    securityProfile: 1,
    password: PASSWORD,
  });
  await client.connect();
  assert.is(csms.requests[0]!.headers.authorization, `Basic ${Buffer.from(`CS-A01:${PASSWORD}`).toString('base64')}`);
  await client.close();
  await csms.close();
});

test('OCPP-J 1.6 §6.2.2: a 1.6 AuthorizationKey is sent as its raw bytes (the specification example for AL1000)', () => {
  const key = authorizationKeyPassword('0001020304050607FFFFFFFFFFFFFFFFFFFFFFFF');
  assert.is(basicAuthorization('AL1000', key), 'Basic QUwxMDAwOgABAgMEBQYH////////////////');
  assert.throws(() => authorizationKeyPassword('xyz'), /hexadecimal/);
});

async function profile1Csms() {
  const refused: { status: number; reason: string }[] = [];
  const server = new CsmsServer({
    protocols: [v201],
    path: '/ocpp',
    securityProfile: 1,
    authenticate: ({ identity, password }) => {
      if (identity === 'GHOST') return { status: 404 };
      return password !== undefined && passwordMatches(password, PASSWORD);
    },
  });
  server.on('refused', (r) => refused.push(r));
  const { port } = await server.listen();
  return { server, refused, url: `ws://127.0.0.1:${port}/ocpp` };
}

test('TC_A_01_CSMS / A00.FR.207: the CSMS accepts the right identity and password', async () => {
  const { server, url } = await profile1Csms();
  const client = new StationClient({
    url,
    identity: 'CS-OK',
    protocols: [v201],
    securityProfile: 1,
    password: PASSWORD,
  });
  await client.connect();
  assert.ok(server.session('CS-OK'));
  await client.close();
  await server.close();
});

test('TC_A_02_CSMS / A00.FR.204: a Basic-auth username other than the identity in the URL is refused with 401', async () => {
  const { server, refused, url } = await profile1Csms();
  const ws = new WebSocket(`${url}/CS-A02`, ['ocpp2.0.1'], {
    headers: { Authorization: basicAuthorization('CS-A02Invalid', PASSWORD) },
  });
  ws.on('error', () => {});
  const [, res] = await once<[unknown, { statusCode: number }]>(ws, 'unexpected-response');
  assert.is(res.statusCode, 401);
  ws.terminate();
  assert.match(refused[0]!.reason, /username/);
  await server.close();
});

test('TC_A_03_CSMS / A00.FR.207: a wrong password is refused with 401 (the station gets HandshakeRefusedError); none at all as well', async () => {
  const { server, url } = await profile1Csms();
  const wrong = new StationClient({
    url,
    identity: 'CS-A03',
    protocols: [v201],
    securityProfile: 1,
    password: 'not-the-password-at-all',
    reconnect: false,
  });
  const error = (await wrong.connect().catch((e: unknown) => e)) as HandshakeRefusedError;
  assert.instance(error, HandshakeRefusedError);
  assert.is(error.status, 401);
  const none = new StationClient({ url, identity: 'CS-A03', protocols: [v201], reconnect: false });
  assert.is(((await none.connect().catch((e: unknown) => e)) as HandshakeRefusedError).status, 401);
  assert.is(server.stationCount, 0);
  await server.close();
});

test('Part 4 §3.3: an unknown station can be refused with HTTP 404; the error names the path tried (issue 19)', async () => {
  const { server, url } = await profile1Csms();
  const ghost = new StationClient({
    url: `${url}/`,
    identity: 'GHOST',
    protocols: [v201],
    securityProfile: 1,
    password: PASSWORD,
    reconnect: false,
  });
  const error = (await ghost.connect().catch((e: unknown) => e)) as HandshakeRefusedError;
  await server.close();
  assert.is(error.status, 404);
  assert.is(error.path, '/ocpp/GHOST');
  assert.is(
    error.message,
    'the CSMS refused the connection to /ocpp/GHOST with HTTP 404 (unknown station identity, or no OCPP endpoint at that path)',
  );
});

test('the password never appears in a trace, an event or an error (connection refused and accepted, BasicAuthPassword set over OCPP)', async () => {
  const traces: TraceEntry[] = [];
  const { server, url } = await profile1Csms();
  const seen: unknown[] = [];
  server.on('refused', (r) => seen.push(r));
  const bad = new StationClient({
    url,
    identity: 'CS-LEAK',
    protocols: [v201],
    securityProfile: 1,
    password: `${PASSWORD}x`,
    reconnect: false,
    trace: (e) => traces.push(e),
  });
  bad.on('connectFailed', (e) => seen.push(e));
  seen.push(await bad.connect().catch((e: unknown) => e));
  const good = new StationClient({
    url,
    identity: 'CS-LEAK',
    protocols: [v201],
    securityProfile: 1,
    password: PASSWORD,
    trace: (e) => traces.push(e),
  });
  good.session('ocpp2.0.1').handle('SetVariables', (req) => ({
    setVariableResult: req.setVariableData.map(({ component, variable }) => ({
      component,
      variable,
      attributeStatus: 'Accepted' as const,
    })),
  }));
  good.on('connected', (s) => seen.push(s.identity));
  const stationP = once<[{ call: (a: 'SetVariables', p: unknown) => Promise<unknown> }]>(server, 'station');
  await good.connect();
  const [onCsms] = await stationP;
  await onCsms.call('SetVariables', {
    setVariableData: [
      {
        attributeValue: `${PASSWORD}-next`,
        component: { name: 'SecurityCtrlr' },
        variable: { name: 'BasicAuthPassword' },
      },
    ],
  });
  await until(() => traces.some((t) => t.direction === 'out'), 2000, 'the traced answer');
  await good.close();
  await bad.close();
  await server.close();
  const everything = inspect([traces, seen, good, bad], { depth: 8, showHidden: false });
  assert.ok(
    traces.some((t) => t.direction === 'in' && JSON.stringify(t.frame).includes('BasicAuthPassword')),
    'the SetVariables frame was traced',
  );
  assert.not.ok(everything.includes(PASSWORD), 'password found in trace/events/errors');
  assert.not.ok(
    everything.includes(Buffer.from(`CS-LEAK:${PASSWORD}`).toString('base64')),
    'Authorization header found',
  );
});

test('identity rules: not empty, at most 48 characters for 2.x, no ":" with Basic authentication (Part 4 2.1 §3.1.1)', () => {
  const url = 'ws://127.0.0.1:1/ocpp';
  assert.throws(() => new StationClient({ url, identity: '', protocols: [v201] }), /non-empty/);
  assert.throws(() => new StationClient({ url, identity: 'x'.repeat(49), protocols: [v201] }), /48 characters/);
  assert.ok(new StationClient({ url, identity: 'x'.repeat(49), protocols: [v16] }));
  assert.throws(
    () => new StationClient({ url, identity: 'a:b', protocols: [v201], securityProfile: 1, password: PASSWORD }),
    /must not contain ":"/,
  );
});

test.run();
