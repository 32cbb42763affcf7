// The charging station an integrator builds: CSMS connection, layout, store, device model and hardware callbacks go
// in; the firmware reports what happens (plugged, faulted, a card presented …); ocppkit speaks OCPP 2.0.1 / 2.1.
// This file only wires the parts together: the connection to the CSMS over the network profiles, the outgoing
// dispatcher and queue, the shell that runs the use cases (one module per functional block), and the device model.
import { EventEmitter } from 'node:events';
import { IdTokenEnumType, ReasonEnumType } from '../../generated/v201/enums.js';
import type {
  BootReasonEnumType,
  DataTransferRequest,
  DataTransferResponse,
  IdTokenType,
} from '../../generated/v201/types.js';
import type {
  BatteryDataType,
  IdTokenType as IdTokenType21,
  VatNumberValidationResponse,
} from '../../generated/v21/types.js';
import { systemClock, type Clock } from '../queue/clock.js';
import { OutgoingDispatcher, type SendResult } from '../queue/dispatcher.js';
import { MessageQueue } from '../queue/queue.js';
import { CallError } from '../rpc/errors.js';
import { openSqliteStore } from '../store/sqlite.js';
import { MemoryStore } from '../store/memory.js';
import type { Store } from '../store/types.js';
import type { SqliteEngine } from '../store/engine.js';
import { gate, registrationOf, type BootState } from './B-provisioning/boot.js';
import {
  connectionOrder,
  networkDeviceModel,
  networkOptions,
  profilesBySlot,
  type ConnectionProfile,
  type NetworkProfileOptions,
  type NetworkProfileState,
} from './B-provisioning/network-profile.js';
import { useCasesFor, type BlockContext } from './blocks.js';
import type { OwnEvent } from './core/registry.js';
import { externalLimitProblem, type ExternalChargingLimit } from './K-smart-charging/external.js';
import { externalValueProblem, type ExternalChargingValue } from './K-smart-charging/external-dynamic.js';
import {
  needsProblem,
  scheduleProblem,
  type EvChargingNeeds,
  type EvChargingSchedule,
} from './K-smart-charging/iso15118.js';
import { CsmsLink, timersOf, type Client } from './core/connection.js';
import { savedState, Shell } from './core/shell.js';
import { SessionTransport } from './core/transport.js';
import type {
  BlockEvent,
  EnergyFlow,
  FirmwareEvent,
  HardwareCall,
  MeterReading,
  PublicEvent,
  QueueSentEvent,
  Version2x,
} from './core/types.js';
import { ModelVariables, variablesChanged, withRuntimeDefaults, withShorthand } from './core/variables.js';
import { DeviceModel } from './device-model/index.js';
import { readSecurityLog, type SecurityLogEntry } from './A-security/security-log.js';
import { DETECTED_SECURITY_EVENTS, securityDeviceModel, type DetectedSecurityEvent } from './A-security/security.js';
import { authorizationBounds } from './C-authorization/device-model.js';
import { checkReadings } from './J-meter-values/readings.js';
import { monitoringComponents } from './N-diagnostics/monitoring/device-model.js';
import type { StationRaisedEvent } from './N-diagnostics/monitoring/monitoring.js';
import { stationToken } from './core/tokens.js';
import { displayComponents, displaySettings } from './O-display/settings.js';
import { withDataTransfer } from './P-data-transfer/data-transfer.js';
import { tariffCostComponents } from './I-tariff/device-model.js';
import { checkOptions, isStore, type ChargingStationOptions } from './options.js';
import { messageOf } from '../error-text.js';
import { checkAlarm, type DerAlarm } from './R-der/der.js';
import { checkBatteries } from './S-battery-swap/battery-swap.js';
import { BATTERY_SLOT } from './S-battery-swap/slots.js';
import { checkSession, connectedEvComponents, type Iso15118Session } from './Q-v2x/connected-ev.js';
import { checkLimit, type TransactionLimits } from './E-transactions/limits/limits.js';
import { resumptionRangeComponent } from './E-transactions/recovery.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TRANSFER_SETTINGS, runTransfer, type TransferSettings } from '../transfer/index.js';
import { StationCertificates } from './M-certificates/api.js';
import { keyFolderOf, type KeyFolder } from './M-certificates/store.js';
import { tlsWithInstalled } from './M-certificates/tls.js';
import { Station16 } from './v16/station16.js';
import { initialValues } from './v16/configuration/mapping.js';
import type { Key16 } from './v16/configuration/keys.js';

/**
 * The store an integrator names by path. `:memory:` without an engine is the plain-JavaScript in-memory store (the
 * same contract, test/store/contract.ts): an SQLite connection per station would cost ~250 KB and ~3 ms to open and
 * migrate, which caps a simulated fleet at a few thousand stations per process (issue 18). An engine named with it
 * still gets SQLite's own `:memory:` database.
 */
function openStore(given: { path: string; engine?: SqliteEngine }): Store {
  if (given.path === ':memory:' && !given.engine) return new MemoryStore();
  return openSqliteStore(given.path, given.engine ? { engine: given.engine } : {});
}

type PublicEventMap = { [E in PublicEvent as E['type']]: [event: E] } & {
  /**
   * The station started: at `start()` and again at each restart of its own (after a Reset, `reason` RemoteReset or
   * ScheduledReset), before it connects. It knows nothing of the hardware then: report what is there now
   * (`cablePlugged`, `connectorFaulted`, `parkingBayOccupied` …), as after any start.
   */
  started: [info: { reason: BootReasonEnumType }];
  /** `slot` 0 for a 1.6 station (it has no network profiles). */
  connected: [info: { version: Version2x | 'ocpp1.6'; slot: number; url: string }];
  disconnected: [info: { code: number; reason: string }];
  /** A connection attempt to the network profile in `slot` failed. (Also reported as a `log` warning.) */
  connectFailed: [info: { error: Error; attempt: number; slot: number }];
};

/** ReasonEnumType values (2.0.1, also valid in 2.1) the firmware may stop a transaction with. */
const STOP_REASONS: ReadonlySet<string> = new Set(ReasonEnumType);
/** How long powerFailing() gives the messages that end the transactions to reach the CSMS. */
const POWER_FAILING_MS = 5000;
/** The 2.0.1 IdTokenEnumType values: a station that speaks only 2.0.1 refuses the 2.1-only ones. */
const V201_ID_TOKEN_TYPES: readonly string[] = IdTokenEnumType;

// EventEmitter untyped, the listener methods typed below: a typed EventEmitter<Map>'s method signatures differ between
// @types/node versions (a consumer may have any), and an override must fit the base's in all of them.
export class ChargingStation extends EventEmitter {
  readonly identity: string;
  readonly #options: ChargingStationOptions;
  readonly #clock: Clock;
  readonly #store: Store;
  readonly #ownsStore: boolean;
  readonly #variables: ModelVariables;
  readonly #models = new Map<Version2x, DeviceModel>();
  readonly #versions: Version2x[];
  /**
   * Versions whose model must be rebuilt before use: another version's model changed a value meanwhile. Made when
   * first needed, as #readings (thousands of stations per process, issue 18).
   */
  #stale: Set<Version2x> | undefined;
  readonly #network: NetworkProfileOptions;
  #link: CsmsLink | undefined;
  #queue: MessageQueue | undefined;
  #dispatcher: OutgoingDispatcher | undefined;
  #shell: Shell | undefined;
  #running = false;
  #restarting: Promise<void> | undefined;
  /** The private keys of block M (A02.FR.05), or undefined when the store lives in memory only. */
  readonly #keys: KeyFolder | undefined;
  #transport: SessionTransport | undefined;
  /**
   * Block M and C07/C08 for the integrator's ISO 15118 stack: Get15118EVCertificate, GetCertificateStatus (cached),
   * Authorize with a contract certificate, a key update on the station's own initiative, the installed certificates.
   */
  readonly certificates: StationCertificates;
  /** The latest readings pushed per meter (`meterValues`), used when there is no readMeter callback. */
  #readings: Map<number, MeterReading[]> | undefined;
  /** The OCPP 1.6J runtime, when `versions` is ['ocpp1.6'] (runtime/station/v16/). */
  readonly #v16: Station16 | undefined;

