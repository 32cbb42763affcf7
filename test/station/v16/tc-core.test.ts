// OCTT 1.6 charge-point test cases of the Core profile (TC_0xx_CS), each over a real socket against the built-in
// CSMS serving ocpp1.6, with a 1.6 ChargingStation on a real SQLite file. The steps follow the test case document;
// what they check is what 1.6 edition 2 requires (section numbers in the names).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { accepted, charge, recordingHardware, settled, startPair16, tag, type Pair16 } from '../../support/pair16.js';

const req = (m: { request: unknown }) => m.request as Record<string, any>;

async function withPair(options: Parameters<typeof startPair16>[0], body: (p: Pair16) => Promise<void>): Promise<void> {
  const p = await startPair16(options);
  try {
    await accepted(p);
    await body(p);
  } finally {
    await p.close();
  }
}

test('TC_001_CS cold boot (§4.2, §4.6, §4.9): Rejected, BootNotification again after the interval, Accepted, every connector Available, Heartbeat at the interval', async () => {
  let boots = 0;
  const p = await startPair16({
    csms: { bootStatus: () => (++boots === 1 ? 'Rejected' : 'Accepted'), heartbeatInterval: 1 },
  });
  try {
    await p.waitFor('BootNotification', (m) => (m.response as any).status === 'Rejected');
    await accepted(p);
    assert.is(p.sent('BootNotification').length, 2);
    const [rejected, again] = p.sent('BootNotification');
    assert.ok(again!.at - rejected!.at >= 900, 'the second BootNotification waits for the interval');
    await p.status(0, 'Available');
    await p.status(1, 'Available');
    const boot = req(again!);
    assert.equal([boot.chargePointVendor, boot.chargePointModel], ['ocppkit', 'TestModel']);
    await p.waitFor('Heartbeat');
    // §4.2: the interval of the Accepted answer is HeartbeatInterval.
    assert.is(p.station.configuration('HeartbeatInterval'), '1');
    assert.is(p.station.registration, 'Accepted');
  } finally {
    await p.close();
  }
});

test('1.6 §4.2 while Rejected the Charge Point answers no CSMS request (CALLERROR SecurityError) and sends nothing but BootNotification', async () => {
  const p = await startPair16({ csms: { bootStatus: 'Rejected', heartbeatInterval: 30 }, start: false });
  try {
    const rejected = new Promise((resolve) => p.station.once('registration', resolve));
    await p.station.start();
    await rejected;
    const err = await p.call('GetConfiguration', {}).catch((e: { code?: string }) => e);
    assert.is(err.code, 'SecurityError');
    p.station.cablePlugged(1);
    p.station.idTokenPresented(tag('TAG1'));
    await p.call('ClearCache', {}).catch(() => {});
    assert.equal(
      p.sent('').map((m) => m.action),
      ['BootNotification'],
    );
  } finally {
    await p.close();
  }
});

test('TC_002_CS cold boot Pending (§4.2): BootNotification again after the interval; RemoteStart Rejected while Pending, configuration answered', async () => {
  let status: 'Pending' | 'Accepted' = 'Pending';
  const p = await startPair16({ csms: { bootStatus: () => status, heartbeatInterval: 1 } });
  try {
    await p.waitFor('BootNotification', (m) => (m.response as any).status === 'Pending');
    assert.equal(await p.call('RemoteStartTransaction', { idTag: 'X', connectorId: 1 }), { status: 'Rejected' });
    const conf = await p.call('GetConfiguration', { key: ['HeartbeatInterval'] });
    assert.is(conf.configurationKey[0].key, 'HeartbeatInterval');
    assert.is(p.sent('StatusNotification').length, 0, 'nothing but BootNotification while Pending');
    status = 'Accepted';
    await accepted(p);
    await p.status(1, 'Available');
  } finally {
    await p.close();
  }
});

