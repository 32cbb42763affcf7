// Security profiles 2 and 3 over real TLS with certificates made at test time (test/support/pki.ts):
// what connects, and every certificate that must be refused (Part 2 A00, OCTT TC_A_04..08).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ConnectFailedError, CsmsServer, HandshakeRefusedError, passwordMatches, StationClient } from '../../runtime/rpc/index.js';
import { fixture201 } from '../support/fixture-protocols.js';
import { createCa, expired, issue, type Ca, type Issued } from '../support/pki.js';
import { once } from '../support/rpc-harness.js';

const PASSWORD = 'profile-two-password-0123';
let csmsCa: Ca, stationCa: Ca, otherCa: Ca;
let serverCert: Issued, expiredServerCert: Issued, wrongNameServerCert: Issued, foreignServerCert: Issued;
let stationCert: Issued, expiredStationCert: Issued, foreignStationCert: Issued, otherStationCert: Issued;

test.before(async () => {
  [csmsCa, stationCa, otherCa] = await Promise.all([createCa('CSMS Root'), createCa('Station CA'), createCa('Some Other CA')]);
  [serverCert, expiredServerCert, wrongNameServerCert, foreignServerCert, stationCert, expiredStationCert, foreignStationCert, otherStationCert] = await Promise.all([
    issue(csmsCa, { commonName: '127.0.0.1', ips: ['127.0.0.1'] }),
    issue(csmsCa, { commonName: '127.0.0.1', ips: ['127.0.0.1'], ...expired() }),
    issue(csmsCa, { commonName: 'csms.example.com', dns: ['csms.example.com'] }),
    issue(otherCa, { commonName: '127.0.0.1', ips: ['127.0.0.1'] }),
    issue(stationCa, { commonName: 'CS-TLS-1' }),
    issue(stationCa, { commonName: 'CS-TLS-1', ...expired() }),
    issue(otherCa, { commonName: 'CS-TLS-1' }),
    issue(stationCa, { commonName: 'CS-TLS-2' }),
  ]);
});

async function profile2Csms(cert: Issued) {
  const seen: Buffer[] = [];
  const server = new CsmsServer({
    protocols: [fixture201],
    path: '/ocpp',
    securityProfile: 2,
    authenticate: ({ password }) => (password && seen.push(password), password !== undefined && passwordMatches(password, PASSWORD)),
  });
  const { port } = await server.listen({ tls: cert });
  return { server, seen, url: `wss://127.0.0.1:${port}/ocpp` };
}

async function profile3Csms() {
  const server = new CsmsServer({ protocols: [fixture201], path: '/ocpp', securityProfile: 3, organizationName: 'ocppkit test CSO' });
  const { port } = await server.listen({ tls: { ...serverCert, ca: stationCa.cert } });
  return { server, url: `wss://127.0.0.1:${port}/ocpp` };
}

function profile2Station(url: string, ca: string) {
  return new StationClient({ url, identity: 'CS-TLS-1', protocols: [fixture201], securityProfile: 2, password: PASSWORD, tls: { ca }, reconnect: false });
}

function profile3Station(url: string, cert: Issued, identity = 'CS-TLS-1') {
  return new StationClient({ url, identity, protocols: [fixture201], securityProfile: 3, tls: { ca: csmsCa.cert, ...cert }, reconnect: false });
}

async function refusedWith(client: { connect(): Promise<unknown>; close(): Promise<void> }): Promise<Error> {
  try {
    await client.connect();
  } catch (e) {
    return e as Error;
  } finally {
    await client.close();
  }
  assert.unreachable('the connection should have been refused');
  throw new Error('unreachable');
}

test('TC_A_04_CS / A00.FR.308, A00.FR.301-304: profile 2 connects over TLS with the CSMS certificate checked and Basic auth', async () => {
  const { server, seen, url } = await profile2Csms(serverCert);
  const client = profile2Station(url, csmsCa.cert);
  const session = await client.connect();
  assert.is(session.protocol, 'ocpp2.0.1');
  assert.equal(seen.map((b) => b.toString()), [PASSWORD]);
  await client.close();
  await server.close();
});

test('TC_A_05_CS / A00.FR.310-311: a CSMS certificate from a CA other than the configured one is refused', async () => {
  const { server, seen, url } = await profile2Csms(foreignServerCert);
  const error = await refusedWith(profile2Station(url, csmsCa.cert));
  assert.instance(error, ConnectFailedError);
  assert.match((error as ConnectFailedError).reason, /UNABLE_TO_VERIFY|SELF_SIGNED|CERT/);
  assert.equal(seen, [], 'the password was never sent to the untrusted server');
  await server.close();
});

