// Block M (certificate management) and A02/A03 (the station's own certificates) on the station.
//
// M05 InstallCertificate, M04 DeleteCertificate and M03 GetInstalledCertificateIds keep the CA certificates in the
// certificate store (store.ts; the answers are ca-answers.ts); A02/A03 make a key pair and a CSR (task effect), send SignCertificate, retry with
// back-off while no CertificateSigned comes (A02.FR.17–19), verify what CertificateSigned brings (A02.FR.06/07) and
// switch the connection to it (A02.FR.08), falling back to the old one when the new one cannot connect (A02.FR.28/29);
// A03 renews the certificate in use by a timer set from its expiry (A03.FR.02). M05.FR.14–16: a new CSMS root on
// trial gives way to the old one when it does not verify the CSMS (the TLS side is tls.ts).
import type { X509Certificate } from 'node:crypto';
import type {
  CertificateSignedResponse,
  OCSPRequestDataType,
  SignCertificateRequest,
} from '../../../generated/v201/types.js';
import type { SignCertificateRequest as SignCertificateRequest21 } from '../../../generated/v21/types.js';
import type { Effect, StationView, Step, UseCase } from '../core/types.js';
import { byEventType } from '../core/types.js';
import { connectionSecurityEvent } from '../A-security/connection-events.js';
import { securityEvent } from '../A-security/security-log.js';
import { deleteCertificateAnswer, installCertificate, installedCertificateIds } from './ca-answers.js';
import { ANCHORS, chainHashData, currentOwnCertificate, OWN_USES, rootsOf, rowHashData } from './chains.js';
import {
  chainProblem,
  createKeyAndCsr,
  keyMatches,
  ocspUrl,
  parseChain,
  subjectOf,
  validAt,
  type CsrSubject,
} from './pki.js';
import {
  certificateKey,
  deleteCertificate,
  listCertificates,
  putCertificate,
  OCSP_CACHE_MS,
  OCSP_NS,
  ocspKey,
  type CachedOcsp,
  type KeyFolder,
  type OwnUse,
  type StoredCertificate,
} from './store.js';

export const DEFAULT_CERTIFICATE_LIMITS = {
  /** CA certificates kept at most (SecurityCtrlr.CertificateEntries' maxLimit, M05.FR.06). */
  maxEntries: 50,
};

/**
 * A SignCertificate in 2.1's shape (certificateType V2G20Certificate) through the family's 2.0.1-typed send: made
 * only on a 2.1 connection (`sign` refuses a V2G20Certificate otherwise). The one place this block's payload changes
 * type.
 */
const in21Shape = (payload: SignCertificateRequest21): SignCertificateRequest => payload as SignCertificateRequest;

/**
 * A02.FR.28: the failed attempts of one round over NetworkConfigurationPriority, NetworkProfileConnectionAttempts per
 * entry (B10.FR.03), after which the station falls back to the other client certificate.
 */
function connectionRound(view: StationView): number {
  const attempts = Math.max(1, view.variables.int('OCPPCommCtrlr', 'NetworkProfileConnectionAttempts') ?? 3);
  const priority = view.variables.string('OCPPCommCtrlr', 'NetworkConfigurationPriority') ?? '';
  const entries = Math.max(1, priority.split(',').filter((p) => p.trim() !== '').length);
  return attempts * entries;
}

/** A03.FR.02: renew the station certificate when it expires within a month. */
export const RENEW_BEFORE_MS = 30 * 86_400_000;
const CHECK_EVERY_MS = 86_400_000;
const RENEWAL_TIMER = 'certificates.renewal';
const retryTimer = (use: OwnUse) => `certificates.retry.${use}`;
const signTag = (use: OwnUse) => `certificates.sign.${use}`;
const OCSP_TAG = 'certificates.ocsp:';

const TRIGGERS = {
  SignChargingStationCertificate: ['ChargingStationCertificate'],
  SignV2GCertificate: ['V2GCertificate'],
  // 2.1 A02.FR.23: the ISO 15118-20 certificate.
  SignV2G20Certificate: ['V2G20Certificate'],
  // 2.1: one certificate for both (the CSR is sent without certificateType, A02.FR.13 as the other way round).
  SignCombinedCertificate: ['ChargingStationCertificate'],
} as const satisfies Record<string, readonly OwnUse[]>;

