// The built-in CSMS: for trying ocppkit out, for the demo, and as the peer of the station tests. It accepts every
// BootNotification (unless told otherwise), authorizes every idToken except a deny list, answers every other
// station message with a valid default, keeps a bounded log of the latest messages, and sends CSMS-initiated calls
// on request.
// Built on the same RPC server an integrator would use for a real CSMS.
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { protocol as v16 } from '../../generated/v16/index.js';
import { protocol as v201 } from '../../generated/v201/index.js';
import { protocol as v21 } from '../../generated/v21/index.js';
import type { RegistrationStatusEnumType } from '../../generated/v201/types.js';
import { OutgoingValidationError } from '../rpc/errors.js';
import { CsmsServer, type CsmsServerOptions } from '../rpc/server.js';
import type { CsmsTlsOptions } from '../rpc/tls.js';
import type { TraceSink } from '../rpc/trace.js';
import {
  approximateBytes,
  DEFAULT_LARGE_MESSAGE_BYTES,
  DEFAULT_LOG_BYTES,
  DEFAULT_LOG_LIMIT,
  omitted,
} from './message-budget.js';
import { codeOrMessage } from '../error-text.js';
import type { CertificateAuthority } from '../station/M-certificates/ca.js';

type Served = (typeof v21 | typeof v201 | typeof v16)[];
export type CsmsVersion = 'ocpp2.1' | 'ocpp2.0.1' | 'ocpp1.6';

export interface LoggedMessage {
  /** ms since the epoch */
  at: number;
  identity: string;
  /** `in`: a CALL from the station (with our answer); `out`: a CALL we sent (with the station's answer). */
  direction: 'in' | 'out';
  action: string;
  request: unknown;
  response?: unknown;
  /** The CALLERROR code, when the call failed. */
  error?: string;
}

export interface SimpleCsmsOptions {
  /** Versions served, most preferred first (ocpp1.6 too). Default ['ocpp2.1', 'ocpp2.0.1']. */
  versions?: CsmsVersion[];
  /** What BootNotification gets; default Accepted. A function decides per station. */
  bootStatus?: RegistrationStatusEnumType | ((identity: string) => RegistrationStatusEnumType);
  /** BootNotificationResponse.interval, s (heartbeat interval when Accepted, retry interval otherwise). Default 300. */
  heartbeatInterval?: number;
  /** idTokens answered Invalid (Authorize, TransactionEvent; 1.6 idTags in Authorize, Start/StopTransaction). */
  denyTokens?: Iterable<string>;
  /** Profile 1/2: the Basic-auth password every station must present (omit: no authentication). */
  password?: string;
  /** The security profile enforced (A00). Default: 1 when a password is given, else none (development only). */
  securityProfile?: 1 | 2 | 3;
  /** Profiles 2 and 3: the CSMS certificate and key; profile 3 also the CA that issues station certificates. */
  tls?: CsmsTlsOptions;
  trace?: TraceSink;
  callTimeoutMs?: number;
  /** The most messages `log` keeps (the oldest go first; the trace keeps the history). Default 10,000. */
  logLimit?: number;
  /** The most memory (estimated) the requests and responses in `log` may take, bytes. Default 32 MiB. */
  logBytes?: number;
  /** A request or response taking more memory than this (estimated) is kept in `log` as `{ omitted }`. Default 1 MiB. */
  largeMessageBytes?: number;
  /**
   * A02/A03: the CA that signs the stations' CSRs. With it, SignCertificate is Accepted and a CertificateSigned with
   * the signed certificate (and the certificateType asked for, A02.FR.14) follows; without it, Rejected.
   */
  ca?: CertificateAuthority;
  /** Days the certificates `ca` issues are valid. Default 365. */
  certificateDays?: number;
}

/** The most connection attempts `attempts` keeps (the oldest go first). */
export const ATTEMPTS_LIMIT = 1000;

export type Responder = (request: any, identity: string) => unknown;

