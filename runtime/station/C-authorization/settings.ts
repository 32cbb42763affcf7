// The device-model variables that steer authorization, with ocppkit's defaults where the integrator set none (the
// same defaults the device-model engine reports).
import type { StationView } from '../core/types.js';
import type { DmAddress, DmKey } from '../device-model/keys.js';
import { registrationOf } from '../B-provisioning/boot.js';

/** The station's defaults for the variables blocks C, D and H read. */
export const AUTHORIZATION_DEFAULTS = {
  'AuthCtrlr.Enabled': true,
  'AuthCtrlr.LocalAuthorizeOffline': true,
  'AuthCtrlr.LocalPreAuthorize': false,
  'AuthCtrlr.OfflineTxForUnknownIdEnabled': false,
  'AuthCtrlr.DisableRemoteAuthorization': false,
  'AuthCacheCtrlr.Available': true,
  'AuthCacheCtrlr.Enabled': true,
  /** Seconds an entry stays valid without cacheExpiryDateTime (C10.FR.08): one week. */
  'AuthCacheCtrlr.LifeTime': 7 * 24 * 3600,
  'AuthCacheCtrlr.Policy': 'LRU',
  'AuthCacheCtrlr.DisablePostAuthorize': false,
  'LocalAuthListCtrlr.Available': true,
  'LocalAuthListCtrlr.Enabled': true,
  'LocalAuthListCtrlr.ItemsPerMessage': 250,
  'LocalAuthListCtrlr.BytesPerMessage': 65536,
  'LocalAuthListCtrlr.DisablePostAuthorize': false,
  'LocalAuthListCtrlr.SupportsExpiryDateTime': false,
  'ReservationCtrlr.Available': true,
  'ReservationCtrlr.Enabled': true,
  /** H01.FR.19: without it set to true, a reservation must name its EVSE. */
  'ReservationCtrlr.NonEvseSpecific': false,
  'TxCtrlr.EVConnectionTimeOut': 60,
} as const satisfies { [K in DmKey]?: boolean | number | string };

type Key = keyof typeof AUTHORIZATION_DEFAULTS;

/** `'AuthCtrlr.Enabled'` → `AuthCtrlr` and `Enabled`, both typed (every key above is a DmKey). */
function split(key: Key): DmAddress {
  const dot = key.indexOf('.');
  return { component: key.slice(0, dot), variable: key.slice(dot + 1) } as DmAddress; // the key, taken apart at run time
}

export function boolSetting(view: StationView, key: Key): boolean {
  const { component, variable } = split(key);
  const value = view.variables.bool(component, variable);
  return value ?? (AUTHORIZATION_DEFAULTS[key] as boolean);
}

export function intSetting(view: StationView, key: Key): number {
  const { component, variable } = split(key);
  const value = view.variables.int(component, variable);
  return value ?? (AUTHORIZATION_DEFAULTS[key] as number);
}

export function stringSetting(view: StationView, key: Key): string {
  const { component, variable } = split(key);
  const value = view.variables.string(component, variable);
  return value ?? String(AUTHORIZATION_DEFAULTS[key]);
}

/** AuthCtrlr.MasterPassGroupId: no default — without it there is no master pass (C16). */
export function masterPassGroupId(view: StationView): string | undefined {
  const value = view.variables.string('AuthCtrlr', 'MasterPassGroupId');
  return value === undefined || value === '' ? undefined : value;
}

/** Connected and accepted by the CSMS: an AuthorizeRequest can be answered (B01.FR.08: nothing is sent before). */
export function online(view: StationView): boolean {
  return view.connected && registrationOf(view) === 'Accepted';
}
