// The standard configuration keys of OCPP 1.6 chapter 9 that this station supports, with their type, whether the
// CSMS may change them, what ocppkit uses when the integrator sets nothing, and whether a change only takes effect
// after a reboot. A key missing here is unknown to the station: GetConfiguration lists it in unknownKey and
// ChangeConfiguration answers NotSupported (1.6 §5.3). Optional keys of features ocppkit does not have (BlinkRepeat,
// LightIntensity, MaxEnergyOnInvalidId, ConnectorPhaseRotationMaxLength, ConnectorSwitch3to1PhaseSupported) are left out on purpose.
import { Measurand } from '../../../../generated/v16/enums.js';
import { parseDefaultPrice, parseDefaultPriceTexts } from '../../../pricing/messages.js';

export type KeyType =
  | 'integer'
  | 'boolean'
  | 'measurands'
  | 'profiles'
  | 'string'
  | 'hexKey'
  // The California pricing keys: a DefaultPrice JSON object, a UTC offset (±HH:MM), a date-time (or empty), a
  // language tag (RFC 5646).
  | 'defaultPrice'
  | 'priceTexts'
  | 'timeOffset'
  | 'dateTime'
  | 'language';

export interface KeyDefinition {
  readonly type: KeyType;
  /** R in chapter 9: ChangeConfiguration answers Rejected. */
  readonly readonly: boolean;
  /** The value when neither the integrator nor the CSMS set one. `undefined`: derived from the layout. */
  readonly value?: string;
  /** Integer keys: the smallest value accepted (ChangeConfiguration Rejected below it). */
  readonly min?: number;
  /** The change is stored at once but used from the next start: RebootRequired (1.6 §5.3). */
  readonly reboot?: boolean;
  /** Never reported by GetConfiguration (the security whitepaper's AuthorizationKey). */
  readonly writeOnly?: boolean;
}

/** Measurand lists: at most this many entries (reported as the *MaxLength keys). */
export const MEASURAND_LIST_MAX = 10;

