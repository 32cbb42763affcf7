// The 1.6 station as the pure functions of ocppkit/smart-charging take it: its connectors with their transactions,
// the units and limits of the Smart Charging keys (1.6 §9.4), and SetChargingProfile's check through the 2.0.1 rules
// (1.6 §3.13 has the same stacking and validity rules under other names). One place, so that SetChargingProfile,
// GetCompositeSchedule and the hardware limit see the same station.
import type * as v16 from '../../../../generated/v16/types.js';
import { checkChargingProfile, compositeSchedule } from '../../../smart-charging/index.js';
import type { SmartChargingCapabilities, StationState16 } from '../../../smart-charging/index.js';
import { profileToV201 } from '../../../smart-charging/v16.js';
import type { StationFamily, StationView } from '../../core/types.js';
import { int16, list16 } from '../configuration/read.js';
import { connectors16 } from '../layout.js';
import '../core-profile/transactions.js';

type View = StationView<StationFamily>;

/** A profile as SetChargingProfile.req carried it, in installation order (the composite's tie rule needs it). */
export interface Installed16 {
  connectorId: number;
  csChargingProfiles: v16.ChargingProfile;
}

/** Volts per phase for A <-> W, as block K assumes. */
const LINE_VOLTAGE = 230;

/** §9.4.2 ChargingScheduleAllowedChargingRateUnit: Current → A, Power → W; the first one is the default unit. */
export function rateUnits16(view: View): Array<'A' | 'W'> {
  const units: Array<'A' | 'W'> = [];
  for (const u of list16(view, 'ChargingScheduleAllowedChargingRateUnit'))
    if (u === 'Current') units.push('A');
    else if (u === 'Power') units.push('W');
  return units;
}

/** The transaction on a connector as the composite takes it: the CSMS's id, and where Relative schedules start. */
function transactionOf(view: View, connectorId: number): { transactionId: number; startTime: string } | undefined {
  const tx = view.query.transaction16?.(connectorId);
  return tx && { transactionId: tx.csmsId ?? 0, startTime: new Date(tx.startedAt).toISOString() };
}

export function stationState16(view: View, supplyPhases: number, connectorId: number): StationState16 {
  const connectors = connectors16(view.evses);
  const evseOf = (id: number) => view.evses.find((e) => e.id === connectors.find((c) => c.id === id)?.evseId);
  // What one connector may draw where no profile limits it: its EVSE's maxPower; for connector 0 the largest one.
  const maxPower = evseOf(connectorId)?.maxPower ?? Math.max(0, ...view.evses.map((e) => e.maxPower ?? 0));
  return {
    connectors: connectors.map((c) => {
      const tx = transactionOf(view, c.id);
      return tx ? { id: c.id, transaction: tx } : { id: c.id };
    }),
    supplyPhases,
    phases: supplyPhases === 0 ? 1 : 3,
    voltage: LINE_VOLTAGE,
    maxCurrent: Math.floor((maxPower / (LINE_VOLTAGE * Math.max(1, supplyPhases))) * 10) / 10,
    maxPower,
    chargingRateUnits: rateUnits16(view),
  };
}

/** GetCompositeSchedule.conf on the station's state (§5.7). */
export function composite16(
  view: View,
  supplyPhases: number,
  profiles: readonly Installed16[],
  request: v16.GetCompositeScheduleRequest,
): v16.GetCompositeScheduleResponse {
  return compositeSchedule({
    version: 'ocpp1.6',
    now: new Date(view.now()).toISOString(),
    station: stationState16(view, supplyPhases, request.connectorId),
    profiles: [...profiles],
    request,
  });
}

/**
 * Whether SetChargingProfile.req can be installed: the 2.0.1 rules of checkChargingProfile on the 1.6 profile, with
 * 1.6's differences applied before: a profile of the same id, or of the same stackLevel and purpose on the same
 * connector, is replaced rather than a duplicate (§5.16 with the errata); a TxDefaultProfile on connector 0 and one on
 * a connector do not collide (the connector's wins, §3.13.2), so only the same connector's profiles are compared;
 * MaxChargingProfilesInstalled (§9.4.4) is counted over all. `transaction`: the transaction to assume on the
 * connector (a remote start's, to come) where none runs yet.
 */
export function check16(
  view: View,
  installed: readonly Installed16[],
  request: v16.SetChargingProfileRequest,
  transaction?: { connectorId: number },
): { accepted: boolean; replaced: Installed16[] } {
  const p = request.csChargingProfiles;
  const replaced = installed.filter(
    (i) =>
      i.csChargingProfiles.chargingProfileId === p.chargingProfileId ||
      (i.connectorId === request.connectorId &&
        i.csChargingProfiles.stackLevel === p.stackLevel &&
        i.csChargingProfiles.chargingProfilePurpose === p.chargingProfilePurpose),
  );
  const others = installed.filter((i) => !replaced.includes(i));
  if (others.length + 1 > int16(view, 'MaxChargingProfilesInstalled')) return { accepted: false, replaced };
  const station: SmartChargingCapabilities = {
    evses: connectors16(view.evses).map((c) => {
      const tx = view.query.transaction16?.(c.id);
      const id = tx ? String(tx.csmsId ?? 0) : transaction?.connectorId === c.id ? 'pending' : undefined;
      return id !== undefined ? { id: c.id, transaction: { transactionId: id } } : { id: c.id };
    }),
    chargingRateUnits: rateUnits16(view),
    profileStackLevel: int16(view, 'ChargeProfileMaxStackLevel'),
    periodsPerSchedule: int16(view, 'ChargingScheduleMaxPeriods'),
  };
  const verdict = checkChargingProfile({
    version: 'ocpp2.0.1',
    station,
    profiles: others
      .filter((i) => i.connectorId === request.connectorId)
      .map((i) => ({ evseId: i.connectorId, chargingProfile: profileToV201(i.csChargingProfiles) })),
    request: { evseId: request.connectorId, chargingProfile: profileToV201(p) },
  });
  return { accepted: verdict.status === 'Accepted', replaced };
}
