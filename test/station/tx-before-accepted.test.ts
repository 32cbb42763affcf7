// B02.FR.03 and B03.FR.01 over real sockets: a station configured with TxCtrlr.TxBeforeAcceptedEnabled may start
// transactions while the CSMS has not accepted it (Pending, Rejected); their TransactionEvents wait in the durable
// queue and reach the CSMS once it accepts the station. Without the setting, no transaction starts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RegistrationStatusEnumType } from '../../generated/v201/types.js';
import { ManualClock } from '../../runtime/queue/clock.js';
import type { ChargingStationOptions } from '../../runtime/station/options.js';
import { PLUG_TRANSACTIONS } from '../support/plug-transactions.js';
import { sleep, until } from '../support/rpc-harness.js';
import { startPair, type Pair } from '../support/station-harness.js';

const RETRY_SECONDS = 60;
const TOKEN = { idToken: 'LOCAL-1', type: 'ISO14443' as const };

/** A pair whose CSMS answers BootNotification with `verdict.status` (changeable), retry interval 60 s. */
async function pairWith(verdict: { status: RegistrationStatusEnumType }, station: Partial<ChargingStationOptions>) {
  const clock = new ManualClock(Date.now());
  const pair = await startPair({
    csms: { versions: ['ocpp2.0.1'], bootStatus: () => verdict.status, heartbeatInterval: RETRY_SECONDS },
    station: { clock, ...station },
  });
  return { pair, clock };
}

const txBeforeAccepted = (enabled: boolean) => ({
  components: [
    {
      name: 'TxCtrlr',
      variables: [{ name: 'TxBeforeAcceptedEnabled', value: enabled, mutability: 'ReadWrite' as const }],
    },
  ],
});

function transactionStarted(pair: Pair, timeoutMs = 2000): Promise<{ transactionId: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no transaction started')), timeoutMs);
    pair.station.once('transactionStarted', (e) => (clearTimeout(timer), resolve(e)));
  });
}

test('B02.FR.03 with TxBeforeAcceptedEnabled a transaction starts while Pending; its TransactionEvents are queued and delivered once Accepted', async () => {
  const verdict = { status: 'Pending' as RegistrationStatusEnumType };
  const { pair, clock } = await pairWith(verdict, {
    variables: PLUG_TRANSACTIONS,
    deviceModel: txBeforeAccepted(true),
  });
  try {
    await pair.waitFor('BootNotification');
    await until(() => pair.station.registration === 'Pending', 3000, 'Pending');
    const started = transactionStarted(pair);
    pair.station.cablePlugged(1, 1);
    const { transactionId } = await started;
    await sleep(200);
    assert.equal(pair.sent('TransactionEvent'), [], 'nothing but BootNotification goes out while Pending');
    verdict.status = 'Accepted';
    await clock.advance(RETRY_SECONDS * 1000);
    const event = (await pair.waitFor('TransactionEvent')).request as any;
    assert.equal(
      [event.eventType, event.triggerReason, event.transactionInfo.transactionId, event.seqNo],
      ['Started', 'CablePluggedIn', transactionId, 0],
    );
  } finally {
    await pair.close();
  }
});

test('B02.FR.03 without TxBeforeAcceptedEnabled no transaction starts while Pending', async () => {
  const { pair } = await pairWith(
    { status: 'Pending' },
    { variables: PLUG_TRANSACTIONS, deviceModel: txBeforeAccepted(false) },
  );
  try {
    await until(() => pair.station.registration === 'Pending', 3000, 'Pending');
    let started = false;
    pair.station.on('transactionStarted', () => (started = true));
    pair.station.cablePlugged(1, 1);
    await sleep(300);
    assert.not.ok(started);
  } finally {
    await pair.close();
  }
});

test('B03.FR.01 with TxBeforeAcceptedEnabled a token of the local list starts a transaction while the CSMS rejects the station; delivered once Accepted', async () => {
  const verdict = { status: 'Accepted' as RegistrationStatusEnumType };
  const station: Partial<ChargingStationOptions> = {
    variables: {
      'TxCtrlr.TxStartPoint': 'Authorized',
      'TxCtrlr.TxStopPoint': 'Authorized',
      'LocalAuthListCtrlr.Enabled': true,
    },
    deviceModel: txBeforeAccepted(true),
  };
  const { pair, clock } = await pairWith(verdict, station);
  try {
    // While accepted, the CSMS gives the station its local list; then it rejects the station after a reboot.
    await until(() => pair.station.registration === 'Accepted', 3000, 'Accepted');
    const list = {
      versionNumber: 1,
      updateType: 'Full',
      localAuthorizationList: [{ idToken: TOKEN, idTokenInfo: { status: 'Accepted' } }],
    };
    assert.equal(await pair.csms.call(pair.identity, 'SendLocalList', list), { status: 'Accepted' });
    verdict.status = 'Rejected';
    const again = await pair.restart({ clock });
    await until(() => again.registration === 'Rejected', 3000, 'Rejected');
    const mark = pair.sent('TransactionEvent').length;
    const authorized = new Promise<any>((resolve) => again.once('authorization', resolve));
    const started = transactionStarted(pair);
    again.idTokenPresented(TOKEN, 1);
    const verdictEvent = await authorized;
    assert.equal(
      [verdictEvent.idTokenInfo.status, verdictEvent.source],
      ['Accepted', 'localList'],
      'locally authorized',
    );
    const { transactionId } = await started;
    await sleep(200);
    assert.is(pair.sent('TransactionEvent').length, mark, 'not sent while Rejected');
    verdict.status = 'Accepted';
    await clock.advance(RETRY_SECONDS * 1000);
    const event = (
      await pair.waitFor('TransactionEvent', (m) => (m.request as any).transactionInfo.transactionId === transactionId)
    ).request as any;
    assert.equal(
      [event.eventType, event.triggerReason, event.idToken?.idToken],
      ['Started', 'Authorized', TOKEN.idToken],
    );
  } finally {
    await pair.close();
  }
});

test.run();
