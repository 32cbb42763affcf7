// A04 Security Event Notification on the station: which events it raises itself, that every one is in the
// security log (A04.FR.04) and the critical ones reach the CSMS (A04.FR.01). Built-in CSMS over a real socket, real
// store file; the station's clock is a ManualClock set away from the CSMS's, whose BootNotificationResponse
// currentTime then moves it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../runtime/queue/clock.js';
import { SECURITY_LOG_SIZE, securityEvent } from '../../runtime/station/A-security/security-log.js';
import { rawCsms, until } from '../support/rpc-harness.js';
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

test('A04.FR.01 A04.FR.02 TamperDetectionActivated, MemoryExhaustion, MaintenanceLoginAccepted/Failed from the hardware: logged and sent, queued while offline', async () => {
  const pair = await startPair({
    station: { variables: { 'OCPPCommCtrlr.RetryBackOffWaitMinimum': 1, 'OCPPCommCtrlr.RetryBackOffRandomRange': 0 } },
  });
  try {
    await until(() => pair.station.registration === 'Accepted', 5000, 'Accepted');
    const notified = (type: string) =>
      pair.waitFor('SecurityEventNotification', (m) => (m.request as { type: string }).type === type);
    pair.station.securityEventDetected('TamperDetectionActivated', 'enclosure door opened');
    const tamper = (await notified('TamperDetectionActivated')).request as { timestamp: string; techInfo?: string };
    assert.is(tamper.techInfo, 'enclosure door opened');
    assert.ok(Math.abs(Date.parse(tamper.timestamp) - Date.now()) < 60_000, 'stamped now');
    pair.station.securityEventDetected('MaintenanceLoginFailed', "{'user': 'service', 'origin': '10.0.0.7'}");
    await notified('MaintenanceLoginFailed');
    pair.station.securityEventDetected('MaintenanceLoginAccepted', "{'user': 'service', 'origin': 'touch screen'}");
    await notified('MaintenanceLoginAccepted');
    // Offline: kept in the queue and sent once the CSMS is back (A04.FR.02).
    pair.csms.refuseConnections(true);
    await pair.csms.disconnect(pair.identity);
    await until(() => !pair.station.connected, 5000, 'offline');
    pair.station.securityEventDetected('MemoryExhaustion', 'flash 97% used');
    pair.csms.refuseConnections(false);
    const memory = await pair.waitFor(
      'SecurityEventNotification',
      (m) => (m.request as { type: string }).type === 'MemoryExhaustion',
      10_000,
    );
    assert.is((memory.request as { techInfo?: string }).techInfo, 'flash 97% used');
    const log = pair.station.securityLog().map((e) => [e.type, e.critical]);
    for (const type of [
      'TamperDetectionActivated',
      'MaintenanceLoginFailed',
      'MaintenanceLoginAccepted',
      'MemoryExhaustion',
    ])
      assert.ok(
        log.some(([t, critical]) => t === type && critical),
        `${type} in the security log, critical`,
      );
    // Only the hardware's events may be reported this way, with a techInfo that fits the message.
    assert.throws(
      () => pair.station.securityEventDetected('FirmwareUpdated' as never),
      /one of TamperDetectionActivated/,
    );
    assert.throws(() => pair.station.securityEventDetected('MemoryExhaustion', 'x'.repeat(256)), /255/);
  } finally {
    await pair.close();
  }
});

test('A04.FR.04 InvalidMessages: a frame from the CSMS that is not OCPP JSON and a CALL whose payload fails its schema go into the security log (not critical: not sent)', async () => {
  const raw = await rawCsms();
  const pair = await startPair({ start: false });
  try {
    await pair.restart({ csms: { url: raw.url } });
    const conn = await raw.nextConnection();
    const boot = await conn.next();
    assert.is(boot[2], 'BootNotification');
    conn.send(
      JSON.stringify([3, boot[1], { currentTime: new Date().toISOString(), interval: 300, status: 'Accepted' }]),
    );
    conn.send('this is not JSON');
    conn.send(JSON.stringify([2, 'bad-1', 'Reset', { type: 'Sideways' }]));
    // The station's CALLERROR to the bad CALL: both frames have been handled by then.
    const frames: unknown[][] = [];
    for (let i = 0; i < 50; i++) {
      const frame = await conn.next();
      frames.push(frame);
      if (frame[0] === 4 && frame[1] === 'bad-1') break;
    }
    assert.equal(frames.at(-1)!.slice(0, 3), [4, 'bad-1', 'PropertyConstraintViolation']);
    const invalid = () => pair.station.securityLog().filter((e) => e.type === 'InvalidMessages');
    await until(() => invalid().length === 2, 3000, 'two InvalidMessages entries');
    assert.ok(invalid().every((e) => !e.critical));
    assert.match(invalid()[0]!.techInfo ?? '', /^invalidJson/);
    assert.match(invalid()[1]!.techInfo ?? '', /^invalidPayload/);
    assert.not.ok(
      frames.some(
        (f) => f[2] === 'SecurityEventNotification' && (f[3] as { type?: string }).type === 'InvalidMessages',
      ),
      'not notified',
    );
  } finally {
    await pair.close();
    await raw.close();
  }
});

test.run();
