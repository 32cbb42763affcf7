// What an integrator gives the ChargingStation, and the checks that turn a bad option into an error naming it.
import type { ProtocolName } from '../protocol.js';
import type { Clock } from '../queue/clock.js';
import type { StationTlsOptions } from '../rpc/tls.js';
import type { TraceSink } from '../rpc/trace.js';
import type { SqliteEngine } from '../store/engine.js';
import type { Store } from '../store/types.js';
import type { BootInfo } from './B-provisioning/boot.js';
import type { AnyUseCase, HardwareOperations } from './core/types.js';
// The blocks declare their hardware operations in their own folders: loading them makes HardwareOperations whole.
import './blocks.js';
import type { DeviceModelConfig, EvseLayout } from './device-model/index.js';
import type { MonitoringOptions } from './N-diagnostics/monitoring/monitoring.js';
import { checkDisplayOptions, type DisplayOptions } from './O-display/settings.js';
import { checkDataTransferHandlers, type DataTransferHandlers } from './P-data-transfer/data-transfer.js';
import { checkTariffOptions, type TariffOptions } from './I-tariff/tariffs.js';

export interface CsmsConnection {
  /** The CSMS's OCPP-J endpoint (ws:// or wss://); the station connects to `<url>/<identity>`. */
  url: string;
  /** 1: ws + Basic auth; 2: wss + CSMS certificate + Basic auth; 3: wss + client certificate (A00). */
  securityProfile?: 1 | 2 | 3;
  /** BasicAuthPassword (profiles 1 and 2). Never logged or traced. */
  password?: string;
  tls?: StationTlsOptions;
}

/** A NetworkConnectionProfile the integrator configures in a slot (B09/B10). */
export interface NetworkProfileOption extends CsmsConnection {
  /** The configuration slot: a member of OCPPCommCtrlr.NetworkConfigurationPriority's valuesList (an integer ≥ 0). */
  slot: number;
  /** NetworkConnectionProfile.messageTimeout: how long a CALL waits for its answer with this profile, s. */
  messageTimeout?: number;
}

/**
 * The firmware's side: ocppkit calls these; each may return a promise. Each is declared, with its documentation,
 * by the block that calls it (reset: B, setConnectorAvailability: G, startCharging/stopCharging: E,
 * unlockConnector: F, readMeter: J); docs/integration.md lists them by block.
 */
export type HardwareCallbacks = Partial<HardwareOperations>;

