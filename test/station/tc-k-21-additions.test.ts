// 2.1's own K01/K08 requirements over real sockets against the built-in CSMS speaking 2.1: what SetChargingProfile
// refuses for the new purposes, kinds and schedule fields (K01.FR.70/71/95/120–126), the id range of
// MaxExternalConstraintsId (K01.FR.81/82), and a setpoint held within the merged limits (K08.FR.08).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { VariableConfig } from '../../runtime/station/device-model/types.js';
import { withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

type Variable = VariableConfig;

/** A 2.1 pair whose SmartChargingCtrlr declares `variables` (nothing else of 2.1's smart charging by default). */
function v21(variables: Variable[] = []): TxPairOptions {
  return {
    csms: { versions: ['ocpp2.1'] },
    station: { versions: ['ocpp2.1'] },
    ...(variables.length > 0 ? { deviceModel: { components: [{ name: 'SmartChargingCtrlr', variables }] } } : {}),
  };
}

/** A ChargingStationMaxProfile may not be Relative (K01.FR.38): Absolute from a moment past. */
const ABSOLUTE = { chargingProfileKind: 'Absolute', schedule: { startSchedule: '2020-01-01T00:00:00Z' } };

const PRIORITY: Variable = {
  name: 'SupportedAdditionalPurposes',
  valuesList: ['PriorityCharging', 'LocalGeneration'],
  value: ['PriorityCharging'],
  mutability: 'ReadOnly',
};

function profile(
  id: number,
  purpose: string,
  extra: { schedule?: object; period?: object; [k: string]: unknown } = {},
) {
  const { schedule = {}, period = {}, ...rest } = extra;
  return {
    id,
    stackLevel: 0,
    chargingProfilePurpose: purpose,
    chargingProfileKind: 'Relative',
    chargingSchedule: [
      { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, ...period }], ...schedule },
    ],
    ...rest,
  };
}

async function set(p: TxPair, evseId: number, chargingProfile: unknown): Promise<[string, string | undefined]> {
  const r = (await p.call('SetChargingProfile', { evseId, chargingProfile })) as any;
  return [r.status, r.statusInfo?.reasonCode];
}

test('K01.FR.70 (2.1) a PriorityCharging profile with a duration: Rejected (InvalidSchedule); without one Accepted', async () => {
  await withTxPair(v21([PRIORITY]), async (p) => {
    assert.equal(await set(p, 1, profile(1, 'PriorityCharging', { schedule: { duration: 3600 } })), [
      'Rejected',
      'InvalidSchedule',
    ]);
    assert.equal(await set(p, 1, profile(1, 'PriorityCharging')), ['Accepted', undefined]);
  });
});

test('K01.FR.71 (2.1) a PriorityCharging profile with an operationMode other than ChargingOnly: Rejected (InvalidSchedule)', async () => {
  await withTxPair(v21([PRIORITY]), async (p) => {
    for (const operationMode of ['CentralSetpoint', 'ExternalLimits', 'Idle'])
      assert.equal(
        await set(p, 1, profile(1, 'PriorityCharging', { period: { operationMode, setpoint: 0 } })),
        ['Rejected', 'InvalidSchedule'],
        operationMode,
      );
    assert.equal(await set(p, 1, profile(1, 'PriorityCharging', { period: { operationMode: 'ChargingOnly' } })), [
      'Accepted',
      undefined,
    ]);
  });
});

