// @serial
// @timeout 120
// `ocppkit fleet --ui` (issue 18): 20 stations on 2 worker threads against the built-in CSMS, with the web view on
// port 0. The JSON API and the page in headless Chromium list every station; a click on Plug for a station of the
// second worker runs in that worker and its StatusNotification appears in the page's message stream; an unknown
// station is a 404 in JSON; a station's stream carries only its own frames, and the workers forward frames of the
// watched station only. The session generators idle (their first plug is an hour away): only the page acts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import { runFleet, type FleetReport } from '../../runtime/fleet/runner.js';
import { FleetSource } from '../../runtime/fleet/ui-source.js';
import { identityOf, resolveTemplate } from '../../runtime/fleet/template.js';
import { fleetOptions, FLEET_HELP } from '../../runtime/cli/fleet-command.js';
import { UsageError } from '../../runtime/cli/args.js';
import { startUiServer, type UiServer } from '../../runtime/ui/server.js';
import type { UiEvent, UiStation } from '../../runtime/ui/types.js';
import { ocppkit } from '../cli/cli-process.js';
import { browserTest, command, http, launchBrowser, sse } from '../ui/support.js';

const STATIONS = 20;
const IDLE = { plugDelaySec: { min: 3600, max: 3600 } };
const template = resolveTemplate({ sessions: IDLE });
/** Station i (from 0) runs in worker i % 2 (the runner deals them round robin). */
const identity = (i: number) => identityOf(template, template.stations.firstNumber + i);

let csms: SimpleCsms;
/** The fleet's source, telling the test when the server stopped watching a station (a page closed its stream). */
class ObservedSource extends FleetSource {
  readonly unwatched: string[] = [];
  readonly #waiters = new Set<() => void>();
  override watch(identity: string): () => void {
    const unwatch = super.watch(identity);
    return () => {
      unwatch();
      this.unwatched.push(identity);
      for (const w of this.#waiters) w();
    };
  }
  /** Resolves once `n` streams of the station were closed. */
  closedStreams(identity: string, n: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.unwatched.filter((i) => i === identity).length < n) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => reject(new Error(`${identity}: ${n} streams not closed`)), 10_000);
      this.#waiters.add(check);
      check();
    });
  }
}

let source: ObservedSource;
let ui: UiServer;
let stop: AbortController;
let run: Promise<FleetReport>;
/** Every event the fleet's source emitted: which stations' frames reached the main thread. */
const events: UiEvent[] = [];

const accepted = (s: UiStation) => s.connected && s.registration === 'Accepted';

/** A station's Authorize answered, as its stream shows it. */
const authorized = (token: string) => (e: { event: string; data: any }) =>
  e.event === 'message' && e.data.action === 'Authorize' && JSON.stringify(e.data.payload).includes(token);