export const KEYS16 = {
  // 9.1 Core profile
  AllowOfflineTxForUnknownId: { type: 'boolean', readonly: false, value: 'false' },
  AuthorizationCacheEnabled: { type: 'boolean', readonly: false, value: 'true' },
  AuthorizeRemoteTxRequests: { type: 'boolean', readonly: false, value: 'true' },
  ClockAlignedDataInterval: { type: 'integer', readonly: false, value: '0', min: 0 },
  ConnectionTimeOut: { type: 'integer', readonly: false, value: '60', min: 1 },
  ConnectorPhaseRotation: { type: 'string', readonly: false, value: 'Unknown' },
  GetConfigurationMaxKeys: { type: 'integer', readonly: true, value: '50' },
  HeartbeatInterval: { type: 'integer', readonly: false, value: '300', min: 1 },
  LocalAuthorizeOffline: { type: 'boolean', readonly: false, value: 'true' },
  LocalPreAuthorize: { type: 'boolean', readonly: false, value: 'false' },
  MeterValuesAlignedData: { type: 'measurands', readonly: false, value: 'Energy.Active.Import.Register' },
  MeterValuesAlignedDataMaxLength: { type: 'integer', readonly: true, value: String(MEASURAND_LIST_MAX) },
  MeterValuesSampledData: { type: 'measurands', readonly: false, value: 'Energy.Active.Import.Register' },
  MeterValuesSampledDataMaxLength: { type: 'integer', readonly: true, value: String(MEASURAND_LIST_MAX) },
  MeterValueSampleInterval: { type: 'integer', readonly: false, value: '0', min: 0 },
  MinimumStatusDuration: { type: 'integer', readonly: false, value: '0', min: 0 },
  NumberOfConnectors: { type: 'integer', readonly: true },
  ResetRetries: { type: 'integer', readonly: false, value: '1', min: 0 },
  StopTransactionOnEVSideDisconnect: { type: 'boolean', readonly: false, value: 'true' },
  StopTransactionOnInvalidId: { type: 'boolean', readonly: false, value: 'true' },
  StopTxnAlignedData: { type: 'measurands', readonly: false, value: '' },
  StopTxnAlignedDataMaxLength: { type: 'integer', readonly: true, value: String(MEASURAND_LIST_MAX) },
  StopTxnSampledData: { type: 'measurands', readonly: false, value: '' },
  StopTxnSampledDataMaxLength: { type: 'integer', readonly: true, value: String(MEASURAND_LIST_MAX) },
  SupportedFeatureProfiles: {
    type: 'profiles',
    readonly: true,
    value: 'Core,LocalAuthListManagement,Reservation,RemoteTrigger,SmartCharging',
  },
  SupportedFeatureProfilesMaxLength: { type: 'integer', readonly: true, value: '6' },
  TransactionMessageAttempts: { type: 'integer', readonly: false, value: '3', min: 0 },
  TransactionMessageRetryInterval: { type: 'integer', readonly: false, value: '60', min: 0 },
  UnlockConnectorOnEVSideDisconnect: { type: 'boolean', readonly: false, value: 'true' },
  // The RPC client reads it when it connects: a change applies to the next connection.
  WebSocketPingInterval: { type: 'integer', readonly: false, value: '0', min: 0, reboot: true },
  // 9.4 Firmware Management profile: the protocols runtime/transfer/ speaks.
  SupportedFileTransferProtocols: { type: 'string', readonly: true, value: 'FTP,FTPS,HTTP,HTTPS' },
  // The security whitepaper (edition 3) keys this station has: the profile the connection uses (the integrator's
  // `csms.securityProfile`), the CPO name its certificates carry, and the CA certificates it keeps at most.
  CpoName: { type: 'string', readonly: false, value: '' },
  // The Basic-auth password as hexadecimal digits (OCPP-J 1.6 §6.2.2); the CSMS changes it (TC_073_CS).
  AuthorizationKey: { type: 'hexKey', readonly: false, writeOnly: true },
  CertificateStoreMaxLength: { type: 'integer', readonly: true },
  CertificateSignedMaxChainSize: { type: 'integer', readonly: true, value: '10000' },
  // RW since the CSMS may raise it (A05, TC_083_CS): security/profile.ts checks the change.
  SecurityProfile: { type: 'integer', readonly: false, min: 0 },
  // The Plug & Charge application note (Using ISO 15118 Plug & Charge with OCPP 1.6, its chapter 9; block v16
  // iso15118): present, so the CSMS may take the feature as supported; the integrator (or the CSMS) enables it.
  ISO15118PnCEnabled: { type: 'boolean', readonly: false, value: 'false' },
  CentralContractValidationAllowed: { type: 'boolean', readonly: false, value: 'false' },
  ContractValidationOffline: { type: 'boolean', readonly: false, value: 'false' },
  // The back-off of a V2G CSR the CSMS accepted but never signed: the first wait (s; 0: no new CSR) and how often
  // it doubles. The digits-only check refuses negative values, as the note asks.
  CertSigningWaitMinimum: { type: 'integer', readonly: false, value: '60', min: 0 },
  CertSigningRepeatTimes: { type: 'integer', readonly: false, value: '3', min: 0 },
  // California pricing (the OCA note "OCPP & California Pricing Requirements", 1.6 part, as libocpp and MicroOcpp
  // read it; block v16 pricing). CustomDisplayCostAndPrice is the integrator's switch; the cost values are computed
  // with NumberOfDecimalsForCostValues decimals. CustomIdleFeeAfterStop (the integrator's too): a transaction stopped
  // with the cable in keeps its idle cost running until the unplug, which the station reports with ConnectorUnplugged.
  CustomDisplayCostAndPrice: { type: 'boolean', readonly: true, value: 'false' },
  DefaultPrice: { type: 'defaultPrice', readonly: false, value: '' },
  // The default price texts per language, `{ priceTexts: [{ priceText, priceTextOffline?, language }] }`: the CSMS
  // sets one language with ChangeConfiguration("DefaultPriceText,<language>", { priceText, priceTextOffline? }).
  DefaultPriceText: { type: 'priceTexts', readonly: false, value: '' },
  NumberOfDecimalsForCostValues: { type: 'integer', readonly: true, value: '3' },
  CustomIdleFeeAfterStop: { type: 'boolean', readonly: true, value: 'false' },
  CustomMultiLanguageMessages: { type: 'boolean', readonly: true, value: 'false' },
  Language: { type: 'language', readonly: false, value: 'en' },
  SupportedLanguages: { type: 'string', readonly: true, value: 'en' },
  TimeOffset: { type: 'timeOffset', readonly: false, value: '+00:00' },
  NextTimeOffsetTransitionDateTime: { type: 'dateTime', readonly: false, value: '' },
  TimeOffsetNextTransition: { type: 'timeOffset', readonly: false, value: '+00:00' },
  // 9.2 Local Auth List Management profile
  LocalAuthListEnabled: { type: 'boolean', readonly: false, value: 'true' },
  LocalAuthListMaxLength: { type: 'integer', readonly: true },
  SendLocalListMaxLength: { type: 'integer', readonly: true },
  // 9.3 Reservation profile
  ReserveConnectorZeroSupported: { type: 'boolean', readonly: true, value: 'true' },
  // 9.4 Smart Charging profile (block v16 smart-charging): what SetChargingProfile accepts.
  ChargeProfileMaxStackLevel: { type: 'integer', readonly: true, value: '8' },
  ChargingScheduleAllowedChargingRateUnit: { type: 'string', readonly: true, value: 'Current,Power' },
  ChargingScheduleMaxPeriods: { type: 'integer', readonly: true, value: '24' },
  MaxChargingProfilesInstalled: { type: 'integer', readonly: true, value: '16' },
} as const satisfies Record<string, KeyDefinition>;

