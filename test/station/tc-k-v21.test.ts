// What OCPP 2.1 adds to block K, over real sockets against the built-in CSMS speaking 2.1: priority charging (K21
// UsePriorityCharging, K22 at the station, NotifyPriorityCharging), Dynamic profiles (K28 UpdateDynamicSchedule,
// PullDynamicScheduleUpdate), the offline validity of profiles (K01.FR.101–103) and limitAtSoC (K01.FR.100).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../support/rpc-harness.js';
import { states, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

/** A 2.1 station that declares PriorityCharging and Dynamic profiles in SmartChargingCtrlr. */
function v21(more: Omit<TxPairOptions, 'csms' | 'deviceModel'> = {}): TxPairOptions {
  return {
    ...more,
    csms: { versions: ['ocpp2.1'] },
    station: { versions: ['ocpp2.1'], ...more.station },
    deviceModel: {
      components: [
        {
          name: 'SmartChargingCtrlr',
          variables: [
            {
              name: 'SupportedAdditionalPurposes',
              valuesList: ['PriorityCharging', 'LocalGeneration'],
              value: ['PriorityCharging'],
              mutability: 'ReadOnly',
            },
            { name: 'SupportsDynamicProfiles', value: true, mutability: 'ReadOnly' },
          ],
        },
      ],
    },
  };
}

function profile(id: number, purpose: string, limit: number, extra: Record<string, unknown> = {}) {
  const { schedule = {}, ...rest } = extra as { schedule?: Record<string, unknown> };
  return {
    id,
    stackLevel: 0,
    chargingProfilePurpose: purpose,
    chargingProfileKind: 'Relative',
    chargingSchedule: [
      { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }], ...schedule },
    ],
    ...rest,
  };
}

const set = (p: TxPair, evseId: number, chargingProfile: unknown) =>
  p.call('SetChargingProfile', { evseId, chargingProfile });
const lastLimit = (p: TxPair, evseId = 1) => p.limits.filter(([e]) => e === evseId).at(-1)?.[1];
const notified = (p: TxPair) => p.sent('NotifyPriorityCharging').map((m) => m.request);

async function reported(p: TxPair, requestId: number): Promise<any[]> {
  assert.equal(await p.call('GetChargingProfiles', { requestId, chargingProfile: {} }), { status: 'Accepted' });
  await p.waitFor('ReportChargingProfiles', (m: any) => m.request.requestId === requestId && !m.request.tbc);
  return p
    .sent('ReportChargingProfiles')
    .map((m) => m.request as any)
    .filter((r) => r.requestId === requestId)
    .flatMap((r) => r.chargingProfile);
}

test('K21.FR.02 UsePriorityCharging for a transaction that does not run: Rejected (TxNotFound)', async () => {
  await withTxPair(v21(), async (p) => {
    assert.equal(await p.call('UsePriorityCharging', { transactionId: 'nope', activate: true }), {
      status: 'Rejected',
      statusInfo: { reasonCode: 'TxNotFound' },
    });
  });
});

test('K21.FR.01 UsePriorityCharging without a PriorityCharging profile for the EVSE: NoProfile', async () => {
  await withTxPair(v21(), async (p) => {
    const transactionId = await states.energyTransferStarted(p);
    assert.equal(await p.call('UsePriorityCharging', { transactionId, activate: true }), {
      status: 'NoProfile',
      statusInfo: { reasonCode: 'NotFound' },
    });
  });
});

