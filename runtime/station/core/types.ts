// The shape of the station runtime: use cases are pure `(state, event, view) → { state, effects }` and answer CSMS
// requests as `(state, request, view) → { state, response, after }`; the shell (shell.ts) performs the effects —
// CALLs, timers, hardware callbacks, persistence — so that flows are tested by feeding events and reading effects.
//
// Everything is typed by a protocol family F (family.ts): the 2.x blocks use Family2x (the default), a 1.6 station
// Family16. What blocks add — their own events, the queries they answer, the hardware they call — they declare
// in their own folder (registry.ts).
import type {
  AuthorizeCertificateStatusEnumType,
  BootReasonEnumType,
  ChargingProfileType,
  ConnectorStatusEnumType,
  FirmwareStatusEnumType,
  IdTokenInfoType,
  IdTokenType,
  LocationEnumType,
  MeasurandEnumType,
  PhaseEnumType,
  ReasonEnumType,
  RegistrationStatusEnumType,
  SignedMeterValueType,
  UploadLogStatusEnumType,
} from '../../../generated/v201/types.js';
import type {
  ChargingProfileType as ChargingProfileType21,
  EnergyTransferModeEnumType,
} from '../../../generated/v21/types.js';
import type { SendResult } from '../../queue/dispatcher.js';
import type { TransferOutcome, TransferRequest } from '../../transfer/types.js';
import type { Store } from '../../store/types.js';
import type { DmAddress, DmComponent, DmKey, VariableOf } from '../device-model/keys.js';
import type {
  Family2x,
  InAction,
  InRequestOf,
  InResponseOf,
  OutAction,
  OutRequestOf,
  OutResponseOf,
  SendsAction,
  StationFamily,
} from './family.js';
import type { HardwareCall, OwnEvent, StationQueries } from './registry.js';
import type { CommittedWrite } from '../device-model/model.js';
import type { DeviceModel } from '../device-model/index.js';

export type { Family16, Family2x, StationFamily } from './family.js';
export type { HardwareCall, HardwareOperations, OwnEvents, StationQueries } from './registry.js';

export type Version2x = Family2x['version'];

// ---------------------------------------------------------------------------------------------------------------
// Layout

// The same layout types as the device model's: EVSEs numbered from 1 (with maxPower), connectors from 1 per EVSE
// (with their ConnectorEnumType).
export type { ConnectorLayout, EvseLayout } from '../device-model/types.js';
import type { EvseLayout } from '../device-model/types.js';

/** `"<evseId>/<connectorId>"`: how per-connector state is keyed. */
export type ConnectorKey = `${number}/${number}`;
export const connectorKey = (evseId: number, connectorId: number): ConnectorKey => `${evseId}/${connectorId}`;

// ---------------------------------------------------------------------------------------------------------------
// Events: what happens to the station (firmware, connection, answers, timers, other use cases)

/** What the firmware reports (the hardware side of the integration API). */
export type FirmwareEvent =
  | { type: 'cablePlugged'; evseId: number; connectorId: number }
  | { type: 'cableUnplugged'; evseId: number; connectorId: number }
  | { type: 'connectorFaulted'; evseId: number; connectorId: number }
  | { type: 'connectorRecovered'; evseId: number; connectorId: number }
  /** G05: the connector's plug retention lock failed to lock (cleared when the cable is unplugged). */
  | { type: 'connectorLockFailed'; evseId: number; connectorId: number }
  | { type: 'idTokenPresented'; idToken: IdTokenType; evseId?: number }
  /** The EV side of the cable was disconnected while the cable stays in the connector (E09, E10). */
  | { type: 'evDisconnected'; evseId: number }
  /** A parking bay detector of the EVSE detects an EV, or no longer does (TxStart/StopPoint ParkingBayOccupancy). */
  | { type: 'parkingBay'; evseId: number; occupied: boolean }
  /** The energy flow as the hardware sees it: flowing, refused by the EV, or not offered by the station. */
  | { type: 'energyFlow'; evseId: number; state: EnergyFlow }
  /** Fresh readings of the EVSE's meter (0: the main meter). */
  | { type: 'meterValues'; evseId: number; readings: MeterReading[] };

