// The CSMS end: accepts stations at <path>/<identity>, authenticates them (A00 security profiles), negotiates
// the subprotocol in the server's order of preference (Part 4 §3.3) and gives each a Session with the typed
// call/handle API. Handlers are registered once per version and shared by every station session.
// Built for many stations: no closure or timer per connection (shared socket listeners, one keep-alive sweep).
import { EventEmitter } from 'node:events';
import {
  createServer as createHttpServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server as HttpServer,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ActionsOf, AnyProtocol, NameOf, ProtocolName } from '../protocol.js';
import { parseBasicAuthorization } from './auth.js';
import { Handlers, type AnyContext } from './handlers.js';
import { receives } from './direction.js';
import type { HandledAction, Request, Response } from './types.js';
import { checkPingInterval, keepAllAlive } from './keepalive.js';
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
import { csmsTlsServerOptions, verifiedClientSubject, type CertificateSubject, type CsmsTlsOptions } from './tls.js';
import { eventEntry } from './trace.js';
import { messageOf } from '../error-text.js';

/** A station's session on the CSMS: a union over the served versions, discriminated by `protocol`. */
export type CsmsSession<Ps extends readonly AnyProtocol[], D = unknown> = Ps[number] extends infer P
  ? P extends AnyProtocol
    ? Session<P, 'csms', D>
    : never
  : never;

/** An action the CSMS receives in at least one of the served versions. */
export type CsmsHandledAction<Ps extends readonly AnyProtocol[]> = Ps[number] extends infer P
  ? P extends AnyProtocol
    ? HandledAction<P, 'csms'>
    : never
  : never;

/**
 * One incoming CALL (or 2.1 SEND) as a handler registered for every version sees it (`csms.handle`): a union over
 * the versions that have the action, so that comparing `protocol` narrows `request` and `session` together.
 */
export type CsmsCall<Ps extends readonly AnyProtocol[], D, K extends string> = Ps[number] extends infer P
  ? P extends AnyProtocol
    ? K extends HandledAction<P, 'csms'>
      ? {
          readonly protocol: NameOf<P>;
          readonly action: K;
          readonly request: Request<P, K>;
          readonly session: Session<P, 'csms', D>;
          readonly messageId: string;
        }
      : never
    : never
  : never;

/** What a handler of every version returns: the response of one of them (checked against the negotiated one). */
export type CsmsCallResult<Ps extends readonly AnyProtocol[], K extends string> = Ps[number] extends infer P
  ? P extends AnyProtocol
    ? K extends HandledAction<P, 'csms'>
      ? ActionsOf<P>[K] extends { send: true }
        ? void
        : Response<P, K>
      : never
    : never
  : never;

/** An action without a handler of its own, as the catch-all (`csms.handleOther`) sees it. */
export type CsmsOtherCall<Ps extends readonly AnyProtocol[], D> = Ps[number] extends infer P
  ? P extends AnyProtocol
    ? {
        readonly protocol: NameOf<P>;
        readonly action: HandledAction<P, 'csms'>;
        /** Validated against the action's schema, typed by the caller's own checks. */
        readonly request: unknown;
        readonly session: Session<P, 'csms', D>;
        readonly messageId: string;
      }
    : never
  : never;

/** What the authenticate callback learns about a connecting station. */
export interface StationCredentials {
  /** The identity from the URL (percent-decoded). */
  identity: string;
  /** The subprotocol that will be selected (undefined: none in common; the connection will then be closed). */
  protocol: ProtocolName | undefined;
  /** The Basic-auth password bytes (profiles 1/2; see passwordMatches()). The username was already checked. */
  password: Buffer | undefined;
  /** Profile 3: the subject of the verified client certificate. */
  certificate: CertificateSubject | undefined;
  remoteAddress: string | undefined;
}

/** true/{ data } accept; false refuses with 401; { status } refuses with that HTTP status (e.g. 404 unknown station). */
export type AuthenticationResult<D> = boolean | { data: D } | { status: number };

