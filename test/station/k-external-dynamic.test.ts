// 2.1 K29 over real sockets against the built-in CSMS: an external system's single value (externalChargingValue)
// kept in a Dynamic profile — the CSMS's Dynamic Tx(Default)Profile with operationMode ExternalLimits /
// ExternalSetpoint (K29.FR.03), else a Dynamic ChargingStationExternalConstraints profile (K29.FR.04) — updated in
// place with dynUpdateTime (K29.FR.05/.06), in force on the hardware and in the composite schedule.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../support/rpc-harness.js';
import { states, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

/** A 2.1 station with Dynamic profiles; ExternalConstraintsProfileDisallowed when `disallowed`. */
function v21(disallowed = false): TxPairOptions {
  return {
    csms: { versions: ['ocpp2.1'] },
    station: { versions: ['ocpp2.1'] },
    deviceModel: {
      components: [
        {
          name: 'SmartChargingCtrlr',
          variables: [
            { name: 'SupportsDynamicProfiles', value: true, mutability: 'ReadOnly' },
            ...(disallowed ? [{ name: 'ExternalConstraintsProfileDisallowed', value: true }] : []),
          ],
        },
      ],
    },
  };
}

const lastLimit = (p: TxPair, evseId = 1) => p.limits.filter(([e]) => e === evseId).at(-1)?.[1];

async function reported(p: TxPair, requestId: number): Promise<any[]> {
  assert.equal(await p.call('GetChargingProfiles', { requestId, chargingProfile: {} }), { status: 'Accepted' });
  await p.waitFor('ReportChargingProfiles', (m: any) => m.request.requestId === requestId && !m.request.tbc);
  return p
    .sent('ReportChargingProfiles')
    .map((m) => m.request as any)
    .filter((r) => r.requestId === requestId);
}

const dynamicTxDefault = (operationMode: string, period: Record<string, number>) => ({
  id: 7,
  stackLevel: 0,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Dynamic',
  chargingSchedule: [
    { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, operationMode, ...period }] },
  ],
});

test('K29.FR.01 K29.FR.02 K29.FR.04 K29.FR.05 K29.FR.06 K12.FR.05 Q06.FR.02 Q06.FR.05 Q06.FR.07 Q06.FR.11 Q06.FR.12 without a CSMS profile asking for them, external values are one Dynamic ChargingStationExternalConstraints profile updated in place', async () => {
  await withTxPair(v21(), async (p) => {
    p.station.externalChargingValue(1, { source: 'EMS', chargingRateUnit: 'A', limit: 20 });
    await until(() => lastLimit(p)?.limit === 20);
    const first = (await reported(p, 1))[0];
    assert.is(first.chargingLimitSource, 'EMS');
    const kept = first.chargingProfile[0];
    assert.is(kept.chargingProfilePurpose, 'ChargingStationExternalConstraints');
    assert.is(kept.chargingProfileKind, 'Dynamic');
    assert.ok(kept.id < 0, 'a negative id (K11.FR.06)');
    assert.equal(kept.chargingSchedule.length, 1);
    assert.equal(kept.chargingSchedule[0].chargingSchedulePeriod, [
      { startPeriod: 0, operationMode: 'ExternalLimits', limit: 20 },
    ]);
    const firstUpdate = Date.parse(kept.dynUpdateTime);
    assert.ok(Math.abs(firstUpdate - Date.now()) < 2000, 'dynUpdateTime: now');
    await new Promise((r) => setTimeout(r, 1100)); // a second later, so that dynUpdateTime can show it moved
    p.station.externalChargingValue(1, { source: 'EMS', chargingRateUnit: 'A', limit: 8 });
    await until(() => lastLimit(p)?.limit === 8);
    const after = (await reported(p, 2)).flatMap((r) => r.chargingProfile);
    assert.is(after.length, 1, 'the same profile, not a second one');
    assert.is(after[0].id, kept.id);
    assert.equal(after[0].chargingSchedule[0].chargingSchedulePeriod, [
      { startPeriod: 0, operationMode: 'ExternalLimits', limit: 8 },
    ]);
    assert.ok(Date.parse(after[0].dynUpdateTime) > firstUpdate, 'K29.FR.06: dynUpdateTime set to the update');
    // The K29 scenario's step 4: a change beyond LimitChangeSignificance is told to the CSMS.
    await until(() => p.sent('NotifyChargingLimit').length === 2);
    // Q06.FR.11/.12: with the single period as it is now, without NotifyChargingLimitWithSchedules.
    const notified = p.sent('NotifyChargingLimit').map((m) => m.request as any);
    assert.equal(notified[1].chargingLimit.chargingLimitSource, 'EMS');
    assert.equal(notified[1].evseId, 1);
    assert.equal(notified[1].chargingSchedule[0].chargingSchedulePeriod, [
      { startPeriod: 0, operationMode: 'ExternalLimits', limit: 8 },
    ]);
    // A change within LimitChangeSignificance (10 %) is applied but not notified.
    p.station.externalChargingValue(1, { source: 'EMS', chargingRateUnit: 'A', limit: 7.5 });
    await until(() => lastLimit(p)?.limit === 7.5);
    await reported(p, 6); // a round trip after the update: a NotifyChargingLimit would have come before its answer
    assert.is(p.sent('NotifyChargingLimit').length, 2);
    const r = await p.call('GetCompositeSchedule', { evseId: 1, duration: 60, chargingRateUnit: 'A' });
    assert.is(r.schedule.chargingSchedulePeriod[0].limit, 7.5);
    p.station.externalChargingLimitCleared(1, 'EMS');
    await p.waitFor('ClearedChargingLimit');
    await until(() => lastLimit(p)?.limit !== 7.5);
  });
});