test('K21.FR.03 K21.FR.04 K21.FR.05 K21.FR.06 K21.FR.07 K21.FR.08 priority charging from the CSMS: the PriorityCharging profile replaces the TxDefaultProfile, the ChargingStationMaxProfile stays; and back', async () => {
  await withTxPair(v21(), async (p) => {
    assert.equal(await set(p, 0, profile(1, 'TxDefaultProfile', 10)), { status: 'Accepted' });
    assert.equal(await set(p, 0, profile(2, 'PriorityCharging', 28)), { status: 'Accepted' });
    assert.equal(
      await set(p, 0, {
        ...profile(3, 'ChargingStationMaxProfile', 24),
        chargingProfileKind: 'Absolute',
        chargingSchedule: [
          {
            id: 1,
            chargingRateUnit: 'A',
            startSchedule: '2020-01-01T00:00:00Z',
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 24 }],
          },
        ],
      }),
      { status: 'Accepted' },
    );
    const transactionId = await states.energyTransferStarted(p);
    await until(() => lastLimit(p)?.limit === 10);
    assert.equal(await p.call('UsePriorityCharging', { transactionId, activate: true }), { status: 'Accepted' });
    // K21.FR.04: 28 A of the PriorityCharging profile, capped by the 24 A ChargingStationMaxProfile.
    await until(() => lastLimit(p)?.limit === 24);
    await until(() => notified(p).length === 1);
    assert.equal(notified(p), [{ transactionId, activated: true }]);
    assert.equal(await p.call('UsePriorityCharging', { transactionId, activate: false }), { status: 'Accepted' });
    await until(() => lastLimit(p)?.limit === 10);
    await until(() => notified(p).length === 2);
    assert.equal(notified(p)[1], { transactionId, activated: false });
    // K21.FR.06: ending it again is Accepted and changes nothing (no NotifyPriorityCharging): the next one is 3rd.
    assert.equal(await p.call('UsePriorityCharging', { transactionId, activate: false }), { status: 'Accepted' });
    assert.equal(await p.call('UsePriorityCharging', { transactionId, activate: true }), { status: 'Accepted' });
    await until(() => notified(p).length === 3);
    assert.equal(notified(p)[2], { transactionId, activated: true });
  });
});

test('K22.FR.01 K22.FR.02 K22.FR.03 K22.FR.04 K22.FR.05 priority charging asked at the station: refused to the driver without a profile; with one, applied and notified, and ended', async () => {
  await withTxPair(v21(), async (p) => {
    const transactionId = await states.energyTransferStarted(p);
    p.station.priorityChargingRequested(1);
    await until(() => p.hw.some((h) => h.op === 'priorityChargingUnavailable'));
    assert.equal(await set(p, 1, profile(2, 'PriorityCharging', 20)), { status: 'Accepted' });
    p.station.priorityChargingRequested(1);
    await until(() => lastLimit(p)?.limit === 20);
    await until(() => notified(p).length === 1);
    assert.equal(notified(p), [{ transactionId, activated: true }]);
    p.station.priorityChargingRequested(1, false);
    await until(() => lastLimit(p)?.limit === 31.8);
    await until(() => notified(p).length === 2);
    assert.equal(notified(p)[1], { transactionId, activated: false });
  });
});

test('K28.FR.05 K28.FR.06 K28.FR.09 K28.FR.11 UpdateDynamicSchedule: a Dynamic profile takes the new values at once and its dynUpdateTime; any other profile is Rejected', async () => {
  await withTxPair(v21(), async (p) => {
    await states.energyTransferStarted(p);
    assert.equal(await set(p, 1, { ...profile(5, 'TxDefaultProfile', 12), chargingProfileKind: 'Dynamic' }), {
      status: 'Accepted',
    });
    await until(() => lastLimit(p)?.limit === 12);
    const [received] = await reported(p, 1);
    assert.ok(Number.isFinite(Date.parse(received.dynUpdateTime)), 'K28.FR.05: dynUpdateTime set on receipt');
    assert.equal(await p.call('UpdateDynamicSchedule', { chargingProfileId: 5, scheduleUpdate: { limit: 6 } }), {
      status: 'Accepted',
    });
    await until(() => lastLimit(p)?.limit === 6);
    const [updated] = await reported(p, 2);
    assert.equal(updated.chargingSchedule[0].chargingSchedulePeriod, [{ startPeriod: 0, limit: 6 }]);
    assert.ok(Date.parse(updated.dynUpdateTime) >= Date.parse(received.dynUpdateTime));
    assert.equal(await set(p, 1, profile(6, 'TxDefaultProfile', 16, { stackLevel: 1 })), { status: 'Accepted' });
    assert.equal(await p.call('UpdateDynamicSchedule', { chargingProfileId: 6, scheduleUpdate: { limit: 6 } }), {
      status: 'Rejected',
      statusInfo: { reasonCode: 'InvalidProfile' },
    });
    assert.equal(await p.call('UpdateDynamicSchedule', { chargingProfileId: 99, scheduleUpdate: { limit: 6 } }), {
      status: 'Rejected',
      statusInfo: { reasonCode: 'InvalidProfile' },
    });
  });
});

