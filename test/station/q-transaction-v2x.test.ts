// Block Q in the TransactionEvents (2.1), over real sockets against the built-in CSMS: evseSleep while an Idle
// period has the EVSE's electronics asleep (Q10.FR.04/05), through block K's query evseSleeping.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

/** A 2.1 station; SmartChargingCtrlr.SupportsEvseSleep as given. */
function v21(supportsEvseSleep: boolean): TxPairOptions {
  return {
    csms: { versions: ['ocpp2.1'] },
    station: { versions: ['ocpp2.1'] },
    deviceModel: {
      components: [
        {
          name: 'SmartChargingCtrlr',
          variables: [{ name: 'SupportsEvseSleep', value: supportsEvseSleep, mutability: 'ReadOnly' }],
        },
      ],
    },
  };
}

const txProfile = (transactionId: string, period: Record<string, unknown>) => ({
  id: 1,
  stackLevel: 0,
  chargingProfilePurpose: 'TxProfile',
  chargingProfileKind: 'Relative',
  transactionId,
  chargingSchedule: [{ id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, ...period }] }],
});

const set = (p: TxPair, chargingProfile: object) => p.call('SetChargingProfile', { evseId: 1, chargingProfile });

const modeChanged = (p: TxPair, mode: string) =>
  p.waitTx((r) => r.triggerReason === 'OperationModeChanged' && r.transactionInfo.operationMode === mode);

test('Q10.FR.03 Q10.FR.04 an Idle period with evseSleep on a station that supports it: TransactionEvents report evseSleep true while it lasts, and no more after', async () => {
  await withTxPair(v21(true), async (p) => {
    const transactionId = await states.energyTransferStarted(p);
    assert.equal(await set(p, txProfile(transactionId, { operationMode: 'Idle', evseSleep: true })), {
      status: 'Accepted',
    });
    const asleep = await modeChanged(p, 'Idle');
    assert.is(asleep.evseSleep, true);
    // Another event while it sleeps reports it too.
    states.suspendByEv(p);
    const suspended = await p.waitTx((r) => r.transactionInfo.chargingState === 'SuspendedEV');
    assert.is(suspended.evseSleep, true);
    assert.equal(await set(p, txProfile(transactionId, { limit: 7000 })), { status: 'Accepted' });
    const awake = await modeChanged(p, 'ChargingOnly');
    assert.is(awake.evseSleep, undefined, 'absent: false');
  });
});

test('Q10.FR.05 an Idle period with evseSleep on a station without SupportsEvseSleep: evseSleep is not reported (false)', async () => {
  await withTxPair(v21(false), async (p) => {
    const transactionId = await states.energyTransferStarted(p);
    assert.equal(await set(p, txProfile(transactionId, { operationMode: 'Idle', evseSleep: true })), {
      status: 'Accepted',
    });
    const idle = await modeChanged(p, 'Idle');
    assert.is(idle.evseSleep, undefined);
  });
});

test.run();
