// Issue 20: a request that is valid but carries customData nested thousands of levels deep (customData takes any
// properties) is answered normally and its data stored — the station keeps what it stores without customData
// (runtime/station/core/custom-data.ts), so nothing it writes overflows JSON.stringify. The CSMS is a raw one: a
// frame this deep cannot be built with JSON.stringify, so it is written as text.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChargingStation } from '../../runtime/station/charging-station.js';
import { rawCsms, type FramePipe } from '../support/rpc-harness.js';
import { TEST_VARIABLES, testLayout } from '../support/station-harness.js';

const DEPTH = 5000;
const deepCustomData = `{"vendorId":"com.acme","d":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}`;

/** Answers the station's CALLs (boot accepted, everything else with an empty result) until the answer to `id`. */
async function answerUntil(pipe: FramePipe, id: string): Promise<unknown[]> {
  for (;;) {
    const frame = await pipe.next();
    if (frame[0] === 2) {
      const now = new Date().toISOString();
      const payload =
        frame[2] === 'BootNotification'
          ? { status: 'Accepted', currentTime: now, interval: 300 }
          : frame[2] === 'Heartbeat'
            ? { currentTime: now }
            : {};
      pipe.send([3, frame[1], payload]);
    } else if (frame[1] === id) return frame;
  }
}

async function withStation(
  variables: Record<string, string | number | boolean>,
  fn: (pipe: FramePipe) => Promise<void>,
) {
  const csms = await rawCsms();
  const station = new ChargingStation({
    identity: 'DEEP-CS',
    csms: { url: csms.url },
    versions: ['ocpp2.0.1'],
    info: { model: 'M', vendorName: 'V' },
    supplyPhases: 3,
    evses: testLayout([{ id: 1, connectors: [{ id: 1 }] }]),
    store: { path: ':memory:' },
    networkSlots: [1, 2],
    variables: { ...TEST_VARIABLES, ...variables },
  });
  await station.start();
  try {
    const pipe = await csms.nextConnection();
    const boot = await pipe.next();
    assert.equal(boot.slice(0, 3).concat(), [2, boot[1], 'BootNotification']);
    pipe.send([3, boot[1], { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }]);
    await fn(pipe);
  } finally {
    await station.stop();
    await csms.close();
  }
}

test('D01 a SendLocalList entry whose personalMessage has deep customData is Accepted and kept', async () => {
  await withStation({ 'LocalAuthListCtrlr.Enabled': true }, async (pipe) => {
    const entry = `{"idToken":{"idToken":"DEEP-1","type":"ISO14443"},"idTokenInfo":{"status":"Accepted","personalMessage":{"format":"UTF8","content":"hi","customData":${deepCustomData}}}}`;
    pipe.send(`[2,"l1","SendLocalList",{"versionNumber":7,"updateType":"Full","localAuthorizationList":[${entry}]}]`);
    assert.equal(await answerUntil(pipe, 'l1'), [3, 'l1', { status: 'Accepted' }]);
    pipe.send([2, 'l2', 'GetLocalListVersion', {}]);
    assert.equal(await answerUntil(pipe, 'l2'), [3, 'l2', { versionNumber: 7 }]);
  });
});

test('B09 a SetNetworkProfile whose connectionData has deep customData is Accepted and kept', async () => {
  await withStation({}, async (pipe) => {
    const data = `{"ocppVersion":"OCPP20","ocppTransport":"JSON","ocppCsmsUrl":"ws://127.0.0.1:9/ocpp","messageTimeout":30,"securityProfile":0,"ocppInterface":"Wired0","customData":${deepCustomData}}`;
    pipe.send(`[2,"n1","SetNetworkProfile",{"configurationSlot":2,"connectionData":${data}}]`);
    assert.equal(await answerUntil(pipe, 'n1'), [3, 'n1', { status: 'Accepted' }]);
  });
});

test.run();
