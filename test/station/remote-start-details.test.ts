// F01/F02 Remote Start Transaction against the built-in CSMS over real sockets: authorization per
// AuthorizeRemoteStart, the start as for a local action (E03 when TxStartPoint is Authorized), the meter data of the
// events, and a chargingProfile in the request (ignored: ocppkit has no smart charging). The Part 6 cases are in
// tc-f-remote.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LoggedMessage } from '../../runtime/csms/simple-csms.js';
import { states, TOKEN, withTxPair, type TxPair } from '../support/tx-pair.js';

const index = (p: TxPair, m: LoggedMessage) => p.csms.log.indexOf(m);

for (const authorize of [true, false]) {
  test(`${authorize ? 'F02.FR.09' : 'F02.FR.10'} F02.FR.11 F02.FR.12 F02.FR.13 F02.FR.05 AuthorizeRemoteStart ${authorize}, TxStartPoint Authorized: ${authorize ? 'an AuthorizeRequest first, then' : 'no AuthorizeRequest,'} the transaction starts before the EV connects, with the request's idToken`, async () => {
    await withTxPair(
      { variables: { 'AuthCtrlr.AuthorizeRemoteStart': authorize, 'TxCtrlr.TxStartPoint': 'Authorized' } },
      async (p) => {
        assert.equal(await states.authorizeRemote(p, 1, 21), { status: 'Accepted' });
        const started = await p.waitTx((r) => r.eventType === 'Started');
        assert.equal(
          [started.triggerReason, started.idToken, started.transactionInfo.remoteStartId],
          ['RemoteStart', TOKEN, 21],
        );
        assert.is(started.transactionInfo.chargingState, 'Idle', 'E03: no EV connected yet');
        const authorizes = p.sent('Authorize');
        if (authorize) {
          assert.equal(
            authorizes.map((m) => m.request),
            [{ idToken: TOKEN }],
          );
          const startedMessage = p.sent('TransactionEvent').find((m) => m.request === started)!;
          assert.ok(index(p, authorizes[0]!) < index(p, startedMessage), 'authorized before the transaction starts');
        } else {
          assert.equal(authorizes, [], 'started without checking the idToken');
        }
        await states.evConnected(p);
        p.station.chargingStateChanged(1, 'Charging');
        await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging');
      },
    );
  });
}

for (const cableFirst of [true, false]) {
  test(`${cableFirst ? 'F01.FR.14 F01.FR.15 F01.FR.18 cable first' : 'F02.FR.02 F02.FR.03 remote start first'}: the Started event carries TxStartedMeasurands (Transaction.Begin), the Updated events during the transaction TxUpdatedMeasurands (Sample.Periodic)`, async () => {
    const variables = {
      'SampledDataCtrlr.TxStartedMeasurands': 'Energy.Active.Import.Register',
      'SampledDataCtrlr.TxUpdatedMeasurands': 'Energy.Active.Import.Register,Power.Active.Import',
      'SampledDataCtrlr.TxUpdatedInterval': 30,
      'AuthCtrlr.AuthorizeRemoteStart': false,
      ...(cableFirst ? { 'TxCtrlr.TxStartPoint': 'EVConnected' } : {}),
    };
    await withTxPair({ manualClock: true, variables }, async (p) => {
      p.readings.set(1, [{ value: 500 }, { measurand: 'Power.Active.Import', value: 11000, unit: 'W' }]);
      if (cableFirst) await states.evConnected(p);
      assert.equal((await states.authorizeRemote(p, 1, 3)).status, 'Accepted');
      if (!cableFirst) await states.evConnected(p);
      const started = await p.waitTx((r) => r.eventType === 'Started');
      assert.equal(
        started.meterValue[0].sampledValue.map((v: any) => [v.context, v.value]),
        [['Transaction.Begin', 500]],
      );
      await p.waitTx((r) => r.triggerReason === 'RemoteStart');
      p.station.chargingStateChanged(1, 'Charging');
      await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging');
      p.readings.set(1, [{ value: 600 }, { measurand: 'Power.Active.Import', value: 10000, unit: 'W' }]);
      await p.advance(30_000);
      const periodic = await p.waitTx((r) => r.triggerReason === 'MeterValuePeriodic');
      assert.is(periodic.eventType, 'Updated');
      assert.equal(
        periodic.meterValue[0].sampledValue.map((v: any) => [v.context, v.measurand, v.value]),
        [
          ['Sample.Periodic', 'Energy.Active.Import.Register', 600],
          ['Sample.Periodic', 'Power.Active.Import', 10000],
        ],
      );
    });
  });
}

const txProfile = {
  id: 1,
  stackLevel: 0,
  chargingProfilePurpose: 'TxProfile',
  chargingProfileKind: 'Absolute',
  chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }] }],
};

test('F01.FR.12 F02.FR.20 K05.FR.04 a station with smart charging disabled (SmartChargingCtrlr.Enabled false) ignores the chargingProfile of a RequestStartTransaction and starts as without it', async () => {
  await withTxPair({ variables: { 'SmartChargingCtrlr.Enabled': false } }, async (p) => {
    assert.equal(
      await p.call('RequestStartTransaction', {
        idToken: TOKEN,
        evseId: 1,
        remoteStartId: 4,
        // Invalid as a profile (not a TxProfile): ignored, not checked.
        chargingProfile: { ...txProfile, chargingProfilePurpose: 'TxDefaultProfile' },
      }),
      { status: 'Accepted' },
    );
    await states.evConnected(p);
    const started = await p.waitTx((r) => r.eventType === 'Started');
    assert.equal([started.triggerReason, started.transactionInfo.remoteStartId], ['RemoteStart', 4]);
    p.station.chargingStateChanged(1, 'Charging');
    await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging');
    assert.equal(
      p.hw.filter((h) => h.op === 'startCharging'),
      [{ op: 'startCharging', args: [1, 1] }],
      'energy as without a profile',
    );
    assert.equal(await p.call('GetChargingProfiles', { requestId: 1, chargingProfile: {} }), { status: 'NoProfiles' });
  });
});

test('F01.FR.26 F02.FR.27 K05.FR.05 F01.FR.09 F02.FR.17 K05.FR.02 an invalid chargingProfile in RequestStartTransaction: Rejected with the reasonCode, nothing starts', async () => {
  await withTxPair({}, async (p) => {
    const purpose = await p.call('RequestStartTransaction', {
      idToken: TOKEN,
      evseId: 1,
      remoteStartId: 4,
      chargingProfile: { ...txProfile, chargingProfilePurpose: 'TxDefaultProfile' },
    });
    assert.equal(purpose, { status: 'Rejected', statusInfo: { reasonCode: 'InvalidProfile' } });
    const schedule = await p.call('RequestStartTransaction', {
      idToken: TOKEN,
      evseId: 1,
      remoteStartId: 5,
      chargingProfile: {
        ...txProfile,
        chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 10, limit: 6 }] }],
      },
    });
    assert.is(schedule.status, 'Rejected');
    assert.is(schedule.statusInfo.reasonCode, 'InvalidSchedule');
    // Nothing was started: a valid request is still accepted and is the one that starts.
    assert.equal(await p.call('RequestStartTransaction', { idToken: TOKEN, evseId: 1, remoteStartId: 6 }), {
      status: 'Accepted',
    });
    await states.evConnected(p);
    const started = await p.waitTx((r) => r.eventType === 'Started');
    assert.is(started.transactionInfo.remoteStartId, 6);
  });
});

test.run();
