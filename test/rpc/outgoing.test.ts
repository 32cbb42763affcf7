// Outgoing CALLs of our station, observed by a scripted raw CSMS: validation before sending, one outstanding
// CALL per direction, unique MessageIds, timeouts, and how every kind of answer settles the CALL.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CallErrorResponse,
  CallTimeoutError,
  ConnectionClosedError,
  InvalidResponseError,
  OutgoingValidationError,
  StationClient,
} from '../../runtime/rpc/index.js';
import { protocol as v201 } from '../../generated/v201/index.js';
import { protocol as v21 } from '../../generated/v21/index.js';
import { FakeTimers, rawCsms, until } from '../support/rpc-harness.js';

async function stationAgainstRaw<const P extends typeof v201 | typeof v21>(protocol: P, timers?: FakeTimers) {
  const csms = await rawCsms();
  const client = new StationClient({
    url: csms.url,
    identity: 'OUT',
    protocols: [protocol] as const,
    timers,
    pingIntervalSeconds: 0,
    reconnect: false,
  });
  const session = await client.connect();
  const pipe = csms.connections[0]!;
  return { csms, client, session, pipe, close: async () => (await client.close(), await csms.close()) };
}

const boot = { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } } as const;

test('outgoing validation: an invalid request rejects with OutgoingValidationError naming the field, and nothing is sent', async () => {
  const t = await stationAgainstRaw(v201);
  const error = await t.session
    .call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M'.repeat(21), vendorName: 'V' } })
    .catch((e: unknown) => e);
  assert.instance(error, OutgoingValidationError);
  const e = error as OutgoingValidationError;
  assert.is(e.code, 'OutgoingValidation');
  assert.is(e.field, 'chargingStation.model');
  assert.is(e.callErrorCode, 'PropertyConstraintViolation');
  assert.match(e.message, /BootNotificationRequest\.chargingStation\.model: must be at most 20 characters/);
  const missing = (await t.session
    .call('BootNotification', { reason: 'PowerUp' } as never)
    .catch((x: unknown) => x)) as OutgoingValidationError;
  assert.is(missing.field, 'chargingStation');
  assert.ok(await t.pipe.nothingWithin(80), 'nothing reached the CSMS');
  await t.close();
});

test('outgoing: an action unknown at run time, one the station never sends, or a SEND passed to call() is refused before sending', async () => {
  const t = await stationAgainstRaw(v21);
  const s = t.session as unknown as {
    call(a: string, p: unknown): Promise<unknown>;
    send(a: string, p: unknown): Promise<unknown>;
  };
  assert.match(String(await s.call('Teleport', {}).catch((e: Error) => e.message)), /has no action "Teleport"/);
  assert.match(String(await s.call('Reset', { type: 'Immediate' }).catch((e: Error) => e.message)), /does not send it/);
  assert.match(
    String(await s.call('NotifyPeriodicEventStream', {}).catch((e: Error) => e.message)),
    /SEND message: use send\(\)/,
  );
  assert.match(String(await s.send('Heartbeat', {}).catch((e: Error) => e.message)), /is a CALL: use call\(\)/);
  assert.ok(await t.pipe.nothingWithin(80));
  await t.close();
});

test('Part 4 §4.1.1: one outstanding CALL per direction — later CALLs wait and go out in order; incoming CALLs are still answered', async () => {
  const t = await stationAgainstRaw(v201);
  t.client.session('ocpp2.0.1').handle('Reset', () => ({ status: 'Accepted' }));
  const results: string[] = [];
  const calls = [1, 2, 3].map((n) =>
    t.session.call('DataTransfer', { vendorId: `v${n}` }).then(
      (r) => results.push(`${n}:${r.status}`),
      (e: Error) => results.push(`${n}:${e.name}`),
    ),
  );
  const first = await t.pipe.next();
  assert.equal([first[0], first[2], first[3]], [2, 'DataTransfer', { vendorId: 'v1' }]);
  assert.ok(await t.pipe.nothingWithin(60), 'the second CALL waits for the first answer');
  assert.is(t.session.queuedCalls, 2);
  // A CALL from the CSMS crosses ours (§4.1.1 NOTE): it is answered while ours is outstanding.
  t.pipe.send([2, 'csms-1', 'Reset', { type: 'Immediate' }]);
  assert.equal(await t.pipe.next(), [3, 'csms-1', { status: 'Accepted' }]);
  t.pipe.send([3, first[1], { status: 'Accepted' }]);
  const second = await t.pipe.next();
  assert.equal(second[3], { vendorId: 'v2' });
  t.pipe.send([4, second[1], 'GenericError', 'no', {}]);
  const third = await t.pipe.next();
  assert.equal(third[3], { vendorId: 'v3' });
  t.pipe.send([3, third[1], { status: 'Rejected' }]);
  await Promise.allSettled(calls);
  assert.equal(results, ['1:Accepted', '2:CallErrorResponse', '3:Rejected']);
  await t.close();
});

