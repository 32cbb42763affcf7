// The CSMS→Charge Point messages of the Plug & Charge application note for OCPP 1.6 (its chapters 3, 4 and 6),
// carried in DataTransfer with vendorId org.openchargealliance.iso15118pnc and the 2.0.1 message name as messageId.
// The wrapped payloads are 2.0.1's (validated with the 2.0.1 schemas), narrowed where the note narrows them
// (InstallCertificate: V2G and MO roots only). Pure: the answers read the store and return the rows to write.
import { validateRequest } from '../../../../generated/v201/index.js';
import type {
  CertificateHashDataChainType,
  CertificateHashDataType,
  GetCertificateIdUseEnumType,
  HashAlgorithmEnumType,
  InstallCertificateUseEnumType,
} from '../../../../generated/v201/types.js';
import type { DataTransferRequest } from '../../../../generated/v16/types.js';
import type { Family16 } from '../../core/family.js';
import type { StationView } from '../../core/types.js';
import { chainHashData, rowHashData } from '../../M-certificates/chains.js';
import { chainProblem, issuedBy, keyMatches, parseChain, sameHashData, validAt } from '../../M-certificates/pki.js';
import {
  certificateKey,
  certificatesOf,
  deleteCertificate,
  listCertificates,
  putCertificate,
  type KeyFolder,
  type StoredCertificate,
} from '../../M-certificates/store.js';
import { bool16, int16 } from '../configuration/read.js';
import { acceptedWith, dataObject, type VendorAnswer } from '../data-transfer/data-transfer.js';
import { securityEvent16 } from '../security/security-log.js';
import { DEFAULT_MAX_CHAIN_SIZE } from '../security/sign-certificate.js';

/** The note's fixed vendorId (its §2.2). */
export const PNC_VENDOR = 'org.openchargealliance.iso15118pnc';

/** The CA certificates the note manages (its InstallCertificateUseEnumType). */
const ROOTS: readonly InstallCertificateUseEnumType[] = ['V2GRootCertificate', 'MORootCertificate'];

export interface PncOptions {
  /** Where the V2G private keys are; without it no CSR can be made and no CertificateSigned installed. */
  keys: KeyFolder | undefined;
  /** CertificateStoreMaxLength: CA certificates kept at most (all uses together). */
  maxCertificates: number;
}

type View = StationView<Family16>;

const REJECTED: VendorAnswer = { response: { status: 'Rejected' } };

/** The CA rows of the store: everything but the station's own certificates. */
const caRows = (view: View) =>
  listCertificates(view.store).filter((r) => r.use !== 'ChargingStationCertificate' && r.use !== 'V2GCertificate');

const pncRows = (view: View) => caRows(view).filter((r) => ROOTS.some((use) => use === r.use));

const rootsOf = (view: View, use: StoredCertificate['use']) =>
  listCertificates(view.store, use).flatMap((row) => certificatesOf(row));

/** The hash data of every certificate the note lets the CSMS see and delete, with its type and row. */
function installed(view: View, algorithm: HashAlgorithmEnumType) {
  const cas = caRows(view).flatMap((r) => certificatesOf(r));
  const out: { type: GetCertificateIdUseEnumType; key: string; keyId?: string; chain: CertificateHashDataType[] }[] =
    [];
  for (const row of pncRows(view)) {
    const cert = certificatesOf(row)[0];
    if (cert && (row.use === 'V2GRootCertificate' || row.use === 'MORootCertificate'))
      out.push({ type: row.use, key: row.key, chain: [rowHashData(cert, cas, algorithm)] });
  }
  // The V2G certificate with its sub-CAs (M03.FR.05 of 2.0.1, which the note refers to).
  for (const row of listCertificates(view.store, 'V2GCertificate')) {
    const chain = chainHashData(certificatesOf(row), rootsOf(view, 'V2GRootCertificate'), algorithm);
    if (chain.length > 0)
      out.push({ type: 'V2GCertificateChain', key: row.key, ...(row.keyId ? { keyId: row.keyId } : {}), chain });
  }
  return out;
}

