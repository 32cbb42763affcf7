// Security profiles 2 and 3 over real TLS with certificates made at test time (test/support/pki.ts):
// what connects, and every certificate that must be refused (Part 2 A00, OCTT TC_A_04..08).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type ServerOptions } from 'node:https';
import { connect as tcpConnect, createServer as createTcpServer, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import {
  ConnectFailedError,
  CsmsServer,
  HandshakeRefusedError,
  passwordMatches,
  StationClient,
} from '../../runtime/rpc/index.js';
import { protocol as v201 } from '../../generated/v201/index.js';
import { createCa, expired, issue, type Ca, type Issued } from '../support/pki.js';
import { once } from '../support/rpc-harness.js';

const PASSWORD = 'profile-two-password-0123';
let csmsCa: Ca, stationCa: Ca, otherCa: Ca;
let serverCert: Issued, expiredServerCert: Issued, wrongNameServerCert: Issued, foreignServerCert: Issued;
let stationCert: Issued,
  expiredStationCert: Issued,
  foreignStationCert: Issued,
  otherStationCert: Issued,
  otherCsoStationCert: Issued;

test.before(async () => {
  [csmsCa, stationCa, otherCa] = await Promise.all([
    createCa('CSMS Root'),
    createCa('Station CA'),
    createCa('Some Other CA'),
  ]);
  [
    serverCert,
    expiredServerCert,
    wrongNameServerCert,
    foreignServerCert,
    stationCert,
    expiredStationCert,
    foreignStationCert,
    otherStationCert,
    otherCsoStationCert,
  ] = await Promise.all([
    issue(csmsCa, { commonName: '127.0.0.1', ips: ['127.0.0.1'] }),
    issue(csmsCa, { commonName: '127.0.0.1', ips: ['127.0.0.1'], ...expired() }),
    issue(csmsCa, { commonName: 'csms.example.com', dns: ['csms.example.com'] }),
    issue(otherCa, { commonName: '127.0.0.1', ips: ['127.0.0.1'] }),
    issue(stationCa, { commonName: 'CS-TLS-1' }),
    issue(stationCa, { commonName: 'CS-TLS-1', ...expired() }),
    issue(otherCa, { commonName: 'CS-TLS-1' }),
    issue(stationCa, { commonName: 'CS-TLS-2' }),
    issue(stationCa, { commonName: 'CS-TLS-1', organization: 'Another Operator' }),
  ]);
});

async function profile2Csms(cert: Issued) {
  const seen: Buffer[] = [];
  const server = new CsmsServer({
    protocols: [v201],
    path: '/ocpp',
    securityProfile: 2,
    authenticate: ({ password }) => (
      password && seen.push(password),
      password !== undefined && passwordMatches(password, PASSWORD)
    ),
  });
  const { port } = await server.listen({ tls: cert });
  return { server, seen, url: `wss://127.0.0.1:${port}/ocpp` };
}

async function profile3Csms() {
  const server = new CsmsServer({
    protocols: [v201],
    path: '/ocpp',
    securityProfile: 3,
    organizationName: 'ocppkit test CSO',
  });
  const { port } = await server.listen({ tls: { ...serverCert, ca: stationCa.cert } });
  return { server, url: `wss://127.0.0.1:${port}/ocpp` };
}

function profile2Station(url: string, ca: string) {
  return new StationClient({
    url,
    identity: 'CS-TLS-1',
    protocols: [v201],
    securityProfile: 2,
    password: PASSWORD,
    tls: { ca },
    reconnect: false,
  });
}

function profile3Station(url: string, cert: Issued, identity = 'CS-TLS-1') {
  return new StationClient({
    url,
    identity,
    protocols: [v201],
    securityProfile: 3,
    tls: { ca: csmsCa.cert, ...cert },
    reconnect: false,
  });
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

test('TC_A_04_CS / A00.FR.301, A00.FR.302, A00.FR.303, A00.FR.308, A00.FR.312: profile 2 connects over TLS with the CSMS certificate checked and Basic auth', async () => {
  const { server, seen, url } = await profile2Csms(serverCert);
  const client = profile2Station(url, csmsCa.cert);
  const session = await client.connect();
  assert.is(session.protocol, 'ocpp2.0.1');
  assert.equal(
    seen.map((b) => b.toString()),
    [PASSWORD],
  );
  await client.close();
  await server.close();
});

test('TC_A_05_CS / A00.FR.308, A00.FR.311: a CSMS certificate from a CA other than the configured one is refused', async () => {
  const { server, seen, url } = await profile2Csms(foreignServerCert);
  const error = await refusedWith(profile2Station(url, csmsCa.cert));
  assert.instance(error, ConnectFailedError);
  assert.match((error as ConnectFailedError).reason, /UNABLE_TO_VERIFY|SELF_SIGNED|CERT/);
  assert.equal(seen, [], 'the password was never sent to the untrusted server');
  await server.close();
});

test('TC_A_05_CS / A00.FR.308, A00.FR.311: an expired CSMS certificate is refused', async () => {
  const { server, seen, url } = await profile2Csms(expiredServerCert);
  const error = (await refusedWith(profile2Station(url, csmsCa.cert))) as ConnectFailedError;
  assert.instance(error, ConnectFailedError);
  assert.is(error.reason, 'CERT_HAS_EXPIRED');
  assert.equal(seen, []);
  await server.close();
});

test('TC_A_05_CS / A00.FR.309, A00.FR.412: a CSMS certificate for another host name is refused', async () => {
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

test('TC_A_07_CS / A00.FR.401, A00.FR.402, A00.FR.403, A00.FR.405, A00.FR.409, A00.FR.411, A00.FR.415: profile 3 connects with a client certificate whose CN is the identity', async () => {
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

test('TC_A_08_CSMS / A00.FR.403, A00.FR.407: an expired client certificate is refused', async () => {
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

test('TC_A_08_CSMS / A00.FR.404: a certificate whose O does not name the configured CSO is refused with 401', async () => {
  const { server, url } = await profile3Csms();
  const refusedP = once<[{ reason: string }]>(server, 'refused');
  const error = await refusedWith(profile3Station(url, otherCsoStationCert));
  assert.is((error as HandshakeRefusedError).status, 401);
  assert.match((await refusedP)[0].reason, /A00\.FR\.404/);
  await server.close();
});

test('A00.FR.001 A00.FR.004: a station configured with a profile that does not fit its URL or credentials is rejected before connecting', () => {
  const base = { identity: 'CS', protocols: [v201] } as const;
  assert.throws(
    () => new StationClient({ ...base, url: 'ws://127.0.0.1:1/o', securityProfile: 2, password: PASSWORD }),
    /needs a wss:\/\/ url/,
  );
  assert.throws(
    () => new StationClient({ ...base, url: 'wss://127.0.0.1:1/o', securityProfile: 1, password: PASSWORD }),
    /needs a ws:\/\/ url/,
  );
  assert.throws(
    () => new StationClient({ ...base, url: 'ws://127.0.0.1:1/o', securityProfile: 1 }),
    /needs a password/,
  );
  assert.throws(
    () => new StationClient({ ...base, url: 'wss://127.0.0.1:1/o', securityProfile: 3 }),
    /tls\.cert and tls\.key/,
  );
  assert.throws(() => new CsmsServer({ protocols: [v201], securityProfile: 2 }), /authenticate callback/);
});

/**
 * A bare TLS WebSocket endpoint (not ocppkit's CsmsServer, so that TLS can be narrowed beyond what CsmsServer
 * offers) that accepts ocpp2.0.1 and records what each TLS handshake negotiated.
 */
async function bareTlsCsms(options: ServerOptions) {
  const https = createServer(options);
  const handshakes: Array<{ cipher: string; version: string | null; peer?: { CN?: string; validTo: string } }> = [];
  https.on('secureConnection', (socket: TLSSocket) => {
    const peer = socket.getPeerCertificate();
    handshakes.push({
      cipher: socket.getCipher().standardName,
      version: socket.getProtocol(),
      ...(peer && peer.subject ? { peer: { CN: peer.subject.CN as string, validTo: peer.valid_to } } : {}),
    });
  });
  const wss = new WebSocketServer({ server: https, handleProtocols: () => 'ocpp2.0.1' });
  await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
  return {
    url: `wss://127.0.0.1:${(https.address() as AddressInfo).port}/ocpp`,
    handshakes,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      https.closeAllConnections();
      await new Promise((r) => https.close(r));
    },
  };
}

test('A00.FR.319 A00.FR.422: with its default TLS settings the station connects with TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 and with _AES_256_GCM_SHA384 (TLS 1.2)', async () => {
  for (const [openssl, iana] of [
    ['ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
    ['ECDHE-ECDSA-AES256-GCM-SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
  ]) {
    const csms = await bareTlsCsms({ ...serverCert, maxVersion: 'TLSv1.2', ciphers: openssl });
    const client = profile2Station(csms.url, csmsCa.cert);
    try {
      const session = await client.connect();
      assert.is(session.protocol, 'ocpp2.0.1');
      assert.equal(
        csms.handshakes.map((h) => [h.cipher, h.version]),
        [[iana, 'TLSv1.2']],
      );
    } finally {
      await client.close();
      await csms.close();
    }
  }
});

test('A00.FR.003: a profile 2 station never falls back to the unsecured connection of a profile 1 CSMS', async () => {
  const server = new CsmsServer({ protocols: [v201], path: '/ocpp', securityProfile: 1, authenticate: () => true });
  const { port } = await server.listen();
  const error = await refusedWith(profile2Station(`wss://127.0.0.1:${port}/ocpp`, csmsCa.cert));
  assert.instance(error, ConnectFailedError);
  assert.is(server.stationCount, 0);
  await server.close();
});

test('A00.FR.430 (2.1): a station whose certificate has expired still connects and leaves the decision to the CSMS', async () => {
  // A CSMS that asks for a client certificate but does not reject one that fails verification.
  const csms = await bareTlsCsms({ ...serverCert, ca: stationCa.cert, requestCert: true, rejectUnauthorized: false });
  const client = profile3Station(csms.url, expiredStationCert);
  try {
    await client.connect();
    assert.is(csms.handshakes.length, 1);
    assert.is(csms.handshakes[0]!.peer?.CN, 'CS-TLS-1');
    assert.ok(Date.parse(csms.handshakes[0]!.peer!.validTo) < Date.now(), 'the expired certificate was presented');
  } finally {
    await client.close();
    await csms.close();
  }
});

/** A profile 2 station with the integrator's own TLS settings on top of the CSMS root. */
function tunedStation(url: string, tls: Record<string, unknown>) {
  return new StationClient({
    url,
    identity: 'CS-TLS-1',
    protocols: [v201],
    securityProfile: 2,
    password: PASSWORD,
    tls: { ca: csmsCa.cert, ...tls },
    reconnect: false,
  });
}

test('A00.FR.416 (2.1): TLS 1.0 and 1.1 are refused even when the integrator asks for them (minVersion TLSv1, security level 0)', async () => {
  // Both ends would agree on TLS 1.1 were the station not held at TLS 1.2: the CSMS allows it at security level 0,
  // and so would the station's own cipher list.
  for (const maxVersion of ['TLSv1', 'TLSv1.1'] as const) {
    const csms = await bareTlsCsms({ ...serverCert, minVersion: 'TLSv1', maxVersion, ciphers: 'DEFAULT:@SECLEVEL=0' });
    try {
      const error = await refusedWith(tunedStation(csms.url, { minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' }));
      assert.instance(error, ConnectFailedError, maxVersion);
      assert.equal(csms.handshakes, [], `${maxVersion}: no handshake completed`);
    } finally {
      await csms.close();
    }
  }
  // The control: the same CSMS settings with TLS 1.2 allowed connect with TLS 1.2.
  const csms = await bareTlsCsms({ ...serverCert, minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
  const client = tunedStation(csms.url, { minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
  try {
    await client.connect();
    assert.ok(['TLSv1.2', 'TLSv1.3'].includes(csms.handshakes[0]?.version ?? ''), 'TLS 1.2 or above');
  } finally {
    await client.close();
    await csms.close();
  }
});

test('A00.FR.320 A00.FR.423 (2.1): suites without encryption or without authentication are never negotiated, not even when the integrator lists them', async () => {
  const unfit = ['ECDHE-ECDSA-NULL-SHA', 'AECDH-AES128-SHA'];
  for (const suite of unfit) {
    const csms = await bareTlsCsms({ ...serverCert, maxVersion: 'TLSv1.2', ciphers: `${suite}:@SECLEVEL=0` });
    try {
      for (const tls of [{}, { ciphers: `${unfit.join(':')}:ECDHE-ECDSA-AES128-GCM-SHA256:@SECLEVEL=0` }]) {
        const error = await refusedWith(tunedStation(csms.url, tls));
        assert.instance(error, ConnectFailedError, `${suite} with ${JSON.stringify(tls)}`);
      }
      assert.equal(csms.handshakes, [], `${suite}: no handshake completed`);
    } finally {
      await csms.close();
    }
  }
});

/** A raw TLS client's handshake with a server: the version it agreed on, or the error that ended it. */
function rawHandshake(port: number, options: ConnectionOptions): Promise<{ version: string | null } | Error> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ...options }, () => {
      resolve({ version: socket.getProtocol() });
      socket.destroy();
    });
    socket.on('error', (e) => resolve(e));
  });
}

test('A00.FR.314 A00.FR.417: both ends check the TLS version: the station refuses a TLS 1.1 CSMS, the CsmsServer a TLS 1.1 station (profiles 2 and 3)', async () => {
  // The station's end (as TC_A_06_CS): a CSMS that goes no higher than TLS 1.1 is refused.
  const old = await bareTlsCsms({
    ...serverCert,
    minVersion: 'TLSv1',
    maxVersion: 'TLSv1.1',
    ciphers: 'DEFAULT:@SECLEVEL=0',
  });
  try {
    assert.instance(await refusedWith(profile2Station(old.url, csmsCa.cert)), ConnectFailedError);
    assert.equal(old.handshakes, [], 'no handshake completed');
  } finally {
    await old.close();
  }
  // The CSMS's end: a client that offers TLS 1.1 at most is refused, the same client at TLS 1.2 is not.
  const p2 = await profile2Csms(serverCert);
  const p3 = await profile3Csms();
  try {
    for (const [csms, own] of [
      [p2, {}],
      [p3, stationCert],
    ] as const) {
      const port = Number(new URL(csms.url).port);
      const base = { ca: csmsCa.cert, ...own, minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' } as const;
      const refused = await rawHandshake(port, { ...base, maxVersion: 'TLSv1.1' });
      assert.instance(refused, Error, `${csms.url}: TLS 1.1 refused`);
      assert.is((refused as NodeJS.ErrnoException).code, 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'by the server');
      assert.equal(await rawHandshake(port, { ...base, maxVersion: 'TLSv1.2' }), { version: 'TLSv1.2' });
    }
  } finally {
    await p2.server.close();
    await p3.server.close();
  }
});

test('A00.FR.317 A00.FR.420: the station speaks standard TLS: it completes unmodified TLS 1.3 and TLS 1.2 handshakes with a stock server, with and without a client certificate', async () => {
  const cases = [
    { server: { ...serverCert }, profile: 2, version: 'TLSv1.3' },
    { server: { ...serverCert, maxVersion: 'TLSv1.2' as const }, profile: 2, version: 'TLSv1.2' },
    {
      server: { ...serverCert, ca: stationCa.cert, requestCert: true, rejectUnauthorized: true },
      profile: 3,
      version: 'TLSv1.3',
    },
    {
      server: {
        ...serverCert,
        ca: stationCa.cert,
        requestCert: true,
        rejectUnauthorized: true,
        maxVersion: 'TLSv1.2' as const,
      },
      profile: 3,
      version: 'TLSv1.2',
    },
  ];
  for (const c of cases) {
    const csms = await bareTlsCsms(c.server);
    const client = c.profile === 2 ? profile2Station(csms.url, csmsCa.cert) : profile3Station(csms.url, stationCert);
    try {
      const session = await client.connect();
      assert.is(session.protocol, 'ocpp2.0.1');
      assert.equal(
        csms.handshakes.map((h) => [h.version, h.peer?.CN]),
        [[c.version, c.profile === 3 ? 'CS-TLS-1' : undefined]],
        `profile ${c.profile}, ${c.version}`,
      );
    } finally {
      await client.close();
      await csms.close();
    }
  }
});

/** The compression methods a TLS ClientHello offers (RFC 5246 §7.4.1.2), from the first TLS record a client sends. */
function offeredCompression(hello: Buffer): number[] {
  assert.is(hello[0], 0x16, 'a handshake record');
  assert.is(hello[5], 0x01, 'a ClientHello');
  let at = 5 + 4 + 2 + 32; // record header, handshake header, client_version, random
  at += 1 + hello[at]!; // session_id
  at += 2 + hello.readUInt16BE(at); // cipher_suites
  return [...hello.subarray(at + 1, at + 1 + hello[at]!)];
}

/** A TCP server on 127.0.0.1 that keeps the first complete TLS record a client sends, then hangs up. */
async function helloCatcher() {
  let resolveHello!: (b: Buffer) => void;
  const hello = new Promise<Buffer>((r) => (resolveHello = r));
  const server = createTcpServer((socket: Socket) => {
    let data = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 5 && data.length >= 5 + data.readUInt16BE(3)) {
        resolveHello(data.subarray(0, 5 + data.readUInt16BE(3)));
        socket.destroy();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `wss://127.0.0.1:${(server.address() as AddressInfo).port}/ocpp`,
    hello,
    close: () => new Promise((r) => server.close(r)),
  };
}

test('A00.FR.321 A00.FR.424: the station offers no TLS compression: its ClientHello lists the null method only (profiles 2 and 3)', async () => {
  for (const make of [
    (url: string) => profile2Station(url, csmsCa.cert),
    (url: string) => profile3Station(url, stationCert),
  ]) {
    const catcher = await helloCatcher();
    try {
      const refused = refusedWith(make(catcher.url));
      assert.equal(offeredCompression(await catcher.hello), [0], 'only the null compression method');
      assert.instance(await refused, ConnectFailedError);
    } finally {
      await catcher.close();
    }
  }
});

test('A00.FR.321 A00.FR.424: the CsmsServer does not use TLS compression even when a client offers DEFLATE: its ServerHello picks the null method', async () => {
  // A TLS 1.2 ClientHello (Node's client, caught before it reaches a server), rewritten to offer DEFLATE (1) first.
  const catcher = await helloCatcher();
  const socket = tlsConnect({ host: '127.0.0.1', port: Number(new URL(catcher.url).port), maxVersion: 'TLSv1.2' });
  socket.on('error', () => {});
  const hello = await catcher.hello;
  await catcher.close();
  assert.equal(offeredCompression(hello), [0]);
  let at = 5 + 4 + 2 + 32;
  at += 1 + hello[at]!;
  at += 2 + hello.readUInt16BE(at);
  const offered = Buffer.concat([hello.subarray(0, at), Buffer.from([2, 1, 0]), hello.subarray(at + 2)]);
  offered.writeUInt16BE(offered.length - 5, 3);
  offered.writeUIntBE(offered.length - 9, 6, 3);
  assert.equal(offeredCompression(offered), [1, 0]);
  const { server, url } = await profile2Csms(serverCert);
  try {
    const answer = await new Promise<Buffer>((resolve, reject) => {
      const raw = tcpConnect({ host: '127.0.0.1', port: Number(new URL(url).port) }, () => raw.write(offered));
      let data = Buffer.alloc(0);
      raw.on('data', (chunk) => {
        data = Buffer.concat([data, chunk]);
        if (data.length >= 5 && data.length >= 5 + data.readUInt16BE(3)) {
          resolve(data.subarray(0, 5 + data.readUInt16BE(3)));
          raw.destroy();
        }
      });
      raw.on('error', reject);
    });
    assert.is(answer[0], 0x16, 'a handshake record, not an alert');
    assert.is(answer[5], 0x02, 'a ServerHello');
    let pos = 5 + 4 + 2 + 32;
    pos += 1 + answer[pos]!; // session_id
    pos += 2; // cipher_suite
    assert.is(answer[pos], 0, 'compression_method null');
  } finally {
    socket.destroy();
    await server.close();
  }
});

test('A00.FR.501 A00.FR.502: a CSMS certificate with an RSA key under 2048 bits (under 112-bit strength) is refused; 2048 bits connects', async () => {
  const [weak, strong] = await Promise.all([
    issue(csmsCa, { commonName: '127.0.0.1', ips: ['127.0.0.1'], rsaBits: 1024 }),
    issue(csmsCa, { commonName: '127.0.0.1', ips: ['127.0.0.1'], rsaBits: 2048 }),
  ]);
  const weakCsms = await bareTlsCsms({ ...weak, ciphers: 'DEFAULT:@SECLEVEL=0' });
  try {
    // Even when the integrator lowers OpenSSL's security level, the station holds it at 112 bits.
    for (const tls of [{}, { ciphers: 'DEFAULT:@SECLEVEL=0' }]) {
      const error = (await refusedWith(tunedStation(weakCsms.url, tls))) as ConnectFailedError;
      assert.instance(error, ConnectFailedError);
      assert.match(error.message, /too weak|too small/i, JSON.stringify(tls));
    }
    assert.equal(weakCsms.handshakes, []);
  } finally {
    await weakCsms.close();
  }
  const strongCsms = await bareTlsCsms({ ...strong });
  const client = profile2Station(strongCsms.url, csmsCa.cert);
  try {
    await client.connect();
    assert.is(strongCsms.handshakes.length, 1);
  } finally {
    await client.close();
    await strongCsms.close();
  }
});

test('A00.FR.501 A00.FR.502: the CsmsServer refuses a station certificate with an RSA key under 2048 bits (profile 3); 2048 bits connects', async () => {
  const [weak, strong] = await Promise.all([
    issue(stationCa, { commonName: 'CS-TLS-1', rsaBits: 1024 }),
    issue(stationCa, { commonName: 'CS-TLS-1', rsaBits: 2048 }),
  ]);
  const { server, url } = await profile3Csms();
  const port = Number(new URL(url).port);
  try {
    // A raw client that would use the weak key (its own security level lowered), so that the server's check is seen;
    // TLS 1.2, where the server judges the client certificate before the client's handshake completes.
    const raw = { ca: csmsCa.cert, ciphers: 'DEFAULT:@SECLEVEL=0', maxVersion: 'TLSv1.2' } as const;
    assert.instance(await rawHandshake(port, { ...raw, ...weak }), Error, 'the weak client certificate is refused');
    assert.equal(await rawHandshake(port, { ...raw, ...strong }), { version: 'TLSv1.2' });
    assert.is(server.stationCount, 0);
  } finally {
    await server.close();
  }
});

test('A00.FR.501 A00.FR.503: the CsmsServer refuses a station certificate on an elliptic curve under 224 bits (P-192); P-256 connects', async () => {
  const weak = await issue(stationCa, { commonName: 'CS-TLS-1', curve: 'prime192v1' });
  const { server, url } = await profile3Csms();
  const port = Number(new URL(url).port);
  try {
    // A raw client (its own security level lowered) that presents the certificate, over TLS 1.2 as above.
    const raw = { ca: csmsCa.cert, ciphers: 'DEFAULT:@SECLEVEL=0', maxVersion: 'TLSv1.2' } as const;
    assert.instance(await rawHandshake(port, { ...raw, ...weak }), Error, 'the P-192 client certificate is refused');
    assert.equal(await rawHandshake(port, { ...raw, ...stationCert }), { version: 'TLSv1.2' });
  } finally {
    await server.close();
  }
});

test.run();