test('K01.FR.81 K01.FR.82 (2.1) with MaxExternalConstraintsId set, the CSMS may not use ids up to it (InvalidProfileId), and the profile the station makes of an external limit has one', async () => {
  await withTxPair(v21([{ name: 'MaxExternalConstraintsId', value: 100, mutability: 'ReadOnly' }]), async (p) => {
    for (const id of [100, 7, -3])
      assert.equal(await set(p, 1, profile(id, 'TxDefaultProfile')), ['Rejected', 'InvalidProfileId'], `id ${id}`);
    assert.equal(await set(p, 1, profile(101, 'TxDefaultProfile')), ['Accepted', undefined]);
    p.station.externalChargingLimit(1, {
      source: 'EMS',
      chargingSchedule: { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] },
    });
    await p.waitFor('NotifyChargingLimit');
    assert.equal(await p.call('GetChargingProfiles', { requestId: 9, chargingProfile: {} }), { status: 'Accepted' });
    await p.waitFor('ReportChargingProfiles', (m: any) => m.request.requestId === 9 && !m.request.tbc);
    const reported = p
      .sent('ReportChargingProfiles')
      .map((m) => m.request as any)
      .filter((r) => r.requestId === 9)
      .flatMap((r) => r.chargingProfile);
    const external = reported.filter((c: any) => c.chargingProfilePurpose === 'ChargingStationExternalConstraints');
    assert.is(external.length, 1);
    assert.ok(external[0].id <= 100, `the external profile's id ${external[0].id} is at most MaxExternalConstraintsId`);
    assert.equal(
      reported.filter((c: any) => c.chargingProfilePurpose === 'TxDefaultProfile').map((c: any) => c.id),
      [101],
    );
  });
});

test('K01.FR.82 (2.1) with MaxExternalConstraintsId below zero, the profile the station makes of an external limit still has an id at most it', async () => {
  await withTxPair(v21([{ name: 'MaxExternalConstraintsId', value: -10, mutability: 'ReadOnly' }]), async (p) => {
    p.station.externalChargingLimit(1, {
      source: 'EMS',
      chargingSchedule: { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] },
    });
    await p.waitFor('NotifyChargingLimit');
    assert.equal(await p.call('GetChargingProfiles', { requestId: 3, chargingProfile: {} }), { status: 'Accepted' });
    await p.waitFor('ReportChargingProfiles', (m: any) => m.request.requestId === 3 && !m.request.tbc);
    const ids = p
      .sent('ReportChargingProfiles')
      .map((m) => m.request as any)
      .filter((r) => r.requestId === 3)
      .flatMap((r) => r.chargingProfile)
      .filter((c: any) => c.chargingProfilePurpose === 'ChargingStationExternalConstraints')
      .map((c: any) => c.id as number);
    assert.is(ids.length, 1);
    assert.ok(ids[0]! <= -10, `the external profile's id ${ids[0]} is at most MaxExternalConstraintsId (-10)`);
  });
});

test('K01.FR.95 (2.1) randomizedDelay on a profile that is neither TxProfile nor TxDefaultProfile: Rejected (InvalidSchedule)', async () => {
  await withTxPair(v21([PRIORITY]), async (p) => {
    for (const [evseId, purpose] of [
      [0, 'ChargingStationMaxProfile'],
      [1, 'PriorityCharging'],
    ] as const)
      assert.equal(
        await set(
          p,
          evseId,
          purpose === 'ChargingStationMaxProfile'
            ? profile(1, purpose, { ...ABSOLUTE, schedule: { ...ABSOLUTE.schedule, randomizedDelay: 60 } })
            : profile(1, purpose, { schedule: { randomizedDelay: 60 } }),
        ),
        ['Rejected', 'InvalidSchedule'],
        purpose,
      );
    assert.equal(await set(p, 0, profile(1, 'ChargingStationMaxProfile', ABSOLUTE)), ['Accepted', undefined]);
    assert.equal(await set(p, 1, profile(2, 'TxDefaultProfile', { schedule: { randomizedDelay: 60 } })), [
      'Accepted',
      undefined,
    ]);
  });
});

test('K01.FR.120 (2.1) PriorityCharging or LocalGeneration not in SupportedAdditionalPurposes: Rejected (UnsupportedPurpose)', async () => {
  await withTxPair(v21(), async (p) => {
    for (const purpose of ['PriorityCharging', 'LocalGeneration'])
      assert.equal(
        await set(p, 1, profile(1, purpose)),
        ['Rejected', 'UnsupportedPurpose'],
        `${purpose}, none declared`,
      );
  });
  await withTxPair(v21([PRIORITY]), async (p) => {
    assert.equal(await set(p, 1, profile(1, 'LocalGeneration')), ['Rejected', 'UnsupportedPurpose']);
    assert.equal(await set(p, 1, profile(1, 'PriorityCharging')), ['Accepted', undefined]);
  });
});

