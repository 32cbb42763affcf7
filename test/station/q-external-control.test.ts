// 2.1 Q05/Q06 over real sockets against the built-in CSMS, where block K holds them: an External System's schedule
// kept with operationMode ExternalLimits / ExternalSetpoint (Q06.FR.01/.03), SmartChargingCtrlr.SetpointPriority
// (Q06.FR.21/.22), EVSE 0's external dischargeLimit and setpoint divided among the EVSEs charging together
// (Q06.FR.30/.31, station-targets.ts), and a Dynamic profile that lapses when the External System stops updating it
// (Q05.FR.07). The External System is the test, through the integrator API (externalChargingLimit /
// externalChargingValue); the inverter settings are what the hardware is told (setChargingLimit).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dividedTargets } from '../../runtime/station/K-smart-charging/station-targets.js';
import { until } from '../support/rpc-harness.js';
import { TOKEN, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

const twoEvses = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

/** A 2.1 station with Dynamic profiles; more SmartChargingCtrlr variables as given. */
function v21(
  variables: Array<{ name: string; value: string | boolean; valuesList?: string[] }> = [],
  more: Partial<TxPairOptions> = {},
): TxPairOptions {
  return {
    csms: { versions: ['ocpp2.1'] },
    station: { versions: ['ocpp2.1'] },
    deviceModel: {
      components: [
        {
          name: 'SmartChargingCtrlr',
          variables: [{ name: 'SupportsDynamicProfiles', value: true, mutability: 'ReadOnly' }, ...variables],
        },
      ],
    },
    ...more,
  };
}

const last = (p: TxPair, evseId = 1) => p.limits.filter(([e]) => e === evseId).at(-1)?.[1];

async function charge(p: TxPair, evseId: number, idToken: string): Promise<string> {
  p.station.cablePlugged(evseId, 1);
  p.station.idTokenPresented({ ...TOKEN, idToken }, evseId);
  p.station.chargingStateChanged(evseId, 'Charging');
  const e = await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging' && (r.evse?.id ?? 1) === evseId);
  return e.transactionInfo.transactionId;
}

async function reported(p: TxPair, requestId: number): Promise<any[]> {
  assert.equal(await p.call('GetChargingProfiles', { requestId, chargingProfile: {} }), { status: 'Accepted' });
  await p.waitFor('ReportChargingProfiles', (m: any) => m.request.requestId === requestId && !m.request.tbc);
  return p
    .sent('ReportChargingProfiles')
    .map((m) => m.request as any)
    .filter((r) => r.requestId === requestId)
    .flatMap((r) => r.chargingProfile);
}

const centralSetpoint = (id: number, purpose: string, period: Record<string, number>, transactionId?: string) => ({
  id,
  stackLevel: 0,
  chargingProfilePurpose: purpose,
  chargingProfileKind: 'Relative',
  ...(transactionId ? { transactionId } : {}),
  chargingSchedule: [
    {
      id: 1,
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, operationMode: 'CentralSetpoint', ...period }],
    },
  ],
});

test('Q06.FR.01 an External System schedule of limits is kept as an Absolute ChargingStationExternalConstraints profile whose periods have operationMode ExternalLimits', async () => {
  await withTxPair(v21(), async (p) => {
    p.station.externalChargingLimit(1, {
      source: 'EMS',
      chargingSchedule: {
        id: 1,
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 20 },
          { startPeriod: 3600, limit: 12 },
        ],
      },
    });
    await until(() => last(p)?.limit === 20);
    const [kept] = await reported(p, 1);
    assert.is(kept.chargingProfilePurpose, 'ChargingStationExternalConstraints');
    assert.is(kept.chargingProfileKind, 'Absolute');
    assert.equal(
      kept.chargingSchedule[0].chargingSchedulePeriod.map((q: any) => [q.startPeriod, q.limit, q.operationMode]),
      [
        [0, 20, 'ExternalLimits'],
        [3600, 12, 'ExternalLimits'],
      ],
    );
    const notified = await p.waitFor('NotifyChargingLimit');
    assert.is((notified.request as any).chargingLimit.chargingLimitSource, 'EMS');
    // A schedule of limits alone: with the schedule only where NotifyChargingLimitWithSchedules says (K11.FR.03).
    assert.is((notified.request as any).chargingSchedule, undefined);
  });
});