test('K29.FR.03 K29.FR.05 K29.FR.06 Q05.FR.02 Q05.FR.06 a Dynamic TxDefaultProfile with operationMode ExternalLimits takes the external limit as its own; no external-constraints profile is made', async () => {
  await withTxPair(v21(), async (p) => {
    assert.equal(
      await p.call('SetChargingProfile', {
        evseId: 1,
        chargingProfile: dynamicTxDefault('ExternalLimits', { limit: 16 }),
      }),
      { status: 'Accepted' },
    );
    await until(() => lastLimit(p)?.limit === 16);
    p.station.externalChargingValue(1, { source: 'EMS', chargingRateUnit: 'W', limit: 6900 });
    // 6 900 W over 3 phases of 230 V: 10 A per phase in the profile's unit.
    await until(() => lastLimit(p)?.limit === 10);
    const reports = await reported(p, 3);
    assert.equal(
      reports.map((r) => r.chargingLimitSource),
      ['CSO'],
      'only the CSMS profile',
    );
    const profile = reports[0].chargingProfile[0];
    assert.is(profile.id, 7);
    assert.equal(profile.chargingSchedule[0].chargingSchedulePeriod, [
      { startPeriod: 0, operationMode: 'ExternalLimits', limit: 10 },
    ]);
    assert.ok(Math.abs(Date.parse(profile.dynUpdateTime) - Date.now()) < 2000);
  });
});

test('K29.FR.03 Q05.FR.01 Q05.FR.05 ExternalSetpoint: the external setpoint becomes the setpoint of the CSMS Dynamic profile and reaches the inverter', async () => {
  await withTxPair(v21(), async (p) => {
    assert.equal(
      await p.call('SetChargingProfile', {
        evseId: 1,
        chargingProfile: dynamicTxDefault('ExternalSetpoint', { limit: 16, setpoint: 10 }),
      }),
      { status: 'Accepted' },
    );
    await states.energyTransferStarted(p);
    p.station.externalChargingValue(1, { source: 'EMS', chargingRateUnit: 'A', setpoint: 6 });
    await until(() => (lastLimit(p)?.inverter as { setpoint?: number } | undefined)?.setpoint === 6);
    assert.is(lastLimit(p)?.operationMode, 'ExternalSetpoint');
    const r = await p.call('GetCompositeSchedule', { evseId: 1, duration: 60, chargingRateUnit: 'A' });
    assert.is(r.schedule.chargingSchedulePeriod[0].setpoint, 6);
  });
});