test('K28.FR.10 K28.FR.08 a Dynamic profile with dynUpdateInterval is pulled every interval, and the CSMS values apply at once', async () => {
  await withTxPair(v21({ manualClock: true }), async (p) => {
    let next = 7;
    p.csms.respond('PullDynamicScheduleUpdate', (req: any) =>
      req.chargingProfileId === 5 ? { status: 'Accepted', scheduleUpdate: { limit: next } } : { status: 'Rejected' },
    );
    await states.energyTransferStarted(p);
    assert.equal(
      await set(p, 1, { ...profile(5, 'TxDefaultProfile', 12), chargingProfileKind: 'Dynamic', dynUpdateInterval: 60 }),
      { status: 'Accepted' },
    );
    await until(() => lastLimit(p)?.limit === 12);
    await p.advance(59_000);
    assert.is(p.sent('PullDynamicScheduleUpdate').length, 0, 'not before the interval');
    await p.advance(1_500);
    await p.waitFor('PullDynamicScheduleUpdate');
    await until(() => lastLimit(p)?.limit === 7);
    next = 9;
    await p.advance(60_000);
    await until(() => lastLimit(p)?.limit === 9);
    assert.equal(
      p.sent('PullDynamicScheduleUpdate').map((m) => m.request),
      [{ chargingProfileId: 5 }, { chargingProfileId: 5 }],
    );
  });
});

test('K01.FR.101 K01.FR.102 K01.FR.103 offline past maxOfflineDuration a profile is not valid (the lower stack level applies); back online it is again, unless invalidAfterOfflineDuration', async () => {
  await withTxPair(v21({ manualClock: true, station: { random: () => 0 } }), async (p) => {
    await states.energyTransferStarted(p);
    assert.equal(await set(p, 1, profile(1, 'TxDefaultProfile', 16)), { status: 'Accepted' });
    assert.equal(await set(p, 1, profile(2, 'TxDefaultProfile', 10, { stackLevel: 1, maxOfflineDuration: 120 })), {
      status: 'Accepted',
    });
    assert.equal(
      await set(p, 1, {
        ...profile(3, 'TxDefaultProfile', 8, { stackLevel: 2, maxOfflineDuration: 60 }),
        invalidAfterOfflineDuration: true,
      }),
      { status: 'Accepted' },
    );
    await until(() => lastLimit(p)?.limit === 8);
    await p.csmsDown();
    await until(() => !p.station.connected);
    await p.advance(61_000);
    // K01.FR.101: the stack level 2 profile is not valid after 60 s offline: stack level 1 (10 A).
    await until(() => lastLimit(p)?.limit === 10);
    await p.advance(60_000);
    // K01.FR.103: the profile without maxOfflineDuration stays valid: 16 A.
    await until(() => lastLimit(p)?.limit === 16);
    p.csmsUp();
    for (let i = 0; i < 60 && !p.station.connected; i++) await p.advance(1_000);
    await until(() => p.station.connected);
    // K01.FR.102: stack level 1 is valid again; stack level 2 had invalidAfterOfflineDuration and is gone.
    await until(() => lastLimit(p)?.limit === 10);
    const ids = (await reported(p, 3)).map((c) => c.id).sort();
    assert.equal(ids, [1, 2]);
  });
});

