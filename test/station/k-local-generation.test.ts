// 2.1 K27 over real sockets against the built-in CSMS: an EMS reports local generation (solar panels), as a schedule
// (externalChargingLimit with localGeneration) or as a single value it keeps updating (externalChargingValue with
// localGeneration). The station keeps it as a LocalGeneration profile, adds it on top of the limits in the composite
// schedule and the hardware limit, reports it by GetChargingProfiles and tells the CSMS with NotifyChargingLimit
// (isLocalGeneration). The numbers are those of the use case's example: 5 kW TxDefaultProfile, 2 kW then 1 kW.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../support/rpc-harness.js';
import { withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

const v21: TxPairOptions = {
  csms: { versions: ['ocpp2.1'] },
  station: { versions: ['ocpp2.1'] },
  variables: { 'SmartChargingCtrlr.RateUnit': 'W,A' },
  deviceModel: {
    components: [
      {
        name: 'SmartChargingCtrlr',
        variables: [{ name: 'SupportsDynamicProfiles', value: true, mutability: 'ReadOnly' }],
      },
    ],
  },
};

const txDefault5kW = {
  id: 1,
  stackLevel: 0,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Relative',
  chargingSchedule: [{ id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 5000 }] }],
};

const lastLimit = (p: TxPair, evseId = 1) => p.limits.filter(([e]) => e === evseId).at(-1)?.[1];

async function composite(p: TxPair) {
  const r = await p.call('GetCompositeSchedule', { evseId: 1, duration: 7200, chargingRateUnit: 'W' });
  assert.is(r.status, 'Accepted');
  return r.schedule.chargingSchedulePeriod.map((q: any) => [q.startPeriod, q.limit]);
}

async function reported(p: TxPair, requestId: number): Promise<any[]> {
  assert.equal(await p.call('GetChargingProfiles', { requestId, chargingProfile: {} }), { status: 'Accepted' });
  await p.waitFor('ReportChargingProfiles', (m: any) => m.request.requestId === requestId && !m.request.tbc);
  return p
    .sent('ReportChargingProfiles')
    .map((m) => m.request as any)
    .filter((r) => r.requestId === requestId);
}

test('K27.FR.01 K27.FR.02 K27.FR.03 K27.FR.04 a local generation schedule from the EMS: a LocalGeneration profile on top of the 5 kW TxDefaultProfile (7 kW, then 6 kW), reported, and notified with isLocalGeneration', async () => {
  await withTxPair(
    { ...v21, variables: { ...v21.variables, 'SmartChargingCtrlr.NotifyChargingLimitWithSchedules': true } },
    async (p) => {
      assert.equal(await p.call('SetChargingProfile', { evseId: 1, chargingProfile: txDefault5kW }), {
        status: 'Accepted',
      });
      await until(() => lastLimit(p)?.limit === 5000);
      const start = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
      const chargingSchedule = {
        id: 1,
        startSchedule: start,
        chargingRateUnit: 'W' as const,
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 2000 },
          { startPeriod: 3600, limit: 1000 },
        ],
      };
      p.station.externalChargingLimit(1, { source: 'EMS', localGeneration: true, chargingSchedule });
      await until(() => lastLimit(p)?.limit === 7000);
      const periods = await composite(p);
      assert.equal(periods[0], [0, 7000]);
      assert.ok(
        periods.some(([at, limit]: number[]) => limit === 6000 && Math.abs(at! - 3600) <= 1),
        JSON.stringify(periods),
      );
      const notify = (await p.waitFor('NotifyChargingLimit')).request as any;
      assert.equal(notify.chargingLimit, { chargingLimitSource: 'EMS', isLocalGeneration: true });
      assert.equal(notify.chargingSchedule, [chargingSchedule]);
      const reports = await reported(p, 1);
      const generation = reports.find((r) => r.chargingLimitSource === 'EMS');
      assert.is(generation.chargingProfile[0].chargingProfilePurpose, 'LocalGeneration');
      assert.ok(generation.chargingProfile[0].id < 0);
      // K10.FR.08: not the CSMS's to clear; the EMS releases it.
      assert.equal(await p.call('ClearChargingProfile', { chargingProfileId: generation.chargingProfile[0].id }), {
        status: 'Unknown',
      });
      p.station.externalChargingLimitCleared(1, 'EMS');
      await until(() => lastLimit(p)?.limit === 5000);
    },
  );
});

test('K27.FR.01 K27.FR.03 K27.FR.05 a dynamic local generation value: a Dynamic LocalGeneration profile (ExternalLimits) updated in place; the limit follows it', async () => {
  await withTxPair(v21, async (p) => {
    assert.equal(await p.call('SetChargingProfile', { evseId: 1, chargingProfile: txDefault5kW }), {
      status: 'Accepted',
    });
    p.station.externalChargingValue(1, { source: 'EMS', chargingRateUnit: 'W', limit: 2000, localGeneration: true });
    await until(() => lastLimit(p)?.limit === 7000);
    p.station.externalChargingValue(1, { source: 'EMS', chargingRateUnit: 'W', limit: 1000, localGeneration: true });
    await until(() => lastLimit(p)?.limit === 6000);
    await until(() => p.sent('NotifyChargingLimit').length === 2);
    for (const m of p.sent('NotifyChargingLimit'))
      assert.equal((m.request as any).chargingLimit, { chargingLimitSource: 'EMS', isLocalGeneration: true });
    const kept = (await reported(p, 2)).find((r) => r.chargingLimitSource === 'EMS').chargingProfile;
    assert.is(kept.length, 1, 'one profile, updated in place');
    assert.is(kept[0].chargingProfilePurpose, 'LocalGeneration');
    assert.is(kept[0].chargingProfileKind, 'Dynamic');
    assert.equal(kept[0].chargingSchedule[0].chargingSchedulePeriod, [
      { startPeriod: 0, operationMode: 'ExternalLimits', limit: 1000 },
    ]);
    // A limit of the same EMS on the same EVSE is another profile: local generation is not replaced by it.
    p.station.externalChargingValue(1, { source: 'EMS', chargingRateUnit: 'W', limit: 4000 });
    await until(() => lastLimit(p)?.limit === 5000);
    // K27.FR.05: the external constraint goes in a NotifyChargingLimit of its own, without isLocalGeneration.
    await until(() => p.sent('NotifyChargingLimit').length === 3);
    assert.equal((p.sent('NotifyChargingLimit')[2]!.request as any).chargingLimit, { chargingLimitSource: 'EMS' });
    const both = (await reported(p, 3)).find((r) => r.chargingLimitSource === 'EMS').chargingProfile;
    assert.equal(both.map((c: any) => c.chargingProfilePurpose).sort(), [
      'ChargingStationExternalConstraints',
      'LocalGeneration',
    ]);
  });
});

test('K27 localGeneration needs OCPP 2.1: a 2.0.1-only station refuses it with a TypeError', async () => {
  await withTxPair({}, async (p) => {
    assert.throws(
      () =>
        p.station.externalChargingValue(1, {
          source: 'EMS',
          chargingRateUnit: 'W',
          limit: 1000,
          localGeneration: true,
        }),
      TypeError,
    );
    assert.throws(
      () =>
        p.station.externalChargingLimit(1, {
          source: 'EMS',
          localGeneration: true,
          chargingSchedule: { id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 1 }] },
        }),
      TypeError,
    );
  });
});

test.run();
