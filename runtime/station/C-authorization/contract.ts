// C07 on the station: authorization with an ISO 15118 contract certificate (Plug & Charge). The integrator's ISO
// 15118 stack presents the EV's eMAID with its contract certificate chain (`certificates.contractPresented`): the
// station raises `contract.presented`, then presents the eMAID like any token, so that block E asks block C and
// starts the transaction on the verdict as it does for a card. Block C keeps the chain until that request comes,
// and then decides with the pure functions below: what the station's own check of the chain says, and what goes
// into the AuthorizeRequest (C07.FR.02/06) or what it decides itself while offline (C07.FR.07/08).
import type { X509Certificate } from 'node:crypto';
import type {
  AuthorizeCertificateStatusEnumType,
  AuthorizeRequest as AuthorizeCall,
  IdTokenType,
  OCSPRequestDataType,
} from '../../../generated/v201/types.js';
import type { StationView } from '../core/types.js';
import { chainProblem, hashData, issuedBy, ocspUrl, parseChain } from '../M-certificates/pki.js';
import { certificatesOf, listCertificates } from '../M-certificates/store.js';
import type { Verdict } from './decide.js';

declare module '../core/registry.js' {
  interface OwnEvents {
    /**
     * C07: the ISO 15118 stack is about to present `idToken` (the eMAID) at `evseId` with this contract certificate
     * chain (PEM, leaf first); block C uses it for the authorization of that token that follows.
     */
    'contract.presented': { idToken: IdTokenType; evseId: number; certificate: string };
  }
}

/** A contract waiting for the authorization of its eMAID. */
export interface PresentedContract {
  evseId: number;
  certificate: string;
}

/** The most OCSP request data an AuthorizeRequest carries (its schema's maxItems). */
const MAX_HASH_DATA = 4;

/** The longest `certificate` an AuthorizeRequest may carry (its schema's maxLength: 2.0.1 5500, 2.1 10000). */
const maxCertificate = (view: StationView) => (view.version === 'ocpp2.1' ? 10_000 : 5_500);

/**
 * What the station itself can say about a contract chain. `valid`: it leads to an installed MO (or V2G) root;
 * `noRoot`: no installed root issued it, so the station cannot validate it (C07.FR.06); `expired` / `invalid`: it
 * leads to an installed root but does not hold. `hashData`: the OCSP request data of each certificate of the chain
 * that names a responder (C07.FR.02), issuer by issuer.
 */
export type ContractCheck =
  | { verdict: 'valid' | 'noRoot'; hashData: OCSPRequestDataType[] }
  | { verdict: 'expired' | 'invalid'; problem: string; hashData: OCSPRequestDataType[] };

/** The trust anchors of contract certificates: the eMobility operators' roots and the V2G roots. */
function contractRoots(view: StationView): X509Certificate[] {
  return [
    ...listCertificates(view.store, 'MORootCertificate'),
    ...listCertificates(view.store, 'V2GRootCertificate'),
  ].flatMap((row) => certificatesOf(row));
}

/** The station's own check of a contract chain (PEM, leaf first) against its installed roots, at `view.now()`. */
export function checkContract(view: StationView, pem: string): ContractCheck {
  const chain = parseChain(pem);
  if (!Array.isArray(chain)) return { verdict: 'invalid', problem: chain.invalid, hashData: [] };
  const last = chain[chain.length - 1]!;
  const root = contractRoots(view).find((r) => r.fingerprint256 === last.fingerprint256 || issuedBy(last, r));
  const issuers = [...chain.slice(1), ...(root && root.fingerprint256 !== last.fingerprint256 ? [root] : [])];
  const data = chain.flatMap((cert, i): OCSPRequestDataType[] => {
    const issuer = issuers[i];
    const responderURL = ocspUrl(cert);
    // The issuer's key is part of the data: the top of a chain without its root cannot be named.
    if (!issuer || !responderURL || responderURL.length > 512) return [];
    return [{ ...hashData(cert, issuer, 'SHA256'), responderURL }];
  });
  const hashes = data.slice(0, MAX_HASH_DATA);
  if (!root) return { verdict: 'noRoot', hashData: hashes };
  const problem = chainProblem(chain, [root], view.now());
  if (!problem) return { verdict: 'valid', hashData: hashes };
  const expired = chain.some((c) => Date.parse(c.validTo) < view.now());
  return { verdict: expired ? 'expired' : 'invalid', problem, hashData: hashes };
}

