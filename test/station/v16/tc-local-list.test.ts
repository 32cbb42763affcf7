// OCTT 1.6 test cases of the Local Auth List Management profile (TC_008, TC_042, TC_043) over real sockets against
// the built-in CSMS in 1.6: SendLocalList Full/Differential with versions and limits (§5.15), GetLocalListVersion
// (§5.10), the list used before the cache and offline (§3.5.3).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { accepted, charge, startPair16, tag, type Pair16 } from '../../support/pair16.js';
import type { ChargingStationOptions } from '../../../runtime/station/options.js';

async function withPair(station: Partial<ChargingStationOptions>, body: (p: Pair16) => Promise<void>): Promise<void> {
  const p = await startPair16({ station });
  try {
    await accepted(p);
    await body(p);
  } finally {
    await p.close();
  }
}

const entry = (idTag: string, status = 'Accepted') => ({ idTag, idTagInfo: { status } });

test('TC_042_1_CS a station without Local Auth List Management (§5.10, §5.15): GetLocalListVersion -1, SendLocalList NotSupported, SupportedFeatureProfiles without it', async () => {
  await withPair({ variables: { SupportedFeatureProfiles: 'Core,Reservation,RemoteTrigger' } }, async (p) => {
    assert.equal(await p.call('GetLocalListVersion', {}), { listVersion: -1 });
    const send = await p.call('SendLocalList', { listVersion: 1, updateType: 'Full', localAuthorizationList: [] });
    assert.equal(send, { status: 'NotSupported' });
    const conf = await p.call('GetConfiguration', { key: ['SupportedFeatureProfiles'] });
    assert.is(conf.configurationKey[0].value, 'Core,Reservation,RemoteTrigger');
  });
});

test('TC_042_2_CS get the version of an empty list (§5.10): 0', async () => {
  await withPair({}, async (p) => {
    assert.equal(await p.call('GetLocalListVersion', {}), { listVersion: 0 });
  });
});

test('TC_043_CS / TC_008_CS send a full list, then differential updates (§5.15): Accepted, the version follows, entries added and removed; a listed idTag starts without Authorize', async () => {
  await withPair({ variables: { LocalPreAuthorize: true } }, async (p) => {
    const full = {
      listVersion: 3,
      updateType: 'Full',
      localAuthorizationList: [entry('A'), entry('B'), entry('C', 'Blocked')],
    };
    assert.equal(await p.call('SendLocalList', full), { status: 'Accepted' });
    assert.equal(await p.call('GetLocalListVersion', {}), { listVersion: 3 });
    const diff = { listVersion: 4, updateType: 'Differential', localAuthorizationList: [{ idTag: 'A' }, entry('D')] };
    assert.equal(await p.call('SendLocalList', diff), { status: 'Accepted' });
    assert.equal(await p.call('GetLocalListVersion', {}), { listVersion: 4 });
    // TC_008_CS: D is in the list: with LocalPreAuthorize it starts without Authorize.
    await charge(p, 'D');
    assert.is(p.sent('Authorize').length, 0);
    // A was removed: asked again.
    p.station.idTokenPresented(tag('D'));
    await p.waitFor('StopTransaction');
    p.station.cableUnplugged(1);
    p.station.cablePlugged(1);
    p.station.idTokenPresented(tag('A'));
    await p.waitFor('Authorize', (m) => (m.request as any).idTag === 'A');
  });
});

test('TC_043_2_CS differential update with an old version (§5.15): VersionMismatch, nothing changed', async () => {
  await withPair({}, async (p) => {
    await p.call('SendLocalList', { listVersion: 5, updateType: 'Full', localAuthorizationList: [entry('A')] });
    assert.equal(
      await p.call('SendLocalList', {
        listVersion: 5,
        updateType: 'Differential',
        localAuthorizationList: [entry('B')],
      }),
      {
        status: 'VersionMismatch',
      },
    );
    assert.equal(await p.call('GetLocalListVersion', {}), { listVersion: 5 });
  });
});

test('TC_043_3_CS a list beyond SendLocalListMaxLength / LocalAuthListMaxLength (§9.2.2/3): Failed', async () => {
  await withPair({ authorization: { localListMaxEntries: 2 } }, async (p) => {
    const conf = await p.call('GetConfiguration', { key: ['LocalAuthListMaxLength', 'SendLocalListMaxLength'] });
    assert.equal(
      conf.configurationKey.map((k: any) => k.value),
      ['2', '2'],
    );
    const three = { listVersion: 1, updateType: 'Full', localAuthorizationList: [entry('A'), entry('B'), entry('C')] };
    assert.equal(await p.call('SendLocalList', three), { status: 'Failed' });
    await p.call('SendLocalList', {
      listVersion: 1,
      updateType: 'Full',
      localAuthorizationList: [entry('A'), entry('B')],
    });
    assert.equal(
      await p.call('SendLocalList', {
        listVersion: 2,
        updateType: 'Differential',
        localAuthorizationList: [entry('C')],
      }),
      {
        status: 'Failed',
      },
    );
    assert.equal(await p.call('GetLocalListVersion', {}), { listVersion: 1 });
  });
});

test('TC_043_1_CS SendLocalList while LocalAuthListEnabled is false (§9.2.1): NotSupported', async () => {
  await withPair({ variables: { LocalAuthListEnabled: false } }, async (p) => {
    assert.equal(await p.call('SendLocalList', { listVersion: 1, updateType: 'Full', localAuthorizationList: [] }), {
      status: 'NotSupported',
    });
  });
});

test('1.6 §3.5.3 the list decides offline (LocalAuthorizeOffline): a listed idTag starts, a Blocked one does not; the list survives a reboot', async () => {
  const p = await startPair16();
  try {
    await accepted(p);
    await p.call('SendLocalList', {
      listVersion: 1,
      updateType: 'Full',
      localAuthorizationList: [entry('OK'), entry('NO', 'Blocked')],
    });
    await p.restart();
    await accepted(p);
    assert.equal(await p.call('GetLocalListVersion', {}), { listVersion: 1 });
    p.csms.refuseConnections(true);
    const lost = new Promise((r) => p.station.once('disconnected', r));
    await p.csms.disconnect(p.identity);
    await lost;
    const verdicts: string[] = [];
    p.station.on('authorization', (e) => verdicts.push(`${e.idToken.idToken} ${e.idTokenInfo.status} ${e.source}`));
    p.station.cablePlugged(1);
    p.station.idTokenPresented(tag('NO'));
    p.station.idTokenPresented(tag('OK'));
    assert.equal(verdicts, ['NO Blocked localList', 'OK Accepted localList']);
    p.csms.refuseConnections(false);
    await p.waitFor('StartTransaction', (m) => (m.request as any).idTag === 'OK', 10_000);
  } finally {
    await p.close();
  }
});

test.run();
