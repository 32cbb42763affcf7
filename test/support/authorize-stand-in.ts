// TEST STAND-IN for block C (authorization) in the flow tests of E, which test the transaction state machine on its
// own: answers every `authorize.request` with `authorize.result` by C's contract — Accepted unless the idToken is in
// `deny` (then Invalid), a stopping token only when it is the owner's or shares its group. It talks to nobody; the
// real block C (cache, local list, the CSMS) runs in the socket tests (tx-pair.ts).
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
      // As C does (C09): a stopping token is accepted only if it is the owner's or shares its group.
      const owner = req.stopping ? options.groupOf?.[req.stopping.idToken.idToken] : undefined;
      const mayStop =
        !req.stopping ||
        req.stopping.idToken.idToken === req.idToken.idToken ||
        (group !== undefined && group === owner);
      const idTokenInfo: IdTokenInfoType = {
        status: deny.has(req.idToken.idToken) ? 'Invalid' : mayStop ? 'Accepted' : 'NotAtThisTime',
        ...(group ? { groupIdToken: { idToken: group, type: 'Central' } } : {}),
      };
      return {
        state,
        effects: [
          {
            type: 'dispatch',
            event: {
              type: 'authorize.result',
              ref: req.ref,
              idToken: req.idToken,
              ...(req.evseId !== undefined ? { evseId: req.evseId } : {}),
              idTokenInfo,
              source: 'localList',
            },
          },
        ],
      };
    },
  };
}
