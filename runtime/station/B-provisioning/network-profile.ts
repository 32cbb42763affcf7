// B09 Setting a new NetworkConnectionProfile, B10 Migrate to new CSMS (the profile-switching policy).
//
// A station has configuration slots (B09.FR.06: at least two; reported as the valuesList of
// OCPPCommCtrlr.NetworkConfigurationPriority). The integrator fills some of them in the options; the CSMS fills or
// replaces them with SetNetworkProfile, which is validated and stored (B09.FR.01–05) but only used from the next
// start (B10.FR.04). At start the station walks NetworkConfigurationPriority: NetworkProfileConnectionAttempts
// failed attempts on one profile move it to the next (B10.FR.03); when every entry failed it falls back to the
// profile it last connected with and keeps reconnecting there (B10.FR.07), or starts the list again when it never
// connected (2.1 B10.FR.08).
import type { SetNetworkProfileRequest, SetNetworkProfileResponse } from '../../../generated/v201/types.js';
import type {
  NetworkConnectionProfileType as Profile21,
  SetNetworkProfileRequest as SetNetworkProfileRequest21,
} from '../../../generated/v21/types.js';
import type { StationTlsOptions } from '../../rpc/tls.js';
import type { StationView, Step, UseCase } from '../core/types.js';
import type { ComponentConfig } from '../device-model/index.js';
import { withoutCustomData } from '../core/custom-data.js';
import type { ChargingStationOptions } from '../options.js';

/** A connection profile as the station uses it: the integrator's (options) or one the CSMS set (SetNetworkProfile). */
export interface ConnectionProfile {
  /** The configuration slot (a member of NetworkConfigurationPriority's valuesList). */
  slot: number;
  /** The CSMS's OCPP-J endpoint (ocppCsmsUrl); the identity is appended. */
  url: string;
  /** 0 or undefined: no OCPP security profile (development); 1–3 as in A00. */
  securityProfile?: 0 | 1 | 2 | 3;
  /** Basic-auth password (profiles 1 and 2). */
  password?: string;
  /** 2.1: the identity (Basic-auth user name) to use with this profile. Default: the station's identity. */
  identity?: string;
  tls?: StationTlsOptions;
  /** NetworkConnectionProfile.messageTimeout, s. */
  messageTimeoutSec?: number;
  /** The OCPP version the profile names (2.0.1: required; 2.1: ignored, the handshake decides). */
  ocppVersion?: string;
  /** Where it came from: the integrator's options or a SetNetworkProfile. */
  source: 'options' | 'csms';
}

export interface NetworkProfileOptions {
  /** The configuration slots, ascending (NetworkConfigurationPriority valuesList). */
  slots: readonly number[];
  /** The integrator's profiles. */
  configured: readonly ConnectionProfile[];
  /** TLS material for profiles the CSMS sets (the integrator's CA/certificates), if any. */
  tls?: StationTlsOptions;
  /** The station's own Basic-auth password, for CSMS-set profiles that carry none (2.0.1 has no such field). */
  password?: string;
}

export interface NetworkProfileState {
  /** Profiles the CSMS set, by slot, as received. */
  stored: Record<number, SetNetworkProfileRequest['connectionData'] | Profile21>;
  /** The security profile of the last successful connection (A05.FR.06: an upgrade is a higher one). */
  connectedSecurityProfile?: number;
}

const PRIORITY = 'OCPPCommCtrlr.NetworkConfigurationPriority';

/** Default configuration slots when the integrator names none (B09.FR.06: at least two). */
const DEFAULT_SLOTS = [1, 2];