/** The note's §4.3 (2.0.1 M05): a V2G or MO root into the store. */
function installCertificate(data: unknown, view: View, options: PncOptions): VendorAnswer {
  const v = validateRequest('InstallCertificate', data);
  if (!v.ok) return REJECTED;
  const use = v.value.certificateType;
  if (use !== 'V2GRootCertificate' && use !== 'MORootCertificate') return REJECTED;
  const refused = (why: string): VendorAnswer => ({
    response: acceptedWith({ status: 'Rejected' }),
    after: [{ type: 'emit', event: { type: 'log', level: 'warn', message: `${use} refused: ${why}` } }],
  });
  const parsed = parseChain(v.value.certificate);
  if (!Array.isArray(parsed)) return refused(parsed.invalid);
  if (parsed.length !== 1) return refused('one certificate expected');
  const cert = parsed[0]!;
  if (!cert.ca) return refused('not a CA certificate');
  if (cert.checkIssued(cert) && !issuedBy(cert, cert)) return refused('its signature does not verify');
  if (!validAt(cert, view.now())) return refused(`not valid now (${cert.validFrom} – ${cert.validTo})`);
  const key = certificateKey(use, cert);
  const rows = caRows(view);
  // The note's InstallCertificateStatus: Rejected when more certificates than allowed (CertificateStoreMaxLength).
  if (!rows.some((r) => r.key === key) && rows.length >= options.maxCertificates)
    return refused(`at most ${options.maxCertificates} CA certificates`);
  return {
    response: acceptedWith({ status: 'Accepted' }),
    commit: [putCertificate(key, { use, pem: v.value.certificate, installedAt: new Date(view.now()).toISOString() })],
    // The store refused it: valid, but not installed.
    persistOrAnswer: acceptedWith({ status: 'Failed' }),
    after: securityEvent16(view, 'ReconfigurationOfSecurityParameters', `${use} installed`),
  };
}

/** The note's §4.2 (2.0.1 M04): one of its certificates out of the store, named by its hash data. */
function deleteCertificateAnswer(data: unknown, view: View, options: PncOptions): VendorAnswer {
  const v = validateRequest('DeleteCertificate', data);
  if (!v.ok) return REJECTED;
  const wanted = v.value.certificateHashData;
  const found = installed(view, wanted.hashAlgorithm).find((c) => c.chain.some((h) => sameHashData(h, wanted)));
  if (!found) return { response: acceptedWith({ status: 'NotFound' }) };
  const keys = options.keys;
  const keyId = found.keyId;
  return {
    response: acceptedWith({ status: 'Accepted' }),
    commit: [deleteCertificate(found.key)],
    persistOrAnswer: acceptedWith({ status: 'Failed' }),
    after: [
      ...(keys && keyId
        ? [{ type: 'task' as const, name: 'discard the V2G key', run: async () => (keys.remove(keyId), undefined) }]
        : []),
      ...securityEvent16(view, 'ReconfigurationOfSecurityParameters', `${found.type} deleted`),
    ],
  };
}

/** The note's §4.1 (2.0.1 M03): the hash data of its certificates of the types asked (all without a type). */
function installedCertificateIds(data: unknown, view: View): VendorAnswer {
  const v = validateRequest('GetInstalledCertificateIds', data);
  if (!v.ok) return REJECTED;
  const types = v.value.certificateType;
  const wanted = (t: GetCertificateIdUseEnumType) => !types || types.length === 0 || types.includes(t);
  const chains: CertificateHashDataChainType[] = installed(view, 'SHA256')
    .filter((c) => wanted(c.type))
    .map(({ type, chain: [leaf, ...children] }) => ({
      certificateType: type,
      certificateHashData: leaf!,
      ...(children.length > 0 ? { childCertificateHashData: children } : {}),
    }));
  return {
    response: acceptedWith(
      chains.length === 0 ? { status: 'NotFound' } : { status: 'Accepted', certificateHashDataChain: chains },
    ),
  };
}

/**
 * The note's §3.1 (2.0.1 A02/A03 for the V2G certificate): the chain must carry the key of the CSR sent, every
 * certificate valid now and each signed by the next, the last by an installed V2GRootCertificate, within
 * CertificateSignedMaxChainSize. Accepted: kept as the V2GCertificate (the row 2.x uses, so the integrator's ISO
 * 15118 stack finds it the same way). Rejected: the InvalidChargePointCertificate security event (the note, since
 * the security whitepaper is implemented too).
 */