test('Q06.FR.03 Q06.FR.10 an External System schedule of setpoints is kept with operationMode ExternalSetpoint, the EVSE is told to follow the setpoint, and the CSMS gets the schedule (NotifyChargingLimitWithSchedules absent)', async () => {
  await withTxPair(v21(), async (p) => {
    await charge(p, 1, 'TOKEN-1');
    p.station.externalChargingLimit(1, {
      source: 'EMS',
      chargingSchedule: {
        id: 1,
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, setpoint: 9, setpointReactive: 2 }],
      } as any,
    });
    await until(() => last(p)?.operationMode === 'ExternalSetpoint');
    assert.equal(last(p)?.inverter, { mode: 'ExternalSetpoint', setpoint: 9, setpointReactive: 2, limit: 31.8 });
    const [kept] = await reported(p, 2);
    assert.equal(kept.chargingSchedule[0].chargingSchedulePeriod, [
      { startPeriod: 0, setpoint: 9, setpointReactive: 2, operationMode: 'ExternalSetpoint' },
    ]);
    assert.is(kept.chargingProfileKind, 'Absolute');
    const notified = (await p.waitFor('NotifyChargingLimit')).request as any;
    assert.is(notified.chargingLimit.chargingLimitSource, 'EMS');
    assert.equal(notified.chargingSchedule[0].chargingSchedulePeriod, [
      { startPeriod: 0, setpoint: 9, setpointReactive: 2, operationMode: 'ExternalSetpoint' },
    ]);
  });
});

for (const [priority, expected] of [
  [undefined, 8],
  ['ExternalSystem', 8],
  ['CSMS', 12],
] as const) {
  test(`${priority === 'CSMS' ? 'Q06.FR.22' : 'Q06.FR.21'} Q06.FR.20 SetpointPriority ${priority ?? 'absent'}: the EVSE follows the ${priority === 'CSMS' ? "TxProfile's setpoint (12 A)" : 'external setpoint (8 A)'}`, async () => {
    const variables = priority
      ? [{ name: 'SetpointPriority', value: priority, valuesList: ['ExternalSystem', 'CSMS'] }]
      : [];
    await withTxPair(v21(variables), async (p) => {
      const transactionId = await charge(p, 1, 'TOKEN-1');
      assert.equal(
        await p.call('SetChargingProfile', {
          evseId: 1,
          chargingProfile: centralSetpoint(5, 'TxProfile', { limit: 16, setpoint: 12 }, transactionId),
        }),
        { status: 'Accepted' },
      );
      await until(() => (last(p)?.inverter as any)?.setpoint === 12);
      p.station.externalChargingValue(1, { source: 'EMS', chargingRateUnit: 'A', setpoint: 8 });
      await until(() => p.sent('NotifyChargingLimit').length === 1);
      await until(() => (last(p)?.inverter as any)?.setpoint === expected);
      const r = await p.call('GetCompositeSchedule', { evseId: 1, duration: 60, chargingRateUnit: 'A' });
      assert.is(r.schedule.chargingSchedulePeriod[0].setpoint, expected);
    });
  });
}

test('Q06.FR.31 an external setpoint on EVSE 0 of 10 A: two EVSEs charging together follow 5 A each; one alone the whole 10 A', async () => {
  await withTxPair(v21([], { evses: twoEvses }), async (p) => {
    p.station.externalChargingValue(0, { source: 'EMS', chargingRateUnit: 'A', setpoint: 10 });
    const tx1 = await charge(p, 1, 'TOKEN-1');
    await until(() => (last(p, 1)?.inverter as any)?.setpoint === 10);
    await charge(p, 2, 'TOKEN-2');
    await until(() => (last(p, 1)?.inverter as any)?.setpoint === 5 && (last(p, 2)?.inverter as any)?.setpoint === 5);
    // The station as a whole: the one setpoint.
    const r = await p.call('GetCompositeSchedule', { evseId: 0, duration: 60, chargingRateUnit: 'A' });
    assert.is(r.schedule.chargingSchedulePeriod[0].setpoint, 10);
    p.station.cableUnplugged(1, 1);
    await p.waitTx((t) => t.eventType === 'Ended' && t.transactionInfo.transactionId === tx1);
    await until(() => (last(p, 2)?.inverter as any)?.setpoint === 10);
  });
});

test('Q06.FR.30 an external dischargeLimit on EVSE 0 of -10 A: two EVSEs discharging together get -5 A each, and their discharging setpoints stay within it', async () => {
  await withTxPair(v21([], { evses: twoEvses }), async (p) => {
    // Each EVSE would discharge 16 A (the CSMS's TxDefaultProfile on EVSE 0).
    assert.equal(
      await p.call('SetChargingProfile', {
        evseId: 0,
        chargingProfile: centralSetpoint(3, 'TxDefaultProfile', { limit: 16, dischargeLimit: -16, setpoint: -16 }),
      }),
      { status: 'Accepted' },
    );
    p.station.externalChargingLimit(0, {
      source: 'EMS',
      chargingSchedule: {
        id: 1,
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 32, dischargeLimit: -10 }],
      } as any,
    });
    await charge(p, 1, 'TOKEN-1');
    await until(() => (last(p, 1)?.inverter as any)?.dischargeLimit === -10);
    assert.is((last(p, 1)?.inverter as any).setpoint, -10, 'V2X.04: within the dischargeLimit');
    await charge(p, 2, 'TOKEN-2');
    await until(
      () =>
        (last(p, 1)?.inverter as any)?.dischargeLimit === -5 && (last(p, 2)?.inverter as any)?.dischargeLimit === -5,
    );
    assert.equal(
      [(last(p, 1)?.inverter as any).setpoint, (last(p, 2)?.inverter as any).setpoint],
      [-5, -5],
      'together no more than -10 A',
    );
  });
});

