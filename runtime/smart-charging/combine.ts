// The composite values at one second: for one EVSE, the minimum over the purposes' leading periods (§3.5, K08.FR.04,
// SC.01), then LocalGeneration on top (2.1 §3.6), capped by the EVSE's hardware; for EVSE 0, the sum over the EVSEs
// capped by the station-wide profiles (K08.FR.03, docs "EVSE 0").
import type { ChargingSchedulePeriodType, OperationModeEnumType } from '../../generated/v21/types.js';
import { leadAt, type EvseView, type Lead } from './leading.js';
import { periodAt } from './timeline.js';
import { addVec, maxVec, minVec, phasingOf, toVec, type Electrical, type Phasing, type Vec } from './phases.js';

export interface Hardware {
  maxCurrent: number;
  maxPower: number;
}

/** Choices the station's configuration makes for the merge. */
export interface Policy {
  /** 2.1 Q06.FR.22: SmartChargingCtrlr.SetpointPriority = CSMS: the transaction's setpoint before the external one. */
  csmsSetpointFirst: boolean;
}

export interface Values {
  phasing: Phasing;
  limit: Vec;
  dischargeLimit?: Vec;
  setpoint?: Vec;
  setpointReactive?: Vec;
  operationMode?: OperationModeEnumType;
  /** 2.1 Q08/Q10: what the period the operationMode comes from says besides power values (curves, evseSleep). */
  v2x?: V2xFields;
  /**
   * The setpoint (setpointReactive) is that of a ChargingStationExternalConstraints profile on EVSE 0: a target for
   * the whole station, which EVSE 0 reports once, not once per EVSE (Q06.FR.31).
   */
  stationSetpoint?: { setpoint: boolean; setpointReactive: boolean };
}

/** The fields of a 2.1 period that are not quantities: reported as the period the operationMode comes from has them. */
export type V2xFields = Pick<
  ChargingSchedulePeriodType,
  'v2xBaseline' | 'v2xFreqWattCurve' | 'v2xSignalWattCurve' | 'evseSleep'
>;

const V2X_FIELDS = ['v2xBaseline', 'v2xFreqWattCurve', 'v2xSignalWattCurve', 'evseSleep'] as const;

function v2xOf(period: ChargingSchedulePeriodType | undefined): V2xFields | undefined {
  // Asked at every cut point of every EVSE: the common period without any of them allocates nothing.
  if (!period || V2X_FIELDS.every((f) => period[f] === undefined)) return undefined;
  const fields = Object.fromEntries(V2X_FIELDS.flatMap((f) => (period[f] === undefined ? [] : [[f, period[f]]])));
  return Object.keys(fields).length ? fields : undefined;
}

type Quantity = 'limit' | 'dischargeLimit' | 'setpoint' | 'setpointReactive';

function vecOf(lead: Lead | undefined, q: Quantity, ph: Phasing, e: Electrical): Vec | undefined {
  if (!lead) return undefined;
  const p = lead.period;
  return toVec(p[q], p[`${q}_L2`], p[`${q}_L3`], lead.profile.unit, ph, e);
}

function hardwareVec(hw: Hardware, ph: Phasing, e: Electrical): Vec {
  return minVec(
    toVec(hw.maxCurrent, undefined, undefined, 'A', ph, e),
    toVec(hw.maxPower, undefined, undefined, 'W', ph, e),
  )!;
}

/** K08.FR.08, V2X.03/.04: a positive setpoint never above the limit, a negative one never below dischargeLimit. */
function capSetpoint(s: Vec | undefined, limit: Vec, discharge: Vec | undefined): Vec | undefined {
  if (!s) return undefined;
  return s.map((v, i) => (v > 0 ? Math.min(v, limit[i]!) : discharge ? Math.max(v, discharge[i]!) : v)) as Vec;
}

const negate = (v: Vec): Vec => [-v[0], -v[1], -v[2]];

