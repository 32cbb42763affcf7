// @serial
// `ocppkit station` and a CSMS's charging profile: the simulated EV draws no more than the limit the station's
// block K gives the hardware (setChargingLimit), so the profile shows in the meter values the CSMS receives.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import { tempDir } from '../helpers/tmp.js';
import { ocppkitRun } from './cli-process.js';

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('K01.FR.07 a TxDefaultProfile of 6 A set by the CSMS: the simulated EV draws 6 A × 3 × 230 V = 4140 W instead of 11 kW, as its meter values show', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const url = csms.url(await csms.listen());
  try {
    writeFileSync(tmp.file('charge.txt'), 'sleep 1\nplug 1\nauth 04A2B3C4 1\nsleep 2.5\nunplug 1\nquit\n');
    const run = ocppkitRun(
      [
        'station',
        '--csms',
        url,
        '--id',
        'CLI-K',
        '--db',
        tmp.file('s.db'),
        '--power',
        '11000',
        '--set',
        'SampledDataCtrlr.TxUpdatedInterval=1',
        '--script',
        tmp.file('charge.txt'),
      ],
      { cwd: tmp.dir },
    );
    // Once booted (its first StatusNotification), before the script plugs in.
    await until(() => csms.received('CLI-K', 'StatusNotification').length > 0);
    const answer = await csms.call('CLI-K', 'SetChargingProfile', {
      evseId: 0,
      chargingProfile: {
        id: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }] }],
      },
    });
    assert.equal(answer, { status: 'Accepted' });
    const r = await run;
    assert.is(r.code, 0, r.output);
    const power = csms
      .received('CLI-K', 'TransactionEvent')
      .map((m) => m.request as any)
      .filter((e) => e.triggerReason === 'MeterValuePeriodic')
      .map((e) => e.meterValue[0].sampledValue.find((v: any) => v.measurand === 'Power.Active.Import').value);
    assert.ok(power.length > 0, r.output);
    assert.equal([...new Set(power)], [4140], `power while charging: ${power.join(', ')}`);
    assert.match(r.stdout, /EVSE 1: charging limit 6 A \(4140 W\)/);
  } finally {
    await csms.close();
    tmp.remove();
  }
});

test('K01.FR.07 Q03 (issue 17) a 2.1 TxDefaultProfile with a CentralSetpoint of -3000 W: the simulated EV discharges, and the meter values show negative power', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const csms = new SimpleCsms({ versions: ['ocpp2.1'] });
  const url = csms.url(await csms.listen());
  try {
    writeFileSync(tmp.file('charge.txt'), 'sleep 1\nplug 1\nauth 04A2B3C4 1\nsleep 2.5\nunplug 1\nquit\n');
    const run = ocppkitRun(
      [
        'station',
        '--ocpp',
        '2.1',
        '--csms',
        url,
        '--id',
        'CLI-Q',
        '--db',
        tmp.file('s.db'),
        '--power',
        '11000',
        '--set',
        'SampledDataCtrlr.TxUpdatedInterval=1',
        '--script',
        tmp.file('charge.txt'),
      ],
      { cwd: tmp.dir },
    );
    await until(() => csms.received('CLI-Q', 'StatusNotification').length > 0);
    const answer = await csms.call('CLI-Q', 'SetChargingProfile', {
      evseId: 0,
      chargingProfile: {
        id: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: [
          {
            id: 1,
            chargingRateUnit: 'W',
            chargingSchedulePeriod: [
              { startPeriod: 0, operationMode: 'CentralSetpoint', setpoint: -3000, dischargeLimit: -7000 },
            ],
          },
        ],
      },
    });
    assert.equal(answer, { status: 'Accepted' });
    const r = await run;
    assert.is(r.code, 0, r.output);
    const power = csms
      .received('CLI-Q', 'TransactionEvent')
      .map((m) => m.request as any)
      .filter((e) => e.triggerReason === 'MeterValuePeriodic')
      .map((e) => e.meterValue[0].sampledValue.find((v: any) => v.measurand === 'Power.Active.Import').value);
    assert.ok(power.length > 0, r.output);
    // The station works in A (its first rate unit): -3000 W is -4.3 A per phase on 3 × 230 V, i.e. -2967 W.
    for (const w of power)
      assert.ok(w < 0 && w > -3000 - 1 && w < -2900, `power while discharging: ${power.join(', ')}`);
    assert.match(r.stdout, /EVSE 1: CentralSetpoint, setpoint -\d+ W \(discharging\)/);
  } finally {
    await csms.close();
    tmp.remove();
  }
});

test.run();