test('K11.FR.07 K29.FR.04 Q06.FR.08 with ExternalConstraintsProfileDisallowed an external value is ignored unless a CSMS profile asks for it (K29.FR.03)', async () => {
  await withTxPair(v21(true), async (p) => {
    await until(() => lastLimit(p) !== undefined);
    const before = p.limits.length;
    p.station.externalChargingValue(1, { source: 'EMS', chargingRateUnit: 'A', limit: 5 });
    assert.equal(await p.call('GetChargingProfiles', { requestId: 4, chargingProfile: {} }), { status: 'NoProfiles' });
    assert.is(p.limits.length, before, 'the hardware limit is unchanged');
    assert.equal(
      await p.call('SetChargingProfile', {
        evseId: 1,
        chargingProfile: dynamicTxDefault('ExternalLimits', { limit: 16 }),
      }),
      { status: 'Accepted' },
    );
    await until(() => lastLimit(p)?.limit === 16);
    p.station.externalChargingValue(1, { source: 'EMS', chargingRateUnit: 'A', limit: 5 });
    await until(() => lastLimit(p)?.limit === 5);
  });
});

test('K29 externalChargingValue refuses bad input with a TypeError and changes nothing', async () => {
  await withTxPair(v21(), async (p) => {
    const bad: unknown[] = [
      { source: 'EMS', chargingRateUnit: 'A' },
      { source: 'CSO', chargingRateUnit: 'A', limit: 1 },
      { source: 'EMS', chargingRateUnit: 'kW', limit: 1 },
      { source: 'EMS', chargingRateUnit: 'A', limit: -1 },
      { source: 'EMS', chargingRateUnit: 'A', limit: Number.NaN },
      { source: 'EMS', chargingRateUnit: 'A', setpoint: 1, dischargeLimit: 3 },
    ];
    for (const value of bad)
      assert.throws(() => p.station.externalChargingValue(1, value as never), TypeError, JSON.stringify(value));
    assert.throws(
      () => p.station.externalChargingValue(9, { source: 'EMS', chargingRateUnit: 'A', limit: 1 }),
      RangeError,
    );
    assert.equal(await p.call('GetChargingProfiles', { requestId: 5, chargingProfile: {} }), { status: 'NoProfiles' });
  });
});

test('Q06.FR.04 Q06.FR.06 Q06.FR.21 a single setpoint from the External System: a Dynamic ChargingStationExternalConstraints profile with operationMode ExternalSetpoint, whose setpoint reaches the inverter', async () => {
  await withTxPair(v21(), async (p) => {
    await states.energyTransferStarted(p);
    p.station.externalChargingValue(1, { source: 'EMS', chargingRateUnit: 'A', setpoint: 5 });
    await until(() => (lastLimit(p)?.inverter as { setpoint?: number } | undefined)?.setpoint === 5);
    assert.is(lastLimit(p)?.operationMode, 'ExternalSetpoint');
    const kept = (await reported(p, 7))[0].chargingProfile[0];
    assert.is(kept.chargingProfileKind, 'Dynamic');
    assert.equal(kept.chargingSchedule[0].chargingSchedulePeriod, [
      { startPeriod: 0, operationMode: 'ExternalSetpoint', setpoint: 5 },
    ]);
    // Q06.FR.06: the External System varies it; the station follows.
    p.station.externalChargingValue(1, { source: 'EMS', chargingRateUnit: 'A', setpoint: -4, dischargeLimit: -6 });
    await until(() => (lastLimit(p)?.inverter as { setpoint?: number } | undefined)?.setpoint === -4);
  });
});

test('Q06.FR.30 K12.FR.01 an External System limit on EVSE 0: two EVSEs charging together keep the station within it', async () => {
  const twoEvses = [
    { id: 1, connectors: [{ id: 1 }] },
    { id: 2, connectors: [{ id: 1 }] },
  ];
  await withTxPair({ ...v21(), evses: twoEvses }, async (p) => {
    p.station.externalChargingValue(0, { source: 'EMS', chargingRateUnit: 'A', limit: 24 });
    await until(() => lastLimit(p, 1)?.limit === 24 && lastLimit(p, 2)?.limit === 24);
    await states.energyTransferStarted(p, 1);
    await states.evConnected(p, 2);
    states.authorizeLocal(p, 2, { idToken: 'VALID-2', type: 'ISO14443' });
    p.station.chargingStateChanged(2, 'Charging');
    await until(() => lastLimit(p, 1)?.limit === 12 && lastLimit(p, 2)?.limit === 12);
    p.station.externalChargingValue(0, { source: 'EMS', chargingRateUnit: 'A', limit: 16 });
    await until(() => lastLimit(p, 1)?.limit === 8 && lastLimit(p, 2)?.limit === 8);
  });
});

test.run();
