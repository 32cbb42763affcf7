// @serial
// `ocppkit station` prints what its display shows as a driver would read it: a message the CSMS sets (O01), and the
// running and final cost the CSMS sends for the transaction (I02, I03), over a real socket to the built-in CSMS.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import { tempDir } from '../helpers/tmp.js';
import { ocppkitRun } from './cli-process.js';
import { parsePromptLine } from '../../runtime/cli/csms-prompt.js';

test('O01 I02 I03 the simulated station prints its display: the CSMS message, then the running and the final cost', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  csms.respond('TransactionEvent', (req: any) => ({
    ...(req.idToken ? { idTokenInfo: { status: 'Accepted' } } : {}),
    ...(req.eventType === 'Ended' ? { totalCost: 4.2 } : {}),
  }));
  const url = csms.url(await csms.listen());
  try {
    writeFileSync(tmp.file('session.txt'), 'plug 1\nauth VALID-1\nsleep 1.5\nunplug 1\nsleep 0.5\nquit\n');
    const run = ocppkitRun(
      ['station', '--csms', url, '--id', 'CLI-DISPLAY', '--db', tmp.file('s.db'), '--script', tmp.file('session.txt')],
      { cwd: tmp.dir },
    );
    await csms.waitFor((m) => m.action === 'BootNotification' && m.direction === 'in', 10_000);
    const started = await csms.waitFor(
      (m) => m.action === 'TransactionEvent' && m.direction === 'in' && (m.request as any).eventType === 'Started',
      10_000,
    );
    const transactionId = (started.request as any).transactionInfo.transactionId;
    await csms.call('CLI-DISPLAY', 'SetDisplayMessage', {
      message: { id: 1, priority: 'InFront', message: { format: 'UTF8', content: 'Welcome' } },
    });
    await csms.call('CLI-DISPLAY', 'CostUpdated', { totalCost: 1.25, transactionId });
    const r = await run;
    assert.is(r.code, 0, r.output);
    assert.match(r.stdout, /display: «Welcome» \(InFront\)/);
    assert.match(r.stdout, /display: «Welcome» \(InFront\) · EVSE 1: cost so far 1\.25 EUR/);
    assert.match(r.stdout, /display: «Welcome» \(InFront\) · EVSE 1: total cost 4\.20 EUR/);
  } finally {
    await csms.close();
    tmp.remove();
  }
});

test('I07 I12 (2.1) a tariff from the CSMS prompt: the simulated station shows the cost it calculates and sends the breakdown at the end', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const csms = new SimpleCsms({ versions: ['ocpp2.1'] });
  const url = csms.url(await csms.listen());
  try {
    writeFileSync(tmp.file('session.txt'), 'sleep 1\nplug 1\nauth VALID-1\nsleep 1.5\nunplug 1\nsleep 0.5\nquit\n');
    const run = ocppkitRun(
      [
        'station',
        '--csms',
        url,
        '--id',
        'CLI-TARIFF',
        '--ocpp',
        '2.1',
        '--db',
        tmp.file('s.db'),
        '--script',
        tmp.file('session.txt'),
      ],
      { cwd: tmp.dir },
    );
    await csms.waitFor((m) => m.action === 'BootNotification' && m.direction === 'in', 10_000);
    const line = parsePromptLine('CLI-TARIFF tariff 0.40 EUR');
    if (line?.op !== 'call') return assert.unreachable('the prompt line is a call');
    assert.equal(await csms.call('CLI-TARIFF', line.action, line.payload), { status: 'Accepted' });
    const r = await run;
    assert.is(r.code, 0, r.output);
    assert.match(r.stdout, /display: EVSE 1: cost so far \d+\.\d\d EUR/);
    const ended = csms
      .received('CLI-TARIFF', 'TransactionEvent')
      .map((m) => m.request as any)
      .find((q) => q.eventType === 'Ended');
    assert.equal(ended?.costDetails?.totalCost?.currency, 'EUR');
    assert.equal(ended?.costDetails?.chargingPeriods?.[0]?.tariffId, (line.payload as any).tariff.tariffId);
  } finally {
    await csms.close();
    tmp.remove();
  }
});

test.run();
