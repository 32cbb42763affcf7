// The web view's server against malformed and unwelcome requests, sent as raw bytes over a real socket: every one
// gets a status and (where it can be read at all) a JSON error, nothing is executed, and the server keeps serving.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from 'node:net';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import { csmsWebView } from '../../runtime/ui/csms-source.js';
import { MAX_BODY_BYTES, MAX_STREAMS, startUiServer } from '../../runtime/ui/server.js';
import { tempDir } from '../helpers/tmp.js';
import { command, http, memoryLog, sse, stationWithView, type SseReader } from './support.js';

/** Sends `bytes` and resolves with everything the server wrote until it closed the connection (or `ms` passed). */
function raw(port: number, bytes: string | Buffer, ms = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => (socket.destroy(), resolve(text)), ms);
    socket.setEncoding('utf8').on('data', (d: string) => (text += d));
    socket.on('close', () => (clearTimeout(timer), resolve(text)));
    socket.on('error', (e) => (clearTimeout(timer), text ? resolve(text) : reject(e)));
    socket.write(bytes);
  });
}

/** Opens a stream once the server noticed that a closed one is gone (its socket's close reaches it a moment later). */
async function openWhenFree(base: string, path: string): Promise<SseReader> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      return await sse(base, path);
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);
const bodyOf = (response: string) => JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));