export interface PendingCsr {
  /** The private key file of the CSR's key pair (KeyFolder id). */
  keyId: string;
  csr: string;
  /** SignCertificate requests sent for this CSR. */
  sent: number;
  /** The back-off after the last one, s (A02.FR.18: doubled every time). */
  waitSec: number;
  /** A combined certificate (SignCombinedCertificate): the requests carry no certificateType. */
  combined?: boolean;
  /** 2.1 A02.FR.24: the requestId the SignCertificate carries, which the CertificateSigned echoes (A02.FR.25). */
  requestId?: number;
}

export interface CertificatesState {
  /** CSRs sent and not yet answered with a CertificateSigned, by the certificate they are for. */
  pending: Partial<Record<OwnUse, PendingCsr>>;
  /** A02.FR.10: the station certificate that was in use before a new one was installed, until the new one connects. */
  previous?: string;
  /**
   * A02.FR.28 / A03.FR.24: the ChargingStationCertificate installed last, on trial until a connection succeeds with it
   * or with the old one (the installed `previous`, else the integrator's `tls.cert`).
   */
  renewed?: string;
  /** Failed connection attempts in a row while `renewed` is on trial. */
  failures?: number;
  /** A02.FR.28: the connection uses the old client certificate instead of `renewed`. */
  useOld?: boolean;
  /** M05.FR.12/13: the CSMS root kept as fallback until a connection with the new one succeeds. */
  fallbackRoot?: string;
  /**
   * M05.FR.14/16: the CSMS certificate did not verify with the new CSMS root: reconnecting to the CSMS of the last
   * successful connection, the station trusts the old (fallback) root again. Until the next successful connection.
   */
  rootFailed?: boolean;
  /** 2.1 A02.FR.24: the requestId of the last CSR (each CSR takes the next). */
  lastRequestId?: number;
  /** A02.FR.01: the key update that replaces the integrator's certificate was started (once). */
  initialReplaced?: boolean;
  /** Key pairs being made (the task runs): a renewal check meanwhile does not start another. Not kept. */
  making?: OwnUse[];
}

declare module '../core/registry.js' {
  interface OwnEvents {
    /** Make a key pair and a CSR for `use` and send SignCertificate (A02.FR.02/03). */
    'certificates.sign': { use: OwnUse; combined?: boolean };
    /** The task's outcome: the CSR, or why there is none. */
    'certificates.csr': { use: OwnUse; csr: string; keyId: string; combined?: boolean };
    'certificates.csrFailed': { use: OwnUse; error: string };
    /** A02.FR.17: no CertificateSigned within the back-off. */
    'certificates.retry': { use: OwnUse };
    /** A03.FR.02: time to look at the station certificate's expiry. */
    'certificates.check': object;
  }
  interface StationQueries {
    /** A05.FR.02/03: whether a valid certificate of `use` is installed (a CSMS root; the station's own). */
    hasValidCertificate(use: 'CSMSRootCertificate' | 'ChargingStationCertificate'): boolean;
  }
}

export interface CertificatesOptions {
  /** Where private keys go; without it the station cannot make keys (SignCertificate triggers are Rejected). */
  keys: KeyFolder | undefined;
  maxEntries: number;
  /**
   * CSMS roots the integrator configured (the network profiles' `tls.ca`): trust anchors of the station certificate
   * as much as an installed CSMSRootCertificate (A02.FR.06), though not reported by GetInstalledCertificateIds.
   */
  configuredRoots?: readonly string[];
  /** The integrator's station certificates (the network profiles' `tls.cert`): in use while none is installed. */
  configuredCertificates?: readonly string[];
  /** How long before expiry the certificate in use is renewed (A03.FR.02). Default RENEW_BEFORE_MS. */
  renewBeforeMs?: number;
  /** A02.FR.01: replace the integrator's certificate by one the CSMS issues, at the first profile-3 connection. */
  replaceInitial?: boolean;
}