export interface ChargingStationOptions {
  /** The Charging Station identity (≤ 48 characters, no ":"). Also the Basic-auth user name. */
  identity: string;
  /** The CSMS to connect to: the simple case, the network profile in slot 1. Give this or `networkProfiles`. */
  csms?: CsmsConnection;
  /**
   * Network connection profiles in their slots, in the order they are tried until the CSMS sets
   * OCPPCommCtrlr.NetworkConfigurationPriority (B10). Give this or `csms`.
   */
  networkProfiles?: NetworkProfileOption[];
  /**
   * The configuration slots a SetNetworkProfile may fill (NetworkConfigurationPriority's valuesList). Default: the
   * configured slots and 1 and 2 (B09.FR.06: at least two).
   */
  networkSlots?: number[];
  /**
   * OCPP versions offered, most preferred first. Default ['ocpp2.1', 'ocpp2.0.1']. ['ocpp1.6'] runs the 1.6J station
   * (runtime/station/v16/) behind the same API; 1.6 together with 2.x versions is refused for now.
   */
  versions?: ProtocolName[];
  /** What BootNotification reports about the station. */
  info: BootInfo;
  /**
   * The physical layout: EVSEs (numbered from 1, each with its maximum power in W) and their connectors (numbered from
   * 1 per EVSE, each with its ConnectorEnumType, e.g. `cType2`). They become the EVSE and Connector components.
   */
  evses: EvseLayout[];
  /** ChargingStation.SupplyPhases: 0 for DC, else the number of AC phases. */
  supplyPhases: number;
  /**
   * Where state lives across restarts: a Store, or the path of an SQLite file with the engine that opens it (default
   * better-sqlite3; `node:sqlite` on Node ≥ 22.13 needs no native module). `:memory:` (tests, simulators): nothing
   * survives the process; without an engine it is ocppkit's plain-JavaScript in-memory store, not SQLite.
   */
  store: Store | { path: string; engine?: SqliteEngine };
  /** The device model: components and variables beyond ocppkit's defaults, values, mutability (docs/device-model.md). */
  deviceModel?: DeviceModelConfig;
  /** Shorthand for values of variables without instance: `{ 'OCPPCommCtrlr.HeartbeatInterval': 60 }`. */
  variables?: Record<string, string | number | boolean>;
  hardware?: HardwareCallbacks;
  /** Time source (tests inject a ManualClock). */
  clock?: Clock;
  /** Random source for the reconnect back-off (tests). */
  random?: () => number;
  /** Receives every OCPP-J frame in and out, secrets masked. */
  trace?: TraceSink;
  /** How long a CALL waits for its answer, ms. Default: the profile's messageTimeout, OCPPCommCtrlr.MessageTimeout, else 30 s. */
  messageTimeoutMs?: number;
  /** How much authorization data the station keeps (the maxLimits of AuthCacheCtrlr.Storage and LocalAuthListCtrlr.Entries). */
  authorization?: AuthorizationLimits;
  /**
   * The station's own variable monitors (N): hard-wired ones, always active, and preconfigured ones, active with
   * monitoring base All or FactoryDefault. The CSMS adds its own with SetVariableMonitoring.
   */
  monitoring?: MonitoringOptions;
  /**
   * What the display can show (block O: formats, priorities, states, languages, how many messages it keeps); used
   * with `hardware.showDisplay`, without which the station has no display and answers SetDisplayMessage NotSupported.
   */
  display?: DisplayOptions;
  /**
   * P01: answers to the CSMS's DataTransfer requests, by vendorId and messageId (`handler()` types a message's data).
   * A vendorId not listed is answered UnknownVendorId, a messageId not listed UnknownMessageId (unless the vendor
   * has `any`).
   */
  dataTransfer?: DataTransferHandlers;
  /**
   * 2.1 I07–I11: the station keeps the tariffs the CSMS installs (SetDefaultTariff, GetTariffs, ClearTariffs,
   * ChangeTransactionTariff) and what its local cost calculation supports. Without it these are NotSupported.
   */
  tariffs?: TariffOptions;
  /**
   * Your own use cases (e.g. a vendor DataTransfer, see docs/station.md for the contract). They run in the same
   * shell as ocppkit's, after them and before availability; a CSMS request one of them answers is no longer
   * answered NotSupported.
   */
  useCases?: AnyUseCase[];
  /** Firmware update (L01/L02): how signed firmware is checked. The file is installed by `hardware.installFirmware`. */
  firmware?: FirmwareOptions;
  /** File transfers (firmware downloads, log uploads): where files go, limits, trusted CAs. */
  transfers?: TransferOptions;
  /** The certificate store (block M, A02/A03): where private keys go and how many CA certificates it keeps. */
  certificates?: CertificateOptions;
}

export interface FirmwareOptions {
  /**
   * The ManufacturerRootCertificate(s), PEM: a signing certificate in UpdateFirmware must be issued by one of them
   * (L01.FR.21/22), besides those the CSMS installs with InstallCertificate (block M's store), e.g. the roots the
   * station leaves the factory with.
   */
  rootCertificates?: string[];
  /** Refuse unsigned firmware (UpdateFirmware without signingCertificate: Rejected, TC_L_18_CS). Default false. */
  requireSigned?: boolean;
  /**
   * What the station can do while a transaction runs (L01.FR.06). `'download'` (default): download and verify at
   * once, install once no transaction runs (InstallScheduled meanwhile; TC_L_14/15_CS). `'wait'`: neither download
   * nor install — DownloadScheduled until every transaction ended (TC_L_12/13_CS). `'install'`: the firmware can be
   * installed while transactions run, so nothing waits (TC_L_16_CS).
   */
  duringTransactions?: FirmwareDuringTransactions;
}