test('K01.FR.100 limitAtSoC: once the EV reports a state of charge at or above it, the hardware limit is capped', async () => {
  await withTxPair(v21(), async (p) => {
    await states.energyTransferStarted(p);
    p.station.meterValues(1, [{ value: 1000 }, { measurand: 'SoC', value: 50, unit: 'Percent' }]);
    p.readings.set(1, [{ value: 1000 }, { measurand: 'SoC', value: 50, unit: 'Percent' }]);
    assert.equal(
      await set(p, 1, profile(1, 'TxDefaultProfile', 16, { schedule: { limitAtSoC: { soc: 80, limit: 6 } } })),
      { status: 'Accepted' },
    );
    await until(() => lastLimit(p)?.limit === 16);
    p.readings.set(1, [{ value: 1200 }, { measurand: 'SoC', value: 81, unit: 'Percent' }]);
    p.station.meterValues(1, [{ value: 1200 }, { measurand: 'SoC', value: 81, unit: 'Percent' }]);
    await until(() => lastLimit(p)?.limit === 6);
  });
});

test('K28.FR.01 K28.FR.02 K28.FR.03 K28.FR.04 a Dynamic profile must be one schedule of one period at 0; dynUpdateInterval only on a Dynamic one', async () => {
  await withTxPair(v21(), async (p) => {
    const two = {
      ...profile(5, 'TxDefaultProfile', 12),
      chargingProfileKind: 'Dynamic',
      chargingSchedule: [
        {
          id: 1,
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 12 },
            { startPeriod: 60, limit: 6 },
          ],
        },
      ],
    };
    const r = await set(p, 1, two);
    assert.is(r.status, 'Rejected');
    assert.is(r.statusInfo.reasonCode, 'InvalidSchedule');
    const late = await set(p, 1, {
      ...profile(5, 'TxDefaultProfile', 12),
      chargingProfileKind: 'Dynamic',
      chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 30, limit: 12 }] }],
    });
    assert.is(late.status, 'Rejected');
    assert.is(late.statusInfo.reasonCode, 'InvalidSchedule');
    const notDynamic = await set(p, 1, { ...profile(5, 'TxDefaultProfile', 12), dynUpdateInterval: 60 });
    assert.is(notDynamic.status, 'Rejected');
    assert.is(notDynamic.statusInfo.reasonCode, 'InvalidProfile');
    assert.equal(await p.call('GetChargingProfiles', { requestId: 1, chargingProfile: {} }), { status: 'NoProfiles' });
  });
});

test('K01.FR.92 K01.FR.93 K01.FR.94 K08.FR.06 randomizedDelay: for a transaction each period after the first starts up to randomizedDelay later, fixed for the transaction; idle EVSEs and the duration are not delayed', async () => {
  const twoEvses = [
    { id: 1, connectors: [{ id: 1 }] },
    { id: 2, connectors: [{ id: 1 }] },
  ];
  await withTxPair(v21({ evses: twoEvses }), async (p) => {
    await states.energyTransferStarted(p);
    const startSchedule = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    assert.equal(
      await set(p, 0, {
        id: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: [
          {
            id: 1,
            startSchedule,
            duration: 1800,
            randomizedDelay: 300,
            chargingRateUnit: 'A',
            chargingSchedulePeriod: [
              { startPeriod: 0, limit: 16 },
              { startPeriod: 600, limit: 8 },
              { startPeriod: 1200, limit: 6 },
            ],
          },
        ],
      }),
      { status: 'Accepted' },
    );
    /** The composite's periods as [seconds after startSchedule, limit]: independent of when the request ran. */
    const periods = async (evseId: number) => {
      const r = await p.call('GetCompositeSchedule', { evseId, duration: 3600, chargingRateUnit: 'A' });
      assert.is(r.status, 'Accepted');
      const e = (Date.parse(r.schedule.scheduleStart) - Date.parse(startSchedule)) / 1000;
      return r.schedule.chargingSchedulePeriod.map((q: any) => [q.startPeriod === 0 ? 0 : q.startPeriod + e, q.limit]);
    };
    const idle = await periods(2);
    const charging = await periods(1);
    // Idle (K08.FR.06): no delay.
    assert.equal(idle, [
      [0, 16],
      [600, 8],
      [1200, 6],
      [1800, 31.8],
    ]);
    assert.equal(
      charging.map(([, l]: number[]) => l),
      [16, 8, 6, 31.8],
    );
    // K01.FR.92: the first period is not delayed, the others by 0–300 s, in order.
    assert.ok(charging[1][0] >= 600 && charging[1][0] <= 900, `8 A from ${charging[1][0]}`);
    assert.ok(charging[2][0] >= 1200 && charging[2][0] <= 1500, `6 A from ${charging[2][0]}`);
    assert.ok(charging[2][0] > charging[1][0]);
    // K01.FR.94: the duration is not delayed: the schedule ends at startSchedule + 1800 s.
    assert.is(charging[3][0], 1800);
    // K01.FR.93: the delays are fixed for the transaction: asked again, the same periods.
    assert.equal(await periods(1), charging);
  });
});