/**
 * A03.FR.02: when the renewal of `cert` is due, `renewBeforeMs` (a month) before expiry. A certificate valid for less
 * than twice that is renewed at half its validity instead: renewing it a month early would ask for a new one on
 * every connection from the day it was issued.
 */
export function renewalAt(cert: X509Certificate, renewBeforeMs = RENEW_BEFORE_MS): number {
  const notAfter = Date.parse(cert.validTo);
  const lifetime = notAfter - Date.parse(cert.validFrom);
  return notAfter - Math.min(renewBeforeMs, lifetime / 2);
}

export function renewalDue(cert: X509Certificate, at: number, renewBeforeMs = RENEW_BEFORE_MS): boolean {
  return at > renewalAt(cert, renewBeforeMs);
}

/** Why a CertificateSigned for `use` cannot be installed (A02.FR.06/16), or the chain and key to install. */
function checkSigned(
  pem: string,
  use: OwnUse,
  pending: PendingCsr | undefined,
  keys: KeyFolder | undefined,
  view: StationView,
  extraRoots: readonly X509Certificate[],
): { problem: string; reasonCode?: string } | { chain: X509Certificate[]; keyId: string } {
  const max = view.variables.int('SecurityCtrlr', 'MaxCertificateChainSize');
  // A02.FR.16: a chain larger than MaxCertificateChainSize (its size in bytes of the PEM as sent).
  if (max !== undefined && Buffer.byteLength(pem) > max)
    return { problem: `chain exceeds ${max} bytes`, reasonCode: 'TooLargeElement' };
  const chain = parseChain(pem);
  if (!Array.isArray(chain)) return { problem: chain.invalid };
  if (!pending || !keys) return { problem: `no certificate signing request for ${use} is outstanding` };
  const key = keys.read(pending.keyId);
  // The certificate must carry the key pair of our CSR: a certificate for another key is useless to us.
  if (!key || !keyMatches(chain[0]!, key)) return { problem: 'the certificate is not for the key of the CSR' };
  const problem = chainProblem(chain, [...rootsOf(view, ANCHORS[use]), ...extraRoots], view.now());
  if (problem) return { problem };
  // Certificate Properties (A00.FR.509/511): the subject the CSR asked for.
  const { organization, commonName } = subjectOf(chain[0]!);
  const asked = csrSubject(view, use);
  if (asked.organization !== undefined && organization !== asked.organization)
    return {
      problem: `subject O is ${JSON.stringify(organization)}, not the OrganizationName ${JSON.stringify(asked.organization)}`,
    };
  if (commonName !== asked.commonName)
    return {
      problem: `subject CN is ${JSON.stringify(commonName)}, not ${JSON.stringify(asked.commonName)} the CSR asked for`,
    };
  return { chain, keyId: pending.keyId };
}

/**
 * The subject a CSR for `use` asks for. The station certificate (and a combined one): O the CSO's name
 * (SecurityCtrlr.OrganizationName), CN the station's identity (A00.FR.509/511). A V2G (SECC) certificate: CN the
 * SECC's name (ISO15118Ctrlr.SeccId), O and C the ISO15118Ctrlr's OrganizationName and CountryName (A02/A03's
 * SignV2GCertificate scenario; the appendix: these name the SECC leaf certificate). Without a SeccId the station's
 * identity stands in; without ISO15118Ctrlr.OrganizationName the CSO's name, which the appendix says is usually the
 * same.
 */
export function csrSubject(view: StationView, use: OwnUse): CsrSubject {
  const cso = view.variables.string('SecurityCtrlr', 'OrganizationName');
  if (use === 'ChargingStationCertificate') return { commonName: view.identity, organization: cso };
  const seccId = view.variables.string('ISO15118Ctrlr', 'SeccId');
  const country = view.variables.string('ISO15118Ctrlr', 'CountryName');
  return {
    commonName: seccId || view.identity,
    organization: view.variables.string('ISO15118Ctrlr', 'OrganizationName') || cso,
    ...(country ? { country } : {}),
  };
}

