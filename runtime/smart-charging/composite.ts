// K08 GetCompositeSchedule as a pure function of the station's smart-charging state. The window [now, now +
// duration) (K08.FR.02) is cut at every second where a profile's period, validity or schedule can change; the values
// are evaluated at the start of each piece and equal neighbours are merged, so a period that starts inside the
// window is never lost and a composite period is as long as nothing changes.
import type * as v16 from '../../generated/v16/types.js';
import type * as v201 from '../../generated/v201/types.js';
import type * as v21 from '../../generated/v21/types.js';
import { evseValues, stationValues, type Hardware, type Policy, type Values } from './combine.js';
import { evseView, type EvseView } from './leading.js';
import { seconds, type RateUnit } from './model.js';
import { evProfile, normalizeProfiles } from './normalize.js';
import { roundDown, roundNear, roundToZero, roundUp, vecFields, type Electrical } from './phases.js';
import { changePoints } from './timeline.js';
import type {
  CompositeScheduleInput,
  CompositeScheduleInput16,
  CompositeScheduleInput201,
  CompositeScheduleInput21,
} from './types.js';
import { toV16Response, toV201 } from './v16.js';

type Response = v21.GetCompositeScheduleResponse;

export function compositeSchedule(input: CompositeScheduleInput16): v16.GetCompositeScheduleResponse;
export function compositeSchedule(input: CompositeScheduleInput201): v201.GetCompositeScheduleResponse;
export function compositeSchedule(input: CompositeScheduleInput21): v21.GetCompositeScheduleResponse;
export function compositeSchedule(
  input: CompositeScheduleInput | CompositeScheduleInput16,
): v16.GetCompositeScheduleResponse | v201.GetCompositeScheduleResponse | v21.GetCompositeScheduleResponse;
export function compositeSchedule(
  input: CompositeScheduleInput | CompositeScheduleInput16,
): v16.GetCompositeScheduleResponse | Response {
  if (input.version === 'ocpp1.6')
    return toV16Response(composite2x(toV201(input)) as v201.GetCompositeScheduleResponse);
  return composite2x(input);
}

function composite2x(input: CompositeScheduleInput): Response {
  const refusal = refuse(input);
  if (refusal) return { status: 'Rejected', statusInfo: { reasonCode: refusal } };
  const { request, station } = input;
  const unit: RateUnit = request.chargingRateUnit ?? station.chargingRateUnits[0] ?? 'A';
  const electrical: Electrical = {
    dc: station.supplyPhases === 0,
    supplyPhases: station.supplyPhases,
    defaultPhases: station.phases,
    voltage: station.voltage,
    unit,
  };
  const hardware: Hardware = { maxCurrent: station.maxCurrent, maxPower: station.maxPower };
  const policy: Policy = { csmsSetpointFirst: input.version === 'ocpp2.1' && station.setpointPriority === 'CSMS' };
  const from = seconds(input.now);
  const profiles = normalizeProfiles(input, from, from + request.duration);

  // Relative schedules start when the EVSE became ready to deliver energy, or now when no transaction runs (K08.FR.06).
  const anchorOf = (tx?: { startTime: string }) => (tx ? seconds(tx.startTime) : from);
  const evses = request.evseId === 0 ? station.evses : station.evses.filter((e) => e.id === request.evseId);
  // K15.FR.14: the EV's accepted schedule is the EV's own limit (2.x; under 1.6 there is none).
  const views = evses.map((e) => evseView(profiles, e, anchorOf(e.transaction), evProfile(e, e.id)));
  const stationView = request.evseId === 0 ? evseView(profiles, undefined, from) : undefined;
  const valuesAt = (t: number) =>
    stationView
      ? stationValues(views, stationView, t, electrical, hardware, policy)
      : evseValues(views[0]!, t, electrical, hardware, policy);

  const { cuts, to } = cutPoints([...views, ...(stationView ? [stationView] : [])], from, from + request.duration);
  const periods: v21.ChargingSchedulePeriodType[] = [];
  let previous: Record<string, unknown> | undefined;
  for (const t of cuts) {
    const period = toPeriod(valuesAt(t), input.version === 'ocpp2.1', electrical);
    if (samePeriod(period, previous)) continue;
    previous = period;
    periods.push({ startPeriod: t - from, ...period });
  }
  return {
    status: 'Accepted',
    schedule: {
      evseId: request.evseId,
      duration: to - from,
      scheduleStart: new Date(from * 1000).toISOString().replace('.000Z', 'Z'),
      chargingRateUnit: unit,
      chargingSchedulePeriod: periods,
    },
  };
}

