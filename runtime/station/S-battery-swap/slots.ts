// The battery slots of a 2.1 swap station, as pure functions of the view for the blocks that treat a slot
// differently from a charging point: E charges the battery in a slot as a transaction (S04), G reports a slot's
// AvailabilityState by NotifyEvent (S03.FR.02/04).
//
// The model (Part 2 S "Introduction" and the appendix's example of a swap station in the device model): each slot is
// an EVSE with one connector whose ConnectorType is the 2.1 value `bBatterySlot` (connectorenumtype.csv); a battery in
// the slot is that connector Occupied, an empty slot Available. The integrator declares the slots in `evses` with that
// connector type and reports a battery going in or out like a cable (`cablePlugged` / `cableUnplugged`;
// `batteriesInserted` / `batteriesRemoved` of a swap do it for their slots).
import type { IdTokenType } from '../../../generated/v201/types.js';
import type { ConnectorTypeName } from '../device-model/types.js';
import type { StationView } from '../core/types.js';

/** The 2.1 connector type of a swap station's battery slot. */
export const BATTERY_SLOT: ConnectorTypeName = 'bBatterySlot';

/** Whether the EVSE is a battery slot: a connector of it has the slot's connector type. */
export function isBatterySlot(view: Pick<StationView, 'evses'>, evseId: number): boolean {
  return view.evses.some((e) => e.id === evseId && e.connectors.some((c) => c.type === BATTERY_SLOT));
}

/** Whether the connector is a battery slot's. */
export function isSlotConnector(view: Pick<StationView, 'evses'>, evseId: number, connectorId: number): boolean {
  return view.evses.some(
    (e) => e.id === evseId && e.connectors.some((c) => c.id === connectorId && c.type === BATTERY_SLOT),
  );
}

/**
 * S04.FR.02/03: the idToken of a slot's charging transaction: BatterySwapCtrlr.IdToken as a Central token where it
 * is set (not empty), else an empty NoAuthorization token (the appendix's BatterySwapIdtoken).
 */
export function slotIdToken(view: StationView): IdTokenType {
  const value = view.variables.string('BatterySwapCtrlr', 'IdToken');
  return value ? { idToken: value, type: 'Central' } : { idToken: '', type: 'NoAuthorization' };
}

/** A percentage of BatterySwapCtrlr (MaxSoc, TargetSoC), or undefined where it is not set or not in 0–100. */
function percent(view: StationView, variable: 'MaxSoc' | 'TargetSoC'): number | undefined {
  const v = view.variables.int('BatterySwapCtrlr', variable);
  return v !== undefined && v >= 0 && v <= 100 ? v : undefined;
}

/** S04.FR.06: the state of charge at which a slot's battery stops charging (BatterySwapCtrlr.MaxSoc). */
export const maxSoc = (view: StationView) => percent(view, 'MaxSoc');

/**
 * S04.FR.05: the state of charge from which a slot's battery may be swapped (BatterySwapCtrlr.TargetSoC, spelt so in
 * the appendix's dm_components_vars.csv; the text writes TargetSoc).
 */
export const targetSoc = (view: StationView) => percent(view, 'TargetSoC');

/** The battery's state of charge in the slot: the meter's latest SoC reading (%), if any. */
export function slotSoc(view: StationView, evseId: number): number | undefined {
  return view.meter(evseId).find((r) => r.measurand === 'SoC' && r.phase === undefined)?.value;
}
