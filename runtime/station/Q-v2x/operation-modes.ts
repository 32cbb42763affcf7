// Q03–Q10: what the operationMode of a 2.1 charging schedule period means for the station, as pure functions for
// block K (which owns SetChargingProfile and the composite schedule) to call:
// - `checkOperationModes`: the checks SetChargingProfile makes of the periods (Q08.FR.03/04, Q09.FR.01/02,
//   Q10.FR.02), with the reasonCode the spec names;
// - `inverterSetting`: what the power electronics are told for the period in force, by mode (Q03–Q10);
// - `freqWattSetpoint`, `signalWattDelta`, `loadBalancingSetpoint`: the setpoints the station works out itself
//   (Q08.FR.06/07, Q08.FR.10, Q09.FR.04/05).
import type {
  ChargingSchedulePeriodType,
  OperationModeEnumType,
  V2XFreqWattPointType,
  V2XSignalWattPointType,
} from '../../../generated/v21/types.js';
import type { StationView } from '../core/types.js';

/** The fields that carry a power value of the CSMS: absent in Idle and LocalFrequency periods (Q10.FR.01, Q08.FR.01). */
export const POWER_FIELDS = [
  'limit',
  'limit_L2',
  'limit_L3',
  'dischargeLimit',
  'dischargeLimit_L2',
  'dischargeLimit_L3',
  'setpoint',
  'setpoint_L2',
  'setpoint_L3',
  'setpointReactive',
  'setpointReactive_L2',
  'setpointReactive_L3',
] as const satisfies readonly (keyof ChargingSchedulePeriodType)[];

/** Q02.FR.01: an absent operationMode is ChargingOnly. */
export const modeOf = (p: ChargingSchedulePeriodType): OperationModeEnumType => p.operationMode ?? 'ChargingOnly';

/** The thresholds and offsets of LocalLoadBalancing (V2XChargingCtrlr.LocalLoadBalancing[...], in W). */
export interface LoadBalancing {
  UpperThreshold?: number;
  LowerThreshold?: number;
  UpperOffset?: number;
  LowerOffset?: number;
}

/** What the station's device model says about V2X, as `checkOperationModes` needs it. */
export interface V2xSettings {
  /** V2XChargingCtrlr.SupportedOperationModes (Q01.FR.30); undefined: the station declared none. */
  supportedModes?: ReadonlySet<string>;
  loadBalancing: LoadBalancing;
}

/** Reads the V2X settings from the device model. */
export function v2xSettings(view: StationView): V2xSettings {
  const modes = view.variables.string('V2XChargingCtrlr', 'SupportedOperationModes');
  const read = (instance: keyof LoadBalancing) => {
    const v = view.variables.string('V2XChargingCtrlr', 'LocalLoadBalancing', { instance });
    const n = v === undefined || v.trim() === '' ? NaN : Number(v);
    return Number.isFinite(n) ? n : undefined;
  };
  return {
    ...(modes !== undefined ? { supportedModes: new Set(modes.split(',').map((m) => m.trim())) } : {}),
    loadBalancing: {
      ...optional('UpperThreshold', read('UpperThreshold')),
      ...optional('LowerThreshold', read('LowerThreshold')),
      ...optional('UpperOffset', read('UpperOffset')),
      ...optional('LowerOffset', read('LowerOffset')),
    },
  };
}

const optional = <K extends string>(k: K, v: number | undefined) => (v === undefined ? {} : { [k]: v });

export interface ModeRefusal {
  reasonCode: 'UnsupportedParam' | 'InvalidSchedule' | 'NoFreqWattCurve' | 'MissingDevModelInfo';
  additionalInfo: string;
}

/**
 * Whether SetChargingProfile may accept these periods (status Rejected with `reasonCode` when not). `scheduleId`
 * names the schedule in additionalInfo, with the period's startPeriod, as the notes of Q08.FR.03 and Q10.FR.02
 * advise.
 */
