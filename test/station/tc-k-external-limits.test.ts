// K11–K13 over real sockets: an external system's limit as the integrator reports it (externalChargingLimit /
// externalChargingLimitCleared) — in force on the hardware and in the composite schedule, NotifyChargingLimit and
// ClearedChargingLimit to the CSMS, reported by GetChargingProfiles as ChargingStationExternalConstraints with its
// source, out of the CSMS's reach (K10.FR.06/.08/.09), and a TransactionEvent ChargingRateChanged during a transaction.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../support/rpc-harness.js';
import { states, withTxPair, type TxPair } from '../support/tx-pair.js';

const schedule = (limit: number, extra: Record<string, unknown> = {}) => ({
  id: 1,
  chargingRateUnit: 'A' as const,
  chargingSchedulePeriod: [{ startPeriod: 0, limit }],
  ...extra,
});

const lastLimit = (p: TxPair, evseId: number) => p.limits.filter(([e]) => e === evseId).at(-1)?.[1];

const twoEvses = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

async function reported(p: TxPair, requestId: number): Promise<any[]> {
  await p.waitFor('ReportChargingProfiles', (m: any) => m.request.requestId === requestId && !m.request.tbc);
  return p
    .sent('ReportChargingProfiles')
    .map((m) => m.request as any)
    .filter((r) => r.requestId === requestId);
}

test('K11.FR.01 K11.FR.02 K11.FR.05 K11.FR.04 an external limit during a transaction: the EVSE charges no faster, the CSMS gets NotifyChargingLimit (source EMS, not CSO) and a TransactionEvent ChargingRateChanged', async () => {
  await withTxPair({}, async (p) => {
    const transactionId = await states.energyTransferStarted(p);
    await until(() => lastLimit(p, 1) !== undefined);
    p.station.externalChargingLimit(1, { source: 'EMS', chargingSchedule: schedule(10) });
    await until(() => lastLimit(p, 1)?.limit === 10);
    const notify = await p.waitFor('NotifyChargingLimit');
    // K11.FR.03: without NotifyChargingLimitWithSchedules the schedule is not included.
    assert.equal(notify.request, { chargingLimit: { chargingLimitSource: 'EMS' }, evseId: 1 });
    const updated = await p.waitTx((r) => r.triggerReason === 'ChargingRateChanged');
    assert.is(updated.eventType, 'Updated');
    assert.is(updated.transactionInfo.transactionId, transactionId);
    const r = await p.call('GetCompositeSchedule', { evseId: 1, duration: 60, chargingRateUnit: 'A' });
    assert.is(r.schedule.chargingSchedulePeriod[0].limit, 10);
  });
});

test('K11.FR.03 K12.FR.03 with NotifyChargingLimitWithSchedules the NotifyChargingLimit carries the schedule as the external system set it', async () => {
  await withTxPair({ variables: { 'SmartChargingCtrlr.NotifyChargingLimitWithSchedules': true } }, async (p) => {
    const start = '2030-01-01T00:00:00.000Z';
    p.station.externalChargingLimit(0, {
      source: 'SO',
      isGridCritical: true,
      chargingSchedule: schedule(20, { startSchedule: start, duration: 3600 }),
    });
    const notify = await p.waitFor('NotifyChargingLimit');
    assert.equal(notify.request, {
      chargingLimit: { chargingLimitSource: 'SO', isGridCritical: true },
      chargingSchedule: [schedule(20, { startSchedule: start, duration: 3600 })],
    });
  });
});

test('K11.FR.02 K12.FR.02 a new limit within LimitChangeSignificance of the last is not notified; beyond it, it is', async () => {
  await withTxPair({ variables: { 'SmartChargingCtrlr.LimitChangeSignificance': 10 } }, async (p) => {
    p.station.externalChargingLimit(1, { source: 'EMS', chargingSchedule: schedule(20) });
    await p.waitFor('NotifyChargingLimit');
    await until(() => lastLimit(p, 1)?.limit === 20);
    // 21 A is 5 % more: the hardware follows, the CSMS is not told.
    p.station.externalChargingLimit(1, { source: 'EMS', chargingSchedule: schedule(21) });
    await until(() => lastLimit(p, 1)?.limit === 21);
    // 15 A is 28 % less than 21 A: notified. Waiting for it also shows that no NotifyChargingLimit came before.
    p.station.externalChargingLimit(1, { source: 'EMS', chargingSchedule: schedule(15) });
    await until(() => p.sent('NotifyChargingLimit').length === 2);
    await until(() => lastLimit(p, 1)?.limit === 15);
    assert.equal(
      p.sent('NotifyChargingLimit').map((m: any) => m.request.chargingLimit.chargingLimitSource),
      ['EMS', 'EMS'],
    );
  });
});

