// The station's link to the CSMS across network connection profiles (B10). One StationClient per profile: the RPC
// client's URL, identity and security settings are fixed at construction, so moving to another profile closes the
// current client (B10.FR.06: disconnect first) and creates the next. Which profile comes next is ProfileCycle's
// decision (B-provisioning/network-profile.ts); reconnecting within one profile is the client's own back-off
// (Part 4 §5.3).
import { EventEmitter } from 'node:events';
import { protocol as v201 } from '../../../generated/v201/index.js';
import { protocol as v21 } from '../../../generated/v21/index.js';
import { StationClient, type StationClientOptions } from '../../rpc/client.js';
import type { Clock } from '../../queue/clock.js';
import type { Timers } from '../../rpc/timers.js';
import type { Store } from '../../store/types.js';
import { ProfileCycle, type ConnectionProfile } from '../B-provisioning/network-profile.js';
import type { Version2x } from './types.js';

export type Protocols = (typeof v21 | typeof v201)[];
export type Client = StationClient<Protocols>;
type ClientSettings = Omit<
  StationClientOptions<Protocols>,
  'url' | 'identity' | 'protocols' | 'securityProfile' | 'password' | 'tls'
>;

const PROTOCOLS = { 'ocpp2.1': v21, 'ocpp2.0.1': v201 } as const;
const NAMESPACE = 'station.network';

export interface CsmsLinkOptions {
  identity: string;
  /** Versions offered, most preferred first. */
  versions: readonly Version2x[];
  store: Store;
  /** OCPPCommCtrlr.NetworkProfileConnectionAttempts, read at every failure. */
  attemptsPerProfile: () => number;
  /** The RPC settings of a client for this profile (timeouts, back-off, keep-alive, timers, trace). */
  settings: (profile: ConnectionProfile) => ClientSettings;
  /** Installs the station's handlers on a new client (each client has its own sessions). */
  install: (client: Client) => void;
  /** The Basic-auth password to use with a profile now (A01: SecurityCtrlr.BasicAuthPassword may have changed). */
  password?: (profile: ConnectionProfile) => string | undefined;
  /** The TLS settings to use with a profile now (A02.FR.08: a new station certificate; M05: installed CSMS roots). */
  tls?: (profile: ConnectionProfile) => ConnectionProfile['tls'];
}

export interface CsmsLinkEvents {
  connected: [info: { session: NonNullable<Client['current']>; version: Version2x; profile: ConnectionProfile }];
  disconnected: [info: { code: number; reason: string; profile: ConnectionProfile }];
  connectFailed: [info: { error: Error; attempt: number; profile: ConnectionProfile }];
  /** Every attempt with `from` failed NetworkProfileConnectionAttempts times: the station now tries `to` (B10.FR.03). */
  switched: [info: { from: ConnectionProfile; to: ConnectionProfile }];
}

export class CsmsLink extends EventEmitter<CsmsLinkEvents> {
  readonly #options: CsmsLinkOptions;
  #cycle: ProfileCycle | undefined;
  #client: Client | undefined;
  #closed = false;
  /** Profiles in a row the RPC layer refused to build a client for; when every one is refused, nothing can work. */
  #unusable = 0;

  constructor(options: CsmsLinkOptions) {
    super();
    this.#options = options;
  }

  /** The negotiated session while connected. */
  get current(): Client['current'] {
    return this.#client?.current;
  }

  /** The profile in use (being tried, or connected). */
  get profile(): ConnectionProfile | undefined {
    return this.#cycle?.current;
  }

  /** The profile of the last successful connection, as stored (slot and URL), to find it again after a restart. */
  lastConnected(): { slot: number; url: string } | undefined {
    return this.#options.store.get(NAMESPACE, 'lastConnected');
  }

