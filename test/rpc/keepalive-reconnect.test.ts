// Keep-alive (WebSocket ping/pong) on both ends and the station's reconnect back-off, on real sockets with an
// injected clock: no test waits for the intervals to pass.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WebSocket } from 'ws';
import { CsmsServer, HandshakeRefusedError, StationClient } from '../../runtime/rpc/index.js';
import { protocol as v201 } from '../../generated/v201/index.js';
import { FakeTimers, rawCsms, until } from '../support/rpc-harness.js';

function countPings(ws: WebSocket): { n: number } {
  const c = { n: 0 };
  ws.on('ping', () => c.n++);
  return c;
}

test('Part 4 §8.4 WebSocketPingInterval: the station pings at the interval and stays connected while pongs come back', async () => {
  const timers = new FakeTimers();
  const csms = await rawCsms();
  const client = new StationClient({
    url: csms.url,
    identity: 'KA1',
    protocols: [v201],
    timers,
    pingIntervalSeconds: 10,
  });
  await client.connect();
  const pipe = csms.connections[0]!;
  const pings = countPings(pipe.ws);
  for (let i = 1; i <= 3; i++) {
    timers.advance(9_999);
    await new Promise((r) => setTimeout(r, 20));
    assert.is(pings.n, i - 1, 'no ping before the interval');
    timers.advance(1);
    await until(() => pings.n === i, 2000, `ping ${i}`);
    // The CSMS's pong went out before this CALL: once the station has answered it, it has seen the pong.
    pipe.send([2, `after-ping-${i}`, 'Reset', { type: 'Immediate' }]);
    await pipe.next();
  }
  assert.ok(client.current?.connected);
  await client.close();
  await csms.close();
});

test('Part 4 §5.2, OCPP-J 1.6 errata §3.11: when pongs stop, the station closes the connection and reconnects', async () => {
  const timers = new FakeTimers();
  const csms = await rawCsms({ autoPong: false });
  const client = new StationClient({
    url: csms.url,
    identity: 'KA2',
    protocols: [v201],
    timers,
    pingIntervalSeconds: 10,
    backoff: { retryBackOffWaitMinimum: 5, retryBackOffRandomRange: 0 },
  });
  const events: string[] = [];
  client.on('disconnected', (e) => events.push(`disconnected ${e.code} retry ${e.retryInMs}`));
  client.on('connected', () => events.push('connected'));
  await client.connect();
  const pings = countPings(csms.connections[0]!.ws);
  timers.advance(10_000);
  await until(() => pings.n === 1, 2000, 'the first ping');
  timers.advance(10_000); // no pong arrived: terminate
  await until(() => events.length === 2, 2000, 'the disconnect');
  assert.equal(events, ['connected', 'disconnected 1006 retry 5000']);
  timers.advance(5_000);
  await until(() => events.length === 3, 2000, 'the reconnection');
  assert.is(csms.connections.length, 2);
  await client.close();
  await csms.close();
});

test('Part 4 §8.4: WebSocketPingInterval 0 disables pings; a negative value is refused', async () => {
  const timers = new FakeTimers();
  const csms = await rawCsms();
  const client = new StationClient({
    url: csms.url,
    identity: 'KA3',
    protocols: [v201],
    timers,
    pingIntervalSeconds: 0,
  });
  await client.connect();
  const pings = countPings(csms.connections[0]!.ws);
  timers.advance(3_600_000);
  await new Promise((r) => setTimeout(r, 30));
  assert.is(pings.n, 0);
  assert.throws(
    () => new StationClient({ url: csms.url, identity: 'x', protocols: [v201], pingIntervalSeconds: -1 }),
    /pingIntervalSeconds/,
  );
  await client.close();
  await csms.close();
});

