// The protocol parameter of the station core. A family is what one station runtime speaks, at the type level: the
// CALLs it sends and those it answers, each with its request and response. Use cases, effects, answers and replies
// are typed by it, so one shell runs the 2.x blocks (2.0.1 and 2.1 together) and, with the 1.6 map, a 1.6 station.
import type { Actions as V16 } from '../../../generated/v16/actions.js';
import type { Actions as V201 } from '../../../generated/v201/actions.js';
import type { Actions as V21 } from '../../../generated/v21/actions.js';
import type {
  ActionMapTypes,
  CallAction,
  IncomingAction,
  OutgoingAction,
  ProtocolName,
  SendAction,
} from '../../protocol.js';

interface Exchange {
  request: unknown;
  response: unknown;
}

export interface StationFamily {
  /** The versions of the family: what `view.version` can be once connected. */
  readonly version: ProtocolName;
  /** CALLs the station sends. */
  readonly out: { readonly [action: string]: Exchange };
  /** SEND messages (2.1, Part 4 §4.2.4) the station sends: never answered, never queued. */
  readonly sends: { readonly [action: string]: { request: unknown } };
  /** CALLs the station answers. */
  readonly in: { readonly [action: string]: Exchange };
}

type Sent<A extends ActionMapTypes> = OutgoingAction<A, 'cs'> & CallAction<A>;
type Unanswered<A extends ActionMapTypes> = OutgoingAction<A, 'cs'> & SendAction<A>;
type Answered<A extends ActionMapTypes> = IncomingAction<A, 'cs'> & CallAction<A>;

/** One version's family: its own requests and responses. */
export interface FamilyOf<A extends ActionMapTypes, N extends ProtocolName> extends StationFamily {
  version: N;
  out: { [K in Sent<A>]: { request: A[K]['request']; response: A[K]['response'] } };
  sends: { [K in Unanswered<A>]: { request: A[K]['request'] } };
  in: { [K in Answered<A>]: { request: A[K]['request']; response: A[K]['response'] } };
}

/**
 * 2.0.1 and 2.1 together. What the station builds for an action of both versions is a 2.0.1 payload, valid in 2.1
 * too (test/types/station-2x.ts checks it for every action the station sends); what it receives may be either
 * version's. An action of 2.1 alone has 2.1's types: a use case that sends or answers it is registered for 2.1
 * only (`UseCase.versions`).
 */
export interface Family2x extends StationFamily {
  version: 'ocpp2.0.1' | 'ocpp2.1';
  out: {
    [K in Sent<V201> | Sent<V21>]: K extends Sent<V201>
      ? { request: V201[K]['request']; response: V201[K]['response'] | V21[K]['response'] }
      : K extends Sent<V21>
        ? { request: V21[K]['request']; response: V21[K]['response'] }
        : never;
  };
  sends: { [K in Unanswered<V21>]: { request: V21[K]['request'] } };
  in: {
    [K in Answered<V201> | Answered<V21>]: K extends Answered<V201>
      ? { request: V201[K]['request'] | V21[K]['request']; response: V201[K]['response'] }
      : K extends Answered<V21>
        ? { request: V21[K]['request']; response: V21[K]['response'] }
        : never;
  };
}

/** OCPP 1.6J. */
export type Family16 = FamilyOf<V16, 'ocpp1.6'>;

export type OutAction<F extends StationFamily> = keyof F['out'] & string;
export type SendsAction<F extends StationFamily> = keyof F['sends'] & string;
export type InAction<F extends StationFamily> = keyof F['in'] & string;
export type OutRequestOf<F extends StationFamily, K extends OutAction<F>> = F['out'][K]['request'];
export type OutResponseOf<F extends StationFamily, K extends OutAction<F>> = F['out'][K]['response'];
export type InRequestOf<F extends StationFamily, K extends InAction<F>> = F['in'][K]['request'];
export type InResponseOf<F extends StationFamily, K extends InAction<F>> = F['in'][K]['response'];
