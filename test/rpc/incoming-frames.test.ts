// Every kind of bad incoming frame, sent by a raw WebSocket peer, is answered as the version's OCPP-J
// specification prescribes (table in docs/rpc.md), and the connection stays up and keeps serving.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CallError, CsmsServer, StationClient, type SessionEvents } from '../../runtime/rpc/index.js';
import { protocol as v16 } from '../../generated/v16/index.js';
import { protocol as v201 } from '../../generated/v201/index.js';
import { protocol as v21 } from '../../generated/v21/index.js';
import { rawClient, rawCsms, until, type FramePipe } from '../support/rpc-harness.js';

type AnyFixture = typeof v16 | typeof v201 | typeof v21;

async function csmsWithRawStation(protocol: AnyFixture) {
  const server = new CsmsServer({ protocols: [protocol] as const, path: '/ocpp' });
  const events: {
    badFrame: SessionEvents['badFrame'][0][];
    unknownResponse: string[];
    handlerError: unknown[];
    callResultError: string[];
  } = {
    badFrame: [],
    unknownResponse: [],
    handlerError: [],
    callResultError: [],
  };
  server.on('station', (s) => {
    s.on('badFrame', (e) => events.badFrame.push(e));
    s.on('unknownResponse', (e) => events.unknownResponse.push(e.messageId));
    s.on('handlerError', (e) => events.handlerError.push(e.error));
    s.on('callResultError', (e) => events.callResultError.push(e.code));
  });
  const h = server.handlers(protocol.name as 'ocpp2.0.1') as unknown as ReturnType<
    CsmsServer<readonly [typeof v201]>['handlers']
  >;
  h.handle('Heartbeat', () => ({ currentTime: '2025-01-01T00:00:00.000Z' }));
  const { port } = await server.listen();
  const pipe = await rawClient(`ws://127.0.0.1:${port}/ocpp/RAW1`, [protocol.name]);
  await until(() => server.stationCount === 1, 2000, 'the station session');
  return { server, pipe, events, close: async () => (await pipe.close(), await server.close()) };
}

/** A valid CALL is still served: the connection is up and the session works. */
async function stillServes(pipe: FramePipe, id = 'alive'): Promise<void> {
  assert.ok(pipe.open, 'connection still open');
  pipe.send([2, id, 'Heartbeat', {}]);
  assert.equal(await pipe.next(), [3, id, { currentTime: '2025-01-01T00:00:00.000Z' }]);
}

async function answerTo(pipe: FramePipe, frame: unknown): Promise<unknown[]> {
  pipe.send(frame);
  return pipe.next();
}

test('Part 4 §4.2.3 (2.0.1): invalid JSON is answered [4, "-1", "RpcFrameworkError", …] and the connection stays up', async () => {
  const t = await csmsWithRawStation(v201);
  const [type, id, code, description, details] = await answerTo(t.pipe, '[2, "abc", "Heartbeat", {');
  assert.equal([type, id, code, details], [4, '-1', 'RpcFrameworkError', {}]);
  assert.type(description, 'string');
  assert.equal(t.events.badFrame[0]?.problem, 'invalidJson');
  await stillServes(t.pipe);
  await t.close();
});

test('Part 4 §4.2.3, §4.3 RpcFrameworkError: no array, unreadable MessageId (number, empty, 37 characters), bad UTF-8 → "-1"', async () => {
  const t = await csmsWithRawStation(v201);
  for (const frame of [
    '{"a":1}',
    '[]',
    '42',
    [2, 17, 'Heartbeat', {}],
    [2, '', 'Heartbeat', {}],
    [2, 'x'.repeat(37), 'Heartbeat', {}],
    Buffer.from([0x5b, 0x32, 0xff, 0xfe, 0x5d]),
  ]) {
    const answer = await answerTo(t.pipe, frame);
    assert.equal(answer.slice(0, 3), [4, '-1', 'RpcFrameworkError'], `answer to ${String(frame)}`);
  }
  await stillServes(t.pipe);
  await t.close();
});

