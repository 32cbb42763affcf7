// The one mapping between the integrator's `variables` (2.x device-model names, `Component.Variable`) and the 1.6
// configuration keys that mean the same thing, so that one options object configures a station of either version.
// A 1.6 key may also be given by its own name (`variables: { HeartbeatInterval: 60 }`). docs/integration.md lists
// this table.
import type { DmKey } from '../../device-model/keys.js';
import { isKey16, normalized, validValue, type Key16 } from './keys.js';

export const FROM_2X = {
  'OCPPCommCtrlr.HeartbeatInterval': 'HeartbeatInterval',
  'OCPPCommCtrlr.MessageAttempts': 'TransactionMessageAttempts',
  'OCPPCommCtrlr.MessageAttemptInterval': 'TransactionMessageRetryInterval',
  'OCPPCommCtrlr.ResetRetries': 'ResetRetries',
  'OCPPCommCtrlr.WebSocketPingInterval': 'WebSocketPingInterval',
  'OCPPCommCtrlr.UnlockOnEVSideDisconnect': 'UnlockConnectorOnEVSideDisconnect',
  'AuthCtrlr.AuthorizeRemoteStart': 'AuthorizeRemoteTxRequests',
  'AuthCtrlr.LocalAuthorizeOffline': 'LocalAuthorizeOffline',
  'AuthCtrlr.LocalPreAuthorize': 'LocalPreAuthorize',
  'AuthCtrlr.OfflineTxForUnknownIdEnabled': 'AllowOfflineTxForUnknownId',
  'AuthCacheCtrlr.Enabled': 'AuthorizationCacheEnabled',
  'LocalAuthListCtrlr.Enabled': 'LocalAuthListEnabled',
  'TxCtrlr.EVConnectionTimeOut': 'ConnectionTimeOut',
  'TxCtrlr.StopTxOnEVSideDisconnect': 'StopTransactionOnEVSideDisconnect',
  'TxCtrlr.StopTxOnInvalidId': 'StopTransactionOnInvalidId',
  'SampledDataCtrlr.TxUpdatedInterval': 'MeterValueSampleInterval',
  'SampledDataCtrlr.TxUpdatedMeasurands': 'MeterValuesSampledData',
  'SampledDataCtrlr.TxEndedMeasurands': 'StopTxnSampledData',
  'AlignedDataCtrlr.Interval': 'ClockAlignedDataInterval',
  'AlignedDataCtrlr.Measurands': 'MeterValuesAlignedData',
  'AlignedDataCtrlr.TxEndedMeasurands': 'StopTxnAlignedData',
  'ISO15118Ctrlr.PnCEnabled': 'ISO15118PnCEnabled',
  'ISO15118Ctrlr.CentralContractValidationAllowed': 'CentralContractValidationAllowed',
  'ISO15118Ctrlr.ContractValidationOffline': 'ContractValidationOffline',
  'SecurityCtrlr.CertSigningWaitMinimum': 'CertSigningWaitMinimum',
  'SecurityCtrlr.CertSigningRepeatTimes': 'CertSigningRepeatTimes',
} as const satisfies Partial<Record<DmKey, Key16>>;

const mapped: Readonly<Record<string, Key16>> = FROM_2X;

/**
 * The initial values of the 1.6 keys from the integrator's `variables`. A 2.x name without a 1.6 counterpart is
 * ignored (it configures the 2.x device model only); an unknown plain name, or a value the key does not take, is an
 * error naming the option.
 */
export function initialValues(
  variables: Record<string, string | number | boolean> | undefined,
): Partial<Record<Key16, string>> {
  const values: Partial<Record<Key16, string>> = {};
  for (const [name, raw] of Object.entries(variables ?? {})) {
    const key = mapped[name] ?? (isKey16(name) ? name : undefined);
    if (key === undefined) {
      if (name.includes('.')) continue;
      throw new TypeError(`variables["${name}"]: not a configuration key of OCPP 1.6 chapter 9 this station supports`);
    }
    const value = String(raw);
    if (!validValue(key, value))
      throw new TypeError(`variables["${name}"]: ${JSON.stringify(value)} is not a valid value of ${key}`);
    values[key] = normalized(key, value);
  }
  return values;
}
