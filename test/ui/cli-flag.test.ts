// @serial
// `--ui <port>` and `--ui-host` on `ocppkit station` and `ocppkit csms` (issue 18): parsed with errors naming the
// flag, in --help, and in real processes: the URL printed, the page's commands running in turn with stdin's, the
// web view closed when the command stops.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../runtime/cli/args.js';
import { csmsOptions, CSMS_HELP } from '../../runtime/cli/csms-command.js';
import { stationOptions, STATION_HELP } from '../../runtime/cli/station-command.js';
import { SimpleCsms, type LoggedMessage } from '../../runtime/csms/simple-csms.js';
import { ocppkit } from '../cli/cli-process.js';
import { tempDir } from '../helpers/tmp.js';
import { command, http, stationWithView } from './support.js';

const STATION = ['--csms', 'ws://127.0.0.1:9', '--id', 'CS-1'];

const usage = (fn: () => unknown, pattern: RegExp) => {
  try {
    fn();
  } catch (e) {
    assert.instance(e, UsageError);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`no UsageError for ${pattern}`);
};

test('--ui and --ui-host parse for both commands (default 127.0.0.1), with errors naming the flag, and are in --help', () => {
  assert.equal(stationOptions([...STATION, '--ui', '0'], {}).ui, { port: 0, host: '127.0.0.1' });
  assert.equal(stationOptions([...STATION, '--ui', '8080', '--ui-host', '0.0.0.0'], {}).ui, {
    port: 8080,
    host: '0.0.0.0',
  });
  assert.is(stationOptions(STATION, {}).ui, undefined);
  assert.equal(csmsOptions(['--ui', '9100'], {}).ui, { port: 9100, host: '127.0.0.1' });
  usage(
    () => stationOptions([...STATION, '--ui', '70000'], {}),
    /^--ui must be a whole number from 0 to 65535, got "70000"$/,
  );
  usage(() => csmsOptions(['--ui', 'web'], {}), /^--ui must be a whole number/);
  usage(() => csmsOptions(['--ui-host', '0.0.0.0'], {}), /^--ui-host goes with --ui <port>$/);
  usage(() => stationOptions([...STATION, '--ui'], {}), /^--ui needs a value$/);
  for (const help of [STATION_HELP, CSMS_HELP]) {
    assert.match(help, /--ui <port> +serve a live web view on http:\/\/127\.0\.0\.1:<port>\//);
    assert.match(help, /--ui-host <address> +the web view's address; default 127\.0\.0\.1/);
  }
});

test('ocppkit station --ui 0: prints the URL; a plug from the page and an unplug on stdin both reach the CSMS; quit closes the web view', async () => {
  const tmp = tempDir('ocppkit-ui-');
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const url = csms.url(await csms.listen());
  const station = ocppkit(['station', '--csms', url, '--id', 'UI-CLI', '--ui', '0'], { cwd: tmp.dir });
  const status = (s: string) => (m: LoggedMessage) =>
    m.identity === 'UI-CLI' &&
    m.action === 'StatusNotification' &&
    (m.request as { connectorStatus: string }).connectorStatus === s;
  try {
    const line = await station.waitFor(/web view on http:\/\/127\.0\.0\.1:\d+\/$/, 20_000);
    const base = /http:\S+/.exec(line)![0];
    await station.waitFor(/boot accepted/, 20_000);
    const page = await http(base, '/');
    assert.is(page.status, 200);
    assert.match(page.text, /<script src="\/app\.js" defer><\/script>/);

    const plug = await command(base, 'UI-CLI', 'plug 1');
    assert.is(plug.status, 200, plug.text);
    await csms.waitFor(status('Occupied'), 10_000);
    await station.waitFor(/EVSE 1: cable plugged in/);
    station.send('unplug 1');
    await csms.waitFor(status('Available'), 10_000, csms.log.findIndex(status('Occupied')));
    const bad = await command(base, 'UI-CLI', 'plug 2');
    assert.equal(bad.json().error, 'plug: EVSE "2" does not exist (EVSEs 1 to 1)');

    station.send('quit');
    assert.is(await station.exited(15_000), 0);
    await http(base, '/api/stations').then(
      () => assert.unreachable('the web view still answers after quit'),
      (e: NodeJS.ErrnoException) => assert.is(e.code, 'ECONNREFUSED'),
    );
  } finally {
    station.kill('SIGKILL');
    await csms.close();
    tmp.remove();
  }
});

test('ocppkit csms --ui 0: prints the URL; a station that connects is listed; a call from the page is answered; a busy --ui port exits 1', async () => {
  const tmp = tempDir('ocppkit-ui-');
  const csms = ocppkit(['csms', '--port', '0', '--ui', '0', '--ocpp', '2.0.1']);
  let station: Awaited<ReturnType<typeof stationWithView>> | undefined;
  try {
    const listening = await csms.waitFor(/CSMS listening on ws:\/\/127\.0\.0\.1:\d+/, 20_000);
    const wsUrl = /ws:\/\/127\.0\.0\.1:\d+/.exec(listening)![0];
    const base = /http:\S+/.exec(await csms.waitFor(/web view on http:\/\/127\.0\.0\.1:\d+\/$/))![0];
    station = await stationWithView({ csmsUrl: wsUrl, identity: 'UI-CLI-2', dir: tmp.dir });
    const listed = await http(base, '/api/stations');
    assert.equal(
      listed
        .json()
        .map((s: { identity: string; connected: boolean; version: string }) => [s.identity, s.connected, s.version]),
      [['UI-CLI-2', true, 'ocpp2.0.1']],
    );
    const reset = await command(base, 'UI-CLI-2', 'GetBaseReport {"requestId":7,"reportBase":"SummaryInventory"}');
    assert.is(reset.status, 200, reset.text);
    assert.equal(reset.json().output, 'GetBaseReportResponse {"status":"Accepted"}');
    await csms.waitFor(/UI-CLI-2 ← GetBaseReport \{"requestId":7,"reportBase":"SummaryInventory"\}/);
    await csms.waitFor(/UI-CLI-2 → NotifyReport/);

    // The port is taken now: a second CSMS asking for it says so and exits 1.
    const port = new URL(base).port;
    const busy = ocppkit(['csms', '--port', '0', '--ui', port]);
    assert.is(await busy.exited(20_000), 1);
    assert.match(busy.stderr(), new RegExp(`error: cannot serve the web view on 127\\.0\\.0\\.1:${port}: EADDRINUSE`));
    csms.send('quit');
    assert.is(await csms.exited(15_000), 0);
  } finally {
    await station?.stop();
    csms.kill('SIGKILL');
    tmp.remove();
  }
});

test.run();