export type EnergyFlow = 'Charging' | 'SuspendedEV' | 'SuspendedEVSE';

/** One reading of a meter, as the integrator's meter gives it (a SampledValue without the context). */
export interface MeterReading {
  /** Default `Energy.Active.Import.Register`. */
  measurand?: MeasurandEnumType;
  value: number;
  phase?: PhaseEnumType;
  location?: LocationEnumType;
  /** Unit (e.g. `Wh`, `kWh`, `W`, `A`, `V`, `Percent`) and power-of-ten multiplier, as in UnitOfMeasureType. */
  unit?: string;
  multiplier?: number;
  /** Signed data of this reading (SampledDataCtrlr/AlignedDataCtrlr.SignReadings; TxStartPoint DataSigned). */
  signedMeterValue?: SignedMeterValueType;
}

/** The outcome of a `send` effect that carried a tag; `result.response` is the action's response when sent. */
export type ReplyEvent<F extends StationFamily = Family2x> = {
  [K in OutAction<F>]: { type: 'reply'; tag: string; action: K; result: SendResult<OutResponseOf<F, K>> };
}[OutAction<F>];

/** A queued (transaction) message was answered: the queue deleted it. */
export type QueueSentEvent<F extends StationFamily = Family2x> = {
  [K in OutAction<F>]: {
    type: 'queueSent';
    action: K;
    payload: OutRequestOf<F, K>;
    response: OutResponseOf<F, K>;
    /** 1.6: the station's id of the transaction the message belonged to (the `transaction` it was sent with). */
    transaction?: string;
  };
}[OutAction<F>];

export type StationEvent<F extends StationFamily = Family2x> =
  /**
   * The station object started (power-up, or after a reset): why, for BootNotification.reason. `plugged`: the
   * connectors with a cable in them now, where the integrator says so (`hardware.pluggedConnectors`); E17.FR.16/17
   * resume a transaction whose EV left during the interruption as Idle.
   */
  | { type: 'started'; reason: BootReasonEnumType; plugged?: ReadonlyArray<{ evseId: number; connectorId: number }> }
  /** `slot`: the NetworkConnectionProfile slot connected through (B09/B10); a different slot is another CSMS. */
  | { type: 'connected'; version: F['version']; slot?: number }
  | { type: 'disconnected' }
  | ReplyEvent<F>
  | QueueSentEvent<F>
  /** The outcome of a `hardware` effect that carried a tag. */
  | { type: 'hardwareDone'; tag: string; result: unknown }
  | { type: 'hardwareFailed'; tag: string; error: Error }
  /** The outcome of a `transfer` effect (not raised for a transfer canceled with `cancelTransfer`). */
  | { type: 'transferDone'; tag: string; outcome: TransferOutcome }
  /** A CSMS-initiated TriggerMessage was accepted (F06): the use case owning the message sends it. */
  | { type: 'triggered'; requestedMessage: string; evse?: { id: number; connectorId?: number } }
  | BlockEvent
  /** Raised by a block for itself (declared in its folder: registry.ts OwnEvents). */
  | OwnEvent
  | FirmwareEvent;

/**
 * The events by which the functional blocks work together. Each names who raises it and who acts on it; a block
 * never reaches into another's state except through StationView.
 */
