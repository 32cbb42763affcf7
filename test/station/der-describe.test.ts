// A DER control in force in words, as the simulator prints it: one line per kind of setting, with its origin.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeDerControl } from '../../runtime/station/R-der/describe.js';
import type { DerControlInForce } from '../../runtime/station/R-der/der.js';

const base = { controlId: 'C1', isDefault: true } as const;

test('every kind of DER control setting is described with its type, origin and values', () => {
  const rows: Array<[DerControlInForce, RegExp]> = [
    [
      {
        ...base,
        controlType: 'VoltVar',
        field: 'curve',
        setting: { priority: 1, yUnit: 'PctMaxVar', curveData: [{ x: 0.95, y: 30 }], responseTime: 5 },
      },
      /^VoltVar \(default C1, priority 1\): curve \(0\.95, 30\) PctMaxVar, response 5 s$/,
    ],
    [
      {
        ...base,
        controlType: 'FixedPFInject',
        field: 'fixedPFInject',
        setting: { priority: 2, displacement: 0.95, excitation: true },
      },
      /power factor 0\.95 over-excited/,
    ],
    [
      {
        ...base,
        controlType: 'FixedVar',
        field: 'fixedVar',
        setting: { priority: 2, setpoint: 20, unit: 'PctMaxVar' },
      },
      /reactive power 20 PctMaxVar/,
    ],
    [
      {
        ...base,
        isDefault: false,
        controlType: 'LimitMaxDischarge',
        field: 'limitMaxDischarge',
        setting: { priority: 3, pctMaxDischargePower: 50 },
      },
      /^LimitMaxDischarge \(scheduled C1, priority 3\): discharge at most 50 % of rated power$/,
    ],
    [
      {
        ...base,
        controlType: 'EnterService',
        field: 'enterService',
        setting: { priority: 1, highVoltage: 253, lowVoltage: 207, highFreq: 50.1, lowFreq: 49.9, delay: 60 },
      },
      /enter service within 207–253 V and 49\.9–50\.1 Hz after 60 s/,
    ],
    [
      { ...base, controlType: 'Gradients', field: 'gradient', setting: { priority: 1, gradient: 10, softGradient: 2 } },
      /ramp 10 %\/s \(soft 2 %\/s\)/,
    ],
  ];
  for (const [control, pattern] of rows) assert.match(describeDerControl(control), pattern, control.controlType);
});

test.run();