export type FirmwareDuringTransactions = 'download' | 'wait' | 'install';

export interface TransferOptions {
  /** Where downloaded files are written. Default: `<store file>.files/`, or a directory under the OS's tmpdir. */
  directory?: string;
  /** The largest file a download may bring, bytes. Default 256 MiB. */
  maxBytes?: number;
  /** A transfer with no progress for this long fails, ms. Default 30 000. */
  timeoutMs?: number;
  /** Resumes or restarts after a lost connection within one transfer. Default 3. */
  reconnects?: number;
  /** CA certificates (PEM) trusted for HTTPS and FTPS besides the system's. */
  ca?: string | string[];
}

export interface CertificateOptions {
  /**
   * The folder of the station's private keys (created 0700, each key a 0600 file). Default: `<store file>.keys`
   * next to the SQLite file; with a `:memory:` store or a Store object without a file, none: the station then
   * cannot make key pairs (SignCertificate triggers are Rejected).
   */
  keyFolder?: string;
  /** CA certificates kept at most (SecurityCtrlr.CertificateEntries, M05.FR.06). Default 50. */
  maxEntries?: number;
  /**
   * How many days before it expires the station starts renewing its certificate by itself (A03.FR.02: a month).
   * Default 30. A certificate valid for less than twice as long is renewed halfway through its validity instead.
   */
  renewBeforeDays?: number;
  /**
   * A02.FR.01: at its first security-profile-3 connection with the certificate it was installed with (`tls.cert`,
   * e.g. a factory certificate), the station asks the CSMS for one of its own (SignCertificate). Default false.
   */
  replaceInitialCertificate?: boolean;
}

export interface AuthorizationLimits {
  /** Tokens the authorization cache keeps at most; older ones make room (C10.FR.07). Default 1000. */
  cacheMaxEntries?: number;
  /** Bytes the authorization cache uses at most. Default 512 KiB. */
  cacheMaxBytes?: number;
  /** Tokens the local authorization list holds at most; a larger list is refused (Failed). Default 5000. */
  localListMaxEntries?: number;
}

export class StationOptionsError extends TypeError {
  override name = 'StationOptionsError';
  constructor(
    /** The option at fault, as a dotted path (`csms.url`, `evses[0].id`); a CLI maps it to its flag. */
    readonly field: string,
    /** What is wrong with it, without the field name. */
    readonly problem: string,
  ) {
    super(`ChargingStation options.${field}: ${problem}`);
  }
}

const fail = (field: string, problem: string): never => {
  throw new StationOptionsError(field, problem);
};