/**
 * M06.FR.06/07/10: the station's own certificates (and their sub-CAs) whose OCSP data is missing from the cache or
 * older than a week, with their responder; a certificate that names none cannot be asked about.
 */
function staleOcsp(view: StationView): OCSPRequestDataType[] {
  const out: OCSPRequestDataType[] = [];
  for (const use of OWN_USES) {
    const current = currentOwnCertificate(view.store, use, view.now());
    if (!current) continue;
    const hashes = chainHashData(current.chain, rootsOf(view, ANCHORS[use]), 'SHA256');
    current.chain.forEach((cert, i) => {
      const responderURL = ocspUrl(cert);
      if (!responderURL || responderURL.length > 512) return;
      const data: OCSPRequestDataType = { ...hashes[i]!, responderURL };
      const cached = view.store.get<CachedOcsp>(OCSP_NS, ocspKey(data));
      if (!cached || view.now() - cached.at >= OCSP_CACHE_MS) out.push(data);
    });
  }
  return out;
}

const askOcsp = (view: StationView): Effect[] =>
  staleOcsp(view).map((ocspRequestData) => ({
    type: 'send',
    action: 'GetCertificateStatus',
    payload: { ocspRequestData },
    tag: `${OCSP_TAG}${ocspKey(ocspRequestData)}`,
  }));

const notMaking = (state: CertificatesState, use: OwnUse): CertificatesState => ({
  ...state,
  making: (state.making ?? []).filter((u) => u !== use),
});