test('Part 4 §4.1.4: MessageIds are unique strings of at most 36 characters, also across reconnects', async () => {
  const csms = await rawCsms();
  const client = new StationClient({
    url: csms.url,
    identity: 'IDS',
    protocols: [v201],
    pingIntervalSeconds: 0,
    backoff: { retryBackOffWaitMinimum: 0.005, retryBackOffRandomRange: 0 },
  });
  const ids: string[] = [];
  for (let round = 0; round < 3; round++) {
    const session = await client.connect();
    const pipe = csms.connections[round]!;
    for (let i = 0; i < 30; i++) {
      const p = session.call('Heartbeat', {});
      const frame = await pipe.next();
      ids.push(frame[1] as string);
      pipe.send([3, frame[1], { currentTime: '2025-01-01T00:00:00Z' }]);
      await p;
    }
    pipe.ws.close();
    await until(() => client.current === undefined, 2000, 'the disconnect');
  }
  assert.is(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 36));
  await client.close();
  await csms.close();
});

test('Part 4 §4.1.1: an unanswered CALL times out (CallTimeoutError), the next one goes out, a late answer is reported and ignored', async () => {
  const timers = new FakeTimers();
  const t = await stationAgainstRaw(v201, timers);
  const late: string[] = [];
  t.session.on('unknownResponse', (e) => late.push(e.messageId));
  const first = t.session.call('Heartbeat', {}, { timeoutMs: 5000 }).catch((e: unknown) => e);
  const second = t.session.call('DataTransfer', { vendorId: 'after-timeout' });
  const f1 = await t.pipe.next();
  timers.advance(4999);
  assert.ok(await t.pipe.nothingWithin(40), 'still waiting');
  timers.advance(1);
  const error = (await first) as CallTimeoutError;
  assert.instance(error, CallTimeoutError);
  assert.equal([error.code, error.action, error.messageId, error.timeoutMs], ['CallTimeout', 'Heartbeat', f1[1], 5000]);
  const f2 = await t.pipe.next();
  assert.equal(f2[3], { vendorId: 'after-timeout' });
  t.pipe.send([3, f1[1], { currentTime: '2025-01-01T00:00:00Z' }]); // too late
  t.pipe.send([3, f2[1], { status: 'Accepted' }]);
  assert.equal(await second, { status: 'Accepted' });
  assert.equal(late, [f1[1]]);
  await t.close();
});

test('a CALLERROR rejects the CALL with CallErrorResponse carrying the peer code, description and details', async () => {
  const t = await stationAgainstRaw(v201);
  const p = t.session.call('Heartbeat', {}).catch((e: unknown) => e);
  const f = await t.pipe.next();
  t.pipe.send([4, f[1], 'SecurityError', 'not accepted yet', { retry: 'later' }]);
  const e = (await p) as CallErrorResponse;
  assert.instance(e, CallErrorResponse);
  assert.equal(
    [e.code, e.description, e.details, e.action, e.messageId],
    ['SecurityError', 'not accepted yet', { retry: 'later' }, 'Heartbeat', f[1]],
  );
  await t.close();
});

test('an invalid CALLRESULT rejects with InvalidResponseError naming the field; 2.0.1 sends nothing back (no CALLRESULTERROR there)', async () => {
  const t = await stationAgainstRaw(v201);
  const p = t.session.call('Heartbeat', {}).catch((e: unknown) => e);
  const f = await t.pipe.next();
  t.pipe.send([3, f[1], { currentTime: 12 }]);
  const e = (await p) as InvalidResponseError;
  assert.instance(e, InvalidResponseError);
  assert.equal([e.field, e.callErrorCode], ['currentTime', 'TypeConstraintViolation']);
  assert.ok(await t.pipe.nothingWithin(60));
  await t.close();
});

test('Part 4 2.1 §4.2.3: an invalid CALLRESULT is answered with CALLRESULTERROR [5, id, code, description, {}]', async () => {
  const t = await stationAgainstRaw(v21);
  const p = t.session.call('BootNotification', boot).catch((e: unknown) => e);
  const f = await t.pipe.next();
  t.pipe.send([3, f[1], { currentTime: '2025-01-01T00:00:00Z', interval: 10 }]);
  assert.instance(await p, InvalidResponseError);
  const answer = await t.pipe.next();
  assert.equal(answer.slice(0, 3), [5, f[1], 'OccurrenceConstraintViolation']);
  assert.match(String(answer[3]), /status/);
  await t.close();
});

test('ConnectionClosedError: the outstanding CALL (sent: true) and queued ones (sent: false) reject once when the socket drops; calls while offline fail at once', async () => {
  const t = await stationAgainstRaw(v201);
  const outstanding = t.session.call('Heartbeat', {}).catch((e: unknown) => e);
  const queued = t.session.call('DataTransfer', { vendorId: 'q' }).catch((e: unknown) => e);
  await t.pipe.next();
  t.pipe.ws.terminate();
  const [a, b] = (await Promise.all([outstanding, queued])) as ConnectionClosedError[];
  assert.instance(a, ConnectionClosedError);
  assert.equal([a!.code, a!.sent, b!.sent], ['ConnectionClosed', true, false]);
  const offline = (await t.session.call('Heartbeat', {}).catch((e: unknown) => e)) as ConnectionClosedError;
  assert.equal([offline.code, offline.sent], ['ConnectionClosed', false]);
  await t.close();
});

test('call options: timeoutMs must be a positive number of milliseconds', async () => {
  const t = await stationAgainstRaw(v201);
  assert.match(
    String(await t.session.call('Heartbeat', {}, { timeoutMs: -1 }).catch((e: Error) => e.message)),
    /timeoutMs must be/,
  );
  assert.throws(
    () => new StationClient({ url: t.csms.url, identity: 'x', protocols: [v201], callTimeoutMs: 0 }),
    /callTimeoutMs must be/,
  );
  await t.close();
});

test.run();
