// 2.1 S04 Battery Swap Charging: the battery in a swap station's slot (an EVSE whose connector is a battery slot,
// S-battery-swap/slots.ts) is charged as a transaction of that EVSE. The steps E takes instead of its usual ones for a
// slot; they work on the caller's copy of the session, as steps.ts does.
//
// Where the text is exact, a slot does not follow TxStartPoint / TxStopPoint (which S04.FR.08/09 ask the integrator to
// set to EVConnected anyway): the transaction starts when the battery goes in and ends when it comes out.
import { isBatterySlot, maxSoc, slotIdToken, slotSoc } from '../S-battery-swap/slots.js';
import type { StationView } from '../core/types.js';
import { isRunning, type EvseSession, type Running } from './session.js';
import { end, hardwareCharging, plug, start, update, type Ctx } from './steps.js';

export const batterySlot = (view: StationView, evseId: number): boolean => evseId !== 0 && isBatterySlot(view, evseId);

/**
 * S04.FR.01: a battery went into the slot: it charges at once. S04.FR.02/03: the Started event has triggerReason
 * CablePluggedIn, chargingState Charging and the station's own idToken (BatterySwapCtrlr.IdToken, or an empty
 * NoAuthorization one), which authorizes it: the slot's battery belongs to no driver.
 */
export function batteryInserted(ctx: Ctx, key: number, s: EvseSession, connectorId: number): void {
  if (s.evConnected || s.tx) return plug(ctx, key, s, connectorId); // reported again, or a transaction left over
  s.connectorId = connectorId;
  s.evConnected = true;
  s.signed = false;
  s.auth = { idToken: slotIdToken(ctx.view), via: 'Authorized', unreported: true, at: ctx.now };
  s.flow = 'Charging';
  start(ctx, key, s, 'CablePluggedIn');
  if (s.tx) hardwareCharging(ctx, key, s, true);
  else {
    // Not startable now (not accepted by the CSMS, or the slot is inoperative): no charging without a transaction.
    s.auth = undefined;
    s.flow = undefined;
  }
}

/**
 * S04.FR.07: the battery was taken out: the transaction ends with triggerReason EVCommunicationLost, stoppedReason
 * EVDisconnected and chargingState Idle. Nothing to unlock: the slot is the station's.
 */
export function batteryRemoved(ctx: Ctx, key: number, s: EvseSession): void {
  if (!s.evConnected) return;
  s.evConnected = false;
  s.flow = undefined;
  s.signed = false;
  if (isRunning(s)) end(ctx, key, s, 'EVCommunicationLost', 'EVDisconnected', { unlock: false });
  s.auth = undefined;
  s.lockedFor = undefined;
}

/**
 * S04.FR.06: the battery reached BatterySwapCtrlr.MaxSoc: energy transfer stops and an Updated event says so
 * (triggerReason EnergyLimitReached, chargingState SuspendedEVSE); the transaction stays (a V2X station may discharge
 * it later). Whether it is reached is read from the slot's latest SoC reading. Returns whether it acted.
 */
export function batteryFull(ctx: Ctx, key: number, s: Running): boolean {
  const max = maxSoc(ctx.view);
  const soc = slotSoc(ctx.view, key);
  if (s.suspendedByStation || max === undefined || soc === undefined || soc < max) return false;
  s.suspendedByStation = true;
  hardwareCharging(ctx, key, s, false);
  update(ctx, key, s, 'EnergyLimitReached', { withChargingState: true });
  return true;
}