const dynamic = (extra: Record<string, unknown> = {}) =>
  profile(1, 'TxDefaultProfile', { chargingProfileKind: 'Dynamic', ...extra });

test('K01.FR.121 (2.1) a Dynamic profile while SupportsDynamicProfiles is absent or false: Rejected (UnsupportedKind)', async () => {
  const absentOrFalse: Variable[][] = [[], [{ name: 'SupportsDynamicProfiles', value: false, mutability: 'ReadOnly' }]];
  for (const variables of absentOrFalse)
    await withTxPair(v21(variables), async (p) => {
      assert.equal(await set(p, 1, dynamic()), ['Rejected', 'UnsupportedKind'], JSON.stringify(variables));
    });
  await withTxPair(v21([{ name: 'SupportsDynamicProfiles', value: true, mutability: 'ReadOnly' }]), async (p) => {
    assert.equal(await set(p, 1, dynamic()), ['Accepted', undefined]);
  });
});

test('K01.FR.122 (2.1) dynUpdateInterval or dynUpdateTime on a profile that is not Dynamic: Rejected (InvalidProfile)', async () => {
  await withTxPair(v21([{ name: 'SupportsDynamicProfiles', value: true, mutability: 'ReadOnly' }]), async (p) => {
    for (const extra of [{ dynUpdateInterval: 60 }, { dynUpdateTime: '2030-01-01T00:00:00Z' }])
      assert.equal(
        await set(p, 1, profile(1, 'TxDefaultProfile', extra)),
        ['Rejected', 'InvalidProfile'],
        JSON.stringify(extra),
      );
    assert.equal(await set(p, 1, dynamic({ dynUpdateInterval: 60 })), ['Accepted', undefined]);
  });
});

test('K01.FR.123 (2.1) useLocalTime true while SupportsLocalTime is absent: Rejected (InvalidSchedule)', async () => {
  await withTxPair(v21(), async (p) => {
    assert.equal(await set(p, 1, profile(1, 'TxDefaultProfile', { schedule: { useLocalTime: true } })), [
      'Rejected',
      'InvalidSchedule',
    ]);
    assert.equal(await set(p, 1, profile(1, 'TxDefaultProfile', { schedule: { useLocalTime: false } })), [
      'Accepted',
      undefined,
    ]);
  });
});

test('K01.FR.90 K01.FR.123 (2.1) where the integrator declares SupportsUseLocalTime, useLocalTime is Accepted and its startSchedule is read on the ClockCtrlr.TimeOffset clock', async () => {
  const options: TxPairOptions = {
    ...v21(),
    deviceModel: {
      components: [
        {
          name: 'SmartChargingCtrlr',
          variables: [{ name: 'SupportsUseLocalTime', value: true, mutability: 'ReadOnly' }],
        },
        { name: 'ClockCtrlr', variables: [{ name: 'TimeOffset', value: '+02:00', mutability: 'ReadWrite' }] },
      ],
    },
  };
  await withTxPair(options, async (p) => {
    // 10 minutes from now on the station's wall clock (UTC + 2 h), written with a "Z" that is to be disregarded.
    const now = Math.floor(Date.now() / 1000) * 1000;
    const wall = new Date(now + 2 * 3600_000 + 600_000).toISOString().replace('.000Z', 'Z');
    const absolute = {
      chargingProfileKind: 'Absolute',
      schedule: { startSchedule: wall, useLocalTime: true, duration: 300 },
      period: { limit: 10 },
    };
    assert.equal(await set(p, 1, profile(1, 'TxDefaultProfile', absolute)), ['Accepted', undefined]);
    const r = await p.call('GetCompositeSchedule', { evseId: 1, duration: 3600, chargingRateUnit: 'A' });
    const start = Date.parse(r.schedule.scheduleStart);
    const periods = r.schedule.chargingSchedulePeriod.map((q: any) => [q.startPeriod, q.limit]);
    // In force 600 s from now for 300 s (not 2 h later, as the "Z" would say).
    assert.equal(periods, [
      [0, 31.8],
      [(now + 600_000 - start) / 1000, 10],
      [(now + 900_000 - start) / 1000, 31.8],
    ]);
  });
});