export type BlockEvent =
  /**
   * E, F, H → C: authorize this idToken (C01–C06, C09, C12–C16); answered by `authorize.result` with the same ref.
   * `evseId`: where the token is to be used, when known (reservations, idTokenInfo.evseId are checked for it).
   * `stopping`: the token is presented to end the authorization of the transaction on `evseId`; give the idToken
   * that authorized the transaction and its groupIdToken when known (C01.FR.03, C09.FR.03–07/11). Without it the
   * request is for starting (or authorizing) a transaction.
   */
  | {
      type: 'authorize.request';
      ref: string;
      idToken: IdTokenType;
      evseId?: number;
      stopping?: { idToken: IdTokenType; groupIdToken?: IdTokenType };
    }
  /**
   * C → the requester: the verdict, and where it came from (CSMS, cache, local list, offline rules). Go ahead if and
   * only if `idTokenInfo.status` is `Accepted`: when C refuses a token whose own status is Accepted (`refusal` says
   * why) the status is `NotAtThisTime` (`NotAllowedTypeEVSE` for `evseNotAllowed`); the other fields are the token's.
   * `reservationId`: the token uses this reservation (H03) — E sends it as TransactionEventRequest.reservationId in
   * the TransactionEvent that follows the authorization (H01.FR.15, E01.FR.13) and in `transaction.started`.
   * `allowedEnergyTransfer` (2.1, Q01.FR.01): the energy transfer modes the CSMS's AuthorizeResponse allows this
   * driver (V2X among them or not), on an accepted authorization; absent when the CSMS gave none (Q01.FR.08).
   */
  | {
      type: 'authorize.result';
      ref: string;
      idToken: IdTokenType;
      evseId?: number;
      idTokenInfo: IdTokenInfoType;
      source: AuthorizationSource;
      refusal?: AuthorizationRefusal;
      reservationId?: number;
      allowedEnergyTransfer?: EnergyTransferModeEnumType[];
    }
  /**
   * E → all: a transaction started (TransactionEvent Started was created). `reservationId`: the reservation it
   * ends (from `authorize.result` or `view.reservationCheck`), so that H forgets it (H03.FR.09).
   */
  | {
      type: 'transaction.started';
      evseId: number;
      connectorId?: number;
      transactionId: string;
      idToken?: IdTokenType;
      remoteStartId?: number;
      reservationId?: number;
    }
  /**
   * E → all: the chargingPriority of a running transaction changed (K03.FR.05: a TransactionEventResponse's, or the
   * IdTokenInfo of its idToken); the one it starts with is `evseActivity(evseId).chargingPriority`.
   */
  | { type: 'transaction.priority'; evseId: number; transactionId: string; chargingPriority: number }
  /** E → all: a transaction ended (TransactionEvent Ended was created). */
  | { type: 'transaction.ended'; evseId: number; transactionId: string; stoppedReason: ReasonEnumType }
  /**
   * B, C, F, G, the firmware → E: end the transactions on an EVSE (0: all), e.g. Immediate reset (B12.FR.04), a
   * master pass (C16.FR.02: reason MasterPass, with the `idToken` that stopped them, sent with triggerReason
   * StopAuthorized). With reason `Remote` (F03) or `Local` only the authorization ends; the transaction then ends if
   * TxStopPoint says so.
   */
  | { type: 'transactions.stop'; evseId: number; reason: ReasonEnumType; transactionId?: string; idToken?: IdTokenType }
  /**
   * F → E, K: a RequestStartTransaction was accepted for this EVSE (F01, F02); E authorizes (or not) and starts.
   * `chargingProfile`: the TxProfile it carried, checked by K (F01.FR.26); K installs it for the transaction that
   * starts (or runs) with this remoteStartId (F01.FR.10, F02.FR.18).
   */
  | {
      type: 'remote.start';
      evseId: number;
      idToken: IdTokenType;
      groupIdToken?: IdTokenType;
      remoteStartId: number;
      chargingProfile?: RemoteStartProfile;
    }
  /**
   * K → E: the limit in force on the EVSE changed by more than SmartChargingCtrlr.LimitChangeSignificance while a
   * transaction runs there; E sends a TransactionEvent Updated with triggerReason ChargingRateChanged (K11.FR.04,
   * K13.FR.03).
   */
  | { type: 'chargingRate.changed'; evseId: number }
  /**
   * K → E (2.1): a schedule period with another operationMode began on the EVSE while a transaction runs there; E
   * sends a TransactionEvent Updated with triggerReason OperationModeChanged and the new mode (K01.FR.110).
   */
  | { type: 'operationMode.changed'; evseId: number; operationMode: string }
  /** J → E, J: a clock-aligned sampling moment (AlignedDataCtrlr.Interval) has come; `at` is its aligned time. */
  | { type: 'meter.clock'; at: number }
  /** J → E: a clock-aligned moment of AlignedDataCtrlr.TxEndedInterval; E keeps a sample for the Ended event. */
  | { type: 'meter.clockTxEnded'; at: number }
  /** The device model changed (SetVariables, or the runtime): use cases that read these variables react. */
  | {
      type: 'variables.changed';
      /** Variables ocppkit knows by name (the catalogues and its vendor variables): compared with typed names. */
      changes: Array<DmAddress & VariableScope>;
      /** The others: variables only the integrator's configuration names. */
      unlisted?: Array<{ component: string; variable: string } & VariableScope>;
    }
  /**
   * The firmware update (L, `L-firmware/`) / log upload (N01, `N-diagnostics/get-log.ts`) → F: send a
   * FirmwareStatusNotification / LogStatusNotification with this status; F keeps the last one for TriggerMessage
   * (F06.FR.14–16, L01.FR.25/26). `tag`: the notification's outcome comes back as a `reply` with it (e.g. to
   * reboot only once InstallRebooting is out).
   */
  | { type: 'firmware.status'; status: FirmwareStatusEnumType; requestId?: number; tag?: string }
  | { type: 'log.status'; status: UploadLogStatusEnumType; requestId?: number; tag?: string };

