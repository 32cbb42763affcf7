// The Charging Station end: connects to <CSMS endpoint>/<percent-encoded identity> (Part 4 §3.1.1, OCPP-J 1.6
// §3.1.1), offers the configured versions as subprotocols in order of preference (§3.1.2), authenticates per
// security profile (A00), keeps the connection alive with pings and reconnects with the back-off of §5.3/§5.4.
// One Session per offered version lives as long as the client: handlers registered on it survive reconnects.
import { EventEmitter } from 'node:events';
import { WebSocket, type ClientOptions } from 'ws';
import type { AnyProtocol, NameOf } from '../protocol.js';
import { basicAuthorization, type Password } from './auth.js';
import { backoffDelayMs, checkBackoffConfig, DEFAULT_BACKOFF, type BackoffConfig } from './backoff.js';
import {
  ConnectFailedError,
  ConnectionClosedError,
  HandshakeRefusedError,
  ProtocolNegotiationError,
} from './errors.js';
import { checkPingInterval, keepSessionAlive } from './keepalive.js';
import {
  ATTACH,
  ON_DETACH,
  resolveSessionOptions,
  Session,
  type CloseInfo,
  type SessionConfig,
  type SessionOptions,
} from './session.js';
import type { TimerHandle } from './timers.js';
import { stationTlsOptions, type StationTlsOptions } from './tls.js';
import { eventEntry } from './trace.js';

/** The session of each offered version, as a union discriminated by `protocol`. */
export type StationSession<Ps extends readonly AnyProtocol[]> = Ps[number] extends infer P
  ? P extends AnyProtocol
    ? Session<P, 'cs', unknown>
    : never
  : never;
/** The offered protocol whose subprotocol name is N. */
export type ProtocolNamed<Ps extends readonly AnyProtocol[], N extends string> = Extract<
  Ps[number],
  { readonly name: N }
>;

export interface StationClientOptions<Ps extends readonly AnyProtocol[]> extends SessionOptions {
  /** The CSMS's OCPP-J endpoint URL (ws:// or wss://). The identity is appended as the last path segment. */
  url: string;
  /** The Charging Station identity (2.x: at most 48 characters, no ":" — Part 4 2.1 §3.1.1). */
  identity: string;
  /** The versions offered, most preferred first (generated `protocol` objects of ocppkit/v21, /v201, /v16). */
  protocols: Ps;
  /**
   * 1: ws:// + Basic auth; 2: wss:// + CSMS certificate checked + Basic auth; 3: wss:// + client certificate.
   * Omitted: no OCPP security profile is enforced (development only).
   */
  securityProfile?: 1 | 2 | 3;
  /** Basic-auth password (profiles 1 and 2): 2.x BasicAuthPassword; 1.6 see authorizationKeyPassword(). */
  password?: Password;
  tls?: StationTlsOptions;
  /** WebSocketPingInterval, s (Part 4 §8.4). 0 disables pings. Default 60. */
  pingIntervalSeconds?: number;
  /** RetryBackOff* (Part 4 §8.1–8.3), s. Defaults in backoff.ts. */
  backoff?: Partial<BackoffConfig>;
  /** Reconnect after a failed attempt or a lost connection. Default true. */
  reconnect?: boolean;
  /** Random source in [0, 1) for the back-off (tests). */
  random?: () => number;
  /** Time allowed for the TCP/TLS/HTTP handshake, ms. Default 30,000. */
  handshakeTimeoutMs?: number;
  /** Largest incoming message accepted, bytes. Default 4 MiB. */
  maxPayload?: number;
  /** Offer RFC 7692 compression (optional for a station, Part 4 2.1 §3.4). Default false. */
  perMessageDeflate?: boolean;
}

export interface StationClientEvents<Ps extends readonly AnyProtocol[]> {
  connected: [session: StationSession<Ps>];
  /** The connection was lost; `retryInMs` is when the next attempt starts (undefined: no reconnect). */
  disconnected: [info: CloseInfo & { session: StationSession<Ps>; retryInMs: number | undefined }];
  /** An attempt failed; `attempt` counts failures since the last successful connection, from 1. */
  connectFailed: [info: { error: Error; attempt: number; retryInMs: number | undefined }];
}

