// Where a verdict on an idToken comes from, as pure functions: the local data (local list before cache), whether
// the CSMS is asked, the offline rules, and the checks that turn the token's own status into a go / no-go for what
// the requester wants (start, or end a transaction; reservations; master pass; allowed EVSEs).
import type {
  AuthorizeCertificateStatusEnumType,
  IdTokenInfoType,
  IdTokenType,
} from '../../../generated/v201/types.js';
import type { EnergyTransferModeEnumType } from '../../../generated/v21/types.js';
import type { AuthorizationRefusal, AuthorizationSource, BlockEvent, StationView } from '../core/types.js';
import { localListLookup } from '../D-local-list/list-store.js';
import { cacheLookup, type CacheEntry, type CacheIndex, type CachePolicy } from './cache.js';
import { boolSetting, masterPassGroupId } from './settings.js';
import { sameGroup, tokenKey } from './tokens.js';

export type AuthorizeRequest = Extract<BlockEvent, { type: 'authorize.request' }>;

/** What the station itself knows about a token. */
export interface LocalData {
  source: 'localList' | 'cache';
  key: string;
  info: IdTokenInfoType;
  /** A list entry past its cacheExpiryDateTime (LocalAuthListCtrlr.SupportsExpiryDateTime: C13.FR.05/06, C14.FR.05). */
  disregarded: boolean;
  /** The cache entry, to record that it was used. */
  entry?: CacheEntry;
}

export const cacheEnabled = (view: StationView) =>
  boolSetting(view, 'AuthCacheCtrlr.Available') && boolSetting(view, 'AuthCacheCtrlr.Enabled');

/** C13.FR.01, C14.FR.01: a token on the local list is judged by the list, whatever the cache says. */
export function localData(
  view: StationView,
  cache: CacheIndex,
  policy: CachePolicy,
  token: IdTokenType,
): LocalData | undefined {
  const key = tokenKey(token);
  const listed = localListLookup(view, token);
  if (listed) return { source: 'localList', key, info: listed.info, disregarded: listed.disregarded };
  if (!cacheEnabled(view)) return undefined;
  const entry = cacheLookup(view.store, cache, key, policy, view.now());
  return entry ? { source: 'cache', key, info: entry.info, disregarded: false, entry } : undefined;
}

/** C16: the token belongs to the Master Pass group (AuthCtrlr.MasterPassGroupId). */
export function isMasterPass(view: StationView, info: IdTokenInfoType): boolean {
  const group = masterPassGroupId(view);
  return (
    group !== undefined &&
    info.groupIdToken !== undefined &&
    info.groupIdToken.idToken.toLowerCase() === group.toLowerCase()
  );
}

/** C09.FR.03/07: the presented token is in the group of the token that authorized the transaction. */
export const endsOwnGroup = (info: IdTokenInfoType, request: AuthorizeRequest) =>
  sameGroup(info.groupIdToken, request.stopping?.groupIdToken);

/** Online: decide on local data, or ask the CSMS. */
export function onlinePlan(
  view: StationView,
  request: AuthorizeRequest,
  local: LocalData | undefined,
): 'local' | 'ask' | 'unknown' {
  // AuthCtrlr.DisableRemoteAuthorization: only the cache and the local list decide.
  const noRemote = boolSetting(view, 'AuthCtrlr.DisableRemoteAuthorization');
  // C01.FR.02, C06.FR.02: not known here; C14.FR.05: a disregarded list entry counts as absent.
  if (!local || local.disregarded) return noRemote ? 'unknown' : 'ask';
  if (local.info.status === 'Accepted') {
    // C09.FR.07: a token known to be valid and in the transaction's group ends it without asking; otherwise the
    // CSMS tells its group (C09.FR.05, C09.FR.04 MAY).
    if (request.stopping)
      return endsOwnGroup(local.info, request) || isMasterPass(view, local.info) || noRemote ? 'local' : 'ask';
    // C16.FR.04/05: a master pass known locally acts at once.
    if (isMasterPass(view, local.info)) return 'local';
    // C12.FR.02, C14.FR.02/04: AuthCtrlr.LocalPreAuthorize starts on local data without asking (TC_C_36: not without).
    return boolSetting(view, 'AuthCtrlr.LocalPreAuthorize') || noRemote ? 'local' : 'ask';
  }
  // C10.FR.03, C12.FR.05, C14.FR.03: a token known with another status is checked with the CSMS — unless
  // DisablePostAuthorize of the cache / the list says not to (TC_C_57, TC_C_58).
  const noPost =
    local.source === 'cache'
      ? boolSetting(view, 'AuthCacheCtrlr.DisablePostAuthorize')
      : boolSetting(view, 'LocalAuthListCtrlr.DisablePostAuthorize');
  return noPost || noRemote ? 'local' : 'ask';
}

export interface Verdict {
  info: IdTokenInfoType;
  source: AuthorizationSource;
  refusal?: AuthorizationRefusal;
  /** The local data it rests on (to record the use of a cache entry). */
  local?: LocalData;
  /** 2.1 Q01.FR.01: the energy transfer modes the CSMS's AuthorizeResponse allows. */
  allowedEnergyTransfer?: EnergyTransferModeEnumType[];
  /** C07: the status of the contract certificate of an ISO 15118 authorization (the CSMS's, or the station's own). */
  certificateStatus?: AuthorizeCertificateStatusEnumType;
}

/** Offline (or the CSMS could not be asked): C12 on cached data, C13 on the local list, C15 for unknown ids. */
export function offlineVerdict(view: StationView, request: AuthorizeRequest, local: LocalData | undefined): Verdict {
  if (local && local.disregarded) {
    // C13.FR.06: an expired list entry is not an unknown id either.
    return { info: { ...local.info, status: 'Expired' }, source: 'localList', local };
  }
  if (local) {
    // C13.FR.01/02: a token the list (or cache) knows as not Accepted is refused; no unknown-id rule for it.
    if (local.info.status !== 'Accepted') return { info: local.info, source: local.source, local };
    // AuthCtrlr.LocalAuthorizeOffline: local data may authorize offline (C13.FR.02–06, C12 cached Accepted).
    if (request.stopping || boolSetting(view, 'AuthCtrlr.LocalAuthorizeOffline'))
      return { info: local.info, source: local.source, local };
  }
  // Ending someone else's transaction needs the token's group: an unknown token cannot.
  if (request.stopping) return { info: { status: 'Unknown' }, source: 'offline' };
  // C15.FR.08, C13.FR.04/06: AuthCtrlr.OfflineTxForUnknownIdEnabled accepts an unknown id (never cached: C15.FR.01).
  if (boolSetting(view, 'AuthCtrlr.OfflineTxForUnknownIdEnabled'))
    return { info: { status: 'Accepted' }, source: 'offline' };
  // Known and valid, but local data may not be used offline: refused as such.
  if (local) return { info: local.info, source: local.source, refusal: 'offline', local };
  return { info: { status: 'Unknown' }, source: 'offline' };
}