test('TC_003_CS regular charging session, plug-in first (§3.6, §4.8, §4.10): Preparing, Authorize, StartTransaction, Charging, stop by the same idTag, Finishing, Available', async () => {
  const hw = recordingHardware();
  await withPair({ station: { hardware: hw.hardware } }, async (p) => {
    await p.status(1, 'Available');
    p.station.cablePlugged(1);
    await p.status(1, 'Preparing');
    p.station.idTokenPresented(tag('TAG1'));
    await p.waitFor('Authorize', (m) => req(m).idTag === 'TAG1');
    const start = await p.waitFor('StartTransaction');
    assert.equal([req(start).connectorId, req(start).idTag, req(start).meterStart], [1, 'TAG1', 0]);
    await p.status(1, 'Charging');
    p.station.idTokenPresented(tag('TAG1'));
    const stop = await p.waitFor('StopTransaction');
    assert.is(req(stop).transactionId, (start.response as any).transactionId);
    assert.is(req(stop).idTag, 'TAG1');
    assert.is(req(stop).reason, undefined, 'Local is the default reason');
    await p.status(1, 'Finishing');
    p.station.cableUnplugged(1);
    await p.status(1, 'Available');
    assert.equal(hw.calls.slice(0, 2), ['start 1', 'stop 1']);
  });
});

test('TC_004_1_CS identification first (§3.6): Authorize, Preparing, plug in, StartTransaction, Charging', async () => {
  await withPair({}, async (p) => {
    await p.status(1, 'Available');
    p.station.idTokenPresented(tag('TAG1'));
    await p.waitFor('Authorize');
    await p.status(1, 'Preparing');
    assert.is(p.sent('StartTransaction').length, 0);
    p.station.cablePlugged(1);
    await p.waitFor('StartTransaction');
    await p.status(1, 'Charging');
  });
});

test('TC_004_2_CS identification first, ConnectionTimeOut (§9.1.6): no cable within the timeout, back to Available, no transaction', async () => {
  await withPair({ station: { variables: { ConnectionTimeOut: 1 } } }, async (p) => {
    await p.status(1, 'Available');
    p.station.idTokenPresented(tag('TAG1'));
    await p.status(1, 'Preparing');
    const since = p.csms.log.length - 1;
    await p.csms.waitFor(
      (m) => m.action === 'StatusNotification' && req(m).connectorId === 1 && req(m).status === 'Available',
      5000,
      since,
    );
    p.station.cablePlugged(1);
    await p.status(1, 'Preparing');
    assert.is(p.sent('StartTransaction').length, 0);
  });
});

test('TC_005_1_CS EV side disconnected, StopTransactionOnEVSideDisconnect true (§9.1.23/33): StopTransaction EVDisconnected, cable unlocked', async () => {
  const hw = recordingHardware();
  await withPair({ station: { hardware: hw.hardware } }, async (p) => {
    const id = await charge(p);
    p.station.evDisconnected(1);
    const stop = await p.waitFor('StopTransaction');
    assert.equal([req(stop).transactionId, req(stop).reason], [id, 'EVDisconnected']);
    assert.ok(hw.calls.includes('unlock 1/1'));
  });
});

test('TC_005_2_CS EV side disconnected, StopTransactionOnEVSideDisconnect true, UnlockConnectorOnEVSideDisconnect false (§9.1.33): stopped, not unlocked', async () => {
  const hw = recordingHardware();
  await withPair(
    { station: { hardware: hw.hardware, variables: { UnlockConnectorOnEVSideDisconnect: false } } },
    async (p) => {
      await charge(p);
      p.station.evDisconnected(1);
      assert.is(req(await p.waitFor('StopTransaction')).reason, 'EVDisconnected');
      assert.not.ok(hw.calls.some((c) => c.startsWith('unlock')));
    },
  );
});

test('TC_005_3_CS EV side disconnected, StopTransactionOnEVSideDisconnect false (§9.1.23): the transaction goes on', async () => {
  await withPair({ station: { variables: { StopTransactionOnEVSideDisconnect: false } } }, async (p) => {
    await charge(p);
    p.station.evDisconnected(1);
    p.station.chargingStateChanged(1, 'SuspendedEV');
    await p.status(1, 'SuspendedEV');
    assert.is(p.sent('StopTransaction').length, 0);
  });
});