export interface CsmsServerOptions<Ps extends readonly AnyProtocol[], D> extends SessionOptions {
  /** The versions served, most preferred first (the server chooses, Part 4 §3.3). */
  protocols: Ps;
  /**
   * 1: Basic auth over ws; 2: Basic auth over TLS; 3: TLS client certificates (CN must equal the identity,
   * A00.FR.405). Omitted: no profile is enforced (development only).
   */
  securityProfile?: 1 | 2 | 3;
  /** Decides whether a station may connect. Required for profiles 1 and 2 (A00.FR.207/324: check the password). */
  authenticate?: (station: StationCredentials) => AuthenticationResult<D> | Promise<AuthenticationResult<D>>;
  /** Profile 3: the CSO name the certificate's O (organizationName) must contain (A00.FR.404). */
  organizationName?: string;
  /** Path of the OCPP-J endpoint; stations connect to <path>/<identity>. Default "/". */
  path?: string;
  /** Server-initiated ping period, s (dead connections are closed). 0 disables. Default 60. */
  pingIntervalSeconds?: number;
  /** Largest incoming message accepted, bytes. Default 4 MiB. */
  maxPayload?: number;
  /** RFC 7692 compression (Part 4 2.1 §3.4: a CSMS SHALL support it). Costs ~300 KB per connection. Default false. */
  perMessageDeflate?: boolean;
}

export interface CsmsServerEvents<Ps extends readonly AnyProtocol[], D> {
  /** A station connected; its session is ready (shared handlers already apply). */
  station: [session: CsmsSession<Ps, D>];
  /** A station's connection closed. */
  disconnect: [session: CsmsSession<Ps, D>, info: CloseInfo];
  /** A connection attempt was refused before the upgrade (A00.FR.408: worth a security log). */
  refused: [info: { identity: string | undefined; status: number; reason: string; remoteAddress: string | undefined }];
}

const CHOSEN = Symbol('ocppkit.rpc.chosenProtocol');
type UpgradeRequest = IncomingMessage & { [CHOSEN]?: string };

export class CsmsServer<Ps extends readonly AnyProtocol[], D = unknown> extends EventEmitter<CsmsServerEvents<Ps, D>> {
  readonly #protocols = new Map<string, AnyProtocol>();
  readonly #handlers = new Map<string, Handlers<AnyProtocol, 'csms', D>>();
  readonly #sessions = new Map<string, Session<AnyProtocol, 'csms', D>>();
  readonly #versionListeners = new Map<string, ((session: Session<AnyProtocol, 'csms', D>) => void)[]>();
  readonly #config: SessionConfig;
  readonly #options: CsmsServerOptions<Ps, D>;
  readonly #path: string;
  readonly #wss: WebSocketServer;
  readonly #pingTimer: TimerHandle | undefined;
  #httpServer: HttpServer | HttpsServer | undefined;
  #closed = false;

