// The state of one EVSE as the transaction state machine sees it: the physical facts the firmware reported (EV
// connected, parking bay, energy flow), the authorization, and the running transaction. One such session per EVSE
// (E "at most one transaction can be active on an EVSE"); key 0 holds an authorization whose EVSE is not known
// yet (an idToken presented at a station-wide reader before any cable is plugged in, E01.FR.17).
import type {
  ChargingStateEnumType,
  IdTokenType,
  MeterValueType,
  ReasonEnumType,
} from '../../../generated/v201/types.js';
import type { EnergyFlow } from '../core/types.js';
import type { LimitKind, TransactionLimits } from './limits/limits.js';

export interface Authorization {
  idToken: IdTokenType;
  groupIdToken?: IdTokenType;
  /** How it came: the next TransactionEvent carries this triggerReason (E02.FR.01, F01.FR.19, F02.FR.21). */
  via: 'Authorized' | 'RemoteStart';
  /** The idToken is still to be reported, once, in the next TransactionEvent (E03.FR.01, E01.FR.10, F02.FR.05). */
  unreported: boolean;
  /** F02.FR.01, F01.FR.25: the remoteStartId goes into the next TransactionEvent. */
  remoteStartId?: number;
  /** The reservation this authorization ends (H03): reported with the idToken (E01.FR.13, H01.FR.15). */
  reservationId?: number;
  /** idTokenInfo.evseId: the EVSEs the idToken may be used at (C01.FR.21); undefined: any. */
  evses?: number[];
  /** 2.1 C18.FR.06: a limit the authorization brings (a payment terminal's reserved amount as maxCost). */
  limit?: TransactionLimits;
  /** K03: the idToken's chargingPriority (its IdTokenInfo, from the CSMS or the cache), when one was given. */
  chargingPriority?: number;
  at: number;
}

/** An authorization asked of block C (authorize.request) and not yet answered. */
export interface PendingAuthorization {
  ref: string;
  idToken: IdTokenType;
  /** `start`: to charge; `stop`: a different idToken that may share the GroupIdToken of the running one (E07.FR.01b). */
  purpose: 'start' | 'stop';
  remoteStartId?: number;
}

export interface Transaction {
  /** Unique per station, ≤ 36 characters (E01.FR.08). */
  id: string;
  startedAt: number;
  /** What of `evse` the CSMS has been told: nothing, the EVSE, or the EVSE and connector (E01.FR.16). */
  evseReported: 'none' | 'evse' | 'connector';
  /** E01.FR.17: the Transaction.Begin meter values wait for the EVSE to be known. */
  beginReported: boolean;
  /** The chargingState last reported (E02.FR.13: report it whenever it changes). */
  chargingState: ChargingStateEnumType;
  /** How the authorization ended, for the stoppedReason of the Ended event (Local, Remote, DeAuthorized, …). */
  stopReason?: ReasonEnumType;
  /** Samples for the Ended event: TxEndedMeasurands / AlignedDataCtrlr.TxEndedMeasurands (E06.FR.11). */
  ended: MeterValueType[];
  /** How the Ended samples are thinned (keepEndedSamples): every endedStride-th of endedOffered is kept. */
  endedStride?: number;
  endedOffered?: number;
  /** Energy register at the start, Wh (E05.FR.03 MaxEnergyOnInvalidId). */
  startWh?: number;
  /** The CSMS did not accept the idToken but energy may still flow up to MaxEnergyOnInvalidId (E05.FR.03). */
  invalidIdWatch?: boolean;
  /** The idToken that first authorized this transaction, once reported (C01.FR.23: no other may re-authorize it). */
  authorizedBy?: IdTokenType;
  /** When the station last knew this transaction to be running (E17.FR.02). */
  lastSeen: number;
  /** 2.1: the tariff block I bound to the transaction, not reported yet (I07.FR.32, I08.FR.22, I11.FR.07). */
  unreportedTariffId?: string;
  /** 2.1 B13.FR.23: a Reset ImmediateAndResume: resumed after the reboot however long it took. */
  resumeAfterReset?: boolean;
  /** 2.1 B13.FR.20/22: its cable was unlocked for the reset: lock it again after the reboot, before energy. */
  relockAfterReset?: boolean;
  /** 2.1 E16: the limits in force (limits/limit-steps.ts). */
  limit?: TransactionLimits;
  /** E16.FR.04: the limits the CSMS set, which the station's own may not exceed. */
  csmsLimit?: TransactionLimits;
  /** E16.FR.01/03: the limits to report once in the next TransactionEvent. */
  unreportedLimit?: TransactionLimits;
  /** E16.FR.05: energy transfer is suspended because this limit was reached. */
  limitReached?: LimitKind;
  /** E16.FR.15: the running cost the CSMS last reported (TransactionEventResponse, CostUpdated). */
  centralCost?: number;
  /**
   * K03.FR.05: the chargingPriority a TransactionEventResponse gave this transaction; it overrides the idToken's, for
   * this transaction only (it is kept here, never in the authorization cache).
   */
  chargingPriority?: number;
}

