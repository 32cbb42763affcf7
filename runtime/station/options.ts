// What an integrator gives the ChargingStation, and the checks that turn a bad option into an error naming it.
import type { ProtocolName } from '../protocol.js';
import type { Clock } from '../queue/clock.js';
import type { StationTlsOptions } from '../rpc/tls.js';
import type { TraceSink } from '../rpc/trace.js';
import type { Store } from '../store/types.js';
import type { BootInfo } from './B-provisioning/boot.js';
import type { DeviceModelConfig, EvseLayout } from './device-model/index.js';

export interface CsmsConnection {
  /** The CSMS's OCPP-J endpoint (ws:// or wss://); the station connects to `<url>/<identity>`. */
  url: string;
  /** 1: ws + Basic auth; 2: wss + CSMS certificate + Basic auth; 3: wss + client certificate (A00). */
  securityProfile?: 1 | 2 | 3;
  /** BasicAuthPassword (profiles 1 and 2). Never logged or traced. */
  password?: string;
  tls?: StationTlsOptions;
}

/** The firmware's side: ocppkit calls these; each may return a promise. */
export interface HardwareCallbacks {
  /**
   * Reset the station (evseId undefined) or one EVSE (B11/B12). Called after the ResetResponse was sent. For the
   * station, ocppkit then restarts itself (BootNotification with reason RemoteReset); firmware that reboots the
   * device simply never returns.
   */
  reset?(kind: 'Immediate' | 'OnIdle', evseId?: number): void | Promise<void>;
  /** A connector became operative or inoperative by a ChangeAvailability (G03/G04): enable or disable it. */
  setConnectorAvailability?(evseId: number, connectorId: number, operative: boolean): void | Promise<void>;
}

export interface ChargingStationOptions {
  /** The Charging Station identity (≤ 48 characters, no ":"). Also the Basic-auth user name. */
  identity: string;
  csms: CsmsConnection;
  /** OCPP versions offered, most preferred first. Default ['ocpp2.1', 'ocpp2.0.1']. */
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
  /** Where state lives across restarts: a Store, or the path of an SQLite file (`:memory:` for tests). */
  store: Store | { path: string };
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
  /** How long a CALL waits for its answer, ms. Default: OCPPCommCtrlr.MessageTimeout, else 30 s. */
  messageTimeoutMs?: number;
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
  if (o.identity.length > 48) fail('identity', `must be at most 48 characters (Part 4 §3.1.1), got ${o.identity.length}`);
  if (o.identity.includes(':')) fail('identity', 'must not contain ":" (it is the Basic-auth user name)');
  if (!o.csms || typeof o.csms.url !== 'string') fail('csms.url', 'must be the CSMS URL (ws:// or wss://)');
  let url: URL | undefined;
  try {
    url = new URL(o.csms.url);
  } catch {
    fail('csms.url', `is not a URL: ${JSON.stringify(o.csms.url)}`);
  }
  if (url!.protocol !== 'ws:' && url!.protocol !== 'wss:') fail('csms.url', `must start with ws:// or wss://, got ${url!.protocol}//`);
  const profile = o.csms.securityProfile;
  if (profile !== undefined && ![1, 2, 3].includes(profile)) fail('csms.securityProfile', `must be 1, 2 or 3, got ${String(profile)}`);
  if ((profile === 2 || profile === 3) && url!.protocol !== 'wss:') fail('csms.url', `security profile ${profile} needs wss://`);
  if (profile === 1 && url!.protocol !== 'ws:') fail('csms.url', 'security profile 1 uses ws:// (profiles 2 and 3 use wss://)');
  if ((profile === 1 || profile === 2) && (typeof o.csms.password !== 'string' || o.csms.password.length === 0)) fail('csms.password', `security profile ${profile} needs the Basic-auth password`);
  for (const v of o.versions ?? []) {
    if (v === 'ocpp1.6') fail('versions', 'the charging-station use cases of OCPP 1.6 are not implemented yet: the station runtime speaks ocpp2.0.1 and ocpp2.1 (ocppkit/v16 and the RPC layer do support 1.6)');
    if (v !== 'ocpp2.0.1' && v !== 'ocpp2.1') fail('versions', `unknown OCPP version ${JSON.stringify(v)} (ocpp2.0.1, ocpp2.1)`);
  }
  if (o.versions && (o.versions.length === 0 || new Set(o.versions).size !== o.versions.length)) fail('versions', 'must list each version once, at least one');
  if (!o.info || typeof o.info.model !== 'string' || o.info.model.length === 0) fail('info.model', 'must be a non-empty string (BootNotification chargingStation.model)');
  if (o.info.model.length > 20) fail('info.model', 'must be at most 20 characters');
  if (typeof o.info.vendorName !== 'string' || o.info.vendorName.length === 0) fail('info.vendorName', 'must be a non-empty string');
  if (o.info.vendorName.length > 50) fail('info.vendorName', 'must be at most 50 characters');
  if (o.info.serialNumber !== undefined && (typeof o.info.serialNumber !== 'string' || o.info.serialNumber.length > 25)) fail('info.serialNumber', 'must be a string of at most 25 characters');
  if (o.info.firmwareVersion !== undefined && (typeof o.info.firmwareVersion !== 'string' || o.info.firmwareVersion.length > 50)) fail('info.firmwareVersion', 'must be a string of at most 50 characters');
  if (!Array.isArray(o.evses) || o.evses.length === 0) fail('evses', 'must list at least one EVSE');
  o.evses.forEach((e, i) => {
    if (!Number.isInteger(e?.id) || e.id !== i + 1) fail(`evses[${i}].id`, `EVSEs are numbered 1, 2, … in order: expected ${i + 1}, got ${JSON.stringify(e?.id)}`);
    if (!Array.isArray(e.connectors) || e.connectors.length === 0) fail(`evses[${i}].connectors`, 'must list at least one connector');
    e.connectors.forEach((c, j) => {
      if (!Number.isInteger(c?.id) || c.id !== j + 1) fail(`evses[${i}].connectors[${j}].id`, `connectors are numbered 1, 2, … per EVSE: expected ${j + 1}, got ${JSON.stringify(c?.id)}`);
    });
  });
  if (!Number.isInteger(o.supplyPhases) || o.supplyPhases < 0 || o.supplyPhases > 3) fail('supplyPhases', `must be 0 (DC), 1 or 3, got ${JSON.stringify(o.supplyPhases)}`);
  if (!o.store || (typeof (o.store as Store).get !== 'function' && typeof (o.store as { path?: unknown }).path !== 'string')) fail('store', 'must be a Store or { path: "<file>.db" }');
  if (o.messageTimeoutMs !== undefined && (!Number.isInteger(o.messageTimeoutMs) || o.messageTimeoutMs <= 0)) fail('messageTimeoutMs', 'must be a positive integer of milliseconds');
  for (const [key, value] of Object.entries(o.variables ?? {})) {
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_()/.-]+$/.test(key)) fail(`variables.${key}`, 'keys are "Component.Variable"');
    if (!['string', 'number', 'boolean'].includes(typeof value)) fail(`variables.${key}`, 'must be a string, number or boolean');
  }
}