test('TC_007_CS cached idTag with LocalPreAuthorize (§3.5.2/3): the second session starts without Authorize', async () => {
  await withPair({ station: { variables: { LocalPreAuthorize: true } } }, async (p) => {
    await charge(p);
    p.station.idTokenPresented(tag('TAG1'));
    await p.waitFor('StopTransaction');
    p.station.cableUnplugged(1);
    await p.status(1, 'Available');
    const authorizes = p.sent('Authorize').length;
    await charge(p);
    assert.is(p.sent('Authorize').length, authorizes, 'no Authorize for the cached idTag');
  });
});

test('TC_010_CS remote start, cable plugged in first (§5.11): Accepted, Authorize (AuthorizeRemoteTxRequests), StartTransaction', async () => {
  await withPair({}, async (p) => {
    p.station.cablePlugged(1);
    await p.status(1, 'Preparing');
    assert.equal(await p.call('RemoteStartTransaction', { idTag: 'REMOTE1', connectorId: 1 }), { status: 'Accepted' });
    await p.waitFor('Authorize', (m) => req(m).idTag === 'REMOTE1');
    const start = await p.waitFor('StartTransaction');
    assert.equal([req(start).idTag, req(start).connectorId], ['REMOTE1', 1]);
  });
});

test('TC_011_1_CS remote start first (§5.11, AuthorizeRemoteTxRequests false): Preparing, then StartTransaction on plug-in without Authorize', async () => {
  await withPair({ station: { variables: { AuthorizeRemoteTxRequests: false } } }, async (p) => {
    await p.status(1, 'Available');
    assert.equal(await p.call('RemoteStartTransaction', { idTag: 'REMOTE1', connectorId: 1 }), { status: 'Accepted' });
    await p.status(1, 'Preparing');
    p.station.cablePlugged(1);
    await p.waitFor('StartTransaction', (m) => req(m).idTag === 'REMOTE1');
    assert.is(p.sent('Authorize').length, 0);
  });
});

test('TC_011_2_CS remote start, time out (§9.1.6): no cable within ConnectionTimeOut: Available, no transaction', async () => {
  await withPair({ station: { variables: { ConnectionTimeOut: 1, AuthorizeRemoteTxRequests: false } } }, async (p) => {
    await p.status(1, 'Available');
    await p.call('RemoteStartTransaction', { idTag: 'REMOTE1', connectorId: 1 });
    await p.status(1, 'Preparing');
    const since = p.csms.log.length - 1;
    await p.csms.waitFor(
      (m) => m.action === 'StatusNotification' && req(m).status === 'Available' && req(m).connectorId === 1,
      5000,
      since,
    );
    assert.is(p.sent('StartTransaction').length, 0);
  });
});

test('TC_012_CS remote stop (§5.12): Accepted, StopTransaction with reason Remote', async () => {
  await withPair({}, async (p) => {
    const id = await charge(p);
    assert.equal(await p.call('RemoteStopTransaction', { transactionId: id }), { status: 'Accepted' });
    const stop = await p.waitFor('StopTransaction');
    assert.equal([req(stop).transactionId, req(stop).reason], [id, 'Remote']);
    await p.status(1, 'Finishing');
  });
});

test('TC_028_CS remote stop of an unknown transaction (§5.12): Rejected', async () => {
  await withPair({}, async (p) => {
    const id = await charge(p);
    assert.equal(await p.call('RemoteStopTransaction', { transactionId: id + 100 }), { status: 'Rejected' });
  });
});

test('TC_026_CS / TC_027_CS remote start Rejected (§5.11): connector 0, an unknown connector, a connector that charges', async () => {
  await withPair({}, async (p) => {
    assert.equal(await p.call('RemoteStartTransaction', { idTag: 'R', connectorId: 0 }), { status: 'Rejected' });
    assert.equal(await p.call('RemoteStartTransaction', { idTag: 'R', connectorId: 7 }), { status: 'Rejected' });
    await charge(p);
    assert.equal(await p.call('RemoteStartTransaction', { idTag: 'R', connectorId: 1 }), { status: 'Rejected' });
  });
});

