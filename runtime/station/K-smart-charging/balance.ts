// K04.FR.05 (2.1), K12.FR.01: the EVSEs charging at once together stay within the station-wide limit.
//
// Each EVSE's own composite schedule is capped by the station-wide limits (ChargingStationMaxProfile and
// ChargingStationExternalConstraints on EVSE 0, plus 2.1 LocalGeneration), but only one EVSE at a time: two EVSEs
// may each be allowed the whole station limit. So the limits the hardware is told are split. The budget is the
// EVSE 0 composite schedule's limit in force (the sum of the EVSEs, no more than the station-wide limit: it is below
// the sum exactly when a station-wide limit binds). The EVSEs with a transaction share it max-min fairly ("water
// filling"): in the order of their own limits, lowest first, each gets the lower of its own limit and an equal share
// of what the ones before left; ties in EVSE id order. So an EVSE that needs less than its share leaves the rest to
// the others, no EVSE ever gets more than its own composite, and the result depends on nothing but the numbers.
//
// Amperes are per phase, and are added as if every EVSE used the same phases (a 1-phase EVSE is counted against the
// phase the 3-phase ones use too): never more on a phase than the budget, whatever phases the EVSEs use. Watts are
// totals and add up exactly. An EVSE without a transaction draws nothing and keeps its own limit: when a
// transaction starts (or ends, or a profile changes) the shares are worked out again before energy flows on it.
// Shares are rounded down to a tenth, so rounding never adds up to more than the budget.

/** One EVSE as the split sees it: its own limit in force (the unit of the budget) and whether it charges. */
export interface EvseDemand {
  evseId: number;
  /** The limit of the EVSE's own composite schedule now. */
  limit: number;
  /** A transaction runs on the EVSE: it may draw energy. */
  charging: boolean;
}

/**
 * The limit each EVSE may be given so that the EVSEs charging together stay within `budget`; the EVSEs in the
 * order given. Without a budget (nothing station-wide known) or where the charging EVSEs fit, their own limits.
 */
export function balancedLimits(budget: number | undefined, evses: readonly EvseDemand[]): Map<number, number> {
  const out = new Map(evses.map((e) => [e.evseId, e.limit]));
  const charging = evses
    .filter((e) => e.charging)
    .sort((a, b) => Math.max(0, a.limit) - Math.max(0, b.limit) || a.evseId - b.evseId);
  if (budget === undefined || !Number.isFinite(budget)) return out;
  const demanded = charging.reduce((sum, e) => sum + Math.max(0, e.limit), 0);
  if (demanded <= budget) return out;
  // In whole tenths, so that no binary fraction makes the shares add up to more than the budget.
  let left = Math.max(0, Math.floor(budget * 10 + EPSILON));
  for (const [i, e] of charging.entries()) {
    const share = Math.floor(left / (charging.length - i)) / 10;
    // A negative limit (a discharge-only period) asks nothing of the budget and is left as it is.
    const given = Math.min(e.limit, share);
    out.set(e.evseId, given);
    left = Math.max(0, left - Math.ceil(Math.max(0, given) * 10 - EPSILON));
  }
  return out;
}

/** Below a tenth of a tenth: what binary fractions (0.1 * 3 = 0.30000000000000004) may be off by. */
const EPSILON = 1e-6;
