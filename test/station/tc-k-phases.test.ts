// Block K over real sockets: the per-EVSE limits without profiles (K04.FR.01/.02, K06.FR.02), the phase rules of SetChargingProfile (K01.FR.43–48, 2.1 K01.FR.44/.54) as they reach the
// hardware's setChargingLimit, and SmartChargingCtrlr.Entries[ChargingProfiles] kept current (the installed-profile
// count the CSMS reads with GetVariables).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../support/rpc-harness.js';
import { states, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

function txDefault(id: number, limit: number, period: Record<string, unknown> = {}, stackLevel = 0) {
  return {
    id,
    stackLevel,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Relative',
    chargingSchedule: [
      { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit, ...period }] },
    ],
  };
}

const set = (p: TxPair, evseId: number, chargingProfile: unknown) =>
  p.call('SetChargingProfile', { evseId, chargingProfile });

/** The last limit the hardware got for an EVSE. */
const lastLimit = (p: TxPair, evseId: number) => p.limits.filter(([e]) => e === evseId).at(-1)?.[1];

/** EVSE 1 can switch the phase it connects to the EV (SmartChargingCtrlr.ACPhaseSwitchingSupported on EVSE 1). */
const switching: TxPairOptions = {
  deviceModel: {
    components: [
      {
        name: 'SmartChargingCtrlr',
        evse: { id: 1 },
        variables: [{ name: 'ACPhaseSwitchingSupported', value: true, mutability: 'ReadOnly' }],
      },
    ],
  },
};

test('K01.FR.43 K01.FR.49 a station that passes numberPhases to the hardware accepts it: numberPhases 1 reaches setChargingLimit, without it 3 are assumed', async () => {
  await withTxPair({}, async (p) => {
    await states.energyTransferStarted(p);
    assert.equal(await set(p, 1, txDefault(1, 16)), { status: 'Accepted' });
    await until(() => lastLimit(p, 1)?.limit === 16);
    assert.equal(lastLimit(p, 1), { limit: 16, unit: 'A', numberPhases: 3 });
    assert.equal(await set(p, 1, txDefault(1, 20, { numberPhases: 1 })), { status: 'Accepted' });
    await until(() => lastLimit(p, 1)?.limit === 20);
    assert.equal(lastLimit(p, 1), { limit: 20, unit: 'A', numberPhases: 1 });
  });
});

test('K01.FR.45 a station supplied with one phase accepts numberPhases 3 and imposes the limit on the one phase it has', async () => {
  await withTxPair({ station: { supplyPhases: 1 } }, async (p) => {
    await states.energyTransferStarted(p);
    assert.equal(await set(p, 1, txDefault(1, 10, { numberPhases: 3 })), { status: 'Accepted' });
    await until(() => lastLimit(p, 1)?.limit === 10);
    assert.equal(lastLimit(p, 1), { limit: 10, unit: 'A', numberPhases: 1 });
    const r = await p.call('GetCompositeSchedule', { evseId: 1, duration: 60, chargingRateUnit: 'W' });
    // K01.FR.50: 10 A on the one phase in use is 2 300 W, not 6 900 W.
    assert.equal(r.schedule.chargingSchedulePeriod, [{ startPeriod: 0, limit: 2300, numberPhases: 1 }]);
  });
});

test('K01.FR.46 numberPhases 1 with phaseToUse on an EVSE that can switch phases: Accepted, and the hardware is told to use that phase', async () => {
  await withTxPair(switching, async (p) => {
    await states.energyTransferStarted(p);
    assert.equal(await set(p, 1, txDefault(1, 16, { numberPhases: 1, phaseToUse: 2 })), { status: 'Accepted' });
    await until(() => lastLimit(p, 1)?.limit === 16);
    assert.equal(lastLimit(p, 1), { limit: 16, unit: 'A', numberPhases: 1, phaseToUse: 2 });
  });
});

test('K01.FR.47 numberPhases 1 without phaseToUse: Accepted, the hardware gets one phase and no phaseToUse (the station chooses)', async () => {
  await withTxPair(switching, async (p) => {
    await states.energyTransferStarted(p);
    assert.equal(await set(p, 1, txDefault(1, 13, { numberPhases: 1 })), { status: 'Accepted' });
    await until(() => lastLimit(p, 1)?.limit === 13);
    assert.equal(lastLimit(p, 1), { limit: 13, unit: 'A', numberPhases: 1 });
  });
});

test('K01.FR.48 phaseToUse on an EVSE without ACPhaseSwitchingSupported: Rejected (InvalidSchedule), nothing stored, the hardware limit unchanged', async () => {
  await withTxPair({}, async (p) => {
    await states.energyTransferStarted(p);
    const before = p.limits.length;
    const r = await set(p, 1, txDefault(1, 16, { numberPhases: 1, phaseToUse: 1 }));
    assert.is(r.status, 'Rejected');
    assert.is(r.statusInfo.reasonCode, 'InvalidSchedule');
    assert.equal(await p.call('GetChargingProfiles', { requestId: 1, chargingProfile: {} }), { status: 'NoProfiles' });
    // The station answers the next request normally, and no limit was applied for the refused profile.
    assert.equal(await set(p, 1, txDefault(2, 12)), { status: 'Accepted' });
    await until(() => lastLimit(p, 1)?.limit === 12);
    assert.ok(p.limits.slice(before).every(([, l]) => l.limit !== 16));
  });
});

