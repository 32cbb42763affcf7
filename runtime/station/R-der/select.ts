// R04: which DER controls are kept, which are superseded, and which are executed — pure functions of the stored
// controls and the time. A lower `priority` value overrules a higher one (R04.FR.03 note).
//
// Readings where the text is silent, chosen so that the station always executes one control per type at most:
// - two defaults of one type at the same priority: the newer replaces the older (it is superseded);
// - a scheduled control whose priority value is higher than that of a kept (not superseded) scheduled control of
//   its type is superseded at once, whether that one is active (R04.FR.08) or still to come (as R04.FR.08's note
//   asks the CSMS to avoid it);
// - scheduled controls of one type at the same priority are kept side by side (a calendar of controls); if two are
//   active at once, the newer one is executed.
import type { NotifyDERStartStopRequest } from '../../../generated/v21/types.js';
import { activeAt, endOf, priorityOf, startOf, type DerControl } from './controls.js';

export interface SetOutcome {
  controls: DerControl[];
  /** SetDERControlResponse.supersededIds: the controls superseded by this one, or this one itself (R04.FR.08). */
  supersededIds: string[];
}

const rivals = (controls: readonly DerControl[], c: DerControl) =>
  controls.filter(
    (o) => o.id !== c.id && o.controlType === c.controlType && o.isDefault === c.isDefault && !o.isSuperseded,
  );

/** R04.FR.02–08: the controls after accepting `incoming` (a control with the same id is replaced). */
export function setControl(controls: readonly DerControl[], incoming: DerControl, now: number): SetOutcome {
  const kept = controls.filter((c) => c.id !== incoming.id);
  const others = rivals(kept, incoming);
  const p = priorityOf(incoming);
  const supersede = (ids: readonly string[]) =>
    kept.map((c) => (ids.includes(c.id) ? { ...c, isSuperseded: true } : c));
  if (incoming.isDefault) {
    // R04.FR.02: the first default of its type; R04.FR.03: it replaces a default with a higher priority value.
    if (others.some((o) => priorityOf(o) < p))
      return { controls: [...kept, { ...incoming, isSuperseded: true }], supersededIds: [incoming.id] };
    const ids = others.filter((o) => priorityOf(o) >= p).map((o) => o.id);
    return { controls: [...supersede(ids), incoming], supersededIds: ids };
  }
  // R04.FR.08: a kept scheduled control with a lower priority value stays; the new one is superseded at once.
  if (others.some((o) => priorityOf(o) < p))
    return { controls: [...kept, { ...incoming, isSuperseded: true }], supersededIds: [incoming.id] };
  // R04.FR.06: a scheduled control not yet active with a higher priority value is superseded at once (even if it
  // starts before the new one). R04.FR.07: an active one runs on until the new one starts (`advance`).
  const ids = others.filter((o) => priorityOf(o) > p && !activeAt(o, now)).map((o) => o.id);
  return { controls: [...supersede(ids), incoming], supersededIds: ids };
}

export interface Advanced {
  controls: DerControl[];
  /** Scheduled controls whose start was reported (NotifyDERStartStop started = true) and whose end was not yet. */
  started: string[];
  notifications: NotifyDERStartStopRequest[];
}

/**
 * The scheduled controls' timeline up to `now`: ends first (R04.FR.22 reported, R04.FR.10 deleted), then starts in
 * order of startTime (R04.FR.20; R04.FR.21 with the active controls of its type it supersedes, R04.FR.07).
 */
export function advance(controls: readonly DerControl[], started: readonly string[], now: number): Advanced {
  const timestamp = new Date(now).toISOString();
  const notifications: NotifyDERStartStopRequest[] = [];
  let list = [...controls];
  let running = started.filter((id) => list.some((c) => c.id === id));
  for (const c of list.filter((c) => !c.isDefault && endOf(c) <= now)) {
    if (running.includes(c.id) && !c.isSuperseded) notifications.push({ controlId: c.id, started: false, timestamp });
    running = running.filter((id) => id !== c.id);
  }
  list = list.filter((c) => c.isDefault || endOf(c) > now);
  const starting = list
    .filter((c) => !c.isDefault && !c.isSuperseded && !running.includes(c.id) && startOf(c) <= now)
    .sort((a, b) => startOf(a) - startOf(b));
  for (const c of starting) {
    const current = list.find((x) => x.id === c.id);
    if (!current || current.isSuperseded) continue;
    const superseded = list
      .filter(
        (o) =>
          o.id !== c.id &&
          !o.isDefault &&
          !o.isSuperseded &&
          o.controlType === c.controlType &&
          running.includes(o.id) &&
          priorityOf(o) > priorityOf(c),
      )
      .map((o) => o.id);
    list = list.map((o) => (superseded.includes(o.id) ? { ...o, isSuperseded: true } : o));
    running = [...running.filter((id) => !superseded.includes(id)), c.id];
    notifications.push({
      controlId: c.id,
      started: true,
      timestamp,
      ...(superseded.length ? { supersededIds: superseded.slice(0, 24) } : {}),
    });
  }
  return { controls: list, started: running, notifications };
}

const better = (a: DerControl, b: DerControl) =>
  priorityOf(a) !== priorityOf(b) ? priorityOf(a) < priorityOf(b) : a.receivedAt > b.receivedAt;

/**
 * The controls to execute, one per controlType at most: the active scheduled one if there is one, else the default
 * (R04.FR.11, R04.FR.04); never a superseded one (R04.FR.09).
 */
export function inForce(controls: readonly DerControl[], now: number): DerControl[] {
  const live = controls.filter((c) => !c.isSuperseded);
  const types = [...new Set(live.map((c) => c.controlType))].sort();
  const best = (list: DerControl[]) =>
    list.reduce<DerControl | undefined>((b, c) => (!b || better(c, b) ? c : b), undefined);
  return types.flatMap((t) => {
    const ofType = live.filter((c) => c.controlType === t);
    const chosen = best(ofType.filter((c) => activeAt(c, now))) ?? best(ofType.filter((c) => c.isDefault));
    return chosen ? [chosen] : [];
  });
}

/** When the timeline next changes (a scheduled start or end after `now`), if ever. */
export function nextChange(controls: readonly DerControl[], now: number): number | undefined {
  let next = Infinity;
  for (const c of controls) {
    if (c.isDefault) continue;
    for (const t of [startOf(c), endOf(c)]) if (t > now && t < next) next = t;
  }
  return Number.isFinite(next) ? next : undefined;
}

export interface ControlFilter {
  isDefault?: boolean;
  controlType?: string;
  controlId?: string;
}

/** R04.FR.30: an absent field matches any value. */
export const matches = (c: DerControl, f: ControlFilter): boolean =>
  (f.isDefault === undefined || c.isDefault === f.isDefault) &&
  (f.controlType === undefined || c.controlType === f.controlType) &&
  (f.controlId === undefined || c.id === f.controlId);
