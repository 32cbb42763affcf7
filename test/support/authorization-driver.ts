// Flow tests of blocks C, D and H: the real use cases in the real Shell (shell-driver.ts) with a ManualClock, plus a
// stand-in for block E that asks for authorizations the way E does (`authorize.request`) and records what C answers
// and which transactions C asks E to stop. The same stand-in runs inside a ChargingStation over real sockets
// (`options.useCases`) until use case E exists on this branch.
import type { IdTokenInfoType, IdTokenType } from '../../generated/v201/types.js';
import { bootUseCase } from '../../runtime/station/B-provisioning/boot.js';
import { authorizationUseCase } from '../../runtime/station/C-authorization/authorization.js';
import type { CacheLimits } from '../../runtime/station/C-authorization/cache.js';
import type { BlockEvent, EvseLayout, StationEvent, UseCase } from '../../runtime/station/core/types.js';
import { localListUseCase } from '../../runtime/station/D-local-list/local-list.js';
import { availabilityUseCase } from '../../runtime/station/G-availability/availability.js';
import { reservationUseCase } from '../../runtime/station/H-reservation/reservation.js';
import type { Store } from '../../runtime/store/types.js';
import { drive, type Driver } from './shell-driver.js';

export type AuthorizeResult = Extract<BlockEvent, { type: 'authorize.result' }>;
export type StopRequest = Extract<BlockEvent, { type: 'transactions.stop' }>;

export interface StandIn {
  useCase: UseCase<null>;
  results: AuthorizeResult[];
  stops: StopRequest[];
  /** Both, in the order they were raised: `result:<ref>`, `stop:<evseId>`. */
  order: string[];
  /** Actions of queued messages the CSMS answered (`queueSent`), seen after block C saw them. */
  answered: string[];
  /** A transaction runs on these EVSEs (what E's `transactionOn` would say). */
  transactions: Set<number>;
}

/**
 * Block E as far as C is concerned: a presented idToken becomes `authorize.request` (ref `t1`, `t2`, …). With
 * `sendTransactionEvent`, an Accepted verdict is followed by a TransactionEvent (Started, Authorized) with the token,
 * so that the CSMS's TransactionEventResponse reaches C through the queue.
 */
export function authorizeStandIn(options: { sendTransactionEvent?: boolean; ask?: boolean } = {}): StandIn {
  // `ask: false` once use case E is in the station: E asks, the stand-in only records what C answers.
  const ask = options.ask ?? true;
  const results: AuthorizeResult[] = [];
  const stops: StopRequest[] = [];
  const order: string[] = [];
  const answered: string[] = [];
  const transactions = new Set<number>();
  let n = 0;
  const useCase: UseCase<null> = {
    name: 'standIn',
    init: () => null,
    queries: {
      transactionOn: (_s, _view, evseId) => (evseId === 0 ? transactions.size > 0 : transactions.has(evseId)),
    },
    on(state, event: StationEvent, view) {
      if (event.type === 'idTokenPresented' && ask) {
        const e = event as Extract<StationEvent, { type: 'idTokenPresented' }>;
        const ref = `t${++n}`;
        return {
          state,
          effects: [
            {
              type: 'dispatch',
              event: {
                type: 'authorize.request',
                ref,
                idToken: e.idToken,
                ...(e.evseId !== undefined ? { evseId: e.evseId } : {}),
              },
            },
          ],
        };
      }
      if (event.type === 'authorize.result') {
        const r = event as AuthorizeResult;
        results.push(r);
        order.push(`result:${r.ref}`);
        if (options.sendTransactionEvent && r.idTokenInfo.status === 'Accepted') {
          return {
            state,
            effects: [
              {
                type: 'send',
                action: 'TransactionEvent',
                payload: {
                  eventType: 'Started',
                  timestamp: new Date(view.now()).toISOString(),
                  triggerReason: 'Authorized',
                  seqNo: 0,
                  transactionInfo: { transactionId: `tx-${r.ref}` },
                  idToken: r.idToken,
                  ...(r.evseId !== undefined ? { evse: { id: r.evseId, connectorId: 1 } } : {}),
                },
              },
            ],
          };
        }
      }
      if (event.type === 'queueSent') answered.push(event.action);
      if (event.type === 'transactions.stop') {
        stops.push(event as StopRequest);
        order.push(`stop:${(event as StopRequest).evseId}`);
      }
      return undefined;
    },
  };
  return { useCase, results, stops, order, answered, transactions };
}

export interface AuthDriver extends Driver {
  standIn: StandIn;
  /** Connects and lets the CSMS accept the BootNotification: the station is online. */
  goOnline(): Promise<void>;
  /** Drops the connection: the station is offline. */
  goOffline(): Promise<void>;
  /** Presents a token as E would; resolves once C's verdict is in (answer pending Authorize calls yourself). */
  ask(
    idToken: IdTokenType,
    extra?: { evseId?: number; stopping?: { idToken: IdTokenType; groupIdToken?: IdTokenType } },
  ): string;
  result(ref: string): AuthorizeResult | undefined;
  /** Answers the oldest pending AuthorizeRequest. */
  answerAuthorize(idTokenInfo: IdTokenInfoType): Promise<void>;
}

export const token = (idToken: string, type: IdTokenType['type'] = 'ISO14443'): IdTokenType => ({ idToken, type });

export function authDriver(
  options: {
    evses?: EvseLayout[];
    variables?: Record<string, string | number | boolean>;
    cache?: CacheLimits;
    store?: Store;
    localListMaxEntries?: number;
  } = {},
): AuthDriver {
  const standIn = authorizeStandIn();
  const d = drive(
    [
      bootUseCase({ model: 'M', vendorName: 'V' }),
      localListUseCase(options.localListMaxEntries ? { maxEntries: options.localListMaxEntries } : undefined),
      authorizationUseCase(options.cache),
      reservationUseCase,
      standIn.useCase,
      availabilityUseCase,
    ],
    {
      ...(options.evses ? { evses: options.evses } : {}),
      ...(options.variables ? { variables: options.variables } : {}),
      ...(options.store ? { store: options.store } : {}),
    },
  ) as AuthDriver;
  let n = 0;
  d.standIn = standIn;
  d.goOnline = async () => {
    d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
    d.pending('BootNotification')[0]?.answer({
      status: 'Accepted',
      interval: 300,
      currentTime: new Date(d.clock.now()).toISOString(),
    });
    await d.settle();
  };
  d.goOffline = async () => {
    d.dispatch({ type: 'disconnected' });
    await d.settle();
  };
  d.ask = (idToken, extra = {}) => {
    const ref = `ask${++n}`;
    d.dispatch({ type: 'authorize.request', ref, idToken, ...extra });
    return ref;
  };
  d.result = (ref) => standIn.results.find((r) => r.ref === ref);
  d.answerAuthorize = async (idTokenInfo) => {
    const call = d.pending('Authorize')[0];
    if (!call) throw new Error('no AuthorizeRequest is pending');
    call.answer({ idTokenInfo });
    await d.settle();
  };
  return d;
}