/** The chargingProfile of a RequestStartTransaction, of either version. */
export type RemoteStartProfile = ChargingProfileType | ChargingProfileType21;

/** A block event by its type. */
export type BlockEventOf<T extends BlockEvent['type']> = Extract<BlockEvent, { type: T }>;

/**
 * Where a verdict came from: the CSMS (AuthorizeResponse; also Central tokens the CSMS issued, C03.FR.01), the
 * authorization cache, the local list, the offline rules (C15 unknown id, or refused offline), a master pass (C16),
 * or the station's own configuration without looking at token data (AuthCtrlr.Enabled false, NoAuthorization tokens,
 * the token that started the transaction ending it, DisableRemoteAuthorization for an unknown token).
 */
export type AuthorizationSource = 'csms' | 'cache' | 'localList' | 'offline' | 'masterPass' | 'station';

/**
 * Why C refused a token that is valid in itself: the EVSE is reserved for another token (H03, F01.FR.22), the token
 * is a master pass (C12.FR.09, C16.FR.03), the EVSE is not in idTokenInfo.evseId (C01.FR.21), the token may not end
 * this transaction (C09.FR.03: another group), or the station is offline and may not use local data (C13).
 */
export type AuthorizationRefusal = 'reserved' | 'masterPass' | 'evseNotAllowed' | 'notOwner' | 'offline';

/** What `StationView.reservationCheck` says about an EVSE for a token (use case H answers it). */
export type ReservationCheck =
  /** No reservation holds the EVSE (or no use case keeps reservations). */
  | { verdict: 'free' }
  /** The EVSE is held for another token: refuse this one (H03, F01.FR.22, F02.FR.23/24). */
  | { verdict: 'reserved'; reservationId: number }
  /** The token (or its groupIdToken) holds a reservation usable here: send reservationId (H01.FR.15). */
  | { verdict: 'mine'; reservationId: number };

// ---------------------------------------------------------------------------------------------------------------
// Effects: what a use case asks the shell to do

type SendEffectOf<F extends StationFamily, K extends OutAction<F>> = {
  type: 'send';
  action: K;
  payload: OutRequestOf<F, K>;
  /** When set, the outcome comes back as a `reply` event with this tag. */
  tag?: string;
  /**
   * `direct`: straight to the connection, bypassing the offline policy: BootNotification, and what a CSMS asked for
   * with TriggerMessage/GetBaseReport/GetReport while the station is Pending (B02.FR.02). Fails as `disconnected`
   * when there is no connection. Otherwise the message goes through the outgoing dispatcher (queue, offline policy).
   */
  direct?: boolean;
  /**
   * Queue it durably while offline instead of dropping it (the dispatcher's `queue` option): a NotifyEvent of a
   * monitor within MonitoringCtrlr.OfflineQueuingSeverity (N07.FR.04, N08.FR.03). Not with `direct`.
   */
  queue?: boolean;
  /**
   * 1.6: the station's own id of the transaction a StartTransaction, StopTransaction or MeterValues belongs to. The
   * durable queue maps it to the CSMS's transactionId from StartTransaction.conf and puts that id into every later
   * message of the transaction (1.6 §3.7).
   */
  transaction?: string;
};
export type SendEffect<F extends StationFamily = Family2x> = { [K in OutAction<F>]: SendEffectOf<F, K> }[OutAction<F>];