test('K01.FR.110 a period with another operationMode begins during the transaction: TransactionEvent OperationModeChanged with the new mode, and the hardware is told the mode', async () => {
  await withTxPair(v21({ manualClock: true }), async (p) => {
    const transactionId = await states.energyTransferStarted(p);
    const startSchedule = new Date(Math.floor(p.clock!.now() / 1000) * 1000).toISOString();
    assert.equal(
      await set(p, 1, {
        id: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: [
          {
            id: 1,
            startSchedule,
            chargingRateUnit: 'A',
            chargingSchedulePeriod: [
              { startPeriod: 0, limit: 16 },
              { startPeriod: 60, limit: 16, setpoint: 10, operationMode: 'CentralSetpoint' },
            ],
          },
        ],
      }),
      { status: 'Accepted' },
    );
    await until(() => lastLimit(p)?.limit === 16);
    assert.is(lastLimit(p)?.operationMode, undefined);
    // 31.8 A → 16 A when the profile was set: one ChargingRateChanged (K11.FR.04's trigger), before the new mode.
    await p.waitTx((r) => r.triggerReason === 'ChargingRateChanged');
    const rateChanges = () => p.tx().filter((r) => r.triggerReason === 'ChargingRateChanged').length;
    await p.advance(61_000);
    const changed = await p.waitTx((r) => r.triggerReason === 'OperationModeChanged');
    assert.is(changed.eventType, 'Updated');
    assert.equal(changed.transactionInfo.transactionId, transactionId);
    assert.is(changed.transactionInfo.operationMode, 'CentralSetpoint');
    await until(() => lastLimit(p)?.operationMode === 'CentralSetpoint');
    // The limit stayed 16 A: no further ChargingRateChanged for the new period.
    assert.is(rateChanges(), 1);
  });
});

test('K01.FR.55 a 2.1 station reports ChargingProfilePersistence true for TxProfile, LocalGeneration and ChargingStationExternalConstraints (it keeps every profile): an external limit survives a restart', async () => {
  await withTxPair(v21(), async (p) => {
    const r = await p.call('GetVariables', {
      getVariableData: ['TxProfile', 'LocalGeneration', 'ChargingStationExternalConstraints'].map((instance) => ({
        component: { name: 'SmartChargingCtrlr' },
        variable: { name: 'ChargingProfilePersistence', instance },
      })),
    });
    assert.equal(
      r.getVariableResult.map((v: any) => [v.attributeStatus, v.attributeValue]),
      [
        ['Accepted', 'true'],
        ['Accepted', 'true'],
        ['Accepted', 'true'],
      ],
    );
    p.station.externalChargingLimit(1, {
      source: 'EMS',
      chargingSchedule: { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 11 }] },
    });
    await until(() => lastLimit(p)?.limit === 11);
    await p.restart();
    // Booted, not only connected: a report asked before the BootNotification's answer is processed is not sent (B02).
    await until(() => lastLimit(p)?.limit === 11 && p.station.registration === 'Accepted');
    assert.equal(
      (await reported(p, 9)).map((c) => c.chargingProfilePurpose),
      ['ChargingStationExternalConstraints'],
    );
  });
});

test.run();
