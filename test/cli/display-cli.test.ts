// The simulator's display line (O01–O06, I01–I03 as a driver reads them) and the CSMS prompt's shortcuts for a
// display message (SetDisplayMessage) and a 2.1 default tariff (SetDefaultTariff).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { displayText } from '../../runtime/cli/display-text.js';
import { parsePromptLine, PromptError } from '../../runtime/cli/csms-prompt.js';
import { validatePayload } from '../../runtime/validation.js';
import { protocol as v201 } from '../../generated/v201/index.js';
import { protocol as v21 } from '../../generated/v21/index.js';

const msg = (id: number, content: string, priority: 'AlwaysFront' | 'InFront' | 'NormalCycle' = 'NormalCycle') => ({
  id,
  priority,
  message: { format: 'UTF8' as const, content },
});

test('the display line: messages in order with their priority, then each driver’s tariff and cost', () => {
  assert.is(displayText({ messages: [], languages: [], drivers: [] }), 'display: (nothing to show)');
  assert.is(
    displayText({
      messages: [msg(2, 'Closed at 22:00', 'AlwaysFront'), msg(1, 'Welcome')],
      languages: [],
      drivers: [
        { evseId: 1, personalMessage: { format: 'UTF8', content: '0.30/kWh' }, runningCost: 2.5, currency: 'EUR' },
      ],
    }),
    'display: «Closed at 22:00» (AlwaysFront) · «Welcome» · EVSE 1: tariff 0.30/kWh, cost so far 2.50 EUR',
  );
  assert.is(
    displayText({ messages: [], languages: [], drivers: [{ evseId: 2, finalCost: 0, currency: 'EUR', ended: true }] }),
    'display: EVSE 2: total cost 0.00 EUR',
  );
  assert.is(
    displayText({
      messages: [],
      languages: [],
      drivers: [{ evseId: 1, tariffFallback: 'Ask the operator', costFallback: 'See your invoice', ended: true }],
    }),
    'display: EVSE 1: tariff Ask the operator, See your invoice',
  );
});

test('prompt: `<id> display <text>` is a SetDisplayMessage valid in 2.0.1 and 2.1', () => {
  const line = parsePromptLine('CS-1 display Welcome to the station');
  assert.ok(line && line.op === 'call');
  if (line?.op !== 'call') return;
  assert.is(line.action, 'SetDisplayMessage');
  assert.is((line.payload as any).message.message.content, 'Welcome to the station');
  for (const protocol of [v201, v21])
    assert.ok(validatePayload(protocol, 'SetDisplayMessage', 'request', line.payload).ok);
  assert.throws(
    () => parsePromptLine('CS-1 display'),
    (e: unknown) => e instanceof PromptError,
  );
});

test('prompt: `<id> tariff <price> [currency]` is a 2.1 SetDefaultTariff for every EVSE', () => {
  const line = parsePromptLine('CS-1 tariff 0.35 USD');
  if (line?.op !== 'call') return assert.unreachable('not a call');
  assert.is(line.action, 'SetDefaultTariff');
  const payload = line.payload as any;
  assert.equal(
    [payload.evseId, payload.tariff.currency, payload.tariff.energy.prices],
    [0, 'USD', [{ priceKwh: 0.35 }]],
  );
  assert.ok(validatePayload(v21, 'SetDefaultTariff', 'request', line.payload).ok);
  assert.throws(
    () => parsePromptLine('CS-1 tariff cheap'),
    (e: unknown) => e instanceof PromptError,
  );
});

test.run();