export interface SimpleCsmsEvents {
  message: [message: LoggedMessage];
  station: [info: { identity: string; version: CsmsVersion }];
  disconnect: [info: { identity: string }];
  /** A connection attempt was refused before the upgrade (wrong password, certificate, path). */
  refused: [info: { identity: string | undefined; status: number; reason: string }];
}

const PROTOCOLS = { 'ocpp2.1': v21, 'ocpp2.0.1': v201, 'ocpp1.6': v16 } as const;

export class SimpleCsms extends EventEmitter<SimpleCsmsEvents> {
  /**
   * The latest messages, oldest first: a window bounded by `logLimit` messages and `logBytes` bytes, so that a CSMS
   * that runs for days in front of any station runs in bounded memory. Indexes into it hold until it is full.
   */
  readonly log: LoggedMessage[] = [];
  /** The latest connection attempts (ms since the epoch), accepted or refused, at most ATTEMPTS_LIMIT. */
  readonly attempts: Array<{ identity: string; at: number; accepted: boolean }> = [];
  /** Estimated bytes of each logged message, and their sum over `log`. */
  readonly #sizes = new WeakMap<LoggedMessage, number>();
  #logBytes = 0;
  readonly #logLimit: number;
  readonly #logBudget: number;
  readonly #largeMessage: number;
  #refusing = false;
  readonly #server: CsmsServer<Served>;
  readonly #deny: Set<string>;
  readonly #overrides = new Map<string, Responder>();
  readonly #options: SimpleCsmsOptions;
  /** Passwords a station accepted with SetVariables BasicAuthPassword: from then on only these (A01.FR.03/04). */
  readonly #passwords = new Map<string, Buffer>();
  /** 1.6: the last transactionId given in a StartTransaction.conf (ids count up from 1 for every station). */
  #transactionId = 0;

  constructor(options: SimpleCsmsOptions = {}) {
    super();
    this.#options = options;
    this.#logLimit = positive(options.logLimit, 'logLimit', DEFAULT_LOG_LIMIT);
    this.#logBudget = positive(options.logBytes, 'logBytes', DEFAULT_LOG_BYTES);
    this.#largeMessage = positive(options.largeMessageBytes, 'largeMessageBytes', DEFAULT_LARGE_MESSAGE_BYTES);
    this.#deny = new Set(options.denyTokens ?? []);
    const versions = options.versions ?? ['ocpp2.1', 'ocpp2.0.1'];
    const protocols: Served = versions.map((v) => PROTOCOLS[v]);
    const serverOptions: CsmsServerOptions<Served, unknown> = {
      protocols,
      ...(options.trace ? { trace: options.trace } : {}),
      ...(options.callTimeoutMs ? { callTimeoutMs: options.callTimeoutMs } : {}),
    };
    const profile = options.securityProfile ?? (options.password !== undefined ? 1 : undefined);
    if (profile !== undefined) serverOptions.securityProfile = profile;
    // Profile 3 authenticates by certificate alone (A00.FR.401): no password is checked then.
    const expected = options.password !== undefined && profile !== 3 ? Buffer.from(options.password) : undefined;
    serverOptions.authenticate = ({ identity, password }) => {
      const wanted = expected === undefined ? undefined : (this.#passwords.get(identity) ?? expected);
      const accepted = !this.#refusing && (wanted === undefined || (password !== undefined && password.equals(wanted)));
      this.attempts.push({ identity, at: Date.now(), accepted });
      if (this.attempts.length > ATTEMPTS_LIMIT) this.attempts.shift();
      // A CSMS that is down or unreachable: 503 (the station counts a failed attempt).
      return this.#refusing ? { status: 503 } : accepted;
    };
    this.#server = new CsmsServer<Served>(serverOptions);
    for (const version of versions) this.#install(version);
    this.#server.on('station', (session) =>
      // A station of this CSMS negotiated one of the versions it serves.
      this.emit('station', { identity: session.identity, version: session.protocol as CsmsVersion }),
    );
    this.#server.on('disconnect', (session) => this.emit('disconnect', { identity: session.identity }));
    this.#server.on('refused', ({ identity, status, reason }) => this.emit('refused', { identity, status, reason }));
  }