export interface EvseSession {
  /** The connector a cable is plugged into, if any. */
  connectorId?: number;
  /** The EV is connected (cable plugged on both sides). */
  evConnected: boolean;
  parked: boolean;
  /** The energy flow the hardware reports while the EV is connected. */
  flow?: EnergyFlow;
  /** A signed meter reading arrived since the EV connected (TxStartPoint DataSigned, E01.FR.04). */
  signed: boolean;
  auth?: Authorization;
  pending?: PendingAuthorization;
  /** The station stopped offering energy (E05.FR.02: the CSMS did not accept the idToken). */
  suspendedByStation: boolean;
  /** The cable stays locked until this idToken is presented again (E05.FR.11, E09.FR.03). */
  lockedFor?: IdTokenType;
  tx?: Transaction;
  /** 2.1 E16.FR.01: a limit the driver set before the transaction started, set once it starts. */
  nextLimit?: TransactionLimits;
}

export interface TransactionsState {
  sessions: Record<number, EvseSession>;
  /** For authorize.request refs; part of the state so that refs stay unique without a random source. */
  counter: number;
}

export const emptySession = (): EvseSession => ({
  evConnected: false,
  parked: false,
  signed: false,
  suspendedByStation: false,
});

/**
 * The chargingState as OCPP reports it (ChargingStateEnumType), derived from the facts: no EV is Idle; an EV
 * without authorization is EVConnected; the station withholding energy is SuspendedEVSE; otherwise what the
 * hardware reports (EVConnected until it reports anything).
 */
export function chargingState(s: EvseSession): ChargingStateEnumType {
  if (!s.evConnected) return 'Idle';
  if (!s.auth) return 'EVConnected';
  if (s.suspendedByStation) return 'SuspendedEVSE';
  return s.flow ?? 'EVConnected';
}

export const sameToken = (a: IdTokenType | undefined, b: IdTokenType | undefined): boolean =>
  a !== undefined && b !== undefined && a.idToken === b.idToken && a.type === b.type;

/**
 * K03.FR.05/.06: the chargingPriority of the session's transaction: the TransactionEventResponse's, else its idToken's
 * (IdTokenInfo), else 0 (none known).
 */
export const chargingPriority = (s: EvseSession): number => s.tx?.chargingPriority ?? s.auth?.chargingPriority ?? 0;

/** An EVSE session with a transaction. */
export type Running = EvseSession & { tx: Transaction };
export const isRunning = (s: EvseSession | undefined): s is Running => s?.tx !== undefined;

/** The session, known to have a transaction here (a step that was just given a running one). */
export function asRunning(s: EvseSession): Running {
  if (!isRunning(s)) throw new Error('no transaction runs on this EVSE');
  return s;
}

/** The session with the transaction `id`, if it runs. */
export function sessionWithTransaction(state: TransactionsState, id: string): [number, EvseSession] | undefined {
  for (const [key, s] of Object.entries(state.sessions)) if (s.tx?.id === id) return [Number(key), s];
  return undefined;
}

/** Whether a transaction runs on the EVSE (0: anywhere, including one whose EVSE is not known yet). */
export function transactionRunning(state: TransactionsState, evseId: number): boolean {
  if (evseId === 0) return Object.values(state.sessions).some((s) => s.tx);
  return state.sessions[evseId]?.tx !== undefined;
}
