// D01 Send Local Authorization List, D02 Get Local List Version.
// The CSMS is the only one to change the list (D01.FR.09); use case C reads it through `localListLookup`. An update
// is checked whole before anything changes: a refused update leaves list and version as they were.
import type {
  GetLocalListVersionResponse,
  IdTokenInfoType,
  IdTokenType,
  SendLocalListResponse,
} from '../../../generated/v201/types.js';
import { jsonByteLength } from '../../rpc/json-bytes.js';
import type { Effect, StoreOp, UseCase } from '../core/types.js';
import { intSetting } from '../C-authorization/settings.js';
import { isIdToken, keptInfo, tokenKey } from '../C-authorization/tokens.js';
import {
  LIST_META_NAMESPACE,
  LIST_NAMESPACE,
  entryBytes,
  localListEnabled,
  storedVersion,
  type ListEntry,
} from './list-store.js';
import { stationTokenInfo } from '../core/tokens.js';

export interface LocalListState {
  /** 0: no list was ever sent (D02.FR.02). */
  version: number;
  /** Size of every entry's document, by key: the list's size and LocalAuthListCtrlr.Storage. */
  sizes: Record<string, number>;
}

export interface LocalListLimits {
  /** Entries the list holds at most (the maxLimit of LocalAuthListCtrlr.Entries). */
  maxEntries: number;
}

export const DEFAULT_LOCAL_LIST_LIMITS: LocalListLimits = { maxEntries: 5000 };

type Refusal = { response: SendLocalListResponse };
const failed = (reasonCode: string, additionalInfo?: string): Refusal => ({
  response: { status: 'Failed', statusInfo: { reasonCode, ...(additionalInfo ? { additionalInfo } : {}) } },
});

declare module '../core/registry.js' {
  interface StationQueries {
    /** D: the local authorization list's entry of a token (N09 customer information); undefined when none. */
    localListIdToken(idToken: IdTokenType): IdTokenInfoType | undefined;
  }
}

export function localListUseCase(limits: LocalListLimits = DEFAULT_LOCAL_LIST_LIMITS): UseCase<LocalListState> {
  return {
    name: 'localList',

    init(view) {
      const sizes: Record<string, number> = {};
      for (const { key, value } of view.store.list<ListEntry>(LIST_NAMESPACE)) sizes[key] = entryBytes(key, value);
      return { version: storedVersion(view.store), sizes };
    },

    queries: {
      localListIdToken: (_state, view, idToken) =>
        isIdToken(idToken) ? view.store.get<ListEntry>(LIST_NAMESPACE, tokenKey(idToken))?.info : undefined,
    },

    on(state, event) {
      // The size variables are the runtime's to report; after a restart they describe what the store holds.
      return event.type === 'started' ? { state, effects: reportSize(state) } : undefined;
    },

    answers: {
      // D02.FR.01: the version of the list; D02.FR.02: 0 before any list; D02.FR.03: 0 while disabled.
      GetLocalListVersion(state, _request, view) {
        const response: GetLocalListVersionResponse = { versionNumber: localListEnabled(view) ? state.version : 0 };
        return { response };
      },

      SendLocalList(state, request, view) {
        const req = request;
        if (!localListEnabled(view)) return failed('NotEnabled', 'LocalAuthListCtrlr.Enabled is false');
        // D01.FR.18: 0 means "no list" and is never a list's version.
        if (!Number.isInteger(req.versionNumber) || req.versionNumber <= 0)
          return failed('InvalidValue', 'versionNumber must be greater than 0');
        // D01.FR.19: a differential update must move the version forward.
        if (req.updateType === 'Differential' && req.versionNumber <= state.version)
          return { response: { status: 'VersionMismatch' } };
        const items = req.localAuthorizationList ?? [];
        // D01.FR.11: the message limits the station reports.
        const maxItems = intSetting(view, 'LocalAuthListCtrlr.ItemsPerMessage');
        if (items.length > maxItems)
          return failed(
            'TooManyElements',
            `localAuthorizationList has ${items.length} entries, ItemsPerMessage is ${maxItems}`,
          );
        const maxBytes = intSetting(view, 'LocalAuthListCtrlr.BytesPerMessage');
        const bytes = jsonByteLength(req); // not JSON.stringify: it throws on a request nested thousands deep
        if (bytes > maxBytes)
          return failed('TooLargeElement', `the request has ${bytes} bytes, BytesPerMessage is ${maxBytes}`);

        const seen = new Set<string>();
        const sizes: Record<string, number> = req.updateType === 'Full' ? {} : { ...state.sizes };
        const ops: StoreOp[] = req.updateType === 'Full' ? [{ op: 'clear', namespace: LIST_NAMESPACE }] : [];
        for (const [i, item] of items.entries()) {
          if (!isIdToken(item?.idToken))
            return failed('InvalidValue', `localAuthorizationList[${i}].idToken is not an IdTokenType`);
          const key = tokenKey(item.idToken);
          // D01.FR.06: every token once.
          if (seen.has(key)) return failed('InvalidValue', `localAuthorizationList[${i}].idToken appears twice`);
          seen.add(key);
          if (!item.idTokenInfo) {
            // AuthorizationData.idTokenInfo is required for a Full update; in a Differential one its absence removes
            // the token (D01.FR.17).
            if (req.updateType === 'Full')
              return failed('MissingParam', `localAuthorizationList[${i}].idTokenInfo is required in a Full update`);
            delete sizes[key];
            ops.push({ op: 'delete', namespace: LIST_NAMESPACE, key });
            continue;
          }
          // D01.FR.15/16: add, or replace what the list held for the token.
          const entry: ListEntry = { info: keptInfo(stationTokenInfo(item.idTokenInfo)) };
          sizes[key] = entryBytes(key, entry);
          ops.push({ op: 'put', namespace: LIST_NAMESPACE, key, value: entry });
        }
        const count = Object.keys(sizes).length;
        if (count > limits.maxEntries)
          return failed('OutOfStorage', `the list would hold ${count} entries, at most ${limits.maxEntries}`);
        // D01.FR.04/05: an empty Full update empties the list, an empty Differential one changes nothing — the
        // version is updated either way.
        ops.push({ op: 'put', namespace: LIST_META_NAMESPACE, key: 'version', value: req.versionNumber });
        const next: LocalListState = { version: req.versionNumber, sizes };
        return {
          state: next,
          response: { status: 'Accepted' },
          // The response vouches for the new list: it is in the store before the CSMS hears Accepted.
          commit: ops,
          persistOrAnswer: failed('InternalError', 'the list could not be stored').response,
          after: reportSize(next),
        };
      },
    },
  };
}

/** D01.FR.12: LocalAuthListCtrlr.Entries (and Storage, in bytes) tell the CSMS how full the list is. */
function reportSize(state: LocalListState): Effect[] {
  const bytes = Object.values(state.sizes).reduce((n, b) => n + b, 0);
  return [
    {
      type: 'setVariable',
      component: 'LocalAuthListCtrlr',
      variable: 'Entries',
      value: String(Object.keys(state.sizes).length),
    },
    { type: 'setVariable', component: 'LocalAuthListCtrlr', variable: 'Storage', value: String(bytes) },
  ];
}
