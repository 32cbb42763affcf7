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
    station: {
      versions: ['ocpp1.6'],
      ...options.station,
      // Reconnect every second in tests (1.6 has no keys for it; these 2.x names set the client's back-off).
      variables: {
        'OCPPCommCtrlr.RetryBackOffWaitMinimum': 1,
        'OCPPCommCtrlr.RetryBackOffRandomRange': 0,
        'OCPPCommCtrlr.RetryBackOffRepeatTimes': 0,
        ...options.station?.variables,
      },
    },
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

/** Resolves once the station took in the CSMS's Accepted answer to its BootNotification. */
export async function accepted(pair: Pair): Promise<void> {
  const station = pair.station;
  const registered = new Promise<void>((resolve) => {
    const listener = (e: { status: string }) => {
      if (e.status !== 'Accepted') return;
      station.off('registration', listener);
      resolve();
    };
    station.on('registration', listener);
  });
  if (station.registration === 'Accepted') return;
  await registered;
}

/** Hardware callbacks that record what the station asked of the hardware. */
export function recordingHardware(unlocks = true) {
  const calls: string[] = [];
  return {
    calls,
    hardware: {
      startCharging: (evseId: number) => void calls.push(`start ${evseId}`),
      stopCharging: (evseId: number) => void calls.push(`stop ${evseId}`),
      unlockConnector: (evseId: number, connectorId: number) => {
        calls.push(`unlock ${evseId}/${connectorId}`);
        return unlocks;
      },
      reset: (kind: string) => void calls.push(`reset ${kind}`),
      setConnectorAvailability: (evseId: number, connectorId: number, operative: boolean) =>
        void calls.push(`${operative ? 'operative' : 'inoperative'} ${evseId}/${connectorId}`),
    },
  };
}

/** The idToken the firmware presents for a 1.6 idTag. */
export const tag = (idTag: string) => ({ idToken: idTag, type: 'ISO14443' as const });

/** Plug in, present the idTag, and wait for the StartTransaction and its answer; resolves with the CSMS's id. */
export async function charge(pair: Pair16, idTag = 'TAG1', evseId = 1): Promise<number> {
  const since = pair.csms.log.length - 1;
  pair.station.cablePlugged(evseId);
  pair.station.idTokenPresented(tag(idTag));
  const start = await pair.csms.waitFor(
    (m) => m.identity === pair.identity && m.action === 'StartTransaction' && (m.request as any).idTag === idTag,
    5000,
    since,
  );
  await settled(pair);
  return (start.response as any).transactionId;
}

/**
 * Resolves once the station has taken in every answer the CSMS sent so far: a CALL's answer comes back after the
 * station read the frames before it (one socket, in order).
 */
export async function settled(pair: Pair): Promise<void> {
  await pair.csms.call(pair.identity, 'GetConfiguration', { key: ['NumberOfConnectors'] });
}
