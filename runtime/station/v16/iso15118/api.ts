// The integrator's ISO 15118 calls (`station.certificates`, 2.x block M's StationCertificates) on a 1.6 station:
// the same API, with each 2.0.1 message wrapped in a DataTransfer of the Plug & Charge application note (vendorId
// org.openchargealliance.iso15118pnc, the message name as messageId, the payload as JSON text) and the CSMS's answer
// unwrapped from the DataTransfer.conf's data. Get15118EVCertificate (the note's §3.2), GetCertificateStatus with
// 2.x's OCSP cache (§4.4), Authorize with contract data (§5) — with ContractValidationOffline deciding offline as
// in 2.x — and renew('V2GCertificate') (§3.1.2) all come from StationCertificates.
import type { IdTagInfo } from '../../../../generated/v16/types.js';
import type { SendResult } from '../../../queue/dispatcher.js';
import type { Store } from '../../../store/types.js';
import type { CertificatePorts } from '../../M-certificates/api.js';
import type { StationEvent } from '../../core/types.js';
import type { Family16 } from '../../core/family.js';
import { dataObject } from '../data-transfer/data-transfer.js';
import type { Key16 } from '../configuration/keys.js';
import { PNC_VENDOR } from './messages.js';

export interface Pnc16Deps {
  store: Store;
  now(): number;
  connected(): boolean;
  /** A 1.6 configuration key's value. */
  config(key: Key16): string | undefined;
  /** A CALL on the open connection. */
  send(action: 'DataTransfer', payload: object): Promise<SendResult>;
  dispatch(event: StationEvent<Family16>): void;
}

const failed = (message: string): SendResult => ({
  status: 'failed',
  outcome: { kind: 'error', error: new Error(message) },
});

/**
 * The 1.6 shape of a wrapped message (the note's §6 simplifies 2.0.1's): Authorize's IdTokenType is the idToken
 * string alone, and the contract certificate goes to the CSMS only when CentralContractValidationAllowed (§5, §9.1).
 */
function payload16(action: string, payload: unknown, deps: Pnc16Deps): Record<string, unknown> {
  const p = { ...(payload as Record<string, unknown>) };
  delete p['customData'];
  if (action === 'Authorize') {
    const token = p['idToken'] as { idToken?: unknown } | undefined;
    p['idToken'] = { idToken: token?.idToken };
    if (deps.config('CentralContractValidationAllowed') !== 'true') delete p['certificate'];
  }
  return p;
}

export function pncPorts16(deps: Pnc16Deps): CertificatePorts {
  return {
    store: deps.store,
    now: () => deps.now(),
    connected: () => deps.connected(),
    // The only event the API raises is renew()'s `certificates.sign` (pnc.ts makes the V2G CSR of it).
    dispatch: (event) => {
      if (event.type === 'certificates.sign') deps.dispatch(event);
    },
    contractValidationOffline: () => deps.config('ContractValidationOffline') === 'true',
    async send(action, payload) {
      if (deps.config('ISO15118PnCEnabled') !== 'true') return failed('ISO15118PnCEnabled is false');
      const wrapped = {
        vendorId: PNC_VENDOR,
        messageId: action,
        data: JSON.stringify(payload16(action, payload, deps)),
      };
      const result = await deps.send('DataTransfer', wrapped);
      if (result.status !== 'sent') return result;
      const conf = result.response as { status?: string; data?: string };
      if (conf.status !== 'Accepted') return failed(`the CSMS answered the wrapped ${action} with ${conf.status}`);
      const response = dataObject(conf.data);
      if (!response) return failed(`the CSMS's answer to the wrapped ${action} carries no JSON object`);
      const info = response['idTokenInfo'] as IdTagInfo | undefined;
      // A contract the CSMS accepted starts its transaction without another Authorize (pnc.ts).
      const certificate = response['certificateStatus'];
      if (action === 'Authorize' && info?.status === 'Accepted' && (certificate ?? 'Accepted') === 'Accepted') {
        const token = (payload as { idToken?: { idToken?: string } }).idToken?.idToken;
        if (token) deps.dispatch({ type: 'v16.pnc.authorized', idTag: token, idTagInfo: info });
      }
      return { status: 'sent', response };
    },
  };
}
