// @timeout 120
// The template's security profile: profile 1 (ws:// + Basic auth) with a password pattern; a CSMS that wants the
// password accepts the fleet's stations, and refuses (401) those whose pattern gives another one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import { runFleet } from '../../runtime/fleet/runner.js';
import { resolveTemplate } from '../../runtime/fleet/template.js';

const SESSIONS = {
  plugDelaySec: { min: 0.1, max: 0.3 },
  cardDelaySec: { min: 0.1, max: 0.2 },
  chargeSec: { min: 0.5, max: 1 },
};

test('security profile 1: every station sends the password its pattern gives; the right one boots and charges, the wrong ones are refused 401', async () => {
  // The pattern gives "fleet-secret-CS-1" to CS-1, …: the CSMS knows only CS-2's.
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'], password: 'fleet-secret-CS-2' });
  const url = csms.url(await csms.listen());
  try {
    const report = await runFleet({
      csmsUrl: url,
      template: resolveTemplate({ security: { profile: 1, password: 'fleet-secret-{id}' }, sessions: SESSIONS }),
      stations: 3,
      workers: 1,
      seed: 1,
      sessionsLimit: 1,
      durationSec: 8,
      rampPerSec: 20,
      tickMs: 500,
    });
    const t = report.totals;
    assert.is(t.events.bootAccepted, 1);
    assert.is(t.events.sessionsCompleted, 1);
    assert.ok((t.failures['refused 401'] ?? 0) >= 2, JSON.stringify(t.failures));
    const attempts = csms.attempts.filter((a) => a.accepted).map((a) => a.identity);
    assert.equal([...new Set(attempts)], ['CS-2']);
  } finally {
    await csms.close();
  }
});

test.run();