test('TC_A_05_CS / A00.FR.310: an expired CSMS certificate is refused', async () => {
  const { server, seen, url } = await profile2Csms(expiredServerCert);
  const error = (await refusedWith(profile2Station(url, csmsCa.cert))) as ConnectFailedError;
  assert.instance(error, ConnectFailedError);
  assert.is(error.reason, 'CERT_HAS_EXPIRED');
  assert.equal(seen, []);
  await server.close();
});

test('TC_A_05_CS / A00.FR.309: a CSMS certificate for another host name is refused', async () => {
  const { server, url } = await profile2Csms(wrongNameServerCert);
  const error = (await refusedWith(profile2Station(url, csmsCa.cert))) as ConnectFailedError;
  assert.instance(error, ConnectFailedError);
  assert.is(error.reason, 'ERR_TLS_CERT_ALTNAME_INVALID');
  await server.close();
});

test('TC_A_06_CS / A00.FR.313: a CSMS that only speaks TLS 1.1 is refused', async () => {
  const https = createServer({ ...serverCert, minVersion: 'TLSv1', maxVersion: 'TLSv1.1' });
  await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
  const url = `wss://127.0.0.1:${(https.address() as AddressInfo).port}/ocpp`;
  const error = await refusedWith(profile2Station(url, csmsCa.cert));
  assert.instance(error, ConnectFailedError);
  https.closeAllConnections();
  await new Promise((r) => https.close(r));
});

test('TC_A_07_CS / A00.FR.401-405: profile 3 connects with a client certificate whose CN is the identity', async () => {
  const { server, url } = await profile3Csms();
  const client = profile3Station(url, stationCert);
  const stationP = once(server, 'station');
  const session = await client.connect();
  await stationP;
  assert.is(session.protocol, 'ocpp2.0.1');
  assert.ok(server.session('CS-TLS-1'));
  await client.close();
  await server.close();
});

test('TC_A_08_CSMS / A00.FR.407: a station without a client certificate is refused (A00.FR.002: other profile)', async () => {
  const { server, url } = await profile3Csms();
  const error = await refusedWith(profile2Station(url, csmsCa.cert));
  assert.instance(error, ConnectFailedError);
  assert.is(server.stationCount, 0);
  await server.close();
});

test('TC_A_08_CSMS / A00.FR.403, A00.FR.407: a client certificate from an unknown CA is refused', async () => {
  const { server, url } = await profile3Csms();
  const error = await refusedWith(profile3Station(url, foreignStationCert));
  assert.instance(error, ConnectFailedError);
  assert.is(server.stationCount, 0);
  await server.close();
});

test('TC_A_08_CSMS / A00.FR.407: an expired client certificate is refused', async () => {
  const { server, url } = await profile3Csms();
  const error = await refusedWith(profile3Station(url, expiredStationCert));
  assert.instance(error, ConnectFailedError);
  assert.is(server.stationCount, 0);
  await server.close();
});

test('TC_A_08_CSMS / A00.FR.405: a valid certificate of another station (CN ≠ identity) is refused with 401', async () => {
  const { server, url } = await profile3Csms();
  const refusedP = once<[{ status: number; reason: string }]>(server, 'refused');
  const error = await refusedWith(profile3Station(url, otherStationCert, 'CS-TLS-1'));
  assert.instance(error, HandshakeRefusedError);
  assert.is((error as HandshakeRefusedError).status, 401);
  const [info] = await refusedP;
  assert.match(info.reason, /A00\.FR\.405/);
  await server.close();
});

test('A00.FR.001/004: a station configured with a profile that does not fit its URL or credentials is rejected before connecting', () => {
  const base = { identity: 'CS', protocols: [fixture201] } as const;
  assert.throws(() => new StationClient({ ...base, url: 'ws://127.0.0.1:1/o', securityProfile: 2, password: PASSWORD }), /needs a wss:\/\/ url/);
  assert.throws(() => new StationClient({ ...base, url: 'wss://127.0.0.1:1/o', securityProfile: 1, password: PASSWORD }), /needs a ws:\/\/ url/);
  assert.throws(() => new StationClient({ ...base, url: 'ws://127.0.0.1:1/o', securityProfile: 1 }), /needs a password/);
  assert.throws(() => new StationClient({ ...base, url: 'wss://127.0.0.1:1/o', securityProfile: 3 }), /tls\.cert and tls\.key/);
  assert.throws(() => new CsmsServer({ protocols: [fixture201], securityProfile: 2 }), /authenticate callback/);
});

test.run();