test('Q06.FR.30 Q06.FR.31 dividedTargets: max-min fair shares of the magnitude, each at most its own value; fewer than two followers keep theirs', () => {
  const inv = (setpoint: number, dischargeLimit?: number) => ({
    mode: 'ExternalSetpoint' as const,
    setpoint,
    ...(dischargeLimit !== undefined ? { dischargeLimit } : {}),
  });
  const follows = { setpoint: true, setpointReactive: false };
  // 10 A over two EVSEs, one of which can take only 3 A: 3 and 7.
  const got = dividedTargets({ setpoint: 10 }, [
    { evseId: 1, inverter: inv(3), follows },
    { evseId: 2, inverter: inv(10), follows },
  ]);
  assert.equal([(got.get(1) as any).setpoint, (got.get(2) as any).setpoint], [3, 7]);
  // Cannot reach the total together: each does its most.
  const most = dividedTargets({ setpoint: 20 }, [
    { evseId: 1, inverter: inv(6), follows },
    { evseId: 2, inverter: inv(8), follows },
  ]);
  assert.equal([(most.get(1) as any).setpoint, (most.get(2) as any).setpoint], [6, 8]);
  // One follower and one EVSE with its own setpoint: nothing divided.
  const one = dividedTargets({ setpoint: 10 }, [
    { evseId: 1, inverter: inv(10), follows },
    { evseId: 2, inverter: inv(4), follows: { setpoint: false, setpointReactive: false } },
  ]);
  assert.is(one.size, 0);
  // Discharge: -9 over -8 and -8: -4.5 each; the setpoints follow down to it.
  const discharge = dividedTargets({ dischargeLimit: -9 }, [
    { evseId: 1, inverter: inv(-8, -8), follows: { setpoint: false, setpointReactive: false } },
    { evseId: 2, inverter: inv(-8, -8), follows: { setpoint: false, setpointReactive: false } },
  ]);
  assert.equal(
    [...discharge.values()].map((i: any) => [i.dischargeLimit, i.setpoint]),
    [
      [-4.5, -4.5],
      [-4.5, -4.5],
    ],
  );
});

test('Q05.FR.07 a Dynamic TxDefaultProfile with a duration lapses when the External System stops updating: the profile below applies; an update brings it back', async () => {
  await withTxPair(v21([], { manualClock: true }), async (p) => {
    assert.equal(
      await p.call('SetChargingProfile', {
        evseId: 1,
        chargingProfile: {
          id: 1,
          stackLevel: 0,
          chargingProfilePurpose: 'TxDefaultProfile',
          chargingProfileKind: 'Relative',
          chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }] }],
        },
      }),
      { status: 'Accepted' },
    );
    assert.equal(
      await p.call('SetChargingProfile', {
        evseId: 1,
        chargingProfile: {
          id: 2,
          stackLevel: 1,
          chargingProfilePurpose: 'TxDefaultProfile',
          chargingProfileKind: 'Dynamic',
          chargingSchedule: [
            {
              id: 1,
              duration: 120,
              chargingRateUnit: 'A',
              chargingSchedulePeriod: [{ startPeriod: 0, operationMode: 'ExternalSetpoint', limit: 20 }],
            },
          ],
        },
      }),
      { status: 'Accepted' },
    );
    await charge(p, 1, 'TOKEN-1');
    p.station.externalChargingValue(1, { source: 'EMS', chargingRateUnit: 'A', setpoint: 14 });
    await until(() => (last(p)?.inverter as any)?.setpoint === 14);
    // 100 s later the External System updates again: in force until 120 s after that update.
    await p.advance(100_000);
    p.station.externalChargingValue(1, { source: 'EMS', chargingRateUnit: 'A', setpoint: 15 });
    await until(() => (last(p)?.inverter as any)?.setpoint === 15);
    await p.advance(110_000);
    assert.is(last(p)?.limit, 20, 'still in force 110 s after the last update');
    // It stops updating: at 120 s the Dynamic profile is no longer valid; the TxDefaultProfile of 6 A applies.
    await p.advance(11_000);
    await until(() => last(p)?.limit === 6);
    assert.is(last(p)?.operationMode, undefined);
    // A new value makes it valid again (errata to Q05.FR.07).
    p.station.externalChargingValue(1, { source: 'EMS', chargingRateUnit: 'A', setpoint: 13 });
    await until(() => (last(p)?.inverter as any)?.setpoint === 13 && last(p)?.limit === 20);
  });
});

test.run();
