// The integrator's side of block M and of C07/C08: what an ISO 15118 stack asks the station for. The station
// forwards the EV's EXI request to the CSMS (M01/M02), asks the CSMS for the OCSP status of a certificate and keeps
// the answer (M06, cached for OCSP_CACHE_MS: M06.FR.10 asks for a refresh at least weekly), and sends an Authorize
// with a contract certificate or its hash data (C07/C08). Each call goes straight to the open connection: the EV
// is waiting, a queued answer would be worthless.
import type {
  AuthorizeRequest,
  AuthorizeResponse,
  IdTokenType,
  GetCertificateStatusResponse,
  OCSPRequestDataType,
} from '../../../generated/v201/types.js';
import type {
  CertificateStatusRequestInfoType,
  CertificateStatusType,
  Get15118EVCertificateRequest,
  Get15118EVCertificateResponse,
  GetCertificateChainStatusResponse,
} from '../../../generated/v21/types.js';
import type { SendResult } from '../../queue/dispatcher.js';
import type { Store } from '../../store/types.js';
import type { PublicEvent, StationEvent } from '../core/types.js';
import type { OwnUse } from './store.js';
import { chainProblem, hashData, parseChain } from './pki.js';
import { certificatesOf, listCertificates, OCSP_CACHE_MS, OCSP_NS, ocspKey, type CachedOcsp } from './store.js';

/** 2.1 M07: the certificate status cache, by source and hash data. */
export const CHAIN_STATUS_NS = 'station.certificateStatus';
export interface CertificatePorts {
  store: Store;
  now(): number;
  /** A CALL on the open connection (fails as `disconnected` without one). */
  send(action: string, payload: unknown): Promise<SendResult>;
  /** An event to the running station. */
  dispatch(event: StationEvent): void;
  /** Whether a connection to the CSMS is open. */
  connected(): boolean;
  /** ISO15118Ctrlr.ContractValidationOffline (C07.FR.07/08). */
  contractValidationOffline(): boolean | undefined;
  /**
   * 2.x, C07: present the eMAID at `evseId` with its contract chain (`contract.presented`, then as a presented
   * idToken); throws for an EVSE that does not exist. Absent on 1.6 (its Plug & Charge is the application note's).
   */
  presentContract?(idToken: IdTokenType, evseId: number, certificate: string): void;
  /** 2.x: listen to the station's `authorization` events until the returned function is called. */
  authorizations?(listener: (event: AuthorizationEvent) => void): () => void;
}

/** The station's verdict on a token it was presented (its `authorization` event). */
export type AuthorizationEvent = Extract<PublicEvent, { type: 'authorization' }>;

/** How long `contractPresented` waits for the verdict: ISO 15118's longest wait for an AuthorizationRes (60 s). */
export const CONTRACT_VERDICT_MS = 60_000;

/** The answer to `authorizeContract`: the CSMS's AuthorizeResponse, or the station's own verdict while offline. */
export type ContractAuthorization = AuthorizeResponse & {
  /** Decided by the station without the CSMS (C07.FR.07/08). */
  offline?: true;
};

export interface InstalledCertificate {
  use: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  serialNumber: string;
}

interface CachedStatus {
  at: number;
  status: CertificateStatusType;
}

/** The CALL's response, or an Error saying why there is none. */
async function answerOf<R>(ports: CertificatePorts, action: string, payload: unknown): Promise<R> {
  const result = await ports.send(action, payload);
  if (result.status === 'sent') return result.response as R;
  const why = result.status === 'failed' ? result.outcome.kind : result.status;
  throw new Error(`${action} got no answer from the CSMS (${why})`);
}

/** The most Get15118EVCertificate exchanges for one EV request (the EV's maximumContractCertificateChains caps it). */
const MAX_CONTRACT_ROUNDS = 255;

/** ISO 15118-20's schema namespaces name the part "-20" (urn:iso:std:iso:15118:-20:…); ISO 15118-2's ":2:". */
export function isIso15118_20(iso15118SchemaVersion: string): boolean {
  return /15118:-20(:|$)/.test(iso15118SchemaVersion);
}