test('K12.FR.01 K08.FR.03 an external limit on the station (EVSE 0) without a transaction: every EVSE and the station total stay within it', async () => {
  await withTxPair({ evses: twoEvses }, async (p) => {
    p.station.externalChargingLimit(0, { source: 'EMS', chargingSchedule: schedule(12) });
    await until(() => lastLimit(p, 1)?.limit === 12 && lastLimit(p, 2)?.limit === 12);
    const total = await p.call('GetCompositeSchedule', { evseId: 0, duration: 60, chargingRateUnit: 'A' });
    assert.is(total.schedule.chargingSchedulePeriod[0].limit, 12);
  });
});

test('K11.FR.06 K12.FR.05 K09.FR.03 GetChargingProfiles reports an external limit as ChargingStationExternalConstraints with its source, next to the CSMS profiles (CSO)', async () => {
  await withTxPair({}, async (p) => {
    assert.equal(
      await p.call('SetChargingProfile', {
        evseId: 1,
        chargingProfile: {
          id: 5,
          stackLevel: 0,
          chargingProfilePurpose: 'TxDefaultProfile',
          chargingProfileKind: 'Relative',
          chargingSchedule: [schedule(16)],
        },
      }),
      { status: 'Accepted' },
    );
    p.station.externalChargingLimit(1, { source: 'EMS', chargingSchedule: schedule(10) });
    await p.waitFor('NotifyChargingLimit');
    assert.equal(await p.call('GetChargingProfiles', { requestId: 3, chargingProfile: {} }), { status: 'Accepted' });
    const reports = await reported(p, 3);
    assert.is(reports.length, 2);
    const cso = reports.find((r) => r.chargingLimitSource === 'CSO');
    const ems = reports.find((r) => r.chargingLimitSource === 'EMS');
    assert.equal(
      cso.chargingProfile.map((c: any) => c.id),
      [5],
    );
    assert.is(ems.evseId, 1);
    assert.is(ems.chargingProfile.length, 1);
    const ext = ems.chargingProfile[0];
    assert.is(ext.chargingProfilePurpose, 'ChargingStationExternalConstraints');
    assert.ok(ext.id < 0, 'a negative id, out of the CSMS id range (K11.FR.06 note)');
    assert.equal(ext.chargingSchedule[0].chargingSchedulePeriod, [{ startPeriod: 0, limit: 10 }]);
    // K09.FR.03: filtered by chargingLimitSource.
    assert.equal(
      await p.call('GetChargingProfiles', { requestId: 4, chargingProfile: { chargingLimitSource: ['EMS'] } }),
      { status: 'Accepted' },
    );
    const only = await reported(p, 4);
    assert.equal(
      only.map((r) => r.chargingLimitSource),
      ['EMS'],
    );
  });
});

test('K10.FR.06 K10.FR.08 K10.FR.09 K01.FR.05 the CSMS can neither clear nor replace an external limit: ClearChargingProfile Unknown, SetChargingProfile with its id Rejected', async () => {
  await withTxPair({}, async (p) => {
    p.station.externalChargingLimit(1, { source: 'EMS', chargingSchedule: schedule(10) });
    await until(() => lastLimit(p, 1)?.limit === 10);
    assert.equal(await p.call('GetChargingProfiles', { requestId: 1, chargingProfile: {} }), { status: 'Accepted' });
    const [report] = await reported(p, 1);
    const id = report.chargingProfile[0].id;
    assert.equal(await p.call('ClearChargingProfile', { chargingProfileId: id }), { status: 'Unknown' });
    assert.equal(
      await p.call('ClearChargingProfile', {
        chargingProfileCriteria: { chargingProfilePurpose: 'ChargingStationExternalConstraints' },
      }),
      { status: 'Unknown' },
    );
    const r = await p.call('SetChargingProfile', {
      evseId: 1,
      chargingProfile: {
        id,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: [schedule(30)],
      },
    });
    assert.is(r.status, 'Rejected');
    assert.is(lastLimit(p, 1)?.limit, 10);
  });
});