export function evseValues(view: EvseView, t: number, e: Electrical, hw: Hardware, policy: Policy): Values {
  const max = leadAt(view, 'ChargingStationMaxProfile', t);
  const ext = leadAt(view, 'ChargingStationExternalConstraints', t);
  // §3.5: a TxProfile overrules the TxDefaultProfile (K02.FR.04) and, when it has no period in force, the
  // TxDefaultProfile applies again (K02.FR.08); 2.1: an activated PriorityCharging profile overrules both (§3.6).
  const tx = leadAt(view, 'PriorityCharging', t) ?? leadAt(view, 'TxProfile', t) ?? leadAt(view, 'TxDefaultProfile', t);
  const gen = leadAt(view, 'LocalGeneration', t);
  const leads = [max, ext, tx].filter((l): l is Lead => l !== undefined);
  const phasing = phasingOf(
    leads.map((l) => l.period),
    e,
  );

  let limit: Vec | undefined;
  for (const l of leads) limit = minVec(limit, vecOf(l, 'limit', phasing, e));
  // 2.1 §3.6, SC.01(2.1): LocalGeneration capacity is added on top of the merged limit.
  if (limit) limit = addVec(limit, vecOf(gen, 'limit', phasing, e));
  // K15.FR.14, K16.FR.10, K17.FR.14: the EV follows the schedule it returned (and the CSMS accepted): it draws no
  // more than that, whatever the profiles would allow (docs "EV schedule").
  const evPeriod = view.ev ? periodAt(view.ev, view.anchor, t) : undefined;
  if (evPeriod) limit = minVec(limit, vecOf({ profile: view.ev!, period: evPeriod }, 'limit', phasing, e));
  const hwVec = hardwareVec(hw, phasing, e);
  limit = minVec(hwVec, limit)!;

  // SC.04(2.1): the highest dischargeLimit (the least discharging) of the periods that give one.
  let discharge: Vec | undefined;
  for (const l of leads) discharge = maxVec(discharge, vecOf(l, 'dischargeLimit', phasing, e));
  if (discharge) discharge = maxVec(discharge, negate(hwVec));

  // 2.1 §3.2, Q06.FR.20–.22: an ExternalSetpoint of ChargingStationExternalConstraints takes precedence unless
  // SmartChargingCtrlr.SetpointPriority is CSMS; then the transaction's profile's setpoint does, where it gives one.
  const order = policy.csmsSetpointFirst ? [tx, ext] : [ext, tx];
  const source = order.find((l) => l?.period.setpoint !== undefined);
  const setpoint = capSetpoint(vecOf(source, 'setpoint', phasing, e), limit, discharge);
  const reactiveSource = order.find((l) => l?.period.setpointReactive !== undefined);
  const setpointReactive = vecOf(reactiveSource, 'setpointReactive', phasing, e);
  const fromStation = (l: Lead | undefined) => l !== undefined && l === ext && l.profile.evseId === 0;
  const operationMode = (source ?? tx)?.period.operationMode;
  // Q08.FR.10, Q10.FR.03: the curves of a LocalFrequency period and an Idle period's evseSleep go with its mode.
  const v2x = v2xOf((source ?? tx)?.period);
  return {
    phasing,
    limit,
    dischargeLimit: discharge,
    setpoint,
    setpointReactive,
    operationMode,
    ...(v2x ? { v2x } : {}),
    ...(fromStation(source) || fromStation(reactiveSource)
      ? { stationSetpoint: { setpoint: fromStation(source), setpointReactive: fromStation(reactiveSource) } }
      : {}),
  };
}

/** EVSE 0: what the station as a whole expects to draw (K08.FR.03): the sum of the EVSEs (each as if charging,
 * K08.FR.06), no more than the station-wide ChargingStationMaxProfile (§3.5: the limit for all EVSEs combined) and
 * EVSE 0's ChargingStationExternalConstraints, with EVSE 0's LocalGeneration on top. */
export function stationValues(
  evses: EvseView[],
  station: EvseView,
  t: number,
  e: Electrical,
  hw: Hardware,
  policy: Policy,
): Values {
  const parts = evses.map((v) => evseValues(v, t, e, hw, policy));
  const mask = parts.reduce<Vec>(
    (m, p) => [m[0] | p.phasing.mask[0], m[1] | p.phasing.mask[1], m[2] | p.phasing.mask[2]],
    [0, 0, 0],
  );
  const n = mask[0] + mask[1] + mask[2];
  const phasing: Phasing = n > 0 ? { n, mask } : phasingOf([], e);
  let limit = parts.reduce<Vec>((s, p) => addVec(s, p.limit)!, [0, 0, 0]);
  const max = leadAt(station, 'ChargingStationMaxProfile', t);
  const ext = leadAt(station, 'ChargingStationExternalConstraints', t);
  let cap = minVec(vecOf(max, 'limit', phasing, e), vecOf(ext, 'limit', phasing, e));
  if (cap) cap = addVec(cap, vecOf(leadAt(station, 'LocalGeneration', t), 'limit', phasing, e));
  limit = minVec(limit, cap)!;

  const sum = (q: 'dischargeLimit' | 'setpoint' | 'setpointReactive') =>
    parts.reduce<Vec | undefined>((s, p) => addVec(s, p[q]), undefined);
  // Q06.FR.31: EVSE 0's external setpoint is the station's total: counted once for the EVSEs that follow it (the
  // station divides it among them, docs "EVSE 0 setpoint"), plus the setpoints of the EVSEs that do not.
  const total = (q: 'setpoint' | 'setpointReactive') => {
    const followers = parts.filter((p) => p.stationSetpoint?.[q]);
    const own = parts
      .filter((p) => !p.stationSetpoint?.[q])
      .reduce<Vec | undefined>((s, p) => addVec(s, p[q]), undefined);
    return followers.length ? addVec(vecOf(ext, q, phasing, e), own) : own;
  };
  let discharge = sum('dischargeLimit');
  if (discharge)
    discharge = maxVec(
      discharge,
      maxVec(vecOf(max, 'dischargeLimit', phasing, e), vecOf(ext, 'dischargeLimit', phasing, e)),
    );
  const setpoint = capSetpoint(total('setpoint'), limit, discharge);
  return { phasing, limit, dischargeLimit: discharge, setpoint, setpointReactive: total('setpointReactive') };
}