test('K08.FR.08 (2.1) merged with a lower limit, a setpoint is capped: a positive one to the limit, a negative one to the dischargeLimit', async () => {
  await withTxPair(v21(), async (p) => {
    const max = profile(1, 'ChargingStationMaxProfile', { ...ABSOLUTE, period: { limit: 10, dischargeLimit: -8 } });
    assert.equal(await set(p, 0, max), ['Accepted', undefined]);
    const composite = async (setpoint: number) => {
      const tx = profile(2, 'TxDefaultProfile', {
        period: { limit: 32, dischargeLimit: -32, setpoint, operationMode: 'CentralSetpoint' },
      });
      assert.equal(await set(p, 1, tx), ['Accepted', undefined]);
      const r = (await p.call('GetCompositeSchedule', { evseId: 1, duration: 600, chargingRateUnit: 'A' })) as any;
      assert.is(r.status, 'Accepted');
      return r.schedule.chargingSchedulePeriod[0];
    };
    const up = await composite(20);
    assert.is(up.limit, 10);
    assert.is(up.setpoint, 10, 'a positive setpoint above the merged limit becomes the limit');
    const down = await composite(-20);
    assert.is(down.setpoint, -8, 'a negative setpoint below the merged dischargeLimit becomes the dischargeLimit');
    const within = await composite(6);
    assert.is(within.setpoint, 6, 'a setpoint within both stays');
  });
});

const declaring = (name: string, value: boolean): Variable => ({ name, value, mutability: 'ReadOnly' });

test('K01.FR.124 (2.1) randomizedDelay > 0 is Accepted where SupportsRandomizedDelay is true (ocppkit declares it) and Rejected (InvalidSchedule) where it is false', async () => {
  const delayed = profile(1, 'TxDefaultProfile', { schedule: { randomizedDelay: 60 } });
  await withTxPair(v21(), async (p) => {
    assert.equal(await set(p, 1, delayed), ['Accepted', undefined]);
  });
  await withTxPair(v21([declaring('SupportsRandomizedDelay', false)]), async (p) => {
    assert.equal(await set(p, 1, delayed), ['Rejected', 'InvalidSchedule']);
    assert.equal(await set(p, 1, profile(2, 'TxDefaultProfile')), ['Accepted', undefined], 'without the field');
  });
});

test('K01.FR.125 (2.1) limitAtSoC is Accepted where SupportsLimitAtSoC is true (ocppkit declares it) and Rejected (InvalidSchedule) where it is false', async () => {
  const capped = profile(1, 'TxDefaultProfile', { schedule: { limitAtSoC: { soc: 80, limit: 8 } } });
  await withTxPair(v21(), async (p) => {
    assert.equal(await set(p, 1, capped), ['Accepted', undefined]);
  });
  await withTxPair(v21([declaring('SupportsLimitAtSoC', false)]), async (p) => {
    assert.equal(await set(p, 1, capped), ['Rejected', 'InvalidSchedule']);
  });
});

test('K01.FR.126 (2.1) a period with evseSleep true is Rejected (InvalidSchedule) unless the integrator declares SupportsEvseSleep', async () => {
  const asleep = profile(1, 'TxDefaultProfile', { period: { evseSleep: true } });
  await withTxPair(v21(), async (p) => {
    assert.equal(await set(p, 1, asleep), ['Rejected', 'InvalidSchedule'], 'absent: not supported');
    assert.equal(await set(p, 1, profile(2, 'TxDefaultProfile', { period: { evseSleep: false } })), [
      'Accepted',
      undefined,
    ]);
  });
  await withTxPair(v21([declaring('SupportsEvseSleep', true)]), async (p) => {
    assert.equal(await set(p, 1, asleep), ['Accepted', undefined]);
  });
});

test.run();
