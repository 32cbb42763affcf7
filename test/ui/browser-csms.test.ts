// @serial
// The web view of `ocppkit csms` in a real headless browser (Debian's Chromium driven by playwright-core): two
// connected stations (2.0.1 and 1.6) listed with their connectors as the CSMS saw them; a CSMS call typed in the
// page reaches the chosen station and its answer appears; a call the schema refuses shows the prompt's words.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkCall, parsePromptLine } from '../../runtime/cli/csms-prompt.js';
import { tempDir } from '../helpers/tmp.js';
import { browserTest, csmsWithView, launchBrowser, stationWithView } from './support.js';

/** The csms prompt's words for a line it refuses before sending. */
function promptError(line: string): string {
  try {
    parsePromptLine(line);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${line} parsed`);
}

browserTest(
  test,
  "two connected stations listed with their connectors; a TriggerMessage typed in the page reaches the 1.6 station, its answer and the Heartbeat appear; refused calls show the prompt's words",
  async () => {
    const tmp = tempDir('ocppkit-ui-');
    const csms = await csmsWithView();
    const a = await stationWithView({ csmsUrl: csms.url, identity: 'UI-A', dir: tmp.dir });
    const b = await stationWithView({ csmsUrl: csms.url, identity: 'UI-B', dir: tmp.dir, versions: ['ocpp1.6'] });
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(csms.ui.url);
      await page.getByRole('heading', { name: 'ocppkit csms' }).waitFor({ timeout: 10_000 });
      const stations = page.getByRole('list', { name: 'Stations' });
      const itemOf = (id: string) =>
        stations.getByRole('listitem').filter({ has: page.getByRole('button', { name: id }) });
      await itemOf('UI-A').getByText('connected (ocpp2.0.1), registration Accepted').waitFor({ timeout: 10_000 });
      await itemOf('UI-A').getByText('EVSE 1: Available').waitFor({ timeout: 10_000 });
      await itemOf('UI-B').getByText('connected (ocpp1.6), registration Accepted').waitFor({ timeout: 10_000 });
      await itemOf('UI-B').getByText('EVSE 1: Available').waitFor({ timeout: 10_000 });
      assert.is(await stations.getByRole('button').count(), 2);
      // Plugging at the station shows on the CSMS's page as the CSMS saw it.
      await b.run.run({ op: 'plug', evseId: 1 });
      await itemOf('UI-B').getByText('EVSE 1: Preparing').waitFor({ timeout: 10_000 });

      await stations.getByRole('button', { name: 'UI-B' }).click();
      const messages = page.getByRole('list', { name: 'Messages' });
      await messages.getByText(/→ BootNotification \{/).waitFor({ timeout: 10_000 });
      // The hardware controls are for `ocppkit station`: hidden here.
      assert.is(await page.getByRole('button', { name: 'Plug', exact: true }).isVisible(), false);

      const heartbeatsBefore = csms.csms.received('UI-B', 'Heartbeat').length;
      await page.getByLabel('Action', { exact: true }).fill('TriggerMessage');
      await page.getByLabel('Payload (JSON)', { exact: true }).fill('{"requestedMessage":"Heartbeat"}');
      await page.getByRole('button', { name: 'Send call' }).click();
      await page
        .getByRole('status')
        .getByText('TriggerMessageResponse {"status":"Accepted"}')
        .waitFor({ timeout: 10_000 });
      await messages.getByText('← TriggerMessage {"requestedMessage":"Heartbeat"}').waitFor({ timeout: 10_000 });
      await messages.getByText('→ TriggerMessageResponse {"status":"Accepted"}').waitFor({ timeout: 10_000 });
      await messages
        .getByText(/→ Heartbeat \{\}/)
        .last()
        .waitFor({ timeout: 10_000 });
      // It reached the station: the station sent the Heartbeat it was asked for.
      await csms.csms.waitFor((m) => m.identity === 'UI-B' && m.action === 'Heartbeat', 10_000, -1);
      assert.ok(csms.csms.received('UI-B', 'Heartbeat').length > heartbeatsBefore);
      assert.ok(
        b.log.lines.some((l) => l.includes('← TriggerMessage {"requestedMessage":"Heartbeat"}')),
        "in the station's log",
      );
      assert.not.ok(
        a.log.lines.some((l) => l.includes('TriggerMessage')),
        'UI-A got nothing',
      );
      // The terminal of the CSMS shows the call as the prompt would have.
      assert.ok(
        csms.log.lines.some((l) => l === 'UI-B ← TriggerMessage {"requestedMessage":"Heartbeat"}'),
        csms.log.lines.join('\n'),
      );

      // The schema refuses this one for a 1.6 station: nothing is sent, the prompt's words are shown.
      await page.getByLabel('Action', { exact: true }).fill('Reset');
      await page.getByLabel('Payload (JSON)', { exact: true }).fill('{"type":"Sometime"}');
      await page.getByRole('button', { name: 'Send call' }).click();
      const refused = `${checkCall(csms.csms, 'UI-B', 'Reset', { type: 'Sometime' })} — nothing was sent`;
      await page.getByRole('alert').getByText(refused).waitFor({ timeout: 10_000 });
      await page.getByLabel('Payload (JSON)', { exact: true }).fill('{"type":');
      await page.getByRole('button', { name: 'Send call' }).click();
      await page.getByRole('alert').getByText(promptError('UI-B Reset {"type":')).waitFor({ timeout: 10_000 });
      assert.equal(pageErrors, [], 'no script error on the page');
    } finally {
      await browser.close();
      await a.stop();
      await b.stop();
      await csms.close();
      tmp.remove();
    }
  },
);

test.run();