export function checkOperationModes(
  schedules: ReadonlyArray<{ id: number; chargingSchedulePeriod: readonly ChargingSchedulePeriodType[] }>,
  settings: V2xSettings,
): ModeRefusal | undefined {
  for (const schedule of schedules)
    for (const p of schedule.chargingSchedulePeriod) {
      const mode = modeOf(p);
      const where = `chargingSchedule ${schedule.id}, startPeriod ${p.startPeriod}`;
      const refuse = (reasonCode: ModeRefusal['reasonCode'], why: string): ModeRefusal => ({
        reasonCode,
        additionalInfo: `${where}: ${why}`,
      });
      // Q09.FR.01 (and any mode the station does not declare in SupportedOperationModes, Q01.FR.30); ChargingOnly
      // is what a period without operationMode means, always supported.
      if (mode !== 'ChargingOnly' && settings.supportedModes && !settings.supportedModes.has(mode))
        return refuse('UnsupportedParam', `operationMode ${mode} is not supported`);
      const powered = POWER_FIELDS.filter((f) => p[f] !== undefined);
      // Q10.FR.02
      if (mode === 'Idle' && powered.length) return refuse('InvalidSchedule', `Idle with ${powered.join(', ')}`);
      if (mode === 'LocalFrequency') {
        // Q08.FR.04
        if (powered.length) return refuse('InvalidSchedule', `LocalFrequency with ${powered.join(', ')}`);
        // Q08.FR.03
        if (p.v2xBaseline === undefined || (p.v2xFreqWattCurve?.length ?? 0) < 2)
          return refuse(
            'NoFreqWattCurve',
            'LocalFrequency needs v2xBaseline and a v2xFreqWattCurve of 2 points or more',
          );
      }
      if (mode === 'LocalLoadBalancing') {
        // Q09.FR.02
        const lb = settings.loadBalancing;
        if (
          lb.UpperThreshold === undefined ||
          lb.LowerThreshold === undefined ||
          lb.UpperOffset === undefined ||
          lb.LowerOffset === undefined ||
          !(lb.UpperThreshold > lb.LowerThreshold)
        )
          return refuse('MissingDevModelInfo', 'V2XChargingCtrlr.LocalLoadBalancing thresholds and offsets');
      }
    }
  return undefined;
}

/** Linear interpolation on a curve of points sorted by x; clamped to the first and last point. */
function interpolate(points: ReadonlyArray<{ x: number; y: number }>, x: number): number | undefined {
  const sorted = [...points].sort((a, b) => a.x - b.x);
  if (sorted.length === 0 || !Number.isFinite(x)) return undefined;
  if (x <= sorted[0]!.x) return sorted[0]!.y;
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (x <= b.x) return b.x === a.x ? b.y : a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
  }
  return sorted.at(-1)!.y;
}

/** Q08.FR.06/07: the setpoint (W) of a LocalFrequency period at the measured net frequency (Hz). */
export function freqWattSetpoint(
  period: Pick<ChargingSchedulePeriodType, 'v2xBaseline' | 'v2xFreqWattCurve'>,
  frequency: number,
): number | undefined {
  const curve: readonly V2XFreqWattPointType[] = period.v2xFreqWattCurve ?? [];
  if (period.v2xBaseline === undefined || curve.length < 2) return undefined;
  const power = interpolate(
    curve.map((c) => ({ x: c.frequency, y: c.power })),
    frequency,
  );
  return power === undefined ? undefined : period.v2xBaseline + power;
}

/** Q08.FR.10: the change (W) an aFRR signal makes to the setpoint, from the period's v2xSignalWattCurve. */
export function signalWattDelta(curve: readonly V2XSignalWattPointType[], signal: number): number | undefined {
  return interpolate(
    curve.map((c) => ({ x: c.signal, y: c.power })),
    signal,
  );
}

/**
 * Q09.FR.04/05: the setpoint of a LocalLoadBalancing period for the load the upstream meter reads (W, consumption
 * positive), capped by the period's limit and dischargeLimit.
 */