  /** Listens on 127.0.0.1 (port 0: any free port); resolves with the address. */
  async listen(port = 0, host = '127.0.0.1'): Promise<AddressInfo> {
    return this.#server.listen({ port, host, ...(this.#options.tls ? { tls: this.#options.tls } : {}) });
  }

  /** The base URL stations connect to (`<url>/<identity>`): wss:// when serving TLS. */
  url(address: AddressInfo): string {
    const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
    return `${this.#options.tls ? 'wss' : 'ws'}://${host}:${address.port}`;
  }

  async close(): Promise<void> {
    await this.#server.close();
  }

  /** While `refuse` is true, every connection attempt is refused (HTTP 503), as by a CSMS that is down. */
  refuseConnections(refuse: boolean): void {
    this.#refusing = refuse;
  }

  /** Closes a station's connection from the CSMS side; resolves once it is closed. */
  async disconnect(identity: string): Promise<void> {
    const session = this.#server.session(identity);
    if (!session) return;
    const closed = new Promise<void>((resolve) => {
      const listener = (info: { identity: string }) => {
        if (info.identity !== identity) return;
        this.off('disconnect', listener);
        resolve();
      };
      this.on('disconnect', listener);
    });
    session.close(1000, 'closed by the CSMS');
    await closed;
  }

  /** Replaces the default answer to a station's CALL of `action`. */
  respond(action: string, responder: Responder): this {
    this.#overrides.set(action, responder);
    return this;
  }

  deny(idToken: string): void {
    this.#deny.add(idToken);
  }

  allow(idToken: string): void {
    this.#deny.delete(idToken);
  }

  /** The connected station's session, if any. */
  isConnected(identity: string): boolean {
    return this.#server.session(identity) !== undefined;
  }

  /** The stations connected now, with the version each negotiated. */
  stations(): Array<{ identity: string; version: CsmsVersion }> {
    return [...this.#server.stations()].map((s) => ({ identity: s.identity, version: s.protocol as CsmsVersion }));
  }

  /**
   * Sends a CSMS-initiated CALL to a connected station; resolves with its answer. A payload that fails the
   * station's version's schema rejects with an OutgoingValidationError naming the field, and is neither sent nor
   * logged.
   */
  async call(identity: string, action: string, payload: unknown): Promise<unknown> {
    const session = this.#server.session(identity);
    if (!session) throw new Error(`station ${identity} is not connected`);
    const entry: LoggedMessage = { at: Date.now(), identity, direction: 'out', action, request: payload };
    try {
      // By name: the action typed at the prompt is checked against the station's version at run time.
      entry.response = await session.callByName(action, payload);
      if (action === 'SetVariables') this.#adoptPassword(identity, payload, entry.response);
      if (action === 'ChangeConfiguration') this.#adoptAuthorizationKey(identity, payload, entry.response);
      this.#record(entry);
      return entry.response;
    } catch (err) {
      if (err instanceof OutgoingValidationError) throw err;
      entry.error = codeOrMessage(err);
      this.#record(entry);
      throw err;
    }
  }

  /**
   * A01.FR.03: a BasicAuthPassword the station answered Accepted replaces the old credentials; A01.FR.04: any other
   * status keeps the old ones. (RebootRequired counts as accepted: the station uses it after the reboot.)
   */
  #adoptPassword(identity: string, request: unknown, response: unknown): void {
    const data =
      // A SetVariables request and response the RPC layer validated; only the password items are read.
      (
        request as {
          setVariableData?: Array<{
            attributeValue: string;
            attributeType?: string;
            component: { name: string };
            variable: { name: string };
          }>;
        }
      ).setVariableData ?? [];
    const results =
      (
        response as {
          setVariableResult?: Array<{
            attributeStatus: string;
            component: { name: string };
            variable: { name: string };
          }>;
        }
      ).setVariableResult ?? [];
    const isPassword = (x: { component: { name: string }; variable: { name: string } }) =>
      x.component.name === 'SecurityCtrlr' && x.variable.name === 'BasicAuthPassword';
    const set = data.find((d) => isPassword(d) && (d.attributeType ?? 'Actual') === 'Actual');
    const result = results.find(isPassword);
    if (set && result && (result.attributeStatus === 'Accepted' || result.attributeStatus === 'RebootRequired'))
      this.#passwords.set(identity, Buffer.from(set.attributeValue));
  }

