// 1.6 §4.1 Authorize, §3.5 Local authorization & offline behaviour, §5.4 ClearCache. Asked with
// `v16.authorize.request`, answered with `v16.authorize.result` (go ahead only when `idTagInfo.status` is
// Accepted). The Local Authorization List (block v16 local-list, through its query) takes precedence over the
// authorization cache (§3.5.3); both are used by LocalPreAuthorize while online and LocalAuthorizeOffline while
// offline; an idTag neither knows is accepted offline only with AllowOfflineTxForUnknownId (§3.5.4). The cache is
// C's (C-authorization/cache.ts): every IdTagInfo the CSMS sends (Authorize, Start/StopTransaction) updates it
// while AuthorizationCacheEnabled (§3.5.2).
import type { IdTagInfo } from '../../../../generated/v16/types.js';
import {
  cacheClear,
  cacheLookup,
  cachePut,
  loadCacheIndex,
  type CacheIndex,
  type CacheLimits,
  type CachePolicy,
} from '../../C-authorization/cache.js';
import type { Family16 } from '../../core/family.js';
import {
  byEventType,
  type AuthorizationSource,
  type Effect,
  type StationView,
  type Step,
  type UseCase,
} from '../../core/types.js';
import { bool16 } from '../configuration/read.js';
import { effectiveStatus, fromInfo2x, idTagKey, toInfo2x } from './id-tags.js';

declare module '../../core/registry.js' {
  interface OwnEvents {
    /** 1.6: authorize this idTag (at `connectorId` when known); answered by `v16.authorize.result`. */
    'v16.authorize.request': { ref: string; idTag: string; connectorId?: number };
    'v16.authorize.result': {
      ref: string;
      idTag: string;
      connectorId?: number;
      idTagInfo: IdTagInfo;
      source: AuthorizationSource;
    };
    /** The CSMS sent an IdTagInfo for this idTag (Start/StopTransaction.conf): the cache learns it (§3.5.2). */
    'v16.idTagInfo': { idTag: string; idTagInfo: IdTagInfo };
  }
  interface StationQueries {
    /** 1.6 local list: the idTag's entry while LocalAuthListEnabled (block v16 local-list). */
    localList16(idTag: string): IdTagInfo | undefined;
  }
}

type Request = { ref: string; idTag: string; connectorId?: number };

export interface Authorization16State {
  index: CacheIndex;
  pending: Record<string, Request>;
}

// 1.6 has no cache lifetime or policy key: entries live until their expiryDate; the least recently used go first.
const POLICY: CachePolicy = { lifeTimeSec: 0, policy: 'LRU', version: undefined };

function local(
  view: StationView<Family16>,
  index: CacheIndex,
  idTag: string,
): { info: IdTagInfo; source: AuthorizationSource } | undefined {
  const listed = view.query.localList16?.(idTag);
  if (listed) return { info: listed, source: 'localList' };
  if (!bool16(view, 'AuthorizationCacheEnabled')) return undefined;
  const cached = cacheLookup(view.store, index, idTagKey(idTag), POLICY, view.now());
  return cached ? { info: fromInfo2x(cached.info), source: 'cache' } : undefined;
}

const result = (r: Request, idTagInfo: IdTagInfo, source: AuthorizationSource): Effect<Family16>[] => [
  {
    type: 'dispatch',
    event: {
      type: 'v16.authorize.result',
      ref: r.ref,
      idTag: r.idTag,
      ...(r.connectorId !== undefined ? { connectorId: r.connectorId } : {}),
      idTagInfo,
      source,
    },
  },
];

/** §3.5: what the station decides without the CSMS. */
function offline(view: StationView<Family16>, state: Authorization16State, r: Request): Effect<Family16>[] {
  const known = local(view, state.index, r.idTag);
  if (known) {
    const status = effectiveStatus(known.info, view.now());
    if (status === 'Accepted' && bool16(view, 'LocalAuthorizeOffline')) return result(r, known.info, known.source);
    return result(r, { ...known.info, status: status === 'Accepted' ? 'Invalid' : status }, known.source);
  }
  // §3.5.4: an unknown idTag while offline.
  return result(r, { status: bool16(view, 'AllowOfflineTxForUnknownId') ? 'Accepted' : 'Invalid' }, 'offline');
}

export function authorization16UseCase(limits: CacheLimits): UseCase<Authorization16State, Family16> {
  const learn = (
    view: StationView<Family16>,
    state: Authorization16State,
    idTag: string,
    info: IdTagInfo,
  ): Step<Authorization16State, Family16> => {
    if (!bool16(view, 'AuthorizationCacheEnabled')) return { state };
    const change = cachePut(view.store, state.index, idTagKey(idTag), toInfo2x(info), POLICY, limits, view.now());
    return { state: { ...state, index: change.index }, effects: [{ type: 'storeWrite', ops: change.ops }] };
  };
  return {
    name: 'v16.authorization',
    init: (view) => ({ index: loadCacheIndex(view.store), pending: {} }),
    on: byEventType<Authorization16State, Family16>({
      'v16.authorize.request'(state, event, view) {
        const r: Request = {
          ref: event.ref,
          idTag: event.idTag,
          ...(event.connectorId !== undefined ? { connectorId: event.connectorId } : {}),
        };
        // Plug & Charge (the 1.6 application note's §5): the eMAID the CSMS just accepted through the wrapped
        // Authorize starts its transaction without the plain Authorize, which the note forbids for it.
        const contract = view.query.contractAuthorized16?.(r.idTag);
        if (contract) return { state, effects: result(r, contract, 'csms') };
        const online = view.connected && view.query.registration?.() === 'Accepted';
        if (!online) return { state, effects: offline(view, state, r) };
        const known = local(view, state.index, r.idTag);
        // §3.5.3 LocalPreAuthorize: a locally Accepted idTag starts without waiting for the CSMS.
        if (known && bool16(view, 'LocalPreAuthorize') && effectiveStatus(known.info, view.now()) === 'Accepted')
          return { state, effects: result(r, known.info, known.source) };
        return {
          state: { ...state, pending: { ...state.pending, [r.ref]: r } },
          effects: [{ type: 'send', action: 'Authorize', payload: { idTag: r.idTag }, tag: `v16.auth:${r.ref}` }],
        };
      },
      reply(state, event, view) {
        if (event.action !== 'Authorize' || !event.tag.startsWith('v16.auth:')) return undefined;
        const ref = event.tag.slice('v16.auth:'.length);
        const r = state.pending[ref];
        if (!r) return undefined;
        const { [ref]: _, ...pending } = state.pending;
        const rest = { ...state, pending };
        // No answer (offline, timeout, CALLERROR): decide as offline.
        if (event.result.status !== 'sent') return { state: rest, effects: offline(view, rest, r) };
        const info = event.result.response.idTagInfo;
        const learned = learn(view, rest, r.idTag, info);
        return { state: learned.state, effects: [...(learned.effects ?? []), ...result(r, info, 'csms')] };
      },
      'v16.idTagInfo': (state, event, view) => learn(view, state, event.idTag, event.idTagInfo),
    }),
    answers: {
      // §5.4: every cache entry goes; Rejected when the cache cannot be cleared (the store failed).
      ClearCache: (state) => {
        const change = cacheClear();
        return {
          state: { ...state, index: change.index },
          response: { status: 'Accepted' },
          commit: change.ops,
          persistOrAnswer: { status: 'Rejected' },
        };
      },
    },
  };
}
