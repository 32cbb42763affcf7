// Q03–Q10 operation modes as tables written from the requirement text: which periods SetChargingProfile must refuse
// and with which reasonCode, the setpoints the station works out itself, and the inverter setting per mode.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChargingSchedulePeriodType } from '../../generated/v21/types.js';
import {
  checkOperationModes,
  freqWattSetpoint,
  inverterSetting,
  loadBalancingSetpoint,
  signalWattDelta,
  v2xSettings,
  type V2xSettings,
} from '../../runtime/station/Q-v2x/operation-modes.js';
import { OperationModeEnumType, EnergyTransferModeEnumType } from '../../generated/v21/enums.js';
import { drive } from '../support/shell-driver.js';

const ALL_MODES = new Set([
  'ChargingOnly',
  'CentralSetpoint',
  'CentralFrequency',
  'ExternalSetpoint',
  'ExternalLimits',
  'LocalFrequency',
  'LocalLoadBalancing',
  'Idle',
]);
const LB = { UpperThreshold: 20_000, LowerThreshold: -5_000, UpperOffset: -1_000, LowerOffset: 1_000 };
const FULL: V2xSettings = { supportedModes: ALL_MODES, loadBalancing: LB };
const CURVE = [
  { frequency: 49.8, power: 10_000 },
  { frequency: 50.0, power: 0 },
  { frequency: 50.2, power: -10_000 },
];

const rows: Array<[string, Partial<ChargingSchedulePeriodType>, V2xSettings, string | undefined]> = [
  [
    'Q02.FR.01 a period without operationMode is ChargingOnly, always accepted',
    { limit: 11_000 },
    { loadBalancing: {} },
    undefined,
  ],
  [
    'Q03.FR.01 CentralSetpoint with a negative setpoint (discharging)',
    { operationMode: 'CentralSetpoint', setpoint: -7_000 },
    FULL,
    undefined,
  ],
  ['Q10.FR.02 Idle with a limit', { operationMode: 'Idle', limit: 0 }, FULL, 'InvalidSchedule'],
  [
    'Q10.FR.02 Idle with a setpointReactive_L3',
    { operationMode: 'Idle', setpointReactive_L3: 10 },
    FULL,
    'InvalidSchedule',
  ],
  ['Q10.FR.01 Idle without power fields', { operationMode: 'Idle', evseSleep: true }, FULL, undefined],
  [
    'Q08.FR.04 LocalFrequency with a setpoint',
    { operationMode: 'LocalFrequency', setpoint: 1, v2xBaseline: 0, v2xFreqWattCurve: CURVE },
    FULL,
    'InvalidSchedule',
  ],
  [
    'Q08.FR.03 LocalFrequency without v2xBaseline',
    { operationMode: 'LocalFrequency', v2xFreqWattCurve: CURVE },
    FULL,
    'NoFreqWattCurve',
  ],
  [
    'Q08.FR.03 LocalFrequency with a one-point curve',
    { operationMode: 'LocalFrequency', v2xBaseline: 0, v2xFreqWattCurve: [CURVE[0]!] },
    FULL,
    'NoFreqWattCurve',
  ],
  [
    'Q08.FR.02 LocalFrequency with baseline and curve',
    { operationMode: 'LocalFrequency', v2xBaseline: 2_000, v2xFreqWattCurve: CURVE },
    FULL,
    undefined,
  ],
  [
    'Q09.FR.01 LocalLoadBalancing not in SupportedOperationModes',
    { operationMode: 'LocalLoadBalancing' },
    { supportedModes: new Set(['ChargingOnly', 'CentralSetpoint', 'CentralFrequency']), loadBalancing: LB },
    'UnsupportedParam',
  ],
  [
    'Q09.FR.02 LocalLoadBalancing without its offsets',
    { operationMode: 'LocalLoadBalancing' },
    { supportedModes: ALL_MODES, loadBalancing: { UpperThreshold: 1, LowerThreshold: 0 } },
    'MissingDevModelInfo',
  ],
  [
    'Q09.FR.02 LocalLoadBalancing with UpperThreshold not above LowerThreshold',
    { operationMode: 'LocalLoadBalancing' },
    { supportedModes: ALL_MODES, loadBalancing: { ...LB, UpperThreshold: -5_000 } },
    'MissingDevModelInfo',
  ],
  ['Q09 LocalLoadBalancing with its device-model settings', { operationMode: 'LocalLoadBalancing' }, FULL, undefined],
];

// One test over the table, named by every requirement it checks (the status table reads literal test names).
test('Q02.FR.01 Q08.FR.02 Q08.FR.03 Q08.FR.04 Q09.FR.01 Q09.FR.02 Q10.FR.01 Q10.FR.02 the SetChargingProfile checks of the operation modes', () => {
  for (const [name, period, settings, reasonCode] of rows) {
    const refusal = checkOperationModes(
      [{ id: 7, chargingSchedulePeriod: [{ startPeriod: 60, ...period }] }],
      settings,
    );
    assert.is(refusal?.reasonCode, reasonCode, name);
    // The notes of Q08.FR.03 / Q10.FR.02: say which schedule and period.
    if (refusal) assert.match(refusal.additionalInfo, 'chargingSchedule 7, startPeriod 60', name);
  }
});

