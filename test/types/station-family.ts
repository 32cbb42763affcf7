// The station core typed by its protocol family (runtime/station/core/family.ts): a 2.1-only action is answered
// and sent with 2.1's types, a 1.6 family uses the same core with 1.6's, and what blocks declare in the registry
// (own events, queries, hardware operations) is checked by name.
import type { Actions as A16 } from '../../generated/v16/actions.js';
import type { Actions as A201 } from '../../generated/v201/actions.js';
import type { Actions as A21 } from '../../generated/v21/actions.js';
import type {
  Answerers,
  Effect,
  Family16,
  Family2x,
  StationEvent,
  StationView,
  UseCase,
} from '../../runtime/station/core/types.js';
import { assertType } from './assert-type.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AnswererOf<F extends Family2x | Family16, K extends keyof F['in']> = NonNullable<
  Answerers<unknown, F>[K & keyof Answerers<unknown, F>]
>;

// A 2.1-only CSMS request (I: SetDefaultTariff) is answered with 2.1's request and response types.
assertType<Same<Parameters<AnswererOf<Family2x, 'SetDefaultTariff'>>[1], A21['SetDefaultTariff']['request']>>();
// An action of both versions arrives as either version's request; the answer is 2.0.1's (valid in 2.1 too).
assertType<Same<Parameters<AnswererOf<Family2x, 'Reset'>>[1], A201['Reset']['request'] | A21['Reset']['request']>>();
// The 1.6 family: 1.6 requests.
assertType<
  Same<Parameters<AnswererOf<Family16, 'RemoteStartTransaction'>>[1], A16['RemoteStartTransaction']['request']>
>();

// A 2.1-only CALL and a 2.1 SEND message can be sent, with their own payload types.
const pull: Effect = { type: 'send', action: 'PullDynamicScheduleUpdate', payload: { chargingProfileId: 1 } };
const stream: Effect = {
  type: 'sendMessage',
  action: 'NotifyPeriodicEventStream',
  payload: { id: 1, pending: 0, basetime: '2026-01-01T00:00:00Z', data: [] },
};
// prettier-ignore
// @ts-expect-error a SEND message is not a CALL
const notACall: Effect = { type: 'send', action: 'NotifyPeriodicEventStream', payload: { id: 1, pending: 0, basetime: '2026-01-01T00:00:00Z', data: [] } };
// prettier-ignore
// @ts-expect-error the payload is checked against the action's schema type
const badPayload: Effect = { type: 'send', action: 'PullDynamicScheduleUpdate', payload: { chargingProfileId: 'one' } };
// 1.6: StartTransaction is a CALL of the 1.6 family, not of 2.x.
const start16: Effect<Family16> = {
  type: 'send',
  action: 'StartTransaction',
  payload: { connectorId: 1, idTag: 'A', meterStart: 0, timestamp: '2026-01-01T00:00:00Z' },
};
// prettier-ignore
// @ts-expect-error StartTransaction does not exist in 2.x
const start2x: Effect = { type: 'send', action: 'StartTransaction', payload: { connectorId: 1, idTag: 'A', meterStart: 0, timestamp: '2026-01-01T00:00:00Z' } };

// Own events are declared by their block: a declared one narrows, a misspelt one does not compile.
const due: StationEvent = { type: 'reservation.expired', id: 4 };
// prettier-ignore
// @ts-expect-error the block declares `id: number`
const wrongField: StationEvent = { type: 'reservation.expired', id: '4' };
// prettier-ignore
// @ts-expect-error no block declares this event
const misspelt: StationEvent = { type: 'reservation.expried', id: 4 };

// Hardware calls carry the parameters of the operation's own callback.
const relay: Effect = { type: 'hardware', call: { op: 'startCharging', args: [1, 1] } };
// prettier-ignore
// @ts-expect-error stopCharging takes the EVSE only
const tooMany: Effect = { type: 'hardware', call: { op: 'stopCharging', args: [1, 1] } };
// prettier-ignore
// @ts-expect-error no block declares this operation
const unknownOp: Effect = { type: 'hardware', call: { op: 'launchRocket', args: [] } };

// Queries are typed by their declaration; a use case provides one from its own state.
declare const view: StationView;
const running: boolean | undefined = view.query.transactionOn?.(1);
// prettier-ignore
// @ts-expect-error no block declares this query
view.query.transactionsOn?.(1);
const provider: UseCase<{ busy: boolean }> = {
  name: 'x',
  init: () => ({ busy: false }),
  queries: { transactionOn: (state) => state.busy },
};
// prettier-ignore
// @ts-expect-error a provider answers with the query's type
const badProvider: UseCase<{ busy: boolean }> = { name: 'x', init: () => ({ busy: false }), queries: { transactionOn: () => 'yes' } };

// A use case of 2.1 alone names only 2.x versions.
const only21: UseCase<null> = { name: 'tariffs', versions: ['ocpp2.1'], init: () => null };
// prettier-ignore
// @ts-expect-error 1.6 is not a version of the 2.x family
const wrongFamily: UseCase<null> = { name: 'tariffs', versions: ['ocpp1.6'], init: () => null };

void [
  pull,
  stream,
  notACall,
  badPayload,
  start16,
  start2x,
  due,
  wrongField,
  misspelt,
  relay,
  tooMany,
  unknownOp,
  running,
  provider,
  badProvider,
  only21,
  wrongFamily,
];
