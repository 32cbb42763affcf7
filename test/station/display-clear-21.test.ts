// O05.FR.03 (2.1): a ClearDisplayMessage the station cannot carry out is Rejected. The one way a clear of a known
// message fails in ocppkit is the store refusing to keep the change: driven as a flow with a store that fails on
// demand, once per version (2.0.1 has no Rejected for it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { displayUseCase } from '../../runtime/station/O-display/display.js';
import { displaySettings } from '../../runtime/station/O-display/settings.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import type { Store } from '../../runtime/store/types.js';
import { drive } from '../support/shell-driver.js';

/** A real SQLite store whose writes of the display's state fail while `failing.on` is set, as a full disk would. */
function failingStore() {
  const real = openSqliteStore(':memory:');
  const failing = { on: false };
  const put = (ns: string, key: string, value: unknown) => {
    if (failing.on && key === 'display') throw new Error('disk full');
    return real.put(ns, key, value);
  };
  const store = new Proxy(real, {
    get: (target, k) => {
      if (k === 'put') return put;
      const v = Reflect.get(target, k);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as Store;
  return { store, failing };
}

const message = (id: number) => ({ id, priority: 'NormalCycle', message: { format: 'UTF8', content: `m${id}` } });

function setUp(version: 'ocpp2.0.1' | 'ocpp2.1') {
  const { store, failing } = failingStore();
  const d = drive([displayUseCase(displaySettings())], { version, store });
  d.dispatch({ type: 'connected', version });
  const answer = (action: string, request: unknown, id: string) =>
    d.shell.answer(action as never, request as never, id) as { status: string; statusInfo?: { reasonCode: string } };
  assert.equal(answer('SetDisplayMessage', { message: message(7) }, 'set'), { status: 'Accepted' });
  return { d, failing, answer };
}

const ids = (d: ReturnType<typeof drive>) =>
  (d.shell.stateOf<{ messages: Array<{ id: number }> }>('display')?.messages ?? []).map((m) => m.id);

test('O05.FR.03 (2.1) ClearDisplayMessage the station cannot carry out (the store refuses it): Rejected, the message stays', () => {
  const { d, failing, answer } = setUp('ocpp2.1');
  failing.on = true;
  const res = answer('ClearDisplayMessage', { id: 7 }, 'clear');
  assert.is(res.status, 'Rejected');
  assert.is(res.statusInfo?.reasonCode, 'InternalError');
  assert.equal(ids(d), [7], 'the old state stays');
  failing.on = false;
  assert.equal(answer('ClearDisplayMessage', { id: 7 }, 'again'), { status: 'Accepted' }, 'O05.FR.01 once it can');
  assert.equal(ids(d), []);
});

test('O05.FR.01 O05.FR.02 2.0.1 has no Rejected: a clear is Accepted (the store failure logged), an unknown id Unknown', () => {
  const { d, failing, answer } = setUp('ocpp2.0.1');
  failing.on = true;
  assert.equal(answer('ClearDisplayMessage', { id: 7 }, 'clear'), { status: 'Accepted' });
  assert.equal(ids(d), []);
  assert.equal(answer('ClearDisplayMessage', { id: 8 }, 'unknown'), { status: 'Unknown' });
});

test.run();