/** K08.FR.05: an EVSE the station does not have; K08.FR.07: a unit not in ChargingScheduleChargingRateUnit; a
 * window of no length cannot be reported either (docs "Rejected"). Reason codes from the appendix list. */
function refuse({ request, station }: CompositeScheduleInput): string | undefined {
  if (request.evseId !== 0 && !station.evses.some((e) => e.id === request.evseId)) return 'UnknownEvse';
  if (
    request.chargingRateUnit !== undefined &&
    !(station.chargingRateUnits as string[]).includes(request.chargingRateUnit)
  )
    return 'UnsupportedRateUnit';
  if (!(request.duration > 0)) return 'InvalidValue';
  return undefined;
}

/**
 * The most changes one composite schedule is computed over. A window of a year over many recurring profiles has
 * hundreds of thousands of them; beyond this many, the schedule ends at the next change and reports the shorter
 * duration it covers (docs "Long windows"), so that no request can keep the station busy for long.
 */
export const MAX_COMPOSITE_CHANGES = 2048;

/**
 * The sorted, distinct seconds where the composite can change (a typed array sorts numbers natively), at most
 * MAX_COMPOSITE_CHANGES of them, and the end of the window they cover: `to`, or the first change left out.
 */
function cutPoints(views: EvseView[], from: number, to: number): { cuts: Float64Array; to: number } {
  const points = [from];
  // Each profile's earliest changes in order; twice the cap, since a cycle's end may repeat the next cycle's start.
  const perProfile = 2 * (MAX_COMPOSITE_CHANGES + 1);
  for (const view of views) {
    for (const list of view.candidates.values())
      for (const p of list) changePoints(p, view.anchor, from, to, points, perProfile);
    if (view.ev) changePoints(view.ev, view.anchor, from, to, points, perProfile);
  }
  const sorted = Float64Array.from(points).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]!;
  if (n <= MAX_COMPOSITE_CHANGES) return { cuts: sorted.subarray(0, n), to };
  return { cuts: sorted.subarray(0, MAX_COMPOSITE_CHANGES), to: sorted[MAX_COMPOSITE_CHANGES]! };
}

/** Two composite periods (without startPeriod) carry the same values. */
function samePeriod(a: Record<string, unknown>, b: Record<string, unknown> | undefined): boolean {
  if (!b) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  // The curves of 2.1 periods are arrays: equal when their points are.
  return keys.every((k) => a[k] === b[k] || JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

function toPeriod(v: Values, v21Fields: boolean, e: Electrical): Record<string, unknown> {
  const { mask, n, phaseToUse } = v.phasing;
  const period: Record<string, unknown> = vecFields('limit', v.limit, mask, e.unit, v21Fields, roundDown);
  if (!e.dc) period.numberPhases = n;
  if (!e.dc && phaseToUse !== undefined) period.phaseToUse = phaseToUse;
  if (v21Fields) {
    // 2.1 only: 2.0.1's ChargingSchedulePeriodType has none of these fields.
    if (v.dischargeLimit)
      Object.assign(period, vecFields('dischargeLimit', v.dischargeLimit, mask, e.unit, true, roundUp));
    if (v.setpoint) Object.assign(period, vecFields('setpoint', v.setpoint, mask, e.unit, true, roundToZero));
    if (v.setpointReactive)
      Object.assign(period, vecFields('setpointReactive', v.setpointReactive, mask, e.unit, true, roundNear));
    if (v.operationMode !== undefined) period.operationMode = v.operationMode;
    if (v.v2x) Object.assign(period, v.v2x);
  }
  return period;
}
