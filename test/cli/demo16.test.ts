// @serial
// `ocppkit demo --ocpp 1.6`: the demo's session in OCPP 1.6J against the built-in CSMS serving 1.6, over a real
// socket — boot, Preparing, Authorize, StartTransaction, Charging, MeterValues with the CSMS's transactionId,
// StopTransaction EVDisconnected, Available — and exit 0.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ocppkitRun } from './cli-process.js';

test('demo --ocpp 1.6 prints the whole 1.6 session in order and exits 0', async () => {
  const r = await ocppkitRun(['demo', '--ocpp', '1.6', '--charge', '2'], { ms: 60_000 });
  assert.is(r.code, 0, r.output);
  const sequence: RegExp[] = [
    /OCPP 1\.6J/,
    /DEMO-STATION → BootNotification \{"chargePointVendor":"ocppkit","chargePointModel":"ocppkit-sim"\}/,
    /DEMO-STATION ← BootNotificationResponse \{.*"status":"Accepted"/,
    /DEMO-STATION → StatusNotification \{"connectorId":1,"status":"Available"/,
    /DEMO-STATION → StatusNotification \{"connectorId":1,"status":"Preparing"/,
    /DEMO-STATION → Authorize \{"idTag":"DEMO-CARD-01"\}/,
    /DEMO-STATION ← AuthorizeResponse \{"idTagInfo":\{"status":"Accepted"\}\}/,
    /DEMO-STATION → StartTransaction \{"connectorId":1,"idTag":"DEMO-CARD-01"/,
    /DEMO-STATION ← StartTransactionResponse \{"transactionId":1/,
    /DEMO-STATION → MeterValues \{"connectorId":1,"transactionId":1,/,
    /demo: the driver unplugs the EV/,
    /DEMO-STATION → StopTransaction \{"transactionId":1,.*"reason":"EVDisconnected"/,
    /demo: session complete — transaction 1, \d+ Wh delivered; 9 steps/,
  ];
  const lines = r.stdout.split('\n');
  let at = -1;
  for (const step of sequence) {
    const found = lines.findIndex((l, i) => i > at && step.test(l));
    assert.ok(found > at, `${step} after line ${at + 1} of:\n${r.stdout}`);
    at = found;
  }
});

test('demo --ocpp 1.6 --refuse-card: the CSMS answers Invalid, no transaction, exit 1 naming the step', async () => {
  const r = await ocppkitRun(['demo', '--ocpp', '1.6', '--refuse-card'], { ms: 60_000 });
  assert.is(r.code, 1, r.output);
  assert.match(r.output, /the CSMS answered Invalid for card DEMO-CARD-01/);
  assert.not.match(r.stdout, /→ StartTransaction/);
});

test.run();
