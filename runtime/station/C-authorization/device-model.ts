// The device-model components of blocks C, D and H as ocppkit declares them by default (AuthCtrlr's authorization
// variables, AuthCacheCtrlr, LocalAuthListCtrlr, ReservationCtrlr): values from AUTHORIZATION_DEFAULTS, mutabilities
// and units after Part 2 "Referenced Components and Variables". The size variables are the runtime's to keep
// (ReadOnly); their maxLimits are the bounds the station enforces (options.authorization).
import type { ComponentConfig, DeviceModelVersion, VariableConfig } from '../device-model/types.js';
import { DEFAULT_LOCAL_LIST_LIMITS } from '../D-local-list/local-list.js';
import { DEFAULT_CACHE_LIMITS } from './cache.js';
import { AUTHORIZATION_DEFAULTS as D } from './settings.js';

export interface AuthorizationBounds {
  cacheMaxBytes: number;
  localListMaxEntries: number;
}

export const DEFAULT_AUTHORIZATION_BOUNDS: AuthorizationBounds = {
  cacheMaxBytes: DEFAULT_CACHE_LIMITS.maxBytes,
  localListMaxEntries: DEFAULT_LOCAL_LIST_LIMITS.maxEntries,
};

/** The AuthCtrlr variables beyond AuthorizeRemoteStart, LocalAuthorizeOffline and LocalPreAuthorize. */
export const AUTH_CTRLR_VARIABLES: VariableConfig[] = [
  { name: 'Enabled', value: D['AuthCtrlr.Enabled'], mutability: 'ReadWrite' },
  { name: 'OfflineTxForUnknownIdEnabled', value: D['AuthCtrlr.OfflineTxForUnknownIdEnabled'], mutability: 'ReadWrite' },
  { name: 'DisableRemoteAuthorization', value: D['AuthCtrlr.DisableRemoteAuthorization'], mutability: 'ReadWrite' },
  // No master pass until the CSO sets a group (C16).
  { name: 'MasterPassGroupId', value: '', mutability: 'ReadWrite' },
];

export function authorizationComponents(
  version: DeviceModelVersion,
  bounds: AuthorizationBounds = DEFAULT_AUTHORIZATION_BOUNDS,
): ComponentConfig[] {
  return [
    {
      name: 'AuthCacheCtrlr',
      variables: [
        { name: 'Available', value: D['AuthCacheCtrlr.Available'], mutability: 'ReadOnly' },
        { name: 'Enabled', value: D['AuthCacheCtrlr.Enabled'], mutability: 'ReadWrite' },
        { name: 'LifeTime', value: D['AuthCacheCtrlr.LifeTime'], mutability: 'ReadWrite', unit: 's', minLimit: 0 },
        {
          name: 'Policy',
          valuesList: ['LRU', 'LFU', 'FIFO'],
          value: D['AuthCacheCtrlr.Policy'],
          mutability: 'ReadWrite',
        },
        { name: 'Storage', value: 0, mutability: 'ReadOnly', unit: 'B', minLimit: 0, maxLimit: bounds.cacheMaxBytes },
        { name: 'DisablePostAuthorize', value: D['AuthCacheCtrlr.DisablePostAuthorize'], mutability: 'ReadWrite' },
      ],
    },
    {
      name: 'LocalAuthListCtrlr',
      variables: [
        { name: 'Available', value: D['LocalAuthListCtrlr.Available'], mutability: 'ReadOnly' },
        { name: 'Enabled', value: D['LocalAuthListCtrlr.Enabled'], mutability: 'ReadWrite' },
        // D01.FR.12: the number of tokens now; maxLimit, how many the list can hold.
        { name: 'Entries', value: 0, mutability: 'ReadOnly', minLimit: 0, maxLimit: bounds.localListMaxEntries },
        {
          name: 'ItemsPerMessage',
          value: D['LocalAuthListCtrlr.ItemsPerMessage'],
          mutability: 'ReadOnly',
          minLimit: 1,
        },
        {
          name: 'BytesPerMessage',
          value: D['LocalAuthListCtrlr.BytesPerMessage'],
          mutability: 'ReadOnly',
          minLimit: 1,
        },
        { name: 'Storage', value: 0, mutability: 'ReadOnly', unit: 'B', minLimit: 0 },
        { name: 'DisablePostAuthorize', value: D['LocalAuthListCtrlr.DisablePostAuthorize'], mutability: 'ReadWrite' },
        // Standardized in 2.1; 2.0.1 names the setting in C13/C14 but its appendix has no such variable.
        {
          name: 'SupportsExpiryDateTime',
          value: D['LocalAuthListCtrlr.SupportsExpiryDateTime'],
          mutability: 'ReadWrite',
          ...(version === 'ocpp2.0.1' ? { dataType: 'boolean' as const } : {}),
        },
      ],
    },
    {
      name: 'ReservationCtrlr',
      variables: [
        { name: 'Available', value: D['ReservationCtrlr.Available'], mutability: 'ReadOnly' },
        { name: 'Enabled', value: D['ReservationCtrlr.Enabled'], mutability: 'ReadWrite' },
        { name: 'NonEvseSpecific', value: D['ReservationCtrlr.NonEvseSpecific'], mutability: 'ReadWrite' },
      ],
    },
  ];
}

/**
 * The bounds the station enforces (options.authorization) as the maxLimits it reports for AuthCacheCtrlr.Storage and
 * LocalAuthListCtrlr.Entries: components for the runtime's defaults (core/variables.ts `withRuntimeDefaults`).
 */
export function authorizationBounds(limits: Partial<AuthorizationBounds>): ComponentConfig[] {
  return [
    ...(limits.cacheMaxBytes !== undefined
      ? [{ name: 'AuthCacheCtrlr', variables: [{ name: 'Storage', maxLimit: limits.cacheMaxBytes }] }]
      : []),
    ...(limits.localListMaxEntries !== undefined
      ? [{ name: 'LocalAuthListCtrlr', variables: [{ name: 'Entries', maxLimit: limits.localListMaxEntries }] }]
      : []),
  ];
}