test('K13.FR.01 K13.FR.02 K13.FR.03 a released external limit: no longer in force, ClearedChargingLimit sent, and ChargingRateChanged during the transaction', async () => {
  await withTxPair({}, async (p) => {
    await states.energyTransferStarted(p);
    p.station.externalChargingLimit(1, { source: 'EMS', chargingSchedule: schedule(6) });
    await until(() => lastLimit(p, 1)?.limit === 6);
    await p.waitTx((r) => r.triggerReason === 'ChargingRateChanged');
    p.station.externalChargingLimitCleared(1, 'EMS');
    const cleared = await p.waitFor('ClearedChargingLimit');
    assert.equal(cleared.request, { chargingLimitSource: 'EMS', evseId: 1 });
    await until(() => lastLimit(p, 1)?.limit === 31.8);
    await until(() => p.tx().filter((r) => r.triggerReason === 'ChargingRateChanged').length === 2);
    assert.equal(await p.call('GetChargingProfiles', { requestId: 2, chargingProfile: {} }), { status: 'NoProfiles' });
    // Releasing it again changes nothing and sends nothing: the next message the CSMS sees is a new limit's.
    p.station.externalChargingLimitCleared(1, 'EMS');
    p.station.externalChargingLimit(1, { source: 'SO', chargingSchedule: schedule(7) });
    await until(() => p.sent('NotifyChargingLimit').length === 2);
    assert.is(p.sent('ClearedChargingLimit').length, 1);
  });
});

test('K11.FR.05 K12.FR.04 an external limit with source CSO, an unknown EVSE or a malformed schedule is refused at the API; the station goes on', async () => {
  await withTxPair({}, async (p) => {
    assert.throws(() => p.station.externalChargingLimit(1, { source: 'CSO', chargingSchedule: schedule(10) }), /CSO/);
    assert.throws(
      () => p.station.externalChargingLimit(7, { source: 'EMS', chargingSchedule: schedule(10) }),
      /evseId/,
    );
    assert.throws(
      () =>
        p.station.externalChargingLimit(1, {
          source: 'EMS',
          chargingSchedule: { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 5, limit: 1 }] },
        }),
      /start at 0/,
    );
    // 2.0.1 only: a source outside 2.0.1's ChargingLimitSourceEnumType.
    assert.throws(
      () => p.station.externalChargingLimit(1, { source: 'HLC', chargingSchedule: schedule(10) }),
      /ocpp2\.1/,
    );
    p.station.externalChargingLimit(1, { source: 'Other', chargingSchedule: schedule(9) });
    await until(() => lastLimit(p, 1)?.limit === 9);
  });
});

test('K11.FR.07 (2.1) with ExternalConstraintsProfileDisallowed the station ignores external limits', async () => {
  await withTxPair(
    {
      csms: { versions: ['ocpp2.1'] },
      station: { versions: ['ocpp2.1'] },
      deviceModel: {
        components: [
          {
            name: 'SmartChargingCtrlr',
            variables: [{ name: 'ExternalConstraintsProfileDisallowed', value: true, mutability: 'ReadWrite' }],
          },
        ],
      },
    },
    async (p) => {
      await until(() => lastLimit(p, 1) !== undefined);
      p.station.externalChargingLimit(1, { source: 'EMS', chargingSchedule: schedule(5) });
      // A 2.1 source name (appendix list) is accepted for a 2.1 station, and what follows shows nothing came of it.
      assert.equal(await p.call('GetChargingProfiles', { requestId: 1, chargingProfile: {} }), {
        status: 'NoProfiles',
      });
      assert.is(p.sent('NotifyChargingLimit').length, 0);
      assert.is.not(lastLimit(p, 1)?.limit, 5);
    },
  );
});

test('K12.FR.02 (2.1) a 2.1 station reports an external limit under a 2.1 source name', async () => {
  await withTxPair({ csms: { versions: ['ocpp2.1'] }, station: { versions: ['ocpp2.1'] } }, async (p) => {
    p.station.externalChargingLimit(0, { source: 'HLC', chargingSchedule: schedule(25) });
    const notify = await p.waitFor('NotifyChargingLimit');
    assert.equal(notify.request, { chargingLimit: { chargingLimitSource: 'HLC' } });
  });
});

test('TC_K_52_CS K12.FR.05 GetChargingProfiles for the purpose ChargingStationExternalConstraints reports the external limit set without a transaction', async () => {
  await withTxPair({}, async (p) => {
    p.station.externalChargingLimit(0, { source: 'SO', chargingSchedule: schedule(40) });
    await p.waitFor('NotifyChargingLimit');
    assert.equal(
      await p.call('GetChargingProfiles', {
        requestId: 52,
        chargingProfile: { chargingProfilePurpose: 'ChargingStationExternalConstraints' },
      }),
      { status: 'Accepted' },
    );
    const reports = await reported(p, 52);
    assert.ok(reports.length >= 1);
    const profiles = reports.flatMap((r) => r.chargingProfile);
    assert.ok(profiles.length >= 1);
    assert.ok(profiles.every((c: any) => c.chargingProfilePurpose === 'ChargingStationExternalConstraints'));
    assert.equal(
      reports.map((r) => [r.requestId, r.evseId, r.chargingLimitSource]),
      [[52, 0, 'SO']],
    );
  });
});

test.run();