export function loadBalancingSetpoint(
  setpoint: number,
  load: number,
  lb: Required<LoadBalancing>,
  caps: { limit?: number; dischargeLimit?: number } = {},
): number {
  const delta =
    load > lb.UpperThreshold
      ? lb.UpperThreshold + lb.UpperOffset - load
      : load < lb.LowerThreshold
        ? lb.LowerThreshold + lb.LowerOffset - load
        : 0;
  let next = setpoint + delta;
  if (caps.limit !== undefined) next = Math.min(next, caps.limit);
  // dischargeLimit is the largest discharging power, a negative value (2.1: limits of discharging are ≤ 0).
  if (caps.dischargeLimit !== undefined) next = Math.max(next, caps.dischargeLimit);
  return next;
}

/** What the power electronics of an EVSE are told for the period in force, by operation mode. */
export type InverterSetting =
  /** Q02: charge up to `limit`; never discharge. */
  | { mode: 'ChargingOnly'; limit?: number }
  /** Q03/Q04 (CentralFrequency is a CentralSetpoint for frequency support): follow the CSMS's setpoints. */
  | {
      mode: 'CentralSetpoint' | 'CentralFrequency';
      setpoint?: number;
      setpointReactive?: number;
      limit?: number;
      dischargeLimit?: number;
    }
  /**
   * Q05/Q06: the External System's setpoints (ExternalSetpoint) or limits (ExternalLimits) apply; `setpoint` and
   * `setpointReactive` when the station holds the external system's value in the profile (K29.FR.03/.04).
   */
  | {
      mode: 'ExternalSetpoint' | 'ExternalLimits';
      setpoint?: number;
      setpointReactive?: number;
      limit?: number;
      dischargeLimit?: number;
    }
  /** Q08: the station follows the frequency itself: v2xBaseline + v2xFreqWattCurve(frequency), plus aFRR. */
  | {
      mode: 'LocalFrequency';
      v2xBaseline: number;
      v2xFreqWattCurve: V2XFreqWattPointType[];
      v2xSignalWattCurve?: V2XSignalWattPointType[];
    }
  /** Q09: the station balances against the upstream meter (loadBalancingSetpoint). */
  | { mode: 'LocalLoadBalancing'; setpoint?: number; limit?: number; dischargeLimit?: number }
  /** Q10: no energy transfer; `evseSleep`: the EVSE may switch its electronics off (Q10.FR.03). */
  | { mode: 'Idle'; evseSleep: boolean };

const some = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>; // the same keys, fewer

/** The period's setting for the inverter (only the fields its mode uses; phase values are K's to add). */
export function inverterSetting(p: ChargingSchedulePeriodType): InverterSetting {
  const mode = modeOf(p);
  switch (mode) {
    case 'ChargingOnly':
      return { mode, ...some({ limit: p.limit }) };
    case 'CentralSetpoint':
    case 'CentralFrequency':
      return {
        mode,
        ...some({
          setpoint: p.setpoint,
          setpointReactive: p.setpointReactive,
          limit: p.limit,
          dischargeLimit: p.dischargeLimit,
        }),
      };
    case 'ExternalSetpoint':
      return {
        mode,
        ...some({
          setpoint: p.setpoint,
          setpointReactive: p.setpointReactive,
          limit: p.limit,
          dischargeLimit: p.dischargeLimit,
        }),
      };
    case 'ExternalLimits':
      return { mode, ...some({ limit: p.limit, dischargeLimit: p.dischargeLimit }) };
    case 'LocalFrequency':
      return {
        mode,
        v2xBaseline: p.v2xBaseline ?? 0,
        v2xFreqWattCurve: p.v2xFreqWattCurve ?? [],
        ...(p.v2xSignalWattCurve ? { v2xSignalWattCurve: p.v2xSignalWattCurve } : {}),
      };
    case 'LocalLoadBalancing':
      return { mode, ...some({ setpoint: p.setpoint, limit: p.limit, dischargeLimit: p.dischargeLimit }) };
    case 'Idle':
      return { mode, evseSleep: p.evseSleep === true };
  }
}
