// The core pieces blocks C, D and H rely on: the `storeWrite` effect (atomic), answers whose durable writes happen
// before the response (`commit`, `ifCommitFails`), and the queries between blocks (`reservationCheck`).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ReservationCheck, StoreOp, UseCase } from '../../runtime/station/core/types.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import type { Store } from '../../runtime/store/types.js';
import { reservationCheck } from '../../runtime/station/H-reservation/check.js';
import { drive } from '../support/shell-driver.js';

// A use case of the test's own raises its own event: declared as a block would declare it.
declare module '../../runtime/station/core/registry.js' {
  interface OwnEvents {
    'writer.write': object;
  }
}

/** A use case that writes what an event says, and answers ClearCache by committing `ops` (and its state). */
function writer(ops: () => StoreOp[], failResponse?: { status: 'Rejected' }): UseCase<{ n: number }> {
  return {
    name: 'writer',
    init: () => ({ n: 0 }),
    save: (s) => s,
    on(state, event) {
      if (event.type !== 'writer.write') return undefined;
      return { state, effects: [{ type: 'storeWrite', ops: ops() }] };
    },
    answers: {
      ClearCache(state) {
        return {
          state: { n: state.n + 1 },
          response: { status: 'Accepted' },
          commit: ops(),
          ...(failResponse ? { persistOrAnswer: failResponse } : {}),
        };
      },
    },
  };
}

/** A store whose put fails for one key (a full disk, a broken flash page). */
function failingOn(badKey: string): Store {
  const real = openSqliteStore(':memory:');
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'put')
        return (ns: string, key: string, value: unknown) =>
          key === badKey
            ? (() => {
                throw new Error('write failed');
              })()
            : target.put(ns, key, value);
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

test('storeWrite performs put, delete and clear in order, in one transaction', () => {
  const d = drive([
    writer(() => [
      { op: 'put', namespace: 'a', key: '1', value: 1 },
      { op: 'put', namespace: 'a', key: '2', value: 2 },
      { op: 'put', namespace: 'b', key: 'x', value: 'x' },
      { op: 'delete', namespace: 'a', key: '1' },
      { op: 'clear', namespace: 'b' },
    ]),
  ]);
  d.store.put('b', 'old', true);
  d.dispatch({ type: 'writer.write' });
  assert.equal(d.store.list('a'), [{ key: '2', value: 2 }]);
  assert.equal(d.store.list('b'), []);
});

test('storeWrite is all or nothing: a failing write leaves the store as it was and is logged', () => {
  const store = failingOn('bad');
  const d = drive(
    [
      writer(() => [
        { op: 'clear', namespace: 'a' },
        { op: 'put', namespace: 'a', key: 'new', value: 1 },
        { op: 'put', namespace: 'a', key: 'bad', value: 2 },
      ]),
    ],
    { store },
  );
  store.put('a', 'kept', 0);
  d.dispatch({ type: 'writer.write' });
  assert.equal(store.list('a'), [{ key: 'kept', value: 0 }]);
  assert.ok(d.emitted.some((e) => e.type === 'log' && e.level === 'error' && e.message.includes('storeWrite')));
});

test("an answer's commit is written before the response is returned, with the new state persisted", () => {
  const d = drive([writer(() => [{ op: 'put', namespace: 'a', key: 'k', value: 'v' }], { status: 'Rejected' })]);
  const response = d.shell.answer('ClearCache', {}, 'm1');
  assert.equal(response, { status: 'Accepted' });
  assert.is(d.store.get('a', 'k'), 'v', 'written when the answer returns, before any CALLRESULT');
  assert.equal(d.store.get('station.state', 'writer'), { n: 1 });
});

test('a failing commit keeps the old state (nothing written) and answers persistOrAnswer; without it the request gets a CALLERROR', () => {
  const store = failingOn('k');
  const d = drive([writer(() => [{ op: 'put', namespace: 'a', key: 'k', value: 'v' }], { status: 'Rejected' })], {
    store,
  });
  assert.equal(d.shell.answer('ClearCache', {}, 'm1'), { status: 'Rejected' });
  assert.equal(d.shell.stateOf('writer'), { n: 0 });
  assert.is(store.get('station.state', 'writer'), undefined, 'the state written with it was rolled back');
  const strict = drive([writer(() => [{ op: 'put', namespace: 'a', key: 'k', value: 'v' }])], {
    store: failingOn('k'),
  });
  assert.throws(() => strict.shell.answer('ClearCache', {}, 'm1'), /write failed/);
  assert.equal(strict.shell.stateOf('writer'), { n: 0 });
});

test('the reservationCheck query asks the use case that keeps reservations; free when none runs', () => {
  const holder: UseCase<null> = {
    name: 'holder',
    init: () => null,
    queries: {
      reservationCheck: (_s, _view, evseId, idToken): ReservationCheck =>
        evseId === 2
          ? idToken.idToken === 'MINE'
            ? { verdict: 'mine', reservationId: 7 }
            : { verdict: 'reserved', reservationId: 7 }
          : { verdict: 'free' },
    },
  };
  const d = drive([{ name: 'other', init: () => null }, holder]);
  assert.equal(d.shell.query.reservationCheck!(2, { idToken: 'MINE', type: 'Local' }), {
    verdict: 'mine',
    reservationId: 7,
  });
  assert.equal(d.shell.query.reservationCheck!(2, { idToken: 'X', type: 'Local' }), {
    verdict: 'reserved',
    reservationId: 7,
  });
  assert.equal(d.shell.query.reservationCheck!(1, { idToken: 'X', type: 'Local' }), { verdict: 'free' });
  assert.equal(reservationCheck(drive([]).shell, 1, { idToken: 'X', type: 'Local' }), { verdict: 'free' });
});

test.run();
