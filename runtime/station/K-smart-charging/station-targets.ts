// 2.1 Q06.FR.30/.31: what an External System sets on EVSE 0 is for the station as a whole. Each EVSE's own composite
// schedule takes a ChargingStationExternalConstraints profile on EVSE 0 as its own (K01.FR.14: a profile on EVSE 0
// acts on every EVSE), so two EVSEs discharging at once could each discharge the whole dischargeLimit, and each
// would follow the whole setpoint. While more than one EVSE has a transaction, the station divides them:
// - Q06.FR.30: the EVSEs whose period in force discharges (an inverter setting with a dischargeLimit) share the
//   EVSE 0 composite schedule's dischargeLimit (its magnitude), as balance.ts shares the limit;
// - Q06.FR.31: the EVSEs whose setpoint is EVSE 0's external setpoint share that setpoint (and setpointReactive),
//   so that together they draw (or feed in) what it says. Each gets at most the setpoint it would follow alone
//   (already within its own limit and dischargeLimit, V2X.03/.04): when they cannot reach the total together, each
//   does its most ("SHALL try to match", the note of Q06.FR.31).
// Shares are max-min fair in whole tenths (balancedLimits), so the parts never add up to more than the total.
import type { InverterSetting } from '../Q-v2x/operation-modes.js';
import { balancedLimits } from './balance.js';

/** The station-wide values of EVSE 0 now, in the unit the EVSEs are told. */
export interface StationTargets {
  /** The EVSE 0 composite schedule's dischargeLimit (negative), if it gives one. */
  dischargeLimit?: number;
  /** EVSE 0's external setpoint and setpointReactive, if one is in force. */
  setpoint?: number;
  setpointReactive?: number;
}

export interface EvseInverter {
  evseId: number;
  inverter?: InverterSetting;
  /** The EVSE's setpoint (and setpointReactive) is EVSE 0's external one. */
  follows: { setpoint: boolean; setpointReactive: boolean };
}

type Shared = 'setpoint' | 'setpointReactive' | 'dischargeLimit';

const valueOf = (inverter: InverterSetting | undefined, field: Shared): number | undefined =>
  inverter && field in inverter ? (inverter as Partial<Record<Shared, number>>)[field] : undefined;

/** `total` (signed) shared max-min fairly by the parts of the same sign, each taking at most its own value. */
function share(total: number, parts: Array<{ evseId: number; value: number }>): Map<number, number> {
  const sign = total < 0 ? -1 : 1;
  const shares = balancedLimits(
    Math.abs(total),
    parts
      .filter((p) => Math.sign(p.value) === sign)
      .map((p) => ({ evseId: p.evseId, limit: Math.abs(p.value), charging: true })),
  );
  return new Map([...shares].map(([evseId, v]) => [evseId, sign * v + 0]));
}

/** The inverter settings of the EVSEs charging together, with EVSE 0's targets divided among them. */
export function dividedTargets(targets: StationTargets, evses: readonly EvseInverter[]): Map<number, InverterSetting> {
  const out = new Map<number, InverterSetting>();
  const set = (evseId: number, field: Shared, value: number) => {
    const inverter = out.get(evseId) ?? evses.find((e) => e.evseId === evseId)!.inverter!;
    out.set(evseId, { ...inverter, [field]: value } as InverterSetting);
  };
  // Q06.FR.30: the EVSEs that may discharge now share the station's dischargeLimit.
  if (targets.dischargeLimit !== undefined && targets.dischargeLimit < 0) {
    const parts = evses.flatMap((e) => {
      const value = valueOf(e.inverter, 'dischargeLimit');
      return value !== undefined && value < 0 ? [{ evseId: e.evseId, value }] : [];
    });
    for (const [evseId, value] of share(targets.dischargeLimit, parts)) set(evseId, 'dischargeLimit', value);
  }
  // Q06.FR.31: the EVSEs that follow EVSE 0's setpoint share it.
  for (const field of ['setpoint', 'setpointReactive'] as const) {
    const total = targets[field];
    if (total === undefined) continue;
    const parts = evses.flatMap((e) => {
      const value = valueOf(out.get(e.evseId) ?? e.inverter, field);
      return e.follows[field] && value !== undefined ? [{ evseId: e.evseId, value }] : [];
    });
    if (parts.length < 2) continue;
    for (const [evseId, value] of share(total, parts)) set(evseId, field, value);
  }
  // A discharging setpoint never below the EVSE's (divided) dischargeLimit (V2X.04).
  for (const [evseId, inverter] of out) {
    const setpoint = valueOf(inverter, 'setpoint');
    const discharge = valueOf(inverter, 'dischargeLimit');
    if (setpoint !== undefined && discharge !== undefined && setpoint < discharge)
      out.set(evseId, { ...inverter, setpoint: discharge } as InverterSetting);
  }
  return out;
}
