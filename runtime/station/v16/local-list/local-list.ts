// 1.6 Local Auth List Management (§3.5.3, §5.10 GetLocalListVersion, §5.15 SendLocalList). The list is kept as
// D's (D-local-list/list-store.ts): one document per idTag under its hash, and the version, written with the answer
// in one store transaction before the response goes out (SendLocalList Failed when the store fails). Limits:
// SendLocalListMaxLength entries per request, LocalAuthListMaxLength in the list (both `authorization.
// localListMaxEntries`). A station built without the profile (the integrator's SupportedFeatureProfiles leaves out
// LocalAuthListManagement) answers GetLocalListVersion with -1, the version §5.10 keeps for "not supported", and
// SendLocalList NotSupported (TC_042_1_CS).
import type { AuthorizationData, SendLocalListRequest, UpdateStatus } from '../../../../generated/v16/types.js';
import { LIST_META_NAMESPACE, LIST_NAMESPACE, storedVersion, type ListEntry } from '../../D-local-list/list-store.js';
import type { Family16 } from '../../core/family.js';
import type { StationFamily, StationView, StoreOp, UseCase } from '../../core/types.js';
import { bool16, int16, list16 } from '../configuration/read.js';
import { fromInfo2x, idTagKey, toInfo2x } from '../core-profile/id-tags.js';
import '../core-profile/authorization.js';

type View = StationView<Family16>;

/** Whether this station offers the Local Auth List Management profile at all (SupportedFeatureProfiles). */
const offered = (view: StationView<StationFamily>): boolean =>
  list16(view, 'SupportedFeatureProfiles').includes('LocalAuthListManagement');

function check(request: SendLocalListRequest, view: View): UpdateStatus | undefined {
  const list = request.localAuthorizationList ?? [];
  if (list.length > int16(view, 'SendLocalListMaxLength')) return 'Failed';
  const keys = list.map((d) => idTagKey(d.idTag));
  if (new Set(keys).size !== keys.length) return 'Failed';
  // §5.15: a differential update must carry a newer version than the list's.
  if (request.updateType === 'Differential' && request.listVersion <= storedVersion(view.store))
    return 'VersionMismatch';
  return undefined;
}

function writes(request: SendLocalListRequest, view: View): { ops: StoreOp[]; size: number } {
  const list: AuthorizationData[] = request.localAuthorizationList ?? [];
  const ops: StoreOp[] = [];
  const present = new Set(view.store.list<ListEntry>(LIST_NAMESPACE).map((e) => e.key));
  if (request.updateType === 'Full') {
    ops.push({ op: 'clear', namespace: LIST_NAMESPACE });
    present.clear();
  }
  for (const d of list) {
    const key = idTagKey(d.idTag);
    if (d.idTagInfo) {
      const entry: ListEntry = { info: toInfo2x(d.idTagInfo) };
      ops.push({ op: 'put', namespace: LIST_NAMESPACE, key, value: entry });
      present.add(key);
    } else if (request.updateType === 'Differential') {
      // §5.15: an entry without idTagInfo in a differential update is removed.
      ops.push({ op: 'delete', namespace: LIST_NAMESPACE, key });
      present.delete(key);
    }
  }
  ops.push({ op: 'put', namespace: LIST_META_NAMESPACE, key: 'version', value: request.listVersion });
  return { ops, size: present.size };
}

export const localList16UseCase: UseCase<object, Family16> = {
  name: 'v16.localList',
  init: () => ({}),
  queries: {
    localList16(_state, view, idTag) {
      if (!offered(view) || !bool16(view, 'LocalAuthListEnabled')) return undefined;
      const entry = view.store.get<ListEntry>(LIST_NAMESPACE, idTagKey(idTag));
      return entry?.info && typeof entry.info.status === 'string' ? fromInfo2x(entry.info) : undefined;
    },
  },
  answers: {
    GetLocalListVersion: (_state, _request, view) => ({
      response: { listVersion: offered(view) ? storedVersion(view.store) : -1 },
    }),
    SendLocalList(_state, request, view) {
      if (!offered(view) || !bool16(view, 'LocalAuthListEnabled')) return { response: { status: 'NotSupported' } };
      const refused = check(request, view);
      if (refused) return { response: { status: refused } };
      const { ops, size } = writes(request, view);
      if (size > int16(view, 'LocalAuthListMaxLength')) return { response: { status: 'Failed' } };
      return { response: { status: 'Accepted' }, commit: ops, persistOrAnswer: { status: 'Failed' } };
    },
  },
};
