// A DER control in force as an inverter setting in words (the simulator prints it; an integrator may log it).
import type { DERCurveType } from '../../../generated/v21/types.js';
import type { DerControlInForce } from './der.js';

const curveText = (c: DERCurveType) =>
  `${c.curveData.map((p) => `(${p.x}, ${p.y})`).join(' ')} ${c.yUnit}` +
  (c.responseTime !== undefined ? `, response ${c.responseTime} s` : '');

/** One line: which control, where it comes from, and what the inverter is to do. */
export function describeDerControl(c: DerControlInForce): string {
  const origin = `${c.isDefault ? 'default' : 'scheduled'} ${c.controlId}`;
  const head = `${c.controlType} (${origin}, priority ${c.setting.priority})`;
  switch (c.field) {
    case 'curve':
      return `${head}: curve ${curveText(c.setting)}`;
    case 'freqDroop': {
      const s = c.setting;
      return `${head}: droop ${s.overDroop} % above ${s.overFreq} Hz, ${s.underDroop} % below ${s.underFreq} Hz, response ${s.responseTime} s`;
    }
    case 'fixedPFAbsorb':
    case 'fixedPFInject':
      return `${head}: power factor ${c.setting.displacement} ${c.setting.excitation ? 'over-excited' : 'under-excited'}`;
    case 'fixedVar':
      return `${head}: reactive power ${c.setting.setpoint} ${c.setting.unit}`;
    case 'limitMaxDischarge':
      return (
        `${head}: discharge at most ${c.setting.pctMaxDischargePower ?? 100} % of rated power` +
        (c.setting.powerMonitoringMustTrip ? `, trip curve ${curveText(c.setting.powerMonitoringMustTrip)}` : '')
      );
    case 'enterService': {
      const s = c.setting;
      return `${head}: enter service within ${s.lowVoltage}–${s.highVoltage} V and ${s.lowFreq}–${s.highFreq} Hz${s.delay !== undefined ? ` after ${s.delay} s` : ''}`;
    }
    case 'gradient':
      return `${head}: ramp ${c.setting.gradient} %/s (soft ${c.setting.softGradient} %/s)`;
  }
}