test('Q08.FR.06 Q08.FR.07 the LocalFrequency setpoint is v2xBaseline plus the curve at the measured frequency', () => {
  const period = { v2xBaseline: 2_000, v2xFreqWattCurve: CURVE };
  assert.is(freqWattSetpoint(period, 50.0), 2_000);
  assert.is(freqWattSetpoint(period, 49.9), 7_000, 'interpolated between 49.8 and 50.0');
  assert.is(freqWattSetpoint(period, 50.3), -8_000, 'beyond the last point: its value');
  assert.is(freqWattSetpoint({ v2xFreqWattCurve: CURVE }, 50), undefined);
});

test('Q08.FR.10 an aFRR signal adds the interpolated signal-watt power', () => {
  const curve = [
    { signal: -100, power: -5_000 },
    { signal: 100, power: 5_000 },
  ];
  assert.is(signalWattDelta(curve, 0), 0);
  assert.is(signalWattDelta(curve, 50), 2_500);
  assert.is(signalWattDelta(curve, -300), -5_000);
});

test('Q09.FR.04 Q09.FR.05 LocalLoadBalancing moves the setpoint by the thresholds and offsets, capped by the limits', () => {
  assert.is(loadBalancingSetpoint(0, 25_000, LB), 20_000 - 1_000 - 25_000, 'above UpperThreshold');
  assert.is(loadBalancingSetpoint(0, -8_000, LB), -5_000 + 1_000 + 8_000, 'below LowerThreshold');
  assert.is(loadBalancingSetpoint(3_000, 1_000, LB), 3_000, 'between: unchanged');
  assert.is(loadBalancingSetpoint(0, -50_000, LB, { limit: 11_000 }), 11_000, 'capped by limit');
  assert.is(loadBalancingSetpoint(0, 90_000, LB, { dischargeLimit: -7_000 }), -7_000, 'capped by dischargeLimit');
});

test('Q02 Q03 Q05 Q08 Q10 the inverter setting of each operation mode carries the fields its mode uses', () => {
  assert.equal(inverterSetting({ startPeriod: 0, limit: 16 }), { mode: 'ChargingOnly', limit: 16 });
  assert.equal(
    inverterSetting({ startPeriod: 0, operationMode: 'CentralSetpoint', setpoint: -5_000, dischargeLimit: -7_000 }),
    {
      mode: 'CentralSetpoint',
      setpoint: -5_000,
      dischargeLimit: -7_000,
    },
  );
  assert.equal(inverterSetting({ startPeriod: 0, operationMode: 'ExternalLimits', limit: 9_000, setpoint: 1 }), {
    mode: 'ExternalLimits',
    limit: 9_000,
  });
  assert.equal(
    inverterSetting({ startPeriod: 0, operationMode: 'LocalFrequency', v2xBaseline: 1, v2xFreqWattCurve: CURVE }),
    {
      mode: 'LocalFrequency',
      v2xBaseline: 1,
      v2xFreqWattCurve: CURVE,
    },
  );
  assert.equal(inverterSetting({ startPeriod: 0, operationMode: 'Idle', evseSleep: true }), {
    mode: 'Idle',
    evseSleep: true,
  });
});

test('Q01.FR.30 Q09.FR.02 the settings come from V2XChargingCtrlr: SupportedOperationModes and the LocalLoadBalancing instances', () => {
  const d = drive([], {
    version: 'ocpp2.1',
    deviceModel: {
      components: [
        {
          name: 'V2XChargingCtrlr',
          variables: [
            { name: 'Enabled', value: true },
            {
              name: 'SupportedEnergyTransferModes',
              value: 'AC_three_phase,AC_BPT',
              valuesList: EnergyTransferModeEnumType,
            },
            {
              name: 'SupportedOperationModes',
              value: 'ChargingOnly,CentralSetpoint,CentralFrequency',
              valuesList: OperationModeEnumType,
            },
            { name: 'LocalLoadBalancing', instance: 'UpperThreshold', value: 20000 },
            { name: 'LocalLoadBalancing', instance: 'LowerThreshold', value: -5000 },
          ],
        },
      ],
    },
  });
  const settings = v2xSettings(d.shell);
  assert.equal([...settings.supportedModes!], ['ChargingOnly', 'CentralSetpoint', 'CentralFrequency']);
  assert.equal(settings.loadBalancing, { UpperThreshold: 20000, LowerThreshold: -5000 });
  const refusal = checkOperationModes(
    [{ id: 1, chargingSchedulePeriod: [{ startPeriod: 0, operationMode: 'LocalFrequency' }] }],
    settings,
  );
  assert.is(refusal?.reasonCode, 'UnsupportedParam', 'a mode the station does not declare');
});

test.run();
