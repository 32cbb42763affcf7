// Blocks Q and K wired together (2.1), over real sockets against the built-in CSMS: SetChargingProfile and the
// TxProfile of RequestStartTransaction refuse what the operation modes forbid (Q08.FR.03/04, Q09.FR.01/02,
// Q10.FR.02) with nothing stored; the period in force reaches the hardware with its inverter setting (Q03, Q08,
// Q10) and answers AFRRSignal through K's query v2xPeriodsInForce (Q08.FR.10/11).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HardwareCall } from '../../runtime/station/core/types.js';
import { until } from '../support/rpc-harness.js';
import { states, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

type AFRRCall = Extract<HardwareCall, { op: 'applyAFRRSignal' }>['args'][0];

const MODES = [
  'ChargingOnly',
  'CentralSetpoint',
  'CentralFrequency',
  'LocalFrequency',
  'LocalLoadBalancing',
  'Idle',
] as const;

/** A 2.1 station declaring the V2X modes it supports (V2XChargingCtrlr.SupportedOperationModes, Q01.FR.30). */
function v21(afrr: AFRRCall[] = [], supported: readonly string[] = MODES.filter((m) => m !== 'LocalLoadBalancing')) {
  return {
    csms: { versions: ['ocpp2.1'] },
    station: { versions: ['ocpp2.1'], hardware: { applyAFRRSignal: (s) => void afrr.push(s) } },
    deviceModel: {
      components: [
        // K01.FR.126: an Idle period may put the EVSE to sleep only where the station says it can.
        { name: 'SmartChargingCtrlr', variables: [{ name: 'SupportsEvseSleep', value: true, mutability: 'ReadOnly' }] },
        {
          name: 'V2XChargingCtrlr',
          variables: [
            { name: 'Enabled', value: true },
            {
              name: 'SupportedEnergyTransferModes',
              valuesList: ['AC_single_phase', 'AC_three_phase', 'AC_BPT'],
              value: ['AC_three_phase', 'AC_BPT'],
              mutability: 'ReadOnly',
            },
            {
              name: 'SupportedOperationModes',
              valuesList: [...MODES],
              value: [...supported],
              mutability: 'ReadOnly',
            },
          ],
        },
      ],
    },
  } satisfies TxPairOptions;
}

const CURVE = [
  { frequency: 49.8, power: 5_000 },
  { frequency: 50.2, power: -5_000 },
];
const SIGNAL_CURVE = [
  { signal: -100, power: -4_000 },
  { signal: 100, power: 4_000 },
];

function profile(id: number, periods: object[], purpose = 'TxDefaultProfile') {
  return {
    id,
    stackLevel: 0,
    chargingProfilePurpose: purpose,
    chargingProfileKind: 'Relative',
    chargingSchedule: [{ id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: periods }],
  };
}

const set = (p: TxPair, chargingProfile: object, evseId = 1) =>
  p.call('SetChargingProfile', { evseId, chargingProfile });
const stored = (p: TxPair) => p.call('GetChargingProfiles', { requestId: 1, chargingProfile: {} });
const lastLimit = (p: TxPair, evseId = 1) => p.limits.filter(([e]) => e === evseId).at(-1)?.[1];
const refusal = (r: any) => [r.status, r.statusInfo?.reasonCode];

test('Q08.FR.03 a LocalFrequency period without v2xBaseline or with a v2xFreqWattCurve of one point: Rejected NoFreqWattCurve, nothing stored', async () => {
  await withTxPair(v21(), async (p) => {
    const noBaseline = await set(
      p,
      profile(1, [{ startPeriod: 0, operationMode: 'LocalFrequency', v2xFreqWattCurve: CURVE }]),
    );
    assert.equal(refusal(noBaseline), ['Rejected', 'NoFreqWattCurve']);
    assert.match(noBaseline.statusInfo.additionalInfo, /chargingSchedule 1, startPeriod 0/);
    const onePoint = await set(
      p,
      profile(1, [{ startPeriod: 0, operationMode: 'LocalFrequency', v2xBaseline: 0, v2xFreqWattCurve: [CURVE[0]] }]),
    );
    assert.equal(refusal(onePoint), ['Rejected', 'NoFreqWattCurve']);
    assert.equal(await stored(p), { status: 'NoProfiles' });
  });
});

test('Q08.FR.04 a LocalFrequency period with a limit or setpoint: Rejected InvalidSchedule', async () => {
  await withTxPair(v21(), async (p) => {
    const r = await set(
      p,
      profile(1, [
        { startPeriod: 0, operationMode: 'LocalFrequency', v2xBaseline: 0, v2xFreqWattCurve: CURVE, setpoint: 1000 },
      ]),
    );
    assert.equal(refusal(r), ['Rejected', 'InvalidSchedule']);
    assert.equal(await stored(p), { status: 'NoProfiles' });
  });
});

test('Q10.FR.02 an Idle period with a limit: Rejected InvalidSchedule', async () => {
  await withTxPair(v21(), async (p) => {
    const r = await set(p, profile(1, [{ startPeriod: 0, operationMode: 'Idle', limit: 0 }]));
    assert.equal(refusal(r), ['Rejected', 'InvalidSchedule']);
    assert.equal(await stored(p), { status: 'NoProfiles' });
  });
});

test('Q09.FR.01 an operationMode the station does not list in SupportedOperationModes: Rejected UnsupportedParam', async () => {
  await withTxPair(v21(), async (p) => {
    const r = await set(p, profile(1, [{ startPeriod: 0, operationMode: 'LocalLoadBalancing', limit: 5000 }]));
    assert.equal(refusal(r), ['Rejected', 'UnsupportedParam']);
    assert.equal(await stored(p), { status: 'NoProfiles' });
  });
});

test('Q09.FR.02 LocalLoadBalancing without the V2XChargingCtrlr.LocalLoadBalancing thresholds and offsets: Rejected MissingDevModelInfo', async () => {
  await withTxPair(v21([], ['ChargingOnly', 'CentralSetpoint', 'LocalLoadBalancing']), async (p) => {
    const r = await set(p, profile(1, [{ startPeriod: 0, operationMode: 'LocalLoadBalancing', limit: 5000 }]));
    assert.equal(refusal(r), ['Rejected', 'MissingDevModelInfo']);
    assert.equal(await stored(p), { status: 'NoProfiles' });
  });
});

test('Q08.FR.03 F01.FR.26 the TxProfile of a RequestStartTransaction with a LocalFrequency period lacking its curve: Rejected NoFreqWattCurve, no transaction', async () => {
  await withTxPair(v21(), async (p) => {
    const r = await p.call('RequestStartTransaction', {
      remoteStartId: 7,
      evseId: 1,
      idToken: { idToken: 'V2X-1', type: 'ISO14443' },
      chargingProfile: profile(9, [{ startPeriod: 0, operationMode: 'LocalFrequency', v2xBaseline: 0 }], 'TxProfile'),
    });
    assert.equal(refusal(r), ['Rejected', 'NoFreqWattCurve']);
    assert.equal(await stored(p), { status: 'NoProfiles' });
  });
});

test('K01.FR.07 Q10.FR.03 a CentralSetpoint period reaches the hardware with its (negative) setpoint, an Idle period with evseSleep', async () => {
  await withTxPair(v21(), async (p) => {
    await states.energyTransferStarted(p);
    const central = { startPeriod: 0, operationMode: 'CentralSetpoint', setpoint: -3000, dischargeLimit: -7000 };
    assert.equal(await set(p, profile(1, [central])), { status: 'Accepted' });
    await until(() => lastLimit(p)?.operationMode === 'CentralSetpoint');
    const inverter = lastLimit(p)!.inverter as any;
    assert.is(inverter.mode, 'CentralSetpoint');
    // The station's rate unit is A (its first): -3000 W on 3 × 230 V is -4.3 A per phase (rounded towards zero).
    assert.is(lastLimit(p)!.unit, 'A');
    assert.ok(
      inverter.setpoint < 0 && Math.abs(inverter.setpoint * 3 * 230 + 3000) < 3 * 230 * 0.1,
      `${inverter.setpoint}`,
    );
    assert.ok(inverter.dischargeLimit < inverter.setpoint);
    // Idle: no power fields at all; the setting still reaches the hardware (it is not skipped for lack of a limit).
    assert.equal(await set(p, profile(1, [{ startPeriod: 0, operationMode: 'Idle', evseSleep: true }])), {
      status: 'Accepted',
    });
    await until(() => lastLimit(p)?.operationMode === 'Idle');
    assert.equal(lastLimit(p)!.inverter, { mode: 'Idle', evseSleep: true });
  });
});

test('Q08.FR.10 AFRRSignal with a LocalFrequency period in force: Accepted, the power of its v2xSignalWattCurve handed to the hardware', async () => {
  const afrr: AFRRCall[] = [];
  await withTxPair(v21(afrr), async (p) => {
    await states.energyTransferStarted(p);
    const local = {
      startPeriod: 0,
      operationMode: 'LocalFrequency',
      v2xBaseline: 1000,
      v2xFreqWattCurve: CURVE,
      v2xSignalWattCurve: SIGNAL_CURVE,
    };
    assert.equal(await set(p, profile(1, [local])), { status: 'Accepted' });
    // The hardware is told the LocalFrequency setting with its curves (Q08.FR.06: the inverter follows them).
    await until(() => lastLimit(p)?.operationMode === 'LocalFrequency');
    assert.equal(lastLimit(p)!.inverter, {
      mode: 'LocalFrequency',
      v2xBaseline: 1000,
      v2xFreqWattCurve: CURVE,
      v2xSignalWattCurve: SIGNAL_CURVE,
    });
    const timestamp = new Date().toISOString();
    assert.equal(await p.call('AFRRSignal', { timestamp, signal: 50 }), { status: 'Accepted' });
    await until(() => afrr.length > 0);
    assert.equal(afrr, [{ timestamp, signal: 50, evses: [{ evseId: 1, power: 2000 }] }]);
  });
});

test('Q08.FR.11 AFRRSignal while the period in force is ChargingOnly: Rejected NoSignalWattCurve, nothing handed to the hardware', async () => {
  const afrr: AFRRCall[] = [];
  await withTxPair(v21(afrr), async (p) => {
    await states.energyTransferStarted(p);
    assert.equal(await set(p, profile(1, [{ startPeriod: 0, limit: 7000 }])), { status: 'Accepted' });
    const r = await p.call('AFRRSignal', { timestamp: new Date().toISOString(), signal: 50 });
    assert.equal(refusal(r), ['Rejected', 'NoSignalWattCurve']);
    assert.equal(afrr, []);
  });
});

test.run();