test('Part 4 §4.2.1, §4.3 RpcFrameworkError: a CALL with the wrong element count or a non-string Action, answered with its MessageId', async () => {
  const t = await csmsWithRawStation(v201);
  assert.equal((await answerTo(t.pipe, [2, 'm1', 'Heartbeat'])).slice(0, 3), [4, 'm1', 'RpcFrameworkError']);
  assert.equal((await answerTo(t.pipe, [2, 'm2', 'Heartbeat', {}, 'extra'])).slice(0, 3), [
    4,
    'm2',
    'RpcFrameworkError',
  ]);
  assert.equal((await answerTo(t.pipe, [2, 'm3', 42, {}])).slice(0, 3), [4, 'm3', 'RpcFrameworkError']);
  assert.equal((await answerTo(t.pipe, ['2', 'm4', 'Heartbeat', {}])).slice(0, 3), [4, 'm4', 'RpcFrameworkError']);
  await stillServes(t.pipe);
  await t.close();
});

test('Part 4 §4.4 (2.0.1): an unknown Message Type Number (7; and 5, 6, which 2.0.1 does not define) → MessageTypeNotSupported', async () => {
  const t = await csmsWithRawStation(v201);
  assert.equal((await answerTo(t.pipe, [7, 'u1', 'Heartbeat', {}])).slice(0, 3), [4, 'u1', 'MessageTypeNotSupported']);
  assert.equal((await answerTo(t.pipe, [6, 'u2', 'Heartbeat', {}])).slice(0, 3), [4, 'u2', 'MessageTypeNotSupported']);
  assert.equal((await answerTo(t.pipe, [5, 'u3', 'FormatViolation', '', {}])).slice(0, 3), [
    4,
    'u3',
    'MessageTypeNotSupported',
  ]);
  await stillServes(t.pipe);
  await t.close();
});

test('Part 4 §4.3 NotImplemented: an Action the version does not know ("Requested Action is not known by receiver")', async () => {
  const t = await csmsWithRawStation(v201);
  const [type, id, code, description] = await answerTo(t.pipe, [2, 'n1', 'FlyToTheMoon', {}]);
  assert.equal([type, id, code], [4, 'n1', 'NotImplemented']);
  assert.match(String(description), /FlyToTheMoon/);
  await stillServes(t.pipe);
  await t.close();
});

test('Part 4 §4.3 NotSupported: a known Action without handler, or one the CSMS never receives ("recognized but not supported")', async () => {
  const t = await csmsWithRawStation(v201);
  // Known CS→CSMS action, no handler registered on this CSMS.
  assert.equal(
    (
      await answerTo(t.pipe, [
        2,
        's1',
        'BootNotification',
        { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } },
      ])
    ).slice(0, 3),
    [4, 's1', 'NotSupported'],
  );
  // Known action, but sent CSMS→CS only.
  assert.equal((await answerTo(t.pipe, [2, 's2', 'Reset', { type: 'Immediate' }])).slice(0, 3), [
    4,
    's2',
    'NotSupported',
  ]);
  await stillServes(t.pipe);
  await t.close();
});

test('TC_K_15_CS / K01.FR.29: a station without a SetChargingProfile handler answers CALLERROR NotSupported', async () => {
  const csms = await rawCsms();
  const client = new StationClient({ url: csms.url, identity: 'K15', protocols: [v201] });
  await client.connect();
  const pipe = csms.connections[0]!;
  const answer = await answerTo(pipe, [2, 'k15', 'SetChargingProfile', { evseId: 1, chargingProfile: { id: 1 } }]);
  assert.equal(answer.slice(0, 3), [4, 'k15', 'NotSupported']);
  assert.match(String(answer[3]), /SetChargingProfile/);
  await client.close();
  await csms.close();
});