  /** Starts connecting with the first profile of `order` (B10.FR.04); `fallback` is the last one that worked. */
  start(order: readonly ConnectionProfile[], fallback: ConnectionProfile | undefined): void {
    if (this.#cycle) throw new Error('the connection was already started');
    this.#cycle = new ProfileCycle(order, fallback);
    this.#open(this.#cycle.current);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    await client?.close();
  }

  /**
   * Closes the connection and connects again to the same profile with a new client, which reads the credentials
   * afresh (A01, TC_A_09_CS: the next upgrade request carries the new BasicAuthPassword).
   */
  async reconnect(): Promise<void> {
    const old = this.#client;
    const profile = this.#cycle?.current;
    if (!old || !profile || this.#closed) return;
    await old.close();
    if (this.#client !== old || this.#closed) return;
    this.#client = undefined;
    this.#open(profile);
  }

  #open(profile: ConnectionProfile): void {
    if (this.#closed) return;
    const o = this.#options;
    const password = o.password ? o.password(profile) : profile.password;
    const tls = o.tls ? o.tls(profile) : profile.tls;
    let client: Client;
    try {
      client = new StationClient({
        ...o.settings(profile),
        url: profile.url,
        identity: profile.identity ?? o.identity,
        protocols: offered(o.versions, profile).map((v) => PROTOCOLS[v]),
        ...(profile.securityProfile ? { securityProfile: profile.securityProfile } : {}),
        ...(password !== undefined ? { password } : {}),
        ...(tls ? { tls } : {}),
      });
    } catch (error) {
      // A profile the RPC layer cannot use (e.g. profile 3 without a certificate) has failed all its attempts.
      this.emit('connectFailed', {
        error: error instanceof Error ? error : new Error(String(error)),
        attempt: 1,
        profile,
      });
      if (++this.#unusable > this.#cycle!.size) return;
      return this.#failedFor(profile, 1);
    }
    this.#unusable = 0;
    this.#client = client;
    o.install(client);
    client.on('connected', (session) => {
      if (this.#client !== client) return;
      this.#cycle!.connected();
      o.store.put(NAMESPACE, 'lastConnected', { slot: profile.slot, url: profile.url });
      // The client offered the station's versions only: the one negotiated is one of them.
      this.emit('connected', { session, version: session.protocol as Version2x, profile });
    });
    client.on('disconnected', (info) => {
      if (this.#client === client) this.emit('disconnected', { code: info.code, reason: info.reason, profile });
    });
    client.on('connectFailed', (info) => {
      if (this.#client !== client) return;
      this.emit('connectFailed', { error: info.error, attempt: info.attempt, profile });
      this.#failedFor(profile, o.attemptsPerProfile());
    });
    client.connect().catch(() => {
      /* reported through connectFailed; the client keeps retrying */
    });
  }

  #failedFor(profile: ConnectionProfile, attempts: number): void {
    const next = this.#cycle!.failed(attempts);
    if (!next || this.#closed) return;
    const old = this.#client;
    this.#client = undefined;
    this.emit('switched', { from: profile, to: next });
    // B10.FR.06: the old client is closed (no more retries) before the next one connects.
    void (old ? old.close() : Promise.resolve()).then(() => this.#open(next));
  }
}

/** The versions to offer with a profile: the one it names first (2.0.1's ocppVersion), then the others. */
function offered(versions: readonly Version2x[], profile: ConnectionProfile): Version2x[] {
  const wanted: Version2x | undefined =
    profile.ocppVersion === 'OCPP21'
      ? 'ocpp2.1'
      : profile.ocppVersion === 'OCPP20' || profile.ocppVersion === 'OCPP201'
        ? 'ocpp2.0.1'
        : undefined;
  if (!wanted || !versions.includes(wanted)) return [...versions];
  return [wanted, ...versions.filter((v) => v !== wanted)];
}

/** The RPC layer's timers on the station's clock, so tests move one clock for everything. */
export function timersOf(clock: Clock): Timers {
  const intervals = new Map<object, unknown>();
  return {
    now: () => clock.now(),
    setTimeout: (fn, ms, arg) => clock.setTimeout(() => fn(arg), ms),
    // The handles the RPC layer gets back are the clock's own (setTimeout above); its type only says `unknown`.
    clearTimeout: (h) => clock.clearTimeout(h as never),
    setInterval: (fn, ms, arg) => {
      const key = {};
      const tick = () => {
        intervals.set(key, clock.setTimeout(tick, ms));
        fn(arg);
      };
      intervals.set(key, clock.setTimeout(tick, ms));
      return key;
    },
    clearInterval: (key) => {
      const h = intervals.get(key as object);
      if (h) clock.clearTimeout(h as never);
      intervals.delete(key as object);
    },
  };
}
