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
//
// K03.FR.04–.06: transactions of a higher chargingPriority come first. The budget goes to the highest priority
// present, shared as above among its EVSEs; what they leave goes to the next priority, and so on. So a transaction
// is given its full own limit as long as the budget allows it, and one of a lower priority gets what is left, which
// may be 0: the hardware is told to draw nothing, and the transaction is suspended until a higher one ends or needs
// less. A transaction without a known priority has 0 (K03.FR.06); equal priorities share as before.

/** One EVSE as the split sees it: its own limit in force (the unit of the budget) and whether it charges. */
export interface EvseDemand {
  evseId: number;
  /** The limit of the EVSE's own composite schedule now. */
  limit: number;
  /** A transaction runs on the EVSE: it may draw energy. */
  charging: boolean;
  /** K03.FR.04/.06: the chargingPriority of its transaction (-9 to 9; absent: 0). */
  chargingPriority?: number;
}

/**
 * The limit each EVSE may be given so that the EVSEs charging together stay within `budget`; the EVSEs in the
 * order given. Without a budget (nothing station-wide known) or where the charging EVSEs fit, their own limits.
 */
export function balancedLimits(budget: number | undefined, evses: readonly EvseDemand[]): Map<number, number> {
  const out = new Map(evses.map((e) => [e.evseId, e.limit]));
  const charging = evses.filter((e) => e.charging);
  if (budget === undefined || !Number.isFinite(budget)) return out;
  if (demandOf(charging) <= budget) return out;
  // In whole tenths, so that no binary fraction makes the shares add up to more than the budget.
  let left = Math.max(0, Math.floor(budget * 10 + EPSILON));
  // K03.FR.04: the highest chargingPriority first.
  const priorities = [...new Set(charging.map(priorityOf))].sort((a, b) => b - a);
  for (const priority of priorities) {
    const group = charging.filter((e) => priorityOf(e) === priority);
    for (const [evseId, given] of waterFilled(left, group)) {
      out.set(evseId, given);
      left = Math.max(0, left - Math.ceil(Math.max(0, given) * 10 - EPSILON));
    }
  }
  return out;
}

/** K03.FR.06: no known chargingPriority is 0. */
const priorityOf = (e: EvseDemand) => e.chargingPriority ?? 0;

/** What the EVSEs ask of the budget: a negative limit (a discharge-only period) asks nothing. */
const demandOf = (evses: readonly EvseDemand[]) => evses.reduce((sum, e) => sum + Math.max(0, e.limit), 0);

/**
 * `left` tenths shared max-min fairly among `evses`: their own limits where they fit, else lowest own limit first,
 * each the lower of its own limit and an equal share of what the ones before left (ties in EVSE id order).
 */
function waterFilled(left: number, evses: readonly EvseDemand[]): Array<[number, number]> {
  if (demandOf(evses) * 10 <= left + EPSILON) return evses.map((e) => [e.evseId, e.limit]);
  const sorted = [...evses].sort((a, b) => Math.max(0, a.limit) - Math.max(0, b.limit) || a.evseId - b.evseId);
  return sorted.map((e, i) => {
    const share = Math.floor(left / (sorted.length - i)) / 10;
    // A negative limit (a discharge-only period) asks nothing of the budget and is left as it is.
    const given = Math.min(e.limit, share);
    left = Math.max(0, left - Math.ceil(Math.max(0, given) * 10 - EPSILON));
    return [e.evseId, given];
  });
}

/** Below a tenth of a tenth: what binary fractions (0.1 * 3 = 0.30000000000000004) may be off by. */
const EPSILON = 1e-6;
