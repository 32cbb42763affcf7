// TEST STAND-IN for block C (authorization), until station-c's use case is merged: answers every
// `authorize.request` with `authorize.result`, Accepted unless the idToken is in `deny` (then Invalid). It talks to
// nobody; block C will use the CSMS, the cache and the local list. Only the E/F/J tests use it.
import type { IdTokenInfoType } from '../../generated/v201/types.js';
import type { BlockEvent, UseCase } from '../../runtime/station/core/types.js';

export interface StandInOptions {
  deny?: Iterable<string>;
  /** The groupIdToken every accepted idToken belongs to (E07.FR.01b tests). */
  groupOf?: Record<string, string>;
}

export function acceptEveryToken(options: StandInOptions = {}): UseCase<null> {
  const deny = new Set(options.deny ?? []);
  return {
    name: 'authorizeStandIn',
    init: () => null,
    on(state, event) {
      if (event.type !== 'authorize.request') return undefined;
      const req = event as Extract<BlockEvent, { type: 'authorize.request' }>;
      const group = options.groupOf?.[req.idToken.idToken];
      const idTokenInfo: IdTokenInfoType = {
        status: deny.has(req.idToken.idToken) ? 'Invalid' : 'Accepted',
        ...(group ? { groupIdToken: { idToken: group, type: 'Central' } } : {}),
      };
      return { state, effects: [{ type: 'dispatch', event: { type: 'authorize.result', ref: req.ref, idToken: req.idToken, ...(req.evseId !== undefined ? { evseId: req.evseId } : {}), idTokenInfo, source: 'localList' } }] };
    },
  };
}