/** A SEND message (2.1): written to the connection if there is one, else dropped; never answered or queued. */
export type SendMessageEffect<F extends StationFamily = Family2x> = {
  [K in SendsAction<F>]: { type: 'sendMessage'; action: K; payload: F['sends'][K]['request'] };
}[SendsAction<F>];

export type Effect<F extends StationFamily = Family2x> =
  | SendEffect<F>
  | SendMessageEffect<F>
  | { type: 'timer'; id: string; ms: number; event: StationEvent<F> }
  | { type: 'cancelTimer'; id: string }
  | { type: 'hardware'; call: HardwareCall; tag?: string }
  /**
   * A file transfer (download or upload, runtime/transfer/) performed by the shell outside the use case; its outcome
   * comes back as `transferDone` with this tag. A new transfer with the same tag cancels the running one.
   */
  | { type: 'transfer'; tag: string; request: TransferRequest }
  /** Stops the transfer with this tag; no `transferDone` follows. */
  | { type: 'cancelTransfer'; tag: string }
  | { type: 'emit'; event: PublicEvent }
  /** Another event, handled after the current one by every use case. */
  | { type: 'dispatch'; event: StationEvent<F> }
  /** The dispatcher's connectivity: online once BootNotification is Accepted (B01.FR.08). */
  | { type: 'setOnline'; online: boolean; afterBoot?: boolean }
  /** Set the station clock to the CSMS's time (B01.FR.06, G02.FR.06). */
  | { type: 'syncClock'; currentTime: string }
  /** Keep this use case's state across restarts (`save` of the use case is applied to it). */
  | { type: 'persist' }
  /**
   * Writes to the document store, all in one store transaction: data a use case keeps outside its state because it
   * is too large to rewrite whole with `persist` (the authorization cache, the local authorization list).
   */
  | { type: 'storeWrite'; ops: StoreOp[] }
  /** Put CSMS writes into effect whose store rows an answer committed (B05 SetVariables; the listeners hear them). */
  | { type: 'applyVariables'; writes: readonly CommittedWrite[] }
  /** Write a device-model variable the runtime owns (e.g. AvailabilityState). */
  | ({ type: 'setVariable'; value: string; evseId?: number; connectorId?: number; instance?: string } & DmAddress)
  /** Restart the station after a reset: close the connection, then start again with this boot reason. */
  | { type: 'restart'; reason: BootReasonEnumType }
  /**
   * Close the connection and connect again with the current credentials (A01: a new BasicAuthPassword). Performed
   * once the CALLRESULT being written, if any, is out; no BootNotification follows (B04: same CSMS, still Accepted).
   */
  | { type: 'reconnect'; why: string }
  /**
   * Work that is neither pure nor hardware and takes time: key generation and a CSR (A02.FR.02/03). The shell runs
   * it and dispatches the event it resolves to; a rejection is a fault (logged), so `run` reports its own failures
   * as an event.
   */
  | { type: 'task'; name: string; run: () => Promise<StationEvent<F> | undefined> };

export type StoreOp =
  | { op: 'put'; namespace: string; key: string; value: unknown }
  | { op: 'delete'; namespace: string; key: string }
  /** Every entry of the namespace (whose key starts with `prefix`). */
  | { op: 'clear'; namespace: string; prefix?: string };