/** M01.FR.02: the 2.1 fields that only ISO 15118-20 fills, dropped for an ISO 15118-2 EV. */
function forIsoPart(request: Get15118EVCertificateRequest): Get15118EVCertificateRequest {
  if (isIso15118_20(request.iso15118SchemaVersion)) return request;
  const { maximumContractCertificateChains: _chains, prioritizedEMAIDs: _emaids, ...iso2 } = request;
  return iso2;
}

export class StationCertificates {
  readonly #ports: () => CertificatePorts | undefined;

  constructor(ports: () => CertificatePorts | undefined) {
    this.#ports = ports;
  }

  #running(method: string): CertificatePorts {
    const ports = this.#ports();
    if (!ports) throw new Error(`certificates.${method}: the station is not started`);
    return ports;
  }

  /**
   * A02/A03 on the station's own initiative (after installation, A02.FR.01; or any time): a new key pair, a CSR, a
   * SignCertificate; the CertificateSigned that follows is verified and installed.
   */
  renew(use: OwnUse = 'ChargingStationCertificate'): void {
    if (use !== 'ChargingStationCertificate' && use !== 'V2GCertificate' && use !== 'V2G20Certificate')
      throw new TypeError(
        `certificates.renew: use is ChargingStationCertificate, V2GCertificate or (2.1) V2G20Certificate, got ${String(use)}`,
      );
    this.#running('renew').dispatch({ type: 'certificates.sign', use });
  }

  /** What the certificate store holds (CA certificates and the station's own), for display and diagnostics. */
  installed(store?: Store): InstalledCertificate[] {
    const from = store ?? this.#running('installed').store;
    return listCertificates(from).flatMap((row) =>
      certificatesOf(row)
        .slice(0, 1)
        .map((c) => ({
          use: row.use,
          subject: c.subject,
          issuer: c.issuer,
          validFrom: c.validFrom,
          validTo: c.validTo,
          serialNumber: hashData(c).serialNumber,
        })),
    );
  }

  /**
   * M01/M02: the EV's CertificateInstallationReq / CertificateUpdateReq (EXI, base64) forwarded to the CSMS, one
   * request and its answer. 2.1's fields (maximumContractCertificateChains, prioritizedEMAIDs) belong to ISO
   * 15118-20 only and are left out for an ISO 15118-2 EV (M01.FR.02). For ISO 15118-20, see get15118EVCertificates.
   */
  async get15118EVCertificate(request: Get15118EVCertificateRequest): Promise<Get15118EVCertificateResponse> {
    return answerOf(this.#running('get15118EVCertificate'), 'Get15118EVCertificate', forIsoPart(request));
  }

  /**
   * 2.1 M01/M02 with an ISO 15118-20 EV: the request carries maximumContractCertificateChains as the EV's
   * CertificateInstallationReq said (M01.FR.03; an update the same way, M02.FR.02), and is sent again unchanged as
   * long as the CSMS answers that contracts remain (remainingContracts > 0, M01.FR.06). Resolves with every answer
   * in order: each one's exiResponse and remainingContracts are for the ISO 15118 stack, which writes the latter
   * into RemainingContractCertificateChains of the CertificateInstallationRes it gives the EV (M01.FR.05). Bounded
   * by the chains the EV accepts (at least one request). An ISO 15118-2 EV gets the single exchange.
   */
  async get15118EVCertificates(request: Get15118EVCertificateRequest): Promise<Get15118EVCertificateResponse[]> {
    const ports = this.#running('get15118EVCertificates');
    const payload = forIsoPart(request);
    const rounds = isIso15118_20(request.iso15118SchemaVersion)
      ? Math.max(1, Math.min(MAX_CONTRACT_ROUNDS, request.maximumContractCertificateChains ?? MAX_CONTRACT_ROUNDS))
      : 1;
    const answers: Get15118EVCertificateResponse[] = [];
    for (let i = 0; i < rounds; i++) {
      const answer = await answerOf<Get15118EVCertificateResponse>(ports, 'Get15118EVCertificate', payload);
      answers.push(answer);
      if (answer.status !== 'Accepted' || !((answer.remainingContracts ?? 0) > 0)) break;
    }
    return answers;
  }

  /**
   * M06: the OCSP status of a certificate (an EV's contract certificate, one of the station's V2G chain), from the
   * cache while it is younger than a week (M06.FR.10), else asked from the CSMS; an Accepted answer is cached.
   */
  async getCertificateStatus(ocspRequestData: OCSPRequestDataType): Promise<GetCertificateStatusResponse> {
    const ports = this.#running('getCertificateStatus');
    const key = ocspKey(ocspRequestData);
    const cached = ports.store.get<CachedOcsp>(OCSP_NS, key);
    if (cached && ports.now() - cached.at < OCSP_CACHE_MS) return cached.response;
    const response = await answerOf<GetCertificateStatusResponse>(ports, 'GetCertificateStatus', { ocspRequestData });
    if (response.status === 'Accepted') ports.store.put(OCSP_NS, key, { at: ports.now(), response });
    return response;
  }

  /**
   * 2.1 M07: the revocation status of the certificates of a chain. Each status comes from the cache while its
   * `nextUpdate` has not passed, and is kept at most a week (M07.FR.09/10); only the others are asked from the CSMS
   * in one GetCertificateChainStatus (M07.FR.11). The answer lists a status for every certificate asked, in order.
   * Needs an OCPP 2.1 connection.
   */
  async getCertificateChainStatus(requests: CertificateStatusRequestInfoType[]): Promise<CertificateStatusType[]> {
    const ports = this.#running('getCertificateChainStatus');
    const key = (r: { source: string; certificateHashData: CertificateStatusType['certificateHashData'] }) =>
      `${r.source}/${ocspKey(r.certificateHashData)}`;
    const fresh = (c: CachedStatus | undefined) =>
      c !== undefined && ports.now() < Date.parse(c.status.nextUpdate) && ports.now() - c.at < OCSP_CACHE_MS;
    const cached = new Map(requests.map((r) => [key(r), ports.store.get<CachedStatus>(CHAIN_STATUS_NS, key(r))]));
    const missing = requests.filter((r) => !fresh(cached.get(key(r))));
    if (missing.length > 0) {
      const response = await answerOf<GetCertificateChainStatusResponse>(ports, 'GetCertificateChainStatus', {
        certificateStatusRequests: missing,
      });
      for (const status of response.certificateStatus) {
        const entry: CachedStatus = { at: ports.now(), status };
        cached.set(key(status), entry);
        ports.store.put(CHAIN_STATUS_NS, key(status), entry);
      }
    }
    return requests.flatMap((r) => {
      const found = cached.get(key(r));
      return found ? [found.status] : [];
    });
  }

  /**
   * C07 (Plug & Charge) as part of the charging session: the ISO 15118 stack presents the EV's eMAID (from its
   * PaymentDetailsReq) with the contract certificate chain (PEM, leaf first) at `evseId`. The station authorizes
   * the eMAID like any presented token — block E starts the transaction (TransactionEvent Authorized) on an accepted
   * verdict — and block C decides with the contract: online an AuthorizeRequest with the chain's OCSP request data
   * when an installed MO or V2G root validates it (C07.FR.01/02), with the chain itself in `certificate` when no
   * installed root issued it and ISO15118Ctrlr.CentralContractValidationAllowed is true (C07.FR.06); offline no
   * charging unless ISO15118Ctrlr.ContractValidationOffline (C07.FR.07), then the chain checked against the installed
   * roots and the eMAID judged by the local list, the cache and the unknown-id rule (C07.FR.08–12). Resolves with
   * the verdict (the `authorization` event, with `certificateStatus`) for the stack's AuthorizationRes: go ahead if
   * and only if `idTokenInfo.status` is Accepted. Rejects after CONTRACT_VERDICT_MS without one.
   */
  contractPresented(contract: { eMAID: string; certificate: string; evseId: number }): Promise<AuthorizationEvent> {
    const ports = this.#running('contractPresented');
    if (!ports.presentContract || !ports.authorizations)
      throw new Error('certificates.contractPresented: OCPP 1.6 Plug & Charge authorizes with authorizeContract');
    // An idToken of 2.0.1 has at most 36 characters (an eMAID has fewer).
    if (typeof contract?.eMAID !== 'string' || contract.eMAID.length === 0 || contract.eMAID.length > 36)
      throw new TypeError('certificates.contractPresented: eMAID must be a string of 1 to 36 characters');
    const chain = typeof contract.certificate === 'string' ? parseChain(contract.certificate) : undefined;
    if (!Array.isArray(chain))
      throw new TypeError(
        `certificates.contractPresented: certificate: ${chain?.invalid ?? 'a PEM certificate chain is required'}`,
      );
    const idToken: IdTokenType = { idToken: contract.eMAID, type: 'eMAID' };
    const { presentContract, authorizations } = ports;
    return new Promise<AuthorizationEvent>((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`certificates.contractPresented: no verdict on ${contract.eMAID} within 60 s`));
      }, CONTRACT_VERDICT_MS);
      timer.unref?.();
      const stop = authorizations((event) => {
        if (event.idToken.type !== 'eMAID' || event.idToken.idToken !== contract.eMAID) return;
        if (event.evseId !== undefined && event.evseId !== contract.evseId) return;
        clearTimeout(timer);
        stop();
        resolve(event);
      });
      try {
        presentContract(idToken, contract.evseId, contract.certificate);
      } catch (error) {
        clearTimeout(timer);
        stop();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /**
   * C07/C08: Authorize with an ISO 15118 contract, outside a charging session (contractPresented is the one that
   * starts charging): the contract certificate chain (PEM) when the station cannot
   * check it itself (C07.FR.06: no MO root installed, or central validation), or the OCSP hash data of it
   * (iso15118CertificateHashData). Online the answer is the CSMS's (C07.FR.01/02): start charging only if
   * idTokenInfo.status is Accepted (and certificateStatus, when present, is Accepted). Offline (`offline: true`):
   * Invalid unless ISO15118Ctrlr.ContractValidationOffline is true (C07.FR.07); if it is, the certificate chain is
   * checked against the installed MORootCertificates (C07.FR.08): a valid one is `Unknown` with certificateStatus
   * Accepted — present the eMAID with `idTokenPresented` so that block C decides offline (local list, cache,
   * unknown ids: C07.FR.09–12); an invalid or expired one is Invalid / Expired.
   */
  async authorizeContract(request: AuthorizeRequest): Promise<ContractAuthorization> {
    const chain = request.certificate === undefined ? undefined : parseChain(request.certificate);
    if (chain !== undefined && !Array.isArray(chain))
      throw new TypeError(`certificates.authorizeContract: certificate: ${chain.invalid}`);
    const ports = this.#running('authorizeContract');
    if (ports.connected()) return answerOf(ports, 'Authorize', request);
    // C07.FR.07: offline, and no local validation allowed: no charging.
    if (ports.contractValidationOffline() !== true || !chain)
      return { idTokenInfo: { status: 'Invalid' }, certificateStatus: 'NoCertificateAvailable', offline: true };
    // C07.FR.08: the contract chain checked against the installed MO roots. A valid one says nothing yet about the
    // eMAID: that is block C's offline decision (C07.FR.09–12), reached by presenting the eMAID as idToken.
    const roots = listCertificates(ports.store, 'MORootCertificate').flatMap((row) => certificatesOf(row));
    const problem = chainProblem(chain, roots, ports.now());
    if (problem) {
      const expired = chain.some((c) => Date.parse(c.validTo) < ports.now());
      return {
        idTokenInfo: { status: expired ? 'Expired' : 'Invalid' },
        certificateStatus: expired ? 'CertificateExpired' : 'CertChainError',
        offline: true,
      };
    }
    return { idTokenInfo: { status: 'Unknown' }, certificateStatus: 'Accepted', offline: true };
  }
}