test.before(async () => {
  csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const url = csms.url(await csms.listen());
  source = new ObservedSource();
  source.subscribe((e) => events.push(e));
  ui = await startUiServer(source, { port: 0 });
  stop = new AbortController();
  run = runFleet({
    csmsUrl: url,
    template,
    stations: STATIONS,
    workers: 2,
    seed: 18,
    sessionsLimit: 0,
    durationSec: 300,
    rampPerSec: 100,
    tickMs: 500,
    ui: source,
    signal: stop.signal,
  });
  // Bounded wait for the event "every station accepted", polled through the JSON API.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const list = (await http(ui.url, '/api/stations')).json() as UiStation[];
    if (list.length === STATIONS && list.every(accepted)) break;
    if (Date.now() > deadline) assert.unreachable(`not every station accepted: ${JSON.stringify(list)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

test.after(async () => {
  stop.abort();
  const report = await run;
  await ui.close();
  await csms.close();
  assert.is(report.ended, 'stopped');
});

test('GET /api/info and /api/stations: a fleet, every one of the 20 stations of both workers, connected and accepted', async () => {
  assert.equal((await http(ui.url, '/api/info')).json(), { kind: 'fleet', capabilities: ['hardware'] });
  const list = (await http(ui.url, '/api/stations')).json() as UiStation[];
  assert.equal(list.map((s) => s.identity).sort(), Array.from({ length: STATIONS }, (_, i) => identity(i)).sort());
  for (const s of list) {
    assert.ok(accepted(s), JSON.stringify(s));
    assert.is(s.version, 'ocpp2.0.1');
    assert.is(s.evses[0]!.connectors[0]!.status, 'Available', JSON.stringify(s));
    assert.is(s.evses[0]!.cable, 'unplugged');
  }
  const one = (await http(ui.url, `/api/stations/${encodeURIComponent(identity(3))}`)).json() as UiStation;
  assert.is(one.identity, identity(3));
});

test('an unknown station: 404 with a JSON error for the station, its messages, its stream and a command', async () => {
  for (const reply of [
    await http(ui.url, '/api/stations/NOT-IN-FLEET'),
    await http(ui.url, '/api/stations/NOT-IN-FLEET/messages'),
    await http(ui.url, '/api/stations/NOT-IN-FLEET/stream'),
    await command(ui.url, 'NOT-IN-FLEET', 'plug 1'),
  ]) {
    assert.is(reply.status, 404, reply.text);
    assert.match(String(reply.headers['content-type']), /^application\/json/);
    assert.equal(reply.json(), { error: 'no station "NOT-IN-FLEET"' });
  }
});

test("commands are the station CLI's: a bad EVSE is a 400 with its words; quit is refused; status answers from the worker", async () => {
  const bad = await command(ui.url, identity(0), 'plug 7');
  assert.is(bad.status, 400);
  assert.equal(bad.json(), { ok: false, reason: 'bad', error: 'plug: EVSE "7" does not exist (EVSEs 1 to 1)' });
  const quit = await command(ui.url, identity(0), 'quit');
  assert.is(quit.status, 400);
  assert.match(quit.json().error, /^quit is for/);
  const status = await command(ui.url, identity(1), 'status');
  assert.is(status.status, 200, status.text);
  assert.match(
    status.json().output,
    new RegExp(
      `^station ${identity(1)}: connected \\(ocpp2\\.0\\.1\\), registration Accepted\\nEVSE 1: Available, cable unplugged`,
    ),
  );
});

test("a station's stream carries its own frames only, and the workers forward frames of watched stations only", async () => {
  // Both in the second worker: its posts arrive in order, so B's frames, had they been forwarded, would come first.
  const a = identity(5);
  const b = identity(7);
  const stream = await sse(ui.url, `/api/stations/${encodeURIComponent(a)}/stream`);
  try {
    // The boot is kept and replayed; the stream starts with it.
    await stream.waitFor((e) => e.event === 'message' && e.data.action === 'BootNotification');
    const since = events.length;
    assert.is((await command(ui.url, b, 'auth CARD-OF-B')).status, 200);
    await csms.waitFor((m) => m.identity === b && m.action === 'Authorize', 10_000);
    assert.is((await command(ui.url, a, 'auth CARD-OF-A')).status, 200);
    await stream.waitFor(
      (e) => e.event === 'message' && e.data.action === 'Authorize' && e.data.kind === 'result',
      10_000,
    );
    const messages = stream.events.filter((e) => e.event === 'message');
    assert.ok(messages.some((e) => JSON.stringify(e.data.payload).includes('CARD-OF-A')));
    assert.not.match(stream.text(), /CARD-OF-B/);
    // Sequence numbers of one station, in order, without a gap.
    assert.equal(
      messages.map((e) => e.data.seq),
      messages.map((_, i) => i + 1),
    );
    const forwarded = events.slice(since).filter((e) => e.type === 'message');
    assert.ok(forwarded.length >= 2, 'the Authorize and its answer');
    assert.equal([...new Set(forwarded.map((e) => e.type === 'message' && e.identity))], [a]);
  } finally {
    stream.close();
  }
});

test('two pages watch one station: closing one keeps its frames coming, closing both stops them at the worker', async () => {
  // All three in the second worker: its posts arrive in order, so a frame of A would come before C's.
  const a = identity(11);
  const c = identity(13);
  const first = await sse(ui.url, `/api/stations/${encodeURIComponent(a)}/stream`);
  const second = await sse(ui.url, `/api/stations/${encodeURIComponent(a)}/stream`);
  await first.waitFor((e) => e.event === 'message' && e.data.action === 'BootNotification');
  await second.waitFor((e) => e.event === 'message' && e.data.action === 'BootNotification');
  first.close();
  await source.closedStreams(a, 1);
  assert.is((await command(ui.url, a, 'auth STILL-WATCHED')).status, 200);
  await second.waitFor(authorized('STILL-WATCHED'));
  second.close();
  await source.closedStreams(a, 2);
  // Frames of A the worker posted before it read the unwatch may still be on their way (the Authorize's answer):
  // a request answered by the same worker comes back behind them, and the worker read the unwatch before it.
  await http(ui.url, `/api/stations/${encodeURIComponent(a)}/messages`);
  const since = events.length;
  const other = await sse(ui.url, `/api/stations/${encodeURIComponent(c)}/stream`);
  try {
    assert.is((await command(ui.url, a, 'auth NOT-WATCHED')).status, 200);
    await csms.waitFor(
      (m) => m.identity === a && m.action === 'Authorize' && JSON.stringify(m.request).includes('NOT-WATCHED'),
      10_000,
    );
    assert.is((await command(ui.url, c, 'auth WATCHED-C')).status, 200);
    await other.waitFor(authorized('WATCHED-C'));
    const forwarded = events.slice(since).filter((e) => e.type === 'message');
    assert.ok(forwarded.length > 0);
    assert.equal([...new Set(forwarded.map((e) => e.type === 'message' && e.identity))], [c]);
    // The messages of A are still kept in its worker for a page that opens it again.
    const kept = (await http(ui.url, `/api/stations/${encodeURIComponent(a)}/messages`)).json() as {
      payload: unknown;
    }[];
    assert.ok(kept.some((m) => JSON.stringify(m.payload).includes('NOT-WATCHED')));
  } finally {
    other.close();
  }
});

browserTest(
  test,
  'the page lists all 20 stations; a click on Plug for a station of the second worker puts its StatusNotification (Occupied) in the message stream; card, unplug and fault from the page run on it too',
  async () => {
    const target = identity(9);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(ui.url);
      await page.getByRole('heading', { name: 'ocppkit fleet' }).waitFor({ timeout: 10_000 });
      const stations = page.getByRole('list', { name: 'Stations' });
      await stations.getByRole('button', { name: identity(STATIONS - 1), exact: true }).waitFor({ timeout: 10_000 });
      assert.is(await stations.getByRole('listitem').count(), STATIONS);
      for (let i = 0; i < STATIONS; i++)
        assert.ok(await stations.getByRole('button', { name: identity(i), exact: true }).isVisible(), identity(i));
      await stations.getByRole('button', { name: target, exact: true }).click();
      const messages = page.getByRole('list', { name: 'Messages' });
      await messages.getByText(/→ BootNotification \{/).waitFor({ timeout: 10_000 });

      await page.getByRole('button', { name: 'Plug', exact: true }).click();
      await messages.getByText(/→ StatusNotification \{.*"connectorStatus":"Occupied"/).waitFor({ timeout: 10_000 });
      await page.getByRole('status').getByText('plug 1: done').waitFor({ timeout: 10_000 });
      // The view the worker posts (coalesced) shows the cable too.
      await stations.getByText(/EVSE 1: Occupied, cable plugged/).waitFor({ timeout: 10_000 });
      const occupied = await csms.waitFor(
        (m) =>
          m.action === 'StatusNotification' &&
          (m.request as { connectorStatus: string }).connectorStatus === 'Occupied' &&
          m.identity === target,
        10_000,
      );
      assert.is(occupied.identity, target);

      // A card from the page: authorized, and the transaction shows in the list (the worker's coalesced view).
      await page.getByLabel('idToken', { exact: true }).fill('FLEET-CARD');
      await page.getByRole('button', { name: 'Present card' }).click();
      await messages.getByText(/→ Authorize \{"idToken":\{"idToken":"FLEET-CARD"/).waitFor({ timeout: 10_000 });
      await stations.getByText(/EVSE 1: .*transaction /).waitFor({ timeout: 10_000 });
      // Unplug ends it; a fault is reported as Faulted.
      await page.getByRole('button', { name: 'Unplug', exact: true }).click();
      await messages.getByText(/→ TransactionEvent \{.*"eventType":"Ended"/).waitFor({ timeout: 10_000 });
      await page.getByRole('button', { name: 'Fault', exact: true }).click();
      await messages.getByText(/→ StatusNotification \{.*"connectorStatus":"Faulted"/).waitFor({ timeout: 10_000 });
      await stations.getByText(/EVSE 1: Faulted, cable unplugged, faulted/).waitFor({ timeout: 10_000 });
      // Only this station's frames: another station's boot never shows in its stream.
      assert.is(await messages.getByText(/→ BootNotification \{/).count(), 1);
      assert.equal(pageErrors, [], 'no script error on the page');
    } finally {
      await browser.close();
    }
  },
);

test('--ui and --ui-host on ocppkit fleet: parsed with errors naming the flag, and in --help', () => {
  const base = ['--csms', 'ws://127.0.0.1:9', '--in-memory'];
  assert.equal(fleetOptions([...base, '--ui', '0']).ui, { port: 0, host: '127.0.0.1' });
  assert.equal(fleetOptions([...base, '--ui', '8080', '--ui-host', '0.0.0.0']).ui, { port: 8080, host: '0.0.0.0' });
  assert.is(fleetOptions(base).ui, undefined);
  for (const [argv, pattern] of [
    [[...base, '--ui', 'web'], /^--ui must be a whole number from 0 to 65535, got "web"$/],
    [[...base, '--ui-host', '0.0.0.0'], /^--ui-host goes with --ui <port>$/],
  ] as const) {
    try {
      fleetOptions(argv);
      assert.unreachable(String(pattern));
    } catch (e) {
      assert.instance(e, UsageError);
      assert.match((e as Error).message, pattern);
    }
  }
  assert.match(FLEET_HELP, /--ui <port> +serve a live web view on http:\/\/127\.0\.0\.1:<port>\//);
  assert.match(FLEET_HELP, /--ui-host <address> +the web view's address; default 127\.0\.0\.1/);
});

test('ocppkit fleet --ui 0 as a process: prints the URL, the page lists its stations, SIGTERM ends the run and the view', async () => {
  const fleet = ocppkit([
    'fleet',
    '--csms',
    // Nothing listens there (the stations keep retrying): the page lists them all the same.
    'ws://127.0.0.1:9',
    '--stations',
    '2',
    '--workers',
    '1',
    '--in-memory',
    '--duration',
    '120',
    '--ui',
    '0',
  ]);
  const line = await fleet.waitFor(/web view on http:\/\/127\.0\.0\.1:\d+\/$/, 20_000);
  const base = /http:\S+/.exec(line)![0];
  const list = (await http(base, '/api/stations')).json() as UiStation[];
  assert.equal(
    list.map((s) => s.identity),
    [identity(0), identity(1)],
  );
  fleet.kill('SIGTERM');
  assert.is(await fleet.exited(30_000), 0, fleet.output());
  const after = await http(base, '/api/stations').then(
    (r) => `HTTP ${r.status}`,
    (e: NodeJS.ErrnoException) => e.code,
  );
  assert.is(after, 'ECONNREFUSED', 'the web view closed with the run');
});

test.run();
