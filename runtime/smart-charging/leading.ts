// Which profile leads each purpose for one EVSE at a given second (§3.4/3.5 of the K chapter, K01.FR.17): of the
// profiles of that purpose that apply to the EVSE, are valid at that second and have a period in force then, the
// one with the highest stackLevel.
import type { EvseState } from './types.js';
import type { Period, Profile, Purpose } from './model.js';
import { periodAt } from './timeline.js';

export interface Lead {
  profile: Profile;
  period: Period;
}

export interface EvseView {
  id: number;
  /** Where Relative schedules start (timeline.ts). */
  anchor: number;
  /** Candidates per purpose, best first. */
  candidates: Map<Purpose, Profile[]>;
  /** The schedule of the EV charging here, as the CSMS accepted it (K15.FR.14): one more limit. */
  ev?: Profile;
}

/** Does an installed profile act on this EVSE? (`evse.id` 0 stands for the station as a whole.) */
function appliesTo(p: Profile, evse: EvseState | undefined): boolean {
  const evseId = evse?.id ?? 0;
  switch (p.purpose) {
    case 'ChargingStationMaxProfile':
      return p.evseId === 0; // K04.FR.03: only ever set on EVSE 0; one elsewhere is not used (docs)
    case 'TxProfile': {
      // K01.FR.16: never on EVSE 0; K01.FR.04, K02.FR.04: only for the transaction it was set for.
      const tx = evse?.transaction;
      return (
        p.evseId === evseId &&
        evseId > 0 &&
        tx !== undefined &&
        (p.transactionId === undefined || p.transactionId === tx.transactionId)
      );
    }
    case 'PriorityCharging':
      // K21.FR.04, K22.FR.02: only while priority charging is activated for the transaction.
      return (p.evseId === 0 || p.evseId === evseId) && evse?.transaction?.priorityCharging === true;
    default:
      // TxDefaultProfile (K01.FR.14/.15), ChargingStationExternalConstraints, LocalGeneration: a profile on EVSE 0
      // acts on every EVSE (§3.4), one on an EVSE only there.
      return p.evseId === 0 || p.evseId === evseId;
  }
}

/** Best first: higher stackLevel; on a tie, the EVSE's own profile before EVSE 0's, then the later installed. */
function rank(a: Profile, b: Profile): number {
  return b.stackLevel - a.stackLevel || Number(b.evseId !== 0) - Number(a.evseId !== 0) || b.order - a.order;
}

export function evseView(profiles: Profile[], evse: EvseState | undefined, anchor: number, ev?: Profile): EvseView {
  const candidates = new Map<Purpose, Profile[]>();
  for (const p of profiles) {
    if (!appliesTo(p, evse)) continue;
    const list = candidates.get(p.purpose) ?? [];
    list.push(p);
    candidates.set(p.purpose, list);
  }
  for (const list of candidates.values()) list.sort(rank);
  return { id: evse?.id ?? 0, anchor, candidates, ...(ev ? { ev } : {}) };
}

export function leadAt(view: EvseView, purpose: Purpose, t: number): Lead | undefined {
  for (const profile of view.candidates.get(purpose) ?? []) {
    const period = periodAt(profile, view.anchor, t);
    if (period) return { profile, period };
  }
  return undefined;
}