  constructor(options: ChargingStationOptions) {
    super();
    checkOptions(options);
    // P01: the DataTransfer handlers answer through the `dataTransfer` operation.
    this.#options = withDataTransfer(options);
    this.identity = options.identity;
    this.#clock = options.clock ?? systemClock;
    const given = options.store;
    this.#ownsStore = !isStore(given);
    this.#store = isStore(given) ? given : openStore(given);
    this.#network = networkOptions(options);
    this.#keys = keyFolderOf(options);
    this.certificates = new StationCertificates(() => {
      // 1.6: the same calls through the Plug & Charge application note's DataTransfers.
      if (this.#v16) return this.#v16.certificatePorts();
      const shell = this.#shell;
      const transport = this.#transport;
      if (!shell || !transport) return undefined;
      return {
        store: this.#store,
        now: () => shell.now(),
        send: (action, payload) => transport.send(action, payload),
        dispatch: (event) => shell.dispatch(event),
        connected: () => shell.connected,
        contractValidationOffline: () => this.#variables.bool('ISO15118Ctrlr', 'ContractValidationOffline'),
        // C07: the contract first, so that block C has it when block E asks for the eMAID's authorization.
        presentContract: (idToken, evseId, certificate) => {
          this.#firmware({
            type: 'contract.presented',
            idToken,
            evseId: this.#evse('contractPresented', evseId),
            certificate,
          });
          this.idTokenPresented(idToken, evseId);
        },
        authorizations: (listener) => {
          this.on('authorization', listener);
          return () => this.off('authorization', listener);
        },
      };
    });
    // checkOptions refused any other version by name, and 1.6 together with 2.x.
    this.#versions = (options.versions ?? ['ocpp2.1', 'ocpp2.0.1']).filter(
      (v): v is Version2x => v === 'ocpp2.0.1' || v === 'ocpp2.1',
    );
    try {
      if (this.#versions.length === 0) {
        // 1.6: the configuration keys stand for the device model; a bad initial value fails here, naming it.
        initialValues(options.variables);
        this.#v16 = new Station16(options, this.#store, this.#clock, {
          emit: (name, ...args) => this.emit(name, ...args),
          hardware: (call) => this.#hardware(call),
          meter: (evseId) => this.#meter(evseId),
          // 1.6 Firmware Management: the same file transfers as 2.x.
          transfer: (request, signal) => runTransfer(request, { ...this.#transferSettings(), signal }),
        });
      }
      // Built now for every offered version: a missing required variable fails here, naming it (issue 5 start-up check).
      for (const v of this.#versions) this.#buildModel(v);
    } catch (err) {
      if (this.#ownsStore) this.#store.close();
      throw err;
    }
    this.#variables = new ModelVariables(
      () => this.#model(this.#shell?.version ?? this.#versions[0]!),
      (message) => this.emit('log', { type: 'log', level: 'warn', message }),
    );
  }

  // The listener methods typed by event name: EventEmitter's own typing takes any name and then types the listener
  // `never`, so that `on('transactionStart', …)` failed with "parameter of type 'never'" instead of naming the event.
  // (The casts: EventEmitter's listener type is conditional on K and cannot be resolved for a generic K.)
  override on<K extends keyof PublicEventMap>(event: K, listener: (...args: PublicEventMap[K]) => void): this {
    return super.on(event, listener as never);
  }
  override once<K extends keyof PublicEventMap>(event: K, listener: (...args: PublicEventMap[K]) => void): this {
    return super.once(event, listener as never);
  }
  override off<K extends keyof PublicEventMap>(event: K, listener: (...args: PublicEventMap[K]) => void): this {
    return super.off(event, listener as never);
  }
  override addListener<K extends keyof PublicEventMap>(event: K, listener: (...args: PublicEventMap[K]) => void): this {
    return super.addListener(event, listener as never);
  }
  override removeListener<K extends keyof PublicEventMap>(
    event: K,
    listener: (...args: PublicEventMap[K]) => void,
  ): this {
    return super.removeListener(event, listener as never);
  }
  override prependListener<K extends keyof PublicEventMap>(
    event: K,
    listener: (...args: PublicEventMap[K]) => void,
  ): this {
    return super.prependListener(event, listener as never);
  }
  override prependOnceListener<K extends keyof PublicEventMap>(
    event: K,
    listener: (...args: PublicEventMap[K]) => void,
  ): this {
    return super.prependOnceListener(event, listener as never);
  }

  /** The device model of the version in use (the preferred one while not connected). 2.x only. */
  get deviceModel(): DeviceModel {
    if (this.#v16)
      throw new Error('a 1.6 station has no device model: read its configuration keys with configuration(key)');
    return this.#model(this.#shell?.version ?? this.#versions[0]!);
  }

  #buildModel(version: Version2x): DeviceModel {
    const o = this.#options;
    const first = this.#network.configured[0];
    // The runtime's own variables under the integrator's configuration, then the shorthand: the network-profile
    // variables (B09/B10), and B11.FR.10 EVSE.AllowReset where EVSEs can be reset individually.
    const evseReset = typeof o.hardware?.resetEvse === 'function';
    const runtime = [
      networkDeviceModel(this.#network),
      // A01.FR.01: the station's password is SecurityCtrlr.BasicAuthPassword (the integrator's initially); A04 clock.
      ...securityDeviceModel(this.#network.password),
      ...o.evses.map((e) => ({
        name: 'EVSE',
        evse: { id: e.id },
        variables: [{ name: 'AllowReset', value: evseReset, mutability: 'ReadOnly' as const, constant: true }],
      })),
      // N: MonitoringCtrlr, and the runtime's variables that carry monitors.
      ...monitoringComponents(version, o.evses),
      // The authorization bounds the station enforces are the maxLimits it reports (C10.FR.07, D01.FR.12).
      ...authorizationBounds({
        ...optional('cacheMaxBytes', o.authorization?.cacheMaxBytes),
        ...optional('localListMaxEntries', o.authorization?.localListMaxEntries),
      }),
      // 2.1 E17.FR.18: TxCtrlr.EnergyTransferResumptionRandomRange (the catalogue misspells its component).
      ...(version === 'ocpp2.1' ? [resumptionRangeComponent] : []),
      // O: DisplayMessageCtrlr, where the station has a display.
      ...(typeof o.hardware?.showDisplay === 'function' ? displayComponents(displaySettings(o.display), version) : []),
      // 2.1 Q01.FR.36: ConnectedEV per EVSE, where an ISO 15118 stack reports the EV (it takes the offered schedules).
      ...(typeof o.hardware?.offerEvChargingSchedules === 'function' ? connectedEvComponents(o.evses, version) : []),
      // I: TariffCostCtrlr, where the station shows tariffs and costs or installs tariffs (2.1).
      ...tariffCostComponents(
        {
          display: typeof o.hardware?.showDisplay === 'function',
          ...(o.tariffs ? { tariffs: o.tariffs } : {}),
          ...(o.display?.currency ? { currency: o.display.currency } : {}),
        },
        version,
      ),
    ];
    const config = withShorthand(withRuntimeDefaults(o.deviceModel, runtime), {
      // What the connection settings already say (SecurityCtrlr.SecurityProfile is required, A00).
      'SecurityCtrlr.SecurityProfile': first?.securityProfile ?? 0,
      ...o.variables,
    });
    const model = new DeviceModel({
      version,
      store: this.#store,
      layout: { supplyPhases: o.supplyPhases, evses: o.evses },
      config,
      clock: () => new Date(this.#shell?.now() ?? this.#clock.now()),
      onError: (error, context) =>
        this.emit('log', {
          type: 'log',
          level: 'error',
          message: `device model (${context}): ${messageOf(error)}`,
        }),
    });
    model.onChange((change) => {
      for (const other of this.#versions) if (other !== version) (this.#stale ??= new Set()).add(other);
      this.#shell?.dispatch(variablesChanged(change));
    });
    this.#models.set(version, model);
    this.#stale?.delete(version);
    return model;
  }

  #model(version: Version2x): DeviceModel {
    const model = this.#models.get(version);
    return model && !this.#stale?.has(version) ? model : this.#buildModel(version);
  }

  /** OCPP 1.6: a configuration key's value as GetConfiguration reports it (undefined before start, or 2.x). */
  configuration(key: Key16): string | undefined {
    return this.#v16?.configuration(key);
  }

  /** Starts the station: connects (retrying with back-off, over the network profiles) and boots. */
  async start(reason: BootReasonEnumType = 'PowerUp'): Promise<void> {
    if (this.#v16) return this.#v16.start(reason);
    if (this.#running) throw new Error('the station is already running');
    this.#running = true;
    const plugged = await this.#pluggedAtStart();
    const o = this.#options;
    const versions = this.#versions;
    const link: CsmsLink = new CsmsLink({
      identity: o.identity,
      versions,
      store: this.#store,
      attemptsPerProfile: () => this.#variables.int('OCPPCommCtrlr', 'NetworkProfileConnectionAttempts') ?? 3,
      settings: (profile) => this.#clientSettings(profile),
      install: (client) => this.#install(client, versions, shell),
      password: (profile) => this.#passwordFor(profile),
      // Block M: installed CSMS roots and the station's own certificate, read afresh at every connection (A02.FR.08);
      // whether the profile is the last successful one decides if a fallback CSMS root may verify it (M05.FR.14/15).
      tls: (profile) => {
        const last = link.lastConnected();
        const reconnecting = last !== undefined && last.slot === profile.slot && last.url === profile.url;
        return tlsWithInstalled(
          profile.tls,
          profile.securityProfile,
          this.#store,
          this.#keys,
          this.#clock.now(),
          reconnecting,
        );
      },
    });
    const transport = new SessionTransport(() => link.current);
    this.#transport = transport;
    const queue = new MessageQueue({
      store: this.#store,
      transport,
      protocol: versions[0]!,
      clock: this.#clock,
      retry: () => ({
        attempts: this.#variables.int('OCPPCommCtrlr', 'MessageAttempts', { instance: 'TransactionEvent' }) ?? 3,
        intervalSec:
          this.#variables.int('OCPPCommCtrlr', 'MessageAttemptInterval', { instance: 'TransactionEvent' }) ?? 60,
      }),
    });
    const dispatcher = new OutgoingDispatcher({
      queue,
      transport,
      store: this.#store,
      clock: this.#clock,
      queueAllMessages: () => this.#variables.bool('OCPPCommCtrlr', 'QueueAllMessages') ?? false,
      offlineThresholdSec: () => this.#variables.int('OCPPCommCtrlr', 'OfflineThreshold'),
    });
    const context: BlockContext = {
      options: o,
      versions,
      network: this.#network,
      deviceModel: () => this.deviceModel,
      triggerable: () => shell.triggerable(),
      canTrigger: (message, evse) => shell.canTrigger(message, evse),
    };
    const useCases = useCasesFor(context);
    const shell: Shell = new Shell(o.identity, o.evses, useCases, {
      clock: this.#clock,
      store: this.#store,
      variables: this.#variables,
      send: (action, payload, options) => dispatcher.send(action, payload, options),
      sendDirect: (action, payload) => transport.send(action, payload),
      sendMessage: (action, payload) => transport.sendMessage(action, payload),
      setOnline: (online, afterBoot) => dispatcher.setOnline(online, { afterBoot }),
      hardware: (call) => this.#hardware(call),
      setVariable: (e) => this.#variables.set(e.component, e.variable, e.value, e),
      applyVariables: (writes) => this.deviceModel.apply(writes),
      // Each PublicEvent goes out under its own type; EventEmitter's typing cannot pair a union member with its key.
      emit: (event) => this.emit(event.type, event as never),
      restart: (why) => void this.#restart(why),
      // A1: raised on `variables.changed`, which a SetVariables answer raises once its CALLRESULT is out.
      reconnect: (why) => {
        this.emit('log', { type: 'log', level: 'info', message: `reconnecting to the CSMS: ${why}` });
        void link.reconnect();
      },
      meter: (evseId) => this.#meter(evseId),
      // E14 messagesInQueue: TransactionEvents still to be delivered.
      queued: (transactionId) =>
        queue
          .entries()
          .some((m) => m.action === 'TransactionEvent' && (transactionId === undefined || m.txKey === transactionId)),
      // L01/N01: the file transfers the use cases ask for, with the integrator's settings.
      transfer: (request, signal) => runTransfer(request, { ...this.#transferSettings(), signal }),
      station: context,
    });
    // The queue holds what the use cases sent (each payload built for its action, the response validated against
    // that action's schema) and gives it back untyped from the store: this is the `queueSent` event of that action.
    queue.on('sent', (e) =>
      shell.dispatch({
        type: 'queueSent',
        action: e.action,
        payload: e.payload,
        response: e.response,
      } as QueueSentEvent),
    );

    link.on('connected', ({ version, profile, session }) => {
      // A04: what the CSMS sends that is not valid OCPP goes into the security log (InvalidMessages).
      session.on('badFrame', ({ problem, description }) =>
        shell.dispatch({ type: 'security.badFrame', problem, description }),
      );
      // What the station runs with now: the device model reports it (B09: ActiveNetworkProfile; B09.FR.04 compares
      // a new profile with SecurityProfile).
      this.#variables.set('OCPPCommCtrlr', 'ActiveNetworkProfile', String(profile.slot));
      this.#variables.set('SecurityCtrlr', 'SecurityProfile', String(profile.securityProfile ?? 0));
      this.emit('connected', { version, slot: profile.slot, url: profile.url });
      shell.dispatch({ type: 'connected', version, slot: profile.slot });
    });
    link.on('disconnected', (info) => {
      this.emit('disconnected', { code: info.code, reason: info.reason });
      shell.dispatch({ type: 'disconnected' });
    });
    link.on('connectFailed', (info) => {
      this.emit('connectFailed', { error: info.error, attempt: info.attempt, slot: info.profile.slot });
      shell.dispatch({ type: 'security.connectFailed', error: info.error });
      this.emit('log', {
        type: 'log',
        level: 'warn',
        message: `connecting to the CSMS (slot ${info.profile.slot}) failed (attempt ${info.attempt}): ${info.error.message}`,
      });
    });
    link.on('switched', ({ from, to }) =>
      this.emit('log', {
        type: 'log',
        level: 'warn',
        message: `network profile slot ${from.slot} failed ${this.#variables.int('OCPPCommCtrlr', 'NetworkProfileConnectionAttempts') ?? 3} times; trying slot ${to.slot}`,
      }),
    );

    this.#link = link;
    this.#queue = queue;
    this.#dispatcher = dispatcher;
    this.#shell = shell;
    shell.dispatch({ type: 'started', reason, ...(plugged ? { plugged } : {}) });
    // The firmware reports the hardware state it finds (a cable still plugged after a Reset) before the boot.
    try {
      this.emit('started', { reason });
    } catch (err) {
      // The station runs on regardless (a restart has no caller to throw to).
      this.emit('log', { type: 'log', level: 'error', message: `a 'started' listener failed: ${messageOf(err)}` });
    }
    const [order, fallback] = this.#connectionPlan();
    link.start(order, fallback);
  }

  /** Stops the station: closes the connection; queued messages stay in the store for the next start. */
  async stop(): Promise<void> {
    await this.#v16?.stop();
    await this.#restarting;
    await this.#teardown();
    if (this.#ownsStore) this.#store.close();
  }

  /**
   * The firmware learnt that the power is failing while a back-up source keeps the station up for a moment (OCPP
   * 1.6 TC_032_1_CS; 2.x: stoppedReason PowerLoss, E06): every transaction ends now with reason PowerLoss and the
   * messages that end them are given up to `ms` (default 5 s) to reach the CSMS; then call stop(). What is not
   * delivered stays queued for after the restart. Without this call, a transaction cut by a power loss ends with
   * PowerLoss after the restart.
   */
  async powerFailing(ms = POWER_FAILING_MS): Promise<void> {
    if (!Number.isInteger(ms) || ms < 0)
      throw new TypeError('powerFailing(ms): ms must be a non-negative integer of milliseconds');
    if (this.#v16) return this.#v16.powerFailing(ms);
    this.#firmware({ type: 'transactions.stop', evseId: 0, reason: 'PowerLoss' });
    const until = Date.now() + ms;
    while (Date.now() < until && this.connected && (this.#queue?.size ?? 0) > 0)
      await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** The CSMS's verdict on the last BootNotification (undefined before the first answer). */
  get registration(): BootState['registration'] {
    if (this.#v16) return this.#v16.shell?.query.registration?.();
    return this.#shell && registrationOf(this.#shell);
  }

  /** The security log (A04.FR.04), oldest first: every security event, critical or not. */
  securityLog(): SecurityLogEntry[] {
    return readSecurityLog(this.#store);
  }

  /**
   * P02: sends a DataTransfer to the CSMS (a vendor's message, for what OCPP has no message for, P02.FR.02) and
   * gives its outcome: `sent` with the CSMS's response (UnknownVendorId / UnknownMessageId when it has no
   * implementation, P02.FR.06/07), else why not (offline: not sent, not queued).
   */
  async dataTransfer(request: DataTransferRequest): Promise<SendResult<DataTransferResponse>> {
    const dispatcher = this.#dispatcher;
    if (!dispatcher || !this.#running) throw new Error('dataTransfer(): the station is not running');
    // The dispatcher validated the CALLRESULT against DataTransferResponse's schema.
    return (await dispatcher.send('DataTransfer', request)) as SendResult<DataTransferResponse>;
  }

  /**
   * 2.1 C18.FR.08: asks the CSMS to validate a VAT number the driver entered for the receipt of an ad hoc payment
   * (any time before settlement), for the EVSE if given. Gives `sent` with the CSMS's answer (status Accepted, perhaps
   * the company's name and address, C18.FR.09) or why not (offline: not sent, not queued — ask the driver later).
   * Throws on a connection that speaks 2.0.1, which has no such message, and on a VAT number that is empty or longer
   * than 20 characters.
   */
  async vatNumberValidation(vatNumber: string, evseId?: number): Promise<SendResult<VatNumberValidationResponse>> {
    const dispatcher = this.#dispatcher;
    if (!dispatcher || !this.#running) throw new Error('vatNumberValidation(): the station is not running');
    if (typeof vatNumber !== 'string' || vatNumber === '' || vatNumber.length > 20)
      throw new TypeError('vatNumberValidation(vatNumber): vatNumber must be a string of 1 to 20 characters');
    if (evseId !== undefined) this.#evse('vatNumberValidation', evseId);
    const version = this.#shell?.version;
    if (version !== 'ocpp2.1')
      throw new Error(
        `vatNumberValidation(): VatNumberValidation is OCPP 2.1; the station speaks ${version ?? 'nothing yet'}`,
      );
    // The dispatcher validated the CALLRESULT against VatNumberValidationResponse's schema.
    return (await dispatcher.send('VatNumberValidation', {
      vatNumber,
      ...(evseId !== undefined ? { evseId } : {}),
    })) as SendResult<VatNumberValidationResponse>;
  }

  /** Whether a connection to the CSMS is open. */
  get connected(): boolean {
    if (this.#v16) return this.#v16.connected;
    return this.#shell?.connected ?? false;
  }

  // --- What the firmware reports ------------------------------------------------------------------------------

  /** An EV's cable was plugged into the connector. */
  cablePlugged(evseId: number, connectorId = 1): void {
    this.#firmware({ type: 'cablePlugged', ...this.#connector('cablePlugged', evseId, connectorId) });
  }

  /** The EV's cable was unplugged from the connector. */
  cableUnplugged(evseId: number, connectorId = 1): void {
    this.#firmware({ type: 'cableUnplugged', ...this.#connector('cableUnplugged', evseId, connectorId) });
  }

  /** The connector has a fault: it shows Faulted until `connectorRecovered`. */
  connectorFaulted(evseId: number, connectorId = 1): void {
    this.#firmware({ type: 'connectorFaulted', ...this.#connector('connectorFaulted', evseId, connectorId) });
  }

  /** The connector's fault is gone. */
  connectorRecovered(evseId: number, connectorId = 1): void {
    this.#firmware({ type: 'connectorRecovered', ...this.#connector('connectorRecovered', evseId, connectorId) });
  }

  /** The plug retention lock failed to lock (G05): charging must not start; cleared when the cable is unplugged. */
  connectorLockFailed(evseId: number, connectorId = 1): void {
    this.#firmware({ type: 'connectorLockFailed', ...this.#connector('connectorLockFailed', evseId, connectorId) });
  }

  /**
   * An idToken was presented (card reader, app, …), optionally at an EVSE. 2.1 widens `type` to any IdTokenEnumStringType
   * (DirectPayment, VIN, …); such a type is refused unless the station may speak 2.1, since 2.0.1 has no place for it.
   */
  idTokenPresented(idToken: IdTokenType | IdTokenType21, evseId?: number): void {
    if (!idToken || typeof idToken.idToken !== 'string' || typeof idToken.type !== 'string')
      throw new TypeError('idTokenPresented(idToken): idToken must be { idToken: string, type: IdTokenEnumType }');
    // 1.6 §7.28: an idTag is the token string alone, at most 20 characters.
    if (this.#v16 && idToken.idToken.length > 20)
      throw new TypeError(
        `idTokenPresented(idToken): a 1.6 idTag has at most 20 characters, got ${idToken.idToken.length}`,
      );
    if (!this.#v16 && !this.#versions.includes('ocpp2.1') && !V201_ID_TOKEN_TYPES.includes(idToken.type)) {
      throw new TypeError(
        `idTokenPresented(idToken): idToken.type "${idToken.type}" is not a 2.0.1 IdTokenEnumType (${V201_ID_TOKEN_TYPES.join(', ')}); 2.1 types need versions to include 'ocpp2.1'`,
      );
    }
    if (evseId !== undefined && !this.#options.evses.some((e) => e.id === evseId))
      throw new RangeError(`idTokenPresented: evseId ${evseId} does not exist`);
    // The use cases carry idTokens as 2.0.1 types; a 2.1-only `type` passed the check above, and the 2.1 schema allows it.
    this.#firmware({
      type: 'idTokenPresented',
      idToken: stationToken(idToken),
      ...(evseId !== undefined ? { evseId } : {}),
    });
  }

  /**
   * A04: a security event the hardware or firmware detected — `TamperDetectionActivated` (the tamper sensor),
   * `MemoryExhaustion` (flash or RAM getting full), `MaintenanceLoginAccepted` / `MaintenanceLoginFailed` (the local
   * maintenance interface; the appendix recommends techInfo `{'user': '…', 'origin': '…'}`). Logged in the security
   * log and sent to the CSMS as SecurityEventNotification (critical, A04.FR.01), queued while offline (A04.FR.02).
   */
  securityEventDetected(securityEvent: DetectedSecurityEvent, techInfo?: string): void {
    if (!DETECTED_SECURITY_EVENTS.includes(securityEvent))
      throw new TypeError(
        `securityEventDetected: the event is one of ${DETECTED_SECURITY_EVENTS.join(', ')}, got ${JSON.stringify(securityEvent)}`,
      );
    if (techInfo !== undefined && (typeof techInfo !== 'string' || techInfo.length > 255))
      throw new TypeError('securityEventDetected: techInfo is a string of at most 255 characters');
    this.#firmware({ type: 'security.detected', securityEvent, ...(techInfo !== undefined ? { techInfo } : {}) });
  }

  /** The EV side of the cable was disconnected while the cable stays in the connector (E09/E10). */
  evDisconnected(evseId: number): void {
    this.#firmware({ type: 'evDisconnected', evseId: this.#evse('evDisconnected', evseId) });
  }

  /** The parking bay detector of the EVSE detects an EV (TxStartPoint ParkingBayOccupancy). */
  parkingBayOccupied(evseId: number): void {
    this.#firmware({ type: 'parkingBay', evseId: this.#evse('parkingBayOccupied', evseId), occupied: true });
  }

  /** The EV left the parking bay (TxStopPoint ParkingBayOccupancy). */
  parkingBayVacated(evseId: number): void {
    this.#firmware({ type: 'parkingBay', evseId: this.#evse('parkingBayVacated', evseId), occupied: false });
  }

  /**
   * The energy flow on the EVSE as the hardware sees it: `Charging` (energy flows), `SuspendedEV` (the EV takes
   * none although offered), `SuspendedEVSE` (the station offers none, e.g. a local limit).
   */
  chargingStateChanged(evseId: number, state: EnergyFlow): void {
    if (state !== 'Charging' && state !== 'SuspendedEV' && state !== 'SuspendedEVSE')
      throw new TypeError(
        `chargingStateChanged(evseId, state): state must be "Charging", "SuspendedEV" or "SuspendedEVSE", got ${JSON.stringify(state)}`,
      );
    this.#firmware({ type: 'energyFlow', evseId: this.#evse('chargingStateChanged', evseId), state });
  }

  /**
   * 2.1 E16.FR.01: the driver set a limit (maxCost, maxEnergy in Wh, maxTime in s, maxSoC in %) for the transaction
   * on the EVSE, or for the next one there. Reported in a LimitSet event; capped by a limit the CSMS set (E16.FR.04);
   * a limit the station does not support (TxCtrlr.SupportedLimits) is left out (E16.FR.13). Ignored in 2.0.1.
   */
  transactionLimitSet(evseId: number, limit: TransactionLimits): void {
    this.#firmware({
      type: 'tx.limitByDriver',
      evseId: this.#evse('transactionLimitSet', evseId),
      limit: checkLimit('transactionLimitSet', limit),
    });
  }

  /**
   * 2.1 C18: a payment card was presented at the payment terminal (of the EVSE, when it belongs to one): the station
   * has `hardware.paymentAuthorize` reserve PaymentCtrlr.AuthorizationAmount and authorizes the driver with the PSP's
   * reference as a DirectPayment idToken.
   */
  paymentCardPresented(evseId?: number): void {
    if (evseId !== undefined) this.#evse('paymentCardPresented', evseId);
    this.#firmware({ type: 'payment.cardPresented', ...(evseId !== undefined ? { evseId } : {}) });
  }

  /** 2.1 C19/C20: the driver canceled the payment session at the EVSE (before or after the transaction started). */
  paymentCanceled(evseId: number): void {
    this.#firmware({ type: 'payment.canceledByDriver', evseId: this.#evse('paymentCanceled', evseId) });
  }

  /**
   * 2.1 C25.FR.03–06: the driver entered limits for a web payment at the EVSE before scanning its QR code. The ones
   * WebPaymentsCtrlr.URLParameters offers go into the URL as query parameters, and become the limits of the
   * transaction the CSMS starts there after payment (E16).
   */
  webPaymentLimits(evseId: number, limits: TransactionLimits): void {
    this.#firmware({
      type: 'webPayment.limits',
      evseId: this.#evse('webPaymentLimits', evseId),
      limits: checkLimit('webPaymentLimits', limits),
    });
  }

  /** Fresh readings of an EVSE's meter (0: the main meter); ocppkit reports the latest when a sample is due. */
  meterValues(evseId: number, readings: MeterReading[]): void {
    if (evseId !== 0) this.#evse('meterValues', evseId);
    checkReadings('meterValues', readings);
    (this.#readings ??= new Map()).set(
      evseId,
      readings.map((r) => ({ ...r })),
    );
    if (this.#v16?.shell) this.#v16.dispatch({ type: 'meterValues', evseId, readings });
    else if (this.#shell) this.#shell.dispatch({ type: 'meterValues', evseId, readings });
  }

  /**
   * Stop the transaction on the EVSE from the station: `Local` (a stop button: the authorization ends, as with the
   * idToken, E07), or a fault that ends it at once (`EmergencyStop`, `GroundFault`, `OvercurrentFault`, …, E06.FR.16).
   */
  stopTransaction(evseId: number, reason: ReasonEnumType = 'Local'): void {
    if (!STOP_REASONS.has(reason))
      throw new TypeError(
        `stopTransaction(evseId, reason): reason must be one of ${[...STOP_REASONS].join(', ')}, got ${JSON.stringify(reason)}`,
      );
    this.#firmware({ type: 'transactions.stop', evseId: this.#evse('stopTransaction', evseId), reason });
  }

  /**
   * 2.1 I07.FR.30/31, I08.FR.20/21: the driver at the EVSE did not accept the tariff shown (the default or theirs):
   * their idToken is deauthorized and the transaction, if one runs, has no tariff and no cost (TransactionEvent with
   * triggerReason TariffNotAccepted). Only where the station installs tariffs (`options.tariffs`); 0: a driver
   * authorized before choosing an EVSE.
   */
  declineTariff(evseId: number): void {
    if (!this.#options.tariffs) throw new TypeError('declineTariff(evseId): the station has no options.tariffs');
    const id = evseId === 0 ? 0 : this.#evse('declineTariff', evseId);
    this.#firmware({ type: 'tariff.notAccepted', evseId: id });
  }

  /**
   * R05: a DER control makes the station deviate from its charging schedule (or nominal rate), or no longer does
   * (`alarmEnded`): sent as NotifyDERAlarm, once per occurrence (OCPP 2.1; ignored while 2.0.1 is spoken).
   */
  derAlarm(alarm: DerAlarm): void {
    this.#firmware({ type: 'der.alarm', alarm: checkAlarm(alarm) });
  }

  /** S02/S03: whether a set of charged batteries is ready to be swapped (OCPP 2.1 battery swap stations). */
  batterySwapAvailability(available: boolean): void {
    if (typeof available !== 'boolean') throw new TypeError('batterySwapAvailability(available): expected a boolean');
    this.#firmware({ type: 'swap.availability', available });
  }

  /** S01: a driver asks for a battery swap with this idToken; it is authorized as any token (block C). */
  batterySwapRequested(idToken: IdTokenType | IdTokenType21): void {
    if (!idToken || typeof idToken.idToken !== 'string' || typeof idToken.type !== 'string')
      throw new TypeError('batterySwapRequested(idToken): idToken must be { idToken: string, type: string }');
    this.#firmware({ type: 'swap.requested', idToken: { ...idToken } });
  }

  /**
   * S03.FR.01: the driver put these batteries into their slots; `offered`: the charged ones offered in return. Each
   * slot declared as a battery slot (connector type `bBatterySlot`) is then reported Occupied (S03.FR.02) and charges
   * its battery in a transaction (S04), as `cablePlugged` on its connector does.
   */
  batteriesInserted(batteryData: BatteryDataType[], offered: BatteryDataType[]): void {
    const slots = this.#options.evses.map((e) => e.id);
    const inserted = checkBatteries('batteriesInserted', batteryData, slots);
    this.#firmware({
      type: 'swap.inserted',
      batteryData: inserted,
      offered: checkBatteries('batteriesInserted (offered)', offered, slots),
    });
    for (const connector of this.#slotConnectors(inserted)) this.#firmware({ type: 'cablePlugged', ...connector });
  }

  /**
   * S03.FR.03: the driver took these batteries out of their slots. Each battery slot is then reported Available
   * (S03.FR.04) and its transaction ends (S04.FR.07), as `cableUnplugged` on its connector does.
   */
  batteriesRemoved(batteryData: BatteryDataType[]): void {
    const slots = this.#options.evses.map((e) => e.id);
    const removed = checkBatteries('batteriesRemoved', batteryData, slots);
    this.#firmware({ type: 'swap.removed', batteryData: removed });
    for (const connector of this.#slotConnectors(removed)) this.#firmware({ type: 'cableUnplugged', ...connector });
  }

  /** The battery-slot connector of each battery's EVSE (S-battery-swap/slots.ts), once per slot. */
  #slotConnectors(batteryData: readonly BatteryDataType[]): Array<{ evseId: number; connectorId: number }> {
    const evseIds = [...new Set(batteryData.map((b) => b.evseId))];
    return evseIds.flatMap((evseId) => {
      const connector = this.#options.evses
        .find((e) => e.id === evseId)
        ?.connectors.find((c) => c.type === BATTERY_SLOT);
      return connector ? [{ evseId, connectorId: connector.id }] : [];
    });
  }

  /**
   * An event of the station itself, not of a monitor (N07: a hard-wired notification, e.g. a tripped RCD): sent as
   * NotifyEvent with eventNotificationType HardWiredNotification, filtered by the monitoring level and queued while
   * offline as a monitor's event is. Values that monitors watch are reported with `deviceModel.set(…)` instead.
   */
  reportEvent(event: StationRaisedEvent): void {
    if (!event || typeof event.component?.name !== 'string' || typeof event.variable?.name !== 'string')
      throw new TypeError('reportEvent(event): event needs component { name } and variable { name }');
    if (typeof event.actualValue !== 'string') throw new TypeError('reportEvent(event): actualValue must be a string');
    if (
      event.severity !== undefined &&
      !(Number.isInteger(event.severity) && event.severity >= 0 && event.severity <= 9)
    )
      throw new RangeError('reportEvent(event): severity must be an integer 0..9');
    this.#firmware({ type: 'monitoring.raised', event });
  }

  /**
   * K11/K12: an external system (an EMS, the grid operator) limits the EVSE (0: the whole station). The limit enters
   * the composite schedule and the hardware's limit, is reported as a ChargingStationExternalConstraints profile, and
   * the CSMS is told with NotifyChargingLimit when it changed by more than LimitChangeSignificance. Reporting the same
   * source again replaces its limit.
   */
  externalChargingLimit(evseId: number, limit: ExternalChargingLimit): void {
    if (evseId !== 0) this.#evse('externalChargingLimit', evseId);
    const problem = externalLimitProblem(limit, this.#versions);
    if (problem) throw new TypeError(`externalChargingLimit(evseId, limit): ${problem}`);
    this.#firmware({ type: 'smartCharging.external', evseId, source: limit.source, limit: structuredClone(limit) });
  }

  /**
   * 2.1 K29: an external system (an EMS) gives a single value for the EVSE (0: the station) — a limit, or a setpoint
   * — and updates it as often as it likes. It becomes the limit or setpoint of the CSMS's Dynamic TxProfile /
   * TxDefaultProfile with operationMode ExternalLimits or ExternalSetpoint on the EVSE; without one, it is kept as a
   * Dynamic ChargingStationExternalConstraints profile updated in place. Under 2.0.1 a limit is kept as with
   * externalChargingLimit. Released with externalChargingLimitCleared(evseId, source).
   */
  externalChargingValue(evseId: number, value: ExternalChargingValue): void {
    if (evseId !== 0) this.#evse('externalChargingValue', evseId);
    const problem = externalValueProblem(value, this.#versions);
    if (problem) throw new TypeError(`externalChargingValue(evseId, value): ${problem}`);
    this.#firmware({ type: 'smartCharging.externalValue', evseId, value: structuredClone(value) });
  }

  /** K13: the external system released its limit on the EVSE (0: the station); the CSMS gets ClearedChargingLimit. */
  externalChargingLimitCleared(evseId: number, source: string): void {
    if (evseId !== 0) this.#evse('externalChargingLimitCleared', evseId);
    if (typeof source !== 'string' || source === '')
      throw new TypeError('externalChargingLimitCleared(evseId, source): source must be a non-empty string');
    this.#firmware({ type: 'smartCharging.external', evseId, source });
  }

  /**
   * E15: the integrator's ISO 15118 stack received SessionStopReq(Terminate) from the EV on the EVSE. The authorization
   * ends (triggerReason StopAuthorized, stoppedReason StoppedByEV) and energy stops; the transaction ends with it
   * where TxStopPoint contains Authorized, PowerPathClosed or EnergyTransfer (E15.FR.04), otherwise an Updated event
   * reports it (E15.FR.05).
   */
  iso15118SessionStopped(evseId: number): void {
    this.#firmware({ type: 'tx.evSessionStop', evseId: this.#evse('iso15118SessionStopped', evseId) });
  }

  /**
   * 2.1 Q01.FR.36, Q01.FR.02: the integrator's ISO 15118 stack set up a session with the EV on the EVSE (EVCCID,
   * protocols, certificates). Shown in the EVSE's ConnectedEV component until the EV leaves (cable unplugged, EV
   * disconnected); the EVCCID of an ISO 15118-20 EV goes into the idToken of the Started event. Ignored under 2.0.1.
   */
  iso15118Session(evseId: number, session: Iso15118Session): void {
    this.#evse('iso15118Session', evseId);
    this.#firmware({ type: 'ev.iso15118Session', evseId, session: checkSession('iso15118Session', session) });
  }

  /**
   * K15.FR.01, K17.FR.01: the integrator's ISO 15118 stack received the EV's charging needs (ChargeParameterDiscovery).
   * They go to the CSMS in NotifyEVChargingNeeds (unless the CSMS is renegotiating, K16.FR.09); its answer comes back
   * through `hardware.evChargingNeedsAnswered`, the schedules to offer the EV through `hardware.offerEvChargingSchedules`.
   */
  evChargingNeeds(evseId: number, chargingNeeds: EvChargingNeeds, options: { maxScheduleTuples?: number } = {}): void {
    this.#evse('evChargingNeeds', evseId);
    const problem = needsProblem(chargingNeeds);
    if (problem) throw new TypeError(`evChargingNeeds(evseId, chargingNeeds): ${problem}`);
    const tuples = options.maxScheduleTuples;
    if (tuples !== undefined && !(Number.isInteger(tuples) && tuples > 0))
      throw new TypeError('evChargingNeeds: options.maxScheduleTuples must be a positive integer');
    this.#firmware({
      type: 'smartCharging.evNeeds',
      evseId,
      chargingNeeds: structuredClone(chargingNeeds),
      ...(tuples !== undefined ? { maxScheduleTuples: tuples } : {}),
    });
  }

  /**
   * K15.FR.09/.10, K16.FR.04/.05, K17.FR.09/.10: the schedule the EV returned (or, K15.FR.19, the one it selected).
   * Within the station's limits it goes to the CSMS in NotifyEVChargingSchedule; beyond them it is not sent and the
   * EV is offered the schedules in force again (`offerEvChargingSchedules` with `renegotiation`).
   * 2.1: `selectedChargingScheduleId` names the CSMS's schedule the EV selected, which is then the one checked against
   * (K18.FR.09/.10). In an ISO 15118-20 DynamicControl session the EV's power profile is disregarded: the CSMS's
   * schedule goes instead, with its id (K19.FR.10).
   */
  evChargingSchedule(
    evseId: number,
    chargingSchedule: EvChargingSchedule,
    options: { timeBase?: string; selectedChargingScheduleId?: number; powerToleranceAcceptance?: boolean } = {},
  ): void {
    this.#evse('evChargingSchedule', evseId);
    const problem = scheduleProblem(chargingSchedule);
    if (problem) throw new TypeError(`evChargingSchedule(evseId, chargingSchedule): ${problem}`);
    if (options.timeBase !== undefined && !Number.isFinite(Date.parse(options.timeBase)))
      throw new TypeError('evChargingSchedule: options.timeBase must be an ISO date-time');
    this.#firmware({
      type: 'smartCharging.evSchedule',
      evseId,
      chargingSchedule: structuredClone(chargingSchedule),
      ...options,
    });
  }

  /**
   * 2.1 K18.FR.19: the ISO 15118-20 EV selected the CSMS's charging schedule `selectedChargingScheduleId` (its
   * SelectedScheduleTupleID) but returned no power profile: the CSMS gets that schedule as the EV's, in
   * NotifyEVChargingSchedule with the id. Nothing is sent when the CSMS gave no schedule of that id (a warning log).
   */
  evChargingScheduleSelected(
    evseId: number,
    selectedChargingScheduleId: number,
    options: { timeBase?: string } = {},
  ): void {
    this.#evse('evChargingScheduleSelected', evseId);
    if (!Number.isInteger(selectedChargingScheduleId))
      throw new TypeError('evChargingScheduleSelected: selectedChargingScheduleId must be an integer');
    if (options.timeBase !== undefined && !Number.isFinite(Date.parse(options.timeBase)))
      throw new TypeError('evChargingScheduleSelected: options.timeBase must be an ISO date-time');
    this.#firmware({
      type: 'smartCharging.evSchedule',
      evseId,
      selectedChargingScheduleId,
      ...(options.timeBase !== undefined ? { timeBase: options.timeBase } : {}),
    });
  }

  /**
   * 2.1 K22: the EV driver asked at the station (a button, the display) to start priority charging for the
   * transaction on the EVSE, or to end it (`activate` false). With a PriorityCharging profile for the EVSE it applies
   * instead of the TxProfile / TxDefaultProfile and the CSMS gets NotifyPriorityCharging; without one
   * `hardware.priorityChargingUnavailable` tells the driver it cannot be done (K22.FR.01).
   */
  priorityChargingRequested(evseId: number, activate = true): void {
    this.#evse('priorityChargingRequested', evseId);
    if (typeof activate !== 'boolean')
      throw new TypeError('priorityChargingRequested(evseId, activate): activate must be a boolean');
    this.#firmware({ type: 'smartCharging.priority', evseId, activate });
  }

  // --- Internals --------------------------------------------------------------------------------------------

  #firmware(event: FirmwareEvent | BlockEvent | OwnEvent): void {
    // The same events drive the 1.6 blocks: firmware events and the blocks' own events are family-independent
    // (those of 2.x-only blocks — a DER alarm, a battery swap — find no 1.6 use case and are ignored there).
    if (this.#v16) return this.#v16.dispatch(event);
    if (!this.#shell) throw new Error('the station is not started');
    this.#shell.dispatch(event);
  }

  #evse(method: string, evseId: number): number {
    if (!this.#options.evses.some((e) => e.id === evseId))
      throw new RangeError(
        `${method}: evseId ${JSON.stringify(evseId)} does not exist (EVSEs: ${this.#options.evses.map((e) => e.id).join(', ')})`,
      );
    return evseId;
  }

  /** The meter's readings: the readMeter callback if there is one, else the latest pushed. */
  #meter(evseId: number): readonly MeterReading[] {
    const read = this.#options.hardware?.readMeter;
    if (read) {
      try {
        const readings = read(evseId);
        checkReadings(`readMeter(${evseId})`, readings);
        return readings;
      } catch (err) {
        this.emit('log', {
          type: 'log',
          level: 'error',
          message: `readMeter(${evseId}) failed: ${messageOf(err)}`,
        });
      }
      return [];
    }
    return this.#readings?.get(evseId) ?? [];
  }

  #connector(method: string, evseId: number, connectorId: number): { evseId: number; connectorId: number } {
    const evse = this.#options.evses.find((e) => e.id === evseId);
    if (!evse)
      throw new RangeError(
        `${method}: evseId ${evseId} does not exist (EVSEs: ${this.#options.evses.map((e) => e.id).join(', ')})`,
      );
    if (!evse.connectors.some((c) => c.id === connectorId))
      throw new RangeError(`${method}: EVSE ${evseId} has no connector ${connectorId}`);
    return { evseId, connectorId };
  }

  /** B10.FR.04: NetworkConfigurationPriority's order; the profile of the last successful connection as fallback. */
  #connectionPlan(): [ConnectionProfile[], ConnectionProfile | undefined] {
    const saved = savedState<NetworkProfileState>(this.#store, 'network') ?? { stored: {} };
    const order = connectionOrder(
      this.#network,
      saved,
      this.#variables.string('OCPPCommCtrlr', 'NetworkConfigurationPriority'),
    );
    const last = this.#link?.lastConnected();
    const fallback = last ? profilesBySlot(this.#network, saved).get(last.slot) : undefined;
    return [order, fallback && fallback.url === last?.url ? fallback : undefined];
  }

  /**
   * A01: a profile that authenticates with the station's own password (the integrator's, or a CSMS-set profile that
   * carries none) uses SecurityCtrlr.BasicAuthPassword as it is now; a 2.1 profile with its own basicAuthPassword
   * keeps that one.
   */
  #passwordFor(profile: ConnectionProfile): string | undefined {
    const own = this.#network.password;
    if (profile.password === undefined || own === undefined || profile.password !== own) return profile.password;
    return this.#variables.string('SecurityCtrlr', 'BasicAuthPassword') ?? own;
  }

  #clientSettings(profile: ConnectionProfile) {
    const o = this.#options;
    const v = this.#variables;
    const timeoutSec =
      profile.messageTimeoutSec ?? v.int('OCPPCommCtrlr', 'MessageTimeout', { instance: 'Default' }) ?? 30;
    return {
      callTimeoutMs: o.messageTimeoutMs ?? timeoutSec * 1000,
      ...(o.trace ? { trace: o.trace } : {}),
      ...(o.random ? { random: o.random } : {}),
      ...(o.clock ? { timers: timersOf(o.clock) } : {}),
      ...optional('pingIntervalSeconds', v.int('OCPPCommCtrlr', 'WebSocketPingInterval')),
      backoff: {
        ...optional('retryBackOffWaitMinimum', v.int('OCPPCommCtrlr', 'RetryBackOffWaitMinimum')),
        ...optional('retryBackOffRandomRange', v.int('OCPPCommCtrlr', 'RetryBackOffRandomRange')),
        ...optional('retryBackOffRepeatTimes', v.int('OCPPCommCtrlr', 'RetryBackOffRepeatTimes')),
      },
    };
  }

  /**
   * Answers every CSMS→CS action of each offered version, so that none goes unanswered: the boot gate first
   * (B03.FR.08 SecurityError while Rejected, B02.FR.05), then the use case that answers it; DataTransfer without
   * one gets UnknownVendorId (P01.FR.05); any other action CALLERROR NotSupported (Part 4: "recognized but not
   * supported").
   */
  #install(client: Client, versions: readonly Version2x[], shell: Shell): void {
    for (const version of versions) {
      const session = client.session(version);
      const answered = new Set(shell.answeredActions(version));
      // One catch-all handler and after-hook for every action (the action is ctx.action), not a closure and map
      // entry per action and connection: ~100 of them were a fifth of a booted station's closures (issue 18). The
      // RPC layer validates each request against its action's schema before the handler runs.
      const handler = (request: unknown, ctx: { action: string; messageId: string }) => {
        const action = ctx.action;
        const early = gate(registrationOf(shell), action);
        if (early) return early;
        if (answered.has(action)) return shell.answer(action, request, ctx.messageId);
        if (action === 'DataTransfer') return { status: 'UnknownVendorId' };
        throw new CallError('NotSupported', `${action} is not supported by this Charging Station`);
      };
      session.handleOther(handler);
      // A CALLRESULT without after-effects (an action no use case answers) finds none to run.
      session.afterOther((_req, _res, ctx) => shell.answered(ctx.messageId));
      // What was to follow an answer that never went out does not happen (and is not kept). A SetVariables answer
      // stored its values first: the models are read again from the store, so that what is stored is what is used.
      session.on('answerLost', ({ action, messageId }) => {
        shell.discardAnswer(messageId);
        if (action === 'SetVariables') for (const v of this.#versions) (this.#stale ??= new Set()).add(v);
      });
    }
  }

  /** Where and how files are transferred (options.transfers, with ocppkit's defaults). */
  #transferSettings(): TransferSettings {
    const t = this.#options.transfers ?? {};
    const given = this.#options.store;
    const beside = !isStore(given) && given.path !== ':memory:' ? `${given.path}.files` : undefined;
    // N01.FR.15: the CSMS's trust chain (the CAs its connections trust) besides the integrator's and the system's.
    const pems = (ca: string | Buffer | Array<string | Buffer> | undefined): string[] =>
      ca === undefined
        ? []
        : (Array.isArray(ca) ? ca : [ca]).map((c) => (typeof c === 'string' ? c : c.toString('utf8')));
    const csmsCas = [this.#options.csms, ...(this.#options.networkProfiles ?? [])].flatMap((c) => pems(c?.tls?.ca));
    const ca = [...pems(t.ca), ...csmsCas];
    return {
      directory: t.directory ?? beside ?? join(tmpdir(), `ocppkit-${this.identity}-files`),
      maxBytes: t.maxBytes ?? DEFAULT_TRANSFER_SETTINGS.maxBytes,
      timeoutMs: t.timeoutMs ?? DEFAULT_TRANSFER_SETTINGS.timeoutMs,
      reconnects: t.reconnects ?? DEFAULT_TRANSFER_SETTINGS.reconnects,
      ...(ca.length > 0 ? { ca } : {}),
    };
  }

  /** A hardware effect: the integrator's callback of that operation, if given. */
  /**
   * E17.FR.16/17: the connectors with a cable in them at the start, where the integrator's `pluggedConnectors` says;
   * an answer that fails or is not a list of connectors is as none given (the firmware reports the cables later).
   */
  async #pluggedAtStart(): Promise<Array<{ evseId: number; connectorId: number }> | undefined> {
    const ask = this.#options.hardware?.pluggedConnectors;
    if (typeof ask !== 'function') return undefined;
    try {
      const given: unknown = await ask();
      if (!Array.isArray(given)) throw new TypeError('pluggedConnectors() must return an array');
      return given.filter(
        (c): c is { evseId: number; connectorId: number } =>
          c !== null && typeof c === 'object' && Number.isInteger(c.evseId) && Number.isInteger(c.connectorId),
      );
    } catch (err) {
      this.emit('log', {
        type: 'log',
        level: 'error',
        message: `hardware pluggedConnectors failed: ${messageOf(err)}`,
      });
      return undefined;
    }
  }

  async #hardware(call: HardwareCall): Promise<unknown> {
    // `call.args` are the parameters of `call.op`'s own callback; TS cannot correlate the two across the union.
    const callback = this.#options.hardware?.[call.op] as ((...args: unknown[]) => unknown) | undefined;
    return callback?.(...call.args);
  }

  #restart(reason: BootReasonEnumType): Promise<void> {
    this.#restarting ??= (async () => {
      await this.#teardown();
      await this.start(reason);
    })().finally(() => (this.#restarting = undefined));
    return this.#restarting;
  }

  async #teardown(): Promise<void> {
    this.#running = false;
    this.#shell?.stop();
    this.#queue?.close();
    await this.#link?.close();
    this.#shell = undefined;
  }
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  // A computed key is typed `string` by TS; it is K.
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

export type { SendResult };
