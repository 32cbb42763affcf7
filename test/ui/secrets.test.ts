// No secret in what the web view serves (issue 18): the connection password (BasicAuthPassword), a new one set
// with SetVariables from the page, and a 1.6 AuthorizationKey set with ChangeConfiguration cross the wire, yet
// neither the page, its script, the JSON API, the command answers nor the event streams of the CSMS's and the
// station's web views contain them: frames reach the view through the trace, which masks them (rpc/redact.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REDACTED } from '../../runtime/rpc/redact.js';
import { tempDir } from '../helpers/tmp.js';
import { command, csmsWithView, http, sse, stationWithView } from './support.js';

const PASSWORD = 'ui-connection-secret-0123456789';
const NEW_PASSWORD = 'ui-new-secret-password-9876543210';
const AUTHORIZATION_KEY = '5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e70001';

test('the password, a new BasicAuthPassword and a 1.6 AuthorizationKey sent from the page appear masked, never in clear, in anything the web views serve', async () => {
  const tmp = tempDir('ocppkit-ui-');
  const csms = await csmsWithView({ securityProfile: 1, password: PASSWORD });
  const v2 = await stationWithView({
    csmsUrl: csms.url,
    identity: 'UI-S2',
    dir: tmp.dir,
    password: PASSWORD,
    securityProfile: 1,
  });
  const v16 = await stationWithView({
    csmsUrl: csms.url,
    identity: 'UI-S16',
    dir: tmp.dir,
    versions: ['ocpp1.6'],
    password: PASSWORD,
    securityProfile: 1,
  });
  try {
    const streams = await Promise.all([
      sse(csms.ui.url, '/api/events'),
      sse(csms.ui.url, '/api/stations/UI-S2/stream'),
      sse(csms.ui.url, '/api/stations/UI-S16/stream'),
      sse(v2.ui.url, '/api/events'),
      sse(v2.ui.url, '/api/stations/UI-S2/stream'),
      sse(v16.ui.url, '/api/stations/UI-S16/stream'),
    ]);
    const answers: string[] = [];
    const set = await command(
      csms.ui.url,
      'UI-S2',
      `SetVariables {"setVariableData":[{"attributeValue":"${NEW_PASSWORD}","component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}}]}`,
    );
    assert.is(set.status, 200, set.text);
    answers.push(set.text);
    const change = await command(
      csms.ui.url,
      'UI-S16',
      `ChangeConfiguration {"key":"AuthorizationKey","value":"${AUTHORIZATION_KEY}"}`,
    );
    assert.is(change.status, 200, change.text);
    assert.equal(change.json().output, 'ChangeConfigurationResponse {"status":"Accepted"}');
    answers.push(change.text);
    // What a page may still ask for: the configuration (AuthorizationKey is write-only) and the variables.
    answers.push((await command(csms.ui.url, 'UI-S16', 'GetConfiguration {}')).text);
    answers.push(
      (
        await command(
          csms.ui.url,
          'UI-S2',
          'GetVariables {"getVariableData":[{"component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}}]}',
        )
      ).text,
    );

    // They did cross the wire: the CSMS's own log (not the trace) has them.
    const sent = JSON.stringify(csms.csms.log.filter((m) => m.direction === 'out').map((m) => m.request));
    assert.ok(sent.includes(NEW_PASSWORD) && sent.includes(AUTHORIZATION_KEY));
    // The streams show the calls, masked.
    const setFrame = await streams[1]!.waitFor((e) => e.event === 'message' && e.data.action === 'SetVariables');
    assert.is(setFrame.data.payload.setVariableData[0].attributeValue, REDACTED);
    const keyFrame = await streams[5]!.waitFor((e) => e.event === 'message' && e.data.action === 'ChangeConfiguration');
    assert.equal(keyFrame.data.payload, { key: 'AuthorizationKey', value: REDACTED });
    await streams[2]!.waitFor(
      (e) => e.event === 'message' && e.data.action === 'ChangeConfiguration' && e.data.kind === 'result',
    );

    const served: string[] = [...answers];
    for (const ui of [csms.ui, v2.ui, v16.ui]) {
      for (const path of ['/', '/app.js', '/style.css', '/api/info', '/api/stations'])
        served.push((await http(ui.url, path)).text);
      for (const id of ['UI-S2', 'UI-S16']) {
        served.push((await http(ui.url, `/api/stations/${id}`)).text);
        served.push((await http(ui.url, `/api/stations/${id}/messages`)).text);
      }
    }
    for (const s of streams) served.push(s.text());
    const all = served.join('\n');
    assert.ok(all.includes('SetVariables') && all.includes('AuthorizationKey'), 'the scan covers the calls');
    for (const secret of [PASSWORD, NEW_PASSWORD, AUTHORIZATION_KEY])
      assert.not.ok(all.includes(secret), `the web view served ${secret}`);
    for (const s of streams) s.close();
  } finally {
    await v2.stop();
    await v16.stop();
    await csms.close();
    tmp.remove();
  }
});

test.run();