test('K01.FR.44 (2.1) numberPhases or phaseToUse for a DC EVSE without DCInputPhaseControl: Rejected (NoPhaseForDC)', async () => {
  await withTxPair(
    {
      csms: { versions: ['ocpp2.1'] },
      station: { versions: ['ocpp2.1'], supplyPhases: 0, evses: [{ id: 1, connectors: [{ id: 1, type: 'cCCS2' }] }] },
    },
    async (p) => {
      const r = await set(p, 1, txDefault(1, 100, { numberPhases: 1 }));
      assert.is(r.status, 'Rejected');
      assert.is(r.statusInfo.reasonCode, 'NoPhaseForDC');
      assert.equal(await set(p, 1, txDefault(1, 100)), { status: 'Accepted' });
    },
  );
});

test('K01.FR.44 K01.FR.54 (2.1) a DC EVSE with EVSE.DCInputPhaseControl accepts numberPhases and phaseToUse and tells the hardware to take its grid input from those phases', async () => {
  await withTxPair(
    {
      csms: { versions: ['ocpp2.1'] },
      station: { versions: ['ocpp2.1'], supplyPhases: 0, evses: [{ id: 1, connectors: [{ id: 1, type: 'cCCS2' }] }] },
      deviceModel: {
        components: [
          {
            name: 'EVSE',
            evse: { id: 1 },
            variables: [{ name: 'DCInputPhaseControl', value: true, mutability: 'ReadOnly' }],
          },
        ],
      },
    },
    async (p) => {
      // Before any profile: the whole grid input (K01.FR.49's default of 3 phases).
      await until(() => lastLimit(p, 1)?.numberPhases === 3);
      assert.equal(await set(p, 1, txDefault(1, 50, { numberPhases: 1, phaseToUse: 3 })), { status: 'Accepted' });
      // The DC limit, and the input phases the period selects.
      await until(() => lastLimit(p, 1)?.limit === 50);
      assert.equal(lastLimit(p, 1), { limit: 50, unit: 'A', numberPhases: 1, phaseToUse: 3 });
      // The composite schedule of the DC EVSE still reports no phases (docs "DC").
      const r = await p.call('GetCompositeSchedule', { evseId: 1, duration: 60, chargingRateUnit: 'A' });
      assert.equal(r.schedule.chargingSchedulePeriod, [{ startPeriod: 0, limit: 50 }]);
    },
  );
});

test('K02.FR.05 SmartChargingCtrlr.Entries[ChargingProfiles] counts the installed profiles: after SetChargingProfile, ClearChargingProfile and the end of a TxProfile (deleted with its transaction)', async () => {
  await withTxPair({}, async (p) => {
    const entries = async () => {
      const r = await p.call('GetVariables', {
        getVariableData: [
          { component: { name: 'SmartChargingCtrlr' }, variable: { name: 'Entries', instance: 'ChargingProfiles' } },
        ],
      });
      assert.is(r.getVariableResult[0].attributeStatus, 'Accepted');
      return Number(r.getVariableResult[0].attributeValue);
    };
    assert.is(await entries(), 0);
    await set(p, 1, txDefault(1, 16));
    await set(p, 0, txDefault(2, 20, {}, 1));
    await until(() => p.limits.length > 0);
    assert.is(await entries(), 2);
    const transactionId = await states.energyTransferStarted(p);
    assert.equal(await set(p, 1, { ...txDefault(3, 8), chargingProfilePurpose: 'TxProfile', transactionId }), {
      status: 'Accepted',
    });
    await until(() => lastLimit(p, 1)?.limit === 8);
    assert.is(await entries(), 3);
    assert.equal(await p.call('ClearChargingProfile', { chargingProfileId: 2 }), { status: 'Accepted' });
    await until(() => lastLimit(p, 1)?.limit === 8 && p.limits.length > 0);
    assert.is(await entries(), 2);
    // K01.FR.04: the TxProfile ends with its transaction, and the count with it.
    p.station.stopTransaction(1);
    await p.waitTx((r) => r.eventType === 'Ended');
    await until(() => lastLimit(p, 1)?.limit === 16);
    assert.is(await entries(), 1);
  });
});

test('K04.FR.01 K04.FR.02 without profiles each EVSE is limited to its own configured maximum (EVSE.Power maxLimit)', async () => {
  await withTxPair(
    {
      evses: [
        { id: 1, maxPower: 11_040, connectors: [{ id: 1 }] },
        { id: 2, maxPower: 22_080, connectors: [{ id: 1 }] },
      ],
    },
    async (p) => {
      await until(() => lastLimit(p, 1) !== undefined && lastLimit(p, 2) !== undefined);
      // 11 040 W / (3 × 230 V) = 16 A; 22 080 W = 32 A.
      assert.equal(lastLimit(p, 1), { limit: 16, unit: 'A', numberPhases: 3 });
      assert.equal(lastLimit(p, 2), { limit: 32, unit: 'A', numberPhases: 3 });
    },
  );
});

test('K06.FR.02 offline without any charging profile the transaction goes on as if no constraints apply: the EVSE maximum', async () => {
  await withTxPair({ manualClock: true }, async (p) => {
    await states.energyTransferStarted(p);
    await until(() => lastLimit(p, 1)?.limit === 31.8);
    const before = p.limits.length;
    await p.csmsDown();
    await until(() => !p.station.connected);
    await p.advance(3_600_000);
    // Nothing limits the transaction while offline: no other limit was given to the hardware, it stays the maximum.
    assert.ok(p.limits.slice(before).every(([, l]) => l.limit === 31.8));
    assert.is(lastLimit(p, 1)?.limit, 31.8);
  });
});

test.run();
