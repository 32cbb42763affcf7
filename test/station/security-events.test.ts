// A04 Security Event Notification on the station: which events it raises itself, that every one is in the
// security log (A04.FR.04) and the critical ones reach the CSMS (A04.FR.01). Built-in CSMS over a real socket, real
// store file; the station's clock is a ManualClock set away from the CSMS's, whose BootNotificationResponse
// currentTime then moves it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../runtime/queue/clock.js';
import { SECURITY_LOG_SIZE, securityEvent } from '../../runtime/station/A-security/security-log.js';
import { until } from '../support/rpc-harness.js';
import { drive } from '../support/shell-driver.js';
import { startPair } from '../support/station-harness.js';

const HOUR = 3600_000;

test('A04.FR.01 A04.FR.04 SettingSystemTime: the clock set from the CSMS by more than TimeAdjustmentReportingThreshold is logged and notified', async () => {
  const clock = new ManualClock(Date.now() - 2 * HOUR);
  const pair = await startPair({
    station: { clock, variables: { 'ClockCtrlr.TimeAdjustmentReportingThreshold': 60 } },
  });
  try {
    const event = await pair.waitFor(
      'SecurityEventNotification',
      (m) => (m.request as { type: string }).type === 'SettingSystemTime',
    );
    const request = event.request as { timestamp: string; techInfo?: string };
    assert.ok(
      Math.abs(Date.parse(request.timestamp) - (Date.now() - 2 * HOUR)) < 60_000,
      'stamped with the time before the adjustment',
    );
    assert.match(request.techInfo ?? '', /shifted by 7\d{3} s/);
    const log = pair.station.securityLog();
    assert.equal(
      log.map((e) => e.type),
      ['StartupOfTheDevice', 'SettingSystemTime'],
      'both events are in the security log, in order',
    );
    assert.ok(log.every((e) => e.critical));
  } finally {
    await pair.close();
  }
});

test('A04.FR.01 no SettingSystemTime within TimeAdjustmentReportingThreshold, nor when the threshold is not set', async () => {
  for (const [offsetMs, variables] of [
    [-30_000, { 'ClockCtrlr.TimeAdjustmentReportingThreshold': 60 }],
    [-2 * HOUR, {}],
  ] as const) {
    const clock = new ManualClock(Date.now() + offsetMs);
    const pair = await startPair({ station: { clock, variables } });
    try {
      await until(() => pair.station.registration === 'Accepted', 3000, 'Accepted');
      await pair.waitFor(
        'SecurityEventNotification',
        (m) => (m.request as { type: string }).type === 'StartupOfTheDevice',
      );
      assert.not.ok(
        pair
          .sent('SecurityEventNotification')
          .some((m) => (m.request as { type: string }).type === 'SettingSystemTime'),
        `offset ${offsetMs} ms`,
      );
      assert.not.ok(pair.station.securityLog().some((e) => e.type === 'SettingSystemTime'));
    } finally {
      await pair.close();
    }
  }
});

test('A04.FR.04 the security log keeps non-critical events too, rolls over at its size, and survives a restart', async () => {
  const d = drive([]);
  // A non-critical event: logged, not sent.
  const effects = securityEvent(d.shell, 'ReconfigurationOfSecurityParameters', 'x');
  assert.equal(
    effects.map((e) => e.type),
    ['storeWrite'],
  );
  const critical = securityEvent(d.shell, 'InvalidCsmsCertificate');
  assert.equal(
    critical.map((e) => e.type),
    ['storeWrite', 'send'],
  );

  const pair = await startPair();
  try {
    await until(() => pair.station.registration === 'Accepted', 3000, 'Accepted');
    assert.equal(
      pair.station.securityLog().map((e) => e.type),
      ['StartupOfTheDevice'],
    );
    await pair.restart();
    await until(() => pair.station.registration === 'Accepted', 3000, 'Accepted');
    assert.equal(
      pair.station.securityLog().map((e) => e.type),
      ['StartupOfTheDevice', 'StartupOfTheDevice'],
      'the first start is still logged',
    );
  } finally {
    await pair.close();
  }
});

test('A04.FR.04 the security log drops its oldest entries beyond SECURITY_LOG_SIZE', () => {
  const d = drive([]);
  const store = d.shell.store;
  const write = (type: string) => {
    for (const e of securityEvent(d.shell, type))
      if (e.type === 'storeWrite')
        for (const op of e.ops)
          op.op === 'put'
            ? store.put(op.namespace, op.key, op.value)
            : op.op === 'delete' && store.delete(op.namespace, op.key);
  };
  write('first');
  for (let i = 0; i < SECURITY_LOG_SIZE; i++) write('later');
  const entries = store.list<{ type: string }>('station.securityLog');
  assert.is(entries.length, SECURITY_LOG_SIZE);
  assert.not.ok(
    entries.some((e) => e.value.type === 'first'),
    'the oldest went first',
  );
});

test.run();
