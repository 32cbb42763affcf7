// The TxCtrlr and AuthCtrlr settings the transaction state machine follows, read from the device
// model at the moment they matter (a SetVariables applies to the next decision). Where the integrator set no
// value, ocppkit's defaults apply; they are documented in docs/integration.md ("Transactions").
import type { StationView } from '../core/types.js';

/** TxStartPoint / TxStopPoint values (TxStartStopPointEnumType of the appendix). */
export type TxPoint =
  'ParkingBayOccupancy' | 'EVConnected' | 'Authorized' | 'DataSigned' | 'PowerPathClosed' | 'EnergyTransfer';

const POINTS: readonly TxPoint[] = [
  'ParkingBayOccupancy',
  'EVConnected',
  'Authorized',
  'DataSigned',
  'PowerPathClosed',
  'EnergyTransfer',
];

/** The 1.6-compatible settings of E "OCPP 1.6 Transaction compatibility" (Table 95). */
export const DEFAULT_TX_START_POINT = 'PowerPathClosed';
export const DEFAULT_TX_STOP_POINT = 'EVConnected,Authorized';
export const DEFAULT_EV_CONNECTION_TIMEOUT_S = 60;

export interface TxConfig {
  start: ReadonlySet<TxPoint>;
  stop: ReadonlySet<TxPoint>;
  /** TxCtrlr.EVConnectionTimeOut, s (E03.FR.05). 0: no timeout. */
  evConnectionTimeoutS: number;
  stopTxOnInvalidId: boolean;
  /** TxCtrlr.MaxEnergyOnInvalidId, Wh (E05.FR.03); undefined: not set. */
  maxEnergyOnInvalidId: number | undefined;
  stopTxOnEVSideDisconnect: boolean;
  unlockOnEVSideDisconnect: boolean;
  authorizeRemoteStart: boolean;
  txBeforeAcceptedEnabled: boolean;
}

function points(view: StationView, variable: 'TxStartPoint' | 'TxStopPoint', fallback: string): Set<TxPoint> {
  const raw = view.variables.string('TxCtrlr', variable) ?? fallback;
  return new Set(
    raw
      .split(',')
      .map((p) => p.trim())
      .filter((p): p is TxPoint => (POINTS as readonly string[]).includes(p)),
  );
}

export function txConfig(view: StationView): TxConfig {
  const v = view.variables;
  return {
    start: points(view, 'TxStartPoint', DEFAULT_TX_START_POINT),
    stop: points(view, 'TxStopPoint', DEFAULT_TX_STOP_POINT),
    evConnectionTimeoutS: Math.max(0, v.int('TxCtrlr', 'EVConnectionTimeOut') ?? DEFAULT_EV_CONNECTION_TIMEOUT_S),
    stopTxOnInvalidId: v.bool('TxCtrlr', 'StopTxOnInvalidId') ?? true,
    maxEnergyOnInvalidId: v.int('TxCtrlr', 'MaxEnergyOnInvalidId'),
    stopTxOnEVSideDisconnect: v.bool('TxCtrlr', 'StopTxOnEVSideDisconnect') ?? true,
    unlockOnEVSideDisconnect: v.bool('OCPPCommCtrlr', 'UnlockOnEVSideDisconnect') ?? true,
    authorizeRemoteStart: v.bool('AuthCtrlr', 'AuthorizeRemoteStart') ?? false,
    txBeforeAcceptedEnabled: v.bool('TxCtrlr', 'TxBeforeAcceptedEnabled') ?? false,
  };
}