function certificateSigned(data: unknown, view: View, options: PncOptions): VendorAnswer {
  const v = validateRequest('CertificateSigned', data);
  if (!v.ok) return REJECTED;
  const pem = v.value.certificateChain;
  const rejected = (problem: string): VendorAnswer => ({
    response: acceptedWith({ status: 'Rejected' }),
    after: securityEvent16(view, 'InvalidChargePointCertificate', `V2G certificate: ${problem}`),
  });
  if (v.value.certificateType !== undefined && v.value.certificateType !== 'V2GCertificate')
    return rejected('only the V2GCertificate is signed through this note');
  const max = int16(view, 'CertificateSignedMaxChainSize') || DEFAULT_MAX_CHAIN_SIZE;
  if (Buffer.byteLength(pem) > max) return rejected(`chain exceeds ${max} bytes`);
  const chain = parseChain(pem);
  if (!Array.isArray(chain)) return rejected(chain.invalid);
  const pending = view.query.pendingV2gCsr16?.();
  const keys = options.keys;
  if (!pending || !keys) return rejected('no V2G certificate signing request is outstanding');
  const key = keys.read(pending.keyId);
  if (!key || !keyMatches(chain[0]!, key)) return rejected('the certificate is not for the key of the CSR');
  const problem = chainProblem(chain, rootsOf(view, 'V2GRootCertificate'), view.now());
  if (problem) return rejected(problem);
  return {
    response: acceptedWith({ status: 'Accepted' }),
    commit: [
      putCertificate(certificateKey('V2GCertificate', chain[0]!), {
        use: 'V2GCertificate',
        pem,
        installedAt: new Date(view.now()).toISOString(),
        keyId: pending.keyId,
      }),
    ],
    persistOrAnswer: acceptedWith({ status: 'Rejected' }),
    after: [
      { type: 'dispatch', event: { type: 'v16.pnc.signed', keyId: pending.keyId } },
      ...securityEvent16(view, 'ReconfigurationOfSecurityParameters', 'V2GCertificate installed'),
    ],
  };
}

/**
 * The note's TriggerMessage (§6.9): only to ask for a new V2G certificate; it carries no fields, so any object (or
 * a requestedMessage of SignV2GCertificate) is that request. Rejected without a key folder to keep the key in.
 */
function triggerMessage(data: Record<string, unknown>, options: PncOptions): VendorAnswer {
  const asked = data['requestedMessage'];
  if (asked !== undefined && asked !== 'SignV2GCertificate')
    return { response: acceptedWith({ status: 'NotImplemented' }) };
  if (!options.keys) return { response: acceptedWith({ status: 'Rejected' }) };
  return {
    response: acceptedWith({ status: 'Accepted' }),
    after: [{ type: 'dispatch', event: { type: 'v16.pnc.sign' } }],
  };
}

/**
 * The DataTransfer vendor of the note: with ISO15118PnCEnabled false the station does not take part (Rejected); a
 * wrapped payload that is not JSON, or not valid for its message, is Rejected; an unknown messageId is
 * UnknownMessageId. The wrapped answer is the data of an Accepted DataTransfer.conf.
 */
export function pncVendor(options: PncOptions) {
  return (request: DataTransferRequest, view: View): VendorAnswer => {
    if (!bool16(view, 'ISO15118PnCEnabled')) return REJECTED;
    const data = dataObject(request.data);
    switch (request.messageId) {
      case 'CertificateSigned':
        return data ? certificateSigned(data, view, options) : REJECTED;
      case 'DeleteCertificate':
        return data ? deleteCertificateAnswer(data, view, options) : REJECTED;
      case 'GetInstalledCertificateIds':
        return data ? installedCertificateIds(data, view) : REJECTED;
      case 'InstallCertificate':
        return data ? installCertificate(data, view, options) : REJECTED;
      case 'TriggerMessage':
        // No fields: an absent data is the empty message.
        if (request.data === undefined || request.data === '') return triggerMessage({}, options);
        return data ? triggerMessage(data, options) : REJECTED;
      default:
        return { response: { status: 'UnknownMessageId' } };
    }
  };
}
