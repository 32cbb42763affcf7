// C01–C06 authorization of a presented idToken, C07 an ISO 15118 contract (contract.ts), C09 group ids, C10–C12 the
// authorization cache, C13–C15 local and offline authorization, C16 master pass. Other blocks ask with
// `authorize.request` and get `authorize.result` with the same ref (the contract is in core/types.ts). The verdict comes from, in order: the station's configuration
// (AuthCtrlr.Enabled, NoAuthorization and Central tokens), the local list, the cache, the CSMS (AuthorizeRequest),
// and when the CSMS cannot be asked the offline rules; then reservations, master pass and allowed EVSEs decide what
// the token may do here. Every IdTokenInfo the CSMS sends (AuthorizeResponse, TransactionEventResponse) updates the
// cache.
import type { ClearCacheResponse, IdTokenInfoType, IdTokenType } from '../../../generated/v201/types.js';
import type * as v21 from '../../../generated/v21/types.js';
import type { EnergyTransferModeEnumType } from '../../../generated/v21/types.js';
import type {
  AuthorizationRefusal,
  Effect,
  StationEvent,
  StationView,
  Step,
  UseCase,
  Version2x,
} from '../core/types.js';
import {
  cacheBytes,
  cacheClear,
  cachePut,
  cacheRemove,
  cacheTouch,
  CACHE_NAMESPACE,
  DEFAULT_CACHE_LIMITS,
  loadCacheIndex,
  type CacheEntry,
  type CacheIndex,
  type CacheLimits,
  type CachePolicy,
} from './cache.js';
import {
  cacheEnabled,
  endsOwnGroup,
  isMasterPass,
  localData,
  offlineVerdict,
  onlinePlan,
  type AuthorizeRequest,
  type Verdict,
} from './decide.js';
import { contractAnswer, contractCall, offlineContractVerdict, type PresentedContract } from './contract.js';
import { boolSetting, intSetting, online, stringSetting } from './settings.js';
import { isIdToken, maskedToken, sameToken, tokenKey } from './tokens.js';
import { reservationCheck } from '../H-reservation/check.js';
import { stationTokenInfo } from '../core/tokens.js';
import { transactionOn } from '../E-transactions/check.js';

/** C16.FR.01: the transactions running now, per EVSE (E's evseActivity). */
function runningTransactions(view: StationView): MasterPassTransaction[] {
  return view.evses.flatMap((e) => {
    const transactionId = view.query.evseActivity?.(e.id)?.transactionId;
    return transactionId !== undefined ? [{ evseId: e.id, transactionId }] : [];
  });
}

declare module '../core/registry.js' {
  interface StationQueries {
    /**
     * C: what the authorization cache holds about a token (N09/N10 customer information), expired or not; undefined
     * when nothing.
     */
    cachedIdToken(idToken: IdTokenType): CacheEntry | undefined;
  }
  interface HardwareOperations {
    /**
     * Optional: the station has a UI for the master pass (C16.FR.01). A master pass was presented while these
     * transactions run: show them and resolve with the transactionIds the user chose to stop (all of them, some, or
     * none: `[]` when the user cancels). Without this callback a master pass stops every transaction (C16.FR.02).
     */
    masterPassSelect(transactions: MasterPassTransaction[]): string[] | Promise<string[]>;
  }
}

/** C16.FR.01: a running transaction as the master pass UI lists it. */
export interface MasterPassTransaction {
  evseId: number;
  transactionId: string;
}

export interface AuthorizationOptions {
  /** C16.FR.01: the integrator's master pass UI (hardware.masterPassSelect) chooses the transactions to stop. */
  masterPassUi?: boolean;
}

export interface AuthorizationState {
  /** Requests waiting for an AuthorizeResponse, by ref. */
  pending: Record<string, AuthorizeRequest>;
  cache: CacheIndex;
  /** The version last spoken: the cache's lifetime rule differs (C10.FR.08 vs 2.1 C10.FR.10). */
  version: Version2x | undefined;
  /** C16.FR.01: master passes whose UI choice is awaited, by hardware tag: the token that stops what is chosen. */
  masterPass?: Record<string, IdTokenType>;
  /** C07: contracts the ISO 15118 stack presented, by the key of their eMAID, until its authorization is asked. */
  contracts?: Record<string, PresentedContract>;
}

