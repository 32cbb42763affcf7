// @serial
// `ocppkit station` and variable monitoring by hand (issue 12): the CSMS sets a threshold on the simulator's
// temperature sensor, the script changes the temperature, the station sends NotifyEvent (Alerting, then cleared) and
// prints each event in words. The built-in CSMS over a real socket, the real command in its own process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import { tempDir } from '../helpers/tmp.js';
import { ocppkitRun } from './cli-process.js';

test('N07.FR.16 N07.FR.02 temperature <celsius> in a script: the CSMS threshold monitor reports Alerting, then cleared; the log shows both', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  const url = csms.url(await csms.listen());
  let monitor: Promise<unknown> | undefined;
  csms.on('message', (m) => {
    // Once the station reported its connectors (after the boot was accepted), the CSMS sets the monitor.
    if (m.identity !== 'CLI-MON' || m.direction !== 'in' || m.action !== 'StatusNotification' || monitor) return;
    monitor = csms.call('CLI-MON', 'SetVariableMonitoring', {
      setMonitoringData: [
        {
          type: 'UpperThreshold',
          value: 80,
          severity: 2,
          component: { name: 'TemperatureSensor' },
          variable: { name: 'Temperature' },
        },
      ],
    });
  });
  try {
    writeFileSync(tmp.file('heat.txt'), 'sleep 1\ntemperature 90\nsleep 0.5\ntemperature 20\nsleep 0.5\nquit\n');
    const r = await ocppkitRun(
      ['station', '--csms', url, '--id', 'CLI-MON', '--db', tmp.file('s.db'), '--script', tmp.file('heat.txt')],
      { cwd: tmp.dir },
    );
    assert.is(r.code, 0, r.output);
    const answer = (await monitor) as any;
    assert.is(answer.setMonitoringResult[0].status, 'Accepted');
    const events = csms.received('CLI-MON', 'NotifyEvent').flatMap((m) => (m.request as any).eventData);
    assert.equal(
      events.map((e: any) => [e.trigger, e.actualValue, e.cleared ?? false, e.component.name, e.variable.name]),
      [
        ['Alerting', '90', false, 'TemperatureSensor', 'Temperature'],
        ['Alerting', '20', true, 'TemperatureSensor', 'Temperature'],
      ],
    );
    assert.match(r.stdout, /TemperatureSensor\.Temperature reads 90/);
    assert.match(r.stdout, /event \d+: TemperatureSensor\.Temperature = "90" \(Alerting, CustomMonitor monitor \d+\)/);
    assert.match(r.stdout, /event \d+: TemperatureSensor\.Temperature = "20" \(Alerting, cleared, CustomMonitor/);
  } finally {
    await csms.close();
    tmp.remove();
  }
});

test.run();