/** A standard key this station knows: reads and writes by any other name do not compile. */
export type Key16 = keyof typeof KEYS16;

export const isKey16 = (key: string): key is Key16 => Object.hasOwn(KEYS16, key);

const MEASURANDS: ReadonlySet<string> = new Set(Measurand);

/**
 * Whether `value` is acceptable for the key (ChangeConfiguration Rejected otherwise, 1.6 §5.3): integers as
 * decimal digits within the key's minimum, booleans as true/false (any case), measurand lists of known measurands
 * (9.1.15/17/25/27) at most MEASURAND_LIST_MAX long.
 */
export function validValue(key: Key16, value: string): boolean {
  const d: KeyDefinition = KEYS16[key];
  switch (d.type) {
    case 'integer':
      return /^\d{1,9}$/.test(value.trim()) && Number(value) >= (d.min ?? 0);
    case 'boolean':
      return /^(true|false)$/i.test(value.trim());
    case 'measurands': {
      const list = csl(value);
      return list.length <= MEASURAND_LIST_MAX && list.every((m) => MEASURANDS.has(m));
    }
    case 'hexKey':
      return /^(?:[0-9a-fA-F]{2}){1,20}$/.test(value);
    case 'defaultPrice':
      return value === '' || (value.length <= 2500 && parseDefaultPrice(value) !== undefined);
    case 'priceTexts':
      return value === '' || (value.length <= 5000 && parseDefaultPriceTexts(value) !== undefined);
    case 'timeOffset':
      return /^[+-](?:0\d|1[0-4]):[0-5]\d$/.test(value);
    case 'dateTime':
      return (
        value === '' ||
        (/^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)$/.test(value) &&
          !Number.isNaN(Date.parse(value)))
      );
    case 'language':
      return /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(value);
    default:
      return value.length <= 500;
  }
}

/** A comma-separated list (CSL, 1.6 §9) as its entries, blanks dropped. */
export function csl(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The value as it is stored and reported: booleans lower-cased, integers without padding. */
export function normalized(key: Key16, value: string): string {
  const d: KeyDefinition = KEYS16[key];
  if (d.type === 'boolean') return value.trim().toLowerCase();
  if (d.type === 'integer') return String(Number(value.trim()));
  if (d.type === 'measurands') return csl(value).join(',');
  return value;
}
