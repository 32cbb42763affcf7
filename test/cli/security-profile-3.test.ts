// @serial
// Issue 13: `ocppkit csms --security-profile 3` and `ocppkit station --security-profile 3` on a fresh machine, with
// no certificate prepared by hand. The CSMS makes its CA and server certificate in the folder it names; the station
// has no certificate, gets its first one at the CSMS's enrollment endpoint (profile 2, A02: SignCertificate →
// CertificateSigned), is reset and connects with profile 3 (mutual TLS) to the CSMS. Real processes and sockets.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { ocppkit } from './cli-process.js';

const PASSWORD = 'enrollment-password-0123';

test('issue 13: csms and station with --security-profile 3 and no certificates: the station enrolls, then connects with its own certificate', async () => {
  const tmp = tempDir('ocppkit-p3-');
  const csms = ocppkit(['csms', '--security-profile', '3', '--password', PASSWORD, '--port', '0', '--ocpp', '2.0.1'], {
    cwd: tmp.dir,
  });
  let station: ReturnType<typeof ocppkit> | undefined;
  try {
    const made = await csms.waitFor(/made the CSMS's CA and server certificate in (\S+);/, 20_000);
    const folder = join(tmp.dir, /in (\S+);/.exec(made)![1]!);
    const main = /listening on (wss:\/\/\S+) /.exec(await csms.waitFor(/CSMS listening on wss:/))![1]!;
    const enroll = /on (wss:\/\/\S+):/.exec(await csms.waitFor(/enrollment \(security profile 2/))![1]!;
    // The CA's and the server's keys are owner-only.
    for (const f of readdirSync(folder).filter((f) => f.endsWith('.key')))
      assert.is(statSync(join(folder, f)).mode & 0o777, 0o600, f);
    station = ocppkit(
      [
        'station',
        '--csms',
        main,
        '--enroll',
        enroll,
        '--id',
        'CS-P3',
        '--security-profile',
        '3',
        '--password',
        PASSWORD,
        '--ca',
        join(folder, 'ca.pem'),
        '--db',
        tmp.file('s.db'),
        '--connect-timeout',
        '0',
      ],
      { cwd: tmp.dir },
    );
    await csms.waitFor(/enrollment: CS-P3 .*CertificateSigned.*Accepted/, 30_000);
    // After the Reset: the profile-3 endpoint (its log lines carry no "enrollment:" prefix).
    await csms.waitFor(/^(?!.*enrollment:).*CS-P3 connected/m, 30_000);
    await csms.waitFor(/^(?!.*enrollment:).*CS-P3 .*BootNotification/m, 10_000);
    const keys = readdirSync(tmp.file('s.db.keys'));
    assert.is(keys.length, 1, 'the station keeps one private key');
    assert.is(statSync(join(tmp.file('s.db.keys'), keys[0]!)).mode & 0o777, 0o600);
    station.send('quit');
    assert.is(await station.exited(), 0, station.output());
  } finally {
    station?.kill('SIGKILL');
    csms.kill('SIGKILL');
    tmp.remove();
  }
});

test.run();
