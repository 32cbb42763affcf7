// @serial
// Stopping `ocppkit station` with SIGTERM, and connecting it over TLS (security profiles 2 and 3) to `ocppkit csms`
// with certificates made at test time. Real processes, sockets and store files.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import { tempDir } from '../helpers/tmp.js';
import { createCa, issue } from '../support/pki.js';
import { ocppkit } from './cli-process.js';

test('SIGTERM stops the station cleanly: exit 0, the trace complete, a transaction that ended offline kept in the store and delivered after the next start', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const first = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const second = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const args = (url: string) => [
    'station',
    '--csms',
    url,
    '--id',
    'CS-TERM',
    '--db',
    tmp.file('s.db'),
    '--trace',
    tmp.file('t.jsonl'),
    '--connect-timeout',
    '0',
  ];
  const station = ocppkit(args(first.url(await first.listen())), { cwd: tmp.dir });
  let again: ReturnType<typeof ocppkit> | undefined;
  try {
    await station.waitFor(/boot accepted/);
    station.send('plug 1');
    station.send('auth CARD-7 1');
    const started = await first.waitFor(
      (m) => m.action === 'TransactionEvent' && (m.request as any).eventType === 'Started',
    );
    const txId = (started.request as any).transactionInfo.transactionId as string;
    await first.close();
    await station.waitFor(/disconnected .*; reconnecting/);
    station.send('unplug 1');
    await station.waitFor(/EVSE 1 connector 1: Available/);
    station.kill('SIGTERM');
    assert.is(await station.exited(), 0, station.output());
    assert.match(station.stdout(), / stopping\n(.*\n)*.* stopped\n$/);
    for (const line of readFileSync(tmp.file('t.jsonl'), 'utf8').trimEnd().split('\n')) JSON.parse(line);

    // The Ended event could not be sent: it waits in the store's queue.
    const store = openSqliteStore(tmp.file('s.db'));
    try {
      const queued = store.outbox.list().map((m) => [m.action, (store.outbox.payload(m.id) as any).eventType]);
      assert.ok(
        queued.some(([action, type]) => action === 'TransactionEvent' && type === 'Ended'),
        JSON.stringify(queued),
      );
    } finally {
      store.close();
    }
    // E04.FR.03 / E12: the next start delivers it, marked offline.
    again = ocppkit(args(second.url(await second.listen())), { cwd: tmp.dir });
    const ended = await second.waitFor(
      (m) => m.action === 'TransactionEvent' && (m.request as any).eventType === 'Ended',
      10_000,
    );
    assert.equal([(ended.request as any).transactionInfo.transactionId, (ended.request as any).offline], [txId, true]);
    again.send('quit');
    assert.is(await again.exited(), 0, again.output());
  } finally {
    station.kill('SIGKILL');
    again?.kill('SIGKILL');
    await first.close();
    await second.close();
    tmp.remove();
  }
});

test('security profiles 2 and 3 over wss:// between the two commands; a station that does not trust the CSMS certificate stops at once with a clear message', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const ca = await createCa('ocppkit test CA');
  const server = await issue(ca, { commonName: '127.0.0.1', ips: ['127.0.0.1'] });
  const client = await issue(ca, { commonName: 'CS-TLS3' });
  const other = await createCa('another CA');
  const files = {
    'ca.pem': ca.cert,
    'server.pem': server.cert,
    'server.key': server.key,
    'client.pem': client.cert,
    'client.key': client.key,
    'other.pem': other.cert,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(tmp.file(name), text);
  const procs: Array<ReturnType<typeof ocppkit>> = [];
  try {
    // Profile 3: certificates only.
    const csms3 = ocppkit(
      [
        'csms',
        '--port',
        '0',
        '--security-profile',
        '3',
        '--cert',
        tmp.file('server.pem'),
        '--key',
        tmp.file('server.key'),
        '--ca',
        tmp.file('ca.pem'),
      ],
      { cwd: tmp.dir },
    );
    procs.push(csms3);
    const url3 = /listening on (wss:\/\/\S+)/.exec(await csms3.waitFor(/CSMS listening on wss:\/\//))![1]!;
    const st3 = ocppkit(
      [
        'station',
        '--csms',
        url3,
        '--id',
        'CS-TLS3',
        '--ocpp',
        '2.1,2.0.1',
        '--security-profile',
        '3',
        '--ca',
        tmp.file('ca.pem'),
        '--cert',
        tmp.file('client.pem'),
        '--key',
        tmp.file('client.key'),
        '--db',
        tmp.file('3.db'),
      ],
      { cwd: tmp.dir },
    );
    procs.push(st3);
    await st3.waitFor(/boot accepted/);
    await st3.waitFor(/connected \(ocpp2\.1\)/);
    await csms3.waitFor(/CS-TLS3 connected \(ocpp2\.1\)/);

    // Profile 2: the CSMS certificate and a password.
    const csms2 = ocppkit(
      [
        'csms',
        '--port',
        '0',
        '--security-profile',
        '2',
        '--password',
        'Pass-For-Profile-2',
        '--cert',
        tmp.file('server.pem'),
        '--key',
        tmp.file('server.key'),
      ],
      { cwd: tmp.dir },
    );
    procs.push(csms2);
    const url2 = /listening on (wss:\/\/\S+)/.exec(await csms2.waitFor(/CSMS listening on wss:\/\//))![1]!;
    const st2 = ocppkit(
      [
        'station',
        '--csms',
        url2,
        '--id',
        'CS-TLS2',
        '--security-profile',
        '2',
        '--password',
        'Pass-For-Profile-2',
        '--ca',
        tmp.file('ca.pem'),
        '--db',
        tmp.file('2.db'),
      ],
      { cwd: tmp.dir },
    );
    procs.push(st2);
    await st2.waitFor(/boot accepted/);

    // A00.FR.310-style failure: the CSMS certificate is not from the CA the station trusts.
    const untrusting = ocppkit(
      [
        'station',
        '--csms',
        url2,
        '--id',
        'CS-TLSX',
        '--security-profile',
        '2',
        '--password',
        'Pass-For-Profile-2',
        '--ca',
        tmp.file('other.pem'),
        '--db',
        tmp.file('x.db'),
      ],
      { cwd: tmp.dir },
    );
    procs.push(untrusting);
    assert.is(await untrusting.exited(), 1, untrusting.output());
    assert.match(
      untrusting.stderr(),
      /cannot connect to the CSMS: TLS failed: .* — check --ca, --cert, --key and the CSMS certificate/,
    );

    // A wrong password: the CSMS refuses the handshake with 401.
    const wrong = ocppkit(
      [
        'station',
        '--csms',
        url2,
        '--id',
        'CS-TLSW',
        '--security-profile',
        '2',
        '--password',
        'not-the-password',
        '--ca',
        tmp.file('ca.pem'),
        '--db',
        tmp.file('w.db'),
      ],
      { cwd: tmp.dir },
    );
    procs.push(wrong);
    assert.is(await wrong.exited(), 1, wrong.output());
    assert.match(
      wrong.stderr(),
      /cannot connect to the CSMS: the CSMS refused the connection to \/\S+ with HTTP 401 \(authentication failed\) — check --password/,
    );
    await csms2.waitFor(/refused a connection of CS-TLSW: HTTP 401/);
  } finally {
    for (const p of procs) p.kill('SIGKILL');
    tmp.remove();
  }
});

test.run();