/** Throws a StationOptionsError naming the first bad field. */
export function checkOptions(o: ChargingStationOptions): void {
  if (o === null || typeof o !== 'object') fail('', 'expected an options object');
  if (typeof o.identity !== 'string' || o.identity.length === 0) fail('identity', 'must be a non-empty string');
  if (o.identity.length > 48)
    fail('identity', `must be at most 48 characters (Part 4 §3.1.1), got ${o.identity.length}`);
  if (o.identity.includes(':')) fail('identity', 'must not contain ":" (it is the Basic-auth user name)');
  if (o.csms === undefined && o.networkProfiles === undefined)
    fail('csms', 'must give the CSMS connection (csms, or networkProfiles)');
  if (o.csms !== undefined && o.networkProfiles !== undefined)
    fail('networkProfiles', 'give csms or networkProfiles, not both');
  if (o.csms !== undefined) checkConnection(o.csms, 'csms', holdsCertificates(o));
  if (o.networkProfiles !== undefined) {
    if (!Array.isArray(o.networkProfiles) || o.networkProfiles.length === 0)
      fail('networkProfiles', 'must list at least one profile');
    const seen = new Set<number>();
    o.networkProfiles.forEach((p, i) => {
      const f = `networkProfiles[${i}]`;
      if (p === null || typeof p !== 'object')
        fail(f, 'must be { slot, url, securityProfile?, password?, tls?, messageTimeout? }');
      if (!Number.isInteger(p.slot) || p.slot < 0)
        fail(`${f}.slot`, `must be an integer ≥ 0, got ${JSON.stringify(p.slot)}`);
      if (seen.has(p.slot)) fail(`${f}.slot`, `slot ${p.slot} is configured twice`);
      seen.add(p.slot);
      if (p.messageTimeout !== undefined && (!Number.isInteger(p.messageTimeout) || p.messageTimeout <= 0))
        fail(`${f}.messageTimeout`, 'must be a positive integer of seconds');
      checkConnection(p, f, holdsCertificates(o));
    });
  }
  if (o.networkSlots !== undefined) {
    if (!Array.isArray(o.networkSlots) || o.networkSlots.some((s) => !Number.isInteger(s) || s < 0))
      fail('networkSlots', 'must be a list of integers ≥ 0');
    if (new Set(o.networkSlots).size !== o.networkSlots.length) fail('networkSlots', 'lists a slot twice');
    if (o.networkSlots.length < 2) fail('networkSlots', 'must offer at least two slots (B09.FR.06)');
    for (const p of o.networkProfiles ?? [])
      if (!o.networkSlots.includes(p.slot)) fail('networkSlots', `does not include slot ${p.slot} of networkProfiles`);
  }
  for (const v of o.versions ?? []) {
    if (v !== 'ocpp2.0.1' && v !== 'ocpp2.1' && v !== 'ocpp1.6')
      fail('versions', `unknown OCPP version ${JSON.stringify(v)} (ocpp2.0.1, ocpp2.1, ocpp1.6)`);
  }
  const v16 = o.versions?.includes('ocpp1.6') ?? false;
  // One station runtime per connection version: 1.6 and 2.x side by side would need two sets of blocks and state.
  if (v16 && o.versions!.length > 1)
    fail(
      'versions',
      `offers ocpp1.6 together with ${o.versions!.filter((v) => v !== 'ocpp1.6').join(', ')}: not supported yet; give ['ocpp1.6'] alone, or 2.x versions only`,
    );
  if (o.versions && (o.versions.length === 0 || new Set(o.versions).size !== o.versions.length))
    fail('versions', 'must list each version once, at least one');
  if (!o.info || typeof o.info.model !== 'string' || o.info.model.length === 0)
    fail('info.model', 'must be a non-empty string (BootNotification chargingStation.model)');
  if (o.info.model.length > 20) fail('info.model', 'must be at most 20 characters');
  if (typeof o.info.vendorName !== 'string' || o.info.vendorName.length === 0)
    fail('info.vendorName', 'must be a non-empty string');
  if (o.info.vendorName.length > 50) fail('info.vendorName', 'must be at most 50 characters');
  // 1.6 BootNotification.chargePointVendor is CiString20 (2.x vendorName: 50).
  if (v16 && o.info.vendorName.length > 20)
    fail('info.vendorName', 'must be at most 20 characters in OCPP 1.6 (chargePointVendor)');
  if (o.info.serialNumber !== undefined && (typeof o.info.serialNumber !== 'string' || o.info.serialNumber.length > 25))
    fail('info.serialNumber', 'must be a string of at most 25 characters');
  if (
    o.info.firmwareVersion !== undefined &&
    (typeof o.info.firmwareVersion !== 'string' || o.info.firmwareVersion.length > 50)
  )
    fail('info.firmwareVersion', 'must be a string of at most 50 characters');
  if (!Array.isArray(o.evses) || o.evses.length === 0) fail('evses', 'must list at least one EVSE');
  o.evses.forEach((e, i) => {
    if (!Number.isInteger(e?.id) || e.id !== i + 1)
      fail(`evses[${i}].id`, `EVSEs are numbered 1, 2, … in order: expected ${i + 1}, got ${JSON.stringify(e?.id)}`);
    if (!Array.isArray(e.connectors) || e.connectors.length === 0)
      fail(`evses[${i}].connectors`, 'must list at least one connector');
    e.connectors.forEach((c, j) => {
      if (!Number.isInteger(c?.id) || c.id !== j + 1)
        fail(
          `evses[${i}].connectors[${j}].id`,
          `connectors are numbered 1, 2, … per EVSE: expected ${j + 1}, got ${JSON.stringify(c?.id)}`,
        );
    });
  });
  if (!Number.isInteger(o.supplyPhases) || o.supplyPhases < 0 || o.supplyPhases > 3)
    fail('supplyPhases', `must be 0 (DC), 1 or 3, got ${JSON.stringify(o.supplyPhases)}`);
  if (!o.store || (!isStore(o.store) && typeof (o.store as { path?: unknown }).path !== 'string'))
    fail('store', 'must be a Store or { path: "<file>.db" }');
  if (o.messageTimeoutMs !== undefined && (!Number.isInteger(o.messageTimeoutMs) || o.messageTimeoutMs <= 0))
    fail('messageTimeoutMs', 'must be a positive integer of milliseconds');
  for (const key of ['cacheMaxEntries', 'cacheMaxBytes', 'localListMaxEntries'] as const) {
    const v = o.authorization?.[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1))
      fail(`authorization.${key}`, `must be a positive integer, got ${JSON.stringify(v)}`);
  }
  if (o.hardware !== undefined) {
    if (o.hardware === null || typeof o.hardware !== 'object') fail('hardware', 'must be an object of callbacks');
    for (const [k, fn] of Object.entries(o.hardware))
      if (fn !== undefined && typeof fn !== 'function') fail(`hardware.${k}`, 'must be a function');
  }
  if (o.useCases !== undefined) {
    if (!Array.isArray(o.useCases)) fail('useCases', 'must be a list of use cases');
    // Use cases are typed by the 2.x family; the 1.6 station does not run them (yet): refused rather than ignored.
    if (v16 && o.useCases.length > 0)
      fail('useCases', "are 2.x use cases: a station with versions ['ocpp1.6'] does not run them yet");
    o.useCases.forEach((uc, i) => {
      if (!uc || typeof uc.name !== 'string' || uc.name === '')
        fail(`useCases[${i}].name`, 'must be a non-empty string');
      if (typeof uc.init !== 'function') fail(`useCases[${i}].init`, 'must be a function (view, saved) => state');
    });
  }
  if (o.firmware?.rootCertificates !== undefined) {
    if (!Array.isArray(o.firmware.rootCertificates) || o.firmware.rootCertificates.some((c) => typeof c !== 'string'))
      fail('firmware.rootCertificates', 'must be a list of PEM certificates');
  }
  const during = o.firmware?.duringTransactions;
  if (during !== undefined && during !== 'download' && during !== 'wait' && during !== 'install')
    fail('firmware.duringTransactions', `must be 'download', 'wait' or 'install', got ${JSON.stringify(during)}`);
  for (const key of ['maxBytes', 'timeoutMs'] as const) {
    const v = o.transfers?.[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1))
      fail(`transfers.${key}`, `must be a positive integer, got ${JSON.stringify(v)}`);
  }
  if (
    o.transfers?.reconnects !== undefined &&
    (!Number.isInteger(o.transfers.reconnects) || o.transfers.reconnects < 0)
  )
    fail('transfers.reconnects', 'must be an integer ≥ 0');
  if (o.certificates !== undefined) {
    if (o.certificates === null || typeof o.certificates !== 'object')
      fail('certificates', 'must be { keyFolder?, maxEntries?, renewBeforeDays?, replaceInitialCertificate? }');
    if (
      o.certificates.keyFolder !== undefined &&
      (typeof o.certificates.keyFolder !== 'string' || o.certificates.keyFolder === '')
    )
      fail('certificates.keyFolder', 'must be the path of a folder');
    const max = o.certificates.maxEntries;
    if (max !== undefined && (!Number.isInteger(max) || max < 1))
      fail('certificates.maxEntries', `must be a positive integer, got ${JSON.stringify(max)}`);
    const days = o.certificates.renewBeforeDays;
    if (days !== undefined && (typeof days !== 'number' || !Number.isFinite(days) || days <= 0))
      fail('certificates.renewBeforeDays', `must be a positive number of days, got ${JSON.stringify(days)}`);
    const initial = o.certificates.replaceInitialCertificate;
    if (initial !== undefined && typeof initial !== 'boolean')
      fail('certificates.replaceInitialCertificate', 'must be true or false');
  }
  for (const [key, value] of Object.entries(o.variables ?? {})) {
    // 1.6 also takes its configuration keys by their own names (v16/configuration/mapping.ts).
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_()/.-]+$/.test(key) && !(v16 && /^[A-Za-z0-9_-]+$/.test(key)))
      fail(
        `variables.${key}`,
        v16 ? 'keys are "Component.Variable" or a 1.6 configuration key' : 'keys are "Component.Variable"',
      );
    if (!['string', 'number', 'boolean'].includes(typeof value))
      fail(`variables.${key}`, 'must be a string, number or boolean');
  }
  checkDisplayOptions(o.display, fail);
  checkDataTransferHandlers(o.dataTransfer, fail);
  checkTariffOptions(o.tariffs, fail);
}