test('CSMS keep-alive: one shared timer pings every station and terminates the one that stops answering', async () => {
  const timers = new FakeTimers();
  const server = new CsmsServer({ protocols: [v201], path: '/ocpp', timers, pingIntervalSeconds: 30 });
  const { port } = await server.listen();
  const open = (id: string, autoPong: boolean) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ocpp/${id}`, ['ocpp2.0.1'], { autoPong });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  const [a, b, mute] = await Promise.all([open('A', true), open('B', true), open('MUTE', false)]);
  try {
    await until(() => server.stationCount === 3, 2000, 'three stations');
    assert.is(timers.pending, 1, 'one interval for all stations, no per-connection timers');
    const pings = [a!, b!, mute!].map(countPings);
    timers.advance(30_000);
    await until(() => pings.every((p) => p.n === 1), 2000, 'the first sweep');
    // A and B answered with a pong before this CALL on the same connection: once its CALLERROR is back, the
    // server has seen their pongs.
    await Promise.all(
      [a!, b!].map(
        (ws) =>
          new Promise<void>((resolve) => {
            ws.once('message', () => resolve());
            ws.send(JSON.stringify([2, 'after-pong', 'Heartbeat', {}]));
          }),
      ),
    );
    timers.advance(30_000);
    await until(() => server.stationCount === 2, 2000, 'the mute station to be dropped');
    assert.ok(server.session('A') && server.session('B') && !server.session('MUTE'));
  } finally {
    a!.terminate();
    b!.terminate();
    mute!.terminate();
    await server.close();
  }
});

test('TC_B_57_CS / Part 4 §5.3: reconnect after RetryBackOffWaitMinimum, doubled after a refused attempt, reset after success', async () => {
  const timers = new FakeTimers();
  // Attempt 0: initial connection; 1: accepted reconnection; 2: refused; 3: accepted.
  const csms = await rawCsms({ refuse: (attempt) => (attempt === 2 ? 503 : undefined) });
  const client = new StationClient({
    url: csms.url,
    identity: 'B57',
    protocols: [v201],
    timers,
    pingIntervalSeconds: 0,
    backoff: { retryBackOffWaitMinimum: 10, retryBackOffRandomRange: 0, retryBackOffRepeatTimes: 2 },
  });
  const log: string[] = [];
  client.on('disconnected', (e) => log.push(`lost, retry in ${e.retryInMs}`));
  client.on('connectFailed', (e) =>
    log.push(`failed ${(e.error as HandshakeRefusedError).status}, retry in ${e.retryInMs}`),
  );
  client.on('connected', () => log.push('connected'));
  await client.connect();

  // 1. The OCTT closes the connection; 2. the station waits RetryBackOffWaitMinimum and reconnects; 3. accepted.
  csms.connections[0]!.ws.close();
  await until(() => log.length === 2, 2000, 'the loss');
  timers.advance(9_999);
  await new Promise((r) => setTimeout(r, 30));
  assert.is(csms.requests.length, 1, 'not before RetryBackOffWaitMinimum');
  timers.advance(1);
  await until(() => log.length === 3, 2000, 'the reconnection');
  // 4. closed again; 5. after RetryBackOffWaitMinimum (reset by the success) the attempt is refused;
  // 7. the next attempt waits the doubled time; 8. accepted.
  csms.connections[1]!.ws.close();
  await until(() => log.length === 4, 2000, 'the second loss');
  timers.advance(10_000);
  await until(() => log.length === 5, 2000, 'the refused attempt');
  timers.advance(19_999);
  await new Promise((r) => setTimeout(r, 30));
  assert.is(csms.requests.length, 3);
  timers.advance(1);
  await until(() => log.length === 6, 2000, 'the accepted attempt');
  assert.equal(log, [
    'connected',
    'lost, retry in 10000',
    'connected',
    'lost, retry in 10000',
    'failed 503, retry in 20000',
    'connected',
  ]);
  await client.close();
  await csms.close();
});

test('Part 4 §5.3/§8.1-8.3: the wait doubles RetryBackOffRepeatTimes times, then stays; a new random part (≤ RandomRange) each attempt', async () => {
  const timers = new FakeTimers();
  const csms = await rawCsms({ refuse: () => 503 });
  const randoms = [0.5, 0.25, 0, 0.999, 0.5, 0.1];
  const client = new StationClient({
    url: csms.url,
    identity: 'BACKOFF',
    protocols: [v201],
    timers,
    random: () => randoms.shift() ?? 0,
    backoff: { retryBackOffWaitMinimum: 1, retryBackOffRandomRange: 2, retryBackOffRepeatTimes: 3 },
  });
  const waits: (number | undefined)[] = [];
  client.on('connectFailed', (e) => waits.push(e.retryInMs));
  void client.connect().catch(() => undefined);
  for (let i = 1; i <= 6; i++) {
    await until(() => waits.length === i, 2000, `failure ${i}`);
    timers.advance(waits[i - 1]!);
  }
  // base 1, 2, 4, 8, 8, 8 s plus random·2 s
  assert.equal(waits, [2000, 2500, 4000, 9998, 9000, 8200]);
  await client.close();
  await csms.close();
});

test('reconnect: false — the first failure rejects connect(), a loss leaves the client idle until connect() is called again', async () => {
  const csms = await rawCsms({ refuse: (n) => (n === 0 ? 503 : undefined) });
  const client = new StationClient({
    url: csms.url,
    identity: 'NORE',
    protocols: [v201],
    reconnect: false,
    pingIntervalSeconds: 0,
  });
  assert.is(((await client.connect().catch((e: unknown) => e)) as HandshakeRefusedError).status, 503);
  await client.connect();
  csms.connections[0]!.ws.close();
  await until(() => client.current === undefined, 2000, 'the loss');
  await new Promise((r) => setTimeout(r, 50));
  assert.is(csms.requests.length, 2, 'no automatic reconnection');
  await client.connect();
  assert.is(csms.requests.length, 3);
  await client.close();
  await csms.close();
});

test.run();
