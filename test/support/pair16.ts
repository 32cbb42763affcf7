// A 1.6 station (ChargingStation with versions ['ocpp1.6']) and the built-in CSMS serving ocpp1.6 on 127.0.0.1,
// with a real SQLite file: startPair with the 1.6 defaults, plus helpers for the OCTT 1.6 test cases.
import type { SimpleCsmsOptions } from '../../runtime/csms/simple-csms.js';
import type { ChargingStationOptions } from '../../runtime/station/options.js';
import { startPair, type Pair } from './station-harness.js';

export type Pair16 = Pair & {
  /** A CSMS-initiated CALL to the station; resolves with its answer. */
  call(action: string, payload: unknown): Promise<any>;
  /** Waits until the station reports this status on the connector (the next StatusNotification with it). */
  status(connectorId: number, status: string, timeoutMs?: number): Promise<void>;
};

export async function startPair16(
  options: { csms?: SimpleCsmsOptions; station?: Partial<ChargingStationOptions>; start?: boolean } = {},
): Promise<Pair16> {
  const pair = await startPair({
    ...options,
    csms: { versions: ['ocpp1.6'], ...options.csms },
    station: { versions: ['ocpp1.6'], ...options.station },
  });
  const extra = {
    call: (action: string, payload: unknown) => pair.csms.call(pair.identity, action, payload),
    status: async (connectorId: number, status: string, timeoutMs = 5000) => {
      await pair.waitFor(
        'StatusNotification',
        (m) => (m.request as any).connectorId === connectorId && (m.request as any).status === status,
        timeoutMs,
      );
    },
  };
  return Object.assign(pair, extra);
}

/** Resolves once the station's BootNotification was accepted. */
export function accepted(pair: Pair): Promise<unknown> {
  return pair.waitFor('BootNotification', (m) => (m.response as any)?.status === 'Accepted');
}