test('Part 4 §4.1.7: a payload failing the schema is answered with the mapped code and a description naming the field', async () => {
  const t = await csmsWithRawStation(v201);
  t.server
    .handlers('ocpp2.0.1')
    .handle('BootNotification', () => ({ currentTime: '2025-01-01T00:00:00.000Z', interval: 1, status: 'Accepted' }));
  let a = await answerTo(t.pipe, [
    2,
    'v1',
    'BootNotification',
    { reason: 'PowerUp', chargingStation: { vendorName: 'V' } },
  ]);
  assert.equal(a.slice(0, 3), [4, 'v1', 'OccurrenceConstraintViolation']);
  assert.match(String(a[3]), /chargingStation\.model/);
  a = await answerTo(t.pipe, [
    2,
    'v2',
    'BootNotification',
    { reason: 'PowerUp', chargingStation: { model: 5, vendorName: 'V' } },
  ]);
  assert.equal(a.slice(0, 3), [4, 'v2', 'TypeConstraintViolation']);
  assert.match(String(a[3]), /chargingStation\.model/);
  a = await answerTo(t.pipe, [2, 'v3', 'BootNotification', null]);
  assert.equal(a.slice(0, 3), [4, 'v3', 'FormatViolation']);
  assert.equal(
    t.events.badFrame.map((e) => e.problem),
    ['invalidPayload', 'invalidPayload', 'invalidPayload'],
  );
  await stillServes(t.pipe);
  await t.close();
});

test('a handler that throws is answered InternalError without its message or stack; a thrown CallError is passed on', async () => {
  const t = await csmsWithRawStation(v201);
  const secret = 'db password is hunter2 at /srv/app/handler.ts:12';
  t.server
    .handlers('ocpp2.0.1')
    .handle('BootNotification', () => {
      throw new Error(secret);
    })
    .handle('DataTransfer', async () => {
      throw new CallError('SecurityError', 'not accepted yet', { hint: 'boot first' });
    });
  const raw = (await answerTo(t.pipe, [
    2,
    'h1',
    'BootNotification',
    { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } },
  ])) as unknown[];
  assert.equal(raw.slice(0, 3), [4, 'h1', 'InternalError']);
  assert.not.match(JSON.stringify(raw), /hunter2|handler\.ts|at /);
  assert.equal(await answerTo(t.pipe, [2, 'h2', 'DataTransfer', { vendorId: 'x' }]), [
    4,
    'h2',
    'SecurityError',
    'not accepted yet',
    { hint: 'boot first' },
  ]);
  assert.is((t.events.handlerError[0] as Error).message, secret, 'the error is reported locally');
  await stillServes(t.pipe);
  await t.close();
});

test('a handler returning an invalid response: InternalError naming the field is sent, handlerError reports an OutgoingValidationError', async () => {
  const t = await csmsWithRawStation(v201);
  t.server
    .handlers('ocpp2.0.1')
    .handle('BootNotification', () => ({ currentTime: 'yesterday', interval: 1, status: 'Accepted' }));
  const a = await answerTo(t.pipe, [
    2,
    'r1',
    'BootNotification',
    { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } },
  ]);
  assert.equal(a.slice(0, 3), [4, 'r1', 'InternalError']);
  assert.match(String(a[3]), /currentTime/);
  assert.is((t.events.handlerError[0] as { code: string }).code, 'OutgoingValidation');
  await t.close();
});

test('Part 4 §4.2.3 Table 7: ErrorDescription is at most 255 characters', async () => {
  const t = await csmsWithRawStation(v201);
  const a = await answerTo(t.pipe, [2, 'd1', 'A'.repeat(2000), {}]);
  assert.equal(a.slice(0, 3), [4, 'd1', 'NotImplemented']);
  assert.ok(String(a[3]).length <= 255, `length ${String(a[3]).length}`);
  await t.close();
});

test('Part 4 §4.1.4: a CALLRESULT or CALLERROR with an unknown MessageId is reported and ignored (nothing sent)', async () => {
  const t = await csmsWithRawStation(v201);
  t.pipe.send([3, 'nobody-asked', { currentTime: 'x' }]);
  t.pipe.send([4, 'nor-this', 'GenericError', '', {}]);
  assert.ok(await t.pipe.nothingWithin(100));
  assert.equal(t.events.unknownResponse, ['nobody-asked', 'nor-this']);
  await stillServes(t.pipe);
  await t.close();
});