  constructor(options: CsmsServerOptions<Ps, D>) {
    super();
    if (!Array.isArray(options.protocols) || options.protocols.length === 0)
      throw new TypeError('protocols must list at least one OCPP version');
    for (const p of options.protocols) {
      if (this.#protocols.has(p.name)) throw new TypeError(`protocols lists ${p.name} twice`);
      this.#protocols.set(p.name, p);
      this.#handlers.set(p.name, new Handlers<AnyProtocol, 'csms', D>(p, 'csms'));
    }
    const profile = options.securityProfile;
    if (profile !== undefined && ![1, 2, 3].includes(profile))
      throw new RangeError(`securityProfile must be 1, 2 or 3, got ${String(profile)}`);
    if ((profile === 1 || profile === 2) && typeof options.authenticate !== 'function') {
      throw new TypeError(
        `securityProfile ${profile} needs an authenticate callback that checks the Basic-auth password (A00.FR.207/324)`,
      );
    }
    this.#options = options;
    this.#config = resolveSessionOptions(options);
    this.#path = `/${(options.path ?? '/').replace(/^\/+|\/+$/g, '')}`.replace(/\/$/, '');
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: options.perMessageDeflate ?? false,
      maxPayload: options.maxPayload ?? 4 * 1024 * 1024,
      skipUTF8Validation: true,
      handleProtocols: selectedProtocol,
    });
    this.#pingTimer = keepAllAlive(
      this.#config.timers,
      checkPingInterval(options.pingIntervalSeconds ?? 60),
      this.#sessions,
    );
  }

  /** The shared handler registry of one version: every station session of that version uses it. */
  handlers<N extends NameOf<Ps[number]>>(name: N): Handlers<Extract<Ps[number], { readonly name: N }>, 'csms', D> {
    const h = this.#handlers.get(name);
    if (!h)
      throw new RangeError(`${name} is not one of the served versions (${[...this.#protocols.keys()].join(', ')})`);
    // One registry per version in a map keyed by the version's name: the one under N was built for protocol N.
    return h as unknown as Handlers<Extract<Ps[number], { readonly name: N }>, 'csms', D>;
  }

  /**
   * Registers one handler of `action` for every served version that has it (instead of one per version through
   * `handlers(version)`). The handler gets the call with its version: comparing `call.protocol` narrows
   * `call.request` and `call.session`. Its response is validated against the negotiated version's schema (an
   * invalid one is answered InternalError and reported as `handlerError`). A handler registered through
   * `handlers(version)` or `session.handle` afterwards replaces it for that version or station.
   */
  handle<K extends CsmsHandledAction<Ps>>(
    action: K,
    handler: (call: CsmsCall<Ps, D, K>) => CsmsCallResult<Ps, K> | Promise<CsmsCallResult<Ps, K>>,
  ): this {
    if (typeof handler !== 'function') throw new TypeError(`handle("${action}", handler): handler must be a function`);
    const versions = [...this.#handlers.values()].filter((h) => {
      const descriptor = Object.hasOwn(h.protocol.actions, action) ? h.protocol.actions[action] : undefined;
      return descriptor !== undefined && receives(descriptor.direction, 'csms');
    });
    if (versions.length === 0) {
      throw new RangeError(
        `handle("${action}"): no served version (${[...this.#protocols.keys()].join(', ')}) has a ${action} that a CSMS receives`,
      );
    }
    for (const h of versions) {
      // The session validated the request against this version's schema of `action` before calling: the object
      // is the CsmsCall member of this version.
      h.handleByName(action, (request, ctx) =>
        handler({
          protocol: ctx.session.protocol,
          action,
          request,
          session: ctx.session,
          messageId: ctx.messageId,
        } as CsmsCall<Ps, D, K>),
      );
    }
    return this;
  }

  /**
   * The catch-all of every served version: answers each action a station sends that has no handler (here, per
   * version or per session) instead of NotSupported. `call.action` names it; the request was validated against its
   * schema, and the response is validated before it is sent. Throw (e.g. a CallError) to answer with an error.
   */
  handleOther(handler: (call: CsmsOtherCall<Ps, D>) => unknown): this {
    if (typeof handler !== 'function') throw new TypeError('handleOther(handler): handler must be a function');
    // ctx.action is an action of ctx.session's version that a CSMS receives: the session checked both.
    const fallback = (request: unknown, ctx: AnyContext) =>
      handler({
        protocol: ctx.session.protocol,
        action: ctx.action,
        request,
        session: ctx.session,
        messageId: ctx.messageId,
      } as CsmsOtherCall<Ps, D>);
    for (const h of this.#handlers.values()) h.handleOther(fallback);
    return this;
  }

  /**
   * Listens for stations that negotiated `version`: the listener gets a session of that version, ready to call
   * without narrowing (the `station` event gives a union over the served versions).
   */
  onStation<N extends NameOf<Ps[number]>>(
    version: N,
    listener: (session: Session<Extract<Ps[number], { readonly name: N }>, 'csms', D>) => void,
  ): this {
    if (!this.#protocols.has(version))
      throw new RangeError(`${version} is not one of the served versions (${[...this.#protocols.keys()].join(', ')})`);
    const listeners = this.#versionListeners.get(version) ?? [];
    // Kept with the version's name and called only with sessions that negotiated it (see #upgrade), which serve
    // the protocol of that name: the untyped store of a typed listener, as in handlers().
    listeners.push(listener as unknown as (session: Session<AnyProtocol, 'csms', D>) => void);
    this.#versionListeners.set(version, listeners);
    return this;
  }

  /** The connected session of a station, if any. */
  session(identity: string): CsmsSession<Ps, D> | undefined {
    // Sessions are kept untyped in one map; each serves one of Ps, which CsmsSession<Ps, D> describes.
    return this.#sessions.get(identity) as CsmsSession<Ps, D> | undefined;
  }

  get stationCount(): number {
    return this.#sessions.size;
  }

  stations(): IterableIterator<CsmsSession<Ps, D>> {
    return this.#sessions.values() as IterableIterator<CsmsSession<Ps, D>>;
  }

  /**
   * Creates an HTTP server (HTTPS when `tls` is given, required for profiles 2 and 3) and listens. The host is
   * 127.0.0.1 unless given: only this machine can connect, which is safe and, in a container or for stations on
   * other hosts, the reason none connects (theirs is refused: ECONNREFUSED). `host: '0.0.0.0'` accepts them all.
   */
  async listen(options: { port?: number; host?: string; tls?: CsmsTlsOptions } = {}): Promise<AddressInfo> {
    if (this.#httpServer) throw new Error('listen() was already called');
    const profile = this.#options.securityProfile;
    if ((profile === 2 || profile === 3) && !options.tls)
      throw new TypeError(`securityProfile ${profile} needs tls (the CSMS certificate and key)`);
    if (profile === 1 && options.tls)
      throw new TypeError('securityProfile 1 is the unsecured transport: do not pass tls');
    const server = options.tls ? createHttpsServer(csmsTlsServerOptions(profile, options.tls)) : createHttpServer();
    server.on('request', (_req, res) => {
      res.writeHead(426, { Connection: 'close', Upgrade: 'websocket' }).end();
    });
    this.attach(server);
    this.#httpServer = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    // Listening on a TCP port (never a pipe path): address() is an AddressInfo.
    return server.address() as AddressInfo;
  }

  /** Serves the OCPP-J endpoint on an existing HTTP(S) server. */
  attach(server: HttpServer | HttpsServer): this {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(req, socket, head));
    return this;
  }

  /** Handles one upgrade request (for servers that route upgrades themselves). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', ignore);
    // Node's upgrade request, to which this server attaches its chosen subprotocol (CHOSEN).
    this.#upgrade(req as UpgradeRequest, socket, head).catch((error: unknown) => {
      this.#refuse(socket, 500, undefined, `internal error: ${messageOf(error)}`, req);
    });
  }

  /** Closes every station connection (1001 going away) and the server created by listen(). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#config.timers.clearInterval(this.#pingTimer);
    const closing = [...this.#sessions.values()].map(
      (s) =>
        new Promise<void>((resolve) => {
          s.once('close', () => resolve());
          s.close(1001, 'CSMS shutting down');
        }),
    );
    await Promise.race([Promise.all(closing), new Promise((r) => setTimeout(r, 2000).unref())]);
    this.#wss.close();
    const server = this.#httpServer;
    if (server) {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  async #upgrade(req: UpgradeRequest, socket: Duplex, head: Buffer): Promise<void> {
    if (this.#closed) return this.#refuse(socket, 503, undefined, 'server closing', req);
    // RFC 6455 §4.2.1: an opening handshake is an HTTP/1.1 (or later) GET; ws lets HTTP/1.0 through.
    if (req.httpVersionMajor < 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor < 1)) {
      return this.#refuse(
        socket,
        400,
        undefined,
        `HTTP/${req.httpVersion} is not a WebSocket opening handshake (RFC 6455 §4.2.1)`,
        req,
      );
    }
    const identity = this.#identityOf(req.url);
    if (identity === undefined)
      return this.#refuse(socket, 404, undefined, `no station identity in path ${cut(req.url ?? '')}`, req);
    const protocol = this.#choose(req.headers['sec-websocket-protocol']);
    const wrong = identityProblem(identity, protocol);
    // Part 4 §3.2: a station identifier the CSMS does not recognize is answered 404; one the spec forbids never is.
    if (wrong) return this.#refuse(socket, 404, undefined, `${wrong}: ${cut(identity)}`, req);
    const profile = this.#options.securityProfile;
    // Under TLS (wss://) the request socket is a TLSSocket; `encrypted` tells which.
    const tlsSocket = (req.socket as TLSSocket).encrypted ? (req.socket as TLSSocket) : undefined;

    // A00.FR.002: a station using another security profile than the CSMS is refused.
    if ((profile === 2 || profile === 3) && !tlsSocket)
      return this.#refuse(socket, 403, identity, `security profile ${profile} requires TLS`, req);
    let password: Buffer | undefined;
    let certificate: CertificateSubject | undefined;
    if (profile === 3) {
      certificate = tlsSocket && verifiedClientSubject(tlsSocket);
      if (!certificate) return this.#refuse(socket, 401, identity, 'no valid client certificate (A00.FR.407)', req);
      // A00.FR.405: the certificate must belong to this station.
      if (certificate.commonName !== identity)
        return this.#refuse(
          socket,
          401,
          identity,
          'client certificate CN does not match the identity (A00.FR.405)',
          req,
        );
      const org = this.#options.organizationName;
      if (org !== undefined && !(certificate.organization ?? '').includes(org)) {
        return this.#refuse(socket, 401, identity, 'client certificate O does not name the CSO (A00.FR.404)', req);
      }
    } else {
      const basic = parseBasicAuthorization(req.headers.authorization);
      if (basic) {
        // A00.FR.204/207, TC_A_02_CSMS: the username must be the identity of the connection URL.
        if (basic.username !== identity)
          return this.#refuse(socket, 401, identity, 'Basic-auth username does not equal the station identity', req);
        password = basic.password;
      } else if (profile === 1 || profile === 2) {
        return this.#refuse(socket, 401, identity, 'no Basic authorization (A00.FR.202/301)', req);
      }
    }

    let data: D | undefined;
    const authenticate = this.#options.authenticate;
    if (authenticate) {
      const verdict = await authenticate({
        identity,
        // Only a protocol this server serves is selected (selectedProtocol), or none.
        protocol: protocol as ProtocolName | undefined,
        password,
        certificate,
        remoteAddress: req.socket.remoteAddress,
      });
      if (verdict === false) return this.#refuse(socket, 401, identity, 'refused by authenticate()', req);
      if (typeof verdict === 'object' && verdict !== null) {
        if ('status' in verdict)
          return this.#refuse(socket, verdict.status, identity, 'refused by authenticate()', req);
        data = verdict.data;
      }
    }
    if (socket.destroyed || this.#closed) return;

    req[CHOSEN] = protocol;
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('error', ignore);
      if (protocol === undefined) {
        // Part 4 §3.3: complete the handshake without Sec-WebSocket-Protocol, then close at once.
        this.#traceEvent(identity, 'refused', {
          reason: 'no common subprotocol',
          offered: req.headers['sec-websocket-protocol'] ?? '',
        });
        ws.close(1002, 'no supported OCPP version offered');
        return;
      }
      // What the integrator's authenticate hook returned, typed D by the server's options.
      this.#accept(ws, identity, this.#protocols.get(protocol)!, data as D);
    });
  }

  #accept(ws: WebSocket, identity: string, protocol: AnyProtocol, data: D): void {
    const previous = this.#sessions.get(identity);
    if (previous) {
      // The station reconnected while its old connection still looks open (e.g. half-open): the new one wins.
      this.#sessions.delete(identity);
      previous.close(1000, 'replaced by a new connection of the same station');
    }
    const session = new Session<AnyProtocol, 'csms', D>(
      protocol,
      'csms',
      identity,
      this.#config,
      this.#handlers.get(protocol.name),
      data,
    );
    session[ON_DETACH] = this.#onDetach;
    session[ATTACH](ws);
    this.#sessions.set(identity, session);
    this.#traceEvent(identity, 'connected', { protocol: protocol.name });
    // As in session(): the one untyped map of sessions.
    this.emit('station', session as CsmsSession<Ps, D>);
    for (const listener of this.#versionListeners.get(protocol.name) ?? []) listener(session);
  }

  // Shared by every session (bound once).
  readonly #onDetach = (session: Session<AnyProtocol, 'csms', D>, info: CloseInfo): void => {
    if (this.#sessions.get(session.identity) === session) this.#sessions.delete(session.identity);
    this.emit('disconnect', session as CsmsSession<Ps, D>, info);
  };

  /** `<path>/<identity>` → the percent-decoded identity, or undefined. */
  #identityOf(url: string | undefined): string | undefined {
    if (!url) return undefined;
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const prefix = `${this.#path}/`;
    if (!pathname.startsWith(prefix)) return undefined;
    const segment = pathname.slice(prefix.length);
    if (segment.length === 0 || segment.includes('/')) return undefined;
    try {
      return decodeURIComponent(segment);
    } catch {
      return undefined;
    }
  }

  /** The first served version the station offered (the server's preference, Part 4 §3.3). */
  #choose(header: string | undefined): string | undefined {
    if (!header) return undefined;
    const offered = new Set(header.split(',').map((s) => s.trim()));
    for (const name of this.#protocols.keys()) if (offered.has(name)) return name;
    return undefined;
  }

  #refuse(socket: Duplex, status: number, identity: string | undefined, reason: string, req: IncomingMessage): void {
    const remoteAddress = req.socket.remoteAddress;
    this.#traceEvent(identity ?? '', 'refused', { status, reason });
    this.emit('refused', { identity, status, reason, remoteAddress });
    if (!socket.writable) return void socket.destroy();
    const extra =
      status === 401 && this.#options.securityProfile !== 3
        ? 'WWW-Authenticate: Basic realm="OCPP", charset="UTF-8"\r\n'
        : '';
    socket.once('finish', () => socket.destroy());
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n${extra}Content-Length: 0\r\n\r\n`,
    );
  }

  #traceEvent(identity: string, event: string, detail: Record<string, unknown>): void {
    this.#config.trace?.(eventEntry(this.#config.timers.now(), identity, undefined, event, detail));
  }
}

/** Part 4 §3.1.1: the longest Charging Station identity. */
export const MAX_IDENTITY_LENGTH = 48;

/**
 * Why a (percent-decoded) identity cannot be a Charging Station identity, or undefined. Part 4 §3.1.1: at most 48
 * characters (2.x), and no ":" (it is the Basic-auth username, where ":" separates the password). Checked after decoding,
 * so that "%3A" is refused like ":", and "%25" (a "%" in the identity, outside identifierString) is refused too.
 */
export function identityProblem(identity: string, protocol: string | undefined): string | undefined {
  // OCPP-J 1.6 sets no length (as StationClient, which checks the length for 2.x only).
  if (identity.length > MAX_IDENTITY_LENGTH && protocol !== 'ocpp1.6')
    return `the station identity is longer than ${MAX_IDENTITY_LENGTH} characters (Part 4 §3.1.1)`;
  if (identity.includes(':')) return 'the station identity contains ":" (Part 4 §3.1.1)';
  if (identity.includes('%')) return 'the station identity contains "%" (identifierString, Part 4 §3.1.1)';
  return undefined;
}

/** A path or identity from a request, cut for a trace or log line (a hostile one may be kilobytes long). */
function cut(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

function selectedProtocol(_offered: Set<string>, req: IncomingMessage): string | false {
  // See #upgrade: the request carries the subprotocol this server chose.
  return (req as UpgradeRequest)[CHOSEN] ?? false;
}

function ignore(): void {}