async function resetWithout(type: 'Hard' | 'Soft'): Promise<void> {
  const hw = recordingHardware();
  await withPair({ station: { hardware: hw.hardware } }, async (p) => {
    await p.status(1, 'Available');
    assert.equal(await p.call('Reset', { type }), { status: 'Accepted' });
    await p.waitFor('BootNotification', () => p.sent('BootNotification').length === 2, 10_000);
    assert.ok(hw.calls.includes('reset Immediate'));
    assert.is(p.sent('StopTransaction').length, 0);
  });
}

async function resetWith(type: 'Hard' | 'Soft'): Promise<void> {
  await withPair({}, async (p) => {
    const id = await charge(p);
    await p.call('Reset', { type });
    const stop = await p.waitFor('StopTransaction', undefined, 10_000);
    assert.equal([req(stop).transactionId, req(stop).reason], [id, `${type}Reset`]);
    await p.waitFor('BootNotification', () => p.sent('BootNotification').length === 2, 10_000);
    assert.is(p.sent('StopTransaction').length, 1);
  });
}

test("TC_013_CS hard reset without transaction (§5.13): Accepted, the integrator's reset, BootNotification again", () =>
  resetWithout('Hard'));
test("TC_014_CS soft reset without transaction (§5.13): Accepted, the integrator's reset, BootNotification again", () =>
  resetWithout('Soft'));
test('TC_015_CS hard reset with a transaction (§5.13): StopTransaction HardReset (once), then BootNotification', () =>
  resetWith('Hard'));
test('TC_016_CS soft reset with a transaction (§5.13): StopTransaction SoftReset (once), then BootNotification', () =>
  resetWith('Soft'));

test('TC_017_1_CS unlock connector without a session (§5.18): Unlocked', async () => {
  const hw = recordingHardware();
  await withPair({ station: { hardware: hw.hardware } }, async (p) => {
    assert.equal(await p.call('UnlockConnector', { connectorId: 1 }), { status: 'Unlocked' });
    assert.ok(hw.calls.includes('unlock 1/1'));
  });
});

test('TC_018_1_CS unlock connector with a session (§5.18): Unlocked, StopTransaction UnlockCommand', async () => {
  await withPair({ station: { hardware: recordingHardware().hardware } }, async (p) => {
    const id = await charge(p);
    assert.equal(await p.call('UnlockConnector', { connectorId: 1 }), { status: 'Unlocked' });
    const stop = await p.waitFor('StopTransaction');
    assert.equal([req(stop).transactionId, req(stop).reason], [id, 'UnlockCommand']);
  });
});

test('TC_030_CS unlock failure (§5.18): UnlockFailed', async () => {
  await withPair({ station: { hardware: recordingHardware(false).hardware } }, async (p) => {
    assert.equal(await p.call('UnlockConnector', { connectorId: 1 }), { status: 'UnlockFailed' });
  });
});

test('TC_031_CS unlock an unknown connector (§5.18): NotSupported', async () => {
  await withPair({ station: { hardware: recordingHardware().hardware } }, async (p) => {
    assert.equal(await p.call('UnlockConnector', { connectorId: 9 }), { status: 'NotSupported' });
  });
});

const FIXED_CABLE = [{ id: 1, connectors: [{ id: 1, fixedCable: true }] }];

test('TC_017_2_CS unlock connector without a session, fixed cable (§5.18 with the errata): NotSupported, the hardware is not asked', async () => {
  const hw = recordingHardware();
  await withPair({ station: { hardware: hw.hardware, evses: FIXED_CABLE } }, async (p) => {
    assert.equal(await p.call('UnlockConnector', { connectorId: 1 }), { status: 'NotSupported' });
    assert.not.ok(hw.calls.some((c) => c.startsWith('unlock')));
  });
});

