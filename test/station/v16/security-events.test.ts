// The security whitepaper's (edition 3) start-up security events on the 1.6 station, over real sockets against the
// built-in CSMS in 1.6 with a real SQLite file: StartupOfTheDevice on a power-up and ResetOrReboot after a Reset,
// each logged in the security log and sent as SecurityEventNotification once the BootNotification was accepted; the
// hardware's events reported with securityEventDetected.
// @timeout 60
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { accepted, recordingHardware, startPair16 } from '../../support/pair16.js';

const typeOf = (m: { request: unknown }) => (m.request as { type: string }).type;

test('Security whitepaper StartupOfTheDevice: a power-up is a critical security event, logged and sent after the accepted BootNotification', async () => {
  const p = await startPair16();
  try {
    await accepted(p);
    const event = await p.waitFor('SecurityEventNotification', (m) => typeOf(m) === 'StartupOfTheDevice');
    const boot = p.csms.log.findIndex((m) => m.identity === p.identity && m.action === 'BootNotification');
    assert.ok(p.csms.log.indexOf(event) > boot, 'after the BootNotification');
    assert.match((event.request as { techInfo: string }).techInfo, /PowerUp/);
    assert.ok(Number.isFinite(Date.parse((event.request as { timestamp: string }).timestamp)));
    assert.ok(p.station.securityLog().some((e) => e.type === 'StartupOfTheDevice' && e.critical));
    assert.is(p.sent('SecurityEventNotification').filter((m) => typeOf(m) === 'ResetOrReboot').length, 0);
  } finally {
    await p.close();
  }
});

test('Security whitepaper ResetOrReboot: after a Reset the restarted Charge Point reports ResetOrReboot', async () => {
  const hw = recordingHardware();
  const p = await startPair16({ station: { hardware: hw.hardware } });
  try {
    await accepted(p);
    await p.status(1, 'Available');
    assert.equal(await p.call('Reset', { type: 'Soft' }), { status: 'Accepted' });
    const event = await p.waitFor('SecurityEventNotification', (m) => typeOf(m) === 'ResetOrReboot', 10_000);
    assert.match((event.request as { techInfo: string }).techInfo, /RemoteReset/);
    assert.is(p.sent('BootNotification').length, 2);
    assert.ok(p.station.securityLog().some((e) => e.type === 'ResetOrReboot'));
  } finally {
    await p.close();
  }
});

test('Security whitepaper TamperDetectionActivated, MemoryExhaustion from the hardware (securityEventDetected): logged and sent; a maintenance login only logged (not among 1.6 critical events)', async () => {
  const p = await startPair16();
  try {
    await accepted(p);
    p.station.securityEventDetected('TamperDetectionActivated', 'cover opened');
    p.station.securityEventDetected('MaintenanceLoginAccepted', "{'user': 'service', 'origin': 'touch screen'}");
    p.station.securityEventDetected('MemoryExhaustion');
    const tamper = await p.waitFor('SecurityEventNotification', (m) => typeOf(m) === 'TamperDetectionActivated');
    assert.is((tamper.request as { techInfo?: string }).techInfo, 'cover opened');
    await p.waitFor('SecurityEventNotification', (m) => typeOf(m) === 'MemoryExhaustion');
    assert.is(p.sent('SecurityEventNotification').filter((m) => typeOf(m) === 'MaintenanceLoginAccepted').length, 0);
    const log = p.station.securityLog().map((e) => e.type);
    for (const type of ['TamperDetectionActivated', 'MaintenanceLoginAccepted', 'MemoryExhaustion'])
      assert.ok(log.includes(type), type);
  } finally {
    await p.close();
  }
});

test.run();
