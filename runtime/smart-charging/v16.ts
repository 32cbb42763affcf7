// OCPP 1.6 through the 2.0.1 calculation: 1.6 smart charging (section 3.13 of the 1.6 specification) has the same
// stacking and merging rules under other names. Connector ids stand for EVSE ids (connector 0: the whole Charge
// Point), ChargePointMaxProfile for ChargingStationMaxProfile, chargingProfileId for id, an integer transactionId,
// and one chargingSchedule per profile; the answer carries the schedule as a 1.6 ChargingSchedule.
import type * as v16 from '../../generated/v16/types.js';
import type * as v201 from '../../generated/v201/types.js';
import type { CompositeScheduleInput16, CompositeScheduleInput201 } from './types.js';

export function toV201(input: CompositeScheduleInput16): CompositeScheduleInput201 {
  const { connectors, ...station } = input.station;
  return {
    version: 'ocpp2.0.1',
    now: input.now,
    station: {
      ...station,
      evses: connectors.map((c) =>
        c.transaction
          ? {
              id: c.id,
              transaction: { transactionId: String(c.transaction.transactionId), startTime: c.transaction.startTime },
            }
          : { id: c.id },
      ),
    },
    profiles: input.profiles.map((p) => ({
      evseId: p.connectorId,
      chargingProfile: profileToV201(p.csChargingProfiles),
    })),
    request: {
      evseId: input.request.connectorId,
      duration: input.request.duration,
      ...(input.request.chargingRateUnit ? { chargingRateUnit: input.request.chargingRateUnit } : {}),
    },
  };
}

/** A 1.6 ChargingProfile as 2.0.1's, for checkChargingProfile and the composite (the 1.6 station uses it too). */
export function profileToV201(p: v16.ChargingProfile): v201.ChargingProfileType {
  const { chargingProfileId, transactionId, chargingProfilePurpose, chargingSchedule, ...same } = p;
  return {
    ...same,
    id: chargingProfileId,
    chargingProfilePurpose:
      chargingProfilePurpose === 'ChargePointMaxProfile' ? 'ChargingStationMaxProfile' : chargingProfilePurpose,
    ...(transactionId !== undefined ? { transactionId: String(transactionId) } : {}),
    chargingSchedule: [{ id: 1, ...chargingSchedule }],
  };
}

/** The 2.0.1 answer as a GetCompositeSchedule.conf: Rejected carries no reason in 1.6; phaseToUse does not exist. */
export function toV16Response(res: v201.GetCompositeScheduleResponse): v16.GetCompositeScheduleResponse {
  if (res.status !== 'Accepted' || !res.schedule) return { status: 'Rejected' };
  const s = res.schedule;
  return {
    status: 'Accepted',
    connectorId: s.evseId,
    scheduleStart: s.scheduleStart,
    chargingSchedule: {
      duration: s.duration,
      startSchedule: s.scheduleStart,
      chargingRateUnit: s.chargingRateUnit,
      chargingSchedulePeriod: s.chargingSchedulePeriod.map(({ startPeriod, limit, numberPhases }) => ({
        startPeriod,
        limit,
        ...(numberPhases !== undefined ? { numberPhases } : {}),
      })),
    },
  };
}