test('TC_018_2_CS unlock connector with a session, fixed cable (§5.18 with the errata): NotSupported, the transaction goes on', async () => {
  const hw = recordingHardware();
  await withPair({ station: { hardware: hw.hardware, evses: FIXED_CABLE } }, async (p) => {
    const id = await charge(p);
    assert.equal(await p.call('UnlockConnector', { connectorId: 1 }), { status: 'NotSupported' });
    await settled(p);
    assert.is(p.sent('StopTransaction').length, 0);
    assert.not.ok(hw.calls.some((c) => c.startsWith('unlock')));
    // The transaction is still the station's: the same idTag ends it (Local).
    p.station.idTokenPresented(tag('TAG1'));
    const stop = await p.waitFor('StopTransaction');
    assert.equal([req(stop).transactionId, req(stop).reason ?? 'Local'], [id, 'Local']);
  });
});

test('TC_019_CS retrieve configuration (§5.8): all keys with readonly flags, asked keys, unknownKey', async () => {
  await withPair({}, async (p) => {
    const all = await p.call('GetConfiguration', {});
    const byKey = new Map<string, { readonly: boolean; value?: string }>(
      all.configurationKey.map((k: any) => [k.key, k]),
    );
    for (const key of [
      'HeartbeatInterval',
      'ConnectionTimeOut',
      'MeterValueSampleInterval',
      'NumberOfConnectors',
      'SupportedFeatureProfiles',
    ])
      assert.ok(byKey.has(key), key);
    assert.equal(byKey.get('NumberOfConnectors'), { key: 'NumberOfConnectors', readonly: true, value: '1' });
    assert.is(byKey.get('HeartbeatInterval')!.readonly, false);
    const some = await p.call('GetConfiguration', { key: ['ConnectionTimeOut', 'NoSuchKey'] });
    assert.equal(
      some.configurationKey.map((k: any) => k.key),
      ['ConnectionTimeOut'],
    );
    assert.equal(some.unknownKey, ['NoSuchKey']);
  });
});

test('TC_021_CS change configuration (§5.3): Accepted, reported, kept across a reboot', async () => {
  const p = await startPair16();
  try {
    await accepted(p);
    assert.equal(await p.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '15' }), {
      status: 'Accepted',
    });
    const conf = await p.call('GetConfiguration', { key: ['MeterValueSampleInterval'] });
    assert.is(conf.configurationKey[0].value, '15');
    await p.restart();
    await p.waitFor('BootNotification', () => p.sent('BootNotification').length === 2);
    assert.is(p.station.configuration('MeterValueSampleInterval'), '15');
  } finally {
    await p.close();
  }
});

test('TC_040_1_CS / TC_040_2_CS configuration key NotSupported, invalid value and read-only key Rejected (§5.3)', async () => {
  await withPair({}, async (p) => {
    assert.equal(await p.call('ChangeConfiguration', { key: 'NoSuchKey', value: '1' }), { status: 'NotSupported' });
    assert.equal(await p.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '-5' }), {
      status: 'Rejected',
    });
    assert.equal(await p.call('ChangeConfiguration', { key: 'LocalPreAuthorize', value: 'maybe' }), {
      status: 'Rejected',
    });
    assert.equal(await p.call('ChangeConfiguration', { key: 'MeterValuesSampledData', value: 'Nonsense' }), {
      status: 'Rejected',
    });
    assert.equal(await p.call('ChangeConfiguration', { key: 'NumberOfConnectors', value: '4' }), {
      status: 'Rejected',
    });
    assert.is(p.station.configuration('MeterValueSampleInterval'), '0', 'unchanged');
  });
});

test('TC_023_CS start with an invalid idTag (§4.1): Authorize Invalid, no StartTransaction', async () => {
  await withPair({ csms: { denyTokens: ['BAD'] } }, async (p) => {
    p.station.cablePlugged(1);
    const verdict = new Promise((resolve) => p.station.once('authorization', resolve));
    p.station.idTokenPresented(tag('BAD'));
    await p.waitFor('Authorize', (m) => (m.response as any).idTagInfo.status === 'Invalid');
    await verdict;
    assert.is(p.sent('StartTransaction').length, 0);
  });
});

test('TC_024_CS lock failure (§4.9 ConnectorLockFailure): Faulted with ConnectorLockFailure until unplugged', async () => {
  await withPair({}, async (p) => {
    p.station.cablePlugged(1);
    p.station.connectorLockFailed(1);
    await p.waitFor(
      'StatusNotification',
      (m) => req(m).status === 'Faulted' && req(m).errorCode === 'ConnectorLockFailure',
    );
    p.station.cableUnplugged(1);
    await p.status(1, 'Available');
  });
});

