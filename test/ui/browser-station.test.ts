// @serial
// The web view of `ocppkit station` in a real headless browser (Debian's Chromium driven by playwright-core), as
// issue 18 asks: the station list appears, a click on "Plug" produces the StatusNotification in the message
// stream; a bad EVSE shows the CLI's error text on the page; a card presented from the page is authorized.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import { tempDir } from '../helpers/tmp.js';
import { browserTest, launchBrowser, stationWithView } from './support.js';

browserTest(
  test,
  'the station list appears; a click on Plug puts the StatusNotification (Occupied) in the message stream; bad input shows the CLI error; a card is authorized',
  async () => {
    const tmp = tempDir('ocppkit-ui-');
    const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
    const station = await stationWithView({ csmsUrl: csms.url(await csms.listen()), identity: 'UI-WEB', dir: tmp.dir });
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(station.ui.url);
      await page.getByRole('heading', { name: 'ocppkit station' }).waitFor({ timeout: 10_000 });
      const stations = page.getByRole('list', { name: 'Stations' });
      await stations.getByText('EVSE 1: Available').waitFor({ timeout: 10_000 });
      await stations.getByRole('button', { name: 'UI-WEB' }).click();

      const messages = page.getByRole('list', { name: 'Messages' });
      // The messages of the boot are already there when the station is opened.
      await messages.getByText(/→ BootNotification \{/).waitFor({ timeout: 10_000 });

      await page.getByRole('button', { name: 'Plug', exact: true }).click();
      await messages.getByText(/→ StatusNotification \{.*"connectorStatus":"Occupied"/).waitFor({ timeout: 10_000 });
      await messages
        .getByText(/← StatusNotificationResponse \{\}/)
        .last()
        .waitFor({ timeout: 10_000 });
      await page.getByRole('status').getByText('plug 1: done').waitFor();
      await stations.getByText(/EVSE 1: Occupied, cable plugged/).waitFor({ timeout: 10_000 });
      const occupied = await csms.waitFor(
        (m) =>
          m.action === 'StatusNotification' &&
          (m.request as { connectorStatus: string }).connectorStatus === 'Occupied',
      );
      assert.is(occupied.identity, 'UI-WEB');

      // A wrong EVSE: the words the terminal prints, shown as an alert.
      await page.getByLabel('EVSE', { exact: true }).fill('9');
      await page.getByRole('button', { name: 'Plug', exact: true }).click();
      await page
        .getByRole('alert')
        .getByText('plug: EVSE "9" does not exist (EVSEs 1 to 1)')
        .waitFor({ timeout: 10_000 });

      await page.getByLabel('EVSE', { exact: true }).fill('1');
      await page.getByLabel('idToken', { exact: true }).fill('WEB-CARD');
      await page.getByRole('button', { name: 'Present card' }).click();
      await messages.getByText(/→ Authorize \{"idToken":\{"idToken":"WEB-CARD"/).waitFor({ timeout: 10_000 });
      await messages
        .getByText(/← AuthorizeResponse \{"idTokenInfo":\{"status":"Accepted"\}\}/)
        .waitFor({ timeout: 10_000 });
      await stations.getByText(/EVSE 1: .*transaction /).waitFor({ timeout: 10_000 });

      // The CSMS call form is for `ocppkit csms`: hidden here.
      assert.is(await page.getByRole('button', { name: 'Send call' }).isVisible(), false);
      assert.equal(pageErrors, [], 'no script error on the page');
    } finally {
      await browser.close();
      await station.stop();
      await csms.close();
      tmp.remove();
    }
  },
);

test.run();