/** Events the integrator can listen to (`station.on(...)`). */
export type PublicEvent =
  | { type: 'registration'; status: RegistrationStatusEnumType; interval: number }
  | { type: 'connectorStatus'; evseId: number; connectorId: number; status: ConnectorStatusEnumType }
  | { type: 'reset'; kind: 'Immediate' | 'OnIdle'; evseId?: number }
  | { type: 'transactionStarted'; evseId: number; connectorId?: number; transactionId: string }
  | { type: 'transactionEnded'; evseId: number; transactionId: string; stoppedReason: ReasonEnumType }
  /**
   * A verdict on a presented idToken, for the station's display (personalMessage, language1/2: C01.FR.08/09).
   * KeyCode tokens are masked (C04.FR.04).
   */
  | {
      type: 'authorization';
      idToken: IdTokenType;
      evseId?: number;
      idTokenInfo: IdTokenInfoType;
      source: AuthorizationSource;
      refusal?: AuthorizationRefusal;
      /** C07: an ISO 15118 contract's certificate status, for the ISO 15118 stack's answer to the EV. */
      certificateStatus?: AuthorizeCertificateStatusEnumType;
    }
  /** A SetNetworkProfile stored a connection profile in a slot (B09); it is used from the next start (B10.FR.04). */
  | { type: 'networkProfile'; slot: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

// ---------------------------------------------------------------------------------------------------------------
// Use cases

/** Read-only context every use case sees. */
export interface StationView<F extends StationFamily = Family2x> {
  readonly identity: string;
  readonly evses: readonly EvseLayout[];
  /**
   * The version negotiated on the current connection, or while disconnected on the last one of this start (what a
   * message queued meanwhile is sent in once it comes back, unless the CSMS then picks another); undefined only
   * before the first connection of a start. `connected` says whether a connection is open.
   */
  readonly version: F['version'] | undefined;
  readonly connected: boolean;
  /** The station clock (synchronised with the CSMS), ms since the epoch. */
  now(): number;
  /** Device-model values the runtime reads (ocppkit defaults apply where the integrator set none). */
  readonly variables: VariableReader;
  /**
   * What the other blocks answer about their state (registry.ts StationQueries); a query is undefined when no
   * running block provides it.
   */
  readonly query: Partial<StationQueries>;
  /** The latest readings of the EVSE's meter (0: the main meter); empty without a meter. */
  meter(evseId: number): readonly MeterReading[];
  /** Whether TransactionEvents wait in the queue: of one transaction, or any (E14 messagesInQueue). */
  queued(transactionId?: string): boolean;
  /**
   * For the device model's SetVariables: whether the use cases that depend on the variable accept `value` (their
   * `validates`); undefined when they do, else the reasonCode of the Rejected result (B10.FR.02).
   */
  validateVariable(component: string, variable: string, value: string): string | undefined;
  readonly store: Store;
  /**
   * The station this view belongs to, for a use case that every station of a process shares (blocks.ts builds a
   * block's use case once where it can, issue 18) instead of one closing over its station: its device model, what
   * TriggerMessage may ask for. Undefined where a test drives use cases without a station.
   */
  readonly station?: StationContext;
}

/** What a shared use case reads of its own station through `StationView.station` (blocks.ts gives it). */
export interface StationContext {
  /** The device model of the version in use. */
  deviceModel(): DeviceModel;
  /** The messages the registered use cases can send on TriggerMessage, and whether they can now (F06). */
  triggerable(): ReadonlySet<string>;
  canTrigger(requestedMessage: string, evse: { id: number; connectorId?: number } | undefined): boolean;
}

/** Reads by the generated component and variable names (device-model/keys.ts): a misspelt name does not compile. */
export interface VariableReader {
  int<C extends DmComponent>(component: C, variable: VariableOf<C>, scope?: VariableScope): number | undefined;
  bool<C extends DmComponent>(component: C, variable: VariableOf<C>, scope?: VariableScope): boolean | undefined;
  string<C extends DmComponent>(component: C, variable: VariableOf<C>, scope?: VariableScope): string | undefined;
}
export interface VariableScope {
  evseId?: number;
  connectorId?: number;
  instance?: string;
}

export interface Step<S, F extends StationFamily = Family2x> {
  state: S;
  effects?: Effect<F>[];
}

export interface Answer<S, R, F extends StationFamily = Family2x> {
  /** The new state (unchanged when omitted). */
  state?: S;
  response: R;
  /**
   * Store writes the response vouches for (the local list of SendLocalList, the emptied cache of ClearCache):
   * written, together with the state when `persistOrAnswer` is given, in one store transaction before the response
   * goes out. If that fails, the old state stays and `persistOrAnswer` is answered (without it: a CALLERROR).
   */
  commit?: StoreOp[];
  /** Performed once the CALLRESULT has been sent (on/after: the answer comes first, the action after). */
  after?: Effect<F>[];
  /**
   * Keep the new state (`save`) before the response goes out. If the store fails, the old state stays, no
   * after-effects run and this response is sent instead (e.g. SetNetworkProfile Failed, B09.FR.03).
   */
  persistOrAnswer?: R;
}

/**
 * An answer that depends on the hardware (F05 UnlockConnector: Unlocked or UnlockFailed): the shell performs
 * `call` first and answers with `respond(outcome)`. The use case stays pure; only the shell waits.
 */
export interface HardwareAnswer<S, R, F extends StationFamily = Family2x> {
  state?: S;
  askHardware: { call: HardwareCall; respond(outcome: { ok: true; result: unknown } | { ok: false; error: Error }): R };
  after?: Effect<F>[];
  /** As Answer.commit: written before the hardware is asked. */
  commit?: StoreOp[];
}

export type Answerer<S, F extends StationFamily, K extends InAction<F>> = (
  state: S,
  request: InRequestOf<F, K>,
  view: StationView<F>,
) => Answer<S, InResponseOf<F, K>, F> | HardwareAnswer<S, InResponseOf<F, K>, F>;

export type Answerers<S, F extends StationFamily = Family2x> = { [K in InAction<F>]?: Answerer<S, F, K> };

/** How a block answers the queries it provides (registry.ts StationQueries), from its own state (and the view). */
export type QueryProviders<S> = {
  [K in keyof StationQueries]?: StationQueries[K] extends (...args: infer A) => infer R
    ? (state: S, view: StationView, ...args: A) => R
    : never;
};

export interface UseCase<S, F extends StationFamily = Family2x> {
  /** Short id, e.g. `boot`, `availability`; also the key of its persisted state. */
  readonly name: string;
  /**
   * The versions the use case runs with (default: all of the family's). A use case of 2.1 alone is registered only
   * when 2.1 is offered and answers only while 2.1 is negotiated; elsewhere its actions get NotImplemented (not in
   * that version's schemas) or NotSupported, as for a block the station does not run.
   */
  readonly versions?: readonly F['version'][];
  init(view: StationView<F>, saved: unknown): S;
  on?(state: S, event: StationEvent<F>, view: StationView<F>): Step<S, F> | undefined;
  answers?: Answerers<S, F>;
  /** Messages this use case sends when triggered (TriggerMessage requestedMessage values). */
  triggers?: readonly string[];
  /**
   * Whether it can send the triggered message now (F06.FR.05: Rejected otherwise, so that an Accepted message is
   * always sent, F06.FR.10), e.g. a TransactionEvent only where a transaction runs. Default: yes.
   */
  canTrigger?(
    state: S,
    requestedMessage: string,
    evse: { id: number; connectorId?: number } | undefined,
    view: StationView<F>,
  ): boolean;
  /**
   * Checks of device-model values this use case depends on, keyed `Component.Variable` (e.g.
   * `OCPPCommCtrlr.NetworkConfigurationPriority`): the device model asks before it accepts a SetVariables value and
   * answers Rejected with the returned reasonCode (B10.FR.02). Undefined: the value is acceptable.
   */
  validates?: { readonly [K in DmKey]?: (value: string, state: S, view: StationView<F>) => string | undefined };
  /** What of the state survives a restart (with a `persist` effect). */
  save?(state: S): unknown;
  /** The queries this block answers for the others (registry.ts StationQueries). */
  queries?: QueryProviders<S>;
}

/** Erases the state type so use cases with different states can be listed together. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each use case keeps its own state type inside
export type AnyUseCase<F extends StationFamily = Family2x> = UseCase<any, F>;

/** One handler per event type, each seeing its event narrowed; see `byEventType`. */
export type EventHandlers<S, F extends StationFamily = Family2x> = {
  [T in StationEvent<F>['type']]?: (
    state: S,
    event: Extract<StationEvent<F>, { type: T }>,
    view: StationView<F>,
  ) => Step<S, F> | undefined;
};

/** A use case's `on` made of one handler per event type (small functions instead of one long switch). */
export function byEventType<S, F extends StationFamily = Family2x>(
  handlers: EventHandlers<S, F>,
): NonNullable<UseCase<S, F>['on']> {
  return (state, event, view) => {
    // The handler under `event.type` takes exactly that event: TS cannot correlate the key with the union member.
    const handler = handlers[event.type as StationEvent<F>['type']] as
      ((state: S, event: StationEvent<F>, view: StationView<F>) => Step<S, F> | undefined) | undefined;
    return handler?.(state, event, view);
  };
}