type State = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed';

export class StationClient<Ps extends readonly AnyProtocol[]> extends EventEmitter<StationClientEvents<Ps>> {
  readonly identity: string;
  /** The connection URL: endpoint + "/" + percent-encoded identity. */
  readonly connectionUrl: string;
  readonly #sessions = new Map<string, Session<AnyProtocol, 'cs', unknown>>();
  readonly #offered: string[];
  readonly #config: SessionConfig;
  readonly #wsOptions: ClientOptions;
  readonly #backoff: BackoffConfig;
  readonly #reconnect: boolean;
  readonly #random: () => number;
  readonly #pingSeconds: number;
  #state: State = 'idle';
  #ws: WebSocket | null = null;
  #current: Session<AnyProtocol, 'cs', unknown> | undefined;
  #failures = 0;
  /** Index of the next reconnection attempt in the back-off sequence; 0 after every successful connection. */
  #retryIndex = 0;
  #retryTimer: TimerHandle | undefined;
  #pingTimer: TimerHandle | undefined;
  #waiters: Array<{ resolve: (s: StationSession<Ps>) => void; reject: (e: Error) => void }> = [];
  #lastError: Error | undefined;

  constructor(options: StationClientOptions<Ps>) {
    super();
    const { protocols, identity } = options;
    if (!Array.isArray(protocols) || protocols.length === 0)
      throw new TypeError('protocols must list at least one OCPP version');
    if (typeof identity !== 'string' || identity.length === 0)
      throw new TypeError('identity must be a non-empty string');
    if (protocols.some((p) => p.name !== 'ocpp1.6') && identity.length > 48) {
      throw new RangeError(`identity must be at most 48 characters (Part 4 §3.1.1), got ${identity.length}`);
    }
    this.identity = identity;
    this.connectionUrl = connectionUrl(options.url, identity);
    this.#config = resolveSessionOptions(options);
    this.#offered = protocols.map((p) => p.name);
    if (new Set(this.#offered).size !== this.#offered.length)
      throw new TypeError(`protocols lists a version twice: ${this.#offered.join(', ')}`);
    for (const p of protocols) {
      const session = new Session<AnyProtocol, 'cs', unknown>(p, 'cs', identity, this.#config);
      session[ON_DETACH] = this.#onDetach;
      this.#sessions.set(p.name, session);
    }
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    checkBackoffConfig(this.#backoff);
    this.#reconnect = options.reconnect ?? true;
    this.#random = options.random ?? Math.random;
    this.#pingSeconds = checkPingInterval(options.pingIntervalSeconds ?? 60);
    this.#wsOptions = {
      ...securityOptions(options, this.connectionUrl),
      handshakeTimeout: options.handshakeTimeoutMs ?? 30_000,
      maxPayload: options.maxPayload ?? 4 * 1024 * 1024,
      perMessageDeflate: options.perMessageDeflate ?? false,
      // UTF-8 is checked per frame by the session (a bad frame is answered, not a reason to drop the connection).
      skipUTF8Validation: true,
      followRedirects: false,
    };
  }

  /** The session of one offered version; register handlers here (they persist across reconnects). */
  session<N extends NameOf<Ps[number]>>(name: N): Session<ProtocolNamed<Ps, N>, 'cs', unknown> {
    const session = this.#sessions.get(name);
    if (!session) throw new RangeError(`${name} is not one of the offered versions (${this.#offered.join(', ')})`);
    // One session per version in a map keyed by the version's name: the one under N speaks protocol N.
    return session as unknown as Session<ProtocolNamed<Ps, N>, 'cs', unknown>;
  }

  /** The session of the negotiated version while connected. */
  get current(): StationSession<Ps> | undefined {
    // The session of the negotiated version, kept untyped; StationSession<Ps> is the union over the offered ones.
    return this.#current as StationSession<Ps> | undefined;
  }

  /**
   * Connects, and resolves with the negotiated session. Failed attempts are retried with back-off (reported as
   * `connectFailed`) unless `reconnect` is false, in which case the first failure rejects.
   */
  connect(): Promise<StationSession<Ps>> {
    if (this.#state === 'closed') return Promise.reject(new ConnectionClosedError('the client was closed', false));
    // As in `current`: the session of the negotiated version.
    if (this.#state === 'open' && this.#current) return Promise.resolve(this.#current as StationSession<Ps>);
    const promise = new Promise<StationSession<Ps>>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (this.#state === 'idle') this.#open();
    return promise;
  }

  /** Stops reconnecting and closes the connection. */
  close(code = 1000, reason = ''): Promise<void> {
    const wasClosed = this.#state === 'closed';
    this.#state = 'closed';
    this.#config.timers.clearTimeout(this.#retryTimer);
    this.#settleWaiters(new ConnectionClosedError('the client was closed', false));
    const ws = this.#ws;
    if (wasClosed || ws === null || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(code, reason);
    });
  }

  #open(): void {
    this.#state = 'connecting';
    this.#lastError = undefined;
    const ws = new WebSocket(this.connectionUrl, this.#offered, this.#wsOptions);
    this.#ws = ws;
    ws.on('error', (err) => {
      this.#lastError ??= connectError(err, this.#offered, new URL(this.connectionUrl).pathname);
    });
    ws.once('open', () => this.#onOpen(ws));
    ws.once('close', () => {
      if (this.#ws === ws && this.#state === 'connecting')
        this.#attemptFailed(
          this.#lastError ?? new ConnectFailedError('Closed', 'the connection closed during the handshake'),
        );
    });
  }

  #onOpen(ws: WebSocket): void {
    if (this.#state !== 'connecting' || this.#ws !== ws) return void ws.terminate();
    const session = this.#sessions.get(ws.protocol);
    if (!session) {
      // ws already refuses a missing or foreign subprotocol; this guards any other path.
      this.#lastError = new ProtocolNegotiationError(
        `the CSMS selected "${ws.protocol}", which was not offered (${this.#offered.join(', ')})`,
        this.#offered,
        ws.protocol,
      );
      ws.terminate();
      return;
    }
    this.#state = 'open';
    // Part 4 2.1 §5.4: after a successful connection the back-off is reset to RetryBackOffWaitMinimum.
    this.#failures = 0;
    this.#retryIndex = 0;
    this.#current = session;
    session[ATTACH](ws);
    this.#pingTimer = keepSessionAlive(this.#config.timers, this.#pingSeconds, session);
    this.#trace('connected', { url: this.connectionUrl, protocol: ws.protocol });
    // As in `current`.
    this.#settleWaiters(undefined, session as StationSession<Ps>);
    this.emit('connected', session as StationSession<Ps>);
  }

  // Bound once per client; runs after the session has rejected its outstanding CALLs and emitted 'close'.
  readonly #onDetach = (session: Session<AnyProtocol, 'cs', unknown>, info: CloseInfo): void => {
    this.#config.timers.clearInterval(this.#pingTimer);
    this.#pingTimer = undefined;
    this.#current = undefined;
    this.#ws = null;
    const retryInMs = this.#scheduleRetry();
    // As in `current`.
    this.emit('disconnected', { ...info, session: session as StationSession<Ps>, retryInMs });
  };

  #attemptFailed(error: Error): void {
    this.#ws = null;
    this.#failures++;
    this.#trace('connectFailed', { error: error.message, attempt: this.#failures });
    const retryInMs = this.#scheduleRetry();
    if (retryInMs === undefined) this.#settleWaiters(error);
    this.emit('connectFailed', { error, attempt: this.#failures, retryInMs });
  }

  /** Schedules the next attempt (Part 4 §5.3/§5.4); undefined when the client does not reconnect. */
  #scheduleRetry(): number | undefined {
    if (this.#state === 'closed') return undefined;
    if (!this.#reconnect) {
      this.#state = 'idle';
      return undefined;
    }
    // The first attempt waits WaitMinimum (+ random); every failed attempt doubles the wait (up to RepeatTimes).
    const delay = backoffDelayMs(this.#backoff, this.#retryIndex++, this.#random);
    this.#state = 'waiting';
    this.#retryTimer = this.#config.timers.setTimeout((client) => client.#retry(), delay, this);
    return delay;
  }

  #retry(): void {
    if (this.#state === 'waiting') this.#open();
  }

  #settleWaiters(error: Error | undefined, session?: StationSession<Ps>): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) error ? w.reject(error) : w.resolve(session!);
  }

  #trace(event: string, detail: Record<string, unknown>): void {
    this.#config.trace?.(eventEntry(this.#config.timers.now(), this.identity, this.#current?.protocol, event, detail));
  }
}

/** Part 4 §3.1.1: endpoint URL + "/" + the identity, percent-encoded (RFC 3986). */
export function connectionUrl(endpoint: string, identity: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`url must be a ws:// or wss:// URL, got "${endpoint}"`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    throw new TypeError(`url must use ws:// or wss://, got "${url.protocol}"`);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(identity)}`;
  return url.toString();
}

/** Checks the security profile against the options (A00.FR.001/004) and builds the ws options for it. */
function securityOptions(options: StationClientOptions<readonly AnyProtocol[]>, url: string): ClientOptions {
  const { securityProfile: profile, password, tls } = options;
  const secure = url.startsWith('wss:');
  if (profile === 1 && secure)
    throw new TypeError('securityProfile 1 (unsecured transport with Basic authentication) needs a ws:// url');
  if ((profile === 2 || profile === 3) && !secure) throw new TypeError(`securityProfile ${profile} needs a wss:// url`);
  if ((profile === 1 || profile === 2) && (password === undefined || password.length === 0)) {
    throw new TypeError(`securityProfile ${profile} needs a password (HTTP Basic authentication, A00.FR.202/301)`);
  }
  if (profile === 3 && (!tls?.cert || !tls.key))
    throw new TypeError(
      'securityProfile 3 needs tls.cert and tls.key (the Charging Station certificate, A00.FR.401/402)',
    );
  if (profile !== undefined && ![1, 2, 3].includes(profile))
    throw new RangeError(`securityProfile must be 1, 2 or 3, got ${String(profile)}`);
  if (password !== undefined && options.identity.includes(':')) {
    throw new TypeError(
      'identity must not contain ":" when Basic authentication is used (RFC 7617, Part 4 2.1 §3.1.1)',
    );
  }
  const out: ClientOptions = {};
  // Profile 3 authenticates with the certificate alone (A00.FR.401); no password is sent even if configured.
  if (password !== undefined && profile !== 3)
    out.headers = { Authorization: basicAuthorization(options.identity, password) };
  if (secure) Object.assign(out, stationTlsOptions(tls ?? {}));
  return out;
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO|HOSTNAME|ALTNAME/;
// The usual cause of a refused connection to a CSMS that runs: it listens on loopback only, which is what
// CsmsServer.listen() and `ocppkit csms` do unless given a host (safe by default, surprising in a container).
const REFUSED_HINT =
  ' (nothing listens at that address and port; a CSMS built on ocppkit listens on 127.0.0.1 only unless given a host: listen({ host: "0.0.0.0" }) or ocppkit csms --host 0.0.0.0, for stations on other hosts or containers)';

/** Maps a ws/Node error of a failed attempt to a typed error (no headers or passwords in any of them). */
function connectError(err: Error & { code?: string }, offered: string[], path: string): Error {
  const refused = /^Unexpected server response: (\d+)$/.exec(err.message);
  if (refused) return new HandshakeRefusedError(Number(refused[1]), path);
  if (/subprotocol/i.test(err.message)) {
    return new ProtocolNegotiationError(
      `subprotocol negotiation failed: ${err.message} (offered ${offered.join(', ')})`,
      offered,
    );
  }
  const code = err.code ?? (/timed out/i.test(err.message) ? 'HandshakeTimeout' : 'Network');
  const kind = TLS_CODE.test(code) ? 'TLS' : 'connection';
  return new ConnectFailedError(
    code,
    `${kind} failed: ${err.message}${code === 'ECONNREFUSED' ? REFUSED_HINT : ''}`,
    err,
  );
}
