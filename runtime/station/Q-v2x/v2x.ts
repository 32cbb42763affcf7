// Q01/Q02 the energy transfer modes the CSMS allows (AuthorizeResponse, through block C's authorize.result, and
// NotifyAllowedEnergyTransfer) and Q08 AFRRSignal on the station. OCPP 2.1 only.
//
// The operation modes themselves live in the charging profiles, which are block K's: operation-modes.ts has the
// checks and settings K calls. What this use case needs of K is one query, `v2xPeriodsInForce` (declared below):
// the charging schedule period in force on each EVSE (K-smart-charging/state.ts, periodsInForce). Where no period
// is known an aFRR signal is refused, as Q08.FR.11 says for a station without a LocalFrequency period.
import type { ChargingSchedulePeriodType, EnergyTransferModeEnumType } from '../../../generated/v21/types.js';
import { byEventType, type UseCase } from '../core/types.js';
import { modeOf, signalWattDelta } from './operation-modes.js';

declare module '../core/registry.js' {
  interface StationQueries {
    /**
     * K (2.1): the charging schedule period in force on each EVSE whose profiles give an operationMode, with its
     * v2x curves as the composite schedule has them; undefined when there is none.
     */
    v2xPeriodsInForce(): Array<{ evseId: number; period: ChargingSchedulePeriodType }> | undefined;
  }
  interface HardwareOperations {
    /**
     * Q02.FR.06: the CSMS changed the energy transfer modes allowed for the transaction (e.g. V2X permitted after
     * the authorization): the ISO 15118 stack renegotiates the service with the EV.
     */
    allowEnergyTransfer(
      evseId: number,
      transactionId: string,
      allowedEnergyTransfer: EnergyTransferModeEnumType[],
    ): void | Promise<void>;
    /**
     * Q01.FR.01: the CSMS accepted the driver's authorization with the energy transfer modes it allows (from
     * AuthorizeResponse.allowedEnergyTransfer): the ISO 15118 stack offers the EV only these services. `evseId`:
     * where the driver authorized, when known. Not called when the CSMS gave none (Q01.FR.08: it decides later, with
     * NotifyAllowedEnergyTransfer).
     */
    authorizedEnergyTransfer(
      evseId: number | undefined,
      allowedEnergyTransfer: EnergyTransferModeEnumType[],
    ): void | Promise<void>;
    /**
     * Q08.FR.10: from `timestamp` on, add `power` W (per EVSE, from its v2xSignalWattCurve) to the setpoint the
     * LocalFrequency period gives.
     */
    applyAFRRSignal(signal: {
      timestamp: string;
      signal: number;
      evses: Array<{ evseId: number; power: number }>;
    }): void | Promise<void>;
  }
}

export const v2xUseCase: UseCase<object> = {
  name: 'v2x',
  versions: ['ocpp2.1'],
  init: () => ({}),

  on: byEventType<object>({
    // Q01.FR.01: block C passes on what the AuthorizeResponse allows; the 15118 stack offers the EV accordingly.
    'authorize.result': (state, e) =>
      e.allowedEnergyTransfer && e.idTokenInfo.status === 'Accepted'
        ? {
            state,
            effects: [
              {
                type: 'hardware',
                call: { op: 'authorizedEnergyTransfer', args: [e.evseId, [...e.allowedEnergyTransfer]] },
              },
            ],
          }
        : undefined,
  }),

  answers: {
    NotifyAllowedEnergyTransfer(_state, request, view) {
      const evseId = view.query.transactionEvse?.(request.transactionId);
      // Only a running transaction can change its energy transfer.
      if (evseId === undefined)
        return {
          response: {
            status: 'Rejected',
            statusInfo: { reasonCode: 'TxNotFound', additionalInfo: request.transactionId },
          },
        };
      // Q02.FR.06: Accepted, then the renegotiation with the EV.
      return {
        response: { status: 'Accepted' },
        after: [
          {
            type: 'hardware',
            call: {
              op: 'allowEnergyTransfer',
              args: [evseId, request.transactionId, [...request.allowedEnergyTransfer]],
            },
          },
        ],
      };
    },

    AFRRSignal(_state, request, view) {
      const periods = view.query.v2xPeriodsInForce?.() ?? [];
      const evses = periods.flatMap(({ evseId, period }) => {
        const curve = modeOf(period) === 'LocalFrequency' ? period.v2xSignalWattCurve : undefined;
        const power = curve && curve.length > 0 ? signalWattDelta(curve, request.signal) : undefined;
        return power === undefined ? [] : [{ evseId, power }];
      });
      // Q08.FR.11
      if (evses.length === 0)
        return { response: { status: 'Rejected', statusInfo: { reasonCode: 'NoSignalWattCurve' } } };
      // Q08.FR.10
      return {
        response: { status: 'Accepted' },
        after: [
          {
            type: 'hardware',
            call: { op: 'applyAFRRSignal', args: [{ timestamp: request.timestamp, signal: request.signal, evses }] },
          },
        ],
      };
    },
  },
};