test('malformed requests get 400/403/404/405/413/415 with a JSON error; a page of another origin cannot send commands; the server keeps serving', async () => {
  const tmp = tempDir('ocppkit-ui-');
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const station = await stationWithView({ csmsUrl: csms.url(await csms.listen()), identity: 'UI-RAW', dir: tmp.dir });
  const port = station.ui.address.port;
  const host = `127.0.0.1:${port}`;
  const post = (path: string, body: string, headers: string[] = ['content-type: application/json']) =>
    raw(
      port,
      [
        `POST ${path} HTTP/1.1`,
        `host: ${host}`,
        ...headers,
        `content-length: ${Buffer.byteLength(body)}`,
        'connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  const get = (path: string, headers: string[] = [`host: ${host}`], method = 'GET') =>
    raw(port, [`${method} ${path} HTTP/1.1`, ...headers, 'connection: close', '', ''].join('\r\n'));
  try {
    // Not HTTP at all, a broken header, a request cut short: 400 or a closed connection, never a crash.
    assert.is(statusOf(await raw(port, 'HELLO THERE\r\n\r\n')), 400);
    assert.is(statusOf(await raw(port, `GET / HTTP/1.1\r\nhost: ${host}\r\nbad header line\r\n\r\n`)), 400);
    await raw(
      port,
      `POST /api/stations/UI-RAW/commands HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"li`,
      300,
    );

    const cases: Array<[string, Promise<string>, number, RegExp]> = [
      ['not JSON', post('/api/stations/UI-RAW/commands', '{"line": plug 1}'), 400, /^the body is not JSON/],
      ['no line', post('/api/stations/UI-RAW/commands', '{"line": 5}'), 400, /string line/],
      ['JSON null', post('/api/stations/UI-RAW/commands', 'null'), 400, /string line/],
      [
        'deeply nested',
        post('/api/stations/UI-RAW/commands', `${'['.repeat(20_000)}${']'.repeat(20_000)}`),
        400,
        /string line/,
      ],
      [
        'text/plain',
        post('/api/stations/UI-RAW/commands', '{"line":"plug 1"}', ['content-type: text/plain']),
        415,
        /application\/json/,
      ],
      [
        'too long',
        post('/api/stations/UI-RAW/commands', JSON.stringify({ line: 'x'.repeat(MAX_BODY_BYTES) })),
        413,
        /longer than/,
      ],
      ['bad escape', post('/api/stations/%E0%A4%A/commands', '{"line":"plug 1"}'), 400, /malformed station identity/],
      ['unknown station', post('/api/stations/NOPE/commands', '{"line":"plug 1"}'), 404, /no station "NOPE"/],
      ['GET a command', get('/api/stations/UI-RAW/commands'), 405, /not allowed/],
      ['DELETE the page', get('/', [`host: ${host}`], 'DELETE'), 405, /not allowed/],
      ['no such path', get('/etc/passwd'), 404, /no such page/],
      ['dot-dot', get('/api/stations/../../x'), 404, /no such page/],
      // DNS rebinding: a name that resolves to 127.0.0.1 but is not this machine's.
      ['foreign Host', get('/api/stations', ['host: attacker.example:80']), 403, /127\.0\.0\.1, localhost/],
      // Another site's page in the same browser: a simple form post cannot be JSON, and the origin is named.
      [
        'foreign Origin',
        post('/api/stations/UI-RAW/commands', '{"line":"plug 1"}', [
          'content-type: application/json',
          'origin: http://attacker.example',
        ]),
        403,
        /own page only/,
      ],
    ];
    for (const [what, reply, status, error] of cases) {
      const response = await reply;
      assert.is(statusOf(response), status, `${what}: ${response.slice(0, 300)}`);
      assert.match(response, /content-type: application\/json; charset=utf-8/i, what);
      assert.match(bodyOf(response).error, error, what);
    }
    assert.match(await get('/api/stations/UI-RAW/commands'), /allow: POST/i);
    // HTTP/1.1 without a Host: refused by node:http itself.
    assert.is(statusOf(await get('/api/stations', [])), 400);
    assert.is(station.run.hardware.state(1).plugged, false, 'no refused request plugged anything');

    // Streams are bounded; closing one frees its place.
    const streams: SseReader[] = [];
    for (let i = 0; i < MAX_STREAMS; i++) streams.push(await sse(station.ui.url, '/api/events'));
    const over = await http(station.ui.url, '/api/stations/UI-RAW/stream');
    assert.is(over.status, 503);
    assert.match(over.json().error, /too many open streams/);
    streams.pop()!.close();
    const again = await openWhenFree(station.ui.url, '/api/stations/UI-RAW/stream');
    await again.waitFor((e) => e.event === 'station');
    again.close();
    for (const s of streams) s.close();

    // Still serving, and the command of its own page works.
    const page = await http(station.ui.url, '/');
    assert.is(page.status, 200);
    assert.match(page.headers['content-security-policy'] as string, /default-src 'none'; script-src 'self'/);
    const plug = await command(station.ui.url, 'UI-RAW', 'plug 1');
    assert.is(plug.status, 200, plug.text);
    const sameOrigin = await http(station.ui.url, '/api/stations/UI-RAW/commands', {
      method: 'POST',
      body: '{"line":"unplug 1"}',
      headers: { 'content-type': 'application/json', origin: `http://${host}` },
    });
    assert.is(sameOrigin.status, 200, sameOrigin.text);
  } finally {
    await station.stop();
    await csms.close();
    tmp.remove();
  }
});

test('a quiet stream gets a keep-alive comment (so a reader gone unnoticed is found out), and a reader that went away frees its place', async () => {
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const web = csmsWebView(memoryLog());
  const ui = await startUiServer(web.source(csms), { port: 0, keepaliveMs: 50 });
  try {
    const stream = await sse(ui.url, '/api/events');
    await stream.waitFor((e) => e.event === 'stations');
    const deadline = Date.now() + 5000;
    while (!stream.text().includes(': keep-alive') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    assert.match(stream.text(), /\n\n: keep-alive\n\n/);
    const streams: SseReader[] = [];
    for (let i = 1; i < MAX_STREAMS; i++) streams.push(await sse(ui.url, '/api/events'));
    assert.is((await http(ui.url, '/api/events')).status, 503);
    for (const s of streams) s.close();
    stream.close();
    const again = await openWhenFree(ui.url, '/api/events');
    await again.waitFor((e) => e.event === 'stations');
    again.close();
  } finally {
    await ui.close();
    await csms.close();
  }
});

test.run();