/**
 * Whether the station can keep certificates of its own (block M: a key folder next to a store file, or given): then
 * profile 3 may start without `tls.cert`, using the ChargingStationCertificate the CSMS issued (A02).
 */
function holdsCertificates(o: ChargingStationOptions): boolean {
  if (o.certificates?.keyFolder !== undefined) return true;
  const store = o.store as Store | { path?: unknown } | undefined;
  if (!store || typeof store !== 'object') return false;
  const location = isStore(store as Store) ? (store as Store).location : (store as { path?: unknown }).path;
  return typeof location === 'string' && location !== ':memory:' && location !== '';
}

function checkConnection(c: CsmsConnection, field: string, holdsCertificates: boolean): void {
  if (c === null || typeof c !== 'object' || typeof c.url !== 'string')
    fail(`${field}.url`, 'must be the CSMS URL (ws:// or wss://)');
  let url: URL | undefined;
  try {
    url = new URL(c.url);
  } catch {
    fail(`${field}.url`, `is not a URL: ${JSON.stringify(c.url)}`);
  }
  if (url!.protocol !== 'ws:' && url!.protocol !== 'wss:')
    fail(
      `${field}.url`,
      // Quoted as given: `localhost:9000` parses as the scheme "localhost:", which the user never wrote.
      `must start with ws:// or wss://, got ${JSON.stringify(c.url)}${c.url.includes('://') ? '' : ` (did you mean ${JSON.stringify(`ws://${c.url}`)}?)`}`,
    );
  const profile = c.securityProfile;
  if (profile !== undefined && ![1, 2, 3].includes(profile))
    fail(`${field}.securityProfile`, `must be 1, 2 or 3, got ${String(profile)}`);
  if ((profile === 2 || profile === 3) && url!.protocol !== 'wss:')
    fail(`${field}.url`, `security profile ${profile} needs wss://`);
  if (profile === 1 && url!.protocol !== 'ws:')
    fail(`${field}.url`, 'security profile 1 uses ws:// (profiles 2 and 3 use wss://)');
  if ((profile === 1 || profile === 2) && (typeof c.password !== 'string' || c.password.length === 0))
    fail(`${field}.password`, `security profile ${profile} needs the Basic-auth password`);
  if (profile === 3 && (!c.tls?.cert || !c.tls.key) && !holdsCertificates)
    fail(
      `${field}.tls`,
      'security profile 3 needs tls.cert and tls.key (the station certificate), or a store file (or certificates.keyFolder) where the station keeps the certificate the CSMS issues it',
    );
}

/** A Store given by the integrator, as opposed to the path of an SQLite file to open. */
export function isStore(given: Store | { path: string; engine?: SqliteEngine }): given is Store {
  return typeof (given as Partial<Store>).get === 'function';
}