test('Part 4 §4.2.3: a CALL whose MessageId equals one still being handled is refused (RpcFrameworkError), the first still answered', async () => {
  const t = await csmsWithRawStation(v201);
  let release!: () => void;
  t.server
    .handlers('ocpp2.0.1')
    .handle('DataTransfer', () => new Promise((r) => (release = () => r({ status: 'Accepted' }))));
  t.pipe.send([2, 'dup', 'DataTransfer', { vendorId: 'a' }]);
  t.pipe.send([2, 'dup', 'DataTransfer', { vendorId: 'b' }]);
  assert.equal((await t.pipe.next()).slice(0, 3), [4, 'dup', 'RpcFrameworkError']);
  release();
  assert.equal(await t.pipe.next(), [3, 'dup', { status: 'Accepted' }]);
  await t.close();
});

test('OCPP-J 1.6 §4.2.3: FormationViolation for broken frames, NotImplemented/NotSupported for actions, and an unknown type ignored (§4.1.3)', async () => {
  const t = await csmsWithRawStation(v16);
  assert.equal((await answerTo(t.pipe, 'not json')).slice(0, 3), [4, '-1', 'FormationViolation']);
  assert.equal((await answerTo(t.pipe, [2, 'f1', 'Heartbeat'])).slice(0, 3), [4, 'f1', 'FormationViolation']);
  assert.equal((await answerTo(t.pipe, [2, 'f2', 'TeleportCar', {}])).slice(0, 3), [4, 'f2', 'NotImplemented']);
  assert.equal(
    (await answerTo(t.pipe, [2, 'f3', 'TransactionEvent', {}])).slice(0, 3),
    [4, 'f3', 'NotImplemented'],
    'a 2.x action, unknown in 1.6',
  );
  assert.equal(
    (await answerTo(t.pipe, [2, 'f4', 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }])).slice(
      0,
      3,
    ),
    [4, 'f4', 'NotSupported'],
  );
  const a = await answerTo(t.pipe, [2, 'f5', 'DataTransfer', {}]);
  assert.equal(
    a.slice(0, 3),
    [4, 'f5', 'NotSupported'],
    'no DataTransfer handler: NotSupported comes before validation',
  );
  // §4.1.3: "it SHALL ignore the message payload" — 1.6 has no code for it, so nothing is sent.
  t.pipe.send([8, 'f6', 'Heartbeat', {}]);
  t.pipe.send([6, 'f7', 'Heartbeat', {}]);
  assert.ok(await t.pipe.nothingWithin(100));
  assert.equal(
    t.events.badFrame.slice(-2).map((e) => [e.problem, e.answered]),
    [
      ['unknownMessageType', false],
      ['unknownMessageType', false],
    ],
  );
  t.pipe.send([2, 'alive16', 'Heartbeat', {}]);
  assert.equal((await t.pipe.next()).slice(0, 2), [3, 'alive16']);
  await t.close();
});

test('2.1: a SEND is never answered, even when wrong (Part 4 2.1 §4.2.4); CALLRESULTERROR (5) is reported; type 7 → MessageTypeNotSupported', async () => {
  const t = await csmsWithRawStation(v21);
  t.pipe.send([6, 's1', 'NoSuchAction', {}]);
  t.pipe.send([6, 's2', 'NotifyPeriodicEventStream', { id: 'wrong' }]);
  t.pipe.send([6, 's3', 'Heartbeat', {}]);
  t.pipe.send([5, 'some-result', 'FormatViolation', 'could not read your result', {}]);
  assert.ok(await t.pipe.nothingWithin(100));
  assert.equal(
    t.events.badFrame.map((e) => [e.problem, e.answered]),
    [
      ['unknownAction', false],
      ['actionNotSupported', false],
      ['actionNotSupported', false],
    ],
  );
  assert.equal(t.events.callResultError, ['FormatViolation']);
  assert.equal((await answerTo(t.pipe, [7, 't7', 'Heartbeat', {}])).slice(0, 3), [4, 't7', 'MessageTypeNotSupported']);
  await stillServes(t.pipe);
  await t.close();
});

test.run();