/** ISO15118Ctrlr.PnCEnabled false: Plug & Charge (C07) is switched off, a contract authorizes nothing. */
const PNC_OFF: Verdict = { info: { status: 'Invalid' }, source: 'station' };
const pncOff = (view: StationView) => view.variables.bool('ISO15118Ctrlr', 'PnCEnabled') === false;

/** The station's own verdict on a contract it will not (or cannot) send: the AuthorizeResponse a CSMS would give. */
function refused(status: 'Invalid' | 'Expired', certificateStatus: AuthorizeCertificateStatusEnumType): Verdict {
  return { info: { status }, source: 'station', certificateStatus };
}

/**
 * Online (C07.FR.01): the AuthorizeRequest for the eMAID, or the station's verdict when it does not ask. A chain the
 * station validated goes as its OCSP request data (C07.FR.02; the chain itself if no certificate names a responder).
 * A chain no installed root issued goes to the CSMS in `certificate` (PEM) when ISO15118Ctrlr.
 * CentralContractValidationAllowed is true (C07.FR.06), with whatever hash data could be made; otherwise it is
 * refused, as is a chain that fails against its installed root (the CSMS could only find the same).
 */
export function contractCall(
  view: StationView,
  idToken: IdTokenType,
  contract: PresentedContract,
): { call: AuthorizeCall } | { verdict: Verdict } {
  if (pncOff(view)) return { verdict: PNC_OFF };
  const check = checkContract(view, contract.certificate);
  const hashes = check.hashData.length ? { iso15118CertificateHashData: check.hashData } : {};
  // A chain too long for the message cannot be sent: the CSMS cannot validate it either.
  const sendable = contract.certificate.length <= maxCertificate(view);
  switch (check.verdict) {
    case 'valid':
      if (check.hashData.length) return { call: { idToken, ...hashes } };
      return sendable
        ? { call: { idToken, certificate: contract.certificate } }
        : { verdict: refused('Invalid', 'CertChainError') };
    case 'noRoot':
      return sendable && view.variables.bool('ISO15118Ctrlr', 'CentralContractValidationAllowed') === true
        ? { call: { idToken, certificate: contract.certificate, ...hashes } }
        : { verdict: refused('Invalid', 'CertChainError') };
    case 'expired':
      return { verdict: refused('Expired', 'CertificateExpired') };
    case 'invalid':
      return { verdict: refused('Invalid', 'CertChainError') };
  }
}

/**
 * Offline: C07.FR.07, no charging unless ISO15118Ctrlr.ContractValidationOffline is true; C07.FR.08, then the chain
 * is validated against the installed roots. A valid one leaves the eMAID to the offline rules of any token (local
 * list, cache, unknown ids: C07.FR.09–12), which `offline` gives.
 */
export function offlineContractVerdict(
  view: StationView,
  contract: PresentedContract,
  offline: () => Verdict,
): Verdict {
  if (pncOff(view)) return PNC_OFF;
  if (view.variables.bool('ISO15118Ctrlr', 'ContractValidationOffline') !== true)
    return refused('Invalid', 'NoCertificateAvailable');
  const check = checkContract(view, contract.certificate);
  if (check.verdict === 'expired') return refused('Expired', 'CertificateExpired');
  if (check.verdict !== 'valid') return refused('Invalid', 'CertChainError');
  return { ...offline(), certificateStatus: 'Accepted' };
}

/**
 * The CSMS's word on a contract: charging only if the eMAID is Accepted and the certificate too. A CSMS that
 * accepts the eMAID of a certificate it reports as not Accepted is taken at the certificate's word (C07.FR.13–17
 * give a non-Accepted idTokenInfo.status with every such certificateStatus).
 */
export function contractAnswer(
  verdict: Verdict,
  certificateStatus: AuthorizeCertificateStatusEnumType | undefined,
): Verdict {
  if (certificateStatus === undefined) return verdict;
  const refuse = verdict.info.status === 'Accepted' && certificateStatus !== 'Accepted';
  return { ...verdict, info: refuse ? { ...verdict.info, status: 'Invalid' } : verdict.info, certificateStatus };
}