/** The network profile settings: the integrator's profiles, the slots, and what CSMS-set profiles inherit. */
export function networkOptions(o: ChargingStationOptions): NetworkProfileOptions {
  const configured: ConnectionProfile[] = (
    o.networkProfiles ?? (o.csms ? [{ ...o.csms, slot: DEFAULT_SLOTS[0]! }] : [])
  ).map((p) => ({
    slot: p.slot,
    url: p.url,
    ...(p.securityProfile !== undefined ? { securityProfile: p.securityProfile } : {}),
    ...(p.password !== undefined ? { password: p.password } : {}),
    ...(p.tls ? { tls: p.tls } : {}),
    ...('messageTimeout' in p && p.messageTimeout !== undefined ? { messageTimeoutSec: p.messageTimeout } : {}),
    source: 'options' as const,
  }));
  const slots = o.networkSlots ?? [...new Set([...DEFAULT_SLOTS, ...configured.map((p) => p.slot)])];
  const tls = configured.find((p) => p.tls)?.tls;
  const password = configured.find((p) => p.password !== undefined)?.password;
  return {
    slots: [...slots].sort((a, b) => a - b),
    configured,
    ...(tls ? { tls } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}

/**
 * The device-model variables of B09/B10, for the runtime's defaults (merged under the integrator's configuration):
 * NetworkConfigurationPriority with the station's slots as valuesList (B09.FR.05/06) and the integrator's order as
 * initial value; ActiveNetworkProfile, which the station keeps current while connected.
 */
export function networkDeviceModel(options: NetworkProfileOptions): ComponentConfig {
  return {
    name: 'OCPPCommCtrlr',
    variables: [
      {
        name: 'NetworkConfigurationPriority',
        dataType: 'SequenceList',
        valuesList: options.slots.map(String),
        value: options.configured.map((p) => String(p.slot)),
        mutability: 'ReadWrite',
      },
      { name: 'ActiveNetworkProfile', mutability: 'ReadOnly' },
    ],
  };
}

/** Parses a NetworkConfigurationPriority value ("2,1"): slot numbers in order, or a reason it is not one. */
export function parsePriority(value: string): number[] | { invalid: string } {
  const members = value.split(',').map((m) => m.trim());
  if (value.trim() === '' || members.some((m) => !/^\d+$/.test(m)))
    return { invalid: `"${value}" is not a comma-separated list of slot numbers` };
  const slots = members.map(Number);
  if (new Set(slots).size !== slots.length) return { invalid: `"${value}" lists a slot twice` };
  return slots;
}

/** The profile of each slot: a CSMS-set profile replaces the integrator's for the same slot. */
export function profilesBySlot(
  options: NetworkProfileOptions,
  state: NetworkProfileState,
): Map<number, ConnectionProfile> {
  const map = new Map<number, ConnectionProfile>();
  for (const p of options.configured) map.set(p.slot, p);
  for (const [slot, data] of Object.entries(state.stored))
    map.set(Number(slot), fromConnectionData(Number(slot), data, options));
  return map;
}

/**
 * The order in which the station tries its profiles (B10.FR.04: the first entry of NetworkConfigurationPriority
 * first). Entries without a profile are skipped; without a usable priority, the integrator's order applies.
 */
export function connectionOrder(
  options: NetworkProfileOptions,
  state: NetworkProfileState,
  priority: string | undefined,
): ConnectionProfile[] {
  const profiles = profilesBySlot(options, state);
  const parsed = priority === undefined ? undefined : parsePriority(priority);
  const order = Array.isArray(parsed)
    ? parsed.map((slot) => profiles.get(slot)).filter((p): p is ConnectionProfile => p !== undefined)
    : [];
  if (order.length > 0) return order;
  return options.configured.length > 0 ? [...options.configured] : [...profiles.values()];
}

function fromConnectionData(
  slot: number,
  data: NetworkProfileState['stored'][number],
  options: NetworkProfileOptions,
): ConnectionProfile {
  // The version branch of B09: a profile may carry 2.1's fields (identity, basicAuthPassword); read it as 2.1's.
  const d = data as Profile21;
  const password = d.basicAuthPassword ?? options.password;
  return {
    slot,
    url: d.ocppCsmsUrl,
    securityProfile: d.securityProfile as 0 | 1 | 2 | 3,
    ...(password !== undefined ? { password } : {}),
    ...(d.identity !== undefined ? { identity: d.identity } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
    messageTimeoutSec: d.messageTimeout,
    ...(d.ocppVersion !== undefined ? { ocppVersion: d.ocppVersion } : {}),
    source: 'csms',
  };
}

/** The security profile the station runs with now: SecurityCtrlr.SecurityProfile (B09.FR.04). */
function currentSecurityProfile(view: StationView): number {
  return view.variables.int('SecurityCtrlr', 'SecurityProfile') ?? 0;
}

type Verdict = { status: SetNetworkProfileResponse['status']; reasonCode?: string; additionalInfo?: string };

/** B09.FR.02/04/05: whether the CSMS's profile can be stored (undefined) or why not. */
function check(
  request: SetNetworkProfileRequest | SetNetworkProfileRequest21,
  options: NetworkProfileOptions,
  view: StationView,
): Verdict | undefined {
  const { configurationSlot, connectionData } = request;
  // As in fromConnectionData: 2.0.1's connection data read as 2.1's, whose extra fields are then absent.
  const d = connectionData as Profile21;
  const reject = (reasonCode: string, additionalInfo: string): Verdict => ({
    status: 'Rejected',
    reasonCode,
    additionalInfo,
  });
  // B09.FR.05: a slot that is not in NetworkConfigurationPriority's valuesList.
  if (!options.slots.includes(configurationSlot))
    return reject('InvalidValue', `configurationSlot ${configurationSlot} is not one of ${options.slots.join(',')}`);
  if (d.ocppTransport !== 'JSON')
    return reject('UnsupportedParam', `ocppTransport ${d.ocppTransport}: only JSON (OCPP-J) is supported`);
  // 2.0.1: the profile names its OCPP version; this runtime speaks 2.0.1 and 2.1 only. 2.1 ignores the field.
  if (
    view.version !== 'ocpp2.1' &&
    d.ocppVersion !== undefined &&
    !['OCPP20', 'OCPP201', 'OCPP21'].includes(d.ocppVersion)
  ) {
    return reject('UnsupportedParam', `ocppVersion ${d.ocppVersion} is not supported (OCPP 2.0.1 and 2.1 are)`);
  }
  let url: URL;
  try {
    url = new URL(d.ocppCsmsUrl);
  } catch {
    return reject('InvalidURL', 'ocppCsmsUrl is not a URL');
  }
  const sp = d.securityProfile;
  if (![0, 1, 2, 3].includes(sp)) return reject('InvalidValue', `securityProfile ${sp} does not exist (0–3)`);
  // B09.FR.04: never a lower security profile than the one in use. 2.1 B09.FR.31: SecurityCtrlr.
  // AllowSecurityProfileDowngrade true allows 3 → 2, and only that: B09.FR.32 never back to 1 (nor 0) from 2 or 3.
  const current = currentSecurityProfile(view);
  const downgradeAllowed =
    view.version === 'ocpp2.1' &&
    view.variables.bool('SecurityCtrlr', 'AllowSecurityProfileDowngrade') === true &&
    current === 3 &&
    sp === 2;
  if (sp < current && !downgradeAllowed)
    return reject('InvalidValue', `securityProfile ${sp} is lower than the current ${current}`);
  const secure = url.protocol === 'wss:';
  if (url.protocol !== 'ws:' && !secure) return reject('InvalidURL', 'ocppCsmsUrl must be ws:// or wss://');
  if ((sp === 2 || sp === 3) && !secure) return reject('InvalidURL', `security profile ${sp} needs a wss:// URL`);
  if (sp === 1 && secure) return reject('InvalidURL', 'security profile 1 uses ws://');
  if ((sp === 1 || sp === 2) && (d.basicAuthPassword ?? options.password) === undefined)
    return reject('MissingDevModelInfo', `security profile ${sp} needs a Basic-auth password, and none is configured`);
  // A05.FR.03: a certificate the CSMS issued (block M) counts as much as the integrator's.
  const ownCertificate =
    (options.tls?.cert !== undefined && options.tls.key !== undefined) ||
    view.query.hasValidCertificate?.('ChargingStationCertificate') === true;
  if (sp === 3 && !ownCertificate)
    return reject('MissingDevModelInfo', 'security profile 3 needs the station certificate, and none is configured');
  if (!Number.isInteger(d.messageTimeout) || d.messageTimeout <= 0)
    return reject('InvalidValue', 'messageTimeout must be a positive number of seconds');
  return undefined;
}

declare module '../core/types.js' {
  interface StationContext {
    /** B09/B10: the station's network profile settings, for the network use case every station shares. */
    readonly network: NetworkProfileOptions;
  }
}

/**
 * `settings`: the station's network profile settings, or how to read them from the view (blocks.ts: through
 * `view.station`, so that every station shares one use case).
 */
export function networkProfileUseCase(
  settings: NetworkProfileOptions | ((view: StationView) => NetworkProfileOptions),
): UseCase<NetworkProfileState> {
  const optionsOf = typeof settings === 'function' ? settings : () => settings;
  return {
    name: 'network',
    // `saved` is what `save` below wrote (or nothing on a first start), read back from the store.
    init: (_view, saved) => {
      const kept = saved as NetworkProfileState | undefined;
      return {
        stored: { ...(kept?.stored ?? {}) },
        ...(kept?.connectedSecurityProfile !== undefined
          ? { connectedSecurityProfile: kept.connectedSecurityProfile }
          : {}),
      };
    },
    save: (state) => state,

    on: (state, event, view) =>
      event.type === 'connected' ? afterUpgrade(state, event.slot, optionsOf(view), view) : undefined,

    answers: {
      SetNetworkProfile(state, request, view) {
        const req = request;
        const verdict = check(req, optionsOf(view), view);
        if (verdict) {
          const response: SetNetworkProfileResponse = {
            status: verdict.status,
            ...(verdict.reasonCode
              ? {
                  statusInfo: {
                    reasonCode: verdict.reasonCode,
                    ...(verdict.additionalInfo ? { additionalInfo: verdict.additionalInfo.slice(0, 512) } : {}),
                  },
                }
              : {}),
          };
          return { response };
        }
        // B09.FR.01: stored before the answer; B09.FR.03: Failed when the store cannot keep it. The remark of B09:
        // a change of the active profile, too, applies only after a restart.
        const kept = withoutCustomData(req.connectionData);
        const next: NetworkProfileState = { ...state, stored: { ...state.stored, [req.configurationSlot]: kept } };
        return {
          state: next,
          response: { status: 'Accepted' },
          persistOrAnswer: { status: 'Failed', statusInfo: { reasonCode: 'OutOfStorage' } },
          after: [{ type: 'emit', event: { type: 'networkProfile', slot: req.configurationSlot } }],
        };
      },
    },

    validates: {
      // B10.FR.01/02: NetworkConfigurationPriority may only name slots that hold a valid profile.
      [PRIORITY]: (value, state, view) => {
        const parsed = parsePriority(value);
        if (!Array.isArray(parsed)) return 'InvalidValue';
        const options = optionsOf(view);
        const profiles = profilesBySlot(options, state);
        if (!parsed.every((slot) => options.slots.includes(slot) && profiles.has(slot))) return 'InvalidValue';
        return upgradeProblem(
          parsed.map((slot) => profiles.get(slot)!),
          view,
        );
      },
    },
  };
}

/**
 * A05.FR.06: connected with a higher security profile than before (the upgrade of A05.FR.04/05): the profiles with
 * a lower one leave NetworkConfigurationPriority and the CSMS-set ones are forgotten, so that the station never
 * falls back below it (A05.FR.07). The integrator's own profiles stay configured, only out of the priority.
 */
function afterUpgrade(
  state: NetworkProfileState,
  slot: number | undefined,
  options: NetworkProfileOptions,
  view: StationView,
): Step<NetworkProfileState> | undefined {
  const profiles = profilesBySlot(options, state);
  const level = (slot !== undefined ? profiles.get(slot)?.securityProfile : undefined) ?? 0;
  const before = state.connectedSecurityProfile;
  if (before === level) return undefined;
  const next: NetworkProfileState = { ...state, connectedSecurityProfile: level };
  if (before === undefined || level < before) return { state: next, effects: [{ type: 'persist' }] };
  const lower = (s: number) => (profiles.get(s)?.securityProfile ?? 0) < level;
  const stored = Object.fromEntries(Object.entries(state.stored).filter(([s]) => !lower(Number(s))));
  const priority = parsePriority(view.variables.string('OCPPCommCtrlr', 'NetworkConfigurationPriority') ?? '');
  const kept = Array.isArray(priority) ? priority.filter((s) => !lower(s)) : [];
  return {
    state: { ...next, stored },
    effects: [
      { type: 'persist' },
      ...(Array.isArray(priority) && kept.length > 0 && kept.length < priority.length
        ? [
            {
              type: 'setVariable' as const,
              component: 'OCPPCommCtrlr' as const,
              variable: 'NetworkConfigurationPriority' as const,
              value: kept.join(','),
            },
          ]
        : []),
    ],
  };
}

/**
 * A05.FR.02/03: a profile above the current security profile needs what it will connect with: a CSMS root to
 * verify the CSMS (profiles 2 and 3) and a station certificate (profile 3), installed (block M's query) or given
 * by the integrator with the profile. Without them the priority is Rejected and nothing changes.
 * A05.FR.08–10 (2.0.1 edition 3 errata, 2.1): a profile below the current one only from 3 to 2, and only with
 * SecurityCtrlr.AllowSecurityProfileDowngrade true (2.1's device model; not implemented in 2.0.1's, so never there);
 * never 1 (nor 0) once above 1.
 */
function upgradeProblem(profiles: readonly ConnectionProfile[], view: StationView): string | undefined {
  const current = currentSecurityProfile(view);
  const downgrade = view.variables.bool('SecurityCtrlr', 'AllowSecurityProfileDowngrade') === true;
  for (const p of profiles) {
    const level = p.securityProfile ?? 0;
    if (level < current) {
      if (downgrade && current === 3 && level === 2) continue;
      return 'NoSecurityDowngrade';
    }
    if (level <= current || level < 2) continue;
    const root = p.tls?.ca !== undefined || view.query.hasValidCertificate?.('CSMSRootCertificate') === true;
    if (!root) return 'NoCertificate';
    const own =
      (p.tls?.cert !== undefined && p.tls.key !== undefined) ||
      view.query.hasValidCertificate?.('ChargingStationCertificate') === true;
    if (level === 3 && !own) return 'NoCertificate';
  }
  return undefined;
}

/**
 * B10.FR.03/07/08: which profile to try next. `failed()` is called after every failed connection attempt; it returns
 * the profile to switch to, or undefined to keep reconnecting with the current one (with the RPC layer's back-off).
 */
export class ProfileCycle {
  readonly #order: readonly ConnectionProfile[];
  #index = 0;
  #failures = 0;
  /** The profile of the last successful connection (B10.FR.07), possibly one no longer in the order. */
  #lastConnected: ConnectionProfile | undefined;
  /** Every entry failed: the station stays with #lastConnected, reconnecting there (B10.FR.07). */
  #fallback = false;

  constructor(order: readonly ConnectionProfile[], lastConnected?: ConnectionProfile) {
    if (order.length === 0) throw new Error('no network connection profile to connect with');
    this.#order = order;
    this.#lastConnected = lastConnected;
  }

  /** How many profiles the list holds. */
  get size(): number {
    return (
      this.#order.length +
      (this.#lastConnected && !this.#order.some((p) => sameProfile(p, this.#lastConnected!)) ? 1 : 0)
    );
  }

  get current(): ConnectionProfile {
    return this.#fallback && this.#lastConnected ? this.#lastConnected : this.#order[this.#index]!;
  }

  /** A connection attempt with the current profile failed (B10.FR.03: NetworkProfileConnectionAttempts per entry). */
  failed(attemptsPerProfile: number): ConnectionProfile | undefined {
    if (this.#fallback) return undefined;
    if (++this.#failures < Math.max(1, attemptsPerProfile)) return undefined;
    const before = this.current;
    this.#failures = 0;
    this.#index = (this.#index + 1) % this.#order.length;
    // Every entry failed: back to the last successful profile for good (B10.FR.07); never connected with any of
    // them: the list starts again (2.1 B10.FR.08).
    if (this.#index === 0 && this.#lastConnected) this.#fallback = true;
    const next = this.current;
    return sameProfile(next, before) ? undefined : next;
  }

  /** Connected with the current profile: it becomes the fallback; failures count afresh. */
  connected(): void {
    const now = this.current;
    this.#lastConnected = now;
    this.#failures = 0;
    // Back in the list at the profile that worked; one outside the list (no longer in the priority) stays pinned.
    const i = this.#order.findIndex((p) => sameProfile(p, now));
    if (this.#fallback && i >= 0) {
      this.#fallback = false;
      this.#index = i;
    }
  }
}

const sameProfile = (a: ConnectionProfile, b: ConnectionProfile) =>
  a === b || (a.slot === b.slot && a.url === b.url && a.source === b.source);
