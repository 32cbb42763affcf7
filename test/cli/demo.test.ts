// @serial
// `make demo` runs `ocppkit demo`: the built-in CSMS and one simulated 2.0.1 station in one process, over a real
// socket, run a complete charging session; the printed message sequence shows every step in order, and the exit
// code says the session completed. Bounded: it must finish in seconds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ocppkitRun, ROOT } from './cli-process.js';

test('the demo prints the whole session in order — boot, plug, authorize, transaction started, meter values, unplug, transaction ended — and exits 0', async () => {
  const started = Date.now();
  const r = await ocppkitRun(['demo', '--charge', '2'], { ms: 60_000 });
  assert.is(r.code, 0, r.output);
  assert.ok(Date.now() - started < 30_000, 'seconds, not minutes');
  const sequence: RegExp[] = [
    /DEMO-STATION → BootNotification \{"reason":"PowerUp"/,
    /DEMO-STATION ← BootNotificationResponse \{.*"status":"Accepted"/,
    /DEMO-STATION → StatusNotification \{.*"connectorStatus":"Available"/,
    /demo: the driver plugs in the EV on EVSE 1/,
    /DEMO-STATION → StatusNotification \{.*"connectorStatus":"Occupied"/,
    /demo: the driver presents card DEMO-CARD-01/,
    /DEMO-STATION → Authorize \{"idToken":\{"idToken":"DEMO-CARD-01","type":"ISO14443"\}\}/,
    /DEMO-STATION ← AuthorizeResponse \{"idTokenInfo":\{"status":"Accepted"\}\}/,
    /DEMO-STATION transaction \S+ started on EVSE 1/,
    /DEMO-STATION transaction \S+ updated \(ChargingStateChanged, Charging\)/,
    /DEMO-STATION transaction \S+ updated \(.*\); meter: Energy\.Active\.Import\.Register/,
    /demo: the driver unplugs the EV/,
    /DEMO-STATION transaction \S+ ended \(EVDisconnected\); meter: Energy\.Active\.Import\.Register/,
    /demo: session complete — transaction \S+, \d+\.\d Wh delivered; 9 steps/,
  ];
  const lines = r.stdout.split('\n');
  let at = -1;
  for (const step of sequence) {
    const found = lines.findIndex((l, i) => i > at && step.test(l));
    assert.ok(found > at, `${step} after line ${at + 1} of:\n${r.stdout}`);
    at = found;
  }
  // After the unplug the status goes out directly and the Ended event through the queue: in either order.
  const unplug = lines.findIndex((l) => /demo: the driver unplugs the EV/.test(l));
  assert.ok(
    lines.some((l, i) => i > unplug && /DEMO-STATION → StatusNotification \{.*"connectorStatus":"Available"/.test(l)),
    r.stdout,
  );
  // One transaction, its events numbered from 0 without gaps.
  const seqNos = lines.filter((l) => /→ TransactionEvent \{/.test(l)).map((l) => Number(/"seqNo":(\d+)/.exec(l)?.[1]));
  assert.equal(
    seqNos,
    seqNos.map((_, i) => i),
  );
  assert.is(r.stderr, '');
});

test('when the session cannot complete the demo says which step failed and why, and exits 1: here the CSMS refuses the card', async () => {
  const r = await ocppkitRun(['demo', '--refuse-card'], { ms: 30_000 });
  assert.is(r.code, 1, r.output);
  assert.match(r.stdout, /DEMO-STATION ← AuthorizeResponse \{"idTokenInfo":\{"status":"Invalid"\}\}/);
  assert.match(
    r.stderr,
    /error: demo: the session did not complete: step 4 \(the CSMS accepts card DEMO-CARD-01\): the CSMS answered Invalid for card DEMO-CARD-01/,
  );
  assert.not.match(r.stdout, /TransactionEvent/, 'no transaction without an accepted card');
});

test('make demo runs this command, after installing what it needs', () => {
  const makefile = readFileSync(join(ROOT, 'Makefile'), 'utf8');
  // `make demo OCPP=1.6` runs the same session in 1.6 (issue 14).
  assert.match(
    makefile,
    /\ndemo: install\n\t\$\(TSX\) runtime\/cli\/main\.ts demo \$\(if \$\(OCPP\),--ocpp \$\(OCPP\)\)\n/,
  );
  assert.match(makefile, /\nnode_modules\/\.deps: package\.json package-lock\.json\n\tnpm ci /);
  // Issue 19: the native build (about 70 s without output from npm) is announced before it starts.
  assert.match(
    makefile,
    /\nnode_modules\/\.installed: node_modules\/\.deps\n\t@echo "make: building the native module better-sqlite3[^\n]*about 70 s[^\n]*"\n\tnpm rebuild /,
  );
});

test.run();
