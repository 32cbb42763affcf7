// The web view of `ocppkit station` (issue 18), without a browser: a real simulated station (StationRun on a
// real store file) against the built-in CSMS on 127.0.0.1, its web view on a real port, read over HTTP and SSE.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { parseCommand } from '../../runtime/cli/station-commands.js';
import { SimpleCsms, type LoggedMessage } from '../../runtime/csms/simple-csms.js';
import type { TraceEntry } from '../../runtime/rpc/trace.js';
import type { UiMessage } from '../../runtime/ui/types.js';
import { tempDir } from '../helpers/tmp.js';
import { command, csmsWithView, http, sse, stationWithView } from './support.js';

const status = (s: string) => (m: LoggedMessage) =>
  m.direction === 'in' &&
  m.action === 'StatusNotification' &&
  (m.request as { connectorStatus?: string }).connectorStatus === s;

/** The CLI's words for a bad command line. */
function cliError(line: string, evses: number): string {
  try {
    parseCommand(line, evses);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${line} parsed`);
}

test('a station stream carries exactly the frames the station exchanged (its --trace file), in order, with time, direction, action and payload', async () => {
  const tmp = tempDir('ocppkit-ui-');
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const station = await stationWithView({
    csmsUrl: csms.url(await csms.listen()),
    identity: 'UI-TRACE',
    dir: tmp.dir,
    tracePath: tmp.file('trace.jsonl'),
  });
  try {
    // Opened after the boot: the kept messages come first, then the live ones.
    const stream = await sse(station.ui.url, '/api/stations/UI-TRACE/stream');
    for (const line of ['plug 1', 'auth CARD-1 1'])
      assert.is((await command(station.ui.url, 'UI-TRACE', line)).status, 200);
    await csms.waitFor(
      (m) => m.action === 'TransactionEvent' && (m.request as { eventType: string }).eventType === 'Started',
    );
    assert.is((await command(station.ui.url, 'UI-TRACE', 'unplug 1')).status, 200);
    await csms.waitFor(
      (m) => m.action === 'TransactionEvent' && (m.request as { eventType: string }).eventType === 'Ended',
    );
    await station.run.stop();

    const traced = readFileSync(tmp.file('trace.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TraceEntry)
      .filter((e) => e.direction !== 'event');
    assert.ok(traced.length >= 12, `a boot and a session are a dozen frames or more, got ${traced.length}`);
    const messagesOf = () => stream.events.filter((e) => e.event === 'message').map((e) => e.data as UiMessage);
    await stream.waitFor(() => messagesOf().length >= traced.length);
    const streamed = messagesOf();
    assert.is(streamed.length, traced.length, 'no frame missing, none twice');
    const actions = new Map<string, string>();
    traced.forEach((entry, i) => {
      const frame = entry.frame as unknown[];
      const m = streamed[i]!;
      assert.is(m.seq, i + 1);
      assert.is(m.time, entry.time);
      assert.is(m.travel, entry.direction === 'out' ? 'toCsms' : 'toStation');
      assert.is(m.messageId, frame[1]);
      if (frame[0] === 2) {
        actions.set(String(frame[1]), String(frame[2]));
        assert.equal([m.kind, m.action, m.payload], ['call', frame[2], frame[3]]);
      } else if (frame[0] === 3) {
        // An answer is named after its CALL.
        assert.equal([m.kind, m.action, m.payload], ['result', actions.get(String(frame[1])), frame[2]]);
      } else assert.unreachable(`no CALLERROR expected here: ${JSON.stringify(frame)}`);
    });
    // SSE ids are the sequence numbers: a page that reconnects resumes after the last one it got.
    const resumed = await sse(station.ui.url, '/api/stations/UI-TRACE/stream', {
      'last-event-id': String(traced.length - 2),
    });
    await resumed.waitFor((e) => e.event === 'station');
    assert.equal(
      resumed.events.filter((e) => e.event === 'message').map((e) => e.data.seq),
      [traced.length - 1, traced.length],
    );
    resumed.close();
    stream.close();
  } finally {
    await station.stop();
    await csms.close();
    tmp.remove();
  }
});

test("commands from the page: plug, card and unplug reach the CSMS; a bad argument gets the CLI's words; a repeated plug its warning; quit is refused; the list shows status and transaction live", async () => {
  const tmp = tempDir('ocppkit-ui-');
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const station = await stationWithView({
    csmsUrl: csms.url(await csms.listen()),
    identity: 'UI-CMD',
    dir: tmp.dir,
    evses: 2,
  });
  const base = station.ui.url;
  try {
    const list = await sse(base, '/api/events');
    const first = await list.waitFor((e) => e.event === 'stations');
    assert.is(first.data.length, 1);
    assert.is(first.data[0].identity, 'UI-CMD');
    assert.is(first.data[0].connected, true);
    assert.is(first.data[0].evses.length, 2);

    const plug = await command(base, 'UI-CMD', 'plug 2');
    assert.is(plug.status, 200, plug.text);
    assert.equal(plug.json(), { ok: true, output: 'plug 2: done', warnings: [] });
    await csms.waitFor((m) => status('Occupied')(m) && (m.request as { evseId: number }).evseId === 2);
    await list.waitFor(
      (e) =>
        e.event === 'station' &&
        e.data.evses[1].connectors[0].status === 'Occupied' &&
        e.data.evses[1].cable === 'plugged',
    );

    const again = await command(base, 'UI-CMD', 'plug 2');
    assert.equal(again.json().warnings, ['EVSE 2: the cable is already plugged in']);

    for (const line of ['plug 9', 'plug', 'auth', 'charge 1', `auth ${'X'.repeat(37)}`]) {
      const bad = await command(base, 'UI-CMD', line);
      assert.is(bad.status, 400, line);
      assert.equal(bad.json(), { ok: false, reason: 'bad', error: cliError(line, 2) }, line);
    }
    const quit = await command(base, 'UI-CMD', 'quit');
    assert.is(quit.status, 400);
    assert.match(quit.json().error, /terminal/);
    assert.is(station.run.stopping, false);

    const statusText = await command(base, 'UI-CMD', 'status');
    assert.match(statusText.json().output, /^EVSE 2: Occupied, cable plugged/m);

    await command(base, 'UI-CMD', 'auth CARD-7 2');
    const started = await csms.waitFor(
      (m) => m.action === 'TransactionEvent' && (m.request as { eventType: string }).eventType === 'Started',
    );
    const txId = (started.request as { transactionInfo: { transactionId: string } }).transactionInfo.transactionId;
    await list.waitFor((e) => e.event === 'station' && e.data.evses[1].transactionId === txId);
    const one = await http(base, '/api/stations/UI-CMD');
    assert.is(one.json().evses[1].transactionId, txId);

    assert.is((await command(base, 'UI-CMD', 'unplug 2')).status, 200);
    await list.waitFor(
      (e) =>
        e.event === 'station' && e.data.evses[1].transactionId === undefined && e.data.evses[1].cable === 'unplugged',
    );

    const unknown = await command(base, 'NOT-HERE', 'plug 1');
    assert.is(unknown.status, 404);
    assert.equal(unknown.json(), { error: 'no station "NOT-HERE"' });
    for (const path of ['/api/stations/NOT-HERE', '/api/stations/NOT-HERE/messages', '/api/stations/NOT-HERE/stream']) {
      const r = await http(base, path);
      assert.is(r.status, 404, path);
      assert.is(r.headers['content-type'], 'application/json; charset=utf-8');
    }
    list.close();
  } finally {
    await station.stop();
    await csms.close();
    tmp.remove();
  }
});

test("the CSMS view streams, per station, exactly the frames that station exchanged (its --trace file), none of the other station's", async () => {
  const tmp = tempDir('ocppkit-ui-');
  const csms = await csmsWithView({ versions: ['ocpp2.0.1'] });
  const p = await stationWithView({
    csmsUrl: csms.url,
    identity: 'UI-P',
    dir: tmp.dir,
    tracePath: tmp.file('p.jsonl'),
  });
  const q = await stationWithView({
    csmsUrl: csms.url,
    identity: 'UI-Q',
    dir: tmp.dir,
    tracePath: tmp.file('q.jsonl'),
  });
  try {
    const qStream = await sse(csms.ui.url, '/api/stations/UI-Q/stream');
    const pStream = await sse(csms.ui.url, '/api/stations/UI-P/stream');
    await p.run.run({ op: 'plug', evseId: 1 });
    await q.run.run({ op: 'fault', evseId: 1 });
    const trigger = await command(csms.ui.url, 'UI-P', 'TriggerMessage {"requestedMessage":"Heartbeat"}');
    assert.is(trigger.status, 200, trigger.text);
    await csms.csms.waitFor((m) => m.identity === 'UI-P' && m.action === 'Heartbeat');
    await csms.csms.waitFor(
      (m) =>
        m.identity === 'UI-Q' &&
        m.action === 'StatusNotification' &&
        (m.request as { connectorStatus: string }).connectorStatus === 'Faulted',
    );
    await p.run.stop();
    await q.run.stop();
    for (const [file, stream] of [
      ['p.jsonl', pStream],
      ['q.jsonl', qStream],
    ] as const) {
      const frames = readFileSync(tmp.file(file), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as TraceEntry)
        .filter((e) => e.direction !== 'event');
      const messagesOf = () => stream.events.filter((e) => e.event === 'message').map((e) => e.data as UiMessage);
      await stream.waitFor(() => messagesOf().length >= frames.length);
      assert.equal(
        messagesOf().map((m) => [m.travel, m.messageId, m.payload]),
        frames.map((e) => {
          const f = e.frame as unknown[];
          return [e.direction === 'out' ? 'toCsms' : 'toStation', f[1], f[0] === 2 ? f[3] : f[2]];
        }),
        file,
      );
    }
    pStream.close();
    qStream.close();
  } finally {
    await p.stop();
    await q.stop();
    await csms.close();
    tmp.remove();
  }
});

test.run();