test('TC_041_CS fault behaviour (§4.9): Faulted while the fault lasts, Available after', async () => {
  await withPair({}, async (p) => {
    await p.status(1, 'Available');
    p.station.connectorFaulted(1);
    await p.status(1, 'Faulted');
    p.station.connectorRecovered(1);
    await p.waitFor(
      'StatusNotification',
      (m) => req(m).status === 'Available' && p.sent('StatusNotification').length > 3,
    );
  });
});

test('ChangeAvailability (§5.2): Inoperative → Unavailable; Scheduled during a transaction, Unavailable once it ended; Operative again', async () => {
  const hw = recordingHardware();
  await withPair({ station: { hardware: hw.hardware } }, async (p) => {
    assert.equal(await p.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' }), { status: 'Accepted' });
    await p.status(1, 'Unavailable');
    assert.equal(await p.call('ChangeAvailability', { connectorId: 1, type: 'Operative' }), { status: 'Accepted' });
    await p.status(1, 'Available');
    await charge(p);
    assert.equal(await p.call('ChangeAvailability', { connectorId: 0, type: 'Inoperative' }), { status: 'Scheduled' });
    p.station.idTokenPresented(tag('TAG1'));
    await p.waitFor('StopTransaction');
    await p.status(0, 'Unavailable');
    await p.status(1, 'Unavailable');
    assert.ok(hw.calls.includes('inoperative 1/1'));
    assert.equal(await p.call('ChangeAvailability', { connectorId: 5, type: 'Inoperative' }), { status: 'Rejected' });
  });
});

test('TC_061_CS clear the authorization cache (§5.4): Accepted; the idTag is asked again', async () => {
  await withPair({ station: { variables: { LocalPreAuthorize: true } } }, async (p) => {
    await charge(p);
    p.station.idTokenPresented(tag('TAG1'));
    await p.waitFor('StopTransaction');
    await settled(p); // the StopTransaction.conf's idTagInfo is cached first (§3.5.2)
    p.station.cableUnplugged(1);
    assert.equal(await p.call('ClearCache', {}), { status: 'Accepted' });
    const before = p.sent('Authorize').length;
    await charge(p);
    assert.is(p.sent('Authorize').length, before + 1);
  });
});

test('TC_062_CS data transfer to the Charge Point (§5.6): UnknownVendorId; a profile left out of SupportedFeatureProfiles gets NotSupported', async () => {
  await withPair(
    { station: { variables: { SupportedFeatureProfiles: 'Core,LocalAuthListManagement' } } },
    async (p) => {
      assert.equal(await p.call('DataTransfer', { vendorId: 'com.example' }), { status: 'UnknownVendorId' });
      await p.call('ClearChargingProfile', {}).then(
        () => assert.unreachable('Smart Charging is not supported here'),
        (err: { code?: string }) => assert.is(err.code, 'NotSupported'),
      );
    },
  );
});

test('TC_068_CS / TC_069_CS stop by the same idTag, and by another idTag with the same parentIdTag (§3.5, §4.10)', async () => {
  await withPair({}, async (p) => {
    p.csms.respond('Authorize', (r: { idTag: string }) => ({
      idTagInfo: { status: 'Accepted', parentIdTag: 'FLEET' },
    }));
    p.csms.respond('StartTransaction', () => ({
      transactionId: 77,
      idTagInfo: { status: 'Accepted', parentIdTag: 'FLEET' },
    }));
    await charge(p, 'DRIVER1');
    p.station.idTokenPresented(tag('DRIVER2'), 1);
    const stop = await p.waitFor('StopTransaction');
    assert.equal([req(stop).transactionId, req(stop).idTag], [77, 'DRIVER2']);
  });
});

test('TC_070_CS sampled meter values (§9.1.17/19): MeterValues with the transactionId every MeterValueSampleInterval, StopTxnSampledData in transactionData', async () => {
  let wh = 1000;
  await withPair(
    {
      station: {
        variables: { MeterValueSampleInterval: 1, StopTxnSampledData: 'Energy.Active.Import.Register' },
        hardware: { readMeter: () => [{ measurand: 'Energy.Active.Import.Register', value: (wh += 10), unit: 'Wh' }] },
      },
    },
    async (p) => {
      const id = await charge(p);
      const mv = await p.waitFor('MeterValues', (m) => req(m).transactionId === id);
      const sv = req(mv).meterValue[0].sampledValue[0];
      assert.equal([sv.context, sv.measurand, sv.unit], ['Sample.Periodic', 'Energy.Active.Import.Register', 'Wh']);
      p.station.idTokenPresented(tag('TAG1'));
      const stop = await p.waitFor('StopTransaction');
      const contexts = req(stop).transactionData.map((d: any) => d.sampledValue[0].context);
      assert.equal(contexts, ['Transaction.Begin', 'Transaction.End']);
      assert.ok(req(stop).meterStop > 1000);
    },
  );
});

test('1.6 §7.49 signed readings: a reading the meter signed goes as Raw and as SignedData (the signed block hex-encoded)', async () => {
  const signedMeterData = Buffer.from('OCMF|{"RD":[{"RV":1.01}]}|{"SD":"3045"}').toString('base64');
  await withPair(
    {
      station: {
        variables: { MeterValueSampleInterval: 1 },
        hardware: {
          readMeter: () => [
            {
              measurand: 'Energy.Active.Import.Register',
              value: 1010,
              unit: 'Wh',
              signedMeterValue: { signedMeterData, signingMethod: 'ECDSA', encodingMethod: 'OCMF', publicKey: '' },
            },
          ],
        },
      },
    },
    async (p) => {
      const id = await charge(p);
      const mv = await p.waitFor('MeterValues', (m) => req(m).transactionId === id);
      const [raw, signed] = req(mv).meterValue[0].sampledValue;
      assert.equal([raw.value, raw.format], ['1010', undefined]);
      assert.equal(
        [signed.format, signed.measurand, signed.context],
        ['SignedData', 'Energy.Active.Import.Register', 'Sample.Periodic'],
      );
      assert.is(Buffer.from(signed.value, 'hex').toString('base64'), signedMeterData);
    },
  );
});

test('TC_071_CS clock-aligned meter values (§9.1.5/15): Sample.Clock MeterValues with and without a transaction', async () => {
  await withPair(
    {
      station: {
        variables: { ClockAlignedDataInterval: 1 },
        hardware: { readMeter: () => [{ measurand: 'Energy.Active.Import.Register', value: 5, unit: 'kWh' }] },
      },
    },
    async (p) => {
      const idle = await p.waitFor('MeterValues', (m) => req(m).connectorId === 1);
      assert.is(req(idle).transactionId, undefined);
      assert.equal(req(idle).meterValue[0].sampledValue[0], {
        value: '5',
        context: 'Sample.Clock',
        measurand: 'Energy.Active.Import.Register',
        unit: 'kWh',
      });
      const id = await charge(p);
      await p.waitFor(
        'MeterValues',
        (m) => req(m).transactionId === id && req(m).meterValue[0].sampledValue[0].context === 'Sample.Clock',
      );
    },
  );
});

test('1.6 §9.1.20 MinimumStatusDuration: a status that lasts less is not reported; one that lasts is, after the duration', async () => {
  await withPair({ station: { variables: { MinimumStatusDuration: 1 } } }, async (p) => {
    await p.status(1, 'Available');
    p.station.cablePlugged(1);
    await new Promise((r) => setTimeout(r, 200));
    p.station.cableUnplugged(1);
    const plugged = Date.now();
    p.station.cablePlugged(1);
    const preparing = await p.waitFor('StatusNotification', (m) => req(m).status === 'Preparing', 5000);
    assert.ok(preparing.at - plugged >= 950, 'reported once it lasted the duration');
    assert.is(p.sent('StatusNotification').filter((m) => req(m).status === 'Preparing').length, 1);
  });
});

test.run();
