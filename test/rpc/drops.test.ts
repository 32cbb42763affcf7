// A CSMS that drops the connection again and again (before answering, right after answering, and by refusing
// reconnection attempts): the station reconnects with the configured back-off, every CALL settles exactly once,
// none is lost, answers never go to the wrong CALL, and an answer computed for a dropped connection is never sent
// on the next one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CallTimeoutError, ConnectionClosedError, CsmsServer, StationClient } from '../../runtime/rpc/index.js';
import { protocol as v201 } from '../../generated/v201/index.js';
import { once, sleep, until } from '../support/rpc-harness.js';

test('Part 4 §5.3 + §4.1.1: repeated drops — every CALL answered once, none lost, waits follow the back-off, attempts refused in between', async () => {
  const processed: number[] = [];
  let handled = 0;
  let attempts = 0;
  const attemptTimes: number[] = [];
  const server = new CsmsServer({
    protocols: [v201],
    path: '/ocpp',
    // Every third reconnection attempt is refused: the wait doubles, then resets after the next success.
    authenticate: () => {
      attemptTimes.push(performance.now());
      return attempts++ % 3 === 2 ? { status: 503 } : true;
    },
  });
  const dropAfterAnswer = new Set<string>();
  server
    .handlers('ocpp2.0.1')
    .handle('DataTransfer', (req, ctx) => {
      const seq = Number(req.data);
      processed.push(seq);
      const n = handled++;
      if (n % 7 === 3) ctx.session.terminate(); // dropped before the answer: this answer is never sent
      if (n % 7 === 5) dropAfterAnswer.add(ctx.messageId);
      return { status: 'Accepted', data: seq };
    })
    .after('DataTransfer', (_req, _res, ctx) => {
      if (dropAfterAnswer.has(ctx.messageId)) ctx.session.terminate(); // dropped right after the answer went out
    });
  const { port } = await server.listen();

  const backoff = { retryBackOffWaitMinimum: 0.01, retryBackOffRandomRange: 0.005, retryBackOffRepeatTimes: 3 };
  const client = new StationClient({
    url: `ws://127.0.0.1:${port}/ocpp`,
    identity: 'DROPPY',
    protocols: [v201],
    backoff,
    callTimeoutMs: 2000,
    pingIntervalSeconds: 0,
  });
  const waits: { retryInMs: number; since: number }[] = [];
  let refused = 0;
  const record = (retryInMs: number | undefined) =>
    retryInMs !== undefined && waits.push({ retryInMs, since: performance.now() });
  client.on('disconnected', (e) => record(e.retryInMs));
  client.on('connectFailed', (e) => (refused++, record(e.retryInMs)));
  await client.connect();

  const N = 60;
  const results = new Map<number, unknown[]>();
  const maybeProcessed = new Set<number>();
  for (let seq = 1; seq <= N; seq++) {
    for (let tries = 0; ; tries++) {
      assert.ok(tries < 20, `CALL ${seq} never succeeded`);
      const session = client.current ?? (await once<[typeof client.current]>(client, 'connected', 5000))[0]!;
      try {
        const res = await session.call('DataTransfer', { vendorId: 'org.test.drops', data: String(seq) });
        results.set(seq, [...(results.get(seq) ?? []), res.data]);
        break;
      } catch (e) {
        if (e instanceof ConnectionClosedError) {
          if (e.sent) maybeProcessed.add(seq);
          continue;
        }
        if (e instanceof CallTimeoutError) continue;
        throw e;
      }
    }
  }
  await client.close();
  await server.close();

  // Every CALL resolved exactly once, with its own answer.
  assert.equal(
    [...results.keys()],
    Array.from({ length: N }, (_, i) => i + 1),
  );
  for (const [seq, answers] of results) assert.equal(answers, [seq], `answers to CALL ${seq}`);
  // None lost: the CSMS processed every one; it processed one twice only when the station could not know.
  for (let seq = 1; seq <= N; seq++) assert.ok(processed.includes(seq), `CALL ${seq} never reached the CSMS`);
  const twice = [...new Set(processed.filter((s, i) => processed.indexOf(s) !== i))];
  for (const seq of twice)
    assert.ok(maybeProcessed.has(seq), `CALL ${seq} was processed twice though the station had its answer`);
  // The drops really happened, and reconnection attempts were refused in between.
  assert.ok(waits.length >= 15, `only ${waits.length} losses/failures`);
  assert.ok(refused >= 5, `only ${refused} refused attempts`);
  assert.ok(maybeProcessed.size >= 5, `only ${maybeProcessed.size} CALLs lost their connection in flight`);
  // Every attempt came no earlier than the back-off wait announced for it.
  for (const w of waits) {
    const next = attemptTimes.find((t) => t >= w.since);
    assert.ok(
      next !== undefined && next - w.since >= w.retryInMs - 2,
      `attempt ${next! - w.since} ms after a ${w.retryInMs} ms wait`,
    );
    assert.ok(
      w.retryInMs >= 10 && w.retryInMs <= 80 + 5,
      `wait ${w.retryInMs} outside WaitMinimum·2^0..3 + RandomRange`,
    );
  }
  assert.ok(
    waits.some((w) => w.retryInMs >= 20),
    'a refused attempt doubled the wait',
  );
});

test('an answer computed for a dropped connection is never sent on the next one (station side)', async () => {
  const server = new CsmsServer({ protocols: [v201], path: '/ocpp' });
  const { port } = await server.listen();
  const client = new StationClient({
    url: `ws://127.0.0.1:${port}/ocpp`,
    identity: 'SLOW',
    protocols: [v201],
    backoff: { retryBackOffWaitMinimum: 0.005, retryBackOffRandomRange: 0 },
    pingIntervalSeconds: 0,
  });
  let answered = 0;
  client.session('ocpp2.0.1').handle('Reset', async () => {
    await sleep(80);
    answered++;
    return { status: 'Accepted' };
  });
  let stationP = once<[Parameters<Parameters<typeof server.on<'station'>>[1]>[0]]>(server, 'station');
  await client.connect();
  const [first] = await stationP;
  const pending = first.call('Reset', { type: 'Immediate' }).catch((e: unknown) => e);
  await sleep(10);
  stationP = once(server, 'station');
  first.terminate();
  const [second] = await stationP;
  const unknown: string[] = [];
  second.on('unknownResponse', (e) => unknown.push(e.messageId));
  assert.instance(await pending, ConnectionClosedError);
  await until(() => answered === 1, 2000, 'the slow handler');
  await sleep(30);
  assert.equal(unknown, [], 'the old answer did not reach the new connection');
  assert.is((await second.call('Reset', { type: 'Immediate' })).status, 'Accepted', 'the new connection works');
  await client.close();
  await server.close();
});

test.run();