const TAG = 'authorize:';
const MASTER_PASS_TAG = 'masterPass:';

export function authorizationUseCase(
  limits: CacheLimits = DEFAULT_CACHE_LIMITS,
  options: AuthorizationOptions = {},
): UseCase<AuthorizationState> {
  const policyOf = (state: AuthorizationState, view: StationView): CachePolicy => ({
    lifeTimeSec: intSetting(view, 'AuthCacheCtrlr.LifeTime'),
    policy: stringSetting(view, 'AuthCacheCtrlr.Policy'),
    version: view.version ?? state.version,
  });

  /** C10.FR.04/05, C12.FR.06: the CSMS's latest word on a token goes into the cache. */
  function remember(
    state: AuthorizationState,
    view: StationView,
    token: IdTokenType,
    info: IdTokenInfoType | undefined,
    effects: Effect[],
  ): AuthorizationState {
    if (!info || !isIdToken(token) || !cacheEnabled(view)) return state;
    // C02.FR.03, C03.FR.02, C05.FR.02: never NoAuthorization or Central tokens.
    if (token.type === 'NoAuthorization' || token.type === 'Central') return state;
    const change = cachePut(view.store, state.cache, tokenKey(token), info, policyOf(state, view), limits, view.now());
    if (change.ops.length === 0) return state;
    effects.push({ type: 'storeWrite', ops: change.ops }, ...storageReport(state.cache, change.index));
    return { ...state, cache: change.index };
  }

  /** The verdict for what the requester wants, sent back as `authorize.result`. */
  function conclude(
    state: AuthorizationState,
    view: StationView,
    request: AuthorizeRequest,
    verdict: Verdict,
    effects: Effect[],
  ): AuthorizationState {
    const { info } = verdict;
    let source = verdict.source;
    let refusal: AuthorizationRefusal | undefined = verdict.refusal;
    let reservationId: number | undefined;
    let next = state;
    if (info.status === 'Accepted' && !refusal) {
      if (isMasterPass(view, info)) {
        // C12.FR.09, C16.FR.03: a master pass starts nothing; C16.FR.02/08: without a UI it ends every transaction,
        // before the requester hears the verdict. C16.FR.01: with one, the user chooses which (masterPassChosen).
        source = 'masterPass';
        refusal = 'masterPass';
        const running = runningTransactions(view);
        if (running.length && options.masterPassUi) {
          const tag = `${MASTER_PASS_TAG}${request.ref}`;
          next = { ...state, masterPass: { ...state.masterPass, [tag]: request.idToken } };
          effects.push({ type: 'hardware', call: { op: 'masterPassSelect', args: [running] }, tag });
        } else if (transactionOn(view, 0))
          effects.push({
            type: 'dispatch',
            event: { type: 'transactions.stop', evseId: 0, reason: 'MasterPass', idToken: request.idToken },
          });
      } else if (request.stopping) {
        // C01.FR.03 (a): the starting token; C09.FR.03/11: another one only if valid and of the same group.
        if (!sameToken(request.idToken, request.stopping.idToken) && !endsOwnGroup(info, request)) refusal = 'notOwner';
      } else if (info.evseId?.length && request.evseId !== undefined && !info.evseId.includes(request.evseId)) {
        // C01.FR.21: only on the EVSEs the CSMS listed.
        refusal = 'evseNotAllowed';
      } else {
        // H03: a reserved EVSE takes its own token (or group) only; a token that holds a reservation uses it.
        const check = reservationCheck(view, request.evseId, request.idToken, info.groupIdToken);
        if (check.verdict === 'reserved') refusal = 'reserved';
        else if (check.verdict === 'mine') reservationId = check.reservationId;
      }
    }
    const idTokenInfo: IdTokenInfoType = refusal
      ? { ...info, status: refusal === 'evseNotAllowed' ? 'NotAllowedTypeEVSE' : 'NotAtThisTime' }
      : info;
    const evse = request.evseId !== undefined ? { evseId: request.evseId } : {};
    effects.push(
      {
        type: 'dispatch',
        event: {
          type: 'authorize.result',
          ref: request.ref,
          idToken: request.idToken,
          ...evse,
          idTokenInfo,
          source,
          ...(refusal ? { refusal } : {}),
          ...(reservationId !== undefined ? { reservationId } : {}),
          // Q01.FR.01: what the CSMS allows the driver, for block Q to hand to the ISO 15118 stack.
          ...(verdict.allowedEnergyTransfer && idTokenInfo.status === 'Accepted'
            ? { allowedEnergyTransfer: verdict.allowedEnergyTransfer }
            : {}),
        },
      },
      {
        type: 'emit',
        event: {
          type: 'authorization',
          idToken: maskedToken(request.idToken),
          ...evse,
          idTokenInfo,
          source,
          ...(refusal ? { refusal } : {}),
          ...(verdict.certificateStatus ? { certificateStatus: verdict.certificateStatus } : {}),
        },
      },
    );
    // C10.FR.08 (2.0.1): a cache entry's lifetime counts from its last use; the policy needs the use too.
    if (verdict.local?.source === 'cache' && verdict.local.entry) {
      const change = cacheTouch(next.cache, verdict.local.key, verdict.local.entry, view.now());
      if (change.ops.length) {
        effects.push({ type: 'storeWrite', ops: change.ops });
        return { ...next, cache: change.index };
      }
    }
    return next;
  }

  function onRequest(
    state: AuthorizationState,
    view: StationView,
    request: AuthorizeRequest,
  ): Step<AuthorizationState> {
    const effects: Effect[] = [];
    if (!isIdToken(request.idToken) || typeof request.ref !== 'string') {
      effects.push({
        type: 'emit',
        event: {
          type: 'log',
          level: 'error',
          message: 'authorize.request without a ref or an idToken { idToken, type }: refused',
        },
      });
      const token: IdTokenType = isIdToken(request.idToken) ? request.idToken : { idToken: '', type: 'Local' };
      return {
        state: conclude(
          state,
          view,
          { ...request, idToken: token, ref: String(request.ref) },
          { info: { status: 'Invalid' }, source: 'station' },
          effects,
        ),
        effects,
      };
    }
    const decided = (verdict: Verdict) => ({ state: conclude(state, view, request, verdict, effects), effects });
    // AuthCtrlr.Enabled false: no authorization at all; C02: a start button (NoAuthorization) needs none.
    if (!boolSetting(view, 'AuthCtrlr.Enabled') || request.idToken.type === 'NoAuthorization')
      return decided({ info: { status: 'Accepted' }, source: 'station' });
    // C03.FR.01, C05.FR.01: a Central token came from the CSMS; it is not sent back for authorization.
    if (request.idToken.type === 'Central') return decided({ info: { status: 'Accepted' }, source: 'csms' });
    // C01.FR.03 (a), C09.FR.07 (a): the token that started the transaction always ends it, without asking.
    if (request.stopping && sameToken(request.idToken, request.stopping.idToken)) {
      const group = request.stopping.groupIdToken;
      return decided({ info: { status: 'Accepted', ...(group ? { groupIdToken: group } : {}) }, source: 'station' });
    }
    const local = localData(view, state.cache, policyOf(state, view), request.idToken);
    const contract = request.stopping ? undefined : contractOf(state, request);
    if (contract) {
      // C07: the eMAID of an ISO 15118 contract; its chain is used once.
      const { [tokenKey(request.idToken)]: _used, ...contracts } = state.contracts ?? {};
      const rest: AuthorizationState = { ...state, contracts };
      const judged = (verdict: Verdict) => ({ state: conclude(rest, view, request, verdict, effects), effects });
      if (!online(view))
        return judged(offlineContractVerdict(view, contract, () => offlineVerdict(view, request, local)));
      // C07.FR.01: online, the CSMS is always asked (local data does not authorize a contract).
      const plan = contractCall(view, request.idToken, contract);
      if ('verdict' in plan) return judged(plan.verdict);
      effects.push({ type: 'send', action: 'Authorize', payload: plan.call, tag: `${TAG}${request.ref}` });
      return { state: { ...rest, pending: { ...rest.pending, [request.ref]: request } }, effects };
    }
    if (!online(view)) return decided(offlineVerdict(view, request, local));
    const plan = onlinePlan(view, request, local);
    if (plan === 'local') return decided({ info: local!.info, source: local!.source, local: local! });
    if (plan === 'unknown') return decided({ info: { status: 'Unknown' }, source: 'station' });
    // C01.FR.02/04: AuthorizeRequest carries the identifier only (a contract's certificate data is C07's, above).
    effects.push({
      type: 'send',
      action: 'Authorize',
      payload: { idToken: request.idToken },
      tag: `${TAG}${request.ref}`,
    });
    return { state: { ...state, pending: { ...state.pending, [request.ref]: request } }, effects };
  }

  function onAnswer(
    state: AuthorizationState,
    view: StationView,
    event: Extract<StationEvent, { type: 'reply' }>,
  ): Step<AuthorizationState> | undefined {
    const ref = event.tag.slice(TAG.length);
    const request = state.pending[ref];
    if (!request) return undefined;
    const { [ref]: _, ...pending } = state.pending;
    let next: AuthorizationState = { ...state, pending };
    const effects: Effect[] = [];
    if (event.action === 'Authorize' && event.result.status === 'sent') {
      const idTokenInfo = stationTokenInfo(event.result.response.idTokenInfo);
      next = remember(next, view, request.idToken, idTokenInfo, effects);
      const allowed = view.version === 'ocpp2.1' ? allowedEnergyTransferOf(event.result.response) : undefined;
      const verdict: Verdict = contractAnswer(
        { info: idTokenInfo, source: 'csms', ...(allowed ? { allowedEnergyTransfer: allowed } : {}) },
        event.result.response.certificateStatus,
      );
      return { state: conclude(next, view, request, verdict, effects), effects };
    }
    // No answer (offline after all, timeout, CALLERROR): as if offline.
    const local = localData(view, next.cache, policyOf(next, view), request.idToken);
    return { state: conclude(next, view, request, offlineVerdict(view, request, local), effects), effects };
  }

  /**
   * C16.FR.01, TC_C_47_CS / TC_C_48_CS: the transactions the user chose in the master pass UI end (stoppedReason
   * MasterPass, the master pass as their stopping idToken); the others go on. Anything but a list of ids: none.
   */
  function masterPassChosen(state: AuthorizationState, tag: string, result: unknown): Step<AuthorizationState> {
    const idToken = state.masterPass?.[tag];
    const { [tag]: _, ...masterPass } = state.masterPass ?? {};
    const chosen = Array.isArray(result) ? result.filter((id): id is string => typeof id === 'string') : [];
    return {
      state: { ...state, masterPass },
      effects: idToken
        ? [...new Set(chosen)].map((transactionId) => ({
            type: 'dispatch',
            event: { type: 'transactions.stop', evseId: 0, transactionId, reason: 'MasterPass', idToken },
          }))
        : [],
    };
  }

  return {
    name: 'authorization',

    init(view, saved) {
      // What `save` wrote (or nothing on a first start), read back from the store.
      const version = (saved as { version?: Version2x } | undefined)?.version;
      return { pending: {}, cache: loadCacheIndex(view.store), version };
    },

    save: (state) => ({ version: state.version }),

    on(state, event, view) {
      switch (event.type) {
        case 'authorize.request':
          return onRequest(state, view, event);
        case 'contract.presented': {
          if (!isIdToken(event.idToken) || typeof event.certificate !== 'string') return undefined;
          // One waiting contract per EVSE: a new EV session there replaces the one whose eMAID was never asked for.
          const others = Object.entries(state.contracts ?? {}).filter(([, c]) => c.evseId !== event.evseId);
          const contract: PresentedContract = { evseId: event.evseId, certificate: event.certificate };
          const contracts = { ...Object.fromEntries(others), [tokenKey(event.idToken)]: contract };
          return { state: { ...state, contracts } };
        }
        case 'reply':
          return event.tag.startsWith(TAG) ? onAnswer(state, view, event) : undefined;
        case 'queueSent': {
          // C10.FR.05: the TransactionEventResponse's idTokenInfo is about the request's idToken (an Authorize
          // queued under QueueAllMessages is answered here too).
          if (event.action !== 'TransactionEvent' && event.action !== 'Authorize') return undefined;
          const token = event.payload.idToken;
          const given = event.response?.idTokenInfo;
          const info = given && stationTokenInfo(given);
          if (!token || !info) return undefined;
          const effects: Effect[] = [];
          const next = remember(state, view, token, info, effects);
          return next === state ? undefined : { state: next, effects };
        }
        case 'connected':
          return event.version === state.version
            ? undefined
            : { state: { ...state, version: event.version }, effects: [{ type: 'persist' }] };
        case 'started':
          return { state, effects: storageReport(undefined, state.cache) };
        case 'hardwareDone':
        case 'hardwareFailed':
          return event.tag.startsWith(MASTER_PASS_TAG)
            ? masterPassChosen(state, event.tag, event.type === 'hardwareDone' ? event.result : [])
            : undefined;
        case 'customerInformation.clear': {
          // N10.FR.03/06: the customer's data goes, the cache entry of the token with it.
          const change = cacheRemove(state.cache, tokenKey(event.idToken));
          if (change.ops.length === 0) return undefined;
          return {
            state: { ...state, cache: change.index },
            effects: [{ type: 'storeWrite', ops: change.ops }, ...storageReport(state.cache, change.index)],
          };
        }
        default:
          return undefined;
      }
    },

    queries: {
      cachedIdToken: (state, view, idToken) =>
        isIdToken(idToken) && state.cache[tokenKey(idToken)]
          ? view.store.get<CacheEntry>(CACHE_NAMESPACE, tokenKey(idToken))
          : undefined,
    },

    answers: {
      ClearCache(state, _request, view) {
        // C11.FR.04: Rejected while the cache is disabled.
        if (!cacheEnabled(view))
          return {
            response: { status: 'Rejected', statusInfo: { reasonCode: 'NotEnabled' } } satisfies ClearCacheResponse,
          };
        const change = cacheClear();
        return {
          state: { ...state, cache: change.index },
          // C11.FR.01–03: Accepted once the cache is empty; C11.FR.05: Rejected if that failed.
          response: { status: 'Accepted' },
          commit: change.ops,
          persistOrAnswer: { status: 'Rejected', statusInfo: { reasonCode: 'InternalError' } },
          after: storageReport(state.cache, change.index),
        };
      },
    },
  };
}

