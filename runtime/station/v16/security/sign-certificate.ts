// The security whitepaper's certificate renewal of the Charge Point (its use case A02, TC_074_CS, TC_077_CS): on
// ExtendedTriggerMessage SignChargePointCertificate the station makes a key pair and a CSR (O the CpoName, CN its
// identity) off the pure path (a `task`, with 2.x block M's createKeyAndCsr and key folder) and sends SignCertificate.
// CertificateSigned is checked — the key of our CSR, every certificate valid now, each signed by the next, the last by
// an installed CentralSystemRootCertificate (or the integrator's `tls.ca`), CertificateSignedMaxChainSize — then kept
// as the ChargingStationCertificate (the same row 2.x uses, so `tlsWithInstalled` presents it under profile 3) and
// the station reconnects with it; otherwise Rejected with the InvalidChargePointCertificate security event.
import type { CertificateSignedResponse } from '../../../../generated/v16/types.js';
import type { Family16 } from '../../core/family.js';
import type { Answer, Effect, StationView } from '../../core/types.js';
import { chainProblem, createKeyAndCsr, keyMatches, parseChain } from '../../M-certificates/pki.js';
import {
  certificateKey,
  certificatesOf,
  listCertificates,
  putCertificate,
  type KeyFolder,
} from '../../M-certificates/store.js';
import { securityEvent16 } from './security-log.js';

declare module '../../core/registry.js' {
  interface OwnEvents {
    /** The key pair and CSR were made (the private key is in the key folder under keyId). */
    'v16.cert.csr': { csr: string; keyId: string };
    'v16.cert.csrFailed': { error: string };
  }
}

/** A CSR sent and not yet answered with a usable CertificateSigned. */
export interface PendingCsr16 {
  keyId: string;
  csr: string;
}

/** CertificateSignedMaxChainSize when the integrator sets none: the schema's maximum of certificateChain. */
export const DEFAULT_MAX_CHAIN_SIZE = 10000;

/** The task that makes the key pair and CSR; its outcome comes back as an event. */
export function makeCsr(view: StationView<Family16>, keys: KeyFolder): Effect<Family16> {
  const organization = view.query.config16?.('CpoName') || undefined;
  return {
    type: 'task',
    name: 'key pair and CSR for the ChargePointCertificate',
    run: async () => {
      try {
        const made = await createKeyAndCsr({
          ...(organization ? { organization } : {}),
          commonName: view.identity,
        });
        return { type: 'v16.cert.csr', csr: made.csr, keyId: keys.write(made.privateKey) };
      } catch (error) {
        return { type: 'v16.cert.csrFailed', error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

/** CertificateSigned: the verdict, and what to keep. */
export function certificateSigned16<S>(
  state: S,
  pending: PendingCsr16 | undefined,
  chainPem: string,
  view: StationView<Family16>,
  keys: KeyFolder | undefined,
  configuredRoots: readonly string[],
  withoutPending: S,
): Answer<S, CertificateSignedResponse, Family16> {
  const rejected = (problem: string): Answer<S, CertificateSignedResponse, Family16> => ({
    state: withoutPending,
    response: { status: 'Rejected' },
    after: [
      { type: 'persist' },
      ...(pending && keys
        ? [
            {
              type: 'task' as const,
              name: 'discard the refused key',
              run: async () => (keys.remove(pending.keyId), undefined),
            },
          ]
        : []),
      ...securityEvent16(view, 'InvalidChargePointCertificate', problem),
    ],
  });
  const max = Number(view.query.config16?.('CertificateSignedMaxChainSize') ?? DEFAULT_MAX_CHAIN_SIZE);
  if (Buffer.byteLength(chainPem) > max) return rejected(`chain exceeds ${max} bytes`);
  const chain = parseChain(chainPem);
  if (!Array.isArray(chain)) return rejected(chain.invalid);
  if (!pending || !keys) return rejected('no certificate signing request is outstanding');
  const key = keys.read(pending.keyId);
  if (!key || !keyMatches(chain[0]!, key)) return rejected('the certificate is not for the key of the CSR');
  const roots = [
    ...listCertificates(view.store, 'CSMSRootCertificate').flatMap((r) => certificatesOf(r)),
    ...configuredRoots.flatMap((pem) => {
      const parsed = parseChain(pem);
      return Array.isArray(parsed) ? parsed : [];
    }),
  ];
  const problem = chainProblem(chain, roots, view.now());
  if (problem) return rejected(problem);
  return {
    state: withoutPending,
    response: { status: 'Accepted' },
    commit: [
      putCertificate(certificateKey('ChargingStationCertificate', chain[0]!), {
        use: 'ChargingStationCertificate',
        pem: chainPem,
        installedAt: new Date(view.now()).toISOString(),
        keyId: pending.keyId,
      }),
    ],
    persistOrAnswer: { status: 'Rejected' },
    after: [
      ...securityEvent16(view, 'ReconfigurationOfSecurityParameters', 'ChargePointCertificate installed'),
      // TC_074_CS step 7: the next connection presents the new certificate (profile 3).
      { type: 'reconnect', why: 'a new ChargePointCertificate' },
    ],
  };
}