  /** 1.6 (security whitepaper, TC_073_CS): an AuthorizationKey the station accepted is its password from now on. */
  #adoptAuthorizationKey(identity: string, request: unknown, response: unknown): void {
    // A ChangeConfiguration request and response the RPC layer validated.
    const { key, value } = request as { key: string; value: string };
    if (key === 'AuthorizationKey' && (response as { status?: string }).status === 'Accepted')
      this.#passwords.set(identity, Buffer.from(value, 'hex'));
  }

  /** Messages from the station `identity`, optionally of one action. */
  received(identity: string, action?: string): LoggedMessage[] {
    return this.log.filter((m) => m.identity === identity && m.direction === 'in' && (!action || m.action === action));
  }

  /**
   * Resolves with the first logged message (from now on, or already logged after `since`) that matches; rejects
   * after `timeoutMs`.
   */
  waitFor(match: (m: LoggedMessage) => boolean, timeoutMs = 5000, since = -1): Promise<LoggedMessage> {
    const earlier = this.log.slice(since + 1).find(match);
    if (earlier) return Promise.resolve(earlier);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('message', listener);
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (m: LoggedMessage) => {
        if (!match(m)) return;
        clearTimeout(timer);
        this.off('message', listener);
        resolve(m);
      };
      this.on('message', listener);
    });
  }

  #record(full: LoggedMessage): void {
    // A request or response too large to keep is replaced in the log (the caller still gets the full one).
    const large = this.#largeMessage;
    const requestBytes = approximateBytes(full.request, large);
    const responseBytes = 'response' in full ? approximateBytes(full.response, large) : 0;
    const entry: LoggedMessage =
      requestBytes > large || responseBytes > large
        ? {
            ...full,
            ...(requestBytes > large ? { request: omitted(large) } : {}),
            ...(responseBytes > large ? { response: omitted(large) } : {}),
          }
        : full;
    const bytes = 200 + Math.min(requestBytes, large) + Math.min(responseBytes, large);
    if (this.log.length === 0) this.#logBytes = 0; // emptied from outside (tests do)
    this.log.push(entry);
    this.#sizes.set(entry, bytes);
    this.#logBytes += bytes;
    while (this.log.length > 1 && (this.log.length > this.#logLimit || this.#logBytes > this.#logBudget)) {
      this.#logBytes -= this.#sizes.get(this.log.shift()!) ?? 0;
    }
    this.emit('message', entry);
  }

  #install(version: CsmsVersion): void {
    const handlers = this.#server.handlers(version);
    const received = Object.entries(PROTOCOLS[version].actions).filter(([, d]) => d.direction !== 'CSMS->CS');
    for (const [action, d] of received) {
      // By name: every message a station may send is logged and answered (a 2.1 SEND is logged, never answered).
      handlers.handleByName(action, (request, ctx) => {
        const identity = ctx.session.identity;
        const entry: LoggedMessage = { at: Date.now(), identity, direction: 'in', action, request };
        if (d.send) return void this.#record(entry);
        try {
          const override = this.#overrides.get(action);
          entry.response = override ? override(request, identity) : this.#defaultAnswer(action, request, identity);
          return entry.response;
        } catch (err) {
          // A CallError (the handler's or the RPC layer's) has a code; anything else is an InternalError.
          entry.error = (err as { code?: string }).code ?? 'InternalError';
          throw err;
        } finally {
          this.#record(entry);
        }
      });
    }
  }

  #defaultAnswer(action: string, request: any, identity: string): unknown {
    const now = new Date().toISOString();
    const tokenInfo = (idToken: { idToken: string } | undefined) => ({
      status: idToken && this.#deny.has(idToken.idToken) ? 'Invalid' : 'Accepted',
    });
    switch (action) {
      case 'BootNotification': {
        const b = this.#options.bootStatus;
        const status = typeof b === 'function' ? b(identity) : (b ?? 'Accepted');
        return { currentTime: now, interval: this.#options.heartbeatInterval ?? 300, status };
      }
      case 'Heartbeat':
        return { currentTime: now };
      case 'Authorize':
        // 1.6 names the token `idTag` and answers `idTagInfo`.
        if (typeof request.idTag === 'string') return { idTagInfo: tokenInfo({ idToken: request.idTag }) };
        return { idTokenInfo: tokenInfo(request.idToken) };
      case 'StartTransaction':
        return { transactionId: ++this.#transactionId, idTagInfo: tokenInfo({ idToken: request.idTag }) };
      case 'StopTransaction':
        return typeof request.idTag === 'string' ? { idTagInfo: tokenInfo({ idToken: request.idTag }) } : {};
      case 'TransactionEvent':
        return request.idToken ? { idTokenInfo: tokenInfo(request.idToken) } : {};
      case 'DataTransfer':
        return { status: 'UnknownVendorId' };
      case 'Get15118EVCertificate':
        return { status: 'Failed', exiResponse: '' };
      case 'GetCertificateStatus':
        return { status: 'Failed' };
      case 'SignCertificate':
        return this.#sign(identity, request);
      case 'NotifyEVChargingNeeds':
        return { status: 'Rejected' };
      case 'ReportChargingProfiles':
      case 'NotifyEVChargingSchedule':
        return action === 'NotifyEVChargingSchedule' ? { status: 'Accepted' } : {};
      default:
        return this.#defaultFor(action);
    }
  }

  /**
   * A02.FR.11/12: Accepted when there is a CA and the CSR is one; the certificate follows in a CertificateSigned once
   * the answer is out (a failure there is logged as the CALL's error).
   */
  #sign(identity: string, request: { csr: string; certificateType?: string; requestId?: number }): unknown {
    const ca = this.#options.ca;
    if (!ca || typeof request.csr !== 'string' || !request.csr.includes('CERTIFICATE REQUEST'))
      return { status: 'Rejected' };
    setTimeout(() => {
      ca.signCsr(request.csr, { days: this.#options.certificateDays ?? 365 })
        .then((cert) =>
          this.call(identity, 'CertificateSigned', {
            // The chain up to the root the station knows: the CA's own certificate closes it.
            certificateChain: cert,
            ...(request.certificateType ? { certificateType: request.certificateType } : {}),
            // 2.1 A02.FR.25 / A03.FR.21: the requestId of the SignCertificate, echoed.
            ...(typeof request.requestId === 'number' ? { requestId: request.requestId } : {}),
          }),
        )
        .catch((err: unknown) =>
          this.#record({
            at: Date.now(),
            identity,
            direction: 'out',
            action: 'CertificateSigned',
            request: { csr: 'not signed' },
            error: codeOrMessage(err),
          }),
        );
    }, 0);
    return { status: 'Accepted' };
  }

  /** M05: installs a CA certificate (PEM) of `certificateType` on a connected station; resolves with its answer. */
  installCertificate(identity: string, certificateType: string, certificate: string): Promise<unknown> {
    return this.call(identity, 'InstallCertificate', { certificateType, certificate });
  }

  /** Every other station message is acknowledged with an empty response or the minimal valid one. */
  #defaultFor(action: string): unknown {
    const minimal: Record<string, unknown> = {
      GetCertificateChainStatus: { certificateStatus: [] },
      PullDynamicScheduleUpdate: { status: 'Rejected' },
      VatNumberValidation: { status: 'Rejected', vatNumber: '' },
      NotifyPriorityCharging: {},
      NotifyAllowedEnergyTransfer: { status: 'Rejected' },
      OpenPeriodicEventStream: { status: 'Rejected' },
      ClosePeriodicEventStream: {},
      NotifySettlement: {},
    };
    return minimal[action] ?? {};
  }
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  return value;
}