export function certificatesUseCase(options: CertificatesOptions): UseCase<CertificatesState> {
  const parsed = (pems: readonly string[] | undefined) =>
    (pems ?? []).flatMap((pem) => {
      const chain = parseChain(pem);
      return Array.isArray(chain) ? chain : [];
    });
  const configured = parsed(options.configuredRoots);
  // Each PEM's first certificate: the station's own (the rest of a chain are its CAs).
  const configuredCertificates = (options.configuredCertificates ?? []).flatMap((pem) => parsed([pem]).slice(0, 1));
  /** A02.FR.02/03: a new key pair and CSR, made off the event loop's pure path by a task. */
  const sign = (
    state: CertificatesState,
    view: StationView,
    use: OwnUse,
    combined?: boolean,
  ): Step<CertificatesState> => {
    const keys = options.keys;
    if (!keys) return { state };
    // V2G20Certificate is 2.1's: a 2.0.1 SignCertificate cannot name it (the integrator's renew() on 2.0.1).
    if (use === 'V2G20Certificate' && view.version !== 'ocpp2.1')
      return {
        state,
        effects: [
          {
            type: 'emit',
            event: { type: 'log', level: 'error', message: 'a V2G20Certificate needs an OCPP 2.1 connection' },
          },
        ],
      };
    const next: CertificatesState = { ...state, making: [...(state.making ?? []).filter((u) => u !== use), use] };
    const subject = csrSubject(view, use);
    return {
      state: next,
      effects: [
        { type: 'cancelTimer', id: retryTimer(use) },
        {
          type: 'task',
          name: `key pair and CSR for ${use}`,
          run: async () => {
            try {
              const made = await createKeyAndCsr(subject);
              const keyId = keys.write(made.privateKey);
              return { type: 'certificates.csr', use, csr: made.csr, keyId, ...(combined ? { combined } : {}) };
            } catch (error) {
              return {
                type: 'certificates.csrFailed',
                use,
                error: error instanceof Error ? error.message : String(error),
              };
            }
          },
        },
      ],
    };
  };

  /** A CSR given up (Rejected, repeated enough, or answered with a certificate we refuse): its key goes too. */
  const withoutPending = (state: CertificatesState, use: OwnUse): Step<CertificatesState> => {
    const dropped = state.pending[use];
    if (!dropped) return { state };
    const { [use]: _dropped, ...rest } = state.pending;
    const keys = options.keys;
    return {
      state: { ...state, pending: rest },
      effects: [
        { type: 'cancelTimer', id: retryTimer(use) },
        { type: 'persist' },
        ...(keys
          ? [
              {
                type: 'task' as const,
                name: 'discard the key of an abandoned CSR',
                run: async () => (keys.remove(dropped.keyId), undefined),
              },
            ]
          : []),
      ],
    };
  };

  const request = (use: OwnUse, pending: PendingCsr, view: StationView): Effect => {
    // 2.1 A02.FR.27 / A03.FR.23: a V2G CSR names the root CA that is to sign it (the V2G root installed first).
    const v2gRoot = use !== 'ChargingStationCertificate' ? rootsOf(view, ANCHORS[use])[0] : undefined;
    return {
      type: 'send',
      action: 'SignCertificate',
      payload: in21Shape({
        csr: pending.csr,
        // A02.FR.13: which certificate it is for (a combined one, 2.1, carries none).
        ...(pending.combined ? {} : { certificateType: use }),
        // 2.1 A02.FR.24 / A03.FR.20: the requestId the CertificateSigned is to carry.
        ...(pending.requestId !== undefined ? { requestId: pending.requestId } : {}),
        ...(v2gRoot && view.version === 'ocpp2.1'
          ? { hashRootCertificate: rowHashData(v2gRoot, [v2gRoot], 'SHA256') }
          : {}),
      }),
      tag: signTag(use),
    };
  };

  /**
   * The station certificate in use: the newest installed one, else (connected with security profile 3) the
   * integrator's, which A02.FR.01 replaces and A03.FR.02 renews as much as one the CSMS issued.
   */
  const inUse = (view: StationView): { cert: X509Certificate; installed: boolean } | undefined => {
    const current = currentOwnCertificate(view.store, 'ChargingStationCertificate', view.now());
    if (current) return { cert: current.chain[0]!, installed: true };
    if (view.variables.int('SecurityCtrlr', 'SecurityProfile') !== 3) return undefined;
    const given = configuredCertificates[0];
    return given ? { cert: given, installed: false } : undefined;
  };

  /**
   * A03.FR.02: a renewal once the certificate in use is within `renewBeforeMs` of its expiry, by a timer set for
   * that moment (at most a day ahead, checked again then: the clock may be adjusted meanwhile); A02.FR.01: the
   * integrator's certificate replaced at the first connection with it, when the integrator asks for that.
   */
  const renewal = (state: CertificatesState, view: StationView): Step<CertificatesState> => {
    const now = view.now();
    const current = inUse(view);
    const at = current ? renewalAt(current.cert, options.renewBeforeMs) : undefined;
    const initial = options.replaceInitial === true && current?.installed === false && !state.initialReplaced;
    const due = initial || (at !== undefined && at <= now);
    const busy = state.pending.ChargingStationCertificate || state.making?.includes('ChargingStationCertificate');
    const timer: Effect = {
      type: 'timer',
      id: RENEWAL_TIMER,
      ms: at !== undefined && at > now ? Math.min(CHECK_EVERY_MS, at - now) : CHECK_EVERY_MS,
      event: { type: 'certificates.check' },
    };
    // M06.FR.06/07/10: the OCSP data of the station's certificates, asked when missing or a week old.
    const ocsp = askOcsp(view);
    if (!due || busy || !options.keys) return { state, effects: [...ocsp, timer] };
    const step = sign(initial ? { ...state, initialReplaced: true } : state, view, 'ChargingStationCertificate');
    return {
      state: step.state,
      effects: [...(step.effects ?? []), ...(initial ? [{ type: 'persist' as const }] : []), ...ocsp, timer],
    };
  };

  return {
    name: 'certificates',
    init: (_view, saved) => (saved as CertificatesState | undefined) ?? { pending: {} },
    save: ({ making: _making, ...kept }) => kept,
    triggers: Object.keys(TRIGGERS),
    // Without a key folder no key pair can be made: a trigger would be Accepted and never followed (F06.FR.10).
    canTrigger: () => options.keys !== undefined,
    queries: {
      hasValidCertificate: (_state, view, use) =>
        use === 'ChargingStationCertificate'
          ? currentOwnCertificate(view.store, use, view.now()) !== undefined
          : rootsOf(view, use).some((c) => validAt(c, view.now())),
    },

    on: byEventType({
      connected: (state, _event, view) => {
        const effects: Effect[] = [];
        const commit: Effect[] = [];
        /** One client certificate out of the store, with its key. */
        const discard = (key: string) => {
          const row = listCertificates(view.store).find((r) => r.key === key);
          commit.push({ type: 'storeWrite', ops: [deleteCertificate(key)] });
          if (row?.keyId && options.keys) {
            const keys = options.keys;
            const keyId = row.keyId;
            effects.push({
              type: 'task',
              name: 'discard a client key',
              run: async () => (keys.remove(keyId), undefined),
            });
          }
        };
        if (state.renewed && state.useOld) {
          // A02.FR.10/28/29 (A03.FR.10/24/25): connected with the old certificate after the new one failed: the new
          // one is discarded, and the CSMS told so that it can ask for another renewal.
          discard(state.renewed);
          effects.push(
            ...securityEvent(view, 'DiscardedRenewedClientCertificate', 'no connection with the renewed certificate'),
          );
        } else if (state.previous) {
          // A02.FR.10: connected with the new certificate: the old one is discarded (with its key).
          discard(state.previous);
        }
        // M05.FR.13: connected with the new CSMS root (the old one was not trusted): the fallback goes. Connected
        // through the fallback (M05.FR.14), both stay, and the next reconnection tries the new root first again.
        if (state.fallbackRoot && !state.rootFailed)
          commit.push({ type: 'storeWrite', ops: [deleteCertificate(state.fallbackRoot)] });
        // The trials are over: what else the state holds stays (CSRs outstanding, the last requestId, …).
        const {
          previous: _previous,
          renewed: _renewed,
          failures: _failures,
          useOld: _useOld,
          fallbackRoot: _fallbackRoot,
          rootFailed: _rootFailed,
          ...kept
        } = state;
        const next: CertificatesState = {
          ...kept,
          ...(state.fallbackRoot && state.rootFailed ? { fallbackRoot: state.fallbackRoot } : {}),
        };
        const step = renewal(next, view);
        const changed =
          state.previous !== undefined ||
          state.renewed !== undefined ||
          state.fallbackRoot !== undefined ||
          state.rootFailed !== undefined;
        return {
          state: step.state,
          effects: [...commit, ...effects, ...(step.effects ?? []), ...(changed ? [{ type: 'persist' as const }] : [])],
        };
      },
      'security.connectFailed': (state, event, view) => {
        let next = state;
        let reconnect: string | undefined;
        // M05.FR.14: the CSMS certificate does not verify with the new CSMS root: try the old one.
        if (
          state.fallbackRoot &&
          !state.rootFailed &&
          connectionSecurityEvent(event.error)?.type === 'InvalidCsmsCertificate'
        ) {
          next = { ...next, rootFailed: true };
          reconnect = 'the CSMS certificate does not verify with the new CSMS root: trying the old one (M05.FR.14)';
        }
        if (state.renewed) {
          // A02.FR.28: a whole round of NetworkConfigurationPriority (NetworkProfileConnectionAttempts per entry)
          // failed with one client certificate: the next round uses the other. The link falls back to the profile
          // of the last successful connection meanwhile (B10.FR.07); alternating rather than staying with the old
          // certificate keeps the station from being stranded when the old one has expired since.
          const failures = (state.failures ?? 0) + 1;
          if (failures >= connectionRound(view)) {
            next = { ...next, failures: 0, useOld: !state.useOld };
            reconnect ??= `no connection with the ${state.useOld ? 'old' : 'renewed'} client certificate: trying the ${state.useOld ? 'renewed' : 'old'} one (A02.FR.28)`;
          } else next = { ...next, failures };
        }
        if (next === state) return undefined;
        return {
          state: next,
          // Persisted first: the TLS settings of the next connection are read from the saved state (tls.ts).
          effects: [{ type: 'persist' }, ...(reconnect ? [{ type: 'reconnect' as const, why: reconnect }] : [])],
        };
      },
      'certificates.check': (state, _event, view) => renewal(state, view),
      triggered: (state, event, view) => {
        const uses: readonly OwnUse[] | undefined = TRIGGERS[event.requestedMessage as keyof typeof TRIGGERS];
        if (!uses) return undefined;
        // A02.FR.19/20: a trigger starts afresh, whatever happened before.
        return sign(state, view, uses[0]!, event.requestedMessage === 'SignCombinedCertificate');
      },
      'certificates.sign': (state, event, view) => sign(state, view, event.use, event.combined),
      'certificates.csr': (state, event, view) => {
        const wait = view.variables.int('SecurityCtrlr', 'CertSigningWaitMinimum');
        // 2.1 A02.FR.24: a requestId per CSR (its retries, A02.FR.18, keep it), counting on from the last one.
        const requestId = view.version === 'ocpp2.1' ? ((state.lastRequestId ?? 0) % 2_147_483_647) + 1 : undefined;
        const pending: PendingCsr = {
          keyId: event.keyId,
          csr: event.csr,
          sent: 1,
          waitSec: wait ?? 0,
          ...(event.combined ? { combined: true } : {}),
          ...(requestId !== undefined ? { requestId } : {}),
        };
        // A previous CSR for the same certificate is abandoned, and its key with it.
        const old = state.pending[event.use];
        const keys = options.keys;
        return {
          state: {
            ...notMaking(state, event.use),
            pending: { ...state.pending, [event.use]: pending },
            ...(requestId !== undefined ? { lastRequestId: requestId } : {}),
          },
          effects: [
            request(event.use, pending, view),
            { type: 'persist' },
            ...(old && keys && old.keyId !== event.keyId
              ? [
                  {
                    type: 'task' as const,
                    name: 'discard an abandoned key',
                    run: async () => (keys.remove(old.keyId), undefined),
                  },
                ]
              : []),
          ],
        };
      },
      'certificates.csrFailed': (state, event) => ({
        state: notMaking(state, event.use),
        effects: [
          { type: 'emit', event: { type: 'log', level: 'error', message: `no CSR for ${event.use}: ${event.error}` } },
        ],
      }),
      reply: (state, event, view) => {
        // M06.FR.06: an OCSP answer for one of the station's certificates is kept.
        if (event.action === 'GetCertificateStatus' && event.tag.startsWith(OCSP_TAG)) {
          if (event.result.status !== 'sent' || event.result.response.status !== 'Accepted') return undefined;
          const entry: CachedOcsp = { at: view.now(), response: event.result.response };
          return {
            state,
            effects: [
              {
                type: 'storeWrite',
                ops: [{ op: 'put', namespace: OCSP_NS, key: event.tag.slice(OCSP_TAG.length), value: entry }],
              },
            ],
          };
        }
        const use = OWN_USES.find((u) => event.tag === signTag(u));
        if (!use || event.action !== 'SignCertificate') return undefined;
        const pending = state.pending[use];
        if (!pending) return undefined;
        const accepted = event.result.status === 'sent' && event.result.response.status === 'Accepted';
        // Rejected by the CSMS: nothing more to wait for (A02.FR.21's recommendation is the integrator's).
        if (event.result.status === 'sent' && !accepted) return withoutPending(state, use);
        // A02.FR.17: CertSigningWaitMinimum after the request (accepted, or not delivered) without CertificateSigned.
        if (pending.waitSec <= 0) return undefined;
        return {
          state,
          effects: [
            {
              type: 'timer',
              id: retryTimer(use),
              ms: pending.waitSec * 1000,
              event: { type: 'certificates.retry', use },
            },
          ],
        };
      },
      'certificates.retry': (state, event, view) => {
        const pending = state.pending[event.use];
        if (!pending) return undefined;
        // A02.FR.19: CertSigningRepeatTimes resends at most, then wait for a trigger.
        const repeat = view.variables.int('SecurityCtrlr', 'CertSigningRepeatTimes') ?? 0;
        if (pending.sent > repeat) return withoutPending(state, event.use);
        // A02.FR.18: the same CSR again, the back-off doubled.
        const next: PendingCsr = { ...pending, sent: pending.sent + 1, waitSec: pending.waitSec * 2 };
        return {
          state: { ...state, pending: { ...state.pending, [event.use]: next } },
          effects: [request(event.use, next, view), { type: 'persist' }],
        };
      },
    }),

    answers: {
      CertificateSigned(state, req, view) {
        // 2.1 A02.FR.26 / A03.FR.22: a requestId names the CSR it answers; one the station never sent is Rejected,
        // and the CSRs outstanding stay as they are.
        const requestId = 'requestId' in req ? req.requestId : undefined;
        const byRequest =
          requestId === undefined ? undefined : OWN_USES.find((u) => state.pending[u]?.requestId === requestId);
        if (requestId !== undefined && (!byRequest || (req.certificateType ?? byRequest) !== byRequest))
          return {
            response: {
              status: 'Rejected',
              statusInfo: {
                reasonCode: 'InvalidValue',
                additionalInfo: `no certificate signing request ${requestId}${req.certificateType ? ` for ${req.certificateType}` : ''} is outstanding`,
              },
            },
          };
        // Omitted: the certificate is for both connections; this station then uses it for the CSMS connection.
        const requested = byRequest ?? req.certificateType ?? 'ChargingStationCertificate';
        // Every value of the schemas' enum is a certificate this station makes CSRs for; the guard is for the type.
        const use = OWN_USES.find((u) => u === requested);
        if (!use)
          return {
            response: {
              status: 'Rejected',
              statusInfo: { reasonCode: 'InvalidCertificate', additionalInfo: `${requested} is not supported` },
            },
          };
        const verdict = checkSigned(
          req.certificateChain,
          use,
          state.pending[use],
          options.keys,
          view,
          use === 'ChargingStationCertificate' ? configured : [],
        );
        if ('problem' in verdict) {
          // A02.FR.07 / A03.FR.07: Rejected, discarded, a security event; A02.FR.20: no back-off until triggered.
          const dropped = withoutPending(state, use);
          const response: CertificateSignedResponse = {
            status: 'Rejected',
            statusInfo: {
              reasonCode: verdict.reasonCode ?? 'InvalidCertificate',
              // 2.0.1's StatusInfoType allows 512 characters.
              additionalInfo: verdict.problem.slice(0, 512),
            },
          };
          return {
            state: dropped.state,
            response,
            after: [
              ...(dropped.effects ?? []),
              ...securityEvent(view, 'InvalidChargingStationCertificate', verdict.problem.slice(0, 255)),
            ],
          };
        }
        const key = certificateKey(use, verdict.chain[0]!);
        const before = currentOwnCertificate(view.store, use, view.now());
        const { [use]: _done, ...rest } = state.pending;
        const row: StoredCertificate = {
          use,
          pem: req.certificateChain,
          installedAt: new Date(view.now()).toISOString(),
          keyId: verdict.keyId,
        };
        const { previous: _previous, renewed: _renewed, failures: _failures, useOld: _useOld, ...others } = state;
        const own = use === 'ChargingStationCertificate';
        const next: CertificatesState = {
          ...(own ? others : state),
          pending: rest,
          // A02.FR.28: the new certificate is on trial until a connection succeeds, the old one kept for fallback.
          ...(own ? { renewed: key, failures: 0 } : {}),
          ...(own && before && before.key !== key ? { previous: before.key } : {}),
        };
        return {
          state: next,
          response: { status: 'Accepted' },
          commit: [putCertificate(key, row)],
          persistOrAnswer: { status: 'Rejected', statusInfo: { reasonCode: 'InternalError' } },
          after: [
            { type: 'cancelTimer', id: retryTimer(use) },
            ...securityEvent(view, 'ReconfigurationOfSecurityParameters', `new ${use} installed`),
            // A02.FR.08: the connection switches to the new certificate by reconnecting.
            ...(use === 'ChargingStationCertificate'
              ? [{ type: 'reconnect' as const, why: 'new ChargingStationCertificate' }]
              : []),
          ],
        };
      },

      InstallCertificate: (state, req, view) => installCertificate(state, req, view, options),
      DeleteCertificate: (state, req, view) => deleteCertificateAnswer(state, req, view, options),
      GetInstalledCertificateIds: (_state, req, view) => installedCertificateIds(req, view),
    },
  };
}