/** C07: the contract presented for this eMAID at the EVSE the authorization is asked for, if any. */
function contractOf(state: AuthorizationState, request: AuthorizeRequest): PresentedContract | undefined {
  const contract = state.contracts?.[tokenKey(request.idToken)];
  if (!contract || request.idToken.type !== 'eMAID') return undefined;
  return request.evseId === undefined || request.evseId === contract.evseId ? contract : undefined;
}

/** AuthCacheCtrlr.Storage: the bytes the cache uses (its maxLimit is the cache's byte bound). */
function storageReport(before: CacheIndex | undefined, after: CacheIndex): Effect[] {
  const bytes = cacheBytes(after);
  if (before && cacheBytes(before) === bytes) return [];
  return [{ type: 'setVariable', component: 'AuthCacheCtrlr', variable: 'Storage', value: String(bytes) }];
}

/**
 * 2.1 Q01.FR.01: the allowedEnergyTransfer of an AuthorizeResponse. The response arrives typed as 2.0.1's (an action
 * of both versions); while 2.1 is spoken the RPC layer validated it against 2.1's schema, which has the field.
 */
function allowedEnergyTransferOf(response: object): EnergyTransferModeEnumType[] | undefined {
  const allowed = (response as Partial<v21.AuthorizeResponse>).allowedEnergyTransfer;
  return Array.isArray(allowed) && allowed.length > 0 ? [...allowed] : undefined;
}
