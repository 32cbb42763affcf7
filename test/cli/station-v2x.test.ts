// @serial
// `ocppkit station --ocpp 2.1` with the OCPP 2.1 blocks R and S: a DER control the CSMS sets is printed as the
// setting of the simulated inverter, and the `swap` command plays a battery swap that the CSMS receives as
// BatterySwap BatteryIn and BatteryOut.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import { tempDir } from '../helpers/tmp.js';
import { ocppkit } from './cli-process.js';

test('R04 S01 S03 the simulator prints a DER control as an inverter setting and plays a battery swap from a command', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const csms = new SimpleCsms({ versions: ['ocpp2.1'] });
  const url = csms.url(await csms.listen());
  const station = ocppkit(
    ['station', '--ocpp', '2.1', '--evses', '2', '--csms', url, '--id', 'CLI-V2X', '--db', tmp.file('s.db')],
    { cwd: tmp.dir },
  );
  try {
    await station.waitFor(/boot accepted/, 20_000);
    const answer = await csms.call('CLI-V2X', 'SetDERControl', {
      isDefault: true,
      controlId: 'DROOP-1',
      controlType: 'FreqDroop',
      freqDroop: { priority: 2, overFreq: 50.2, underFreq: 49.8, overDroop: 5, underDroop: 4, responseTime: 1 },
    });
    assert.equal(answer, { status: 'Accepted' });
    const line = await station.waitFor(/inverter: FreqDroop/);
    assert.match(line, /FreqDroop \(default DROOP-1, priority 2\): droop 5 % above 50.2 Hz, 4 % below 49.8 Hz/);
    station.send('swap DRIVER-9');
    const out = await csms.waitFor(
      (m) => m.identity === 'CLI-V2X' && m.action === 'BatterySwap' && (m.request as any).eventType === 'BatteryOut',
      10_000,
    );
    const swaps = csms.received('CLI-V2X', 'BatterySwap').map((m) => m.request as any);
    assert.equal(
      swaps.map((s) => [s.eventType, s.idToken.idToken, s.batteryData[0].evseId]),
      [
        ['BatteryIn', 'DRIVER-9', 1],
        ['BatteryOut', 'DRIVER-9', 2],
      ],
    );
    assert.is(swaps[0].requestId, (out.request as any).requestId);
    station.send('quit');
    assert.is(await station.exited(10_000), 0, station.output());
  } finally {
    station.kill();
    await csms.close();
    tmp.remove();
  }
});

test.run();
